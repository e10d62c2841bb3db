/* SPDX-License-Identifier: MIT
 *
 * write.c - the files of an experiment: experiment.csv and experiment.json
 * (per sweep point and headline figure: n, mean, standard deviation, 95%
 * interval, and the difference from point 0 with its interval) and
 * experiment.sqlite (the same, plus every replication's figures and
 * yearly rows, and every point's parameters).
 *
 * Nothing written depends on when or where a replication ran: no times,
 * no thread or process counts, no paths but the scenario's name as
 * given.  Rows go in index order, replications' rows read back from the
 * journal, so the bytes of the three files are a function of the
 * experiment alone.  Each file is written under a temporary name and all
 * three are renamed into place only when all are complete.
 */
#include "experiment.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include <hailsham/hailsham.h>

#include "../output/output.h"

enum { F_CSV, F_JSON, F_SQLITE, F_COUNT };
static const char *const names[F_COUNT] = {"experiment.csv", "experiment.json",
                                           "experiment.sqlite"};

/* ---- numbers ------------------------------------------------------------ */

/* A number for CSV: 12 significant digits, nothing for undefined. */
static void num_text(char *buf, size_t n, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%.12g", v);
    else
        buf[0] = '\0';
}

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* ---- experiment.csv ------------------------------------------------------ */

static void csv_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_stat(FILE *f, const struct hs_exp_stat *st, int with_n)
{
    char a[40], b[40], c[40], d[40], e[40];
    num_text(a, sizeof a, st->mean);
    num_text(b, sizeof b, st->sd);
    num_text(c, sizeof c, st->lo);
    num_text(d, sizeof d, st->hi);
    num_text(e, sizeof e, st->half_width);
    if (with_n)
        fprintf(f, ",%zu,%s,%s,%s,%s,%s", st->n, a, b, c, d, e);
    else
        fprintf(f, ",%s,%s,%s", a, c, d);
}

static int write_csv(const struct hs_exp_results *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return HS_EIO;
    const struct hs_exp_sweep *s = r->sweep;
    size_t *idx = calloc(s->naxes ? s->naxes : 1, sizeof *idx);
    if (!idx) {
        fclose(f);
        return HS_ENOMEM;
    }
    fputs("point", f);
    for (size_t a = 0; a < s->naxes; a++) {
        fputc(',', f);
        csv_text(f, s->axis[a].path);
    }
    fputs(",figure,n,mean,sd,ci95_low,ci95_high,half_width,diff,diff_ci95_low,"
          "diff_ci95_high\n", f);
    for (size_t p = 0; p < r->npoints; p++) {
        hs_exp_sweep_coords(s, p, idx);
        for (size_t k = 0; k < hs_exp_figure_count(); k++) {
            struct hs_exp_stat st, df;
            fprintf(f, "%zu", p);
            for (size_t a = 0; a < s->naxes; a++) {
                fputc(',', f);
                csv_text(f, s->axis[a].values[idx[a]]);
            }
            fprintf(f, ",%s", hs_exp_figure_name(k));
            hs_exp_point_stat(r, p, k, &st);
            csv_stat(f, &st, 1);
            if (p > 0) {
                hs_exp_point_diff(r, p, k, &df);
                csv_stat(f, &df, 0);
            } else {
                fputs(",,,", f);
            }
            fputc('\n', f);
        }
    }
    free(idx);
    int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    return bad ? HS_EIO : HS_OK;
}

/* ---- experiment.json ------------------------------------------------------ */

static json_t *stat_json(const struct hs_exp_stat *st)
{
    json_t *j = json_object();
    json_object_set_new(j, "n", json_integer((json_int_t)st->n));
    json_object_set_new(j, "mean", jnum(st->mean));
    json_object_set_new(j, "sd", jnum(st->sd));
    json_object_set_new(j, "ci95_low", jnum(st->lo));
    json_object_set_new(j, "ci95_high", jnum(st->hi));
    json_object_set_new(j, "half_width", jnum(st->half_width));
    return j;
}

