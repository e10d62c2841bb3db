/* SPDX-License-Identifier: MIT
 *
 * experiment.h - many runs of the world: replications with confidence
 * intervals, sweeps over parameter values, on every core and, through
 * MPI, on several machines (`hailsham experiment`, docs/experiments.md).
 *
 * An experiment is the full factorial of the values given to the varied
 * keys (its sweep points) times N replications.  Replication i of every
 * point draws its random streams from (seed, i), so points are compared
 * on common random numbers and each replication's result depends on
 * nothing but its (point, i).  Results are gathered by that index and
 * aggregated in index order, so the output files are the same bytes
 * whatever the number of threads or MPI processes.
 *
 * Each finished replication is kept in a journal in the output directory
 * (one small file per replication, written atomically), so a stopped
 * experiment resumes where it stopped and the final files, made from the
 * journal, equal those of an uninterrupted run.
 *
 * The parts, one file each: the headline figures (figures.c), their
 * statistics (stats.c), the sweep (sweep.c), a replication's record as
 * bytes (record.c), the journal (journal.c), the thread pool (runner.c),
 * MPI (comm.c), the output files (write.c), the table on stdout
 * (table.c) and the whole (experiment.c).  Nothing keeps global state.
 */
#ifndef HS_EXPERIMENT_H
#define HS_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../scenario/scenario.h"
#include "../world/world.h"

/* The confidence level of every interval. */
#define HS_EXP_LEVEL 0.95
/* Limits that keep a mistyped command from asking for the impossible. */
#define HS_EXP_MAX_REPS 1000000u
#define HS_EXP_MAX_POINTS 10000u
#define HS_EXP_MAX_VALUES 1000u
#define HS_EXP_MAX_THREADS 1024u
/* points x replications: the figures of each are kept in memory (200 B) */
#define HS_EXP_MAX_TASKS 2000000u

/* ---- headline figures (figures.c) -------------------------------------- */

/* The figures of struct hs_summary that experiments report, named as in
 * summary.json (public_alive_end, deaths_waiting_total, ...). */
size_t hs_exp_figure_count(void);
const char *hs_exp_figure_name(size_t i);
double hs_exp_figure_value(const struct hs_summary *s, size_t i);
/* Index of a figure by name, or -1. */
long hs_exp_figure_find(const char *name);
/* Every name, ", "-separated, for messages. */
void hs_exp_figure_list(char *buf, size_t size);

/* ---- statistics (stats.c) ---------------------------------------------- */

/* Mean, standard deviation and the Student-t 95% interval of the finite
 * values among x[0], x[stride], ..., x[(n-1)*stride] (a figure that is
 * undefined in a replication, NaN, is left out and n says so).  Fields
 * that cannot be computed (n < 2 for the spread) are NaN. */
struct hs_exp_stat {
    size_t n;
    double mean, sd, half_width, lo, hi;
};
void hs_exp_stat_of(const double *x, size_t n, size_t stride, struct hs_exp_stat *out);
/* The same for the paired differences y[i] - x[i] (pairs where both are
 * finite): under common random numbers this interval is much narrower
 * than the difference of two independent means. */
void hs_exp_diff_of(const double *x, const double *y, size_t n, size_t stride,
                    struct hs_exp_stat *out);

/* ---- the sweep (sweep.c) ----------------------------------------------- */

struct hs_exp_axis {
    char *path;          /* "programme.couples.grant" */
    char **values;       /* value texts, as YAML */
    size_t nvalues;
    const char *origin;  /* "--vary" or the scenario file's name, for messages */
};
struct hs_exp_sweep {
    struct hs_exp_axis *axis;
    size_t naxes;
    size_t npoints;      /* product of the nvalues; 1 without axes */
};

/* Split "key.path=v1,v2,..." at the commas outside brackets, braces and
 * quotes (so "k={1952: 800, 1960: 900},{1952: 0}" has two values).  On a
 * malformed spec returns HS_EINVAL with the reason in err. */
int hs_exp_split_vary(const char *spec, char **key, char ***values, size_t *nvalues,
                      char *err, size_t errlen);
/* The axes of the file's sweep, then the --vary options: a --vary of a key
 * the file sweeps replaces the file's values in place.  HS_EINVAL (reason
 * in err) for malformed or repeated keys, repeated values or too many
 * points. */
int hs_exp_sweep_build(const struct hs_sweep *file, const char *file_name,
                       const char *const *varies, size_t nvaries, struct hs_exp_sweep *out,
                       char *err, size_t errlen);
void hs_exp_sweep_free(struct hs_exp_sweep *s);
/* The value index on each axis of point p: the last axis varies fastest. */
void hs_exp_sweep_coords(const struct hs_exp_sweep *s, size_t p, size_t *idx);
/* The parameters of point p: base with each axis' value applied.  Errors
 * (HS_EPARSE, HS_ENOMEM) in d; runs hs_scenario_check. */
