/* sketch.c - a mergeable quantile sketch (see sketch.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"

/* Bucket indexes are kept within this range: G^40000 is about 1e173. */
#define IDX_MAX 40000

static double
gamma_(void)
{
	return (1 + HARK_SKETCH_ALPHA) / (1 - HARK_SKETCH_ALPHA);
}

static int32_t
index_of(double v)
{
	double i = ceil(log(v) / log(gamma_()));

	if (i > IDX_MAX)
		i = IDX_MAX;
	if (i < -IDX_MAX)
		i = -IDX_MAX;
	return (int32_t)i;
}

static double
value_of(int32_t i)
{
	double g = gamma_();

	return 2 * pow(g, i) / (g + 1);
}

void
hark_sketch_init(struct hark_sketch *s)
{
	memset(s, 0, sizeof(*s));
}

void
hark_sketch_release(struct hark_sketch *s)
{
	free(s->counts);
	hark_sketch_init(s);
}

/* Make bucket range [LO, HI] part of S's array. */
static void
cover(struct hark_sketch *s, int32_t lo, int32_t hi)
{
	int32_t nlo, nhi;
	uint64_t *c;

	if (s->len == 0) {
		s->counts = hark_xcalloc((size_t)(hi - lo + 1), sizeof(*c));
		s->lo = lo;
		s->len = (uint32_t)(hi - lo + 1);
		return;
	}
	nlo = lo < s->lo ? lo : s->lo;
	nhi = hi > s->lo + (int32_t)s->len - 1 ? hi :
	    s->lo + (int32_t)s->len - 1;
	if (nlo == s->lo && nhi == s->lo + (int32_t)s->len - 1)
		return;
	c = hark_xcalloc((size_t)(nhi - nlo + 1), sizeof(*c));
	memcpy(c + (s->lo - nlo), s->counts, s->len * sizeof(*c));
	free(s->counts);
	s->counts = c;
	s->lo = nlo;
	s->len = (uint32_t)(nhi - nlo + 1);
}

static void
note_extremes(struct hark_sketch *s, double mn, double mx, uint64_t was)
{
	if (was == 0 || mn < s->min)
		s->min = mn;
	if (was == 0 || mx > s->max)
		s->max = mx;
}

int
hark_sketch_add(struct hark_sketch *s, double v)
{
	int32_t i;

	if (!isfinite(v) || v < 0)
		return -1;
	note_extremes(s, v, v, s->n);
	s->n++;
	s->sum += v;
	if (v < HARK_SKETCH_TINY) {
		s->zero++;
		return 0;
	}
	i = index_of(v);
	cover(s, i, i);
	s->counts[i - s->lo]++;
	return 0;
}

void
hark_sketch_merge(struct hark_sketch *dst, const struct hark_sketch *src)
{
	uint32_t k;

	if (src->n == 0)
		return;
	note_extremes(dst, src->min, src->max, dst->n);
	dst->n += src->n;
	dst->zero += src->zero;
	dst->sum += src->sum;
	if (src->len == 0)
		return;
	cover(dst, src->lo, src->lo + (int32_t)src->len - 1);
	for (k = 0; k < src->len; k++)
		dst->counts[src->lo - dst->lo + (int32_t)k] += src->counts[k];
}

double
hark_sketch_rank(const struct hark_sketch *s, uint64_t rank)
{
	uint64_t seen;
	uint32_t k;
	double v;

	if (rank < 1 || rank > s->n)
		return NAN;
	if (rank == 1)
		return s->min;
	if (rank == s->n)
		return s->max;
	seen = s->zero;
	if (rank <= seen)
		return 0;
	for (k = 0; k < s->len; k++) {
		seen += s->counts[k];
		if (rank <= seen)
			break;
	}
	if (k == s->len)	/* counts inconsistent with n: cannot happen */
		return s->max;
	v = value_of(s->lo + (int32_t)k);
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

double
hark_sketch_percentile(const struct hark_sketch *s, int p)
{
	uint64_t rank;

	if (s->n == 0)
		return NAN;
	if (p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	/* ceil(p n / 100) without overflow for any n below 2^64 / 100 */
	rank = (uint64_t)p * (s->n / 100) +
	    ((uint64_t)p * (s->n % 100) + 99) / 100;
	if (rank < 1)
		rank = 1;
	return hark_sketch_rank(s, rank);
}

static int
add_double(struct hark_buf *out, const char *key, double v)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), ",\"%s\":%.17g", key, v);
	return hark_buf_addstr(out, tmp);
}