static json_t *point_json(const struct hs_exp_results *r, size_t p, const size_t *idx)
{
    const struct hs_exp_sweep *s = r->sweep;
    json_t *j = json_object(), *vals = json_object(), *figs = json_object();
    json_object_set_new(j, "point", json_integer((json_int_t)p));
    for (size_t a = 0; a < s->naxes; a++)
        json_object_set_new(vals, s->axis[a].path, json_string(s->axis[a].values[idx[a]]));
    json_object_set_new(j, "values", vals);
    json_object_set_new(j, "replications", json_integer((json_int_t)r->nreps));
    for (size_t k = 0; k < hs_exp_figure_count(); k++) {
        struct hs_exp_stat st;
        hs_exp_point_stat(r, p, k, &st);
        json_object_set_new(figs, hs_exp_figure_name(k), stat_json(&st));
    }
    json_object_set_new(j, "figures", figs);
    if (p > 0) {
        json_t *diff = json_object();
        for (size_t k = 0; k < hs_exp_figure_count(); k++) {
            struct hs_exp_stat st;
            hs_exp_point_diff(r, p, k, &st);
            json_object_set_new(diff, hs_exp_figure_name(k), stat_json(&st));
        }
        json_object_set_new(j, "difference_from_point_0", diff);
    }
    return j;
}

static json_t *precision_json(const struct hs_exp_results *r)
{
    const struct hs_exp_config *c = r->cfg;
    if (c->precision <= 0)
        return json_null();
    json_t *j = json_object(), *w = json_array();
    json_object_set_new(j, "target", json_real(c->precision));
    for (size_t i = 0; i < c->nwatch; i++)
        json_array_append_new(w, json_string(hs_exp_figure_name(c->watch[i])));
    json_object_set_new(j, "figures", w);
    json_object_set_new(j, "max_replications", json_integer((json_int_t)c->max_replications));
    json_object_set_new(j, "reached", json_boolean(r->reached));
    if (r->stop_figure >= 0) {
        json_t *d = json_object();
        json_object_set_new(d, "figure", json_string(hs_exp_figure_name((size_t)r->stop_figure)));
        json_object_set_new(d, "point", json_integer((json_int_t)r->stop_point));
        json_object_set_new(d, "relative_half_width", jnum(r->stop_ratio));
        json_object_set_new(j, "decided_by", d);
    }
    return j;
}

static json_t *seed_json(uint64_t seed)
{
    char buf[32];
    if (seed <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)seed);
    snprintf(buf, sizeof buf, "%" PRIu64, seed);   /* beyond JSON integers in practice */
    return json_string(buf);
}

static int write_json(const struct hs_exp_results *r, const char *path)
{
    const struct hs_exp_sweep *s = r->sweep;
    size_t *idx = calloc(s->naxes ? s->naxes : 1, sizeof *idx);
    json_t *j = json_object(), *varied = json_array(), *points = json_array(),
           *figs = json_array();
    if (!idx || !j || !varied || !points || !figs) {
        free(idx);
        json_decref(j);
        json_decref(varied);
        json_decref(points);
        json_decref(figs);
        return HS_ENOMEM;
    }
    json_object_set_new(j, "scenario", json_string(r->cfg->scenario));
    json_object_set_new(j, "version", json_string(hs_version()));
    json_object_set_new(j, "seed", seed_json(r->cfg->seed));
    json_object_set_new(j, "points", json_integer((json_int_t)r->npoints));
    json_object_set_new(j, "replications", json_integer((json_int_t)r->nreps));
    json_object_set_new(j, "confidence_level", json_real(HS_EXP_LEVEL));
    for (size_t k = 0; k < hs_exp_figure_count(); k++)
        json_array_append_new(figs, json_string(hs_exp_figure_name(k)));
    json_object_set_new(j, "figures", figs);
    for (size_t a = 0; a < s->naxes; a++) {
        json_t *ax = json_object(), *vals = json_array();
        json_object_set_new(ax, "key", json_string(s->axis[a].path));
        for (size_t v = 0; v < s->axis[a].nvalues; v++)
            json_array_append_new(vals, json_string(s->axis[a].values[v]));
        json_object_set_new(ax, "values", vals);
        json_array_append_new(varied, ax);
    }
    json_object_set_new(j, "varied", varied);
    json_object_set_new(j, "precision", precision_json(r));
    for (size_t p = 0; p < r->npoints; p++) {
        hs_exp_sweep_coords(s, p, idx);
        json_array_append_new(points, point_json(r, p, idx));
    }
    json_object_set_new(j, "results", points);
    free(idx);
    int rc = json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(12)) == 0 ? HS_OK : HS_EIO;
    json_decref(j);
    return rc;
}

