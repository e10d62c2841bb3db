/* SPDX-License-Identifier: MIT
 *
 * pes_ladder.c - a ladder / radix queue for large pending-event sets.
 *
 * A binary or 4-ary heap of 10^7 entries is bound by DRAM latency: every
 * level of a sift is a dependent cache miss.  This structure instead writes
 * each entry a few times, sequentially, and keeps the part it works on in
 * cache, the design a feasibility study of the project measured at about
 * 15x a heap's speed at 10^7 entries.
 *
 * Levels, from the far future to the next pop:
 *
 *   overflow  one append-only chain for entries later than `top_lim`;
 *             taken whole to build a new top rung when the rungs run dry.
 *   rungs     a stack of up to LAD_MAX_RUNGS rungs.  A rung is an array of
 *             buckets over [min, max] of the entries it was built from;
 *             each bucket is an append-only chain of blocks from a free
 *             list.  Rung k+1 holds the current bucket of rung k, split
 *             finer because it had too many entries.
 *   fine      the current bucket of the deepest rung, counting-sorted into
 *             about n/4 fine buckets in one compact, cache-resident array;
 *             each fine bucket is sorted only when it is reached.
 *   side      a 4-ary heap for entries pushed into the range the fine level
 *             already covers (or earlier); merged at pop.
 *
 * Widths adapt: a rung's bucket width comes from the span and count of the
 * entries it is built from; a bucket that is too big for the fine level
 * gets its own child rung; the size limit for "too big" shrinks when many
 * pushes land in the bucket being served (they cost a side-heap operation
 * each) and grows back when few do; and a side heap that grows large is
 * spilled into a new, finer rung.  Nothing assumes a known event density.
 *
 * Exact order is kept because bucket indices come from a monotone function
 * of t, and every routing decision is a strict inequality on that index,
 * so equal times (ordered by ord) never straddle two places.
 *
 * Memory is taken only when the free list is empty; pop reserves blocks
 * before it moves entries, and if any allocation fails it serves the
 * affected chain by a linear scan, which needs no memory at all.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "hailsham/status.h"
#include "pes_impl.h"

/* ---- tunables (chosen with bench/pending; BENCHMARKS.md) -------------- */

/* Each may be overridden with -D for tuning experiments. */
#ifndef LAD_BLOCK_CAP
#define LAD_BLOCK_CAP 170          /* entries per block: 8 + 170*24 = 4088 B */
#endif
#ifndef LAD_NB_MAX
#define LAD_NB_MAX 4096            /* buckets per rung, at most */
#endif
#ifndef LAD_MAX_RUNGS
#define LAD_MAX_RUNGS 8            /* deepest rung stack */
#endif
#ifndef LAD_RUNG_AVG
#define LAD_RUNG_AVG 64            /* entries per bucket aimed at when building */
#endif
#ifndef LAD_FINE_CAP
#define LAD_FINE_CAP 65536         /* largest bucket counting-sorted directly */
#endif
#ifndef LAD_FINE_AVG
#define LAD_FINE_AVG 4             /* entries per fine bucket */
#endif
#define LAD_FINE_NB (LAD_FINE_CAP / LAD_FINE_AVG)
#ifndef LAD_TOP_DIRECT
#define LAD_TOP_DIRECT 64          /* overflow this small goes straight to fine */
#endif
#ifndef LAD_SIDE_MAX
#define LAD_SIDE_MAX 2048          /* side heap size that may trigger a push-down */
#endif
#ifndef LAD_SIDE_TARGET
#define LAD_SIDE_TARGET 0.02       /* aimed-at share of pushes that go to the side */
#endif
#ifndef LAD_DIRECT_MIN
#define LAD_DIRECT_MIN 256         /* smallest adaptive fine-load limit */
#endif
#define LAD_ADAPT_EVERY 4096       /* entries fine-loaded between adaptations */

/* ---- blocks and chains -------------------------------------------------- */

struct lad_block {
    struct lad_block *next;
    struct hs_pes_entry e[LAD_BLOCK_CAP];
};

/* An append-only list of blocks.  Every block but the tail is full; the
 * tail holds at least one entry; an empty chain owns no block.  `wp` and
 * `wend` are the tail's write cursor and end, so the common append touches
 * only this header and the slot it writes. */
