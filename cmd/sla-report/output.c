/* output.c - table, NDJSON, CSV, Markdown and HTML writers. */
#include <math.h>
#include "sr.h"
#include "ndjson.h"
#include "chart.h"

static const char *const wd_names[7] = { "sun", "mon", "tue", "wed", "thu",
	"fri", "sat" };
/* Monday first */
static const int wd_order[7] = { 1, 2, 3, 4, 5, 6, 0 };

#define outs hark_chart_puts
#define outf hark_chart_printf

static void
grid_put(struct hark_grid *g, size_t row, size_t col, const char *s)
{
	hark_grid_put(g, row, col, s);
}

static void
grid_write(struct hark_grid *g, enum sr_format f, struct hark_output *out)
{
	hark_grid_write(g, f == SR_CSV ? HARK_GRID_CSV : f == SR_MARKDOWN ?
	    HARK_GRID_MARKDOWN : HARK_GRID_TABLE, out);
}

/* ---- value helpers ---- */

static const char *
fmt_day(int64_t day, char *buf, size_t sz)
{
	int y, m, d;

	hark_civil_from_days(day, &y, &m, &d);
	snprintf(buf, sz, "%04d-%02d-%02d", y, m, d);
	return buf;
}

static const char *
fmt_num(long v, char *buf, size_t sz)
{
	snprintf(buf, sz, "%ld", v);
	return buf;
}

static const char *
fmt_secs(int64_t v, int human, char *buf, size_t sz)
{
	if (v < 0)
		return human ? "-" : "";
	if (human)
		return hark_duration_format(v, buf, sz);
	snprintf(buf, sz, "%lld", (long long)v);
	return buf;
}

static const char *
fmt_share(double v, int human, char *buf, size_t sz)
{
	if (v < 0)
		return human ? "-" : "";
	snprintf(buf, sz, human ? "%.1f%%" : "%.4f", human ? v * 100 : v);
	return buf;
}

static const char *
fmt_time(int64_t t, char *buf)
{
	if (t == HARK_TIME_NEVER)
		return "";
	return hark_time_format(t, buf);
}

/* ---- report (aggregates) ---- */

static const char *const agg_cols[] = { "metric", "count", "achieved",
	"breached", "active", "active_breached", "share", "median", "p90",
	"p95", "max", "conversations", "open", "unanswered" };

static void
report_grid(struct sr_ctx *x, const struct sr_report *r, int human,
    struct hark_grid *g)
{
	const struct sr_opts *o = x->o;
	size_t nc = (size_t)o->nby + HARK_ARRAY_SIZE(agg_cols), gi, row = 1;
	size_t c;
	char b[64];
	int i, m;

