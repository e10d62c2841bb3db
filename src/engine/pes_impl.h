/* SPDX-License-Identifier: MIT
 *
 * pes_impl.h - internals of the pending-event set, shared by pes.c (the
 * public hs_pes_* functions), pes_heap.c (the 4-ary heap) and pes_ladder.c
 * (the two-level ladder).  Nothing here is part of the public API; the
 * unit tests include it to reach the test hooks at the bottom.
 *
 * Order: entries compare by (t, ord) as the public header says, and then
 * by `ref`, so that even two entries with the same (t, ord) come out in
 * the same order from every implementation.
 *
 * Allocation: every allocation goes through hsi_malloc/hsi_realloc with a
 * pointer to a budget owned by the hs_pes object.  The budget is SIZE_MAX
 * (unlimited) in normal use; tests lower it to make the n-th allocation
 * fail and check that the set stays consistent.
 */
#ifndef HAILSHAM_PES_IMPL_H
#define HAILSHAM_PES_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hailsham/pes.h"
#include "hailsham/status.h"

/* ---- ordering ---------------------------------------------------------- */

/* a < b in (t, ord, ref) order.  Written so that the common case (distinct
 * times) costs one well-predicted comparison. */
static inline int hsi_less(const struct hs_pes_entry *a, const struct hs_pes_entry *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->ord != b->ord)
        return a->ord < b->ord;
    return a->ref < b->ref;
}

/* Copy one entry field by field.  Callers typically fill an entry's
 * fields with separate 8-byte stores just before pushing it; a struct copy
 * reads it back with a 16-byte load, which x86 cores cannot forward from
 * two smaller stores (a stall of several cycles).  Worth ~3% on the
 * ladder's HOLD at 10^6 (measured with bench/pending). */
static inline void hsi_entry_load(struct hs_pes_entry *dst, const struct hs_pes_entry *src)
{
    double t = src->t;
    uint64_t ord = src->ord, ref = src->ref;
#if defined(__GNUC__)
    /* Keep the compiler from fusing the two 8-byte loads back into one
     * 16-byte load, which would bring the stall back. */
    __asm__("" : "+r"(ord));
#endif
    dst->t = t;
    dst->ord = ord;
    dst->ref = ref;
}

/* ---- allocation with a test budget -------------------------------------- */

static inline int hsi_budget_take(size_t *budget)
{
    if (budget == NULL || *budget == SIZE_MAX)
        return 1;
    if (*budget == 0)
        return 0;
    --*budget;
    return 1;
}

static inline void *hsi_malloc(size_t *budget, size_t size)
{
    return hsi_budget_take(budget) ? malloc(size) : NULL;
}

static inline void *hsi_realloc(size_t *budget, void *p, size_t size)
{
    return hsi_budget_take(budget) ? realloc(p, size) : NULL;
}

/* ---- 4-ary min-heap (pes_heap.c) ----------------------------------------- */

struct hsi_heap {
    struct hs_pes_entry *a; /* a[0] is the minimum; children of i: 4i+1..4i+4 */
    size_t n;               /* entries in use */
    size_t cap;             /* entries allocated */
    size_t *budget;         /* allocation budget (see above), may be NULL */
};

/* Set up an empty heap with room for `cap` entries (0 allocates nothing
 * yet).  Returns HS_OK or HS_ENOMEM. */
int hsi_heap_init(struct hsi_heap *h, size_t cap, size_t *budget);
void hsi_heap_free(struct hsi_heap *h);

/* Make room for at least `cap` entries.  HS_OK or HS_ENOMEM (unchanged). */
int hsi_heap_reserve(struct hsi_heap *h, size_t cap);

/* Grow the array geometrically (pushes stay amortised O(1)). */
int hsi_heap_grow(struct hsi_heap *h);

/* The heap's hot path, inline so that pes.c (and through it, with LTO, the
 * engine's loop) and the ladder's side heap pay no call per operation;
 * measured, ~4 ns per hold at two pending events.
 *
 * The arity `d` is a parameter so that one set of code serves the 4-ary
 * heap (HSI_HEAP_D, the one in use) and the plain binary heap kept as the
 * baseline to measure against (HS_PES_BINARY, d = 2); every caller passes
 * a constant, which the compiler folds into each inlined copy.
 * hsi_heap_push: insert; HS_OK or HS_ENOMEM (heap unchanged).
 * hsi_heap_pop: remove the minimum into *out; the heap must not be empty. */
