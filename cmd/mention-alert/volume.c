/* volume.c - volume alerts: counts per window and key, the baseline
 * rules, cooldown / reminder / all-clear, and the state file. */
#include <math.h>
#include "alert.h"
#include "stats.h"
#include "io.h"
#include "xdg.h"
#include "json.h"

#define NONE INT64_MIN
#define STATE_MAX (256u << 20)
/* Poisson rate floor per window: a quiet baseline still expects noise,
 * so 3 mentions after a week of zeros is not a spike. */
#define RATE_FLOOR 1.0

struct ma_open {
	int64_t idx;
	long n, s;
	json_t *top;		/* [[weight, url], ...] best first */
};

struct ma_series {
	char *key;		/* the "by" values as compact JSON */
	json_t *keyv;		/* the same array */
	long *hn, *hs;		/* ring of closed windows' counts */
	size_t hist;
	struct ma_open *open;
	size_t nopen;
	int active, notified;
	hark_time_t since, last_sent, cleared;
};

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static size_t
ring_at(const struct ma_series *s, int64_t idx)
{
	return (size_t)(idx - floor_div(idx, (int64_t)s->hist) *
	    (int64_t)s->hist);
}

static int
day_based(const struct ma_alert *a)
{
	return a->window % 86400 == 0;
}

static long
nwin(const struct ma_alert *a, long secs)
{
	return (secs + a->window - 1) / a->window;
}

void
ma_alert_windows_init(struct ma_alert *a)
{
	/* sub-day windows are real-time intervals aligned to the zone's
	 * standard-time wall clock, so a DST change neither merges nor
	 * drops a window */
	long o1 = hark_tz_offset(a->tz, 1736899200, NULL);	/* 2025-01-15 */
	long o2 = hark_tz_offset(a->tz, 1752537600, NULL);	/* 2025-07-15 */

	a->align = o1 < o2 ? o1 : o2;
	a->first = a->closed = a->last_data = NONE;
}

int64_t
ma_window_of(const struct ma_alert *a, hark_time_t t)
{
	if (day_based(a))
		return floor_div(hark_tz_local_day(a->tz, t),
		    a->window / 86400);
	return floor_div(t + a->align, a->window);
}

hark_time_t
ma_window_start(const struct ma_alert *a, int64_t idx)
{
	if (day_based(a))
		return hark_tz_day_time(a->tz, idx * (a->window / 86400), 0);
	return idx * a->window - a->align;
}

static size_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* Not hark_fnv1a64(): this basis lacks FNV's last digit, and alert ids
 * are kept in the state and compared across runs, so it stays. */
