/* output.c - table, Markdown, CSV, NDJSON and HTML writers. */
#include <math.h>
#include "mr.h"
#include "chart.h"
#include "ndjson.h"

#define outs hark_chart_puts
#define outf hark_chart_printf

static long
n_of(const struct mr_cell *c)
{
	return c != NULL ? c->n : 0;
}

static long
neg_of(const struct mr_cell *c)
{
	return c != NULL ? c->negative : 0;
}

/* Share A / N, or -2 (undefined) when N is 0. */
static double
share(long a, long n)
{
	return n > 0 ? (double)a / n : -2;
}

static uint32_t
dim_count(const struct mr_cell *c, uint32_t key)
{
	uint32_t i;

	if (c == NULL || (i = mr_map_get(&c->dvix, key)) == MR_NONE)
		return 0;
	return c->dv[i].count;
}

/* "+25.0%", "-10.0%", "new", "-" (nothing before or now). */
static const char *
fmt_change(long cur, long prev, char *buf, size_t sz)
{
	if (prev == 0)
		return cur > 0 ? "new" : "-";
	snprintf(buf, sz, "%+.1f%%", 100.0 * (cur - prev) / prev);
	return buf;
}

static const char *
fmt_pct(double v, char *buf, size_t sz)
{
	if (v < 0)
		return "-";
	snprintf(buf, sz, "%.1f%%", 100 * v);
	return buf;
}

static const char *
fmt_pp(double a, double b, char *buf, size_t sz)
{
	if (a < 0 || b < 0)
		return "-";
	snprintf(buf, sz, "%+.1f pp", 100 * (a - b));
	return buf;
}

static const char *
fmt_long(long v, char *buf, size_t sz)
{
	snprintf(buf, sz, "%ld", v);
	return buf;
}

static const char *
fmt_num(double v, char *buf, size_t sz)
{
	snprintf(buf, sz, "%.0f", v);
	return buf;
}

static const char *
fmt_g2(double v, char *buf, size_t sz)
{
	snprintf(buf, sz, "%.1f", v);
	return buf;
}

/* Values for CSV (machine): "" for undefined. */
static const char *
csv_ratio(double v, char *buf, size_t sz)
{
	if (v < -1)
		return "";
	snprintf(buf, sz, "%.4f", v);
	return buf;
}

static const char *
group_label(const struct mr_ctx *x, uint32_t g, char *buf, size_t sz)
{
	char v[256];
	size_t n = 0;
	int i;

	if (g == 0)
		return "(all)";
	buf[0] = '\0';
	for (i = 0; i < x->o->nby; i++) {
		const char *s = mr_group_value(x, g, i, v, sizeof(v));

		n += (size_t)snprintf(buf + HARK_MIN(n, sz - 1), sz -
		    HARK_MIN(n, sz - 1), "%s%s=%s", i > 0 ? ", " : "",
		    x->o->byname[i], s != NULL ? s : "-");
	}
	return buf;
}

static const char *
answer_text(const struct mr_ctx *x, uint32_t e, char *buf, size_t sz)
{
	int64_t a = mr_ex_answer(x, e);
	char d[32];

	if (a == HARK_TIME_NEVER)
		return "no";
	snprintf(buf, sz, "in %s", hark_duration_format(a - x->ex[e].ts, d,
	    sizeof(d)));
	return buf;
}

/* "author: first words <url>" */
static const char *
ex_text(const struct mr_ctx *x, uint32_t e, char *buf, size_t sz)
{
	const struct mr_ex *m = &x->ex[e];

	snprintf(buf, sz, "%s%s%s%s%s%s", m->author != NULL ? "@" : "",
	    m->author != NULL ? m->author : "", m->author != NULL ? ": " : "",
	    m->words, m->url != NULL ? " " : "", m->url != NULL ? m->url : "");
	return buf;
}

/* ---- table and Markdown ---- */

static void
heading(struct hark_output *out, int md, int level, const char *s)
{
	if (md) {
		outf(out, "\n%.*s ", level, "####");
		/* Headings hold record values: keep Markdown out. */
		for (; *s != '\0'; s++) {
			if (strchr("\\`*_[]<>#|", *s) != NULL)
				outs(out, "\\");
			if ((unsigned char)*s < 0x20)
				outs(out, " ");
			else
				hark_output_write(out, s, 1);
		}
		outs(out, "\n\n");
	} else {
		char clean[512];

		outf(out, "\n%s\n", hark_sanitize(clean, sizeof(clean), s,
		    strlen(s)));
	}
}

static void
volume_grid(const struct mr_ctx *x, const struct mr_report *r, int human,
    struct hark_grid *g)
{
	static const char *const cols[] = { "mentions", "previous", "change",
	    "negative", "negative_share", "negative_share_previous",
	    "negative_share_change", "reach", "answered", "answer_median" };
	const struct mr_opts *o = x->o;
	size_t nc = 1 + (size_t)o->nby + HARK_ARRAY_SIZE(cols), c, i, row = 1;
	char b[64], v[256];
	int k;

