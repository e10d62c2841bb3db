/* SPDX-License-Identifier: MIT
 *
 * experiment.c - an experiment from start to end: the scenario and its
 * sweep, checked before any work; the journal; rounds of replications
 * spread over processes and threads; the precision rule; the outputs.
 *
 * Every process (MPI rank) reads the same command line and so builds the
 * same sweep points; only rank 0 touches the output directory.  Work goes
 * in rounds: rank 0 lists the (point, replication) tasks of the round that
 * the journal does not already hold and broadcasts them, rank r takes the
 * k-th task of the list when k % size == r, and rank 0 gathers the
 * results.  With a fixed number of replications there is one round; with
 * --precision each round decides, from the results so far in index order,
 * whether to stop or how many replications the next round brings every
 * point to.  Since every decision depends only on results, never on
 * timing, a resumed or differently-spread experiment makes the same
 * decisions and the same files.
 */
#include "experiment.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hailsham/hailsham.h>

#include "../output/publish.h"
#include "../scenario/diag.h"

struct exp {
    const struct hs_exp_config *c;
    const struct hs_exp_comm *comm;
    int loud;                     /* rank 0: print problems and notes */
    struct hs_params base;
    struct hs_exp_sweep sweep;
    struct hs_params *points;
    size_t npoints;
    size_t cap;                   /* replications allotted per point */
    unsigned threads;
    /* rank 0: */
    struct hs_publish_lock *lock;  /* the output directory's, for the whole experiment */
    struct hs_exp_journal *journal;
    double *fig;                  /* [point][replication][figure] */
    unsigned char *have;          /* [point][replication]: result present */
    size_t remote_expected, remote_got;
    /* progress (rank 0 on a terminal) */
    int progress;
    size_t prog_done, prog_total, prog_fresh;
    double t0, shown;
    /* the precision rule's verdict */
    int reached;
    long stop_figure;
    size_t stop_point;
    double stop_ratio;
    char err[1024];
};

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void problem(const struct exp *e, const char *msg)
{
    if (e->loud)
        hs_diag_say(stderr, "hailsham experiment: ", msg);
}

/* ---- setting up -------------------------------------------------------- */

static int load_scenario(struct exp *e)
{
    const struct hs_exp_config *c = e->c;
    struct hs_diag d;
    struct hs_sweep fs = {NULL, 0};
    hs_diag_init(&d);
    /* one read: the scenario may come down a pipe */
    int rc = hs_scenario_resolve_sweep(c->scenario, c->sets, c->nsets, &e->base, &fs, &d);
    if (rc != HS_OK && e->loud)
        hs_diag_print(&d, stderr);
    hs_diag_free(&d);
    if (rc != HS_OK) {
        hs_sweep_free(&fs);
        return rc == HS_ENOMEM ? HS_ENOMEM : HS_EPARSE;
    }
    if (!isnan(c->scale)) {
        /* the check covers the scale too (a world must hold someone) */
        e->base.scale = c->scale;
        hs_diag_init(&d);
        rc = hs_scenario_check(&e->base, &d);
        if (rc != HS_OK && e->loud) {
            for (size_t i = 0; i < hs_diag_count(&d); i++) {
                const char *m = strstr(hs_diag_message(&d, i), ": error: ");
                fprintf(stderr, "hailsham experiment: --scale %g: %s\n", c->scale,
                        m ? m + 9 : hs_diag_message(&d, i));
            }
        }
        hs_diag_free(&d);
        if (rc != HS_OK) {
            hs_sweep_free(&fs);
            return rc == HS_ENOMEM ? HS_ENOMEM : HS_EPARSE;
        }
    }
    rc = hs_exp_sweep_build(&fs, c->scenario, c->varies, c->nvaries, &e->sweep, e->err,
                            sizeof e->err);
    hs_sweep_free(&fs);
    if (rc == HS_OK && e->sweep.npoints * e->cap > HS_EXP_MAX_TASKS) {
        snprintf(e->err, sizeof e->err, "%zu points x %zu replications is more than the "
                 "%u replications an experiment may hold", e->sweep.npoints, e->cap,
                 HS_EXP_MAX_TASKS);
        rc = HS_EINVAL;
    }
    if (rc != HS_OK) {
        problem(e, e->err);
        return rc;
    }
    /* every value, then every point, before any work */
    rc = hs_exp_sweep_check(&e->sweep, &e->base, e->loud ? stderr : NULL);
    if (rc != HS_OK)
        return rc;
    e->npoints = e->sweep.npoints;
    e->points = malloc(e->npoints * sizeof *e->points);
    if (!e->points)
        return HS_ENOMEM;
    for (size_t p = 0; p < e->npoints; p++) {
        hs_diag_init(&d);
        rc = hs_exp_point_params(&e->sweep, &e->base, p, &e->points[p], &d);
        hs_diag_free(&d);
        if (rc != HS_OK)
            return rc;   /* checked just above: only memory can fail */
    }
    return HS_OK;
}

