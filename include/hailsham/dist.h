/* SPDX-License-Identifier: MIT
 *
 * dist.h - random variates from the distributions the model needs.
 *
 * Every function draws from a hs_rng stream and is deterministic for a
 * given stream state.  Parameters are not checked on the hot path: the
 * caller validates them once (hs_dist_check_* helpers below return
 * HS_EINVAL with a reason for bad parameters).  Called with invalid
 * parameters the continuous samplers return NaN and the discrete ones
 * (Poisson, binomial) return 0 rather than crash; Poisson treats a mean
 * above 2^62 as invalid.  The hs_dist_check_* functions set *why to NULL
 * when the parameters are fine.
 */
#ifndef HAILSHAM_DIST_H
#define HAILSHAM_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Uniform on [a, b). */
double hs_dist_uniform(hs_rng *r, double a, double b);

/* Exponential with the given rate (mean 1/rate), ziggurat method. */
double hs_dist_exponential(hs_rng *r, double rate);

/* Standard exponential (rate 1), ziggurat; the fast path of the above. */
double hs_dist_exp1(hs_rng *r);

/* Normal with mean mu and standard deviation sigma (ziggurat). */
double hs_dist_normal(hs_rng *r, double mu, double sigma);

/* Lognormal: exp(N(mu, sigma^2)). */
double hs_dist_lognormal(hs_rng *r, double mu, double sigma);

/* Gamma with shape k > 0 and scale theta > 0 (Marsaglia-Tsang). */
double hs_dist_gamma(hs_rng *r, double shape, double scale);

/* Weibull with shape k > 0 and scale lambda > 0. */
double hs_dist_weibull(hs_rng *r, double shape, double scale);

/* Gompertz: hazard h(x) = b * exp(c * x), b > 0, c > 0; returns the time
 * to the event from x = 0. */
double hs_dist_gompertz(hs_rng *r, double b, double c);

/* Gompertz-Makeham: hazard h(x) = a + b * exp(c * x), a >= 0, b > 0, c > 0.
 * hs_dist_gompertz_makeham_from(r, a, b, c, age) gives the remaining time
 * to the event for someone who has survived to `age` (the hazard from then
 * on is a + b*exp(c*(age + s))).  Returns +inf only if a == 0 and the
 * draw exceeds every representable time (never in practice). */
double hs_dist_gompertz_makeham(hs_rng *r, double a, double b, double c);
double hs_dist_gompertz_makeham_from(hs_rng *r, double a, double b, double c,
                                     double age);

/* Poisson with mean lambda >= 0 (inversion below 10, PTRS above). */
uint64_t hs_dist_poisson(hs_rng *r, double lambda);

/* Binomial(n, p), 0 <= p <= 1 (inversion for small n*min(p,1-p), BTRS
 * otherwise). */
uint64_t hs_dist_binomial(hs_rng *r, uint64_t n, double p);

/* Parameter checks: HS_OK or HS_EINVAL.  When `why` is not NULL it is set
 * to a constant message naming the offending parameter. */
int hs_dist_check_gamma(double shape, double scale, const char **why);
int hs_dist_check_weibull(double shape, double scale, const char **why);
int hs_dist_check_gompertz_makeham(double a, double b, double c, const char **why);

/* Discrete distribution over 0..n-1 by weights: Walker/Vose alias table,
 * O(1) per draw. */
typedef struct hs_alias hs_alias;

/* Build a table from n >= 1 non-negative finite weights with a positive
 * sum.  Returns HS_OK and *out, HS_EINVAL (bad weights) or HS_ENOMEM. */
int hs_alias_create(const double *weights, size_t n, hs_alias **out);
void hs_alias_destroy(hs_alias *a);            /* NULL is allowed */
size_t hs_alias_draw(const hs_alias *a, hs_rng *r);
size_t hs_alias_size(const hs_alias *a);
double hs_alias_probability(const hs_alias *a, size_t i); /* normalised weight; 0 out of range */

#ifdef __cplusplus
}
#endif
#endif
