/* report.c - aggregation by fields, percentiles, busy hours, checks. */
#include <ctype.h>
#include <math.h>
#include <strings.h>
#include "sr.h"

enum { ST_COUNT, ST_ACHIEVED, ST_BREACHED, ST_ACTIVE, ST_ACTIVE_BREACHED,
	ST_SHARE, ST_MEDIAN, ST_P90, ST_P95, ST_MAX, ST_CONVERSATIONS,
	ST_OPEN, ST_UNANSWERED, ST_NSTATS };

static const char *const stat_names[ST_NSTATS] = {
	"count", "achieved", "breached", "active", "active_breached",
	"share", "median", "p90", "p95", "max", "conversations", "open",
	"unanswered"
};

/*
 * Nearest-rank percentile: the smallest value with at least P % of the
 * values at or below it, i.e. sorted[ceil(P/100 * n) - 1].
 */
int64_t
sr_percentile(const int64_t *sorted, long n, int p)
{
	long rank;

	if (n <= 0)
		return -1;
	rank = (long)(((int64_t)p * n + 99) / 100);
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
stats_add(struct sr_stats *s, const struct sr_metric *m)
{
	if (!m->present)
		return;
	s->count++;
	switch (m->status) {
	case SR_ST_ACHIEVED: s->achieved++; break;
	case SR_ST_BREACHED: s->breached++; break;
	case SR_ST_ACTIVE: s->active++; break;
	case SR_ST_ACTIVE_BREACHED: s->active_breached++; break;
	default: s->none++; break;
	}
	if (m->end == HARK_TIME_NEVER)
		return;
	if (s->nvals == s->capvals) {
		s->capvals = s->capvals ? s->capvals * 2 : 16;
		s->vals = hark_xrealloc(s->vals,
		    (size_t)s->capvals * sizeof(int64_t));
	}
	s->vals[s->nvals++] = m->clock;
}

/* A value read from a sketch, as whole seconds. */
static int64_t
sk_value(double v)
{
	return v != v ? -1 : (int64_t)llround(v);
}

static void
stats_finish(struct sr_stats *s)
{
	long den = s->achieved + s->breached + s->active_breached, i;

	s->share = den > 0 ? (double)s->achieved / (double)den : -1;
	if (s->sketched) {
		/* Merged: the nearest-rank percentiles of the sketch,
		 * within HARK_SKETCH_ALPHA of the exact ones; the maximum
		 * is exact. */
		for (i = s->nfrom; i < s->nvals; i++)
			(void)hark_sketch_add(&s->sk, (double)s->vals[i]);
		s->median = sk_value(hark_sketch_percentile(&s->sk, 50));
		s->p90 = sk_value(hark_sketch_percentile(&s->sk, 90));
		s->p95 = sk_value(hark_sketch_percentile(&s->sk, 95));
		s->max = s->sk.n > 0 ? (int64_t)llround(s->sk.max) : -1;
		return;
	}
	if (s->nvals > 1)
		qsort(s->vals, (size_t)s->nvals, sizeof(int64_t), cmp_i64);
	s->median = sr_percentile(s->vals, s->nvals, 50);
	s->p90 = sr_percentile(s->vals, s->nvals, 90);
	s->p95 = sr_percentile(s->vals, s->nvals, 95);
	s->max = s->nvals > 0 ? s->vals[s->nvals - 1] : -1;
}

static uint64_t
key_hash(const struct sr_group *g, int nby)
{
	uint64_t h = 1469598103934665603ull;
	int i;

	for (i = 0; i < nby; i++)
		h = (h ^ g->key[i]) * 1099511628211ull;
	return (h ^ (uint64_t)g->day) * 1099511628211ull;
}

static int
key_eq(const struct sr_group *a, const struct sr_group *b, int nby)
{
	return memcmp(a->key, b->key, (size_t)nby * sizeof(a->key[0])) == 0 &&
	    a->day == b->day;
}

const char *
sr_by_name(const struct sr_opts *o, int i)
{
	int b = o->by[i];

	if (b == SR_BY_DAY)
		return "day";
	if (b >= SR_BY_CUSTOM)
		return o->custom[b - SR_BY_CUSTOM];
	return sr_field_names[b];
}

const char *
sr_group_value(const struct sr_ctx *x, const struct sr_group *g, int i,
    char *buf, size_t sz)
{
	int y, m, d;

	if (x->o->by[i] == SR_BY_DAY) {
		hark_civil_from_days(g->day, &y, &m, &d);
		snprintf(buf, sz, "%04d-%02d-%02d", y, m, d);
		return buf;
	}
	return sr_str(&x->st.strs, g->key[i]);
}

static const struct sr_ctx *sort_ctx;

static int
cmp_group(const void *a, const void *b)
{
	const struct sr_group *x = a, *y = b;
	const struct sr_opts *o = sort_ctx->o;
	int i, r;

	for (i = 0; i < o->nby; i++) {
		if (o->by[i] == SR_BY_DAY) {
			if (x->day != y->day)
				return x->day < y->day ? -1 : 1;
			continue;
		}
		if (x->key[i] == y->key[i])
			continue;
		if (x->key[i] == SR_NONE)
			return 1;
		if (y->key[i] == SR_NONE)
			return -1;
		r = strcmp(sr_str(&sort_ctx->st.strs, x->key[i]),
		    sr_str(&sort_ctx->st.strs, y->key[i]));
		if (r != 0)
			return r;
	}
	return 0;
}

void
sr_report_begin(struct sr_ctx *x, struct sr_report *r)
{
	memset(r, 0, sizeof(*r));
	r->capg = 64;
	r->g = hark_xcalloc(r->capg, sizeof(*r->g));
	r->ng = 1;	/* g[0]: total */
	r->ngslot = 1024;
	r->gslot = hark_xcalloc(r->ngslot, sizeof(*r->gslot));
	r->polcount = hark_xcalloc(x->set.npol + 1, sizeof(*r->polcount));
	r->frt_target = -1;
}

size_t
sr_report_group(struct sr_ctx *x, struct sr_report *r,
    const struct sr_group *key)
{
	int nby = x->o->nby;
	size_t h, j, mask = r->ngslot - 1;

	if (nby == 0)
		return 0;
	h = (size_t)key_hash(key, nby) & mask;
	while (r->gslot[h] != 0 && !key_eq(&r->g[r->gslot[h] - 1], key, nby))
		h = (h + 1) & mask;
	if (r->gslot[h] != 0)
		return r->gslot[h] - 1;
	if (r->ng == r->capg) {
		r->g = hark_xrealloc(r->g, r->capg * 2 * sizeof(*r->g));
		memset(r->g + r->capg, 0, r->capg * sizeof(*r->g));
		r->capg *= 2;
	}
	memset(&r->g[r->ng], 0, sizeof(r->g[0]));
	memcpy(r->g[r->ng].key, key->key, sizeof(key->key));
	r->g[r->ng].day = key->day;
	r->gslot[h] = (uint32_t)++r->ng;
	if (r->ng * 2 > r->ngslot) {
		free(r->gslot);
		r->ngslot *= 2;
		mask = r->ngslot - 1;
		r->gslot = hark_xcalloc(r->ngslot, sizeof(*r->gslot));
		for (j = 1; j < r->ng; j++) {
			h = (size_t)key_hash(&r->g[j], nby) & mask;
			while (r->gslot[h] != 0)
				h = (h + 1) & mask;
			r->gslot[h] = (uint32_t)j + 1;
		}
	}
	return r->ng - 1;
}

void
sr_report_add_day(struct sr_report *r, int64_t day, long volume, long breach)
{
	if (r->ndayc == r->capdayc) {
		r->capdayc = r->capdayc ? r->capdayc * 2 : 256;
		r->dayc = hark_xrealloc(r->dayc, r->capdayc *
		    sizeof(*r->dayc));
	}
	r->dayc[r->ndayc].day = day;
	r->dayc[r->ndayc].volume = volume;
	r->dayc[r->ndayc].breach = breach;
	r->ndayc++;
}

void
sr_report_add_convs(struct sr_ctx *x, struct sr_report *r,
    int skip_dependent)
{
	const struct sr_opts *o = x->o;
	size_t i, j;
	uint32_t ci;

	for (ci = 0; ci < x->nconv; ci++) {
		const struct sr_conv *c = &x->conv[ci];
		struct sr_group key, *gs[2];
		size_t gi;
		int breach = 0;
		uint32_t k;

		if (skip_dependent && c->depends)
			continue;
		memset(&key, 0, sizeof(key));
		for (i = 0; i < (size_t)o->nby; i++) {
			int b = o->by[i];

			key.key[i] = b == SR_BY_DAY ? SR_NONE :
			    b >= SR_BY_CUSTOM ? c->cf[b - SR_BY_CUSTOM] :
			    c->f[b];
			if (b == SR_BY_DAY)
				key.day = c->day;
		}
		gi = sr_report_group(x, r, &key);
		gs[0] = &r->g[0];
		gs[1] = gi != 0 ? &r->g[gi] : NULL;
		if (c->excluded) {
			gs[0]->excluded++;
			gs[0]->fragments += c->fragment;
			if (gs[1] != NULL) {
				gs[1]->excluded++;
				gs[1]->fragments += c->fragment;
			}
			continue;
		}
		r->polcount[c->policy]++;
		for (j = 0; j < 2 && gs[j] != NULL; j++) {
			struct sr_group *g = gs[j];

			g->conversations++;
			g->open += c->open;
			g->unanswered += !c->answered && !c->brand_started;
			stats_add(&g->m[HARK_SLA_FIRST_RESPONSE], &c->frt);
			for (k = 0; k < c->nnrt; k++)
				stats_add(&g->m[HARK_SLA_NEXT_RESPONSE],
				    &c->nrt[k]);
			stats_add(&g->m[HARK_SLA_RESOLUTION], &c->res);
		}
		breach = c->frt.status == SR_ST_BREACHED ||
		    c->frt.status == SR_ST_ACTIVE_BREACHED ||
		    c->res.status == SR_ST_BREACHED ||
		    c->res.status == SR_ST_ACTIVE_BREACHED;
		for (k = 0; k < c->nnrt; k++)
			breach |= c->nrt[k].status == SR_ST_BREACHED ||
			    c->nrt[k].status == SR_ST_ACTIVE_BREACHED;
		sr_report_add_day(r, c->day, 1, breach);
	}
}

void
sr_report_add_busy(struct sr_ctx *x, struct sr_report *r)
{
	size_t i;

	/* Busy hours: every customer message. */
	for (i = 0; i < x->st.n; i++) {
		struct hark_civil lc;

		if (x->st.ev[i].kind != SR_CUSTOMER)
			continue;
		hark_tz_to_local(x->o->tz, x->st.ev[i].ts, &lc);
		r->busy[lc.wday][lc.hour]++;
	}
}

static int
cmp_dayc(const void *a, const void *b)
{
	const struct sr_daycount *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

/* The first-response histogram of a merge: each sketch bucket once (its
 * value read back), weighted by its count. */
static void
hist_from_sketch(struct sr_report *r, const struct hark_sketch *sk)
{
	uint64_t cum = 0;
	size_t cap = (size_t)sk->len + 1, j;
	long n = 0;

	r->hist_vals = hark_xmalloc(cap * sizeof(int64_t));
	r->hist_weight = hark_xmalloc(cap * sizeof(long));
	for (j = 0; j <= sk->len; j++) {
		uint64_t c = j == 0 ? sk->zero : sk->counts[j - 1];

		if (c == 0)
			continue;
		cum += c;
		r->hist_vals[n] = sk_value(hark_sketch_rank(sk, cum));
		r->hist_weight[n] = (long)c;
		n++;
	}
	r->nhist = n;
}

void
sr_report_finish(struct sr_ctx *x, struct sr_report *r)
{
	size_t i, n;
	int m;

	for (i = 0; i < r->ng; i++)
		for (m = 0; m < HARK_SLA_NMETRICS; m++)
			stats_finish(&r->g[i].m[m]);
	sort_ctx = x;
	if (r->ng > 2)
		qsort(r->g + 1, r->ng - 1, sizeof(*r->g), cmp_group);
	/* Volume and breaches per day (conversation start, report zone). */
	if (r->ndayc > 1)
		qsort(r->dayc, r->ndayc, sizeof(*r->dayc), cmp_dayc);
	r->breach_day = hark_xmalloc((r->ndayc + 1) * sizeof(int64_t));
	r->breach_count = hark_xcalloc(r->ndayc + 1, sizeof(long));
	r->volume_count = hark_xcalloc(r->ndayc + 1, sizeof(long));
	for (i = 0; i < r->ndayc; i++) {
		if (r->nbreach_days == 0 ||
		    r->breach_day[r->nbreach_days - 1] != r->dayc[i].day) {
			r->breach_day[r->nbreach_days] = r->dayc[i].day;
			r->nbreach_days++;
		}
		n = (size_t)r->nbreach_days - 1;
		r->volume_count[n] += r->dayc[i].volume;
		r->breach_count[n] += r->dayc[i].breach;
	}
	/* The first-response target of the most used policy. */
	r->frt_target = -1;
	{
		long best = 0;

		for (i = 1; i <= x->set.npol; i++)
			if (r->polcount[i] > best) {
				best = r->polcount[i];
				r->frt_target = x->set.pol[i - 1].target[
				    HARK_SLA_FIRST_RESPONSE].seconds;
			}
	}
	if (r->g[0].m[HARK_SLA_FIRST_RESPONSE].sketched) {
		hist_from_sketch(r, &r->g[0].m[HARK_SLA_FIRST_RESPONSE].sk);
	} else {
		r->hist_vals = r->g[0].m[HARK_SLA_FIRST_RESPONSE].vals;
		r->nhist = r->g[0].m[HARK_SLA_FIRST_RESPONSE].nvals;
	}
}

void
sr_report_build(struct sr_ctx *x, struct sr_report *r)
{
	sr_report_begin(x, r);
	sr_report_add_convs(x, r, 0);
	sr_report_add_busy(x, r);
	sr_report_finish(x, r);
}

void
sr_report_release(struct sr_report *r)
{
	size_t i;
	int m;

	if (r->hist_weight != NULL) {
		free(r->hist_vals);
		free(r->hist_weight);
	}
	for (i = 0; i < r->ng; i++)
		for (m = 0; m < HARK_SLA_NMETRICS; m++) {
			free(r->g[i].m[m].vals);
			hark_sketch_release(&r->g[i].m[m].sk);
		}
	free(r->g);
	free(r->gslot);
	free(r->polcount);
	free(r->dayc);
	free(r->breach_day);
	free(r->breach_count);
	free(r->volume_count);
	memset(r, 0, sizeof(*r));
}

/* ---- checks ---- */

static int
metric_index(const char *s, size_t n)
{
	static const struct { const char *name; int m; } names[] = {
		{ "first_response", 0 }, { "first-response", 0 }, { "frt", 0 },
		{ "next_response", 1 }, { "next-response", 1 }, { "nrt", 1 },
		{ "resolution", 2 }, { "res", 2 },
	};
	size_t i;

	for (i = 0; i < HARK_ARRAY_SIZE(names); i++)
		if (strlen(names[i].name) == n &&
		    strncasecmp(s, names[i].name, n) == 0)
			return names[i].m;
	return -1;
}

static int
stat_index(const char *s, size_t n)
{
	int i;

	if (n == 3 && strncasecmp(s, "p50", 3) == 0)
		return ST_MEDIAN;
	if (n == 14 && strncasecmp(s, "share_achieved", 14) == 0)
		return ST_SHARE;
	for (i = 0; i < ST_NSTATS; i++)
		if (strlen(stat_names[i]) == n &&
		    strncasecmp(s, stat_names[i], n) == 0)
			return i;
	return -1;
}

static int
is_duration_stat(int st)
{
	return st == ST_MEDIAN || st == ST_P90 || st == ST_P95 || st == ST_MAX;
}

static int check_parse(const char *src, struct sr_check *c,
    struct hark_err *err);

int
sr_check_parse(const char *src, struct sr_check *c, struct hark_err *err)
{
	if (check_parse(src, c, err) == 0)
		return 0;
	free(c->sel_field);
	free(c->sel_value);
	c->sel_field = c->sel_value = NULL;
	return -1;
}

int
sr_checks_resolve(struct sr_opts *o, struct hark_err *err)
{
	size_t i;
	int k;

	for (i = 0; i < o->nchecks; i++) {
		struct sr_check *c = &o->checks[i];

		c->sel_by = -1;
		if (c->sel_all && o->nby == 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "--check "
			    "'%.100s': '*:' needs --by", c->src);
		if (c->sel_field == NULL)
			continue;
		for (k = 0; k < o->nby; k++) {
			const char *n = sr_by_name(o, k);

			if (strcasecmp(n, c->sel_field) == 0)
				c->sel_by = k;
		}
		if (c->sel_by < 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "--check "
			    "'%.100s': '%.40s' is not a --by field", c->src,
			    c->sel_field);
	}
	return 0;
}

static int
check_parse(const char *src, struct sr_check *c, struct hark_err *err)
{
	const char *p = src, *w, *dot;
	char val[64];
	size_t n;

	memset(c, 0, sizeof(*c));
	while (isspace((unsigned char)*p))
		p++;
	/* Optional row selector: "*:" or "field=value:". */
	if ((w = strchr(p, ':')) != NULL) {
		const char *eq = memchr(p, '=', (size_t)(w - p));
		const char *e = w;

		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		if (e - p == 1 && *p == '*') {
			c->sel_all = 1;
		} else if (eq != NULL && eq > p && eq + 1 < e) {
			c->sel_field = hark_xstrndup(p, (size_t)(eq - p));
			c->sel_value = hark_xstrndup(eq + 1,
			    (size_t)(e - eq - 1));
		} else {
			return hark_err_set(err, HARK_EXIT_USAGE, "--check: "
			    "expected '*:' or 'FIELD=VALUE:' before the "
			    "condition in '%.100s'", src);
		}
		p = w + 1;
		while (isspace((unsigned char)*p))
			p++;
	}
	w = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' ||
	    *p == '.')
		p++;
	n = (size_t)(p - w);
	dot = memchr(w, '.', n);
	c->metric = -1;
	if (dot != NULL) {
		if ((c->metric = metric_index(w, (size_t)(dot - w))) < 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "--check: "
			    "unknown metric '%.*s' (first_response, "
			    "next_response, resolution)", (int)(dot - w), w);
		c->stat = stat_index(dot + 1, (size_t)(p - dot - 1));
		if (c->stat < 0 || c->stat >= ST_CONVERSATIONS)
			return hark_err_set(err, HARK_EXIT_USAGE, "--check: "
			    "unknown statistic '%.*s'", (int)(p - dot - 1),
			    dot + 1);
	} else {
		c->stat = stat_index(w, n);
		if (c->stat < ST_CONVERSATIONS)
			return hark_err_set(err, HARK_EXIT_USAGE, "--check: "
			    "expected METRIC.STAT, e.g. 'first_response.p90 "
			    "<= 4h', or conversations/open/unanswered");
	}
	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '<' && p[1] == '=') { c->op = 'l'; p += 2; }
	else if (p[0] == '>' && p[1] == '=') { c->op = 'g'; p += 2; }
	else if (p[0] == '=' && p[1] == '=') { c->op = '='; p += 2; }
	else if (p[0] == '!' && p[1] == '=') { c->op = '!'; p += 2; }
	else if (*p == '<' || *p == '>' || *p == '=') { c->op = *p++; }
	else
		return hark_err_set(err, HARK_EXIT_USAGE, "--check: expected "
		    "an operator (<=, <, >=, >, ==, !=) in '%.100s'", src);
	while (isspace((unsigned char)*p))
		p++;
	n = strlen(p);
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(val))
		return hark_err_set(err, HARK_EXIT_USAGE, "--check: missing "
		    "value in '%.100s'", src);
	memcpy(val, p, n);
	val[n] = '\0';
	if (is_duration_stat(c->stat)) {
		long secs;

		if (hark_config_duration(val, &secs, NULL) != 0)
			return hark_err_set(err, HARK_EXIT_USAGE, "--check: "
			    "'%s' is not a duration (4h, 30m, 1h30m, 90s)",
			    val);
		c->value = (double)secs;
	} else {
		char *end;

		errno = 0;
		c->value = strtod(val, &end);
		if (end == val || errno != 0 || (*end != '\0' &&
		    !(*end == '%' && end[1] == '\0')))
			return hark_err_set(err, HARK_EXIT_USAGE, "--check: "
			    "'%s' is not a number", val);
		if (*end == '%')
			c->value /= 100;
	}
	c->src = hark_xstrdup(src);
	return 0;
}

