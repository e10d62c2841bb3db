/* SPDX-License-Identifier: MIT
 *
 * halfway.c - the halfway houses where leavers live before carer training.
 *
 * The named places of programme.cottages (the Cottages, White Mansion,
 * Poplar Farm) hold at most their `residents` at any scale; a leaver sent
 * to one that is full goes to one of the other houses (programme.halfway),
 * which an estate's leavers fill together, a house at a time.  Each estate
 * keeps a stack of its houses that had room when last seen: a house is
 * pushed when it opens and when it goes from full to having room, and a
 * full one on top is dropped when met, so finding a house is O(1)
 * amortised whatever the programme's size.
 */
#include "world_impl.h"

#include <stdlib.h>

/* The name of the place d lives in after the estate. */
const char *hsw_place_of(const struct hs_world *w, const struct donor *d)
{
    return d->cottages == HOUSE_OTHER ? w->p.halfway_name : w->p.cottages[d->cottages].name;
}

/* A house of estate e with room, opened if it has none. */
int hsw_house_for(struct hs_world *w, int e, uint32_t *out)
{
    while (w->nroom[e] > 0) {   /* drop the full ones on top */
        uint32_t h = w->room[e][w->nroom[e] - 1];
        if ((double)w->houses[h].residents < w->p.halfway_residents) {
            *out = h;
            return HS_OK;
        }
        w->nroom[e]--;
    }
    if (hsw_grow((void **)&w->houses, &w->cap_houses, w->nhouses + 1, sizeof *w->houses) !=
            HS_OK ||
        hsw_grow((void **)&w->room[e], &w->cap_room[e], w->nroom[e] + 1, sizeof(uint32_t)) !=
            HS_OK)
        return HS_ENOMEM;
    uint32_t h = (uint32_t)w->nhouses++;
    w->houses[h] = (struct house){0, -1};
    w->room[e][w->nroom[e]++] = h;
    *out = h;
    return HS_OK;
}

/* d leaves their halfway house: a full house of theirs has room again. */
void hsw_leave_house(struct hs_world *w, const struct donor *d)
{
    if (d->cottages != HOUSE_OTHER) {
        w->named_residents[d->cottages] -= 1.0;
        return;
    }
    struct house *h = &w->houses[d->house];
    int was_full = (double)h->residents >= w->p.halfway_residents;
    h->residents--;
    if (was_full) {
        if (hsw_grow((void **)&w->room[d->estate], &w->cap_room[d->estate],
                     w->nroom[d->estate] + 1, sizeof(uint32_t)) != HS_OK) {
            hsw_fail_run(w, HS_ENOMEM);
            return;
        }
        w->room[d->estate][w->nroom[d->estate]++] = d->house;
    }
}
