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

#include "../output/catalogue.h"

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

/* v with the decimals fmt would give ref, so that the numbers of one
 * interval are written alike ("[-12.73, 0.98]", not "[-12.73, 0.9818]"). */
static void fmt_like(char *buf, size_t n, double v, double ref)
{
    double a = fabs(ref);
    int dec = a >= 1000 ? 0 : a >= 1 || !(a > 0) ? 2 : 3 - (int)floor(log10(a));
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.*f", dec > 12 ? 12 : dec, v);
}

/* A count whose mean is under this many a run rests on a handful of events. */
#define FEW_EVENTS 10.0

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

static int few(size_t k, double mean)
{
    return hs_cat_is_count(hs_cat_headline(k)) && isfinite(mean) && mean < FEW_EVENTS;
}

/* Returns 1 if the figure rests on few events. */
static int one_point(const struct hs_exp_results *r, size_t k, FILE *f)
{
    struct hs_exp_stat st;
    char m[32], h[32], s[32];
    hs_exp_point_stat(r, 0, k, &st);
    fmt(m, sizeof m, st.mean);
    fmt_like(h, sizeof h, st.half_width, st.mean);
    fmt_like(s, sizeof s, st.sd, st.mean);
    int fw = few(k, st.mean);
    fprintf(f, "  %-30s %14s %12s %12s %5zu%s\n", hs_exp_figure_name(k), m, h, s, st.n,
            fw ? " *" : "");
    return fw;
}

static int block(const struct hs_exp_results *r, size_t k, FILE *f)
{
    int any = 0;
    fprintf(f, "  %s\n", hs_exp_figure_name(k));
    for (size_t p = 0; p < r->npoints; p++) {
        struct hs_exp_stat st, df;
        char m[32], h[32], d[32], lo[32], hi[32];
        hs_exp_point_stat(r, p, k, &st);
        fmt(m, sizeof m, st.mean);
        fmt_like(h, sizeof h, st.half_width, st.mean);
        fprintf(f, "    point %-10zu %16s %12s", p, m, h);
        if (p > 0) {
            hs_exp_point_diff(r, p, k, &df);
            double ref = fmax(fabs(df.lo), fabs(df.hi));
            fmt_like(d, sizeof d, df.mean, ref);
            fmt_like(lo, sizeof lo, df.lo, ref);
            fmt_like(hi, sizeof hi, df.hi, ref);
            fprintf(f, " %14s  [%s, %s]", d, lo, hi);
        }
        int fw = few(k, st.mean);
        any |= fw;
        fputs(fw ? " *\n" : "\n", f);
    }
    return any;
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
    int any_few = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = c->nfigures ? c->figures[i] : i;
        if (r->npoints == 1)
            any_few |= one_point(r, k, f);
        else
            any_few |= block(r, k, f);
    }
    if (any_few)
        fprintf(f, "\n  * fewer than %.0f events a run on average: too few for its interval, or a "
                   "difference,\n    to mean much\n", FEW_EVENTS);
    if (r->npoints > 1) {
        size_t m = n * (r->npoints - 1);
        fprintf(f, "\n  %zu comparison%s with point 0 (%zu figure%s x %zu point%s): if nothing "
                   "changed,\n  about %.0f of their 95%% intervals would still leave out 0, "
                   "by chance alone\n", m, m == 1 ? "" : "s", n, n == 1 ? "" : "s",
                r->npoints - 1, r->npoints == 2 ? "" : "s", ceil((double)m / 20.0));
    }
    fprintf(f, "\n  outputs in %s/: experiment.csv experiment.json experiment.sqlite\n",
            c->out);
    return fflush(f) != 0 || ferror(f) ? HS_EIO : HS_OK;
}
