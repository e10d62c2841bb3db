/* SPDX-License-Identifier: MIT
 *
 * pes.c - the public pending-event set: hs_pes_* dispatch to the 4-ary
 * heap (pes_heap.c), the ladder (pes_ladder.c), or the plain binary heap
 * (pes_impl.h) kept as the baseline for measurements.
 *
 * HS_PES_AUTO starts as a heap, which is fastest while the set fits in
 * cache, and moves every entry into a ladder once the size exceeds
 * HSI_AUTO_UP; it moves back to a heap when the size falls below
 * HSI_AUTO_DOWN.  The gap between the two thresholds (hysteresis) keeps a
 * set that hovers around one threshold from migrating back and forth, so
 * each O(n) migration is paid for by at least O(n) operations.
 *
 * Migration is an optimisation: if the memory for the other structure
 * cannot be had, the set stays as it is and remains correct.
 */
#include <string.h>

#include "hailsham/status.h"
#include "pes_impl.h"

/* Never preallocate more than this for a heap from the `expected` hint:
 * an over-large hint must not make creation fail. */
#define HEAP_HINT_MAX ((size_t)1 << 22)

struct hs_pes {
    enum hs_pes_kind want; /* what the caller asked for */
    enum hs_pes_kind cur;  /* HS_PES_HEAP, HS_PES_LADDER or HS_PES_BINARY, in use now */
    size_t up, down;       /* AUTO thresholds; SIZE_MAX / 0 when fixed */
    size_t budget;         /* allocation budget for tests (SIZE_MAX: none) */
    struct hsi_heap heap;
    struct hsi_ladder *lad;
};

hs_pes *hs_pes_create(enum hs_pes_kind kind, size_t expected)
{
    if (kind != HS_PES_AUTO && kind != HS_PES_HEAP && kind != HS_PES_LADDER &&
        kind != HS_PES_BINARY)
        return NULL;
    hs_pes *q = malloc(sizeof *q);
    if (q == NULL)
        return NULL;
    memset(q, 0, sizeof *q);
    q->want = kind;
    q->budget = SIZE_MAX;
    q->up = kind == HS_PES_AUTO ? HSI_AUTO_UP : SIZE_MAX;
    q->down = kind == HS_PES_AUTO ? HSI_AUTO_DOWN : 0;
    hsi_heap_init(&q->heap, 0, &q->budget);
    if (kind == HS_PES_LADDER) {
        q->cur = HS_PES_LADDER;
        q->lad = hsi_ladder_create(expected, &q->budget);
        if (q->lad == NULL) {
            free(q);
            return NULL;
        }
        return q;
    }
    q->cur = kind == HS_PES_BINARY ? HS_PES_BINARY : HS_PES_HEAP;
    size_t cap = expected < HEAP_HINT_MAX ? expected : HEAP_HINT_MAX;
    if (kind == HS_PES_AUTO && cap > q->up)
        cap = q->up + 1;
    /* A failed reservation is not an error: the heap grows on demand. */
    (void)hsi_heap_reserve(&q->heap, cap);
    return q;
}

void hs_pes_destroy(hs_pes *q)
{
    if (q == NULL)
        return;
    hsi_heap_free(&q->heap);
    hsi_ladder_destroy(q->lad);
    free(q);
}

/* Heap -> ladder.  Every entry goes to the ladder's overflow chain (an
 * empty ladder routes everything there), which is a sequential copy; the
 * ladder organises itself at the next pop. */
static void migrate_to_ladder(hs_pes *q)
{
    struct hsi_ladder *l = hsi_ladder_create(q->heap.n, &q->budget);
    if (l != NULL) {
        size_t i = 0;
        while (i < q->heap.n && hsi_ladder_push(l, &q->heap.a[i]) == HS_OK)
            i++;
        if (i == q->heap.n) {
            hsi_heap_free(&q->heap);
            q->lad = l;
            q->cur = HS_PES_LADDER;
            return;
        }
        hsi_ladder_destroy(l);
    }
    /* Out of memory: stay a heap and try again only after doubling. */
    q->up = q->up <= SIZE_MAX / 2 ? q->up * 2 : SIZE_MAX;
}

/* Ladder -> heap.  Popping the ladder yields ascending order, and an
 * ascending array is already a valid min-heap, so no sifting is needed. */
