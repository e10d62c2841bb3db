/* SPDX-License-Identifier: MIT
 *
 * mmc.c - an M/M/c queue on hailsham's public API, checked against the
 * Erlang C formula.
 *
 * Poisson arrivals (rate lambda), c identical servers with exponential
 * service (rate mu each), one FIFO queue.  With offered load a = lambda/mu
 * and utilisation rho = a/c < 1, the probability that an arrival waits is
 *     C(c, a) = (a^c / c!) / (1 - rho) / (sum_{k<c} a^k/k! + a^c/c!/(1-rho)),
 * and Wq = C / (c mu - lambda), W = Wq + 1/mu, L = lambda W (Little).
 *
 * Each departure event carries its customer's arrival time in the event's
 * 64-bit datum, so customers in service need no storage of their own.
 *
 *   build/examples/mmc [--lambda 4] [--mu 1] [--servers 5] [--customers N]
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
    uint64_t servers, busy;
    uint64_t customers, warmup, per_batch, arrived, departed, in_batch;
    hs_rng arrivals, service;
    double *wait;              /* FIFO ring of waiting customers' arrivals */
    size_t cap, head, n;
    hs_batch *w, *wq, *l, *util;
    double batch_t0, area_n, area_busy, t_last;
};

static uint64_t bits_of(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
static double double_of(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }

static void die(const char *what)
{
    fprintf(stderr, "mmc: %s\n", what);
    exit(1);
}

static void enqueue(struct model *m, double t)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        double *q = malloc(cap * sizeof *q);
        if (q == NULL)
            die("out of memory");
        for (size_t i = 0; i < m->n; i++)
            q[i] = m->wait[(m->head + i) % m->cap];
        free(m->wait);
        m->wait = q;
        m->cap = cap;
        m->head = 0;
    }
    m->wait[(m->head + m->n++) % m->cap] = t;
}

static void observe(struct model *m, double now)
{
    double dt = now - m->t_last;
    m->area_n += dt * (double)(m->n + m->busy);
    m->area_busy += dt * (double)m->busy;
    m->t_last = now;
}

static void departure(hs_engine *e, void *ctx, uint64_t arrived_bits);

/* Put a customer who arrived at `arrived` into service now. */
static void serve(hs_engine *e, struct model *m, double arrived)
{
    m->busy++;
    if (m->departed >= m->warmup)
        hs_batch_add(m->wq, hs_engine_now(e) - arrived);
    double s = hs_dist_exponential(&m->service, m->mu);
    if (hs_engine_schedule_in(e, s, 0, departure, m, bits_of(arrived), NULL) != HS_OK)
        die(hs_engine_errmsg(e));
}

static void arrival(hs_engine *e, void *ctx, uint64_t data)
{
    struct model *m = ctx;
    (void)data;
    double now = hs_engine_now(e);
    observe(m, now);
    if (m->busy < m->servers)
        serve(e, m, now);
    else
        enqueue(m, now);
    if (++m->arrived < m->customers)
        hs_engine_schedule_in(e, hs_dist_exponential(&m->arrivals, m->lambda), 0,
                              arrival, m, 0, NULL);
}

static void departure(hs_engine *e, void *ctx, uint64_t arrived_bits)
{
    struct model *m = ctx;
    double now = hs_engine_now(e);
    observe(m, now);
    m->busy--;
    if (m->n > 0) {
        double next = m->wait[m->head];
        m->head = (m->head + 1) % m->cap;
        m->n--;
        serve(e, m, next);
    }
    if (++m->departed == m->warmup) {
        m->area_n = m->area_busy = 0.0;
        m->batch_t0 = now;
    }
    if (m->departed <= m->warmup)
        return;
    hs_batch_add(m->w, now - double_of(arrived_bits));
    if (++m->in_batch == m->per_batch) {
        double dur = now - m->batch_t0;
        hs_batch_add(m->l, m->area_n / dur);
        hs_batch_add(m->util, m->area_busy / dur / (double)m->servers);
        m->area_n = m->area_busy = 0.0;
        m->batch_t0 = now;
        m->in_batch = 0;
    }
}

/* Erlang C: the probability that an arrival has to wait. */
static double erlang_c(uint64_t c, double a)
{
    double term = 1.0, sum = 0.0;   /* term = a^k / k! */
    for (uint64_t k = 0; k < c; k++) {
        sum += term;
        term *= a / (double)(k + 1);
    }
    double last = term / (1.0 - a / (double)c);
    return last / (sum + last);
}