	hark_grid_init(g, nc);
	for (i = 0; i < o->nby; i++)
		grid_put(g, 0, (size_t)i, sr_by_name(o, i));
	for (c = 0; c < HARK_ARRAY_SIZE(agg_cols); c++) {
		grid_put(g, 0, (size_t)o->nby + c, agg_cols[c]);
		g->num[(size_t)o->nby + c] = c > 0;
	}
	/* g[0] is the total: "(all)" in every grouping column. */
	for (gi = 0; gi < r->ng; gi++) {
		const struct sr_group *gr = &r->g[gi];

		for (m = 0; m < HARK_SLA_NMETRICS; m++) {
			const struct sr_stats *s = &gr->m[m];

			c = 0;
			for (i = 0; i < o->nby; i++) {
				const char *v = gi == 0 ? "(all)" :
				    sr_group_value(x, gr, i, b, sizeof(b));

				grid_put(g, row, c++, v == NULL && human ? "-" :
				    v);
			}
			grid_put(g, row, c++, hark_sla_metric_name(
			    (enum hark_sla_metric)m));
			grid_put(g, row, c++, fmt_num(s->count, b, sizeof(b)));
			grid_put(g, row, c++, fmt_num(s->achieved, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_num(s->breached, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_num(s->active, b, sizeof(b)));
			grid_put(g, row, c++, fmt_num(s->active_breached, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_share(s->share, human, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_secs(s->median, human, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_secs(s->p90, human, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_secs(s->p95, human, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_secs(s->max, human, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_num(gr->conversations, b,
			    sizeof(b)));
			grid_put(g, row, c++, fmt_num(gr->open, b, sizeof(b)));
			grid_put(g, row, c++, fmt_num(gr->unanswered, b,
			    sizeof(b)));
			row++;
		}
	}
}

static json_t *
jsecs(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *
jtime(int64_t t)
{
	char buf[HARK_TIME_BUFSZ];

	return t == HARK_TIME_NEVER ? json_null() :
	    json_string(hark_time_format(t, buf));
}

static void
emit_json(struct hark_output *out, json_t *o)
{
	char *s = hark_json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));

	if (s != NULL) {
		outs(out, s);
		outs(out, "\n");
		hark_output_end_record(out);
		free(s);
	}
	json_decref(o);
}

static void
report_ndjson(struct sr_ctx *x, const struct sr_report *r,
    struct hark_output *out)
{
	const struct sr_opts *o = x->o;
	size_t gi;
	int i, m;
	char b[64];

	for (gi = 0; gi < r->ng; gi++) {
		const struct sr_group *g = &r->g[gi];
		json_t *obj = json_object(), *grp;

		if (gi == 0) {
			grp = json_null();
		} else {
			grp = json_object();
			for (i = 0; i < o->nby; i++)
				json_object_set_new(grp, sr_by_name(o, i),
				    hark_json_str_or_null(sr_group_value(x, g, i, b,
				    sizeof(b))));
		}
		json_object_set_new(obj, "group", grp);
		json_object_set_new(obj, "conversations",
		    json_integer(g->conversations));
		json_object_set_new(obj, "open", json_integer(g->open));
		json_object_set_new(obj, "unanswered",
		    json_integer(g->unanswered));
		json_object_set_new(obj, "excluded", json_integer(g->excluded));
		json_object_set_new(obj, "fragments",
		    json_integer(g->fragments));
		for (m = 0; m < HARK_SLA_NMETRICS; m++) {
			const struct sr_stats *s = &g->m[m];
			json_t *mo = json_object();

			json_object_set_new(mo, "count",
			    json_integer(s->count));
			json_object_set_new(mo, "achieved",
			    json_integer(s->achieved));
			json_object_set_new(mo, "breached",
			    json_integer(s->breached));
			json_object_set_new(mo, "active",
			    json_integer(s->active));
			json_object_set_new(mo, "active_breached",
			    json_integer(s->active_breached));
			json_object_set_new(mo, "no_target",
			    json_integer(s->none));
			json_object_set_new(mo, "share_achieved",
			    hark_json_ratio(s->share));
			json_object_set_new(mo, "median", jsecs(s->median));
			json_object_set_new(mo, "p90", jsecs(s->p90));
			json_object_set_new(mo, "p95", jsecs(s->p95));
			json_object_set_new(mo, "max", jsecs(s->max));
			json_object_set_new(obj, hark_sla_metric_name(
			    (enum hark_sla_metric)m), mo);
		}
		emit_json(out, obj);
	}
}

/* ---- tickets ---- */

static const char *
policy_name(const struct sr_ctx *x, const struct sr_conv *c)
{
	/* The policy whose due times were used: the record's own when
	 * ticket-route's due times were kept. */
	if (c->policy_name != SR_NONE)
		return sr_str(&x->st.strs, c->policy_name);
	return c->policy ? x->set.pol[c->policy - 1].name : NULL;
}

static json_t *
metric_json(const struct sr_metric *m)
{
	json_t *o;

	if (!m->present)
		return json_null();
	o = json_object();
	json_object_set_new(o, "status", json_string(
	    sr_status_names[m->status]));
	json_object_set_new(o, "start", jtime(m->start));
	json_object_set_new(o, "at", jtime(m->end));
	json_object_set_new(o, "due", jtime(m->due));
	json_object_set_new(o, "elapsed", json_integer(m->elapsed));
	json_object_set_new(o, "business", json_integer(m->business));
	return o;
}

/* Worst status of the next-response instances. */
static int
nrt_worst(const struct sr_conv *c, long *breaches, int64_t *max)
{
	static const int rank[6] = { 0, 1, 4, 2, 3, 1 };
	int worst = -1;
	uint32_t k;

	*breaches = 0;
	*max = -1;
	for (k = 0; k < c->nnrt; k++) {
		const struct sr_metric *m = &c->nrt[k];

		if (worst < 0 || rank[m->status] > rank[worst])
			worst = m->status;
		*breaches += m->status == SR_ST_BREACHED ||
		    m->status == SR_ST_ACTIVE_BREACHED;
		if (m->end != HARK_TIME_NEVER && m->clock > *max)
			*max = m->clock;
	}
	return worst;
}

static void
tickets_ndjson(struct sr_ctx *x, struct hark_output *out)
{
	uint32_t i, k;
	int f;

	for (i = 0; i < x->nconv; i++) {
		const struct sr_conv *c = &x->conv[i];
		json_t *o = json_object(), *a;

		json_object_set_new(o, "conversation",
		    hark_json_str_or_null(sr_str(&x->st.strs, c->key)));
		json_object_set_new(o, "start", jtime(c->start));
		json_object_set_new(o, "policy", hark_json_str_or_null(policy_name(x, c)));
		for (f = 0; f < SR_NFIELDS; f++)
			json_object_set_new(o, sr_field_names[f],
			    hark_json_str_or_null(sr_str(&x->st.strs, c->f[f])));
		json_object_set_new(o, "customer",
		    hark_json_str_or_null(sr_str(&x->st.strs, c->customer)));
		json_object_set_new(o, "open", json_boolean(c->open));
		json_object_set_new(o, "answered", json_boolean(c->answered));
		json_object_set_new(o, "excluded", json_boolean(c->excluded));
		json_object_set_new(o, "first_response", metric_json(&c->frt));
		a = json_array();
		for (k = 0; k < c->nnrt; k++)
			json_array_append_new(a, metric_json(&c->nrt[k]));
		json_object_set_new(o, "next_response", a);
		json_object_set_new(o, "resolution", metric_json(&c->res));
		emit_json(out, o);
	}
}

static void
tickets_grid(struct sr_ctx *x, int human, struct hark_grid *g)
{
	static const char *const full[] = { "conversation", "start", "policy",
	    "channel", "queue", "agent", "priority", "category", "language",
	    "brand", "first_response_status", "first_response_at",
	    "first_response_due", "first_response_elapsed",
	    "first_response_business", "next_response_count",
	    "next_response_breached", "next_response_status",
	    "next_response_max", "resolution_status", "resolution_at",
	    "resolution_due", "resolution_elapsed", "resolution_business" };
	static const char *const brief[] = { "conversation", "start",
	    "policy", "channel", "first_response", "elapsed", "business",
	    "due", "next", "next_status", "resolution", "res_elapsed" };
	char b[64], t[HARK_TIME_BUFSZ];
	uint32_t i;
	size_t c, nc = human ? HARK_ARRAY_SIZE(brief) : HARK_ARRAY_SIZE(full);
	int f;

	hark_grid_init(g, nc);
	for (c = 0; c < nc; c++)
		grid_put(g, 0, c, human ? brief[c] : full[c]);
	for (i = 0; i < x->nconv; i++) {
		const struct sr_conv *cv = &x->conv[i];
		const struct sr_metric *m = &cv->frt;
		size_t row = i + 1;
		long nb;
		int64_t nmax;
		int w = nrt_worst(cv, &nb, &nmax);

		c = 0;
		grid_put(g, row, c++, sr_str(&x->st.strs, cv->key));
		grid_put(g, row, c++, fmt_time(cv->start, t));
		grid_put(g, row, c++, policy_name(x, cv));
		if (human) {
			grid_put(g, row, c++, sr_str(&x->st.strs,
			    cv->f[SR_F_CHANNEL]));
			grid_put(g, row, c++, m->present ?
			    sr_status_names[m->status] : "-");
			grid_put(g, row, c++, m->present ? fmt_secs(m->elapsed,
			    1, b, sizeof(b)) : "-");
			grid_put(g, row, c++, m->present ?
			    fmt_secs(m->business, 1, b, sizeof(b)) : "-");
			grid_put(g, row, c++, m->present &&
			    m->due != HARK_TIME_NEVER ? fmt_time(m->due, t) :
			    "-");
			grid_put(g, row, c++, fmt_num((long)cv->nnrt, b,
			    sizeof(b)));
			grid_put(g, row, c++, w >= 0 ? sr_status_names[w] :
			    "-");
			grid_put(g, row, c++, sr_status_names[cv->res.status]);
			grid_put(g, row, c++, fmt_secs(cv->res.elapsed, 1, b,
			    sizeof(b)));
			g->num[5] = g->num[6] = g->num[8] = g->num[11] = 1;
			continue;
		}
		for (f = 0; f < SR_NFIELDS; f++)
			grid_put(g, row, c++, sr_str(&x->st.strs, cv->f[f]));
		grid_put(g, row, c++, m->present ? sr_status_names[m->status] :
		    "");
		grid_put(g, row, c++, m->present ? fmt_time(m->end, t) : "");
		grid_put(g, row, c++, m->present ? fmt_time(m->due, t) : "");
		grid_put(g, row, c++, m->present ? fmt_secs(m->elapsed, 0, b,
		    sizeof(b)) : "");
		grid_put(g, row, c++, m->present ? fmt_secs(m->business, 0, b,
		    sizeof(b)) : "");
		grid_put(g, row, c++, fmt_num((long)cv->nnrt, b, sizeof(b)));
		grid_put(g, row, c++, fmt_num(nb, b, sizeof(b)));
		grid_put(g, row, c++, w >= 0 ? sr_status_names[w] : "");
		grid_put(g, row, c++, fmt_secs(nmax, 0, b, sizeof(b)));
		m = &cv->res;
		grid_put(g, row, c++, sr_status_names[m->status]);
		grid_put(g, row, c++, fmt_time(m->end, t));
		grid_put(g, row, c++, fmt_time(m->due, t));
		grid_put(g, row, c++, fmt_secs(m->elapsed, 0, b, sizeof(b)));
		grid_put(g, row, c++, fmt_secs(m->business, 0, b, sizeof(b)));
		for (c = 13; c <= 18; c++)
			g->num[c] = c != 17;
		g->num[22] = g->num[23] = 1;
	}
}

/* ---- busy hours ---- */

static void
busy_grid(const struct sr_report *r, struct hark_grid *g)
{
	char b[32];
	int d, h;
	long tot;

	hark_grid_init(g, 26);
	grid_put(g, 0, 0, "weekday");
	for (h = 0; h < 24; h++) {
		snprintf(b, sizeof(b), "%02d", h);
		grid_put(g, 0, (size_t)h + 1, b);
		g->num[h + 1] = 1;
	}
	grid_put(g, 0, 25, "total");
	g->num[25] = 1;
	for (d = 0; d < 7; d++) {
		int wd = wd_order[d];

		grid_put(g, (size_t)d + 1, 0, wd_names[wd]);
		tot = 0;
		for (h = 0; h < 24; h++) {
			tot += r->busy[wd][h];
			grid_put(g, (size_t)d + 1, (size_t)h + 1,
			    fmt_num(r->busy[wd][h], b, sizeof(b)));
		}
		grid_put(g, (size_t)d + 1, 25, fmt_num(tot, b, sizeof(b)));
	}
}

static void
busy_ndjson(const struct sr_ctx *x, const struct sr_report *r,
    struct hark_output *out)
{
	int d, h;

	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++) {
			json_t *o = json_object();

			json_object_set_new(o, "weekday",
			    json_string(wd_names[wd_order[d]]));
			json_object_set_new(o, "hour", json_integer(h));
			json_object_set_new(o, "zone",
			    json_string(hark_tz_name(x->o->tz)));
			json_object_set_new(o, "count",
			    json_integer(r->busy[wd_order[d]][h]));
			emit_json(out, o);
		}
}

/* ---- HTML ---- */

static const int64_t hist_edges[] = { 0, 300, 900, 1800, 3600, 7200, 14400,
	28800, 43200, 86400, 172800, 604800 };

static void
svg_histogram(const struct sr_report *r, struct hark_output *out)
{
	enum { NB = HARK_ARRAY_SIZE(hist_edges) };
	long cnt[NB] = { 0 }, max = 1;
	int W = 720, H = 260, L = 50, B = 50, bw, i;
	char b1[32], b2[32];
	long k;

	for (k = 0; k < r->nhist; k++) {
		for (i = NB - 1; i > 0 && r->hist_vals[k] < hist_edges[i]; i--)
			;
		cnt[i] += r->hist_weight != NULL ? r->hist_weight[k] : 1;
	}
	for (i = 0; i < NB; i++)
		max = HARK_MAX(max, cnt[i]);
	bw = (W - L - 10) / NB;
	hark_chart_svg_open(out, "first-response distribution", W, H);
	hark_chart_axis(out, L, H - B, W - 10, H - B);
	for (i = 0; i < NB; i++) {
		int h = (int)((double)cnt[i] / (double)max * (H - B - 20));
		int xx = L + i * bw;
		int late = r->frt_target >= 0 && hist_edges[i] >= r->frt_target;

		outf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "class=\"%s\"><title>%s%s%s: %ld</title></rect>\n",
		    xx + 2, H - B - h, bw - 4, h, late ? "late" : "ok",
		    hark_duration_format(hist_edges[i], b1, sizeof(b1)),
		    i + 1 < NB ? "-" : "+", i + 1 < NB ?
		    hark_duration_format(hist_edges[i + 1], b2, sizeof(b2)) :
		    "", cnt[i]);
		outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%s</text>\n",
		    xx + bw / 2, H - B + 16,
		    hark_duration_format(hist_edges[i], b1, sizeof(b1)));
		if (cnt[i] > 0)
			outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%ld"
			    "</text>\n", xx + bw / 2, H - B - h - 4, cnt[i]);
	}
	if (r->frt_target >= 0) {
		double pos = NB;

		for (i = 0; i + 1 < NB; i++)
			if (r->frt_target < hist_edges[i + 1]) {
				pos = i + (double)(r->frt_target -
				    hist_edges[i]) / (double)(hist_edges[i +
				    1] - hist_edges[i]);
				break;
			}
		outf(out, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" "
		    "class=\"target\"/><text x=\"%.1f\" y=\"20\" "
		    "class=\"lbl t\">target %s</text>\n", L + pos * bw,
		    L + pos * bw, H - B, L + pos * bw + 4,
		    hark_duration_format(r->frt_target, b1, sizeof(b1)));
	}
	outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">first response "
	    "(policy clock)</text>\n</svg>\n", W / 2, H - 12);
}

static void
svg_days(const struct sr_report *r, struct hark_output *out)
{
	static const char *const cls[2] = { "vol", "late" };
	struct hark_chart_bars c = { "breaches per day", "conversations per "
	    "day (grey) and those with a breach (red)", 720, 240, 0, 2, NULL,
	    cls, NULL, NULL, 0 };
	size_t n = (size_t)r->nbreach_days, i;
	double *val = hark_xcalloc(2 * n + 1, sizeof(*val));
	char **lbl = hark_xcalloc(n + 1, sizeof(*lbl));
	char **tit = hark_xcalloc(2 * n + 1, sizeof(*tit));
	char d[16];

	for (i = 0; i < n; i++) {
		fmt_day(r->breach_day[i], d, sizeof(d));
		val[2 * i] = (double)r->volume_count[i];
		val[2 * i + 1] = (double)r->breach_count[i];
		lbl[i] = hark_xstrdup(d + 5);
		tit[2 * i] = hark_xasprintf("%s: %ld conversations, %ld with "
		    "a breach", d, r->volume_count[i], r->breach_count[i]);
	}
	c.nbar = n;
	c.val = val;
	c.xlabel = (const char *const *)lbl;
	c.title = (const char *const *)tit;
	hark_chart_bars(out, &c);
	for (i = 0; i < n; i++) {
		free(lbl[i]);
		free(tit[2 * i]);
	}
	free(val);
	free(lbl);
	free(tit);
}

static void
svg_heatmap(const struct sr_report *r, struct hark_output *out)
{
	int cw = 26, ch = 24, L = 40, T = 24, d, h;
	long max = 1;

	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			max = HARK_MAX(max, r->busy[d][h]);
	hark_chart_svg_open(out, "customer messages by weekday and hour",
	    L + 24 * cw + 10, T + 7 * ch + 10);
	for (h = 0; h < 24; h++)
		outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%02d</text>\n",
		    L + h * cw + cw / 2, T - 8, h);
	for (d = 0; d < 7; d++) {
		int wd = wd_order[d];

		outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%s</text>\n",
		    L / 2, T + d * ch + ch / 2 + 4, wd_names[wd]);
		for (h = 0; h < 24; h++) {
			double a = (double)r->busy[wd][h] / max;

			outf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"rgb(%d,%d,%d)\"><title>%s "
			    "%02d:00: %ld</title></rect>\n", L + h * cw,
			    T + d * ch, cw - 1, ch - 1,
			    (int)(255 - a * 222), (int)(255 - a * 153),
			    (int)(255 - a * 75), wd_names[wd], h,
			    r->busy[wd][h]);
		}
	}
	outs(out, "</svg>\n");
}

