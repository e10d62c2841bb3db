/* SPDX-License-Identifier: MIT
 *
 * alloc.c - allocation: one waiting list per organ and blood group, the
 * matching of each offered organ to a recipient, and the pool of organs
 * that found nobody yet and are wasted when their viability time passes.
 *
 * ABO rules for organs: an O organ can go to anyone, A to A and AB, B to B
 * and AB, AB only to AB.  Lists are min-heaps on a key: the listing day
 * (first listed, first served) or the day the patient would die untreated
 * (most urgent first).  Entries are removed lazily: an entry is live only
 * while the person is still listed for that organ under the same listing
 * number.
 */
#include "world_impl.h"

#include <math.h>
#include <stdlib.h>

/* compatible[donor][recipient] */
static const int compatible[HS_NABO][HS_NABO] = {
    /* O  A  B  AB  <- recipient */
    {1, 1, 1, 1},   /* O donor */
    {0, 1, 0, 1},   /* A */
    {0, 0, 1, 1},   /* B */
    {0, 0, 0, 1},   /* AB */
};

static int wl_push(struct wl_heap *h, struct wl_entry e)
{
    if (hsw_grow((void **)&h->a, &h->cap, h->n + 1, sizeof e) != HS_OK)
        return HS_ENOMEM;
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->a[parent].key <= e.key)
            break;
        h->a[i] = h->a[parent];
        i = parent;
    }
    h->a[i] = e;
    return HS_OK;
}

static void wl_pop(struct wl_heap *h)
{
    struct wl_entry last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1].key < h->a[c].key)
            c++;
        if (h->a[c].key >= last.key)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n > 0)
        h->a[i] = last;
}

static int live(const struct hs_world *w, const struct wl_entry *e, int organ)
{
    const struct person *p = &w->people[e->person];
    return p->state == P_LISTED && p->organ == organ && p->lgen == e->lgen;
}

/* The head of a list after dropping stale entries, or NULL. */
static struct wl_entry *wl_head(struct hs_world *w, int organ, int abo)
{
    struct wl_heap *h = &w->wl[organ][abo];
    while (h->n > 0 && !live(w, &h->a[0], organ))
        wl_pop(h);
    return h->n > 0 ? &h->a[0] : NULL;
}

/* Find and remove the recipient for an organ of group `abo`; -1 if none. */
static int64_t match(struct hs_world *w, int organ, int abo)
{
    int best_g = -1;
    double best_key = INFINITY;
    if (w->p.abo_identical_first) {
        const struct wl_entry *e = wl_head(w, organ, abo);
        if (e != NULL)
            best_g = abo;
    }
    if (best_g < 0) {
        for (int g = 0; g < HS_NABO; g++) {
            if (!compatible[abo][g])
                continue;
            const struct wl_entry *e = wl_head(w, organ, g);
            if (e != NULL && e->key < best_key) {
                best_key = e->key;
                best_g = g;
            }
        }
    }
    if (best_g < 0)
        return -1;
    struct wl_heap *h = &w->wl[organ][best_g];
    uint32_t who = h->a[0].person;
    wl_pop(h);
    return who;
}

static void expire(hs_engine *eng, void *ctx, uint64_t slot)
{
    struct hs_world *w = ctx;
    struct pooled *o = &w->pool[slot];
    if (!o->live)
        return;
    o->live = 0;
    w->acc.row.organs_wasted += 1.0;
    w->acc.row.organs_wasted_by[o->organ] += 1.0;
    w->free_pool[w->nfree_pool++] = (uint32_t)slot;
}

static int pool_add(struct hs_world *w, int organ, int abo, int source)
{
    size_t slot;
    if (w->nfree_pool > 0) {
        slot = w->free_pool[--w->nfree_pool];
    } else {
        size_t cap = w->cap_pool;
        if (hsw_grow((void **)&w->pool, &w->cap_pool, w->npool + 1, sizeof *w->pool) != HS_OK)
            return HS_ENOMEM;
        if (cap != w->cap_pool) {
            uint32_t *f = realloc(w->free_pool, w->cap_pool * sizeof *f);
            if (f == NULL)
                return HS_ENOMEM;
            w->free_pool = f;
        }
        slot = w->npool++;
        w->pool[slot].gen = 0;   /* a new slot: no use before */
    }
    struct pooled *o = &w->pool[slot];
    o->organ = (uint8_t)organ;
    o->abo = (uint8_t)abo;
    o->source = (uint8_t)source;
    o->live = 1;
    o->gen++;
    o->expires = hs_engine_now(w->eng) + w->p.organ[organ].viability_hours / 24.0;
    struct pool_entry e = {(uint32_t)slot, o->gen};
    if (hsw_fifo_push(&w->pring[organ][abo], &e, sizeof e) != HS_OK)
        return HS_ENOMEM;
    return hs_engine_schedule(w->eng, o->expires, 0, expire, w, slot, NULL);
}