	hark_grid_init(g, nc);
	hark_grid_put(g, 0, 0, "period");
	for (k = 0; k < o->nby; k++)
		hark_grid_put(g, 0, 1 + (size_t)k, o->byname[k]);
	for (c = 0; c < HARK_ARRAY_SIZE(cols); c++) {
		hark_grid_put(g, 0, 1 + (size_t)o->nby + c, cols[c]);
		g->num[1 + (size_t)o->nby + c] = 1;
	}
	for (i = 0; i < r->nrow; i++) {
		struct mr_row *w = &r->row[i];
		long n = n_of(w->cur), pn = n_of(w->prev);
		double s = share(neg_of(w->cur), n);
		double ps = share(neg_of(w->prev), pn);
		struct mr_cell *cur = (struct mr_cell *)w->cur;

		c = 0;
		mr_period_label(o, w->period, b, sizeof(b));
		if (w->partial && human) {
			size_t bl = strlen(b);

			b[bl] = '*';	/* not ended: a footnote */
			b[bl + 1] = '\0';
		}
		hark_grid_put(g, row, c++, b);
		for (k = 0; k < o->nby; k++) {
			const char *gv = w->group == 0 ? "(all)" :
			    mr_group_value(x, w->group, k, v, sizeof(v));

			hark_grid_put(g, row, c++, gv != NULL ? gv : human ?
			    "-" : "");
		}
		hark_grid_put(g, row, c++, fmt_long(n, b, sizeof(b)));
		hark_grid_put(g, row, c++, fmt_long(pn, b, sizeof(b)));
		if (human)
			hark_grid_put(g, row, c++, fmt_change(n, pn, b,
			    sizeof(b)));
		else
			hark_grid_put(g, row, c++, csv_ratio(pn > 0 ?
			    (double)(n - pn) / pn : -2, b, sizeof(b)));
		hark_grid_put(g, row, c++, fmt_long(neg_of(w->cur), b,
		    sizeof(b)));
		hark_grid_put(g, row, c++, human ? fmt_pct(s, b, sizeof(b)) :
		    csv_ratio(s, b, sizeof(b)));
		hark_grid_put(g, row, c++, human ? fmt_pct(ps, b, sizeof(b)) :
		    csv_ratio(ps, b, sizeof(b)));
		if (human)
			hark_grid_put(g, row, c++, fmt_pp(s, ps, b, sizeof(b)));
		else
			hark_grid_put(g, row, c++, s >= 0 && ps >= 0 ?
			    (snprintf(b, sizeof(b), "%.4f", s - ps), b) : "");
		hark_grid_put(g, row, c++, fmt_num(cur != NULL ? cur->reach :
		    0, b, sizeof(b)));
		hark_grid_put(g, row, c++, fmt_long(cur != NULL ?
		    cur->answered : 0, b, sizeof(b)));
		{
			int64_t md = mr_cell_median(cur);

			hark_grid_put(g, row, c++, human ?
			    hark_duration_format(md, b, sizeof(b)) : md < 0 ?
			    "" : fmt_long((long)md, b, sizeof(b)));
		}
		row++;
	}
}

/*
 * The values of dimension D to show: this period's by count (then by
 * value), then those of the previous period that are gone.  Returns a
 * new array of keys, *N of them.
 */
static uint32_t *
dim_keys(const struct mr_ctx *x, const struct mr_cell *c,
    const struct mr_cell *p, int d, uint32_t *n)
{
	const struct mr_cell *src[2] = { c, p };
	uint32_t *keys = hark_xmalloc(((c != NULL ? c->ndv : 0) +
	    (p != NULL ? p->ndv : 0) + 1) * sizeof(*keys)), i, j, start;
	int s;

	*n = 0;
	for (s = 0; s < 2; s++) {
		if (src[s] == NULL)
			continue;
		start = *n;
		for (i = 0; i < src[s]->ndv; i++)
			if (src[s]->dv[i].key >> 28 == (uint32_t)d &&
			    (s == 0 || dim_count(c, src[s]->dv[i].key) == 0))
				keys[(*n)++] = src[s]->dv[i].key;
		for (i = start + 1; i < *n; i++) {
			uint32_t kk = keys[i], bc = dim_count(src[s], kk);

			for (j = i; j > start; j--) {
				uint32_t ac = dim_count(src[s], keys[j - 1]);

				if (ac > bc || (ac == bc && strcmp(mr_str(
				    &x->strs, keys[j - 1] & 0x0FFFFFFF),
				    mr_str(&x->strs, kk & 0x0FFFFFFF)) <= 0))
					break;
				keys[j] = keys[j - 1];
			}
			keys[j] = kk;
		}
	}
	return keys;
}

static void
breakdown_grid(const struct mr_ctx *x, const struct mr_row *w,
    struct hark_grid *g)
{
	static const char *const cols[] = { "dimension", "value", "mentions",
	    "share", "previous", "previous_share", "change" };
	const struct mr_cell *c = w->cur, *p = w->prev;
	size_t row = 1, i, k;
	char b[64];
	int d;

	hark_grid_init(g, HARK_ARRAY_SIZE(cols));
	for (k = 0; k < HARK_ARRAY_SIZE(cols); k++) {
		hark_grid_put(g, 0, k, cols[k]);
		g->num[k] = k >= 2;
	}
	for (d = 0; d < MR_NDIM; d++) {
		uint32_t *keys, nk;

		keys = dim_keys(x, c, p, d, &nk);
		for (i = 0; i < nk; i++) {
			long cn = dim_count(c, keys[i]);
			long pn = dim_count(p, keys[i]);

			k = 0;
			hark_grid_put(g, row, k++, mr_dim_names[d]);
			hark_grid_put(g, row, k++, mr_str(&x->strs,
			    keys[i] & 0x0FFFFFFF));
			hark_grid_put(g, row, k++, fmt_long(cn, b,
			    sizeof(b)));
			hark_grid_put(g, row, k++, fmt_pct(share(cn,
			    n_of(c)), b, sizeof(b)));
			hark_grid_put(g, row, k++, fmt_long(pn, b,
			    sizeof(b)));
			hark_grid_put(g, row, k++, fmt_pct(share(pn,
			    n_of(p)), b, sizeof(b)));
			hark_grid_put(g, row, k++, fmt_change(cn, pn, b,
			    sizeof(b)));
			row++;
		}
		free(keys);
	}
}

static void
rising_grid(const struct mr_ctx *x, const struct mr_rising *v, size_t n,
    int cats, struct hark_grid *g)
{
	const char *cols[] = { cats ? "category" : "term", "mentions", "share",
	    "baseline", "baseline_share", "g2", "examples" };
	size_t row = 1, i, k, e;
	char b[64], t[512];

	hark_grid_init(g, HARK_ARRAY_SIZE(cols));
	for (k = 0; k < HARK_ARRAY_SIZE(cols); k++) {
		hark_grid_put(g, 0, k, cols[k]);
		g->num[k] = k >= 1 && k <= 5;
	}
	for (i = 0; i < n; i++) {
		const struct mr_rising *r = &v[i];

		k = 0;
		hark_grid_put(g, row, k++, cats ? mr_str(&x->strs, r->key &
		    0x0FFFFFFF) : mr_str(&x->terms, r->key));
		hark_grid_put(g, row, k++, fmt_long(r->count, b, sizeof(b)));
		hark_grid_put(g, row, k++, fmt_pct(share(r->count, r->n), b,
		    sizeof(b)));
		hark_grid_put(g, row, k++, fmt_long(r->base, b, sizeof(b)));
		hark_grid_put(g, row, k++, fmt_pct(share(r->base, r->base_n),
		    b, sizeof(b)));
		hark_grid_put(g, row, k++, fmt_g2(r->score, b, sizeof(b)));
		for (e = 0; e < MR_NEX && r->ex[e] != MR_NONE; e++) {
			hark_grid_put(g, row, 6, ex_text(x, r->ex[e], t,
			    sizeof(t)));
			if (e + 1 < MR_NEX && r->ex[e + 1] != MR_NONE)
				row++;
		}
		row++;
	}
}