/* ---- experiment.sqlite ---------------------------------------------------- */

struct db {
    sqlite3 *db;
    sqlite3_stmt *meta, *point, *value, *param, *rep, *year, *sum;
    int failed;
};

static void step(struct db *d, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        d->failed = 1;
    sqlite3_reset(st);
}

static void bind_num(sqlite3_stmt *st, int col, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, col, v);
    else
        sqlite3_bind_null(st, col);
}

/* "CREATE TABLE name(head, c1 REAL, ...)" and "INSERT INTO name VALUES(?,...)"
 * for a table with nfixed leading columns and then one REAL per name. */
static int wide_table(struct db *d, const char *table, const char *head, int nfixed,
                      const char *(*col)(size_t), size_t from, size_t ncols,
                      const char *tail, sqlite3_stmt **ins)
{
    size_t cap = 64 * (ncols + 8);
    char *create = malloc(cap), *insert = malloc(cap);
    int rc = HS_ENOMEM;
    if (create && insert) {
        size_t a = (size_t)snprintf(create, cap, "CREATE TABLE %s(%s", table, head);
        size_t b = (size_t)snprintf(insert, cap, "INSERT INTO %s VALUES(?", table);
        for (int i = 1; i < nfixed; i++)
            b += (size_t)snprintf(insert + b, cap - b, ",?");
        for (size_t i = from; i < ncols; i++) {
            a += (size_t)snprintf(create + a, cap - a, ", %s REAL", col(i));
            b += (size_t)snprintf(insert + b, cap - b, ",?");
        }
        snprintf(create + a, cap - a, "%s)", tail);
        snprintf(insert + b, cap - b, ")");
        rc = sqlite3_exec(d->db, create, NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(d->db, insert, -1, ins, NULL) == SQLITE_OK ? HS_OK : HS_EIO;
    }
    free(create);
    free(insert);
    return rc;
}

static const char *const schema_sql =
    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
    "CREATE TABLE experiment(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE points(point INTEGER PRIMARY KEY, label TEXT);"
    "CREATE TABLE point_values(point INTEGER, key TEXT, value TEXT,"
    " PRIMARY KEY(point, key));"
    "CREATE TABLE parameters(point INTEGER, key TEXT, value TEXT, PRIMARY KEY(point, key));"
    "CREATE TABLE summary(point INTEGER, figure TEXT, n INTEGER, mean REAL, sd REAL,"
    " ci95_low REAL, ci95_high REAL, half_width REAL, diff REAL, diff_ci95_low REAL,"
    " diff_ci95_high REAL, PRIMARY KEY(point, figure));";

static int open_db(struct db *d, const char *path)
{
    unlink(path);
    if (sqlite3_open(path, &d->db) != SQLITE_OK ||
        sqlite3_exec(d->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
        return HS_EIO;
    int rc = wide_table(d, "replications", "point INTEGER, replication INTEGER, events INTEGER",
                        3, hs_exp_figure_name, 0, hs_exp_figure_count(),
                        ", PRIMARY KEY(point, replication)", &d->rep);
    if (rc == HS_OK)
        rc = wide_table(d, "yearly", "point INTEGER, replication INTEGER, year INTEGER", 3,
                        hs_output_year_column, 1, hs_output_year_columns(),
                        ", PRIMARY KEY(point, replication, year)", &d->year);
    if (rc != HS_OK)
        return rc;
    static const char *const ins[] = {
        "INSERT INTO experiment VALUES(?,?)", "INSERT INTO points VALUES(?,?)",
        "INSERT INTO point_values VALUES(?,?,?)", "INSERT INTO parameters VALUES(?,?,?)",
        "INSERT INTO summary VALUES(?,?,?,?,?,?,?,?,?,?,?)"};
    sqlite3_stmt **sts[] = {&d->meta, &d->point, &d->value, &d->param, &d->sum};
    for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++)
        if (sqlite3_prepare_v2(d->db, ins[i], -1, sts[i], NULL) != SQLITE_OK)
            return HS_EIO;
    return sqlite3_exec(d->db, "BEGIN;", NULL, NULL, NULL) == SQLITE_OK ? HS_OK : HS_EIO;
}

static void close_db(struct db *d)
{
    sqlite3_stmt *sts[] = {d->meta, d->point, d->value, d->param, d->rep, d->year, d->sum};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    if (d->db && sqlite3_close(d->db) != SQLITE_OK)
        d->failed = 1;
    d->db = NULL;
}

static void meta(struct db *d, const char *key, const char *value)
{
    sqlite3_bind_text(d->meta, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(d->meta, 2, value, -1, SQLITE_TRANSIENT);
    step(d, d->meta);
}

static void db_meta(struct db *d, const struct hs_exp_results *r)
{
    char buf[64];
    meta(d, "scenario", r->cfg->scenario);
    meta(d, "version", hs_version());
    snprintf(buf, sizeof buf, "%" PRIu64, r->cfg->seed);
    meta(d, "seed", buf);
    snprintf(buf, sizeof buf, "%zu", r->nreps);
    meta(d, "replications", buf);
    snprintf(buf, sizeof buf, "%zu", r->npoints);
    meta(d, "points", buf);
    meta(d, "confidence_level", "0.95");
    if (r->cfg->precision > 0) {
        snprintf(buf, sizeof buf, "%.17g", r->cfg->precision);
        meta(d, "precision", buf);
        meta(d, "precision_reached", r->reached ? "true" : "false");
        if (r->stop_figure >= 0)
            meta(d, "precision_decided_by", hs_exp_figure_name((size_t)r->stop_figure));
    }
}

struct param_ctx {
    struct db *d;
    size_t point;
};

static void visit_param(void *ctx, const char *path, const char *value)
{
    struct param_ctx *pc = ctx;
    sqlite3_stmt *st = pc->d->param;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)pc->point);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, value, -1, SQLITE_TRANSIENT);
    step(pc->d, st);
}

