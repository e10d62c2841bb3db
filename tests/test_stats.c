/* SPDX-License-Identifier: MIT
 *
 * test_stats.c - tests of the statistics module (stats.h): tallies and
 * their merge, Student-t and normal quantiles against reference values,
 * the coverage of t intervals, time averages, histograms, batch means, and
 * every function's behaviour on bad arguments.
 *
 * Reference quantiles were computed to 50 digits by inverting the
 * regularized incomplete beta function (t) and the normal distribution
 * function with mpmath, at the double nearest each p.  Random samples come
 * from a small xoshiro256** generator seeded by splitmix64, local to this
 * file so the test does not depend on the library's own generators.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>

#include "hailsham/stats.h"
#include "hailsham/status.h"

#define TEST_PI 3.14159265358979323846

/* ------------------------------------------------------------------------
 * Helpers
 */

/* Fails, with both values printed, unless got is within rel of want
 * (relative; absolute when want is 0). */
#define assert_rel(got, want, rel) \
    assert_rel_at((got), (want), (rel), #got, __FILE__, __LINE__)

static void assert_rel_at(double got, double want, double rel,
                          const char *expr, const char *file, int line)
{
    double err = want == 0.0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (!(err <= rel)) {
        print_error("%s:%d: %s = %.17g, want %.17g (error %.3g > %.3g)\n",
                    file, line, expr, got, want, err, rel);
        fail();
    }
}

#define assert_nan(x) assert_true(isnan(x))

typedef struct test_rng {
    uint64_t s[4];
} test_rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void rng_seed(test_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(test_rng *r)
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

/* Uniform on (0, 1), never 0, so log() below is safe. */
static double rng_uniform(test_rng *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1p-53;
}

/* Standard normal by Box-Muller (one of the pair; simplicity over speed). */
static double rng_normal(test_rng *r)
{
    double u1 = rng_uniform(r);
    double u2 = rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * TEST_PI * u2);
}

static void tally_from(hs_tally *t, const double *x, size_t n)
{
    hs_tally_init(t);
    for (size_t i = 0; i < n; i++)
        hs_tally_add(t, x[i]);
}

/* ------------------------------------------------------------------------
 * Tally
 */

static void test_tally_small_exact(void **state)
{
    (void)state;
    const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    hs_tally t;
    tally_from(&t, x, 8);
    assert_int_equal(t.n, 8);
    assert_rel(hs_tally_mean(&t), 5.0, 1e-15);
    /* squared deviations 9+1+1+1+0+0+4+16 = 32 */
    assert_rel(hs_tally_variance(&t), 32.0 / 7.0, 1e-15);
    assert_rel(hs_tally_stddev(&t), sqrt(32.0 / 7.0), 1e-15);
    assert_rel(t.min, 2.0, 0.0);
    assert_rel(t.max, 9.0, 0.0);
}

/* The textbook sum-of-squares formula returns garbage here; Welford gives
 * the variance of {4, 7, 13, 16}, which is 30, to full precision. */
static void test_tally_stable_far_from_zero(void **state)
{
    (void)state;
    const double offsets[] = { 1e9, 1e12, 1e15 };
    for (int k = 0; k < 3; k++) {
        double c = offsets[k];
        const double x[] = { c + 4, c + 7, c + 13, c + 16 };
        hs_tally t;
        tally_from(&t, x, 4);
        assert_rel(hs_tally_mean(&t), c + 10, 1e-15);
        assert_rel(hs_tally_variance(&t), 30.0, 1e-12);
    }
}

/* Two-pass mean and variance in long double, as the reference. */
static void two_pass(const double *x, size_t n, double *mean, double *var)
{
    long double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    long double m = sum / (long double)n;
    long double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *mean = (double)m;
    *var = (double)(ss / (long double)(n - 1));
}

static void test_tally_merge_halves(void **state)
{
    (void)state;
    enum { N = 1000, SPLIT = 377 };
    double x[N];
    test_rng r;
    rng_seed(&r, 12345);
    for (int i = 0; i < N; i++)
        x[i] = 1000.0 + 3.0 * rng_normal(&r);
    hs_tally whole, a, b;
    tally_from(&whole, x, N);
    tally_from(&a, x, SPLIT);
    tally_from(&b, x + SPLIT, N - SPLIT);
    hs_tally_merge(&a, &b);
    assert_int_equal(a.n, N);
    assert_rel(hs_tally_mean(&a), hs_tally_mean(&whole), 1e-12);
    assert_rel(hs_tally_variance(&a), hs_tally_variance(&whole), 1e-12);
    assert_rel(a.min, whole.min, 0.0);
    assert_rel(a.max, whole.max, 0.0);
    double mean, var;
    two_pass(x, N, &mean, &var);
    assert_rel(hs_tally_mean(&whole), mean, 1e-14);
    assert_rel(hs_tally_variance(&whole), var, 1e-12);

    /* Many small pieces merged in sequence, as replications would be. */
    hs_tally all;
    hs_tally_init(&all);
    for (int i = 0; i < N; i += 10) {
        hs_tally piece;
        tally_from(&piece, x + i, 10);
        hs_tally_merge(&all, &piece);
    }
    assert_int_equal(all.n, N);
    assert_rel(hs_tally_mean(&all), mean, 1e-14);
    assert_rel(hs_tally_variance(&all), var, 1e-12);
}

static void test_tally_merge_edges(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 3, 4 };
    hs_tally t, empty, into;
    tally_from(&t, x, 4);
    hs_tally_init(&empty);

    hs_tally before = t;
    hs_tally_merge(&t, &empty); /* merging nothing changes nothing */
    assert_int_equal(t.n, before.n);
    assert_rel(t.mean, before.mean, 0.0);
    assert_rel(t.m2, before.m2, 0.0);

    hs_tally_init(&into);
    hs_tally_merge(&into, &t); /* into an empty tally: a copy */
    assert_int_equal(into.n, 4);
    assert_rel(hs_tally_mean(&into), 2.5, 0.0);
    assert_rel(into.min, 1.0, 0.0);

    hs_tally_merge(&t, &t); /* with itself: every value twice */
    const double twice[] = { 1, 2, 3, 4, 1, 2, 3, 4 };
    hs_tally ref;
    tally_from(&ref, twice, 8);
    assert_int_equal(t.n, 8);
    assert_rel(hs_tally_mean(&t), hs_tally_mean(&ref), 1e-15);
    assert_rel(hs_tally_variance(&t), hs_tally_variance(&ref), 1e-15);

    hs_tally_merge(NULL, &t); /* no crash */
    hs_tally_merge(&t, NULL);
    assert_int_equal(t.n, 8);
}