/* Threads: every core by default, shared among the processes of this
 * machine, and no more than the memory holds worlds at once. */
static int choose_threads(struct exp *e)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned t = e->c->threads;
    if (t == 0) {
        long share = (cores > 0 ? cores : 1) / (e->comm->local > 0 ? e->comm->local : 1);
        t = share > 0 ? (unsigned)share : 1;
    }
    double need = 0;
    for (size_t p = 0; p < e->npoints; p++)   /* a world, and its initial public kept for its pair */
        need = fmax(need, hs_world_memory_estimate(&e->points[p]) +
                              (e->points[p].programme ? hs_world_start_memory_estimate(&e->points[p])
                                                      : 0.0));
    char source[4400];
    double have = 0.9 * hs_memory_limit(source, sizeof source);
    have /= e->comm->local > 0 ? e->comm->local : 1;
    double fit = floor(have / need);
    if (fit < 1) {
        if (e->loud)   /* every rank finds it; one says it */
            fprintf(stderr, "hailsham experiment: one replication would need about %.3g GB "
                    "of memory and this process may use %.3g GB (%s); try a smaller "
                    "--scale\n", need / 1e9, have / 1e9, source);
        return HS_ENOMEM;
    }
    if ((double)t > fit) {
        if (e->loud && !e->c->quiet)
            fprintf(stderr, "hailsham experiment: memory holds %.0f worlds at once: "
                    "running %.0f threads, not %u\n", fit, fit, t);
        t = (unsigned)fit;
    }
    e->threads = t;
    return HS_OK;
}

/* ---- identity ---------------------------------------------------------- */

struct hasher {
    uint64_t h;
};

static void feed(struct hasher *h, const char *s)
{
    h->h = hs_exp_hash(h->h, s, strlen(s) + 1);   /* with the NUL: "ab","c" != "a","bc" */
}

static void feed_param(void *ctx, const char *path, const char *value)
{
    feed(ctx, path);
    feed(ctx, value);
}

/* A hash of everything that decides which replications run and what
 * they give: the program version, the seed, each point's parameters and
 * the replication rule.  Threads, processes and names do not count. */
static uint64_t identity(const struct exp *e)
{
    const struct hs_exp_config *c = e->c;
    struct hasher h = {HS_EXP_HASH0};
    char buf[256];
    feed(&h, "hailsham experiment 1");
    feed(&h, hs_version());
    snprintf(buf, sizeof buf, "seed %" PRIu64 " replications %zu", c->seed, c->replications);
    feed(&h, buf);
    if (c->precision > 0) {
        snprintf(buf, sizeof buf, "precision %a max %zu", c->precision, e->cap);
        feed(&h, buf);
        for (size_t i = 0; i < c->nwatch; i++)
            feed(&h, hs_exp_figure_name(c->watch[i]));
    }
    snprintf(buf, sizeof buf, "points %zu", e->npoints);
    feed(&h, buf);
    for (size_t p = 0; p < e->npoints; p++)
        hs_scenario_visit(&e->points[p], feed_param, &h);
    return h.h;
}

/* ---- results on rank 0 -------------------------------------------------- */

static size_t nfig(void)
{
    return hs_exp_figure_count();
}

/* Keep a decoded record's figures. */
static void keep(struct exp *e, const struct hs_exp_rec *r)
{
    size_t at = (size_t)r->point * e->cap + r->rep;
    memcpy(e->fig + at * nfig(), r->fig, nfig() * sizeof *r->fig);
    e->have[at] = 1;
}

static void resume_one(void *ctx, uint32_t point, uint32_t rep)
{
    struct exp *e = ctx;
    struct hs_exp_rec r;
    if (point >= e->npoints || rep >= e->cap)
        return;
    if (hs_exp_journal_get(e->journal, point, rep, 0, &r) == HS_OK) {
        keep(e, &r);
        hs_exp_rec_free(&r);
    }   /* a damaged record is simply run again */
}

