/* SPDX-License-Identifier: MIT
 *
 * run.c - reading a run directory for the report: summary.json and
 * run.sqlite, as `hailsham run` writes them, never written to.
 *
 * A run is checked before anything is drawn: summary.json must be a JSON
 * object with its headline figures, and every table and column a chart
 * reads must be in run.sqlite, so that a run written by an older or
 * damaged program is refused with a name rather than half drawn.  Errors
 * say which file and what is wrong in one line; the first one is kept.
 *
 * The helpers that read SQL and JSON are shared with the experiment's
 * reader.  rp_block() turns a query's rows into a gnuplot data block that
 * holds numbers only: a text cell (which no chart plots) becomes a missing
 * value, so that nothing from the database reaches gnuplot as text.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- errors ------------------------------------------------------------------- */

int rp_fail(struct report *r, int status, const char *what, const char *why)
{
    if (r->status == HS_REPORT_OK) {
        r->status = status;
        snprintf(r->err, r->errlen, "%s%s%s", what, why ? ": " : "", why ? why : "");
    }
    return status;
}

int rp_fail_db(struct report *r)
{
    char what[1200];
    snprintf(what, sizeof what, "%s/%s is corrupt or incomplete", r->dir, r->dbname);
    return rp_fail(r, HS_REPORT_EDATA, what, r->db ? sqlite3_errmsg(r->db) : "cannot open");
}

int rp_fail_oom(struct report *r)
{
    return rp_fail(r, HS_REPORT_ENOMEM, "out of memory", NULL);
}

/* ---- JSON --------------------------------------------------------------------- */

double rp_jnum(const json_t *obj, const char *key)
{
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_number(v) ? json_number_value(v) : NAN;
}

double rp_jnum_at(const json_t *arr, size_t i)
{
    const json_t *v = json_array_get(arr, i);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

json_t *rp_load_json(struct report *r, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    if (access(path, F_OK) != 0) {
        char what[4300];
        snprintf(what, sizeof what, "%s has no %s: the run is incomplete", r->dir, name);
        rp_fail(r, HS_REPORT_EDATA, what, NULL);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (j == NULL) {
        char what[4400];
        snprintf(what, sizeof what, "%s:%d:%d: %s is not valid JSON", path, je.line, je.column,
                 name);
        rp_fail(r, HS_REPORT_EDATA, what, je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        char what[4300];
        snprintf(what, sizeof what, "%s is not a JSON object", path);
        rp_fail(r, HS_REPORT_EDATA, what, NULL);
        return NULL;
    }
    return j;
}

/* ---- SQL ---------------------------------------------------------------------- */

int rp_table_exists(struct report *r, const char *table, int *exists)
{
    sqlite3_stmt *st = NULL;
    *exists = 0;
    if (sqlite3_prepare_v2(r->db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?",
                           -1, &st, NULL) != SQLITE_OK)
        return rp_fail_db(r);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *exists = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? HS_REPORT_OK : rp_fail_db(r);
}

int rp_need_columns(struct report *r, const char *table, const char *const *cols)
{
    int exists;
    if (rp_table_exists(r, table, &exists) != HS_REPORT_OK)
        return r->status;
    if (!exists) {
        char what[1200];
        snprintf(what, sizeof what, "%s/%s has no table '%s': the %s is incomplete",
                 r->dir, r->dbname, table, r->exp ? "experiment" : "run");
        return rp_fail(r, HS_REPORT_EDATA, what, NULL);
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
            return rp_fail(r, HS_REPORT_EDATA, what, NULL);
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return rp_fail_db(r);
    }
    return HS_REPORT_OK;
}

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

long rp_block(struct report *r, struct hs_buf *gp, const char *name, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rp_fail_db(r);
        return -1;
    }
    hs_buf_printf(gp, "$%s << EOD\n#", name);
    for (int c = 0; c < sqlite3_column_count(st); c++)   /* the names, for the data table */
        hs_buf_printf(gp, " %s", sqlite3_column_name(st, c));
    hs_buf_put(gp, "\n");
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
        rp_fail_db(r);
        return -1;
    }
    return rows;
}

int rp_row_values(struct report *r, const char *sql, double *v, int n)
{
    for (int i = 0; i < n; i++)
        v[i] = NAN;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
        return rp_fail_db(r);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int i = 0; i < n && i < sqlite3_column_count(st); i++)
            if (sqlite3_column_type(st, i) != SQLITE_NULL)
                v[i] = sqlite3_column_double(st, i);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rp_fail_db(r);
    return HS_REPORT_OK;
}

