/*
 * partial.c - the mergeable summary (--partial) and --merge.
 *
 * Body lines (format 1), documented in hark-records(5):
 *   {"k":"totals","mentions":N,"incomplete":N,"brand_other":N}
 *   {"k":"ex","i":I,"id":..,"created_at":T,"url":..,"author":..,
 *    "text":..,"source":..,"sentiment":..,"category":..,"reach":R,
 *    "score":S|null}                       a mention kept for display
 *   {"k":"cell","i":I,"period":P,"group":KEY,"n":..,"negative":..,
 *    "reach":..,"reach_n":..,"terms_left_out":..,
 *    "dims":[[D,VALUE,COUNT,[EX...]],...],"terms":[[TERM,COUNT,[EX...]],...],
 *    "top_reach":[EX...],"top_negative":[EX...]}
 *   {"k":"msgs","v":[[ID,ROOT,PARENT,AUTHOR,PARENT_AUTHOR,T,REPLY,C0,C1],
 *    ...]}                                  what reply matching needs
 * EX are "i" of ex lines, C0/C1 "i" of cell lines (-1: none), the five
 * hashes 16 hex digits.  Every count adds up, every list is the best of
 * everything offered in one total order, and the reply matching runs on
 * the merged messages, so a merge gives exactly the single run's report;
 * the one exception is the term dictionary's cap (--max-terms): once a
 * run or a merge has left terms out, which terms are tracked depends on
 * the order they came in.
 */
#include <inttypes.h>
#include <math.h>
#include "mr.h"
#include "buf.h"
#include "partial.h"
#include "ndjson.h"

#define FORMAT 1
#define MSGS_PER_LINE 2048

void
mr_fingerprint(const struct mr_opts *o, char *hex)
{
	const char *parts[4 + MR_MAXBY + 2];
	char a[64], b[64], c[64];
	size_t n = 0;
	int i;

	parts[n++] = mr_period_name(o->period);
	parts[n++] = hark_tz_name(o->tz);
	snprintf(a, sizeof(a), "max_terms=%ld top=%d", o->max_terms, o->ntop);
	parts[n++] = a;
	snprintf(b, sizeof(b), "by=%d", o->nby);
	parts[n++] = b;
	for (i = 0; i < o->nby; i++)
		parts[n++] = o->by[i];
	snprintf(c, sizeof(c), "complete=%d now=%" PRId64, o->complete,
	    o->complete ? o->now : 0);
	parts[n++] = c;
	hark_partial_fingerprint(parts, n, hex);
}

static void
put_line(struct hark_output *out, struct hark_buf *b, json_t *o)
{
	hark_buf_reset(b);
	if (hark_buf_add_json(b, o, JSON_COMPACT | JSON_REAL_PRECISION(17)) !=
	    0 || hark_buf_addch(b, '\n') != 0)
		hark_die(HARK_EXIT_FAILURE, "partial line too long");
	hark_output_write(out, b->ptr, b->len);
	json_decref(o);
}

static json_t *
ex_list(const uint32_t *list, uint32_t n, const uint32_t *exno)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; i < n && list[i] != MR_NONE; i++)
		json_array_append_new(a, json_integer(exno[list[i]]));
	return a;
}

static void
hex16(uint64_t v, char *buf)
{
	snprintf(buf, 17, "%016" PRIx64, v);
}

