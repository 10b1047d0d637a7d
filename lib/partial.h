/*
 * partial.h - the envelope of a partial result: what `--partial` writes
 * and `--merge` reads (sla-report, mention-report).
 *
 * A partial is NDJSON (gzip read transparently):
 *
 *   {"hark_partial":1,"tool":"sla-report","format":1,"fingerprint":"<hex>","hark":"<version>"}
 *   ... body: one JSON object per line, owned and documented by the tool ...
 *   {"hark_partial_end":N}
 *
 * "hark_partial" is the version of this envelope.  "format" is the
 * version of the tool's body; a reader accepts formats up to the one it
 * writes.  "fingerprint" is the tool's digest of everything that must be
 * equal for two partials to merge (options, configuration, time zone):
 * partials with different fingerprints never merge.  N, the number of
 * body lines, makes a file cut short an error rather than a smaller
 * result.  "hark" is informational.
 *
 * Nothing here prints or exits; errors come back in struct hark_err with
 * FILE:LINE in the message (code 3 for a damaged or foreign file, 2 for
 * a fingerprint mismatch, 1 for I/O).
 */
#ifndef HARK_PARTIAL_H
#define HARK_PARTIAL_H

#include <jansson.h>
#include "hark.h"
#include "buf.h"
#include "err.h"
#include "io.h"
#include "ndjson.h"
#include "sha256.h"

#define HARK_PARTIAL_ENVELOPE 1
/* Longest line a partial may hold (a body line with a large sketch). */
#define HARK_PARTIAL_LINE_MAX (64u << 20)

/* Append the header line (with its newline) to OUT; -1 when OUT is full. */
int hark_partial_header(struct hark_buf *out, const char *tool, int format,
    const char *fingerprint);
/* Append the trailer line for NBODY body lines; -1 when OUT is full. */
int hark_partial_trailer(struct hark_buf *out, uint64_t nbody);

/*
 * The fingerprint of a list of strings (options and their values, the
 * configuration's text ...): lower-case hex SHA-256 of each string's
 * length and bytes, in order, into HEX (65 bytes).  Returns HEX.
 */
char *hark_partial_fingerprint(const char *const *parts, size_t n,
    char *hex);

struct hark_partial_reader {
	struct hark_input in;
	struct hark_reader rd;
	const char *name;	/* for messages (borrowed from the input) */
	char fingerprint[HARK_SHA256_HEXLEN + 1];
	int format;		/* the body format of this file */
	uint64_t body;		/* body lines read so far */
	int done;		/* trailer seen */
};

/*
 * Open PATH ("-": standard input) and read its header.  The header must
 * name TOOL and a format in 1..MAX_FORMAT.  FINGERPRINT, when not NULL,
 * must equal the file's (else code 2, "partials do not match: ...").
 */
int hark_partial_open(struct hark_partial_reader *r, const char *path,
    const char *tool, int max_format, const char *fingerprint,
    struct hark_err *err);
/*
 * The next body line as a JSON object (new reference in *OBJ): 1; the
 * trailer, checked against the count of body lines, and the end of the
 * file after it: 0; -1 on error (a line that is not a JSON object, a
 * missing or wrong trailer, anything after the trailer, I/O).
 */
int hark_partial_next(struct hark_partial_reader *r, json_t **obj,
    struct hark_err *err);
void hark_partial_close(struct hark_partial_reader *r);

#endif
