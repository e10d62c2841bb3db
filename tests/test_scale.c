/* SPDX-License-Identifier: MIT
 *
 * test_scale.c - per-capita figures of the canon world, and of realworld's
 * supply, do not depend on --scale (realworld at the end of the file).
 *
 * `scale` shrinks the public (its initial size and births) and, with it,
 * the donor programme (planned cohorts, their minimum, recovery beds) by
 * the same factor, so a figure per person or per donor must come out the
 * same at any scale, within chance.  The test runs canon at scale 0.01
 * (N_SMALL replications) and at scale 0.1 (N_LARGE) and compares, for each
 * figure, its mean at the two scales:
 *
 *   e0 end             period life expectancy at birth in 1999
 *   donations pmpy     donations per million person-years of the public
 *                      (person-years: the public alive at each year end,
 *                      summed over 1950-1999)
 *   completion age     median age of the donors at completion
 *   cured pmpy         curable deaths prevented by an organ, per million
 *                      person-years: reported, not asserted.  It depends
 *                      on the scale (957-966 at 0.01, 973 at 0.1, seeds
 *                      1-3): lungs come two at a completion and keep six
 *                      hours, and in a small world the second more often
 *                      finds no compatible recipient waiting (lung
 *                      transplants 697-702 against 716 per million
 *                      person-years).  docs/testing.md, "Scale invariance"
 *   e0 end, donors counted   life expectancy in 1999 of everyone born
 *   years taken per donor    the ledger's other side, per completion
 *
 *   e0 mean            period e0 averaged over 1950-1999.  It once
 *                      depended on the scale (100.73 at scale 0.01, 100.98
 *                      at 0.1, 101.20 at 1): the life table closed at the
 *                      first age with no one in it, which a small world
 *                      reaches sooner; world.c's period_e0 now closes
 *                      each sex's table with the model's Gompertz tail,
 *                      scaled to the deaths of the oldest measured ages
 *   donors created     donors created per million person-years.  It once
 *                      depended on the scale (151 at 0.01, 155 at 0.1, 161
 *                      at 1): the cohort planner (donors.c) raised a growth
 *                      rate, clamped to at most 5% a year and estimated
 *                      from single years' listings, to the 30th power, and
 *                      a small world's noisier estimates fell below the
 *                      clamp more often.  The planner now grows the mean
 *                      of six years' listings at a rate it assumes
 *                      (programme.cohorts.growth), which is linear in the
 *                      counts: 160.7 at 0.01 against 160.6 at 0.1 here
 *
 * 32 and 6 replications: a planner that estimated its rate without bias
 * made the figures at 0.01 four times as noisy, and with 16 and 2 the
 * `leaving` sabotage then passed.  With the assumed rate, every sabotage
 * fails by a wide margin and the test takes about 14 s (release build).
 *
 * The tolerance comes from the spread of the runs themselves.  s1, the
 * standard deviation of the figure over the scale-0.01 replications,
 * estimates one run's noise at 0.01; a population ten times larger should
 * have a noise sqrt(10) times smaller, but the donations' shrinks less (by
 * about 2.5), so the noise of one scale-0.1 run is taken as the larger of
 * s1 / sqrt(10) and s2, the spread seen at 0.1.  Then
 *
 *   se = sqrt(s1^2 / N_SMALL + max(s1^2 / 10, s2^2) / N_LARGE)
 *
 * and the means must agree within 4 se, plus a floor of 1e-4 of the value
 * so that a figure with no spread cannot fail on rounding.
 *
 * To see that the test can fail, HS_SCALE_SABOTAGE changes the scale-0.1
 * world only, as a bug that depended on the scale would:
 *   programme  cohorts planned 30% too large (the programme scaled by 0.13)
 *   mortality  Gompertz B 10% higher for everyone
 *   leaving    students leave their estate half a year later
 * Each must make the test fail.
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

#include "scenario.h"
#include "world.h"

#define N_SMALL 32          /* replications at scale 0.01, about 0.2 s each */
#define N_LARGE 6           /* replications at scale 0.1, about 2 s each */
#define SCALE_SMALL 0.01
#define SCALE_LARGE 0.1
#define N_SE 4.0
#define FLOOR_REL 1e-4

enum { F_E0_END, F_DONATIONS, F_COMPLETION_AGE, F_E0_MEAN, F_CREATED, F_CURED, F_E0_ALL,
       F_TAKEN, NFIG };

static const char *const fig[NFIG] = {
    [F_E0_END] = "e0 end",
    [F_DONATIONS] = "donations pmpy",
    [F_COMPLETION_AGE] = "completion age",
    [F_E0_MEAN] = "e0 mean",
    [F_CREATED] = "donors created pmpy",
    [F_CURED] = "cured pmpy",
    [F_E0_ALL] = "e0 end, donors counted",
    [F_TAKEN] = "years taken per donor",
};

