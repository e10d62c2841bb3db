/* SPDX-License-Identifier: MIT
 *
 * dist.c - random variates for the distributions declared in
 * hailsham/dist.h (all but the alias table, which is in alias.c).
 *
 * Each sampler is a pure function of its parameters and the stream state,
 * so a run is reproducible from its seeds.  The exponential and the normal
 * use the ziggurat (tables generated at build time, see ziggurat.h): they
 * sit under most of the others (Weibull and Gompertz-Makeham invert a
 * cumulative hazard at a standard exponential, gamma rejects from a
 * transformed normal) and are on the simulation's hot path, so their
 * common case is a table look-up, an integer compare and a multiply, with
 * everything slower moved out of line.
 *
 * Invalid parameters are rejected with a single compare in each sampler
 * (cheap, and it is what lets the header promise NaN instead of garbage or
 * a crash); the continuous samplers then return NaN and the integer ones
 * (Poisson, binomial) return 0, since no uint64_t value can say "invalid".
 * The hs_dist_check_* functions are the way to validate up front.
 */
#include "hailsham/dist.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hailsham/status.h"
#include "ziggurat.h"

#if defined(__GNUC__) || defined(__clang__)
#define HSI_NOINLINE __attribute__((noinline))
#define HSI_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define HSI_NOINLINE
#define HSI_LIKELY(x) (x)
#endif

/* log(sqrt(2 pi)), for Stirling's formula. */
#define HALF_LOG_2PI 0x1.d67f1c864beb5p-1

/* Split of a 64-bit draw for the ziggurat: the low 8 bits pick the layer,
 * bit 8 is the sign of a normal, the top 52 bits are the position j.  The
 * three fields are disjoint, so they are independent. */
#define ZIG_LAYER(u) ((unsigned)((u) & (HSI_ZIG_LAYERS - 1)))
#define ZIG_J(u) ((u) >> (64 - HSI_ZIG_JBITS))
#define ZIG_SIGN_SHIFT 8
#define ZIG_SIGN_BIT (UINT64_C(1) << ZIG_SIGN_SHIFT)

/* j (< 2^52) as a double, exactly: j is placed in the mantissa of 2^52
 * and 2^52 subtracted.  The same value as (double)j, but without the
 * integer conversion instruction, which some compilers emit with a false
 * dependency on the destination register (clang 14 made the normal 70%
 * slower that way).  Assumes IEEE 754 binary64 doubles with the same byte
 * order as integers, as on every platform the engine targets. */
static inline double j_to_double(uint64_t j)
{
    uint64_t bits = UINT64_C(0x4330000000000000) | j;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d - 0x1p52;
}

/* ------------------------------------------------------------------ */
/* Exponential                                                         */

/* Everything the fast path could not accept: the wedge between a layer's
 * rectangle and the curve, and the tail of the base layer.  The tail of a
 * standard exponential beyond r is r plus another standard exponential
 * (memorylessness), so the tail just adds r and goes round again rather
 * than calling log. */
static HSI_NOINLINE double exp1_slow(hs_rng *r, uint64_t u)
{
    double offset = 0.0;
    for (;;) {
        unsigned i = ZIG_LAYER(u);
        uint64_t j = ZIG_J(u);
        double x = j_to_double(j) * hsi_zig_exp_w[i];
        if (j < hsi_zig_exp_k[i])
            return offset + x;
        if (i == 0) {
            if (x < hsi_zig_exp_r)
                return offset + x;
            offset += hsi_zig_exp_r;
        } else {
            double lo = hsi_zig_exp_f[i], hi = hsi_zig_exp_f[i + 1];
            if (lo + hs_rng_uniform(r) * (hi - lo) < exp(-x))
                return offset + x;
        }
        u = hs_rng_next(r);
    }
}

static inline double zig_exp1(hs_rng *r)
{
    uint64_t u = hs_rng_next(r);
    unsigned i = ZIG_LAYER(u);
    uint64_t j = ZIG_J(u);
    if (HSI_LIKELY(j < hsi_zig_exp_k[i]))
        return j_to_double(j) * hsi_zig_exp_w[i];
    return exp1_slow(r, u);
}

double hs_dist_exp1(hs_rng *r)
{
    return zig_exp1(r);
}

double hs_dist_exponential(hs_rng *r, double rate)
{
    if (!(rate > 0.0 && rate < INFINITY))
        return NAN;
    return zig_exp1(r) / rate;
}

