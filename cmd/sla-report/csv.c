/* csv.c - helpdesk/TWCS CSV exports read through libcsv with a column
 * mapping ("role=column,..."), each row made into a record for
 * sr_ingest. */
#include <csv.h>
#include <ctype.h>
#include <strings.h>
#include "sr.h"
#include "buf.h"
#include "ndjson.h"
#include "filter.h"

enum role { R_TICKET, R_ID, R_PARENT, R_TS, R_EVENT, R_INBOUND, R_AUTHOR,
	R_IS_BRAND, R_STATUS, R_CHANNEL, R_QUEUE, R_AGENT, R_PRIORITY,
	R_CATEGORY, R_LANGUAGE, R_BRAND, R_TEXT, R_PUBLIC, R_AUTOMATED,
	R_NROLES };

static const char *const role_names[R_NROLES] = { "ticket", "id", "parent",
	"ts", "event", "inbound", "author", "is_brand", "status", "channel",
	"queue", "agent", "priority", "category", "language", "brand", "text",
	"public", "automated" };

struct rolemap {
	char *col[R_NROLES];	/* column names (owned) or NULL */
	int idx[R_NROLES];	/* column index, -1 */
};

static int
role_of(const char *s, size_t n)
{
	int i;

	if (n == 6 && strncmp(s, "source", 6) == 0)
		return R_CHANNEL;
	if (n == 4 && strncmp(s, "lang", 4) == 0)
		return R_LANGUAGE;
	if (n == 4 && (strncmp(s, "time", 4) == 0 ||
	    strncmp(s, "date", 4) == 0))
		return R_TS;
	if (n == 12 && strncmp(s, "conversation", 12) == 0)
		return R_TICKET;
	for (i = 0; i < R_NROLES; i++)
		if (strlen(role_names[i]) == n && strncmp(s, role_names[i],
		    n) == 0)
			return i;
	return -1;
}

static void
map_release(struct rolemap *m)
{
	int i;

	for (i = 0; i < R_NROLES; i++)
		free(m->col[i]);
}

static int
map_parse(const char *spec, struct rolemap *m, struct hark_err *err)
{
	const char *p = spec;
	int i;

	for (i = 0; i < R_NROLES; i++) {
		m->col[i] = NULL;
		m->idx[i] = -1;
	}
	while (*p != '\0') {
		const char *eq, *end;
		int r;

		end = p + strcspn(p, ",");
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL || eq == p || eq + 1 == end) {
			map_release(m);
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "expected ROLE=COLUMN, not '%.*s'", (int)(end - p),
			    p);
		}
		if ((r = role_of(p, (size_t)(eq - p))) < 0) {
			map_release(m);
			return hark_err_set(err, HARK_EXIT_USAGE, "--map: "
			    "unknown role '%.*s'", (int)(eq - p), p);
		}
		free(m->col[r]);
		m->col[r] = hark_xstrndup(eq + 1, (size_t)(end - eq - 1));
		p = *end == ',' ? end + 1 : end;
	}
	if (m->col[R_TS] == NULL || (m->col[R_ID] == NULL &&
	    (m->col[R_TICKET] == NULL || m->col[R_EVENT] == NULL))) {
		map_release(m);
		return hark_err_set(err, HARK_EXIT_USAGE, "--map: needs 'ts' "
		    "and either 'id' (messages) or 'ticket' and 'event' "
		    "(events)");
	}
	if (m->col[R_ID] != NULL && m->col[R_EVENT] == NULL &&
	    m->col[R_INBOUND] == NULL && m->col[R_IS_BRAND] == NULL) {
		map_release(m);
		return hark_err_set(err, HARK_EXIT_USAGE, "--map: messages "
		    "need 'inbound' or 'is_brand' to tell customers from the "
		    "brand");
	}
	return 0;
}

int
sr_csv_check_map(const char *map, struct hark_err *err)
{
	struct rolemap m;

	if (map_parse(map, &m, err) != 0)
		return -1;
	map_release(&m);
	return 0;
}