struct lad_chain {
    struct hs_pes_entry *wp;
    struct hs_pes_entry *wend;
    struct lad_block *head;
    size_t n;
};

struct lad_rung {
    double base;     /* bucket index of t is (t - base) * inv ... */
    double inv;
    double next_d;   /* ... and it belongs to this rung iff that is >= next_d */
    size_t nb;       /* buckets in use */
    size_t cur;      /* the bucket now held by the deeper levels */
    struct lad_chain *b;
};

struct hsi_ladder {
    size_t size;
    size_t *budget;

    /* fine level: fine[fp..fn) pending; fine[fp..fend) is the current,
     * sorted fine bucket; fcnt[i] is the end of fine bucket i. */
    struct hs_pes_entry *fine;
    size_t fine_cap, fn, fp, fend, fi, fnb;
    uint32_t *fcnt;

    struct hsi_heap side;

    /* Adaptive limit on what the fine level takes directly (bigger content
     * gets a child rung), from the share of pushes that land in the side
     * heap: that share is about the served bucket's width over the typical
     * increment, and side pushes cost a heap operation each. */
    size_t direct;
    size_t side_in, loaded, loads; /* since the last adaptation */

    /* Degraded mode: a chain whose pops are served by linear scan because
     * the memory to organise it could not be had. */
    struct lad_chain scan;

    struct lad_rung rung[LAD_MAX_RUNGS];
    size_t depth;
    struct lad_chain *bucket_mem; /* LAD_MAX_RUNGS * LAD_NB_MAX chains */

    struct lad_chain ovf;
    double ovf_min, ovf_max;
    double top_lim; /* entries with t > top_lim go to the overflow */

    struct lad_block *free_list;
    size_t nfree, nblocks;

    struct hsi_ladder_stats st;
};

/* The tail block of a non-empty chain, found from its end pointer. */
static inline struct lad_block *chain_tail(const struct lad_chain *c)
{
    return (struct lad_block *)(void *)((char *)c->wend - offsetof(struct lad_block, e)
                                        - sizeof(struct hs_pes_entry) * LAD_BLOCK_CAP);
}

static inline void chain_reset(struct lad_chain *c)
{
    c->wp = c->wend = NULL;
    c->head = NULL;
    c->n = 0;
}

/* Entries in block b of chain c. */
static inline size_t block_fill(const struct lad_chain *c, const struct lad_block *b)
{
    return b->next ? LAD_BLOCK_CAP : (size_t)(c->wp - b->e);
}

/* Start fetching the block after b while b is being read: blocks are
 * separate pages, so the hardware prefetcher does not cross into it. */
static inline void block_prefetch_next(const struct lad_block *b)
{
#if defined(__GNUC__)
    if (b->next != NULL) {
        __builtin_prefetch(b->next);
        __builtin_prefetch((const char *)b->next + 64);
    }
#else
    (void)b;
#endif
}

static struct lad_block *block_get(struct hsi_ladder *l)
{
    struct lad_block *b = l->free_list;
    if (b != NULL) {
        l->free_list = b->next;
        l->nfree--;
    } else {
        b = hsi_malloc(l->budget, sizeof *b);
        if (b == NULL)
            return NULL;
        l->nblocks++;
    }
    b->next = NULL;
    return b;
}

static inline void block_put(struct hsi_ladder *l, struct lad_block *b)
{
    b->next = l->free_list;
    l->free_list = b;
    l->nfree++;
}

/* Make sure `k` blocks can be taken without allocating, so that a
 * reorganisation inside pop cannot fail half-way. */
static bool blocks_reserve(struct hsi_ladder *l, size_t k)
{
    while (l->nfree < k) {
        struct lad_block *b = hsi_malloc(l->budget, sizeof *b);
        if (b == NULL)
            return false;
        l->nblocks++;
        block_put(l, b);
    }
    return true;
}

/* Give back to malloc the free blocks beyond `keep`, so a set that shrank
 * does not hold on to its peak. */
static void blocks_trim_to(struct hsi_ladder *l, size_t keep)
{
    while (l->nfree > keep) {
        struct lad_block *b = l->free_list;
        l->free_list = b->next;
        l->nfree--;
        l->nblocks--;
        free(b);
    }
}

