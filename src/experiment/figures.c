/* SPDX-License-Identifier: MIT
 *
 * figures.c - the headline figures an experiment reports: those of the
 * figure catalogue (src/output/catalogue.c), by the names summary.json
 * gives them, so that a figure is called the same in a single run and in
 * an experiment.  The run's length in years is left out: it is a setting,
 * not a result.
 */
#include "experiment.h"

#include "../output/catalogue.h"

#include <math.h>
#include <string.h>

size_t hs_exp_figure_count(void)
{
    return hs_cat_headlines();
}

const char *hs_exp_figure_name(size_t i)
{
    const struct hs_figure *f = hs_cat_headline(i);
    return f ? f->name : NULL;
}

double hs_exp_figure_value(const struct hs_summary *s, size_t i)
{
    return hs_cat_headline_value(hs_cat_headline(i), s);
}

long hs_exp_figure_find(const char *name)
{
    const struct hs_figure *f = hs_cat_headline_find(name);
    return f ? (long)(f - hs_cat_headline(0)) : -1;
}

void hs_exp_figure_list(char *buf, size_t size)
{
    size_t k = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < hs_cat_headlines() && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", hs_cat_headline(i)->name);
}