static void
top_grid(const struct mr_ctx *x, const uint32_t *list, uint32_t n, int neg,
    struct hark_grid *g)
{
	static const char *const cols[] = { "reach", "score", "source",
	    "author", "category", "sentiment", "answered", "text", "url" };
	size_t k;
	uint32_t i;
	char b[64];

	hark_grid_init(g, HARK_ARRAY_SIZE(cols));
	for (k = 0; k < HARK_ARRAY_SIZE(cols); k++) {
		hark_grid_put(g, 0, k, cols[k]);
		g->num[k] = k <= 1;
	}
	(void)neg;
	for (i = 0; i < n; i++) {
		const struct mr_ex *e = &x->ex[list[i]];

		k = 0;
		hark_grid_put(g, i + 1, k++, fmt_num(e->reach, b, sizeof(b)));
		if (e->has_score)
			snprintf(b, sizeof(b), "%.4f", e->score);
		hark_grid_put(g, i + 1, k++, e->has_score ? b : "-");
		hark_grid_put(g, i + 1, k++, e->source != MR_NONE ?
		    mr_str(&x->strs, e->source) : "-");
		hark_grid_put(g, i + 1, k++, e->author != NULL ? e->author :
		    "-");
		hark_grid_put(g, i + 1, k++, e->category != MR_NONE ?
		    mr_str(&x->strs, e->category) : "-");
		hark_grid_put(g, i + 1, k++, e->sentiment != MR_NONE ?
		    mr_str(&x->strs, e->sentiment) : "-");
		hark_grid_put(g, i + 1, k++, answer_text(x, list[i], b,
		    sizeof(b)));
		hark_grid_put(g, i + 1, k++, e->words);
		hark_grid_put(g, i + 1, k++, e->url != NULL ? e->url : "-");
	}
}

static void
put_grid(struct hark_grid *g, int md, struct hark_output *out)
{
	hark_grid_write(g, md ? HARK_GRID_MARKDOWN : HARK_GRID_TABLE, out);
	hark_grid_release(g);
}

static void
header_line(const struct mr_ctx *x, const struct mr_report *r, char *buf,
    size_t sz)
{
	char t[HARK_TIME_BUFSZ];

	snprintf(buf, sz, "%ld mentions by %s in %s, %zu period%s; report "
	    "time %s", x->mentions, mr_period_name(x->o->period),
	    hark_tz_name(x->o->tz), r->nperiods, r->nperiods == 1 ? "" : "s",
	    hark_time_format(x->o->now, t));
}

/* What the report leaves out, as a sentence in BUF; 0 when nothing. */
static int
left_out(const struct mr_ctx *x, const struct mr_report *r, char *buf,
    size_t sz)
{
	int n = 0;

	buf[0] = '\0';
	if (r->terms_left_out > 0)
		n += snprintf(buf, sz, "Left out: %ld occurrences of terms "
		    "past the cap of %ld distinct terms", r->terms_left_out,
		    x->o->max_terms);
	if (x->incomplete > 0 && (size_t)n < sz)
		n += snprintf(buf + n, sz - (size_t)n, "%s%ld mentions in "
		    "periods not ended at the report time", n > 0 ? "; " :
		    "Left out: ", x->incomplete);
	if (n > 0 && (size_t)n + 1 < sz)
		memcpy(buf + n, ".", 2);
	return n > 0;
}

static void
write_text(struct mr_ctx *x, struct mr_report *r, int md,
    struct hark_output *out)
{
	struct hark_grid g;
	char line[512], b[64], gl[512];
	size_t i;

	if (md)
		outs(out, "# ");
	outs(out, x->o->title != NULL ? x->o->title : "Mention report");
	outs(out, "\n\n");
	header_line(x, r, line, sizeof(line));
	outf(out, "%s.\n", line);
	if (left_out(x, r, line, sizeof(line)))
		outf(out, "%s%s\n", md ? "\n" : "", line);
	heading(out, md, 2, "Volume");
	volume_grid(x, r, 1, &g);
	put_grid(&g, md, out);
	for (i = 0; i < r->nrow; i++) {
		struct mr_row *w = &r->row[i];

		if (!w->detail)
			continue;
		snprintf(line, sizeof(line), "%s %s%s%s%s",
		    mr_period_name(x->o->period), mr_period_label(x->o,
		    w->period, b, sizeof(b)), w->partial ? " (not ended)" : "",
		    w->group != 0 ? ": " : "", w->group != 0 ?
		    group_label(x, w->group, gl, sizeof(gl)) : "");
		heading(out, md, 2, line);
		if (w->cur == NULL) {
			outs(out, "No mentions.\n");
			continue;
		}
		heading(out, md, 3, "Breakdown");
		breakdown_grid(x, w, &g);
		put_grid(&g, md, out);
		heading(out, md, 3, "Rising terms");
		if (w->nterms == 0) {
			outf(out, "None%s.\n", w->base_n == 0 ? " (no earlier "
			    "mentions to compare with)" : "");
		} else {
			rising_grid(x, w->terms, w->nterms, 0, &g);
			put_grid(&g, md, out);
		}
		heading(out, md, 3, "Rising categories");
		if (w->ncats == 0) {
			outs(out, "None.\n");
		} else {
			rising_grid(x, w->cats, w->ncats, 1, &g);
			put_grid(&g, md, out);
		}
		heading(out, md, 3, "Top mentions by reach");
		top_grid(x, w->cur->top_reach, w->cur->ntop_reach, 0, &g);
		put_grid(&g, md, out);
		heading(out, md, 3, "Most negative mentions");
		if (w->cur->ntop_neg == 0) {
			outs(out, "None.\n");
		} else {
			top_grid(x, w->cur->top_neg, w->cur->ntop_neg, 1, &g);
			put_grid(&g, md, out);
		}
	}
}

