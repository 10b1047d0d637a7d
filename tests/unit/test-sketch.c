/* test-sketch.c - the quantile sketch: the 0.5 % bound against exact
 * nearest-rank percentiles on several distributions, merges of any split
 * equal to one sketch, JSON round trips and damaged JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sketch.h"
#include "tap.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
unif(void)
{
	return (double)(xorshift() >> 11) / 9007199254740992.0;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Exact nearest-rank percentile, as sla-report computes it. */
static double
exact(const double *sorted, long n, int p)
{
	long rank = (long)(((long long)p * n + 99) / 100);

	return sorted[(rank < 1 ? 1 : rank) - 1];
}

/* Equal buckets, count, zeros, min and max; sums equal to the last bits
 * of a double (exactly for integer data). */
static int
same(const struct hark_sketch *a, const struct hark_sketch *b)
{
	uint32_t k;

	if (a->n != b->n || a->zero != b->zero || a->min != b->min ||
	    a->max != b->max || fabs(a->sum - b->sum) > 1e-12 * a->sum) {
		printf("# n %llu/%llu sum %.17g/%.17g\n",
		    (unsigned long long)a->n, (unsigned long long)b->n,
		    a->sum, b->sum);
		return 0;
	}
	for (k = 0; k < a->len || k < b->len; k++) {
		int32_t i = a->lo + (int32_t)k;
		uint64_t x = k < a->len ? a->counts[k] : 0, y = 0;

		if (i >= b->lo && i < b->lo + (int32_t)b->len)
			y = b->counts[i - b->lo];
		if (x != y) {
			printf("# bucket %ld: %llu/%llu\n", (long)i,
			    (unsigned long long)x, (unsigned long long)y);
			return 0;
		}
	}
	return 1;
}

int
main(void)
{
	static const int ps[] = { 1, 10, 25, 50, 75, 90, 95, 99, 100 };
	enum { N = 20000, SHARDS = 7 };
	double *v = malloc(N * sizeof(*v)), *s = malloc(N * sizeof(*v));
	struct hark_sketch one, part[SHARDS], merged, back;
	struct hark_buf js = HARK_BUF_INIT(1 << 24);
	struct hark_err err = HARK_ERR_INIT;
	json_t *j;
	int dist, i, k, worst_ok;
	double worst;

	for (dist = 0; dist < 4; dist++) {
		hark_sketch_init(&one);
		for (k = 0; k < SHARDS; k++)
			hark_sketch_init(&part[k]);
		for (i = 0; i < N; i++) {
			switch (dist) {
			case 0:	/* integer seconds, heavy tail */
				v[i] = floor(-log(1 - unif()) * 900); break;
			case 1:	/* log-uniform over 1 s .. 30 days */
				v[i] = exp(unif() * log(2592000.0)); break;
			case 2:	/* few distinct values, many zeros */
				v[i] = (double)(xorshift() % 4) * 60; break;
			default: /* small integers: exact after rounding */
				v[i] = (double)(xorshift() % 100); break;
			}
			hark_sketch_add(&one, v[i]);
			hark_sketch_add(&part[xorshift() % SHARDS], v[i]);
		}
		memcpy(s, v, N * sizeof(*v));
		qsort(s, N, sizeof(*s), cmp_d);
		worst = 0;
		worst_ok = 1;
		for (k = 0; k < (int)(sizeof(ps) / sizeof(ps[0])); k++) {
			double want = exact(s, N, ps[k]);
			double got = hark_sketch_percentile(&one, ps[k]);
			double rel = want > 0 ? fabs(got - want) / want :
			    fabs(got);

			if (rel > worst)
				worst = rel;
			if (dist == 3 && round(got) != want)
				worst_ok = 0;
		}
		ok(worst <= HARK_SKETCH_ALPHA + 1e-12,
		    "distribution %d: every percentile within 0.5 %% "
		    "(worst %.5f)", dist, worst);
		if (dist == 3)
			ok(worst_ok, "integers below 100 round back exactly");
		ok(hark_sketch_percentile(&one, 100) == s[N - 1] &&
		    hark_sketch_rank(&one, 1) == s[0],
		    "distribution %d: min and max exact", dist);

		/* merge the shards in two different orders and groupings */
		hark_sketch_init(&merged);
		for (k = 0; k < SHARDS; k++)
			hark_sketch_merge(&merged, &part[k]);
		ok(same(&merged, &one), "distribution %d: merged shards "
		    "equal one sketch", dist);
		hark_sketch_release(&merged);
		hark_sketch_init(&merged);
		hark_sketch_merge(&part[5], &part[6]);
		hark_sketch_merge(&part[2], &part[5]);
		hark_sketch_merge(&merged, &part[2]);
		for (k = SHARDS - 3; k >= 0; k--)
			if (k != 2)
				hark_sketch_merge(&merged, &part[k]);
		ok(same(&merged, &one), "distribution %d: another order and "
		    "grouping, the same sketch", dist);

		/* JSON round trip */
		hark_buf_reset(&js);
		ok(hark_sketch_to_json(&one, &js) == 0, "to json");
		j = json_loads(js.ptr, 0, NULL);
		hark_sketch_init(&back);
		ok(j && hark_sketch_from_json(&back, j, &err) == 0 &&
		    same(&back, &one), "distribution %d: JSON round trip", dist);
		json_decref(j);
		hark_sketch_release(&back);
		hark_sketch_release(&merged);
		hark_sketch_release(&one);
		for (k = 0; k < SHARDS; k++)
			hark_sketch_release(&part[k]);
	}

	hark_sketch_init(&one);
	ok(isnan(hark_sketch_percentile(&one, 50)), "empty: NAN");
	ok(hark_sketch_add(&one, -1) < 0 && hark_sketch_add(&one, NAN) < 0 &&
	    one.n == 0, "negative and NaN refused");
	hark_sketch_release(&one);

	{
		static const char *bad[] = {
			"[]", "{}", "{\"n\":1,\"zero\":0,\"sum\":1,\"min\":1,"
			"\"max\":1}",	/* counts do not add up */
			"{\"n\":1,\"zero\":0,\"sum\":1,\"min\":1,\"max\":1,"
			"\"lo\":0,\"c\":[2]}",
			"{\"n\":1,\"zero\":2,\"sum\":1,\"min\":1,\"max\":1}",
			"{\"n\":1,\"zero\":0,\"sum\":1,\"min\":2,\"max\":1,"
			"\"lo\":0,\"c\":[1]}",
			"{\"n\":1,\"zero\":0,\"sum\":1,\"min\":1,\"max\":1,"
			"\"lo\":99999999,\"c\":[1]}",
			"{\"n\":-1,\"zero\":0,\"sum\":1,\"min\":1,\"max\":1}",
			"{\"n\":1,\"zero\":0,\"sum\":1,\"min\":1,\"max\":1,"
			"\"lo\":0,\"c\":[\"1\"]}",
		};
		for (k = 0; k < (int)(sizeof(bad) / sizeof(bad[0])); k++) {
			hark_sketch_init(&back);
			j = json_loads(bad[k], 0, NULL);
			ok(hark_sketch_from_json(&back, j, &err) < 0 &&
			    back.n == 0, "damaged sketch %d refused: %s", k,
			    err.msg);
			json_decref(j);
			hark_sketch_release(&back);
		}
	}
	hark_buf_release(&js);
	free(v);
	free(s);
	return tap_done();
}
