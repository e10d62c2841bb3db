/* SPDX-License-Identifier: MIT
 *
 * output.c - writes a run's files: run.sqlite (parameters, yearly, donors,
 * donations, chip readings), yearly.csv and summary.json, into a staging
 * directory that replaces the output directory as a unit once the whole
 * run is complete (publish.h), so that a run killed at any moment leaves
 * the previous complete set or none, never a mix or a half-written file.
 *
 * SQLite is written in one transaction with prepared statements and no
 * journal (the file is private to the staging directory until the
 * commit, so a crash can only leave that directory behind, which the next
 * run removes).  Indexes are built after the rows are in, which is
 * several times faster.
 *
 * The world's rows are written by a thread of their own: the sink copies
 * each row, with its strings, into a batch, and hands full batches to the
 * writer (a few in flight; the world waits when all are), which formats
 * the dates and makes the inserts and yearly.csv's lines while the world
 * runs on.  The writer is the only one to touch the database and the CSV
 * from the first batch to the commit, which waits for it; a write that
 * fails stops the writer, and the next row the world hands over gets the
 * error, the writer already gone, so that its cause can be read.
 */
#include "output.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include <hailsham/status.h>

#include "../scenario/scenario.h"
#include "catalogue.h"
#include "publish.h"

enum { F_SQLITE, F_CSV, F_JSON, F_COUNT };
static const char *const final_names[F_COUNT] = {"run.sqlite", "yearly.csv", "summary.json"};
/* The entries of a run directory that a new run replaces: its files, and
 * the report drawn from the old ones, which would no longer match. */
static const char *const run_owned[] = {"run.sqlite", "yearly.csv", "summary.json",
                                        "report.html", NULL};

/* A row on its way to the writer, with copies of its strings. */
enum rec_kind { REC_YEAR, REC_BASE, REC_CEIL, REC_DONATION, REC_MOVE, REC_DONOR };
struct rec {
    enum rec_kind kind;
    union {
        struct hs_year_row year;
        struct hs_donation_row donation;
        struct hs_move_row move;
        struct hs_donor_row donor;
    } u;
    char s1[HS_NAME_MAX], s2[HS_NAME_MAX];
};

enum { BATCH = 512, NBATCHES = 4 };
/* The world's three tables of rows are inserted GROUP rows to a statement
 * (one multi-row INSERT), which spreads SQLite's cost of a statement (its
 * start, finding the table's end, its halt) over GROUP rows. */
enum { GROUP = 16, T_DONORS = 0, T_DONATIONS, T_CHIPS, T_COUNT };
enum { DONOR_COLS = 28, DATE_COLS = GROUP * DONOR_COLS };

struct writer {
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t more, room;    /* a batch to write; a batch to fill */
    struct rec *batch[NBATCHES];
    size_t fill[NBATCHES];
    int ready[NBATCHES];          /* FIFO of batches to write, by index */
    size_t nready, head;
    int spare[NBATCHES];          /* batches free to fill */
    size_t nspare;
    int done;                     /* no more batches will come */
    int failed;                   /* the writer stopped at a failed write */
    int cur;                      /* the batch the world fills (-1: none) */
    size_t ncur;
};

struct hs_output {
    struct hs_publish_lock *lock;   /* the output directory's, for the whole run */
    struct writer w;
    struct hs_publish *pub;
    char *path[F_COUNT];      /* in the staging directory, by their final names */
    sqlite3 *db;
    sqlite3_stmt *st_year, *st_base, *st_ceil, *st_param;
    sqlite3_stmt *st_rows[T_COUNT][2];   /* by table: one row, GROUP rows */
    FILE *csv;
    json_t *summary;
    double start_year;
    int failed;
    char *shown[F_COUNT];     /* DIR/NAME as given, for messages */
    char why[1024];           /* the first write that failed: file and cause */
    char dates[DATE_COLS][16];  /* the writer's statement's dates, by parameter (bind_date) */
    char organs[GROUP][64];     /* the writer's statement's donations' organs, by row */
};

static int writer_init(struct writer *w);

/* ---- failures ------------------------------------------------------------ */

/* Keep the first failure: the file (as the user named its directory) and
 * the cause, which a full disk or a file size limit would otherwise lose
 * on its way up as a bare HS_EIO. */
