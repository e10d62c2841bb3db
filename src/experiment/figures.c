/* SPDX-License-Identifier: MIT
 *
 * figures.c - the headline figures an experiment reports.
 *
 * One table of the doubles of struct hs_summary, with the names that
 * summary.json gives them (src/output/output.c), so that a figure is
 * called the same in a single run and in an experiment.  The run's length
 * in years is left out: it is a setting, not a result.
 */
#include "experiment.h"

#include <math.h>
#include <string.h>

#define FIG(name) {#name, offsetof(struct hs_summary, name)}
static const struct {
    const char *name;
    size_t off;
} figures[] = {
    FIG(public_alive_end),      FIG(life_expectancy_end),   FIG(life_expectancy_mean),
    FIG(reached_100_total),     FIG(donors_created),        FIG(donors_completed),
    FIG(donations_total),       FIG(donors_consumed_per_year),
    FIG(donors_share_of_england), FIG(median_completion_age), FIG(mean_donations_per_donor),
    FIG(transplants_total),     FIG(transplants_programme), FIG(deaths_waiting_total),
    FIG(organs_wasted_total),   FIG(life_years_gained),     FIG(life_years_per_donor),
    FIG(agitated_total),        FIG(outbursts_total),       FIG(deferral_applications),
    FIG(deferrals_granted),     FIG(gallery_size),          FIG(carer_years_mean),
    FIG(carer_years_p95),       FIG(donors_without_carer_total),
};
#define NFIG (sizeof figures / sizeof figures[0])

size_t hs_exp_figure_count(void)
{
    return NFIG;
}

const char *hs_exp_figure_name(size_t i)
{
    return i < NFIG ? figures[i].name : NULL;
}

double hs_exp_figure_value(const struct hs_summary *s, size_t i)
{
    double v;
    if (i >= NFIG)
        return NAN;
    memcpy(&v, (const char *)s + figures[i].off, sizeof v);
    return v;
}

long hs_exp_figure_find(const char *name)
{
    for (size_t i = 0; i < NFIG; i++)
        if (strcmp(figures[i].name, name) == 0)
            return (long)i;
    return -1;
}

void hs_exp_figure_list(char *buf, size_t size)
{
    size_t k = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < NFIG && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", figures[i].name);
}
