/* SPDX-License-Identifier: MIT
 *
 * test_rng.c - tests of the random streams (hailsham/rng.h).
 *
 * Reproducibility (the same triple gives the same stream, any change of
 * the triple gives another), the generator itself against values worked
 * out independently from the published xoshiro256** definition, the FNV-1a
 * purpose hash against its published test values, the jump against a
 * brute-force GF(2) matrix power, and the ranges and uniformity of the
 * derived uniforms and bounded integers.  Statistical tests use fixed
 * seeds, so they are deterministic; their thresholds (p < 0.001, or five
 * standard errors) would reject a wrong implementation by a wide margin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "hailsham/rng.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* A straightforward, independent transcription of xoshiro256** (Blackman
 * and Vigna 2018), written out step by step rather than shared with the
 * header, to check the header against. */
static uint64_t ref_rotl(uint64_t x, unsigned k)
{
    return (x << k) | (x >> (64u - k));
}

static void ref_step_state(uint64_t s[4])
{
    uint64_t t = s[1] << 17;
    s[2] = s[2] ^ s[0];
    s[3] = s[3] ^ s[1];
    s[1] = s[1] ^ s[2];
    s[0] = s[0] ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = ref_rotl(s[3], 45);
}

static uint64_t ref_next(uint64_t s[4])
{
    uint64_t out = ref_rotl(s[1] * 5u, 7) * 9u;
    ref_step_state(s);
    return out;
}

/* Upper regularised incomplete gamma Q(a, x), for chi-square p-values:
 * series below a + 1, Lentz's continued fraction above. */
static double gamma_q(double a, double x)
{
    if (x <= 0.0)
        return 1.0;
    double log_front = a * log(x) - x - lgamma(a);
    if (x < a + 1.0) {
        double term = 1.0 / a, sum = term;
        for (int n = 1; n < 10000 && fabs(term) > 1e-17 * fabs(sum); n++) {
            term *= x / (a + n);
            sum += term;
        }
        return 1.0 - sum * exp(log_front);
    }
    const double tiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 10000; i++) {
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
    return exp(log_front) * h;
}

/* Pearson's chi-square p-value for observed counts against expected. */
static double chi_square_p(const uint64_t *obs, const double *expected, size_t bins)
{
    double x2 = 0.0;
    for (size_t i = 0; i < bins; i++) {
        double d = (double)obs[i] - expected[i];
        x2 += d * d / expected[i];
    }
    return gamma_q(0.5 * (double)(bins - 1), 0.5 * x2);
}