/* ---- CSV: one long table ---- */

static const char *const csv_cols[] = { "section", "period", "item",
	"mentions", "previous", "change", "share", "previous_share", "reach",
	"answered", "answer_median", "score", "url", "author", "text" };
enum { C_SECTION, C_PERIOD, C_ITEM, C_MENTIONS, C_PREVIOUS, C_CHANGE,
	C_SHARE, C_PREVSHARE, C_REACH, C_ANSWERED, C_MEDIAN, C_SCORE, C_URL,
	C_AUTHOR, C_TEXT, C_N };

struct csvw {
	const struct mr_ctx *x;
	struct hark_grid g;
	size_t row;
	int nby;
};

static size_t
ccol(const struct csvw *w, int c)
{
	return c < C_ITEM ? (size_t)c : (size_t)c + (size_t)w->nby;
}

static void
csv_row(struct csvw *w, const char *section, const struct mr_row *r)
{
	char b[64], v[256];
	int k;

	w->row++;
	hark_grid_put(&w->g, w->row, ccol(w, C_SECTION), section);
	hark_grid_put(&w->g, w->row, ccol(w, C_PERIOD),
	    mr_period_label(w->x->o, r->period, b, sizeof(b)));
	for (k = 0; k < w->nby; k++) {
		const char *s = r->group == 0 ? "(all)" :
		    mr_group_value(w->x, r->group, k, v, sizeof(v));

		hark_grid_put(&w->g, w->row, 2 + (size_t)k, s);
	}
}

static void
csv_set(struct csvw *w, int c, const char *s)
{
	hark_grid_put(&w->g, w->row, ccol(w, c), s);
}

static void
csv_ex(struct csvw *w, uint32_t e)
{
	const struct mr_ex *m = &w->x->ex[e];

	csv_set(w, C_URL, m->url);
	csv_set(w, C_AUTHOR, m->author);
	csv_set(w, C_TEXT, m->words);
}

static void
csv_rising(struct csvw *w, const struct mr_row *r, const char *section,
    const struct mr_rising *v, size_t n, int cats)
{
	char b[64];
	size_t i;

	for (i = 0; i < n; i++) {
		csv_row(w, section, r);
		csv_set(w, C_ITEM, cats ? mr_str(&w->x->strs, v[i].key &
		    0x0FFFFFFF) : mr_str(&w->x->terms, v[i].key));
		csv_set(w, C_MENTIONS, fmt_long(v[i].count, b, sizeof(b)));
		csv_set(w, C_PREVIOUS, fmt_long(v[i].base, b, sizeof(b)));
		csv_set(w, C_SHARE, csv_ratio(share(v[i].count, v[i].n), b,
		    sizeof(b)));
		csv_set(w, C_PREVSHARE, csv_ratio(share(v[i].base,
		    v[i].base_n), b, sizeof(b)));
		snprintf(b, sizeof(b), "%.2f", v[i].score);
		csv_set(w, C_SCORE, b);
		if (v[i].ex[0] != MR_NONE)
			csv_ex(w, v[i].ex[0]);
	}
}

static void
csv_top(struct csvw *w, const struct mr_row *r, const char *section,
    const uint32_t *list, uint32_t n)
{
	char b[64];
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct mr_ex *e = &w->x->ex[list[i]];
		int64_t a = mr_ex_answer(w->x, list[i]);

		csv_row(w, section, r);
		csv_set(w, C_ITEM, e->id);
		csv_set(w, C_REACH, fmt_num(e->reach, b, sizeof(b)));
		if (a != HARK_TIME_NEVER)
			csv_set(w, C_MEDIAN, fmt_long((long)(a - e->ts), b,
			    sizeof(b)));
		csv_set(w, C_ANSWERED, a != HARK_TIME_NEVER ? "1" : "0");
		if (e->has_score) {
			snprintf(b, sizeof(b), "%.4f", e->score);
			csv_set(w, C_SCORE, b);
		}
		csv_ex(w, list[i]);
	}
}