static int open_journal(struct exp *e)
{
    size_t cells = e->npoints * e->cap;
    e->fig = malloc(cells * nfig() * sizeof *e->fig);
    e->have = calloc(cells, 1);
    if (!e->fig || !e->have)
        return HS_ENOMEM;
    for (size_t i = 0; i < cells * nfig(); i++)
        e->fig[i] = NAN;
    int rc = hs_publish_lock(e->c->out, "experiment", &e->lock, e->err, sizeof e->err);
    if (rc == HS_OK)
        rc = hs_exp_check_out(e->c->out, e->lock, e->err, sizeof e->err);
    if (rc == HS_OK)
        rc = hs_exp_journal_open(e->c->out, identity(e), &e->journal, e->err, sizeof e->err);
    if (rc != HS_OK) {
        problem(e, e->err);
        return rc;
    }
    rc = hs_exp_journal_scan(e->journal, resume_one, e);
    if (rc != HS_OK) {
        snprintf(e->err, sizeof e->err, "cannot read the journal in %s/.journal", e->c->out);
        problem(e, e->err);
        return rc;
    }
    size_t found = 0;
    for (size_t i = 0; i < cells; i++)
        found += e->have[i];
    if (found > 0 && e->loud && !e->c->quiet)
        fprintf(stderr, "hailsham experiment: resuming in %s: %zu replications already "
                "done\n", e->c->out, found);
    return rc;
}

/* ---- progress ---------------------------------------------------------- */

static void show_progress(struct exp *e, int force)
{
    double now = wall();
    if (!e->progress || (!force && now - e->shown < 0.2))
        return;
    e->shown = now;
    double el = now - e->t0;
    double rate = el > 0 ? (double)e->prog_fresh / el : 0;
    size_t left = e->prog_total - e->prog_done;
    char eta[32] = "";
    if (rate > 0)
        snprintf(eta, sizeof eta, "  %.0f s left", (double)left / rate);
    fprintf(stderr, "\rexperiment: %zu/%zu replications  %.2f/s%s      ", e->prog_done,
            e->prog_total, rate, eta);
}

static void end_progress(struct exp *e)
{
    if (e->progress)
        fprintf(stderr, "\r%70s\r", "");
}

/* ---- a round ----------------------------------------------------------- */

/* A record's bytes arrived (local or from another rank): keep it. */
static int gather(struct exp *e, char *buf, size_t len, int remote)
{
    struct hs_exp_rec r;
    int rc = hs_exp_rec_decode(buf, len, 0, &r);
    if (rc == HS_OK && (r.point >= e->npoints || r.rep >= e->cap)) {
        hs_exp_rec_free(&r);
        rc = HS_EPARSE;
    }
    if (rc == HS_OK && remote)
        rc = hs_exp_journal_put(e->journal, r.point, r.rep, buf, len, e->err, sizeof e->err);
    else if (rc != HS_OK)
        snprintf(e->err, sizeof e->err, "a damaged result arrived (%s)", hs_strerror(rc));
    if (rc == HS_OK) {
        if (!e->have[(size_t)r.point * e->cap + r.rep]) {
            e->prog_done++;
            e->prog_fresh++;
        }
        keep(e, &r);
    }
    hs_exp_rec_free(&r);
    free(buf);
    return rc;
}

static int on_done(void *ctx, uint64_t task, char *buf, size_t len)
{
    struct exp *e = ctx;
    (void)task;
    if (e->comm->rank == 0)
        return gather(e, buf, len, 0);
    int rc = hs_exp_comm_send(e->comm, buf, len);
    free(buf);
    if (rc != HS_OK)
        snprintf(e->err, sizeof e->err, "cannot send a result to rank 0");
    return rc;
}

/* Rank 0 between local results: results from the other ranks, and the
 * progress line.  Returns how many remote results are still to come. */
static int on_tick(void *ctx)
{
    struct exp *e = ctx;
    char *buf = NULL;
    size_t len = 0;
    int got;
    while ((got = hs_exp_comm_poll(e->comm, &buf, &len)) == 1) {
        int rc = gather(e, buf, len, 1);
        if (rc != HS_OK)
            return rc;
        e->remote_got++;
    }
    if (got < 0) {
        snprintf(e->err, sizeof e->err, "cannot receive results from the other ranks");
        return got;
    }
    show_progress(e, 0);
    return e->remote_got < e->remote_expected ? 1 : 0;
}

