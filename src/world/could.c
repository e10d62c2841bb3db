/* SPDX-License-Identifier: MIT
 *
 * could.c - the ladder of `could-it-work` (could.h): the worlds' parameters,
 * and the answer from their runs.
 *
 * The answer is the size at which the rungs' mean life expectancy in the
 * year asked first reaches the target, interpolated linearly between
 * rungs (from the world without the programme below the first), with an
 * interval from where the upper and the lower ends of the rungs' 95%
 * intervals first reach it; or, when even perfect supply's interval falls
 * short, that no size can, and by how much.  The first year in which the
 * largest rung's mean reaches the target says how soon any size could:
 * donors are children first.
 */
#include "could.h"

#include <math.h>
#include <stdio.h>

#include <hailsham/stats.h>

const double hs_could_margins[HS_COULD_RUNGS] = {0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8};

void hs_could_params(const struct hs_params *base, size_t k, struct hs_params *out)
{
    *out = *base;
    if (k < HS_COULD_RUNGS) {
        /* a programme of this size, with recovery centres to match */
        out->plan_margin = hs_could_margins[k];
        for (size_t c = 0; c < out->n_centres; c++)
            out->centre[c].beds = base->centre[c].beds * hs_could_margins[k] / base->plan_margin;
    } else {
        out->programme = 0;   /* without: no supply, so no cures */
        out->perfect_supply = k == HS_COULD_CEILING;
    }
}

const char *hs_could_world_name(size_t k, char *buf, size_t n)
{
    if (k == HS_COULD_WITHOUT)
        return "without";
    if (k == HS_COULD_CEILING)
        return "perfect supply";
    snprintf(buf, n, "margin %g", hs_could_margins[k]);
    return buf;
}

/* The mean and the half-width of a 95% interval of n values. */
static void mean_ci(const double *v, size_t n, double *mean, double *half)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - m) * (v[i] - m);
    *mean = m;
    *half = n > 1 ? hs_student_t_quantile(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1)) /
                        sqrt((double)n)
                  : NAN;
}

void hs_could_year(const struct hs_could *c, size_t k, size_t y, double *mean, double *half)
{
    double v[HS_COULD_MAX_REPS];
    for (size_t r = 0; r < c->reps; r++)
        v[r] = c->e0[(k * c->reps + r) * c->ny + y];
    mean_ci(v, c->reps, mean, half);
}

/* The donors per 1,000 births at which the rungs' life expectancy first
 * reaches target; with `side` +1 or -1, of the upper or the lower end of
 * each rung's interval.  NaN if no rung does. */
static double crossing(const struct hs_could *c, const double *half, int side)
{
    const double *mean = c->mean, *size = c->size;
    double prev = mean[HS_COULD_WITHOUT] + (half ? side * half[HS_COULD_WITHOUT] : 0);
    double prev_s = 0.0;
    for (size_t w = 0; w < HS_COULD_RUNGS; w++) {
        double v = mean[w] + (half ? side * half[w] : 0);
        if (v >= c->target) {
            double f = v > prev ? (c->target - prev) / (v - prev) : 1.0;
            f = f < 0 ? 0 : f > 1 ? 1 : f;
            return prev_s + f * (size[w] - prev_s);
        }
        prev = v;
        prev_s = size[w];
    }
    return NAN;
}

void hs_could_summarise(struct hs_could *c)
{
    size_t yi = (size_t)(c->by - c->start_year);
    for (size_t w = 0; w < HS_COULD_WORLDS; w++) {
        double s = 0;
        for (size_t r = 0; r < c->reps; r++)
            s += c->per_1000[w * c->reps + r];
        hs_could_year(c, w, yi, &c->mean[w], &c->half[w]);
        c->size[w] = s / (double)c->reps;
    }
    c->first = -1;
    for (size_t y = 0; y < c->ny && c->first < 0; y++) {
        double m, h;
        hs_could_year(c, HS_COULD_RUNGS - 1, y, &m, &h);
        if (m >= c->target)
            c->first = (int)(c->start_year + (double)y);
    }
    c->reachable = !(c->mean[HS_COULD_CEILING] + c->half[HS_COULD_CEILING] < c->target);
    c->mid = c->lo = c->hi = NAN;
    if (c->reachable) {
        c->mid = crossing(c, NULL, 0);
        c->lo = crossing(c, c->half, +1);
        c->hi = crossing(c, c->half, -1);
        if (isnan(c->lo))
            c->lo = c->mid;
    }
}

void hs_could_sentence(const struct hs_could *c, const char *donors, char *buf, size_t n)
{
    const double ce = c->mean[HS_COULD_CEILING], ch = c->half[HS_COULD_CEILING];
    int k;
    if (!c->reachable)
        k = snprintf(buf, n, "No programme size gives a life expectancy at birth of %g by %.0f. "
                     "Even perfect supply, every curable death given its organ at once, gives "
                     "%.2f (95%% interval %.2f to %.2f): %.2f years short.", c->target, c->by,
                     ce, ce - ch, ce + ch, c->target - ce);
    else if (isnan(c->mid))
        k = snprintf(buf, n, "Perfect supply could give a life expectancy at birth of %g by "
                     "%.0f (%.2f, 95%% interval %.2f to %.2f), but no programme size up to a "
                     "margin of %g does; the largest gives %.2f.", c->target, c->by, ce, ce - ch,
                     ce + ch, hs_could_margins[HS_COULD_RUNGS - 1],
                     c->mean[HS_COULD_RUNGS - 1]);
    else if (isnan(c->hi))
        k = snprintf(buf, n, "About %.0f %s per 1,000 births give a life expectancy at birth of "
                     "%g by %.0f (95%% interval: from %.0f to more than the %.0f of the largest "
                     "size tried).", c->mid, donors, c->target, c->by, c->lo,
                     c->size[HS_COULD_RUNGS - 1]);
    else
        k = snprintf(buf, n, "About %.0f %s per 1,000 births give a life expectancy at birth of "
                     "%g by %.0f (95%% interval: from %.0f to %.0f).", c->mid, donors,
                     c->target, c->by, c->lo, c->hi);
    if (k < 0 || (size_t)k >= n)
        return;
    if (c->first >= 0)
        snprintf(buf + k, n - (size_t)k, " The largest programme tried first reaches %g in %d.",
                 c->target, c->first);
    else
        snprintf(buf + k, n - (size_t)k, " The largest programme tried never reaches %g within "
                 "the run.", c->target);
}