void
ma_alert_id(char out[17], const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void
rehash(struct ma_alert *a)
{
	size_t i, n = a->nslots ? a->nslots * 2 : 64;

	free(a->slots);
	a->slots = hark_xcalloc(n, sizeof(*a->slots));
	a->nslots = n;
	for (i = 0; i < a->nseries; i++) {
		size_t h = hash_str(a->series[i]->key) & (n - 1);

		while (a->slots[h])
			h = (h + 1) & (n - 1);
		a->slots[h] = i + 1;
	}
}

/* The series for KEY (stolen), created when new. */
static struct ma_series *
series_get(struct ma_alert *a, json_t *key)
{
	char *k = hark_json_dumps(key, JSON_COMPACT | JSON_ENCODE_ANY);
	struct ma_series *s;
	size_t h;

	if (k == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	if (a->nslots == 0 || (a->nseries + 1) * 2 > a->nslots)
		rehash(a);
	h = hash_str(k) & (a->nslots - 1);
	while (a->slots[h]) {
		s = a->series[a->slots[h] - 1];
		if (strcmp(s->key, k) == 0) {
			free(k);
			json_decref(key);
			return s;
		}
		h = (h + 1) & (a->nslots - 1);
	}
	s = hark_xcalloc(1, sizeof(*s));
	s->key = k;
	s->keyv = key;
	s->hist = (size_t)(nwin(a, a->recent) + a->baseline / a->window + 1);
	s->hn = hark_xcalloc(s->hist, sizeof(long));
	s->hs = hark_xcalloc(s->hist, sizeof(long));
	if (a->nseries == a->aseries) {
		a->aseries = a->aseries ? a->aseries * 2 : 16;
		a->series = hark_xrealloc(a->series, a->aseries *
		    sizeof(*a->series));
	}
	a->series[a->nseries++] = s;
	a->slots[h] = a->nseries;
	return s;
}

static void
series_free(struct ma_series *s)
{
	size_t i;

	for (i = 0; i < s->nopen; i++)
		json_decref(s->open[i].top);
	free(s->open);
	free(s->hn);
	free(s->hs);
	free(s->key);
	json_decref(s->keyv);
	free(s);
}

void
ma_alert_state_release(struct ma_alert *a)
{
	size_t i;

	for (i = 0; i < a->nseries; i++)
		series_free(a->series[i]);
	free(a->series);
	free(a->slots);
	a->series = NULL;
	a->slots = NULL;
	a->nseries = a->aseries = a->nslots = 0;
	json_decref(a->item_sent);
	a->item_sent = NULL;
}

static struct ma_open *
open_get(struct ma_series *s, int64_t idx)
{
	size_t i;

	for (i = 0; i < s->nopen; i++)
		if (s->open[i].idx == idx)
			return &s->open[i];
	s->open = hark_xrealloc(s->open, (s->nopen + 1) * sizeof(*s->open));
	s->open[s->nopen].idx = idx;
	s->open[s->nopen].n = s->open[s->nopen].s = 0;
	s->open[s->nopen].top = json_array();
	return &s->open[s->nopen++];
}

/* Keep the MA_TOP heaviest URLs (ties: the smaller URL), so the choice
 * does not depend on the order records arrive in. */
static void
top_add(json_t *top, const char *url, double w)
{
	size_t i, n = json_array_size(top);

	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(top, i);
		double ew = json_number_value(json_array_get(e, 0));
		const char *eu = json_string_value(json_array_get(e, 1));
		int c = strcmp(url, eu);

		if (c == 0)
			return;
		if (w > ew || (w == ew && c < 0))
			break;
	}
	if (i >= MA_TOP)
		return;
	json_array_insert_new(top, i, json_pack("[f,s]", w, url));
	if (json_array_size(top) > MA_TOP)
		json_array_remove(top, MA_TOP);
}

void
ma_volume_add(struct ma_run *run, struct ma_alert *a, json_t *key,
    hark_time_t t, int shared, const char *url, double weight)
{
	int64_t idx = ma_window_of(a, t);
	struct ma_series *s;
	struct ma_open *o;

	(void)run;
	if (a->closed == NONE) {
		if (a->first == NONE || idx < a->first)
			a->first = idx;
	} else if (idx < a->first) {
		json_decref(key);
		return;		/* before anything we have observed */
	}
	s = series_get(a, key);
	if (a->closed != NONE && idx < a->closed) {
		/* late: it still counts for later baselines */
		if (idx >= a->closed - (int64_t)s->hist) {
			s->hn[ring_at(s, idx)]++;
			if (shared)
				s->hs[ring_at(s, idx)]++;
			if (a->last_data == NONE || idx > a->last_data)
				a->last_data = idx;
		}
		return;
	}
	o = open_get(s, idx);
	o->n++;
	if (shared)
		o->s++;
	if (url && *url)
		top_add(o->top, url, weight);
}

static double
r4(double x)
{
	return round(x * 10000) / 10000;
}

static double
r3g(double x)
{
	char b[32];

	snprintf(b, sizeof(b), "%.3g", x);
	return strtod(b, NULL);
}

static void
explain_add(json_t *ex, const char *test, double value, const char *op,
    double threshold, int passed)
{
	json_array_append_new(ex, json_pack("{s:s,s:f,s:s,s:f,s:b}", "test",
	    test, "value", value, "op", op, "threshold", threshold,
	    "passed", passed));
}

static json_t *
key_object(const struct ma_alert *a, const struct ma_series *s)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < a->nby; i++)
		json_object_set(o, a->by[i], json_array_get(s->keyv, i));
	return o;
}

