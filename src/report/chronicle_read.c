/* SPDX-License-Identifier: MIT
 *
 * chronicle_read.c - what the chronicle reads from a run: run.sqlite opened
 * read-only, its format and tables checked, the parameters the telling
 * needs (the run's last year, the deferral's length, the estates), and a
 * donor's life, carers, partner and last chip reading, each by one query.
 * Every failure is one line naming the file (ch_fail, ch_fail_db).
 */
#include "chronicle_impl.h"

#include <sqlite3.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../output/catalogue.h"

int ch_fail(struct ctx *c, int status, const char *msg)
{
    if (c->status == HS_CHRONICLE_OK) {
        c->status = status;
        snprintf(c->err, c->errlen, "%s", msg);
    }
    return c->status;
}

int ch_fail_db(struct ctx *c)
{
    char msg[1200];
    snprintf(msg, sizeof msg, "%s/run.sqlite is corrupt or incomplete: %s", c->dir,
             c->db ? sqlite3_errmsg(c->db) : "cannot open");
    return ch_fail(c, HS_CHRONICLE_EDATA, msg);
}


/* ---- reading --------------------------------------------------------------------------- */

static void col_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, len, "%s", t ? (const char *)t : "");
}

static const char *const life_sql =
    "SELECT id, name, estate, cottages, cohort, sex, created, left_estate, training,"
    " became_carer, became_donor, completed, years_as_carer, partner_id, deferral,"
    " gallery_works, stage FROM donors WHERE id = ?";

static int read_donations(struct ctx *c, struct life *l)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT number, date, centre, organs, completed, carer_id,"
                                  " agitated, bed_wait_days FROM donations WHERE donor_id = ?"
                                  " ORDER BY number", -1, &st, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_int64(st, 1, l->id);
    int rc;
    l->nd = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && l->nd < MAX_DON) {
        struct donation *d = &l->d[l->nd++];
        d->number = sqlite3_column_int(st, 0);
        col_text(st, 1, d->date, sizeof d->date);
        col_text(st, 2, d->centre, sizeof d->centre);
        col_text(st, 3, d->organs, sizeof d->organs);
        d->completed = sqlite3_column_int(st, 4);
        d->carer = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 5);
        d->agitated = sqlite3_column_int(st, 6);
        d->bed_wait = sqlite3_column_double(st, 7);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? HS_CHRONICLE_OK : ch_fail_db(c);
}

