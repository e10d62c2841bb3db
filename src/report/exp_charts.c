/* SPDX-License-Identifier: MIT
 *
 * exp_charts.c - the charts of an experiment's report.
 *
 * Year by year: for each yearly figure of a table below, the mean of the
 * replications at each point of the sweep (at most eight) with its 95%
 * confidence band, one colour a point.  The sweep's effect: for each
 * headline figure of experiment.json, its mean and interval at every point,
 * the points' values as the x axis's tic labels.  Titles, labels, legends
 * and tics reach gnuplot through charts.c's quoting; a sweep key or value
 * comes from the command line or a scenario and is shown, never run.
 */
#include "report_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* One yearly figure the experiment can have, with its words. */
struct exp_yearly {
    const char *column, *novel, *plain, *ylabel;
    int counts;               /* a count of people: the scale applies */
};

static const struct exp_yearly exp_yearlies[] = {
    {"life_expectancy", "Life expectancy of the public at birth", NULL,
     "life expectancy at birth (years)", 0},
    {"reached_100", "People reaching 100", NULL, "people turning 100 in the year", 1},
    {"students", "Students alive (estates, the Cottages, training)", NULL, "people at year end", 1},
    {"carers", "Carers alive", NULL, "people at year end", 1},
    {"donors", "Donors alive, between donations", "People alive between organ removals",
     "people at year end", 1},
    {"donors_created", "Children created for the programme", NULL, "people per year", 1},
    {"donations", "Donations each year", "Organ-removal operations each year",
     "operations per year", 1},
    {"completions", "Completions each year", "Deaths of those raised for organs, each year",
     "deaths per year", 1},
    {"waiting", "The public on the waiting list", NULL, "people waiting at year end", 1},
    {"deaths_waiting", "Deaths while waiting for an organ", NULL, "deaths per year", 1},
};

const char *const hs_report_experiment_charts[] = {
    "fig-e-life-expectancy", "fig-e-reached-100", "fig-e-students", "fig-e-carers",
    "fig-e-donors", "fig-e-donors-created", "fig-e-donations", "fig-e-completions",
    "fig-e-waiting", "fig-e-deaths-waiting", NULL,
};
_Static_assert(sizeof hs_report_experiment_charts / sizeof hs_report_experiment_charts[0] ==
                   sizeof exp_yearlies / sizeof exp_yearlies[0] + 1,
               "one id for each yearly figure, in the same order");

/* gnuplot point types: circle, triangle, square, diamond, and open ones */
static const int point_types[MAX_SERIES] = {7, 9, 5, 13, 6, 8, 4, 12};

static const char *const band_colours[MAX_SERIES] = {"#1f4e79", "#7a2a2a", "#2f9e8f", "#c08552",
                                                     "#6d597a", "#555555", "#e09f3e", "#86bbd8"};

/* One yearly chart of the points pick[0..n) (indexes into x->pts): title
 * and id get `group` ("grant 0") and `suffix` ("-2") when the points are
 * one group of a sweep of two keys, whose legends then name only the
 * second key (part 1); else each legend names the whole point (part -1). */