int
mr_partial_write(struct mr_ctx *x, struct hark_output *out)
{
	struct hark_buf b = HARK_BUF_INIT(HARK_PARTIAL_LINE_MAX);
	char fp[65], h[17];
	uint32_t *exno, i, k, no = 0;
	uint64_t body = 0;
	size_t m;
	json_t *o;

	mr_fingerprint(x->o, fp);
	if (hark_partial_header(&b, "mention-report", FORMAT, fp) != 0)
		hark_die(HARK_EXIT_FAILURE, "partial header");
	hark_output_write(out, b.ptr, b.len);

	o = json_object();
	json_object_set_new(o, "k", json_string("totals"));
	json_object_set_new(o, "mentions", json_integer(x->mentions));
	json_object_set_new(o, "incomplete", json_integer(x->incomplete));
	json_object_set_new(o, "brand_other", json_integer(x->skipped_brand));
	put_line(out, &b, o);
	body++;

	exno = hark_xmalloc((x->nex + 1) * sizeof(*exno));
	for (i = 0; i < x->nex; i++) {
		const struct mr_ex *e = &x->ex[i];

		if (e->refs == 0)
			continue;
		exno[i] = no++;
		o = json_object();
		json_object_set_new(o, "k", json_string("ex"));
		json_object_set_new(o, "i", json_integer(exno[i]));
		json_object_set_new(o, "id", json_string(e->id));
		json_object_set_new(o, "created_at", json_integer(e->ts));
		json_object_set_new(o, "url", hark_json_str_or_null(e->url));
		json_object_set_new(o, "author", hark_json_str_or_null(e->author));
		json_object_set_new(o, "text", json_string(e->words));
		json_object_set_new(o, "source", hark_json_str_or_null(mr_str(&x->strs,
		    e->source)));
		json_object_set_new(o, "sentiment", hark_json_str_or_null(mr_str(&x->strs,
		    e->sentiment)));
		json_object_set_new(o, "category", hark_json_str_or_null(mr_str(&x->strs,
		    e->category)));
		json_object_set_new(o, "reach", json_real(e->reach));
		json_object_set_new(o, "score", e->has_score ?
		    json_real(e->score) : json_null());
		put_line(out, &b, o);
		body++;
	}
	for (i = 0; i < x->ncell; i++) {
		const struct mr_cell *c = &x->cell[i];
		json_t *dims = json_array(), *terms = json_array();

		o = json_object();
		json_object_set_new(o, "k", json_string("cell"));
		json_object_set_new(o, "i", json_integer(i));
		json_object_set_new(o, "period", json_integer(c->period));
		json_object_set_new(o, "group", json_string(mr_str(&x->strs,
		    c->group)));
		json_object_set_new(o, "n", json_integer(c->n));
		json_object_set_new(o, "negative", json_integer(c->negative));
		json_object_set_new(o, "reach", json_real(c->reach));
		json_object_set_new(o, "reach_n", json_integer(c->reach_n));
		json_object_set_new(o, "terms_left_out",
		    json_integer(c->terms_left_out));
		for (k = 0; k < c->ndv; k++)
			json_array_append_new(dims, json_pack("[isio]",
			    (int)(c->dv[k].key >> 28), mr_str(&x->strs,
			    c->dv[k].key & 0x0FFFFFFF), (int)c->dv[k].count,
			    ex_list(c->dv[k].ex, MR_NEX, exno)));
		for (k = 0; k < c->ntv; k++)
			json_array_append_new(terms, json_pack("[sIo]",
			    mr_str(&x->terms, c->tv[k].term),
			    (json_int_t)c->tv[k].count, ex_list(c->tv[k].ex,
			    MR_NEX, exno)));
		json_object_set_new(o, "dims", dims);
		json_object_set_new(o, "terms", terms);
		json_object_set_new(o, "top_reach", ex_list(c->top_reach,
		    c->ntop_reach, exno));
		json_object_set_new(o, "top_negative", ex_list(c->top_neg,
		    c->ntop_neg, exno));
		put_line(out, &b, o);
		body++;
	}
	for (m = 0; m < x->nmsg; m += MSGS_PER_LINE) {
		json_t *v = json_array();
		size_t j;

		for (j = m; j < x->nmsg && j < m + MSGS_PER_LINE; j++) {
			const struct mr_msg *g = &x->msg[j];
			json_t *r = json_array();
			uint64_t hs[5] = { g->id, g->root, g->parent,
			    g->author, g->parent_author };

			for (k = 0; k < 5; k++) {
				hex16(hs[k], h);
				json_array_append_new(r, json_string(h));
			}
			json_array_append_new(r, json_integer(g->ts));
			json_array_append_new(r, json_integer(g->reply));
			for (k = 0; k < 2; k++)
				json_array_append_new(r, json_integer(
				    g->cell[k] == MR_NONE ? -1 :
				    (json_int_t)g->cell[k]));
			json_array_append_new(v, r);
		}
		o = json_object();
		json_object_set_new(o, "k", json_string("msgs"));
		json_object_set_new(o, "v", v);
		put_line(out, &b, o);
		body++;
	}
	hark_buf_reset(&b);
	if (hark_partial_trailer(&b, body) != 0)
		hark_die(HARK_EXIT_FAILURE, "partial trailer");
	hark_output_write(out, b.ptr, b.len);
	hark_output_end_record(out);
	hark_buf_release(&b);
	free(exno);
	return 0;
}