static void test_tally_empty_and_bad(void **state)
{
    (void)state;
    hs_tally t;
    hs_tally_init(&t);
    assert_nan(hs_tally_mean(&t));
    assert_nan(hs_tally_variance(&t));
    assert_nan(hs_tally_stddev(&t));
    hs_tally_add(&t, 3.0);
    assert_rel(hs_tally_mean(&t), 3.0, 0.0);
    assert_nan(hs_tally_variance(&t)); /* n < 2 */
    hs_ci ci = hs_tally_ci(&t, 0.95);
    assert_rel(ci.mean, 3.0, 0.0);
    assert_nan(ci.half_width);
    assert_int_equal(ci.n, 1);

    assert_nan(hs_tally_mean(NULL));
    assert_nan(hs_tally_variance(NULL));
    assert_nan(hs_tally_stddev(NULL));
    hs_tally_init(NULL);
    hs_tally_add(NULL, 1.0);
    ci = hs_tally_ci(NULL, 0.95);
    assert_nan(ci.mean);
    assert_nan(ci.half_width);
    assert_int_equal(ci.n, 0);

    hs_tally_add(&t, 5.0);
    assert_nan(hs_tally_ci(&t, 0.0).half_width); /* level outside (0, 1) */
    assert_nan(hs_tally_ci(&t, 1.0).half_width);
    assert_nan(hs_tally_ci(&t, NAN).half_width);

    hs_tally_add(&t, NAN); /* NaN propagates to the moments ... */
    assert_nan(hs_tally_mean(&t));
    assert_rel(t.min, 3.0, 0.0); /* ... but not to min and max */
    assert_rel(t.max, 5.0, 0.0);
}

/* ------------------------------------------------------------------------
 * Quantiles
 */

typedef struct t_case {
    double p, df, want;
} t_case;

