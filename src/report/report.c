/* SPDX-License-Identifier: MIT
 *
 * report.c - the HTML report: one self-contained page per run or experiment.
 *
 * A run directory's run.sqlite and summary.json are read (never written);
 * every chart is a short SQL query turned into a gnuplot data block plus a
 * few gnuplot commands, drawn by charts.c and inlined as SVG; the page has
 * inline CSS and no script, so it opens anywhere without a network.  An
 * experiment directory (experiment.json, experiment.sqlite) gets the mean
 * of every yearly figure with its confidence band and the sweep's effect on
 * each headline figure.
 *
 * The words follow the novel (donors, donations, completing) unless `plain`
 * is set, when every label and sentence says what those words hide.  Either
 * way the page says what the numbers mean for the people counted in them.
 */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include <hailsham/stats.h>
#include <hailsham/status.h>

#include "charts.h"

const char *const hs_report_run_charts[] = {
    "fig-lifeexp", "fig-100", "fig-waiting", "fig-waitdeaths", "fig-stages",
    "fig-yearly", "fig-lifecourse", "fig-bynumber", "fig-tenure", NULL,
};

#define NORGANS 5
static const char *const organs[NORGANS] = {"kidney", "liver", "heart", "lung", "pancreas"};
static const char *const organ_colour[NORGANS] = {"#33658a", "#2f9e8f", "#9b2226",
                                                  "#e09f3e", "#6d597a"};

/* Chart sizes: wide charts fill the column, small ones sit two to a row. */
enum { WIDE_W = 760, WIDE_H = 430, SMALL_W = 520, SMALL_H = 360, MAX_SERIES = 8 };

struct report {
    const char *dir;
    int plain;
    sqlite3 *db;
    json_t *summary;          /* run: summary.json */
    json_t *exp;              /* experiment: experiment.json */
    const char *dbname;       /* "run.sqlite" or "experiment.sqlite", for errors */
    int has_baseline;
    double scale;
    char scale_note[64];      /* " (run at scale 0.01)" */
    int chart_index;
    int status;
    char *err;
    size_t errlen;
    struct hs_buf page;
};

/* The novel's word or the plain one. */
static const char *word(const struct report *r, const char *novel, const char *plain)
{
    return r->plain ? plain : novel;
}

static int fail(struct report *r, int status, const char *what, const char *why)
{
    if (r->status == HS_REPORT_OK) {
        r->status = status;
        snprintf(r->err, r->errlen, "%s%s%s", what, why ? ": " : "", why ? why : "");
    }
    return status;
}

static int fail_db(struct report *r, const char *file)
{
    char what[1200];
    snprintf(what, sizeof what, "%s/%s is corrupt or incomplete", r->dir, file);
    return fail(r, HS_REPORT_EDATA, what, r->db ? sqlite3_errmsg(r->db) : "cannot open");
}

/* ---- numbers as text ---------------------------------------------------------- */

/* 1234567.8 -> "1,234,568" (digits=0); NaN or infinity -> an em dash. */
static void fmt_num(char *buf, size_t n, double v, int digits)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "\xe2\x80\x94");
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", digits, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw) && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < ilen && o + 2 < n; i++) {
        buf[o++] = raw[i];
        size_t left = ilen - i - 1;
        if (left > 0 && left % 3 == 0)
            buf[o++] = ',';
    }
    for (const char *s = raw + ilen; *s && o + 1 < n; s++)
        buf[o++] = *s;
    buf[o < n ? o : n - 1] = '\0';
}

static double jnum(const json_t *obj, const char *key)
{
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- reading the run ------------------------------------------------------------ */

static int table_exists(struct report *r, const char *table, int *exists)
{
    sqlite3_stmt *st = NULL;
    *exists = 0;
    if (sqlite3_prepare_v2(r->db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?",
                           -1, &st, NULL) != SQLITE_OK)
        return fail_db(r, r->dbname);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *exists = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? HS_REPORT_OK : fail_db(r, r->dbname);
}

/* Every column the charts read must be there, so that a run written by an
 * older or damaged program is refused with a name rather than half drawn. */
static int need_columns(struct report *r, const char *table, const char *const *cols)
{
    int exists;
    if (table_exists(r, table, &exists) != HS_REPORT_OK)
        return r->status;
    if (!exists) {
        char what[1200];
        snprintf(what, sizeof what, "%s/%s has no table '%s': the %s is incomplete",
                 r->dir, r->dbname, table, r->exp ? "experiment" : "run");
        return fail(r, HS_REPORT_EDATA, what, NULL);
    }
    for (; *cols; cols++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT %s FROM %s LIMIT 1", *cols, table);
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_ERROR) {
            char what[1200];
            snprintf(what, sizeof what, "%s/%s: table '%s' has no column '%s'",
                     r->dir, r->dbname, table, *cols);
            return fail(r, HS_REPORT_EDATA, what, NULL);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return fail_db(r, r->dbname);
    }
    return HS_REPORT_OK;
}

static const char *const yearly_cols[] = {
    "year", "life_expectancy", "reached_100", "students", "carers", "donors",
    "donors_created", "donations", "completions", "deaths_waiting",
    "waiting_kidney", "waiting_liver", "waiting_heart", "waiting_lung", "waiting_pancreas",
    "deaths_waiting_kidney", "deaths_waiting_liver", "deaths_waiting_heart",
    "deaths_waiting_lung", "deaths_waiting_pancreas", NULL,
};
static const char *const donor_cols[] = {
    "id", "estate", "created", "left_estate", "became_carer", "became_donor", "donation_1",
    "completed", "years_as_carer", NULL,
};
static const char *const donation_cols[] = {"donor_id", "number", "completed", NULL};

static int open_db(struct report *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/run.sqlite", r->dir);
    if (access(path, F_OK) != 0) {
        char what[4300];
        snprintf(what, sizeof what, "%s has no run.sqlite: not a run directory, or its run "
                                    "did not finish", r->dir);
        return fail(r, HS_REPORT_EDATA, what, NULL);
    }
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return fail_db(r, r->dbname);
    sqlite3_busy_timeout(r->db, 2000);
    if (need_columns(r, "yearly", yearly_cols) != HS_REPORT_OK ||
        need_columns(r, "donors", donor_cols) != HS_REPORT_OK ||
        need_columns(r, "donations", donation_cols) != HS_REPORT_OK)
        return r->status;
    int exists = 0;
    if (table_exists(r, "yearly_baseline", &exists) != HS_REPORT_OK)
        return r->status;
    if (exists) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(r->db, "SELECT count(life_expectancy) FROM yearly_baseline", -1,
                               &st, NULL) != SQLITE_OK)
            return fail_db(r, r->dbname);
        int rc = sqlite3_step(st);
        r->has_baseline = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            return fail_db(r, r->dbname);
    }
    return HS_REPORT_OK;
}

static json_t *load_json(struct report *r, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    if (access(path, F_OK) != 0) {
        char what[4300];
        snprintf(what, sizeof what, "%s has no %s: the run is incomplete", r->dir, name);
        fail(r, HS_REPORT_EDATA, what, NULL);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (j == NULL) {
        char what[4400];
        snprintf(what, sizeof what, "%s:%d:%d: %s is not valid JSON", path, je.line, je.column,
                 name);
        fail(r, HS_REPORT_EDATA, what, je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        char what[4300];
        snprintf(what, sizeof what, "%s is not a JSON object", path);
        fail(r, HS_REPORT_EDATA, what, NULL);
        return NULL;
    }
    return j;
}

static int open_run(struct report *r)
{
    r->summary = load_json(r, "summary.json");
    if (r->summary == NULL)
        return r->status;
    if (!json_is_object(json_object_get(r->summary, "headline"))) {
        char what[4300];
        snprintf(what, sizeof what, "%s/summary.json has no headline figures", r->dir);
        return fail(r, HS_REPORT_EDATA, what, NULL);
    }
    if (open_db(r) != HS_REPORT_OK)
        return r->status;
    r->scale = jnum(r->summary, "scale");
    return HS_REPORT_OK;
}

/* ---- SQL to gnuplot data blocks ---------------------------------------------------- */

static void put_cell(struct hs_buf *gp, sqlite3_stmt *st, int c)
{
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL:
        hs_buf_put(gp, "?");
        break;
    case SQLITE_INTEGER:
        hs_buf_printf(gp, "%lld", (long long)sqlite3_column_int64(st, c));
        break;
    case SQLITE_FLOAT: {
        double v = sqlite3_column_double(st, c);
        if (isfinite(v))
            hs_buf_printf(gp, "%.10g", v);
        else
            hs_buf_put(gp, "?");
        break;
    }
    default:
        /* data blocks hold numbers only; text (which a chart never plots)
         * is missing, and names reach a chart only through hs_buf_gpstr */
        hs_buf_put(gp, "?");
        break;
    }
}

/* Run sql and write its rows as the data block $name; returns the number
 * of rows, or -1 (error set) when the database fails. */
static long block(struct report *r, struct hs_buf *gp, const char *name, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail_db(r, r->dbname);
        return -1;
    }
    hs_buf_printf(gp, "$%s << EOD\n", name);
    long rows = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        for (int c = 0; c < n; c++) {
            if (c)
                hs_buf_put(gp, " ");
            put_cell(gp, st, c);
        }
        hs_buf_put(gp, "\n");
        rows++;
    }
    sqlite3_finalize(st);
    hs_buf_put(gp, "EOD\n");
    if (rc != SQLITE_DONE) {
        fail_db(r, r->dbname);
        return -1;
    }
    return rows;
}

