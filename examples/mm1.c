/* SPDX-License-Identifier: MIT
 *
 * mm1.c - an M/M/1 queue on hailsham's public API, checked against theory.
 *
 * Customers arrive in a Poisson stream (rate lambda) at one server with
 * exponential service times (rate mu), served first come first served.
 * The run reports the mean time in system W, the mean wait in the queue
 * Wq, the mean number in system L and the utilisation, each with a 95%
 * batch-means interval, beside the analytic values:
 *     rho = lambda/mu,  L = rho/(1-rho),  W = 1/(mu-lambda),  Wq = rho W.
 *
 *   build/examples/mm1 [--lambda 0.9] [--mu 1] [--customers 1000000]
 *                      [--warmup N] [--batches 30] [--seed 1]
 */
#include <hailsham/hailsham.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

struct model {
    double lambda, mu;
    uint64_t customers, warmup, per_batch;
    hs_rng arrivals, service;
    /* FIFO of arrival times of customers in the system */
    double *fifo;
    size_t cap, head, n;
    uint64_t arrived, departed;
    /* statistics after warm-up */
    hs_batch *w, *wq, *l, *busy;
    hs_tally w_all;
    double batch_t0, area_n, area_busy, t_last;
    uint64_t in_batch;
};

static int push(struct model *m, double t)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        double *f = malloc(cap * sizeof *f);
        if (f == NULL)
            return -1;
        for (size_t i = 0; i < m->n; i++)
            f[i] = m->fifo[(m->head + i) % m->cap];
        free(m->fifo);
        m->fifo = f;
        m->cap = cap;
        m->head = 0;
    }
    m->fifo[(m->head + m->n) % m->cap] = t;
    m->n++;
    return 0;
}

/* Integrate the number in system and the busy server up to now. */
static void advance(struct model *m, double now)
{
    double dt = now - m->t_last;
    m->area_n += dt * (double)m->n;
    m->area_busy += dt * (m->n > 0);
    m->t_last = now;
}

static void departure(hs_engine *e, void *ctx, uint64_t data);

static void start_service(hs_engine *e, struct model *m)
{
    double s = hs_dist_exponential(&m->service, m->mu);
    if (hs_engine_schedule_in(e, s, 0, departure, m, 0, NULL) != HS_OK) {
        fprintf(stderr, "mm1: %s\n", hs_engine_errmsg(e));
        exit(1);
    }
}

static void arrival(hs_engine *e, void *ctx, uint64_t data)
{
    struct model *m = ctx;
    (void)data;
    double now = hs_engine_now(e);
    advance(m, now);
    if (push(m, now) != 0) {
        fprintf(stderr, "mm1: out of memory\n");
        exit(1);
    }
    if (m->n == 1) {            /* an idle server: no wait at all */
        start_service(e, m);
        if (m->departed >= m->warmup)
            hs_batch_add(m->wq, 0.0);
    }
    if (++m->arrived < m->customers)
        hs_engine_schedule_in(e, hs_dist_exponential(&m->arrivals, m->lambda), 0,
                              arrival, m, 0, NULL);
}

static void close_batch(struct model *m, double now)
{
    double dur = now - m->batch_t0;
    hs_batch_add(m->l, m->area_n / dur);
    hs_batch_add(m->busy, m->area_busy / dur);
    m->area_n = m->area_busy = 0.0;
    m->batch_t0 = now;
    m->in_batch = 0;
}

static void departure(hs_engine *e, void *ctx, uint64_t data)
{
    struct model *m = ctx;
    (void)data;
    double now = hs_engine_now(e);
    advance(m, now);
    double arrived_at = m->fifo[m->head];
    m->head = (m->head + 1) % m->cap;
    m->n--;
    /* The next customer starts now; its wait in the queue is known. */
    if (m->n > 0)
        start_service(e, m);
    m->departed++;
    if (m->departed == m->warmup) {       /* end of warm-up: reset */
        m->area_n = m->area_busy = 0.0;
        m->batch_t0 = now;
        return;
    }
    if (m->departed < m->warmup)
        return;
    double w = now - arrived_at;
    hs_batch_add(m->w, w);
    hs_tally_add(&m->w_all, w);
    if (m->n > 0)
        hs_batch_add(m->wq, now - m->fifo[m->head]);
    if (++m->in_batch == m->per_batch)
        close_batch(m, now);
}

