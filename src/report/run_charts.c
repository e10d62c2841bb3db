/* SPDX-License-Identifier: MIT
 *
 * run_charts.c - the charts of a run's report: one table of chart
 * specifications and the one function that draws any row of it.
 *
 * A row says everything a chart is: its id and title (in both registers),
 * the SQL of its data block, the SQL of the few numbers its caption and
 * its empty test need, its axis labels, its series (data and style, with
 * a legend title in both registers), the sentence that stands in its
 * place when there is nothing to draw, and its size.  draw_chart() runs
 * the queries, decides emptiness, writes the gnuplot script (every text
 * through charts.c's quoting) and hands it to page.c to be drawn.
 * Captions made of numbers are written by a function of prose.c named in
 * the row.  The life course, whose data are quartiles computed here from
 * every donor, has a data function of its own instead of a query.
 *
 * In SQL, {baseline} stands for the join that gives the world without the
 * programme as the alias b: the yearly_baseline table, or a row of NULLs
 * when the run has none; {ceiling} the same for the world at perfect
 * supply, as the alias c.
 */
#include "report_impl.h"

#include <hailsham/stats.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const hs_report_run_charts[] = {
    "fig-lifeexp", "fig-gain", "fig-100", "fig-waiting", "fig-waitdeaths", "fig-transplants",
    "fig-stages",
    "fig-yearly", "fig-lifecourse", "fig-bynumber", "fig-tenure", NULL,
};

#define NORGANS 5
static const char *const organs[NORGANS] = {"kidney", "liver", "heart", "lung", "pancreas"};
static const char *const organ_colour[NORGANS] = {"#33658a", "#2f9e8f", "#9b2226",
                                                  "#e09f3e", "#6d597a"};
static const int organ_dash[NORGANS] = {1, 2, 4, 5, 3};
static const char *const estate_colour[MAX_SERIES] = {"#1f4e79", "#7a2a2a", "#2f9e8f",
                                                      "#c08552", "#6d597a", "#555555",
                                                      "#e09f3e", "#86bbd8"};

#define NSTAGES 5
enum { MAX_VALUES = 4 };

/* What a chart's data gave: rows, its row of values, and (life course)
 * series made from the data. */
struct chart_data {
    long rows;
    double v[MAX_VALUES];
    int nextra;
    char spec[MAX_SERIES][128];
    char title[MAX_SERIES][96];
};

enum series_kind {
    ALWAYS,       /* drawn in every run */
    BASELINE,     /* only when the run has the world without the programme */
    CEILING,      /* only when the run has the world at perfect supply */
    PER_ORGAN,    /* one per organ: spec is the block, style the style */
};

struct series {
    enum series_kind kind;
    const char *spec;           /* data and style; PER_ORGAN: the data block */
    struct words title;         /* none (notitle in spec) if novel is NULL */
    const char *style;          /* PER_ORGAN: the style after the column */
};

struct run_chart {
    const char *id;
    enum run_section section;
    struct words title;
    const char *block, *data_sql;     /* the data block $block */
    /* or, instead, a function that writes the blocks and fills d */
    int (*data)(struct report *r, struct hs_buf *gp, struct chart_data *d);
    const char *values_sql;           /* the first row: values v[0..nvalues) */
    int nvalues;
    int pos_from, pos_to;             /* empty unless v[from..to) add up to > 0 */
    struct words empty;               /* the sentence in place of an empty chart */
    const char *(*why_empty)(const struct report *r, const double *v);   /* or this */
    struct words xlabel, ylabel;
    int yscaled;                      /* the y axis counts people: name the scale */
    const char *settings;             /* gnuplot commands after the axes */
    void (*more_settings)(struct hs_buf *gp, const double *v);
    const struct words *tics;         /* x tic labels at 0, 1, ... */
    int ntics;
    struct series series[8];          /* ended by one with spec NULL */
    const char *real;                 /* in a world without the programme, England's real
                                         values of this figure of series.csv as points */
    rp_caption_fn *caption;           /* a caption from v, or the fixed one: */
    struct words fixed_caption;
    int small;
    int programme_only;               /* left out of a world without the programme */
};

static int life_course_data(struct report *r, struct hs_buf *gp, struct chart_data *d);
static void tenure_settings(struct hs_buf *gp, const double *v);