/* In steady state keep what the next rung build reserves (one block per
 * bucket) plus some slack, so blocks cycle through the free list instead
 * of through malloc. */
static void blocks_trim(struct hsi_ladder *l)
{
    blocks_trim_to(l, LAD_NB_MAX + 64 + (l->nblocks - l->nfree) / 16);
}

static int chain_grow(struct hsi_ladder *l, struct lad_chain *c)
{
    struct lad_block *b = block_get(l);
    if (b == NULL)
        return HS_ENOMEM;
    if (c->head == NULL)
        c->head = b;
    else
        chain_tail(c)->next = b;
    c->wp = b->e;
    c->wend = b->e + LAD_BLOCK_CAP;
    return HS_OK;
}

static inline int chain_push(struct hsi_ladder *l, struct lad_chain *c,
                             const struct hs_pes_entry *e)
{
    if (c->wp == c->wend && chain_grow(l, c) != HS_OK)
        return HS_ENOMEM;
    hsi_entry_load(c->wp++, e);
    c->n++;
    return HS_OK;
}

/* Append to a chain whose growth has been reserved (cannot fail). */
static inline void chain_push_reserved(struct hsi_ladder *l, struct lad_chain *c,
                                       const struct hs_pes_entry *e)
{
    int rc = chain_push(l, c, e);
    (void)rc; /* blocks_reserve() guaranteed a free block */
}

static void chain_release(struct hsi_ladder *l, struct lad_chain *c)
{
    struct lad_block *b = c->head;
    while (b != NULL) {
        struct lad_block *next = b->next;
        block_put(l, b);
        b = next;
    }
    chain_reset(c);
}

static void chain_minmax(const struct lad_chain *c, double *mn, double *mx)
{
    double lo = INFINITY, hi = -INFINITY;
    for (const struct lad_block *b = c->head; b != NULL; b = b->next) {
        block_prefetch_next(b);
        size_t m = block_fill(c, b);
        for (size_t i = 0; i < m; i++) {
            double t = b->e[i].t;
            lo = t < lo ? t : lo;
            hi = t > hi ? t : hi;
        }
    }
    *mn = lo;
    *mx = hi;
}

/* Keep the entries keep() accepts, compacting in place; blocks left empty
 * at the end go back to the free list. */
static void chain_filter(struct hsi_ladder *l, struct lad_chain *c,
                         int (*keep)(void *ctx, const struct hs_pes_entry *e), void *ctx)
{
    if (c->n == 0)
        return;
    struct lad_block *wb = c->head;
    size_t wi = 0, kept = 0;
    for (struct lad_block *rb = c->head; rb != NULL; rb = rb->next) {
        size_t m = block_fill(c, rb);
        for (size_t i = 0; i < m; i++) {
            if (!keep(ctx, &rb->e[i]))
                continue;
            if (wi == LAD_BLOCK_CAP) {
                wb = wb->next;
                wi = 0;
            }
            wb->e[wi++] = rb->e[i];
            kept++;
        }
    }
    if (kept == 0) {
        chain_release(l, c);
        return;
    }
    struct lad_block *rest = wb->next;
    wb->next = NULL;
    while (rest != NULL) {
        struct lad_block *next = rest->next;
        block_put(l, rest);
        rest = next;
    }
    c->wp = wb->e + wi;
    c->wend = wb->e + LAD_BLOCK_CAP;
    c->n = kept;
}

/* ---- fine level -------------------------------------------------------- */

/* Move to the next non-empty fine bucket and sort it.  Called when the
 * current one is used up. */
static void fine_next(struct hsi_ladder *l)
{
    while (l->fp == l->fend && l->fp < l->fn)
        l->fend = l->fcnt[++l->fi];
    if (l->fp < l->fn)
        hsi_sort_entries(l->fine + l->fp, l->fend - l->fp);
}

/* Fine bucket of time t.  [mn, mx] may be the nominal range of the rung
 * bucket rather than the exact one, so clamp at both ends; the result is
 * still monotone in t, which is all that ordering needs. */
static inline size_t fine_index(double t, double mn, double inv, size_t nb)
{
    double d = (t - mn) * inv;
    if (!(d > 0.0))
        return 0;
    return d < (double)nb ? (size_t)d : nb - 1;
}