#define HSI_HEAP_D 4

/* The constant arity must reach every copy: forced inlining keeps the
 * compiler from sharing one out-of-line copy between arities, where d
 * would be a variable divisor (about 3% of the M/M/1 benchmark). */
#if defined(__GNUC__)
#define HSI_HOT static inline __attribute__((always_inline))
#else
#define HSI_HOT static inline
#endif

/* Move the hole at i up until x fits, then drop x in. */
HSI_HOT void hsi_sift_up(struct hs_pes_entry *a, size_t i, const struct hs_pes_entry *x,
                               size_t d)
{
    while (i > 0) {
        size_t p = (i - 1) / d;
        if (!hsi_less(x, &a[p]))
            break;
        a[i] = a[p];
        i = p;
    }
    a[i] = *x;
}

/* Index of the smaller of a[i] and a[j] (i < j; a tie in every key keeps
 * i).  The time comparison is unpredictable, so the choice is made with
 * arithmetic (a conditional move) rather than a branch; only equal times,
 * which are rare, take the full three-key comparison. */
static inline size_t hsi_pick(const struct hs_pes_entry *a, size_t i, size_t j)
{
    double ti = a[i].t, tj = a[j].t;
    if (ti == tj)
        return hsi_less(&a[j], &a[i]) ? j : i;
    size_t take_j = (size_t)0 - (size_t)(tj < ti);
    return (j & take_j) | (i & ~take_j);
}

/* Index of the smallest of the children c..c+k-1 (1 <= k <= 4). */
static inline size_t hsi_min_child(const struct hs_pes_entry *a, size_t c, size_t k)
{
    if (k == 4) {
        /* Two independent comparisons, then one: a shorter dependency
         * chain than a linear scan. */
        return hsi_pick(a, hsi_pick(a, c, c + 1), hsi_pick(a, c + 2, c + 3));
    }
    size_t m = c;
    for (size_t j = c + 1; j < c + k; j++)
        m = hsi_pick(a, m, j);
    return m;
}

/* Move the hole at i down until x fits among n entries, then drop x in
 * (d is 2 or 4).  The binary heap is the textbook one: a branch picks the
 * smaller child (with 10^7 entries that is 2.5 times as fast as the
 * conditional moves, which make each level wait for the loads). */
HSI_HOT void hsi_sift_down(struct hs_pes_entry *a, size_t n, size_t i,
                                 const struct hs_pes_entry *x, size_t d)
{
    for (;;) {
        size_t c = d * i + 1;
        if (c >= n)
            break;
        size_t m = c;
        if (d != 2)
            m = hsi_min_child(a, c, n - c < d ? n - c : d);
        else if (c + 1 < n && hsi_less(&a[c + 1], &a[c]))
            m = c + 1;
        if (!hsi_less(&a[m], x))
            break;
        a[i] = a[m];
        i = m;
    }
    a[i] = *x;
}

HSI_HOT int hsi_heap_push_d(struct hsi_heap *h, const struct hs_pes_entry *e, size_t d)
{
    if (h->n == h->cap && hsi_heap_grow(h) != HS_OK)
        return HS_ENOMEM;
    struct hs_pes_entry x;
    hsi_entry_load(&x, e);
    hsi_sift_up(h->a, h->n++, &x, d);
    return HS_OK;
}

HSI_HOT void hsi_heap_pop_d(struct hsi_heap *h, struct hs_pes_entry *out, size_t d)
{
    struct hs_pes_entry *a = h->a;
    *out = a[0];
    size_t n = --h->n;
    if (n == 0)
        return;
    /* Copy the last entry out first: sift_down may overwrite its slot. */
    struct hs_pes_entry x = a[n];
    hsi_sift_down(a, n, 0, &x, d);
}

static inline int hsi_heap_push(struct hsi_heap *h, const struct hs_pes_entry *e)
{
    return hsi_heap_push_d(h, e, HSI_HEAP_D);
}

