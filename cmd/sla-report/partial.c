/*
 * partial.c - sla-report --partial and --merge: a report's aggregates as
 * a partial (lib/partial.h's envelope, body format SR_PARTIAL_FORMAT,
 * documented in sla-report(1)), and partials merged into a report.
 *
 * A partial holds, for the conversations of its input: the groups'
 * counts and each metric's values as a sketch (lib/sketch.h), busy hours,
 * conversations and breaches per day, conversations per policy, and the
 * brand accounts seen (authors of brand messages, brand handles).  A
 * conversation whose figures depend on brand accounts seen anywhere in the
 * input (compute.c sets c->depends) is not aggregated: its events are kept
 * in the partial, and only the final merge, which knows every brand
 * account, computes it.  Counts therefore merge exactly; percentiles are
 * read from the merged sketch (within HARK_SKETCH_ALPHA).
 */
#include <ctype.h>
#include <math.h>
#include <strings.h>
#include "sr.h"
#include "partial.h"
#include "buf.h"
#include "config.h"
#include "json.h"

static const char *const kind_names[] = { "created", "customer", "reply",
	"note", "auto", "status", "resolved", "reopened", "merged", "spam" };

static int
brand_side(int kind)
{
	return kind == SR_REPLY || kind == SR_AUTO || kind == SR_NOTE;
}

/* ---- fingerprint ---- */

void
sr_fingerprint(const struct sr_opts *o, const struct hark_config *cfg,
    unsigned flags, const char *map, char *hex)
{
	char **parts = NULL, buf[64];
	size_t n = 0, cap = 0, i, j;
	int k;

#define PUSH(s) do { \
	if (n == cap) { \
		cap = cap ? cap * 2 : 32; \
		parts = hark_xrealloc(parts, cap * sizeof(*parts)); \
	} \
	parts[n++] = hark_xstrdup(s); \
} while (0)
	snprintf(buf, sizeof(buf), "sla-report partial %d", SR_PARTIAL_FORMAT);
	PUSH(buf);
	PUSH(hark_tz_name(o->tz));
	snprintf(buf, sizeof(buf), "%lld", (long long)o->now);
	PUSH(buf);
	snprintf(buf, sizeof(buf), "due=%d defaults=%u", o->use_record_due,
	    flags);
	PUSH(buf);
	for (k = 0; k < o->nby; k++)
		PUSH(sr_by_name(o, k));
	PUSH("|");
	PUSH(o->default_source != NULL ? o->default_source : "");
	PUSH(map != NULL ? map : "");
	/* The SLA policies and their calendars, as configured. */
	for (i = 0; cfg != NULL && i < cfg->nsections; i++) {
		const struct hark_config_section *s = &cfg->sections[i];

		if (strcmp(s->type, "sla") != 0 &&
		    strcmp(s->type, "calendar") != 0)
			continue;
		PUSH(s->type);
		PUSH(s->name != NULL ? s->name : "");
		for (j = 0; j < s->nentries; j++) {
			PUSH(s->entries[j].key);
			PUSH(s->entries[j].value);
		}
	}
#undef PUSH
	hark_partial_fingerprint((const char *const *)parts, n, hex);
	for (i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}

/* ---- writing ---- */

static int
cmp_dayc(const void *a, const void *b)
{
	const struct sr_daycount *x = a, *y = b;

	return x->day < y->day ? -1 : x->day > y->day;
}

struct pw {
	struct hark_output *out;
	struct hark_buf b;
	uint64_t nbody;
};

static void
pw_line(struct pw *w)
{
	hark_buf_addch(&w->b, '\n');
	hark_output_write(w->out, w->b.ptr, w->b.len);
	hark_buf_reset(&w->b);
	w->nbody++;
}

static void
add_str(struct hark_buf *b, const char *s)
{
	if (s == NULL)
		hark_buf_addstr(b, "null");
	else
		hark_buf_add_json_string(b, s, strlen(s));
}

static void
add_day(struct hark_buf *b, int64_t day)
{
	int y, m, d;

	hark_civil_from_days(day, &y, &m, &d);
	hark_buf_addf(b, "\"%04d-%02d-%02d\"", y, m, d);
}