struct row {
	char **f;
	size_t *len;
	size_t n, cap;
	int done;
};

static void
cb_field(void *s, size_t len, void *data)
{
	struct row *r = data;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = hark_xrealloc(r->f, r->cap * sizeof(*r->f));
		r->len = hark_xrealloc(r->len, r->cap * sizeof(*r->len));
	}
	r->f[r->n] = hark_xstrndup(s != NULL ? s : "", len);
	r->len[r->n] = len;
	r->n++;
}

static void
cb_row(int c, void *data)
{
	(void)c;
	((struct row *)data)->done = 1;
}

static void
row_clear(struct row *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
	r->done = 0;
}

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

/*
 * Where a row ends, without keeping it: libcsv's own states (libcsv.c,
 * non-strict mode) followed byte by byte, so that an over-long row is
 * copied to --rejects whole and the next row starts where libcsv would
 * start it.
 */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED };

struct rowskip {
	int state, quoted, spaces;
};

/* Bytes of S up to and including the row's end, or -1: it goes on. */
static long
skip_row(struct rowskip *k, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (k->state) {
		case ROW_NOT_BEGUN:
		case FIELD_NOT_BEGUN:
			if (is_space(c))
				break;
			if (is_term(c))
				return (long)i + 1;
			if (c == ',') {
				k->state = FIELD_NOT_BEGUN;
			} else {
				k->state = FIELD_BEGUN;
				k->quoted = c == '"';
			}
			break;
		case FIELD_BEGUN:
			if (c == '"' && k->quoted) {
				k->state = FIELD_MIGHT_HAVE_ENDED;
				k->spaces = 0;
			} else if (!k->quoted && c == ',') {
				k->state = FIELD_NOT_BEGUN;
			} else if (!k->quoted && is_term(c)) {
				return (long)i + 1;
			}
			break;
		default:	/* a quote inside a quoted field */
			if (c == ',') {
				k->state = FIELD_NOT_BEGUN;
				k->quoted = 0;
			} else if (is_term(c)) {
				return (long)i + 1;
			} else if (is_space(c)) {
				k->spaces = 1;
			} else if (c == '"' && k->spaces) {
				k->spaces = 0;
			} else {
				k->state = FIELD_BEGUN;
				k->spaces = 0;
			}
		}
	}
	return -1;
}

/* "3.0" -> "3": TWCS writes reply ids as floats. */
static json_t *
id_value(const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	if (i > 0 && n > i + 1 && s[i] == '.') {
		size_t k;

		for (k = i + 1; k < n && s[k] == '0'; k++)
			;
		if (k == n)
			return json_stringn(s, i);
	}
	return json_string(s);
}

static int
boolval(const char *s, int *out)
{
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcmp(s, "1") == 0 || strcasecmp(s, "t") == 0)
		*out = 1;
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
	    strcmp(s, "0") == 0 || strcasecmp(s, "f") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static const char *
rget(const struct row *r, const struct rolemap *m, int role)
{
	int i = m->idx[role];

	if (i < 0 || (size_t)i >= r->n || r->f[i][0] == '\0')
		return NULL;
	return r->f[i];
}

