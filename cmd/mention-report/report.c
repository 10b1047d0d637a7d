/* report.c - periods x groups with their previous period, rising terms
 * and categories, from the summary. */
#include <math.h>
#include "mr.h"

/* A rising term or category needs G2 at least this (p < 0.001 for
 * terms, of which there are many; p < 0.05 for the few categories). */
#define G2_TERMS 10.83
#define G2_CATS 3.84

static double
xlogy(double o, double e)
{
	return o > 0 && e > 0 ? o * log(o / e) : 0;
}

/* Dunning's log-likelihood ratio for A of N1 against B of N2. */
double
mr_g2(long a, long n1, long b, long n2)
{
	double n = (double)n1 + n2, k = (double)a + b;

	if (n1 <= 0 || n2 <= 0 || k <= 0 || k >= n)
		return 0;
	return 2 * (xlogy(a, n1 * k / n) + xlogy(n1 - a, n1 * (n - k) / n) +
	    xlogy(b, n2 * k / n) + xlogy(n2 - b, n2 * (n - k) / n));
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t
mr_cell_median(struct mr_cell *c)
{
	if (c == NULL || c->ndelays == 0)
		return -1;
	qsort(c->delays, (size_t)c->ndelays, sizeof(*c->delays), cmp_i64);
	return c->delays[(c->ndelays + 1) / 2 - 1];
}

const char *
mr_group_value(const struct mr_ctx *x, uint32_t g, int i, char *buf,
    size_t sz)
{
	const char *s = mr_str(&x->strs, g), *e;
	size_t n;

	for (; i > 0 && s != NULL; i--)
		if ((s = strchr(s, '\x1f')) != NULL)
			s++;
	if (s == NULL || g == 0)
		return NULL;
	e = strchr(s, '\x1f');
	n = e != NULL ? (size_t)(e - s) : strlen(s);
	if (n == 1 && s[0] == '\x1e')
		return NULL;
	if (n >= sz)
		n = sz - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static const struct mr_ctx *sort_ctx;

static int
cmp_group(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (x == 0 || y == 0)
		return x == y ? 0 : x == 0 ? -1 : 1;
	return strcmp(mr_str(&sort_ctx->strs, x),
	    mr_str(&sort_ctx->strs, y));
}

/* Sort by the term's text for ties, so the order is the same whatever
 * the ids (which depend on the input order). */
static int
cmp_rising_terms(const void *a, const void *b)
{
	const struct mr_rising *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(mr_str(&sort_ctx->terms, x->key),
	    mr_str(&sort_ctx->terms, y->key));
}

static int
cmp_rising_cats(const void *a, const void *b)
{
	const struct mr_rising *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(mr_str(&sort_ctx->strs, x->key & 0x0FFFFFFF),
	    mr_str(&sort_ctx->strs, y->key & 0x0FFFFFFF));
}

/* Whether W is one of the two words of bigram B. */
static int
word_of(const char *w, const char *b)
{
	const char *sp = strchr(b, ' ');
	size_t n = strlen(w);

	if (sp == NULL)
		return 0;
	return ((size_t)(sp - b) == n && strncmp(b, w, n) == 0) ||
	    strcmp(sp + 1, w) == 0;
}

/* A word that rose only as part of a rising bigram ("battery" of
 * "battery drain", in exactly as many mentions) says nothing more: drop
 * it, keeping the bigram. */
static void
drop_subsumed(const struct mr_ctx *x, struct mr_row *row)
{
	size_t i, j, k = 0;

	for (i = 0; i < row->nterms; i++) {
		const char *t = mr_str(&x->terms, row->terms[i].key);
		int drop = 0;

		for (j = 0; j < row->nterms && !drop; j++)
			drop = j != i && row->terms[j].count ==
			    row->terms[i].count && row->terms[j].base ==
			    row->terms[i].base && strchr(t, ' ') == NULL &&
			    word_of(t, mr_str(&x->terms, row->terms[j].key));
		if (!drop)
			row->terms[k++] = row->terms[i];
	}
	row->nterms = k;
}

static void
rising(struct mr_ctx *x, struct mr_row *row, const struct mr_cell **base,
    int nbase)
{
	const struct mr_opts *o = x->o;
	const struct mr_cell *c = row->cur;
	size_t cap, i;
	int k;

	if (c == NULL || row->base_n <= 0)
		return;
	cap = c->ntv;
	row->terms = hark_xmalloc((cap + 1) * sizeof(*row->terms));
	for (i = 0; i < c->ntv; i++) {
		const struct mr_term *t = &c->tv[i];
		struct mr_rising r;

		if ((long)t->count < o->min_count)
			continue;
		r.key = t->term;
		r.count = t->count;
		r.n = c->n;
		r.base = 0;
		r.base_n = row->base_n;
		for (k = 0; k < nbase; k++) {
			uint32_t j = mr_map_get(&base[k]->tvix, t->term);

			if (j != MR_NONE)
				r.base += base[k]->tv[j].count;
		}
		if ((double)r.count / r.n <= (double)r.base / r.base_n)
			continue;
		r.score = mr_g2(r.count, r.n, r.base, r.base_n);
		if (r.score < G2_TERMS)
			continue;
		r.ex = t->ex;
		row->terms[row->nterms++] = r;
	}
	sort_ctx = x;
	qsort(row->terms, row->nterms, sizeof(*row->terms), cmp_rising_terms);
	drop_subsumed(x, row);
	if (row->nterms > (size_t)o->nterms)
		row->nterms = (size_t)o->nterms;

	row->cats = hark_xmalloc((c->ndv + 1) * sizeof(*row->cats));
	for (i = 0; i < c->ndv; i++) {
		const struct mr_dimval *d = &c->dv[i];
		struct mr_rising r;

		if (d->key >> 28 != MR_D_CATEGORY ||
		    (long)d->count < o->min_count)
			continue;
		r.key = d->key;
		r.count = d->count;
		r.n = c->n;
		r.base = 0;
		r.base_n = row->base_n;
		for (k = 0; k < nbase; k++) {
			uint32_t j = mr_map_get(&base[k]->dvix, d->key);

			if (j != MR_NONE)
				r.base += base[k]->dv[j].count;
		}
		if ((double)r.count / r.n <= (double)r.base / r.base_n)
			continue;
		r.score = mr_g2(r.count, r.n, r.base, r.base_n);
		if (r.score < G2_CATS)
			continue;
		r.ex = d->ex;
		row->cats[row->ncats++] = r;
	}
	qsort(row->cats, row->ncats, sizeof(*row->cats), cmp_rising_cats);
}

void
mr_report_build(struct mr_ctx *x, struct mr_report *r)
{
	const struct mr_opts *o = x->o;
	struct mr_map seen;
	const struct mr_cell *base[64];
	int64_t p, q, lastdetail;
	uint32_t i;
	size_t g, row;
	int k, nbase;

	memset(r, 0, sizeof(*r));
	mr_answers(x);
	if (x->ncell == 0)
		return;
	mr_map_init(&seen);
	r->first = r->last = x->cell[0].period;
	r->groups = hark_xmalloc((x->ncell + 1) * sizeof(*r->groups));
	for (i = 0; i < x->ncell; i++) {
		const struct mr_cell *c = &x->cell[i];

		r->first = HARK_MIN(r->first, c->period);
		r->last = HARK_MAX(r->last, c->period);
		if (mr_map_get(&seen, c->group) == MR_NONE) {
			*mr_map_put(&seen, c->group, 1) = 1;
			r->groups[r->ngroups++] = c->group;
		}
	}
	mr_map_release(&seen);
	sort_ctx = x;
	qsort(r->groups, r->ngroups, sizeof(*r->groups), cmp_group);
	for (p = r->first; p <= r->last; p = mr_period_next(o, p))
		r->nperiods++;
	r->row = hark_xcalloc(r->nperiods * r->ngroups + 1, sizeof(*r->row));
	lastdetail = r->last;
	for (k = 1; k < o->last; k++)
		lastdetail = mr_period_prev(o, lastdetail);
	row = 0;
	for (p = r->first; p <= r->last; p = mr_period_next(o, p)) {
		for (g = 0; g < r->ngroups; g++) {
			struct mr_row *w = &r->row[row++];

			w->period = p;
			w->group = r->groups[g];
			w->cur = mr_cell_find(x, p, w->group);
			w->prev = mr_cell_find(x, mr_period_prev(o, p),
			    w->group);
			w->detail = p >= lastdetail;
			w->partial = mr_period_start(o, mr_period_next(o,
			    p)) > o->now;
			nbase = 0;
			q = p;
			for (k = 0; k < o->baseline && k < 64; k++) {
				const struct mr_cell *c;

				q = mr_period_prev(o, q);
				c = mr_cell_find(x, q, w->group);
				if (c != NULL) {
					base[nbase++] = c;
					w->base_n += c->n;
				}
			}
			rising(x, w, base, nbase);
		}
	}
	r->nrow = row;
	for (i = 0; i < x->ncell; i++)
		if (x->cell[i].group == 0)
			r->terms_left_out += x->cell[i].terms_left_out;
}

void
mr_report_release(struct mr_report *r)
{
	size_t i;

	for (i = 0; i < r->nrow; i++) {
		free(r->row[i].terms);
		free(r->row[i].cats);
	}
	free(r->row);
	free(r->groups);
	memset(r, 0, sizeof(*r));
}
