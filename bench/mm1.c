/* SPDX-License-Identifier: MIT
 *
 * bench/mm1.c - event throughput of the engine on one M/M/1 queue.
 *
 * Arrival rate 0.9, service rate 1, FIFO, one thread.  The events counted
 * are the arrivals and the departures (two per customer), the convention
 * of ../shared/reference/perf-anchors.md.  The run also checks itself: the
 * mean time in system must be close to 1/(mu - lambda) = 10.
 *
 *   build/bench/mm1 [--events N] [--seed S]      (default 10^8 events)
 * The last line printed is events_per_second=<number>.
 */
#include <hailsham/hailsham.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct mm1 {
    hs_rng arr, svc;
    double *ring;          /* arrival times of customers in the system */
    uint64_t mask, head, n;
    uint64_t left;         /* arrivals still to generate */
    double sum_w;
    uint64_t served;
};

static void departure(hs_engine *e, void *ctx, uint64_t d);

static void grow(struct mm1 *m)
{
    uint64_t cap = (m->mask + 1) * 2;
    double *r = malloc(cap * sizeof *r);
    if (r == NULL) {
        fputs("mm1: out of memory\n", stderr);
        exit(1);
    }
    for (uint64_t i = 0; i < m->n; i++)
        r[i] = m->ring[(m->head + i) & m->mask];
    free(m->ring);
    m->ring = r;
    m->mask = cap - 1;
    m->head = 0;
}

static void arrival(hs_engine *e, void *ctx, uint64_t d)
{
    struct mm1 *m = ctx;
    double now = hs_engine_now(e);
    if (m->n > m->mask)
        grow(m);
    m->ring[(m->head + m->n++) & m->mask] = now;
    if (m->n == 1)
        hs_engine_schedule(e, now + hs_dist_exp1(&m->svc), 0, departure, m, 0, NULL);
    if (--m->left > 0)
        hs_engine_schedule(e, now + hs_dist_exp1(&m->arr) * (1.0 / 0.9), 0, arrival, m, 0, NULL);
}

static void departure(hs_engine *e, void *ctx, uint64_t d)
{
    struct mm1 *m = ctx;
    double now = hs_engine_now(e);
    m->sum_w += now - m->ring[m->head];
    m->served++;
    m->head = (m->head + 1) & m->mask;
    if (--m->n > 0)
        hs_engine_schedule(e, now + hs_dist_exp1(&m->svc), 0, departure, m, 0, NULL);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    unsigned long long events = 100000000ULL, seed = 1;
    for (int i = 1; i < argc; i += 2) {   /* every option takes a value */
        char *end = NULL;
        if (!strcmp(argv[i], "--help")) {
            puts("usage: mm1 [--events N] [--seed S]\nOne M/M/1 queue (lambda 0.9, mu 1); "
                 "prints events_per_second=<number> last.");
            return 0;
        }
        if ((strcmp(argv[i], "--events") && strcmp(argv[i], "--seed")) || i + 1 >= argc) {
            fprintf(stderr, "mm1: unknown option or missing value: '%s'\n", argv[i]);
            return 2;
        }
        unsigned long long v = strtoull(argv[i + 1], &end, 10);
        if (*argv[i + 1] < '0' || *argv[i + 1] > '9' || *end != '\0' ||
            (!strcmp(argv[i], "--events") && v < 2)) {
            fprintf(stderr, "mm1: %s needs a whole number (>= 2 for --events), got '%s'\n",
                    argv[i], argv[i + 1]);
            return 2;
        }
        if (!strcmp(argv[i], "--events")) events = v; else seed = v;
    }
    struct mm1 m = {0};
    m.mask = 1023;
    m.ring = malloc(1024 * sizeof *m.ring);
    m.left = events / 2;
    hs_rng_init(&m.arr, seed, 0, hs_rng_purpose("arrivals"));
    hs_rng_init(&m.svc, seed, 0, hs_rng_purpose("service"));
    hs_engine *e = NULL;
    if (m.ring == NULL || hs_engine_create(NULL, &e) != HS_OK) {
        fputs("mm1: out of memory\n", stderr);
        return 1;
    }
    hs_engine_schedule(e, hs_dist_exp1(&m.arr) / 0.9, 0, arrival, &m, 0, NULL);
    double t0 = seconds();
    hs_engine_run(e);
    double dt = seconds() - t0;
    uint64_t n = hs_engine_events_processed(e);
    printf("customers=%llu mean_time_in_system=%.4f (theory 10)\n",
           (unsigned long long)m.served, m.sum_w / (double)m.served);
    printf("events=%llu seconds=%.3f ns_per_event=%.2f\n", (unsigned long long)n, dt,
           1e9 * dt / (double)n);
    printf("events_per_second=%.0f\n", (double)n / dt);
    hs_engine_destroy(e);
    free(m.ring);
    return 0;
}