/* The first row of sql as up to n numbers (NaN for NULL); 0 if a row came. */
static int row_values(struct report *r, const char *sql, double *v, int n)
{
    for (int i = 0; i < n; i++)
        v[i] = NAN;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail_db(r, r->dbname);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int i = 0; i < n && i < sqlite3_column_count(st); i++)
            if (sqlite3_column_type(st, i) != SQLITE_NULL)
                v[i] = sqlite3_column_double(st, i);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail_db(r, r->dbname);
    return HS_REPORT_OK;
}

/* ---- figures ------------------------------------------------------------------------- */

/* Settings every chart shares: quiet colours, a light grid, the legend
 * below the plot where it never covers a line. */
static void prelude(struct hs_buf *gp, const char *title)
{
    hs_buf_put(gp, "set datafile missing '?'\n"
                   "set border 3 lc rgb '#555555'\n"
                   "set tics nomirror textcolor rgb '#333333'\n"
                   "set grid ytics lc rgb '#e3e3e3' lt 1 lw 1\n"
                   "set key below center horizontal noreverse enhanced samplen 3 spacing 1.2 height 0.6\n"
                   "set key textcolor rgb '#222222'\n"
                   "set style fill solid 0.85 noborder\n"
                   "set title font ',13' textcolor rgb '#111111'\n"
                   "set title ");
    hs_buf_gpstr(gp, title);
    hs_buf_put(gp, "\n");
}

static void axis_labels(struct hs_buf *gp, const char *x, const char *y)
{
    hs_buf_put(gp, "set xlabel ");
    hs_buf_gpstr(gp, x);
    hs_buf_put(gp, "\nset ylabel ");
    hs_buf_gpstr(gp, y);
    hs_buf_put(gp, "\n");
}

/* One series of a plot command: `spec` (data, style) and its legend title,
 * after a comma unless it is the first. */
static void series(struct hs_buf *gp, int first, const char *spec, const char *title)
{
    hs_buf_put(gp, first ? "plot " : ", ");
    hs_buf_put(gp, spec);
    hs_buf_put(gp, " title ");
    hs_buf_gpstr(gp, title);
}

/* Tic labels at 0, 1, ... n-1 on the x axis. */
static void tics(struct hs_buf *gp, const char *const *labels, size_t n)
{
    hs_buf_put(gp, "set xtics (");
    for (size_t i = 0; i < n; i++) {
        hs_buf_put(gp, i ? ", " : "");
        hs_buf_gptic(gp, labels[i]);
        hs_buf_printf(gp, " %zu", i);
    }
    hs_buf_put(gp, ")\n");
}

/* A label with the run's scale after it, for counts of people. */
static void scaled(const struct report *r, char *buf, size_t n, const char *what)
{
    snprintf(buf, n, "%s%s", what, r->scale_note);
}

/* Draw `body` (data blocks and plot commands) under `title` and add it to
 * the page as a <figure> whose caption is `caption`. */
static int figure(struct report *r, const char *id, const char *title, const char *body,
                  const char *caption, int small)
{
    struct hs_buf gp, svg;
    hs_buf_init(&gp);
    hs_buf_init(&svg);
    prelude(&gp, title);
    hs_buf_put(&gp, body);
    int rc = gp.failed ? HS_ENOMEM : HS_OK;
    char err[600] = "";
    if (rc == HS_OK)
        rc = hs_chart_svg(gp.s, small ? SMALL_W : WIDE_W, small ? SMALL_H : WIDE_H,
                          ++r->chart_index, title, &svg, err, sizeof err);
    hs_buf_free(&gp);
    if (rc != HS_OK) {
        hs_buf_free(&svg);
        if (rc == HS_ENOMEM)
            return fail(r, HS_REPORT_ENOMEM, "out of memory", NULL);
        char what[700];
        snprintf(what, sizeof what, "chart '%s'", title);
        return fail(r, HS_REPORT_ETOOL, rc == HS_ENOTFOUND ? err : what,
                    rc == HS_ENOTFOUND ? NULL : err);
    }
    /* on a phone the chart keeps a readable size and scrolls sideways */
    hs_buf_printf(&r->page, "<figure class=\"chart%s\" id=\"%s\" data-chart=\"%s\">\n"
                            "<div class=\"plot\">",
                  small ? " small" : "", id, id);
    hs_buf_put(&r->page, svg.s);
    hs_buf_put(&r->page, "</div>\n<figcaption>");
    hs_buf_html(&r->page, caption);
    hs_buf_put(&r->page, "</figcaption>\n</figure>\n");
    hs_buf_free(&svg);
    return HS_REPORT_OK;
}

/* A chart that has nothing to draw leaves a sentence in its place. */
static void no_chart(struct report *r, const char *id, const char *why)
{
    hs_buf_printf(&r->page, "<p class=\"nochart\" data-missing=\"%s\">", id);
    hs_buf_html(&r->page, why);
    hs_buf_put(&r->page, "</p>\n");
}

/* Finish a chart builder: draw it, free its script. */
static int draw(struct report *r, struct hs_buf *gp, const char *id, const char *title,
                const char *caption, int small)
{
    int rc = gp->failed ? fail(r, HS_REPORT_ENOMEM, "out of memory", NULL)
                        : figure(r, id, title, gp->s, caption, small);
    hs_buf_free(gp);
    return rc;
}

/* ---- the public ------------------------------------------------------------------------- */

static const char *baseline_join(const struct report *r)
{
    return r->has_baseline ? "LEFT JOIN yearly_baseline b ON b.year = y.year" :
                             "LEFT JOIN (SELECT NULL AS year, NULL AS life_expectancy, "
                             "NULL AS reached_100, NULL AS deaths_waiting) b ON 0";
}

static int chart_life_expectancy(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT y.year, y.life_expectancy, b.life_expectancy FROM yearly y "
                              "%s ORDER BY y.year", baseline_join(r));
    long n = block(r, &gp, "le", sql);
    double last[3];
    snprintf(sql, sizeof sql, "SELECT y.year, y.life_expectancy, b.life_expectancy FROM yearly y "
                              "%s WHERE y.life_expectancy IS NOT NULL ORDER BY y.year DESC LIMIT 1",
             baseline_join(r));
    if (n < 0 || row_values(r, sql, last, 3) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0 || isnan(last[0])) {
        hs_buf_free(&gp);
        no_chart(r, "fig-lifeexp", "The run recorded no life expectancy.");
        return HS_REPORT_OK;
    }
    axis_labels(&gp, "year", "life expectancy at birth (years)");
    series(&gp, 1, "$le using 1:2 with lines lw 2.5 lc rgb '#1f4e79'", "with the programme");
    if (r->has_baseline)
        series(&gp, 0, "$le using 1:3 with lines lw 2 dt 2 lc rgb '#888888'",
               "the same world without the programme");
    hs_buf_put(&gp, "\n");
    char cap[600], a[32], b[32], d[32];
    fmt_num(a, sizeof a, last[1], 1);
    if (r->has_baseline && !isnan(last[2])) {
        fmt_num(b, sizeof b, last[2], 1);
        snprintf(d, sizeof d, "%+.1f", last[1] - last[2]);
        snprintf(cap, sizeof cap,
                 "In %.0f a child born into this England could expect %s years of life, "
                 "against %s in the same world without the programme; the difference, %s "
                 "years, is what the %s added.",
                 last[0], a, b, d, word(r, "donors' organs", "organs taken from the people raised "
                                                          "for them"));
    } else {
        snprintf(cap, sizeof cap, "In %.0f a child born into this England could expect %s "
                                  "years of life; the run has no world without the programme "
                                  "to set beside it.", last[0], a);
    }
    return draw(r, &gp, "fig-lifeexp", "Life expectancy of the public at birth", cap, 0);
}

static int chart_reached_100(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT y.year, y.reached_100, b.reached_100 FROM yearly y %s "
                              "ORDER BY y.year", baseline_join(r));
    long n = block(r, &gp, "h", sql);
    double tot[2];
    snprintf(sql, sizeof sql, "SELECT sum(y.reached_100), sum(b.reached_100) FROM yearly y %s",
             baseline_join(r));
    if (n < 0 || row_values(r, sql, tot, 2) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0) {
        hs_buf_free(&gp);
        no_chart(r, "fig-100", "The run recorded no years.");
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "people turning 100 in the year");
    axis_labels(&gp, "year", yl);
    series(&gp, 1, "$h using 1:2 with lines lw 2.5 lc rgb '#1f4e79'", "with the programme");
    if (r->has_baseline)
        series(&gp, 0, "$h using 1:3 with lines lw 2 dt 2 lc rgb '#888888'",
               "the same world without the programme");
    hs_buf_put(&gp, "\n");
    char cap[600], a[32], b[32];
    fmt_num(a, sizeof a, tot[0], 0);
    if (r->has_baseline && !isnan(tot[1])) {
        fmt_num(b, sizeof b, tot[0] - tot[1], 0);
        snprintf(cap, sizeof cap, "Over the run %s people reached their hundredth birthday, "
                                  "%s more than in the same world without the programme.", a, b);
    } else {
        snprintf(cap, sizeof cap, "Over the run %s people reached their hundredth birthday.", a);
    }
    return draw(r, &gp, "fig-100", "People reaching 100", cap, 0);
}