static void
write_group(struct sr_ctx *x, struct pw *w, struct sr_group *g, int total)
{
	int i, m;
	long k;

	hark_buf_addstr(&w->b, "{\"group\":");
	if (total) {
		hark_buf_addstr(&w->b, "null");
	} else {
		hark_buf_addch(&w->b, '[');
		for (i = 0; i < x->o->nby; i++) {
			if (i > 0)
				hark_buf_addch(&w->b, ',');
			if (x->o->by[i] == SR_BY_DAY)
				add_day(&w->b, g->day);
			else
				add_str(&w->b, sr_str(&x->st.strs,
				    g->key[i]));
		}
		hark_buf_addch(&w->b, ']');
	}
	hark_buf_addf(&w->b, ",\"conversations\":%ld,\"open\":%ld,"
	    "\"unanswered\":%ld,\"excluded\":%ld,\"fragments\":%ld,"
	    "\"metrics\":{", g->conversations, g->open, g->unanswered,
	    g->excluded, g->fragments);
	for (m = 0; m < HARK_SLA_NMETRICS; m++) {
		struct sr_stats *s = &g->m[m];

		for (k = s->nfrom; k < s->nvals; k++)
			(void)hark_sketch_add(&s->sk, (double)s->vals[k]);
		hark_buf_addf(&w->b, "%s\"%s\":{\"count\":%ld,\"achieved\":%ld,"
		    "\"breached\":%ld,\"active\":%ld,\"active_breached\":%ld,"
		    "\"none\":%ld,\"values\":", m > 0 ? "," : "",
		    hark_sla_metric_name((enum hark_sla_metric)m), s->count,
		    s->achieved, s->breached, s->active, s->active_breached,
		    s->none);
		hark_sketch_to_json(&s->sk, &w->b);
		/* Few values, all known: listed, so that a merge of
		 * such partials has exact percentiles. */
		if (!s->sketched && s->nvals <= SR_EXACT_MAX) {
			hark_buf_addstr(&w->b, ",\"exact\":[");
			for (k = 0; k < s->nvals; k++)
				hark_buf_addf(&w->b, "%s%lld", k > 0 ? "," : "",
				    (long long)s->vals[k]);
			hark_buf_addch(&w->b, ']');
		}
		hark_buf_addch(&w->b, '}');
	}
	hark_buf_addstr(&w->b, "}}");
	pw_line(w);
}

/* One event of a kept conversation:
 * [ts, kind, origin, policy, handle, status, [fields], [custom],
 *  [mentions], due, parent_author] */
static void
write_event(struct sr_ctx *x, struct pw *w, const struct sr_event *e,
    const struct sr_due *due)
{
	const struct hark_intern *t = &x->st.strs;
	int i;

	hark_buf_addf(&w->b, "[%lld,\"%s\",%d,%d,", (long long)e->ts,
	    kind_names[e->kind], e->origin, e->policy);
	add_str(&w->b, sr_str(t, e->handle));
	hark_buf_addch(&w->b, ',');
	add_str(&w->b, sr_str(t, e->status));
	hark_buf_addstr(&w->b, ",[");
	for (i = 0; i < SR_NFIELDS; i++) {
		if (i > 0)
			hark_buf_addch(&w->b, ',');
		add_str(&w->b, sr_str(t, e->f[i]));
	}
	hark_buf_addstr(&w->b, "],[");
	for (i = 0; i < x->o->ncustom; i++) {
		if (i > 0)
			hark_buf_addch(&w->b, ',');
		add_str(&w->b, sr_str(t, e->cf[i]));
	}
	hark_buf_addstr(&w->b, "],[");
	for (i = 0; i < e->nmention; i++) {
		if (i > 0)
			hark_buf_addch(&w->b, ',');
		add_str(&w->b, sr_str(t, x->st.mentions[e->mention + i]));
	}
	hark_buf_addstr(&w->b, "],");
	if (due == NULL) {
		hark_buf_addstr(&w->b, "null");
	} else {
		hark_buf_addch(&w->b, '[');
		add_str(&w->b, sr_str(t, due->policy));
		for (i = 0; i < HARK_SLA_NMETRICS; i++)
			if (due->due[i] == HARK_TIME_NEVER)
				hark_buf_addstr(&w->b, ",null");
			else
				hark_buf_addf(&w->b, ",%lld",
				    (long long)due->due[i]);
		hark_buf_addch(&w->b, ']');
	}
	hark_buf_addch(&w->b, ',');
	add_str(&w->b, sr_str(t, e->parent_author));
	hark_buf_addch(&w->b, ']');
}