struct person_years {
    double sum;
    int years;
};

static int on_year(void *ctx, const struct hs_year_row *r)
{
    struct person_years *py = ctx;
    py->sum += r->public_alive;
    py->years++;
    return HS_OK;
}

static void load(double scale, struct hs_params *p)
{
    struct hs_diag d;
    hs_diag_init(&d);
    int rc = hs_scenario_resolve("canon", p, &d);
    if (rc != HS_OK)
        hs_diag_print(&d, stderr);
    hs_diag_free(&d);
    assert_int_equal(rc, HS_OK);
    p->scale = scale;
}

static void sabotage(struct hs_params *p)
{
    const char *how = getenv("HS_SCALE_SABOTAGE");
    if (how == NULL || *how == '\0')
        return;
    if (!strcmp(how, "programme")) {
        p->plan_margin *= 1.3;
        p->plan_min_cohort *= 1.3;
    } else if (!strcmp(how, "mortality")) {
        p->mort_b_male *= 1.1;
        p->mort_b_female *= 1.1;
    } else if (!strcmp(how, "leaving")) {
        p->leave_age_mean += 0.5;
    } else {
        fail_msg("HS_SCALE_SABOTAGE=%s: expected programme, mortality or leaving", how);
    }
    printf("# sabotage: %s, at scale %g only\n", how, p->scale);
}

/* One world: its figures into f[NFIG]. */
static void run_one(const struct hs_params *p, uint64_t seed, uint64_t rep, double f[NFIG])
{
    struct person_years py = {0, 0};
    struct hs_world_sink sink = {&py, on_year, NULL, NULL, NULL};
    struct hs_world *w = NULL;
    char err[200];
    int rc = hs_world_create(p, seed, rep, &sink, &w, err, sizeof err);
    if (rc != HS_OK)
        fprintf(stderr, "hs_world_create: %s\n", err);
    assert_int_equal(rc, HS_OK);
    assert_int_equal(hs_world_run(w, NULL, NULL), HS_OK);
    struct hs_summary s;
    hs_world_summary(w, &s);
    hs_world_destroy(w);

    assert_int_equal(py.years, (int)(p->end_year - p->start_year));
    assert_true(py.sum > 0);
    assert_true(s.donations_total > 0);
    f[F_E0_END] = s.life_expectancy_end;
    f[F_DONATIONS] = 1e6 * s.donations_total / py.sum;
    f[F_COMPLETION_AGE] = s.median_completion_age;
    f[F_E0_MEAN] = s.life_expectancy_mean;
    f[F_CREATED] = 1e6 * s.donors_created / py.sum;
    f[F_CURED] = 1e6 * s.cured_total / py.sum;
    f[F_E0_ALL] = s.life_expectancy_all_end;
    f[F_TAKEN] = s.life_years_taken_per_donor;
    printf("# scale %-4g rep %3llu:", p->scale, (unsigned long long)rep);
    for (int k = 0; k < NFIG; k++) {
        assert_true(isfinite(f[k]));
        printf("  %s %.3f", fig[k], f[k]);
    }
    printf("\n");
}

static double mean_of(const double *v, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m += v[i];
    return m / n;
}

static double sd_of(const double *v, int n)
{
    if (n < 2)
        return 0;
    double m = mean_of(v, n), ss = 0;
    for (int i = 0; i < n; i++)
        ss += (v[i] - m) * (v[i] - m);
    return sqrt(ss / (n - 1));
}

