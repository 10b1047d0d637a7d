/* csvrow.c - the streaming CSV row reader (see csvrow.h). */
#include <strings.h>
#include "csvrow.h"

#define CHUNK (64u << 10)

/* libcsv's parser states (libcsv.c), which skipping an over-long row
 * follows byte by byte */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

static int
is_term(unsigned char c)
{
	return c == '\n';
}

/* A CR before the LF (or anywhere unquoted) is blank, like ' ', '\t'. */
static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void
parser_init(struct hark_csvrow *r)
{
	csv_init(&r->p, (r->flags & HARK_CSVROW_STRICT ? CSV_STRICT |
	    CSV_STRICT_FINI : 0) | CSV_APPEND_NULL);
	csv_set_term_func(&r->p, is_term);
	csv_set_space_func(&r->p, is_space);
}

static void
parser_reset(struct hark_csvrow *r)
{
	csv_free(&r->p);
	parser_init(r);
}

void
hark_csvrow_init(struct hark_csvrow *r, struct hark_input *in,
    unsigned flags, size_t row_max)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->flags = flags;
	r->row_max = row_max > 0 ? row_max : HARK_CSVROW_MAX_DEFAULT;
	hark_buf_init(&r->raw, r->row_max);
	parser_init(r);
}

void
hark_csvrow_release(struct hark_csvrow *r)
{
	size_t i;

	for (i = 0; i < r->cap; i++)
		free(r->f[i]);
	free(r->f);
	free(r->len);
	free(r->fcap);
	free(r->chunk);
	csv_free(&r->p);
	hark_buf_release(&r->raw);
	memset(r, 0, sizeof(*r));
}

static void
cb_field(void *s, size_t len, void *data)
{
	struct hark_csvrow *r = data;

	if (r->n == HARK_CSVROW_FIELDS_MAX) {
		r->wide = 1;
		return;
	}
	if (r->n == r->cap) {
		size_t old = r->cap;

		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = hark_xrealloc(r->f, r->cap * sizeof(*r->f));
		r->len = hark_xrealloc(r->len, r->cap * sizeof(*r->len));
		r->fcap = hark_xrealloc(r->fcap, r->cap * sizeof(*r->fcap));
		memset(r->f + old, 0, (r->cap - old) * sizeof(*r->f));
		memset(r->fcap + old, 0, (r->cap - old) * sizeof(*r->fcap));
	}
	/* the buffers stay from row to row: no allocation per field */
	if (len + 1 > r->fcap[r->n]) {
		r->fcap[r->n] = len + 1 < 16 ? 16 : len + 1;
		free(r->f[r->n]);
		r->f[r->n] = hark_xmalloc(r->fcap[r->n]);
	}
	if (len > 0)
		memcpy(r->f[r->n], s, len);
	r->f[r->n][len] = '\0';
	r->len[r->n] = len;
	r->n++;
}

static void
cb_row(int c, void *data)
{
	(void)c;
	((struct hark_csvrow *)data)->done = 1;
}

/*
 * Bytes of S up to and including the row's end, or -1: it goes on.
 * libcsv's states followed without keeping anything (as in non-strict
 * mode: only where the row ends matters), so an over-long row is skipped
 * to the line break where libcsv would end it.
 */
static long
skip_row(struct hark_csvrow *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (r->sk_state) {
		case ROW_NOT_BEGUN:
		case FIELD_NOT_BEGUN:
			if (is_space(c))
				break;
			if (is_term(c))
				return (long)i + 1;
			if (c == ',') {
				r->sk_state = FIELD_NOT_BEGUN;
			} else {
				r->sk_state = FIELD_BEGUN;
				r->sk_quoted = c == '"';
			}
			break;
		case FIELD_BEGUN:
			if (c == '"' && r->sk_quoted) {
				r->sk_state = FIELD_MIGHT_HAVE_ENDED;
				r->sk_spaces = 0;
			} else if (!r->sk_quoted && c == ',') {
				r->sk_state = FIELD_NOT_BEGUN;
			} else if (!r->sk_quoted && is_term(c)) {
				return (long)i + 1;
			}
			break;
		default:	/* a quote inside a quoted field */
			if (c == ',') {
				r->sk_state = FIELD_NOT_BEGUN;
				r->sk_quoted = 0;
			} else if (is_term(c)) {
				return (long)i + 1;
			} else if (is_space(c)) {
				r->sk_spaces = 1;
			} else if (c == '"' && r->sk_spaces) {
				r->sk_spaces = 0;
			} else {
				r->sk_state = FIELD_BEGUN;
				r->sk_spaces = 0;
			}
		}
	}
	return -1;
}

