/* SPDX-License-Identifier: MIT
 *
 * stats.c - output statistics: tallies, time averages, histograms, batch
 * means, and the Student-t and normal quantiles their intervals need.
 *
 * A tally keeps Welford's running mean and sum of squared deviations, which
 * stays accurate when the data sit far from zero (1e9 + small noise), and
 * two tallies merge with Chan, Golub and LeVeque's pairwise update, which
 * is as accurate as tallying all the data in one pass.
 * Batch means keep a tally of the batch averages plus the co-moment of
 * consecutive averages, so the lag-1 autocorrelation comes out of a stream
 * without storing the batches.
 *
 * The normal quantile is Wichura's algorithm AS 241 (PPND16, 1988), good to
 * about 1e-16.  The Student-t quantile uses closed forms for 1 and 2 degrees
 * of freedom, the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5) when
 * the degrees of freedom are so many that its error is below 1e-15, and
 * otherwise a safeguarded Newton iteration on the exact distribution
 * function: the regularized incomplete beta function, evaluated by the even
 * part of its continued fraction (A&S 26.5.8) with the modified Lentz
 * method.  Against 50-digit references the result is good to about 1e-13
 * relative for any df > 0 and 0 < p < 1.
 *
 * Nothing here keeps global state; the only allocations are the histogram
 * and the batch-means object.  Bad arguments never crash: they give NaN, 0,
 * a no-op, or HS_EINVAL as each function documents.
 */
#include "hailsham/stats.h"
#include "hailsham/status.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* M_PI is POSIX, not C17. */
#define HS_PI 3.14159265358979323846264338327950288
#define HS_LN_SQRT_PI 0.57236494292470008707171367567652935 /* ln sqrt(pi) */

/* ------------------------------------------------------------------------
 * Tally
 */

void hs_tally_init(hs_tally *t)
{
    if (!t)
        return;
    t->n = 0;
    t->mean = 0.0;
    t->m2 = 0.0;
    /* +inf / -inf are the identities of min / max, so merge needs no case
     * for an empty side. */
    t->min = INFINITY;
    t->max = -INFINITY;
}

void hs_tally_add(hs_tally *t, double x)
{
    if (!t)
        return;
    t->n++;
    double delta = x - t->mean;
    t->mean += delta / (double)t->n;
    /* (x - old mean) * (x - new mean) is never negative, so m2 cannot
     * drift below zero through rounding. */
    t->m2 += delta * (x - t->mean);
    if (x < t->min)
        t->min = x;
    if (x > t->max)
        t->max = x;
}

void hs_tally_merge(hs_tally *into, const hs_tally *from)
{
    if (!into || !from || from->n == 0)
        return;
    if (into->n == 0) {
        *into = *from;
        return;
    }
    const hs_tally b = *from; /* a copy, because into may alias from */
    double na = (double)into->n;
    double nb = (double)b.n;
    double n = na + nb;
    double delta = b.mean - into->mean;
    into->mean += delta * (nb / n);
    into->m2 += b.m2 + delta * delta * (na / n * nb);
    into->n += b.n;
    if (b.min < into->min)
        into->min = b.min;
    if (b.max > into->max)
        into->max = b.max;
}

double hs_tally_mean(const hs_tally *t)
{
    if (!t || t->n == 0)
        return NAN;
    return t->mean;
}

double hs_tally_variance(const hs_tally *t)
{
    if (!t || t->n < 2)
        return NAN;
    return t->m2 / (double)(t->n - 1);
}

double hs_tally_stddev(const hs_tally *t)
{
    return sqrt(hs_tally_variance(t));
}

hs_ci hs_tally_ci(const hs_tally *t, double level)
{
    hs_ci ci = { NAN, NAN, level, 0 };
    if (!t)
        return ci;
    ci.mean = hs_tally_mean(t);
    ci.n = t->n;
    if (t->n < 2 || !(level > 0.0 && level < 1.0))
        return ci;
    double tq = hs_student_t_quantile(0.5 + 0.5 * level, (double)(t->n - 1));
    ci.half_width = tq * sqrt(hs_tally_variance(t) / (double)t->n);
    return ci;
}