static void canon_per_capita(void **st)
{
    (void)st;
    const uint64_t seed = 1;
    double small[NFIG][N_SMALL], large[NFIG][N_LARGE], f[NFIG];
    struct hs_params p;

    load(SCALE_SMALL, &p);
    for (int r = 0; r < N_SMALL; r++) {
        run_one(&p, seed, (uint64_t)r + 1, f);
        for (int k = 0; k < NFIG; k++)
            small[k][r] = f[k];
    }
    load(SCALE_LARGE, &p);
    sabotage(&p);
    for (int r = 0; r < N_LARGE; r++) {
        /* replications not used at 0.01: the two scales share no streams */
        run_one(&p, seed, (uint64_t)r + 101, f);
        for (int k = 0; k < NFIG; k++)
            large[k][r] = f[k];
    }

    const double ratio = SCALE_LARGE / SCALE_SMALL;
    int failed = 0;
    printf("# %d runs at scale %g, %d at %g; tolerance %.0f standard errors + %g of the value\n",
           N_SMALL, SCALE_SMALL, N_LARGE, SCALE_LARGE, N_SE, FLOOR_REL);
    printf("# %-24s %10s %10s %9s %8s %8s %8s %9s\n", "figure", "scale 0.01", "scale 0.1",
           "diff", "sd 0.01", "sd 0.1", "expected", "tolerance");
    for (int k = 0; k < NFIG; k++) {
        double m1 = mean_of(small[k], N_SMALL), m2 = mean_of(large[k], N_LARGE);
        double s1 = sd_of(small[k], N_SMALL), s2 = sd_of(large[k], N_LARGE);
        double v2 = fmax(s1 * s1 / ratio, s2 * s2);   /* one scale-0.1 run's variance */
        double se = sqrt(s1 * s1 / N_SMALL + v2 / N_LARGE);
        double tol = N_SE * se + FLOOR_REL * fabs(m1);
        double diff = m2 - m1;
        int ok = fabs(diff) <= tol || k == F_CURED;   /* see the comment at the top */
        printf("# %-24s %10.3f %10.3f %+9.3f %8.3f %8.3f %8.3f %9.3f  %s\n", fig[k], m1, m2,
               diff, s1, s2, s1 / sqrt(ratio), tol,
               k == F_CURED ? (fabs(diff) <= tol ? "agrees (not asserted)"
                                                 : "differs (known, not asserted)")
                            : ok ? "agrees" : "DIFFERS");
        failed += !ok;
    }
    assert_int_equal(failed, 0);
}

/* ---- realworld ---------------------------------------------------------
 *
 * The real world's supply is per person too (a share of deaths become
 * donors, living donors a rate per listed patient), so its figures per
 * million person-years of 2000-2019 should not depend on the scale either.
 * realworld runs RW_OWN replications at its own scale (0.05, as
 * calibrated) and RW_LARGE at twice it, and every figure but the liver
 * list and the organs wasted must agree as above.  It also runs RW_SMALL
 * at canon's 0.01, where the small lists and the organs wasted differ
 * (reported, not asserted there): an organ finds
 * no recipient when the list of its blood group (and the groups it may go
 * to) is empty, and in a world of half a million people each group's liver
 * or heart list is a person or two and often empty.  Measured with the
 * wait for a suitable liver or pancreas (docs/model.md): at 0.01 organs
 * wasted per person and the liver list 1.7 times those at 0.05; at 0.05
 * against 0.1, transplants within 3%, the organs wasted and the liver
 * list 1.2 times (at the tolerance's edge).  About 45 s. */
#define RW_SMALL 16
#define RW_OWN 8
#define RW_LARGE 3
#define RW_FROM 2000

enum { R_E0, R_DECEASED, R_LIVING, R_TX_KIDNEY, R_TX, R_WASTED, R_LIST, R_LIST_LIVER,
       R_TX_LIVER, R_LIST_HEART, R_TX_HEART, R_DIED, NRW };

/* Where each figure is asserted: at 0.05 against 0.1 (own), at 0.01
 * against 0.05 (small).  The liver list is a few people per blood group at
 * 0.05 still, and it and the organs wasted (mostly livers) are about 1.2
 * times those at 0.1: reported, never asserted. */
static const struct {
    const char *name;
    int own, small;
} rw_fig[NRW] = {
    [R_E0] = {"e0 2019", 1, 1},
    [R_DECEASED] = {"deceased donors pmpy", 1, 1},
    [R_LIVING] = {"living donors pmpy", 1, 1},
    [R_TX_KIDNEY] = {"kidney transplants pmpy", 1, 1},
    [R_TX] = {"transplants pmpy", 1, 0},
    [R_WASTED] = {"organs wasted pmpy", 0, 0},
    [R_LIST] = {"whole list pmpy", 1, 0},
    [R_LIST_LIVER] = {"liver list pmpy", 0, 0},
    [R_TX_LIVER] = {"liver transplants pmpy", 1, 0},
    [R_LIST_HEART] = {"heart list pmpy", 1, 0},
    [R_TX_HEART] = {"heart transplants pmpy", 1, 0},
    [R_DIED] = {"deaths on the lists pmpy", 1, 0},
};

struct rw_sums {
    double py, v[NRW];
};