static int yearly_chart(struct report *r, const struct exp_info *x, const struct exp_yearly *y,
                        const int *pick, int n, const char *group, const char *suffix,
                        int part)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    long rows = 0;
    for (int j = 0; j < n; j++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", j);
        long got = rp_exp_year_block(r, &gp, name, x->pts[pick[j]], y->column);
        if (got < 0) {
            hs_buf_free(&gp);
            return r->status;
        }
        rows += got;
    }
    if (rows == 0) {
        hs_buf_free(&gp);
        return HS_REPORT_OK;         /* the experiment did not record this figure */
    }
    char yl[160];
    if (y->counts)
        rp_scaled(r, yl, sizeof yl, y->ylabel);
    else
        snprintf(yl, sizeof yl, "%s", y->ylabel);
    hs_gp_axes(&gp, "year", yl);
    if (y->counts)
        hs_buf_put(&gp, "set yrange [0:*]\n");    /* a band below zero people means nothing */
    /* bands light enough that where they overlap the lines still show; each
     * point's line has a dash and a marker of its own as well as a colour */
    hs_buf_printf(&gp, "set style fill transparent solid %s noborder\nplot ",
                  n > 2 ? "0.08" : "0.16");
    for (int j = 0; j < n; j++) {
        char l[512];
        if (part < 0 || rp_point_part(x, x->pts[pick[j]], (size_t)part, l, sizeof l) != 0)
            rp_point_legend(x, x->pts[pick[j]], l, sizeof l);
        hs_buf_printf(&gp, "%s$p%d using 1:3:4 with filledcurves lc rgb '%s' notitle, "
                           "$p%d using 1:2 with linespoints lw 2 dt %d pt %d pi 8 ps 0.8 "
                           "lc rgb '%s' title ",
                      j ? ", " : "", j, band_colours[j], j, j % 4 + 1, point_types[j],
                      band_colours[j]);
        hs_buf_gpstr(&gp, l);
    }
    hs_gp_series(&gp, 0, "NaN with boxes lc rgb '#888888'", "95% confidence band");
    hs_buf_put(&gp, "\n");
    char cap[600], id[96], title[400];
    snprintf(id, sizeof id, "fig-e-%s%s", y->column, suffix);
    for (char *c = id; *c; c++)
        if (*c == '_')
            *c = '-';
    const char *t = r->plain && y->plain ? y->plain : y->novel;
    if (group[0])
        snprintf(title, sizeof title, "%s (%s)", t, group);
    else
        snprintf(title, sizeof title, "%s", t);
    rp_cap_band(cap, sizeof cap, title, x->reps);
    return rp_draw(r, &gp, id, title, cap, group[0] != 0);
}

/* A figure's yearly charts: one of all the points; or, with two swept keys,
 * one per value of the first key, side by side, a line for each value of
 * the second, so that no chart holds more lines than it can show apart. */
static int yearly_charts(struct report *r, const struct exp_info *x, const struct exp_yearly *y)
{
    int all[MAX_SERIES];
    for (int i = 0; i < x->np; i++)
        all[i] = i;
    if (rp_point_keys(x) != 2 || x->np < 3)
        return yearly_chart(r, x, y, all, x->np, "", "", -1);
    int done[MAX_SERIES] = {0}, ngroups = 0;
    for (int i = 0; i < x->np; i++) {
        if (done[i])
            continue;
        char gi[256], gj[256], suffix[16];
        int pick[MAX_SERIES], n = 0;
        if (rp_point_part(x, x->pts[i], 0, gi, sizeof gi) != 0)
            return yearly_chart(r, x, y, all, x->np, "", "", -1);
        for (int j = i; j < x->np; j++)
            if (!done[j] && rp_point_part(x, x->pts[j], 0, gj, sizeof gj) == 0 &&
                strcmp(gi, gj) == 0) {
                pick[n++] = j;
                done[j] = 1;
            }
        suffix[0] = '\0';
        if (ngroups > 0)
            snprintf(suffix, sizeof suffix, "-%d", ngroups + 1);
        ngroups++;
        if (yearly_chart(r, x, y, pick, n, gi, suffix, 1) != HS_REPORT_OK)
            return r->status;
    }
    return HS_REPORT_OK;
}

int rp_exp_yearly_charts(struct report *r, const struct exp_info *x)
{
    if (!x->has_db) {
        rp_paragraph(r, "nochart", "This experiment has no experiment.sqlite, so there are no "
                                   "year-by-year charts.");
        return HS_REPORT_OK;
    }
    if (!x->has_yearly) {
        rp_paragraph(r, "nochart", "This experiment recorded no year-by-year figures.");
        return HS_REPORT_OK;
    }
    if (x->np < (int)x->npoints && x->npoints > MAX_SERIES)
        rp_paragraph(r, NULL, "The year-by-year charts show the first eight points of the sweep.");
    for (size_t i = 0; i < sizeof exp_yearlies / sizeof exp_yearlies[0]; i++)
        if (yearly_charts(r, x, &exp_yearlies[i]) != HS_REPORT_OK)
            return r->status;
    return HS_REPORT_OK;
}

/* The sweep's effect on one headline figure: its mean and interval at
 * every point. */
