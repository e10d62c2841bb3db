/* SPDX-License-Identifier: MIT
 *
 * test_dist.c - statistical and edge-case tests of the random variates
 * (hailsham/dist.h) and the ziggurat tables behind them.
 *
 * For every distribution and several parameter sets: the sample mean and
 * variance against the exact values (five standard errors; the standard
 * error of the variance from the sample's fourth central moment), and a
 * goodness-of-fit test against the exact distribution: one-sample
 * Kolmogorov-Smirnov with the asymptotic Kolmogorov law for the continuous
 * ones, Pearson's chi-square against the exact pmf for the discrete ones,
 * both rejecting at p < 0.001.  The seeds are fixed, so the suite is
 * deterministic; a sampler off by a few percent anywhere fails it.  Then
 * the ziggurat's tails and layers in detail, the alias table, the
 * parameter checks and the behaviour on invalid parameters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <float.h>
#include <math.h>

#include "hailsham/dist.h"
#include "hailsham/rng.h"
#include "hailsham/status.h"
#include "ziggurat.h"

#define ALPHA 0.001
/* Not every C library defines PI and SQRT2 in strict C mode. */
#define PI 3.14159265358979323846
#define SQRT2 1.41421356237309504880

/* ------------------------------------------------------------------ */
/* Special functions for the exact distributions                      */

/* Regularised incomplete gamma: *p = P(a, x), *q = Q(a, x) = 1 - P.
 * Series below a + 1, Lentz's continued fraction above (each where it
 * converges fast and the complement is not formed by cancellation). */
static void incomplete_gamma(double a, double x, double *p, double *q)
{
    if (x <= 0.0) {
        *p = 0.0;
        *q = 1.0;
        return;
    }
    double front = exp(a * log(x) - x - lgamma(a));
    if (x < a + 1.0) {
        double term = 1.0 / a, sum = term;
        for (int n = 1; n < 100000 && fabs(term) > 1e-17 * fabs(sum); n++) {
            term *= x / (a + n);
            sum += term;
        }
        *p = sum * front;
        *q = 1.0 - *p;
        return;
    }
    const double tiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 100000; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < 1e-16)
            break;
    }
    *q = front * h;
    *p = 1.0 - *q;
}

static double chi_square_p(double x2, double df)
{
    double p, q;
    incomplete_gamma(0.5 * df, 0.5 * x2, &p, &q);
    return q;
}

/* P(K > t) for the Kolmogorov distribution (the limit of sqrt(n) D_n),
 * from whichever of its two theta-function series converges fast. */
static double kolmogorov_q(double t)
{
    if (t <= 0.0)
        return 1.0;
    double sum = 0.0;
    if (t < 1.18) {
        const double pi2 = PI * PI;
        for (int k = 1; k < 50; k++) {
            double m = 2.0 * k - 1.0;
            sum += exp(-m * m * pi2 / (8.0 * t * t));
        }
        return 1.0 - sqrt(2.0 * PI) / t * sum;
    }
    for (int k = 1; k < 100; k++) {
        double term = exp(-2.0 * k * k * t * t);
        sum += (k % 2 ? term : -term);
        if (term < 1e-300)
            break;
    }
    return 2.0 * sum;
}

/* ------------------------------------------------------------------ */
/* Sample summaries and tests                                          */

struct summary {
    double mean, var, m4; /* var unbiased; m4 the central fourth moment */
};

static struct summary summarise(const double *x, size_t n)
{
    struct summary s = {0.0, 0.0, 0.0};
    for (size_t i = 0; i < n; i++)
        s.mean += x[i];
    s.mean /= (double)n;
    double m2 = 0.0, m4 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - s.mean, d2 = d * d;
        m2 += d2;
        m4 += d2 * d2;
    }
    s.var = m2 / (double)(n - 1);
    s.m4 = m4 / (double)n;
    return s;
}

/* Mean and variance within five standard errors of the exact values.  The
 * variance's standard error is sqrt((mu4 - sigma^4) / n), with mu4 taken
 * from the sample (the parameter sets avoid tails so heavy that the sample
 * fourth moment would be unreliable). */
static void check_moments(const char *name, const double *x, size_t n,
                          double mean, double var)
{
    struct summary s = summarise(x, n);
    double se_mean = sqrt(var / (double)n);
    double se_var = sqrt(fmax(s.m4 - s.var * s.var, 0.0) / (double)n);
    if (fabs(s.mean - mean) > 5.0 * se_mean)
        fail_msg("%s: mean %.10g, expected %.10g (se %.3g)", name, s.mean, mean, se_mean);
    if (fabs(s.var - var) > 5.0 * se_var)
        fail_msg("%s: variance %.10g, expected %.10g (se %.3g)", name, s.var, var, se_var);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

typedef double (*cdf_fn)(double x, const double *par);

/* One-sample Kolmogorov-Smirnov p-value (sorts x), with Stephens'
 * small-sample correction of the statistic. */
static double ks_p(double *x, size_t n, cdf_fn cdf, const double *par)
{
    qsort(x, n, sizeof *x, cmp_double);
    double d = 0.0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i], par);
        double above = (double)(i + 1) / (double)n - f;
        double below = f - (double)i / (double)n;
        d = fmax(d, fmax(above, below));
    }
    double sn = sqrt((double)n);
    return kolmogorov_q((sn + 0.12 + 0.11 / sn) * d);
}