#define WITH_PROGRAMME "with the programme"
#define WITHOUT_PROGRAMME "the same world without the programme"
#define AT_CEILING "at perfect supply: every listing given its organ"
#define ALL_WITH "all organs, with the programme"
#define TENURE_DONORS " FROM donors WHERE became_donor IS NOT NULL AND years_as_carer IS NOT " \
                      "NULL AND years_as_carer >= 0"

static const struct words stage_names[NSTAGES] = {
    {"left the estate", NULL}, {"became a carer", NULL}, {"notice", "ordered to surgery"},
    {"first donation", "first organ removed"}, {"completed", "died"},
};

static const struct run_chart run_charts[] = {
    {.id = "fig-lifeexp", .section = SECTION_PUBLIC,
     .title = {"Life expectancy of the public at birth", NULL},
     .block = "le",
     .data_sql = "SELECT y.year, y.life_expectancy AS with_programme, b.life_expectancy AS "
                 "without_programme, c.life_expectancy AS perfect_supply "
                 "FROM yearly y {baseline} {ceiling} ORDER BY y.year",
     .values_sql = "SELECT y.year, y.life_expectancy, b.life_expectancy, c.life_expectancy "
                   "FROM yearly y {baseline} {ceiling} WHERE y.life_expectancy IS NOT NULL "
                   "ORDER BY y.year DESC LIMIT 1",
     .nvalues = 4, .pos_from = 0, .pos_to = 1,
     .empty = {"The run recorded no life expectancy.", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"life expectancy at birth (years)", NULL},
     .series = {{ALWAYS, "$le using 1:2 with lines lw 2.5 lc rgb '#1f4e79'",
                 {WITH_PROGRAMME, NULL}, NULL},
                {BASELINE, "$le using 1:3 with lines lw 2 dt 2 lc rgb '#888888'",
                 {WITHOUT_PROGRAMME, NULL}, NULL},
                {CEILING, "$le using 1:4 with lines lw 2 dt 3 lc rgb '#2f9e8f'",
                 {AT_CEILING, NULL}, NULL}},
     .real = "e0",
     .caption = rp_cap_life_expectancy},

    {.id = "fig-gain", .section = SECTION_PUBLIC,
     .title = {"What the programme gave: life expectancy with it, minus without it",
               "What the organs gave: life expectancy with them, minus without them"},
     .block = "g",
     .data_sql = "SELECT y.year, y.life_expectancy - b.life_expectancy AS programme_gave, "
                 "c.life_expectancy - b.life_expectancy AS perfect_supply_would_give "
                 "FROM yearly y {baseline} {ceiling} ORDER BY y.year",
     .values_sql = "SELECT y.year, y.life_expectancy - b.life_expectancy, "
                   "c.life_expectancy - b.life_expectancy, b.life_expectancy IS NOT NULL "
                   "FROM yearly y {baseline} {ceiling} "
                   "WHERE y.life_expectancy IS NOT NULL ORDER BY y.year DESC LIMIT 1",
     .nvalues = 4, .pos_from = 3, .pos_to = 4,
     .empty = {"The run has no world without the programme to set beside it, so there is "
               "no gain to draw (run without --no-baseline).", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"years of life expectancy at birth", NULL},
     .settings = "set xzeroaxis lt -1 lc rgb '#999999'\n",
     .series = {{ALWAYS, "$g using 1:2 with lines lw 2.5 lc rgb '#1f4e79'",
                 {"with the programme, minus without", "with the organs, minus without"},
                 NULL},
                {CEILING, "$g using 1:3 with lines lw 2 dt 3 lc rgb '#2f9e8f'",
                 {"at perfect supply, minus without", NULL}, NULL}},
     .caption = rp_cap_gain, .programme_only = 1},

    {.id = "fig-100", .section = SECTION_PUBLIC,
     .title = {"People reaching 100", NULL},
     .block = "h",
     .data_sql = "SELECT y.year, y.reached_100 AS with_programme, b.reached_100 AS "
                 "without_programme FROM yearly y {baseline} ORDER BY y.year",
     .values_sql = "SELECT sum(y.reached_100), sum(b.reached_100) FROM yearly y {baseline}",
     .nvalues = 2,
     .empty = {"The run recorded no years.", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"people turning 100 in the year", NULL},
     .yscaled = 1,
     .series = {{ALWAYS, "$h using 1:2 with lines lw 2.5 lc rgb '#1f4e79'",
                 {WITH_PROGRAMME, NULL}, NULL},
                {BASELINE, "$h using 1:3 with lines lw 2 dt 2 lc rgb '#888888'",
                 {WITHOUT_PROGRAMME, NULL}, NULL}},
     .caption = rp_cap_reached_100},

    {.id = "fig-waiting", .section = SECTION_PUBLIC,
     .title = {"Waiting lists, by organ", NULL},
     .block = "w",
     .data_sql = "SELECT year, waiting_kidney, waiting_liver, waiting_heart, waiting_lung, "
                 "waiting_pancreas FROM yearly ORDER BY year",
     .values_sql = "SELECT year, waiting_kidney + waiting_liver + waiting_heart + "
                   "waiting_lung + waiting_pancreas FROM yearly ORDER BY year DESC LIMIT 1",
     .nvalues = 2,
     .empty = {"The run recorded no years.", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"people waiting at year end", NULL}, .yscaled = 1,
     .series = {{PER_ORGAN, "$w", {NULL, NULL}, "with lines lw 2"}},
     .real = "waiting",
     .caption = rp_cap_waiting},

    {.id = "fig-waitdeaths", .section = SECTION_PUBLIC,
     .title = {"Deaths while waiting, by organ", NULL},
     .block = "dw",
     .data_sql = "SELECT y.year, y.deaths_waiting_kidney, y.deaths_waiting_liver, "
                 "y.deaths_waiting_heart, y.deaths_waiting_lung, y.deaths_waiting_pancreas, "
                 "y.deaths_waiting AS all_with_programme, b.deaths_waiting AS "
                 "all_without_programme FROM yearly y {baseline} ORDER BY y.year",
     .values_sql = "SELECT sum(y.deaths_waiting), sum(b.deaths_waiting), "
                   "sum(y.deaths_uncured) FROM yearly y {baseline}",
     .nvalues = 3,
     .empty = {"The run recorded no years.", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"deaths on the waiting list per year", NULL},
     .yscaled = 1,
     .series = {{PER_ORGAN, "$dw", {NULL, NULL}, "with lines lw 1.5"},
                {ALWAYS, "$dw using 1:7 with lines lw 2.5 lc rgb '#111111'",
                 {ALL_WITH, NULL}, NULL},
                {BASELINE, "$dw using 1:8 with lines lw 2 dt 2 lc rgb '#888888'",
                 {"all organs, without the programme", NULL}, NULL}},
     .real = "deaths_waiting",
     .caption = rp_cap_wait_deaths},

    {.id = "fig-transplants", .section = SECTION_PUBLIC,
     .title = {"Transplants each year, by organ", NULL},
     .block = "tx",
     .data_sql = "SELECT year, transplants_kidney, transplants_liver, transplants_heart, "
                 "transplants_lung, transplants_pancreas, transplants FROM yearly ORDER BY year",
     .values_sql = "SELECT sum(transplants), (SELECT min(year) FROM yearly WHERE "
                   "transplants > 0) FROM yearly",
     .nvalues = 2, .pos_from = 0, .pos_to = 1,
     .empty = {"No transplant was done in this run.", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"transplants in the year", NULL}, .yscaled = 1,
     .series = {{PER_ORGAN, "$tx", {NULL, NULL}, "with lines lw 1.5"},
                {ALWAYS, "$tx using 1:7 with lines lw 2.5 lc rgb '#111111'",
                 {"all organs", NULL}, NULL}},
     .real = "transplants",
     .caption = rp_cap_transplants},

    {.id = "fig-stages", .section = SECTION_DONORS,
     .title = {"Donors alive, by stage", "People raised for their organs, alive, by stage"},
     .block = "st",
     .data_sql = "SELECT year, students, students + carers AS and_carers, "
                 "students + carers + donors AS and_donors "
                 "FROM yearly ORDER BY year",
     .values_sql = "SELECT year, students, carers, donors FROM yearly ORDER BY year DESC "
                   "LIMIT 1",
     .nvalues = 4, .pos_from = 1, .pos_to = 4,
     .empty = {"This run has no programme, and so no donors.",
               "This run has no programme: nobody was raised for organs."},
     .xlabel = {"year", NULL}, .ylabel = {"people alive at year end", NULL}, .yscaled = 1,
     .series = {{ALWAYS, "$st using 1:4 with filledcurves x1 lc rgb '#7a2a2a'",
                 {"donors, between donations", "between organ removals"}, NULL},
                {ALWAYS, "$st using 1:3 with filledcurves x1 lc rgb '#c08552'",
                 {"carers, before their notice", "carers, before their own operations"}, NULL},
                {ALWAYS, "$st using 1:2 with filledcurves x1 lc rgb '#9fb8ad'",
                 {"students (estates, the Cottages, training)", NULL}, NULL}},
     .caption = rp_cap_stages},

    {.id = "fig-yearly", .section = SECTION_DONORS,
     .title = {"Cohorts created, donations and completions each year",
               "People created, organ-removal operations and deaths each year"},
     .block = "y",
     .data_sql = "SELECT year, donors_created, donations, completions FROM yearly "
                 "ORDER BY year",
     .values_sql = "SELECT sum(donors_created), sum(donations), sum(completions) FROM yearly",
     .nvalues = 3, .pos_from = 0, .pos_to = 1,
     .empty = {"This run has no programme: no cohorts were created.", NULL},
     .xlabel = {"year", NULL}, .ylabel = {"people or operations per year", NULL},
     .yscaled = 1,
     .series = {{ALWAYS, "$y using 1:2 with lines lw 2 lc rgb '#9fb8ad'",
                 {"created in the year's cohort", NULL}, NULL},
                {ALWAYS, "$y using 1:3 with lines lw 2 lc rgb '#c08552'",
                 {"donations", "operations to remove organs"}, NULL},
                {ALWAYS, "$y using 1:4 with lines lw 2.5 lc rgb '#7a2a2a'",
                 {"completions", "deaths"}, NULL}},
     .caption = rp_cap_yearly},

    {.id = "fig-lifecourse", .section = SECTION_DONORS,
     .title = {"The life course of donors: age at each stage, by estate",
               "The lives of those raised for organs: age at each stage, by estate"},
     .data = life_course_data,
     .values_sql = "SELECT count(*) FROM donors", .nvalues = 1,
     .why_empty = rp_why_no_life_course,
     .xlabel = {"stage of life", NULL}, .ylabel = {"age (years)", NULL},
     .settings = "set xrange [-0.5:4.5]\nset yrange [14:*]\n",
     .tics = stage_names, .ntics = NSTAGES,
     .fixed_caption = {"The median age at which donors of each estate reached each stage, "
                       "with the middle half of them between the whiskers; only those who "
                       "reached a stage before the run ended are counted, so the last "
                       "stages lean young.",
                       "The median age at which the people of each estate reached each "
                       "stage, with the middle half of them between the whiskers; only "
                       "those who reached a stage before the run ended are counted, so "
                       "the age at death leans young."}},

    {.id = "fig-bynumber", .section = SECTION_DONORS,
     .title = {"Completions by donation number", "Deaths by operation number"},
     .block = "bn",
     .data_sql = "SELECT number AS donation, count(*) AS completions, 100.0 * count(*) / "
                 "(SELECT count(*) FROM donations WHERE completed = 1) AS percent "
                 "FROM donations WHERE completed = 1 GROUP BY number ORDER BY number",
     .values_sql = "SELECT 100.0 * sum(number = 4) / count(*), 100.0 * sum(number < 4) / "
                   "count(*) FROM donations WHERE completed = 1",
     .nvalues = 2,
     .empty = {"No donor completed in this run.", "Nobody died under the knife in this run."},
     .xlabel = {"the donation at which the donor completed",
                "the operation at which the person died"},
     .ylabel = {"people", NULL}, .yscaled = 1,
     .settings = "set xrange [0.4:4.6]\nset xtics 1\nset yrange [0:*]\nset offsets 0,0,"
                 "graph 0.08,0\nset boxwidth 0.6\n",
     .series = {{ALWAYS, "$bn using 1:2 with boxes lc rgb '#7a2a2a'",
                 {"completions", "deaths"}, NULL},
                {ALWAYS, "$bn using 1:2:(sprintf('%.0f%%', $3)) with labels offset 0,0.8 "
                         "notitle", {NULL, NULL}, NULL}},
     .caption = rp_cap_by_number, .small = 1},

    {.id = "fig-tenure", .section = SECTION_DONORS,
     .title = {"Carers' years of caring", NULL},
     .block = "t",
     .data_sql = "SELECT CAST(years_as_carer AS INTEGER) + 0.5 AS years_caring, "
                 "count(*) AS carers" TENURE_DONORS
                 " GROUP BY years_caring ORDER BY years_caring",
     .values_sql = "SELECT count(*), 100.0 * sum(years_as_carer >= 11.5) / count(*), "
                   "max(years_as_carer), (SELECT years_as_carer" TENURE_DONORS
                   " ORDER BY years_as_carer LIMIT 1 OFFSET (SELECT count(*) / 2"
                   TENURE_DONORS "))" TENURE_DONORS,
     .nvalues = 4,
     .empty = {"No carer went on to donate in this run.",
               "No carer's own operations began in this run."},
     .xlabel = {"years as a carer", NULL}, .ylabel = {"carers", NULL}, .yscaled = 1,
     .more_settings = tenure_settings,
     .series = {{ALWAYS, "$t using 1:2 with boxes lc rgb '#c08552'",
                 {"carers who went on to donate", "carers whose own operations began"}, NULL},
                {ALWAYS, "NaN with lines lw 2 dt 2 lc rgb '#7a2a2a'",
                 {"Kathy H.: almost exactly twelve years", NULL}, NULL}},
     .caption = rp_cap_tenure, .small = 1},
};