static double
stat_value(const struct sr_group *g, const struct sr_check *c)
{
	const struct sr_stats *s;

	switch (c->stat) {
	case ST_CONVERSATIONS: return (double)g->conversations;
	case ST_OPEN: return (double)g->open;
	case ST_UNANSWERED: return (double)g->unanswered;
	}
	s = &g->m[c->metric];
	switch (c->stat) {
	case ST_COUNT: return (double)s->count;
	case ST_ACHIEVED: return (double)s->achieved;
	case ST_BREACHED: return (double)s->breached;
	case ST_ACTIVE: return (double)s->active;
	case ST_ACTIVE_BREACHED: return (double)s->active_breached;
	case ST_SHARE: return s->share;
	case ST_MEDIAN: return (double)s->median;
	case ST_P90: return (double)s->p90;
	case ST_P95: return (double)s->p95;
	default: return (double)s->max;
	}
}

/* "queue=billing,agent=ann" for group G (total: "all"). */
static void
group_label(const struct sr_ctx *x, const struct sr_group *g, char *buf,
    size_t sz)
{
	const struct sr_opts *o = x->o;
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < o->nby && len + 1 < sz; i++) {
		char d[16];
		const char *v = sr_group_value(x, g, i, d, sizeof(d));
		int n = snprintf(buf + len, sz - len, "%s%s=%s",
		    i > 0 ? "," : "", sr_by_name(o, i), v != NULL ? v : "-");

		if (n < 0 || (size_t)n >= sz - len)
			break;
		len += (size_t)n;
	}
}

