/* SPDX-License-Identifier: MIT
 *
 * carers.c - the carers of the programme: who attends which donor.
 *
 * Carers attend up to `caseload` donors.  Each year carers are ranked by
 * their donors' recovery times and agitation; the best `privilege_share`
 * choose their donors, only from their own estate; others are assigned
 * to the least loaded carer, the first in the carers' list among equals.
 * A donor nobody can attend waits without a carer, in a queue per estate,
 * and is served, oldest first, when a place frees.  The choice is a walk
 * down a tree over the carers' list (struct carer_node), so that finding,
 * adding and removing a carer cost O(log carers) whatever the programme's
 * size; the year's ranking rebuilds the tree in O(carers).
 */
#include "world_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- carers ---------------------------------------------------------- */

/* ---- the carers with room (struct carer_node) ---------------------------- */

#define NO_LOAD UINT32_MAX

static struct carer_node carer_leaf(const struct hs_world *w, size_t pos)
{
    struct carer_node n = {NO_LOAD, 0};
    if (pos >= w->ncarers)
        return n;
    const struct carer_view *v = &w->carer_view[pos];
    if (v->caseload >= (uint32_t)w->p.carer_caseload)
        return n;
    if (v->privileged)
        n.estates = 1u << v->estate;
    else
        n.load = v->caseload;
    return n;
}

static void carer_pull(struct carer_node *t, size_t i)
{
    const struct carer_node *l = &t[2 * i], *r = &t[2 * i + 1];
    t[i].load = l->load <= r->load ? l->load : r->load;
    t[i].estates = l->estates | r->estates;
}

/* Leaf pos has changed: its carer's view, or which carer is there. */
static void carer_update(struct hs_world *w, size_t pos)
{
    if (pos >= w->carer_leaves)
        return;
    size_t i = w->carer_leaves + pos;
    w->carer_tree[i] = carer_leaf(w, pos);
    for (i /= 2; i >= 1; i /= 2)
        carer_pull(w->carer_tree, i);
}

static void carer_tree_build(struct hs_world *w);

/* Room for `need` carers in the tree; built again, in O(n), when it
 * doubles. */
int hsw_carer_tree_reserve(struct hs_world *w, size_t need)
{
    if (need <= w->carer_leaves)
        return HS_OK;
    size_t leaves = w->carer_leaves ? w->carer_leaves : 64;
    while (leaves < need)
        leaves *= 2;
    struct carer_node *t = malloc(2 * leaves * sizeof *t);
    if (t == NULL)
        return HS_ENOMEM;
    free(w->carer_tree);
    w->carer_tree = t;
    w->carer_leaves = leaves;
    carer_tree_build(w);
    return HS_OK;
}

/* The whole tree from the views, O(n): cheaper than n updates when every
 * view may have changed (the year's ranking). */
static void carer_tree_build(struct hs_world *w)
{
    struct carer_node *t = w->carer_tree;
    size_t leaves = w->carer_leaves;
    for (size_t pos = 0; pos < leaves; pos++)
        t[leaves + pos] = carer_leaf(w, pos);
    for (size_t i = leaves - 1; i >= 1; i--)
        carer_pull(t, i);
}

/* Copy the carer's caseload and privilege into its view; returns its
 * place in the list, or -1 for a donor no longer among the active
 * carers (who has no view). */
static int64_t set_view(struct hs_world *w, uint32_t carer)
{
    const struct donor *c = &w->donors[carer];
    uint32_t pos = c->cs.pos;
    if (pos >= w->ncarers || w->carers[pos] != carer)
        return -1;
    struct carer_view *v = &w->carer_view[pos];
    v->caseload = c->cs.caseload;
    v->privileged = c->cs.privileged;
    v->estate = c->estate;
    return pos;
}

/* Refresh the carer's view, and the tree, after its caseload or privilege
 * changed. */
void hsw_sync_view(struct hs_world *w, uint32_t carer)
{
    int64_t pos = set_view(w, carer);
    if (pos >= 0)
        carer_update(w, (size_t)pos);
}

static void attach(struct hs_world *w, uint32_t carer, uint32_t donor)
{
    w->donors[donor].next_case = w->donors[carer].cs.first_case;
    w->donors[carer].cs.first_case = donor;
    w->donors[carer].cs.caseload++;
    if (w->donors[carer].cs.caseload > w->sum.caseload_max)
        w->sum.caseload_max = w->donors[carer].cs.caseload;
    w->donors[donor].carer_of = carer;
    w->donors[donor].waiting_carer = 0;
    hsw_sync_view(w, carer);
}