/* Retune `direct` from what the side heap received while the last few
 * buckets were served.  Too many side pushes: make the served buckets
 * smaller in proportion.  Very few: let them grow back (doubling), since
 * a direct fine load is cheaper than a child rung. */
static void fine_adapt(struct hsi_ladder *l)
{
    double share = (double)l->side_in / (double)l->loaded;
    double avg = (double)l->loaded / (double)l->loads;
    if (share > 2.0 * LAD_SIDE_TARGET) {
        double want = avg * LAD_SIDE_TARGET / share;
        size_t d = want < (double)LAD_DIRECT_MIN ? LAD_DIRECT_MIN : (size_t)want;
        l->direct = d < l->direct ? d : l->direct;
    } else if (share < 0.5 * LAD_SIDE_TARGET && l->direct < LAD_FINE_CAP) {
        l->direct = 2 * l->direct < LAD_FINE_CAP ? 2 * l->direct : LAD_FINE_CAP;
    }
    l->side_in = l->loaded = l->loads = 0;
}

/* Counting-sort chain c (all of whose times lie in [mn, mx]) into the fine
 * array, releasing its blocks.  False if the array could not be grown. */
static bool fine_load(struct hsi_ladder *l, struct lad_chain *c, double mn, double mx)
{
    size_t n = c->n;
    if (n > l->fine_cap) {
        if (n > UINT32_MAX || n > SIZE_MAX / sizeof *l->fine)
            return false;
        struct hs_pes_entry *f = hsi_realloc(l->budget, l->fine, n * sizeof *f);
        if (f == NULL)
            return false;
        l->fine = f;
        l->fine_cap = n;
    }
    size_t nb = n / LAD_FINE_AVG;
    nb = nb < 1 ? 1 : nb > LAD_FINE_NB ? LAD_FINE_NB : nb;
    double inv = (double)nb / (mx - mn);
    if (!(mx > mn) || !isfinite(inv) || !isfinite(mx - mn))
        nb = 1, inv = 0.0;
    uint32_t *cnt = l->fcnt;
    memset(cnt, 0, (nb + 1) * sizeof *cnt);
    for (const struct lad_block *b = c->head; b != NULL; b = b->next) {
        block_prefetch_next(b);
        size_t m = block_fill(c, b);
        for (size_t i = 0; i < m; i++)
            cnt[fine_index(b->e[i].t, mn, inv, nb) + 1]++;
    }
    for (size_t i = 1; i < nb; i++)
        cnt[i] += cnt[i - 1];
    /* cnt[i] is now the start of fine bucket i; scattering advances it to
     * the bucket's end, which is what fine_next() wants. */
    struct lad_block *b = c->head;
    while (b != NULL) {
        block_prefetch_next(b);
        size_t m = block_fill(c, b);
        for (size_t i = 0; i < m; i++)
            l->fine[cnt[fine_index(b->e[i].t, mn, inv, nb)]++] = b->e[i];
        struct lad_block *next = b->next;
        block_put(l, b);
        b = next;
    }
    chain_reset(c);
    l->fnb = nb;
    l->fn = n;
    l->fp = 0;
    l->fi = 0;
    l->fend = cnt[0];
    if (l->fend == 0)
        fine_next(l);
    else
        hsi_sort_entries(l->fine, l->fend);
    l->st.fine_loads++;
    l->loaded += n;
    l->loads++;
    if (l->loaded >= LAD_ADAPT_EVERY)
        fine_adapt(l);
    return true;
}

/* ---- rungs -------------------------------------------------------------- */

static inline size_t rung_index(const struct lad_rung *r, double d)
{
    return d < (double)r->nb ? (size_t)d : r->nb - 1;
}

/* Build rung `level` (== depth) from chain c, whose times lie in [mn, mx],
 * moving every entry into its bucket.  False (nothing changed) when the
 * span cannot be divided or blocks cannot be reserved. */