static void
write_html(struct sr_ctx *x, const struct sr_report *r,
    struct hark_output *out)
{
	struct hark_grid g;
	char t[HARK_TIME_BUFSZ];
	const char *title = x->o->title ? x->o->title : "SLA report";

	hark_chart_page_begin(out, title, NULL);
	outs(out, "<p>Report time ");
	hark_chart_html_text(out, hark_time_format(x->o->now, t));
	outs(out, "; days and hours in ");
	hark_chart_html_text(out, hark_tz_name(x->o->tz));
	outf(out, "; %ld conversations.</p>\n", r->g[0].conversations);
	outs(out, "<h2>Response and resolution times</h2>\n");
	report_grid(x, r, 1, &g);
	hark_grid_clean(&g);
	hark_grid_html(&g, out);
	hark_grid_release(&g);
	outs(out, "<h2>First-response distribution against the target</h2>\n");
	svg_histogram(r, out);
	outs(out, "<h2>Breaches per day</h2>\n");
	svg_days(r, out);
	outs(out, "<h2>Customer messages by weekday and hour</h2>\n");
	svg_heatmap(r, out);
	outs(out, "<p>Percentiles are nearest-rank over finished "
	    "instances; share achieved = achieved / (achieved + breached + "
	    "active and already breached).</p>\n");
	hark_chart_page_end(out);
}

int
sr_write(struct sr_ctx *x, const struct sr_report *r, struct hark_output *out)
{
	const struct sr_opts *o = x->o;
	struct hark_grid g;
	int human = o->format == SR_TABLE || o->format == SR_MARKDOWN;

	if (o->format == SR_HTML) {
		write_html(x, r, out);
		return 0;
	}
	if (o->format == SR_NDJSON) {
		if (o->mode == SR_MODE_TICKETS)
			tickets_ndjson(x, out);
		else if (o->mode == SR_MODE_BUSY)
			busy_ndjson(x, r, out);
		else
			report_ndjson(x, r, out);
		return 0;
	}
	if (o->mode == SR_MODE_TICKETS)
		tickets_grid(x, human, &g);
	else if (o->mode == SR_MODE_BUSY)
		busy_grid(r, &g);
	else
		report_grid(x, r, human, &g);
	grid_write(&g, o->format, out);
	hark_grid_release(&g);
	return 0;
}
