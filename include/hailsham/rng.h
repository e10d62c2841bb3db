/* SPDX-License-Identifier: MIT
 *
 * rng.h - deterministic random streams.
 *
 * The generator is xoshiro256** (Blackman and Vigna), 256 bits of state,
 * period 2^256 - 1.  A stream is derived from three numbers: the run's
 * seed, the replication index and a purpose (what the stream is used for:
 * arrivals, service, mortality, ...).  The same triple always gives the
 * same stream, whatever thread or process computes it, and different
 * triples give statistically independent streams (the triple is hashed
 * through SplitMix64 into the state).
 *
 * The struct is transparent so that the hot path (hs_rng_next,
 * hs_rng_uniform) inlines; treat its fields as private.
 */
#ifndef HAILSHAM_RNG_H
#define HAILSHAM_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_rng {
    uint64_t s[4];
} hs_rng;

/* Initialise a stream from (seed, replication, purpose).  Never fails. */
void hs_rng_init(hs_rng *r, uint64_t seed, uint64_t replication, uint64_t purpose);

/* A purpose number from a name (64-bit FNV-1a of the bytes), so that code
 * can say hs_rng_purpose("arrivals").  NULL hashes like "". */
uint64_t hs_rng_purpose(const char *name);

/* Advance the stream by 2^128 draws (the xoshiro jump): a way to split one
 * stream into non-overlapping sub-streams. */
void hs_rng_jump(hs_rng *r);

static inline uint64_t hs_rng_rotl_(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits. */
static inline uint64_t hs_rng_next(hs_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = hs_rng_rotl_(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = hs_rng_rotl_(s[3], 45);
    return result;
}

/* Uniform on [0, 1), multiples of 2^-53. */
static inline double hs_rng_uniform(hs_rng *r)
{
    return (double)(hs_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1): never 0, never 1 (safe for log). */
static inline double hs_rng_uniform_pos(hs_rng *r)
{
    return ((double)(hs_rng_next(r) >> 12) + 0.5) * 0x1.0p-52;
}

/* Uniform integer in [0, n) without modulo bias (Lemire's method).
 * n == 0 returns 0. */
uint64_t hs_rng_below(hs_rng *r, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