/* ------------------------------------------------------------------------
 * Normal quantile: Wichura, AS 241 (Applied Statistics 37, 1988), PPND16.
 * Three rational approximations: |p - 0.5| <= 0.425, then in
 * r = sqrt(-ln(min(p, 1 - p))) for r <= 5 and for r > 5.
 */

static double poly7(const double c[8], double x)
{
    double v = c[7];
    for (int i = 6; i >= 0; i--)
        v = v * x + c[i];
    return v;
}

static double normal_central(double q)
{
    static const double num[8] = {
        3.3871328727963666080e0, 1.3314166789178437745e+2,
        1.9715909503065514427e+3, 1.3731693765509461125e+4,
        4.5921953931549871457e+4, 6.7265770927008700853e+4,
        3.3430575583588128105e+4, 2.5090809287301226727e+3,
    };
    static const double den[8] = {
        1.0, 4.2313330701600911252e+1,
        6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4,
        2.8729085735721942674e+4, 5.2264952788528545610e+3,
    };
    double r = 0.180625 - q * q;
    return q * poly7(num, r) / poly7(den, r);
}

/* The positive quantile for the tail probability pt <= 0.075. */
static double normal_tail(double pt)
{
    static const double num_mid[8] = {
        1.42343711074968357734e0, 4.63033784615654529590e0,
        5.76949722146069140550e0, 3.64784832476320460504e0,
        1.27045825245236838258e0, 2.41780725177450611770e-1,
        2.27238449892691845833e-2, 7.74545014278341407640e-4,
    };
    static const double den_mid[8] = {
        1.0, 2.05319162663775882187e0,
        1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2,
        5.47593808499534494600e-4, 1.05075007164441684324e-9,
    };
    static const double num_far[8] = {
        6.65790464350110377720e0, 5.46378491116411436990e0,
        1.78482653991729133580e0, 2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3,
        2.71155556874348757815e-5, 2.01033439929228813265e-7,
    };
    static const double den_far[8] = {
        1.0, 5.99832206555887937690e-1,
        1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5,
        1.42151175831644588870e-7, 2.04426310338993978564e-15,
    };
    double r = sqrt(-log(pt));
    if (r <= 5.0) {
        r -= 1.6;
        return poly7(num_mid, r) / poly7(den_mid, r);
    }
    r -= 5.0;
    return poly7(num_far, r) / poly7(den_far, r);
}

double hs_normal_quantile(double p)
{
    if (!(p > 0.0 && p < 1.0))
        return NAN;
    double q = p - 0.5;
    if (fabs(q) <= 0.425)
        return normal_central(q);
    /* 1 - p is exact for p >= 0.5, so the upper tail loses nothing. */
    double z = normal_tail(q < 0.0 ? p : 1.0 - p);
    return q < 0.0 ? -z : z;
}

/* ------------------------------------------------------------------------
 * Student-t quantile.
 *
 * Notation: nu degrees of freedom, a = nu / 2, s >= 0 the upper quantile,
 * w = s / sqrt(nu), q = w^2, x = 1 / (1 + q), y = q / (1 + q) = 1 - x.
 * Then P(T > s) = I_x(a, 1/2) / 2 and P(0 < T <= s) = I_y(1/2, a) / 2,
 * and the density is k (1 + q)^-(a + 1/2) with k = 1 / (sqrt(nu) B(a, 1/2)).
 */

/* From this many degrees of freedom on, the four-term Cornish-Fisher
 * series is used alone: its first omitted term, O(z^11 / nu^5), is below
 * 1e-17 relative even at |z| = 38.5 (p near the smallest double), and it
 * costs one normal quantile instead of a few Newton steps. */
#define T_SERIES_DF 1e6
#define T_MAX_NEWTON 200
/* Below this every quantile but the median exceeds DBL_MAX: even for
 * p = 1/2 - 2^-54, ln(s / sqrt(nu)) is about 2^-53 / nu.  (Denormal nu
 * would also make nu / 2 round to zero.) */
#define T_TINY_DF 1e-250
#define CF_EPS (2 * DBL_EPSILON)

/* Stirling's series for ln Gamma(z) minus its leading terms, z >= 16. */
static double stirling_tail(double z)
{
    double r = 1.0 / z;
    double r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260
                - r2 * (1.0 / 1680 - r2 * (1.0 / 1188)))));
}