static json_t *
row_record(const struct row *r, const struct rolemap *m, struct hark_err *err)
{
	static const struct { int role; const char *key; } plain[] = {
		{ R_CHANNEL, "channel" }, { R_QUEUE, "queue" },
		{ R_AGENT, "agent" }, { R_PRIORITY, "priority" },
		{ R_CATEGORY, "category" }, { R_LANGUAGE, "lang" },
		{ R_BRAND, "brand" }, { R_TEXT, "text" },
		{ R_STATUS, "status" },
	};
	json_t *o = json_object();
	const char *v;
	size_t i;
	int b;

	for (i = 0; i < HARK_ARRAY_SIZE(plain); i++)
		if ((v = rget(r, m, plain[i].role)) != NULL)
			json_object_set_new(o, plain[i].key, json_string(v));
	if ((v = rget(r, m, R_AUTOMATED)) != NULL && boolval(v, &b) == 0)
		json_object_set_new(o, "automated", json_boolean(b));
	if ((v = rget(r, m, R_PUBLIC)) != NULL && boolval(v, &b) == 0)
		json_object_set_new(o, "public", json_boolean(b));
	if ((v = rget(r, m, R_TS)) != NULL)
		json_object_set_new(o, m->idx[R_EVENT] >= 0 ? "ts" :
		    "created_at", json_string(v));
	if (m->idx[R_EVENT] >= 0) {
		if ((v = rget(r, m, R_EVENT)) == NULL) {
			json_decref(o);
			hark_err_set(err, HARK_EXIT_DATA, "empty '%s' column",
			    m->col[R_EVENT]);
			return NULL;
		}
		json_object_set_new(o, "event", json_string(v));
		if ((v = rget(r, m, R_TICKET)) != NULL)
			json_object_set_new(o, "ticket", id_value(v));
		return o;
	}
	{
		json_t *author = json_object(), *thread = json_object();
		int brand = 0;

		if ((v = rget(r, m, R_ID)) == NULL) {
			json_decref(o);
			json_decref(author);
			json_decref(thread);
			hark_err_set(err, HARK_EXIT_DATA, "empty '%s' column",
			    m->col[R_ID]);
			return NULL;
		}
		json_object_set_new(o, "id", id_value(v));
		if ((v = rget(r, m, R_AUTHOR)) != NULL)
			json_object_set_new(author, "handle", json_string(v));
		if (m->idx[R_IS_BRAND] >= 0)
			v = rget(r, m, R_IS_BRAND);
		else
			v = rget(r, m, R_INBOUND);
		if (v == NULL || boolval(v, &brand) != 0) {
			char clean[64];

			json_decref(o);
			json_decref(author);
			json_decref(thread);
			hark_err_set(err, HARK_EXIT_DATA, "'%s' is not "
			    "true/false: '%s'", m->idx[R_IS_BRAND] >= 0 ?
			    m->col[R_IS_BRAND] : m->col[R_INBOUND],
			    v != NULL ? hark_sanitize(clean, sizeof(clean), v,
			    strlen(v)) : "");
			return NULL;
		}
		if (m->idx[R_IS_BRAND] < 0)
			brand = !brand;
		json_object_set_new(author, "is_brand", json_boolean(brand));
		if (brand && rget(r, m, R_BRAND) == NULL &&
		    (v = rget(r, m, R_AUTHOR)) != NULL)
			json_object_set_new(o, "brand", json_string(v));
		json_object_set_new(o, "author", author);
		if ((v = rget(r, m, R_PARENT)) != NULL)
			json_object_set_new(thread, "parent_id", id_value(v));
		if ((v = rget(r, m, R_TICKET)) != NULL)
			json_object_set_new(thread, "root_id", id_value(v));
		json_object_set_new(o, "thread", thread);
	}
	return o;
}

struct csvrun {
	struct sr_ctx *x;
	const struct hark_common *c;
	struct rolemap m;
	struct hark_output rej;
	int have_rej;
	int status;
	int stop;
	long rows, rejected;
};

static void
reject(struct csvrun *cr, const char *file, long line, const char *raw,
    size_t len, struct hark_err *err)
{
	hark_report_data_error(file, line, err);
	cr->rejected++;
	if (cr->have_rej && raw != NULL) {
		hark_output_write(&cr->rej, raw, len);
		hark_output_end_record(&cr->rej);
	}
	if (!cr->c->skip_invalid)
		cr->status = hark_exit_merge(cr->status, HARK_EXIT_DATA);
	if (cr->c->strict)
		cr->stop = 1;
}