/* ------------------------------------------------------------------ */
/* Continuous distributions                                            */

typedef double (*sampler_fn)(hs_rng *r, const double *par);

static double draw_uniform(hs_rng *r, const double *p) { return hs_dist_uniform(r, p[0], p[1]); }
static double draw_exp1(hs_rng *r, const double *p) { (void)p; return hs_dist_exp1(r); }
static double draw_exponential(hs_rng *r, const double *p) { return hs_dist_exponential(r, p[0]); }
static double draw_normal(hs_rng *r, const double *p) { return hs_dist_normal(r, p[0], p[1]); }
static double draw_lognormal(hs_rng *r, const double *p) { return hs_dist_lognormal(r, p[0], p[1]); }
static double draw_gamma(hs_rng *r, const double *p) { return hs_dist_gamma(r, p[0], p[1]); }
static double draw_weibull(hs_rng *r, const double *p) { return hs_dist_weibull(r, p[0], p[1]); }
static double draw_gompertz(hs_rng *r, const double *p) { return hs_dist_gompertz(r, p[0], p[1]); }

static double draw_gm(hs_rng *r, const double *p)
{
    if (p[3] == 0.0)
        return hs_dist_gompertz_makeham(r, p[0], p[1], p[2]);
    return hs_dist_gompertz_makeham_from(r, p[0], p[1], p[2], p[3]);
}

static double cdf_uniform(double x, const double *p)
{
    double u = (x - p[0]) / (p[1] - p[0]);
    return u < 0.0 ? 0.0 : u > 1.0 ? 1.0 : u;
}

static double cdf_exponential(double x, const double *p)
{
    return x <= 0.0 ? 0.0 : -expm1(-p[0] * x);
}

static double cdf_exp1(double x, const double *p)
{
    (void)p;
    return x <= 0.0 ? 0.0 : -expm1(-x);
}

static double std_normal_cdf(double z)
{
    return 0.5 * erfc(-z / SQRT2);
}

static double cdf_normal(double x, const double *p)
{
    return std_normal_cdf((x - p[0]) / p[1]);
}

static double cdf_lognormal(double x, const double *p)
{
    return x <= 0.0 ? 0.0 : std_normal_cdf((log(x) - p[0]) / p[1]);
}

static double cdf_gamma(double x, const double *p)
{
    double lo, hi;
    incomplete_gamma(p[0], x / p[1], &lo, &hi);
    return lo;
}

static double cdf_weibull(double x, const double *p)
{
    return x <= 0.0 ? 0.0 : -expm1(-pow(x / p[1], p[0]));
}

/* log(e^y - 1) for y > 0, without overflow or cancellation. */
static double log_expm1(double y)
{
    return y < 1.0 ? log(expm1(y)) : y + log(-expm1(-y));
}

/* Gompertz-Makeham from age: H(x) = a x + (b/c) e^(c age) (e^(c x) - 1),
 * the Gompertz term in logs so that extreme parameters stay finite. */
static double gm_hazard(double x, double a, double b, double c, double age)
{
    if (x <= 0.0)
        return 0.0;
    return a * x + exp(log(b) - log(c) + c * age + log_expm1(c * x));
}

static double cdf_gm(double x, const double *p)
{
    return -expm1(-gm_hazard(x, p[0], p[1], p[2], p[3]));
}

static double cdf_gompertz(double x, const double *p)
{
    return -expm1(-gm_hazard(x, 0.0, p[0], p[1], 0.0));
}

/* Mean and variance of a non-negative variable from its CDF, through
 * E[T] = int S and E[T^2] = int 2 t S (composite Simpson, on [0, t_max]
 * with S(t_max) < 1e-18), for the Gompertz family where no closed form in
 * elementary functions exists. */
static void numeric_moments(cdf_fn cdf, const double *par, double *mean, double *var)
{
    double t_max = 1e-30;
    while (1.0 - cdf(t_max, par) > 1e-18)
        t_max *= 2.0;
    const int steps = 1 << 17;
    const double h = t_max / steps;
    double m1 = 0.0, m2 = 0.0;
    for (int i = 0; i <= steps; i++) {
        double t = i * h;
        double s = 1.0 - cdf(t, par);
        double w = (i == 0 || i == steps) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        m1 += w * s;
        m2 += w * 2.0 * t * s;
    }
    m1 *= h / 3.0;
    m2 *= h / 3.0;
    *mean = m1;
    *var = m2 - m1 * m1;
}

struct continuous_case {
    const char *name;
    sampler_fn draw;
    cdf_fn cdf;
    double par[4];
    double mean, var; /* NaN: from numeric_moments */
    int skip_moments; /* where numerical moments would be unreliable */
};

static double weibull_mean(double k, double lambda)
{
    return lambda * tgamma(1.0 + 1.0 / k);
}

static double weibull_var(double k, double lambda)
{
    double g1 = tgamma(1.0 + 1.0 / k);
    return lambda * lambda * (tgamma(1.0 + 2.0 / k) - g1 * g1);
}

static double lognormal_mean(double mu, double s)
{
    return exp(mu + 0.5 * s * s);
}

static double lognormal_var(double mu, double s)
{
    return expm1(s * s) * exp(2.0 * mu + s * s);
}

