/* SPDX-License-Identifier: MIT
 *
 * rng_speed.c - nanoseconds per draw of the basic random variates.
 *
 * Usage: rng_speed [DRAWS [RUNS]]   (defaults 10^8 and 3)
 *
 * Times hs_rng_uniform (inline in the header), hs_dist_exp1 and
 * hs_dist_exponential (ziggurat), hs_dist_normal (ziggurat) and, as the
 * baseline the ziggurat has to beat, -log(hs_rng_uniform_pos) by
 * inversion.  Each is run RUNS times over DRAWS draws and the median is
 * printed.  The draws are summed and the sum printed so that the compiler
 * cannot drop the work.  Results are in bench/rng-results.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hailsham/dist.h"
#include "hailsham/rng.h"

#define MAX_RUNS 15

static double now_ns(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

enum which { UNIFORM, EXP1, EXPONENTIAL, NORMAL, NEG_LOG, N_WHICH };

static const char *const names[N_WHICH] = {
    "hs_rng_uniform", "hs_dist_exp1", "hs_dist_exponential(2.0)",
    "hs_dist_normal(0,1)", "-log(hs_rng_uniform_pos)",
};

/* One timed loop; the switch is outside the loop so each loop is tight. */
static double run(enum which w, hs_rng *r, long draws, double *sink)
{
    double sum = 0.0;
    double t0 = now_ns();
    switch (w) {
    case UNIFORM:
        for (long i = 0; i < draws; i++)
            sum += hs_rng_uniform(r);
        break;
    case EXP1:
        for (long i = 0; i < draws; i++)
            sum += hs_dist_exp1(r);
        break;
    case EXPONENTIAL:
        for (long i = 0; i < draws; i++)
            sum += hs_dist_exponential(r, 2.0);
        break;
    case NORMAL:
        for (long i = 0; i < draws; i++)
            sum += hs_dist_normal(r, 0.0, 1.0);
        break;
    case NEG_LOG:
        for (long i = 0; i < draws; i++)
            sum += -log(hs_rng_uniform_pos(r));
        break;
    default:
        break;
    }
    double t1 = now_ns();
    *sink += sum;
    return (t1 - t0) / (double)draws;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
    long draws = argc > 1 ? atol(argv[1]) : 100000000L;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (draws <= 0 || runs <= 0 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: %s [DRAWS [RUNS <= %d]]\n", argv[0], MAX_RUNS);
        return 1;
    }
    hs_rng r;
    hs_rng_init(&r, 1, 0, hs_rng_purpose("bench"));
    double sink = 0.0;
    printf("%-28s %10s   (median of %d runs of %ld draws)\n", "draw", "ns/draw", runs, draws);
    for (int w = 0; w < N_WHICH; w++) {
        double t[MAX_RUNS];
        for (int k = 0; k < runs; k++)
            t[k] = run((enum which)w, &r, draws, &sink);
        qsort(t, (size_t)runs, sizeof t[0], cmp_double);
        printf("%-28s %10.2f\n", names[w], t[runs / 2]);
    }
    printf("(checksum %g)\n", sink);
    return 0;
}