/* The conversations compute.c left to the merge, with their events. */
static void
write_kept(struct sr_ctx *x, struct pw *w)
{
	struct sr_store *st = &x->st;
	size_t a, b, i;
	uint32_t ci = 0;

	for (a = 0; a < st->n && ci < x->nconv; a = b, ci++) {
		for (b = a + 1; b < st->n && st->ev[b].conv == st->ev[a].conv;
		    b++)
			;
		if (!x->conv[ci].depends)
			continue;
		hark_buf_addstr(&w->b, "{\"conversation\":");
		add_str(&w->b, sr_str(&st->strs, st->ev[a].conv));
		hark_buf_addstr(&w->b, ",\"events\":[");
		for (i = a; i < b; i++) {
			if (i > a)
				hark_buf_addch(&w->b, ',');
			write_event(x, w, &st->ev[i], st->ev[i].has_due ?
			    sr_find_due(st, st->ev[i].seq) : NULL);
		}
		hark_buf_addstr(&w->b, "]}");
		pw_line(w);
	}
}

static void
write_strings(struct pw *w, const char *name, json_t *arr)
{
	size_t i;
	json_t *v;

	hark_buf_addf(&w->b, "\"%s\":[", name);
	json_array_foreach(arr, i, v) {
		if (i > 0)
			hark_buf_addch(&w->b, ',');
		add_str(&w->b, json_string_value(v));
	}
	hark_buf_addch(&w->b, ']');
}

/* A set of strings (a JSON object used as a set; its keys, in order). */
static void
set_add(json_t *set, json_t *list, const char *s)
{
	if (s == NULL || json_object_get(set, s) != NULL)
		return;
	json_object_set_new(set, s, json_true());
	json_array_append_new(list, json_string(s));
}

int
sr_partial_write(struct sr_ctx *x, struct sr_merge *mg,
    struct hark_output *out)
{
	struct sr_report *r = &mg->r;
	struct pw w;
	size_t i, j;
	int d, h;

	memset(&w, 0, sizeof(w));
	w.out = out;
	hark_buf_init(&w.b, HARK_PARTIAL_LINE_MAX);
	hark_partial_header(&w.b, "sla-report", SR_PARTIAL_FORMAT,
	    mg->fingerprint);
	hark_output_write(out, w.b.ptr, w.b.len);
	hark_buf_reset(&w.b);
	/* The brand accounts: this input's, and those of merged partials. */
	for (i = 0; i < x->st.n; i++) {
		const struct sr_event *e = &x->st.ev[i];

		if (brand_side(e->kind))
			set_add(mg->author_set, mg->authors,
			    sr_str(&x->st.strs, e->author));
		if (e->kind == SR_REPLY)
			set_add(mg->handle_set, mg->handles,
			    sr_str(&x->st.strs, e->f[SR_F_BRAND]));
	}
	hark_buf_addstr(&w.b, "{\"brands\":{");
	write_strings(&w, "authors", mg->authors);
	hark_buf_addch(&w.b, ',');
	write_strings(&w, "handles", mg->handles);
	hark_buf_addstr(&w.b, "}}");
	pw_line(&w);
	hark_buf_addstr(&w.b, "{\"policies\":[");
	for (i = 0; i <= x->set.npol; i++)
		hark_buf_addf(&w.b, "%s%ld", i > 0 ? "," : "",
		    r->polcount[i]);
	hark_buf_addstr(&w.b, "]}");
	pw_line(&w);
	hark_buf_addstr(&w.b, "{\"busy\":[");
	for (d = 0; d < 7; d++) {
		hark_buf_addstr(&w.b, d > 0 ? ",[" : "[");
		for (h = 0; h < 24; h++)
			hark_buf_addf(&w.b, "%s%ld", h > 0 ? "," : "",
			    r->busy[d][h]);
		hark_buf_addch(&w.b, ']');
	}
	hark_buf_addstr(&w.b, "]}");
	pw_line(&w);
	/* Days: summed, in order. */
	if (r->ndayc > 1)
		qsort(r->dayc, r->ndayc, sizeof(*r->dayc), cmp_dayc);
	hark_buf_addstr(&w.b, "{\"days\":[");
	for (i = 0; i < r->ndayc; i = j) {
		long vol = 0, br = 0;

		for (j = i; j < r->ndayc && r->dayc[j].day == r->dayc[i].day;
		    j++) {
			vol += r->dayc[j].volume;
			br += r->dayc[j].breach;
		}
		hark_buf_addstr(&w.b, i > 0 ? ",[" : "[");
		add_day(&w.b, r->dayc[i].day);
		hark_buf_addf(&w.b, ",%ld,%ld]", vol, br);
	}
	hark_buf_addstr(&w.b, "]}");
	pw_line(&w);
	for (i = 0; i < r->ng; i++)
		write_group(x, &w, &r->g[i], i == 0);
	write_kept(x, &w);
	for (i = 0; i < mg->nkept; i++) {
		char *s = hark_json_dumps(mg->kept[i], JSON_COMPACT |
		    JSON_PRESERVE_ORDER);

		hark_buf_addstr(&w.b, s);
		free(s);
		pw_line(&w);
	}
	hark_partial_trailer(&w.b, w.nbody);
	hark_output_write(out, w.b.ptr, w.b.len);
	hark_buf_release(&w.b);
	return 0;
}