int hs_exp_point_params(const struct hs_exp_sweep *s, const struct hs_params *base, size_t p,
                        struct hs_params *out, struct hs_diag *d);
/* Check every value of every axis on its own, then every point across
 * keys, printing each problem (naming --vary and the value, or the point)
 * to err.  HS_OK, HS_EPARSE or HS_ENOMEM. */
int hs_exp_sweep_check(const struct hs_exp_sweep *s, const struct hs_params *base, FILE *err);
/* "key=value key2=value2" of point p (or "base" without axes). */
void hs_exp_point_label(const struct hs_exp_sweep *s, size_t p, char *buf, size_t size);

/* ---- one replication's record (record.c) -------------------------------- */

struct hs_exp_rec {
    uint32_t point, rep;
    uint64_t events;
    double *fig;             /* hs_exp_figure_count() values */
    size_t nyears, ncols;    /* yearly rows, hs_output_year_columns() values each */
    double *years;           /* nyears * ncols, row by row */
};

/* The record of a finished world (its summary and collected rows). */
int hs_exp_rec_make(uint32_t point, uint32_t rep, const struct hs_summary *s,
                    const double *years, size_t nyears, struct hs_exp_rec *out);
/* To bytes and back.  The format is text with every double in C's exact
 * hexadecimal notation, so a record read back is bit for bit the record
 * written, on any machine.  decode returns HS_EPARSE on anything but a
 * complete record; want_years 0 skips the yearly rows. */
int hs_exp_rec_encode(const struct hs_exp_rec *r, char **buf, size_t *len);
int hs_exp_rec_decode(const char *buf, size_t len, int want_years, struct hs_exp_rec *r);
void hs_exp_rec_free(struct hs_exp_rec *r);

/* ---- the journal (journal.c) -------------------------------------------- */

struct hs_exp_journal;

/* Open DIR/.journal for the experiment whose identity is id (a hash of
 * every setting that decides its results), creating DIR if needed and
 * taking a lock so that two experiments cannot share DIR.  A journal of
 * another experiment is refused (HS_ESTATE), as is a locked one
 * (HS_ESTATE); the reason is in err. */
int hs_exp_journal_open(const char *dir, uint64_t id, struct hs_exp_journal **out,
                        char *err, size_t errlen);
/* Write one record's bytes atomically. */
int hs_exp_journal_put(struct hs_exp_journal *j, uint32_t point, uint32_t rep,
                       const char *buf, size_t len, char *err, size_t errlen);
/* Read one record: HS_OK, HS_ENOTFOUND, HS_EPARSE (damaged) or HS_ENOMEM. */
int hs_exp_journal_get(struct hs_exp_journal *j, uint32_t point, uint32_t rep, int want_years,
                       struct hs_exp_rec *r);
/* Call fn for every record file present (in directory order). */
int hs_exp_journal_scan(struct hs_exp_journal *j,
                        void (*fn)(void *ctx, uint32_t point, uint32_t rep), void *ctx);
/* Remove the journal (after the final files are in place) and close. */
int hs_exp_journal_remove(struct hs_exp_journal *j);
void hs_exp_journal_close(struct hs_exp_journal *j);
/* 64-bit FNV-1a, for identities: start from HS_EXP_HASH0 and feed texts. */
#define HS_EXP_HASH0 0xcbf29ce484222325u
uint64_t hs_exp_hash(uint64_t h, const char *s, size_t len);

/* ---- processes (comm.c) -------------------------------------------------- */

/* The MPI world, or a world of one when built without MPI. */
struct hs_exp_comm {
    int rank, size;
    int local;       /* processes on this machine (to share its cores) */
    int mpi;         /* MPI was initialised and must be finalised */
    int (*exit_of)(int status);   /* a status as an exit status, for an abort */
};
/* Name of the MPI library built in, or NULL. */
const char *hs_exp_mpi_name(void);
int hs_exp_comm_init(struct hs_exp_comm *c);
void hs_exp_comm_finalize(struct hs_exp_comm *c);
/* End every process with the exit status of `status` (an hs_status; a
 * failure on one rank), as c->exit_of gives it. */
void hs_exp_comm_abort(const struct hs_exp_comm *c, int status);
/* Every rank's status to every rank: HS_OK if all are, else a failure
 * (so that one rank's failure ends them all alike). */
int hs_exp_comm_agree(const struct hs_exp_comm *c, int status);
/* Rank 0's n values to every rank. */
int hs_exp_comm_bcast(const struct hs_exp_comm *c, uint64_t *v, size_t n);
/* A record's bytes to rank 0. */
int hs_exp_comm_send(const struct hs_exp_comm *c, const char *buf, size_t len);
/* Rank 0: a record from another rank if one has arrived (1), none (0),
 * or a negative status. */
int hs_exp_comm_poll(const struct hs_exp_comm *c, char **buf, size_t *len);

/* ---- running replications (runner.c) ------------------------------------- */