static void run_continuous(const struct continuous_case *c, size_t n, uint64_t seed)
{
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    hs_rng r;
    hs_rng_init(&r, seed, 0, hs_rng_purpose(c->name));
    for (size_t i = 0; i < n; i++) {
        x[i] = c->draw(&r, c->par);
        if (!isfinite(x[i]))
            fail_msg("%s: non-finite draw %g", c->name, x[i]);
    }
    if (!c->skip_moments) {
        double mean = c->mean, var = c->var;
        if (isnan(mean))
            numeric_moments(c->cdf, c->par, &mean, &var);
        check_moments(c->name, x, n, mean, var);
    }
    double p = ks_p(x, n, c->cdf, c->par);
    if (!(p > ALPHA))
        fail_msg("%s: Kolmogorov-Smirnov p = %.3g", c->name, p);
    free(x);
}

static void run_cases(const struct continuous_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++)
        run_continuous(&cases[i], 40000, 1000 + i);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_uniform(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"uniform(0,1)", draw_uniform, cdf_uniform, {0, 1}, 0.5, 1.0 / 12, 0},
        {"uniform(-3,5)", draw_uniform, cdf_uniform, {-3, 5}, 1.0, 64.0 / 12, 0},
        {"uniform(1e6,1e6+2)", draw_uniform, cdf_uniform, {1e6, 1e6 + 2}, 1e6 + 1, 4.0 / 12, 0},
    };
    run_cases(cases, COUNT(cases));
}

static void test_exponential(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"exp1", draw_exp1, cdf_exp1, {1}, 1.0, 1.0, 0},
        {"exponential(1)", draw_exponential, cdf_exponential, {1}, 1.0, 1.0, 0},
        {"exponential(0.25)", draw_exponential, cdf_exponential, {0.25}, 4.0, 16.0, 0},
        {"exponential(40)", draw_exponential, cdf_exponential, {40}, 0.025, 0.025 * 0.025, 0},
    };
    run_cases(cases, COUNT(cases));
}

static void test_normal(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"normal(0,1)", draw_normal, cdf_normal, {0, 1}, 0.0, 1.0, 0},
        {"normal(10,3)", draw_normal, cdf_normal, {10, 3}, 10.0, 9.0, 0},
        {"normal(-5,0.01)", draw_normal, cdf_normal, {-5, 0.01}, -5.0, 1e-4, 0},
    };
    run_cases(cases, COUNT(cases));
}

static void test_lognormal(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"lognormal(0,0.5)", draw_lognormal, cdf_lognormal, {0, 0.5},
         lognormal_mean(0, 0.5), lognormal_var(0, 0.5), 0},
        {"lognormal(1,0.25)", draw_lognormal, cdf_lognormal, {1, 0.25},
         lognormal_mean(1, 0.25), lognormal_var(1, 0.25), 0},
        {"lognormal(-1,0.75)", draw_lognormal, cdf_lognormal, {-1, 0.75},
         lognormal_mean(-1, 0.75), lognormal_var(-1, 0.75), 0},
    };
    run_cases(cases, COUNT(cases));
}

static void test_gamma(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"gamma(0.05,1)", draw_gamma, cdf_gamma, {0.05, 1}, 0.05, 0.05, 0},
        {"gamma(0.3,1)", draw_gamma, cdf_gamma, {0.3, 1}, 0.3, 0.3, 0},
        {"gamma(1,2)", draw_gamma, cdf_gamma, {1, 2}, 2.0, 4.0, 0},
        {"gamma(7.5,0.5)", draw_gamma, cdf_gamma, {7.5, 0.5}, 3.75, 1.875, 0},
        {"gamma(250,0.1)", draw_gamma, cdf_gamma, {250, 0.1}, 25.0, 2.5, 0},
    };
    run_cases(cases, COUNT(cases));
}

static void test_weibull(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"weibull(0.5,1)", draw_weibull, cdf_weibull, {0.5, 1},
         weibull_mean(0.5, 1), weibull_var(0.5, 1), 0},
        {"weibull(1.5,2)", draw_weibull, cdf_weibull, {1.5, 2},
         weibull_mean(1.5, 2), weibull_var(1.5, 2), 0},
        {"weibull(5,10)", draw_weibull, cdf_weibull, {5, 10},
         weibull_mean(5, 10), weibull_var(5, 10), 0},
    };
    run_cases(cases, COUNT(cases));
}

static void test_gompertz(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        /* Human-like adult mortality. */
        {"gompertz(1e-4,0.09)", draw_gompertz, cdf_gompertz, {1e-4, 0.09}, NAN, NAN, 0},
        {"gompertz(0.5,2)", draw_gompertz, cdf_gompertz, {0.5, 2}, NAN, NAN, 0},
        /* c/b overflows a double: the sampler's logarithmic branch. */
        {"gompertz(1e-300,1e10)", draw_gompertz, cdf_gompertz, {1e-300, 1e10}, NAN, NAN, 1},
    };
    run_cases(cases, COUNT(cases));
}