/* ------------------------------------------------------------------ */
/* Normal                                                              */

/* Marsaglia (1964): for the normal tail beyond r, propose r + x with x
 * exponential of rate r and accept with probability exp(-x^2/2); done
 * with two exponentials, accept when 2y > x^2. */
static double normal_tail(hs_rng *r)
{
    const double rr = hsi_zig_norm_r;
    for (;;) {
        double x = -log(hs_rng_uniform_pos(r)) / rr;
        double y = -log(hs_rng_uniform_pos(r));
        if (y + y > x * x)
            return rr + x;
    }
}

/* Negate x when the sign bit of u is set.  Done on the bits rather than
 * with a branch: the sign is a coin toss, so a branch would be
 * mispredicted half the time, which costs more than the whole fast path. */
static inline double with_sign(uint64_t u, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits ^= (u & ZIG_SIGN_BIT) << (63 - ZIG_SIGN_SHIFT);
    memcpy(&x, &bits, sizeof x);
    return x;
}

static HSI_NOINLINE double normal_slow(hs_rng *r, uint64_t u)
{
    for (;;) {
        unsigned i = ZIG_LAYER(u);
        uint64_t j = ZIG_J(u);
        double x = j_to_double(j) * hsi_zig_norm_w[i];
        if (j < hsi_zig_norm_k[i])
            return with_sign(u, x);
        if (i == 0)
            return with_sign(u, x < hsi_zig_norm_r ? x : normal_tail(r));
        double lo = hsi_zig_norm_f[i], hi = hsi_zig_norm_f[i + 1];
        if (lo + hs_rng_uniform(r) * (hi - lo) < exp(-0.5 * x * x))
            return with_sign(u, x);
        u = hs_rng_next(r);
    }
}

static inline double zig_normal(hs_rng *r)
{
    uint64_t u = hs_rng_next(r);
    unsigned i = ZIG_LAYER(u);
    uint64_t j = ZIG_J(u);
    if (HSI_LIKELY(j < hsi_zig_norm_k[i]))
        return with_sign(u, j_to_double(j) * hsi_zig_norm_w[i]);
    return normal_slow(r, u);
}

static int normal_ok(double mu, double sigma)
{
    return isfinite(mu) && sigma >= 0.0 && sigma < INFINITY;
}

double hs_dist_normal(hs_rng *r, double mu, double sigma)
{
    if (!normal_ok(mu, sigma))
        return NAN;
    return mu + sigma * zig_normal(r);
}

double hs_dist_lognormal(hs_rng *r, double mu, double sigma)
{
    if (!normal_ok(mu, sigma))
        return NAN;
    return exp(mu + sigma * zig_normal(r));
}

/* ------------------------------------------------------------------ */
/* Uniform                                                             */

double hs_dist_uniform(hs_rng *r, double a, double b)
{
    if (!(isfinite(a) && isfinite(b) && a <= b))
        return NAN;
    double u = hs_rng_uniform(r);
    double width = b - a;
    /* The usual form, unless b - a overflows (a and b of opposite signs
     * near DBL_MAX): then the convex combination, which cannot. */
    double x = isfinite(width) ? a + width * u : a * (1.0 - u) + b * u;
    /* Rounding can land on b; the interval is half-open. */
    return (x < b || a == b) ? x : nextafter(b, a);
}

/* ------------------------------------------------------------------ */
/* Gamma                                                               */

static int positive_finite(double x)
{
    return x > 0.0 && x < INFINITY;
}

/* Marsaglia and Tsang, "A simple method for generating gamma variables"
 * (ACM TOMS 26(3), 2000), for shape >= 1: d (1 + c x)^3 with x normal is
 * close to gamma(d + 1/3); accept by the squeeze 1 - 0.0331 x^4 and, for
 * the few that fail it, by the exact log test. */
static double gamma_mt(hs_rng *r, double shape)
{
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = zig_normal(r);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = hs_rng_uniform_pos(r);
        double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2)
            return d * v;
        if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
            return d * v;
    }
}

double hs_dist_gamma(hs_rng *r, double shape, double scale)
{
    if (!(positive_finite(shape) && positive_finite(scale)))
        return NAN;
    if (shape >= 1.0)
        return scale * gamma_mt(r, shape);
    /* Shape < 1: gamma(k) = gamma(k + 1) * U^(1/k) (the same paper).  The
     * power is taken in logs; when it underflows the answer is 0, which
     * is the correctly rounded value. */
    double g = gamma_mt(r, shape + 1.0);
    double boost = exp(log(hs_rng_uniform_pos(r)) / shape);
    return scale * g * boost;
}

