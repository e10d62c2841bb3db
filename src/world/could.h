/* SPDX-License-Identifier: MIT
 *
 * could.h - the ladder of programme sizes of `hailsham could-it-work` and
 * what its runs come to, shared by the command line and the web page.
 *
 * World k of the ladder is the scenario at planner's margin
 * hs_could_margins[k] (k < HS_COULD_RUNGS), its recovery beds in
 * proportion; then the same world without the programme or its cures, and
 * the world at perfect supply.  The caller runs every world `reps` times
 * on the same seed and replications 0..reps-1 (common random numbers) and
 * hands over life expectancy by year and donors per 1,000 births;
 * hs_could_summarise turns them into the means, 95% intervals and the
 * answer, and hs_could_sentence says it.
 */
#ifndef HS_WORLD_COULD_H
#define HS_WORLD_COULD_H

#include <stddef.h>

#include "params.h"

enum {
    HS_COULD_RUNGS = 10,
    HS_COULD_WITHOUT = HS_COULD_RUNGS,
    HS_COULD_CEILING = HS_COULD_RUNGS + 1,
    HS_COULD_WORLDS = HS_COULD_RUNGS + 2,
    HS_COULD_MAX_REPS = 64,
};

/* From a tenth of the demand the planner forecasts to eight times it. */
extern const double hs_could_margins[HS_COULD_RUNGS];

/* The parameters of world k, from the scenario's (a planned programme). */
void hs_could_params(const struct hs_params *base, size_t k, struct hs_params *out);
/* "without", "margin 0.1", ..., "perfect supply". */
const char *hs_could_world_name(size_t k, char *buf, size_t n);

struct hs_could {
    /* given */
    double target, by, start_year;
    size_t ny, reps;               /* years of the run; replications per world */
    const double *e0;              /* e0[(k * reps + r) * ny + y], NaN where missing */
    const double *per_1000;        /* per_1000[k * reps + r] (0 without the programme) */
    /* what they come to: life expectancy in `by`, mean and 95% half-width,
     * and the mean donors per 1,000 births, by world */
    double mean[HS_COULD_WORLDS], half[HS_COULD_WORLDS], size[HS_COULD_WORLDS];
    int reachable;                 /* perfect supply's interval reaches the target */
    double mid, lo, hi;            /* donors per 1,000 births that give it, and a 95%
                                      interval; NaN where no size tried does */
    int first;                     /* first year the largest size's mean reaches it, or -1 */
};

void hs_could_summarise(struct hs_could *c);
/* World k's life expectancy in year index y: the mean and 95% half-width. */
void hs_could_year(const struct hs_could *c, size_t k, size_t y, double *mean, double *half);
/* The answer in one or two sentences; donors names them ("donors", or
 * plainly "people created for their organs"). */
void hs_could_sentence(const struct hs_could *c, const char *donors, char *buf, size_t n);

#endif
