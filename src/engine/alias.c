/* SPDX-License-Identifier: MIT
 *
 * alias.c - discrete distributions over 0..n-1 by Walker's alias method,
 * with the table built by Vose's algorithm (Vose, "A linear algorithm for
 * generating random numbers with a given distribution", IEEE TSE 17(9),
 * 1991).
 *
 * Every column i of the table holds a threshold and an alias: a draw picks
 * a column uniformly and keeps i when a second uniform falls below the
 * threshold, otherwise it returns the alias.  Building is O(n) and
 * deterministic (the work lists are processed in a fixed order, so the
 * same weights give the same table and hence the same draws on every
 * platform with IEEE doubles).  A draw costs two 64-bit random numbers:
 * one for the column, through the unbiased hs_rng_below, and one for the
 * threshold compare, done on integers (53 bits) so it is exact.
 */
#include "hailsham/dist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "hailsham/status.h"

struct hs_alias {
    size_t n;
    uint64_t *threshold; /* keep column i when (next >> 11) < threshold[i] */
    size_t *alias;       /* the other outcome of column i */
    double *prob;        /* the normalised weights, for hs_alias_probability */
};

#define THRESHOLD_ONE (UINT64_C(1) << 53)

/* The largest weight, or -1 if any weight is negative, NaN or infinite. */
static double max_weight(const double *w, size_t n)
{
    double max = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] >= 0.0 && w[i] < INFINITY))
            return -1.0;
        if (w[i] > max)
            max = w[i];
    }
    return max;
}

static uint64_t to_threshold(double p)
{
    if (!(p > 0.0))
        return 0;
    if (p >= 1.0)
        return THRESHOLD_ONE;
    return (uint64_t)(p * (double)THRESHOLD_ONE);
}

/* Vose's pairing.  `scaled` holds n * prob[i] (mean 1); `work` has room
 * for n indices, used as two stacks growing towards each other: small
 * (scaled < 1) from the bottom, large (>= 1) from the top.  Each step
 * fills one small column with a large partner and returns the partner's
 * remainder to the proper stack.  The remainder is computed as
 * (large + small) - 1, which Vose shows loses less to rounding than
 * large - (1 - small). */
static void pair_columns(struct hs_alias *a, double *scaled, size_t *work,
                         size_t fallback)
{
    const size_t n = a->n;
    size_t n_small = 0, top = n; /* large occupies work[top..n) */
    for (size_t i = 0; i < n; i++) {
        if (scaled[i] < 1.0)
            work[n_small++] = i;
        else
            work[--top] = i;
    }
    while (n_small > 0 && top < n) {
        size_t s = work[--n_small];
        size_t g = work[top++];
        a->threshold[s] = to_threshold(scaled[s]);
        a->alias[s] = g;
        scaled[g] = (scaled[g] + scaled[s]) - 1.0;
        if (scaled[g] < 1.0)
            work[n_small++] = g;
        else
            work[--top] = g;
    }
    /* What is left is 1 up to rounding: keep it whole.  A zero weight can
     * only be left over through absurd rounding, but even then it must
     * never be drawn, so it points at a positive weight instead. */
    for (size_t t = top; t < n; t++) {
        a->threshold[work[t]] = THRESHOLD_ONE;
        a->alias[work[t]] = work[t];
    }
    for (size_t t = 0; t < n_small; t++) {
        size_t i = work[t];
        int zero = a->prob[i] == 0.0;
        a->threshold[i] = zero ? 0 : THRESHOLD_ONE;
        a->alias[i] = zero ? fallback : i;
    }
}

/* Normalise by the largest weight first, so that the sum cannot overflow
 * even when every weight is near DBL_MAX. */
static size_t normalise(struct hs_alias *a, const double *w, double max,
                        double *scaled)
{
    const size_t n = a->n;
    double sum = 0.0;
    size_t argmax = 0;
    for (size_t i = 0; i < n; i++) {
        sum += w[i] / max;
        if (w[i] == max)
            argmax = i;
    }
    for (size_t i = 0; i < n; i++) {
        a->prob[i] = (w[i] / max) / sum;
        scaled[i] = a->prob[i] * (double)n;
    }
    return argmax;
}

static struct hs_alias *alias_alloc(size_t n)
{
    struct hs_alias *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->n = n;
    a->threshold = calloc(n, sizeof *a->threshold);
    a->alias = calloc(n, sizeof *a->alias);
    a->prob = calloc(n, sizeof *a->prob);
    if (!a->threshold || !a->alias || !a->prob) {
        hs_alias_destroy(a);
        return NULL;
    }
    return a;
}

int hs_alias_create(const double *weights, size_t n, hs_alias **out)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    if (!weights || n == 0)
        return HS_EINVAL;
    double max = max_weight(weights, n);
    if (!(max > 0.0))
        return HS_EINVAL; /* a bad weight, or all zero */

    struct hs_alias *a = alias_alloc(n);
    double *scaled = a ? calloc(n, sizeof *scaled) : NULL;
    size_t *work = scaled ? calloc(n, sizeof *work) : NULL;
    if (!work) {
        free(scaled);
        hs_alias_destroy(a);
        return HS_ENOMEM;
    }
    size_t fallback = normalise(a, weights, max, scaled);
    pair_columns(a, scaled, work, fallback);
    free(work);
    free(scaled);
    *out = a;
    return HS_OK;
}

void hs_alias_destroy(hs_alias *a)
{
    if (!a)
        return;
    free(a->threshold);
    free(a->alias);
    free(a->prob);
    free(a);
}

size_t hs_alias_draw(const hs_alias *a, hs_rng *r)
{
    size_t i = (size_t)hs_rng_below(r, (uint64_t)a->n);
    return (hs_rng_next(r) >> 11) < a->threshold[i] ? i : a->alias[i];
}

size_t hs_alias_size(const hs_alias *a)
{
    return a ? a->n : 0;
}

/* Out-of-range i has probability 0 (it is never drawn). */
double hs_alias_probability(const hs_alias *a, size_t i)
{
    if (!a || i >= a->n)
        return 0.0;
    return a->prob[i];
}