/* ln B(a, 1/2) = ln Gamma(a) + ln sqrt(pi) - ln Gamma(a + 1/2), a > 0.
 * Written as a difference of Stirling series rather than a difference of
 * two lgamma values: for a = 5e8 those are ~1e10 and their difference would
 * keep only six digits.  Small a is first shifted up with
 * Gamma(z + 1) = z Gamma(z); this also avoids lgamma, whose signgam is a
 * global. */
static double log_beta_half(double a)
{
    double shift = 0.0; /* ln(Gamma(a) / Gamma(a + 1/2)) lost by the shift */
    while (a < 16.0) {
        shift += log1p(0.5 / a);
        a += 1.0;
    }
    /* ln Gamma(a + 1/2) - ln Gamma(a) */
    double d = (a - 0.5) * log1p(0.5 / a) + 0.5 * log(a + 0.5) - 0.5
             + stirling_tail(a + 0.5) - stirling_tail(a);
    return HS_LN_SQRT_PI - d + shift;
}

/* One modified-Lentz step (Thompson & Barnett) for a term num / (den + ...);
 * returns the factor by which the convergent changes.  `tiny` stands in
 * for a zero denominator. */
static double lentz_step(double num, double den, double *c, double *d)
{
    const double tiny = 1e-300;
    *d = den + num * *d;
    if (fabs(*d) < tiny)
        *d = tiny;
    *c = den + num / *c;
    if (fabs(*c) < tiny)
        *c = tiny;
    *d = 1.0 / *d;
    return *c * *d;
}

/* The continued fraction of I_x(a, b) (A&S 26.5.8),
 *   1 / (1 + d1 / (1 + d2 / (1 + ...))),
 * without its prefactor x^a y^b / (a B(a, b)), y = 1 - x given separately.
 * It converges for x < (a + 1) / (a + b + 2); the caller swaps to
 * 1 - I_y(b, a) above that point.
 *
 * It is evaluated as its even part, 1 / (B0 + n1 / (B1 + n2 / (B2 + ...)))
 * with B0 = 1 + d1, Bm = 1 + d(2m) + d(2m+1), nm = -d(2m-1) d(2m).  That
 * halves the steps, and more importantly lets Bm be written as
 *   Bm = (1 - Sm) + y Sm,  d(2m) + d(2m+1) = -x Sm,
 * with 1 - Sm in closed form: summing 1 + d(2m) + d(2m+1) directly cancels
 * catastrophically when x is near 1 and a is large (nu = 1e6 would lose
 * five digits), as does 1 + d1, which is rewritten the same way.  When
 * Sm < 0 (b large, x small: the other branch) 1 - x Sm is the sum without
 * cancellation, and the closed form is the one that cancels.  For the t
 * distribution (a or b = 1/2) Sm < 1 always, so one form is always safe. */
static double beta_cf(double x, double y, double a, double b)
{
    double b0 = b <= 1.0 ? 1.0 - b + (a + b) * y : 1.0 + a - (a + b) * x;
    double g = b0 / (a + 1.0);
    if (fabs(g) < 1e-300)
        g = 1e-300;
    double c = g;
    double d = 0.0;
    long max_terms = 1000 + 10 * (long)sqrt(a + b);
    for (long m = 1; m <= max_terms; m++) {
        double k = (double)m;
        double lo = a + 2 * k - 1;
        double hi = a + 2 * k + 1;
        double s = k * (k - b) / (lo * (a + 2 * k))
                 + (a + k) * (a + b + k) / ((a + 2 * k) * hi);
        double one_minus_s = (a * (1 + 2 * k - b) + 2 * k * k + b - 1)
                           / (lo * hi);
        double num = -(a + k - 1) * (a + b + k - 1) * k * (k - b) * x * x
                   / ((a + 2 * k - 2) * lo * lo * (a + 2 * k));
        double den = s < 0.0 ? 1.0 - x * s : one_minus_s + y * s;
        double f = lentz_step(num, den, &c, &d);
        g *= f;
        if (fabs(f - 1.0) < CF_EPS)
            break;
    }
    return 1.0 / g;
}

/* Constants of one t distribution. */
typedef struct t_dist {
    double nu;
    double a;          /* nu / 2 */
    double half_ln_nu; /* ln sqrt(nu) */
    double sqrt_nu;
    double ln_beta;    /* ln B(a, 1/2) */
    double ln_k;       /* ln of the density at 0 */
} t_dist;