/* Whether group G has C's selector value. */
static int
group_is(const struct sr_ctx *x, const struct sr_group *g,
    const struct sr_check *c)
{
	const char *v;
	char d[16];

	if (c->sel_by < 0)
		return 0;
	v = sr_group_value(x, g, c->sel_by, d, sizeof(d));
	return v != NULL && strcmp(v, c->sel_value) == 0;
}

int
sr_checks_run(const struct sr_ctx *x, const struct sr_report *r)
{
	const struct sr_opts *o = x->o;
	size_t i, gi;
	int failed = 0;

	for (i = 0; i < o->nchecks; i++) {
		const struct sr_check *c = &o->checks[i];
		int matched = 0;

		for (gi = 0; gi < r->ng; gi++) {
			const struct sr_group *g = &r->g[gi];
			char got[64], label[256], where[300];
			double v;
			int pass;

			if (c->sel_field == NULL ?
			    (c->sel_all ? gi == 0 : gi != 0) :
			    (gi == 0 || !group_is(x, g, c)))
				continue;
			matched = 1;
			where[0] = '\0';
			if (gi > 0) {
				group_label(x, g, label, sizeof(label));
				snprintf(where, sizeof(where), " for %s",
				    label);
			}
			v = stat_value(g, c);
			if (v < 0 && (c->stat == ST_SHARE ||
			    is_duration_stat(c->stat))) {
				hark_error("check failed: '%s'%s (no data)",
				    c->src, where);
				failed = 1;
				continue;
			}
			switch (c->op) {
			case '<': pass = v < c->value; break;
			case 'l': pass = v <= c->value; break;
			case '>': pass = v > c->value; break;
			case 'g': pass = v >= c->value; break;
			case '=': pass = v == c->value; break;
			default: pass = v != c->value; break;
			}
			if (pass)
				continue;
			failed = 1;
			if (is_duration_stat(c->stat))
				hark_duration_format((int64_t)v, got,
				    sizeof(got));
			else if (c->stat == ST_SHARE)
				snprintf(got, sizeof(got), "%.1f%%", v * 100);
			else
				snprintf(got, sizeof(got), "%.0f", v);
			hark_error("check failed: '%s'%s (actual %s)", c->src,
			    where, got);
		}
		if (!matched && c->sel_field != NULL) {
			hark_error("check failed: '%s' (no such group)",
			    c->src);
			failed = 1;
		}
	}
	return failed;
}