/* Whether a donor of `estate` would find a carer now. */
static int carer_room(const struct hs_world *w, unsigned estate)
{
    if (w->carer_leaves == 0)
        return 0;
    const struct carer_node *root = &w->carer_tree[1];
    return root->load != NO_LOAD || (root->estates & (1u << estate));
}

/* Find a carer for a donor: a privileged carer of the donor's own estate
 * chooses them first (the first such in the list); otherwise the least
 * loaded ordinary carer (the first in the list among equals).  Carers at
 * their caseload are passed over.  One walk down the tree of the carers'
 * views, O(log carers). */
static int64_t find_carer(const struct hs_world *w, uint32_t donor)
{
    if (w->carer_leaves == 0)
        return -1;
    const struct carer_node *t = w->carer_tree;
    size_t i = 1, leaves = w->carer_leaves;
    uint32_t bit = 1u << w->donors[donor].estate;
    if (t[1].estates & bit) {
        while (i < leaves)
            i = t[2 * i].estates & bit ? 2 * i : 2 * i + 1;
    } else if (t[1].load != NO_LOAD) {
        uint32_t load = t[1].load;
        while (i < leaves)
            i = t[2 * i].load == load ? 2 * i : 2 * i + 1;
    } else {
        return -1;
    }
    return w->carers[i - leaves];
}

void hsw_mark_without(struct hs_world *w, uint32_t donor)
{
    struct donor *d = &w->donors[donor];
    if (d->last_without_year != w->year) {
        d->last_without_year = w->year;
        w->acc.row.donors_without_carer += 1.0;
    }
}

/* Every donor without a carer now has a year without one.  Such a donor
 * is in their estate's queue (want_carer puts every donor who loses or
 * lacks a carer there, and only a carer takes them out), so the queues,
 * not all the donors there have been, are read; an entry whose donor has
 * a carer again, or is no longer a donor, is passed over. */
void hsw_mark_carerless(struct hs_world *w)
{
    for (int e = 0; e < HS_MAX_ESTATES; e++) {
        const struct hsw_fifo *q = &w->carerless[e];
        for (size_t i = 0; i < q->n; i++) {
            uint32_t id = ((const struct carer_wait *)hsw_fifo_at(q, i))->donor;
            const struct donor *d = &w->donors[id];
            if (d->stage == HS_STAGE_DONOR && d->carer_of < 0)
                hsw_mark_without(w, id);
        }
    }
}

/* Queue a donor for a carer (or attach one now if `now` and one has room). */
static void want_carer(struct hs_world *w, uint32_t donor, int now)
{
    int64_t c = now ? find_carer(w, donor) : -1;
    if (c >= 0) {
        attach(w, (uint32_t)c, donor);
        return;
    }
    struct donor *d = &w->donors[donor];
    d->carer_of = -1;
    hsw_mark_without(w, donor);
    if (d->waiting_carer)
        return;
    struct carer_wait e = {w->carerless_seq++, donor};
    if (hsw_fifo_push(&w->carerless[d->estate], &e, sizeof e) != HS_OK) {
        hsw_fail_run(w, HS_ENOMEM);
        return;
    }
    d->waiting_carer = 1;
}

void hsw_need_carer(struct hs_world *w, uint32_t donor)
{
    want_carer(w, donor, 1);
}

/* Give waiting donors to carers who have room, oldest waiter first.
 *
 * Each time, the oldest waiter who would find a carer now is served:
 * one of an estate with a privileged carer with room, or any once an
 * ordinary carer has room.  That serves the same donors, in the same
 * order, as trying every waiter oldest first, since room only shrinks
 * while waiters are served: a waiter who finds no carer would find none
 * later in the same pass.  A pass costs O(estates) plus O(estates +
 * log carers) per donor served; waiters who are no longer donors are
 * dropped when they reach the head. */
void hsw_serve_carerless(struct hs_world *w)
{
    for (;;) {
        int best = -1;
        uint64_t best_seq = 0;
        for (int e = 0; e < HS_MAX_ESTATES; e++) {
            struct hsw_fifo *q = &w->carerless[e];
            while (q->n > 0) {
                const struct carer_wait *first = hsw_fifo_at(q, 0);
                struct donor *dd = &w->donors[first->donor];
                if (dd->stage == HS_STAGE_DONOR && dd->waiting_carer)
                    break;
                dd->waiting_carer = 0;
                hsw_fifo_pop(q);
            }
            if (q->n == 0 || !carer_room(w, (unsigned)e))
                continue;
            uint64_t seq = ((const struct carer_wait *)hsw_fifo_at(q, 0))->seq;
            if (best < 0 || seq < best_seq) {
                best = e;
                best_seq = seq;
            }
        }
        if (best < 0)
            return;
        struct hsw_fifo *q = &w->carerless[best];
        uint32_t d = ((const struct carer_wait *)hsw_fifo_at(q, 0))->donor;
        hsw_fifo_pop(q);
        int64_t c = find_carer(w, d);
        if (c >= 0)
            attach(w, (uint32_t)c, d);
    }
}