static void
write_csv(struct mr_ctx *x, struct mr_report *r, struct hark_output *out)
{
	struct csvw w;
	struct hark_grid vol;
	size_t i, k;
	int c, d;
	char b[64];

	memset(&w, 0, sizeof(w));
	w.x = x;
	w.nby = x->o->nby;
	hark_grid_init(&w.g, C_N + (size_t)w.nby);
	for (c = 0; c < C_N; c++) {
		hark_grid_put(&w.g, 0, ccol(&w, c), csv_cols[c]);
		w.g.num[ccol(&w, c)] = c >= C_MENTIONS && c <= C_SCORE;
	}
	for (k = 0; k < (size_t)w.nby; k++)
		hark_grid_put(&w.g, 0, 2 + k, x->o->byname[k]);
	volume_grid(x, r, 0, &vol);
	for (i = 0; i < r->nrow; i++) {
		const struct mr_row *row = &r->row[i];
		size_t vr = i + 1, vc = 1 + (size_t)w.nby;

		csv_row(&w, "volume", row);
		csv_set(&w, C_MENTIONS, vol.cell[vr * vol.ncol + vc]);
		csv_set(&w, C_PREVIOUS, vol.cell[vr * vol.ncol + vc + 1]);
		csv_set(&w, C_CHANGE, vol.cell[vr * vol.ncol + vc + 2]);
		csv_set(&w, C_SHARE, vol.cell[vr * vol.ncol + vc + 4]);
		csv_set(&w, C_PREVSHARE, vol.cell[vr * vol.ncol + vc + 5]);
		csv_set(&w, C_REACH, vol.cell[vr * vol.ncol + vc + 7]);
		csv_set(&w, C_ANSWERED, vol.cell[vr * vol.ncol + vc + 8]);
		csv_set(&w, C_MEDIAN, vol.cell[vr * vol.ncol + vc + 9]);
		if (!row->detail || row->cur == NULL)
			continue;
		for (d = 0; d < MR_NDIM; d++) {
			uint32_t *keys, nk, j;

			keys = dim_keys(x, row->cur, row->prev, d, &nk);
			for (j = 0; j < nk; j++) {
				long cn = dim_count(row->cur, keys[j]);
				long pn = dim_count(row->prev, keys[j]);

				csv_row(&w, mr_dim_names[d], row);
				csv_set(&w, C_ITEM, mr_str(&x->strs, keys[j] &
				    0x0FFFFFFF));
				csv_set(&w, C_MENTIONS, fmt_long(cn, b,
				    sizeof(b)));
				csv_set(&w, C_PREVIOUS, fmt_long(pn, b,
				    sizeof(b)));
				csv_set(&w, C_CHANGE, csv_ratio(pn > 0 ?
				    (double)(cn - pn) / pn : -2, b, sizeof(b)));
				csv_set(&w, C_SHARE, csv_ratio(share(cn,
				    row->cur->n), b, sizeof(b)));
				csv_set(&w, C_PREVSHARE, csv_ratio(share(pn,
				    n_of(row->prev)), b, sizeof(b)));
			}
			free(keys);
		}
		csv_rising(&w, row, "rising_term", row->terms, row->nterms, 0);
		csv_rising(&w, row, "rising_category", row->cats, row->ncats,
		    1);
		csv_top(&w, row, "top_reach", row->cur->top_reach,
		    row->cur->ntop_reach);
		csv_top(&w, row, "top_negative", row->cur->top_neg,
		    row->cur->ntop_neg);
	}
	hark_grid_release(&vol);
	hark_grid_write(&w.g, HARK_GRID_CSV, out);
	hark_grid_release(&w.g);
}

/* ---- NDJSON: one object per period and group ---- */

static json_t *
jtime(int64_t t)
{
	char b[HARK_TIME_BUFSZ];

	return json_string(hark_time_format(t, b));
}

static json_t *
ex_json(const struct mr_ctx *x, uint32_t i)
{
	const struct mr_ex *e = &x->ex[i];
	json_t *o = json_object();
	int64_t a = mr_ex_answer(x, i);

	json_object_set_new(o, "id", json_string(e->id));
	json_object_set_new(o, "created_at", jtime(e->ts));
	json_object_set_new(o, "url", hark_json_str_or_null(e->url));
	json_object_set_new(o, "author", hark_json_str_or_null(e->author));
	json_object_set_new(o, "source", hark_json_str_or_null(mr_str(&x->strs, e->source)));
	json_object_set_new(o, "category", hark_json_str_or_null(mr_str(&x->strs,
	    e->category)));
	json_object_set_new(o, "sentiment", hark_json_str_or_null(mr_str(&x->strs,
	    e->sentiment)));
	json_object_set_new(o, "score", e->has_score ?
	    json_real(e->score) : json_null());
	json_object_set_new(o, "reach", json_integer((json_int_t)e->reach));
	json_object_set_new(o, "answered", json_boolean(a != HARK_TIME_NEVER));
	json_object_set_new(o, "answer_seconds", a != HARK_TIME_NEVER ?
	    json_integer(a - e->ts) : json_null());
	json_object_set_new(o, "text", json_string(e->words));
	return o;
}

static json_t *
exs_json(const struct mr_ctx *x, const uint32_t *list, uint32_t n)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; i < n && list[i] != MR_NONE; i++)
		json_array_append_new(a, ex_json(x, list[i]));
	return a;
}

static json_t *
rising_json(const struct mr_ctx *x, const struct mr_rising *v, size_t n,
    int cats)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, cats ? "category" : "term",
		    json_string(cats ? mr_str(&x->strs, v[i].key & 0x0FFFFFFF) :
		    mr_str(&x->terms, v[i].key)));
		json_object_set_new(o, "mentions", json_integer(v[i].count));
		json_object_set_new(o, "share", hark_json_ratio(share(v[i].count,
		    v[i].n)));
		json_object_set_new(o, "baseline", json_integer(v[i].base));
		json_object_set_new(o, "baseline_share", hark_json_ratio(share(
		    v[i].base, v[i].base_n)));
		json_object_set_new(o, "g2", json_real(round(v[i].score *
		    100) / 100));
		json_object_set_new(o, "examples", exs_json(x, v[i].ex,
		    MR_NEX));
		json_array_append_new(a, o);
	}
	return a;
}

