/* output.c - table, NDJSON, CSV, Markdown and HTML writers. */
#include <math.h>
#include "sr.h"
#include "ndjson.h"

static const char *const wd_names[7] = { "sun", "mon", "tue", "wed", "thu",
	"fri", "sat" };
/* Monday first */
static const int wd_order[7] = { 1, 2, 3, 4, 5, 6, 0 };

static void
outs(struct hark_output *out, const char *s)
{
	hark_output_write(out, s, strlen(s));
}

static void HARK_PRINTF(2, 3)
outf(struct hark_output *out, const char *fmt, ...)
{
	char buf[4096], *p = buf;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		p = hark_xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	hark_output_write(out, p, (size_t)n);
	if (p != buf)
		free(p);
}

/* ---- a grid of cells rendered as table, CSV or Markdown ---- */

struct grid {
	size_t ncol, nrow, cap;
	char **cell;		/* row-major, owned; row 0 = header */
	unsigned char *num;	/* per column: right-align */
};

static void
grid_init(struct grid *g, size_t ncol)
{
	memset(g, 0, sizeof(*g));
	g->ncol = ncol;
	g->num = hark_xcalloc(ncol, 1);
}

static void
grid_put(struct grid *g, size_t row, size_t col, const char *s)
{
	if (row >= g->nrow) {
		size_t need = (row + 1) * g->ncol;

		if (need > g->cap) {
			size_t nc = g->cap ? g->cap * 2 : g->ncol * 16;

			while (nc < need)
				nc *= 2;
			g->cell = hark_xrealloc(g->cell, nc * sizeof(char *));
			memset(g->cell + g->cap, 0, (nc - g->cap) *
			    sizeof(char *));
			g->cap = nc;
		}
		g->nrow = row + 1;
	}
	free(g->cell[row * g->ncol + col]);
	g->cell[row * g->ncol + col] = hark_xstrdup(s != NULL ? s : "");
}

static void
grid_release(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nrow * g->ncol; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->num);
}

static size_t
u8len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static const char *
cellv(const struct grid *g, size_t r, size_t c)
{
	const char *s = g->cell[r * g->ncol + c];

	return s != NULL ? s : "";
}

static void
grid_table(const struct grid *g, struct hark_output *out)
{
	size_t *w = hark_xcalloc(g->ncol, sizeof(*w)), r, c, k;

	for (r = 0; r < g->nrow; r++)
		for (c = 0; c < g->ncol; c++)
			w[c] = HARK_MAX(w[c], u8len(cellv(g, r, c)));
	for (r = 0; r < g->nrow; r++) {
		for (c = 0; c < g->ncol; c++) {
			const char *s = cellv(g, r, c);
			size_t pad = w[c] - u8len(s);
			int right = g->num[c] && r > 0;

			if (c > 0)
				outs(out, "  ");
			if (right)
				for (k = 0; k < pad; k++)
					outs(out, " ");
			outs(out, s);
			if (!right && c + 1 < g->ncol)
				for (k = 0; k < pad; k++)
					outs(out, " ");
		}
		outs(out, "\n");
	}
	free(w);
}

static void
csv_cell(struct hark_output *out, const char *s, int text)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	/* A spreadsheet runs =, +, -, @ (and tab/CR) at the start of a
	 * cell as a formula: prefix such text with an apostrophe. */
	int formula = text && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (formula)
		quote = 1;
	if (!quote) {
		outs(out, s);
		return;
	}
	outs(out, "\"");
	if (formula)
		outs(out, "'");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			outs(out, "\"\"");
		else
			hark_output_write(out, s, 1);
	}
	outs(out, "\"");
}

static void
grid_csv(const struct grid *g, struct hark_output *out)
{
	size_t r, c;

	for (r = 0; r < g->nrow; r++) {
		for (c = 0; c < g->ncol; c++) {
			if (c > 0)
				outs(out, ",");
			csv_cell(out, cellv(g, r, c), !g->num[c] || r == 0);
		}
		outs(out, "\r\n");
	}
}

static void
md_cell(struct hark_output *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '`' ||
		    *s == '<' || *s == '[')
			outs(out, "\\");
		if (*s == '\n' || *s == '\r')
			outs(out, " ");
		else
			hark_output_write(out, s, 1);
	}
}

static void
grid_markdown(const struct grid *g, struct hark_output *out)
{
	size_t r, c;

	for (r = 0; r < g->nrow; r++) {
		outs(out, "|");
		for (c = 0; c < g->ncol; c++) {
			outs(out, " ");
			md_cell(out, cellv(g, r, c));
			outs(out, " |");
		}
		outs(out, "\n");
		if (r == 0) {
			outs(out, "|");
			for (c = 0; c < g->ncol; c++)
				outs(out, g->num[c] ? " ---: |" : " --- |");
			outs(out, "\n");
		}
	}
}

