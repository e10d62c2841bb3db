/* SPDX-License-Identifier: MIT
 *
 * table.c - the comparison table an experiment prints on stdout.
 *
 * One block per headline figure (those chosen with --figure, or all):
 * each sweep point's mean with the half-width of its 95% interval, and
 * for every point after the first its difference from point 0 with that
 * difference's own interval.  The points share random numbers
 * replication by replication, so the difference is estimated from paired
 * replications: its interval is the one to read when comparing policies,
 * not the overlap of the two means' intervals.
 */
#include "experiment.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <hailsham/hailsham.h>

/* A number for people: whole numbers for large values, a few significant
 * digits for small ones, "-" when undefined. */
static void fmt(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else if (a >= 1000)
        snprintf(buf, n, "%.0f", v);
    else if (a >= 1)
        snprintf(buf, n, "%.2f", v);
    else
        snprintf(buf, n, "%.4g", v);
}

static void header(const struct hs_exp_results *r, FILE *f)
{
    const struct hs_exp_config *c = r->cfg;
    char label[1024];
    fprintf(f, "hailsham %s experiment: %s, seed %" PRIu64 ", %zu point%s x %zu "
               "replications, 95%% intervals\n", hs_version(), c->scenario, c->seed,
            r->npoints, r->npoints == 1 ? "" : "s", r->nreps);
    if (c->precision > 0 && r->stop_figure >= 0)
        fprintf(f, "precision %g %s; decided by %s at point %zu\n", c->precision,
                r->reached ? "reached" : "not reached (cap)",
                hs_exp_figure_name((size_t)r->stop_figure), r->stop_point);
    fputc('\n', f);
    for (size_t p = 0; r->sweep->naxes > 0 && p < r->npoints; p++) {
        hs_exp_point_label(r->sweep, p, label, sizeof label);
        fprintf(f, "  point %zu: %s\n", p, label);
    }
    if (r->sweep->naxes > 0)
        fputc('\n', f);
}

static void one_point(const struct hs_exp_results *r, size_t k, FILE *f)
{
    struct hs_exp_stat st;
    char m[32], h[32], s[32];
    hs_exp_point_stat(r, 0, k, &st);
    fmt(m, sizeof m, st.mean);
    fmt(h, sizeof h, st.half_width);
    fmt(s, sizeof s, st.sd);
    fprintf(f, "  %-30s %14s %12s %12s %5zu\n", hs_exp_figure_name(k), m, h, s, st.n);
}

static void block(const struct hs_exp_results *r, size_t k, FILE *f)
{
    fprintf(f, "  %s\n", hs_exp_figure_name(k));
    for (size_t p = 0; p < r->npoints; p++) {
        struct hs_exp_stat st, df;
        char m[32], h[32], d[32], lo[32], hi[32];
        hs_exp_point_stat(r, p, k, &st);
        fmt(m, sizeof m, st.mean);
        fmt(h, sizeof h, st.half_width);
        fprintf(f, "    point %-10zu %16s %12s", p, m, h);
        if (p > 0) {
            hs_exp_point_diff(r, p, k, &df);
            fmt(d, sizeof d, df.mean);
            fmt(lo, sizeof lo, df.lo);
            fmt(hi, sizeof hi, df.hi);
            fprintf(f, " %14s  [%s, %s]", d, lo, hi);
        }
        fputc('\n', f);
    }
}

int hs_exp_table(const struct hs_exp_results *r, FILE *f)
{
    const struct hs_exp_config *c = r->cfg;
    size_t n = c->nfigures ? c->nfigures : hs_exp_figure_count();
    header(r, f);
    if (r->npoints == 1)
        fprintf(f, "  %-30s %14s %12s %12s %5s\n", "figure", "mean", "+/- 95%", "sd", "n");
    else
        fprintf(f, "  %-18s %16s %12s %14s  %s\n", "figure / point", "mean", "+/- 95%",
                "minus point 0", "[95% interval]");
    for (size_t i = 0; i < n; i++) {
        size_t k = c->nfigures ? c->figures[i] : i;
        if (r->npoints == 1)
            one_point(r, k, f);
        else
            block(r, k, f);
    }
    fprintf(f, "\n  outputs in %s/: experiment.csv experiment.json experiment.sqlite\n",
            c->out);
    return fflush(f) != 0 || ferror(f) ? HS_EIO : HS_OK;
}
