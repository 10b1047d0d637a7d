/*
 * stats.h - the small statistics alert rules need: Poisson and binomial
 * upper tails and a running mean / standard deviation.
 *
 * Everything is pure arithmetic on doubles: nothing here allocates,
 * prints, exits or reads the clock.
 */
#ifndef HARK_STATS_H
#define HARK_STATS_H

#include "hark.h"

/*
 * P(X >= K) for X ~ Poisson(LAMBDA).  K <= 0 gives 1; LAMBDA <= 0 gives
 * 0 for K >= 1.  Accurate to about 1e-12 relative; never below 0 or
 * above 1.
 */
double hark_poisson_sf(long k, double lambda);

/*
 * P(X >= K) for X ~ Binomial(N, P).  K <= 0 gives 1, K > N gives 0; P is
 * clamped to [0, 1].
 */
double hark_binomial_sf(long k, long n, double p);

/* Welford's running mean and variance. */
struct hark_moments {
	long n;
	double mean, m2;
};
#define HARK_MOMENTS_INIT { 0, 0.0, 0.0 }

void hark_moments_add(struct hark_moments *m, double x);
/* Population standard deviation (0 with fewer than two values). */
double hark_moments_sd(const struct hark_moments *m);

#endif
