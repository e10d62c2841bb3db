/* SPDX-License-Identifier: MIT
 *
 * ziggurat.h - the ziggurat tables for the standard exponential and the
 * (half) standard normal, internal to the engine.
 *
 * The definitions are not written by hand: tools/gen_ziggurat.c computes
 * them at build time and writes ziggurat_tables.c, which includes this
 * header so that the compiler checks that both agree.  The layout follows
 * Marsaglia and Tsang (2000) with 256 layers of equal area V under the
 * unnormalised density f (exp(-x) or exp(-x*x/2)):
 *
 *   x[0] = V / f(r) > x[1] = r > x[2] > ... > x[255] > x[256] = 0,
 *   x[i] * (f(x[i+1]) - f(x[i])) = V          for 1 <= i <= 255,
 *
 * where layer 0 is the base strip [0, r] x [0, f(r)] together with the
 * tail beyond r.  A draw takes 64 random bits: the low 8 choose the layer
 * i, the top 52 give an integer j, and x = j * w[i] is uniform on
 * [0, x[i]).  The point is certainly under the curve when x < x[i+1],
 * which is the integer test j < k[i], so the common case costs one table
 * look-up, one compare and one multiply.
 *
 * The names carry the hsi_ prefix (hailsham internal) because they have
 * external linkage inside the library and must not collide with a user's.
 */
#ifndef HAILSHAM_ZIGGURAT_H
#define HAILSHAM_ZIGGURAT_H

#include <stdint.h>

/* The number of layers; the layer index is the low 8 bits of a draw. */
#define HSI_ZIG_LAYERS 256

/* Bits of the integer j.  52 rather than 53 so that j converts to a double
 * through the mantissa of 2^52 (see dist.c); the resolution x[i] 2^-52 is
 * still far below anything a simulation can notice. */
#define HSI_ZIG_JBITS 52

/* Standard exponential, f(x) = exp(-x) on [0, inf). */
extern const double hsi_zig_exp_r;                     /* x[1], start of the tail */
extern const double hsi_zig_exp_v;                     /* area of each layer */
extern const uint64_t hsi_zig_exp_k[HSI_ZIG_LAYERS];   /* floor(2^52 x[i+1]/x[i]) */
extern const double hsi_zig_exp_w[HSI_ZIG_LAYERS];     /* x[i] / 2^52 */
extern const double hsi_zig_exp_f[HSI_ZIG_LAYERS + 1]; /* f(x[i]); f[0] = 0 */

/* Standard normal, half density f(x) = exp(-x*x/2) on [0, inf); the sign
 * comes from a separate bit. */
extern const double hsi_zig_norm_r;
extern const double hsi_zig_norm_v;
extern const uint64_t hsi_zig_norm_k[HSI_ZIG_LAYERS];
extern const double hsi_zig_norm_w[HSI_ZIG_LAYERS];
extern const double hsi_zig_norm_f[HSI_ZIG_LAYERS + 1];

#endif
