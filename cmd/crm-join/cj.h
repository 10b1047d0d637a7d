/*
 * cj.h - crm-join's customer export: the column mapping, the index of
 * normalized keys (only keys' hashes and file offsets are kept in memory:
 * a row is read again from the file when a mention matches it) and the
 * rows' checks.
 */
#ifndef CJ_H
#define CJ_H

#include <jansson.h>
#include "hark.h"
#include "err.h"
#include "opt.h"
#include "buf.h"
#include "csvrow.h"

/* Key kinds, strongest first: a mention matching several customers
 * keeps the one found by the strongest kind. */
enum cj_kind { CJ_HANDLE, CJ_EMAIL, CJ_PHONE, CJ_ORDER, CJ_CUSTOM, CJ_ID,
	CJ_NKINDS };

struct cj_col {
	char *name;	/* role or output name, e.g. "email", "segment" */
	char *col;	/* column header or member name */
	int pos;	/* 1-based column given by position, 0: by name */
	int idx;	/* resolved 0-based column, -1 */
	int kind;	/* enum cj_kind, or -1 for an output field */
	int type;	/* output field from CSV: CJ_STRING, CJ_NUMBER, CJ_BOOL */
	char *source;	/* handle.SOURCE: the source of a bare handle */
};

enum cj_type { CJ_STRING, CJ_NUMBER, CJ_BOOL };

struct cj_row {
	uint64_t off;
	uint32_t len;	/* bytes of the row; top bit: rejected later */
	uint32_t line;
};
#define CJ_ROW_BAD 0x80000000u

/* An index entry is a key's 61-bit hash with its kind in the top 3 bits
 * (in EH) and its row (in ER): 12 bytes, sorted together in place. */
#define CJ_KIND_SHIFT 61

struct cj_reject {
	uint64_t off;
	size_t len;
	long line;
	char *msg;
};

/* One row: CSV fields (borrowed from a struct hark_csvrow) or an NDJSON
 * object. */
struct cj_fields {
	char **f;
	size_t *len;
	size_t n;
	json_t *obj;
};

struct cj_export {
	char *path;
	int fd;
	int ndjson;
	int header;		/* CSV: the first row names the columns */
	struct cj_col *cols;
	size_t ncols;
	size_t ncolumns;	/* CSV fields a row must have */
	char **names;		/* CSV header (for --hash-export) */
	struct cj_row *rows;
	size_t nrows, caprows;
	uint64_t *eh;
	uint32_t *er;
	size_t nents, capents;
	struct cj_reject *rej;
	size_t nrej, caprej;
	const char *defcc;	/* default country code of bare phones */
	const unsigned char *salt;	/* --hash-keys: email/phone hashed */
	size_t saltlen;
	char *rowbuf;		/* reading rows back */
	size_t rowcap;
	struct cj_fields fetched;
	struct hark_csvrow reread;	/* parses rows read back */
	int have_reread;
	long fetched_row;
};

/* Parse the mapping "name=column,..." into EX (roles: id, email, phone,
 * handle, handle.SOURCE, order, custom; any other name is an output
 * field).  -1 with a usage error in ERR. */
int cj_map_parse(struct cj_export *ex, const char *spec,
    struct hark_err *err);
/* Open and index PATH.  Bad rows are collected in EX->rej (sorted by
 * line).  -1: the file cannot be used (ERR, code 1 or 2). */
int cj_load(struct cj_export *ex, const char *path, struct hark_err *err);
void cj_release(struct cj_export *ex);

/* The normalized (and, for e-mail and phone with a salt, hashed) form
 * of VALUE as a key of KIND into OUT; -1 when invalid.  SOURCE is the
 * mention's source for handles. */
int cj_key(const struct cj_export *ex, int kind, const char *source,
    const char *v, size_t n, char *out, size_t outsz);
/* Salted SHA-256 hex of the normalized key KEY into HEX (65 bytes). */
void cj_hash(const struct cj_export *ex, const char *key, char *hex);

/* Rows holding KEY (normalized) of KIND, into OUT (at most MAX, in
 * export order); returns how many. */
size_t cj_lookup(struct cj_export *ex, int kind, const char *key,
    uint32_t *out, size_t max);
/* Row ROW read back (borrowed until the next call); NULL on I/O error. */
const struct cj_fields *cj_fetch(struct cj_export *ex, uint32_t row);
/* Cell of column COL of F as a string (borrowed), NULL when absent. */
const char *cj_cell(const struct cj_export *ex, const struct cj_fields *f,
    const struct cj_col *col, size_t *len);
/* The customer object of F: id and the output fields (new reference). */
json_t *cj_customer(const struct cj_export *ex, const struct cj_fields *f);
/* The first e-mail cell value of F as written (borrowed), or NULL. */
const char *cj_first_email(const struct cj_export *ex,
    const struct cj_fields *f, size_t *len);
/* Write F with e-mail and phone values replaced by their salted hashes
 * (--hash-export) to FP: -1 with ERR when a value is invalid. */
int cj_write_hashed(struct cj_export *ex, const struct cj_fields *f,
    struct hark_buf *out, struct hark_err *err);
/* The CSV header line for --hash-export (empty for NDJSON). */
void cj_write_header(const struct cj_export *ex, struct hark_buf *out);

#endif