static int
header(struct csvrun *cr, const struct row *r, const char *file)
{
	int i;
	size_t k;

	for (i = 0; i < R_NROLES; i++) {
		if (cr->m.col[i] == NULL)
			continue;
		cr->m.idx[i] = -1;
		for (k = 0; k < r->n; k++) {
			const char *h = r->f[k];

			/* a UTF-8 BOM before the first name */
			if (k == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
				h += 3;
			if (strcmp(h, cr->m.col[i]) == 0) {
				cr->m.idx[i] = (int)k;
				break;
			}
		}
		if (cr->m.idx[i] < 0) {
			hark_error("%s: no column '%s' for '%s' in the header",
			    file, cr->m.col[i], role_names[i]);
			return -1;
		}
	}
	return 0;
}

static void
parser_reset(struct csv_parser *p)
{
	csv_free(p);
	csv_init(p, CSV_APPEND_NULL);
	csv_set_term_func(p, is_term);
	csv_set_space_func(p, is_space);
}

/* A complete row R (its bytes in RAW) from line ROWLINE. */
static void
one_row(struct csvrun *cr, const char *file, long rowline, struct row *r,
    const struct hark_buf *raw, long *nrow)
{
	struct hark_err err = HARK_ERR_INIT;

	if ((*nrow)++ == 0) {
		if (header(cr, r, file) != 0) {
			cr->status = hark_exit_merge(cr->status,
			    HARK_EXIT_USAGE);
			cr->stop = 1;
		} else if (cr->have_rej) {
			hark_output_write(&cr->rej, raw->ptr, raw->len);
		}
	} else {
		json_t *rec = row_record(r, &cr->m, &err);

		cr->rows++;
		cr->x->cur_file = file;
		cr->x->cur_line = rowline;
		if (rec == NULL || sr_ingest(cr->x, rec, &err) != 0)
			reject(cr, file, rowline, raw->ptr, raw->len, &err);
		json_decref(rec);
	}
}

/*
 * Read one CSV operand.  Bytes are taken as they come (not through the
 * NDJSON line reader): a quoted field may hold blank lines and CRs, and
 * a rejected row goes to --rejects exactly as it was, CRLF and all.  A
 * row longer than ROW_MAX is reported, copied to --rejects byte for byte
 * as it streams past, and skipped; memory stays bounded by ROW_MAX.
 */
#define ROW_MAX (8u << 20)
#define CHUNK (64u << 10)

static void
one_csv(struct csvrun *cr, const char *path)
{
	struct hark_input in;
	struct hark_err err = HARK_ERR_INIT;
	struct csv_parser p;
	struct row r = { NULL, NULL, 0, 0, 0 };
	struct hark_buf raw;
	struct rowskip skip = { 0, 0, 0 };
	char *chunk;
	long got = 0, lineno = 0, rowline = 1, nrow = 0;
	int skipping = 0;

	if (hark_input_open(&in, path, &err) < 0) {
		hark_error("%s", err.msg);
		cr->status = hark_exit_merge(cr->status, HARK_EXIT_FAILURE);
		return;
	}
	chunk = hark_xmalloc(CHUNK);
	hark_buf_init(&raw, ROW_MAX);
	csv_init(&p, CSV_APPEND_NULL);
	parser_reset(&p);
	while (!cr->stop && (got = hark_input_read(&in, chunk, CHUNK,
	    &err)) > 0) {
		size_t off = 0;

		while (off < (size_t)got && !cr->stop) {
			const char *seg = chunk + off;
			const char *nl = memchr(seg, '\n', (size_t)got - off);
			size_t n = nl != NULL ? (size_t)(nl - seg) + 1 :
			    (size_t)got - off;
			long end;

			off += n;
			if (skipping) {
				end = skip_row(&skip, seg, n);
				if (cr->have_rej)
					hark_output_write(&cr->rej, seg, n);
				lineno += nl != NULL;
				if (end >= 0) {
					skipping = 0;
					if (cr->have_rej)
						hark_output_end_record(
						    &cr->rej);
				}
				continue;
			}
			if (raw.len == 0)
				rowline = lineno + 1;
			if (raw.len + n > ROW_MAX) {
				hark_err_set(&err, HARK_EXIT_DATA, "CSV row "
				    "longer than %u bytes", ROW_MAX);
				reject(cr, in.name, rowline, NULL, 0, &err);
				skip.state = p.pstate;
				skip.quoted = p.quoted;
				skip.spaces = p.spaces > 0;
				if (cr->have_rej) {
					hark_output_write(&cr->rej, raw.ptr,
					    raw.len);
					hark_output_write(&cr->rej, seg, n);
				}
				hark_buf_reset(&raw);
				row_clear(&r);
				parser_reset(&p);
				lineno += nl != NULL;
				if (skip_row(&skip, seg, n) < 0)
					skipping = 1;
				else if (cr->have_rej)
					hark_output_end_record(&cr->rej);
				continue;
			}
			(void)hark_buf_add(&raw, seg, n);
			lineno += nl != NULL;
			if (csv_parse(&p, seg, n, cb_field, cb_row, &r) != n) {
				hark_err_set(&err, HARK_EXIT_DATA, "malformed "
				    "CSV: %s", csv_strerror(csv_error(&p)));
				reject(cr, in.name, rowline, raw.ptr, raw.len,
				    &err);
				hark_buf_reset(&raw);
				row_clear(&r);
				parser_reset(&p);
				continue;
			}
			if (!r.done) {
				/* blank lines between rows are nobody's */
				if (p.pstate == ROW_NOT_BEGUN)
					hark_buf_reset(&raw);
				continue;
			}
			one_row(cr, in.name, rowline, &r, &raw, &nrow);
			hark_buf_reset(&raw);
			row_clear(&r);
		}
	}
	if (got < 0) {
		hark_error("%s", err.msg);
		cr->status = hark_exit_merge(cr->status, err.code ==
		    HARK_EXIT_DATA ? HARK_EXIT_DATA : HARK_EXIT_FAILURE);
	} else if (!cr->stop && !skipping) {
		/* a last row without a line break */
		csv_fini(&p, cb_field, cb_row, &r);
		if (r.done) {
			if (raw.len > 0 && raw.ptr[raw.len - 1] != '\n')
				(void)hark_buf_addch(&raw, '\n');
			one_row(cr, in.name, rowline, &r, &raw, &nrow);
		}
	} else if (skipping && cr->have_rej) {
		hark_output_write(&cr->rej, "\n", 1);
		hark_output_end_record(&cr->rej);
	}
	row_clear(&r);
	free(r.f);
	free(r.len);
	csv_free(&p);
	free(chunk);
	hark_buf_release(&raw);
	hark_input_close(&in);
}

int
sr_csv_run(struct sr_ctx *x, const struct hark_common *c, const char *map,
    int argc, char **argv, struct hark_output *out)
{
	struct csvrun cr;
	struct hark_err err = HARK_ERR_INIT;
	int i;

	(void)out;
	memset(&cr, 0, sizeof(cr));
	cr.x = x;
	cr.c = c;
	if (map_parse(map, &cr.m, &err) != 0)
		hark_die(HARK_EXIT_USAGE, "%s", err.msg);
	if (c->rejects != NULL) {
		if (hark_output_open(&cr.rej, c->rejects, 0, &err) < 0)
			hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
		cr.have_rej = 1;
	}
	if (argc == 0)
		one_csv(&cr, "-");
	for (i = 0; i < argc && !cr.stop; i++)
		one_csv(&cr, argv[i]);
	if (c->verbose)
		fprintf(stderr, "%s: %ld rows read, %ld rejected\n",
		    hark_progname, cr.rows, cr.rejected);
	if (cr.rejected > 0 && c->skip_invalid)
		hark_warn("%ld rows skipped", cr.rejected);
	if (cr.have_rej && hark_output_close(&cr.rej, 1, &err) < 0) {
		hark_error("%s", err.msg);
		cr.status = hark_exit_merge(cr.status, HARK_EXIT_FAILURE);
	}
	if (cr.stop && c->strict)
		cr.status = hark_exit_merge(cr.status, HARK_EXIT_DATA);
	map_release(&cr.m);
	return cr.status | (cr.stop ? 0x100 : 0);
}