static void usage(FILE *f)
{
    fputs("usage: mm1 [--lambda RATE] [--mu RATE] [--customers N] [--warmup N]\n"
          "           [--batches B] [--seed S]\n"
          "An M/M/1 queue: simulated W, Wq, L and utilisation with 95% intervals\n"
          "beside the analytic values.  Defaults: lambda 0.9, mu 1, 1000000\n"
          "customers, warm-up 10% of them, 30 batches, seed 1.  Needs lambda < mu.\n", f);
}

static void row(const char *name, hs_ci ci, double exact)
{
    int inside = fabs(ci.mean - exact) <= ci.half_width;
    printf("%-22s %12.5f  +- %-10.5f %12.5f   %s\n", name, ci.mean, ci.half_width,
           exact, inside ? "inside" : "outside");
}

int main(int argc, char **argv)
{
    double lambda = 0.9, mu = 1.0;
    uint64_t customers = 1000000, warmup = UINT64_MAX, batches = 30, seed = 1;
    for (int i = 1; i < argc; i += 2) {   /* every option takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else if (!strcmp(a, "--lambda")) rc = opt_positive("mm1", a, v, &lambda);
        else if (!strcmp(a, "--mu")) rc = opt_positive("mm1", a, v, &mu);
        else if (!strcmp(a, "--customers")) rc = opt_count("mm1", a, v, &customers);
        else if (!strcmp(a, "--warmup")) rc = opt_count("mm1", a, v, &warmup);
        else if (!strcmp(a, "--batches")) rc = opt_count("mm1", a, v, &batches);
        else if (!strcmp(a, "--seed")) rc = opt_count("mm1", a, v, &seed);
        else { fprintf(stderr, "mm1: unknown option '%s' (try --help)\n", a); return 2; }
        if (rc != 0)
            return 2;
    }
    if (warmup == UINT64_MAX)
        warmup = customers / 10;
    if (lambda >= mu) {
        fprintf(stderr, "mm1: --lambda %g must be below --mu %g for a steady state\n", lambda, mu);
        return 2;
    }
    if (batches < 2 || customers <= warmup || (customers - warmup) / batches < 10) {
        fprintf(stderr, "mm1: --customers must exceed --warmup by at least 10 per batch, "
                        "and --batches must be at least 2\n");
        return 2;
    }

    struct model m = {0};
    m.lambda = lambda;
    m.mu = mu;
    m.customers = customers;
    m.warmup = warmup;
    m.per_batch = (customers - warmup) / batches;
    hs_rng_init(&m.arrivals, seed, 0, hs_rng_purpose("arrivals"));
    hs_rng_init(&m.service, seed, 0, hs_rng_purpose("service"));
    hs_tally_init(&m.w_all);
    hs_engine *e = NULL;
    if (hs_batch_create(m.per_batch, &m.w) || hs_batch_create(m.per_batch, &m.wq) ||
        hs_batch_create(1, &m.l) || hs_batch_create(1, &m.busy) ||
        hs_engine_create(NULL, &e) != HS_OK) {
        fprintf(stderr, "mm1: out of memory\n");
        return 1;
    }
    hs_engine_schedule(e, hs_dist_exponential(&m.arrivals, lambda), 0, arrival, &m, 0, NULL);
    hs_engine_run(e);

    double rho = lambda / mu, w = 1.0 / (mu - lambda);
    printf("M/M/1  lambda=%g mu=%g  customers=%llu warm-up=%llu batches=%llu seed=%llu\n",
           lambda, mu, (unsigned long long)customers, (unsigned long long)warmup,
           (unsigned long long)batches, (unsigned long long)seed);
    printf("events=%llu  simulated time=%.1f\n\n",
           (unsigned long long)hs_engine_events_processed(e), hs_engine_now(e));
    printf("%-22s %12s  %-13s %12s\n", "measure", "simulated", "95% CI", "analytic");
    row("time in system W", hs_batch_ci(m.w, 0.95), w);
    row("wait in queue Wq", hs_batch_ci(m.wq, 0.95), rho * w);
    row("number in system L", hs_batch_ci(m.l, 0.95), rho / (1 - rho));
    row("utilisation", hs_batch_ci(m.busy, 0.95), rho);

    hs_engine_destroy(e);
    hs_batch_destroy(m.w);
    hs_batch_destroy(m.wq);
    hs_batch_destroy(m.l);
    hs_batch_destroy(m.busy);
    free(m.fifo);
    return 0;
}
