/* SPDX-License-Identifier: MIT
 *
 * pending.c - the classic HOLD benchmark of the pending-event set.
 *
 * Fill the set with N entries at Exp(1) times, then perform M hold
 * operations: pop the earliest entry and push it back at its time plus an
 * increment with mean 1 drawn from the chosen distribution.  One event is
 * one pop plus one push.  The loop checks that popped times never go
 * backwards and aborts if they do; it also prints a checksum of the pop
 * sequence so that different kinds can be compared for identical order.
 *
 * The random numbers come from a private xoshiro256** so that this
 * benchmark does not depend on the project's RNG module.
 *
 * The last line of output is exactly `events_per_second=<number>`.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "hailsham/pes.h"
#include "hailsham/status.h"
#include "pes_impl.h" /* ladder counters, for tuning */

/* ---- random numbers ----------------------------------------------------- */

struct xrng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void xrng_seed(struct xrng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xrng_next(struct xrng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform on (0, 1]: never 0, so -log() is finite. */
static inline double xrng_open01(struct xrng *r)
{
    return (double)((xrng_next(r) >> 11) + 1) * 0x1.0p-53;
}

enum dist { DIST_EXP, DIST_UNIFORM, DIST_BIMODAL, DIST_PARETO };

/* An increment with mean 1. */
static inline double draw(struct xrng *r, enum dist d)
{
    switch (d) {
    case DIST_UNIFORM:
        return 2.0 * xrng_open01(r);
    case DIST_BIMODAL:
        /* 90% short (mean 0.1), 10% long (mean 9.1): 0.09 + 0.91 = 1. */
        if ((xrng_next(r) >> 11) < (uint64_t)(0.9 * 0x1.0p53))
            return -0.1 * log(xrng_open01(r));
        return -9.1 * log(xrng_open01(r));
    case DIST_PARETO:
        /* Heavy tail: alpha 1.5, scale 1/3, mean 1, infinite variance. */
        return (1.0 / 3.0) * pow(xrng_open01(r), -1.0 / 1.5);
    default:
        return -log(xrng_open01(r));
    }
}

/* ---- options ------------------------------------------------------------ */

struct opts {
    uint64_t pending, events;
    int have_pending, have_events;
    enum hs_pes_kind kind;
    uint64_t seed;
    enum dist dist;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: pending --pending N [--events M] [--kind heap|ladder|auto|binary]\n"
            "               [--seed S] [--dist exp|uniform|bimodal|pareto]\n"
            "HOLD benchmark of the pending-event set: N pending entries, M hold\n"
            "operations (default max(10^7, 10*N)); increments have mean 1.\n"
            "  exp      Exp(1) (default)\n"
            "  uniform  U(0, 2)\n"
            "  bimodal  90%% Exp(mean 0.1), 10%% Exp(mean 9.1)\n"
            "  pareto   Pareto, alpha 1.5, scale 1/3 (heavy tail)\n"
            "Integers may be written as 1e7.  The last line of output is\n"
            "events_per_second=<number> (one event = one pop + one push).\n");
}

/* A non-negative integer: decimal digits, optionally followed by e<digits>
 * (1e7); nothing else, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
            return 0;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p < '0' || *p > '9')
            return 0;
        unsigned x = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            x = x * 10 + (unsigned)(*p - '0');
            if (x > 19)
                return 0;
        }
        while (x-- > 0) {
            if (v > UINT64_MAX / 10)
                return 0;
            v *= 10;
        }
    }
    if (*p != '\0')
        return 0;
    *out = v;
    return 1;
}

static int bad(const char *opt, const char *val)
{
    if (val == NULL)
        fprintf(stderr, "pending: option %s needs a value\n", opt);
    else
        fprintf(stderr, "pending: bad value for %s: '%s'\n", opt, val);
    return 2;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
    o->have_pending = o->have_events = 0;
    o->kind = HS_PES_AUTO;
    o->seed = 1;
    o->dist = DIST_EXP;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--pending") == 0) {
            if (v == NULL || !parse_u64(v, &o->pending) || o->pending == 0
                || o->pending > (uint64_t)1 << 40)
                return bad(a, v);
            o->have_pending = 1;
        } else if (strcmp(a, "--events") == 0) {
            if (v == NULL || !parse_u64(v, &o->events) || o->events == 0)
                return bad(a, v);
            o->have_events = 1;
        } else if (strcmp(a, "--seed") == 0) {
            if (v == NULL || !parse_u64(v, &o->seed))
                return bad(a, v);
        } else if (strcmp(a, "--kind") == 0) {
            if (v != NULL && strcmp(v, "heap") == 0)
                o->kind = HS_PES_HEAP;
            else if (v != NULL && strcmp(v, "ladder") == 0)
                o->kind = HS_PES_LADDER;
            else if (v != NULL && strcmp(v, "auto") == 0)
                o->kind = HS_PES_AUTO;
            else if (v != NULL && strcmp(v, "binary") == 0)
                o->kind = HS_PES_BINARY;
            else
                return bad(a, v);
        } else if (strcmp(a, "--dist") == 0) {
            if (v != NULL && strcmp(v, "exp") == 0)
                o->dist = DIST_EXP;
            else if (v != NULL && strcmp(v, "uniform") == 0)
                o->dist = DIST_UNIFORM;
            else if (v != NULL && strcmp(v, "bimodal") == 0)
                o->dist = DIST_BIMODAL;
            else if (v != NULL && strcmp(v, "pareto") == 0)
                o->dist = DIST_PARETO;
            else
                return bad(a, v);
        } else {
            fprintf(stderr, "pending: unknown option '%s' (try --help)\n", a);
            return 2;
        }
    }
    if (!o->have_pending) {
        fprintf(stderr, "pending: option --pending is required\n");
        return 2;
    }
    if (!o->have_events)
        o->events = o->pending * 10 > 10000000u ? o->pending * 10 : 10000000u;
    return -1;
}

/* ---- the benchmark ------------------------------------------------------ */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of this process (user + system): unlike the wall clock, it
 * does not count time the process spent descheduled on a busy machine. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *kind_name(enum hs_pes_kind k)
{
    return k == HS_PES_HEAP     ? "heap"
           : k == HS_PES_LADDER ? "ladder"
           : k == HS_PES_BINARY ? "binary"
                                : "auto";
}

static const char *dist_name(enum dist d)
{
    return d == DIST_UNIFORM   ? "uniform"
           : d == DIST_BIMODAL ? "bimodal"
           : d == DIST_PARETO  ? "pareto"
                               : "exp";
}

static void die_push(int rc)
{
    fprintf(stderr, "pending: push failed (%d)\n", rc);
    exit(1);
}

/* A cheap order-sensitive hash of the pop sequence. */
static inline uint64_t mix(uint64_t h, const struct hs_pes_entry *e)
{
    uint64_t tb;
    memcpy(&tb, &e->t, sizeof tb);
    h ^= tb + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0x100000001b3u ^ e->ord;
}

int main(int argc, char **argv)
{
    struct opts o;
    int st = parse_args(argc, argv, &o);
    if (st >= 0)
        return st;

    hs_pes *q = hs_pes_create(o.kind, (size_t)o.pending);
    if (q == NULL) {
        fprintf(stderr, "pending: cannot create the set\n");
        return 1;
    }
    struct xrng r;
    xrng_seed(&r, o.seed);
    uint64_t ord = 0;

    double t0 = now_seconds();
    for (uint64_t i = 0; i < o.pending; i++) {
        struct hs_pes_entry e = { -log(xrng_open01(&r)), ord++, i };
        int rc = hs_pes_push(q, &e);
        if (rc != HS_OK)
            die_push(rc);
    }
    double t1 = now_seconds();

    double last = -INFINITY;
    uint64_t hash = 0;
    double c1 = cpu_seconds();
    for (uint64_t i = 0; i < o.events; i++) {
        struct hs_pes_entry e;
        if (!hs_pes_pop(q, &e)) {
            fprintf(stderr, "pending: set empty after %" PRIu64 " events\n", i);
            return 1;
        }
        if (e.t < last) {
            fprintf(stderr, "pending: time went backwards at event %" PRIu64 ": %.17g < %.17g\n",
                    i, e.t, last);
            abort();
        }
        last = e.t;
        hash = mix(hash, &e);
        e.t += draw(&r, o.dist);
        e.ord = ord++;
        int rc = hs_pes_push(q, &e);
        if (rc != HS_OK)
            die_push(rc);
    }
    double t2 = now_seconds();
    double c2 = cpu_seconds();

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double secs = t2 - t1;
    printf("kind=%s (in use at end: %s)\n", kind_name(o.kind), kind_name(hs_pes_kind(q)));
    printf("dist=%s seed=%" PRIu64 "\n", dist_name(o.dist), o.seed);
    printf("pending=%" PRIu64 " events=%" PRIu64 "\n", o.pending, o.events);
    printf("fill_seconds=%.3f\n", t1 - t0);
    printf("seconds=%.3f\n", secs);
    printf("ns_per_event=%.2f\n", 1e9 * secs / (double)o.events);
    printf("cpu_seconds=%.3f cpu_ns_per_event=%.2f\n", c2 - c1,
           1e9 * (c2 - c1) / (double)o.events);
    printf("final_time=%.6f order_hash=%016" PRIx64 "\n", last, hash);
    struct hsi_ladder_stats ls;
    if (hsi_pes_ladder_stats(q, &ls))
        printf("ladder: rungs_built=%zu fine_loads=%zu push_downs=%zu side_pushes=%zu "
               "scan_pops=%zu max_depth=%zu blocks=%zu free_blocks=%zu\n",
               ls.rungs_built, ls.fine_loads, ls.push_downs, ls.side_pushes, ls.scan_pops,
               ls.max_depth, ls.blocks, ls.free_blocks);
    printf("pes_memory_mib=%.1f\n", (double)hs_pes_memory(q) / 1048576.0);
    printf("peak_rss_mib=%.1f\n", (double)ru.ru_maxrss / 1024.0);
    printf("events_per_second=%.0f\n", (double)o.events / secs);
    hs_pes_destroy(q);
    return 0;
}