static void usage(FILE *f)
{
    fputs("usage: mmc [--lambda RATE] [--mu RATE] [--servers C] [--customers N]\n"
          "           [--warmup N] [--batches B] [--seed S]\n"
          "An M/M/c queue: simulated W, Wq, L and utilisation with 95% intervals\n"
          "beside the Erlang C values.  Defaults: lambda 4, mu 1, 5 servers,\n"
          "1000000 customers, warm-up 10%, 30 batches, seed 1.  Needs lambda < c mu.\n", f);
}

static void row(const char *name, hs_ci ci, double exact)
{
    printf("%-22s %12.5f  +- %-10.5f %12.5f   %s\n", name, ci.mean, ci.half_width, exact,
           fabs(ci.mean - exact) <= ci.half_width ? "inside" : "outside");
}

int main(int argc, char **argv)
{
    double lambda = 4.0, mu = 1.0;
    uint64_t servers = 5, customers = 1000000, warmup = UINT64_MAX, batches = 30, seed = 1;
    for (int i = 1; i < argc; i += 2) {   /* every option takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        else if (!strcmp(a, "--lambda")) rc = opt_positive("mmc", a, v, &lambda);
        else if (!strcmp(a, "--mu")) rc = opt_positive("mmc", a, v, &mu);
        else if (!strcmp(a, "--servers")) rc = opt_count("mmc", a, v, &servers);
        else if (!strcmp(a, "--customers")) rc = opt_count("mmc", a, v, &customers);
        else if (!strcmp(a, "--warmup")) rc = opt_count("mmc", a, v, &warmup);
        else if (!strcmp(a, "--batches")) rc = opt_count("mmc", a, v, &batches);
        else if (!strcmp(a, "--seed")) rc = opt_count("mmc", a, v, &seed);
        else { fprintf(stderr, "mmc: unknown option '%s' (try --help)\n", a); return 2; }
        if (rc != 0)
            return 2;
    }
    if (warmup == UINT64_MAX)
        warmup = customers / 10;
    if (servers < 1 || servers > 100000) {
        fprintf(stderr, "mmc: --servers must be between 1 and 100000, got %llu\n",
                (unsigned long long)servers);
        return 2;
    }
    if (lambda >= mu * (double)servers) {
        fprintf(stderr, "mmc: --lambda %g must be below --servers x --mu = %g for a steady state\n",
                lambda, mu * (double)servers);
        return 2;
    }
    if (batches < 2 || customers <= warmup || (customers - warmup) / batches < 10) {
        fprintf(stderr, "mmc: --customers must exceed --warmup by at least 10 per batch, "
                        "and --batches must be at least 2\n");
        return 2;
    }

    struct model m = {0};
    m.lambda = lambda;
    m.mu = mu;
    m.servers = servers;
    m.customers = customers;
    m.warmup = warmup;
    m.per_batch = (customers - warmup) / batches;
    hs_rng_init(&m.arrivals, seed, 0, hs_rng_purpose("arrivals"));
    hs_rng_init(&m.service, seed, 0, hs_rng_purpose("service"));
    hs_engine *e = NULL;
    if (hs_batch_create(m.per_batch, &m.w) || hs_batch_create(m.per_batch, &m.wq) ||
        hs_batch_create(1, &m.l) || hs_batch_create(1, &m.util) ||
        hs_engine_create(NULL, &e) != HS_OK)
        die("out of memory");
    hs_engine_schedule(e, hs_dist_exponential(&m.arrivals, lambda), 0, arrival, &m, 0, NULL);
    hs_engine_run(e);

    double a = lambda / mu, pw = erlang_c(servers, a);
    double wq = pw / ((double)servers * mu - lambda), w = wq + 1.0 / mu;
    printf("M/M/%llu  lambda=%g mu=%g  customers=%llu warm-up=%llu batches=%llu seed=%llu\n",
           (unsigned long long)servers, lambda, mu, (unsigned long long)customers,
           (unsigned long long)warmup, (unsigned long long)batches, (unsigned long long)seed);
    printf("events=%llu  simulated time=%.1f  P(wait)=%.5f (Erlang C)\n\n",
           (unsigned long long)hs_engine_events_processed(e), hs_engine_now(e), pw);
    printf("%-22s %12s  %-13s %12s\n", "measure", "simulated", "95% CI", "analytic");
    row("time in system W", hs_batch_ci(m.w, 0.95), w);
    row("wait in queue Wq", hs_batch_ci(m.wq, 0.95), wq);
    row("number in system L", hs_batch_ci(m.l, 0.95), lambda * w);
    row("utilisation", hs_batch_ci(m.util, 0.95), a / (double)servers);

    hs_engine_destroy(e);
    hs_batch_destroy(m.w);
    hs_batch_destroy(m.wq);
    hs_batch_destroy(m.l);
    hs_batch_destroy(m.util);
    free(m.wait);
    return 0;
}
