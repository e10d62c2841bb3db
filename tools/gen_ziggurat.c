/* SPDX-License-Identifier: MIT
 *
 * gen_ziggurat.c - build-time generator of the ziggurat tables.
 *
 * Usage: gen_ziggurat OUTPUT_PATH
 *
 * Computes the 256-layer ziggurat (Marsaglia and Tsang, "The Ziggurat
 * Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000)
 * for the standard exponential, f(x) = exp(-x), and for the half standard
 * normal, f(x) = exp(-x*x/2), and writes them as a C file of const arrays
 * matching src/engine/ziggurat.h (see there for the layout and how the
 * sampler uses the tables).
 *
 * The tables are computed rather than pasted so that nobody has to trust
 * a block of magic numbers: the only inputs are the density, its inverse
 * and its tail area.  The tail start r is the root of "the 255th layer
 * ends exactly at the mode", found by bisection.  Doubles are written
 * with "%a" (exact hexadecimal), so the output does not depend on decimal
 * rounding and the same libm gives the same bytes.  The file is written
 * under a temporary name and renamed into place, so an interrupted build
 * never leaves a truncated table behind.  Exit status: 0 on success, 1 on
 * any failure (usage, numerics, I/O).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAYERS 256
#define JBITS 52 /* must match HSI_ZIG_JBITS; the output asserts it */

/* One density: f, its inverse on (0, 1], and the area of the tail past r. */
struct density {
    const char *name;       /* "exp" or "norm": the hsi_zig_<name>_ prefix */
    const char *what;       /* for the comment in the output */
    double (*f)(double x);
    double (*finv)(double y);
    double (*tail)(double r);
    double lo, hi;          /* a bracket for r */
};

struct table {
    double r, v;
    double x[LAYERS + 1];
    double f[LAYERS + 1];
    uint64_t k[LAYERS];
    double w[LAYERS];
};

static double exp_f(double x) { return exp(-x); }
static double exp_finv(double y) { return -log(y); }
static double exp_tail(double r) { return exp(-r); }

static double norm_f(double x) { return exp(-0.5 * x * x); }
static double norm_finv(double y) { return sqrt(-2.0 * log(y)); }

/* Integral of exp(-x^2/2) from r to infinity = sqrt(pi/2) erfc(r/sqrt 2). */
static double norm_tail(double r)
{
    const double sqrt_half_pi = 1.2533141373155002512;
    const double sqrt_half = 0.70710678118654752440;
    return sqrt_half_pi * erfc(r * sqrt_half);
}

static double layer_area(const struct density *d, double r)
{
    return r * d->f(r) + d->tail(r);
}

/* Build the layers upwards from x[1] = r and report how far the top of
 * layer 255 misses the mode height f(0) = 1: positive when the layers are
 * too tall (r too small), negative when too short (r too large).  When a
 * layer overshoots the mode before the last, r is certainly too small. */
static double top_residual(const struct density *d, double r, double *x)
{
    double v = layer_area(d, r);
    double xi = r;
    if (x)
        x[1] = r;
    for (int i = 1; i < LAYERS - 1; i++) {
        double y = d->f(xi) + v / xi;
        if (!(y < 1.0))
            return 1.0;
        xi = d->finv(y);
        if (x)
            x[i + 1] = xi;
    }
    return d->f(xi) + v / xi - 1.0;
}

/* Bisection: slow but certain, and the residual is monotone in r. */
static int solve_r(const struct density *d, double *r_out)
{
    double lo = d->lo, hi = d->hi;
    if (!(top_residual(d, lo, NULL) > 0.0 && top_residual(d, hi, NULL) < 0.0))
        return -1;
    for (int it = 0; it < 2000; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (top_residual(d, mid, NULL) > 0.0)
            lo = mid;
        else
            hi = mid;
    }
    *r_out = hi;
    return 0;
}

static int build(const struct density *d, struct table *t)
{
    if (solve_r(d, &t->r) != 0)
        return -1;
    t->v = layer_area(d, t->r);
    double residual = top_residual(d, t->r, t->x);
    if (!(fabs(residual) < 1e-9))
        return -1;
    t->x[0] = t->v / d->f(t->r);
    t->x[LAYERS] = 0.0;

    /* f[0] is the bottom of the base layer; f[i] = f(x[i]) otherwise. */
    t->f[0] = 0.0;
    for (int i = 1; i <= LAYERS; i++)
        t->f[i] = d->f(t->x[i]);

    const double two_j = ldexp(1.0, JBITS);
    for (int i = 0; i < LAYERS; i++) {
        /* floor() errs towards rejecting: the slow path re-tests exactly,
         * so a too-small k only costs time, never correctness. */
        double ratio = t->x[i + 1] / t->x[i];
        t->k[i] = (uint64_t)floor(ratio * two_j);
        t->w[i] = t->x[i] / two_j;
    }
    return 0;
}

/* The checks catch a broken libm or a bad bracket before the build uses
 * the tables. */