static int chart_waiting(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    long n = block(r, &gp, "w", "SELECT year, waiting_kidney, waiting_liver, waiting_heart, "
                                "waiting_lung, waiting_pancreas FROM yearly ORDER BY year");
    double last[2];
    if (n < 0 || row_values(r, "SELECT year, waiting_kidney + waiting_liver + waiting_heart + "
                               "waiting_lung + waiting_pancreas FROM yearly ORDER BY year DESC "
                               "LIMIT 1", last, 2) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0) {
        hs_buf_free(&gp);
        no_chart(r, "fig-waiting", "The run recorded no years.");
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "people waiting at year end");
    axis_labels(&gp, "year", yl);
    for (int k = 0; k < NORGANS; k++) {
        char spec[96];
        snprintf(spec, sizeof spec, "$w using 1:%d with lines lw 2 lc rgb '%s'", k + 2,
                 organ_colour[k]);
        series(&gp, k == 0, spec, organs[k]);
    }
    hs_buf_put(&gp, "\n");
    char cap[600], a[32];
    fmt_num(a, sizeof a, last[1], 0);
    snprintf(cap, sizeof cap, "People of the public on the waiting list at the end of each "
                              "year, by the organ they need; at the end of %.0f, %s were "
                              "waiting.", last[0], a);
    return draw(r, &gp, "fig-waiting", "Waiting lists, by organ", cap, 0);
}

static int chart_wait_deaths(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    char sql[700];
    snprintf(sql, sizeof sql,
             "SELECT y.year, y.deaths_waiting_kidney, y.deaths_waiting_liver, "
             "y.deaths_waiting_heart, y.deaths_waiting_lung, y.deaths_waiting_pancreas, "
             "y.deaths_waiting, b.deaths_waiting FROM yearly y %s ORDER BY y.year",
             baseline_join(r));
    long n = block(r, &gp, "dw", sql);
    double tot[2];
    snprintf(sql, sizeof sql, "SELECT sum(y.deaths_waiting), sum(b.deaths_waiting) "
                              "FROM yearly y %s", baseline_join(r));
    if (n < 0 || row_values(r, sql, tot, 2) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0) {
        hs_buf_free(&gp);
        no_chart(r, "fig-waitdeaths", "The run recorded no years.");
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "deaths on the waiting list per year");
    axis_labels(&gp, "year", yl);
    for (int k = 0; k < NORGANS; k++) {
        char spec[96];
        snprintf(spec, sizeof spec, "$dw using 1:%d with lines lw 1.5 lc rgb '%s'", k + 2,
                 organ_colour[k]);
        series(&gp, k == 0, spec, organs[k]);
    }
    series(&gp, 0, "$dw using 1:7 with lines lw 2.5 lc rgb '#111111'",
           "all organs, with the programme");
    if (r->has_baseline)
        series(&gp, 0, "$dw using 1:8 with lines lw 2 dt 2 lc rgb '#888888'",
               "all organs, without the programme");
    hs_buf_put(&gp, "\n");
    char cap[700], a[32], b[32];
    fmt_num(a, sizeof a, tot[0], 0);
    if (r->has_baseline && !isnan(tot[1])) {
        double avoided = tot[1] - tot[0];
        fmt_num(b, sizeof b, fabs(avoided), 0);
        if (avoided >= 0)
            snprintf(cap, sizeof cap,
                     "%s people died waiting for an organ; without the programme %s more "
                     "would have, and each of those lives was paid for with organs taken "
                     "from %s.", a, b, word(r, "a donor", "a person raised for them"));
        else
            snprintf(cap, sizeof cap, "%s people died waiting for an organ, %s more than in "
                                      "the same world without the programme.", a, b);
    } else {
        snprintf(cap, sizeof cap, "%s people died waiting for an organ over the run.", a);
    }
    return draw(r, &gp, "fig-waitdeaths", "Deaths while waiting, by organ", cap, 0);
}

/* ---- the donors --------------------------------------------------------------------------- */

static int chart_stages(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    long n = block(r, &gp, "st", "SELECT year, students, students + carers, "
                                 "students + carers + donors FROM yearly ORDER BY year");
    double last[4];
    if (n < 0 || row_values(r, "SELECT year, students, carers, donors FROM yearly "
                               "ORDER BY year DESC LIMIT 1", last, 4) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0 || !(last[1] + last[2] + last[3] > 0)) {
        hs_buf_free(&gp);
        no_chart(r, "fig-stages", word(r, "This run has no programme, and so no donors.",
                                    "This run has no programme: nobody was raised for organs."));
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "people alive at year end");
    axis_labels(&gp, "year", yl);
    series(&gp, 1, "$st using 1:4 with filledcurves x1 lc rgb '#7a2a2a'",
           word(r, "donors, between donations", "between organ removals"));
    series(&gp, 0, "$st using 1:3 with filledcurves x1 lc rgb '#c08552'",
           word(r, "carers, before their notice", "carers, before their own operations"));
    series(&gp, 0, "$st using 1:2 with filledcurves x1 lc rgb '#9fb8ad'",
           "students (estates, the Cottages, training)");
    hs_buf_put(&gp, "\n");
    char cap[700], t[32], s[32], c[32], d[32];
    fmt_num(t, sizeof t, last[1] + last[2] + last[3], 0);
    fmt_num(s, sizeof s, last[1], 0);
    fmt_num(c, sizeof c, last[2], 0);
    fmt_num(d, sizeof d, last[3], 0);
    snprintf(cap, sizeof cap, "At the end of %.0f, %s people were in the programme: %s "
                              "students, %s carers and %s %s; every one of them was raised "
                              "to %s.", last[0], t, s, c, d,
             word(r, "donors", "waiting for their next operation"),
             word(r, "give organs until they completed", "have organs removed until they died"));
    return draw(r, &gp, "fig-stages",
                word(r, "Donors alive, by stage", "People raised for their organs, alive, by stage"),
                cap, 0);
}

static int chart_yearly(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    long n = block(r, &gp, "y", "SELECT year, donors_created, donations, completions "
                                "FROM yearly ORDER BY year");
    double tot[3];
    if (n < 0 || row_values(r, "SELECT sum(donors_created), sum(donations), sum(completions) "
                               "FROM yearly", tot, 3) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0 || !(tot[0] > 0)) {
        hs_buf_free(&gp);
        no_chart(r, "fig-yearly", "This run has no programme: no cohorts were created.");
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "people or operations per year");
    axis_labels(&gp, "year", yl);
    series(&gp, 1, "$y using 1:2 with lines lw 2 lc rgb '#9fb8ad'",
           "created in the year's cohort");
    series(&gp, 0, "$y using 1:3 with lines lw 2 lc rgb '#c08552'",
           word(r, "donations", "operations to remove organs"));
    series(&gp, 0, "$y using 1:4 with lines lw 2.5 lc rgb '#7a2a2a'",
           word(r, "completions", "deaths"));
    hs_buf_put(&gp, "\n");
    char cap[700], a[32], b[32], c[32];
    fmt_num(a, sizeof a, tot[0], 0);
    fmt_num(b, sizeof b, tot[1], 0);
    fmt_num(c, sizeof c, tot[2], 0);
    snprintf(cap, sizeof cap, "Over the run %s children were created for the programme, "
                              "%s %s were carried out and %s %s; a cohort gives its first "
                              "organs some twenty years after it is made.", a, b,
             word(r, "donations", "operations to remove organs"), c,
             word(r, "donors completed", "of the people operated on died"));
    return draw(r, &gp, "fig-yearly",
                word(r, "Cohorts created, donations and completions each year",
                  "People created, organ-removal operations and deaths each year"),
                cap, 0);
}