static void db_point(struct db *d, const struct hs_exp_results *r, size_t p, size_t *idx)
{
    char label[2048];
    const struct hs_exp_sweep *s = r->sweep;
    hs_exp_point_label(s, p, label, sizeof label);
    sqlite3_bind_int64(d->point, 1, (sqlite3_int64)p);
    sqlite3_bind_text(d->point, 2, label, -1, SQLITE_TRANSIENT);
    step(d, d->point);
    hs_exp_sweep_coords(s, p, idx);
    for (size_t a = 0; a < s->naxes; a++) {
        sqlite3_bind_int64(d->value, 1, (sqlite3_int64)p);
        sqlite3_bind_text(d->value, 2, s->axis[a].path, -1, SQLITE_STATIC);
        sqlite3_bind_text(d->value, 3, s->axis[a].values[idx[a]], -1, SQLITE_STATIC);
        step(d, d->value);
    }
    struct param_ctx pc = {d, p};
    hs_scenario_visit(&r->points[p], visit_param, &pc);
    for (size_t k = 0; k < hs_exp_figure_count(); k++) {
        struct hs_exp_stat st, df = {0, NAN, NAN, NAN, NAN, NAN};
        hs_exp_point_stat(r, p, k, &st);
        if (p > 0)
            hs_exp_point_diff(r, p, k, &df);
        sqlite3_stmt *q = d->sum;
        sqlite3_bind_int64(q, 1, (sqlite3_int64)p);
        sqlite3_bind_text(q, 2, hs_exp_figure_name(k), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)st.n);
        const double v[] = {st.mean, st.sd, st.lo, st.hi, st.half_width, df.mean, df.lo, df.hi};
        for (int i = 0; i < 8; i++)
            bind_num(q, 4 + i, v[i]);
        step(d, q);
    }
}