/* Rank 0: the tasks of a round to n replications not yet done. */
static uint64_t *missing(const struct exp *e, size_t n, uint64_t *count)
{
    size_t most = e->npoints * n;
    uint64_t *t = malloc((most > 0 ? most : 1) * sizeof *t);
    *count = 0;
    if (!t)
        return NULL;
    /* replication-major: the first replications of every point come
     * first, so an interrupted experiment has compared all points */
    for (size_t r = 0; r < n; r++)
        for (size_t p = 0; p < e->npoints; p++)
            if (!e->have[p * e->cap + r])
                t[(*count)++] = hs_exp_task((uint32_t)p, (uint32_t)r);
    return t;
}

/* Every rank: receive the round's task list and run its share. */
static int run_round(struct exp *e, size_t n)
{
    const struct hs_exp_comm *cm = e->comm;
    uint64_t count = 0, *tasks = NULL;
    if (cm->rank == 0 && !(tasks = missing(e, n, &count)))
        return HS_ENOMEM;
    int rc = hs_exp_comm_bcast(cm, &count, 1);
    if (rc == HS_OK && cm->rank != 0 && !(tasks = malloc((count ? count : 1) * sizeof *tasks)))
        rc = HS_ENOMEM;
    if (rc == HS_OK)
        rc = hs_exp_comm_bcast(cm, tasks, (size_t)count);
    size_t mine = 0;
    for (uint64_t k = 0; rc == HS_OK && k < count; k++)
        if (k % (uint64_t)cm->size == (uint64_t)cm->rank)
            tasks[mine++] = tasks[k];   /* in place: mine <= k */
    e->remote_expected = (size_t)count - mine;
    e->remote_got = 0;
    e->prog_total = e->npoints * n;
    e->prog_done = e->prog_total - (size_t)count;
    struct hs_exp_runner_cb cb = {e, on_done, cm->rank == 0 ? on_tick : NULL,
                                  cm->size > 1 ? 0.005 : 0.25,
                                  cm->rank == 0 ? e->journal : NULL};
    if (rc == HS_OK)
        rc = hs_exp_run_tasks(e->points, e->c->seed, tasks, mine, e->threads, &cb, e->err,
                              sizeof e->err);
    free(tasks);
    return rc;
}

/* ---- the precision rule ------------------------------------------------- */

/* Half-width over the allowed half-width (<= 1: precise enough). */
static double ratio_of(const struct hs_exp_stat *st, double precision)
{
    if (st->n < 2 || !isfinite(st->half_width) || !isfinite(st->mean))
        return INFINITY;
    if (st->half_width == 0)
        return 0;
    return st->half_width / (precision * fabs(st->mean));
}

/* After a round to n replications: 0 to stop, or the next round's n.  The
 * figure and point furthest from the target are remembered: they decided
 * when to stop. */
static size_t next_round(struct exp *e, const struct hs_exp_results *r, size_t n)
{
    const struct hs_exp_config *c = e->c;
    double worst = -1;
    for (size_t p = 0; p < e->npoints; p++)
        for (size_t i = 0; i < c->nwatch; i++) {
            struct hs_exp_stat st;
            hs_exp_point_stat(r, p, c->watch[i], &st);
            double q = ratio_of(&st, c->precision);
            if (q > worst) {
                worst = q;
                e->stop_figure = (long)c->watch[i];
                e->stop_point = p;
                e->stop_ratio = st.mean != 0 ? st.half_width / fabs(st.mean) : INFINITY;
            }
        }
    e->reached = worst <= 1;
    if (e->reached || n >= e->cap)
        return 0;
    /* the half-width shrinks as 1/sqrt(n): aim at the target, growing at
     * most twofold per round, since a few replications judge the spread
     * roughly */
    double want = isfinite(worst) ? ceil((double)n * worst * worst) : 2.0 * (double)n;
    size_t next = want > 2.0 * (double)n ? 2 * n : (size_t)want;
    if (next <= n)
        next = n + 1;
    return next < e->cap ? next : e->cap;
}

static void results_of(const struct exp *e, size_t n, struct hs_exp_results *r)
{
    memset(r, 0, sizeof *r);
    r->cfg = e->c;
    r->sweep = &e->sweep;
    r->base = &e->base;
    r->points = e->points;
    r->npoints = e->npoints;
    r->nreps = n;
    r->fig = e->fig;
    r->rep_stride = e->cap;
    r->journal = e->journal;
    r->lock = e->lock;
    r->reached = e->reached;
    r->stop_figure = e->c->precision > 0 ? e->stop_figure : -1;
    r->stop_point = e->stop_point;
    r->stop_ratio = e->stop_ratio;
}