/* ------------------------------------------------------------------ */
/* Weibull                                                             */

double hs_dist_weibull(hs_rng *r, double shape, double scale)
{
    if (!(positive_finite(shape) && positive_finite(scale)))
        return NAN;
    /* Inversion of the cumulative hazard (x/scale)^shape at E ~ Exp(1). */
    return scale * pow(zig_exp1(r), 1.0 / shape);
}

/* ------------------------------------------------------------------ */
/* Gompertz and Gompertz-Makeham                                       */

/* log(1 + e^z) without overflow for large z or loss for negative z. */
static double softplus(double z)
{
    return z > 0.0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

/* The time T at which the Gompertz cumulative hazard, starting at `age`,
 * reaches e:  (b/c) e^(c age) (e^(c T) - 1) = e,  so
 *   T = log1p(q) / c  with  q = (c/b) e e^(-c age).
 * q is computed directly when that is safe (most of the time) and in logs
 * when c/b or e^(-c age) would overflow or underflow, where
 * log1p(q) = softplus(log q). */
static double gompertz_time(double e, double b, double c, double age)
{
    double q = (c / b) * e * exp(-c * age);
    if (q > DBL_MIN && q < DBL_MAX)
        return log1p(q) / c;
    double log_q = log(c) - log(b) + log(e) - c * age;
    return softplus(log_q) / c;
}

static int gm_ok(double a, double b, double c)
{
    return a >= 0.0 && a < INFINITY && positive_finite(b) && positive_finite(c);
}

double hs_dist_gompertz(hs_rng *r, double b, double c)
{
    if (!(positive_finite(b) && positive_finite(c)))
        return NAN;
    return gompertz_time(zig_exp1(r), b, c, 0.0);
}

/* The hazard a + b e^(c (age + s)) is the sum of two independent risks,
 * so the time to the event is exactly the minimum of the Makeham time
 * (exponential of rate a) and the Gompertz time, each drawn by inverting
 * its own cumulative hazard.  With a == 0 no Makeham draw is made, so the
 * result then equals hs_dist_gompertz on the same stream. */
double hs_dist_gompertz_makeham_from(hs_rng *r, double a, double b, double c,
                                     double age)
{
    if (!(gm_ok(a, b, c) && age >= 0.0 && age < INFINITY))
        return NAN;
    double t = gompertz_time(zig_exp1(r), b, c, age);
    if (a > 0.0) {
        double t_makeham = zig_exp1(r) / a;
        if (t_makeham < t)
            t = t_makeham;
    }
    return t;
}

double hs_dist_gompertz_makeham(hs_rng *r, double a, double b, double c)
{
    return hs_dist_gompertz_makeham_from(r, a, b, c, 0.0);
}

/* ------------------------------------------------------------------ */
/* Log-factorials for the discrete rejection samplers                  */

/* fc(k) = log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(sqrt(2 pi))],
 * the error of Stirling's formula at k + 1.  Working with fc rather than
 * with log(k!) itself avoids subtracting numbers of size k log k, which
 * would lose all precision for large counts.  Below 20 the values are
 * tabulated (computed to 50 digits and rounded to double); from 20 on the
 * asymptotic series, whose first omitted term is < 2e-15 there. */
static double stirling_fc(double k)
{
    static const double table[20] = {
        0x1.4c071bcda0a5bp-4, 0x1.52a9b923ea649p-5, 0x1.c579a268d80b3p-6,
        0x1.54a2662fd78a9p-6, 0x1.10b4e513fcbedp-6, 0x1.c6b167bebdf36p-7,
        0x1.85d4d612e4a86p-7, 0x1.552805e7b3076p-7, 0x1.2f4871b12ab64p-7,
        0x1.10f9d4c0743a7p-7, 0x1.f0593088014f8p-8, 0x1.c7018733aa9c6p-8,
        0x1.a40514700f36cp-8, 0x1.86076c002d4a7p-8, 0x1.6c08f6f194a10p-8,
        0x1.5549f7dd113bcp-8, 0x1.4137c74da35f2p-8, 0x1.2f604ff627d77p-8,
        0x1.1f697dd857d8ep-8, 0x1.110b3ed261fb3p-8,
    };
    if (k < 20.0)
        return table[(int)k];
    double z = k + 1.0, z2 = 1.0 / (z * z);
    return (1.0 / 12.0 - z2 * (1.0 / 360.0 - z2 * (1.0 / 1260.0 - z2 / 1680.0))) / z;
}

/* ------------------------------------------------------------------ */
/* Poisson                                                             */

/* Above this mean the result might not fit in 64 bits. */
#define POISSON_MAX_MEAN 0x1p62
/* Inversion is faster than PTRS for small means, and PTRS needs >= 10. */
#define POISSON_INVERSION_BELOW 10.0
/* Inversion gives up on a uniform past this count (it fell in the rounding
 * gap just below 1; the real probability of such counts is < 1e-60) and
 * draws again. */
#define INVERSION_CAP 128

static uint64_t poisson_inversion(hs_rng *r, double lambda)
{
    const double p0 = exp(-lambda);
    for (;;) {
        double u = hs_rng_uniform(r);
        double p = p0, cdf = p0;
        for (uint64_t k = 0; k < INVERSION_CAP; k++) {
            if (u < cdf)
                return k;
            p *= lambda / (double)(k + 1);
            cdf += p;
        }
    }
}

/* log P(K = k) for K ~ Poisson(lambda), in a form without cancellation of
 * large terms: with d = k + 1 - lambda,
 *   -lambda + k log lambda - log k!
 *     = d - k log1p(d / lambda) - log(k + 1)/2 - log(sqrt(2 pi)) - fc(k). */
static double poisson_log_pmf(double k, double lambda)
{
    double d = k + 1.0 - lambda;
    return d - k * log1p(d / lambda) - 0.5 * log(k + 1.0) - HALF_LOG_2PI -
           stirling_fc(k);
}

/* Hörmann, "The transformed rejection method for generating Poisson random
 * variables" (Insurance: Math. Econ. 12, 1993), algorithm PTRS, with the
 * constants from the paper.  U is drawn from the open interval so that
 * us > 0 and the hat is finite. */
static uint64_t poisson_ptrs(hs_rng *r, double lambda)
{
    const double b = 0.931 + 2.53 * sqrt(lambda);
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = hs_rng_uniform_pos(r) - 0.5;
        double v = hs_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + lambda + 0.43);
        if (k < 0.0)
            continue;
        if (us >= 0.07 && v <= vr)
            return (uint64_t)k;
        if (us < 0.013 && v > us)
            continue;
        double lhs = log(v * inv_alpha / (a / (us * us) + b));
        if (lhs <= poisson_log_pmf(k, lambda))
            return (uint64_t)k;
    }
}

