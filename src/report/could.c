/* SPDX-License-Identifier: MIT
 *
 * could.c - the report of `hailsham could-it-work --out DIR`: could.json
 * read and checked, and its two charts: life expectancy in the year asked
 * against the programme's size (donors created per 1,000 births), and
 * life expectancy year by year in the world without the programme, at
 * the size that plans for the demand forecast, at the largest size tried
 * and at perfect supply.
 *
 * could.json holds every number drawn; nothing is recomputed here but the
 * words.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A world of could.json: its name, size and life expectancy. */
static int world_ok(const json_t *w)
{
    return json_is_object(w) && json_is_string(json_object_get(w, "world")) &&
           json_is_array(json_object_get(w, "life_expectancy_by_year"));
}

int rp_open_could(struct report *r)
{
    r->could = rp_load_json(r, "could.json");
    if (r->could == NULL)
        return r->status;
    if (rp_check_format(r, r->could, "could.json") != HS_REPORT_OK)
        return r->status;
    const json_t *worlds = json_object_get(r->could, "worlds");
    size_t n = json_array_size(worlds);
    int ok = json_is_array(worlds) && n >= 3 &&
             isfinite(rp_jnum(r->could, "target")) && isfinite(rp_jnum(r->could, "by")) &&
             isfinite(rp_jnum(r->could, "start_year")) &&
             json_is_object(json_object_get(r->could, "answer"));
    for (size_t i = 0; ok && i < n; i++)
        ok = world_ok(json_array_get(worlds, i));
    if (!ok) {
        char what[4300];
        snprintf(what, sizeof what, "%s/could.json lacks what could-it-work writes (target, "
                 "by, start_year, worlds with their life expectancy, answer)", r->dir);
        return rp_fail(r, HS_REPORT_EDATA, what, NULL);
    }
    r->scale = rp_jnum(r->could, "scale");
    return HS_REPORT_OK;
}

static const json_t *world_at(const struct report *r, size_t i)
{
    return json_array_get(json_object_get(r->could, "worlds"), i);
}

static const char *world_label(const json_t *w)
{
    return json_string_value(json_object_get(w, "world"));
}

/* Life expectancy in the year asked against donors per 1,000 births, with
 * the world without the programme, perfect supply and the target as
 * lines across. */
static int size_chart(struct report *r)
{
    size_t n = json_array_size(json_object_get(r->could, "worlds"));
    const json_t *without = world_at(r, 0), *ceiling = world_at(r, n - 1);
    double target = rp_jnum(r->could, "target"), by = rp_jnum(r->could, "by");
    struct hs_buf gp;
    hs_buf_init(&gp);
    hs_buf_put(&gp, "$s << EOD\n"
                    "# donors_per_1000_births life_expectancy ci95_low ci95_high\n");
    double xmax = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        const json_t *w = world_at(r, i);
        double x = rp_jnum(w, "donors_per_1000_births"), m = rp_jnum(w, "life_expectancy");
        double a = rp_jnum(w, "ci95_low"), b = rp_jnum(w, "ci95_high");
        if (!(x > 0) || !isfinite(m))
            continue;
        hs_buf_printf(&gp, "%.10g %.10g %.10g %.10g\n", x, m, isfinite(a) ? a : m,
                      isfinite(b) ? b : m);
        if (x > xmax)
            xmax = x;
    }
    hs_buf_put(&gp, "EOD\n");
    char xl[200], yl[200], title[300], leg[200];
    snprintf(xl, sizeof xl, "%s (log scale)",
             rp_word(r, "donors created per 1,000 births",
                     "people created for their organs per 1,000 births"));
    snprintf(yl, sizeof yl, "life expectancy at birth in %.0f (years)", by);
    hs_gp_axes(&gp, xl, yl);
    hs_buf_printf(&gp, "set logscale x\nset xrange [*:%.10g]\nset offsets 0,0,graph 0.08,"
                       "graph 0.08\n", xmax * 1.5);
    snprintf(leg, sizeof leg, "mean of %.0f replications, 95%% interval",
             rp_jnum(r->could, "replications"));
    hs_gp_series(&gp, 1, "$s using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.9 lc rgb '#1f4e79'",
                 leg);
    char spec[160], l[200];
    snprintf(spec, sizeof spec, "%.10g with lines lw 2 dt 2 lc rgb '#7a2a2a'", target);
    snprintf(l, sizeof l, "the target, %g", target);
    hs_gp_series(&gp, 0, spec, l);
    if (isfinite(rp_jnum(ceiling, "life_expectancy"))) {
        snprintf(spec, sizeof spec, "%.10g with lines lw 1.5 lc rgb '#2f9e8f'",
                 rp_jnum(ceiling, "life_expectancy"));
        hs_gp_series(&gp, 0, spec, "perfect supply: the ceiling");
    }
    if (isfinite(rp_jnum(without, "life_expectancy"))) {
        snprintf(spec, sizeof spec, "%.10g with lines lw 1.5 lc rgb '#888888'",
                 rp_jnum(without, "life_expectancy"));
        hs_gp_series(&gp, 0, spec, rp_word(r, "without the programme", "without the organs"));
    }
    hs_buf_put(&gp, "\n");
    snprintf(title, sizeof title, "Life expectancy in %.0f against the programme's size", by);
    char cap[900];
    rp_cap_could_size(r, cap, sizeof cap);
    return rp_draw(r, &gp, "fig-could-size", title, cap, 0);
}