static void migrate_to_heap(hs_pes *q)
{
    size_t n = hsi_ladder_size(q->lad);
    size_t cap = n * 2 < 64 ? 64 : n * 2;
    if (hsi_heap_reserve(&q->heap, cap) != HS_OK) {
        q->down /= 2; /* out of memory: stay a ladder for now */
        return;
    }
    struct hs_pes_entry *a = q->heap.a;
    size_t i = 0;
    while (hsi_ladder_pop(q->lad, &a[i]))
        i++;
    q->heap.n = i;
    hsi_ladder_destroy(q->lad);
    q->lad = NULL;
    q->cur = HS_PES_HEAP;
}

int hs_pes_push(hs_pes *q, const struct hs_pes_entry *e)
{
    if (q->cur == HS_PES_HEAP) {
        int rc = hsi_heap_push(&q->heap, e);
        if (q->heap.n > q->up && rc == HS_OK)
            migrate_to_ladder(q);
        return rc;
    }
    if (q->cur == HS_PES_BINARY)
        return hsi_heap_push_d(&q->heap, e, 2);
    return hsi_ladder_push(q->lad, e);
}

/* Pop from the d-ary heap in use. */
static inline int heap_pop(hs_pes *q, struct hs_pes_entry *out, size_t d)
{
    if (q->heap.n == 0)
        return 0;
    hsi_heap_pop_d(&q->heap, out, d);
    /* Give memory back after a large set has mostly drained. */
    if (q->heap.cap > 4096 && q->heap.n < q->heap.cap / 8)
        hsi_heap_shrink(&q->heap);
    return 1;
}

int hs_pes_pop(hs_pes *q, struct hs_pes_entry *out)
{
    if (q->cur == HS_PES_HEAP)
        return heap_pop(q, out, HSI_HEAP_D);
    if (q->cur == HS_PES_BINARY)
        return heap_pop(q, out, 2);
    if (!hsi_ladder_pop(q->lad, out))
        return 0;
    /* `down` is 0 unless AUTO, so a fixed ladder never pays for the size
     * query (a call into another file). */
    if (q->down != 0 && hsi_ladder_size(q->lad) < q->down)
        migrate_to_heap(q);
    return 1;
}

int hs_pes_peek(hs_pes *q, struct hs_pes_entry *out)
{
    if (q->cur != HS_PES_LADDER) {
        if (q->heap.n == 0)
            return 0;
        *out = q->heap.a[0];
        return 1;
    }
    return hsi_ladder_peek(q->lad, out);
}

size_t hs_pes_size(const hs_pes *q)
{
    return q->cur != HS_PES_LADDER ? q->heap.n : hsi_ladder_size(q->lad);
}

enum hs_pes_kind hs_pes_kind(const hs_pes *q)
{
    return q->cur;
}

size_t hs_pes_memory(const hs_pes *q)
{
    size_t m = sizeof *q + q->heap.cap * sizeof *q->heap.a;
    if (q->lad != NULL)
        m += hsi_ladder_memory(q->lad);
    return m;
}

void hs_pes_filter(hs_pes *q, int (*keep)(void *ctx, const struct hs_pes_entry *e),
                   void *ctx)
{
    if (q->cur != HS_PES_LADDER) {
        hsi_heap_filter(&q->heap, keep, ctx, q->cur == HS_PES_BINARY ? 2 : HSI_HEAP_D);
        return;
    }
    hsi_ladder_filter(q->lad, keep, ctx);
    if (hsi_ladder_size(q->lad) < q->down)
        migrate_to_heap(q);
}

/* ---- test hooks --------------------------------------------------------- */

void hsi_pes_set_alloc_budget(hs_pes *q, size_t n)
{
    q->budget = n;
}

void hsi_pes_set_auto_thresholds(hs_pes *q, size_t up, size_t down)
{
    if (q->want != HS_PES_AUTO)
        return;
    q->up = up;
    q->down = down;
}

int hsi_pes_ladder_stats(const hs_pes *q, struct hsi_ladder_stats *s)
{
    if (q->lad == NULL) {
        memset(s, 0, sizeof *s);
        return 0;
    }
    hsi_ladder_get_stats(q->lad, s);
    return 1;
}