static int
bad(struct hark_csvrow *r, int kind, struct hark_err *err)
{
	r->bad = kind;
	r->n = 0;
	switch (kind) {
	case HARK_CSVROW_TOOLONG:
		return hark_err_set(err, HARK_EXIT_DATA, "CSV row longer "
		    "than %zu bytes", r->row_max);
	case HARK_CSVROW_TOOWIDE:
		return hark_err_set(err, HARK_EXIT_DATA, "CSV row of more "
		    "than %d fields", HARK_CSVROW_FIELDS_MAX);
	case HARK_CSVROW_UNCLOSED:
		return hark_err_set(err, HARK_EXIT_DATA, "malformed CSV: a "
		    "quoted field is not closed");
	default:
		return hark_err_set(err, HARK_EXIT_DATA, "malformed CSV: %s",
		    csv_error(&r->p) == CSV_EPARSE ? "a quote inside a field "
		    "or after a quoted one" : csv_strerror(csv_error(&r->p)));
	}
}

/* Make sure a BOM split over reads is seen whole: -1 on a read error. */
static int
skip_bom(struct hark_csvrow *r, struct hark_err *err)
{
	static const char bom[3] = { '\xEF', '\xBB', '\xBF' };

	while (r->clen < 3 && r->clen > 0 && memcmp(r->chunk, bom,
	    r->clen) == 0) {
		long got = hark_input_read(r->in, r->chunk + r->clen, CHUNK -
		    r->clen, err);

		if (got < 0)
			return -1;
		if (got == 0)
			break;
		r->clen += (size_t)got;
	}
	if (r->clen >= 3 && memcmp(r->chunk, bom, 3) == 0)
		r->cpos = 3;
	return 0;
}

/* The end of the input: the last row, if any. */
static int
at_end(struct hark_csvrow *r, struct hark_err *err)
{
	if (r->ended)
		return 0;
	r->ended = 1;
	r->eol = r->lastc == '\n';
	if (r->skipping) {
		r->skipping = 0;
		return bad(r, HARK_CSVROW_TOOLONG, err);
	}
	if (r->size == 0)
		return 0;
	if (csv_fini(&r->p, cb_field, cb_row, r) != 0)
		return bad(r, HARK_CSVROW_UNCLOSED, err);
	if (r->done && r->wide)
		return bad(r, HARK_CSVROW_TOOWIDE, err);
	return r->done ? 1 : 0;
}

