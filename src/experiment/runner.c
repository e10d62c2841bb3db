/* SPDX-License-Identifier: MIT
 *
 * runner.c - replications on a pool of threads.
 *
 * Each task is one (point, replication): a world of its own, created,
 * run and destroyed by one worker thread, sharing nothing with the others
 * (worlds keep no global state), so the threads need no locking while
 * they simulate.  Workers take the next task from a counter under a
 * mutex; which thread ran a task, and when, never shows in its result.
 * Finished records go into a list that the coordinating thread (the
 * caller's) drains, handing each to the caller's callback; that thread
 * also does the waiting-time work (progress, MPI), so that everything
 * but simulation and journal writes happens on one thread.
 */
#include "experiment.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../output/output.h"

/* ---- one replication --------------------------------------------------- */

/* The yearly rows of a world, as rows of hs_output_year_columns() values. */
struct rows {
    double *v;
    size_t n, cap, ncols;
    int nomem;
};

static int on_year(void *ctx, const struct hs_year_row *r)
{
    struct rows *y = ctx;
    if (y->n == y->cap) {
        size_t cap = y->cap ? 2 * y->cap : 64;
        double *v = realloc(y->v, cap * y->ncols * sizeof *v);
        if (!v) {
            y->nomem = 1;
            return HS_ENOMEM;
        }
        y->v = v;
        y->cap = cap;
    }
    for (size_t i = 0; i < y->ncols; i++)
        y->v[y->n * y->ncols + i] = hs_output_year_value(r, i);
    y->n++;
    return HS_OK;
}

int hs_exp_run_one(const struct hs_params *p, uint64_t seed, uint32_t point, uint32_t rep,
                   char **buf, size_t *len, char *err, size_t errlen)
{
    struct rows y = {NULL, 0, 0, hs_output_year_columns(), 0};
    struct hs_world_sink sink = {&y, on_year, NULL, NULL, NULL};
    struct hs_world *w = NULL;
    struct hs_summary s;
    struct hs_exp_rec rec;

    /* the programme's paired gains come from the same seed and replication
     * without the programme or its cures: a world made after this one has
     * run, from a copy of the initial public this one drew (taken before it
     * ran; without it, the pair draws its own) */
    struct hs_world_start *start = NULL;
    int rc = hs_world_create(p, seed, rep, &sink, &w, err, errlen);
    if (rc == HS_OK && p->programme)
        (void)hs_world_start_take(w, &start);
    if (rc == HS_OK) {
        rc = hs_world_run(w, NULL, NULL);
        if (rc != HS_OK)
            snprintf(err, errlen, "replication %" PRIu32 " of point %" PRIu32 " failed: %s",
                     rep, point, hs_strerror(rc));
        else
            hs_world_summary(w, &s);
    }
    hs_world_destroy(w);
    if (rc == HS_OK && p->programme) {
        struct hs_params q = *p;
        struct hs_summary b;
        hs_params_without_programme(&q);
        w = NULL;
        rc = hs_world_create_alike(start, &q, seed, rep, NULL, &w, err, errlen);
        hs_world_start_free(start);
        start = NULL;
        if (rc == HS_OK)
            rc = hs_world_run(w, NULL, NULL);
        if (rc == HS_OK) {
            hs_world_summary(w, &b);
            hs_summary_pair(&s, &b);
        } else {
            snprintf(err, errlen, "replication %" PRIu32 " of point %" PRIu32 " without the "
                     "programme failed: %s", rep, point, hs_strerror(rc));
        }
        hs_world_destroy(w);
    }
    hs_world_start_free(start);   /* the run failed before its pair was made */
    if (rc == HS_OK) {
        rc = hs_exp_rec_make(point, rep, &s, y.v, y.n, &rec);
        if (rc == HS_OK) {
            rc = hs_exp_rec_encode(&rec, buf, len);
            hs_exp_rec_free(&rec);
        }
        if (rc != HS_OK)
            snprintf(err, errlen, "out of memory for the results of replication %" PRIu32,
                     rep);
    }
    free(y.v);
    return rc;
}

/* ---- the pool ---------------------------------------------------------- */

struct done_rec {
    uint64_t task;
    char *buf;
    size_t len;
};

struct pool {
    const struct hs_params *points;
    uint64_t seed;
    const uint64_t *tasks;
    size_t ntasks;
    struct hs_exp_journal *journal;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* under mu: */
    size_t next;              /* the next task to take */
    struct done_rec *done;    /* finished records, in completion order */
    size_t ndone;
    unsigned running;         /* workers not yet returned */
    int stop;                 /* take no more tasks */
    int status;               /* the first failure */
    char err[512];
};