static void failed_file(struct hs_output *o, int f, int err)
{
    o->failed = 1;
    if (o->why[0] == '\0')
        snprintf(o->why, sizeof o->why, "%s: write failed: %s", o->shown[f],
                 err ? strerror(err) : "unknown error");
}

/* SQLite's cause: the system's error when there is one (ENOSPC, EFBIG),
 * else its own message. */
static void failed_db(struct hs_output *o)
{
    int err = o->db ? sqlite3_system_errno(o->db) : 0;
    if (err == 0 && o->db && sqlite3_errcode(o->db) == SQLITE_FULL)
        err = ENOSPC;   /* a short write, which SQLite takes for a full disk */
    if (err == 0 && o->why[0] == '\0' && o->db) {
        o->failed = 1;
        snprintf(o->why, sizeof o->why, "%s: write failed: %s", o->shown[F_SQLITE],
                 sqlite3_errmsg(o->db));
        return;
    }
    failed_file(o, F_SQLITE, err);
}

const char *hs_output_error(const struct hs_output *o)
{
    return o->why;
}

/* ---- opening ----------------------------------------------------------- */

void hs_output_process_init(void)
{
    /* SQLite keeps memory statistics under a process-wide mutex at every
     * allocation (about a million lock and unlock pairs for a default run's
     * files); nothing here reads them.  This must come before SQLite's
     * first use in the process, and is refused harmlessly after it. */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static const char *const schema_sql =
    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
    HS_FORMAT_PRAGMA
    "CREATE TABLE parameters(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE donors(id INTEGER PRIMARY KEY, name TEXT, estate TEXT, cohort INTEGER,"
    " sex TEXT, blood_group TEXT, chip INTEGER, created TEXT, left_estate TEXT, cottages TEXT,"
    " training TEXT, became_carer TEXT, became_donor TEXT, donation_1 TEXT, donation_2 TEXT,"
    " donation_3 TEXT, donation_4 TEXT, completed TEXT, donations INTEGER,"
    " age_at_completion REAL, years_as_carer REAL, partner_id INTEGER, deferral TEXT,"
    " gallery_works INTEGER, agitated_donations INTEGER, outbursts INTEGER, stage TEXT,"
    " halfway_house INTEGER);"
    "CREATE TABLE donations(donor_id INTEGER, number INTEGER, date TEXT, day REAL,"
    " centre TEXT, organs TEXT, completed INTEGER, carer_id INTEGER, agitated INTEGER,"
    " bed_wait_days REAL);"
    "CREATE TABLE chip_readings(donor_id INTEGER, chip INTEGER, date TEXT, day REAL,"
    " place TEXT);"
    "BEGIN;";

static int prepare(struct hs_output *o, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v2(o->db, sql, -1, st, NULL) == SQLITE_OK ? HS_OK : HS_EIO;
}

static int prepare_rows(struct hs_output *o, int t, int n, sqlite3_stmt **st);

static int open_db(struct hs_output *o, char *err, size_t errlen)
{
    /* one thread writes it: no mutexes (3-4% of a default run's time) */
    if (sqlite3_open_v2(o->path[F_SQLITE], &o->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(o->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    /* the yearly table has one REAL column per yearly.csv column */
    size_t ncol = hs_output_year_columns();
    size_t cap = 64 * ncol + 64;
    char *create = malloc(cap), *insert = malloc(cap);
    if (!create || !insert) {
        free(create);
        free(insert);
        goto fail;
    }
    int ok = 1;
    /* yearly: the run; yearly_baseline: the same world without the programme
     * or its cures; yearly_ceiling: the same world at perfect supply */
    static const char *const tables[3] = {"yearly", "yearly_baseline", "yearly_ceiling"};
    sqlite3_stmt **sts[3] = {&o->st_year, &o->st_base, &o->st_ceil};
    for (int t = 0; t < 3 && ok; t++) {
        size_t a = (size_t)snprintf(create, cap, "CREATE TABLE %s(year INTEGER PRIMARY KEY",
                                    tables[t]);
        size_t b = (size_t)snprintf(insert, cap, "INSERT INTO %s VALUES(?", tables[t]);
        for (size_t i = 1; i < ncol; i++) {
            a += (size_t)snprintf(create + a, cap - a, ", %s REAL", hs_output_year_column(i));
            b += (size_t)snprintf(insert + b, cap - b, ",?");
        }
        snprintf(create + a, cap - a, ")");
        snprintf(insert + b, cap - b, ")");
        ok = sqlite3_exec(o->db, create, NULL, NULL, NULL) == SQLITE_OK &&
             prepare(o, insert, sts[t]) == HS_OK;
    }
    free(create);
    free(insert);
    for (int t = 0; t < T_COUNT && ok; t++)
        ok = prepare_rows(o, t, 1, &o->st_rows[t][0]) == HS_OK &&
             prepare_rows(o, t, GROUP, &o->st_rows[t][1]) == HS_OK;
    if (!ok || prepare(o, "INSERT INTO parameters VALUES(?,?)", &o->st_param) != HS_OK)
        goto fail;
    return HS_OK;
fail:
    snprintf(err, errlen, "cannot create %s: %s", o->path[F_SQLITE],
             o->db ? sqlite3_errmsg(o->db) : "out of memory");
    return HS_EIO;
}

int hs_output_open(const char *dir, struct hs_output **out, char *err, size_t errlen)
{
    *out = NULL;
    struct hs_output *o = calloc(1, sizeof *o);
    if (o == NULL) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    if (writer_init(&o->w) != HS_OK) {
        for (int i = 0; i < NBATCHES; i++)
            free(o->w.batch[i]);
        free(o);
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    int rc = hs_publish_lock(dir, "run", &o->lock, err, errlen);
    if (rc == HS_OK)
        rc = hs_publish_open(dir, run_owned, o->lock, &o->pub, err, errlen);
    if (rc != HS_OK) {
        hs_publish_unlock(o->lock);
        for (int i = 0; i < NBATCHES; i++)
            free(o->w.batch[i]);
        pthread_mutex_destroy(&o->w.mu);
        pthread_cond_destroy(&o->w.more);
        pthread_cond_destroy(&o->w.room);
        free(o);
        return rc;
    }
    size_t dlen = strlen(dir);
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    for (int i = 0; i < F_COUNT; i++) {
        o->path[i] = hs_publish_path(o->pub, final_names[i]);
        size_t n = dlen + strlen(final_names[i]) + 2;
        if ((o->shown[i] = malloc(n)) != NULL)
            snprintf(o->shown[i], n, "%.*s/%s", (int)dlen, dir, final_names[i]);
        if (!o->path[i] || !o->shown[i]) {
            hs_output_abort(o);
            snprintf(err, errlen, "out of memory");
            return HS_ENOMEM;
        }
    }
    if (open_db(o, err, errlen) != HS_OK) {
        hs_output_abort(o);
        return HS_EIO;
    }
    o->csv = fopen(o->path[F_CSV], "w");
    if (o->csv == NULL) {
        snprintf(err, errlen, "cannot create %s: %s", o->path[F_CSV], strerror(errno));
        hs_output_abort(o);
        return HS_EIO;
    }
    hs_output_csv_header(o->csv);   /* a failure shows at the first row */
    *out = o;
    return HS_OK;
}

/* ---- the sink ---------------------------------------------------------- */

static int step(struct hs_output *o, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        failed_db(o);   /* before the reset, which would clear the cause */
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? HS_OK : HS_EIO;
}

/* A date bound as text from a buffer of the writer's own that outlives the
 * row's step (SQLITE_STATIC: SQLite neither copies nor frees it), one
 * buffer per column of the row: a donor's row has more dates than any
 * other. */
static void bind_date(struct hs_output *o, sqlite3_stmt *st, int col, double day)
{
    if (isnan(day) || col < 1 || col > DATE_COLS) {
        sqlite3_bind_null(st, col);
        return;
    }
    char *buf = o->dates[col - 1];
    hs_output_date(o->start_year, day, buf, sizeof o->dates[0]);
    sqlite3_bind_text(st, col, buf, (int)strlen(buf), SQLITE_STATIC);
}

static void bind_real(sqlite3_stmt *st, int col, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_double(st, col, v);
}

static void bind_text(sqlite3_stmt *st, int col, const char *s)
{
    if (s == NULL)
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

static int write_year(struct hs_output *o, const struct hs_year_row *r)
{
    size_t n = hs_output_year_columns();
    sqlite3_bind_int(o->st_year, 1, r->year);
    for (size_t i = 1; i < n; i++)
        bind_real(o->st_year, (int)i + 1, hs_output_year_value(r, i));
    if (hs_output_csv_row(o->csv, r) != 0) {
        failed_file(o, F_CSV, errno);
        return HS_EIO;
    }
    return step(o, o->st_year);
}

/* Each binds row `row` of a statement's rows (its parameters after
 * row * the table's columns). */
static void bind_donation(struct hs_output *o, sqlite3_stmt *st, int row, const struct rec *rec)
{
    const struct hs_donation_row *r = &rec->u.donation;
    int c = row * 10;
    char *organs = o->organs[row];
    hs_output_organ_list(r->organs, organs, sizeof o->organs[0]);
    sqlite3_bind_int64(st, c + 1, r->donor);
    sqlite3_bind_int(st, c + 2, r->number);
    bind_date(o, st, c + 3, r->t);
    sqlite3_bind_double(st, c + 4, r->t);
    bind_text(st, c + 5, r->centre);
    sqlite3_bind_text(st, c + 6, organs, (int)strlen(organs), SQLITE_STATIC);
    sqlite3_bind_int(st, c + 7, r->completed);
    if (r->carer >= 0)
        sqlite3_bind_int64(st, c + 8, r->carer);
    else
        sqlite3_bind_null(st, c + 8);
    sqlite3_bind_int(st, c + 9, r->agitated);
    sqlite3_bind_double(st, c + 10, r->bed_wait_days);
}

static void bind_move(struct hs_output *o, sqlite3_stmt *st, int row, const struct rec *rec)
{
    const struct hs_move_row *r = &rec->u.move;
    int c = row * 5;
    sqlite3_bind_int64(st, c + 1, r->donor);
    sqlite3_bind_int64(st, c + 2, (sqlite3_int64)r->chip);
    bind_date(o, st, c + 3, r->t);
    sqlite3_bind_double(st, c + 4, r->t);
    bind_text(st, c + 5, r->place);
}

static const char *deferral_name(int d)
{
    return d == HS_DEFERRAL_GRANTED ? "granted" : d == HS_DEFERRAL_REFUSED ? "refused" : NULL;
}

static void bind_donor(struct hs_output *o, sqlite3_stmt *st, int row, const struct rec *rec)
{
    const struct hs_donor_row *r = &rec->u.donor;
    int c = row * DONOR_COLS + 1;
    sqlite3_bind_int64(st, c++, r->id);
    bind_text(st, c++, r->name);
    bind_text(st, c++, r->estate);
    sqlite3_bind_int(st, c++, r->cohort);
    bind_text(st, c++, r->sex ? "male" : "female");
    bind_text(st, c++, hs_abo_name(r->abo));
    sqlite3_bind_int64(st, c++, (sqlite3_int64)r->chip);
    bind_date(o, st, c++, r->created);
    bind_date(o, st, c++, r->left_estate);
    bind_text(st, c++, r->cottages);
    bind_date(o, st, c++, r->training);
    bind_date(o, st, c++, r->carer);
    bind_date(o, st, c++, r->notice);
    for (int k = 0; k < HS_MAX_DONATIONS; k++)
        bind_date(o, st, c++, r->donation[k]);
    bind_date(o, st, c++, r->completed);
    sqlite3_bind_int(st, c++, r->donations);
    bind_real(st, c++, r->completion_age);
    bind_real(st, c++, r->carer_years);
    if (r->partner >= 0)
        sqlite3_bind_int64(st, c++, r->partner);
    else
        sqlite3_bind_null(st, c++);
    bind_text(st, c++, deferral_name(r->deferral));
    sqlite3_bind_int(st, c++, r->gallery_works);
    sqlite3_bind_int(st, c++, r->agitated_donations);
    sqlite3_bind_int(st, c++, r->outbursts);
    bind_text(st, c++, hs_stage_name(r->stage));
    if (r->house >= 0)
        sqlite3_bind_int64(st, c++, r->house);
    else
        sqlite3_bind_null(st, c++);
}

/* The world's tables of rows: how each is inserted. */
struct row_table {
    enum rec_kind kind;
    const char *name;
    int ncols;
    void (*bind)(struct hs_output *o, sqlite3_stmt *st, int row, const struct rec *r);
};

static const struct row_table row_tables[T_COUNT] = {
    [T_DONORS] = {REC_DONOR, "donors", DONOR_COLS, bind_donor},
    [T_DONATIONS] = {REC_DONATION, "donations", 10, bind_donation},
    [T_CHIPS] = {REC_MOVE, "chip_readings", 5, bind_move},
};

/* The statement inserting n rows into table t. */
static int prepare_rows(struct hs_output *o, int t, int n, sqlite3_stmt **st)
{
    const struct row_table *rt = &row_tables[t];
    size_t cap = 64 + (size_t)n * (2 * (size_t)rt->ncols + 3);
    char *sql = malloc(cap);
    if (sql == NULL)
        return HS_ENOMEM;
    size_t k = (size_t)snprintf(sql, cap, "INSERT INTO %s VALUES", rt->name);
    for (int i = 0; i < n; i++) {
        sql[k++] = i ? ',' : ' ';
        sql[k++] = '(';
        for (int c = 0; c < rt->ncols; c++) {
            if (c)
                sql[k++] = ',';
            sql[k++] = '?';
        }
        sql[k++] = ')';
    }
    sql[k] = '\0';
    int rc = prepare(o, sql, st);
    free(sql);
    return rc;
}

/* Insert n (GROUP or 1) rows of table t, in their order. */
static int insert_rows(struct hs_output *o, int t, const struct rec *const *rows, int n)
{
    sqlite3_stmt *st = o->st_rows[t][n == GROUP];
    if (n != GROUP && n != 1)
        return HS_EINVAL;
    for (int i = 0; i < n; i++)
        row_tables[t].bind(o, st, i, rows[i]);
    return step(o, st);
}


static int world_year(struct hs_output *o, sqlite3_stmt *st, const struct hs_year_row *r)
{
    for (size_t i = 0; i < hs_output_year_columns(); i++) {
        if (i == 0)
            sqlite3_bind_int(st, 1, r->year);
        else
            bind_real(st, (int)i + 1, hs_output_year_value(r, i));
    }
    return step(o, st);
}

/* ---- the writer thread ---------------------------------------------------- */

/* A batch's rows: the yearly ones in order, then each table's rows in
 * their order, GROUP to a statement.  Each table's rows keep the order the
 * world gave them, so their row ids do not depend on the grouping. */
static int write_batch(struct hs_output *o, const struct rec *recs, size_t n)
{
    int rc = HS_OK;
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        const struct rec *r = &recs[i];
        if (r->kind == REC_YEAR)
            rc = write_year(o, &r->u.year);
        else if (r->kind == REC_BASE)
            rc = world_year(o, o->st_base, &r->u.year);
        else if (r->kind == REC_CEIL)
            rc = world_year(o, o->st_ceil, &r->u.year);
    }
    for (int t = 0; t < T_COUNT && rc == HS_OK; t++) {
        const struct rec *pick[GROUP];
        int k = 0;
        for (size_t i = 0; i < n && rc == HS_OK; i++) {
            if (recs[i].kind != row_tables[t].kind)
                continue;
            pick[k++] = &recs[i];
            if (k == GROUP) {
                rc = insert_rows(o, t, pick, GROUP);
                k = 0;
            }
        }
        for (int i = 0; i < k && rc == HS_OK; i++)
            rc = insert_rows(o, t, &pick[i], 1);
    }
    return rc;
}

static void *writer_main(void *arg)
{
    struct hs_output *o = arg;
    struct writer *w = &o->w;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->nready == 0 && !w->done)
            pthread_cond_wait(&w->more, &w->mu);
        if (w->nready == 0) {   /* done, and all written */
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        int b = w->ready[w->head];
        w->head = (w->head + 1) % NBATCHES;
        w->nready--;
        pthread_mutex_unlock(&w->mu);
        int rc = write_batch(o, w->batch[b], w->fill[b]);
        pthread_mutex_lock(&w->mu);
        w->spare[w->nspare++] = b;
        if (rc != HS_OK)
            w->failed = 1;
        pthread_cond_signal(&w->room);
        pthread_mutex_unlock(&w->mu);
        if (rc != HS_OK)
            return NULL;   /* o->why says what failed */
    }
}

static int writer_init(struct writer *w)
{
    memset(w, 0, sizeof *w);
    w->cur = -1;
    for (int i = 0; i < NBATCHES; i++) {
        if ((w->batch[i] = malloc(BATCH * sizeof(struct rec))) == NULL)
            return HS_ENOMEM;
        w->spare[w->nspare++] = i;
    }
    if (pthread_mutex_init(&w->mu, NULL) != 0)
        return HS_ENOMEM;
    if (pthread_cond_init(&w->more, NULL) != 0 || pthread_cond_init(&w->room, NULL) != 0)
        return HS_ENOMEM;
    return HS_OK;
}

/* Wait for the writer to write what it has and end (nothing if it never
 * started); then the database and the CSV are this thread's again. */
static void writer_stop(struct hs_output *o)
{
    struct writer *w = &o->w;
    if (!w->started)
        return;
    pthread_mutex_lock(&w->mu);
    w->done = 1;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    w->started = 0;
}

/* Hand the batch being filled (if any) to the writer, started at the
 * first, and take an empty one (want).  HS_EIO when the writer stopped at
 * a failed write: it has ended, and o->why says why. */
static int writer_hand_over(struct hs_output *o, int want)
{
    struct writer *w = &o->w;
    if (!w->started && w->cur >= 0) {
        if (pthread_create(&w->thread, NULL, writer_main, o) != 0) {
            /* no thread to be had: write the batch here */
            int rc = write_batch(o, w->batch[w->cur], w->ncur);
            w->ncur = 0;
            return rc;
        }
        w->started = 1;
    }
    pthread_mutex_lock(&w->mu);
    if (w->cur >= 0 && w->ncur > 0) {
        w->fill[w->cur] = w->ncur;
        w->ready[(w->head + w->nready) % NBATCHES] = w->cur;
        w->nready++;
        pthread_cond_signal(&w->more);
        w->cur = -1;
    } else if (w->cur >= 0) {
        w->spare[w->nspare++] = w->cur;
        w->cur = -1;
    }
    while (want && w->nspare == 0 && !w->failed)
        pthread_cond_wait(&w->room, &w->mu);
    int failed = w->failed;
    if (want && !failed) {
        w->cur = w->spare[--w->nspare];
        w->ncur = 0;
    }
    pthread_mutex_unlock(&w->mu);
    if (failed) {
        writer_stop(o);
        return HS_EIO;
    }
    return HS_OK;
}

/* The next free row of the batch being filled, or NULL after a failure. */
static struct rec *next_rec(struct hs_output *o, enum rec_kind kind)
{
    struct writer *w = &o->w;
    if (w->cur < 0 || w->ncur == BATCH)
        if (writer_hand_over(o, 1) != HS_OK)
            return NULL;
    struct rec *r = &w->batch[w->cur][w->ncur++];
    r->kind = kind;
    return r;
}

static void copy_str(char *dst, size_t n, const char **s)
{
    if (*s == NULL)
        return;
    size_t len = strnlen(*s, n - 1);
    memcpy(dst, *s, len);
    dst[len] = '\0';
    *s = dst;
}

static int sink_year(void *ctx, const struct hs_year_row *row)
{
    struct rec *r = next_rec(ctx, REC_YEAR);
    if (r == NULL)
        return HS_EIO;
    r->u.year = *row;
    return HS_OK;
}

static int sink_donation(void *ctx, const struct hs_donation_row *row)
{
    struct rec *r = next_rec(ctx, REC_DONATION);
    if (r == NULL)
        return HS_EIO;
    r->u.donation = *row;
    copy_str(r->s1, sizeof r->s1, &r->u.donation.centre);
    return HS_OK;
}

static int sink_move(void *ctx, const struct hs_move_row *row)
{
    struct rec *r = next_rec(ctx, REC_MOVE);
    if (r == NULL)
        return HS_EIO;
    r->u.move = *row;
    copy_str(r->s1, sizeof r->s1, &r->u.move.place);
    return HS_OK;
}

static int sink_donor(void *ctx, const struct hs_donor_row *row)
{
    struct rec *r = next_rec(ctx, REC_DONOR);
    if (r == NULL)
        return HS_EIO;
    r->u.donor = *row;
    copy_str(r->s1, sizeof r->s1, &r->u.donor.estate);
    copy_str(r->s2, sizeof r->s2, &r->u.donor.cottages);
    return HS_OK;
}

struct hs_world_sink hs_output_sink(struct hs_output *o)
{
    struct hs_world_sink s = {o, sink_year, sink_donation, sink_move, sink_donor};
    return s;
}

static int sink_base_year(void *ctx, const struct hs_year_row *row)
{
    struct rec *r = next_rec(ctx, REC_BASE);
    if (r == NULL)
        return HS_EIO;
    r->u.year = *row;
    return HS_OK;
}

static int sink_ceil_year(void *ctx, const struct hs_year_row *row)
{
    struct rec *r = next_rec(ctx, REC_CEIL);
    if (r == NULL)
        return HS_EIO;
    r->u.year = *row;
    return HS_OK;
}

struct hs_world_sink hs_output_baseline_sink(struct hs_output *o)
{
    struct hs_world_sink s = {o, sink_base_year, NULL, NULL, NULL};
    return s;
}

struct hs_world_sink hs_output_ceiling_sink(struct hs_output *o)
{
    struct hs_world_sink s = {o, sink_ceil_year, NULL, NULL, NULL};
    return s;
}

/* ---- parameters and summary --------------------------------------------- */

static void visit_param(void *ctx, const char *path, const char *value)
{
    struct hs_output *o = ctx;
    sqlite3_bind_text(o->st_param, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(o->st_param, 2, value, -1, SQLITE_TRANSIENT);
    step(o, o->st_param);
}

int hs_output_parameters(struct hs_output *o, const struct hs_params *p,
                         const struct hs_run_meta *m)
{
    char buf[64];
    o->start_year = p->start_year;
    hs_scenario_visit(p, visit_param, o);
    visit_param(o, "run.scenario", m->scenario);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)m->seed);
    visit_param(o, "run.seed", buf);
    snprintf(buf, sizeof buf, "%.17g", m->scale);
    visit_param(o, "run.scale", buf);
    visit_param(o, "run.version", m->version);
    visit_param(o, "run.inputs", m->inputs ? m->inputs : "");
    return o->failed ? HS_EIO : HS_OK;
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary_json(const struct hs_summary *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "events", json_integer((json_int_t)s->events));
    json_object_set_new(j, "years", num(s->years));
    for (size_t i = 0; i < hs_cat_headlines(); i++) {
        const struct hs_figure *f = hs_cat_headline(i);
        json_object_set_new(j, f->name, num(hs_cat_headline_value(f, s)));
    }
    return j;
}

int hs_output_summary(struct hs_output *o, const struct hs_run_meta *m,
                      const struct hs_summary *s, const struct hs_summary *b,
                      const struct hs_summary *c)
{
    json_t *j = json_object();
    json_object_set_new(j, "scenario", json_string(m->scenario));
    json_object_set_new(j, "seed", json_integer((json_int_t)m->seed));
    json_object_set_new(j, "scale", json_real(m->scale));
    json_object_set_new(j, "version", json_string(m->version));
    json_object_set_new(j, "format", json_integer(HS_FORMAT_VERSION));
    json_object_set_new(j, "inputs", json_string(m->inputs ? m->inputs : ""));
    json_t *ov = json_array();
    for (size_t i = 0; i < m->noverrides; i++)
        json_array_append_new(ov, json_string(m->overrides[i]));
    json_object_set_new(j, "overrides", ov);
    json_object_set_new(j, "events", json_integer((json_int_t)s->events));
    json_object_set_new(j, "headline", summary_json(s));
    if (b != NULL) {
        json_object_set_new(j, "baseline", summary_json(b));
        json_t *d = json_object();
        json_object_set_new(d, "deaths_waiting_avoided",
                            num(b->deaths_waiting_total - s->deaths_waiting_total));
        json_object_set_new(d, "transplants_added", num(s->transplants_total - b->transplants_total));
        json_object_set_new(d, "life_expectancy_end_gain",
                            num(s->life_expectancy_end - b->life_expectancy_end));
        json_object_set_new(d, "reached_100_added", num(s->reached_100_total - b->reached_100_total));
        json_object_set_new(d, "public_alive_end_added",
                            num(s->public_alive_end - b->public_alive_end));
        json_object_set_new(j, "with_vs_without", d);
    }
    if (c != NULL)
        json_object_set_new(j, "ceiling", summary_json(c));
    json_decref(o->summary);
    o->summary = j;
    return HS_OK;
}

int hs_output_inputs_of(const char *dir, char *buf, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (access(path, F_OK) != 0)
        return 0;
    json_t *j = json_load_file(path, 0, NULL);
    const char *v = json_string_value(json_object_get(j, "inputs"));
    int found = v != NULL && *v != '\0';
    if (found)
        snprintf(buf, n, "%s", v);
    json_decref(j);
    return found ? 1 : -1;
}

/* ---- commit and abort ---------------------------------------------------- */

/* Every prepared statement finalized (those never prepared are NULL). */
static void finalize_all(struct hs_output *o)
{
    sqlite3_stmt **sts[] = {&o->st_year, &o->st_base, &o->st_ceil, &o->st_param};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++) {
        sqlite3_finalize(*sts[i]);
        *sts[i] = NULL;
    }
    for (int t = 0; t < T_COUNT; t++)
        for (int g = 0; g < 2; g++) {
            sqlite3_finalize(o->st_rows[t][g]);
            o->st_rows[t][g] = NULL;
        }
}

static int finish_db(struct hs_output *o)
{
    finalize_all(o);
    int rc = sqlite3_exec(o->db,
                          "COMMIT;"
                          "CREATE INDEX donations_donor ON donations(donor_id);"
                          "CREATE INDEX chip_donor ON chip_readings(donor_id);"
                          "CREATE INDEX donors_cohort ON donors(cohort);",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        failed_db(o);
    rc |= sqlite3_close(o->db);
    o->db = NULL;
    return rc == SQLITE_OK && !o->failed ? HS_OK : HS_EIO;
}

int hs_output_commit(struct hs_output *o, char *err, size_t errlen)
{
    /* the last rows, then the writer ends: the files are this thread's */
    int wrc = writer_hand_over(o, 0);
    writer_stop(o);
    if (wrc != HS_OK || o->failed) {
        if (o->why[0] == '\0')
            failed_file(o, F_SQLITE, 0);
        snprintf(err, errlen, "%s", o->why);
        return HS_EIO;
    }
    if (finish_db(o) != HS_OK) {
        if (o->why[0] == '\0')
            failed_file(o, F_SQLITE, 0);
        snprintf(err, errlen, "%s", o->why);
        return HS_EIO;
    }
    errno = 0;
    int bad = fflush(o->csv) != 0 || ferror(o->csv);
    int e = errno;
    if (fclose(o->csv) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    o->csv = NULL;
    if (bad) {
        failed_file(o, F_CSV, e);
        snprintf(err, errlen, "%s", o->why);
        return HS_EIO;
    }
    errno = 0;
    if (o->summary == NULL ||
        json_dump_file(o->summary, o->path[F_JSON], JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                                        JSON_REAL_PRECISION(12)) != 0) {
        failed_file(o, F_JSON, errno);
        snprintf(err, errlen, "%s", o->why);
        return HS_EIO;
    }
    /* all three complete: they replace the previous set together (the
     * files are flushed to disk there) */
    return hs_publish_commit(o->pub, err, errlen);
}

void hs_output_abort(struct hs_output *o)
{
    if (o == NULL)
        return;
    writer_stop(o);   /* what it has in hand is written to files about to go */
    for (int i = 0; i < NBATCHES; i++)
        free(o->w.batch[i]);
    if (o->w.batch[0] != NULL) {
        pthread_mutex_destroy(&o->w.mu);
        pthread_cond_destroy(&o->w.more);
        pthread_cond_destroy(&o->w.room);
    }
    if (o->db) {
        finalize_all(o);
        sqlite3_close(o->db);
    }
    if (o->csv)
        fclose(o->csv);
    hs_publish_abort(o->pub);   /* removes the staging directory unless committed */
    hs_publish_unlock(o->lock);
    for (int i = 0; i < F_COUNT; i++) {
        free(o->path[i]);
        free(o->shown[i]);
    }
    json_decref(o->summary);
    free(o);
}