static int figure_chart(struct report *r, const struct exp_info *x, const char *name)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    hs_buf_put(&gp, "$f << EOD\n# point mean ci95_low ci95_high\n");
    double lo = INFINITY, hi = -INFINITY, k = rp_figure_factor(name);
    size_t lo_i = 0, hi_i = 0, have = 0, longest = 0;
    for (size_t i = 0; i < x->npoints; i++) {
        const json_t *f = rp_exp_figure(x, i, name);
        double m = rp_jnum(f, "mean") * k, a = rp_jnum(f, "ci95_low") * k;
        double b = rp_jnum(f, "ci95_high") * k;
        char l[256];
        rp_point_label(x, i, l, sizeof l);
        if (strlen(l) > longest)
            longest = strlen(l);
        hs_buf_printf(&gp, "%zu ", i);
        if (isfinite(m)) {
            hs_buf_printf(&gp, "%.10g %.10g %.10g ", m, isfinite(a) ? a : m, isfinite(b) ? b : m);
            have++;
            if (m < lo) { lo = m; lo_i = i; }
            if (m > hi) { hi = m; hi_i = i; }
        } else {
            hs_buf_put(&gp, "? ? ?");
        }
        hs_buf_put(&gp, "\n");
    }
    hs_buf_put(&gp, "EOD\n");
    /* the points' labels as tics, each a quoted string of its own */
    hs_buf_put(&gp, "set xtics (");
    for (size_t i = 0; i < x->npoints; i++) {
        char l[256];
        rp_point_label(x, i, l, sizeof l);
        hs_buf_put(&gp, i ? ", " : "");
        hs_buf_gptic(&gp, l);
        hs_buf_printf(&gp, " %zu", i);
    }
    hs_buf_put(&gp, ")\n");
    char label[256], id[300], title[400], cap[1400], leg[160];
    rp_figure_label(r, name, label, sizeof label);
    snprintf(id, sizeof id, "fig-x-%s", name);
    for (char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            *c = '-';
    if (have == 0) {
        hs_buf_free(&gp);
        snprintf(cap, sizeof cap, "No point of the experiment has a value for %s.", label);
        rp_no_chart(r, id, cap);
        return HS_REPORT_OK;
    }
    snprintf(title, sizeof title, "%s", label);
    title[0] = (char)toupper((unsigned char)title[0]);
    hs_gp_axes(&gp, x->key ? x->key : "sweep point", label);
    hs_buf_printf(&gp, "set xrange [-0.5:%zu.5]\nset offsets 0,0,graph 0.1,graph 0.1\n",
                  x->npoints - 1);
    if (longest > 8)
        hs_buf_put(&gp, "set xtics rotate by -20\n");
    snprintf(leg, sizeof leg, "mean of %.0f replications, 95%% interval", x->reps);
    hs_gp_series(&gp, 1, x->key ? "$f using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.9 "
                                  "lc rgb '#1f4e79'"
                                : "$f using 1:2:3:4 with yerrorbars lw 2 pt 7 ps 0.9 "
                                  "lc rgb '#1f4e79'", leg);
    hs_buf_put(&gp, "\n");
    char a[32], b[32], la[256], lb[256];
    rp_fmt_num(a, sizeof a, lo, rp_figure_digits(name));
    rp_fmt_num(b, sizeof b, hi, rp_figure_digits(name));
    rp_point_label(x, lo_i, la, sizeof la);
    rp_point_label(x, hi_i, lb, sizeof lb);
    rp_cap_sweep(cap, sizeof cap, x->npoints, label, title, a, b, la, lb);
    return rp_draw(r, &gp, id, title, cap, 1);
}

/* One chart per figure of the first point, in experiment.json's order. */
int rp_exp_figure_charts(struct report *r, const struct exp_info *x)
{
    const json_t *figs0 = json_object_get(json_array_get(x->points, 0), "figures");
    const char *name;
    const json_t *f0;
    json_object_foreach((json_t *)figs0, name, f0) {
        if (figure_chart(r, x, name) != HS_REPORT_OK)
            return r->status;
    }
    return HS_REPORT_OK;
}
