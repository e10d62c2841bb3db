/* SPDX-License-Identifier: MIT
 *
 * demand.c - notices and donations on demand: organs taken to order
 * (programme.donations.timing: demand).
 *
 * On the rhythm, a carer's notice comes when their years as a carer have
 * run, each donation follows the notice or the recovery at once, and its
 * organs go to whoever waits, the rest wasted.  On demand, a carer due a
 * notice and a donor who has recovered are not sent at once: they wait,
 * ready, until someone of a matching blood group is listed for an organ
 * their next donation gives, or until demand_wait_days pass, after which
 * they go as on the rhythm.  A listing (at the end of its match wait,
 * organs.*.match_days) calls the one who has waited
 * longest among those whose next donation gives that organ to that blood
 * group, a recovered donor before a carer (who needs the notice's days
 * first).  A donation to order takes only the parts someone waits for
 * when it happens; if by then nobody does, the donor goes back among the
 * ready without donating.  A donation that completes takes everything, as
 * always: the heart of a donor called for a kidney may still be wasted.
 *
 * The ready wait in FIFO rings, one per blood group and next donation, and
 * one per blood group for carers due a notice, so a call looks at no more
 * than twenty heads whatever the programme's size.  A wait that ends by a
 * timeout leaves its entry in the ring; entries out of date (the donor's
 * ready_gen has moved on) are dropped when they reach the head, as the
 * waiting lists drop theirs.
 */
#include "world_impl.h"

#include <stdlib.h>

#define DUE HS_MAX_DONATIONS   /* the rings' column of carers due a notice */

/* The organs d's next donation gives: at the last, everything left, as at
 * any completion; before it, the schedule's parts still there (a kidney
 * only while both are, the heart never). */
uint32_t hsw_gives(const struct hs_world *w, const struct donor *d)
{
    int k = d->donations;
    uint32_t out = 0;
    if (k + 1 >= HS_MAX_DONATIONS) {
        for (int o = 0; o < HS_NORGANS; o++)
            if (o == HS_ORGAN_KIDNEY ? d->kidneys_left > 0
                : o != HS_ORGAN_PANCREAS || (d->organs_left & (1u << o)))
                out |= 1u << o;
        return out;
    }
    uint32_t parts = w->p.donation_organs[k] & ~(1u << HS_ORGAN_HEART);
    for (int o = 0; o < HS_NORGANS; o++)
        if ((parts & (1u << o)) &&
            (o == HS_ORGAN_KIDNEY ? d->kidneys_left >= 2 : (d->organs_left & (1u << o)) != 0))
            out |= 1u << o;
    return out;
}

/* The head of a ring after dropping the entries out of date, or NULL. */
static const struct ready_entry *ring_head(struct hs_world *w, struct hsw_fifo *r)
{
    while (r->n > 0) {
        const struct ready_entry *e = hsw_fifo_at(r, 0);
        const struct donor *d = &w->donors[e->id];
        if (d->ready && d->ready_gen == (uint8_t)e->gen)
            return e;
        hsw_fifo_pop(r);
    }
    return NULL;
}

/* A wait ends, by a call or a timeout: counted for ready_wait_days. */
static void end_wait(struct hs_world *w, struct donor *d, double since)
{
    d->ready = 0;
    d->ready_gen++;
    w->ready_waits += 1.0;
    w->ready_wait_days += hs_engine_now(w->eng) - since;
}

/* Go: a recovered donor to the donation, a carer to the notice; to order
 * or (order 0) as on the rhythm.  With `later`, as an event of its own at
 * this moment rather than from inside the caller. */
static void go(struct hs_world *w, uint32_t id, int order, int later)
{
    struct donor *d = &w->donors[id];
    d->order = (uint8_t)order;
    int carer = d->stage == HS_STAGE_CARER;
    d->called = (uint8_t)(d->called || carer);
    hs_event_fn fn = carer ? hsw_notice : hsw_donation_request;
    if (!later) {
        fn(w->eng, w, id);
        return;
    }
    int rc = hs_engine_schedule(w->eng, hs_engine_now(w->eng), 0, fn, w, id, NULL);
    if (rc != HS_OK)
        hsw_fail_run(w, rc);
}

/* The wait ran out: go as on the rhythm.  The datum is the donor's id
 * and, above bit 32, their ready_gen when the wait began. */
static void timeout(hs_engine *eng, void *ctx, uint64_t datum)
{
    (void)eng;
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)datum;
    struct donor *d = &w->donors[id];
    if (!d->ready || d->ready_gen != (uint8_t)(datum >> 32))
        return;   /* called before it ran out */
    double days = w->p.demand_wait_days;
    end_wait(w, d, hs_engine_now(w->eng) - days);
    go(w, id, 0, 0);
}

/* Wait, ready, in ring col of d's blood group, until called or timed out. */
static void wait_ready(struct hs_world *w, uint32_t id, int col)
{
    struct donor *d = &w->donors[id];
    double now = hs_engine_now(w->eng);
    struct ready_entry e = {now, id, d->ready_gen};
    if (hsw_fifo_push(&w->ready[d->abo][col], &e, sizeof e) != HS_OK) {
        hsw_fail_run(w, HS_ENOMEM);
        return;
    }
    d->ready = 1;
    double end = now + w->p.demand_wait_days;
    if (end > w->end_day)
        return;   /* waits past the run's end: no need to wake them */
    int rc = hs_engine_schedule(w->eng, end, 0, timeout, w,
                                (uint64_t)id | (uint64_t)d->ready_gen << 32, NULL);
    if (rc != HS_OK)
        hsw_fail_run(w, rc);
}

void hsw_demand_due(struct hs_world *w, uint32_t carer)
{
    struct donor *d = &w->donors[carer];
    if (hsw_gives(w, d) & hsw_waiting_mask(w, d->abo))
        go(w, carer, 1, 0);   /* someone waits already */
    else
        wait_ready(w, carer, DUE);
}

void hsw_demand_ready(struct hs_world *w, uint32_t donor)
{
    struct donor *d = &w->donors[donor];
    if (hsw_gives(w, d) & hsw_waiting_mask(w, d->abo))
        go(w, donor, 1, 0);
    else
        wait_ready(w, donor, d->donations);
}

void hsw_demand_listed(struct hs_world *w, int organ, int abo)
{
    const struct ready_entry *best = NULL;
    struct hsw_fifo *from = NULL;
    for (int pass = 0; pass < 2 && !best; pass++) {   /* donors first, then carers */
        for (int a = 0; a < HS_NABO; a++) {
            if (!hsw_abo_fits(a, abo))
                continue;
            for (int col = pass ? DUE : 0; col < (pass ? DUE + 1 : DUE); col++) {
                struct hsw_fifo *r = &w->ready[a][col];
                const struct ready_entry *e = ring_head(w, r);
                if (e == NULL || !(hsw_gives(w, &w->donors[e->id]) & (1u << organ)))
                    continue;
                if (best == NULL || e->since < best->since ||
                    (e->since == best->since && e->id < best->id)) {
                    best = e;
                    from = r;
                }
            }
        }
    }
    if (best == NULL)
        return;
    uint32_t id = best->id;
    double since = best->since;
    hsw_fifo_pop(from);
    struct donor *d = &w->donors[id];
    end_wait(w, d, since);
    go(w, id, 1, 1);   /* not from inside the listing: an event of its own */
}

void hsw_demand_free(struct hs_world *w)
{
    for (int a = 0; a < HS_NABO; a++)
        for (int c = 0; c <= DUE; c++)
            hsw_fifo_free(&w->ready[a][c]);
}
