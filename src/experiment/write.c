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
 * experiment alone.  The files are written into a staging directory that
 * takes the output directory's place only when all three are complete
 * (src/output/publish.h), so a killed experiment leaves the previous
 * complete set or none, never a mix.
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

#include "../output/catalogue.h"
#include "../output/output.h"
#include "../output/publish.h"

enum { F_CSV, F_JSON, F_SQLITE, F_COUNT };
static const char *const names[F_COUNT] = {"experiment.csv", "experiment.json",
                                           "experiment.sqlite"};
/* The entries of an experiment's directory that a new set replaces: its
 * files, the report drawn from the old ones, and the journal, whose
 * replications the new files hold. */
static const char *const exp_owned[] = {"experiment.csv", "experiment.json",
                                        "experiment.sqlite", "report.html", ".journal", NULL};

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

/* jansson returns NULL when memory runs out; every insertion goes through
 * these, which remember a failure instead of dropping a value silently. */
static void put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0)
        *bad = 1;
}

static void push(json_t *a, json_t *v, int *bad)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        *bad = 1;
}

static json_t *jint(size_t v)
{
    return json_integer((json_int_t)v);
}

static json_t *stat_json(const struct hs_exp_stat *st, int *bad)
{
    json_t *j = json_object();
    put(j, "n", jint(st->n), bad);
    put(j, "mean", jnum(st->mean), bad);
    put(j, "sd", jnum(st->sd), bad);
    put(j, "ci95_low", jnum(st->lo), bad);
    put(j, "ci95_high", jnum(st->hi), bad);
    put(j, "half_width", jnum(st->half_width), bad);
    return j;
}

/* Per figure, the statistics of point p (diff 0) or its difference from
 * point 0 (diff 1). */
static json_t *figures_json(const struct hs_exp_results *r, size_t p, int diff, int *bad)
{
    json_t *figs = json_object();
    for (size_t k = 0; k < hs_exp_figure_count(); k++) {
        struct hs_exp_stat st;
        if (diff)
            hs_exp_point_diff(r, p, k, &st);
        else
            hs_exp_point_stat(r, p, k, &st);
        put(figs, hs_exp_figure_name(k), stat_json(&st, bad), bad);
    }
    return figs;
}

static json_t *point_json(const struct hs_exp_results *r, size_t p, const size_t *idx,
                          int *bad)
{
    const struct hs_exp_sweep *s = r->sweep;
    json_t *j = json_object(), *vals = json_object();
    put(j, "point", jint(p), bad);
    for (size_t a = 0; a < s->naxes; a++)
        put(vals, s->axis[a].path, json_string(s->axis[a].values[idx[a]]), bad);
    put(j, "values", vals, bad);
    put(j, "replications", jint(r->nreps), bad);
    put(j, "figures", figures_json(r, p, 0, bad), bad);
    if (p > 0)
        put(j, "difference_from_point_0", figures_json(r, p, 1, bad), bad);
    return j;
}