static void
write_ndjson(struct mr_ctx *x, struct mr_report *r, struct hark_output *out)
{
	const struct mr_opts *o = x->o;
	size_t i, k;
	char b[256];
	int d, g;

	for (i = 0; i < r->nrow; i++) {
		struct mr_row *w = &r->row[i];
		struct mr_cell *c = (struct mr_cell *)w->cur;
		json_t *obj = json_object(), *grp, *by;
		long n = n_of(c), pn = n_of(w->prev);
		int64_t md;
		char *s;

		json_object_set_new(obj, "period", json_string(
		    mr_period_label(o, w->period, b, sizeof(b))));
		json_object_set_new(obj, "unit", json_string(
		    mr_period_name(o->period)));
		json_object_set_new(obj, "start", jtime(mr_period_start(o,
		    w->period)));
		json_object_set_new(obj, "end", jtime(mr_period_start(o,
		    mr_period_next(o, w->period))));
		json_object_set_new(obj, "zone", json_string(
		    hark_tz_name(o->tz)));
		json_object_set_new(obj, "ended", json_boolean(!w->partial));
		if (w->group == 0) {
			grp = json_null();
		} else {
			grp = json_object();
			for (g = 0; g < o->nby; g++)
				json_object_set_new(grp, o->byname[g], hark_json_str_or_null(
				    mr_group_value(x, w->group, g, b,
				    sizeof(b))));
		}
		json_object_set_new(obj, "group", grp);
		json_object_set_new(obj, "mentions", json_integer(n));
		json_object_set_new(obj, "previous", json_integer(pn));
		json_object_set_new(obj, "change", pn > 0 ? json_real(round(
		    (double)(n - pn) / pn * 10000) / 10000) : json_null());
		json_object_set_new(obj, "negative", json_integer(neg_of(c)));
		json_object_set_new(obj, "negative_share", hark_json_ratio(share(
		    neg_of(c), n)));
		json_object_set_new(obj, "negative_share_previous",
		    hark_json_ratio(share(neg_of(w->prev), pn)));
		json_object_set_new(obj, "reach", json_integer(c != NULL ?
		    (json_int_t)c->reach : 0));
		json_object_set_new(obj, "answered", json_integer(c != NULL ?
		    c->answered : 0));
		md = mr_cell_median(c);
		json_object_set_new(obj, "answer_median", md >= 0 ?
		    json_integer(md) : json_null());
		by = json_object();
		for (d = 0; d < MR_NDIM; d++) {
			json_t *dm = json_object();

			for (k = 0; c != NULL && k < c->ndv; k++) {
				json_t *v;

				if (c->dv[k].key >> 28 != (uint32_t)d)
					continue;
				v = json_object();
				json_object_set_new(v, "mentions",
				    json_integer(c->dv[k].count));
				json_object_set_new(v, "previous",
				    json_integer(dim_count(w->prev,
				    c->dv[k].key)));
				json_object_set_new(dm, mr_str(&x->strs,
				    c->dv[k].key & 0x0FFFFFFF), v);
			}
			for (k = 0; w->prev != NULL && k < w->prev->ndv; k++) {
				json_t *v;
				uint32_t key = w->prev->dv[k].key;

				if (key >> 28 != (uint32_t)d ||
				    dim_count(c, key) != 0)
					continue;
				v = json_object();
				json_object_set_new(v, "mentions",
				    json_integer(0));
				json_object_set_new(v, "previous",
				    json_integer(w->prev->dv[k].count));
				json_object_set_new(dm, mr_str(&x->strs,
				    key & 0x0FFFFFFF), v);
			}
			json_object_set_new(by, mr_dim_names[d], dm);
		}
		json_object_set_new(obj, "by", by);
		json_object_set_new(obj, "rising_terms", rising_json(x,
		    w->terms, w->nterms, 0));
		json_object_set_new(obj, "rising_categories", rising_json(x,
		    w->cats, w->ncats, 1));
		json_object_set_new(obj, "top_reach", c != NULL ? exs_json(x,
		    c->top_reach, c->ntop_reach) : json_array());
		json_object_set_new(obj, "top_negative", c != NULL ?
		    exs_json(x, c->top_neg, c->ntop_neg) : json_array());
		json_object_set_new(obj, "terms_left_out", json_integer(
		    c != NULL ? c->terms_left_out : 0));
		s = hark_json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_REAL_PRECISION(6));
		if (s != NULL) {
			outs(out, s);
			outs(out, "\n");
			hark_output_end_record(out);
			free(s);
		}
		json_decref(obj);
	}
}

/* ---- HTML ---- */

static const char html_css[] =
    ".neg{fill:#c8423b}.neu{fill:#9aa3ad}.pos{fill:#3a8f5c}"
    ".unl{fill:#dde1e5}.term{fill:#3b6fb6}\n"
    ".c0{fill:#3b6fb6}.c1{fill:#e08a2c}.c2{fill:#3a8f5c}.c3{fill:#c8423b}"
    ".c4{fill:#8a5cb8}.c5{fill:#8c6d4f}.c6{fill:#d36fb0}.c7{fill:#9aa3ad}\n"
    "td.x{font-size:12px;color:#444}\n";

/* A link only to http(s) URLs; anything else is text. */
static void
html_link(struct hark_output *out, const char *url, const char *text)
{
	if (url != NULL && (strncmp(url, "https://", 8) == 0 ||
	    strncmp(url, "http://", 7) == 0)) {
		outs(out, "<a href=\"");
		hark_chart_html_text(out, url);
		outs(out, "\" rel=\"noreferrer noopener\">");
		hark_chart_html_text(out, text);
		outs(out, "</a>");
	} else {
		hark_chart_html_text(out, text);
	}
}

static void
html_ex(const struct mr_ctx *x, uint32_t e, struct hark_output *out)
{
	const struct mr_ex *m = &x->ex[e];
	char clean[512];

	if (m->author != NULL) {
		outs(out, "@");
		hark_chart_html_text(out, hark_sanitize(clean, sizeof(clean),
		    m->author, strlen(m->author)));
		outs(out, ": ");
	}
	html_link(out, m->url, hark_sanitize(clean, sizeof(clean), m->words,
	    strlen(m->words)));
}

static void
html_rising(const struct mr_ctx *x, const struct mr_rising *v, size_t n,
    int cats, struct hark_output *out)
{
	size_t i, e;
	char b[64];

	outf(out, "<table>\n<thead><tr><th>%s</th><th>mentions</th>"
	    "<th>share</th><th>baseline share</th><th>G2</th>"
	    "<th>examples</th></tr></thead>\n<tbody>\n", cats ? "category" :
	    "term");
	for (i = 0; i < n; i++) {
		outs(out, "<tr><td>");
		hark_chart_html_text(out, cats ? mr_str(&x->strs, v[i].key &
		    0x0FFFFFFF) : mr_str(&x->terms, v[i].key));
		outf(out, "</td><td class=\"n\">%ld</td>", v[i].count);
		outf(out, "<td class=\"n\">%s</td>", fmt_pct(share(v[i].count,
		    v[i].n), b, sizeof(b)));
		outf(out, "<td class=\"n\">%s</td>", fmt_pct(share(v[i].base,
		    v[i].base_n), b, sizeof(b)));
		outf(out, "<td class=\"n\">%.1f</td><td class=\"x\">",
		    v[i].score);
		for (e = 0; e < MR_NEX && v[i].ex[e] != MR_NONE; e++) {
			if (e > 0)
				outs(out, "<br>");
			html_ex(x, v[i].ex[e], out);
		}
		outs(out, "</td></tr>\n");
	}
	outs(out, "</tbody>\n</table>\n");
}

static void
html_top(const struct mr_ctx *x, const uint32_t *list, uint32_t n,
    struct hark_output *out)
{
	uint32_t i;
	char b[64], clean[256];