/* ---- merge ---- */

struct rd {
	struct mr_ctx *x;
	struct hark_partial_reader *r;
	struct mr_ex *ex;	/* this file's examples (strings borrowed
				 * from the JSON kept in exj) */
	uint32_t *slot;		/* their index in x->ex once stored */
	json_t **exj;
	size_t nex;
	uint32_t *cell;		/* this file's cell i -> x->cell */
	size_t ncell;
};

static int
bad(struct rd *d, struct hark_err *err, const char *what)
{
	return hark_err_set(err, HARK_EXIT_DATA, "%s:%llu: %s", d->r->name,
	    (unsigned long long)d->r->body + 1, what);
}

static const char *
ostr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
oint(json_t *o, const char *k, json_int_t *v)
{
	json_t *j = json_object_get(o, k);

	if (!json_is_integer(j))
		return -1;
	*v = json_integer_value(j);
	return 0;
}

static uint32_t
intern_or_none(struct mr_ctx *x, const char *s)
{
	return s != NULL ? hark_intern(&x->strs, s, strlen(s)) : MR_NONE;
}

static int
read_ex(struct rd *d, json_t *o, struct hark_err *err)
{
	struct mr_ex e;
	json_int_t i, ts;
	json_t *sc = json_object_get(o, "score");

	memset(&e, 0, sizeof(e));
	if (oint(o, "i", &i) != 0 || (size_t)i != d->nex ||
	    oint(o, "created_at", &ts) != 0 || ostr(o, "id") == NULL ||
	    ostr(o, "text") == NULL ||
	    !json_is_number(json_object_get(o, "reach")))
		return bad(d, err, "bad example line");
	e.id = (char *)ostr(o, "id");
	e.url = (char *)ostr(o, "url");
	e.author = (char *)ostr(o, "author");
	e.words = (char *)ostr(o, "text");
	e.source = intern_or_none(d->x, ostr(o, "source"));
	e.sentiment = intern_or_none(d->x, ostr(o, "sentiment"));
	e.category = intern_or_none(d->x, ostr(o, "category"));
	e.ts = ts;
	e.reach = json_number_value(json_object_get(o, "reach"));
	e.has_score = json_is_number(sc);
	e.score = e.has_score ? json_number_value(sc) : 0;
	d->ex = hark_xrealloc(d->ex, (d->nex + 1) * sizeof(*d->ex));
	d->slot = hark_xrealloc(d->slot, (d->nex + 1) * sizeof(*d->slot));
	d->exj = hark_xrealloc(d->exj, (d->nex + 1) * sizeof(*d->exj));
	d->ex[d->nex] = e;
	d->slot[d->nex] = MR_NONE;
	d->exj[d->nex] = json_incref(o);
	d->nex++;
	return 0;
}