static t_dist t_dist_make(double nu)
{
    t_dist d;
    d.nu = nu;
    d.a = 0.5 * nu;
    d.half_ln_nu = 0.5 * log(nu);
    d.sqrt_nu = sqrt(nu);
    d.ln_beta = log_beta_half(d.a);
    d.ln_k = -d.half_ln_nu - d.ln_beta;
    return d;
}

/* The distribution at s = exp(u), each part in the form that is accurate
 * where the Newton iteration needs it. */
typedef struct t_point {
    double ln_upper; /* ln P(T > s) */
    double central;  /* P(0 < T <= s) */
    double ln_dens;  /* ln of the density at s */
} t_point;

/* x = 1 / (1 + q) and y = q / (1 + q) with their logarithms, for
 * q = (s / sqrt(nu))^2 and s = exp(u). */
typedef struct t_split {
    double x, y, ln_x, ln_y;
} t_split;

static t_split t_split_at(const t_dist *d, double u)
{
    /* q is formed from s directly where it is a normal number
     * (2 (u - ln sqrt(nu)) would add an error of |ln q| ulps, which the
     * tail magnifies nu times), and from logarithms only beyond, so s may
     * be anything from 1e-300 to 1e300 and more.  e = min(q, 1/q) never
     * overflows and gives x, y and their logs to full relative accuracy. */
    double w = exp(u) / d->sqrt_nu;
    double q = w * w;
    bool normal = q > 1e-300 && q < 1e300;
    double ln_q = normal ? log(q) : 2.0 * (u - d->half_ln_nu);
    t_split v;
    if (ln_q > 0.0) {
        double e = normal ? 1.0 / q : exp(-ln_q);
        v.x = e / (1.0 + e);
        v.y = 1.0 / (1.0 + e);
        v.ln_y = -log1p(e);
        v.ln_x = v.ln_y - ln_q;
    } else {
        double e = normal ? q : exp(ln_q);
        v.x = 1.0 / (1.0 + e);
        v.y = e / (1.0 + e);
        v.ln_x = -log1p(e);
        v.ln_y = v.ln_x + ln_q;
    }
    return v;
}

static t_point t_eval(const t_dist *d, double u)
{
    t_split v = t_split_at(d, u);
    t_point pt;
    pt.ln_dens = d->ln_k + (d->a + 0.5) * v.ln_x;
    /* ln of x^a y^(1/2) / B(a, 1/2), the prefactor both fractions share */
    double ln_front = d->a * v.ln_x + 0.5 * v.ln_y - d->ln_beta;
    if (v.y < 1.5 / (d->a + 2.5)) {
        /* Near the centre, I_y(1/2, a) / 2; its prefactor's 1 / (1/2)
         * cancels the 1/2. */
        pt.central = exp(ln_front) * beta_cf(v.y, v.x, 0.5, d->a);
        pt.ln_upper = log(0.5 - pt.central);
    } else {
        pt.ln_upper = ln_front - log(2.0 * d->a)
                    + log(beta_cf(v.x, v.y, d->a, 0.5));
        pt.central = 0.5 - exp(pt.ln_upper);
    }
    return pt;
}

/* Cornish-Fisher expansion of the t quantile about the normal one, z > 0,
 * inv_nu = 1 / nu (A&S 26.7.5). */
static double t_series(double z, double inv_nu)
{
    double z2 = z * z;
    double g1 = (z2 + 1.0) / 4.0;
    double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2
                 - 945.0) / 92160.0;
    return z * (1.0 + inv_nu * (g1 + inv_nu * (g2 + inv_nu * (g3
                + inv_nu * g4))));
}

/* Signed distance from the root in a form increasing with u, and its
 * derivative.  Both are differences of logarithms, which keeps the relative
 * accuracy of the probability and makes the residual nearly linear in u
 * where it matters: near the centre P(0 < T <= s) ~ k s, in a heavy tail
 * P(T > s) ~ c s^-nu.  Near the centre the target is 1/2 - pt (exact for
 * pt >= 1/4), in the tail pt itself. */