static void test_gompertz_makeham(void **state)
{
    (void)state;
    const struct continuous_case cases[] = {
        {"gm(0.002,1e-4,0.09)", draw_gm, cdf_gm, {0.002, 1e-4, 0.09, 0}, NAN, NAN, 0},
        {"gm(0.002,1e-4,0.09) from 40", draw_gm, cdf_gm, {0.002, 1e-4, 0.09, 40}, NAN, NAN, 0},
        {"gm(0.002,1e-4,0.09) from 80", draw_gm, cdf_gm, {0.002, 1e-4, 0.09, 80}, NAN, NAN, 0},
        {"gm(0.5,0.1,1)", draw_gm, cdf_gm, {0.5, 0.1, 1, 0}, NAN, NAN, 0},
        {"gm(0.5,0.1,1) from 3.7", draw_gm, cdf_gm, {0.5, 0.1, 1, 3.7}, NAN, NAN, 0},
        /* a = 0: pure Gompertz through the Makeham entry point. */
        {"gm(0,0.01,0.1) from 20", draw_gm, cdf_gm, {0, 0.01, 0.1, 20}, NAN, NAN, 0},
    };
    run_cases(cases, COUNT(cases));
}

/* With a = 0 no Makeham exponential is drawn, so the Gompertz-Makeham
 * result is the Gompertz one, draw for draw. */
static void test_gm_without_makeham_is_gompertz(void **state)
{
    (void)state;
    hs_rng a, b;
    hs_rng_init(&a, 3, 3, 3);
    hs_rng_init(&b, 3, 3, 3);
    for (int i = 0; i < 1000; i++)
        assert_true(hs_dist_gompertz_makeham(&a, 0.0, 0.01, 0.1) ==
                    hs_dist_gompertz(&b, 0.01, 0.1));
}

/* Extreme ages and parameters stay finite, non-negative and sensible. */
static void test_gm_extremes(void **state)
{
    (void)state;
    hs_rng r;
    hs_rng_init(&r, 4, 4, 4);
    enum { N = 20000 };
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        /* e^(c age) = e^720 overflows: T is essentially 0. */
        double t = hs_dist_gompertz_makeham_from(&r, 0.0, 1.0, 0.1, 7200.0);
        assert_true(t >= 0.0 && t < 1e-300);
        /* c tiny, b large: constant hazard b, T ~ Exp(1e10) via the log
         * branch (c e / b underflows). */
        double u = hs_dist_gompertz(&r, 1e10, 1e-300);
        assert_true(u >= 0.0 && isfinite(u));
        sum += u;
        /* A huge Makeham term dominates. */
        double v = hs_dist_gompertz_makeham_from(&r, 1e300, 1e-4, 0.09, 50.0);
        assert_true(v >= 0.0 && v < 1e-290);
    }
    double mean = sum / N, se = 1e-10 / sqrt((double)N);
    assert_true(fabs(mean - 1e-10) < 5.0 * se);
}

/* ------------------------------------------------------------------ */
/* Discrete distributions                                              */

struct discrete_case {
    const char *name;
    int binomial;   /* else Poisson */
    double lambda;  /* Poisson mean */
    uint64_t n;     /* binomial trials */
    double p;       /* binomial success probability */
};

static double discrete_log_pmf(const struct discrete_case *c, double k)
{
    if (c->binomial) {
        double n = (double)c->n;
        return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) +
               k * log(c->p) + (n - k) * log1p(-c->p);
    }
    return -c->lambda + k * log(c->lambda) - lgamma(k + 1.0);
}

static uint64_t discrete_draw(const struct discrete_case *c, hs_rng *r)
{
    return c->binomial ? hs_dist_binomial(r, c->n, c->p) : hs_dist_poisson(r, c->lambda);
}

/* Chi-square against the exact pmf on a window of +-12 sd (the mass
 * outside is negligible and draws there, if any, count in the edge bins),
 * with neighbouring values pooled until every bin expects at least 5. */
static double discrete_chi_p(const struct discrete_case *c, const uint64_t *x, size_t n,
                             double mean, double var)
{
    double sd = sqrt(var);
    double lo_d = floor(mean - 12.0 * sd - 5.0), hi_d = ceil(mean + 12.0 * sd + 30.0);
    uint64_t lo = lo_d < 0.0 ? 0 : (uint64_t)lo_d;
    uint64_t hi = (uint64_t)hi_d;
    if (c->binomial && hi > c->n)
        hi = c->n;
    size_t width = (size_t)(hi - lo + 1);
    double *expect = calloc(width, sizeof *expect);
    size_t *bin_of = calloc(width, sizeof *bin_of);
    uint64_t *count = calloc(width, sizeof *count);
    assert_true(expect && bin_of && count);

    double total = 0.0;
    for (size_t i = 0; i < width; i++) {
        expect[i] = exp(discrete_log_pmf(c, (double)(lo + i)));
        total += expect[i];
    }
    /* Pool into bins; bin b's expectation accumulates in expect[b]. */
    size_t bins = 0;
    double acc = 0.0;
    for (size_t i = 0; i < width; i++) {
        acc += expect[i] / total * (double)n;
        bin_of[i] = bins;
        if (acc >= 5.0) {
            expect[bins++] = acc;
            acc = 0.0;
        }
    }
    if (acc > 0.0 || bins == 0) {
        if (bins == 0)
            expect[bins++] = acc;
        else
            expect[bins - 1] += acc;
        for (size_t i = width; i-- > 0 && bin_of[i] == bins;)
            bin_of[i] = bins - 1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = x[i] < lo ? 0 : x[i] > hi ? width - 1 : (size_t)(x[i] - lo);
        count[bin_of[k]]++;
    }
    double x2 = 0.0;
    for (size_t b = 0; b < bins; b++) {
        double d = (double)count[b] - expect[b];
        x2 += d * d / expect[b];
    }
    free(expect);
    free(bin_of);
    free(count);
    return bins < 2 ? 1.0 : chi_square_p(x2, (double)(bins - 1));
}

