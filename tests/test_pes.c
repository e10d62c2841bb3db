/* SPDX-License-Identifier: MIT
 *
 * test_pes.c - unit tests of the pending-event set (include/hailsham/pes.h).
 *
 * Every kind (HEAP, LADDER, AUTO, BINARY) must pop exactly what a reference pops:
 * a sort of the pushed entries for fill-then-drain workloads, and a plain
 * binary heap written here (independent of pes_heap.c) for HOLD workloads,
 * where what is pushed depends on what was popped.  The workloads cover the
 * cases the ladder adapts to: exponential, uniform, bimodal and heavy-tailed
 * increments, many equal times, inserts earlier than the last pop, far
 * future times, and sizes that grow and shrink by orders of magnitude.
 *
 * The tests also reach into pes_impl.h for two hooks: an allocation budget
 * (to check that a failed push leaves the set unchanged and that pops still
 * work when memory runs out) and the ladder's counters (to check that the
 * adaptive paths really ran).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hailsham/pes.h"
#include "hailsham/status.h"
#include "pes_impl.h"

typedef struct hs_pes_entry entry;

static const enum hs_pes_kind all_kinds[] = { HS_PES_HEAP, HS_PES_LADDER, HS_PES_AUTO,
                                               HS_PES_BINARY };
#define NKINDS (sizeof all_kinds / sizeof all_kinds[0])

/* ---- random numbers (splitmix64: small and good enough for tests) ------ */

typedef struct {
    uint64_t x;
} trng;

static uint64_t trng_next(trng *r)
{
    uint64_t z = (r->x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1]. */
static double trng_u(trng *r)
{
    return (double)((trng_next(r) >> 11) + 1) * 0x1.0p-53;
}

enum inc { INC_EXP, INC_UNIFORM, INC_BIMODAL, INC_PARETO, INC_ZERO, INC_FAR };

/* An increment with mean about 1 (except INC_ZERO and INC_FAR). */
static double draw_inc(trng *r, enum inc k)
{
    switch (k) {
    case INC_UNIFORM:
        return 2.0 * trng_u(r);
    case INC_BIMODAL:
        return trng_u(r) < 0.9 ? -0.1 * log(trng_u(r)) : -9.1 * log(trng_u(r));
    case INC_PARETO:
        /* alpha 1.5, scale 1/3: mean 1, infinite variance. */
        return (1.0 / 3.0) * pow(trng_u(r), -1.0 / 1.5);
    case INC_ZERO:
        return 0.0;
    case INC_FAR:
        /* Mostly ordinary, sometimes very far in the future. */
        return trng_u(r) < 0.01 ? 1e12 * trng_u(r) : -log(trng_u(r));
    default:
        return -log(trng_u(r));
    }
}

/* ---- reference ---------------------------------------------------------- */

static int ref_less(const entry *a, const entry *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->ord != b->ord)
        return a->ord < b->ord;
    return a->ref < b->ref;
}

static int ref_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    return ref_less(a, b) ? -1 : ref_less(b, a) ? 1 : 0;
}

/* A textbook binary heap: the reference for workloads that a sort cannot
 * describe. */
typedef struct {
    entry *a;
    size_t n, cap;
} refq;