/* 1 if found, 0 if not, negative on error. */
int ch_read_life(struct ctx *c, long long id, struct life *l)
{
    sqlite3_stmt *st = NULL;
    memset(l, 0, sizeof *l);
    if (sqlite3_prepare_v2(c->db, life_sql, -1, &st, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        l->id = sqlite3_column_int64(st, 0);
        col_text(st, 1, l->name, sizeof l->name);
        col_text(st, 2, l->estate, sizeof l->estate);
        col_text(st, 3, l->cottages, sizeof l->cottages);
        l->cohort = sqlite3_column_int(st, 4);
        char sex[16];
        col_text(st, 5, sex, sizeof sex);
        l->male = !strcmp(sex, "male");
        col_text(st, 6, l->created, sizeof l->created);
        col_text(st, 7, l->left, sizeof l->left);
        col_text(st, 8, l->training, sizeof l->training);
        col_text(st, 9, l->carer, sizeof l->carer);
        col_text(st, 10, l->notice, sizeof l->notice);
        col_text(st, 11, l->completed, sizeof l->completed);
        l->carer_years = sqlite3_column_type(st, 12) == SQLITE_NULL ? NAN
                                                                    : sqlite3_column_double(st, 12);
        l->partner = sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 13);
        col_text(st, 14, l->deferral, sizeof l->deferral);
        l->gallery = sqlite3_column_int(st, 15);
        col_text(st, 16, l->stage, sizeof l->stage);
        if (!l->name[0])
            snprintf(l->name, sizeof l->name, "Donor %lld", l->id);
        if (!l->estate[0])
            snprintf(l->estate, sizeof l->estate, "an estate the records do not name");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ch_fail_db(c);
    if (rc == SQLITE_DONE)
        return 0;
    return read_donations(c, l) == HS_CHRONICLE_OK ? 1 : c->status;
}

/* A donor's name and estate by id; 0 if there is none. */
int ch_who(struct ctx *c, long long id, char *name, size_t nlen, char *estate, size_t elen)
{
    sqlite3_stmt *st = NULL;
    name[0] = estate[0] = '\0';
    if (id < 0)
        return 0;
    if (sqlite3_prepare_v2(c->db, "SELECT name, estate FROM donors WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        col_text(st, 0, name, nlen);
        col_text(st, 1, estate, elen);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ch_fail_db(c);
    return rc == SQLITE_ROW && name[0];
}

/* The run's tables have no index on a carer or a name, and a cohort of
 * thousands of lives asks for each several times: two small tables in the
 * connection's temporary database, made once, answer instead.  run.sqlite
 * itself is only read. */
static int make_lookups(struct ctx *c)
{
    if (c->lookups)
        return HS_CHRONICLE_OK;
    static const char *const sql =
        "CREATE TEMP TABLE ch_cared AS SELECT carer_id, count(DISTINCT donor_id) AS n,"
        " coalesce(sum(completed), 0) AS died FROM donations WHERE carer_id IS NOT NULL"
        " GROUP BY carer_id;"
        "CREATE UNIQUE INDEX temp.ch_cared_id ON ch_cared(carer_id);"
        "CREATE TEMP TABLE ch_names AS SELECT name, estate, cohort, created, count(*) AS n"
        " FROM donors GROUP BY name, estate, cohort, created;"
        "CREATE INDEX temp.ch_names_name ON ch_names(name);";
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    c->lookups = 1;
    return HS_CHRONICLE_OK;
}

/* How many donors a carer attended, and how many of them completed then. */
int ch_cared_for(struct ctx *c, long long id, long *n, long *died)
{
    sqlite3_stmt *st = NULL;
    *n = *died = 0;
    if (make_lookups(c) != HS_CHRONICLE_OK)
        return c->status;
    if (sqlite3_prepare_v2(c->db, "SELECT n, died FROM ch_cared WHERE carer_id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = (long)sqlite3_column_int64(st, 0);
        *died = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HS_CHRONICLE_OK : ch_fail_db(c);
}

int ch_name_shared(struct ctx *c, const struct life *x, long shared[4])
{
    sqlite3_stmt *st = NULL;
    shared[0] = shared[1] = shared[2] = shared[3] = 0;
    if (make_lookups(c) != HS_CHRONICLE_OK)
        return c->status;
    if (sqlite3_prepare_v2(c->db, "SELECT coalesce(sum(n), 0),"
                                  " coalesce(sum(CASE WHEN e AND cohort = ?3 THEN n END), 0),"
                                  " coalesce(sum(CASE WHEN e AND substr(created, 1, 7)"
                                  " = substr(?4, 1, 7) THEN n END), 0),"
                                  " coalesce(sum(CASE WHEN e AND created = ?4 THEN n END), 0)"
                                  " FROM (SELECT n, cohort, created, estate IS ?2 AS e"
                                  " FROM ch_names WHERE name = ?1)", -1, &st, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    /* the reader's texts: "Donor 12" and "an estate the records do not name"
     * stand for none, which no row has */
    sqlite3_bind_text(st, 1, x->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, x->estate, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, x->cohort);
    sqlite3_bind_text(st, 4, x->created, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int i = 0; i < 4; i++)
            shared[i] = (long)sqlite3_column_int64(st, i);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? HS_CHRONICLE_OK : ch_fail_db(c);
}

int ch_named(struct ctx *c, const char *name, long limit, long long *ids, long *n,
             long *total)
{
    sqlite3_stmt *st = NULL;
    *n = *total = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT id, count(*) OVER () FROM donors WHERE lower(name)"
                                  " = lower(?1) ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *total = (long)sqlite3_column_int64(st, 1);
        if (*n < limit)
            ids[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? HS_CHRONICLE_OK : ch_fail_db(c);
}

/* The last chip reading: place and date. */
int ch_last_reading(struct ctx *c, long long id, char *place, size_t plen, char *date,
                        size_t dlen)
{
    place[0] = date[0] = '\0';
    if (!c->has_chips)
        return 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT place, date, count(*) OVER () FROM chip_readings"
                                  " WHERE donor_id = ? ORDER BY day DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), n = 0;
    if (rc == SQLITE_ROW) {
        col_text(st, 0, place, plen);
        col_text(st, 1, date, dlen);
        n = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ch_fail_db(c);
    return place[0] ? n : 0;
}

static int table_exists(struct ctx *c, const char *name)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                  " AND name = ?", -1, &st, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? n > 0 : ch_fail_db(c);
}

/* The run's last year, the estates that were humane, the deferral's length;
 * defaults when the parameters table is absent. */
static int read_parameters(struct ctx *c)
{
    c->end_year = 1999;
    c->deferral_years = 3.5;
    int has = table_exists(c, "parameters");
    if (has <= 0)
        return has < 0 ? c->status : HS_CHRONICLE_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT key, value FROM parameters WHERE key IN"
                                  " ('scenario.end_year', 'programme.couples.years') OR key LIKE"
                                  " 'programme.estates[%' ORDER BY rowid", -1, &st,
                           NULL) != SQLITE_OK)
        return ch_fail_db(c);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v)
            continue;
        ch_take_parameter(c, k, v);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? HS_CHRONICLE_OK : ch_fail_db(c);
}

int ch_open_run(struct ctx *c)
{
    struct stat sb;
    char msg[1400], path[1200];
    if (stat(c->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(msg, sizeof msg, "%s is not a directory (give the directory of a run)", c->dir);
        return ch_fail(c, HS_CHRONICLE_EDATA, msg);
    }
    snprintf(path, sizeof path, "%s/run.sqlite", c->dir);
    if (access(path, F_OK) != 0) {
        snprintf(msg, sizeof msg, "%s has no run.sqlite: not a run directory, or its run did "
                                  "not finish", c->dir);
        return ch_fail(c, HS_CHRONICLE_EDATA, msg);
    }
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    long long format = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        format = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (format < 0)
        return ch_fail_db(c);
    if (!hs_format_known(format)) {
        snprintf(msg, sizeof msg, "%s has format %lld, which this hailsham (format %d) does "
                                  "not know: it was written by another version", path, format,
                 HS_FORMAT_VERSION);
        return ch_fail(c, HS_CHRONICLE_EDATA, msg);
    }
    int d = table_exists(c, "donors"), n = d > 0 ? table_exists(c, "donations") : d;
    if (d < 0 || n < 0)
        return c->status;
    if (!d || !n) {
        snprintf(msg, sizeof msg, "%s/run.sqlite has no table '%s': the run is incomplete",
                 c->dir, d ? "donations" : "donors");
        return ch_fail(c, HS_CHRONICLE_EDATA, msg);
    }
    int chips = table_exists(c, "chip_readings");
    if (chips < 0)
        return c->status;
    c->has_chips = chips;
    return read_parameters(c);
}

static const char *const cohort_sql =
    "SELECT id, count(*) OVER () FROM donors WHERE cohort = ?1 AND (?2 IS NULL OR"
    " lower(estate) = lower(?2) OR lower(estate) = 'the ' || lower(?2)) ORDER BY id LIMIT ?3";

int ch_cohort(struct ctx *c, int cohort, const char *estate, long limit, long long *ids,
              long *n, long *total)
{
    sqlite3_stmt *st = NULL;
    *n = *total = 0;
    if (sqlite3_prepare_v2(c->db, cohort_sql, -1, &st, NULL) != SQLITE_OK)
        return ch_fail_db(c);
    sqlite3_bind_int(st, 1, cohort);
    if (estate)
        sqlite3_bind_text(st, 2, estate, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < limit) {
        ids[(*n)++] = sqlite3_column_int64(st, 0);
        *total = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? HS_CHRONICLE_OK : ch_fail_db(c);
}

void ch_close(struct ctx *c)
{
    if (c->db)
        sqlite3_close(c->db);
    c->db = NULL;
}