static bool rung_spawn(struct hsi_ladder *l, struct lad_chain *c, size_t level,
                       double mn, double mx)
{
    if (level >= LAD_MAX_RUNGS || !(mx > mn) || !isfinite(mx - mn))
        return false;
    /* Aim at small buckets (LAD_RUNG_AVG entries), since widths come from
     * the average density over [mn, mx] and the head is often denser; but
     * a child rung of a bucket just over the fine limit need not be split
     * that finely, which would only waste partly filled blocks. */
    size_t per = level == 0 || l->direct / 64 < LAD_RUNG_AVG ? LAD_RUNG_AVG : l->direct / 64;
    size_t nb = c->n / per;
    nb = nb < 2 ? 2 : nb > LAD_NB_MAX ? LAD_NB_MAX : nb;
    double inv = (double)nb / (mx - mn);
    if (!isfinite(inv) || !(inv > 0.0))
        return false;
    /* The destination needs at most one partly filled block per bucket
     * more than the source frees as it is read. */
    if (!blocks_reserve(l, nb + 1))
        return false;
    struct lad_rung *r = &l->rung[level];
    r->base = mn;
    r->inv = inv;
    r->nb = nb;
    r->cur = 0;
    r->next_d = INFINITY; /* set when a bucket is selected */
    r->b = l->bucket_mem + level * LAD_NB_MAX;
    /* Headers are set up here rather than at creation, so a small ladder
     * never touches most of them. */
    for (size_t j = 0; j < nb; j++)
        chain_reset(&r->b[j]);
    struct lad_block *b = c->head;
    while (b != NULL) {
        block_prefetch_next(b);
        size_t m = block_fill(c, b);
        for (size_t i = 0; i < m; i++) {
            double d = (b->e[i].t - mn) * inv;
            chain_push_reserved(l, &r->b[rung_index(r, d)], &b->e[i]);
        }
        struct lad_block *next = b->next;
        block_put(l, b);
        b = next;
    }
    chain_reset(c);
    l->depth = level + 1;
    if (l->depth > l->st.max_depth)
        l->st.max_depth = l->depth;
    l->st.rungs_built++;
    return true;
}

/* Organise chain c, the content of the current bucket one above `level`
 * (or of everything up to top_lim when level is 0): a new rung if it is
 * large (or `split` asks for one), else the fine level, else - when memory
 * is short - the linear-scan fallback. */
static void content_place(struct hsi_ladder *l, struct lad_chain *c, size_t level,
                          bool split, const double *bounds, bool exact)
{
    /* `bounds` is [min, max] of c when `exact`, or a range that roughly
     * covers it (the rung bucket's nominal range) otherwise.  The fine
     * level copes with rough bounds, which saves a pass over the chain;
     * a new rung is worth an exact pass, its base must not exceed the
     * smallest time. */
    size_t direct = level == 0 ? LAD_TOP_DIRECT : l->direct;
    bool want_rung = split || c->n > direct;
    double mn, mx;
    if (bounds == NULL || (want_rung && !exact)) {
        chain_minmax(c, &mn, &mx);
    } else {
        mn = bounds[0];
        mx = bounds[1];
    }
    if (want_rung && rung_spawn(l, c, level, mn, mx))
        return;
    if (fine_load(l, c, mn, mx))
        return;
    l->scan = *c;
    chain_reset(c);
}

/* The current bucket of the deepest rung is used up (fine, side and scan
 * are empty): find the next entries to serve.  Returns false when the
 * whole ladder is empty. */
static bool ladder_advance(struct hsi_ladder *l)
{
    for (;;) {
        if (l->depth == 0) {
            if (l->ovf.n == 0)
                return false;
            /* New epoch: the overflow becomes the content below top_lim. */
            struct lad_chain c = l->ovf;
            double bounds[2] = { l->ovf_min, l->ovf_max };
            chain_reset(&l->ovf);
            l->top_lim = l->ovf_max;
            l->ovf_min = INFINITY;
            l->ovf_max = -INFINITY;
            content_place(l, &c, 0, false, bounds, true);
        } else {
            struct lad_rung *r = &l->rung[l->depth - 1];
            size_t j = r->next_d == INFINITY ? r->cur : r->cur + 1;
            while (j < r->nb && r->b[j].n == 0)
                j++;
            if (j >= r->nb) {
                l->depth--;
                continue;
            }
            struct lad_chain c = r->b[j];
            chain_reset(&r->b[j]);
            r->cur = j;
            if (j == r->nb - 1) {
                /* The last bucket: the rung has nothing left to route, so
                 * let the bucket's content take the rung's place instead of
                 * nesting one level deeper.  It may hold clamped entries
                 * beyond its nominal range, hence no bounds. */
                l->depth--;
                content_place(l, &c, l->depth, false, NULL, false);
            } else {
                r->next_d = (double)(j + 1);
                double bounds[2] = { r->base + (double)j / r->inv,
                                     r->base + (double)(j + 1) / r->inv };
                content_place(l, &c, l->depth, false, bounds, false);
            }
        }
        if (l->fp < l->fn || l->scan.n > 0) {
            blocks_trim(l);
            return true;
        }
    }
}