static void refq_push(refq *q, const entry *e)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 64;
        q->a = realloc(q->a, q->cap * sizeof *q->a);
        assert_non_null(q->a);
    }
    size_t i = q->n++;
    q->a[i] = *e;
    while (i > 0 && ref_less(&q->a[i], &q->a[(i - 1) / 2])) {
        entry t = q->a[i];
        q->a[i] = q->a[(i - 1) / 2];
        q->a[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static int refq_pop(refq *q, entry *out)
{
    if (q->n == 0)
        return 0;
    *out = q->a[0];
    q->a[0] = q->a[--q->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < q->n && ref_less(&q->a[l], &q->a[m]))
            m = l;
        if (l + 1 < q->n && ref_less(&q->a[l + 1], &q->a[m]))
            m = l + 1;
        if (m == i)
            break;
        entry t = q->a[i];
        q->a[i] = q->a[m];
        q->a[m] = t;
        i = m;
    }
    return 1;
}

static void refq_free(refq *q)
{
    free(q->a);
    q->a = NULL;
    q->n = q->cap = 0;
}

static void assert_same_entry(const entry *got, const entry *want)
{
    /* Bitwise on t: the set must return exactly what it was given. */
    assert_memory_equal(&got->t, &want->t, sizeof got->t);
    assert_int_equal(got->ord, want->ord);
    assert_int_equal(got->ref, want->ref);
}

static hs_pes *make(enum hs_pes_kind k)
{
    hs_pes *q = hs_pes_create(k, 0);
    assert_non_null(q);
    return q;
}

static void push_ok(hs_pes *q, const entry *e)
{
    assert_int_equal(hs_pes_push(q, e), HS_OK);
}

/* Pop from q and from the reference and require the same entry; also
 * check that peek agreed with the pop. */
static void pop_same(hs_pes *q, refq *r)
{
    entry want, got, peeked;
    int have = refq_pop(r, &want);
    assert_int_equal(hs_pes_peek(q, &peeked), have);
    assert_int_equal(hs_pes_pop(q, &got), have);
    if (have) {
        assert_same_entry(&got, &want);
        assert_same_entry(&peeked, &want);
    }
}

/* ---- workloads ---------------------------------------------------------- */

/* Push n entries with times from gen, drain, compare with qsort. */
static void fill_drain_sorted(enum hs_pes_kind k, entry *v, size_t n)
{
    hs_pes *q = make(k);
    for (size_t i = 0; i < n; i++)
        push_ok(q, &v[i]);
    assert_int_equal(hs_pes_size(q), n);
    qsort(v, n, sizeof *v, ref_cmp);
    for (size_t i = 0; i < n; i++) {
        entry got;
        assert_int_equal(hs_pes_pop(q, &got), 1);
        assert_same_entry(&got, &v[i]);
    }
    entry got;
    assert_int_equal(hs_pes_pop(q, &got), 0);
    assert_int_equal(hs_pes_size(q), 0);
    hs_pes_destroy(q);
}

/* HOLD: fill with n entries, then `ops` times pop the earliest and push it
 * back at its time plus an increment; every kind against the reference. */
static void hold_vs_reference(enum hs_pes_kind k, size_t n, size_t ops, enum inc inc,
                              uint64_t seed)
{
    hs_pes *q = make(k);
    refq r = { 0 };
    trng g = { seed };
    uint64_t ord = 0;
    for (size_t i = 0; i < n; i++) {
        entry e = { draw_inc(&g, inc == INC_ZERO ? INC_EXP : inc), ord++, i };
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    for (size_t i = 0; i < ops; i++) {
        entry want, got;
        assert_int_equal(refq_pop(&r, &want), 1);
        assert_int_equal(hs_pes_pop(q, &got), 1);
        assert_same_entry(&got, &want);
        got.t += draw_inc(&g, inc);
        got.ord = ord++;
        push_ok(q, &got);
        refq_push(&r, &got);
    }
    assert_int_equal(hs_pes_size(q), r.n);
    while (r.n > 0)
        pop_same(q, &r);
    pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);
}

static void hold_all_kinds(size_t n, size_t ops, enum inc inc, uint64_t seed)
{
    for (size_t i = 0; i < NKINDS; i++)
        hold_vs_reference(all_kinds[i], n, ops, inc, seed);
}

/* ---- tests: API basics -------------------------------------------------- */

static void test_create_bad_kind(void **state)
{
    (void)state;
    assert_null(hs_pes_create((enum hs_pes_kind)4, 0));
    assert_null(hs_pes_create((enum hs_pes_kind)-1, 0));
    assert_null(hs_pes_create((enum hs_pes_kind)1000, 10));
    hs_pes_destroy(NULL); /* allowed */
}

static void test_empty_pop(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKINDS; i++) {
        hs_pes *q = make(all_kinds[i]);
        entry e = { 1.0, 1, 1 }, out;
        assert_int_equal(hs_pes_pop(q, &out), 0);
        assert_int_equal(hs_pes_peek(q, &out), 0);
        push_ok(q, &e);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_same_entry(&out, &e);
        assert_int_equal(hs_pes_pop(q, &out), 0);
        assert_int_equal(hs_pes_peek(q, &out), 0);
        assert_int_equal(hs_pes_size(q), 0);
        hs_pes_destroy(q);
    }
}