/*
 * Formats meant for a person (table, Markdown, HTML) never pass a
 * record's control characters on: ESC, BEL, CR and the C1 controls would
 * reach the reader's terminal (STYLE.md 5).  Line breaks and tabs become
 * spaces, other controls and invalid UTF-8 '?'.  CSV and NDJSON are data
 * and keep every byte.
 */
static void
grid_clean(struct grid *g)
{
	size_t i, k, n;

	for (i = 0; i < g->nrow * g->ncol; i++) {
		char *s = g->cell[i], *t;

		if (s == NULL)
			continue;
		n = strlen(s);
		for (k = 0; k < n; k++)
			if (s[k] == '\n' || s[k] == '\r' || s[k] == '\t')
				s[k] = ' ';
		t = hark_xmalloc(n + 8);
		hark_sanitize(t, n + 8, s, n);
		free(s);
		g->cell[i] = t;
	}
}

static void
grid_write(struct grid *g, enum sr_format f, struct hark_output *out)
{
	if (f == SR_CSV) {
		grid_csv(g, out);
		return;
	}
	grid_clean(g);
	if (f == SR_MARKDOWN)
		grid_markdown(g, out);
	else
		grid_table(g, out);
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
		return sr_fmt_dur(v, buf, sz);
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
    struct grid *g)
{
	const struct sr_opts *o = x->o;
	size_t nc = (size_t)o->nby + HARK_ARRAY_SIZE(agg_cols), gi, row = 1;
	size_t c;
	char b[64];
	int i, m;

	grid_init(g, nc);
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
jshare(double v)
{
	return v < 0 ? json_null() : json_real(round(v * 10000) / 10000);
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
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
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));

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
				    jstr(sr_group_value(x, g, i, b,
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
			    jshare(s->share));
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
		    jstr(sr_str(&x->st.strs, c->key)));
		json_object_set_new(o, "start", jtime(c->start));
		json_object_set_new(o, "policy", jstr(policy_name(x, c)));
		for (f = 0; f < SR_NFIELDS; f++)
			json_object_set_new(o, sr_field_names[f],
			    jstr(sr_str(&x->st.strs, c->f[f])));
		json_object_set_new(o, "customer",
		    jstr(sr_str(&x->st.strs, c->customer)));
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
tickets_grid(struct sr_ctx *x, int human, struct grid *g)
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

	grid_init(g, nc);
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
busy_grid(const struct sr_report *r, struct grid *g)
{
	char b[32];
	int d, h;
	long tot;

	grid_init(g, 26);
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

static void
html_esc(struct hark_output *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<': outs(out, "&lt;"); break;
		case '>': outs(out, "&gt;"); break;
		case '&': outs(out, "&amp;"); break;
		case '"': outs(out, "&quot;"); break;
		case '\'': outs(out, "&#39;"); break;
		default: hark_output_write(out, s, 1);
		}
	}
}

static void
html_grid(const struct grid *g, struct hark_output *out)
{
	size_t r, c;

	outs(out, "<table>\n<thead><tr>");
	for (c = 0; c < g->ncol; c++) {
		outs(out, "<th>");
		html_esc(out, cellv(g, 0, c));
		outs(out, "</th>");
	}
	outs(out, "</tr></thead>\n<tbody>\n");
	for (r = 1; r < g->nrow; r++) {
		outs(out, "<tr>");
		for (c = 0; c < g->ncol; c++) {
			outs(out, g->num[c] ? "<td class=\"n\">" : "<td>");
			html_esc(out, cellv(g, r, c));
			outs(out, "</td>");
		}
		outs(out, "</tr>\n");
	}
	outs(out, "</tbody>\n</table>\n");
}

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
	outf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"first-response distribution\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\">\n", W, H, W, H);
	outf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "class=\"axis\"/>\n", L, H - B, W - 10, H - B);
	for (i = 0; i < NB; i++) {
		int h = (int)((double)cnt[i] / (double)max * (H - B - 20));
		int xx = L + i * bw;
		int late = r->frt_target >= 0 && hist_edges[i] >= r->frt_target;

		outf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		    "class=\"%s\"><title>%s%s%s: %ld</title></rect>\n",
		    xx + 2, H - B - h, bw - 4, h, late ? "late" : "ok",
		    sr_fmt_dur(hist_edges[i], b1, sizeof(b1)),
		    i + 1 < NB ? "-" : "+", i + 1 < NB ?
		    sr_fmt_dur(hist_edges[i + 1], b2, sizeof(b2)) : "",
		    cnt[i]);
		outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%s</text>\n",
		    xx + bw / 2, H - B + 16, sr_fmt_dur(hist_edges[i], b1,
		    sizeof(b1)));
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
		    sr_fmt_dur(r->frt_target, b1, sizeof(b1)));
	}
	outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">first response "
	    "(policy clock)</text>\n</svg>\n", W / 2, H - 12);
}

