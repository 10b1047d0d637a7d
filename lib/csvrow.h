/*
 * csvrow.h - the suite's one streaming CSV row reader (libcsv underneath).
 *
 * Rows are read from a struct hark_input (lib/io.h: a file, stdin, gzip
 * read transparently) one at a time, each with its fields, the number of
 * its first line (for FILE:LINE messages), the byte offset of its first
 * byte and its size in the stream as read (after decompression), so a
 * caller can read a row again later (crm-join's index) or copy it to
 * --rejects as it was, CRLF and all.
 *
 * The dialect: RFC 4180 ('"' quotes a field, '""' is a quote inside one,
 * a quoted field may hold ',', CR and line breaks); a row ends at LF,
 * a CR before it is blank; spaces, tabs and CRs around a field that is
 * not quoted are dropped; blank lines between rows are skipped (they
 * belong to no row and count as lines); a UTF-8 BOM at the start of the
 * stream is skipped (the first row starts after it); a last row without
 * a line break is a row.  The reader does not know about headers: the
 * first row is a row like the others (hark_csvrow_column() finds a name
 * in it).
 *
 * Errors are returned, never printed.  A bad row does not stop the
 * reader: the next call reads the row after it.  Memory is bounded by
 * ROW_MAX: a longer row is reported (HARK_CSVROW_TOOLONG) when its end
 * has been found, without its bytes being kept; its bytes pass through
 * ON_SKIP as they stream past, for a caller that copies it to --rejects.
 * A row of more than HARK_CSVROW_FIELDS_MAX fields is a bad row too
 * (HARK_CSVROW_TOOWIDE), so a row of commas cannot take 40 bytes per byte.
 *
 * Not thread-safe; one reader per stream.
 */
#ifndef HARK_CSVROW_H
#define HARK_CSVROW_H

#include <stdint.h>
#include <csv.h>
#include "hark.h"
#include "err.h"
#include "buf.h"
#include "io.h"

enum hark_csvrow_flags {
	/* RFC 4180 strictly: a quote inside a field that is not quoted or
	 * after a closing quote (malformed), and a quoted field still open
	 * at the end of the input (unclosed) are bad rows.  Without it they
	 * are read as they stand (the quote as a character, the field up to
	 * the end), for exports known to hold stray quotes. */
	HARK_CSVROW_STRICT = 1 << 0,
	/* Keep each row's bytes in ->raw (else only off and size). */
	HARK_CSVROW_RAW = 1 << 1
};

/* Why hark_csvrow_next() returned -1 (->bad). */
enum hark_csvrow_bad {
	HARK_CSVROW_IO = 0,		/* a read error: the reader is done */
	HARK_CSVROW_MALFORMED,		/* STRICT: a quote out of place */
	HARK_CSVROW_UNCLOSED,		/* STRICT: a quoted field not closed */
	HARK_CSVROW_TOOLONG,		/* longer than ROW_MAX bytes */
	HARK_CSVROW_TOOWIDE		/* more than FIELDS_MAX fields */
};

#define HARK_CSVROW_MAX_DEFAULT (8u << 20)
/* Fields a row may have (a spreadsheet has at most 16384 columns). */
#define HARK_CSVROW_FIELDS_MAX 65536

struct hark_csvrow {
	/* The current row (borrowed, valid until the next call): N fields,
	 * F[i] NUL-terminated, LEN[i] bytes (a field may hold a NUL). */
	char **f;
	size_t *len;
	size_t n;
	long line;		/* its first line, from 1 */
	uint64_t off;		/* its first byte in the stream */
	uint64_t size;		/* its bytes, the line end included */
	int eol;		/* its bytes end with a line break */
	struct hark_buf raw;	/* its bytes (HARK_CSVROW_RAW; empty for a
				 * TOOLONG row) */
	int bad;		/* enum hark_csvrow_bad after a -1 */
	/* Optional: the bytes of an over-long row as they go past. */
	void (*on_skip)(void *arg, const char *p, size_t n);
	void *skip_arg;

	/* private */
	struct hark_input *in;
	unsigned flags;
	size_t row_max;
	struct csv_parser p;
	size_t cap, *fcap;
	int done, wide;
	char *chunk;
	size_t cpos, clen;
	uint64_t abs;		/* stream offset of chunk[0] */
	long lineno;		/* line breaks consumed */
	int started, ended;
	char lastc;		/* the last byte consumed */
	int skipping;
	int sk_state, sk_quoted, sk_spaces;
};

/*
 * Start reading IN (borrowed: opened and closed by the caller) with
 * FLAGS (enum hark_csvrow_flags); rows longer than ROW_MAX bytes (0:
 * HARK_CSVROW_MAX_DEFAULT) are bad rows.  Never fails.
 */
void hark_csvrow_init(struct hark_csvrow *r, struct hark_input *in,
    unsigned flags, size_t row_max);

/*
 * Read the next row into R's public members.  1: a row; 0: the end of
 * the input; -1: ERR says why and R->bad which kind.  For a bad row
 * (R->bad != HARK_CSVROW_IO, err->code HARK_EXIT_DATA) line, off, size,
 * eol (and raw, except for TOOLONG) describe it and the next call reads
 * on.  For HARK_CSVROW_IO (err->code as hark_input_read() sets it) the
 * row being read is lost and the next call returns 0.
 */