static void test_size_and_kind(void **state)
{
    (void)state;
    hs_pes *h = make(HS_PES_HEAP), *l = make(HS_PES_LADDER), *a = make(HS_PES_AUTO);
    hs_pes *b = make(HS_PES_BINARY);
    assert_int_equal(hs_pes_kind(h), HS_PES_HEAP);
    assert_int_equal(hs_pes_kind(l), HS_PES_LADDER);
    assert_int_equal(hs_pes_kind(a), HS_PES_HEAP); /* AUTO starts as a heap */
    assert_int_equal(hs_pes_kind(b), HS_PES_BINARY);
    hs_pes *qs[] = { h, l, a, b };
    for (size_t j = 0; j < 4; j++) {
        for (uint64_t i = 0; i < 1000; i++) {
            entry e = { (double)(i % 37), i, i };
            push_ok(qs[j], &e);
            assert_int_equal(hs_pes_size(qs[j]), i + 1);
        }
        assert_true(hs_pes_memory(qs[j]) >= 1000 * sizeof(entry));
        entry out;
        for (size_t i = 1000; i > 0; i--) {
            assert_int_equal(hs_pes_pop(qs[j], &out), 1);
            assert_int_equal(hs_pes_size(qs[j]), i - 1);
        }
        hs_pes_destroy(qs[j]);
    }
    /* The hint must not matter for behaviour, even when absurd. */
    hs_pes *big = hs_pes_create(HS_PES_HEAP, SIZE_MAX / 2);
    assert_non_null(big);
    hs_pes_destroy(big);
}

/* ---- tests: fill then drain against a sort ----------------------------- */

static void fill_drain_case(enum inc inc, size_t n, uint64_t seed, int negative)
{
    entry *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    assert_non_null(v);
    assert_non_null(w);
    trng g = { seed };
    double t = 0.0;
    for (size_t i = 0; i < n; i++) {
        /* Random walk times, pushed in shuffled order below. */
        t += draw_inc(&g, inc);
        v[i] = (entry){ negative ? -t : t, trng_next(&g) >> 1, i };
    }
    for (size_t i = n; i > 1; i--) {
        size_t j = trng_next(&g) % i;
        entry x = v[i - 1];
        v[i - 1] = v[j];
        v[j] = x;
    }
    for (size_t k = 0; k < NKINDS; k++) {
        memcpy(w, v, n * sizeof *w);
        fill_drain_sorted(all_kinds[k], w, n);
    }
    free(v);
    free(w);
}

static void test_fill_drain_distributions(void **state)
{
    (void)state;
    fill_drain_case(INC_EXP, 100000, 1, 0);
    fill_drain_case(INC_UNIFORM, 50000, 2, 0);
    fill_drain_case(INC_BIMODAL, 50000, 3, 0);
    fill_drain_case(INC_PARETO, 50000, 4, 0);
    fill_drain_case(INC_FAR, 50000, 5, 0);
    fill_drain_case(INC_EXP, 30000, 6, 1); /* negative times */
    fill_drain_case(INC_EXP, 3, 7, 0);
}

/* Many exactly equal times, distinct ord pushed in random order, plus a
 * few distinct times; also extreme magnitudes. */
static void test_equal_times(void **state)
{
    (void)state;
    size_t n = 100000;
    entry *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    assert_non_null(v);
    assert_non_null(w);
    trng g = { 11 };
    for (size_t i = 0; i < n; i++) {
        uint64_t r = trng_next(&g);
        double t = (r & 7) == 0 ? (double)(r % 5) : 42.0;
        v[i] = (entry){ t, trng_next(&g), i };
    }
    for (size_t k = 0; k < NKINDS; k++) {
        memcpy(w, v, n * sizeof *w);
        fill_drain_sorted(all_kinds[k], w, n);
    }
    /* All equal, same ord too: ref decides. */
    for (size_t i = 0; i < n; i++)
        v[i] = (entry){ 7.0, 5, trng_next(&g) };
    for (size_t k = 0; k < NKINDS; k++) {
        memcpy(w, v, n * sizeof *w);
        fill_drain_sorted(all_kinds[k], w, n);
    }
    /* Extreme magnitudes, subnormals and signed zeros. */
    double special[] = { 1e300, -1e300, 1.7e308, -1.7e308, 4.9e-324, -4.9e-324, 0.0, -0.0,
                         1e-300, 1.0, 1.0 + 0x1p-52, 1e15, 1e15 + 0.125 };
    size_t ns = sizeof special / sizeof special[0];
    size_t m = 20000;
    for (size_t i = 0; i < m; i++)
        v[i] = (entry){ special[trng_next(&g) % ns], trng_next(&g), i };
    for (size_t k = 0; k < NKINDS; k++) {
        memcpy(w, v, m * sizeof *w);
        fill_drain_sorted(all_kinds[k], w, m);
    }
    free(v);
    free(w);
}