static void
raise_volume(struct ma_run *run, struct ma_alert *a, struct ma_series *s,
    const char *status, int64_t w, json_t *numbers, json_t *top,
    json_t *ex)
{
	char ts[HARK_TIME_BUFSZ], te[HARK_TIME_BUFSZ], id[17];
	hark_time_t ws = ma_window_start(a, w), we = ma_window_start(a, w + 1);
	json_t *rec = json_object(), *urls = json_array();
	char *idsrc;
	size_t i;

	hark_time_format(ws, ts);
	hark_time_format(we, te);
	idsrc = hark_xasprintf("%s\x1f%s\x1f%s\x1f%s", a->name, s->key, ts,
	    status);
	ma_alert_id(id, idsrc, strlen(idsrc));
	free(idsrc);
	for (i = 0; top && i < json_array_size(top); i++)
		json_array_append(urls, json_array_get(json_array_get(top, i),
		    1));
	json_object_set_new(rec, "v", json_integer(1));
	json_object_set_new(rec, "type", json_string("alert"));
	json_object_set_new(rec, "id", json_string(id));
	json_object_set_new(rec, "alert", json_string(a->name));
	json_object_set_new(rec, "kind", json_string("volume"));
	json_object_set_new(rec, "status", json_string(status));
	json_object_set_new(rec, "at", json_string(te));
	json_object_set_new(rec, "key", key_object(a, s));
	json_object_set_new(rec, "window", json_pack("{s:s,s:s,s:s,s:I}",
	    "start", ts, "end", te, "zone", hark_tz_name(a->tz), "seconds",
	    (json_int_t)(we - ws)));
	json_object_set(rec, "numbers", numbers);
	json_object_set_new(rec, "top", urls);
	if (ex)
		json_object_set(rec, "explain", ex);
	ma_raise(run, a, rec);
	json_decref(rec);
}