int hark_csvrow_next(struct hark_csvrow *r, struct hark_err *err);

/*
 * Parse the N bytes S as one whole row (a row read again by its offset
 * and size) into R's fields; R needs only hark_csvrow_init() (IN may be
 * NULL).  0, or -1 with ERR (R->bad) when S does not hold a valid row.
 */
int hark_csvrow_parse(struct hark_csvrow *r, const char *s, size_t n,
    struct hark_err *err);

/*
 * A command's loop over one CSV operand, the same for every command that
 * reads CSV: hark_csvrow_file() opens PATH ("-": standard input; gzip
 * read transparently), reads it with FLAGS and ROW_MAX and calls
 *   ROW(ARG, FILE, R) for each good row (FILE the name for messages; R's
 *       raw bytes, with HARK_CSVROW_RAW, end with a line break: one is
 *       added to a last row without one);
 *   BAD(ARG, FILE, LINE, RAW, LEN, ERR) for each bad row: RAW its bytes
 *       with a line break, or NULL for a row longer than ROW_MAX, whose
 *       bytes went to REJ (when not NULL) as they streamed past, with a
 *       line break and hark_output_end_record() after them.
 *   END(ARG, FILE), when not NULL, after the last row (also after a
 *       read error or a stop).
 * Before each row it looks at *STOP (when not NULL) and ends when it is
 * set.  Returns 0, or -1 with ERR when PATH cannot be opened (code 1) or
 * reading fails (code 1; 3 for damaged compressed data).
 */
struct hark_csvfile {
	unsigned flags;			/* enum hark_csvrow_flags */
	size_t row_max;			/* 0: HARK_CSVROW_MAX_DEFAULT */
	struct hark_output *rej;	/* --rejects, or NULL */
	const int *stop;		/* or NULL */
	void (*row)(void *arg, const char *file, struct hark_csvrow *r);
	void (*bad)(void *arg, const char *file, long line, const char *raw,
	    size_t len, struct hark_err *err);
	void (*end)(void *arg, const char *file);
	void *arg;
};
int hark_csvrow_file(const struct hark_csvfile *cf, const char *path,
    struct hark_err *err);

/* The index of the first field of the current row equal to NAME, or -1. */
long hark_csvrow_column(const struct hark_csvrow *r, const char *name);

/* Free what R holds (not IN). */
void hark_csvrow_release(struct hark_csvrow *r);

/*
 * Column maps: the roles of a helpdesk or social-care export's columns,
 * "role=column,..." (sla-report --map, hark-train --map).  Roles:
 * ticket (or conversation), id, parent, ts (or time, date), event,
 * inbound, author, is_brand, status, channel (or source), queue, agent,
 * priority, category, language (or lang), brand, text, public,
 * automated.  What a command requires of a map it checks itself.
 */
enum hark_csvrole {
	HARK_CSVROLE_TICKET, HARK_CSVROLE_ID, HARK_CSVROLE_PARENT,
	HARK_CSVROLE_TS, HARK_CSVROLE_EVENT, HARK_CSVROLE_INBOUND,
	HARK_CSVROLE_AUTHOR, HARK_CSVROLE_IS_BRAND, HARK_CSVROLE_STATUS,
	HARK_CSVROLE_CHANNEL, HARK_CSVROLE_QUEUE, HARK_CSVROLE_AGENT,
	HARK_CSVROLE_PRIORITY, HARK_CSVROLE_CATEGORY, HARK_CSVROLE_LANGUAGE,
	HARK_CSVROLE_BRAND, HARK_CSVROLE_TEXT, HARK_CSVROLE_PUBLIC,
	HARK_CSVROLE_AUTOMATED,
	HARK_CSVROLE_N
};

/* The roles' names, as HARK_CSVROLE_* index them. */
extern const char *const hark_csvrole_names[HARK_CSVROLE_N];

struct hark_csvmap {
	char *col[HARK_CSVROLE_N];	/* column names (owned) or NULL */
	int idx[HARK_CSVROLE_N];	/* their index in the header, or -1 */
};

/* The role named by the N bytes S (aliases included), or -1. */
int hark_csvrole_of(const char *s, size_t n);

/* Parse SPEC into M (initialised here; release it).  -1 with a usage
 * error in ERR ("--map: ...") when a part is not ROLE=COLUMN or names
 * no role; M is then released. */
int hark_csvmap_parse(struct hark_csvmap *m, const char *spec,
    struct hark_err *err);
void hark_csvmap_release(struct hark_csvmap *m);

/* Find every mapped column in the header row R.  -1 with ERR ("no
 * column 'C' for 'ROLE' in the header", code 2) when one is missing. */
int hark_csvmap_header(struct hark_csvmap *m, const struct hark_csvrow *r,
    struct hark_err *err);

/* The cell of ROLE in row R (borrowed), NULL when the role is not mapped,
 * the row is short or the cell empty. */
const char *hark_csvmap_get(const struct hark_csvmap *m,
    const struct hark_csvrow *r, int role);

/* "true", "yes", "1", "t" (any case) 1; "false", "no", "0", "f" 0; else
 * -1: the booleans of helpdesk exports. */
int hark_csv_bool(const char *s);

#endif