/* Invalid lambda (negative, NaN, infinite or above 2^62) gives 0. */
uint64_t hs_dist_poisson(hs_rng *r, double lambda)
{
    if (!(lambda >= 0.0 && lambda <= POISSON_MAX_MEAN))
        return 0;
    if (lambda < POISSON_INVERSION_BELOW)
        return poisson_inversion(r, lambda);
    return poisson_ptrs(r, lambda);
}

/* ------------------------------------------------------------------ */
/* Binomial                                                            */

#define BINOMIAL_INVERSION_BELOW 10.0

/* Sequential inversion from 0 for p <= 1/2 and n p < 10: P(0) = q^n is
 * then at least e^-14, so it neither underflows nor makes the search
 * long. */
static uint64_t binomial_inversion(hs_rng *r, uint64_t n, double p)
{
    const double q = 1.0 - p;
    const double ratio = p / q;
    const double p0 = exp((double)n * log1p(-p));
    for (;;) {
        double u = hs_rng_uniform(r);
        double f = p0, cdf = p0;
        for (uint64_t k = 0; k < INVERSION_CAP; k++) {
            if (u < cdf)
                return k;
            if (k == n)
                break;
            f *= ratio * ((double)(n - k) / (double)(k + 1));
            cdf += f;
        }
    }
}

/* log(f(k) / f(m)) for the binomial pmf f, m the mode; Hörmann's form in
 * terms of the Stirling errors fc, which keeps its precision for large n
 * (the direct log-factorials would cancel to nothing):
 *   (m + 1/2) log((m + 1) / (rho nm)) + (n + 1) log(nm / nk)
 *   + (k + 1/2) log(nk rho / (k + 1)) + fc(m) + fc(n - m) - fc(k) - fc(n - k)
 * with rho = p/q, nm = n - m + 1, nk = n - k + 1; and nm/nk = 1 + (k-m)/nk
 * goes through log1p since it is close to 1. */