/* ---- reading ---- */

void
sr_merge_init(struct sr_merge *mg)
{
	memset(mg, 0, sizeof(*mg));
	mg->author_set = json_object();
	mg->authors = json_array();
	mg->handle_set = json_object();
	mg->handles = json_array();
}

void
sr_merge_release(struct sr_merge *mg)
{
	size_t i;

	for (i = 0; i < mg->nkept; i++)
		json_decref(mg->kept[i]);
	free(mg->kept);
	json_decref(mg->author_set);
	json_decref(mg->authors);
	json_decref(mg->handle_set);
	json_decref(mg->handles);
	sr_report_release(&mg->r);
}

static int
bad(struct hark_err *err, const struct hark_partial_reader *rd,
    const char *what)
{
	return hark_err_set(err, HARK_EXIT_DATA, "%s:%ld: not a partial of "
	    "sla-report format %d: %s", rd->name, rd->rd.lineno,
	    SR_PARTIAL_FORMAT, what);
}

/*
 * Counts read from partials are summed: each, and each sum, is at most
 * COUNT_MAX (a trillion), so that no sum of them, here or in the report,
 * overflows.  A day's volume and breaches are summed only when the report
 * is finished: one "days" line per partial, whose counts add up to
 * COUNT_MAX at most.
 */
#define COUNT_MAX ((json_int_t)1000000000000)

/* Add count V to *SUM; -1 when V is not a count or the sum passes
 * COUNT_MAX. */
static int
add_count(long *sum, json_t *v)
{
	json_int_t n;

	if (!json_is_integer(v))
		return -1;
	n = json_integer_value(v);
	if (n < 0 || n > COUNT_MAX || *sum > COUNT_MAX - n)
		return -1;
	*sum += (long)n;
	return 0;
}

static int
parse_day(const char *s, int64_t *day)
{
	int y, m, d, cy, cm, cd;
	char tail;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    strlen(s) != 10)
		return -1;
	*day = hark_days_from_civil(y, m, d);
	hark_civil_from_days(*day, &cy, &cm, &cd);
	return cy == y && cm == m && cd == d ? 0 : -1;
}