static void run_discrete(const struct discrete_case *c, size_t n, uint64_t seed)
{
    uint64_t *k = malloc(n * sizeof *k);
    double *x = malloc(n * sizeof *x);
    assert_true(k && x);
    hs_rng r;
    hs_rng_init(&r, seed, 0, hs_rng_purpose(c->name));
    for (size_t i = 0; i < n; i++) {
        k[i] = discrete_draw(c, &r);
        x[i] = (double)k[i];
        if (c->binomial && k[i] > c->n)
            fail_msg("%s: draw %llu > n", c->name, (unsigned long long)k[i]);
    }
    double mean = c->binomial ? (double)c->n * c->p : c->lambda;
    double var = c->binomial ? mean * (1.0 - c->p) : c->lambda;
    check_moments(c->name, x, n, mean, var);
    double p = discrete_chi_p(c, k, n, mean, var);
    if (!(p > ALPHA))
        fail_msg("%s: chi-square p = %.3g", c->name, p);
    free(k);
    free(x);
}

static void test_poisson(void **state)
{
    (void)state;
    const struct discrete_case cases[] = {
        {"poisson(0.5)", 0, 0.5, 0, 0},
        {"poisson(4)", 0, 4, 0, 0},
        {"poisson(9.99)", 0, 9.99, 0, 0},   /* last inversion */
        {"poisson(10)", 0, 10, 0, 0},       /* first PTRS */
        {"poisson(30)", 0, 30, 0, 0},
        {"poisson(1000)", 0, 1000, 0, 0},
        {"poisson(1e7)", 0, 1e7, 0, 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        run_discrete(&cases[i], 500000, 2000 + i);
}

static void test_binomial(void **state)
{
    (void)state;
    const struct discrete_case cases[] = {
        {"binomial(10,0.3)", 1, 0, 10, 0.3},
        {"binomial(1000,0.02)", 1, 0, 1000, 0.02},
        {"binomial(200,0.7)", 1, 0, 200, 0.7},
        {"binomial(1e6,0.4)", 1, 0, 1000000, 0.4},
        {"binomial(100,0.1)", 1, 0, 100, 0.1},      /* n p = 10: first BTRS */
        {"binomial(20,0.5)", 1, 0, 20, 0.5},
        {"binomial(1e6,0.999997)", 1, 0, 1000000, 0.999997}, /* inversion of failures */
        {"binomial(5e9,2e-8)", 1, 0, 5000000000u, 2e-8},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        run_discrete(&cases[i], 500000, 3000 + i);
}

static void test_discrete_edges(void **state)
{
    (void)state;
    hs_rng r;
    hs_rng_init(&r, 6, 6, 6);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(hs_dist_poisson(&r, 0.0), 0);
        assert_int_equal(hs_dist_binomial(&r, 0, 0.5), 0);
        assert_int_equal(hs_dist_binomial(&r, 77, 0.0), 0);
        assert_int_equal(hs_dist_binomial(&r, 77, 1.0), 77);
        assert_int_equal(hs_dist_binomial(&r, UINT64_MAX, 1.0), UINT64_MAX);
        assert_true(hs_dist_binomial(&r, 1, 0.5) <= 1);
    }
}

/* ------------------------------------------------------------------ */
/* The ziggurat in detail                                              */

/* The generated tables against the values Marsaglia and Tsang publish
 * (r and V for 256 layers), and the equal-area construction itself. */
static void test_ziggurat_tables(void **state)
{
    (void)state;
    assert_true(fabs(hsi_zig_norm_r - 3.6541528853610088) < 1e-12);
    assert_true(fabs(hsi_zig_exp_r - 7.69711747013104972) < 1e-12);
    /* V recomputed to 40 digits from the published r (the paper prints
     * the normal's as 4.92867323399e-3, which is off in the last digits). */
    assert_true(fabs(hsi_zig_norm_v - 0.0049286732339746548702) < 1e-17);
    assert_true(fabs(hsi_zig_exp_v - 0.0039496598225815571992) < 1e-17);

    const double two_j = ldexp(1.0, HSI_ZIG_JBITS);
    for (int t = 0; t < 2; t++) {
        const double *w = t ? hsi_zig_norm_w : hsi_zig_exp_w;
        const double *f = t ? hsi_zig_norm_f : hsi_zig_exp_f;
        const uint64_t *k = t ? hsi_zig_norm_k : hsi_zig_exp_k;
        double v = t ? hsi_zig_norm_v : hsi_zig_exp_v;
        double r = t ? hsi_zig_norm_r : hsi_zig_exp_r;
        assert_true(f[0] == 0.0 && f[HSI_ZIG_LAYERS] == 1.0);
        assert_int_equal(k[HSI_ZIG_LAYERS - 1], 0);
        assert_true(fabs(w[1] * two_j - r) < 1e-15 * r);
        assert_true(fabs(w[0] * two_j * f[1] - v) < 1e-12 * v);
        for (int i = 1; i < HSI_ZIG_LAYERS; i++) {
            double x = w[i] * two_j;
            double fx = t ? exp(-0.5 * x * x) : exp(-x);
            assert_true(fabs(f[i] - fx) <= 1e-15 * fx);
            assert_true(w[i] < w[i - 1]);
            assert_true(fabs(x * (f[i + 1] - f[i]) - v) < 1e-9 * v);
            double next = i + 1 < HSI_ZIG_LAYERS ? w[i + 1] * two_j : 0.0;
            double ratio = (double)k[i] / two_j;
            assert_true(ratio <= next / x && ratio > next / x - 1e-15);
        }
    }
}

/* Many draws: 256 equiprobable bins of the CDF (each layer's share shows
 * up here: an error of 1% in any layer's mass fails), the probability of
 * the tail beyond r, and the shape of the tail (KS on the conditional
 * distribution, par[0] = r). */
struct zig_case {
    const char *name;
    double (*draw)(hs_rng *r);
    double (*cdf)(double x);
    cdf_fn tail_cdf;
    double r;
    double p_tail;  /* P(|X| > r) */
    int two_sided;
};

static void check_fine_and_tail(const struct zig_case *z)
{
    enum { N = 1 << 22, BINS = 256, MAX_TAIL = 20000 };
    hs_rng r;
    hs_rng_init(&r, 77, 0, hs_rng_purpose(z->name));
    uint64_t counts[BINS] = {0};
    double *tail = malloc(MAX_TAIL * sizeof *tail);
    assert_non_null(tail);
    size_t n_tail = 0;
    for (size_t i = 0; i < N; i++) {
        double x = z->draw(&r);
        int bin = (int)(z->cdf(x) * BINS);
        counts[bin < BINS ? bin : BINS - 1]++;
        double ax = z->two_sided ? fabs(x) : x;
        if (ax > z->r) {
            assert_true(n_tail < MAX_TAIL);
            tail[n_tail++] = ax;
        }
    }
    double x2 = 0.0, e = (double)N / BINS;
    for (int b = 0; b < BINS; b++)
        x2 += ((double)counts[b] - e) * ((double)counts[b] - e) / e;
    double p = chi_square_p(x2, BINS - 1);
    if (!(p > ALPHA))
        fail_msg("%s: fine-bin chi-square p = %.3g", z->name, p);

    double mean_tail = N * z->p_tail, sd_tail = sqrt(mean_tail * (1.0 - z->p_tail));
    if (fabs((double)n_tail - mean_tail) > 5.0 * sd_tail)
        fail_msg("%s: %zu draws in the tail, expected %.1f", z->name, n_tail, mean_tail);
    double par[1] = {z->r};
    p = ks_p(tail, n_tail, z->tail_cdf, par);
    if (!(p > ALPHA))
        fail_msg("%s: tail Kolmogorov-Smirnov p = %.3g", z->name, p);
    free(tail);
}

static double std_normal(hs_rng *r) { return hs_dist_normal(r, 0.0, 1.0); }
static double std_exp_cdf(double x) { return cdf_exp1(x, NULL); }

/* |X| given |X| > r for the standard normal; X - r given X > r for the
 * exponential is again standard exponential. */
static double normal_tail_cdf(double x, const double *p)
{
    return 1.0 - erfc(x / SQRT2) / erfc(p[0] / SQRT2);
}

static double exp_tail_cdf(double x, const double *p)
{
    return cdf_exp1(x - p[0], NULL);
}

static void test_ziggurat_normal_detail(void **state)
{
    (void)state;
    const struct zig_case z = {"zig-normal", std_normal, std_normal_cdf, normal_tail_cdf,
                               hsi_zig_norm_r, erfc(hsi_zig_norm_r / SQRT2), 1};
    check_fine_and_tail(&z);
}

static void test_ziggurat_exp_detail(void **state)
{
    (void)state;
    const struct zig_case z = {"zig-exp", hs_dist_exp1, std_exp_cdf, exp_tail_cdf,
                               hsi_zig_exp_r, exp(-hsi_zig_exp_r), 0};
    check_fine_and_tail(&z);
}

/* The scaled samplers are the standard ones transformed, draw for draw. */
static void test_scaled_samplers_consistent(void **state)
{
    (void)state;
    hs_rng a, b;
    hs_rng_init(&a, 8, 8, 8);
    hs_rng_init(&b, 8, 8, 8);
    for (int i = 0; i < 1000; i++) {
        assert_true(hs_dist_exponential(&a, 4.0) == hs_dist_exp1(&b) / 4.0);
        assert_true(hs_dist_normal(&a, 2.0, 0.5) == 2.0 + 0.5 * hs_dist_normal(&b, 0.0, 1.0));
    }
}

/* ------------------------------------------------------------------ */
/* Alias table                                                         */

static void check_alias_frequencies(const double *w, size_t n, size_t draws, uint64_t seed)
{
    hs_alias *a = NULL;
    assert_int_equal(hs_alias_create(w, n, &a), HS_OK);
    assert_non_null(a);
    assert_int_equal(hs_alias_size(a), n);
    /* Relative to the largest weight, so that DBL_MAX weights sum. */
    double max = 0.0, sum = 0.0;
    for (size_t i = 0; i < n; i++)
        max = fmax(max, w[i]);
    for (size_t i = 0; i < n; i++)
        sum += w[i] / max;
    for (size_t i = 0; i < n; i++) {
        double want = w[i] / max / sum;
        assert_true(fabs(hs_alias_probability(a, i) - want) <= 1e-14 * want);
    }
    assert_true(hs_alias_probability(a, n) == 0.0);

    uint64_t *count = calloc(n, sizeof *count);
    assert_non_null(count);
    hs_rng r;
    hs_rng_init(&r, seed, 0, hs_rng_purpose("alias"));
    for (size_t i = 0; i < draws; i++) {
        size_t k = hs_alias_draw(a, &r);
        assert_true(k < n);
        count[k]++;
    }
    /* Zero weights never drawn; the rest pooled into bins expecting >= 5. */
    double x2 = 0.0, acc_e = 0.0, acc_o = 0.0;
    size_t bins = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == 0.0) {
            assert_int_equal(count[i], 0);
            continue;
        }
        acc_e += (double)draws * (w[i] / max) / sum;
        acc_o += (double)count[i];
        if (acc_e >= 5.0) {
            x2 += (acc_o - acc_e) * (acc_o - acc_e) / acc_e;
            bins++;
            acc_e = acc_o = 0.0;
        }
    }
    assert_true(acc_e < 5.0);
    double p = bins > 1 ? chi_square_p(x2, (double)(bins - 1)) : 1.0;
    if (!(p > ALPHA))
        fail_msg("alias n=%zu: chi-square p = %.3g", n, p);
    free(count);
    hs_alias_destroy(a);
}