/* Quantile q of sorted v[0..n-1] by linear interpolation. */
static double quantile(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    return i + 1 < n ? v[i] * (1 - f) + v[i + 1] * f : v[n - 1];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define NSTAGES 5
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
        hs_buf_printf(gp, "$lc%d << EOD\n", e);
    for (int s = 0; s < NSTAGES && rows > 0; s++) {
        if (a->n[s] == 0)
            continue;
        qsort(a->v[s], a->n[s], sizeof(double), cmp_double);
        hs_buf_printf(gp, "%d %.4f %.4f %.4f %zu\n", s, quantile(a->v[s], a->n[s], 0.5),
                      quantile(a->v[s], a->n[s], 0.25), quantile(a->v[s], a->n[s], 0.75),
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

static const char *const lc_sql =
    "SELECT estate, (julianday(left_estate) - julianday(created)) / 365.25,"
    " (julianday(became_carer) - julianday(created)) / 365.25,"
    " (julianday(became_donor) - julianday(created)) / 365.25,"
    " (julianday(donation_1) - julianday(created)) / 365.25,"
    " (julianday(completed) - julianday(created)) / 365.25"
    " FROM donors WHERE estate IN (SELECT estate FROM donors GROUP BY estate"
    " ORDER BY count(*) DESC LIMIT 8) ORDER BY estate";

/* Reads every donor once, estate by estate, into one data block per estate. */
static int life_course_blocks(struct report *r, struct hs_buf *gp, char names[][96], int *ne)
{
    sqlite3_stmt *st = NULL;
    *ne = 0;
    if (sqlite3_prepare_v2(r->db, lc_sql, -1, &st, NULL) != SQLITE_OK)
        return fail_db(r, r->dbname);
    struct ages a;
    memset(&a, 0, sizeof a);
    int rc, oom = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
        const char *est = (const char *)sqlite3_column_text(st, 0);
        est = est ? est : "unknown";
        if (*ne == 0 || strcmp(names[*ne - 1], est) != 0) {
            if (*ne > 0 && ages_block(&a, gp, *ne - 1) == 0)
                (*ne)--;              /* nobody of that estate has left it yet */
            if (*ne == MAX_SERIES)
                break;
            snprintf(names[(*ne)++], 96, "%s", est);
        }
        for (int s = 0; s < NSTAGES && !oom; s++)
            if (sqlite3_column_type(st, s + 1) != SQLITE_NULL)
                oom = ages_add(&a, s, sqlite3_column_double(st, s + 1)) != 0;
    }
    if (*ne > 0 && ages_block(&a, gp, *ne - 1) == 0)
        (*ne)--;
    for (int s = 0; s < NSTAGES; s++)
        free(a.v[s]);
    sqlite3_finalize(st);
    if (oom)
        return fail(r, HS_REPORT_ENOMEM, "out of memory", NULL);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail_db(r, r->dbname);
    return HS_REPORT_OK;
}

static int chart_life_course(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    char names[MAX_SERIES][96];
    int ne = 0;
    if (life_course_blocks(r, &gp, names, &ne) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (ne == 0) {
        hs_buf_free(&gp);
        double made[1];
        if (row_values(r, "SELECT count(*) FROM donors", made, 1) != HS_REPORT_OK)
            return r->status;
        no_chart(r, "fig-lifecourse",
                 made[0] > 0 ? word(r, "No donor had left an estate by the end of the run: "
                                       "there are no life courses to chart yet.",
                                    "Nobody raised for organs had left an estate by the end "
                                    "of the run: there are no life courses to chart yet.")
                             : "This run has no programme: there are no lives to chart.");
        return HS_REPORT_OK;
    }
    axis_labels(&gp, "stage of life", "age (years)");
    hs_buf_put(&gp, "set xrange [-0.5:4.5]\nset yrange [14:*]\n");
    const char *stages[NSTAGES] = {"left the estate", "became a carer",
                                   word(r, "notice", "ordered to surgery"),
                                   word(r, "first donation", "first organ removed"),
                                   word(r, "completed", "died")};
    tics(&gp, stages, NSTAGES);
    static const char *const colours[MAX_SERIES] = {"#1f4e79", "#7a2a2a", "#2f9e8f", "#c08552",
                                                    "#6d597a", "#555555", "#e09f3e", "#86bbd8"};
    for (int e = 0; e < ne; e++) {
        double off = (e - (ne - 1) / 2.0) * 0.09;
        char spec[128];
        snprintf(spec, sizeof spec, "$lc%d using ($1%+.3f):2:3:4 with yerrorlines lw 2 pt 7 "
                                    "ps 0.8 lc rgb '%s'", e, off, colours[e]);
        series(&gp, e == 0, spec, names[e]);
    }
    hs_buf_put(&gp, "\n");
    const char *cap = word(r, "The median age at which donors of each estate reached each stage, "
                           "with the middle half of them between the whiskers; only those who "
                           "reached a stage before the run ended are counted, so the last "
                           "stages lean young.",
                        "The median age at which the people of each estate reached each "
                        "stage, with the middle half of them between the whiskers; only "
                        "those who reached a stage before the run ended are counted, so "
                        "the age at death leans young.");
    return draw(r, &gp, "fig-lifecourse",
                word(r, "The life course of donors: age at each stage, by estate",
                  "The lives of those raised for organs: age at each stage, by estate"),
                cap, 0);
}

static int chart_by_number(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    long n = block(r, &gp, "bn", "SELECT number, count(*), 100.0 * count(*) / "
                                 "(SELECT count(*) FROM donations WHERE completed = 1) "
                                 "FROM donations WHERE completed = 1 GROUP BY number "
                                 "ORDER BY number");
    double share[2];
    if (n < 0 || row_values(r, "SELECT 100.0 * sum(number = 4) / count(*), "
                               "100.0 * sum(number < 4) / count(*) FROM donations "
                               "WHERE completed = 1", share, 2) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0) {
        hs_buf_free(&gp);
        no_chart(r, "fig-bynumber", word(r, "No donor completed in this run.",
                                      "Nobody died under the knife in this run."));
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "people");
    axis_labels(&gp, word(r, "the donation at which the donor completed",
                       "the operation at which the person died"), yl);
    hs_buf_put(&gp, "set xrange [0.4:4.6]\nset xtics 1\nset yrange [0:*]\nset offsets 0,0,"
                    "graph 0.08,0\nset boxwidth 0.6\n");
    series(&gp, 1, "$bn using 1:2 with boxes lc rgb '#7a2a2a'", word(r, "completions", "deaths"));
    hs_buf_put(&gp, ", $bn using 1:2:(sprintf('%.0f%%', $3)) with labels offset 0,0.8 notitle\n");
    char cap[700];
    if (r->plain)
        snprintf(cap, sizeof cap, "%.0f%% died at the fourth operation, which kills everyone "
                                  "who is left; %.0f%% died sooner, as Chrissie and Ruth did "
                                  "at their second.", share[0], share[1]);
    else
        snprintf(cap, sizeof cap, "%.0f%% completed at the fourth donation, which completes "
                                  "everyone who is left; %.0f%% sooner, as Chrissie and Ruth "
                                  "did at their second.", share[0], share[1]);
    return draw(r, &gp, "fig-bynumber",
                word(r, "Completions by donation number", "Deaths by operation number"), cap, 1);
}

static const char *const tenure_where =
    " FROM donors WHERE became_donor IS NOT NULL AND years_as_carer IS NOT NULL"
    " AND years_as_carer >= 0";

static int chart_tenure(struct report *r)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT CAST(years_as_carer AS INTEGER) + 0.5 AS b, count(*) %s "
                              "GROUP BY b ORDER BY b", tenure_where);
    long n = block(r, &gp, "t", sql);
    double v[3];
    snprintf(sql, sizeof sql, "SELECT count(*), 100.0 * sum(years_as_carer >= 11.5) / count(*),"
                              " max(years_as_carer) %s", tenure_where);
    if (n < 0 || row_values(r, sql, v, 3) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    double med[1] = {NAN};
    snprintf(sql, sizeof sql, "SELECT years_as_carer %s ORDER BY years_as_carer LIMIT 1 "
                              "OFFSET %ld", tenure_where, (long)(v[0] > 0 ? v[0] / 2 : 0));
    if (n > 0 && row_values(r, sql, med, 1) != HS_REPORT_OK) {
        hs_buf_free(&gp);
        return r->status;
    }
    if (n == 0) {
        hs_buf_free(&gp);
        no_chart(r, "fig-tenure", word(r, "No carer went on to donate in this run.",
                                    "No carer's own operations began in this run."));
        return HS_REPORT_OK;
    }
    char yl[128];
    scaled(r, yl, sizeof yl, "carers");
    axis_labels(&gp, "years as a carer", yl);
    double xmax = fmax(14.0, ceil(isfinite(v[2]) ? v[2] : 0) + 1);
    hs_buf_printf(&gp, "set xrange [0:%.0f]\nset yrange [0:*]\nset boxwidth 0.9\n"
                       "set arrow 1 from 12,graph 0 to 12,graph 0.92 nohead lw 2 dt 2 "
                       "lc rgb '#7a2a2a'\n"
                       "set label 1 'Kathy H.' at 12,graph 0.96 center textcolor rgb '#7a2a2a'\n",
                  xmax);
    series(&gp, 1, "$t using 1:2 with boxes lc rgb '#c08552'",
           word(r, "carers who went on to donate", "carers whose own operations began"));
    series(&gp, 0, "NaN with lines lw 2 dt 2 lc rgb '#7a2a2a'",
           "Kathy H.: almost exactly twelve years");
    hs_buf_put(&gp, "\n");
    char cap[700], m[32];
    fmt_num(m, sizeof m, med[0], 1);
    snprintf(cap, sizeof cap, "Half the carers cared for %s years or less before %s; %.1f%% "
                              "lasted as long as Kathy's twelve, a long tail, not the rule.",
             m, word(r, "their notice came", "they were sent for their own operations"), v[1]);
    return draw(r, &gp, "fig-tenure", "Carers' years of caring", cap, 1);
}

/* ---- the page ------------------------------------------------------------------------------- */

static const char *const css =
    "body{margin:0;background:#fafaf7;color:#1d1d1b;font:16px/1.55 Georgia,'DejaVu Serif',serif}"
    "main{max-width:60rem;margin:0 auto;padding:1rem 1.1rem 3rem}"
    "h1{font-size:1.7rem;line-height:1.25;margin:1.2rem 0 .3rem}"
    "h2{font-size:1.25rem;margin:2.2rem 0 .6rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}"
    ".meta{color:#555;font-size:.9rem;margin:0 0 1rem}"
    ".lede{font-size:1.05rem}"
    ".tablewrap{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font:.92rem/1.4 system-ui,'DejaVu Sans',sans-serif}"
    "th,td{padding:.35rem .5rem;border-bottom:1px solid #e2e2dc;text-align:right;vertical-align:top}"
    "th:first-child,td:first-child{text-align:left}"
    "thead th{border-bottom:2px solid #999;font-weight:600}"
    "dl{font-size:.95rem}dt{font-weight:bold;margin-top:.5rem}dd{margin:0 0 0 1.2rem}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));"
    "gap:0 1.5rem}"
    "figure{margin:1.6rem 0;grid-column:1/-1}figure.small{grid-column:auto}"
    "figure svg{display:block;box-sizing:border-box;width:100%;height:auto;background:#fff;"
    "border:1px solid #e2e2dc}"
    "figure svg [font-family]{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif}"
    "figcaption{font-size:.95rem;color:#333;margin-top:.45rem}"
    ".nochart{font-style:italic;color:#555}"
    "footer{margin-top:3rem;font-size:.85rem;color:#666}"
    ".plot{overflow-x:auto}"
    "@media (max-width:40rem){body{font-size:15px}th,td{padding:.3rem .3rem}"
    ".plot svg{min-width:600px}.small .plot svg{min-width:460px}}";

static void page_start(struct report *r, const char *title, const char *meta)
{
    hs_buf_put(&r->page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                         "<title>");
    hs_buf_html(&r->page, title);
    hs_buf_put(&r->page, "</title>\n<style>");
    hs_buf_put(&r->page, css);
    hs_buf_put(&r->page, "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>");
    hs_buf_html(&r->page, title);
    hs_buf_put(&r->page, "</h1>\n<p class=\"meta\">");
    hs_buf_html(&r->page, meta);
    hs_buf_put(&r->page, "</p>\n</header>\n");
}

static void page_end(struct report *r)
{
    hs_buf_put(&r->page, "<footer><p>Written by hailsham report from ");
    hs_buf_html(&r->page, r->dir);
    hs_buf_put(&r->page, ". Charts drawn by gnuplot. The people in these figures are "
                         "simulated; the world they come from is Kazuo Ishiguro's "
                         "<i>Never Let Me Go</i>.</p></footer>\n</main>\n</body>\n</html>\n");
}

static void paragraph(struct report *r, const char *cls, const char *text)
{
    if (cls)
        hs_buf_printf(&r->page, "<p class=\"%s\">", cls);
    else
        hs_buf_put(&r->page, "<p>");
    hs_buf_html(&r->page, text);
    hs_buf_put(&r->page, "</p>\n");
}

static void glossary(struct report *r)
{
    if (r->plain) {
        paragraph(r, NULL, "This is the plain version of the report. It does not use the "
                           "programme's own words: a death is called a death, an operation "
                           "that takes organs is called that, and the places where people "
                           "were kept between operations are called holding centres, which "
                           "is what they were.");
        return;
    }
    static const char *const terms[][2] = {
        {"complete", "to die, usually at the second, third or fourth donation; the fourth "
                     "completes everyone who is left."},
        {"donation", "an operation that removes organs from a donor."},
        {"donor", "a person created and raised so that their organs can be taken."},
        {"recovery centre", "where donors wait between operations, recovering for the next."},
        {"carer", "a donor-to-be who looks after donors for some years, until their own "
                  "notice comes."},
        {"notice", "the summons to the first donation."},
    };
    hs_buf_put(&r->page, "<h2>What the words mean</h2>\n<dl>\n");
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        hs_buf_put(&r->page, "<dt>");
        hs_buf_html(&r->page, terms[i][0]);
        hs_buf_put(&r->page, "</dt><dd>");
        hs_buf_html(&r->page, terms[i][1]);
        hs_buf_put(&r->page, "</dd>\n");
    }
    hs_buf_put(&r->page, "</dl>\n<p>Run the report with <code>--plain</code> to have these "
                         "words replaced by what they hide.</p>\n");
}

/* One row of the headline table: a summary.json key, its label in either
 * register, decimals, a factor, and whether the world without has it. */
struct headline {
    const char *key, *novel, *plain;
    int digits;
    double factor;
    int both;
};

static const struct headline headlines[] = {
    {"public_alive_end", "the public alive at the end", NULL, 0, 1, 1},
    {"life_expectancy_end", "life expectancy at birth in the last year (years)", NULL, 1, 1, 1},
    {"reached_100_total", "people who reached 100", NULL, 0, 1, 1},
    {"transplants_total", "transplants", NULL, 0, 1, 1},
    {"deaths_waiting_total", "deaths on the waiting list", NULL, 0, 1, 1},
    {"organs_wasted_total", "organs wasted: no recipient in time", NULL, 0, 1, 1},
    {"donors_created", "donors created", "people created for their organs", 0, 1, 0},
    {"donations_total", "donations", "operations to remove organs", 0, 1, 0},
    {"donors_completed", "donors completed", "of them, dead", 0, 1, 0},
    {"donors_consumed_per_year", "donors completed per year of the programme",
     "deaths per year of the programme", 1, 1, 0},
    {"donors_share_of_england", "completions per year per 100,000 of the public",
     "deaths per year per 100,000 of the public", 2, 1e5, 0},
    {"median_completion_age", "median age at completion (years)", "median age at death (years)",
     1, 1, 0},
    {"life_years_gained", "years of life gained by recipients", NULL, 0, 1, 0},
    {"life_years_per_donor", "years of life gained per donor life",
     "years of life gained by the public per life taken", 1, 1, 0},
    {"carer_years_mean", "years as a carer: mean", NULL, 1, 1, 0},
    {"carer_years_p95", "years as a carer: 95th percentile", NULL, 1, 1, 0},
    {"deferral_applications", "deferrals asked for", NULL, 0, 1, 0},
    {"deferrals_granted", "deferrals granted", NULL, 0, 1, 0},
    {"agitated_total", "donations after which the donor was agitated",
     "operations after which the person was agitated", 0, 1, 0},
    {"outbursts_total", "outbursts", NULL, 0, 1, 0},
    {"gallery_size", "works in the Gallery at the end", NULL, 0, 1, 0},
};

static const char *headline_label(const struct report *r, const struct headline *h)
{
    return r->plain && h->plain ? h->plain : h->novel;
}

static void table_cell(struct report *r, double v, int digits)
{
    char b[48];
    fmt_num(b, sizeof b, v, digits);
    hs_buf_printf(&r->page, "<td>%s</td>", b);
}

static void headline_table(struct report *r)
{
    const json_t *h = json_object_get(r->summary, "headline");
    const json_t *b = json_object_get(r->summary, "baseline");
    int base = json_is_object(b);
    hs_buf_put(&r->page, "<h2>Headline figures</h2>\n<div class=\"tablewrap\"><table>\n"
                         "<thead><tr><th></th><th>with the programme</th>");
    if (base)
        hs_buf_put(&r->page, "<th>without the programme</th>");
    hs_buf_put(&r->page, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < sizeof headlines / sizeof headlines[0]; i++) {
        const struct headline *x = &headlines[i];
        hs_buf_put(&r->page, "<tr><td>");
        hs_buf_html(&r->page, headline_label(r, x));
        hs_buf_put(&r->page, "</td>");
        table_cell(r, jnum(h, x->key) * x->factor, x->digits);
        if (base) {
            if (x->both)
                table_cell(r, jnum(b, x->key) * x->factor, x->digits);
            else
                hs_buf_put(&r->page, "<td></td>");
        }
        hs_buf_put(&r->page, "</tr>\n");
    }
    const json_t *d = json_object_get(r->summary, "with_vs_without");
    if (json_is_object(d)) {
        hs_buf_put(&r->page, "<tr><td>deaths on the waiting list avoided</td>");
        table_cell(r, jnum(d, "deaths_waiting_avoided"), 0);
        hs_buf_put(&r->page, base ? "<td></td></tr>\n" : "</tr>\n");
    }
    hs_buf_put(&r->page, "</tbody>\n</table></div>\n");
    char s[600], y[32], m[32];
    fmt_num(y, sizeof y, jnum(h, "life_years_per_donor"), 1);
    fmt_num(m, sizeof m, jnum(h, "median_completion_age"), 1);
    if (jnum(h, "donors_completed") > 0) {
        if (r->plain)
            snprintf(s, sizeof s, "For every life the programme took, the public gained %s "
                                  "years of life; the people it was taken from died at a "
                                  "median age of %s.", y, m);
        else
            snprintf(s, sizeof s, "For every donor life the programme took, the public gained "
                                  "%s years of life; the donors themselves completed at a "
                                  "median age of %s.", y, m);
        paragraph(r, "lede", s);
    }
}

static int run_report(struct report *r)
{
    const char *scen = json_string_value(json_object_get(r->summary, "scenario"));
    char title[300], meta[400], sc[32];
    double seed = jnum(r->summary, "seed");
    snprintf(title, sizeof title, "The donation programme: %s", scen ? scen : "a run");
    if (r->plain)
        snprintf(title, sizeof title, "The organ programme, in plain words: %s",
                 scen ? scen : "a run");
    fmt_num(sc, sizeof sc, isfinite(r->scale) && r->scale > 0 ? 1 / r->scale : NAN, 0);
    snprintf(meta, sizeof meta, "hailsham %s \xc2\xb7 seed %.0f \xc2\xb7 scale %g: one "
                                "person in the run stands for %s in England",
             json_string_value(json_object_get(r->summary, "version")) ?
                 json_string_value(json_object_get(r->summary, "version")) : "?",
             seed, r->scale, sc);
    if (isfinite(r->scale) && r->scale != 1)
        snprintf(r->scale_note, sizeof r->scale_note, " (run at scale %g)", r->scale);
    page_start(r, title, meta);
    if (!(jnum(json_object_get(r->summary, "headline"), "donors_created") > 0))
        paragraph(r, "lede", "This run has no programme: it is England with organs only from "
                             "those who died and from living people who chose to give one. "
                             "It is the world the programme's worlds are measured against.");
    else
        paragraph(r, "lede",
                  word(r, "This report sets what the programme gave the public beside what it "
                       "took from the donors. In the novel's words a donor completes; here, "
                       "as there, that means a young person has died so that others may live "
                       "longer.",
                    "This report sets what the programme gave the public beside what it took "
                    "from the people raised for their organs. Each death counted here is of "
                    "a young person who was made and raised so that others might live "
                    "longer."));
    headline_table(r);
    glossary(r);
    hs_buf_put(&r->page, "<h2>The public</h2>\n<div class=\"charts\">\n");
    if (chart_life_expectancy(r) || chart_reached_100(r) || chart_waiting(r) ||
        chart_wait_deaths(r))
        return r->status;
    hs_buf_printf(&r->page, "</div>\n<h2>%s</h2>\n<div class=\"charts\">\n",
                  word(r, "The donors", "The people raised for their organs"));
    if (chart_stages(r) || chart_yearly(r) || chart_life_course(r) || chart_by_number(r) ||
        chart_tenure(r))
        return r->status;
    hs_buf_put(&r->page, "</div>\n");
    page_end(r);
    return r->page.failed ? fail(r, HS_REPORT_ENOMEM, "out of memory", NULL) : HS_REPORT_OK;
}

/* ---- experiments ----------------------------------------------------------------------------- */

/* A sweep point's name: the values it sets ("0.5", or "a=1, b=2"). */
struct exp_info {
    const json_t *points;
    size_t npoints;
    const char *key;          /* the one key every point sets, or NULL */
    double reps;
    int from_reps;            /* yearly figures from the replications' rows */
};

/* The number by which experiment.sqlite knows point i: its "point" member,
 * or its place in the list. */
static long point_id(const struct exp_info *x, size_t i)
{
    const json_t *p = json_object_get(json_array_get(x->points, i), "point");
    return json_is_integer(p) ? (long)json_integer_value(p) : (long)i;
}

/* A figure's interval ends, by either of the names experiments use. */
static double ci_end(const json_t *f, const char *end)
{
    char a[16], b[16];
    snprintf(a, sizeof a, "ci_%s", end);
    snprintf(b, sizeof b, "ci95_%s", end);
    double v = jnum(f, a);
    return isnan(v) ? jnum(f, b) : v;
}

static void value_text(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_number(v))
        snprintf(buf, n, "%g", json_number_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
    else
        snprintf(buf, n, "?");
}

static void point_label(const struct exp_info *x, size_t i, char *buf, size_t n)
{
    const json_t *vals = json_object_get(json_array_get(x->points, i), "values");
    buf[0] = '\0';
    if (!json_is_object(vals) || json_object_size(vals) == 0) {
        if (x->npoints == 1)
            snprintf(buf, n, "the scenario");
        else
            snprintf(buf, n, "point %zu", i + 1);
        return;
    }
    size_t used = 0;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)vals, k, v) {
        char t[128];
        value_text(v, t, sizeof t);
        int w = x->key ? snprintf(buf + used, n - used, "%s", t)
                       : snprintf(buf + used, n - used, "%s%s=%s", used ? ", " : "", k, t);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

/* The key every point sets, when there is exactly one. */
static const char *single_key(const json_t *points)
{
    const char *key = NULL;
    size_t i;
    const json_t *p;
    json_array_foreach(points, i, p) {
        const json_t *vals = json_object_get(p, "values");
        if (!json_is_object(vals) || json_object_size(vals) != 1)
            return NULL;
        const char *k = json_object_iter_key(json_object_iter((json_t *)vals));
        if (key && strcmp(key, k) != 0)
            return NULL;
        key = k;
    }
    return key;
}

/* Plain words for a figure name that the headline table does not know. */
static void plain_name(const char *name, int plain, char *buf, size_t n)
{
    static const char *const swap[][2] = {
        {"donors", "people raised for organs"}, {"donor", "person raised for organs"},
        {"donations", "organ removals"}, {"donation", "organ removal"},
        {"completions", "deaths"}, {"completed", "dead"}, {"completion", "death"},
        {"complete", "die"}, {"recovery centre", "holding centre"},
    };
    size_t o = 0;
    for (const char *s = name; *s && o + 1 < n;) {
        size_t k, m = sizeof swap / sizeof swap[0];
        for (k = 0; plain && k < m; k++)
            if (strncmp(s, swap[k][0], strlen(swap[k][0])) == 0)
                break;
        if (plain && k < m) {
            int w = snprintf(buf + o, n - o, "%s", swap[k][1]);
            o = w < 0 ? o : fmin((double)(o + (size_t)w), (double)(n - 1));
            s += strlen(swap[k][0]);
        } else {
            buf[o++] = *s == '_' ? ' ' : *s;
            s++;
        }
    }
    buf[o] = '\0';
}

/* Figures an experiment reports that the run's table leaves out. */
static const struct headline more_figures[] = {
    {"life_expectancy_mean", "life expectancy at birth, mean over the years (years)", NULL, 1,
     1, 0},
    {"mean_donations_per_donor", "donations per donor", "operations per person raised for organs",
     2, 1, 0},
    {"transplants_programme", "transplants of the programme's organs", NULL, 0, 1, 0},
    {"donors_without_carer_total", "donors who went without a carer",
     "people who went without a carer between operations", 0, 1, 0},
};

static void figure_label(const struct report *r, const char *name, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof headlines / sizeof headlines[0]; i++)
        if (!strcmp(headlines[i].key, name)) {
            snprintf(buf, n, "%s", headline_label(r, &headlines[i]));
            return;
        }
    for (size_t i = 0; i < sizeof more_figures / sizeof more_figures[0]; i++)
        if (!strcmp(more_figures[i].key, name)) {
            snprintf(buf, n, "%s", headline_label(r, &more_figures[i]));
            return;
        }
    plain_name(name, r->plain, buf, n);
}