/* ---- tests: HOLD against the reference --------------------------------- */

static void test_hold_exponential(void **state)
{
    (void)state;
    hold_all_kinds(10, 20000, INC_EXP, 21);
    hold_all_kinds(1000, 100000, INC_EXP, 22);
    hold_all_kinds(100000, 150000, INC_EXP, 23);
}

static void test_hold_uniform(void **state)
{
    (void)state;
    hold_all_kinds(1000, 50000, INC_UNIFORM, 31);
    hold_all_kinds(60000, 150000, INC_UNIFORM, 32);
}

static void test_hold_bimodal(void **state)
{
    (void)state;
    hold_all_kinds(1000, 50000, INC_BIMODAL, 41);
    hold_all_kinds(60000, 150000, INC_BIMODAL, 42);
}

static void test_hold_pareto(void **state)
{
    (void)state;
    hold_all_kinds(1000, 50000, INC_PARETO, 51);
    hold_all_kinds(60000, 150000, INC_PARETO, 52);
}

static void test_hold_far_future(void **state)
{
    (void)state;
    hold_all_kinds(50000, 150000, INC_FAR, 61);
}

/* Zero increments: every pushed entry has exactly the time just popped, so
 * only ord orders them, and everything lands in the current bucket. */
static void test_hold_equal_times(void **state)
{
    (void)state;
    hold_all_kinds(50000, 120000, INC_ZERO, 71);
}

/* Random mix of pushes and pops, including pushes earlier than the last
 * popped time. */
static void mixed_case(enum hs_pes_kind k, size_t ops, double p_push, double p_early,
                       uint64_t seed)
{
    hs_pes *q = make(k);
    refq r = { 0 };
    trng g = { seed };
    uint64_t ord = 0;
    double now = 0.0;
    for (size_t i = 0; i < ops; i++) {
        if (trng_u(&g) < p_push) {
            double t = now + draw_inc(&g, INC_EXP);
            if (trng_u(&g) < p_early)
                t = now - 10.0 * trng_u(&g); /* earlier than the last pop */
            entry e = { t, ord++, i };
            push_ok(q, &e);
            refq_push(&r, &e);
        } else {
            entry want, got;
            int have = refq_pop(&r, &want);
            assert_int_equal(hs_pes_pop(q, &got), have);
            if (have) {
                assert_same_entry(&got, &want);
                now = got.t;
            }
        }
        assert_int_equal(hs_pes_size(q), r.n);
    }
    while (r.n > 0)
        pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);
}

static void test_insert_earlier(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        mixed_case(all_kinds[k], 150000, 0.55, 0.05, 81);
        mixed_case(all_kinds[k], 100000, 0.7, 0.5, 82);
        /* Always earlier: a LIFO-like use that defeats any time window. */
        mixed_case(all_kinds[k], 100000, 0.6, 1.0, 83);
    }
    /* Directly: after popping, push before the last popped time. */
    for (size_t k = 0; k < NKINDS; k++) {
        hs_pes *q = make(all_kinds[k]);
        for (uint64_t i = 0; i < 50000; i++) {
            entry e = { (double)i, i, i };
            push_ok(q, &e);
        }
        entry out;
        for (int i = 0; i < 25000; i++)
            assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_true(out.t == 24999.0);
        entry early = { 3.5, 99, 99 }, early2 = { -1e9, 100, 100 };
        push_ok(q, &early);
        push_ok(q, &early2);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_same_entry(&out, &early2);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_same_entry(&out, &early);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_true(out.t == 25000.0);
        hs_pes_destroy(q);
    }
}