static double t_residual(const t_dist *d, double u, double pt, bool central,
                         double *slope)
{
    t_point v = t_eval(d, u);
    if (central) {
        double ln_c = log(v.central);
        *slope = exp(u + v.ln_dens - ln_c);
        return ln_c - log(0.5 - pt);
    }
    *slope = exp(u + v.ln_dens - v.ln_upper);
    return log(pt) - v.ln_upper;
}

/* A first iterate inside [lo, hi]: the Cornish-Fisher value, or the
 * power-law bound hi when the series overshoots it (heavy tails). */
static double t_first_guess(double pt, double nu, double lo, double hi)
{
    double guess = log(t_series(-hs_normal_quantile(pt), 1.0 / nu));
    if (isnan(guess))
        return 0.5 * (lo + hi);
    if (guess >= hi)
        return hi;
    return guess > lo ? guess : lo;
}

/* Solve P(T > s) = pt for 0 < pt < 1/2 by Newton's method on u = ln s,
 * kept inside a shrinking bracket that bisection falls back on. */
static double t_upper_quantile(double pt, double nu)
{
    const t_dist d = t_dist_make(nu);
    /* The density is at most k, so P(0 < T <= s) <= k s gives a lower
     * bound; the density is below k (s^2/nu)^-(a+1/2), whose tail integral
     * gives an upper bound.  Both are widened a little against rounding. */
    double lo = log(0.5 - pt) - d.ln_k;
    double hi = (d.ln_k - log(pt)) / nu + (1.0 - 1.0 / nu) * d.half_ln_nu;
    lo -= 1e-9 * (1.0 + fabs(lo));
    hi += 1e-9 * (1.0 + fabs(hi));
    double u = t_first_guess(pt, nu, lo, hi);
    bool central = pt >= 0.25;
    for (int it = 0; it < T_MAX_NEWTON; it++) {
        double slope;
        double r = t_residual(&d, u, pt, central, &slope);
        double step = r / slope;
        /* u = ln s, so a step in u is a relative change of s; the floor
         * grows with |u| only where u itself cannot be resolved finer.
         * Testing the step before the bracket matters: when the guess is
         * already the root, the bracket collapses onto it and any
         * rounding-level overshoot would otherwise force a bisection. */
        double tol = 2e-15 * fmax(8.0, fabs(u));
        if (fabs(step) <= tol)
            return exp(u - step);
        if (r < 0.0)
            lo = u;
        else if (r > 0.0)
            hi = u;
        double next = u - step;
        if (!(next > lo && next < hi)) /* also a NaN step */
            next = 0.5 * (lo + hi);
        if (hi - lo <= tol)
            return exp(next);
        u = next;
    }
    return exp(u);
}

/* P(T > s) = pt in closed form for nu = 1 (Cauchy) and nu = 2. */
static double t_upper_closed(double pt, double nu)
{
    if (nu == 1.0) {
        /* s = cot(pi pt); for pt >= 1/4 use tan(pi (1/2 - pt)), where
         * 1/2 - pt is exact and tan is well conditioned. */
        if (pt < 0.25)
            return 1.0 / tan(HS_PI * pt);
        return tan(HS_PI * (0.5 - pt));
    }
    return (1.0 - 2.0 * pt) / sqrt(2.0 * pt * (1.0 - pt));
}

double hs_student_t_quantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
        return NAN;
    if (p == 0.5)
        return 0.0;
    double pt = p < 0.5 ? p : 1.0 - p; /* exact for p >= 1/2 */
    double s;
    if (df < T_TINY_DF)
        s = INFINITY;
    else if (df == 1.0 || df == 2.0)
        s = t_upper_closed(pt, df);
    else if (df >= T_SERIES_DF) /* includes df = +inf: the normal */
        s = t_series(-hs_normal_quantile(pt), 1.0 / df);
    else
        s = t_upper_quantile(pt, df);
    return p < 0.5 ? -s : s;
}

/* ------------------------------------------------------------------------
 * Time average of a piecewise-constant quantity.
 */

void hs_timeavg_init(hs_timeavg *a, double t0, double value)
{
    if (!a)
        return;
    a->t0 = t0;
    a->t_last = t0;
    a->value = value;
    a->area = 0.0;
    a->min = value;
    a->max = value;
}

/* Time never runs backwards: an earlier (or NaN) time counts as the last
 * change time, so no negative area is ever added. */