static int
read_group(struct sr_ctx *x, struct sr_merge *mg, json_t *o,
    const struct hark_partial_reader *rd, struct hark_err *err)
{
	struct sr_report *r = &mg->r;
	json_t *key = json_object_get(o, "group"), *ms, *v;
	struct sr_group k, *g;
	size_t gi;
	int i, m;

	memset(&k, 0, sizeof(k));
	if (json_is_null(key)) {
		gi = 0;
	} else {
		if (!json_is_array(key) || x->o->nby == 0 ||
		    json_array_size(key) != (size_t)x->o->nby)
			return bad(err, rd, "a group's key does not match "
			    "--by");
		for (i = 0; i < x->o->nby; i++) {
			v = json_array_get(key, (size_t)i);
			k.key[i] = SR_NONE;
			if (x->o->by[i] == SR_BY_DAY) {
				if (parse_day(json_string_value(v), &k.day))
					return bad(err, rd, "bad day");
			} else if (json_is_string(v)) {
				k.key[i] = hark_intern(&x->st.strs,
				    json_string_value(v),
				    json_string_length(v));
			} else if (!json_is_null(v)) {
				return bad(err, rd, "bad group value");
			}
		}
		gi = sr_report_group(x, r, &k);
	}
	g = &r->g[gi];
	if (add_count(&g->conversations, json_object_get(o, "conversations")) ||
	    add_count(&g->open, json_object_get(o, "open")) ||
	    add_count(&g->unanswered, json_object_get(o, "unanswered")) ||
	    add_count(&g->excluded, json_object_get(o, "excluded")) ||
	    add_count(&g->fragments, json_object_get(o, "fragments")))
		return bad(err, rd, "a group's counts");
	ms = json_object_get(o, "metrics");
	for (m = 0; m < HARK_SLA_NMETRICS; m++) {
		json_t *mo = json_object_get(ms, hark_sla_metric_name(
		    (enum hark_sla_metric)m));
		struct sr_stats *s = &g->m[m];
		struct hark_sketch sk;
		json_t *ex;

		if (!json_is_object(mo) ||
		    add_count(&s->count, json_object_get(mo, "count")) ||
		    add_count(&s->achieved, json_object_get(mo, "achieved")) ||
		    add_count(&s->breached, json_object_get(mo, "breached")) ||
		    add_count(&s->active, json_object_get(mo, "active")) ||
		    add_count(&s->active_breached, json_object_get(mo,
		    "active_breached")) ||
		    add_count(&s->none, json_object_get(mo, "none")))
			return bad(err, rd, "a metric's counts");
		hark_sketch_init(&sk);
		if (hark_sketch_from_json(&sk, json_object_get(mo, "values"),
		    err) != 0) {
			char msg[HARK_ERR_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			hark_sketch_release(&sk);
			return bad(err, rd, msg);
		}
		if (sk.n > (uint64_t)COUNT_MAX - s->sk.n) {
			hark_sketch_release(&sk);
			return bad(err, rd, "a metric's values");
		}
		ex = json_object_get(mo, "exact");
		if (ex != NULL && (!json_is_array(ex) ||
		    json_array_size(ex) != sk.n)) {
			hark_sketch_release(&sk);
			return bad(err, rd, "a metric's exact values");
		}
		if (ex == NULL)
			s->sketched = 1;
		else if (!s->sketched) {
			size_t vi;
			json_t *ev;

			json_array_foreach(ex, vi, ev) {
				if (!json_is_integer(ev) ||
				    json_integer_value(ev) < 0) {
					hark_sketch_release(&sk);
					return bad(err, rd, "a metric's exact "
					    "values");
				}
				if (s->nvals == s->capvals) {
					s->capvals = s->capvals ?
					    s->capvals * 2 : 16;
					s->vals = hark_xrealloc(s->vals,
					    (size_t)s->capvals *
					    sizeof(int64_t));
				}
				s->vals[s->nvals++] = json_integer_value(ev);
			}
			s->nfrom = s->nvals;
		}
		hark_sketch_merge(&s->sk, &sk);
		hark_sketch_release(&sk);
	}
	return 0;
}

static int
kind_of(const char *s)
{
	size_t k;

	for (k = 0; s != NULL && k < HARK_ARRAY_SIZE(kind_names); k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (int)k;
	return -1;
}

/* Times of a kept conversation: those of years 1 to 9999 (and a day
 * more each side, for zone offsets), as inputs' times are. */
#define TIME_MIN ((json_int_t)HARK_TIME_MIN - 86400)
#define TIME_END ((json_int_t)HARK_TIME_MAX + 1 + 86400)

static int
time_ok(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= TIME_MIN &&
	    json_integer_value(v) < TIME_END;
}

static int
str_or_null(json_t *v)
{
	return json_is_string(v) || json_is_null(v);
}

/* Every member of array A a string or null (NONEMPTY: a non-empty
 * string). */
static int
strings(json_t *a, int nonempty)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (nonempty ? !json_is_string(v) ||
		    json_string_length(v) == 0 : !str_or_null(v))
			return 0;
	return 1;
}

/*
 * What is wrong with event A of a kept conversation (as write_event
 * writes it), or NULL.  *PREV: the time of the event before it (a
 * conversation's events are in time order), set to A's.
 */
static const char *
event_problem(const struct sr_ctx *x, json_t *a, json_int_t *prev)
{
	json_t *f, *cf, *mn, *due, *v;
	json_int_t origin, policy;
	size_t m;
	int kind;

	if (!json_is_array(a) || json_array_size(a) != 11)
		return "not an array of 11 members";
	if (!time_ok(json_array_get(a, 0)))
		return "bad time";
	if (json_integer_value(json_array_get(a, 0)) < *prev)
		return "out of time order";
	*prev = json_integer_value(json_array_get(a, 0));
	if ((kind = kind_of(json_string_value(json_array_get(a, 1)))) < 0)
		return "bad kind";
	v = json_array_get(a, 2);
	origin = json_integer_value(v);
	if (!json_is_integer(v) || origin < 0 ||
	    (origin & ~(json_int_t)SR_ORIGIN_BY_AUTHOR) > SR_ORIGIN_MISSING)
		return "bad origin";
	v = json_array_get(a, 3);
	policy = json_integer_value(v);
	if (!json_is_integer(v) || policy < 0 || (size_t)policy > x->set.npol)
		return "bad policy";
	if (!str_or_null(json_array_get(a, 4)) ||
	    !str_or_null(json_array_get(a, 10)))
		return "bad handle or author";
	v = json_array_get(a, 5);
	if (kind == SR_STATUS ? !json_is_string(v) ||
	    json_string_length(v) == 0 : !str_or_null(v))
		return "bad status";
	f = json_array_get(a, 6);
	cf = json_array_get(a, 7);
	if (!json_is_array(f) || json_array_size(f) != SR_NFIELDS ||
	    !strings(f, 0) || !json_is_array(cf) ||
	    json_array_size(cf) != (size_t)x->o->ncustom || !strings(cf, 0))
		return "bad fields";
	/* lower-cased @handles, each of them a string */
	mn = json_array_get(a, 8);
	if (!json_is_array(mn) || json_array_size(mn) > SR_MAXMENTION ||
	    !strings(mn, 1))
		return "bad mentions";
	due = json_array_get(a, 9);
	if (json_is_null(due))
		return NULL;
	if (!json_is_array(due) || json_array_size(due) !=
	    1 + HARK_SLA_NMETRICS || !str_or_null(json_array_get(due, 0)))
		return "bad due times";
	for (m = 1; m <= HARK_SLA_NMETRICS; m++)
		if (!json_is_null(json_array_get(due, m)) &&
		    !time_ok(json_array_get(due, m)))
			return "bad due times";
	return NULL;
}

/* What is wrong with the events EV of a kept conversation, into BUF, or
 * NULL. */
static const char *
events_problem(const struct sr_ctx *x, json_t *ev, char *buf, size_t sz)
{
	json_int_t prev = TIME_MIN;
	const char *p;
	size_t i;
	json_t *a;

	if (!json_is_array(ev) || json_array_size(ev) == 0)
		return "a kept conversation without events";
	json_array_foreach(ev, i, a)
		if ((p = event_problem(x, a, &prev)) != NULL) {
			snprintf(buf, sz, "a kept conversation's event %zu: %s",
			    i + 1, p);
			return buf;
		}
	return NULL;
}

/* What a partial holds once: a second one is damage (and would be summed
 * beyond the limits above). */
enum { ONCE_BRANDS = 1, ONCE_POLICIES = 2, ONCE_BUSY = 4, ONCE_DAYS = 8 };

static int
read_line(struct sr_ctx *x, struct sr_merge *mg, json_t *o,
    const struct hark_partial_reader *rd, unsigned *seen,
    struct hark_err *err)
{
	struct sr_report *r = &mg->r;
	json_t *v, *a, *e;
	size_t i, j;

#define ONCE(bit, what) do { \
	if (*seen & (bit)) \
		return bad(err, rd, what " twice"); \
	*seen |= (bit); \
} while (0)
	if (json_object_get(o, "group") != NULL)
		return read_group(x, mg, o, rd, err);
	if ((v = json_object_get(o, "conversation")) != NULL) {
		char buf[128];
		const char *p;

		if (!json_is_string(v))
			return bad(err, rd, "a kept conversation");
		if ((p = events_problem(x, json_object_get(o, "events"), buf,
		    sizeof(buf))) != NULL)
			return bad(err, rd, p);
		if (mg->nkept == mg->capkept) {
			mg->capkept = mg->capkept ? mg->capkept * 2 : 64;
			mg->kept = hark_xrealloc(mg->kept, mg->capkept *
			    sizeof(*mg->kept));
		}
		mg->kept[mg->nkept++] = json_incref(o);
		return 0;
	}
	if ((v = json_object_get(o, "brands")) != NULL) {
		const char *const lists[] = { "authors", "handles" };

		ONCE(ONCE_BRANDS, "brands");
		for (j = 0; j < 2; j++) {
			a = json_object_get(v, lists[j]);
			if (!json_is_array(a))
				return bad(err, rd, "brands");
			json_array_foreach(a, i, e) {
				if (!json_is_string(e))
					return bad(err, rd, "brands");
				set_add(j == 0 ? mg->author_set :
				    mg->handle_set, j == 0 ? mg->authors :
				    mg->handles, json_string_value(e));
			}
		}
		return 0;
	}
	if ((v = json_object_get(o, "policies")) != NULL) {
		ONCE(ONCE_POLICIES, "policies");
		if (!json_is_array(v) || json_array_size(v) != x->set.npol + 1)
			return bad(err, rd, "policies");
		json_array_foreach(v, i, e)
			if (add_count(&r->polcount[i], e) != 0)
				return bad(err, rd, "policies");
		return 0;
	}
	if ((v = json_object_get(o, "busy")) != NULL) {
		ONCE(ONCE_BUSY, "busy hours");
		if (!json_is_array(v) || json_array_size(v) != 7)
			return bad(err, rd, "busy hours");
		for (i = 0; i < 7; i++) {
			a = json_array_get(v, i);
			if (!json_is_array(a) || json_array_size(a) != 24)
				return bad(err, rd, "busy hours");
			for (j = 0; j < 24; j++)
				if (add_count(&r->busy[i][j],
				    json_array_get(a, j)) != 0)
					return bad(err, rd, "busy hours");
		}
		return 0;
	}
	if ((v = json_object_get(o, "days")) != NULL) {
		long volume = 0, breach = 0;

		ONCE(ONCE_DAYS, "days");
		if (!json_is_array(v))
			return bad(err, rd, "days");
		json_array_foreach(v, i, a) {
			int64_t day;
			long vol = 0, br = 0;

			if (!json_is_array(a) || json_array_size(a) != 3 ||
			    parse_day(json_string_value(json_array_get(a, 0)),
			    &day) != 0 ||
			    add_count(&vol, json_array_get(a, 1)) != 0 ||
			    add_count(&br, json_array_get(a, 2)) != 0 ||
			    add_count(&volume, json_array_get(a, 1)) != 0 ||
			    add_count(&breach, json_array_get(a, 2)) != 0)
				return bad(err, rd, "days");
			sr_report_add_day(r, day, vol, br);
		}
		return 0;
	}
#undef ONCE
	return bad(err, rd, "unknown line");
}