static inline void hsi_heap_pop(struct hsi_heap *h, struct hs_pes_entry *out)
{
    hsi_heap_pop_d(h, out, HSI_HEAP_D);
}

/* Keep only the entries for which keep() is non-zero, then restore the
 * order of a d-ary heap in O(n). */
void hsi_heap_filter(struct hsi_heap *h,
                     int (*keep)(void *ctx, const struct hs_pes_entry *e), void *ctx, size_t d);

/* Restore d-ary heap order over a[0..n) in O(n) (Floyd's method). */
void hsi_heap_heapify(struct hsi_heap *h, size_t d);

/* Release unused capacity when the heap holds far fewer entries than it
 * could; never fails (keeps the old block if realloc does). */
void hsi_heap_shrink(struct hsi_heap *h);

/* Sort an array of entries in (t, ord, ref) order: insertion sort for short
 * runs, quicksort with a heapsort fallback for long ones. */
void hsi_sort_entries(struct hs_pes_entry *a, size_t n);

/* ---- ladder (pes_ladder.c) --------------------------------------------- */

struct hsi_ladder;

/* Counters that show which adaptive paths a ladder has taken (for tests
 * and tuning). */
struct hsi_ladder_stats {
    size_t rungs_built;   /* rungs spawned, top or child */
    size_t fine_loads;    /* buckets counting-sorted into the fine level */
    size_t push_downs;    /* side structure spilled into a finer rung */
    size_t scan_pops;     /* pops served by the memory-free fallback scan */
    size_t side_pushes;   /* pushes that went to the side heap */
    size_t fine_direct;   /* largest bucket now loaded into the fine level
                             directly (adapts to side-heap traffic) */
    size_t max_depth;     /* deepest rung stack seen */
    size_t depth;         /* rungs now */
    size_t blocks;        /* blocks allocated (in use or free) */
    size_t free_blocks;   /* blocks on the free list */
};

struct hsi_ladder *hsi_ladder_create(size_t expected, size_t *budget);
void hsi_ladder_destroy(struct hsi_ladder *l);
int hsi_ladder_push(struct hsi_ladder *l, const struct hs_pes_entry *e);
int hsi_ladder_pop(struct hsi_ladder *l, struct hs_pes_entry *out);
int hsi_ladder_peek(struct hsi_ladder *l, struct hs_pes_entry *out);
size_t hsi_ladder_size(const struct hsi_ladder *l);
size_t hsi_ladder_memory(const struct hsi_ladder *l);
void hsi_ladder_filter(struct hsi_ladder *l,
                       int (*keep)(void *ctx, const struct hs_pes_entry *e), void *ctx);
void hsi_ladder_get_stats(const struct hsi_ladder *l, struct hsi_ladder_stats *s);

/* ---- test hooks (pes.c) ------------------------------------------------- */

/* Let the next `n` allocations succeed and fail every one after that;
 * SIZE_MAX restores normal behaviour. */
void hsi_pes_set_alloc_budget(hs_pes *q, size_t n);

/* The AUTO thresholds: migrate to a ladder when the size exceeds `up`,
 * back to a heap when it falls below `down`.  Tests use small values to
 * exercise migration quickly. */
void hsi_pes_set_auto_thresholds(hs_pes *q, size_t up, size_t down);

/* The pending-event set of an engine (engine.c), so that a test can set
 * its allocation budget. */
struct hs_engine;
hs_pes *hsi_engine_pes(struct hs_engine *eng);

/* Ladder counters; returns 0 (and zeroes *s) when no ladder is in use. */
int hsi_pes_ladder_stats(const hs_pes *q, struct hsi_ladder_stats *s);

/* Default AUTO thresholds.  On HOLD with exponential, uniform, bimodal,
 * Pareto and half-zero increments the ladder was at least 10% faster than
 * the heap from 1024 entries up, and already ahead for most from 256-512
 * (measured with bench/pending).  Going back at 1/8 of that is hysteresis. */
#define HSI_AUTO_UP   ((size_t)1 << 10)
#define HSI_AUTO_DOWN ((size_t)1 << 7)

#endif