static double timeavg_clamp(const hs_timeavg *a, double t)
{
    return t >= a->t_last ? t : a->t_last;
}

void hs_timeavg_set(hs_timeavg *a, double t, double value)
{
    if (!a)
        return;
    t = timeavg_clamp(a, t);
    a->area += a->value * (t - a->t_last);
    a->t_last = t;
    a->value = value;
    /* fmin/fmax skip a NaN operand, so one NaN value does not stick. */
    a->min = fmin(a->min, value);
    a->max = fmax(a->max, value);
}

double hs_timeavg_mean(const hs_timeavg *a, double t)
{
    if (!a || !(t >= a->t_last))
        return NAN;
    double span = t - a->t0;
    if (span <= 0.0)
        return a->value; /* the limit of the average over a shrinking span */
    return (a->area + a->value * (t - a->t_last)) / span;
}

void hs_timeavg_reset(hs_timeavg *a, double t)
{
    if (!a)
        return;
    t = timeavg_clamp(a, t);
    a->t0 = t;
    a->t_last = t;
    a->area = 0.0;
    a->min = a->value;
    a->max = a->value;
}

/* ------------------------------------------------------------------------
 * Histogram.  total counts every observation, underflow and overflow
 * included, and quantiles are ranks among all of them.
 */

struct hs_histogram {
    double lo, hi;
    size_t nbins;
    uint64_t underflow, overflow, total;
    uint64_t counts[]; /* nbins */
};

int hs_histogram_create(double lo, double hi, size_t nbins, hs_histogram **out)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    /* hi - lo must be finite too, or every bin edge would be inf or NaN. */
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi) || !isfinite(hi - lo)
        || nbins == 0)
        return HS_EINVAL;
    if (nbins > (SIZE_MAX - sizeof(hs_histogram)) / sizeof(uint64_t))
        return HS_ENOMEM;
    hs_histogram *h = calloc(1, sizeof *h + nbins * sizeof(uint64_t));
    if (!h)
        return HS_ENOMEM;
    h->lo = lo;
    h->hi = hi;
    h->nbins = nbins;
    *out = h;
    return HS_OK;
}

void hs_histogram_destroy(hs_histogram *h)
{
    free(h);
}

/* Lower edge of bin i (i == nbins gives hi exactly).  Computed from the
 * fraction i/nbins rather than by adding widths, so no error accumulates. */
static double hist_edge(const hs_histogram *h, size_t i)
{
    if (i >= h->nbins)
        return h->hi;
    double e = h->lo + (h->hi - h->lo) * ((double)i / (double)h->nbins);
    return e < h->hi ? e : h->hi;
}

/* The bin of lo <= x < hi.  The arithmetic estimate can be one off at an
 * edge, so it is nudged until hist_edge agrees: a value equal to an edge
 * always lands in the bin that edge opens. */
static size_t hist_index(const hs_histogram *h, double x)
{
    double f = (x - h->lo) / (h->hi - h->lo) * (double)h->nbins;
    size_t i = f >= (double)h->nbins ? h->nbins - 1 : (size_t)f;
    while (i > 0 && x < hist_edge(h, i))
        i--;
    while (i + 1 < h->nbins && x >= hist_edge(h, i + 1))
        i++;
    return i;
}

void hs_histogram_add(hs_histogram *h, double x)
{
    if (!h)
        return;
    h->total++;
    if (x < h->lo)
        h->underflow++;
    else if (!(x < h->hi)) /* also NaN */
        h->overflow++;
    else
        h->counts[hist_index(h, x)]++;
}

size_t hs_histogram_nbins(const hs_histogram *h)
{
    return h ? h->nbins : 0;
}

uint64_t hs_histogram_count(const hs_histogram *h, size_t bin)
{
    return h && bin < h->nbins ? h->counts[bin] : 0;
}

uint64_t hs_histogram_underflow(const hs_histogram *h)
{
    return h ? h->underflow : 0;
}

uint64_t hs_histogram_overflow(const hs_histogram *h)
{
    return h ? h->overflow : 0;
}

uint64_t hs_histogram_total(const hs_histogram *h)
{
    return h ? h->total : 0;
}

double hs_histogram_bin_lo(const hs_histogram *h, size_t bin)
{
    return h && bin < h->nbins ? hist_edge(h, bin) : NAN;
}