/* The rounds; *n receives the final replications per point. */
static int run_rounds(struct exp *e, size_t *n_out)
{
    size_t n = e->c->replications;
    e->t0 = wall();
    for (;;) {
        int rc = run_round(e, n);
        if (rc != HS_OK)
            return rc;
        uint64_t next = 0;
        if (e->comm->rank == 0 && e->c->precision > 0) {
            struct hs_exp_results r;
            results_of(e, n, &r);
            next = next_round(e, &r, n);
        }
        if (hs_exp_comm_bcast(e->comm, &next, 1) != HS_OK)
            return HS_EIO;
        if (next == 0)
            break;
        n = (size_t)next;
    }
    show_progress(e, 1);
    end_progress(e);
    *n_out = n;
    return HS_OK;
}

/* ---- the end ------------------------------------------------------------ */

static void say_precision(const struct exp *e, size_t n)
{
    if (e->c->precision <= 0 || !e->loud || e->c->quiet || e->stop_figure < 0)
        return;
    const char *name = hs_exp_figure_name((size_t)e->stop_figure);
    if (e->reached)
        fprintf(stderr, "hailsham experiment: precision %g reached with %zu replications per "
                "point; the last figure to reach it: %s at point %zu (half-width %.3g of its "
                "mean)\n", e->c->precision, n, name, e->stop_point, e->stop_ratio);
    else
        fprintf(stderr, "hailsham experiment: stopped at the cap of %zu replications per "
                "point before %s reached precision %g at point %zu (half-width %.3g of its "
                "mean)\n", n, name, e->c->precision, e->stop_point, e->stop_ratio);
}

static int finish(struct exp *e, size_t n)
{
    struct hs_exp_results r;
    results_of(e, n, &r);
    int rc = hs_exp_write(&r, e->c->out, e->err, sizeof e->err);
    if (rc != HS_OK) {
        problem(e, e->err);
        return rc;
    }
    if (e->err[0] && e->loud)   /* the files are in place; a leftover */
        hs_diag_say(stderr, "hailsham experiment: warning: ", e->err);
    say_precision(e, n);
    int table = e->c->quiet ? HS_OK : hs_exp_table(&r, stdout);
    if (table != HS_OK)
        problem(e, "cannot write the table to stdout (the files are complete)");
    /* the journal went with the old directory: the files hold everything
     * now, and a journal left behind would only make the same command
     * skip the work next time */
    hs_exp_journal_close(e->journal);
    e->journal = NULL;
    return table;
}

static void cleanup(struct exp *e)
{
    hs_exp_journal_close(e->journal);
    hs_publish_unlock(e->lock);
    hs_exp_sweep_free(&e->sweep);
    free(e->points);
    free(e->fig);
    free(e->have);
}

int hs_experiment_run(const struct hs_exp_config *c, const struct hs_exp_comm *comm)
{
    struct exp e;
    memset(&e, 0, sizeof e);
    e.c = c;
    e.comm = comm;
    e.loud = comm->rank == 0;
    e.cap = c->precision > 0 ? c->max_replications : c->replications;
    e.stop_figure = -1;
    e.progress = e.loud && !c->quiet && isatty(2);
    /* every rank checks the same inputs, before any work; only rank 0
     * touches the directory; a failure anywhere ends every rank */
    int rc = load_scenario(&e);
    if (rc == HS_OK)
        rc = choose_threads(&e);
    rc = hs_exp_comm_agree(comm, rc);
    if (rc == HS_OK && comm->rank == 0)
        rc = open_journal(&e);
    rc = hs_exp_comm_agree(comm, rc);
    size_t n = 0;
    if (rc == HS_OK) {
        rc = run_rounds(&e, &n);
        if (rc != HS_OK) {
            end_progress(&e);
            if (comm->size > 1)   /* the others wait in a broadcast: end them */
                fprintf(stderr, "hailsham experiment: rank %d: %s\n", comm->rank, e.err);
            else
                problem(&e, e.err);
            hs_exp_comm_abort(comm, rc);
        }
    }
    if (rc == HS_OK && comm->rank == 0)
        rc = finish(&e, n);
    cleanup(&e);
    return rc;
}
