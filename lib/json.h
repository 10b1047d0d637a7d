/*
 * json.h - the suite's own strict JSON parser (RFC 8259) for records.
 *
 * One pass over a line validates all of it, grammar and UTF-8, and builds
 * jansson values only for the top-level members the caller asks for; the
 * members it only validates cost no allocation.  It accepts every text
 * RFC 8259 allows, including what jansson refuses: integers beyond 64 bits,
 * numbers beyond a double, "\u0000" in keys, lone surrogate escapes and
 * nesting up to HARK_JSON_MAX_DEPTH.  Members a tool does not decode are
 * never converted: the record splicer copies their bytes.
 *
 * Decoding rules for the members that are built (hark-records(5),
 * NUMBERS AND STRINGS):
 *  - an integer that fits in 64 bits is a jansson integer; a longer one
 *    is a real (the nearest double);
 *  - a number beyond the range of a double is the largest finite double
 *    with its sign (jansson has no infinity); one too small for a double
 *    is 0 or the nearest subnormal;
 *  - a lone surrogate escape decodes to U+FFFD (as jq does); "\u0000" in a
 *    string value is kept (jansson strings carry their length);
 *  - an object member whose key contains "\u0000" is left out of the
 *    built object (jansson's C-string API cannot name it); a repeated key
 *    keeps its last value.
 * Errors use jansson's wording and columns ("string or '}' expected near
 * 'bad'"), so messages did not change when this parser replaced it.
 */
#ifndef HARK_JSON_H
#define HARK_JSON_H

#include <jansson.h>
#include "hark.h"
#include "err.h"

#define HARK_JSON_MAX_DEPTH 10000

/* Byte offsets into the line of one top-level member: the key with its
 * quotes [ks, ke) and the value [vs, ve). */
struct hark_json_member {
	size_t ks, ke, vs, ve;
};

struct hark_json_members {
	struct hark_json_member *m;
	size_t n, cap;
};

#define HARK_JSON_MEMBERS_INIT { NULL, 0, 0 }

void hark_json_members_release(struct hark_json_members *mem);

/*
 * Parse LINE[0..LEN) as one JSON object.  The members whose keys are among
 * NAMES[0..NNAMES) (borrowed C strings), or every member when ALL is set,
 * are built into a new object returned in *OUT (new reference); OUT may
 * be NULL to only validate.  MEM (may be NULL) receives the spans of all
 * top-level members in line order.  Returns 0, or -1 with ERR set (code
 * 3): "invalid JSON: ... near '...'" with the column (in characters), or
 * "record is not a JSON object" for valid JSON that is not an object.
 * Never prints; the stack use does not grow with the nesting depth.
 */
int hark_json_record(const char *line, size_t len, char *const *names,
    size_t nnames, int all, json_t **out, struct hark_json_members *mem,
    struct hark_err *err);

/*
 * Parse LINE[0..LEN) as one JSON text of any type, building it all (new
 * reference in *OUT) by the rules above.  -1 with ERR as above.
 */
int hark_json_parse_any(const char *line, size_t len, json_t **out,
    struct hark_err *err);

/*
 * Decode the JSON string token S[0..N) (with its quotes, already
 * validated by a parse) into a new NUL-terminated buffer; *LEN gets the
 * decoded length (which may include NUL bytes).  Caller frees.
 */
char *hark_json_string_decode(const char *s, size_t n, size_t *len);

/*
 * Make jansson allocate its values from per-size free lists (requests of
 * up to 240 bytes, in 16 classes of 16-byte steps; larger ones from
 * malloc): a record's tree is a few dozen small blocks made and freed
 * again for every line, and glibc's malloc and free were 3.7% of
 * ticket-route's instructions on long posts (callgrind).  Blocks freed go
 * back on their class's list for the next record and are never returned
 * to the system, so the memory held is, class by class, the most that
 * was live at once.  Not thread-safe: only for single-threaded commands,
 * called once before any JSON value is made (values made before would be
 * freed wrongly).  A no-op under AddressSanitizer, which should see every
 * block.  Memory jansson hands out is then not malloc's: json_dumps() is
 * banned (lib/banned.h) for hark_json_dumps().
 */
void hark_json_fast_alloc(void);

/* json_dumps(V, FLAGS), but the text is malloc'd (free() it whatever
 * jansson's allocator); NULL where json_dumps gives NULL. */
char *hark_json_dumps(const json_t *v, size_t flags);

#endif