static void fail(struct pool *p, int rc, const char *err)
{
    if (!p->stop || p->status == HS_OK) {
        p->status = rc;
        snprintf(p->err, sizeof p->err, "%s", err);
    }
    p->stop = 1;
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    char err[512];
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t k = p->next;
        int go = !p->stop && k < p->ntasks;
        if (go)
            p->next++;
        pthread_mutex_unlock(&p->mu);
        if (!go)
            break;
        uint64_t t = p->tasks[k];
        uint32_t point = (uint32_t)(t >> 32), rep = (uint32_t)t;
        char *buf = NULL;
        size_t len = 0;
        int rc = hs_exp_run_one(&p->points[point], p->seed, point, rep, &buf, &len, err,
                                sizeof err);
        if (rc == HS_OK && p->journal)
            rc = hs_exp_journal_put(p->journal, point, rep, buf, len, err, sizeof err);
        pthread_mutex_lock(&p->mu);
        if (rc == HS_OK) {
            p->done[p->ndone++] = (struct done_rec){t, buf, len};
        } else {
            free(buf);
            fail(p, rc, err);
        }
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_lock(&p->mu);
    p->running--;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void deadline(struct timespec *ts, double secs)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    long ns = (long)(secs * 1e9);
    ts->tv_sec += ns / 1000000000L;
    ts->tv_nsec += ns % 1000000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Hand the records finished since *seen to the callback (or free them,
 * after a failure: cb NULL).  Called without the lock: the records below
 * ndone are no longer touched by workers. */
static int drain(struct pool *p, size_t upto, size_t *seen, const struct hs_exp_runner_cb *cb)
{
    int rc = 0;
    for (; *seen < upto; ++*seen) {
        struct done_rec *d = &p->done[*seen];
        if (rc == 0 && cb && cb->done)
            rc = cb->done(cb->ctx, d->task, d->buf, d->len);
        else
            free(d->buf);
        d->buf = NULL;
    }
    return rc;
}

/* The coordinating loop: wait, drain, tick, until the workers are done
 * and tick says nothing is pending elsewhere (remote results on rank 0). */
static void coordinate(struct pool *p, const struct hs_exp_runner_cb *cb)
{
    size_t seen = 0;
    double every = cb->every > 0 ? cb->every : 0.25;
    int pending = cb->tick != NULL;
    for (;;) {
        struct timespec ts;
        deadline(&ts, every);
        pthread_mutex_lock(&p->mu);
        /* with no worker left, wait only while something is pending elsewhere */
        while (seen == p->ndone && (p->running > 0 || pending > 0))
            if (pthread_cond_timedwait(&p->cv, &p->mu, &ts) == ETIMEDOUT)
                break;
        size_t upto = p->ndone;
        int idle = p->running == 0, stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        int rc = drain(p, upto, &seen, stop ? NULL : cb);
        pending = 0;
        if (rc == 0 && !stop && cb->tick)
            pending = cb->tick(cb->ctx);
        if (rc != 0 || pending < 0) {
            pthread_mutex_lock(&p->mu);
            fail(p, rc != 0 ? rc : pending, "");
            pthread_mutex_unlock(&p->mu);
            stop = 1;
        }
        if (idle && (pending <= 0 || stop))
            break;
    }
}

static int start(struct pool *p, pthread_t *tid, unsigned n, unsigned *started)
{
    pthread_condattr_t ca;
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        return HS_ENOMEM;
    if (pthread_condattr_init(&ca) != 0) {
        pthread_mutex_destroy(&p->mu);
        return HS_ENOMEM;
    }
    /* the waits have deadlines: measure them on a clock that does not jump */
    int bad = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
              pthread_cond_init(&p->cv, &ca) != 0;
    pthread_condattr_destroy(&ca);
    if (bad) {
        pthread_mutex_destroy(&p->mu);
        return HS_ENOMEM;
    }
    *started = 0;
    pthread_mutex_lock(&p->mu);
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&tid[i], NULL, worker, p) != 0)
            break;   /* fewer threads still do all the work */
        p->running++;
        ++*started;
    }
    pthread_mutex_unlock(&p->mu);
    return HS_OK;
}

int hs_exp_run_tasks(const struct hs_params *points, uint64_t seed, const uint64_t *tasks,
                     size_t ntasks, unsigned threads, const struct hs_exp_runner_cb *cb,
                     char *err, size_t errlen)
{
    struct pool p;
    memset(&p, 0, sizeof p);
    p.points = points;
    p.seed = seed;
    p.tasks = tasks;
    p.ntasks = ntasks;
    p.journal = cb->journal;
    unsigned n = threads == 0 ? 1 : threads;
    if (n > ntasks)
        n = (unsigned)ntasks;
    p.done = calloc(ntasks ? ntasks : 1, sizeof *p.done);
    pthread_t *tid = calloc(n ? n : 1, sizeof *tid);
    unsigned started = 0;
    int rc = p.done && tid ? start(&p, tid, n, &started) : HS_ENOMEM;
    if (rc == HS_OK && n > 0 && started == 0) {
        snprintf(err, errlen, "cannot start a thread");
        rc = HS_ENOMEM;
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
    } else if (rc == HS_OK) {
        coordinate(&p, cb);
        for (unsigned i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        size_t from = 0;
        drain(&p, p.ndone, &from, NULL);   /* what a failure left undelivered */
        rc = p.status;
        if (rc != HS_OK && p.err[0])
            snprintf(err, errlen, "%s", p.err);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
    } else {
        snprintf(err, errlen, "out of memory");
    }
    free(tid);
    free(p.done);
    return rc;
}