/* ---- tests: large swings in size ---------------------------------------- */

/* Times are a scrambled permutation of 0..n-1, so the expected pop order
 * is known without sorting 10^6 entries. */
static double scrambled(size_t i, size_t n)
{
    return (double)((uint64_t)i * 2654435761u % n); /* odd, not a multiple of 5 */
}

static void test_grow_drain_grow(void **state)
{
    (void)state;
    size_t n = 1000000;
    static const enum hs_pes_kind kinds[] = { HS_PES_LADDER, HS_PES_AUTO };
    for (size_t k = 0; k < 2; k++) {
        hs_pes *q = make(kinds[k]);
        for (int round = 0; round < 2; round++) {
            /* The second round starts over from time 0, far below where
             * the first ended. */
            for (size_t i = 0; i < n; i++) {
                entry e = { scrambled(i, n), i, (uint64_t)round };
                push_ok(q, &e);
            }
            assert_int_equal(hs_pes_size(q), n);
            if (kinds[k] == HS_PES_AUTO)
                assert_int_equal(hs_pes_kind(q), HS_PES_LADDER);
            for (size_t i = 0; i < n; i++) {
                entry got;
                assert_int_equal(hs_pes_pop(q, &got), 1);
                if (got.t != (double)i || scrambled(got.ord, n) != got.t
                    || got.ref != (uint64_t)round)
                    fail_msg("pop %zu gave t=%g ord=%llu", i, got.t,
                             (unsigned long long)got.ord);
            }
            assert_int_equal(hs_pes_size(q), 0);
            if (kinds[k] == HS_PES_AUTO)
                assert_int_equal(hs_pes_kind(q), HS_PES_HEAP);
        }
        hs_pes_destroy(q);
    }
}

/* A set whose size swings from tens to ~10^5 and back, twice. */
static void swing_case(enum hs_pes_kind k, uint64_t seed)
{
    hs_pes *q = make(k);
    refq r = { 0 };
    trng g = { seed };
    uint64_t ord = 0;
    double now = 0.0;
    size_t targets[] = { 20, 70000, 30, 50000, 10 };
    for (size_t s = 0; s < sizeof targets / sizeof targets[0]; s++) {
        while (r.n != targets[s]) {
            int grow = r.n < targets[s];
            /* Mostly move toward the target, with some noise. */
            int push = trng_u(&g) < (grow ? 0.8 : 0.2);
            if (push) {
                uint64_t o = ord++;
                entry e = { now + draw_inc(&g, INC_BIMODAL), o, o };
                push_ok(q, &e);
                refq_push(&r, &e);
            } else {
                entry want, got;
                int have = refq_pop(&r, &want);
                assert_int_equal(hs_pes_pop(q, &got), have);
                if (have) {
                    assert_same_entry(&got, &want);
                    now = got.t;
                }
            }
        }
    }
    while (r.n > 0)
        pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);
}

static void test_size_swings(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++)
        swing_case(all_kinds[k], 101);
}

