/* SPDX-License-Identifier: MIT
 *
 * stats.h - output statistics for simulations.
 *
 *   hs_tally     running mean, variance, min, max of observations (Welford),
 *                mergeable (Chan et al.) so replications can be combined;
 *   hs_timeavg   time-weighted average of a piecewise-constant quantity
 *                (queue length, number busy);
 *   hs_histogram fixed-width bins with underflow and overflow counts;
 *   hs_batch     batch means for a confidence interval from one long run;
 *   Student-t quantiles and confidence intervals.
 *
 * Plain structs, no allocation except hs_histogram and hs_batch.
 */
#ifndef HAILSHAM_STATS_H
#define HAILSHAM_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_tally {
    uint64_t n;
    double mean;
    double m2;   /* sum of squared deviations from the mean */
    double min, max;
} hs_tally;

void hs_tally_init(hs_tally *t);
void hs_tally_add(hs_tally *t, double x);
void hs_tally_merge(hs_tally *into, const hs_tally *from);
double hs_tally_mean(const hs_tally *t);      /* NaN when n == 0 */
double hs_tally_variance(const hs_tally *t);  /* sample variance, NaN when n < 2 */
double hs_tally_stddev(const hs_tally *t);

/* A confidence interval: the estimate and the half-width at `level`. */
typedef struct hs_ci {
    double mean;
    double half_width;  /* NaN when it cannot be computed (n < 2) */
    double level;       /* e.g. 0.95 */
    uint64_t n;
} hs_ci;

/* Student-t interval for the mean of the tallied observations. */
hs_ci hs_tally_ci(const hs_tally *t, double level);

/* Quantile of Student's t with df > 0 degrees of freedom, 0 < p < 1.
 * Accurate to about 1e-10 relative.  NaN on bad arguments. */
double hs_student_t_quantile(double p, double df);
/* Quantile of the standard normal, 0 < p < 1 (NaN otherwise). */
double hs_normal_quantile(double p);

/* The q-quantile (0..1) of v[0..n-1], sorted ascending, by linear
 * interpolation between order statistics; NaN when n is 0. */
double hs_quantile_sorted(const double *v, size_t n, double q);

typedef struct hs_timeavg {
    double t0;       /* start of observation */
    double t_last;   /* time of the last change */
    double value;    /* current value */
    double area;     /* integral of value from t0 to t_last */
    double min, max;
} hs_timeavg;

void hs_timeavg_init(hs_timeavg *a, double t0, double value);
/* The quantity changes to `value` at time t (t >= the last time). */
void hs_timeavg_set(hs_timeavg *a, double t, double value);
/* The average over [t0, t]; the current value is held until t. */
double hs_timeavg_mean(const hs_timeavg *a, double t);
/* Restart the average at time t, keeping the current value (warm-up). */
void hs_timeavg_reset(hs_timeavg *a, double t);

typedef struct hs_histogram hs_histogram;

/* nbins >= 1 bins of equal width over [lo, hi), lo < hi, finite. */
int hs_histogram_create(double lo, double hi, size_t nbins, hs_histogram **out);
void hs_histogram_destroy(hs_histogram *h);
void hs_histogram_add(hs_histogram *h, double x);  /* NaN counts as overflow */
size_t hs_histogram_nbins(const hs_histogram *h);
uint64_t hs_histogram_count(const hs_histogram *h, size_t bin);
uint64_t hs_histogram_underflow(const hs_histogram *h);
uint64_t hs_histogram_overflow(const hs_histogram *h);
uint64_t hs_histogram_total(const hs_histogram *h);
double hs_histogram_bin_lo(const hs_histogram *h, size_t bin);
double hs_histogram_bin_hi(const hs_histogram *h, size_t bin);
/* The p-quantile (0..1) by linear interpolation within bins; NaN if empty
 * or if the quantile falls in underflow or overflow. */
double hs_histogram_quantile(const hs_histogram *h, double p);

/* Batch means: observations are grouped into batches of `batch_size`
 * consecutive values; the batch averages are treated as independent. */
typedef struct hs_batch hs_batch;

int hs_batch_create(uint64_t batch_size, hs_batch **out);
void hs_batch_destroy(hs_batch *b);
void hs_batch_add(hs_batch *b, double x);
uint64_t hs_batch_count(const hs_batch *b);  /* complete batches */
/* Interval from the complete batches' means (NaN half-width if < 2). */
hs_ci hs_batch_ci(const hs_batch *b, double level);
/* Lag-1 autocorrelation of the batch means (NaN if < 3 batches): near 0
 * when the batches are long enough. */
double hs_batch_lag1(const hs_batch *b);

#ifdef __cplusplus
}
#endif
#endif
