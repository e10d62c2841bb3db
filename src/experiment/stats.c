/* SPDX-License-Identifier: MIT
 *
 * stats.c - the mean, spread and 95% confidence interval of a figure over
 * replications, and of the difference between two sweep points.
 *
 * Replications are independent and identically distributed, so the
 * Student-t interval of their mean is the right one (the engine's
 * hs_tally and hs_tally_ci).  Values are added in replication order, so
 * the result is the same bits however the replications were computed.
 * Two points share their random numbers replication by replication
 * (common random numbers), so their difference is estimated from the
 * paired differences, whose variance is usually far below the sum of the
 * two variances.
 */
#include "experiment.h"

#include <math.h>

#include <hailsham/stats.h>

static void finish(const hs_tally *t, struct hs_exp_stat *out)
{
    hs_ci ci = hs_tally_ci(t, HS_EXP_LEVEL);
    out->n = (size_t)t->n;
    out->mean = t->n > 0 ? ci.mean : NAN;
    out->sd = t->n > 1 ? hs_tally_stddev(t) : NAN;
    out->half_width = t->n > 1 ? ci.half_width : NAN;
    out->lo = out->mean - out->half_width;
    out->hi = out->mean + out->half_width;
}

void hs_exp_stat_of(const double *x, size_t n, size_t stride, struct hs_exp_stat *out)
{
    hs_tally t;
    hs_tally_init(&t);
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * stride]))
            hs_tally_add(&t, x[i * stride]);
    finish(&t, out);
}

void hs_exp_diff_of(const double *x, const double *y, size_t n, size_t stride,
                    struct hs_exp_stat *out)
{
    hs_tally t;
    hs_tally_init(&t);
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i * stride]) && isfinite(y[i * stride]))
            hs_tally_add(&t, y[i * stride] - x[i * stride]);
    finish(&t, out);
}

/* Figure k of point p over its replications: fig is laid out as
 * [point][replication][figure]. */
static const double *series(const struct hs_exp_results *r, size_t p, size_t k)
{
    return r->fig + (p * r->rep_stride) * hs_exp_figure_count() + k;
}

void hs_exp_point_stat(const struct hs_exp_results *r, size_t p, size_t k,
                       struct hs_exp_stat *st)
{
    hs_exp_stat_of(series(r, p, k), r->nreps, hs_exp_figure_count(), st);
}

void hs_exp_point_diff(const struct hs_exp_results *r, size_t p, size_t k,
                       struct hs_exp_stat *st)
{
    hs_exp_diff_of(series(r, 0, k), series(r, p, k), r->nreps, hs_exp_figure_count(), st);
}