static void test_auto_migration(void **state)
{
    (void)state;
    /* With the real thresholds: up past HSI_AUTO_UP, down below
     * HSI_AUTO_DOWN, order kept throughout. */
    hs_pes *q = make(HS_PES_AUTO);
    refq r = { 0 };
    trng g = { 111 };
    uint64_t ord = 0;
    assert_int_equal(hs_pes_kind(q), HS_PES_HEAP);
    size_t up = HSI_AUTO_UP, down = HSI_AUTO_DOWN;
    for (size_t i = 0; i <= up; i++) {
        entry e = { draw_inc(&g, INC_EXP) * 100.0, ord++, i };
        push_ok(q, &e);
        refq_push(&r, &e);
        assert_int_equal(hs_pes_kind(q), i + 1 > up ? HS_PES_LADDER : HS_PES_HEAP);
    }
    /* HOLD for a while as a ladder. */
    for (size_t i = 0; i < 50000; i++) {
        entry want, got;
        refq_pop(&r, &want);
        assert_int_equal(hs_pes_pop(q, &got), 1);
        assert_same_entry(&got, &want);
        got.t += draw_inc(&g, INC_EXP);
        got.ord = ord++;
        push_ok(q, &got);
        refq_push(&r, &got);
        assert_int_equal(hs_pes_kind(q), HS_PES_LADDER);
    }
    /* Shrink: stays a ladder until below `down` (hysteresis). */
    while (r.n >= down) {
        assert_int_equal(hs_pes_kind(q), HS_PES_LADDER);
        pop_same(q, &r);
    }
    assert_int_equal(hs_pes_kind(q), HS_PES_HEAP);
    /* Grow to just below `up`: still a heap. */
    while (r.n < up) {
        uint64_t o = ord++;
        entry e = { 1000.0 + draw_inc(&g, INC_EXP), o, o };
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    assert_int_equal(hs_pes_kind(q), HS_PES_HEAP);
    while (r.n > 0)
        pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);

    /* With small thresholds many migrations happen in one run. */
    q = make(HS_PES_AUTO);
    hsi_pes_set_auto_thresholds(q, 64, 8);
    r = (refq){ 0 };
    size_t migrations = 0;
    enum hs_pes_kind last = hs_pes_kind(q);
    int growing = 1;
    for (size_t i = 0; i < 200000; i++) {
        /* The size drifts up to ~200, then down to ~0, and again. */
        if (r.n >= 200)
            growing = 0;
        else if (r.n == 0)
            growing = 1;
        if (trng_u(&g) < (growing ? 0.6 : 0.4)) {
            entry e = { (double)(i / 7) + trng_u(&g), ord++, i };
            push_ok(q, &e);
            refq_push(&r, &e);
        } else {
            pop_same(q, &r);
        }
        if (hs_pes_kind(q) != last) {
            migrations++;
            last = hs_pes_kind(q);
        }
    }
    assert_true(migrations >= 4);
    while (r.n > 0)
        pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);
}

/* ---- tests: peek and filter --------------------------------------------- */

static void test_peek_agrees(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        hs_pes *q = make(all_kinds[k]);
        trng g = { 121 };
        uint64_t ord = 0;
        for (size_t i = 0; i < 100000; i++) {
            entry e = { draw_inc(&g, INC_BIMODAL) * 1000.0, ord++, i };
            push_ok(q, &e);
        }
        double now = 0.0;
        for (size_t i = 0; i < 200000; i++) {
            entry p1, p2, got;
            assert_int_equal(hs_pes_peek(q, &p1), 1);
            assert_int_equal(hs_pes_peek(q, &p2), 1); /* idempotent */
            assert_int_equal(hs_pes_pop(q, &got), 1);
            assert_same_entry(&p1, &got);
            assert_same_entry(&p2, &got);
            assert_true(got.t >= now);
            now = got.t;
            got.t += draw_inc(&g, INC_BIMODAL);
            got.ord = ord++;
            push_ok(q, &got);
        }
        hs_pes_destroy(q);
    }
}

static int keep_not_mult3(void *ctx, const entry *e)
{
    size_t *calls = ctx;
    ++*calls;
    return e->ref % 3 != 0;
}

static int keep_none(void *ctx, const entry *e)
{
    (void)ctx;
    (void)e;
    return 0;
}

/* Filter in the middle of a HOLD run (ladder with rungs, a partly consumed
 * fine level and side entries), then drain: exactly the kept entries must
 * come out, in order. */