int
hark_csvrow_next(struct hark_csvrow *r, struct hark_err *err)
{
	int keep = (r->flags & HARK_CSVROW_RAW) || r->on_skip != NULL;

	r->n = 0;
	r->done = 0;
	r->wide = 0;
	r->size = 0;
	r->bad = HARK_CSVROW_IO;
	hark_buf_reset(&r->raw);
	if (r->chunk == NULL)
		r->chunk = hark_xmalloc(CHUNK);
	for (;;) {
		const char *seg, *nl;
		size_t n;
		uint64_t segoff;

		if (r->cpos == r->clen) {
			long got;

			if (r->ended)
				return at_end(r, err);
			got = hark_input_read(r->in, r->chunk, CHUNK, err);
			if (got <= 0) {
				if (got == 0)
					return at_end(r, err);
				r->ended = 1;
				r->n = 0;
				return -1;
			}
			r->abs += r->clen;
			r->cpos = 0;
			r->clen = (size_t)got;
			if (!r->started) {
				r->started = 1;
				if (skip_bom(r, err) < 0) {
					r->ended = 1;
					return -1;
				}
			}
			continue;
		}
		seg = r->chunk + r->cpos;
		nl = memchr(seg, '\n', r->clen - r->cpos);
		n = nl != NULL ? (size_t)(nl - seg) + 1 : r->clen - r->cpos;
		segoff = r->abs + r->cpos;
		r->cpos += n;
		r->lastc = seg[n - 1];
		if (r->skipping) {
			long end = skip_row(r, seg, n);

			r->size += n;
			r->lineno += nl != NULL;
			if (r->on_skip != NULL)
				r->on_skip(r->skip_arg, seg, n);
			if (end >= 0) {
				r->skipping = 0;
				r->eol = 1;
				return bad(r, HARK_CSVROW_TOOLONG, err);
			}
			continue;
		}
		if (r->size == 0) {
			r->off = segoff;
			r->line = r->lineno + 1;
		}
		if (r->size + n > r->row_max) {
			r->sk_state = r->p.pstate;
			r->sk_quoted = r->p.quoted;
			r->sk_spaces = r->p.spaces > 0;
			if (r->on_skip != NULL) {
				if (r->raw.len > 0)
					r->on_skip(r->skip_arg, r->raw.ptr,
					    r->raw.len);
				r->on_skip(r->skip_arg, seg, n);
			}
			hark_buf_reset(&r->raw);
			parser_reset(r);
			r->n = 0;
			r->done = 0;
			r->wide = 0;
			r->size += n;
			r->lineno += nl != NULL;
			if (skip_row(r, seg, n) >= 0) {
				r->eol = 1;
				return bad(r, HARK_CSVROW_TOOLONG, err);
			}
			r->skipping = 1;
			continue;
		}
		if (keep)
			(void)hark_buf_add(&r->raw, seg, n);
		r->size += n;
		r->lineno += nl != NULL;
		if (csv_parse(&r->p, seg, n, cb_field, cb_row, r) != n) {
			/* the rest of this line belongs to the bad row */
			bad(r, HARK_CSVROW_MALFORMED, err);
			parser_reset(r);
			r->wide = 0;
			r->eol = nl != NULL;
			return -1;
		}
		if (!r->done) {
			/* blank lines between rows are nobody's */
			if (r->p.pstate == ROW_NOT_BEGUN) {
				r->size = 0;
				hark_buf_reset(&r->raw);
			}
			continue;
		}
		r->eol = 1;
		if (r->wide)
			return bad(r, HARK_CSVROW_TOOWIDE, err);
		return 1;
	}
}

int
hark_csvrow_parse(struct hark_csvrow *r, const char *s, size_t n,
    struct hark_err *err)
{
	r->n = 0;
	r->done = 0;
	r->wide = 0;
	parser_reset(r);
	if (csv_parse(&r->p, s, n, cb_field, cb_row, r) != n) {
		bad(r, HARK_CSVROW_MALFORMED, err);
		parser_reset(r);
		return -1;
	}
	if (!r->done && csv_fini(&r->p, cb_field, cb_row, r) != 0) {
		bad(r, HARK_CSVROW_UNCLOSED, err);
		parser_reset(r);
		return -1;
	}
	parser_reset(r);
	if (r->wide)
		return bad(r, HARK_CSVROW_TOOWIDE, err);
	return 0;
}

long
hark_csvrow_column(const struct hark_csvrow *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i], name) == 0)
			return (long)i;
	return -1;
}

const char *const hark_csvrole_names[HARK_CSVROLE_N] = { "ticket", "id",
	"parent", "ts", "event", "inbound", "author", "is_brand", "status",
	"channel", "queue", "agent", "priority", "category", "language",
	"brand", "text", "public", "automated" };

int
hark_csvrole_of(const char *s, size_t n)
{
	int i;

	if (n == 6 && strncmp(s, "source", 6) == 0)
		return HARK_CSVROLE_CHANNEL;
	if (n == 4 && strncmp(s, "lang", 4) == 0)
		return HARK_CSVROLE_LANGUAGE;
	if (n == 4 && (strncmp(s, "time", 4) == 0 ||
	    strncmp(s, "date", 4) == 0))
		return HARK_CSVROLE_TS;
	if (n == 12 && strncmp(s, "conversation", 12) == 0)
		return HARK_CSVROLE_TICKET;
	for (i = 0; i < HARK_CSVROLE_N; i++)
		if (strlen(hark_csvrole_names[i]) == n &&
		    strncmp(s, hark_csvrole_names[i], n) == 0)
			return i;
	return -1;
}