/* Close window W of series S: decide, move the counts into the ring. */
static void
close_window(struct ma_run *run, struct ma_alert *a, struct ma_series *s,
    int64_t w)
{
	struct hark_moments m = HARK_MOMENTS_INIT;
	long R = nwin(a, a->recent), B = a->baseline / a->window;
	long learn = a->learn / a->window, n = 0, sh = 0, rn = 0, rs = 0,
	    rc = 0, bn = 0, bs = 0;
	json_t *top = NULL, *numbers, *ex = NULL;
	hark_time_t ws = ma_window_start(a, w), we = ma_window_start(a, w + 1);
	double thr, p, value;
	int fire, muted = 0;
	int64_t j;
	size_t i;

	for (i = 0; i < s->nopen; i++)
		if (s->open[i].idx == w) {
			n = s->open[i].n;
			sh = s->open[i].s;
			top = s->open[i].top;
			s->open[i] = s->open[--s->nopen];
			break;
		}
	s->hn[ring_at(s, w)] = n;
	s->hs[ring_at(s, w)] = sh;
	if (n > 0 && (a->last_data == NONE || w > a->last_data))
		a->last_data = w;

	for (j = w - R + 1; j <= w; j++)
		if (j >= a->first) {
			rn += s->hn[ring_at(s, j)];
			rs += s->hs[ring_at(s, j)];
			rc++;
		}
	for (j = w - R - B + 1; j <= w - R; j++)
		if (j >= a->first) {
			hark_moments_add(&m, (double)s->hn[ring_at(s, j)]);
			bn += s->hn[ring_at(s, j)];
			bs += s->hs[ring_at(s, j)];
		}
	if (m.n < learn || m.n == 0 || rc == 0)
		goto out;	/* still learning the baseline */
	if (a->cal && hark_calendar_between(a->cal, ws, we) == 0)
		muted = 1;

	numbers = json_object();
	if (run->explain)
		ex = json_array();
	json_object_set_new(numbers, "count", json_integer(n));
	json_object_set_new(numbers, "recent_count", json_integer(rn));
	json_object_set_new(numbers, "recent_mean", json_real(r4((double)rn /
	    (double)rc)));
	json_object_set_new(numbers, "baseline_mean", json_real(r4(m.mean)));
	json_object_set_new(numbers, "baseline_sd", json_real(r4(
	    hark_moments_sd(&m))));
	json_object_set_new(numbers, "baseline_windows", json_integer(m.n));
	if (a->share) {
		double p0 = ((double)bs + 0.5) / ((double)bn + 1);
		double share = rn ? (double)rs / (double)rn : 0;

		thr = p0 + a->k * sqrt(p0 * (1 - p0) / (rn ? rn : 1));
		p = hark_binomial_sf(rs, rn, p0);
		value = share;
		fire = rn > 0 && share > thr;
		json_object_set_new(numbers, "share_count", json_integer(rs));
		json_object_set_new(numbers, "share", json_real(r4(share)));
		json_object_set_new(numbers, "baseline_share", json_real(r4(
		    (double)bs / (double)(bn ? bn : 1))));
		if (ex)
			explain_add(ex, "share > baseline share + k * sd",
			    r4(share), ">", r4(thr), fire);
		json_object_set_new(numbers, "threshold", json_real(r4(thr)));
		if (ex)
			explain_add(ex, "share count >= min_count", (double)rs,
			    ">=", (double)a->min_count, rs >= a->min_count);
		fire = fire && rs >= a->min_count;
	} else {
		double sd = hark_moments_sd(&m), lambda;

		if (sd < sqrt(m.mean))
			sd = sqrt(m.mean);	/* Poisson noise at least */
		thr = m.mean + a->k * sd;
		lambda = (m.mean > RATE_FLOOR ? m.mean : RATE_FLOOR) *
		    (double)rc;
		p = hark_poisson_sf(rn, lambda);
		value = (double)rn / (double)rc;
		fire = value > thr;
		json_object_set_new(numbers, "threshold", json_real(r4(thr)));
		if (ex)
			explain_add(ex, "recent mean > baseline mean + k * sd",
			    r4(value), ">", r4(thr), fire);
		if (ex)
			explain_add(ex, "recent count >= min_count",
			    (double)rn, ">=", (double)a->min_count,
			    rn >= a->min_count);
		fire = fire && rn >= a->min_count;
	}
	json_object_set_new(numbers, "p_value", json_real(r3g(p)));
	if (ex)
		explain_add(ex, "p_value < p_value limit", r3g(p), "<",
		    a->p_value, p < a->p_value);
	fire = fire && p < a->p_value;
	if (ex && muted)
		json_array_append_new(ex, json_pack("{s:s,s:b}", "test",
		    "calendar open during the window", "passed", 0));

	if (muted) {
		;	/* neither fires nor clears outside opening hours */
	} else if (fire && !s->active) {
		s->active = 1;
		s->since = ws;
		if (a->cooldown > 0 && s->last_sent != 0 &&
		    we - s->last_sent < a->cooldown) {
			s->notified = 0;	/* flapping: stay quiet */
		} else {
			s->notified = 1;
			s->last_sent = we;
			raise_volume(run, a, s, "firing", w, numbers, top, ex);
		}
	} else if (fire) {
		if (a->reminder > 0 && we - s->last_sent >= a->reminder) {
			s->last_sent = we;
			s->notified = 1;
			raise_volume(run, a, s, "reminder", w, numbers, top,
			    ex);
		}
	} else if (s->active) {
		s->active = 0;
		s->cleared = we;
		if (s->notified && a->all_clear)
			raise_volume(run, a, s, "resolved", w, numbers, top,
			    ex);
		s->notified = 0;
	}
	json_decref(numbers);
	json_decref(ex);
out:
	json_decref(top);
}

static int
cmp_series(const void *x, const void *y)
{
	const struct ma_series *const *a = x, *const *b = y;

	return strcmp((*a)->key, (*b)->key);
}

