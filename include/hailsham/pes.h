/* SPDX-License-Identifier: MIT
 *
 * pes.h - the pending-event set: a priority queue of timed entries.
 *
 * An entry is ordered by (t, ord): time first, then the 64-bit ordering
 * key, which the engine builds from the event's priority and a sequence
 * number so that equal times are ordered deterministically.  `ref` is
 * carried along untouched (the engine stores its slot reference there).
 *
 * Two implementations share this interface:
 *   HS_PES_HEAP   - an implicit 4-ary heap; fastest while the set fits in
 *                   cache (up to roughly 10^5 entries on current machines).
 *   HS_PES_LADDER - a two-level ladder / radix queue whose inserts are
 *                   sequential appends and whose head is sorted lazily in
 *                   cache-sized pieces; fast with 10^7 entries and more.
 *   HS_PES_AUTO   - starts as a heap and moves its entries into a ladder
 *                   when it grows past a threshold (and back when it
 *                   shrinks well below it).
 *   HS_PES_BINARY - a plain binary heap: the textbook baseline, kept for
 *                   measuring the others against (`hailsham run --pes`).
 * All give exactly the same pop order for the same pushes.
 *
 * Inserting an entry earlier than the last popped one is allowed (the set
 * is a general priority queue), although simulations never do it.
 * Times must be finite; the caller checks that.
 */
#ifndef HAILSHAM_PES_H
#define HAILSHAM_PES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hs_pes_entry {
    double t;       /* event time */
    uint64_t ord;   /* tie-break: smaller first when times are equal */
    uint64_t ref;   /* opaque payload, returned as given */
};

enum hs_pes_kind { HS_PES_AUTO = 0, HS_PES_HEAP = 1, HS_PES_LADDER = 2, HS_PES_BINARY = 3 };

typedef struct hs_pes hs_pes;

/* Create an empty set of the given kind.  `expected` is a hint of the
 * number of entries that will be pending (0 if unknown).  Returns NULL when
 * memory is short or `kind` is unknown. */
hs_pes *hs_pes_create(enum hs_pes_kind kind, size_t expected);
void hs_pes_destroy(hs_pes *q);        /* NULL is allowed */

/* Insert an entry.  Returns HS_OK, or HS_ENOMEM (the set is unchanged). */
int hs_pes_push(hs_pes *q, const struct hs_pes_entry *e);

/* Remove the earliest entry into *out.  Returns 1 if an entry was removed,
 * 0 if the set was empty. */
int hs_pes_pop(hs_pes *q, struct hs_pes_entry *out);

/* Look at the earliest entry without removing it: 1 if there is one, 0 if
 * the set is empty.  May reorganise internal storage, hence non-const. */
int hs_pes_peek(hs_pes *q, struct hs_pes_entry *out);

size_t hs_pes_size(const hs_pes *q);
enum hs_pes_kind hs_pes_kind(const hs_pes *q); /* the structure in use now */
size_t hs_pes_memory(const hs_pes *q);         /* bytes held, approximate */

/* Remove every entry for which keep(ctx, entry) returns 0.  Used by the
 * engine to purge cancelled events; O(size). */
void hs_pes_filter(hs_pes *q, int (*keep)(void *ctx, const struct hs_pes_entry *e),
                   void *ctx);

#ifdef __cplusplus
}
#endif
#endif
