/* SPDX-License-Identifier: MIT
 *
 * apply_impl.h - what apply.c shares with apply_sweep.c (private to
 * src/scenario): the state of one walk of a document against the schema,
 * how an error is reported at a node, and the walk of one field.
 */
#ifndef HS_SCENARIO_APPLY_IMPL_H
#define HS_SCENARIO_APPLY_IMPL_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"

struct app {
    const struct hs_src *src;
    yaml_document_t *doc;
    struct hs_diag *d;
    int errors;
    int partial;     /* --set: a section need not hold its required keys */
    int scratch;     /* checking sweep values: record no origins */
};

/* An error at mark m (FILE:LINE:COLUMN), counted; the walk goes on. */
void ap_err(struct app *a, yaml_mark_t m, const char *fmt, ...) HS_PRINTF(3, 4);

/* What the user wrote, for "found ...": "nothing", "a mapping", "a list"
 * or the scalar's text, shown escaped. */
void ap_describe(const yaml_node_t *n, char *buf, size_t size);

/* Check node n (at key mark km, key path path) as field f and store it
 * into base + f->off when it is valid. */
void ap_field(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
              yaml_mark_t km, const char *path);

/* The `sweep:` section at key k (seen: where it was first given). */
void ap_sweep(struct app *a, yaml_node_t *n, yaml_node_t *k, yaml_node_t **seen);

static inline yaml_node_t *ap_node(struct app *a, int id)
{
    return yaml_document_get_node(a->doc, id);
}

static inline yaml_mark_t ap_mark(const yaml_node_t *n, yaml_mark_t fallback)
{
    return n ? n->start_mark : fallback;
}

static inline const char *ap_text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static inline size_t ap_seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

#endif
