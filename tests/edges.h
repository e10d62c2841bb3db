/* SPDX-License-Identifier: MIT
 *
 * edges.h - edge values of every numeric scenario parameter, for the tests
 * that go over the whole schema (test_scenario.c: a dump loads back the
 * same; test_limits.c: what validate accepts, the world runs).
 *
 * The walk follows the schema table (src/scenario/schema.c), so a new
 * parameter is covered without touching the tests.  For each number (a
 * key, each item's key of a list's first item, every value of a dated
 * table, every value of a list of probabilities) the edge values are its
 * bounds, the values just inside an open bound (4.9e-324 and 1e-300 over
 * 0), a value just inside each closed bound, and its default; a year that
 * may be never gets never.  edges_each calls fn with a --set assignment
 * that gives the parameter that value (a list is given whole, with the
 * other items and keys as in p).
 */
#ifndef HS_TEST_EDGES_H
#define HS_TEST_EDGES_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

typedef void (*edges_fn)(void *ctx, const char *path, double value, const char *assignment);

struct edges {
    const struct hs_params *base;   /* the scenario the values are set in */
    edges_fn fn;
    void *ctx;
    char set[HS_MAX_TABLE * 64 * 8];
    size_t count;
};

/* The edge values of one range, into v (at most 8); returns how many. */
static size_t edges_values(const struct hs_field *f, double def, double *v)
{
    size_t n = 0;
    if (f->flags & HS_F_LO_OPEN) {
        v[n++] = nextafter(f->lo, f->hi);      /* 4.9e-324 over 0 */
        if (f->lo == 0)
            v[n++] = 1e-300;
    } else {
        v[n++] = f->lo;
        v[n++] = nextafter(f->lo, f->hi);
    }
    v[n++] = f->hi;
    v[n++] = nextafter(f->hi, f->lo);
    v[n++] = def;
    return n;
}

/* The text of the whole list fld of p as a flow sequence. */
static void edges_list_text(struct edges *e, const struct hs_field *fld, const char *base,
                            size_t at)
{
    size_t n = *(const size_t *)(const void *)(base + fld->count_off);
    char val[HS_MAX_TABLE * 64 + 64];
    at += (size_t)snprintf(e->set + at, sizeof e->set - at, "[");
    for (size_t i = 0; i < n; i++) {
        const char *item = base + fld->off + i * fld->item_size;
        at += (size_t)snprintf(e->set + at, sizeof e->set - at, "%s{", i ? ", " : "");
        for (size_t j = 0; j < fld->nsub; j++) {
            hs_fmt_value_buf(val, sizeof val, &fld->sub[j], item, 1);
            at += (size_t)snprintf(e->set + at, sizeof e->set - at, "%s%s: %s", j ? ", " : "",
                                   fld->sub[j].key, val);
        }
        at += (size_t)snprintf(e->set + at, sizeof e->set - at, "}");
    }
    snprintf(e->set + at, sizeof e->set - at, "]");
}

/* Call e->fn for the value now in *p at field leaf (inside list fld when
 * not NULL), setting it by its own key or by the whole list. */
static void edges_emit(struct edges *e, const struct hs_params *p, const struct hs_field *leaf,
                       const char *mapbase, const char *path, const struct hs_field *list,
                       const char *listpath, double v)
{
    char val[HS_MAX_TABLE * 64 + 64];
    if (list) {
        size_t at = (size_t)snprintf(e->set, sizeof e->set, "%s=", listpath);
        edges_list_text(e, list, (const char *)p, at);
    } else {
        hs_fmt_value_buf(val, sizeof val, leaf, mapbase, 1);
        snprintf(e->set, sizeof e->set, "%s=%s", path, val);
    }
    e->count++;
    e->fn(e->ctx, path, v, e->set);
}

static void edges_leaf(struct edges *e, const struct hs_field *f, size_t mapoff,
                       const char *path, const struct hs_field *list, const char *listpath)
{
    struct hs_params p;
    double v[8];
    char *mapbase = (char *)&p + mapoff;
    double *at = (double *)(void *)(mapbase + f->off);

    if (f->kind == HS_K_NUM || f->kind == HS_K_YEAR_NEVER) {
        size_t n = edges_values(f, f->def, v);
        if (f->kind == HS_K_YEAR_NEVER)
            v[n++] = 0;   /* never */
        for (size_t i = 0; i < n; i++) {
            memcpy(&p, e->base, sizeof p);
            *at = v[i];
            edges_emit(e, &p, f, mapbase, path, list, listpath, v[i]);
        }
    } else if (f->kind == HS_K_DATED || f->kind == HS_K_PROBS) {
        /* every value of the table (or list) at the edge at once */
        size_t n = edges_values(f, f->kind == HS_K_PROBS ? 1 : f->lo, v);
        for (size_t i = 0; i < n; i++) {
            memcpy(&p, e->base, sizeof p);
            if (f->kind == HS_K_DATED) {
                struct hs_dated *t = (struct hs_dated *)(void *)at;
                for (size_t k = 0; k < t->n; k++)
                    t->value[k] = v[i];
            } else {
                for (size_t k = 0; k < HS_MAX_DONATIONS; k++)
                    at[k] = k + 1 == HS_MAX_DONATIONS ? 1 : v[i];
            }
            edges_emit(e, &p, f, mapbase, path, list, listpath, v[i]);
        }
    }
}

static void edges_walk(struct edges *e, const struct hs_field *map, size_t mapoff,
                       const char *path)
{
    char sub[HS_PATH_MAX + 40];
    for (size_t i = 0; i < map->nsub; i++) {
        const struct hs_field *f = &map->sub[i];
        snprintf(sub, sizeof sub, path[0] ? "%s.%s" : "%s%s", path, f->key);
        if (f->kind == HS_K_MAP) {
            edges_walk(e, f, mapoff + f->off, sub);
        } else if (f->kind == HS_K_LIST) {
            /* the first item's keys, the list given whole */
            for (size_t j = 0; j < f->nsub; j++) {
                char leaf[HS_PATH_MAX + 80];
                snprintf(leaf, sizeof leaf, "%s[0].%s", sub, f->sub[j].key);
                edges_leaf(e, &f->sub[j], mapoff + f->off, leaf, f, sub);
            }
        } else {
            edges_leaf(e, f, mapoff, sub, NULL, NULL);
        }
    }
}

/* Every edge value of every numeric parameter of base; returns how many. */
static size_t edges_each(const struct hs_params *base, edges_fn fn, void *ctx)
{
    struct edges *e = calloc(1, sizeof *e);
    if (!e)
        return 0;
    e->base = base;
    e->fn = fn;
    e->ctx = ctx;
    edges_walk(e, &hs_schema_root, 0, "");
    size_t n = e->count;
    free(e);
    return n;
}

#endif