void
ma_volume_close(struct ma_run *run, struct ma_alert *a)
{
	struct ma_series **sorted;
	size_t i;

	if (a->first == NONE)
		return;
	if (a->closed == NONE)
		a->closed = a->first;
	sorted = hark_xmalloc((a->nseries + 1) * sizeof(*sorted));
	memcpy(sorted, a->series, a->nseries * sizeof(*sorted));
	qsort(sorted, a->nseries, sizeof(*sorted), cmp_series);
	while (ma_window_start(a, a->closed + 1) + a->delay <= run->now) {
		int64_t w = a->closed, next = ma_window_of(a, run->now -
		    a->delay);
		size_t hist = a->nseries ? a->series[0]->hist : 1;
		int busy = 0;

		/* nothing to count or to clear: skip the empty windows */
		for (i = 0; i < a->nseries && !busy; i++) {
			size_t k;

			if (sorted[i]->active)
				busy = 1;
			for (k = 0; k < sorted[i]->nopen; k++)
				if (sorted[i]->open[k].idx < next)
					next = sorted[i]->open[k].idx;
		}
		if (!busy && (a->last_data == NONE ||
		    w > a->last_data + (int64_t)hist) && next > w) {
			/* every counted window is out of reach now */
			for (i = 0; i < a->nseries; i++) {
				memset(sorted[i]->hn, 0, hist * sizeof(long));
				memset(sorted[i]->hs, 0, hist * sizeof(long));
			}
			a->closed = next;
			continue;
		}
		for (i = 0; i < a->nseries; i++)
			close_window(run, a, sorted[i], w);
		a->closed = w + 1;
	}
	free(sorted);
}

/* ---- state file ---- */

/* What the saved counts depend on: other windows or keys start afresh. */
static json_t *
alert_sig(const struct ma_alert *a)
{
	json_t *sig = json_pack("[I,I,I]", (json_int_t)a->window,
	    (json_int_t)a->recent, (json_int_t)a->baseline);
	size_t i;

	for (i = 0; i < a->nby; i++)
		json_array_append_new(sig, json_string(a->by[i]));
	return sig;
}

static json_t *
alert_state(const struct ma_alert *a)
{
	json_t *o = json_object(), *arr = json_array();
	size_t i, k;

	json_object_set_new(o, "sig", alert_sig(a));
	json_object_set_new(o, "first", a->first == NONE ? json_null() :
	    json_integer(a->first));
	json_object_set_new(o, "closed", a->closed == NONE ? json_null() :
	    json_integer(a->closed));
	json_object_set_new(o, "last_data", a->last_data == NONE ?
	    json_null() : json_integer(a->last_data));
	for (i = 0; i < a->nseries; i++) {
		struct ma_series *s = a->series[i];
		json_t *so, *ring = json_array(), *op = json_array();
		int64_t j;

		if (a->closed != NONE)
			for (j = a->closed - (int64_t)s->hist; j < a->closed;
			    j++)
				if (s->hn[ring_at(s, j)] ||
				    s->hs[ring_at(s, j)])
					json_array_append_new(ring, json_pack(
					    "[I,I,I]", (json_int_t)j,
					    (json_int_t)s->hn[ring_at(s, j)],
					    (json_int_t)s->hs[ring_at(s, j)]));
		for (k = 0; k < s->nopen; k++)
			json_array_append_new(op, json_pack("[I,I,I,O]",
			    (json_int_t)s->open[k].idx, (json_int_t)
			    s->open[k].n, (json_int_t)s->open[k].s,
			    s->open[k].top));
		if (json_array_size(ring) == 0 && json_array_size(op) == 0 &&
		    !s->active && (a->cooldown == 0 || s->last_sent == 0)) {
			json_decref(ring);
			json_decref(op);
			continue;	/* nothing left to remember */
		}
		so = json_pack("{s:O,s:o,s:o,s:b,s:b,s:I,s:I,s:I}", "key",
		    s->keyv, "ring", ring, "open", op, "active", s->active,
		    "notified", s->notified, "since", (json_int_t)s->since,
		    "last_sent", (json_int_t)s->last_sent, "cleared",
		    (json_int_t)s->cleared);
		json_array_append_new(arr, so);
	}
	json_object_set_new(o, "series", arr);
	json_object_set(o, "items", a->item_sent);
	return o;
}

int
ma_state_save(struct ma_run *run, const char *path, struct hark_err *err)
{
	json_t *root = json_object(), *alerts = json_object();
	char *text;
	size_t i;
	int rc;

	json_object_set_new(root, "v", json_integer(1));
	for (i = 0; i < run->nalerts; i++) {
		struct ma_alert *a = &run->alerts[i];
		const char *k;
		json_t *v;
		void *tmp;

		/* item keys past their cooldown need no memory */
		json_object_foreach_safe(a->item_sent, tmp, k, v)
			if (json_integer_value(v) < run->now - a->cooldown)
				json_object_del(a->item_sent, k);
		json_object_set_new(alerts, a->name, alert_state(a));
	}
	json_object_set_new(root, "alerts", alerts);
	json_object_set(root, "spool", run->spool);
	text = hark_json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text == NULL)
		return hark_err_set(err, HARK_EXIT_FAILURE, "out of memory");
	rc = hark_write_atomic(path, text, strlen(text), 0600, err);
	free(text);
	return rc;
}