int
sr_merge_read(struct sr_ctx *x, struct sr_merge *mg, const char *path,
    struct hark_err *err)
{
	struct hark_partial_reader rd;
	unsigned seen = 0;
	json_t *o;
	int rc;

	if (mg->r.g == NULL)
		sr_report_begin(x, &mg->r);
	if (hark_partial_open(&rd, path, "sla-report", SR_PARTIAL_FORMAT,
	    mg->fingerprint, err) != 0)
		return -1;
	while ((rc = hark_partial_next(&rd, &o, err)) == 1) {
		rc = read_line(x, mg, o, &rd, &seen, err);
		json_decref(o);
		if (rc != 0)
			break;
	}
	hark_partial_close(&rd);
	return rc == 0 ? 0 : -1;
}

/* ---- the final merge: the kept conversations ---- */

static uint32_t
intern_json(struct sr_store *st, json_t *v)
{
	return json_is_string(v) && json_string_length(v) > 0 ?
	    hark_intern(&st->strs, json_string_value(v),
	    json_string_length(v)) : SR_NONE;
}

/* Event A of a kept conversation (checked by event_problem when it was
 * read) into the store. */
static void
load_event(struct sr_ctx *x, json_t *a, uint32_t conv)
{
	struct sr_store *st = &x->st;
	struct sr_event e;
	json_t *f, *cf, *mn, *due, *v;
	size_t i;

	memset(&e, 0, sizeof(e));
	f = json_array_get(a, 6);
	cf = json_array_get(a, 7);
	mn = json_array_get(a, 8);
	due = json_array_get(a, 9);
	e.ts = json_integer_value(json_array_get(a, 0));
	e.kind = (uint8_t)kind_of(json_string_value(json_array_get(a, 1)));
	e.origin = (uint8_t)json_integer_value(json_array_get(a, 2));
	e.policy = (uint16_t)json_integer_value(json_array_get(a, 3));
	e.conv = conv;
	e.id = e.parent = e.author = e.mention = SR_NONE;
	e.handle = intern_json(st, json_array_get(a, 4));
	e.status = intern_json(st, json_array_get(a, 5));
	for (i = 0; i < SR_NFIELDS; i++)
		e.f[i] = intern_json(st, json_array_get(f, i));
	for (i = 0; i < SR_MAXCUSTOM; i++)
		e.cf[i] = i < json_array_size(cf) ?
		    intern_json(st, json_array_get(cf, i)) : SR_NONE;
	json_array_foreach(mn, i, v) {
		if (st->nmentions == st->capmentions) {
			st->capmentions = st->capmentions ?
			    st->capmentions * 2 : 256;
			st->mentions = hark_xrealloc(st->mentions,
			    st->capmentions * sizeof(*st->mentions));
		}
		if (e.nmention == 0)
			e.mention = (uint32_t)st->nmentions;
		st->mentions[st->nmentions++] = intern_json(st, v);
		e.nmention++;
	}
	e.parent_author = intern_json(st, json_array_get(a, 10));
	e.seq = (uint32_t)st->n;
	if (json_is_array(due)) {
		struct sr_due *d;
		int m;

		if (st->ndues == st->capdues) {
			st->capdues = st->capdues ? st->capdues * 2 : 256;
			st->dues = hark_xrealloc(st->dues, st->capdues *
			    sizeof(*st->dues));
		}
		d = &st->dues[st->ndues++];
		d->ev = e.seq;
		d->policy = intern_json(st, json_array_get(due, 0));
		for (m = 0; m < HARK_SLA_NMETRICS; m++) {
			v = json_array_get(due, (size_t)m + 1);
			d->due[m] = json_is_null(v) ? HARK_TIME_NEVER :
			    json_integer_value(v);
		}
		e.has_due = 1;
	}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 4096;
		st->ev = hark_xrealloc(st->ev, st->cap * sizeof(*st->ev));
	}
	st->ev[st->n++] = e;
}

