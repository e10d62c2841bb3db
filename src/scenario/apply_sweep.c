/* SPDX-License-Identifier: MIT
 *
 * apply_sweep.c - checking the `sweep:` section of a scenario file while it
 * is read, so that `hailsham validate` reports its errors at their lines.
 *
 * Each swept key path must name a key of the schema, and each of its values
 * is checked as that key's value would be in a file, on a scratch copy of
 * the defaults (the scenario itself is untouched); a value that gives the
 * same parameters as an earlier one is refused, since it would run the
 * same point twice.  sweep.c later turns the checked section into the
 * value texts `hailsham experiment` applies.
 */
#include "apply_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* The field at a dotted key path (len bytes) and the base its offset is
 * taken from (as an offset into struct hs_params); NULL if the path does
 * not name a key, with *at the field the unknown segment (*bad, *badlen
 * bytes into s) was looked for in. */
static const struct hs_field *sweep_field(const char *s, size_t len, size_t *base,
                                          const struct hs_field **at, size_t *bad,
                                          size_t *badlen)
{
    const struct hs_field *f = &hs_schema_root;
    size_t i = 0;
    *base = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && s[j] != '.')
            j++;
        const struct hs_field *next = NULL;
        for (size_t k = 0; f->kind == HS_K_MAP && k < f->nsub && !next; k++)
            if (strlen(f->sub[k].key) == j - i && memcmp(f->sub[k].key, s + i, j - i) == 0)
                next = &f->sub[k];
        if (!next) {
            *at = f;
            *bad = i;
            *badlen = j - i;
            return NULL;
        }
        *base += f->off;
        f = next;
        i = j + 1;
    }
    return f;
}

/* FNV-1a of the parameters (the struct is zeroed before it is filled, so
 * equal parameters are equal bytes); never 0, which marks a bad value. */
static uint64_t params_hash(const struct hs_params *p)
{
    const unsigned char *b = (const unsigned char *)p;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < sizeof *p; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h ? h : 1;
}

/* One `key.path: [values]` of the sweep.  Each value is checked as the
 * key's value would be in a file, on a scratch copy of the defaults, so
 * the scenario itself is untouched; rules across keys are checked per
 * sweep point by the experiment. */
static void sweep_key(struct app *a, yaml_node_t *k, yaml_node_t *v)
{
    char shown[HS_SHOW_MAX], path[HS_PATH_MAX];
    size_t base = 0, bad = 0, badlen = 0, len = k->data.scalar.length;
    const struct hs_field *at = &hs_schema_root;
    const struct hs_field *f = len > 0 && len < HS_PATH_MAX
        ? sweep_field(ap_text(k), len, &base, &at, &bad, &badlen) : NULL;
    if (!f) {
        const char *names[32], *best = NULL;
        size_t n = 0;
        for (; at->kind == HS_K_MAP && n < at->nsub && n < 32; n++)
            names[n] = at->sub[n].key;
        if (len > 0 && len < HS_PATH_MAX)
            best = hs_suggest(ap_text(k) + bad, badlen, names, n);
        hs_show(shown, sizeof shown, ap_text(k), len);
        if (best) {
            /* the part is user text too: shown escaped, as the path is */
            char part[HS_SHOW_MAX];
            hs_show(part, sizeof part, ap_text(k) + bad, badlen);
            ap_err(a, k->start_mark, "unknown key path %s in sweep: no key %s there (did "
                "you mean '%s'?)", shown, part, best);
        } else {
            ap_err(a, k->start_mark, "unknown key path %s in sweep (write the dotted path of a "
                "key, as in programme.end)", shown);
        }
        return;
    }
    if (!v || v->type != YAML_SEQUENCE_NODE || ap_seq_len(v) == 0) {
        ap_describe(v, shown, sizeof shown);
        ap_err(a, ap_mark(v, k->start_mark), "expected a list of the values to sweep, as in "
            "[0, 0.5], found %s", v && v->type == YAML_SEQUENCE_NODE ? "an empty list" : shown);
        return;
    }
    struct hs_params *scratch = malloc(sizeof *scratch);
    if (!scratch) {
        a->d->nomem = 1;
        return;
    }
    memcpy(path, ap_text(k), len);
    path[len] = '\0';
    int partial = a->partial;
    a->partial = 1;   /* a section value changes only the keys it gives, as --set */
    a->scratch = 1;
    /* the parameters each value gives, by hash: a value given twice (0.5
     * and 0.50 too) would run the same point twice */
    uint64_t *seen = calloc(ap_seq_len(v), sizeof *seen);
    if (!seen)
        a->d->nomem = 1;
    for (size_t i = 0; seen && i < ap_seq_len(v) && !hs_diag_full(a->d); i++) {
        hs_params_default(scratch);
        yaml_node_t *it = ap_node(a, v->data.sequence.items.start[i]);
        int before = a->errors;
        ap_field(a, f, (char *)scratch + base, it, ap_mark(it, v->start_mark), path);
        if (a->errors != before)
            continue;
        seen[i] = params_hash(scratch);
        for (size_t j = 0; j < i; j++) {
            yaml_node_t *prev = ap_node(a, v->data.sequence.items.start[j]);
            if (seen[j] != seen[i])
                continue;
            char first[64];
            hs_src_at(a->src, prev->start_mark, first, sizeof first);
            ap_describe(it, shown, sizeof shown);
            ap_err(a, ap_mark(it, v->start_mark), "the value %s is given twice in the sweep of "
                "%s (first at %s)", shown, path, first);
            break;
        }
    }
    free(seen);
    a->partial = partial;
    a->scratch = 0;
    free(scratch);
}

/* sweep: {key.path: [v1, v2, ...], ...}: the values an experiment varies
 * (hailsham experiment, docs/experiments.md).  Checked here so that
 * `hailsham validate` reports its errors with their lines. */
void ap_sweep(struct app *a, yaml_node_t *n, yaml_node_t *k, yaml_node_t **seen)
{
    char shown[HS_SHOW_MAX], at[64];
    if (*seen) {
        hs_src_at(a->src, (*seen)->start_mark, at, sizeof at);
        ap_err(a, k->start_mark, "duplicate key 'sweep' (first given at %s)", at);
        return;
    }
    *seen = k;
    if (!n || n->type != YAML_MAPPING_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, k->start_mark), "expected a mapping of key paths to lists of "
            "values, as in sweep: {programme.end: [1980, 1990]}, found %s", shown);
        return;
    }
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
         pr < n->data.mapping.pairs.top && !hs_diag_full(a->d); pr++) {
        yaml_node_t *key = ap_node(a, pr->key), *val = ap_node(a, pr->value);
        if (key->type != YAML_SCALAR_NODE) {
            ap_describe(key, shown, sizeof shown);
            ap_err(a, key->start_mark, "a key must be a name, found %s", shown);
            continue;
        }
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < pr; q++) {
            yaml_node_t *prev = ap_node(a, q->key);
            if (prev->type == YAML_SCALAR_NODE &&
                prev->data.scalar.length == key->data.scalar.length &&
                memcmp(ap_text(prev), ap_text(key), key->data.scalar.length) == 0) {
                hs_src_at(a->src, prev->start_mark, at, sizeof at);
                hs_show(shown, sizeof shown, ap_text(key), key->data.scalar.length);
                ap_err(a, key->start_mark, "duplicate key %s in sweep (first given at %s)", shown,
                    at);
                key = NULL;
                break;
            }
        }
        if (key)
            sweep_key(a, key, val);
    }
}