static int64_t
geti(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : NONE;
}

static int
load_alert(struct ma_alert *a, json_t *o)
{
	json_t *sig = json_object_get(o, "sig"), *series, *it, *items;
	json_t *want = alert_sig(a);
	int same = json_equal(sig, want);
	size_t i, k;

	json_decref(want);
	if (!same)
		return 0;	/* windows or keys changed: learn afresh */
	a->first = geti(o, "first");
	a->closed = geti(o, "closed");
	a->last_data = geti(o, "last_data");
	items = json_object_get(o, "items");
	if (json_is_object(items)) {
		json_decref(a->item_sent);
		a->item_sent = json_incref(items);
	}
	series = json_object_get(o, "series");
	json_array_foreach(series, i, it) {
		json_t *key = json_object_get(it, "key"), *e;
		struct ma_series *s;

		if (!json_is_array(key) || json_array_size(key) != a->nby)
			return -1;
		s = series_get(a, json_incref(key));
		json_array_foreach(json_object_get(it, "ring"), k, e) {
			int64_t j = json_integer_value(json_array_get(e, 0));

			if (a->closed == NONE || j < a->closed -
			    (int64_t)s->hist || j >= a->closed)
				continue;
			s->hn[ring_at(s, j)] = (long)json_integer_value(
			    json_array_get(e, 1));
			s->hs[ring_at(s, j)] = (long)json_integer_value(
			    json_array_get(e, 2));
		}
		json_array_foreach(json_object_get(it, "open"), k, e) {
			struct ma_open *op = open_get(s, json_integer_value(
			    json_array_get(e, 0)));

			op->n = (long)json_integer_value(json_array_get(e, 1));
			op->s = (long)json_integer_value(json_array_get(e, 2));
			if (json_is_array(json_array_get(e, 3))) {
				json_decref(op->top);
				op->top = json_deep_copy(json_array_get(e, 3));
			}
		}
		s->active = json_is_true(json_object_get(it, "active"));
		s->notified = json_is_true(json_object_get(it, "notified"));
		s->since = geti(it, "since");
		s->last_sent = geti(it, "last_sent");
		s->cleared = geti(it, "cleared");
	}
	return 0;
}

int
ma_state_load(struct ma_run *run, const char *path, struct hark_err *err)
{
	json_t *root, *alerts;
	char *text;
	size_t len, i;
	FILE *fp = fopen(path, "r");

	if (fp == NULL) {
		if (errno == ENOENT)
			return 0;
		return hark_err_set(err, HARK_EXIT_FAILURE, "cannot open "
		    "'%s': %s", path, strerror(errno));
	}
	fclose(fp);
	if ((text = hark_read_file(path, STATE_MAX, &len, err)) == NULL)
		return -1;
	root = json_loadb(text, len, 0, NULL);
	free(text);
	alerts = json_object_get(root, "alerts");
	if (!json_is_object(alerts) || !json_is_array(json_object_get(root,
	    "spool"))) {
		json_decref(root);
		return hark_err_set(err, HARK_EXIT_FAILURE, "'%s': not a "
		    "mention-alert state file (remove it to start afresh)",
		    path);
	}
	json_decref(run->spool);
	run->spool = json_incref(json_object_get(root, "spool"));
	for (i = 0; i < run->nalerts; i++) {
		json_t *o = json_object_get(alerts, run->alerts[i].name);

		if (json_is_object(o) && load_alert(&run->alerts[i], o) < 0) {
			json_decref(root);
			return hark_err_set(err, HARK_EXIT_FAILURE, "'%s': "
			    "alert '%s': damaged state (remove the file to "
			    "start afresh)", path, run->alerts[i].name);
		}
	}
	json_decref(root);
	return 0;
}