static void test_t_quantile_table(void **state)
{
    (void)state;
    static const t_case cases[] = {
        /* the usual table, to the digits printed in most tables */
        { 0.975, 1, 12.7062047361747 },
        { 0.975, 2, 4.30265272974946 },
        { 0.975, 10, 2.22813885198627 },
        { 0.975, 30, 2.04227245630124 },
        { 0.995, 5, 4.03214298355523 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_rel(hs_student_t_quantile(cases[i].p, cases[i].df),
                   cases[i].want, 5e-14);
}

/* Far tails, fractional and huge df, near-median p: 50-digit references. */
static void test_t_quantile_reference(void **state)
{
    (void)state;
    static const t_case cases[] = {
        { 0.975, 1, 12.7062047361746933141 },
        { 0.975, 2, 4.30265272974946178942 },
        { 0.975, 7, 2.36462425159278473787 },
        { 0.975, 10, 2.22813885198627422452 },
        { 0.975, 30, 2.04227245630123788783 },
        { 0.995, 5, 4.03214298355522717928 },
        { 0.975, 1e9, 1.95996398691232508873 },
        { 0.9, 3.5, 1.57657660513640526777 },
        { 1e-10, 4, -416.175140329604123525 },
        { 1e-300, 7.5, -2.10890311510253005978e+40 },
        { 0.3, 0.5, -1.0095258786071661156 },
        { 0.4999999, 12, -2.55933625829949920233e-7 },
        { 1e-05, 1e5, -4.26509540318132483434 },
        { 0.025, 999999, -1.95996635681647929076 },
        { 0.999, 250, 3.12315022902709122815 },
        { 1e-200, 1e7, -30.2062839207910821526 },
        { 0.75, 1e6, 0.674489995531087378625 },
        { 0.2, 3, -0.978472312363304389611 },
        { 0.001, 1, -318.308838985550439296 },
        { 0.9999, 2, 70.7000710749681719913 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_rel(hs_student_t_quantile(cases[i].p, cases[i].df),
                   cases[i].want, 1e-12);
}

static void test_t_quantile_symmetry_and_order(void **state)
{
    (void)state;
    static const double dfs[] = { 0.7, 1, 1.5, 2, 3, 9.5, 40, 1e4, 2e6 };
    /* Dyadic p, so that 1 - p is exact and the pair exactly symmetric. */
    static const double ps[] = { 0x1p-40, 0x1p-10, 0x1p-5, 0.09375, 0.3125,
                                 0.4375, 0.5 - 0x1p-9 };
    for (size_t i = 0; i < sizeof dfs / sizeof dfs[0]; i++) {
        double prev = -INFINITY;
        for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
            double lo = hs_student_t_quantile(ps[j], dfs[i]);
            double hi = hs_student_t_quantile(1.0 - ps[j], dfs[i]);
            assert_rel(hi, -lo, 0.0);
            assert_true(lo < 0.0);
            assert_true(lo > prev); /* increasing in p */
            prev = lo;
        }
        assert_rel(hs_student_t_quantile(0.5, dfs[i]), 0.0, 0.0);
    }
}

/* The general algorithm must agree with the closed forms for df = 1, 2
 * when df is nudged off them, and tend to the normal as df grows. */
static void test_t_quantile_limits(void **state)
{
    (void)state;
    static const double ps[] = { 1e-9, 0.01, 0.2, 0.4, 0.9, 0.995 };
    for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
        double p = ps[j];
        /* cot(pi p) form: p - 0.5 would round away the tail's digits */
        double cauchy = p < 0.5 ? -1.0 / tan(TEST_PI * p)
                                : 1.0 / tan(TEST_PI * (1.0 - p));
        double two = (2 * p - 1) / sqrt(2 * p * (1 - p));
        assert_rel(hs_student_t_quantile(p, 1), cauchy, 1e-12);
        assert_rel(hs_student_t_quantile(p, 1 + 1e-12), cauchy, 1e-10);
        assert_rel(hs_student_t_quantile(p, 2), two, 1e-12);
        assert_rel(hs_student_t_quantile(p, 2 - 1e-12), two, 1e-10);
        assert_rel(hs_student_t_quantile(p, INFINITY), hs_normal_quantile(p),
                   0.0);
    }
    assert_rel(hs_student_t_quantile(0.975, 1e9), 1.95996398454005, 1e-8);
    assert_rel(hs_student_t_quantile(0.975, 1e15), 1.95996398454005, 1e-14);
}

static void test_t_quantile_bad(void **state)
{
    (void)state;
    static const double bad_p[] = { 0.0, 1.0, -0.1, 1.5, NAN, INFINITY };
    for (size_t i = 0; i < sizeof bad_p / sizeof bad_p[0]; i++)
        assert_nan(hs_student_t_quantile(bad_p[i], 5));
    static const double bad_df[] = { 0.0, -1.0, NAN, -INFINITY };
    for (size_t i = 0; i < sizeof bad_df / sizeof bad_df[0]; i++)
        assert_nan(hs_student_t_quantile(0.9, bad_df[i]));
    /* Beyond DBL_MAX the quantile is infinite rather than NaN. */
    assert_true(isinf(hs_student_t_quantile(1e-300, 0.01)));
    assert_true(hs_student_t_quantile(1e-300, 0.01) < 0.0);
    assert_true(isinf(hs_student_t_quantile(0.7, 1e-300)));
    assert_true(isfinite(hs_student_t_quantile(DBL_MIN, 3)));
}

static void test_normal_quantile(void **state)
{
    (void)state;
    static const struct { double p, want; } cases[] = {
        { 0.975, 1.9599639845400538556 },
        { 0.025, -1.95996398454005421178 },
        { 0.8413447460685429, 0.999999999999999905738 },
        { 1e-10, -6.3613409024040561991 },
        { 1e-300, -37.0470962993611992365 },
        { 0.999, 3.09023230616781327776 },
        { 0.3, -0.524400512708040815969 },
        { 0.500000001, 2.50662820373871143764e-9 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_rel(hs_normal_quantile(cases[i].p), cases[i].want, 2e-15);
    assert_rel(hs_normal_quantile(0.5), 0.0, 0.0);
    assert_rel(hs_normal_quantile(0.25), -hs_normal_quantile(0.75), 0.0);
    assert_true(isfinite(hs_normal_quantile(DBL_TRUE_MIN)));
    assert_nan(hs_normal_quantile(0.0));
    assert_nan(hs_normal_quantile(1.0));
    assert_nan(hs_normal_quantile(-2.0));
    assert_nan(hs_normal_quantile(NAN));
}

/* ------------------------------------------------------------------------
 * Confidence intervals
 */

static void test_tally_ci_known(void **state)
{
    (void)state;
    const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    hs_tally t;
    tally_from(&t, x, 8);
    hs_ci ci = hs_tally_ci(&t, 0.95);
    assert_rel(ci.mean, 5.0, 0.0);
    assert_rel(ci.level, 0.95, 0.0);
    assert_int_equal(ci.n, 8);
    assert_rel(ci.half_width, 2.36462425159278473787 * sqrt(32.0 / 7.0 / 8.0),
               1e-13);
}

/* 2000 samples of 8 from N(3, 2^2): the 95% t interval should cover 3
 * about 95% of the time (binomial sd 0.005, so [0.93, 0.97] is 4 sd). */
static void test_tally_ci_coverage(void **state)
{
    (void)state;
    enum { REPS = 2000, N = 8 };
    test_rng r;
    rng_seed(&r, 2024);
    int covered = 0;
    for (int rep = 0; rep < REPS; rep++) {
        hs_tally t;
        hs_tally_init(&t);
        for (int i = 0; i < N; i++)
            hs_tally_add(&t, 3.0 + 2.0 * rng_normal(&r));
        hs_ci ci = hs_tally_ci(&t, 0.95);
        if (fabs(ci.mean - 3.0) <= ci.half_width)
            covered++;
    }
    double coverage = (double)covered / REPS;
    print_message("# t-interval coverage %.4f\n", coverage);
    assert_true(coverage >= 0.93 && coverage <= 0.97);
}

/* ------------------------------------------------------------------------
 * Time average
 */

static void test_timeavg_step_function(void **state)
{
    (void)state;
    hs_timeavg a;
    /* 1 on [0,2), 3 on [2,5), 0 on [5,10): area 2 + 9 + 0 = 11 */
    hs_timeavg_init(&a, 0.0, 1.0);
    hs_timeavg_set(&a, 2.0, 3.0);
    hs_timeavg_set(&a, 5.0, 0.0);
    assert_rel(hs_timeavg_mean(&a, 10.0), 1.1, 1e-15);
    assert_rel(hs_timeavg_mean(&a, 5.0), 11.0 / 5.0, 1e-15);
    assert_rel(a.min, 0.0, 0.0);
    assert_rel(a.max, 3.0, 0.0);

    /* Warm-up ends at 10: the value (0) is kept, the past forgotten. */
    hs_timeavg_reset(&a, 10.0);
    assert_rel(hs_timeavg_mean(&a, 10.0), 0.0, 0.0);
    hs_timeavg_set(&a, 12.0, 4.0);
    assert_rel(hs_timeavg_mean(&a, 14.0), (0.0 * 2 + 4.0 * 2) / 4.0, 1e-15);
    assert_rel(a.min, 0.0, 0.0);
    assert_rel(a.max, 4.0, 0.0);

    /* Several changes at the same instant add no area. */
    hs_timeavg_set(&a, 14.0, 100.0);
    hs_timeavg_set(&a, 14.0, 4.0);
    assert_rel(hs_timeavg_mean(&a, 16.0), (4.0 * 4) / 6.0, 1e-15);
}

static void test_timeavg_edges(void **state)
{
    (void)state;
    hs_timeavg a;
    hs_timeavg_init(&a, 5.0, 2.0);
    assert_rel(hs_timeavg_mean(&a, 5.0), 2.0, 0.0); /* empty span: value */
    assert_rel(hs_timeavg_mean(&a, 9.0), 2.0, 0.0);
    hs_timeavg_set(&a, 7.0, 6.0);
    assert_nan(hs_timeavg_mean(&a, 6.0)); /* before the last change */
    assert_nan(hs_timeavg_mean(&a, NAN));

    /* A change dated in the past (or NaN) counts at the last change time. */
    hs_timeavg_set(&a, 3.0, 8.0);
    hs_timeavg_set(&a, NAN, 8.0);
    assert_rel(a.t_last, 7.0, 0.0);
    assert_rel(hs_timeavg_mean(&a, 9.0), (2.0 * 2 + 8.0 * 2) / 4.0, 1e-15);
    hs_timeavg_reset(&a, 1.0); /* likewise for reset */
    assert_rel(a.t0, 7.0, 0.0);

    hs_timeavg_init(NULL, 0.0, 1.0);
    hs_timeavg_set(NULL, 1.0, 1.0);
    hs_timeavg_reset(NULL, 1.0);
    assert_nan(hs_timeavg_mean(NULL, 1.0));
}

/* ------------------------------------------------------------------------
 * Histogram
 */

static void test_histogram_counts(void **state)
{
    (void)state;
    hs_histogram *h = NULL;
    assert_int_equal(hs_histogram_create(0.0, 10.0, 5, &h), HS_OK);
    assert_non_null(h);
    assert_int_equal(hs_histogram_nbins(h), 5);
    const double x[] = { -1.0, -INFINITY, 0.0, 1.999, 2.0, 4.0, 9.999,
                         10.0, INFINITY, NAN, 5.5 };
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        hs_histogram_add(h, x[i]);
    assert_int_equal(hs_histogram_underflow(h), 2);
    assert_int_equal(hs_histogram_overflow(h), 3); /* 10, inf and NaN */
    assert_int_equal(hs_histogram_count(h, 0), 2); /* 0, 1.999 */
    assert_int_equal(hs_histogram_count(h, 1), 1); /* 2 opens bin 1 */
    assert_int_equal(hs_histogram_count(h, 2), 2); /* 4, 5.5 */
    assert_int_equal(hs_histogram_count(h, 3), 0);
    assert_int_equal(hs_histogram_count(h, 4), 1);
    assert_int_equal(hs_histogram_total(h), 11);
    assert_rel(hs_histogram_bin_lo(h, 0), 0.0, 0.0);
    assert_rel(hs_histogram_bin_hi(h, 0), 2.0, 0.0);
    assert_rel(hs_histogram_bin_lo(h, 3), 6.0, 0.0);
    assert_rel(hs_histogram_bin_hi(h, 4), 10.0, 0.0);
    assert_int_equal(hs_histogram_count(h, 5), 0); /* no such bin */
    assert_nan(hs_histogram_bin_lo(h, 5));
    assert_nan(hs_histogram_bin_hi(h, 5));
    hs_histogram_destroy(h);
}

/* With widths that are not binary fractions, a value equal to a reported
 * lower edge must still land in that bin, and edges must tile [lo, hi). */
static void test_histogram_edges_agree(void **state)
{
    (void)state;
    enum { NB = 997 };
    hs_histogram *h = NULL;
    assert_int_equal(hs_histogram_create(-0.3, 0.7, NB, &h), HS_OK);
    for (size_t i = 0; i < NB; i++) {
        hs_histogram_add(h, hs_histogram_bin_lo(h, i));
        if (i > 0)
            assert_rel(hs_histogram_bin_lo(h, i), hs_histogram_bin_hi(h, i - 1),
                       0.0);
    }
    for (size_t i = 0; i < NB; i++)
        assert_int_equal(hs_histogram_count(h, i), 1);
    hs_histogram_add(h, nextafter(0.7, 0.0)); /* just below hi: last bin */
    assert_int_equal(hs_histogram_count(h, NB - 1), 2);
    assert_int_equal(hs_histogram_underflow(h) + hs_histogram_overflow(h), 0);
    hs_histogram_destroy(h);
}

static void test_histogram_quantile(void **state)
{
    (void)state;
    hs_histogram *h = NULL;
    assert_int_equal(hs_histogram_create(0.0, 10.0, 10, &h), HS_OK);
    assert_nan(hs_histogram_quantile(h, 0.5)); /* empty */
    for (int i = 0; i < 10; i++)
        hs_histogram_add(h, i + 0.5); /* one per bin */
    assert_rel(hs_histogram_quantile(h, 0.5), 5.0, 1e-15);
    assert_rel(hs_histogram_quantile(h, 0.25), 2.5, 1e-15);
    assert_rel(hs_histogram_quantile(h, 0.0), 0.0, 0.0);
    assert_rel(hs_histogram_quantile(h, 1.0), 10.0, 0.0);
    assert_nan(hs_histogram_quantile(h, -0.1));
    assert_nan(hs_histogram_quantile(h, 1.1));
    assert_nan(hs_histogram_quantile(h, NAN));

    hs_histogram_add(h, -5.0); /* 11 values, one below */
    assert_nan(hs_histogram_quantile(h, 0.0));
    assert_nan(hs_histogram_quantile(h, 0.05)); /* rank 0.55 < 1 */
    assert_rel(hs_histogram_quantile(h, 6.0 / 11.0), 5.0, 1e-14);
    assert_rel(hs_histogram_quantile(h, 1.0), 10.0, 0.0);
    hs_histogram_add(h, 50.0); /* and one above */
    assert_nan(hs_histogram_quantile(h, 1.0));
    assert_rel(hs_histogram_quantile(h, 0.5), 5.0, 1e-14); /* rank 6 of 12 */
    hs_histogram_destroy(h);

    /* Uniform data: the quantiles approach p * width. */
    assert_int_equal(hs_histogram_create(0.0, 1.0, 50, &h), HS_OK);
    test_rng r;
    rng_seed(&r, 99);
    for (int i = 0; i < 100000; i++)
        hs_histogram_add(h, rng_uniform(&r));
    assert_rel(hs_histogram_quantile(h, 0.9), 0.9, 0.01);
    assert_rel(hs_histogram_quantile(h, 0.5), 0.5, 0.01);
    hs_histogram_destroy(h);
}

static void test_histogram_bad(void **state)
{
    (void)state;
    hs_histogram *h = (hs_histogram *)&h; /* must be reset to NULL */
    assert_int_equal(hs_histogram_create(1.0, 1.0, 4, &h), HS_EINVAL);
    assert_null(h);
    assert_int_equal(hs_histogram_create(2.0, 1.0, 4, &h), HS_EINVAL);
    assert_int_equal(hs_histogram_create(0.0, 1.0, 0, &h), HS_EINVAL);
    assert_int_equal(hs_histogram_create(NAN, 1.0, 4, &h), HS_EINVAL);
    assert_int_equal(hs_histogram_create(0.0, NAN, 4, &h), HS_EINVAL);
    assert_int_equal(hs_histogram_create(0.0, INFINITY, 4, &h), HS_EINVAL);
    assert_int_equal(hs_histogram_create(-DBL_MAX, DBL_MAX, 4, &h), HS_EINVAL);
    assert_int_equal(hs_histogram_create(0.0, 1.0, SIZE_MAX, &h), HS_ENOMEM);
    assert_int_equal(hs_histogram_create(0.0, 1.0, 4, NULL), HS_EINVAL);
    assert_null(h);

    hs_histogram_add(NULL, 1.0);
    hs_histogram_destroy(NULL);
    assert_int_equal(hs_histogram_nbins(NULL), 0);
    assert_int_equal(hs_histogram_count(NULL, 0), 0);
    assert_int_equal(hs_histogram_underflow(NULL), 0);
    assert_int_equal(hs_histogram_overflow(NULL), 0);
    assert_int_equal(hs_histogram_total(NULL), 0);
    assert_nan(hs_histogram_bin_lo(NULL, 0));
    assert_nan(hs_histogram_bin_hi(NULL, 0));
    assert_nan(hs_histogram_quantile(NULL, 0.5));
}

/* ------------------------------------------------------------------------
 * Batch means
 */

static void test_batch_known(void **state)
{
    (void)state;
    /* Batches of one: 1..5 have lag-1 sum (-2)(-1) + 0 + 0 + (1)(2) = 4
     * over squared deviations 10, so 0.4 -- also far from zero. */
    const double offsets[] = { 0.0, 1e9 };
    for (int k = 0; k < 2; k++) {
        hs_batch *b = NULL;
        assert_int_equal(hs_batch_create(1, &b), HS_OK);
        for (int i = 1; i <= 5; i++)
            hs_batch_add(b, offsets[k] + i);
        assert_int_equal(hs_batch_count(b), 5);
        assert_rel(hs_batch_lag1(b), 0.4, 1e-12);
        hs_batch_destroy(b);
    }

    /* Batches of three from 1..7: means 2 and 5; 7 waits in a partial
     * batch and is not counted. */
    hs_batch *b = NULL;
    assert_int_equal(hs_batch_create(3, &b), HS_OK);
    for (int i = 1; i <= 7; i++)
        hs_batch_add(b, i);
    assert_int_equal(hs_batch_count(b), 2);
    hs_ci ci = hs_batch_ci(b, 0.95);
    assert_int_equal(ci.n, 2);
    assert_rel(ci.mean, 3.5, 1e-15);
    /* variance of {2, 5} is 4.5; sqrt(4.5 / 2) = 1.5 */
    assert_rel(ci.half_width, 12.7062047361746933141 * 1.5, 1e-13);
    assert_nan(hs_batch_lag1(b)); /* fewer than 3 batches */
    hs_batch_destroy(b);
}

/* Long i.i.d. run: batch means are uncorrelated and the interval covers. */
static void test_batch_iid(void **state)
{
    (void)state;
    hs_batch *b = NULL;
    assert_int_equal(hs_batch_create(1000, &b), HS_OK);
    test_rng r;
    rng_seed(&r, 7);
    for (int i = 0; i < 100 * 1000; i++)
        hs_batch_add(b, 10.0 + rng_normal(&r));
    assert_int_equal(hs_batch_count(b), 100);
    double rho = hs_batch_lag1(b);
    print_message("# iid lag-1 of batch means %.4f\n", rho);
    assert_true(fabs(rho) < 0.3); /* sd about 0.1 */
    hs_ci ci = hs_batch_ci(b, 0.95);
    assert_true(fabs(ci.mean - 10.0) <= ci.half_width);
    hs_batch_destroy(b);
}

/* Repeated short runs of 20 batches: coverage near the nominal 95%. */
static void test_batch_coverage(void **state)
{
    (void)state;
    enum { REPS = 2000, BATCHES = 20, SIZE = 25 };
    test_rng r;
    rng_seed(&r, 31337);
    int covered = 0;
    for (int rep = 0; rep < REPS; rep++) {
        hs_batch *b = NULL;
        assert_int_equal(hs_batch_create(SIZE, &b), HS_OK);
        for (int i = 0; i < BATCHES * SIZE; i++)
            hs_batch_add(b, -1.0 + 0.5 * rng_normal(&r));
        hs_ci ci = hs_batch_ci(b, 0.95);
        if (fabs(ci.mean + 1.0) <= ci.half_width)
            covered++;
        hs_batch_destroy(b);
    }
    double coverage = (double)covered / REPS;
    print_message("# batch-means coverage %.4f\n", coverage);
    assert_true(coverage >= 0.93 && coverage <= 0.97);
}

/* An AR(1) process with phi = 0.9: short batches are visibly correlated,
 * long ones are not -- what hs_batch_lag1 is for. */
static void test_batch_correlated(void **state)
{
    (void)state;
    hs_batch *short_b = NULL, *long_b = NULL;
    assert_int_equal(hs_batch_create(1, &short_b), HS_OK);
    assert_int_equal(hs_batch_create(2000, &long_b), HS_OK);
    test_rng r;
    rng_seed(&r, 4242);
    double x = 0.0;
    for (int i = 0; i < 200000; i++) {
        x = 0.9 * x + rng_normal(&r);
        hs_batch_add(short_b, x);
        hs_batch_add(long_b, x);
    }
    assert_rel(hs_batch_lag1(short_b), 0.9, 0.02);
    assert_true(fabs(hs_batch_lag1(long_b)) < 0.3);
    hs_batch_destroy(short_b);
    hs_batch_destroy(long_b);
}

static void test_batch_bad(void **state)
{
    (void)state;
    hs_batch *b = (hs_batch *)&b;
    assert_int_equal(hs_batch_create(0, &b), HS_EINVAL);
    assert_null(b);
    assert_int_equal(hs_batch_create(5, NULL), HS_EINVAL);

    hs_batch_add(NULL, 1.0);
    hs_batch_destroy(NULL);
    assert_int_equal(hs_batch_count(NULL), 0);
    assert_nan(hs_batch_lag1(NULL));
    hs_ci ci = hs_batch_ci(NULL, 0.9);
    assert_nan(ci.mean);
    assert_nan(ci.half_width);
    assert_int_equal(ci.n, 0);

    assert_int_equal(hs_batch_create(2, &b), HS_OK);
    ci = hs_batch_ci(b, 0.95);
    assert_nan(ci.mean); /* no batch yet */
    assert_nan(ci.half_width);
    for (int i = 0; i < 8; i++)
        hs_batch_add(b, 4.0); /* four equal batch means */
    assert_nan(hs_batch_lag1(b)); /* 0 / 0: no variation to correlate */
    assert_rel(hs_batch_ci(b, 0.95).half_width, 0.0, 0.0);
    hs_batch_destroy(b);
}

/* Quantiles of sorted values by linear interpolation, against hand values. */
static void quantile_sorted_interpolates(void **state)
{
    (void)state;
    const double v[] = {1, 2, 3, 4, 10};
    assert_true(isnan(hs_quantile_sorted(v, 0, 0.5)));
    assert_true(hs_quantile_sorted(v, 1, 0.9) == 1);
    assert_true(hs_quantile_sorted(v, 5, 0) == 1);
    assert_true(hs_quantile_sorted(v, 5, 1) == 10);
    assert_true(hs_quantile_sorted(v, 5, 0.5) == 3);
    assert_true(fabs(hs_quantile_sorted(v, 4, 0.5) - 2.5) < 1e-15);
    assert_true(fabs(hs_quantile_sorted(v, 5, 0.95) - 8.8) < 1e-12);   /* 4 + 0.8 * 6 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantile_sorted_interpolates),
        cmocka_unit_test(test_tally_small_exact),
        cmocka_unit_test(test_tally_stable_far_from_zero),
        cmocka_unit_test(test_tally_merge_halves),
        cmocka_unit_test(test_tally_merge_edges),
        cmocka_unit_test(test_tally_empty_and_bad),
        cmocka_unit_test(test_t_quantile_table),
        cmocka_unit_test(test_t_quantile_reference),
        cmocka_unit_test(test_t_quantile_symmetry_and_order),
        cmocka_unit_test(test_t_quantile_limits),
        cmocka_unit_test(test_t_quantile_bad),
        cmocka_unit_test(test_normal_quantile),
        cmocka_unit_test(test_tally_ci_known),
        cmocka_unit_test(test_tally_ci_coverage),
        cmocka_unit_test(test_timeavg_step_function),
        cmocka_unit_test(test_timeavg_edges),
        cmocka_unit_test(test_histogram_counts),
        cmocka_unit_test(test_histogram_edges_agree),
        cmocka_unit_test(test_histogram_quantile),
        cmocka_unit_test(test_histogram_bad),
        cmocka_unit_test(test_batch_known),
        cmocka_unit_test(test_batch_iid),
        cmocka_unit_test(test_batch_coverage),
        cmocka_unit_test(test_batch_correlated),
        cmocka_unit_test(test_batch_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
