/* SPDX-License-Identifier: MIT
 *
 * test_queueing.c - the engine against queueing theory.
 *
 * M/M/1 at three loads and M/M/c at three (servers, load) pairs: W, Wq,
 * L and the utilisation, each estimated from independent replications
 * (after a warm-up) with a Student-t 95% interval, must contain the
 * analytic value (Erlang C for M/M/c).  Seeds are fixed, so the test is
 * deterministic; a wrong engine, clock or distribution moves the
 * estimates by many half-widths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hailsham/hailsham.h>

struct mmc {
    double lambda, mu;
    uint64_t c, busy, arrived, departed, warmup, total;
    hs_rng ra, rs;
    double *q;
    size_t cap, head, n;
    double t_last, t0, area_n, area_busy;
    hs_tally w, wq;
};

static uint64_t to_bits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static double from_bits(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

static void observe(struct mmc *m, double now)
{
    if (m->departed >= m->warmup) {
        m->area_n += (now - m->t_last) * (double)(m->n + m->busy);
        m->area_busy += (now - m->t_last) * (double)m->busy;
    }
    m->t_last = now;
}

static void depart(hs_engine *e, void *ctx, uint64_t arr);

static void serve(hs_engine *e, struct mmc *m, double arrived)
{
    m->busy++;
    if (m->departed >= m->warmup)
        hs_tally_add(&m->wq, hs_engine_now(e) - arrived);
    assert_int_equal(hs_engine_schedule_in(e, hs_dist_exponential(&m->rs, m->mu), 0, depart, m,
                                           to_bits(arrived), NULL), HS_OK);
}

static void arrive(hs_engine *e, void *ctx, uint64_t d)
{
    struct mmc *m = ctx;
    double now = hs_engine_now(e);
    observe(m, now);
    if (m->busy < m->c) {
        serve(e, m, now);
    } else {
        if (m->n == m->cap) {
            size_t cap = m->cap ? 2 * m->cap : 256;
            double *q = malloc(cap * sizeof *q);
            assert_non_null(q);
            for (size_t i = 0; i < m->n; i++)
                q[i] = m->q[(m->head + i) % m->cap];
            free(m->q);
            m->q = q;
            m->cap = cap;
            m->head = 0;
        }
        m->q[(m->head + m->n++) % m->cap] = now;
    }
    if (++m->arrived < m->total)
        hs_engine_schedule_in(e, hs_dist_exponential(&m->ra, m->lambda), 0, arrive, m, 0, NULL);
}

static void depart(hs_engine *e, void *ctx, uint64_t arr)
{
    struct mmc *m = ctx;
    double now = hs_engine_now(e);
    observe(m, now);
    m->busy--;
    if (m->n > 0) {
        double next = m->q[m->head];
        m->head = (m->head + 1) % m->cap;
        m->n--;
        serve(e, m, next);
    }
    if (++m->departed == m->warmup)
        m->t0 = now;
    else if (m->departed > m->warmup)
        hs_tally_add(&m->w, now - from_bits(arr));
}

struct result { double w, wq, l, util; };

static struct result replicate(double lambda, double mu, uint64_t c, uint64_t rep)
{
    struct mmc m = {0};
    m.lambda = lambda;
    m.mu = mu;
    m.c = c;
    m.total = 150000;
    m.warmup = 15000;
    hs_rng_init(&m.ra, 2026, rep, hs_rng_purpose("arrivals"));
    hs_rng_init(&m.rs, 2026, rep, hs_rng_purpose("service"));
    hs_tally_init(&m.w);
    hs_tally_init(&m.wq);
    hs_engine *e = NULL;
    assert_int_equal(hs_engine_create(NULL, &e), HS_OK);
    hs_engine_schedule(e, hs_dist_exponential(&m.ra, lambda), 0, arrive, &m, 0, NULL);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
    double span = m.t_last - m.t0;
    struct result r = {hs_tally_mean(&m.w), hs_tally_mean(&m.wq), m.area_n / span,
                       m.area_busy / span / (double)c};
    hs_engine_destroy(e);
    free(m.q);
    return r;
}

static double erlang_c(uint64_t c, double a)
{
    double term = 1.0, sum = 0.0;
    for (uint64_t k = 0; k < c; k++) {
        sum += term;
        term *= a / (double)(k + 1);
    }
    double last = term / (1.0 - a / (double)c);
    return last / (sum + last);
}

static void check(const char *what, const hs_tally *t, double exact)
{
    hs_ci ci = hs_tally_ci(t, 0.95);
    printf("# %-28s %10.5f +- %-9.5f analytic %10.5f\n", what, ci.mean, ci.half_width, exact);
    assert_true(fabs(ci.mean - exact) <= ci.half_width);
}

static void run_case(double lambda, double mu, uint64_t c)
{
    enum { REPS = 12 };
    hs_tally w, wq, l, u;
    hs_tally_init(&w);
    hs_tally_init(&wq);
    hs_tally_init(&l);
    hs_tally_init(&u);
    for (uint64_t rep = 0; rep < REPS; rep++) {
        struct result r = replicate(lambda, mu, c, rep);
        hs_tally_add(&w, r.w);
        hs_tally_add(&wq, r.wq);
        hs_tally_add(&l, r.l);
        hs_tally_add(&u, r.util);
    }
    double a = lambda / mu, pw = erlang_c(c, a);
    double wq_exact = pw / ((double)c * mu - lambda), w_exact = wq_exact + 1.0 / mu;
    char name[64];
    snprintf(name, sizeof name, "M/M/%llu rho=%.2f W", (unsigned long long)c, a / (double)c);
    check(name, &w, w_exact);
    snprintf(name, sizeof name, "M/M/%llu rho=%.2f Wq", (unsigned long long)c, a / (double)c);
    check(name, &wq, wq_exact);
    snprintf(name, sizeof name, "M/M/%llu rho=%.2f L", (unsigned long long)c, a / (double)c);
    check(name, &l, lambda * w_exact);
    snprintf(name, sizeof name, "M/M/%llu rho=%.2f utilisation", (unsigned long long)c,
             a / (double)c);
    check(name, &u, a / (double)c);
}

static void mm1_light(void **s) { (void)s; run_case(0.3, 1.0, 1); }
static void mm1_medium(void **s) { (void)s; run_case(0.6, 1.0, 1); }
static void mm1_heavy(void **s) { (void)s; run_case(0.8, 1.0, 1); }
static void mm3_half(void **s) { (void)s; run_case(1.5, 1.0, 3); }
static void mm5_busy(void **s) { (void)s; run_case(4.0, 1.0, 5); }
static void mm10_heavy(void **s) { (void)s; run_case(18.0, 2.0, 10); }

/* Erlang C against a value computed independently: c=2, a=1 gives
 * C = (1/2)/(1-1/2) / (1 + 1 + 1) = 1/3. */
static void erlang_c_known_value(void **s)
{
    (void)s;
    assert_true(fabs(erlang_c(2, 1.0) - 1.0 / 3.0) < 1e-12);
    assert_true(fabs(erlang_c(1, 0.7) - 0.7) < 1e-12);   /* M/M/1: P(wait) = rho */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erlang_c_known_value),
        cmocka_unit_test(mm1_light),
        cmocka_unit_test(mm1_medium),
        cmocka_unit_test(mm1_heavy),
        cmocka_unit_test(mm3_half),
        cmocka_unit_test(mm5_busy),
        cmocka_unit_test(mm10_heavy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