static void
svg_days(const struct sr_report *r, struct hark_output *out)
{
	int W = 720, H = 240, L = 50, B = 50, i, n = (int)r->nbreach_days;
	long max = 1;
	double bw;
	char d[16];

	for (i = 0; i < n; i++)
		max = HARK_MAX(max, r->volume_count[i]);
	bw = n > 0 ? (double)(W - L - 10) / n : 1;
	outf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"breaches per day\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\">\n", W, H, W, H);
	outf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "class=\"axis\"/>\n", L, H - B, W - 10, H - B);
	for (i = 0; i < n; i++) {
		double hv = (double)r->volume_count[i] / max * (H - B - 20);
		double hb = (double)r->breach_count[i] / max * (H - B - 20);
		double xx = L + i * bw;

		fmt_day(r->breach_day[i], d, sizeof(d));
		outf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" class=\"vol\"><title>%s: %ld "
		    "conversations, %ld with a breach</title></rect>\n",
		    xx + 1, H - B - hv, bw > 3 ? bw - 2 : bw, hv, d,
		    r->volume_count[i], r->breach_count[i]);
		outf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" class=\"late\"/>\n", xx + 1, H - B - hb,
		    bw > 3 ? bw - 2 : bw, hb);
		if (n <= 16 || i % ((n + 15) / 16) == 0)
			outf(out, "<text x=\"%.1f\" y=\"%d\" class=\"lbl\">%s"
			    "</text>\n", xx + bw / 2, H - B + 16, d + 5);
	}
	outf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">conversations per "
	    "day (grey) and those with a breach (red)</text>\n</svg>\n",
	    W / 2, H - 12);
}

static void
svg_heatmap(const struct sr_report *r, struct hark_output *out)
{
	int cw = 26, ch = 24, L = 40, T = 24, d, h;
	long max = 1;

	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			max = HARK_MAX(max, r->busy[d][h]);
	outf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"customer messages by weekday and hour\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	    L + 24 * cw + 10, T + 7 * ch + 10, L + 24 * cw + 10,
	    T + 7 * ch + 10);
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
	struct grid g;
	char t[HARK_TIME_BUFSZ];
	const char *title = x->o->title ? x->o->title : "SLA report";

	outs(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>");
	html_esc(out, title);
	outs(out, "</title>\n<style>\n"
	    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\n"
	    "table{border-collapse:collapse;margin:1em 0}\n"
	    "th,td{border:1px solid #ccc;padding:2px 6px}\n"
	    "th{background:#f3f3f3}td.n{text-align:right}\n"
	    ".axis{stroke:#555}.ok{fill:#3a8f5c}.late{fill:#c8423b}\n"
	    ".vol{fill:#bbb}.target{stroke:#c8423b;stroke-dasharray:4 3}\n"
	    ".lbl{font-size:11px;text-anchor:middle;fill:#333}"
	    ".t{text-anchor:start}\n"
	    "</style>\n</head>\n<body>\n<h1>");
	html_esc(out, title);
	outs(out, "</h1>\n<p>Report time ");
	html_esc(out, hark_time_format(x->o->now, t));
	outs(out, "; days and hours in ");
	html_esc(out, hark_tz_name(x->o->tz));
	outf(out, "; %ld conversations.</p>\n", r->g[0].conversations);
	outs(out, "<h2>Response and resolution times</h2>\n");
	report_grid(x, r, 1, &g);
	grid_clean(&g);
	html_grid(&g, out);
	grid_release(&g);
	outs(out, "<h2>First-response distribution against the target</h2>\n");
	svg_histogram(r, out);
	outs(out, "<h2>Breaches per day</h2>\n");
	svg_days(r, out);
	outs(out, "<h2>Customer messages by weekday and hour</h2>\n");
	svg_heatmap(r, out);
	outs(out, "<p>Percentiles are nearest-rank over finished "
	    "instances; share achieved = achieved / (achieved + breached + "
	    "active and already breached).</p>\n</body>\n</html>\n");
}

int
sr_write(struct sr_ctx *x, const struct sr_report *r, struct hark_output *out)
{
	const struct sr_opts *o = x->o;
	struct grid g;
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
	grid_release(&g);
	return 0;
}
