/* csv.c - hark-train's CSV input (see ht.h), read with lib/csvrow. */
#include <jansson.h>
#include "ht.h"
#include "csvrow.h"
#include "thread.h"
#include "io.h"

#define ROW_MAX (8u << 20)


int
ht_is_csv(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && strcmp(path + n - 4, ".csv") == 0) ||
	    (n > 7 && strcmp(path + n - 7, ".csv.gz") == 0);
}

int
ht_csv_check_map(const char *map, struct hark_err *err)
{
	struct hark_csvmap m;

	if (hark_csvmap_parse(&m, map, err) != 0)
		return -1;
	hark_csvmap_release(&m);
	return 0;
}

/* A ticket of a helpdesk export being gathered. */
struct ticket {
	char *key;
	char *text;		/* the first customer message, or NULL */
	char *label;		/* the last label given, or NULL */
	char *lang;
	char *raw;		/* the bytes of the text's row */
	size_t rawlen;
	long line;
};

struct run {
	const struct hark_common *c;
	const struct ht_csv *o;
	struct hark_csvmap m;
	int have_map;
	long fcol, lcol;	/* text and label columns, -1 */
	size_t ncols;
	struct hark_output rej;
	int have_rej;
	int status, stop;
	long nrow;		/* rows of the current operand */
	long rows, rejected, notext;
	struct ticket *t;
	size_t nt, capt;
	size_t *slot, nslot;
};

static void
reject(struct run *run, const char *file, long line, const char *raw,
    size_t len, struct hark_err *err)
{
	hark_report_data_error(file, line, err);
	run->rejected++;
	if (run->have_rej && raw != NULL) {
		hark_output_write(&run->rej, raw, len);
		if (len == 0 || raw[len - 1] != '\n')
			hark_output_write(&run->rej, "\n", 1);
		hark_output_end_record(&run->rej);
	}
	if (!run->c->skip_invalid)
		run->status = hark_exit_merge(run->status, HARK_EXIT_DATA);
	if (run->c->strict)
		run->stop = 1;
}

/* Hand one example to the record callback; reject it when refused. */
static void
example(struct run *run, const char *file, long line, const char *text,
    const char *label, const char *lang, const char *raw, size_t rawlen)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_filter_rec fr;
	json_t *rec = json_object(), *v;
	int rc = HARK_REC_CONSUMED;

	/* jansson refuses a string that is not UTF-8 */
	if (text != NULL && (v = json_string(text)) == NULL) {
		hark_err_set(&err, HARK_EXIT_DATA, "the text is not UTF-8");
		rc = HARK_REC_REJECT;
	} else if (text != NULL)
		json_object_set_new(rec, "text", v);
	if (rc != HARK_REC_REJECT && label != NULL && (v = json_string(
	    label)) == NULL) {
		hark_err_set(&err, HARK_EXIT_DATA, "the label is not UTF-8");
		rc = HARK_REC_REJECT;
	} else if (rc != HARK_REC_REJECT && label != NULL)
		json_object_set_new(rec, "label", v);
	if (lang != NULL && (v = json_string(lang)) != NULL)
		json_object_set_new(rec, "lang", v);
	if (rc != HARK_REC_REJECT) {
		memset(&fr, 0, sizeof(fr));
		fr.rec = rec;
		fr.line = raw;
		fr.len = rawlen;
		fr.file = file;
		fr.lineno = line;
		rc = run->o->record(run->o->ctx, &fr, &err);
	}
	if (rc == HARK_REC_REJECT)
		reject(run, file, line, raw, rawlen, &err);
	json_decref(rec);
}

/* The column of NAME: a role of the map, else a column of the header. */
static long
column(struct run *run, const struct hark_csvrow *r, const char *name)
{
	int role = run->have_map ? hark_csvrole_of(name, strlen(name)) : -1;

	if (role >= 0 && run->m.col[role] != NULL)
		return run->m.idx[role];
	return hark_csvrow_column(r, name);
}

static int
header(struct run *run, const struct hark_csvrow *r, const char *file)
{
	struct hark_err err = HARK_ERR_INIT;

	if (run->have_map && hark_csvmap_header(&run->m, r, &err) != 0) {
		hark_error("%s: %s", file, err.msg);
		return -1;
	}
	run->fcol = column(run, r, run->o->field);
	run->lcol = column(run, r, run->o->label);
	if (run->fcol < 0 || run->lcol < 0) {
		hark_error("%s: no column '%s' for %s in the header", file,
		    run->fcol < 0 ? run->o->field : run->o->label,
		    run->fcol < 0 ? "--field" : "--label");
		return -1;
	}
	run->ncols = r->n;
	return 0;
}

