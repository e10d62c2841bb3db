/* SPDX-License-Identifier: MIT
 *
 * rng.c - stream set-up, naming, jumping and bounded integers for the
 * xoshiro256** generator declared in hailsham/rng.h.
 *
 * The per-draw functions (hs_rng_next, hs_rng_uniform, ...) are inline in
 * the header; this file holds what is either called once per stream
 * (hs_rng_init, hs_rng_purpose, hs_rng_jump) or too long to inline
 * (hs_rng_below).  All of it is a pure function of its arguments and the
 * stream state: no global state, so streams may live in any thread.
 */
#include "hailsham/rng.h"

#include <stddef.h>
#include <stdint.h>

/* The SplitMix64 increment (the odd integer nearest 2^64 / golden ratio)
 * and its output function (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014; constants from Stafford's
 * "Mix13" variant).  The output function is a bijection on 64 bits, which
 * is what makes hs_rng_init injective below. */
#define SPLITMIX_GAMMA UINT64_C(0x9e3779b97f4a7c15)

static uint64_t splitmix_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* hs_rng_init hashes the triple (seed, replication, purpose) with a small
 * invertible network whose round function is the SplitMix64 output
 * function: each step adds to one word a mix of the other two, and such a
 * step can be undone given those two.  So the three words after the
 * network are a bijective image of the triple: distinct triples always
 * give distinct states (no birthday collisions between streams), and
 * after two rounds every word depends on every input bit.  The fourth
 * word is a further mix of the three; since the mix of a nonzero word is
 * nonzero (bijection with mix(0) = 0), s[3] = mix(a ^ b ^ c ^ GAMMA) is
 * nonzero whenever a = b = c = 0, so the state is never all zero (the one
 * state xoshiro must avoid). */
void hs_rng_init(hs_rng *r, uint64_t seed, uint64_t replication, uint64_t purpose)
{
    uint64_t a = seed, b = replication, c = purpose;
    for (int round = 1; round <= 2; round++) {
        uint64_t k = SPLITMIX_GAMMA * (uint64_t)(3 * round);
        a += splitmix_mix(b ^ splitmix_mix(c + k));
        b += splitmix_mix(c ^ splitmix_mix(a + k + SPLITMIX_GAMMA));
        c += splitmix_mix(a ^ splitmix_mix(b + k + 2 * SPLITMIX_GAMMA));
    }
    r->s[0] = a;
    r->s[1] = b;
    r->s[2] = c;
    r->s[3] = splitmix_mix(a ^ b ^ c ^ SPLITMIX_GAMMA);
}

/* 64-bit FNV-1a (Fowler, Noll and Vo): the offset basis and prime are the
 * algorithm's published parameters. */
uint64_t hs_rng_purpose(const char *name)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    if (!name)
        return h;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x00000100000001b3);
    }
    return h;
}

/* The xoshiro256 jump: the coefficients of x^(2^128) modulo the
 * characteristic polynomial of the generator's linear engine (published
 * with the algorithm by Blackman and Vigna).  The generator is linear
 * over GF(2), so evaluating that polynomial at the transition map T, that
 * is XOR-ing together the states T^i s for every i whose coefficient is 1,
 * gives T^(2^128) s, the state 2^128 steps ahead. */
void hs_rng_jump(hs_rng *r)
{
    static const uint64_t jump[4] = {
        UINT64_C(0x180ec6d33cfd0aba), UINT64_C(0xd5a61266f0c9392c),
        UINT64_C(0xa9582618e03fc9aa), UINT64_C(0x39abdc4529b1661c),
    };
    uint64_t acc[4] = {0, 0, 0, 0};
    for (size_t w = 0; w < 4; w++) {
        for (int bit = 0; bit < 64; bit++) {
            if (jump[w] & (UINT64_C(1) << bit)) {
                for (size_t i = 0; i < 4; i++)
                    acc[i] ^= r->s[i];
            }
            (void)hs_rng_next(r);
        }
    }
    for (size_t i = 0; i < 4; i++)
        r->s[i] = acc[i];
}

/* The full 128-bit product x * n, as (high, low). */
static uint64_t mul_64x64(uint64_t x, uint64_t n, uint64_t *low)
{
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    u128 m = (u128)x * n;
    *low = (uint64_t)m;
    return (uint64_t)(m >> 64);
#else
    /* Schoolbook on 32-bit halves, for compilers without a 128-bit type. */
    uint64_t x0 = x & 0xffffffffu, x1 = x >> 32;
    uint64_t n0 = n & 0xffffffffu, n1 = n >> 32;
    uint64_t p00 = x0 * n0, p01 = x0 * n1, p10 = x1 * n0, p11 = x1 * n1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    *low = (mid << 32) | (p00 & 0xffffffffu);
    return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

/* Lemire, "Fast random integer generation in an interval" (ACM TOMACS
 * 2019): the high word of x * n is the candidate; it is biased only when
 * the low word falls in the first 2^64 mod n values, so the (costly)
 * modulo is computed only when the low word is below n, which is rare
 * unless n is close to 2^64. */
uint64_t hs_rng_below(hs_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t low;
    uint64_t high = mul_64x64(hs_rng_next(r), n, &low);
    if (low < n) {
        uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
        while (low < threshold)
            high = mul_64x64(hs_rng_next(r), n, &low);
    }
    return high;
}