/* One world's life expectancy by year as a data block. */
static void year_block(struct hs_buf *gp, const char *name, const json_t *w, double start)
{
    const json_t *ys = json_object_get(w, "life_expectancy_by_year");
    hs_buf_printf(gp, "$%s << EOD\n# year life_expectancy\n", name);
    for (size_t y = 0; y < json_array_size(ys); y++) {
        double v = rp_jnum_at(ys, y);
        if (isfinite(v))
            hs_buf_printf(gp, "%.0f %.10g\n", start + (double)y, v);
    }
    hs_buf_put(gp, "EOD\n");
}

/* Life expectancy year by year: without, the size that plans for exactly
 * the demand forecast (margin 1), the largest tried, perfect supply; the
 * target and the year asked. */
static int years_chart(struct report *r)
{
    size_t n = json_array_size(json_object_get(r->could, "worlds"));
    double start = rp_jnum(r->could, "start_year"), by = rp_jnum(r->could, "by");
    double target = rp_jnum(r->could, "target");
    size_t own = 0;   /* the rung at margin 1 */
    for (size_t i = 1; i + 1 < n && !own; i++)
        if (rp_jnum(world_at(r, i), "margin") == 1)
            own = i;
    const size_t pick[] = {0, own, n - 2, n - 1};
    static const char *const colour[] = {"#888888", "#1f4e79", "#c08552", "#2f9e8f"};
    struct hs_buf gp;
    hs_buf_init(&gp);
    for (size_t k = 0; k < 4; k++) {
        char name[8];
        snprintf(name, sizeof name, "w%zu", k);
        year_block(&gp, name, world_at(r, pick[k]), start);
    }
    hs_gp_axes(&gp, "year", "life expectancy at birth (years)");
    hs_buf_printf(&gp, "set arrow from %.0f, graph 0 to %.0f, graph 1 nohead dt 3 "
                       "lc rgb '#7a2a2a'\n", by, by);
    int first = 1;
    for (size_t k = 0; k < 4; k++) {
        if (k == 1 && own == 0)
            continue;
        char spec[120], l[200];
        snprintf(spec, sizeof spec, "$w%zu using 1:2 with lines lw 2 lc rgb '%s'", k, colour[k]);
        const char *wl = world_label(world_at(r, pick[k]));
        if (k == 0)
            snprintf(l, sizeof l, "%s", rp_word(r, "without the programme", "without the organs"));
        else if (k == 3)
            snprintf(l, sizeof l, "perfect supply");
        else
            snprintf(l, sizeof l, "planner's %s", wl ? wl : "");
        hs_gp_series(&gp, first, spec, l);
        first = 0;
    }
    char spec[120], l[64];
    snprintf(spec, sizeof spec, "%.10g with lines lw 1.5 dt 2 lc rgb '#7a2a2a'", target);
    snprintf(l, sizeof l, "the target, %g", target);
    hs_gp_series(&gp, 0, spec, l);
    hs_buf_put(&gp, "\n");
    char cap[600];
    snprintf(cap, sizeof cap, "Means over the replications, year by year. The dotted line is "
             "%.0f, the year asked; the dashed one the target of %g.", by, target);
    return rp_draw(r, &gp, "fig-could-years", "Life expectancy year by year", cap, 0);
}

int rp_could_charts(struct report *r)
{
    if (size_chart(r) != HS_REPORT_OK)
        return r->status;
    return years_chart(r);
}