static const char *
cell(const struct hark_csvrow *r, long col)
{
	return col >= 0 && (size_t)col < r->n && r->f[col][0] != '\0' ?
	    r->f[col] : NULL;
}

/* With a map: 1 when row R is the customer's, 0 when not, -1 (ERR). */
static int
customers(const struct run *run, const struct hark_csvrow *r,
    struct hark_err *err)
{
	const struct hark_csvmap *m = &run->m;
	const char *v;
	enum hark_thread_event k;
	int b;

	if (m->col[HARK_CSVROLE_IS_BRAND] != NULL ||
	    m->col[HARK_CSVROLE_INBOUND] != NULL) {
		int brand = m->col[HARK_CSVROLE_IS_BRAND] != NULL;
		int role = brand ? HARK_CSVROLE_IS_BRAND :
		    HARK_CSVROLE_INBOUND;
		char clean[64];

		v = hark_csvmap_get(m, r, role);
		if (v == NULL || (b = hark_csv_bool(v)) < 0)
			return hark_err_set(err, HARK_EXIT_DATA, "'%s' is not "
			    "true/false: '%s'", m->col[role], v != NULL ?
			    hark_sanitize(clean, sizeof(clean), v, strlen(v)) :
			    "");
		return brand ? !b : b;
	}
	if (m->col[HARK_CSVROLE_EVENT] != NULL) {
		if ((v = hark_csvmap_get(m, r, HARK_CSVROLE_EVENT)) == NULL)
			return hark_err_set(err, HARK_EXIT_DATA, "empty '%s' "
			    "column", m->col[HARK_CSVROLE_EVENT]);
		/* what the customer writes, in sla-report's vocabulary */
		k = hark_thread_event(v);
		return k == HARK_EVENT_CREATED || k == HARK_EVENT_CUSTOMER;
	}
	return 1;
}