static int exp_fail(struct report *r, const char *why)
{
    char what[4400];
    snprintf(what, sizeof what, "%s/experiment.json %s", r->dir, why);
    return fail(r, HS_REPORT_EDATA, what, NULL);
}

static int exp_check(struct report *r, struct exp_info *x)
{
    /* "points" is the list in the first description of the format and a
     * count in the written one, whose list is "results" */
    x->points = json_object_get(r->exp, "points");
    if (!json_is_array(x->points))
        x->points = json_object_get(r->exp, "results");
    if (!json_is_array(x->points) || json_array_size(x->points) == 0)
        return exp_fail(r, "has no sweep points");
    x->npoints = json_array_size(x->points);
    size_t i;
    const json_t *p;
    json_array_foreach(x->points, i, p) {
        if (!json_is_object(p) || !json_is_object(json_object_get(p, "figures")))
            return exp_fail(r, "has a point without figures");
    }
    x->key = single_key(x->points);
    x->reps = jnum(r->exp, "replications");
    return HS_REPORT_OK;
}

static void ci_cell(struct report *r, const json_t *f, double factor, int digits)
{
    char m[48], lo[48], hi[48];
    fmt_num(m, sizeof m, jnum(f, "mean") * factor, digits);
    fmt_num(lo, sizeof lo, ci_end(f, "low") * factor, digits);
    fmt_num(hi, sizeof hi, ci_end(f, "high") * factor, digits);
    hs_buf_printf(&r->page, "<td>%s<br><small>%s \xe2\x80\x93 %s</small></td>", m, lo, hi);
}