static void filter_case(enum hs_pes_kind k, size_t n, enum inc inc, uint64_t seed)
{
    hs_pes *q = make(k);
    refq r = { 0 };
    trng g = { seed };
    uint64_t ord = 0;
    for (size_t i = 0; i < n; i++) {
        entry e = { draw_inc(&g, inc), ord++, trng_next(&g) };
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    for (size_t i = 0; i < n / 2 + 7; i++) {
        entry want, got;
        refq_pop(&r, &want);
        assert_int_equal(hs_pes_pop(q, &got), 1);
        assert_same_entry(&got, &want);
        got.t += draw_inc(&g, inc);
        got.ord = ord++;
        got.ref = trng_next(&g);
        push_ok(q, &got);
        refq_push(&r, &got);
    }
    size_t calls = 0;
    hs_pes_filter(q, keep_not_mult3, &calls);
    assert_int_equal(calls, r.n);
    /* Apply the same filter to the reference. */
    refq kept = { 0 };
    entry e;
    while (refq_pop(&r, &e))
        if (e.ref % 3 != 0)
            refq_push(&kept, &e);
    assert_int_equal(hs_pes_size(q), kept.n);
    /* Keep running after the filter, then drain. */
    for (size_t i = 0; i < n / 4 && kept.n > 0; i++) {
        entry want, got;
        refq_pop(&kept, &want);
        assert_int_equal(hs_pes_pop(q, &got), 1);
        assert_same_entry(&got, &want);
        got.t += draw_inc(&g, inc);
        got.ord = ord++;
        push_ok(q, &got);
        refq_push(&kept, &got);
    }
    while (kept.n > 0)
        pop_same(q, &kept);
    refq_free(&r);
    refq_free(&kept);
    hs_pes_destroy(q);
}

static void test_filter(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        filter_case(all_kinds[k], 1000, INC_EXP, 131);
        filter_case(all_kinds[k], 80000, INC_EXP, 132);
        filter_case(all_kinds[k], 60000, INC_BIMODAL, 133);
        filter_case(all_kinds[k], 50000, INC_PARETO, 134);
        /* Remove everything, then reuse. */
        hs_pes *q = make(all_kinds[k]);
        for (uint64_t i = 0; i < 100000; i++) {
            entry e = { (double)(i * 7919 % 100003), i, i };
            push_ok(q, &e);
        }
        entry out;
        assert_int_equal(hs_pes_pop(q, &out), 1);
        hs_pes_filter(q, keep_none, NULL);
        assert_int_equal(hs_pes_size(q), 0);
        assert_int_equal(hs_pes_pop(q, &out), 0);
        entry e = { -5.0, 1, 2 };
        push_ok(q, &e);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_same_entry(&out, &e);
        hs_pes_destroy(q);
    }
}

/* ---- tests: memory exhaustion ------------------------------------------- */

/* Push until an allocation fails: the failed push returns HS_ENOMEM and
 * leaves the set as it was; pops (which may need memory to reorganise)
 * still return everything in order. */
static void enomem_case(enum hs_pes_kind k, size_t budget, uint64_t seed)
{
    hs_pes *q = make(k);
    refq r = { 0 };
    trng g = { seed };
    uint64_t ord = 0;
    /* Build some structure first with unlimited memory. */
    for (size_t i = 0; i < 100000; i++) {
        entry e = { draw_inc(&g, INC_EXP), ord++, i };
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    for (size_t i = 0; i < 1000; i++)
        pop_same(q, &r);
    hsi_pes_set_alloc_budget(q, budget);
    size_t failures = 0;
    for (size_t i = 0; i < 100000; i++) {
        entry e = { draw_inc(&g, INC_BIMODAL) * (i % 2 ? 1.0 : 50.0), ord++, i };
        size_t before = hs_pes_size(q);
        int rc = hs_pes_push(q, &e);
        if (rc == HS_OK) {
            refq_push(&r, &e);
        } else {
            assert_int_equal(rc, HS_ENOMEM);
            assert_int_equal(hs_pes_size(q), before);
            failures++;
        }
        if (i % 3 == 0)
            pop_same(q, &r);
    }
    if (budget == 0)
        assert_true(failures > 0);
    while (r.n > 0)
        pop_same(q, &r);
    pop_same(q, &r);
    hsi_pes_set_alloc_budget(q, SIZE_MAX);
    refq_free(&r);
    hs_pes_destroy(q);
}

static void test_enomem(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        enomem_case(all_kinds[k], 0, 141);
        enomem_case(all_kinds[k], 2, 142);
    }
}

/* With no memory at all, a ladder must fall back to the scan and still
 * pop in order. */
