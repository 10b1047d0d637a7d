/*
 * ndjson.h - bounded NDJSON line reader and the record splicer.
 *
 * The reader yields one line at a time with its line number; "\n" and
 * "\r\n" end lines, a UTF-8 BOM at the start of the input and blank lines
 * are skipped (documented leniencies, hark-records(5)).  A line longer
 * than max_line is a data error for that line: the reader skips the rest
 * of it (copying it verbatim to the reject output when one is set).
 *
 * The splicer writes a record as the input line with the tool's own
 * members replaced or appended: every other member passes through byte for
 * byte, in its original order.
 */
#ifndef HARK_NDJSON_H
#define HARK_NDJSON_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "io.h"
#include "json.h"

#define HARK_LINE_MAX_DEFAULT (1u << 20)

struct hark_reader {
	struct hark_input *in;		/* borrowed */
	struct hark_output *rejects;	/* borrowed, may be NULL */
	size_t max_line;
	long lineno;			/* number of the line just returned */
	int cr;				/* it ended in "\r\n" (CR not in LEN) */
	char *buf;
	size_t cap, start, end;
	int eof;
	int started;
};

enum hark_read_status {
	HARK_READ_LINE = 0,	/* LINE and LEN hold a line (no terminator) */
	HARK_READ_EOF = 1,
	HARK_READ_TOOLONG = 2,	/* line r->lineno exceeded max_line; skipped */
	HARK_READ_ERROR = -1	/* I/O error, message in ERR */
};

/* IN and REJECTS are borrowed; MAX_LINE 0 means the default. */
void hark_reader_init(struct hark_reader *r, struct hark_input *in,
    struct hark_output *rejects, size_t max_line);
void hark_reader_release(struct hark_reader *r);
/* Next non-blank line; the pointer is borrowed until the next call. */
enum hark_read_status hark_reader_next(struct hark_reader *r,
    const char **line, size_t *len, struct hark_err *err);

/*
 * Parse LINE as a JSON object (new reference in *OUT), every member built
 * by the rules of lib/json.h (hark_json_record with ALL set).  On error
 * returns -1 with "invalid JSON: ..." or "record is not a JSON object" in
 * ERR (code 3, column set when known).
 */
int hark_ndjson_parse(const char *line, size_t len, json_t **out,
    struct hark_err *err);

/*
 * Append to OUT the object in LINE (a valid record) with the
 * top-level members named in ADD (a JSON object) replaced: members whose
 * keys ADD has are removed from their place and ADD's members appended in
 * ADD's order, serialised compactly with FLAGS (jansson dump flags; 0
 * means JSON_COMPACT | JSON_REAL_PRECISION(6)).  Every other member is
 * copied byte for byte, never decoded.  -1 when OUT's maximum is exceeded
 * or LINE is not a valid record.  This validates LINE again; the record
 * loop uses hark_ndjson_splice_members with the spans of its one parse.
 */
int hark_ndjson_splice(struct hark_buf *out, const char *line, size_t len,
    json_t *add, size_t flags);

/*
 * As hark_ndjson_splice, with MEM the member spans hark_json_record gave
 * for LINE (borrowed): nothing is scanned again.  Members of ADD that the
 * line already has are removed from their place (the other members are
 * then joined with bare commas); otherwise the line is copied up to its
 * last member, white space included.
 */
int hark_ndjson_splice_members(struct hark_buf *out, const char *line,
    size_t len, const struct hark_json_members *mem, json_t *add,
    size_t flags);

/* New JSON values for report records: S as a string, null when S is
 * NULL; a share or ratio V rounded to 4 decimals, null when V < 0 (not
 * measured). */
json_t *hark_json_str_or_null(const char *s);
json_t *hark_json_ratio(double v);

/* Serialise V compactly (FLAGS as above) and append to OUT. */
int hark_json_append(struct hark_buf *out, const json_t *v, size_t flags);

/* Follow a dotted PATH ("author.followers") from REC; borrowed or NULL. */
json_t *hark_json_path(json_t *rec, const char *path);
/* The string at PATH, or NULL when absent or not a string (borrowed). */
const char *hark_json_path_str(json_t *rec, const char *path);
/*
 * A string, integer or boolean V as text: the string itself (borrowed),
 * the integer written into BUF (SZ bytes), "true" or "false"; NULL for
 * anything else.  Ids and ticket numbers come as either strings or
 * numbers.
 */
const char *hark_json_scalar(json_t *v, char *buf, size_t sz);
/* hark_json_scalar of the value at PATH (NULL when absent). */
const char *hark_json_path_scalar(json_t *rec, const char *path, char *buf,
    size_t sz);

#endif