/* ---- the run ------------------------------------------------------------------ */

/* Every column the charts of a run read. */
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

/* The format of a file this version writes (src/output/catalogue.h):
 * `json`'s "format", or the open database's user_version when json is
 * NULL; a file written before formats were stamped has none (0). */
int rp_check_format(struct report *r, const json_t *json, const char *file)
{
    long long v = 0;
    if (json != NULL) {
        const json_t *f = json_object_get(json, "format");
        v = f == NULL ? 0 : json_is_integer(f) ? (long long)json_integer_value(f) : -1;
    } else {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            return rp_fail_db(r);
        }
        v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    if (hs_format_known(v))
        return HS_REPORT_OK;
    char what[4400];
    snprintf(what, sizeof what, "%s/%s has format %lld, which this hailsham (format %d) does "
                                "not know: it was written by another version", r->dir, file, v,
             HS_FORMAT_VERSION);
    return rp_fail(r, HS_REPORT_EDATA, what, NULL);
}

/* The value of parameter `key` of the run into buf ("" when the run has
 * none); -1 on a database error, with the report's message. */
static int param(struct report *r, const char *key, char *buf, size_t n)
{
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(r->db, "SELECT value FROM parameters WHERE key = ?", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        rp_fail_db(r);
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

/* run.sqlite, its tables checked; whether it has the world without the
 * programme (a yearly_baseline with figures in it). */
static int open_db(struct report *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/run.sqlite", r->dir);
    if (access(path, F_OK) != 0) {
        char what[4300];
        snprintf(what, sizeof what, "%s has no run.sqlite: not a run directory, or its run "
                                    "did not finish", r->dir);
        return rp_fail(r, HS_REPORT_EDATA, what, NULL);
    }
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return rp_fail_db(r);
    sqlite3_busy_timeout(r->db, 2000);
    if (rp_check_format(r, NULL, "run.sqlite") != HS_REPORT_OK ||
        rp_need_columns(r, "yearly", yearly_cols) != HS_REPORT_OK ||
        rp_need_columns(r, "donors", donor_cols) != HS_REPORT_OK ||
        rp_need_columns(r, "donations", donation_cols) != HS_REPORT_OK)
        return r->status;
    /* the comparison worlds, when the run has their figures */
    static const char *const worlds[2] = {"yearly_baseline", "yearly_ceiling"};
    int *has[2] = {&r->has_baseline, &r->has_ceiling};
    for (int k = 0; k < 2; k++) {
        int exists = 0;
        if (rp_table_exists(r, worlds[k], &exists) != HS_REPORT_OK)
            return r->status;
        if (!exists)
            continue;
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(life_expectancy) FROM %s", worlds[k]);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
            return rp_fail_db(r);
        int rc = sqlite3_step(st);
        *has[k] = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW)
            return rp_fail_db(r);
    }
    /* medicine beyond organs: any value of its table other than 1 */
    char v[4096], name[64], cal[64];
    if (param(r, "public.mortality.other_medicine", v, sizeof v) < 0)
        return r->status;
    for (const char *c = strchr(v, ':'); c != NULL; c = strchr(c + 1, ':'))
        if (strtod(c + 1, NULL) != 1.0)
            r->other_medicine = 1;
    /* the lists at a scale other than their calibration's (a run of an
     * older version has no such parameter: nothing to say) */
    if (param(r, "scenario.name", name, sizeof name) < 0 ||
        param(r, "scenario.calibrated_scale", cal, sizeof cal) < 0)
        return r->status;
    hs_cat_scale_note(r->calibration_note, sizeof r->calibration_note, name,
                      r->scale, strtod(cal, NULL));
    return HS_REPORT_OK;
}

int rp_open_run(struct report *r)
{
    r->summary = rp_load_json(r, "summary.json");
    if (r->summary == NULL)
        return r->status;
    if (!json_is_object(json_object_get(r->summary, "headline"))) {
        char what[4300];
        snprintf(what, sizeof what, "%s/summary.json has no headline figures", r->dir);
        return rp_fail(r, HS_REPORT_EDATA, what, NULL);
    }
    r->scale = rp_jnum(r->summary, "scale");   /* before open_db, which reads it */
    if (rp_check_format(r, r->summary, "summary.json") != HS_REPORT_OK || open_db(r) != HS_REPORT_OK)
        return r->status;
    if (isfinite(r->scale) && r->scale != 1)
        snprintf(r->scale_note, sizeof r->scale_note, " (run at scale %g)", r->scale);
    return HS_REPORT_OK;
}