static void test_ladder_scan_fallback(void **state)
{
    (void)state;
    hs_pes *q = make(HS_PES_LADDER);
    refq r = { 0 };
    trng g = { 151 };
    /* Everything goes to the overflow chain first. */
    for (uint64_t i = 0; i < 150000; i++) {
        entry e = { 5.0, i % 1000, i }; /* equal times: needs a big fine level */
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    hsi_pes_set_alloc_budget(q, 0);
    for (int i = 0; i < 100; i++)
        pop_same(q, &r);
    struct hsi_ladder_stats st;
    assert_int_equal(hsi_pes_ladder_stats(q, &st), 1);
    assert_true(st.scan_pops > 0);
    hsi_pes_set_alloc_budget(q, SIZE_MAX);
    for (int i = 0; i < 1000; i++) {
        entry e = { 5.0 - trng_u(&g), 2000 + (uint64_t)i, (uint64_t)i };
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    while (r.n > 0)
        pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);
}

/* ---- tests: the ladder's adaptive paths really run ---------------------- */

static void test_ladder_adapts(void **state)
{
    (void)state;
    struct hsi_ladder_stats st;

    /* Heavy tail: the top rung's head bucket gets nearly everything and
     * must be split by child rungs. */
    hs_pes *q = make(HS_PES_LADDER);
    trng g = { 161 };
    for (uint64_t i = 0; i < 200000; i++) {
        entry e = { pow(trng_u(&g), -3.0), i, i };
        push_ok(q, &e);
    }
    entry out;
    double last = -INFINITY;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_true(out.t >= last);
        last = out.t;
    }
    hsi_pes_ladder_stats(q, &st);
    assert_true(st.rungs_built >= 2);
    assert_true(st.max_depth >= 2);
    hs_pes_destroy(q);

    /* Bimodal increments: most pushes land in the bucket being served
     * unless buckets shrink, so the fine-load limit must adapt down. */
    q = make(HS_PES_LADDER);
    refq rb = { 0 };
    uint64_t ob = 0;
    for (uint64_t i = 0; i < 20000; i++) {
        entry e = { draw_inc(&g, INC_BIMODAL), ob++, i };
        push_ok(q, &e);
        refq_push(&rb, &e);
    }
    for (int i = 0; i < 100000; i++) {
        entry want;
        refq_pop(&rb, &want);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_same_entry(&out, &want);
        out.t += draw_inc(&g, INC_BIMODAL);
        out.ord = ob++;
        push_ok(q, &out);
        refq_push(&rb, &out);
    }
    hsi_pes_ladder_stats(q, &st);
    assert_true(st.fine_direct < 65536);
    /* Without adaptation about 40% of the pushes would go to the side. */
    assert_true(st.side_pushes < 100000 / 4);
    while (rb.n > 0)
        pop_same(q, &rb);
    refq_free(&rb);
    hs_pes_destroy(q);

    /* Each pop pushes two entries just after it: the set grows inside the
     * bucket being served, so the side heap fills and must be pushed down
     * into finer rungs. */
    q = make(HS_PES_LADDER);
    refq r = { 0 };
    uint64_t ord = 0;
    for (uint64_t i = 0; i < 1000; i++) {
        entry e = { 1000.0 * trng_u(&g), ord++, i };
        push_ok(q, &e);
        refq_push(&r, &e);
    }
    for (int i = 0; i < 100000; i++) {
        entry want;
        refq_pop(&r, &want);
        assert_int_equal(hs_pes_pop(q, &out), 1);
        assert_same_entry(&out, &want);
        for (int j = 0; j < 2; j++) {
            entry e = { out.t + 1e-9 * trng_u(&g), ord++, (uint64_t)i };
            push_ok(q, &e);
            refq_push(&r, &e);
        }
    }
    hsi_pes_ladder_stats(q, &st);
    assert_true(st.push_downs > 0);
    while (r.n > 0)
        pop_same(q, &r);
    refq_free(&r);
    hs_pes_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_bad_kind),
        cmocka_unit_test(test_empty_pop),
        cmocka_unit_test(test_size_and_kind),
        cmocka_unit_test(test_fill_drain_distributions),
        cmocka_unit_test(test_equal_times),
        cmocka_unit_test(test_hold_exponential),
        cmocka_unit_test(test_hold_uniform),
        cmocka_unit_test(test_hold_bimodal),
        cmocka_unit_test(test_hold_pareto),
        cmocka_unit_test(test_hold_far_future),
        cmocka_unit_test(test_hold_equal_times),
        cmocka_unit_test(test_insert_earlier),
        cmocka_unit_test(test_grow_drain_grow),
        cmocka_unit_test(test_size_swings),
        cmocka_unit_test(test_auto_migration),
        cmocka_unit_test(test_peek_agrees),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_enomem),
        cmocka_unit_test(test_ladder_scan_fallback),
        cmocka_unit_test(test_ladder_adapts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