int hsw_offer(struct hs_world *w, int organ, int abo, int source)
{
    w->sum.organs_offered += 1.0;
    w->acc.row.organs_offered_by[organ] += 1.0;
    int64_t who = w->transplant_on[organ] ? match(w, organ, abo) : -1;
    if (who >= 0) {
        hsw_person_transplant(w, (uint32_t)who, organ, source);
        return HS_OK;
    }
    if (!w->transplant_on[organ]) {
        w->acc.row.organs_wasted += 1.0;
        w->acc.row.organs_wasted_by[organ] += 1.0;
        return HS_OK;
    }
    return pool_add(w, organ, abo, source);
}

int hsw_abo_fits(int donor, int recipient)
{
    return compatible[donor][recipient];
}

uint32_t hsw_waiting_mask(struct hs_world *w, int abo)
{
    uint32_t mask = 0;
    for (int o = 0; o < HS_NORGANS; o++)
        for (int g = 0; g < HS_NABO && !(mask & (1u << o)); g++)
            if (compatible[abo][g] && wl_head(w, o, g) != NULL)
                mask |= 1u << o;
    return mask;
}

/* A pooled organ that fits a newly listed person, or -1: the one that
 * expires first, the lowest slot among equals.  Each organ and blood group
 * keeps its organs in a ring in the order they came, which is the order
 * they expire in, so only the rings' heads are looked at: entries taken or
 * expired are dropped there (a slot's gen tells a reused one), and the
 * few that expire together at a head are compared by slot. */
static int64_t pool_find(struct hs_world *w, int organ, int abo)
{
    int64_t best = -1;
    double now = hs_engine_now(w->eng);
    for (int g = 0; g < HS_NABO; g++) {
        if (!compatible[g][abo])
            continue;
        struct hsw_fifo *r = &w->pring[organ][g];
        while (r->n > 0) {
            const struct pool_entry *e = hsw_fifo_at(r, 0);
            const struct pooled *o = &w->pool[e->slot];
            if (o->live && o->gen == e->gen && o->expires >= now)
                break;
            hsw_fifo_pop(r);
        }
        if (r->n == 0)
            continue;
        double head_expires = w->pool[((const struct pool_entry *)hsw_fifo_at(r, 0))->slot].expires;
        for (size_t i = 0; i < r->n; i++) {
            const struct pool_entry *e = hsw_fifo_at(r, i);
            const struct pooled *o = &w->pool[e->slot];
            if (!o->live || o->gen != e->gen)
                continue;   /* taken since (its slot may hold another organ now) */
            if (o->expires != head_expires)
                break;      /* past those that expire with the head */
            if (best < 0 || o->expires < w->pool[best].expires ||
                (o->expires == w->pool[best].expires && e->slot < (uint64_t)best))
                best = e->slot;
        }
    }
    return best;
}

/* A listed patient who can now be matched: an organ waiting in the pool,
 * or else a place on their list. */
static int matchable(struct hs_world *w, uint32_t idx)
{
    struct person *p = &w->people[idx];
    int organ = p->organ;
    int64_t slot = w->npool ? pool_find(w, organ, p->abo) : -1;
    if (slot >= 0) {
        struct pooled *o = &w->pool[slot];
        o->live = 0;
        w->free_pool[w->nfree_pool++] = (uint32_t)slot;
        hsw_person_transplant(w, idx, organ, o->source);
        return HS_OK;
    }
    struct wl_entry e;
    /* first listed, first served: from the listing, not the match wait's end */
    e.key = w->p.priority_urgency ? hsw_ext(w, p)->untreated : hsw_ext(w, p)->listed_day;
    e.person = idx;
    e.lgen = p->lgen;
    return wl_push(&w->wl[organ][p->abo], e);
}