/* ---- the skeleton --------------------------------------------------------------------------- */

/* sql with {baseline} and {ceiling} replaced by the joins of this run. */
static void sql_of(const struct report *r, const char *sql, char *buf, size_t n)
{
    static const char *const marks[2] = {"{baseline}", "{ceiling}"};
    static const char *const tables[2] = {"yearly_baseline", "yearly_ceiling"};
    static const char alias[2] = {'b', 'c'};
    int has[2] = {r->has_baseline, r->has_ceiling};
    char tmp[1024];
    snprintf(buf, n, "%s", sql);
    for (int k = 0; k < 2; k++) {
        const char *m = strstr(buf, marks[k]);
        if (m == NULL)
            continue;
        char join[256];
        if (has[k])
            snprintf(join, sizeof join, "LEFT JOIN %s %c ON %c.year = y.year", tables[k],
                     alias[k], alias[k]);
        else
            snprintf(join, sizeof join, "LEFT JOIN (SELECT NULL AS year, NULL AS "
                     "life_expectancy, NULL AS reached_100, NULL AS deaths_waiting) %c ON 0",
                     alias[k]);
        snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(m - buf), buf, join,
                 m + strlen(marks[k]));
        snprintf(buf, n, "%s", tmp);
    }
}

static int is_empty(const struct run_chart *c, const struct chart_data *d)
{
    if (d->rows == 0)
        return 1;
    if (c->pos_to == 0)
        return 0;
    double sum = 0;
    for (int i = c->pos_from; i < c->pos_to; i++)
        sum += d->v[i];
    return !(sum > 0);
}