int
hark_sketch_to_json(const struct hark_sketch *s, struct hark_buf *out)
{
	char tmp[64];
	uint32_t a = 0, b = s->len, k;

	snprintf(tmp, sizeof(tmp), "{\"n\":%llu,\"zero\":%llu",
	    (unsigned long long)s->n, (unsigned long long)s->zero);
	if (hark_buf_addstr(out, tmp) < 0 ||
	    add_double(out, "sum", s->sum) < 0 ||
	    add_double(out, "min", s->n ? s->min : 0) < 0 ||
	    add_double(out, "max", s->n ? s->max : 0) < 0)
		return -1;
	while (a < b && s->counts[a] == 0)
		a++;
	while (b > a && s->counts[b - 1] == 0)
		b--;
	if (a < b) {
		snprintf(tmp, sizeof(tmp), ",\"lo\":%ld,\"c\":[",
		    (long)(s->lo + (int32_t)a));
		if (hark_buf_addstr(out, tmp) < 0)
			return -1;
		for (k = a; k < b; k++) {
			snprintf(tmp, sizeof(tmp), "%s%llu", k > a ? "," : "",
			    (unsigned long long)s->counts[k]);
			if (hark_buf_addstr(out, tmp) < 0)
				return -1;
		}
		if (hark_buf_addch(out, ']') < 0)
			return -1;
	}
	return hark_buf_addch(out, '}');
}

static int
get_count(const json_t *obj, const char *key, uint64_t *out,
    struct hark_err *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return hark_err_set(err, HARK_EXIT_DATA,
		    "sketch: \"%s\" is not a count", key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
get_number(const json_t *obj, const char *key, double *out,
    struct hark_err *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
	    json_number_value(v) < 0)
		return hark_err_set(err, HARK_EXIT_DATA,
		    "sketch: \"%s\" is not a non-negative number", key);
	*out = json_number_value(v);
	return 0;
}

int
hark_sketch_from_json(struct hark_sketch *s, const json_t *obj,
    struct hark_err *err)
{
	struct hark_sketch t = HARK_SKETCH_INIT;
	const json_t *lo, *c, *v;
	uint64_t total;
	size_t k, n;

	if (!json_is_object(obj))
		return hark_err_set(err, HARK_EXIT_DATA,
		    "sketch: not a JSON object");
	if (get_count(obj, "n", &t.n, err) < 0 ||
	    get_count(obj, "zero", &t.zero, err) < 0 ||
	    get_number(obj, "sum", &t.sum, err) < 0 ||
	    get_number(obj, "min", &t.min, err) < 0 ||
	    get_number(obj, "max", &t.max, err) < 0)
		return -1;
	if (t.min > t.max || t.zero > t.n)
		return hark_err_set(err, HARK_EXIT_DATA,
		    "sketch: min above max, or more zeros than values");
	total = t.zero;
	lo = json_object_get(obj, "lo");
	c = json_object_get(obj, "c");
	if (lo || c) {
		if (!json_is_integer(lo) || json_integer_value(lo) < -IDX_MAX ||
		    !json_is_array(c) || json_array_size(c) == 0 ||
		    json_integer_value(lo) + (json_int_t)json_array_size(c) - 1 >
		    IDX_MAX)
			return hark_err_set(err, HARK_EXIT_DATA,
			    "sketch: bad bucket range");
		n = json_array_size(c);
		t.lo = (int32_t)json_integer_value(lo);
		t.len = (uint32_t)n;
		t.counts = hark_xcalloc(n, sizeof(*t.counts));
		for (k = 0; k < n; k++) {
			v = json_array_get(c, k);
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    (uint64_t)json_integer_value(v) > t.n - total) {
				free(t.counts);
				return hark_err_set(err, HARK_EXIT_DATA,
				    "sketch: bad bucket count");
			}
			t.counts[k] = (uint64_t)json_integer_value(v);
			total += t.counts[k];
		}
	}
	if (total != t.n) {
		free(t.counts);
		return hark_err_set(err, HARK_EXIT_DATA,
		    "sketch: bucket counts do not add up to n");
	}
	hark_sketch_release(s);
	*s = t;
	return 0;
}