static double figure_factor(const char *name)
{
    for (size_t i = 0; i < sizeof headlines / sizeof headlines[0]; i++)
        if (!strcmp(headlines[i].key, name))
            return headlines[i].factor;
    return 1;
}

static int figure_digits(const char *name)
{
    for (size_t i = 0; i < sizeof headlines / sizeof headlines[0]; i++)
        if (!strcmp(headlines[i].key, name))
            return headlines[i].digits;
    for (size_t i = 0; i < sizeof more_figures / sizeof more_figures[0]; i++)
        if (!strcmp(more_figures[i].key, name))
            return more_figures[i].digits;
    return 2;
}

static void exp_table(struct report *r, const struct exp_info *x)
{
    hs_buf_put(&r->page, "<h2>Headline figures</h2>\n<p>The mean over the replications at "
                         "each point, with its 95% confidence interval below it.</p>\n"
                         "<div class=\"tablewrap\"><table>\n<thead><tr><th></th>");
    for (size_t i = 0; i < x->npoints; i++) {
        char l[256];
        point_label(x, i, l, sizeof l);
        hs_buf_put(&r->page, "<th>");
        hs_buf_html(&r->page, l);
        hs_buf_put(&r->page, "</th>");
    }
    hs_buf_put(&r->page, "</tr></thead>\n<tbody>\n");
    const json_t *figs0 = json_object_get(json_array_get(x->points, 0), "figures");
    const char *name;
    const json_t *f0;
    json_object_foreach((json_t *)figs0, name, f0) {
        char label[256];
        figure_label(r, name, label, sizeof label);
        hs_buf_put(&r->page, "<tr><td>");
        hs_buf_html(&r->page, label);
        hs_buf_put(&r->page, "</td>");
        for (size_t i = 0; i < x->npoints; i++)
            ci_cell(r, json_object_get(json_object_get(json_array_get(x->points, i), "figures"),
                                       name), figure_factor(name), figure_digits(name));
        hs_buf_put(&r->page, "</tr>\n");
    }
    hs_buf_put(&r->page, "</tbody>\n</table></div>\n");
}