/* Offer the examples listed in A to LIST (examples, or a top list). */
static int
offer_list(struct rd *d, json_t *a, uint32_t *list, uint32_t *n, int top,
    int neg, struct hark_err *err)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return bad(d, err, "bad example list");
	json_array_foreach(a, i, v) {
		json_int_t k = json_integer_value(v);

		if (!json_is_integer(v) || k < 0 || (size_t)k >= d->nex)
			return bad(d, err, "example reference out of range");
		if (top)
			mr_top_offer(d->x, list, n, &d->ex[k], &d->slot[k],
			    neg);
		else
			mr_examples_offer(d->x, list, &d->ex[k], &d->slot[k]);
	}
	return 0;
}

static int
read_cell(struct rd *d, json_t *o, struct hark_err *err)
{
	struct mr_ctx *x = d->x;
	struct mr_cell *c;
	json_int_t i, p, n, neg, rn, left;
	const char *g = ostr(o, "group");
	json_t *dims = json_object_get(o, "dims");
	json_t *terms = json_object_get(o, "terms");
	json_t *v;
	size_t k;

	if (oint(o, "i", &i) != 0 || (size_t)i != d->ncell ||
	    oint(o, "period", &p) != 0 || g == NULL ||
	    oint(o, "n", &n) != 0 || oint(o, "negative", &neg) != 0 ||
	    oint(o, "reach_n", &rn) != 0 ||
	    oint(o, "terms_left_out", &left) != 0 ||
	    !json_is_number(json_object_get(o, "reach")) ||
	    !json_is_array(dims) || !json_is_array(terms))
		return bad(d, err, "bad cell line");
	c = mr_cell_get(x, p, hark_intern(&x->strs, g, strlen(g)));
	d->cell = hark_xrealloc(d->cell, (d->ncell + 1) * sizeof(*d->cell));
	d->cell[d->ncell++] = (uint32_t)(c - x->cell);
	c->n += (long)n;
	c->negative += (long)neg;
	c->reach += json_number_value(json_object_get(o, "reach"));
	c->reach_n += (long)rn;
	c->terms_left_out += (long)left;
	json_array_foreach(dims, k, v) {
		json_int_t dim, cnt;
		const char *val;
		struct mr_dimval *dv;

		if (!json_is_array(v) || json_array_size(v) != 4 ||
		    !json_is_integer(json_array_get(v, 0)) ||
		    (dim = json_integer_value(json_array_get(v, 0))) < 0 ||
		    dim >= MR_NDIM ||
		    (val = json_string_value(json_array_get(v, 1))) == NULL ||
		    !json_is_integer(json_array_get(v, 2)) ||
		    (cnt = json_integer_value(json_array_get(v, 2))) < 0)
			return bad(d, err, "bad dimension entry");
		dv = mr_dim_add(x, c, (uint32_t)dim << 28 |
		    hark_intern(&x->strs, val, strlen(val)), (uint32_t)cnt);
		if (offer_list(d, json_array_get(v, 3), dv->ex, NULL, 0, 0,
		    err) != 0)
			return -1;
	}
	json_array_foreach(terms, k, v) {
		json_int_t cnt;
		const char *t;
		uint32_t id;
		struct mr_term *tm;

		if (!json_is_array(v) || json_array_size(v) != 3 ||
		    (t = json_string_value(json_array_get(v, 0))) == NULL ||
		    !json_is_integer(json_array_get(v, 1)) ||
		    (cnt = json_integer_value(json_array_get(v, 1))) < 0)
			return bad(d, err, "bad term entry");
		id = hark_intern_find(&x->terms, t, strlen(t));
		if (id == MR_NONE && (long)x->terms.n >= x->o->max_terms) {
			c->terms_left_out += (long)cnt;
			continue;
		}
		if (id == MR_NONE)
			id = hark_intern(&x->terms, t, strlen(t));
		tm = mr_term_add(x, c, id, (uint32_t)cnt);
		if (offer_list(d, json_array_get(v, 2), tm->ex, NULL, 0, 0,
		    err) != 0)
			return -1;
	}
	if (offer_list(d, json_object_get(o, "top_reach"), c->top_reach,
	    &c->ntop_reach, 1, 0, err) != 0 ||
	    offer_list(d, json_object_get(o, "top_negative"), c->top_neg,
	    &c->ntop_neg, 1, 1, err) != 0)
		return -1;
	return 0;
}