static int popcount64(uint64_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static int state_distance(const hs_rng *a, const hs_rng *b)
{
    int d = 0;
    for (int i = 0; i < 4; i++)
        d += popcount64(a->s[i] ^ b->s[i]);
    return d;
}

/* ------------------------------------------------------------------ */
/* Stream derivation                                                   */

static void test_same_triple_same_stream(void **state)
{
    (void)state;
    hs_rng a, b;
    hs_rng_init(&a, 42, 7, hs_rng_purpose("arrivals"));
    hs_rng_init(&b, 42, 7, hs_rng_purpose("arrivals"));
    for (int i = 0; i < 1000; i++)
        assert_int_equal(hs_rng_next(&a), hs_rng_next(&b));
}

/* Changing one member of the triple changes every one of the first
 * outputs (a shared output among the first 8 would have probability
 * about 2^-61). */
static void test_each_member_changes_stream(void **state)
{
    (void)state;
    const uint64_t base[3] = {12345, 3, 99};
    const uint64_t deltas[] = {1, 2, UINT64_C(1) << 63, UINT64_MAX};
    for (int which = 0; which < 3; which++) {
        for (size_t d = 0; d < sizeof deltas / sizeof deltas[0]; d++) {
            uint64_t t[3] = {base[0], base[1], base[2]};
            t[which] += deltas[d];
            hs_rng a, b;
            hs_rng_init(&a, base[0], base[1], base[2]);
            hs_rng_init(&b, t[0], t[1], t[2]);
            for (int i = 0; i < 8; i++)
                assert_true(hs_rng_next(&a) != hs_rng_next(&b));
        }
    }
    /* The members are not interchangeable. */
    hs_rng a, b, c;
    hs_rng_init(&a, 1, 2, 3);
    hs_rng_init(&b, 2, 1, 3);
    hs_rng_init(&c, 3, 2, 1);
    uint64_t xa = hs_rng_next(&a), xb = hs_rng_next(&b), xc = hs_rng_next(&c);
    assert_true(xa != xb && xa != xc && xb != xc);
}

static int cmp_state(const void *pa, const void *pb)
{
    const hs_rng *a = pa, *b = pb;
    for (int i = 0; i < 4; i++) {
        if (a->s[i] != b->s[i])
            return a->s[i] < b->s[i] ? -1 : 1;
    }
    return 0;
}

/* Small, structured triples (the usual case: seed 0..15, replication
 * 0..15, purpose 0..15) give pairwise distinct, never all-zero states. */
static void test_states_distinct_nonzero(void **state)
{
    (void)state;
    enum { SIDE = 16, COUNT = SIDE * SIDE * SIDE };
    hs_rng *states = malloc(COUNT * sizeof *states);
    assert_non_null(states);
    size_t n = 0;
    for (uint64_t s = 0; s < SIDE; s++)
        for (uint64_t r = 0; r < SIDE; r++)
            for (uint64_t p = 0; p < SIDE; p++)
                hs_rng_init(&states[n++], s, r, p);
    qsort(states, n, sizeof *states, cmp_state);
    for (size_t i = 0; i < n; i++) {
        const uint64_t *w = states[i].s;
        assert_true((w[0] | w[1] | w[2] | w[3]) != 0);
        if (i > 0)
            assert_true(cmp_state(&states[i - 1], &states[i]) != 0);
    }
    free(states);
}

/* Avalanche: flipping any single input bit flips about half of the 256
 * state bits.  For a well-mixed hash each distance is Binomial(256, 1/2):
 * mean 128, sd 8; the mean over 192 flips has sd 0.6. */
static void test_init_avalanche(void **state)
{
    (void)state;
    const uint64_t base[3][3] = {{0, 0, 0}, {1, 0, 0}, {2024, 17, 0xdeadbeef}};
    double total = 0.0;
    int flips = 0, worst = 256, best = 0;
    for (int b = 0; b < 3; b++) {
        hs_rng ref;
        hs_rng_init(&ref, base[b][0], base[b][1], base[b][2]);
        for (int which = 0; which < 3; which++) {
            for (int bit = 0; bit < 64; bit++) {
                uint64_t t[3] = {base[b][0], base[b][1], base[b][2]};
                t[which] ^= UINT64_C(1) << bit;
                hs_rng x;
                hs_rng_init(&x, t[0], t[1], t[2]);
                int d = state_distance(&ref, &x);
                total += d;
                flips++;
                worst = d < worst ? d : worst;
                best = d > best ? d : best;
            }
        }
    }
    double mean = total / flips;
    assert_true(fabs(mean - 128.0) < 3.0);
    assert_true(worst > 80 && best < 176); /* 6 sd */
}

static void test_purpose_fnv1a(void **state)
{
    (void)state;
    /* Published FNV-1a 64 test values. */
    assert_int_equal(hs_rng_purpose(""), UINT64_C(0xcbf29ce484222325));
    assert_int_equal(hs_rng_purpose(NULL), UINT64_C(0xcbf29ce484222325));
    assert_int_equal(hs_rng_purpose("a"), UINT64_C(0xaf63dc4c8601ec8c));
    assert_int_equal(hs_rng_purpose("foobar"), UINT64_C(0x85944171f73967e8));
    assert_true(hs_rng_purpose("arrivals") != hs_rng_purpose("service"));
}

/* ------------------------------------------------------------------ */
/* The generator                                                       */

/* From s = {1, 2, 3, 4}, by hand: the first output is
 * rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520; after one step s[1] = 0 (2 ^ (3 ^ 1)
 * = 0), so the second output is 0.  The rest were computed with the
 * reference transcription above and, independently, in arbitrary-precision
 * arithmetic from the definition. */
static void test_golden_xoshiro(void **state)
{
    (void)state;
    static const uint64_t expected[5] = {
        UINT64_C(11520), UINT64_C(0), UINT64_C(1509978240),
        UINT64_C(1215971899390074240), UINT64_C(1216172134540287360),
    };
    hs_rng r = {{1, 2, 3, 4}};
    uint64_t ref[4] = {1, 2, 3, 4};
    for (int i = 0; i < 5; i++) {
        uint64_t want = ref_next(ref);
        assert_int_equal(want, expected[i]);
        assert_int_equal(hs_rng_next(&r), expected[i]);
    }
    /* And the two keep agreeing for a long stretch. */
    hs_rng_init(&r, 5, 6, 7);
    memcpy(ref, r.s, sizeof ref);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(hs_rng_next(&r), ref_next(ref));
}

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse_odd(uint64_t a)
{
    uint64_t x = a; /* correct to 3 bits */
    for (int i = 0; i < 5; i++)
        x *= 2 - a * x;
    return x;
}

/* A state whose next output is exactly `out`: invert the scrambler. */
static hs_rng state_giving(uint64_t out)
{
    uint64_t y = out * inverse_odd(9);
    y = (y >> 7) | (y << 57); /* rotr 7 */
    hs_rng r = {{1, y * inverse_odd(5), 3, 4}};
    return r;
}

static void test_uniform_edges(void **state)
{
    (void)state;
    hs_rng r = state_giving(0);
    assert_true(hs_rng_uniform(&r) == 0.0);
    r = state_giving(0);
    assert_true(hs_rng_uniform_pos(&r) > 0.0);
    r = state_giving(UINT64_MAX);
    assert_true(hs_rng_uniform(&r) < 1.0);
    r = state_giving(UINT64_MAX);
    double top = hs_rng_uniform_pos(&r);
    assert_true(top < 1.0 && top > 0.999999);
    r = state_giving(UINT64_C(0x123456789abcdef));
    assert_int_equal(hs_rng_next(&r), UINT64_C(0x123456789abcdef));
}

static void test_uniform_range_and_moments(void **state)
{
    (void)state;
    enum { N = 1000000, BINS = 100 };
    hs_rng r;
    hs_rng_init(&r, 2718, 0, hs_rng_purpose("uniform"));
    uint64_t counts[BINS] = {0};
    double sum = 0.0, sum_pos = 0.0;
    for (int i = 0; i < N; i++) {
        double u = hs_rng_uniform(&r);
        double v = hs_rng_uniform_pos(&r);
        assert_true(u >= 0.0 && u < 1.0);
        assert_true(v > 0.0 && v < 1.0);
        sum += u;
        sum_pos += v;
        counts[(int)(u * BINS)]++;
    }
    double se = sqrt(1.0 / 12.0 / N);
    assert_true(fabs(sum / N - 0.5) < 5 * se);
    assert_true(fabs(sum_pos / N - 0.5) < 5 * se);
    double expected[BINS];
    for (int i = 0; i < BINS; i++)
        expected[i] = (double)N / BINS;
    assert_true(chi_square_p(counts, expected, BINS) > 0.001);
}

/* ------------------------------------------------------------------ */
/* Bounded integers                                                    */

static void test_below_edges(void **state)
{
    (void)state;
    hs_rng r;
    hs_rng_init(&r, 1, 1, 1);
    assert_int_equal(hs_rng_below(&r, 0), 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(hs_rng_below(&r, 1), 0);
    const uint64_t ns[] = {2, 3, 7, 1000, (UINT64_C(1) << 33) + 1,
                           UINT64_C(3) << 62, UINT64_MAX};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
        for (int i = 0; i < 10000; i++)
            assert_true(hs_rng_below(&r, ns[k]) < ns[k]);
    /* Deterministic. */
    hs_rng a, b;
    hs_rng_init(&a, 9, 9, 9);
    hs_rng_init(&b, 9, 9, 9);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(hs_rng_below(&a, 1000003), hs_rng_below(&b, 1000003));
}

static void test_below_unbiased_small(void **state)
{
    (void)state;
    enum { N = 700000, K = 7 };
    hs_rng r;
    hs_rng_init(&r, 31, 0, hs_rng_purpose("below7"));
    uint64_t counts[K] = {0};
    for (int i = 0; i < N; i++)
        counts[hs_rng_below(&r, K)]++;
    double expected[K];
    for (int i = 0; i < K; i++)
        expected[i] = (double)N / K;
    assert_true(chi_square_p(counts, expected, K) > 0.001);
}

/* n = 2^33 + 1, collapsed to 16 bins of 2^29 values (the last bin holds
 * the one extra value, so its expectation is scaled accordingly). */
static void test_below_unbiased_wide(void **state)
{
    (void)state;
    enum { N = 400000, BINS = 17 };
    const uint64_t n = (UINT64_C(1) << 33) + 1;
    hs_rng r;
    hs_rng_init(&r, 32, 0, hs_rng_purpose("below-wide"));
    uint64_t counts[BINS] = {0};
    for (int i = 0; i < N; i++)
        counts[hs_rng_below(&r, n) >> 29]++;
    double expected[BINS];
    for (int i = 0; i < 16; i++)
        expected[i] = (double)N * (double)(UINT64_C(1) << 29) / (double)n;
    expected[16] = (double)N / (double)n;
    /* Bin 16 expects ~5e-5 draws: check it apart and test the rest. */
    assert_true(counts[16] <= 1);
    double sum16 = 0.0;
    for (int i = 0; i < 16; i++)
        sum16 += expected[i];
    for (int i = 0; i < 16; i++)
        expected[i] *= (double)(N - counts[16]) / sum16;
    assert_true(chi_square_p(counts, expected, 16) > 0.001);
}

/* n = 3 * 2^62: a multiply-shift without Lemire's rejection maps 4 inputs
 * to 3 outputs, giving residues mod 3 the frequencies 1/2, 1/4, 1/4; a
 * plain modulo doubles the low quarter.  Unbiased, each residue is 1/3. */
static void test_below_unbiased_near_2_64(void **state)
{
    (void)state;
    enum { N = 300000 };
    const uint64_t n = UINT64_C(3) << 62;
    hs_rng r;
    hs_rng_init(&r, 33, 0, hs_rng_purpose("below-huge"));
    uint64_t counts[3] = {0};
    uint64_t quarters[4] = {0};
    for (int i = 0; i < N; i++) {
        uint64_t v = hs_rng_below(&r, n);
        counts[v % 3]++;
        quarters[v / (UINT64_C(1) << 62)]++;
    }
    double expected[3] = {N / 3.0, N / 3.0, N / 3.0};
    assert_true(chi_square_p(counts, expected, 3) > 0.001);
    assert_int_equal(quarters[3], 0);
    assert_true(chi_square_p(quarters, expected, 3) > 0.001);
}

/* ------------------------------------------------------------------ */
/* Jump                                                                */

/* A linear map on the 256-bit state, as the images of the 256 unit
 * vectors. */
typedef struct {
    uint64_t img[256][4];
} map256;

static void map_apply(const map256 *m, const uint64_t v[4], uint64_t out[4])
{
    uint64_t acc[4] = {0, 0, 0, 0};
    for (int k = 0; k < 256; k++) {
        if ((v[k / 64] >> (k % 64)) & 1) {
            for (int w = 0; w < 4; w++)
                acc[w] ^= m->img[k][w];
        }
    }
    memcpy(out, acc, sizeof acc);
}

/* The jump, checked against its definition: T^(2^128) for the one-step
 * transition T, by 128 squarings of T's GF(2) matrix. */
static void test_jump_matches_matrix_power(void **state)
{
    (void)state;
    map256 *m = malloc(sizeof *m), *sq = malloc(sizeof *sq);
    assert_non_null(m);
    assert_non_null(sq);
    for (int k = 0; k < 256; k++) {
        uint64_t e[4] = {0, 0, 0, 0};
        e[k / 64] = UINT64_C(1) << (k % 64);
        ref_step_state(e);
        memcpy(m->img[k], e, sizeof e);
    }
    for (int i = 0; i < 128; i++) {
        for (int k = 0; k < 256; k++)
            map_apply(m, m->img[k], sq->img[k]);
        *m = *sq;
    }
    hs_rng r;
    hs_rng_init(&r, 77, 1, hs_rng_purpose("jump"));
    uint64_t want[4];
    map_apply(m, r.s, want);
    hs_rng_jump(&r);
    assert_memory_equal(r.s, want, sizeof want);
    free(m);
    free(sq);
}

static void test_jump_deterministic_and_distinct(void **state)
{
    (void)state;
    hs_rng a, b, c;
    hs_rng_init(&a, 5, 0, 0);
    b = a;
    c = a;
    hs_rng_jump(&a);
    hs_rng_jump(&b);
    assert_memory_equal(a.s, b.s, sizeof a.s);
    /* The jumped stream differs from the original, output by output. */
    hs_rng orig = c;
    for (int i = 0; i < 8; i++)
        assert_true(hs_rng_next(&a) != hs_rng_next(&orig));
    /* Two jumps differ from one. */
    hs_rng_jump(&c);
    hs_rng once = c;
    hs_rng_jump(&c);
    assert_true(state_distance(&once, &c) > 64);
    assert_true((c.s[0] | c.s[1] | c.s[2] | c.s[3]) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_triple_same_stream),
        cmocka_unit_test(test_each_member_changes_stream),
        cmocka_unit_test(test_states_distinct_nonzero),
        cmocka_unit_test(test_init_avalanche),
        cmocka_unit_test(test_purpose_fnv1a),
        cmocka_unit_test(test_golden_xoshiro),
        cmocka_unit_test(test_uniform_edges),
        cmocka_unit_test(test_uniform_range_and_moments),
        cmocka_unit_test(test_below_edges),
        cmocka_unit_test(test_below_unbiased_small),
        cmocka_unit_test(test_below_unbiased_wide),
        cmocka_unit_test(test_below_unbiased_near_2_64),
        cmocka_unit_test(test_jump_matches_matrix_power),
        cmocka_unit_test(test_jump_deterministic_and_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