static uint64_t
key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *k != '\0'; k++) {
		h ^= (unsigned char)*k;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The ticket KEY, new at the end of run->t when not seen in this file;
 * run->slot is an open-addressing table of indexes + 1 into run->t. */
static struct ticket *
ticket_of(struct run *run, const char *key)
{
	size_t i, mask;

	if (2 * (run->nt + 1) > run->nslot) {
		size_t n = run->nslot ? run->nslot * 2 : 256, k;

		free(run->slot);
		run->slot = hark_xcalloc(n, sizeof(*run->slot));
		run->nslot = n;
		for (k = 0; k < run->nt; k++) {
			for (i = key_hash(run->t[k].key) & (n - 1);
			    run->slot[i] != 0; i = (i + 1) & (n - 1))
				;
			run->slot[i] = k + 1;
		}
	}
	mask = run->nslot - 1;
	for (i = key_hash(key) & mask; run->slot[i] != 0; i = (i + 1) & mask)
		if (strcmp(run->t[run->slot[i] - 1].key, key) == 0)
			return &run->t[run->slot[i] - 1];
	if (run->nt == run->capt) {
		run->capt = run->capt ? run->capt * 2 : 64;
		run->t = hark_xrealloc(run->t, run->capt * sizeof(*run->t));
	}
	memset(&run->t[run->nt], 0, sizeof(*run->t));
	run->t[run->nt].key = hark_xstrdup(key);
	run->slot[i] = ++run->nt;
	return &run->t[run->nt - 1];
}

static void
set(char **dst, const char *v)
{
	free(*dst);
	*dst = hark_xstrdup(v);
}

static void
one_row(struct run *run, const char *file, const struct hark_csvrow *r)
{
	struct hark_err err = HARK_ERR_INIT;
	const char *text = cell(r, run->fcol), *label = cell(r, run->lcol);
	const char *lang = NULL, *key;
	struct ticket *t;
	int cust = 1;

	run->rows++;
	if (r->n != run->ncols) {
		hark_err_set(&err, HARK_EXIT_DATA, "%zu fields, expected %zu",
		    r->n, run->ncols);
		reject(run, file, r->line, r->raw.ptr, r->raw.len, &err);
		return;
	}
	if (run->have_map) {
		lang = hark_csvmap_get(&run->m, r, HARK_CSVROLE_LANGUAGE);
		if ((cust = customers(run, r, &err)) < 0) {
			reject(run, file, r->line, r->raw.ptr, r->raw.len,
			    &err);
			return;
		}
	}
	if (!run->have_map || run->m.col[HARK_CSVROLE_TICKET] == NULL) {
		if (cust)
			example(run, file, r->line, text, label, lang,
			    r->raw.ptr, r->raw.len);
		return;
	}
	if ((key = hark_csvmap_get(&run->m, r, HARK_CSVROLE_TICKET)) ==
	    NULL) {
		hark_err_set(&err, HARK_EXIT_DATA, "empty '%s' column",
		    run->m.col[HARK_CSVROLE_TICKET]);
		reject(run, file, r->line, r->raw.ptr, r->raw.len, &err);
		return;
	}
	t = ticket_of(run, key);
	if (label != NULL)
		set(&t->label, label);	/* agents categorise as they go */
	if (cust && text != NULL && t->text == NULL) {
		set(&t->text, text);
		if (lang != NULL)
			set(&t->lang, lang);
		t->raw = hark_xmalloc(r->raw.len + 1);
		memcpy(t->raw, r->raw.ptr, r->raw.len);
		t->rawlen = r->raw.len;
		t->line = r->line;
	}
}

/* The tickets of one file, in the order they first appeared. */
static void
tickets(struct run *run, const char *file)
{
	size_t i;

	for (i = 0; i < run->nt; i++) {
		struct ticket *t = &run->t[i];

		if (!run->stop && t->text != NULL)
			example(run, file, t->line, t->text, t->label, t->lang,
			    t->raw, t->rawlen);
		else if (!run->stop && t->label != NULL)
			run->notext++;
		free(t->key);
		free(t->text);
		free(t->label);
		free(t->lang);
		free(t->raw);
	}
	run->nt = 0;
	if (run->slot != NULL)
		memset(run->slot, 0, run->nslot * sizeof(*run->slot));
}

static void
csv_row(void *arg, const char *file, struct hark_csvrow *r)
{
	struct run *run = arg;

	if (run->nrow++ > 0) {
		one_row(run, file, r);
		return;
	}
	if (header(run, r, file) != 0) {
		run->status = hark_exit_merge(run->status, HARK_EXIT_USAGE);
		run->stop = 1;
		return;
	}
	if (run->have_rej)	/* the rejects file is a CSV too */
		hark_output_write(&run->rej, r->raw.ptr, r->raw.len);
}

static void
csv_bad(void *arg, const char *file, long line, const char *raw, size_t len,
    struct hark_err *err)
{
	reject(arg, file, line, raw, len, err);
}

/* After an operand's last row: the examples of its tickets. */
static void
csv_end(void *arg, const char *file)
{
	tickets(arg, file);
}

static void
one_csv(struct run *run, const char *path)
{
	struct hark_err err = HARK_ERR_INIT;
	struct hark_csvfile cf = { HARK_CSVROW_STRICT | HARK_CSVROW_RAW,
	    ROW_MAX, NULL, NULL, csv_row, csv_bad, csv_end, NULL };

	cf.rej = run->have_rej ? &run->rej : NULL;
	cf.stop = &run->stop;
	cf.arg = run;
	run->nrow = 0;
	if (hark_csvrow_file(&cf, path, &err) != 0) {
		hark_error("%s", err.msg);
		run->status = hark_exit_merge(run->status, err.code ==
		    HARK_EXIT_DATA ? HARK_EXIT_DATA : HARK_EXIT_FAILURE);
	}
}

int
ht_csv_run(const struct hark_common *c, const struct ht_csv *o, int argc,
    char **argv)
{
	struct run run;
	struct hark_err err = HARK_ERR_INIT;
	int i;

	memset(&run, 0, sizeof(run));
	run.c = c;
	run.o = o;
	if (o->map != NULL) {
		if (hark_csvmap_parse(&run.m, o->map, &err) != 0)
			hark_die(HARK_EXIT_USAGE, "%s", err.msg);
		run.have_map = 1;
	}
	if (c->rejects != NULL) {
		if (hark_output_open(&run.rej, c->rejects, 0, &err) < 0)
			hark_die(HARK_EXIT_FAILURE, "%s", err.msg);
		run.have_rej = 1;
	}
	for (i = 0; i < argc && !run.stop; i++)
		one_csv(&run, argv[i]);
	if (run.notext > 0)
		hark_warn("%ld labelled tickets without a customer message "
		    "skipped", run.notext);
	if (c->verbose)
		fprintf(stderr, "%s: %ld rows read, %ld rejected\n",
		    hark_progname, run.rows, run.rejected);
	if (run.rejected > 0 && c->skip_invalid)
		hark_warn("%ld rows skipped", run.rejected);
	if (run.have_rej && hark_output_close(&run.rej, 1, &err) < 0) {
		hark_error("%s", err.msg);
		run.status = hark_exit_merge(run.status, HARK_EXIT_FAILURE);
	}
	if (run.stop && c->strict)
		run.status = hark_exit_merge(run.status, HARK_EXIT_DATA);
	if (run.have_map)
		hark_csvmap_release(&run.m);
	free(run.t);
	free(run.slot);
	return run.status;
}