/* Take a donor off their carer's list (a few entries long). */
static void unlink_case(struct hs_world *w, uint32_t donor)
{
    struct donor *d = &w->donors[donor];
    int64_t *link = &w->donors[d->carer_of].cs.first_case;
    while (*link >= 0 && *link != (int64_t)donor)
        link = &w->donors[*link].next_case;
    if (*link == (int64_t)donor)
        *link = d->next_case;
    d->next_case = -1;
}

void hsw_release_donor(struct hs_world *w, uint32_t donor)
{
    struct donor *d = &w->donors[donor];
    if (d->carer_of >= 0) {
        unlink_case(w, donor);
        w->donors[d->carer_of].cs.caseload--;
        hsw_sync_view(w, (uint32_t)d->carer_of);
        d->carer_of = -1;
        if (!(w->p.carer_reassign_days > 0))   /* else the next round serves them */
            hsw_serve_carerless(w);
    }
}

void hsw_remove_carer(struct hs_world *w, uint32_t carer)
{
    /* the carer's index is known (no search through tens of thousands);
     * the last carer takes its place */
    size_t i = w->donors[carer].cs.pos;
    if (i < w->ncarers && w->carers[i] == carer) {
        w->carers[i] = w->carers[--w->ncarers];
        w->carer_view[i] = w->carer_view[w->ncarers];
        w->donors[w->carers[i]].cs.pos = (uint32_t)i;
        /* the moved carer's place in the list, so its rank among
         * equals, is now i; the last place is empty */
        carer_update(w, i);
        carer_update(w, w->ncarers);
    }
    /* the carer's own donors lose their carer and look for another; the
     * list is taken whole first, since need_carer attaches to others */
    int64_t k = w->donors[carer].cs.first_case;
    w->donors[carer].cs.first_case = -1;
    w->donors[carer].cs.caseload = 0;
    while (k >= 0) {
        struct donor *d = &w->donors[k];
        int64_t next = d->next_case;
        d->carer_of = -1;
        d->next_case = -1;
        /* with rounds, they wait without a carer until the next one */
        want_carer(w, (uint32_t)k, !(w->p.carer_reassign_days > 0));
        k = next;
    }
}


/* Rank carers by their donors' recoveries and agitation (lower is better). */
void hsw_rank_carers(struct hs_world *w)
{
    double sum = 0, n = 0;
    for (size_t i = 0; i < w->ncarers; i++) {
        const struct carer_stats *cs = &w->donors[w->carers[i]].cs;
        sum += cs->recovery_days;
        n += cs->recoveries;
    }
    double mean = n > 0 ? sum / n : 1.0;
    size_t ranked = 0;
    double *scores = malloc((w->ncarers + 1) * sizeof *scores);
    if (scores == NULL) {
        hsw_fail_run(w, HS_ENOMEM);   /* the year's ranking would be missing */
        return;
    }
    for (size_t i = 0; i < w->ncarers; i++) {
        struct carer_stats *cs = &w->donors[w->carers[i]].cs;
        cs->privileged = 0;
        if (cs->recoveries < 3) {
            cs->score = INFINITY;
            continue;
        }
        cs->score = cs->recovery_days / cs->recoveries / mean +
                    (double)cs->agitated / cs->recoveries;
        scores[ranked++] = cs->score;
    }
    if (ranked > 0) {
        hsw_sort_doubles(scores, ranked);
        size_t k = (size_t)(w->p.carer_privilege_share * (double)w->ncarers);
        if (k > ranked)
            k = ranked;
        double cut = k > 0 ? scores[k - 1] : -INFINITY;
        for (size_t i = 0; i < w->ncarers; i++) {
            struct carer_stats *cs = &w->donors[w->carers[i]].cs;
            cs->privileged = k > 0 && cs->score <= cut;
        }
    }
    free(scores);
    for (size_t i = 0; i < w->ncarers; i++)
        set_view(w, w->carers[i]);
    if (w->carer_leaves > 0)
        carer_tree_build(w);
}
