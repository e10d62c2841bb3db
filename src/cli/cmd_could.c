/* SPDX-License-Identifier: MIT
 *
 * cmd_could.c - `hailsham could-it-work`: what programme size gives the
 * public a life expectancy of TARGET by YEAR, and could any?
 *
 * The readers' question (MODEL.md, the cures are the donors).  The size
 * of a planned programme is its planner's margin (programme.cohorts.margin):
 * the organs it plans for, as a multiple of the demand it forecasts.  The
 * command runs the scenario at a ladder of margins, on the same seeds and
 * replications at every rung (common random numbers, so the rungs differ
 * by the margin and not by chance), beside the same world without the
 * programme and the world at perfect supply (every listing given its organ
 * at once: the ceiling no size can pass).  For each it reads the life
 * expectancy in YEAR, the mean over the replications with a 95% interval,
 * and the donors created per 1,000 births.  The answer is the size at which
 * the means first reach TARGET, interpolated linearly between rungs, with
 * an interval from where the upper and the lower ends of the rungs' 95%
 * intervals first reach it; or, when even perfect supply falls short, that
 * no size can, and by how much.  The first year in which the largest
 * rung's mean reaches TARGET says how soon any size could: donors are
 * children first.
 *
 * The runs share two threads (the machine's cores are the limit, not the
 * rungs); each writes only its own slot, and the results do not depend on
 * how the threads interleave.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hailsham/hailsham.h>
#include <hailsham/stats.h>

#include "cmd_could.h"
#include "diag.h"
#include "exitcode.h"
#include "scenario.h"
#include "world.h"

/* The ladder of margins: from a tenth of the demand to eight times it. */
static const double margins[] = {0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8};
#define NRUNGS (sizeof margins / sizeof margins[0])
/* Two more worlds beside the rungs: without the programme, at perfect supply. */
enum { W_WITHOUT = NRUNGS, W_CEILING = NRUNGS + 1, NWORLDS = NRUNGS + 2 };
#define MAX_YEARS 512
#define MAX_REPS 64

struct job {
    struct hs_params p;
    uint64_t seed, rep;
    double e0[MAX_YEARS];     /* life expectancy by year - start_year */
    double per_1000;          /* donors created per 1,000 births */
    int rc;
};

struct pool {
    struct job *jobs;
    size_t n, next;
    pthread_mutex_t lock;
    int progress;             /* show progress on stderr */
    size_t done;
};

static int on_year(void *ctx, const struct hs_year_row *r)
{
    struct job *j = ctx;
    long i = (long)r->year - (long)j->p.start_year;
    if (i >= 0 && i < MAX_YEARS)
        j->e0[i] = r->life_expectancy;
    return HS_OK;
}

static void run_job(struct job *j)
{
    struct hs_world_sink sink = {j, on_year, NULL, NULL, NULL};
    struct hs_world *w = NULL;
    char err[256];
    for (size_t i = 0; i < MAX_YEARS; i++)
        j->e0[i] = NAN;
    j->rc = hs_world_create(&j->p, j->seed, j->rep, &sink, &w, err, sizeof err);
    if (j->rc == HS_OK)
        j->rc = hs_world_run(w, NULL, NULL);
    if (j->rc == HS_OK) {
        struct hs_summary s;
        hs_world_summary(w, &s);
        j->per_1000 = j->p.programme ? s.donors_per_1000_births : 0.0;
    }
    hs_world_destroy(w);
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next < pl->n ? pl->next++ : pl->n;
        pthread_mutex_unlock(&pl->lock);
        if (i >= pl->n)
            return NULL;
        run_job(&pl->jobs[i]);
        pthread_mutex_lock(&pl->lock);
        pl->done++;
        if (pl->progress)
            fprintf(stderr, "\rhailsham could-it-work: %zu of %zu runs", pl->done, pl->n);
        pthread_mutex_unlock(&pl->lock);
    }
}

static void usage(FILE *f)
{
    fputs("usage: hailsham could-it-work SCENARIO --target YEARS --by YEAR\n"
          "                              [--seed N] [--scale F] [--replications R]\n"
          "                              [--set KEY=VALUE]... [--quiet]\n"
          "\n"
          "What programme size gives the public a life expectancy at birth of YEARS\n"
          "by the calendar year YEAR, and could any?  Runs SCENARIO (a planned\n"
          "programme) at planner margins from 0.1 to 8, its recovery beds scaled in\n"
          "proportion, on the same seeds, beside the\n"
          "same world without the programme and the world at perfect supply (every\n"
          "listing given its organ at once), and prints life expectancy in YEAR\n"
          "against donors created per 1,000 births, with 95% intervals over R\n"
          "replications (default 4), then the answer.\n"
          "\n"
          "  --target YEARS   the life expectancy at birth wanted\n"
          "  --by YEAR        the calendar year it is wanted in (within the run)\n"
          "  --seed N         the seed of every run (default 1)\n"
          "  --scale F        the scale of every run, 0 < F <= 1 (default: the scenario's)\n"
          "  --replications R replications at each size, 2 to 64 (default 4)\n"
          "  --set KEY=VALUE  change a parameter of the scenario (repeatable)\n"
          "  --quiet          no progress on stderr\n"
          "\n" HS_EXIT_HELP, f);
}