/* The sweep's effect on one headline figure: its mean and interval at
 * every point. */
static int exp_figure_chart(struct report *r, const struct exp_info *x, const char *name)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    hs_buf_put(&gp, "$f << EOD\n");
    double lo = INFINITY, hi = -INFINITY;
    size_t lo_i = 0, hi_i = 0, have = 0, longest = 0;
    for (size_t i = 0; i < x->npoints; i++) {
        const json_t *f = json_object_get(json_object_get(json_array_get(x->points, i),
                                                          "figures"), name);
        double k = figure_factor(name);
        double m = jnum(f, "mean") * k, a = ci_end(f, "low") * k, b = ci_end(f, "high") * k;
        char l[256];
        point_label(x, i, l, sizeof l);
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
        point_label(x, i, l, sizeof l);
        hs_buf_put(&gp, i ? ", " : "");
        hs_buf_gptic(&gp, l);
        hs_buf_printf(&gp, " %zu", i);
    }
    hs_buf_put(&gp, ")\n");
    char label[256], id[300], title[400], cap[1400], leg[160];
    figure_label(r, name, label, sizeof label);
    snprintf(id, sizeof id, "fig-x-%s", name);
    for (char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            *c = '-';
    if (have == 0) {
        hs_buf_free(&gp);
        snprintf(cap, sizeof cap, "No point of the experiment has a value for %s.", label);
        no_chart(r, id, cap);
        return HS_REPORT_OK;
    }
    snprintf(title, sizeof title, "%s", label);
    title[0] = (char)toupper((unsigned char)title[0]);
    axis_labels(&gp, x->key ? x->key : "sweep point", label);
    hs_buf_printf(&gp, "set xrange [-0.5:%zu.5]\nset offsets 0,0,graph 0.1,graph 0.1\n",
                  x->npoints - 1);
    if (longest > 8)
        hs_buf_put(&gp, "set xtics rotate by -20\n");
    snprintf(leg, sizeof leg, "mean of %.0f replications, 95%% interval", x->reps);
    series(&gp, 1, x->key ? "$f using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.9 lc rgb '#1f4e79'"
                          : "$f using 1:2:3:4 with yerrorbars lw 2 pt 7 ps 0.9 lc rgb '#1f4e79'",
           leg);
    hs_buf_put(&gp, "\n");
    char a[32], b[32], la[256], lb[256];
    fmt_num(a, sizeof a, lo, figure_digits(name));
    fmt_num(b, sizeof b, hi, figure_digits(name));
    point_label(x, lo_i, la, sizeof la);
    point_label(x, hi_i, lb, sizeof lb);
    if (x->npoints > 1 && strcmp(a, b) != 0)
        snprintf(cap, sizeof cap, "How %s moves across the sweep: lowest at %s (%s), highest "
                                  "at %s (%s); each bar is the 95%% confidence interval its "
                                  "replications allow.", label, la, a, lb, b);
    else if (x->npoints > 1)
        snprintf(cap, sizeof cap, "%s is %s at every point of the sweep, within the 95%% "
                                  "confidence intervals shown.", title, a);
    else
        snprintf(cap, sizeof cap, "The mean of %s over the replications, %s, with its 95%% "
                                  "confidence interval.", label, a);
    return draw(r, &gp, id, title, cap, 1);
}

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

static const char *const band_colours[MAX_SERIES] = {"#1f4e79", "#7a2a2a", "#2f9e8f", "#c08552",
                                                     "#6d597a", "#555555", "#e09f3e", "#86bbd8"};

/* The label of the point experiment.sqlite calls `point`. */
static void label_of_id(const struct exp_info *x, long point, char *buf, size_t n)
{
    for (size_t i = 0; i < x->npoints; i++)
        if (point_id(x, i) == point) {
            char v[200];
            point_label(x, i, v, sizeof v);
            if (x->key)
                snprintf(buf, n, "%s = %s", x->key, v);
            else
                snprintf(buf, n, "%s", v);
            return;
        }
    snprintf(buf, n, "point %ld", point);
}

/* One point's years of one column from yearly_stats, as written. */
static long stats_block(struct report *r, struct hs_buf *gp, const char *name, long point,
                        const char *column)
{
    char *sql = sqlite3_mprintf("SELECT year, mean, ci_low, ci_high FROM yearly_stats "
                                "WHERE point = %ld AND \"column\" = %Q ORDER BY year",
                                point, column);
    if (sql == NULL) {
        fail(r, HS_REPORT_ENOMEM, "out of memory", NULL);
        return -1;
    }
    long n = block(r, gp, name, sql);
    sqlite3_free(sql);
    return n;
}

/* One point's years of one column from the replications' own rows: the
 * mean and its 95% Student-t interval, computed here. */
static long reps_block(struct report *r, struct hs_buf *gp, const char *name, long point,
                       const char *column)
{
    char *sql = sqlite3_mprintf("SELECT year, avg(\"%w\"), avg(\"%w\" * \"%w\"), count(\"%w\") "
                                "FROM yearly WHERE point = %ld GROUP BY year ORDER BY year",
                                column, column, column, column, point);
    sqlite3_stmt *st = NULL;
    if (sql == NULL || sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(sql);
        if (sql == NULL)
            fail(r, HS_REPORT_ENOMEM, "out of memory", NULL);
        else
            fail_db(r, r->dbname);
        return -1;
    }
    sqlite3_free(sql);
    hs_buf_printf(gp, "$%s << EOD\n", name);
    long rows = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        double m = sqlite3_column_double(st, 1), m2 = sqlite3_column_double(st, 2);
        double k = (double)sqlite3_column_int64(st, 3);
        double hw = 0;
        if (k >= 2) {
            double var = fmax(0, m2 - m * m) * k / (k - 1);
            hw = hs_student_t_quantile(0.975, k - 1) * sqrt(var / k);
        }
        if (k >= 1)
            hs_buf_printf(gp, "%d %.10g %.10g %.10g\n", sqlite3_column_int(st, 0), m, m - hw,
                          m + hw);
        rows++;
    }
    sqlite3_finalize(st);
    hs_buf_put(gp, "EOD\n");
    if (rc != SQLITE_DONE) {
        fail_db(r, r->dbname);
        return -1;
    }
    return rows;
}

static int exp_yearly_chart(struct report *r, const struct exp_info *x,
                            const struct exp_yearly *y, const long *pts, int np)
{
    struct hs_buf gp;
    hs_buf_init(&gp);
    long rows = 0;
    for (int i = 0; i < np; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        long n = x->from_reps ? reps_block(r, &gp, name, pts[i], y->column)
                              : stats_block(r, &gp, name, pts[i], y->column);
        if (n < 0) {
            hs_buf_free(&gp);
            return r->status;
        }
        rows += n;
    }
    if (rows == 0) {
        hs_buf_free(&gp);
        return HS_REPORT_OK;         /* the experiment did not record this figure */
    }
    char yl[160];
    if (y->counts)
        scaled(r, yl, sizeof yl, y->ylabel);
    else
        snprintf(yl, sizeof yl, "%s", y->ylabel);
    axis_labels(&gp, "year", yl);
    if (y->counts)
        hs_buf_put(&gp, "set yrange [0:*]\n");    /* a band below zero people means nothing */
    hs_buf_put(&gp, "set style fill transparent solid 0.18 noborder\nplot ");
    for (int i = 0; i < np; i++) {
        char l[512];
        label_of_id(x, pts[i], l, sizeof l);
        hs_buf_printf(&gp, "%s$p%d using 1:3:4 with filledcurves lc rgb '%s' notitle, "
                           "$p%d using 1:2 with lines lw 2 lc rgb '%s' title ",
                      i ? ", " : "", i, band_colours[i], i, band_colours[i]);
        hs_buf_gpstr(&gp, l);
    }
    series(&gp, 0, "NaN with boxes lc rgb '#888888'", "95% confidence band");
    hs_buf_put(&gp, "\n");
    char cap[600], id[64];
    snprintf(id, sizeof id, "fig-e-%s", y->column);
    for (char *c = id; *c; c++)
        if (*c == '_')
            *c = '-';
    const char *title = r->plain && y->plain ? y->plain : y->novel;
    snprintf(cap, sizeof cap, "%s: the mean of %.0f replications at each point of the sweep, "
                              "inside its 95%% confidence band.", title, x->reps);
    return draw(r, &gp, id, title, cap, 0);
}