/* An order for the programme when it donates on demand. */
static void order(struct hs_world *w, const struct person *p)
{
    if (w->p.programme && w->p.donation_on_demand)
        hsw_demand_listed(w, p->organ, p->abo);
}

/* The datum of a match wait's end: the person and the low 16 bits of the
 * listing's number, which tell a wait of an earlier listing (the person
 * was transplanted, died or was listed again since: each bumps the
 * number).  A stale end could only pass for a live one if one person slot
 * saw 65,536 listings, transplants and deaths within a single wait. */
#define MATCH_LGEN_BITS 16

static void match_wait_over(hs_engine *eng, void *ctx, uint64_t data)
{
    (void)eng;
    struct hs_world *w = ctx;
    uint32_t idx = (uint32_t)(data & UINT32_MAX);
    const struct person *p = &w->people[idx];
    uint32_t lgen = (uint32_t)(data >> 32);
    if (p->state != P_LISTED || (p->lgen & ((1u << MATCH_LGEN_BITS) - 1)) != lgen)
        return;   /* no longer waiting under this listing */
    int rc = matchable(w, idx);
    if (rc != HS_OK)
        hsw_fail_run(w, rc);
    else if (p->state == P_LISTED)
        order(w, p);
}

int hsw_alloc_init(struct hs_world *w)
{
    return hs_engine_handler(w->eng, match_wait_over, w, &w->h_matchable);
}

int hsw_list(struct hs_world *w, uint32_t idx)
{
    struct person *p = &w->people[idx];
    int organ = p->organ;
    p->state = P_LISTED;
    p->lgen++;
    hsw_ext(w, p)->listed_day = hs_engine_now(w->eng);
    w->waiting[organ] += 1.0;
    w->acc.row.listings += 1.0;
    w->acc.row.listings_by[organ] += 1.0;
    if (w->p.perfect_supply) {   /* the ceiling: an organ for everyone, at once */
        w->sum.organs_offered += 1.0;
        w->acc.row.organs_offered_by[organ] += 1.0;
        hsw_person_transplant(w, idx, organ, SRC_PERFECT);
        return HS_OK;
    }
    /* A listing for a failure waits first for an organ that can suit the
     * patient (organs.*.match_days); an urgent cure takes the first that
     * fits.  The patient's own risks run meanwhile (hsw_person_listed),
     * a living kidney donor among them: a relative's gift, not an organ
     * offered to the list, so not held back by the wait. */
    double wait = w->p.organ[organ].match_days;
    if (wait > 0 && !hsw_ext(w, p)->urgent) {
        int rc = hsw_person_listed(w, idx);
        if (rc != HS_OK)
            return rc;
        /* the mean times an Exp(1) draw: 1 / wait overflows for the tiniest waits */
        double t = hs_engine_now(w->eng) + wait * hs_dist_exponential(&w->r_match, 1.0);
        if (t > w->end_day)
            return HS_OK;   /* beyond the run: still waiting at its end */
        uint64_t lgen = p->lgen & ((1u << MATCH_LGEN_BITS) - 1);
        return hs_engine_schedule_handler(w->eng, t, 0, w->h_matchable, (lgen << 32) | idx);
    }
    int rc = matchable(w, idx);
    if (rc != HS_OK || p->state != P_LISTED)
        return rc;   /* transplanted from the pool */
    rc = hsw_person_listed(w, idx);
    if (rc == HS_OK)
        order(w, p);
    return rc;
}

double hsw_pooled(const struct hs_world *w)
{
    double n = 0;
    for (size_t i = 0; i < w->npool; i++)
        n += w->pool[i].live;
    return n;
}

void hsw_alloc_free(struct hs_world *w)
{
    for (int o = 0; o < HS_NORGANS; o++)
        for (int g = 0; g < HS_NABO; g++)
            free(w->wl[o][g].a);
    free(w->pool);
    free(w->free_pool);
    for (int o = 0; o < HS_NORGANS; o++)
        for (int g = 0; g < HS_NABO; g++)
            hsw_fifo_free(&w->pring[o][g]);
}