/* Task codes: point in the high 32 bits, replication in the low. */
static inline uint64_t hs_exp_task(uint32_t point, uint32_t rep)
{
    return (uint64_t)point << 32 | rep;
}

struct hs_exp_runner_cb {
    void *ctx;
    /* A finished record's bytes (ownership passes); called on the
     * coordinating thread, in completion order.  Non-zero stops the run. */
    int (*done)(void *ctx, uint64_t task, char *buf, size_t len);
    /* Called on the coordinating thread about every `every` seconds while
     * waiting (rank 0 polls MPI here); non-zero stops the run. */
    int (*tick)(void *ctx);
    double every;
    /* Rank 0 journals local results from the worker threads. */
    struct hs_exp_journal *journal;
};

/* Run the tasks on `threads` threads: task k builds the world of
 * points[point] with (seed, rep), runs it, and hands its record to cb.
 * Returns HS_OK or the first failure (reason in err). */
int hs_exp_run_tasks(const struct hs_params *points, uint64_t seed, const uint64_t *tasks,
                     size_t ntasks, unsigned threads, const struct hs_exp_runner_cb *cb,
                     char *err, size_t errlen);
/* One replication, to its record's bytes (used by the runner; public for
 * tests). */
int hs_exp_run_one(const struct hs_params *p, uint64_t seed, uint32_t point, uint32_t rep,
                   char **buf, size_t *len, char *err, size_t errlen);

/* ---- the whole experiment (experiment.c) -------------------------------- */

struct hs_exp_config {
    const char *scenario;               /* name or path, as given */
    const char *const *sets;            /* --set assignments */
    size_t nsets;
    const char *const *varies;          /* --vary specs */
    size_t nvaries;
    double scale;                       /* NaN: the scenario's */
    uint64_t seed;
    size_t replications;                /* per point (the first batch with precision) */
    unsigned threads;                   /* 0: every core */
    double precision;                   /* 0: a fixed number of replications */
    const size_t *watch;                /* figure indexes --precision watches */
    size_t nwatch;
    const size_t *figures;              /* figure indexes the table shows; none: all */
    size_t nfigures;
    size_t max_replications;            /* cap with precision */
    const char *out;                    /* output directory */
    int quiet;                          /* no table, no progress, no notes */
};

/* Run it: outputs in c->out, the comparison table on stdout, problems on
 * stderr (rank 0 only).  Returns HS_OK, HS_EPARSE (invalid scenario or
 * sweep), HS_ESTATE (the directory holds another experiment), HS_EIO,
 * HS_ENOMEM, or another status for an internal error. */
int hs_experiment_run(const struct hs_exp_config *c, const struct hs_exp_comm *comm);

/* ---- outputs (write.c, table.c) ------------------------------------------ */

/* Everything the output files say, gathered on rank 0. */
struct hs_exp_results {
    const struct hs_exp_config *cfg;
    const struct hs_exp_sweep *sweep;
    const struct hs_params *base;       /* the scenario before the sweep */
    const struct hs_params *points;     /* npoints parameter sets */
    size_t npoints, nreps;              /* replications per point */
    const double *fig;                  /* [point][rep][figure] */
    size_t rep_stride;                  /* reps allotted per point in fig */
    struct hs_exp_journal *journal;     /* yearly rows are read back from it */
    const struct hs_publish_lock *lock; /* the output directory's, held */
    /* precision: */
    int reached;                        /* every watched figure reached it */
    long stop_figure;                   /* the figure that decided, or -1 */
    size_t stop_point;
    double stop_ratio;                  /* its half-width / |mean| */
};

struct hs_publish_lock;   /* src/output/publish.h */

/* Write experiment.csv, .json and .sqlite into a staging directory and,
 * when all three are complete, put it in dir's place with the files dir
 * held besides (src/output/publish.h); the old directory goes, with its
 * journal (r->journal is then only to be closed).  HS_OK or
 * HS_EIO/ENOMEM with the reason in err; HS_OK with err not empty is a
 * warning (the old directory could not be removed whole). */
int hs_exp_write(const struct hs_exp_results *r, const char *dir, char *err, size_t errlen);
/* Before any work: can the files be published into dir (no directory in
 * it that would be lost, not the current directory)?  Also removes what
 * a killed experiment left beside dir (all of it when lock is dir's lock,
 * held).  HS_OK or HS_EIO/ENOMEM + err. */
int hs_exp_check_out(const char *dir, const struct hs_publish_lock *lock, char *err,
                     size_t errlen);
/* The comparison table; HS_OK or HS_EIO if f failed. */
int hs_exp_table(const struct hs_exp_results *r, FILE *f);
/* Statistics of figure k at point p, and its difference from point 0. */
void hs_exp_point_stat(const struct hs_exp_results *r, size_t p, size_t k,
                       struct hs_exp_stat *st);
void hs_exp_point_diff(const struct hs_exp_results *r, size_t p, size_t k,
                       struct hs_exp_stat *st);

#endif