/* One replication's row and its yearly rows, read back from the journal. */
static int db_replication(struct db *d, const struct hs_exp_results *r, size_t p, size_t i)
{
    struct hs_exp_rec rec;
    int rc = hs_exp_journal_get(r->journal, (uint32_t)p, (uint32_t)i, 1, &rec);
    if (rc != HS_OK)
        return rc == HS_ENOMEM ? rc : HS_EIO;
    sqlite3_bind_int64(d->rep, 1, (sqlite3_int64)p);
    sqlite3_bind_int64(d->rep, 2, (sqlite3_int64)i);
    sqlite3_bind_int64(d->rep, 3, (sqlite3_int64)rec.events);
    for (size_t k = 0; k < hs_exp_figure_count(); k++)
        bind_num(d->rep, 4 + (int)k, rec.fig[k]);
    step(d, d->rep);
    for (size_t y = 0; y < rec.nyears; y++) {
        const double *row = rec.years + y * rec.ncols;
        sqlite3_bind_int64(d->year, 1, (sqlite3_int64)p);
        sqlite3_bind_int64(d->year, 2, (sqlite3_int64)i);
        sqlite3_bind_int(d->year, 3, (int)row[0]);
        for (size_t c = 1; c < rec.ncols; c++)
            bind_num(d->year, 3 + (int)c, row[c]);
        step(d, d->year);
    }
    hs_exp_rec_free(&rec);
    return d->failed ? HS_EIO : HS_OK;
}

static int write_sqlite(const struct hs_exp_results *r, const char *path)
{
    struct db d;
    memset(&d, 0, sizeof d);
    size_t *idx = calloc(r->sweep->naxes ? r->sweep->naxes : 1, sizeof *idx);
    int rc = idx ? open_db(&d, path) : HS_ENOMEM;
    if (rc == HS_OK) {
        db_meta(&d, r);
        for (size_t p = 0; p < r->npoints && !d.failed; p++)
            db_point(&d, r, p, idx);
        for (size_t p = 0; p < r->npoints && rc == HS_OK; p++)
            for (size_t i = 0; i < r->nreps && rc == HS_OK; i++)
                rc = db_replication(&d, r, p, i);
        if (rc == HS_OK && sqlite3_exec(d.db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
            rc = HS_EIO;
    }
    close_db(&d);
    free(idx);
    if (rc == HS_OK && d.failed)
        rc = HS_EIO;
    return rc;
}

/* ---- all three ---------------------------------------------------------- */

static char *join(const char *dir, const char *name, const char *prefix)
{
    size_t n = strlen(dir) + strlen(name) + strlen(prefix) + 8;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s%s%s", dir, prefix, name, prefix[0] ? ".tmp" : "");
    return s;
}

int hs_exp_write(const struct hs_exp_results *r, const char *dir, char *err, size_t errlen)
{
    char *tmp[F_COUNT] = {NULL}, *dst[F_COUNT] = {NULL};
    int rc = HS_OK;
    for (int i = 0; i < F_COUNT && rc == HS_OK; i++) {
        tmp[i] = join(dir, names[i], ".");
        dst[i] = join(dir, names[i], "");
        if (!tmp[i] || !dst[i])
            rc = HS_ENOMEM;
    }
    int (*const writers[F_COUNT])(const struct hs_exp_results *, const char *) = {
        write_csv, write_json, write_sqlite};
    int failed = -1;
    for (int i = 0; i < F_COUNT && rc == HS_OK; i++)
        if ((rc = writers[i](r, tmp[i])) != HS_OK)
            failed = i;
    for (int i = 0; i < F_COUNT && rc == HS_OK; i++)
        if (rename(tmp[i], dst[i]) != 0) {
            snprintf(err, errlen, "cannot rename %s to %s: %s", tmp[i], dst[i],
                     strerror(errno));
            rc = HS_EIO;
            failed = F_COUNT;
        }
    if (failed >= 0 && failed < F_COUNT)
        snprintf(err, errlen, "%s %s", rc == HS_ENOMEM ? "out of memory writing"
                                                       : "cannot write", tmp[failed]);
    else if (rc == HS_ENOMEM)
        snprintf(err, errlen, "out of memory");
    for (int i = 0; i < F_COUNT; i++) {
        if (rc != HS_OK && tmp[i])
            unlink(tmp[i]);
        free(tmp[i]);
        free(dst[i]);
    }
    return rc;
}