static int
hexval(json_t *v, uint64_t *out)
{
	const char *s = json_string_value(v);
	uint64_t r = 0;
	int i;

	if (s == NULL || strlen(s) != 16)
		return -1;
	for (i = 0; i < 16; i++) {
		int c = s[i];

		r <<= 4;
		if (c >= '0' && c <= '9')
			r |= (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			r |= (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = r;
	return 0;
}

static int
read_msgs(struct rd *d, json_t *o, struct hark_err *err)
{
	json_t *v = json_object_get(o, "v"), *r;
	size_t k;
	int j;

	if (!json_is_array(v))
		return bad(d, err, "bad msgs line");
	json_array_foreach(v, k, r) {
		struct mr_msg m;
		uint64_t *hs[5] = { &m.id, &m.root, &m.parent, &m.author,
		    &m.parent_author };

		memset(&m, 0, sizeof(m));
		if (!json_is_array(r) || json_array_size(r) != 9)
			return bad(d, err, "bad message entry");
		for (j = 0; j < 5; j++)
			if (hexval(json_array_get(r, (size_t)j), hs[j]) != 0)
				return bad(d, err, "bad message hash");
		if (!json_is_integer(json_array_get(r, 5)) ||
		    !json_is_integer(json_array_get(r, 6)))
			return bad(d, err, "bad message entry");
		m.ts = json_integer_value(json_array_get(r, 5));
		m.reply = json_integer_value(json_array_get(r, 6)) != 0;
		m.answer = HARK_TIME_NEVER;
		for (j = 0; j < 2; j++) {
			json_t *c = json_array_get(r, 7 + (size_t)j);
			json_int_t ci = json_integer_value(c);

			if (!json_is_integer(c) || ci < -1 ||
			    ci >= (json_int_t)d->ncell)
				return bad(d, err, "message cell out of range");
			m.cell[j] = ci < 0 ? MR_NONE : d->cell[ci];
		}
		mr_msg_add(d->x, &m);
	}
	return 0;
}

int
mr_merge_file(struct mr_ctx *x, const char *path, struct hark_err *err)
{
	struct hark_partial_reader r;
	struct rd d;
	char fp[65];
	json_t *o;
	int st, rc = 0;
	size_t i;

	mr_fingerprint(x->o, fp);
	if (hark_partial_open(&r, path, "mention-report", FORMAT, fp,
	    err) != 0)
		return -1;
	memset(&d, 0, sizeof(d));
	d.x = x;
	d.r = &r;
	while ((st = hark_partial_next(&r, &o, err)) == 1) {
		const char *k = ostr(o, "k");
		json_int_t v;

		if (k == NULL)
			rc = bad(&d, err, "body line without 'k'");
		else if (strcmp(k, "ex") == 0)
			rc = read_ex(&d, o, err);
		else if (strcmp(k, "cell") == 0)
			rc = read_cell(&d, o, err);
		else if (strcmp(k, "msgs") == 0)
			rc = read_msgs(&d, o, err);
		else if (strcmp(k, "totals") == 0) {
			if (oint(o, "mentions", &v) == 0)
				x->mentions += (long)v;
			if (oint(o, "incomplete", &v) == 0)
				x->incomplete += (long)v;
			if (oint(o, "brand_other", &v) == 0)
				x->skipped_brand += (long)v;
		}
		/* Unknown kinds come from a later format 1 writer that
		 * added a line kind: ignore them. */
		json_decref(o);
		if (rc != 0)
			break;
	}
	if (st < 0)
		rc = -1;
	for (i = 0; i < d.nex; i++)
		json_decref(d.exj[i]);
	free(d.ex);
	free(d.slot);
	free(d.exj);
	free(d.cell);
	hark_partial_close(&r);
	return rc;
}