struct btrs {
    double n, p, rho, m;
    double b, a, c, alpha, vr;
    double h; /* the terms that depend only on m */
};

static double binomial_log_ratio(const struct btrs *t, double k)
{
    double nk = t->n - k + 1.0;
    return t->h + (t->n + 1.0) * log1p((k - t->m) / nk) +
           (k + 0.5) * log(nk * t->rho / (k + 1.0)) - stirling_fc(k) -
           stirling_fc(t->n - k);
}

static void btrs_setup(struct btrs *t, uint64_t n, double p)
{
    const double q = 1.0 - p;
    t->n = (double)n;
    t->p = p;
    t->rho = p / q;
    const double spq = sqrt(t->n * p * q);
    t->b = 1.15 + 2.53 * spq;
    t->a = -0.0873 + 0.0248 * t->b + 0.01 * p;
    t->c = t->n * p + 0.5;
    t->alpha = (2.83 + 5.1 / t->b) * spq;
    t->vr = 0.92 - 4.2 / t->b;
    t->m = floor((t->n + 1.0) * p);
    double nm = t->n - t->m + 1.0;
    t->h = (t->m + 0.5) * log((t->m + 1.0) / (t->rho * nm)) + stirling_fc(t->m) +
           stirling_fc(t->n - t->m);
}

/* Hörmann, "The generation of binomial random variates" (J. Stat. Comput.
 * Simul. 46, 1993), algorithm BTRS, for p <= 1/2 and n p >= 10. */
static uint64_t binomial_btrs(hs_rng *r, uint64_t n, double p)
{
    struct btrs t;
    btrs_setup(&t, n, p);
    for (;;) {
        double u = hs_rng_uniform_pos(r) - 0.5;
        double v = hs_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * t.a / us + t.b) * u + t.c);
        if (k < 0.0 || k > t.n)
            continue;
        if (us >= 0.07 && v <= t.vr)
            return (uint64_t)k;
        double lhs = log(v * t.alpha / (t.a / (us * us) + t.b));
        if (lhs <= binomial_log_ratio(&t, k))
            return (uint64_t)k;
    }
}

static uint64_t binomial_low_p(hs_rng *r, uint64_t n, double p)
{
    if ((double)n * p < BINOMIAL_INVERSION_BELOW)
        return binomial_inversion(r, n, p);
    return binomial_btrs(r, n, p);
}

/* Invalid p (outside [0, 1] or NaN) gives 0.  For p > 1/2 the count of
 * failures is drawn instead (1 - p is exact there), which keeps the
 * inversion short and BTRS within its design range. */
uint64_t hs_dist_binomial(hs_rng *r, uint64_t n, double p)
{
    if (!(p >= 0.0 && p <= 1.0) || n == 0 || p == 0.0)
        return 0;
    if (p == 1.0)
        return n;
    if (p > 0.5)
        return n - binomial_low_p(r, n, 1.0 - p);
    return binomial_low_p(r, n, p);
}

/* ------------------------------------------------------------------ */
/* Parameter checks                                                    */

static int fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return HS_EINVAL;
}

static int pass(const char **why)
{
    if (why)
        *why = NULL;
    return HS_OK;
}

int hs_dist_check_gamma(double shape, double scale, const char **why)
{
    if (!positive_finite(shape))
        return fail(why, "gamma shape must be positive and finite");
    if (!positive_finite(scale))
        return fail(why, "gamma scale must be positive and finite");
    return pass(why);
}

int hs_dist_check_weibull(double shape, double scale, const char **why)
{
    if (!positive_finite(shape))
        return fail(why, "Weibull shape must be positive and finite");
    if (!positive_finite(scale))
        return fail(why, "Weibull scale must be positive and finite");
    return pass(why);
}

int hs_dist_check_gompertz_makeham(double a, double b, double c, const char **why)
{
    if (!(a >= 0.0 && a < INFINITY))
        return fail(why, "Makeham term a must be non-negative and finite");
    if (!positive_finite(b))
        return fail(why, "Gompertz level b must be positive and finite");
    if (!positive_finite(c))
        return fail(why, "Gompertz slope c must be positive and finite");
    return pass(why);
}