static void test_alias_frequencies(void **state)
{
    (void)state;
    const double small[] = {1, 2, 3, 4, 0, 10, 0.5};
    check_alias_frequencies(small, COUNT(small), 500000, 1);

    const double one[] = {3.5};
    check_alias_frequencies(one, 1, 1000, 2);

    const double skewed[] = {1e-3, 1, 0, 0, 1e3, 0};
    check_alias_frequencies(skewed, COUNT(skewed), 1000000, 3);

    /* Weights near DBL_MAX: the sum would overflow without normalising. */
    const double huge[] = {DBL_MAX, DBL_MAX / 2, 0, DBL_MAX};
    check_alias_frequencies(huge, COUNT(huge), 100000, 4);

    enum { M = 1000 };
    double *many = malloc(M * sizeof *many);
    assert_non_null(many);
    hs_rng r;
    hs_rng_init(&r, 5, 0, 0);
    for (size_t i = 0; i < M; i++)
        many[i] = (i % 7 == 3) ? 0.0 : hs_rng_uniform(&r) * (double)(i % 13 + 1);
    check_alias_frequencies(many, M, 1000000, 5);
    free(many);
}

static void test_alias_deterministic(void **state)
{
    (void)state;
    const double w[] = {0.1, 0.2, 0.3, 0.4};
    hs_alias *a = NULL, *b = NULL;
    assert_int_equal(hs_alias_create(w, 4, &a), HS_OK);
    assert_int_equal(hs_alias_create(w, 4, &b), HS_OK);
    hs_rng ra, rb;
    hs_rng_init(&ra, 1, 2, 3);
    hs_rng_init(&rb, 1, 2, 3);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(hs_alias_draw(a, &ra), hs_alias_draw(b, &rb));
    hs_alias_destroy(a);
    hs_alias_destroy(b);
}