	outs(out, "<table>\n<thead><tr><th>reach</th><th>score</th>"
	    "<th>source</th><th>category</th><th>answered</th>"
	    "<th>mention</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const struct mr_ex *e = &x->ex[list[i]];

		outf(out, "<tr><td class=\"n\">%.0f</td>", e->reach);
		if (e->has_score)
			outf(out, "<td class=\"n\">%.4f</td>", e->score);
		else
			outs(out, "<td class=\"n\">-</td>");
		outs(out, "<td>");
		hark_chart_html_text(out, e->source != MR_NONE ?
		    hark_sanitize(clean, sizeof(clean), mr_str(&x->strs,
		    e->source), strlen(mr_str(&x->strs, e->source))) : "-");
		outs(out, "</td><td>");
		hark_chart_html_text(out, e->category != MR_NONE ?
		    hark_sanitize(clean, sizeof(clean), mr_str(&x->strs,
		    e->category), strlen(mr_str(&x->strs, e->category))) :
		    "-");
		outs(out, "</td><td>");
		hark_chart_html_text(out, answer_text(x, list[i], b,
		    sizeof(b)));
		outs(out, "</td><td class=\"x\">");
		html_ex(x, list[i], out);
		outs(out, "</td></tr>\n");
	}
	outs(out, "</tbody>\n</table>\n");
}

static void
html_charts(struct mr_ctx *x, struct mr_report *r, struct hark_output *out)
{
	static const char *const scls[4] = { "neg", "neu", "pos", "unl" };
	static const char *const snames[3] = { "negative", "neutral",
	    "positive" };
	static const char *const ccls[8] = { "c0", "c1", "c2", "c3", "c4",
	    "c5", "c6", "c7" };
	const struct mr_opts *o = x->o;
	size_t np = r->nperiods, i, k, nc = 0;
	double *val = hark_xcalloc(8 * np + 1, sizeof(*val));
	char **lbl = hark_xcalloc(np + 1, sizeof(*lbl));
	char **tit = hark_xcalloc(8 * np + 1, sizeof(*tit));
	uint32_t cat[7], s;
	struct hark_chart_bars c;
	char b[64];

	/* Stacked volume by sentiment, the total per period. */
	for (i = 0; i < np; i++) {
		const struct mr_row *w = &r->row[i * r->ngroups];
		long rest = n_of(w->cur);

		lbl[i] = hark_xstrdup(mr_period_label(o, w->period, b,
		    sizeof(b)) + (o->period == MR_MONTH ? 0 : 5));
		for (k = 0; k < 3; k++) {
			uint32_t id = hark_intern_find(&x->strs, snames[k],
			    strlen(snames[k]));
			long v = id == MR_NONE ? 0 : dim_count(w->cur,
			    (uint32_t)MR_D_SENTIMENT << 28 | id);

			val[i * 4 + k] = (double)v;
			rest -= v;
			tit[i * 4 + k] = hark_xasprintf("%s: %ld %s",
			    mr_period_label(o, w->period, b, sizeof(b)), v,
			    snames[k]);
		}
		val[i * 4 + 3] = (double)rest;
		tit[i * 4 + 3] = hark_xasprintf("%s: %ld without a label",
		    mr_period_label(o, w->period, b, sizeof(b)), rest);
	}
	memset(&c, 0, sizeof(c));
	c.label = "mentions per period by sentiment";
	c.caption = "mentions per period: negative (red), neutral (grey), "
	    "positive (green), no label (light)";
	c.width = 720;
	c.height = 240;
	c.nbar = np;
	c.nseries = 4;
	c.val = val;
	c.cls = scls;
	c.xlabel = (const char *const *)lbl;
	c.title = (const char *const *)tit;
	c.stacked = 1;
	outs(out, "<h2>Volume by sentiment</h2>\n");
	hark_chart_bars(out, &c);
	for (i = 0; i < 4 * np; i++) {
		free(tit[i]);
		tit[i] = NULL;
	}

	/* Category shares: the seven largest categories overall, and the
	 * rest. */
	{
		struct mr_map tot;
		uint32_t *keys = NULL, nk = 0, j;
		long *cnt = NULL;

		mr_map_init(&tot);
		for (i = 0; i < np; i++) {
			const struct mr_cell *cc = r->row[i *
			    r->ngroups].cur;

			for (k = 0; cc != NULL && k < cc->ndv; k++) {
				uint32_t *sl;

				if (cc->dv[k].key >> 28 != MR_D_CATEGORY)
					continue;
				sl = mr_map_put(&tot, cc->dv[k].key, nk);
				if (*sl == nk) {
					keys = hark_xrealloc(keys, (nk + 1) *
					    sizeof(*keys));
					cnt = hark_xrealloc(cnt, (nk + 1) *
					    sizeof(*cnt));
					keys[nk] = cc->dv[k].key;
					cnt[nk++] = 0;
				}
				cnt[*sl] += cc->dv[k].count;
			}
		}
		for (nc = 0; nc < 7 && nc < nk; nc++) {
			uint32_t best = MR_NONE;

			for (j = 0; j < nk; j++) {
				if (cnt[j] < 0)
					continue;
				if (best == MR_NONE || cnt[j] > cnt[best] ||
				    (cnt[j] == cnt[best] && strcmp(mr_str(
				    &x->strs, keys[j] & 0x0FFFFFFF), mr_str(
				    &x->strs, keys[best] & 0x0FFFFFFF)) < 0))
					best = j;
			}
			cat[nc] = keys[best];
			cnt[best] = -1;
		}
		free(keys);
		free(cnt);
		mr_map_release(&tot);
	}
	for (i = 0; i < np; i++) {
		const struct mr_cell *cc = r->row[i * r->ngroups].cur;
		long n = n_of(cc), rest = n;

		for (k = 0; k < nc; k++) {
			long v = dim_count(cc, cat[k]);

			val[i * (nc + 1) + k] = n > 0 ? 100.0 * v / n : 0;
			rest -= v;
			tit[i * (nc + 1) + k] = hark_xasprintf("%s: %s %.1f%%",
			    lbl[i], mr_str(&x->strs, cat[k] & 0x0FFFFFFF),
			    n > 0 ? 100.0 * v / n : 0);
		}
		val[i * (nc + 1) + nc] = n > 0 ? 100.0 * rest / n : 0;
		tit[i * (nc + 1) + nc] = hark_xasprintf("%s: other or none "
		    "%.1f%%", lbl[i], n > 0 ? 100.0 * rest / n : 0);
	}
	{
		const char *cl[8];

		for (k = 0; k <= nc; k++)
			cl[k] = ccls[k == nc ? 7 : k];
		c.label = "category shares per period";
		c.caption = "share of each category per period (hover for "
		    "names)";
		c.nseries = nc + 1;
		c.cls = cl;
		outs(out, "<h2>Category shares</h2>\n<p>");
		for (k = 0; k < nc; k++) {
			outf(out, "%s<svg width=\"10\" height=\"10\" "
			    "xmlns=\"http://www.w3.org/2000/svg\"><rect "
			    "width=\"10\" height=\"10\" class=\"%s\"/></svg> ",
			    k > 0 ? "&nbsp; " : "", ccls[k]);
			hark_chart_html_text(out, mr_str(&x->strs, cat[k] &
			    0x0FFFFFFF));
		}
		outf(out, "%s<svg width=\"10\" height=\"10\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"10\" "
		    "height=\"10\" class=\"c7\"/></svg> other or none</p>\n",
		    nc > 0 ? "&nbsp; " : "");
		hark_chart_bars(out, &c);
	}
	for (i = 0; i < 8 * np; i++)
		free(tit[i]);
	for (i = 0; i < np; i++)
		free(lbl[i]);
	free(tit);
	free(lbl);
	free(val);

	/* Rising terms of the last period, all mentions. */
	if (r->nrow > 0) {
		const struct mr_row *w = &r->row[(np - 1) * r->ngroups];
		const char **nm = hark_xcalloc(w->nterms + 1, sizeof(*nm));
		double *v = hark_xcalloc(w->nterms + 1, sizeof(*v));
		char **vt = hark_xcalloc(w->nterms + 1, sizeof(*vt));

		for (s = 0; s < w->nterms; s++) {
			nm[s] = mr_str(&x->terms, w->terms[s].key);
			v[s] = w->terms[s].score;
			vt[s] = hark_xasprintf("G2 %.1f, %ld mentions",
			    w->terms[s].score, w->terms[s].count);
		}
		outf(out, "<h2>Rising terms, %s %s</h2>\n",
		    mr_period_name(o->period), mr_period_label(o, w->period,
		    b, sizeof(b)));
		if (w->nterms == 0)
			outs(out, "<p>None.</p>\n");
		else
			hark_chart_hbars(out, "rising terms", w->nterms, nm, v,
			    (const char *const *)vt, "term");
		for (s = 0; s < w->nterms; s++)
			free(vt[s]);
		free(vt);
		free(v);
		free(nm);
	}
}

