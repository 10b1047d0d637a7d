/*
 * buf.h - bounded growable byte buffer (after curl's dynbuf).
 *
 * The maximum size is fixed at init; an append that would pass it fails
 * with -1 and leaves the buffer unchanged.  The contents are always
 * NUL-terminated (the NUL is not counted in len).  The buffer owns its
 * memory; hark_buf_release() frees it, hark_buf_detach() hands it over.
 */
#ifndef HARK_BUF_H
#define HARK_BUF_H

#include "hark.h"

struct hark_buf {
	char *ptr;	/* NUL-terminated contents, or NULL when empty/unused */
	size_t len;	/* bytes used, without the NUL */
	size_t cap;	/* bytes allocated */
	size_t max;	/* most bytes it may ever hold (without the NUL) */
};
#define HARK_BUF_INIT(max) { NULL, 0, 0, (max) }

void hark_buf_init(struct hark_buf *b, size_t max);
/* Free the contents; the buffer may be used again (same max). */
void hark_buf_release(struct hark_buf *b);
/* Forget the contents but keep the allocation. */
void hark_buf_reset(struct hark_buf *b);
/* Append N bytes of P; -1 when the result would exceed max. */
int hark_buf_add(struct hark_buf *b, const void *p, size_t n);
int hark_buf_addstr(struct hark_buf *b, const char *s);
int hark_buf_addch(struct hark_buf *b, int c);
/*
 * Make room for N more bytes (and the NUL) without changing the contents,
 * so a caller may write up to N bytes at ptr + len itself (then adding
 * them to len and writing the NUL).  -1 when len + N would exceed max.
 */
int hark_buf_reserve(struct hark_buf *b, size_t n);
int hark_buf_addf(struct hark_buf *b, const char *fmt, ...)
    HARK_PRINTF(2, 3);
/*
 * Append the JSON text of V as json_dumpb(V, ..., FLAGS | JSON_ENCODE_ANY)
 * writes it, byte for byte (FLAGS 0 means JSON_COMPACT |
 * JSON_REAL_PRECISION(6), the record splicer's default).  Compact output
 * in insertion order is written here directly, without jansson's per-call
 * and per-container costs (a loop-check table, a formatted pointer and an
 * allocation for every object and array); reals, other flags and very
 * deep values go through json_dumpb.  -1 when B's maximum is exceeded or
 * jansson fails (e.g. invalid UTF-8, which jansson's own strings never
 * hold).
 */
struct json_t;
int hark_buf_add_json(struct hark_buf *b, const struct json_t *v,
    size_t flags);
/* Append S[0..N) (valid UTF-8) as a JSON string, quoted and escaped as
 * hark_buf_add_json writes a string value with the default flags. */
int hark_buf_add_json_string(struct hark_buf *b, const char *s, size_t n);

/* Shorten to LEN bytes (LEN <= b->len). */
void hark_buf_truncate(struct hark_buf *b, size_t len);
/* Return the contents as a new NUL-terminated string (caller frees) and
 * leave the buffer empty.  Never NULL. */
char *hark_buf_detach(struct hark_buf *b, size_t *len /* OUT, may be NULL */);
/* Borrowed pointer to the contents, "" when empty. */
const char *hark_buf_str(const struct hark_buf *b);

#endif