static int rw_year(void *ctx, const struct hs_year_row *r)
{
    struct rw_sums *s = ctx;
    if (r->year < RW_FROM)
        return HS_OK;
    s->py += r->public_alive;
    s->v[R_E0] = r->life_expectancy;   /* the last year's */
    s->v[R_DECEASED] += r->deceased_donors;
    s->v[R_LIVING] += r->living_donors;
    s->v[R_TX_KIDNEY] += r->transplants_by[HS_ORGAN_KIDNEY];
    s->v[R_TX] += r->transplants;
    s->v[R_WASTED] += r->organs_wasted;
    s->v[R_LIST] += r->waiting;
    s->v[R_LIST_LIVER] += r->waiting_by[HS_ORGAN_LIVER];
    s->v[R_TX_LIVER] += r->transplants_by[HS_ORGAN_LIVER];
    s->v[R_LIST_HEART] += r->waiting_by[HS_ORGAN_HEART];
    s->v[R_TX_HEART] += r->transplants_by[HS_ORGAN_HEART];
    s->v[R_DIED] += r->deaths_waiting;
    return HS_OK;
}

static void rw_one(const struct hs_params *p, uint64_t rep, double f[NRW])
{
    struct rw_sums s;
    memset(&s, 0, sizeof s);
    struct hs_world_sink sink = {&s, rw_year, NULL, NULL, NULL};
    struct hs_world *w = NULL;
    char err[200];
    assert_int_equal(hs_world_create(p, 1, rep, &sink, &w, err, sizeof err), HS_OK);
    assert_int_equal(hs_world_run(w, NULL, NULL), HS_OK);
    hs_world_destroy(w);
    assert_true(s.py > 0);
    for (int k = 0; k < NRW; k++)
        f[k] = k == R_E0 ? s.v[k] : 1e6 * s.v[k] / s.py;
}

/* n replications of realworld at `scale` from replication first on, each
 * figure's values into v[figure][replication]. */
static void rw_runs(double scale, int n, uint64_t first, double v[NRW][RW_SMALL])
{
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve("realworld", &p, &d), HS_OK);
    hs_diag_free(&d);
    p.scale = scale;
    if (scale > 0.05 && getenv("HS_SCALE_SABOTAGE") &&
        !strcmp(getenv("HS_SCALE_SABOTAGE"), "donors")) {
        p.deceased_share *= 1.15;   /* a bug in the supply at one scale */
        printf("# sabotage: deceased donors 15%% more at scale %g only\n", scale);
    }
    double f[NRW];
    for (int r = 0; r < n; r++) {
        rw_one(&p, first + (uint64_t)r, f);
        for (int k = 0; k < NRW; k++)
            v[k][r] = f[k];
    }
}

/* Compare each figure's means at two scales (a, na runs; b, nb runs; b
 * the larger by `ratio`), as canon's above; `own` says which pair this is
 * (rw_fig).  The number that differ where asserted. */
static int rw_compare(const char *what, double a[NRW][RW_SMALL], int na,
                      double b[NRW][RW_SMALL], int nb, double ratio, int own)
{
    int failed = 0;
    printf("# realworld %d-2019, %s\n", RW_FROM, what);
    for (int k = 0; k < NRW; k++) {
        double m1 = mean_of(a[k], na), m2 = mean_of(b[k], nb);
        double s1 = sd_of(a[k], na), s2 = sd_of(b[k], nb);
        double se = sqrt(s1 * s1 / na + fmax(s1 * s1 / ratio, s2 * s2) / nb);
        double tol = N_SE * se + FLOOR_REL * fabs(m1);
        int ok = fabs(m2 - m1) <= tol, asserted = own ? rw_fig[k].own : rw_fig[k].small;
        printf("# %-26s %10.3f %10.3f %+9.3f %9.3f  %s\n", rw_fig[k].name, m1, m2, m2 - m1, tol,
               asserted ? (ok ? "agrees" : "DIFFERS")
                        : (ok ? "agrees (not asserted)" : "differs (known, not asserted)"));
        failed += asserted && !ok;
    }
    return failed;
}

static void realworld_per_capita(void **st)
{
    (void)st;
    static double small[NRW][RW_SMALL], own[NRW][RW_SMALL], large[NRW][RW_SMALL];
    /* replications apart at each scale: the scales share no streams */
    rw_runs(0.01, RW_SMALL, 1, small);
    rw_runs(0.05, RW_OWN, 101, own);
    rw_runs(0.1, RW_LARGE, 201, large);
    char what[96];
    snprintf(what, sizeof what, "at its own scale 0.05 (%d runs) and at 0.1 (%d runs)", RW_OWN,
             RW_LARGE);
    int failed = rw_compare(what, own, RW_OWN, large, RW_LARGE, 2.0, 1);
    snprintf(what, sizeof what, "at 0.01 (%d runs) and at its own scale 0.05 (%d runs)", RW_SMALL,
             RW_OWN);
    failed += rw_compare(what, small, RW_SMALL, own, RW_OWN, 5.0, 0);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(canon_per_capita),
        cmocka_unit_test(realworld_per_capita),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