/* A new rung's next_d is INFINITY until its first bucket is selected, which
 * ladder_advance() does before any push can see it, so pushes always find
 * a valid next_d. */

/* ---- side heap and push-down ------------------------------------------- */

/* The side heap has grown comparable to what the fine level holds: the
 * current bucket is much denser than its width assumed.  Spill fine and
 * side into a chain and split it into a finer rung.  Optional: returns
 * false, changing nothing, if memory is short. */
static bool push_down(struct hsi_ladder *l)
{
    size_t rem = l->fn - l->fp;
    size_t total = rem + l->side.n;
    if (!blocks_reserve(l, total / LAD_BLOCK_CAP + 1))
        return false;
    struct lad_chain c;
    chain_reset(&c);
    for (size_t i = l->fp; i < l->fn; i++)
        chain_push_reserved(l, &c, &l->fine[i]);
    for (size_t i = 0; i < l->side.n; i++)
        chain_push_reserved(l, &c, &l->side.a[i]);
    l->fp = l->fn = l->fend = 0;
    l->side.n = 0;
    l->st.push_downs++;
    content_place(l, &c, l->depth, true, NULL, false);
    return true;
}

/* ---- degraded scan ------------------------------------------------------ */

static void scan_find(const struct lad_chain *c, struct lad_block **mb, size_t *mi)
{
    const struct hs_pes_entry *best = NULL;
    for (struct lad_block *b = c->head; b != NULL; b = b->next) {
        size_t m = block_fill(c, b);
        for (size_t i = 0; i < m; i++) {
            if (best == NULL || hsi_less(&b->e[i], best)) {
                best = &b->e[i];
                *mb = b;
                *mi = i;
            }
        }
    }
}

/* Remove entry i of block b from the scan chain by moving the chain's last
 * entry into its place. */
static void scan_remove(struct hsi_ladder *l, struct lad_block *b, size_t i)
{
    struct lad_chain *c = &l->scan;
    b->e[i] = *--c->wp;
    if (--c->n == 0) {
        chain_release(l, c);
        return;
    }
    struct lad_block *tail = chain_tail(c);
    if (c->wp > tail->e)
        return;
    struct lad_block *prev = c->head;
    while (prev->next != tail)
        prev = prev->next;
    prev->next = NULL;
    block_put(l, tail);
    c->wp = c->wend = prev->e + LAD_BLOCK_CAP;
}

/* ---- public (internal) API --------------------------------------------- */

/* Called when the last entry leaves: forget the old rungs and time limit so
 * that a set refilled with any times starts a fresh epoch, and hand back
 * memory a past peak left behind. */
static void ladder_reset_empty(struct hsi_ladder *l)
{
    l->depth = 0;
    l->top_lim = -INFINITY;
    l->fp = l->fn = l->fend = l->fi = 0;
    if (l->fine_cap > LAD_FINE_CAP) {
        struct hs_pes_entry *f = realloc(l->fine, LAD_FINE_CAP * sizeof *f);
        if (f != NULL) {
            l->fine = f;
            l->fine_cap = LAD_FINE_CAP;
        }
    }
    hsi_heap_shrink(&l->side);
    blocks_trim_to(l, 64);
}

struct hsi_ladder *hsi_ladder_create(size_t expected, size_t *budget)
{
    (void)expected; /* the ladder sizes itself from what it holds */
    struct hsi_ladder *l = hsi_malloc(budget, sizeof *l);
    if (l == NULL)
        return NULL;
    memset(l, 0, sizeof *l);
    l->budget = budget;
    chain_reset(&l->ovf);
    chain_reset(&l->scan);
    l->ovf_min = INFINITY;
    l->ovf_max = -INFINITY;
    l->top_lim = -INFINITY;
    hsi_heap_init(&l->side, 0, budget);
    l->fine = hsi_malloc(budget, LAD_FINE_CAP * sizeof *l->fine);
    l->fcnt = hsi_malloc(budget, (LAD_FINE_NB + 1) * sizeof *l->fcnt);
    /* Rung headers: initialised by rung_spawn() as rungs are built. */
    size_t nchains = (size_t)LAD_MAX_RUNGS * LAD_NB_MAX;
    l->bucket_mem = hsi_malloc(budget, nchains * sizeof *l->bucket_mem);
    if (l->fine == NULL || l->fcnt == NULL || l->bucket_mem == NULL) {
        hsi_ladder_destroy(l);
        return NULL;
    }
    l->fine_cap = LAD_FINE_CAP;
    l->direct = LAD_FINE_CAP;
    return l;
}

