/* SPDX-License-Identifier: MIT
 *
 * test_calibration.c - the realworld scenario against England's figures.
 *
 * The mean over four replications at scale 0.05 of the years 2010-2019:
 * period life expectancy at birth within 1 year of ONS (both sexes, the
 * mean of the male and female figures of realworld.md: 80.9 for 2010-12,
 * 81.25 for 2017-19), and per million people, within 20% of the NHSBT
 * figures of realworld.md (which count the UK; the model is England):
 *   transplants        66.1 pmp  (3,706 in 2009/10 on 62.3 m; 4,655 in 2013/14 on 64.1 m)
 *   deceased donors    18.0 pmp  (959 in 2009/10; 1,320 in 2013/14)
 *   living donors      15.7 pmp  (1,061 in 2009/10; 958 in 2022/23 on 67 m)
 *   active list       111   pmp  (8,000 in 2009/10; 7,332 in 2012/13; 6,000 in 2019/20)
 *   deaths on the list  7.3 pmp  (466 in 2012/13 on 63.7 m)
 * docs/model.md sets these beside the model's figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <cmocka.h>

#include "scenario.h"
#include "world.h"

struct sums {
    double e0_2011, e0_2018, tx, dd, ld, wait, dw;
    int n;
};

static int on_year(void *ctx, const struct hs_year_row *r)
{
    struct sums *s = ctx;
    if (r->year < 2010 || r->year > 2019)
        return HS_OK;
    double m = r->public_alive / 1e6;
    s->tx += r->transplants / m;
    s->dd += r->deceased_donors / m;
    s->ld += r->living_donors / m;
    s->wait += r->waiting / m;
    s->dw += r->deaths_waiting / m;
    s->n++;
    if (r->year == 2011)
        s->e0_2011 += r->life_expectancy;
    if (r->year == 2018)
        s->e0_2018 += r->life_expectancy;
    return HS_OK;
}

static void near(const char *what, double model, double real, double tol, int relative)
{
    double lim = relative ? tol * real : tol;
    printf("# %-20s model %8.2f  real %8.2f  (tolerance %.2f)\n", what, model, real, lim);
    assert_true(fabs(model - real) <= lim);
}

static void realworld_2010s(void **st)
{
    (void)st;
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_builtin("realworld", &p, &d), HS_OK);
    hs_diag_free(&d);
    p.scale = 0.05;
    struct sums s = {0};
    const int reps = 4;
    for (int rep = 1; rep <= reps; rep++) {
        struct hs_world_sink sink = {&s, on_year, NULL, NULL, NULL};
        struct hs_world *w = NULL;
        char err[200];
        assert_int_equal(hs_world_create(&p, (uint64_t)rep, 0, &sink, &w, err, sizeof err),
                         HS_OK);
        assert_int_equal(hs_world_run(w, NULL, NULL), HS_OK);
        hs_world_destroy(w);
    }
    assert_int_equal(s.n, 10 * reps);
    near("e0 2011", s.e0_2011 / reps, 80.9, 1.0, 0);
    near("e0 2018", s.e0_2018 / reps, 81.25, 1.0, 0);
    near("transplants pmp", s.tx / s.n, 66.1, 0.2, 1);
    near("deceased donors pmp", s.dd / s.n, 18.0, 0.2, 1);
    near("living donors pmp", s.ld / s.n, 15.7, 0.2, 1);
    near("active list pmp", s.wait / s.n, 111.0, 0.2, 1);
    near("deaths on list pmp", s.dw / s.n, 7.3, 0.2, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(realworld_2010s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