/* The points that have yearly rows, at most MAX_SERIES of them. */
static int exp_points(struct report *r, const struct exp_info *x, long *pts, int *np)
{
    sqlite3_stmt *st = NULL;
    const char *sql = x->from_reps ? "SELECT DISTINCT point FROM yearly ORDER BY point LIMIT 8"
                                   : "SELECT DISTINCT point FROM yearly_stats ORDER BY point "
                                     "LIMIT 8";
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail_db(r, r->dbname);
    int rc;
    *np = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *np < MAX_SERIES)
        pts[(*np)++] = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? HS_REPORT_OK : fail_db(r, r->dbname);
}

/* Which table gives the yearly figures: yearly_stats (means and intervals
 * as written) or yearly (one row per replication); 0 if neither. */
static int exp_yearly_source(struct report *r, struct exp_info *x, int *found)
{
    static const char *const stats_cols[] = {"point", "year", "column", "mean", "ci_low",
                                             "ci_high", NULL};
    static const char *const rep_cols[] = {"point", "replication", "year", NULL};
    int stats = 0, reps = 0;
    *found = 0;
    if (table_exists(r, "yearly_stats", &stats) != HS_REPORT_OK ||
        (!stats && table_exists(r, "yearly", &reps) != HS_REPORT_OK))
        return r->status;
    if (stats && need_columns(r, "yearly_stats", stats_cols) != HS_REPORT_OK)
        return r->status;
    if (reps && need_columns(r, "yearly", rep_cols) != HS_REPORT_OK)
        return r->status;
    x->from_reps = !stats && reps;
    *found = stats || reps;
    return HS_REPORT_OK;
}

/* The scale, from experiment.json or else the parameters of the first point. */
static void exp_scale(struct report *r)
{
    r->scale = jnum(r->exp, "scale");
    int exists = 0;
    if (isnan(r->scale) && r->db && table_exists(r, "parameters", &exists) == HS_REPORT_OK &&
        exists) {
        double v[1];
        if (row_values(r, "SELECT CAST(value AS REAL) FROM parameters WHERE key IN "
                          "('run.scale', 'scenario.scale') ORDER BY key = 'run.scale' DESC, "
                          "point LIMIT 1", v, 1) == HS_REPORT_OK)
            r->scale = v[0];
    }
    if (isfinite(r->scale) && r->scale != 1)
        snprintf(r->scale_note, sizeof r->scale_note, " (run at scale %g)", r->scale);
}

/* Open experiment.sqlite when it is there (r->db stays NULL if not). */
static int exp_open_db(struct report *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/experiment.sqlite", r->dir);
    r->dbname = "experiment.sqlite";
    if (access(path, F_OK) != 0)
        return HS_REPORT_OK;
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return fail_db(r, r->dbname);
    return HS_REPORT_OK;
}

/* The yearly charts, when experiment.sqlite is there to give them. */
static int exp_yearly_charts(struct report *r, struct exp_info *x)
{
    int found = 0;
    if (r->db == NULL) {
        paragraph(r, "nochart", "This experiment has no experiment.sqlite, so there are no "
                                "year-by-year charts.");
        return HS_REPORT_OK;
    }
    if (exp_yearly_source(r, x, &found) != HS_REPORT_OK)
        return r->status;
    if (!found) {
        paragraph(r, "nochart", "This experiment recorded no year-by-year figures.");
        return HS_REPORT_OK;
    }
    long pts[MAX_SERIES];
    int np = 0;
    if (exp_points(r, x, pts, &np) != HS_REPORT_OK)
        return r->status;
    if (np < (int)x->npoints && x->npoints > MAX_SERIES)
        paragraph(r, NULL, "The year-by-year charts show the first eight points of the sweep.");
    for (size_t i = 0; i < sizeof exp_yearlies / sizeof exp_yearlies[0]; i++)
        if (exp_yearly_chart(r, x, &exp_yearlies[i], pts, np) != HS_REPORT_OK)
            return r->status;
    return HS_REPORT_OK;
}

static int experiment_report(struct report *r)
{
    r->exp = load_json(r, "experiment.json");
    struct exp_info x;
    memset(&x, 0, sizeof x);
    if (r->exp == NULL || exp_check(r, &x) != HS_REPORT_OK)
        return r->status;
    const char *scen = json_string_value(json_object_get(r->exp, "scenario"));
    if (exp_open_db(r) != HS_REPORT_OK)
        return r->status;
    exp_scale(r);
    if (r->status != HS_REPORT_OK)
        return r->status;
    char title[300], meta[400];
    snprintf(title, sizeof title, r->plain ? "An experiment on the organ programme, in plain "
                                             "words: %s" : "An experiment on the donation "
                                                           "programme: %s",
             scen ? scen : "a scenario");
    snprintf(meta, sizeof meta, "%zu point%s, %.0f replications each%s%s", x.npoints,
             x.npoints == 1 ? "" : "s", x.reps, x.key ? "; the sweep varies " : "",
             x.key ? x.key : "");
    page_start(r, title, meta);
    paragraph(r, "lede", word(r, "Each point of this experiment is the same world run many times "
                              "with different random streams; the bands and bars say how far "
                              "chance alone moves each figure. Every completion counted is a "
                              "donor's death.",
                           "Each point of this experiment is the same world run many times "
                           "with different random streams; the bands and bars say how far "
                           "chance alone moves each figure. Every death counted is of a "
                           "person raised for their organs."));
    exp_table(r, &x);
    hs_buf_put(&r->page, "<h2>Year by year</h2>\n<div class=\"charts\">\n");
    if (exp_yearly_charts(r, &x) != HS_REPORT_OK)
        return r->status;
    hs_buf_put(&r->page, "</div>\n<h2>The sweep's effect on each headline figure</h2>\n"
                         "<div class=\"charts\">\n");
    const json_t *figs0 = json_object_get(json_array_get(x.points, 0), "figures");
    const char *name;
    const json_t *f0;
    json_object_foreach((json_t *)figs0, name, f0) {
        if (exp_figure_chart(r, &x, name) != HS_REPORT_OK)
            return r->status;
    }
    hs_buf_put(&r->page, "</div>\n");
    page_end(r);
    return r->page.failed ? fail(r, HS_REPORT_ENOMEM, "out of memory", NULL) : HS_REPORT_OK;
}

/* ---- writing -------------------------------------------------------------------------------- */

static int write_atomic(struct report *r, const char *out)
{
    size_t n = strlen(out) + 32;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return fail(r, HS_REPORT_ENOMEM, "out of memory", NULL);
    snprintf(tmp, n, "%s.tmp-%ld", out, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int bad = f == NULL;
    if (!bad) {
        bad = fwrite(r->page.s, 1, r->page.len, f) != r->page.len;
        bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
    }
    if (!bad && rename(tmp, out) != 0)
        bad = 1;
    int saved = errno;
    if (bad) {
        unlink(tmp);
        char what[4400];
        snprintf(what, sizeof what, "cannot write %s", out);
        fail(r, HS_REPORT_EWRITE, what, strerror(saved));
    }
    free(tmp);
    return r->status;
}

static int check_dir(struct report *r)
{
    struct stat st;
    if (stat(r->dir, &st) != 0) {
        char what[4300];
        snprintf(what, sizeof what, "%s: no such run directory", r->dir);
        return fail(r, HS_REPORT_EDATA, what, NULL);
    }
    if (!S_ISDIR(st.st_mode)) {
        char what[4300];
        snprintf(what, sizeof what, "%s is not a directory (give the directory of a run)",
                 r->dir);
        return fail(r, HS_REPORT_EDATA, what, NULL);
    }
    return HS_REPORT_OK;
}

int hs_report_write_to(const char *dir, const char *out, int plain, char *err, size_t errlen)
{
    struct report r;
    memset(&r, 0, sizeof r);
    r.dir = dir;
    r.plain = plain;
    r.err = err;
    r.errlen = errlen;
    r.scale = NAN;
    r.dbname = "run.sqlite";
    if (errlen)
        err[0] = '\0';
    hs_buf_init(&r.page);
    if (check_dir(&r) == HS_REPORT_OK) {
        char path[4200];
        snprintf(path, sizeof path, "%s/experiment.json", dir);
        if (access(path, F_OK) == 0)
            experiment_report(&r);
        else if (open_run(&r) == HS_REPORT_OK)
            run_report(&r);
    }
    if (r.status == HS_REPORT_OK)
        write_atomic(&r, out);
    hs_buf_free(&r.page);
    if (r.db)
        sqlite3_close(r.db);
    json_decref(r.summary);
    json_decref(r.exp);
    return r.status;
}

int hs_report_write(const char *dir, int plain, char *err, size_t errlen)
{
    size_t n = strlen(dir) + sizeof "/report.html";
    char *out = malloc(n);
    if (out == NULL) {
        snprintf(err, errlen, "out of memory");
        return HS_REPORT_ENOMEM;
    }
    snprintf(out, n, "%s/report.html", dir);
    int rc = hs_report_write_to(dir, out, plain, err, errlen);
    free(out);
    return rc;
}