static int number(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    if (v == NULL) {
        fprintf(stderr, "hailsham could-it-work: %s needs a value\n", opt);
        return -1;
    }
    double x = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || errno != 0 || !(x >= lo && x <= hi)) {
        fprintf(stderr, "hailsham could-it-work: %s needs a number from %g to %g, got '%s'\n",
                opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* The mean and the half-width of a 95% interval of n values. */
static void mean_ci(const double *v, size_t n, double *mean, double *half)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - m) * (v[i] - m);
    *mean = m;
    *half = n > 1 ? hs_student_t_quantile(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1)) /
                        sqrt((double)n)
                  : NAN;
}

/* The donors per 1,000 births at which the rungs' life expectancy first
 * reaches target, interpolated linearly from the rung below (the world
 * without the programme below the first); with `side` +1 or -1, of the
 * upper or the lower end of each rung's interval.  NaN if no rung does. */
static double crossing(const double *mean, const double *half, int side, const double *size,
                       double target)
{
    double prev = mean[W_WITHOUT] + (half ? side * half[W_WITHOUT] : 0), prev_s = 0.0;
    for (size_t w = 0; w < NRUNGS; w++) {
        double v = mean[w] + (half ? side * half[w] : 0);
        if (v >= target) {
            double f = v > prev ? (target - prev) / (v - prev) : 1.0;
            f = f < 0 ? 0 : f > 1 ? 1 : f;
            return prev_s + f * (size[w] - prev_s);
        }
        prev = v;
        prev_s = size[w];
    }
    return NAN;
}