void
hark_csvmap_release(struct hark_csvmap *m)
{
	int i;

	for (i = 0; i < HARK_CSVROLE_N; i++) {
		free(m->col[i]);
		m->col[i] = NULL;
	}
}

int
hark_csvmap_parse(struct hark_csvmap *m, const char *spec,
    struct hark_err *err)
{
	const char *p = spec;
	int i;

	for (i = 0; i < HARK_CSVROLE_N; i++) {
		m->col[i] = NULL;
		m->idx[i] = -1;
	}
	while (*p != '\0') {
		const char *eq, *end;
		int r;

		end = p + strcspn(p, ",");
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL || eq == p || eq + 1 == end) {
			hark_csvmap_release(m);
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "expected ROLE=COLUMN, not '%.*s'", (int)(end - p),
			    p);
		}
		if ((r = hark_csvrole_of(p, (size_t)(eq - p))) < 0) {
			hark_csvmap_release(m);
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "unknown role '%.*s'", (int)(eq - p), p);
		}
		free(m->col[r]);
		m->col[r] = hark_xstrndup(eq + 1, (size_t)(end - eq - 1));
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

int
hark_csvmap_header(struct hark_csvmap *m, const struct hark_csvrow *r,
    struct hark_err *err)
{
	int i;

	for (i = 0; i < HARK_CSVROLE_N; i++) {
		long k;

		m->idx[i] = -1;
		if (m->col[i] == NULL)
			continue;
		if ((k = hark_csvrow_column(r, m->col[i])) < 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "no column "
			    "'%s' for '%s' in the header", m->col[i],
			    hark_csvrole_names[i]);
		m->idx[i] = (int)k;
	}
	return 0;
}

const char *
hark_csvmap_get(const struct hark_csvmap *m, const struct hark_csvrow *r,
    int role)
{
	int i = m->idx[role];

	if (i < 0 || (size_t)i >= r->n || r->f[i][0] == '\0')
		return NULL;
	return r->f[i];
}

int
hark_csv_bool(const char *s)
{
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcmp(s, "1") == 0 || strcasecmp(s, "t") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
	    strcmp(s, "0") == 0 || strcasecmp(s, "f") == 0)
		return 0;
	return -1;
}

/* An over-long row's bytes, to --rejects as they stream past. */
static void
skip_to_rejects(void *arg, const char *p, size_t n)
{
	(void)hark_output_write(arg, p, n);
}

int
hark_csvrow_file(const struct hark_csvfile *cf, const char *path,
    struct hark_err *err)
{
	struct hark_input in;
	struct hark_csvrow r;
	int rc, status = 0;

	if (hark_input_open(&in, path, err) < 0)
		return -1;
	hark_csvrow_init(&r, &in, cf->flags, cf->row_max);
	if (cf->rej != NULL) {
		r.on_skip = skip_to_rejects;
		r.skip_arg = cf->rej;
	}
	while ((cf->stop == NULL || !*cf->stop) &&
	    (rc = hark_csvrow_next(&r, err)) != 0) {
		/* a last row without a line break gets one in --rejects */
		if (!r.eol && (cf->flags & HARK_CSVROW_RAW))
			(void)hark_buf_addch(&r.raw, '\n');
		if (rc > 0) {
			cf->row(cf->arg, in.name, &r);
			continue;
		}
		if (r.bad == HARK_CSVROW_IO) {
			status = -1;
			break;
		}
		if (r.bad == HARK_CSVROW_TOOLONG) {
			if (cf->rej != NULL) {
				if (!r.eol)
					(void)hark_output_write(cf->rej, "\n",
					    1);
				(void)hark_output_end_record(cf->rej);
			}
			cf->bad(cf->arg, in.name, r.line, NULL, 0, err);
		} else
			cf->bad(cf->arg, in.name, r.line, r.raw.ptr, r.raw.len,
			    err);
	}
	if (cf->end != NULL)
		cf->end(cf->arg, in.name);
	hark_csvrow_release(&r);
	hark_input_close(&in);
	return status;
}
