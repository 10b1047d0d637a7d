/* stats.c - Poisson and binomial tails, running moments. */
#include <math.h>
#include "stats.h"

/*
 * Sum the terms of a discrete distribution from K upwards (the terms fall
 * once past the mode) or, when K lies below the mode, take one minus the
 * lower sum; either way the summed terms never cancel catastrophically.
 */
double
hark_poisson_sf(long k, double lambda)
{
	double lt, term, sum;
	long i;

	if (k <= 0)
		return 1.0;
	if (!(lambda > 0))
		return 0.0;
	if ((double)k > lambda) {
		lt = -lambda + (double)k * log(lambda) - lgamma((double)k + 1);
		term = exp(lt);
		sum = term;
		for (i = k + 1; term > sum * 1e-17 && i < k + 100000000L;
		    i++) {
			term *= lambda / (double)i;
			sum += term;
		}
		return sum > 1.0 ? 1.0 : sum;
	}
	/* 1 - P(X <= k-1), summed downwards from k-1 */
	lt = -lambda + (double)(k - 1) * log(lambda) - lgamma((double)k);
	term = exp(lt);
	sum = term;
	for (i = k - 1; i > 0 && term > sum * 1e-17; i--) {
		term *= (double)i / lambda;
		sum += term;
	}
	sum = 1.0 - sum;
	return sum < 0.0 ? 0.0 : sum > 1.0 ? 1.0 : sum;
}

static double
binom_log_pmf(long k, long n, double p)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) -
	    lgamma((double)(n - k) + 1) + (double)k * log(p) +
	    (double)(n - k) * log1p(-p);
}

double
hark_binomial_sf(long k, long n, double p)
{
	double term, sum, r;
	long i;

	if (k <= 0)
		return 1.0;
	if (k > n)
		return 0.0;
	if (!(p > 0))
		return 0.0;
	if (p >= 1)
		return 1.0;
	r = p / (1 - p);
	if ((double)k > (double)n * p) {
		term = exp(binom_log_pmf(k, n, p));
		sum = term;
		for (i = k; i < n && term > sum * 1e-17; i++) {
			term *= (double)(n - i) / (double)(i + 1) * r;
			sum += term;
		}
		return sum > 1.0 ? 1.0 : sum;
	}
	term = exp(binom_log_pmf(k - 1, n, p));
	sum = term;
	for (i = k - 1; i > 0 && term > sum * 1e-17; i--) {
		term *= (double)i / ((double)(n - i + 1) * r);
		sum += term;
	}
	sum = 1.0 - sum;
	return sum < 0.0 ? 0.0 : sum > 1.0 ? 1.0 : sum;
}

void
hark_moments_add(struct hark_moments *m, double x)
{
	double d = x - m->mean;

	m->n++;
	m->mean += d / (double)m->n;
	m->m2 += d * (x - m->mean);
}

double
hark_moments_sd(const struct hark_moments *m)
{
	if (m->n < 2 || m->m2 <= 0)
		return 0.0;
	return sqrt(m->m2 / (double)m->n);
}