int hs_cmd_could(int argc, char **argv)
{
    const char *scenario = NULL;
    double target = NAN, by = NAN, scale = NAN, reps_d = 4, seed_d = 1;
    int quiet = 0;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    if (sets == NULL)
        return HS_EXIT_NOMEM;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(sets);
            return HS_EXIT_OK;
        } else if (!strcmp(a, "--target")) {
            rc = number(a, v, 0, 150, &target);
            i++;
        } else if (!strcmp(a, "--by")) {
            rc = number(a, v, 1800, 2300, &by);
            i++;
        } else if (!strcmp(a, "--scale")) {
            rc = number(a, v, 1e-9, 1, &scale);
            i++;
        } else if (!strcmp(a, "--replications")) {
            rc = number(a, v, 2, MAX_REPS, &reps_d);
            i++;
        } else if (!strcmp(a, "--seed")) {
            rc = number(a, v, 0, 9007199254740992.0, &seed_d);
            i++;
        } else if (!strcmp(a, "--set")) {
            if (v == NULL) {
                fprintf(stderr, "hailsham could-it-work: --set needs KEY=VALUE\n");
                rc = -1;
            }
            sets[nsets++] = v;
            i++;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hailsham could-it-work: unknown option '%s' (try --help)\n", a);
            rc = -1;
        } else if (scenario == NULL) {
            scenario = a;
        } else {
            fprintf(stderr, "hailsham could-it-work: one scenario only, got '%s' too\n", a);
            rc = -1;
        }
    }
    if (rc == 0 && (scenario == NULL || isnan(target) || isnan(by))) {
        fprintf(stderr, "hailsham could-it-work: needs a SCENARIO, --target and --by "
                        "(try --help)\n");
        rc = -1;
    }
    if (rc != 0 || reps_d != floor(reps_d) || seed_d != floor(seed_d)) {
        if (rc == 0)
            fprintf(stderr, "hailsham could-it-work: --replications and --seed take whole "
                            "numbers\n");
        free(sets);
        return HS_EXIT_USAGE;
    }
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    rc = hs_scenario_resolve_set(scenario, sets, nsets, &p, &d);
    free(sets);
    if (rc == HS_OK && !isnan(scale)) {
        p.scale = scale;
        rc = hs_scenario_check(&p, &d);
    }
    if (rc != HS_OK) {
        hs_diag_print(&d, stderr);
        hs_diag_free(&d);
        return rc == HS_ENOMEM ? HS_EXIT_NOMEM : HS_EXIT_DATA;
    }
    hs_diag_free(&d);
    if (!p.programme || !p.cohort_planned) {
        fprintf(stderr, "hailsham could-it-work: %s has %s; the command sizes a planned "
                        "programme through programme.cohorts.margin\n", scenario,
                !p.programme ? "no programme" : "fixed cohorts (programme.cohorts.mode)");
        return HS_EXIT_DATA;
    }
    if (!(by >= p.start_year && by < p.end_year)) {
        fprintf(stderr, "hailsham could-it-work: --by %g is outside the run (%g-%g)\n", by,
                p.start_year, p.end_year - 1);
        return HS_EXIT_USAGE;
    }
    size_t reps = (size_t)reps_d, n = NWORLDS * reps;
    struct job *jobs = calloc(n, sizeof *jobs);
    if (jobs == NULL)
        return HS_EXIT_NOMEM;
    for (size_t w = 0; w < NWORLDS; w++)
        for (size_t r = 0; r < reps; r++) {
            struct job *j = &jobs[w * reps + r];
            j->p = p;
            j->seed = (uint64_t)seed_d;
            j->rep = r;
            if (w < NRUNGS) {
                /* a programme of this size, with recovery centres to match */
                j->p.plan_margin = margins[w];
                for (size_t c = 0; c < j->p.n_centres; c++)
                    j->p.centre[c].beds = p.centre[c].beds * margins[w] / p.plan_margin;
            } else {
                j->p.programme = 0;               /* without: no supply, so no cures */
                j->p.perfect_supply = w == W_CEILING;
            }
        }
    struct pool pl = {jobs, n, 0, PTHREAD_MUTEX_INITIALIZER, !quiet && isatty(2), 0};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, worker, &pl) == 0;
    worker(&pl);
    if (threaded)
        pthread_join(th, NULL);
    if (pl.progress)
        fputs("\r\033[K", stderr);
    for (size_t i = 0; i < n; i++)
        if (jobs[i].rc != HS_OK) {
            fprintf(stderr, "hailsham could-it-work: a run failed: %s\n",
                    hs_strerror(jobs[i].rc));
            free(jobs);
            return hs_exit_of(jobs[i].rc);
        }

    size_t yi = (size_t)(by - p.start_year), ny = (size_t)(p.end_year - p.start_year);
    double mean[NWORLDS], half[NWORLDS], size[NWORLDS], v[MAX_REPS];
    for (size_t w = 0; w < NWORLDS; w++) {
        double s = 0;
        for (size_t r = 0; r < reps; r++) {
            v[r] = jobs[w * reps + r].e0[yi];
            s += jobs[w * reps + r].per_1000;
        }
        mean_ci(v, reps, &mean[w], &half[w]);
        size[w] = s / (double)reps;
    }
    printf("hailsham %s could-it-work: %s, life expectancy at birth of %g by %.0f; seed %.0f, "
           "%zu replications, scale %g\n\n", hs_version(), scenario, target, by, seed_d, reps,
           p.scale);
    printf("  %-26s %18s %26s\n", "programme size", "donors per 1,000", "life expectancy in");
    printf("  %-26s %18s %26.0f\n", "", "births", by);
    printf("  %-26s %18s %17.2f +/- %.2f\n", "without the programme", "0", mean[W_WITHOUT],
           half[W_WITHOUT]);
    for (size_t w = 0; w < NRUNGS; w++) {
        char l[40];
        snprintf(l, sizeof l, "planner's margin %g", margins[w]);
        printf("  %-26s %18.1f %17.2f +/- %.2f\n", l, size[w], mean[w], half[w]);
    }
    printf("  %-26s %18s %17.2f +/- %.2f\n", "perfect supply (ceiling)", "", mean[W_CEILING],
           half[W_CEILING]);

    /* how soon: the first year the largest programme's mean reaches the target */
    int first = -1;
    for (size_t y = 0; y < ny && y < MAX_YEARS && first < 0; y++) {
        double s = 0;
        for (size_t r = 0; r < reps; r++)
            s += jobs[(NRUNGS - 1) * reps + r].e0[y];
        if (s / (double)reps >= target)
            first = (int)(p.start_year + (double)y);
    }
    printf("\n");
    if (mean[W_CEILING] + half[W_CEILING] < target) {
        printf("  answer: no programme size gives %g by %.0f. Even perfect supply, every\n"
               "  curable death given its organ at once, gives %.2f (95%% interval %.2f to\n"
               "  %.2f): %.2f years short.\n", target, by, mean[W_CEILING],
               mean[W_CEILING] - half[W_CEILING], mean[W_CEILING] + half[W_CEILING],
               target - mean[W_CEILING]);
    } else {
        /* the size where the means cross the target, and where the upper and
         * lower ends of the intervals do: a 95% interval for the size */
        double mid = crossing(mean, NULL, 0, size, target);
        double lo = crossing(mean, half, +1, size, target);
        double hi = crossing(mean, half, -1, size, target);
        if (isnan(mid)) {
            printf("  answer: perfect supply could give %g by %.0f (%.2f +/- %.2f), but no\n"
                   "  size up to a margin of %g does; the largest gives %.2f +/- %.2f.\n",
                   target, by, mean[W_CEILING], half[W_CEILING], margins[NRUNGS - 1],
                   mean[NRUNGS - 1], half[NRUNGS - 1]);
        } else {
            char his[64];
            if (isnan(hi))
                snprintf(his, sizeof his, "more than the %.0f of the largest size tried",
                         size[NRUNGS - 1]);
            else
                snprintf(his, sizeof his, "%.0f", hi);
            printf("  answer: about %.0f donors per 1,000 births give %g by %.0f (95%%\n"
                   "  interval: from %.0f to %s).\n", mid, target, by, isnan(lo) ? mid : lo,
                   his);
        }
    }
    if (first >= 0)
        printf("  The largest programme tried first reaches %g in %d.\n", target, first);
    else
        printf("  The largest programme tried never reaches %g within the run.\n", target);
    free(jobs);
    return HS_EXIT_OK;
}