static void
write_html(struct mr_ctx *x, struct mr_report *r, struct hark_output *out)
{
	struct hark_grid g;
	char line[512], b[64], gl[512];
	size_t i;

	hark_chart_page_begin(out, x->o->title != NULL ? x->o->title :
	    "Mention report", html_css);
	header_line(x, r, line, sizeof(line));
	outs(out, "<p>");
	hark_chart_html_text(out, line);
	outs(out, ".</p>\n");
	if (left_out(x, r, line, sizeof(line))) {
		outs(out, "<p>");
		hark_chart_html_text(out, line);
		outs(out, "</p>\n");
	}
	if (r->nrow > 0)
		html_charts(x, r, out);
	outs(out, "<h2>Volume</h2>\n");
	volume_grid(x, r, 1, &g);
	hark_grid_clean(&g);
	hark_grid_html(&g, out);
	hark_grid_release(&g);
	for (i = 0; i < r->nrow; i++) {
		struct mr_row *w = &r->row[i];

		if (!w->detail || w->cur == NULL)
			continue;
		snprintf(line, sizeof(line), "%s %s%s%s%s",
		    mr_period_name(x->o->period), mr_period_label(x->o,
		    w->period, b, sizeof(b)), w->partial ? " (not ended)" : "",
		    w->group != 0 ? ": " : "", w->group != 0 ?
		    group_label(x, w->group, gl, sizeof(gl)) : "");
		outs(out, "<h2>");
		hark_chart_html_text(out, line);
		outs(out, "</h2>\n<h3>Breakdown</h3>\n");
		breakdown_grid(x, w, &g);
		hark_grid_clean(&g);
		hark_grid_html(&g, out);
		hark_grid_release(&g);
		outs(out, "<h3>Rising terms</h3>\n");
		if (w->nterms == 0)
			outs(out, "<p>None.</p>\n");
		else
			html_rising(x, w->terms, w->nterms, 0, out);
		outs(out, "<h3>Rising categories</h3>\n");
		if (w->ncats == 0)
			outs(out, "<p>None.</p>\n");
		else
			html_rising(x, w->cats, w->ncats, 1, out);
		outs(out, "<h3>Top mentions by reach</h3>\n");
		html_top(x, w->cur->top_reach, w->cur->ntop_reach, out);
		outs(out, "<h3>Most negative mentions</h3>\n");
		if (w->cur->ntop_neg == 0)
			outs(out, "<p>None.</p>\n");
		else
			html_top(x, w->cur->top_neg, w->cur->ntop_neg, out);
	}
	outs(out, "<p>Rising terms: G2 (log-likelihood) of the period "
	    "against the previous periods, at least 10.83 (p &lt; 0.001); "
	    "categories at least 3.84 (p &lt; 0.05).</p>\n");
	hark_chart_page_end(out);
}

int
mr_write(struct mr_ctx *x, struct mr_report *r, struct hark_output *out)
{
	switch (x->o->format) {
	case MR_NDJSON:
		write_ndjson(x, r, out);
		break;
	case MR_CSV:
		write_csv(x, r, out);
		break;
	case MR_HTML:
		write_html(x, r, out);
		break;
	default:
		write_text(x, r, x->o->format == MR_MARKDOWN, out);
	}
	return 0;
}
