/* test-stats.c - Poisson and binomial tails against values worked out
 * with exact sums, and the running moments. */
#include <math.h>
#include "stats.h"
#include "tap.h"

static int
close_to(double got, double want)
{
	if (want == 0)
		return got == 0;
	if (fabs(got - want) / want < 1e-9)
		return 1;
	printf("#   got: %.15g\n#  want: %.15g\n", got, want);
	return 0;
}

int
main(void)
{
	struct hark_moments m = HARK_MOMENTS_INIT;
	int i;

	ok(close_to(hark_poisson_sf(3, 1), 0.08030139707139416),
	    "poisson P(X>=3 | 1): 3 against a quiet baseline is not rare");
	ok(close_to(hark_poisson_sf(6, 1), 0.0005941848175816666),
	    "poisson P(X>=6 | 1)");
	ok(close_to(hark_poisson_sf(5, 10), 0.970747311923039),
	    "poisson below the mean: 1 - lower sum");
	ok(close_to(hark_poisson_sf(30, 10), 2.509951200213578e-07),
	    "poisson far tail");
	ok(hark_poisson_sf(0, 5) == 1.0, "poisson k=0 is certain");
	ok(hark_poisson_sf(1, 0) == 0.0, "poisson lambda=0 never reaches 1");
	ok(hark_poisson_sf(100000, 10) >= 0.0 &&
	    hark_poisson_sf(100000, 10) < 1e-300, "poisson underflow is 0");
	ok(close_to(hark_binomial_sf(8, 10, 0.3), 0.0015903863999999993),
	    "binomial upper tail");
	ok(close_to(hark_binomial_sf(2, 10, 0.3), 0.8506916540999994),
	    "binomial below the mean");
	ok(close_to(hark_binomial_sf(60, 100, 0.3), 5.129949815583134e-10),
	    "binomial far tail");
	ok(hark_binomial_sf(11, 10, 0.5) == 0.0, "binomial k > n");
	ok(hark_binomial_sf(1, 10, 0.0) == 0.0, "binomial p = 0");
	for (i = 1; i <= 4; i++)
		hark_moments_add(&m, i);
	ok(close_to(m.mean, 2.5), "mean");
	ok(close_to(hark_moments_sd(&m), sqrt(1.25)), "population sd");
	return tap_done();
}