static void test_alias_bad_weights(void **state)
{
    (void)state;
    const double negative[] = {1, -1, 2};
    const double with_nan[] = {1, NAN, 2};
    const double with_inf[] = {1, INFINITY, 2};
    const double zeros[] = {0, 0, 0};
    const double good[] = {1};
    hs_alias *a = (hs_alias *)&a; /* must be reset to NULL on failure */
    assert_int_equal(hs_alias_create(negative, 3, &a), HS_EINVAL);
    assert_null(a);
    a = (hs_alias *)&a;
    assert_int_equal(hs_alias_create(with_nan, 3, &a), HS_EINVAL);
    assert_null(a);
    assert_int_equal(hs_alias_create(with_inf, 3, &a), HS_EINVAL);
    assert_int_equal(hs_alias_create(zeros, 3, &a), HS_EINVAL);
    assert_int_equal(hs_alias_create(good, 0, &a), HS_EINVAL);
    assert_int_equal(hs_alias_create(NULL, 3, &a), HS_EINVAL);
    assert_int_equal(hs_alias_create(good, 1, NULL), HS_EINVAL);
    assert_null(a);
    hs_alias_destroy(NULL);
    assert_int_equal(hs_alias_size(NULL), 0);
}

/* ------------------------------------------------------------------ */
/* Parameter checks and invalid parameters                             */

static void test_checks(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_int_equal(hs_dist_check_gamma(1.0, 2.0, &why), HS_OK);
    assert_int_equal(hs_dist_check_gamma(0.01, 1e300, NULL), HS_OK);
    const double bad[] = {0.0, -1.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < COUNT(bad); i++) {
        why = NULL;
        assert_int_equal(hs_dist_check_gamma(bad[i], 1.0, &why), HS_EINVAL);
        assert_non_null(why);
        assert_non_null(strstr(why, "shape"));
        why = NULL;
        assert_int_equal(hs_dist_check_gamma(1.0, bad[i], &why), HS_EINVAL);
        assert_non_null(strstr(why, "scale"));
        why = NULL;
        assert_int_equal(hs_dist_check_weibull(bad[i], 1.0, &why), HS_EINVAL);
        assert_non_null(strstr(why, "shape"));
        why = NULL;
        assert_int_equal(hs_dist_check_weibull(1.0, bad[i], &why), HS_EINVAL);
        assert_non_null(strstr(why, "scale"));
        assert_int_equal(hs_dist_check_weibull(bad[i], 1.0, NULL), HS_EINVAL);
        why = NULL;
        assert_int_equal(hs_dist_check_gompertz_makeham(0.1, bad[i], 0.1, &why), HS_EINVAL);
        assert_non_null(strstr(why, " b "));
        why = NULL;
        assert_int_equal(hs_dist_check_gompertz_makeham(0.1, 0.1, bad[i], &why), HS_EINVAL);
        assert_non_null(strstr(why, " c "));
        if (bad[i] != 0.0) {
            why = NULL;
            assert_int_equal(hs_dist_check_gompertz_makeham(bad[i], 0.1, 0.1, &why), HS_EINVAL);
            assert_non_null(strstr(why, " a "));
        }
    }
    assert_int_equal(hs_dist_check_weibull(2.0, 3.0, &why), HS_OK);
    assert_int_equal(hs_dist_check_gompertz_makeham(0.0, 1e-4, 0.09, &why), HS_OK);
    assert_int_equal(hs_dist_check_gompertz_makeham(0.001, 1e-4, 0.09, NULL), HS_OK);
}

