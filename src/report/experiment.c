/* SPDX-License-Identifier: MIT
 *
 * experiment.c - reading an experiment directory for the report:
 * experiment.json and experiment.sqlite exactly as `hailsham experiment`
 * writes them (src/experiment/write.c), never written to.
 *
 * experiment.json gives the sweep: under "results" one object per point
 * with its number ("point"), the values it sets ("values", each a string)
 * and the statistics of every headline figure ("figures": mean, sd, n and
 * the interval ends ci95_low and ci95_high).  experiment.sqlite gives the
 * scale (its "parameters" table, key scenario.scale) and the years: one
 * row per point, replication and year in its "yearly" table, from which
 * the mean of each yearly figure and its 95% Student-t interval are
 * computed here.  Without experiment.sqlite the report has the headline
 * figures and no year-by-year charts.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <hailsham/stats.h>

static int exp_fail(struct report *r, const char *why)
{
    char what[4400];
    snprintf(what, sizeof what, "%s/experiment.json %s", r->dir, why);
    return rp_fail(r, HS_REPORT_EDATA, what, NULL);
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

static int check_json(struct report *r, struct exp_info *x)
{
    x->points = json_object_get(r->exp, "results");
    if (!json_is_array(x->points) || json_array_size(x->points) == 0)
        return exp_fail(r, "has no sweep points");
    x->npoints = json_array_size(x->points);
    size_t i;
    const json_t *p;
    json_array_foreach(x->points, i, p) {
        if (!json_is_object(p) || !json_is_object(json_object_get(p, "figures")))
            return exp_fail(r, "has a point without figures");
        if (!json_is_integer(json_object_get(p, "point")))
            return exp_fail(r, "has a point without its number");
    }
    x->key = single_key(x->points);
    x->reps = rp_jnum(r->exp, "replications");
    return HS_REPORT_OK;
}

/* experiment.sqlite when it is there (r->db stays NULL if not); the scale
 * from its parameters, and the points that have yearly rows. */
static int open_db(struct report *r, struct exp_info *x)
{
    static const char *const yearly_cols[] = {"point", "replication", "year", NULL};
    char path[4200];
    snprintf(path, sizeof path, "%s/experiment.sqlite", r->dir);
    r->dbname = "experiment.sqlite";
    if (access(path, F_OK) != 0)
        return HS_REPORT_OK;
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return rp_fail_db(r);
    if (rp_check_format(r, NULL, "experiment.sqlite") != HS_REPORT_OK)
        return r->status;
    x->has_db = 1;
    int exists = 0;
    if (rp_table_exists(r, "parameters", &exists) != HS_REPORT_OK)
        return r->status;
    double v[1];
    if (exists && rp_row_values(r, "SELECT CAST(value AS REAL) FROM parameters WHERE key = "
                                   "'scenario.scale' ORDER BY point LIMIT 1", v, 1) == HS_REPORT_OK)
        r->scale = v[0];
    if (isfinite(r->scale) && r->scale != 1)
        snprintf(r->scale_note, sizeof r->scale_note, " (run at scale %g)", r->scale);
    if (r->status != HS_REPORT_OK ||
        rp_table_exists(r, "yearly", &x->has_yearly) != HS_REPORT_OK ||
        (x->has_yearly && rp_need_columns(r, "yearly", yearly_cols) != HS_REPORT_OK))
        return r->status;
    if (!x->has_yearly)
        return HS_REPORT_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT DISTINCT point FROM yearly ORDER BY point LIMIT 8", -1,
                           &st, NULL) != SQLITE_OK)
        return rp_fail_db(r);
    int rc;
    x->np = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && x->np < MAX_SERIES)
        x->pts[x->np++] = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? HS_REPORT_OK : rp_fail_db(r);
}

int rp_open_experiment(struct report *r, struct exp_info *x)
{
    memset(x, 0, sizeof *x);
    r->exp = rp_load_json(r, "experiment.json");
    if (r->exp == NULL || rp_check_format(r, r->exp, "experiment.json") != HS_REPORT_OK ||
        check_json(r, x) != HS_REPORT_OK)
        return r->status;
    return open_db(r, x);
}

const json_t *rp_exp_figure(const struct exp_info *x, size_t i, const char *name)
{
    return json_object_get(json_object_get(json_array_get(x->points, i), "figures"), name);
}

/* A swept key as a label names it: its last part ("caseload" for
 * programme.carers.caseload), or its last two when another key of the
 * point ends the same way. */
static const char *short_key(const json_t *vals, const char *key)
{
    const char *last = strrchr(key, '.');
    if (last == NULL)
        return key;
    last++;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)vals, k, v) {
        const char *l = strrchr(k, '.');
        if (k != key && strcmp(l ? l + 1 : k, last) == 0) {
            const char *two = last - 1;   /* at the dot before the last part */
            while (two > key && two[-1] != '.')
                two--;
            return two;
        }
    }
    return last;
}

void rp_point_label(const struct exp_info *x, size_t i, char *buf, size_t n)
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
        const char *t = json_is_string(v) ? json_string_value(v) : "?";
        int w = x->key ? snprintf(buf + used, n - used, "%s", t)
                       : snprintf(buf + used, n - used, "%s%s %s", used ? ", " : "",
                                  short_key(vals, k), t);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

size_t rp_point_keys(const struct exp_info *x)
{
    return json_object_size(json_object_get(json_array_get(x->points, 0), "values"));
}

int rp_point_part(const struct exp_info *x, long point, size_t key, char *buf, size_t n)
{
    for (size_t i = 0; i < x->npoints; i++) {
        const json_t *pt = json_array_get(x->points, i);
        if (json_integer_value(json_object_get(pt, "point")) != point)
            continue;
        const json_t *vals = json_object_get(pt, "values");
        const char *k;
        const json_t *v;
        size_t at = 0;
        json_object_foreach((json_t *)vals, k, v) {
            if (at++ != key)
                continue;
            snprintf(buf, n, "%s %s", short_key(vals, k),
                     json_is_string(v) ? json_string_value(v) : "?");
            return 0;
        }
    }
    return -1;
}

void rp_point_legend(const struct exp_info *x, long point, char *buf, size_t n)
{
    for (size_t i = 0; i < x->npoints; i++)
        if (json_integer_value(json_object_get(json_array_get(x->points, i), "point")) ==
            point) {
            char v[200];
            rp_point_label(x, i, v, sizeof v);
            if (x->key)
                snprintf(buf, n, "%s = %s", x->key, v);
            else
                snprintf(buf, n, "%s", v);
            return;
        }
    snprintf(buf, n, "point %ld", point);
}

long rp_exp_year_block(struct report *r, struct hs_buf *gp, const char *name, long point,
                       const char *column)
{
    char *sql = sqlite3_mprintf("SELECT year, avg(\"%w\"), avg(\"%w\" * \"%w\"), count(\"%w\") "
                                "FROM yearly WHERE point = %ld GROUP BY year ORDER BY year",
                                column, column, column, column, point);
    sqlite3_stmt *st = NULL;
    if (sql == NULL || sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(sql);
        if (sql == NULL)
            rp_fail_oom(r);
        else
            rp_fail_db(r);
        return -1;
    }
    sqlite3_free(sql);
    hs_buf_printf(gp, "$%s << EOD\n# year mean ci95_low ci95_high\n", name);
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
        rp_fail_db(r);
        return -1;
    }
    return rows;
}