double hs_histogram_bin_hi(const hs_histogram *h, size_t bin)
{
    return h && bin < h->nbins ? hist_edge(h, bin + 1) : NAN;
}

double hs_histogram_quantile(const hs_histogram *h, double p)
{
    if (!h || h->total == 0 || !(p >= 0.0 && p <= 1.0))
        return NAN;
    double target = p * (double)h->total;
    double below = (double)h->underflow;
    if (target < below)
        return NAN; /* in the underflow (p = 0 included, if any is there) */
    for (size_t i = 0; i < h->nbins; i++) {
        double c = (double)h->counts[i];
        if (c > 0.0 && below + c >= target) {
            double lo = hist_edge(h, i);
            double frac = (target - below) / c;
            return lo + frac * (hist_edge(h, i + 1) - lo);
        }
        below += c;
    }
    return NAN; /* in the overflow */
}

/* ------------------------------------------------------------------------
 * Batch means.
 *
 * The lag-1 autocorrelation of batch means x_1..x_k is
 *   r = sum_{i<k} (x_i - m)(x_{i+1} - m) / sum_i (x_i - m)^2,  m = mean.
 * The numerator is kept as the co-moment C of the pairs (x_i, x_{i+1})
 * about their own means u and v (a Welford-style update, stable far from
 * zero) and corrected to the overall mean at the end:
 *   numerator = C + (k-1)(u - m)(v - m) = C + (m - x_k)(m - x_1)/(k - 1),
 * since u = (k m - x_k)/(k - 1) and v = (k m - x_1)/(k - 1).
 */

struct hs_batch {
    uint64_t size;     /* observations per batch */
    uint64_t filled;   /* observations in the current batch */
    double partial;    /* running mean of the current batch */
    hs_tally means;    /* the complete batches' means */
    double first;      /* x_1 */
    double last;       /* x_k */
    double pair_u;     /* mean of x_1..x_{k-1} */
    double pair_v;     /* mean of x_2..x_k */
    double pair_c;     /* co-moment of the pairs */
};

int hs_batch_create(uint64_t batch_size, hs_batch **out)
{
    if (!out)
        return HS_EINVAL;
    *out = NULL;
    if (batch_size == 0)
        return HS_EINVAL;
    hs_batch *b = calloc(1, sizeof *b);
    if (!b)
        return HS_ENOMEM;
    b->size = batch_size;
    hs_tally_init(&b->means);
    *out = b;
    return HS_OK;
}

void hs_batch_destroy(hs_batch *b)
{
    free(b);
}

static void batch_push_mean(hs_batch *b, double m)
{
    if (b->means.n == 0) {
        b->first = m;
    } else {
        double k = (double)b->means.n; /* pairs after this one */
        double du = b->last - b->pair_u;
        b->pair_u += du / k;
        b->pair_v += (m - b->pair_v) / k;
        b->pair_c += du * (m - b->pair_v);
    }
    b->last = m;
    hs_tally_add(&b->means, m);
}

void hs_batch_add(hs_batch *b, double x)
{
    if (!b)
        return;
    b->filled++;
    /* A running mean rather than a sum: no overflow, and no loss when the
     * values are large and the batch long. */
    b->partial += (x - b->partial) / (double)b->filled;
    if (b->filled == b->size) {
        batch_push_mean(b, b->partial);
        b->filled = 0;
        b->partial = 0.0;
    }
}

uint64_t hs_batch_count(const hs_batch *b)
{
    return b ? b->means.n : 0;
}

hs_ci hs_batch_ci(const hs_batch *b, double level)
{
    if (!b) {
        hs_ci none = { NAN, NAN, level, 0 };
        return none;
    }
    return hs_tally_ci(&b->means, level);
}

double hs_batch_lag1(const hs_batch *b)
{
    if (!b || b->means.n < 3)
        return NAN;
    double m = b->means.mean;
    double k1 = (double)(b->means.n - 1);
    double num = b->pair_c + (m - b->last) * (m - b->first) / k1;
    return num / b->means.m2; /* NaN when every batch mean is equal */
}

double hs_quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    return i + 1 < n ? v[i] * (1 - f) + v[i + 1] * f : v[n - 1];
}