static void test_bad_parameters_give_nan(void **state)
{
    (void)state;
    hs_rng r;
    hs_rng_init(&r, 9, 9, 9);
    const double bad[] = {0.0, -1.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < COUNT(bad); i++) {
        double x = bad[i];
        assert_true(isnan(hs_dist_exponential(&r, x)));
        assert_true(isnan(hs_dist_gamma(&r, x, 1.0)));
        assert_true(isnan(hs_dist_gamma(&r, 1.0, x)));
        assert_true(isnan(hs_dist_weibull(&r, x, 1.0)));
        assert_true(isnan(hs_dist_weibull(&r, 1.0, x)));
        assert_true(isnan(hs_dist_gompertz(&r, x, 0.1)));
        assert_true(isnan(hs_dist_gompertz(&r, 0.1, x)));
        assert_true(isnan(hs_dist_gompertz_makeham(&r, 0.1, x, 0.1)));
        assert_true(isnan(hs_dist_gompertz_makeham(&r, 0.1, 0.1, x)));
        assert_true(isnan(hs_dist_gompertz_makeham_from(&r, 0.1, x, 0.1, 10.0)));
        if (x != 0.0) {
            assert_true(isnan(hs_dist_gompertz_makeham(&r, x, 0.1, 0.1)));
            assert_true(isnan(hs_dist_gompertz_makeham_from(&r, 0.1, 0.1, 0.1, x)));
            assert_true(isnan(hs_dist_normal(&r, 0.0, x)));
            assert_true(isnan(hs_dist_lognormal(&r, 0.0, x)));
        }
        if (!isfinite(x)) {
            assert_true(isnan(hs_dist_normal(&r, x, 1.0)));
            assert_true(isnan(hs_dist_lognormal(&r, x, 1.0)));
            assert_true(isnan(hs_dist_uniform(&r, x, 1.0)));
            assert_true(isnan(hs_dist_uniform(&r, 0.0, x)));
        }
        /* Integer samplers: 0 for invalid parameters. */
        if (x != 0.0)
            assert_int_equal(hs_dist_poisson(&r, x), 0);
        assert_int_equal(hs_dist_binomial(&r, 10, x - 2.0), 0);
    }
    assert_true(isnan(hs_dist_uniform(&r, 2.0, 1.0)));
    assert_int_equal(hs_dist_poisson(&r, 1e300), 0);
    assert_int_equal(hs_dist_binomial(&r, 10, 1.5), 0);
    assert_int_equal(hs_dist_binomial(&r, 10, NAN), 0);
    /* Degenerate but valid. */
    assert_true(hs_dist_uniform(&r, 3.0, 3.0) == 3.0);
    assert_true(hs_dist_normal(&r, 3.0, 0.0) == 3.0);
    assert_true(hs_dist_gompertz_makeham(&r, 0.0, 1.0, 1.0) >= 0.0);
}

/* The uniform is half-open even where rounding would reach b. */
static void test_uniform_half_open(void **state)
{
    (void)state;
    hs_rng r;
    hs_rng_init(&r, 10, 0, 0);
    for (int i = 0; i < 100000; i++) {
        double x = hs_dist_uniform(&r, 1.0, 1.0 + 0x1p-52);
        assert_true(x >= 1.0 && x < 1.0 + 0x1p-52);
        double y = hs_dist_uniform(&r, -DBL_MAX, DBL_MAX);
        assert_true(isfinite(y) && y < DBL_MAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_uniform_half_open),
        cmocka_unit_test(test_exponential),
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_weibull),
        cmocka_unit_test(test_gompertz),
        cmocka_unit_test(test_gompertz_makeham),
        cmocka_unit_test(test_gm_without_makeham_is_gompertz),
        cmocka_unit_test(test_gm_extremes),
        cmocka_unit_test(test_poisson),
        cmocka_unit_test(test_binomial),
        cmocka_unit_test(test_discrete_edges),
        cmocka_unit_test(test_ziggurat_tables),
        cmocka_unit_test(test_ziggurat_normal_detail),
        cmocka_unit_test(test_ziggurat_exp_detail),
        cmocka_unit_test(test_scaled_samplers_consistent),
        cmocka_unit_test(test_alias_frequencies),
        cmocka_unit_test(test_alias_deterministic),
        cmocka_unit_test(test_alias_bad_weights),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_bad_parameters_give_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