void hsi_ladder_destroy(struct hsi_ladder *l)
{
    if (l == NULL)
        return;
    if (l->bucket_mem != NULL) {
        for (size_t k = 0; k < l->depth; k++)
            for (size_t j = 0; j < l->rung[k].nb; j++)
                chain_release(l, &l->rung[k].b[j]);
    }
    chain_release(l, &l->ovf);
    chain_release(l, &l->scan);
    while (l->free_list != NULL) {
        struct lad_block *b = l->free_list;
        l->free_list = b->next;
        free(b);
    }
    hsi_heap_free(&l->side);
    free(l->fine);
    free(l->fcnt);
    free(l->bucket_mem);
    free(l);
}

int hsi_ladder_push(struct hsi_ladder *l, const struct hs_pes_entry *e)
{
    double t = e->t;
    int rc = HS_OK;
    if (t > l->top_lim) {
        rc = chain_push(l, &l->ovf, e);
        if (rc == HS_OK) {
            l->ovf_min = t < l->ovf_min ? t : l->ovf_min;
            l->ovf_max = t > l->ovf_max ? t : l->ovf_max;
        }
    } else {
        size_t k = 0;
        for (; k < l->depth; k++) {
            struct lad_rung *r = &l->rung[k];
            double d = (t - r->base) * r->inv;
            if (d >= r->next_d) {
                rc = chain_push(l, &r->b[rung_index(r, d)], e);
                break;
            }
        }
        if (k == l->depth && (rc = hsi_heap_push(&l->side, e)) == HS_OK) {
            l->side_in++;
            l->st.side_pushes++;
        }
    }
    if (rc == HS_OK)
        l->size++;
    return rc;
}

/* Make the minimum available; returns where it is: 1 fine, 2 side, 3 scan,
 * 0 when empty.  For the scan case, *mb and *mi locate it. */
static int ladder_locate(struct hsi_ladder *l, struct lad_block **mb, size_t *mi)
{
    for (;;) {
        if (l->side.n > LAD_SIDE_MAX && l->scan.n == 0
            && l->side.n > (l->fn - l->fp) / 2 && push_down(l))
            continue;
        if (l->fp < l->fn) {
            if (l->side.n && hsi_less(&l->side.a[0], &l->fine[l->fp]))
                return 2;
            return 1;
        }
        if (l->scan.n > 0) {
            /* Leave the fallback as soon as the fine array can take the
             * chain (a rung is not an option here: the side heap may hold
             * entries of the same range, which a rung would leave out). */
            double mn, mx;
            chain_minmax(&l->scan, &mn, &mx);
            struct lad_chain c = l->scan;
            if (fine_load(l, &c, mn, mx)) {
                chain_reset(&l->scan);
                continue;
            }
            scan_find(&l->scan, mb, mi);
            if (l->side.n && hsi_less(&l->side.a[0], &(*mb)->e[*mi]))
                return 2;
            return 3;
        }
        if (l->side.n > 0)
            return 2;
        if (!ladder_advance(l)) {
            ladder_reset_empty(l);
            return 0;
        }
    }
}

