/* SPDX-License-Identifier: MIT
 *
 * test_limits.c - what `hailsham validate` accepts, `hailsham run` runs.
 *
 * Every numeric parameter of the schema is set, one at a time, to each of
 * its edge values (tests/edges.h: the bounds, just inside them, 4.9e-324
 * and 1e-300 over an open 0, the default) on top of canon at a tiny scale,
 * through the same --set path as the command line.  Then either the
 * scenario check refuses it, every line placed at the assignment, or a
 * world is created from it and runs to the end without an error.  A world
 * that would need much memory (scale 1 of a national population) or make
 * thousands of donors a year is only validated.  The failures are listed together before the test fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "edges.h"
#include "scenario.h"
#include "world.h"

/* canon, small and short enough that each run takes milliseconds (about
 * 400 people, ten donors a year), with the donors' lives compressed so that cohorts reach
 * the Cottages, training, caring and their donations within the run. */
static const char *const base_sets[] = {
    "scenario.scale=0.00001", "scenario.end_year=1966", "programme.leaving.age_mean=5",
    "programme.leaving.age_sd=0", "programme.cottages_years.mean=0.5",
    "programme.training_years=0", "programme.carers.tenure_median=0.5",
    "programme.donations.recovery_months=2", "programme.cohorts.minimum=1000000",
};
#define NBASE (sizeof base_sets / sizeof base_sets[0])
/* Worlds estimated above this many bytes, or making more donors a year
 * than this, are validated, not run: they are valid, but not quick. */
#define RUN_MEMORY_MAX 200e6
#define RUN_DONORS_MAX 500.0

static int too_big(const struct hs_params *p)
{
    double donors = p->plan_min_cohort;
    for (size_t i = 0; i < p->cohort_size.n; i++)
        if (p->cohort_size.value[i] > donors)
            donors = p->cohort_size.value[i];
    return hs_world_memory_estimate(p) > RUN_MEMORY_MAX || donors * p->scale > RUN_DONORS_MAX;
}

struct tally {
    size_t accepted, refused, ran, too_big, failed;
};

static void fail_case(struct tally *t, const char *set, const char *why)
{
    t->failed++;
    print_message("    %s: %s\n", set, why);
}

static void try_edge(void *ctx, const char *path, double value, const char *assignment)
{
    struct tally *t = ctx;
    const char *sets[NBASE + 1];
    memcpy(sets, base_sets, sizeof base_sets);
    sets[NBASE] = assignment;
    struct hs_params p;
    struct hs_diag d;
    char err[256];
    (void)path;
    (void)value;

    hs_diag_init(&d);
    int rc = hs_scenario_resolve_set("canon", sets, NBASE + 1, &p, &d);
    if (rc != HS_OK) {
        t->refused++;
        if (rc != HS_EPARSE || hs_diag_count(&d) == 0)
            fail_case(t, assignment, "refused without a message");
        for (size_t i = 0; i < hs_diag_count(&d); i++) {
            const char *m = hs_diag_message(&d, i);
            /* placed at the assignment, one line, said once */
            if (strncmp(m, "--set ", 6) != 0 || strstr(m, ": error: ") == NULL)
                fail_case(t, assignment, m);
            for (size_t j = 0; j < i; j++)
                if (strcmp(m, hs_diag_message(&d, j)) == 0)
                    fail_case(t, assignment, "the same error twice");
        }
        hs_diag_free(&d);
        return;
    }
    hs_diag_free(&d);
    t->accepted++;
    if (too_big(&p)) {
        t->too_big++;
        return;
    }
    struct hs_world *w = NULL;
    rc = hs_world_create(&p, 1, 0, NULL, &w, err, sizeof err);
    if (rc != HS_OK) {
        fail_case(t, assignment, err);
        return;
    }
    clock_t c0 = clock();
    rc = hs_world_run(w, NULL, NULL);
    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (secs > 0.2)
        print_message("# slow: %s %.2f s\n", assignment, secs);
    if (rc != HS_OK) {
        snprintf(err, sizeof err, "accepted, but the run failed with status %d", rc);
        fail_case(t, assignment, err);
    } else {
        t->ran++;
    }
    hs_world_destroy(w);
}

static void validate_agrees_with_run(void **state)
{
    (void)state;
    struct hs_params base;
    struct hs_diag d;
    struct tally t = {0, 0, 0, 0, 0};
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve_set("canon", base_sets, NBASE, &base, &d), HS_OK);
    hs_diag_free(&d);

    clock_t c0 = clock();
    size_t n = edges_each(&base, try_edge, &t);
    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    print_message("# %zu edge values: %zu refused, %zu accepted (%zu ran, %zu only validated: "
                  "too big to run here), %zu failed, %.1f s\n",
                  n, t.refused, t.accepted, t.ran, t.too_big, t.failed, secs);
    /* the walk reached every kind of number: well over a hundred keys */
    assert_true(n > 400);
    assert_true(t.ran > n / 2);
    assert_int_equal(t.failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validate_agrees_with_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
