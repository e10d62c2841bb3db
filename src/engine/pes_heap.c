/* SPDX-License-Identifier: MIT
 *
 * pes_heap.c - an implicit 4-ary min-heap of pending-event entries, ordered
 * by (t, ord, ref).  It is the whole pending-event set while the set is
 * small enough to live in cache, and the ladder uses it as its small side
 * structure; the same code with arity 2 is the plain binary heap kept as
 * the baseline to measure against (HS_PES_BINARY).  Sifting moves a hole instead of swapping, so each level costs
 * one 24-byte copy rather than three.
 *
 * The hot paths (push, pop and the sifts) are static inline functions in
 * pes_impl.h so that pes.c and the ladder inline them.  This file has the
 * rest: growth, heapify, filter, and the entry sort used by the ladder's
 * fine buckets.
 */
#include <string.h>

#include "hailsham/status.h"
#include "pes_impl.h"

#define HEAP_MIN_CAP 16

int hsi_heap_init(struct hsi_heap *h, size_t cap, size_t *budget)
{
    h->a = NULL;
    h->n = 0;
    h->cap = 0;
    h->budget = budget;
    return cap ? hsi_heap_reserve(h, cap) : HS_OK;
}

void hsi_heap_free(struct hsi_heap *h)
{
    free(h->a);
    h->a = NULL;
    h->n = h->cap = 0;
}

int hsi_heap_reserve(struct hsi_heap *h, size_t cap)
{
    if (cap <= h->cap)
        return HS_OK;
    if (cap > SIZE_MAX / sizeof *h->a)
        return HS_ENOMEM;
    struct hs_pes_entry *a = hsi_realloc(h->budget, h->a, cap * sizeof *a);
    if (a == NULL)
        return HS_ENOMEM;
    h->a = a;
    h->cap = cap;
    return HS_OK;
}

/* Grow geometrically so that pushes are amortised O(1).  Out of line:
 * the inline push calls it only when the array is full. */
int hsi_heap_grow(struct hsi_heap *h)
{
    size_t cap = h->cap < HEAP_MIN_CAP ? HEAP_MIN_CAP : h->cap;
    if (cap > SIZE_MAX / 2)
        return HS_ENOMEM;
    return hsi_heap_reserve(h, h->cap < HEAP_MIN_CAP ? cap : cap * 2);
}

void hsi_heap_shrink(struct hsi_heap *h)
{
    /* Only worth it when most of the block is idle; keep some slack so a
     * set that oscillates does not realloc on every swing.  Shrinking
     * cannot meaningfully fail (the old block stays), so no budget. */
    if (h->cap <= 4 * HEAP_MIN_CAP || h->n >= h->cap / 4)
        return;
    size_t cap = h->n * 2 < HEAP_MIN_CAP ? HEAP_MIN_CAP : h->n * 2;
    struct hs_pes_entry *a = realloc(h->a, cap * sizeof *a);
    if (a != NULL) {
        h->a = a;
        h->cap = cap;
    }
}

void hsi_heap_heapify(struct hsi_heap *h, size_t d)
{
    if (h->n < 2)
        return;
    for (size_t i = (h->n - 2) / d + 1; i-- > 0;) {
        struct hs_pes_entry x = h->a[i];
        hsi_sift_down(h->a, h->n, i, &x, d);
    }
}

void hsi_heap_filter(struct hsi_heap *h,
                     int (*keep)(void *ctx, const struct hs_pes_entry *e), void *ctx, size_t d)
{
    size_t w = 0;
    for (size_t r = 0; r < h->n; r++)
        if (keep(ctx, &h->a[r]))
            h->a[w++] = h->a[r];
    h->n = w;
    hsi_heap_heapify(h, d);
}

/* ---- sorting ----------------------------------------------------------- */

#define SORT_SMALL 16

static void insertion_sort(struct hs_pes_entry *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (!hsi_less(&a[i], &a[i - 1]))
            continue;
        struct hs_pes_entry x = a[i];
        size_t j = i;
        do {
            a[j] = a[j - 1];
            j--;
        } while (j > 0 && hsi_less(&x, &a[j - 1]));
        a[j] = x;
    }
}

/* Plain (binary, max-) heapsort: the fallback that bounds quicksort's worst
 * case at O(n log n). */
static void heap_sort(struct hs_pes_entry *a, size_t n)
{
    for (size_t k = n; k-- > 0;) {
        /* Sift a[k] down in the max-heap a[k..n) (k from n/2 would do;
         * starting at n keeps the loop simple and costs O(n)). */
        struct hs_pes_entry x = a[k];
        size_t i = k;
        for (;;) {
            size_t c = 2 * i + 1;
            if (c >= n)
                break;
            if (c + 1 < n && hsi_less(&a[c], &a[c + 1]))
                c++;
            if (!hsi_less(&x, &a[c]))
                break;
            a[i] = a[c];
            i = c;
        }
        a[i] = x;
    }
    for (size_t end = n; end-- > 1;) {
        struct hs_pes_entry x = a[end];
        a[end] = a[0];
        size_t i = 0;
        for (;;) {
            size_t c = 2 * i + 1;
            if (c >= end)
                break;
            if (c + 1 < end && hsi_less(&a[c], &a[c + 1]))
                c++;
            if (!hsi_less(&x, &a[c]))
                break;
            a[i] = a[c];
            i = c;
        }
        a[i] = x;
    }
}

static void swap_entries(struct hs_pes_entry *x, struct hs_pes_entry *y)
{
    struct hs_pes_entry t = *x;
    *x = *y;
    *y = t;
}

/* Median-of-three into a[0], then a Hoare partition; recurse on the
 * smaller side so the stack stays O(log n). */
static void quick_sort(struct hs_pes_entry *a, size_t n, unsigned depth)
{
    while (n > SORT_SMALL) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        size_t mid = n / 2;
        if (hsi_less(&a[mid], &a[0]))
            swap_entries(&a[mid], &a[0]);
        if (hsi_less(&a[n - 1], &a[0]))
            swap_entries(&a[n - 1], &a[0]);
        if (hsi_less(&a[n - 1], &a[mid]))
            swap_entries(&a[n - 1], &a[mid]);
        swap_entries(&a[0], &a[mid]); /* pivot (the median) to a[0] */
        struct hs_pes_entry p = a[0];
        size_t i = 0, j = n;
        for (;;) {
            do
                i++;
            while (i < n && hsi_less(&a[i], &p));
            do
                j--;
            while (hsi_less(&p, &a[j]));
            if (i >= j)
                break;
            swap_entries(&a[i], &a[j]);
        }
        swap_entries(&a[0], &a[j]);
        /* a[0..j) <= p = a[j] <= a[j+1..n) */
        size_t left = j, right = n - j - 1;
        if (left < right) {
            quick_sort(a, left, depth);
            a += j + 1;
            n = right;
        } else {
            quick_sort(a + j + 1, right, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

void hsi_sort_entries(struct hs_pes_entry *a, size_t n)
{
    if (n <= SORT_SMALL) {
        insertion_sort(a, n);
        return;
    }
    unsigned depth = 0;
    for (size_t m = n; m > 1; m >>= 1)
        depth += 2;
    quick_sort(a, n, depth);
}