static int sane(const struct table *t)
{
    if (!(t->r > 0.0 && t->v > 0.0 && isfinite(t->x[0])))
        return 0;
    for (int i = 0; i < LAYERS; i++) {
        if (!(t->x[i + 1] < t->x[i]))
            return 0;
        if (!(t->f[i + 1] > t->f[i]))
            return 0;
        if (t->k[i] > (UINT64_C(1) << JBITS))
            return 0;
    }
    return t->f[LAYERS] == 1.0;
}

static void put_doubles(FILE *out, const char *type, const char *name,
                        const double *a, int n, const char *size)
{
    fprintf(out, "const %s hsi_zig_%s[%s] = {\n", type, name, size);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s%a,%s", i % 3 == 0 ? "    " : " ", a[i],
                (i % 3 == 2 || i == n - 1) ? "\n" : "");
    fprintf(out, "};\n\n");
}

static void put_u64(FILE *out, const char *name, const uint64_t *a, int n)
{
    fprintf(out, "const uint64_t hsi_zig_%s[HSI_ZIG_LAYERS] = {\n", name);
    for (int i = 0; i < n; i++)
        fprintf(out, "%sUINT64_C(0x%016llx),%s", i % 3 == 0 ? "    " : " ",
                (unsigned long long)a[i],
                (i % 3 == 2 || i == n - 1) ? "\n" : "");
    fprintf(out, "};\n\n");
}

static void put_table(FILE *out, const struct density *d, const struct table *t)
{
    char name[64];
    fprintf(out, "/* %s: r = %.17g, V = %.17g */\n", d->what, t->r, t->v);
    fprintf(out, "const double hsi_zig_%s_r = %a;\n", d->name, t->r);
    fprintf(out, "const double hsi_zig_%s_v = %a;\n\n", d->name, t->v);
    snprintf(name, sizeof name, "%s_k", d->name);
    put_u64(out, name, t->k, LAYERS);
    snprintf(name, sizeof name, "%s_w", d->name);
    put_doubles(out, "double", name, t->w, LAYERS, "HSI_ZIG_LAYERS");
    snprintf(name, sizeof name, "%s_f", d->name);
    put_doubles(out, "double", name, t->f, LAYERS + 1, "HSI_ZIG_LAYERS + 1");
}

static void put_file(FILE *out, const struct density *ds, const struct table *ts,
                     int n)
{
    fprintf(out,
            "/* SPDX-License-Identifier: MIT\n"
            " *\n"
            " * ziggurat_tables.c - GENERATED by tools/gen_ziggurat.c at build "
            "time;\n"
            " * do not edit.  The ziggurat tables (256 layers, Marsaglia and "
            "Tsang\n"
            " * 2000) for the standard exponential and the half standard "
            "normal;\n"
            " * the layout is described in src/engine/ziggurat.h.\n"
            " */\n"
            "#include \"ziggurat.h\"\n\n"
            "_Static_assert(HSI_ZIG_LAYERS == %d && HSI_ZIG_JBITS == %d,\n"
            "               \"ziggurat.h and tools/gen_ziggurat.c disagree\");\n\n",
            LAYERS, JBITS);
    for (int i = 0; i < n; i++)
        put_table(out, &ds[i], &ts[i]);
}

/* Write through a temporary file and rename, so the target is either the
 * old file or the complete new one. */
static int write_atomically(const char *path, const struct density *ds,
                            const struct table *ts, int n)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + sizeof ".tmp");
    if (!tmp)
        return -1;
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", sizeof ".tmp");

    int rc = -1;
    FILE *out = fopen(tmp, "w");
    if (out) {
        put_file(out, ds, ts, n);
        int bad = ferror(out);
        if (fclose(out) == 0 && !bad) {
            /* C's rename may refuse to replace an existing file (not on
             * POSIX, but elsewhere): remove the old one and retry. */
            if (rename(tmp, path) == 0 || (remove(path) == 0 && rename(tmp, path) == 0))
                rc = 0;
        }
        if (rc != 0)
            remove(tmp);
    }
    free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_PATH\n", argc > 0 ? argv[0] : "gen_ziggurat");
        return 1;
    }
    static const struct density ds[2] = {
        {"exp", "standard exponential, f(x) = exp(-x)", exp_f, exp_finv, exp_tail,
         5.0, 10.0},
        {"norm", "half standard normal, f(x) = exp(-x*x/2)", norm_f, norm_finv,
         norm_tail, 2.5, 5.0},
    };
    struct table ts[2];
    for (int i = 0; i < 2; i++) {
        if (build(&ds[i], &ts[i]) != 0 || !sane(&ts[i])) {
            fprintf(stderr, "gen_ziggurat: could not build the %s table\n", ds[i].name);
            return 1;
        }
    }
    if (write_atomically(argv[1], ds, ts, 2) != 0) {
        fprintf(stderr, "gen_ziggurat: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