static void put_series(const struct report *r, struct hs_buf *gp, const struct series *s,
                       int *first)
{
    if ((s->kind == BASELINE && !r->has_baseline) || (s->kind == CEILING && !r->has_ceiling))
        return;
    if (s->kind == PER_ORGAN) {
        for (int k = 0; k < NORGANS; k++) {
            char spec[128];
            /* told apart by dash as well as colour */
            snprintf(spec, sizeof spec, "%s using 1:%d %s dt %d lc rgb '%s'", s->spec, k + 2,
                     s->style, organ_dash[k], organ_colour[k]);
            hs_gp_series(gp, *first, spec, organs[k]);
            *first = 0;
        }
        return;
    }
    const char *title = s->title.novel ? rp_say(r, s->title) : NULL;
    if (r->no_programme && title != NULL && strcmp(title, WITH_PROGRAMME) == 0)
        title = "this world";   /* there is no programme to be with */
    else if (r->no_programme && title != NULL && strcmp(title, ALL_WITH) == 0)
        title = "all organs";
    hs_gp_series(gp, *first, s->spec, title);
    *first = 0;
}

static int draw_chart(struct report *r, const struct run_chart *c)
{
    struct hs_buf gp;
    struct chart_data d;
    char sql[1024];
    hs_buf_init(&gp);
    memset(&d, 0, sizeof d);
    if (c->data) {
        if (c->data(r, &gp, &d) != HS_REPORT_OK) {
            hs_buf_free(&gp);
            return r->status;
        }
    } else {
        sql_of(r, c->data_sql, sql, sizeof sql);
        d.rows = rp_block(r, &gp, c->block, sql);
    }
    sql_of(r, c->values_sql, sql, sizeof sql);
    if (d.rows < 0 || rp_row_values(r, sql, d.v, c->nvalues) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (is_empty(c, &d)) {
        hs_buf_free(&gp);
        rp_no_chart(r, c->id, c->why_empty ? c->why_empty(r, d.v) : rp_say(r, c->empty));
        return HS_REPORT_OK;
    }
    char yl[160];
    if (c->yscaled)
        rp_scaled(r, yl, sizeof yl, rp_say(r, c->ylabel));
    else
        snprintf(yl, sizeof yl, "%s", rp_say(r, c->ylabel));
    hs_gp_axes(&gp, rp_say(r, c->xlabel), yl);
    if (c->settings)
        hs_buf_put(&gp, c->settings);
    if (c->more_settings)
        c->more_settings(&gp, d.v);
    if (c->ntics > 0) {
        const char *tics[NSTAGES];
        for (int i = 0; i < c->ntics && i < NSTAGES; i++)
            tics[i] = rp_say(r, c->tics[i]);
        hs_gp_tics(&gp, tics, (size_t)(c->ntics < NSTAGES ? c->ntics : NSTAGES));
    }
    int first = 1;
    for (const struct series *s = c->series; s->spec; s++)
        put_series(r, &gp, s, &first);
    if (c->real && r->no_programme) {
        /* the data block goes before the plot command that uses it */
        struct hs_buf real;
        hs_buf_init(&real);
        int n = rp_real_block(r, &real, "real", c->real);
        if (n < 0) {
            hs_buf_free(&real);
            hs_buf_free(&gp);
            return r->status;
        }
        if (n > 0) {
            hs_buf_putn(&real, gp.s, gp.len);
            hs_buf_free(&gp);
            gp = real;
            hs_gp_series(&gp, first, "$real using 1:2 with points pt 7 ps 1.1 lc rgb '#c0392b'",
                         "the real figures (data/real/series.csv)");
            first = 0;
        } else {
            hs_buf_free(&real);
        }
    }
    for (int e = 0; e < d.nextra; e++, first = 0)
        hs_gp_series(&gp, first, d.spec[e], d.title[e]);
    hs_buf_put(&gp, "\n");
    char cap[1024];
    if (c->caption)
        c->caption(r, d.v, cap, sizeof cap);
    else
        snprintf(cap, sizeof cap, "%s", rp_say(r, c->fixed_caption));
    return rp_draw(r, &gp, c->id, rp_say(r, c->title), cap, c->small);
}

int rp_run_charts(struct report *r, enum run_section section)
{
    for (size_t i = 0; i < sizeof run_charts / sizeof run_charts[0]; i++)
        if (run_charts[i].section == section &&
            !(run_charts[i].programme_only && r->no_programme) &&
            draw_chart(r, &run_charts[i]) != HS_REPORT_OK)
            return r->status;
    return HS_REPORT_OK;
}

/* ---- the settings of one chart -------------------------------------------------------------- */

/* v[2], the longest tenure, sets the x range; Kathy's twelve years are marked. */
static void tenure_settings(struct hs_buf *gp, const double *v)
{
    double xmax = fmax(14.0, ceil(isfinite(v[2]) ? v[2] : 0) + 1);
    hs_buf_printf(gp, "set xrange [0:%.0f]\nset yrange [0:*]\nset boxwidth 0.9\n"
                      "set arrow 1 from 12,graph 0 to 12,graph 0.92 nohead lw 2 dt 2 "
                      "lc rgb '#7a2a2a'\nset label 1 ", xmax);
    hs_buf_gpstr(gp, "Kathy H.");
    hs_buf_put(gp, " at 12,graph 0.96 center textcolor rgb '#7a2a2a'\n");
}

/* ---- the life course: quartiles of age at each stage, by estate ----------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct ages {
    double *v[NSTAGES];
    size_t n[NSTAGES], cap[NSTAGES];
};

static int ages_add(struct ages *a, int s, double x)
{
    if (a->n[s] == a->cap[s]) {
        size_t cap = a->cap[s] ? 2 * a->cap[s] : 64;
        double *v = realloc(a->v[s], cap * sizeof *v);
        if (v == NULL)
            return -1;
        a->v[s] = v;
        a->cap[s] = cap;
    }
    a->v[s][a->n[s]++] = x;
    return 0;
}

/* One estate's block: stage, median, lower and upper quartile, count;
 * none, and 0 returned, when none of its donors reached any stage. */
static int ages_block(struct ages *a, struct hs_buf *gp, int e)
{
    int rows = 0;
    for (int s = 0; s < NSTAGES; s++)
        rows += a->n[s] > 0;
    if (rows > 0)
        hs_buf_printf(gp, "$lc%d << EOD\n# stage median lower_quartile upper_quartile "
                          "donors\n", e);
    for (int s = 0; s < NSTAGES && rows > 0; s++) {
        if (a->n[s] == 0)
            continue;
        qsort(a->v[s], a->n[s], sizeof(double), cmp_double);
        hs_buf_printf(gp, "%d %.4f %.4f %.4f %zu\n", s,
                      hs_quantile_sorted(a->v[s], a->n[s], 0.5),
                      hs_quantile_sorted(a->v[s], a->n[s], 0.25),
                      hs_quantile_sorted(a->v[s], a->n[s], 0.75),
                      a->n[s]);
    }
    if (rows > 0)
        hs_buf_put(gp, "EOD\n");
    for (int s = 0; s < NSTAGES; s++) {
        free(a->v[s]);
        a->v[s] = NULL;
        a->n[s] = a->cap[s] = 0;
    }
    return rows;
}

/* The eight largest estates, each donor's age at each stage. */
static const char *const lc_sql =
    "SELECT estate, (julianday(left_estate) - julianday(created)) / 365.25,"
    " (julianday(became_carer) - julianday(created)) / 365.25,"
    " (julianday(became_donor) - julianday(created)) / 365.25,"
    " (julianday(donation_1) - julianday(created)) / 365.25,"
    " (julianday(completed) - julianday(created)) / 365.25"
    " FROM donors WHERE estate IN (SELECT estate FROM donors GROUP BY estate"
    " ORDER BY count(*) DESC LIMIT 8) ORDER BY estate";

/* Reads every donor once, estate by estate, into one data block per
 * estate ($lc0, $lc1...) and one series for each, side by side. */
static int life_course_data(struct report *r, struct hs_buf *gp, struct chart_data *d)
{
    sqlite3_stmt *st = NULL;
    char (*names)[96] = d->title;
    int ne = 0;
    if (sqlite3_prepare_v2(r->db, lc_sql, -1, &st, NULL) != SQLITE_OK)
        return rp_fail_db(r);
    struct ages a;
    memset(&a, 0, sizeof a);
    int rc, oom = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
        const char *est = (const char *)sqlite3_column_text(st, 0);
        est = est ? est : "unknown";
        if (ne == 0 || strcmp(names[ne - 1], est) != 0) {
            if (ne > 0 && ages_block(&a, gp, ne - 1) == 0)
                ne--;              /* nobody of that estate has left it yet */
            if (ne == MAX_SERIES)
                break;
            snprintf(names[ne++], 96, "%s", est);
        }
        for (int s = 0; s < NSTAGES && !oom; s++)
            if (sqlite3_column_type(st, s + 1) != SQLITE_NULL)
                oom = ages_add(&a, s, sqlite3_column_double(st, s + 1)) != 0;
    }
    if (ne > 0 && ages_block(&a, gp, ne - 1) == 0)
        ne--;
    for (int s = 0; s < NSTAGES; s++)
        free(a.v[s]);
    sqlite3_finalize(st);
    if (oom)
        return rp_fail_oom(r);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return rp_fail_db(r);
    for (int e = 0; e < ne; e++) {
        double off = (e - (ne - 1) / 2.0) * 0.09;
        snprintf(d->spec[e], sizeof d->spec[e], "$lc%d using ($1%+.3f):2:3:4 with yerrorlines "
                 "lw 2 pt 7 ps 0.8 lc rgb '%s'", e, off, estate_colour[e]);
    }
    d->nextra = ne;
    d->rows = ne;
    return HS_REPORT_OK;
}