int hsi_ladder_pop(struct hsi_ladder *l, struct hs_pes_entry *out)
{
    /* Fast path: the fine level holds the minimum and the side heap is
     * empty or later. */
    if (l->fp < l->fn && l->side.n <= LAD_SIDE_MAX) {
        const struct hs_pes_entry *f = &l->fine[l->fp];
        if (l->side.n == 0 || !hsi_less(&l->side.a[0], f)) {
            *out = *f;
            if (++l->fp == l->fend)
                fine_next(l);
        } else {
            hsi_heap_pop(&l->side, out);
        }
        if (--l->size == 0)
            ladder_reset_empty(l);
        return 1;
    }
    struct lad_block *mb = NULL;
    size_t mi = 0;
    switch (ladder_locate(l, &mb, &mi)) {
    case 1:
        *out = l->fine[l->fp];
        if (++l->fp == l->fend)
            fine_next(l);
        break;
    case 2:
        hsi_heap_pop(&l->side, out);
        break;
    case 3:
        *out = mb->e[mi];
        scan_remove(l, mb, mi);
        l->st.scan_pops++;
        break;
    default:
        return 0;
    }
    if (--l->size == 0)
        ladder_reset_empty(l);
    return 1;
}

int hsi_ladder_peek(struct hsi_ladder *l, struct hs_pes_entry *out)
{
    /* the fast path of hsi_ladder_pop, without the taking */
    if (l->fp < l->fn && l->side.n <= LAD_SIDE_MAX) {
        const struct hs_pes_entry *f = &l->fine[l->fp];
        *out = l->side.n == 0 || !hsi_less(&l->side.a[0], f) ? *f : l->side.a[0];
        return 1;
    }
    struct lad_block *mb = NULL;
    size_t mi = 0;
    switch (ladder_locate(l, &mb, &mi)) {
    case 1:
        *out = l->fine[l->fp];
        return 1;
    case 2:
        *out = l->side.a[0];
        return 1;
    case 3:
        *out = mb->e[mi];
        return 1;
    default:
        return 0;
    }
}

size_t hsi_ladder_size(const struct hsi_ladder *l)
{
    return l->size;
}

size_t hsi_ladder_memory(const struct hsi_ladder *l)
{
    return sizeof *l + l->nblocks * sizeof(struct lad_block)
           + l->fine_cap * sizeof *l->fine + (LAD_FINE_NB + 1) * sizeof *l->fcnt
           + (size_t)LAD_MAX_RUNGS * LAD_NB_MAX * sizeof *l->bucket_mem
           + l->side.cap * sizeof *l->side.a;
}

/* Filter the fine level bucket by bucket, keeping each bucket's bounds so
 * that the unsorted later buckets stay correctly placed. */
static void fine_filter(struct hsi_ladder *l,
                        int (*keep)(void *ctx, const struct hs_pes_entry *e), void *ctx)
{
    if (l->fp >= l->fn)
        return;
    size_t w = l->fp, r = l->fp;
    for (size_t j = l->fi; j < l->fnb; j++) {
        size_t end = l->fcnt[j];
        for (; r < end; r++)
            if (keep(ctx, &l->fine[r]))
                l->fine[w++] = l->fine[r];
        l->fcnt[j] = w;
    }
    l->fn = w;
    l->fend = l->fcnt[l->fi];
    if (l->fp == l->fend)
        fine_next(l);
}

void hsi_ladder_filter(struct hsi_ladder *l,
                       int (*keep)(void *ctx, const struct hs_pes_entry *e), void *ctx)
{
    size_t n = 0;
    fine_filter(l, keep, ctx);
    n += l->fn - l->fp;
    hsi_heap_filter(&l->side, keep, ctx, HSI_HEAP_D);
    n += l->side.n;
    chain_filter(l, &l->scan, keep, ctx);
    n += l->scan.n;
    for (size_t k = 0; k < l->depth; k++) {
        struct lad_rung *r = &l->rung[k];
        for (size_t j = r->cur; j < r->nb; j++) {
            chain_filter(l, &r->b[j], keep, ctx);
            n += r->b[j].n;
        }
    }
    chain_filter(l, &l->ovf, keep, ctx);
    n += l->ovf.n;
    /* Tighter bounds are still bounds; recompute so the next top rung is
     * built over what is really there. */
    chain_minmax(&l->ovf, &l->ovf_min, &l->ovf_max);
    l->size = n;
    if (n == 0)
        ladder_reset_empty(l);
    else
        blocks_trim(l);
}

void hsi_ladder_get_stats(const struct hsi_ladder *l, struct hsi_ladder_stats *s)
{
    *s = l->st;
    s->depth = l->depth;
    s->fine_direct = l->direct;
    s->blocks = l->nblocks;
    s->free_blocks = l->nfree;
}
