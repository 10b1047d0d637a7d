/* csv.c - helpdesk/TWCS CSV exports read through libcsv with a column
 * mapping ("role=column,..."), each row made into a record for
 * sr_ingest. */
#include <ctype.h>
#include <strings.h>
#include "sr.h"
#include "buf.h"
#include "ndjson.h"
#include "filter.h"
#include "csvrow.h"

static void
map_release(struct hark_csvmap *m)
{
	hark_csvmap_release(m);
}

/* sla-report's needs of a map (lib/csvrow.h parses it) */
static int
map_parse(const char *spec, struct hark_csvmap *m, struct hark_err *err)
{
	if (hark_csvmap_parse(m, spec, err) != 0)
		return -1;
	if (m->col[HARK_CSVROLE_TS] == NULL || (m->col[HARK_CSVROLE_ID] == NULL &&
	    (m->col[HARK_CSVROLE_TICKET] == NULL || m->col[HARK_CSVROLE_EVENT] == NULL))) {
		map_release(m);
		return hark_err_set(err, HARK_EXIT_USAGE, "--map: needs 'ts' "
		    "and either 'id' (messages) or 'ticket' and 'event' "
		    "(events)");
	}
	if (m->col[HARK_CSVROLE_ID] != NULL && m->col[HARK_CSVROLE_EVENT] == NULL &&
	    m->col[HARK_CSVROLE_INBOUND] == NULL && m->col[HARK_CSVROLE_IS_BRAND] == NULL) {
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
	struct hark_csvmap m;

	if (map_parse(map, &m, err) != 0)
		return -1;
	map_release(&m);
	return 0;
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
	int b = hark_csv_bool(s);

	if (b < 0)
		return -1;
	*out = b;
	return 0;
}

static const char *
rget(const struct hark_csvrow *r, const struct hark_csvmap *m, int role)
{
	return hark_csvmap_get(m, r, role);
}

static json_t *
row_record(const struct hark_csvrow *r, const struct hark_csvmap *m, struct hark_err *err)
{
	static const struct { int role; const char *key; } plain[] = {
		{ HARK_CSVROLE_CHANNEL, "channel" }, { HARK_CSVROLE_QUEUE, "queue" },
		{ HARK_CSVROLE_AGENT, "agent" }, { HARK_CSVROLE_PRIORITY, "priority" },
		{ HARK_CSVROLE_CATEGORY, "category" }, { HARK_CSVROLE_LANGUAGE, "lang" },
		{ HARK_CSVROLE_BRAND, "brand" }, { HARK_CSVROLE_TEXT, "text" },
		{ HARK_CSVROLE_STATUS, "status" },
	};
	json_t *o = json_object();
	const char *v;
	size_t i;
	int b;

	for (i = 0; i < HARK_ARRAY_SIZE(plain); i++)
		if ((v = rget(r, m, plain[i].role)) != NULL)
			json_object_set_new(o, plain[i].key, json_string(v));
	if ((v = rget(r, m, HARK_CSVROLE_AUTOMATED)) != NULL && boolval(v, &b) == 0)
		json_object_set_new(o, "automated", json_boolean(b));
	if ((v = rget(r, m, HARK_CSVROLE_PUBLIC)) != NULL && boolval(v, &b) == 0)
		json_object_set_new(o, "public", json_boolean(b));
	if ((v = rget(r, m, HARK_CSVROLE_TS)) != NULL)
		json_object_set_new(o, m->idx[HARK_CSVROLE_EVENT] >= 0 ? "ts" :
		    "created_at", json_string(v));
	if (m->idx[HARK_CSVROLE_EVENT] >= 0) {
		if ((v = rget(r, m, HARK_CSVROLE_EVENT)) == NULL) {
			json_decref(o);
			hark_err_set(err, HARK_EXIT_DATA, "empty '%s' column",
			    m->col[HARK_CSVROLE_EVENT]);
			return NULL;
		}
		json_object_set_new(o, "event", json_string(v));
		if ((v = rget(r, m, HARK_CSVROLE_TICKET)) != NULL)
			json_object_set_new(o, "ticket", id_value(v));
		return o;
	}
	{
		json_t *author = json_object(), *thread = json_object();
		int brand = 0;

		if ((v = rget(r, m, HARK_CSVROLE_ID)) == NULL) {
			json_decref(o);
			json_decref(author);
			json_decref(thread);
			hark_err_set(err, HARK_EXIT_DATA, "empty '%s' column",
			    m->col[HARK_CSVROLE_ID]);
			return NULL;
		}
		json_object_set_new(o, "id", id_value(v));
		if ((v = rget(r, m, HARK_CSVROLE_AUTHOR)) != NULL)
			json_object_set_new(author, "handle", json_string(v));
		if (m->idx[HARK_CSVROLE_IS_BRAND] >= 0)
			v = rget(r, m, HARK_CSVROLE_IS_BRAND);
		else
			v = rget(r, m, HARK_CSVROLE_INBOUND);
		if (v == NULL || boolval(v, &brand) != 0) {
			char clean[64];

			json_decref(o);
			json_decref(author);
			json_decref(thread);
			hark_err_set(err, HARK_EXIT_DATA, "'%s' is not "
			    "true/false: '%s'", m->idx[HARK_CSVROLE_IS_BRAND] >= 0 ?
			    m->col[HARK_CSVROLE_IS_BRAND] : m->col[HARK_CSVROLE_INBOUND],
			    v != NULL ? hark_sanitize(clean, sizeof(clean), v,
			    strlen(v)) : "");
			return NULL;
		}
		if (m->idx[HARK_CSVROLE_IS_BRAND] < 0)
			brand = !brand;
		json_object_set_new(author, "is_brand", json_boolean(brand));
		if (brand && rget(r, m, HARK_CSVROLE_BRAND) == NULL &&
		    (v = rget(r, m, HARK_CSVROLE_AUTHOR)) != NULL)
			json_object_set_new(o, "brand", json_string(v));
		json_object_set_new(o, "author", author);
		if ((v = rget(r, m, HARK_CSVROLE_PARENT)) != NULL)
			json_object_set_new(thread, "parent_id", id_value(v));
		if ((v = rget(r, m, HARK_CSVROLE_TICKET)) != NULL)
			json_object_set_new(thread, "root_id", id_value(v));
		json_object_set_new(o, "thread", thread);
	}
	return o;
}

struct csvrow_run {
	struct sr_ctx *x;
	const struct hark_common *c;
	struct hark_csvmap m;
	struct hark_output rej;
	int have_rej;
	int status;
	int stop;
	long rows, rejected;
	long nrow;		/* rows of the current operand */
};

static void
reject(struct csvrow_run *cr, const char *file, long line, const char *raw,
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
header(struct csvrow_run *cr, const struct hark_csvrow *r, const char *file)
{
	struct hark_err err = HARK_ERR_INIT;

	if (hark_csvmap_header(&cr->m, r, &err) != 0) {
		hark_error("%s: %s", file, err.msg);
		return -1;
	}
	return 0;
}

/* A complete row of R from line ROWLINE. */
static void
one_row(void *arg, const char *file, struct hark_csvrow *r)
{
	struct csvrow_run *cr = arg;
	struct hark_err err = HARK_ERR_INIT;

	if (cr->nrow++ == 0) {
		if (header(cr, r, file) != 0) {
			cr->status = hark_exit_merge(cr->status,
			    HARK_EXIT_USAGE);
			cr->stop = 1;
		} else if (cr->have_rej) {
			hark_output_write(&cr->rej, r->raw.ptr, r->raw.len);
		}
	} else {
		json_t *rec = row_record(r, &cr->m, &err);

		cr->rows++;
		cr->x->cur_file = file;
		cr->x->cur_line = r->line;
		if (rec == NULL || sr_ingest(cr->x, rec, &err) != 0)
			reject(cr, file, r->line, r->raw.ptr, r->raw.len,
			    &err);
		json_decref(rec);
	}
}

static void
bad_row(void *arg, const char *file, long line, const char *raw, size_t len,
    struct hark_err *err)
{
	reject(arg, file, line, raw, len, err);
}

/*
 * Read one CSV operand (lib/csvrow.h, lenient: helpdesk and TWCS exports
 * hold stray quotes).  A rejected row goes to --rejects exactly as it
 * was, CRLF and all; a row longer than ROW_MAX is reported, copied to
 * --rejects as it streams past, and skipped; memory stays bounded.
 */
#define ROW_MAX (8u << 20)

static void
one_csv(struct csvrow_run *cr, const char *path)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_csvfile cf = { HARK_CSVROW_RAW, ROW_MAX, NULL, NULL,
	    one_row, bad_row, NULL, NULL };

	cf.rej = cr->have_rej ? &cr->rej : NULL;
	cf.stop = &cr->stop;
	cf.arg = cr;
	cr->nrow = 0;
	if (hark_csvrow_file(&cf, path, &err) != 0) {
		hark_error("%s", err.msg);
		cr->status = hark_exit_merge(cr->status, err.code ==
		    HARK_EXIT_DATA ? HARK_EXIT_DATA : HARK_EXIT_FAILURE);
	}
}

int
sr_csv_run(struct sr_ctx *x, const struct hark_common *c, const char *map,
    int argc, char **argv, struct hark_output *out)
{
	struct csvrow_run cr;
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