int
sr_merge_finish(struct sr_ctx *x, struct sr_merge *mg, struct hark_err *err)
{
	struct sr_store *st = &x->st;
	size_t *start, i, k;
	uint32_t *brand_of, nstr;
	unsigned char *is_brand;
	json_t *v;

	if (mg->r.g == NULL)
		sr_report_begin(x, &mg->r);
	start = hark_xmalloc((mg->nkept + 1) * sizeof(*start));
	for (k = 0; k < mg->nkept; k++) {
		json_t *ev = json_object_get(mg->kept[k], "events");
		uint32_t conv = intern_json(st, json_object_get(mg->kept[k],
		    "conversation"));

		char buf[128];
		const char *p;

		start[k] = st->n;
		/* checked when read (read_line); again for any other caller */
		if ((p = events_problem(x, ev, buf, sizeof(buf))) != NULL) {
			const char *name = json_string_value(json_object_get(
			    mg->kept[k], "conversation"));
			char clean[80];

			free(start);
			return hark_err_set(err, HARK_EXIT_DATA,
			    "partial: conversation '%s': %s", hark_sanitize(
			    clean, sizeof(clean), name, strlen(name)), p);
		}
		json_array_foreach(ev, i, v)
			load_event(x, v, conv);
	}
	start[mg->nkept] = st->n;
	/* The brand accounts of every partial, as sr_compute finds those
	 * of one input. */
	json_array_foreach(mg->handles, i, v)
		(void)intern_json(st, v);
	json_array_foreach(mg->authors, i, v)
		(void)intern_json(st, v);
	nstr = st->strs.n;
	brand_of = hark_xmalloc((nstr + 1) * sizeof(*brand_of));
	is_brand = hark_xcalloc(nstr + 1, 1);
	for (i = 0; i <= nstr; i++)
		brand_of[i] = SR_NONE;
	json_array_foreach(mg->handles, i, v) {
		const char *s = json_string_value(v);
		char buf[64];
		size_t j, len = HARK_MIN(strlen(s), sizeof(buf) - 1);
		uint32_t lo;

		for (j = 0; j < len; j++)
			buf[j] = (char)tolower((unsigned char)s[j]);
		lo = hark_intern_find(&st->strs, buf, len);
		if (lo != SR_NONE && lo < nstr && brand_of[lo] == SR_NONE)
			brand_of[lo] = intern_json(st, v);
	}
	json_array_foreach(mg->authors, i, v) {
		uint32_t a = intern_json(st, v);

		if (a != SR_NONE)
			is_brand[a] = 1;
	}
	for (i = 0; i < st->n; i++) {
		struct sr_event *e = &st->ev[i];

		if ((e->origin & SR_ORIGIN_BY_AUTHOR) &&
		    e->parent_author != SR_NONE)
			e->origin = (uint8_t)((is_brand[e->parent_author] ?
			    SR_ORIGIN_BRAND : SR_ORIGIN_MISSING) |
			    SR_ORIGIN_BY_AUTHOR);
	}
	x->conv = hark_xcalloc(mg->nkept + 1, sizeof(*x->conv));
	x->nconv = 0;
	for (k = 0; k < mg->nkept; k++)
		sr_compute_one(x, &x->conv[x->nconv++], &st->ev[start[k]],
		    start[k + 1] - start[k], brand_of);
	sr_report_add_convs(x, &mg->r, 0);
	free(brand_of);
	free(is_brand);
	free(start);
	return 0;
}