static json_t *precision_json(const struct hs_exp_results *r, int *bad)
{
    const struct hs_exp_config *c = r->cfg;
    if (c->precision <= 0)
        return json_null();
    json_t *j = json_object(), *w = json_array();
    put(j, "target", json_real(c->precision), bad);
    for (size_t i = 0; i < c->nwatch; i++)
        push(w, json_string(hs_exp_figure_name(c->watch[i])), bad);
    put(j, "figures", w, bad);
    put(j, "max_replications", jint(c->max_replications), bad);
    put(j, "reached", json_boolean(r->reached), bad);
    if (r->stop_figure >= 0) {
        json_t *d = json_object();
        put(d, "figure", json_string(hs_exp_figure_name((size_t)r->stop_figure)), bad);
        put(d, "point", jint(r->stop_point), bad);
        put(d, "relative_half_width", jnum(r->stop_ratio), bad);
        put(j, "decided_by", d, bad);
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

static json_t *varied_json(const struct hs_exp_sweep *s, int *bad)
{
    json_t *varied = json_array();
    for (size_t a = 0; a < s->naxes; a++) {
        json_t *ax = json_object(), *vals = json_array();
        put(ax, "key", json_string(s->axis[a].path), bad);
        for (size_t v = 0; v < s->axis[a].nvalues; v++)
            push(vals, json_string(s->axis[a].values[v]), bad);
        put(ax, "values", vals, bad);
        push(varied, ax, bad);
    }
    return varied;
}

static int write_json(const struct hs_exp_results *r, const char *path, char *err,
                      size_t errlen)
{
    const struct hs_exp_sweep *s = r->sweep;
    int bad = 0;
    size_t *idx = calloc(s->naxes ? s->naxes : 1, sizeof *idx);
    json_t *j = json_object(), *points = json_array(), *figs = json_array();
    put(j, "scenario", json_string(r->cfg->scenario), &bad);
    put(j, "version", json_string(hs_version()), &bad);
    put(j, "format", jint(HS_FORMAT_VERSION), &bad);
    put(j, "seed", seed_json(r->cfg->seed), &bad);
    put(j, "points", jint(r->npoints), &bad);
    put(j, "replications", jint(r->nreps), &bad);
    put(j, "confidence_level", json_real(HS_EXP_LEVEL), &bad);
    for (size_t k = 0; k < hs_exp_figure_count(); k++)
        push(figs, json_string(hs_exp_figure_name(k)), &bad);
    put(j, "figures", figs, &bad);
    put(j, "varied", varied_json(s, &bad), &bad);
    put(j, "precision", precision_json(r, &bad), &bad);
    for (size_t p = 0; idx && p < r->npoints && !bad; p++) {
        hs_exp_sweep_coords(s, p, idx);
        push(points, point_json(r, p, idx, &bad), &bad);
    }
    put(j, "results", points, &bad);
    free(idx);
    int rc = bad || !idx ? HS_ENOMEM : HS_OK;
    if (rc == HS_OK && json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                                   JSON_REAL_PRECISION(12)) != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        rc = HS_EIO;
    }
    json_decref(j);
    return rc;
}

/* ---- experiment.sqlite ---------------------------------------------------- */

struct db {
    sqlite3 *db;
    sqlite3_stmt *meta, *point, *value, *param, *rep, *year, *sum;
    int failed;       /* a bind or a step failed */
};

/* Binding can fail too (memory for a copied text): every bind goes
 * through these and a failure marks the file as failed. */
static void bind_int(struct db *d, sqlite3_stmt *st, int col, sqlite3_int64 v)
{
    if (sqlite3_bind_int64(st, col, v) != SQLITE_OK)
        d->failed = 1;
}

static void bind_text(struct db *d, sqlite3_stmt *st, int col, const char *s)
{
    if (sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        d->failed = 1;
}

static void bind_num(struct db *d, sqlite3_stmt *st, int col, double v)
{
    int rc = isfinite(v) ? sqlite3_bind_double(st, col, v) : sqlite3_bind_null(st, col);
    if (rc != SQLITE_OK)
        d->failed = 1;
}

static void step(struct db *d, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        d->failed = 1;
    sqlite3_reset(st);
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

/* No journal and no syncing while it is written: the file is a temporary
 * until it is complete and renamed. */
static const char *const schema_sql =
    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
    HS_FORMAT_PRAGMA
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
    bind_text(d, d->meta, 1, key);
    bind_text(d, d->meta, 2, value);
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
    bind_int(pc->d, pc->d->param, 1, (sqlite3_int64)pc->point);
    bind_text(pc->d, pc->d->param, 2, path);
    bind_text(pc->d, pc->d->param, 3, value);
    step(pc->d, pc->d->param);
}

static void db_summary(struct db *d, const struct hs_exp_results *r, size_t p)
{
    for (size_t k = 0; k < hs_exp_figure_count(); k++) {
        struct hs_exp_stat st, df = {0, NAN, NAN, NAN, NAN, NAN};
        hs_exp_point_stat(r, p, k, &st);
        if (p > 0)
            hs_exp_point_diff(r, p, k, &df);
        bind_int(d, d->sum, 1, (sqlite3_int64)p);
        bind_text(d, d->sum, 2, hs_exp_figure_name(k));
        bind_int(d, d->sum, 3, (sqlite3_int64)st.n);
        const double v[] = {st.mean, st.sd, st.lo, st.hi, st.half_width, df.mean, df.lo, df.hi};
        for (int i = 0; i < 8; i++)
            bind_num(d, d->sum, 4 + i, v[i]);
        step(d, d->sum);
    }
}

static void db_point(struct db *d, const struct hs_exp_results *r, size_t p, size_t *idx)
{
    char label[2048];
    const struct hs_exp_sweep *s = r->sweep;
    hs_exp_point_label(s, p, label, sizeof label);
    bind_int(d, d->point, 1, (sqlite3_int64)p);
    bind_text(d, d->point, 2, label);
    step(d, d->point);
    hs_exp_sweep_coords(s, p, idx);
    for (size_t a = 0; a < s->naxes; a++) {
        bind_int(d, d->value, 1, (sqlite3_int64)p);
        bind_text(d, d->value, 2, s->axis[a].path);
        bind_text(d, d->value, 3, s->axis[a].values[idx[a]]);
        step(d, d->value);
    }
    struct param_ctx pc = {d, p};
    hs_scenario_visit(&r->points[p], visit_param, &pc);
    db_summary(d, r, p);
}

/* One replication's row and its yearly rows, read back from the journal. */
static int db_replication(struct db *d, const struct hs_exp_results *r, size_t p, size_t i,
                          char *err, size_t errlen)
{
    struct hs_exp_rec rec;
    int rc = hs_exp_journal_get(r->journal, (uint32_t)p, (uint32_t)i, 1, &rec);
    if (rc != HS_OK) {
        snprintf(err, errlen, "cannot read replication %zu of point %zu back from the "
                 "journal: %s", i, p, hs_strerror(rc));
        return rc == HS_ENOMEM ? rc : HS_EIO;
    }
    bind_int(d, d->rep, 1, (sqlite3_int64)p);
    bind_int(d, d->rep, 2, (sqlite3_int64)i);
    bind_int(d, d->rep, 3, (sqlite3_int64)rec.events);
    for (size_t k = 0; k < hs_exp_figure_count(); k++)
        bind_num(d, d->rep, 4 + (int)k, rec.fig[k]);
    step(d, d->rep);
    for (size_t y = 0; y < rec.nyears; y++) {
        const double *row = rec.years + y * rec.ncols;
        bind_int(d, d->year, 1, (sqlite3_int64)p);
        bind_int(d, d->year, 2, (sqlite3_int64)i);
        bind_int(d, d->year, 3, (sqlite3_int64)row[0]);
        for (size_t c = 1; c < rec.ncols; c++)
            bind_num(d, d->year, 3 + (int)c, row[c]);
        step(d, d->year);
    }
    hs_exp_rec_free(&rec);
    return d->failed ? HS_EIO : HS_OK;
}

static int write_sqlite(const struct hs_exp_results *r, const char *path, char *err,
                        size_t errlen)
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
                rc = db_replication(&d, r, p, i, err, errlen);
        if (rc == HS_OK && sqlite3_exec(d.db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
            rc = HS_EIO;
    }
    if (rc != HS_OK && !err[0] && d.db)
        snprintf(err, errlen, "cannot write %s: %s", path, sqlite3_errmsg(d.db));
    close_db(&d);
    free(idx);
    if (rc == HS_OK && d.failed)
        rc = HS_EIO;
    return rc;
}

/* ---- all three ---------------------------------------------------------- */

static int csv_file(const struct hs_exp_results *r, const char *path, char *err,
                    size_t errlen)
{
    int rc = write_csv(r, path);
    if (rc == HS_EIO)
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return rc;
}

int hs_exp_check_out(const char *dir, const struct hs_publish_lock *lock, char *err,
                     size_t errlen)
{
    return hs_publish_check(dir, exp_owned, lock, err, errlen);
}

int hs_exp_write(const struct hs_exp_results *r, const char *dir, char *err, size_t errlen)
{
    char *path[F_COUNT] = {NULL};
    int (*const writers[F_COUNT])(const struct hs_exp_results *, const char *, char *,
                                  size_t) = {csv_file, write_json, write_sqlite};
    struct hs_publish *pub = NULL;
    err[0] = '\0';
    int rc = hs_publish_open(dir, exp_owned, r->lock, &pub, err, errlen);
    for (int i = 0; i < F_COUNT && rc == HS_OK; i++)
        if ((path[i] = hs_publish_path(pub, names[i])) == NULL)
            rc = HS_ENOMEM;
    for (int i = 0; i < F_COUNT && rc == HS_OK; i++)
        rc = writers[i](r, path[i], err, errlen);
    /* all three are complete: only now do they replace an older set (and
     * the journal, which goes with the old directory) */
    if (rc == HS_OK)
        rc = hs_publish_commit(pub, err, errlen);   /* err not empty: a warning */
    if (rc == HS_ENOMEM && !err[0])
        snprintf(err, errlen, "out of memory writing the files in %s", dir);
    else if (rc != HS_OK && !err[0])
        snprintf(err, errlen, "cannot write the files in %s", dir);
    hs_publish_abort(pub);   /* the staging directory, unless committed */
    for (int i = 0; i < F_COUNT; i++)
        free(path[i]);
    return rc;
}
