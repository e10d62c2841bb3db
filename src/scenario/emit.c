/* SPDX-License-Identifier: MIT
 *
 * emit.c - parameters out: as a complete scenario file, and as a list of
 * (key path, value) pairs for the parameter tables of reports.
 *
 * The YAML dump writes every key, numbers in their shortest exact form and
 * names in double quotes, so that loading it gives back the same struct
 * bit for bit; that is what makes a run's recorded parameters a scenario
 * that can be run again.
 */
#include "scenario.h"

#include <string.h>

#include "schema.h"

/* ---- YAML -------------------------------------------------------------- */

static void dump_value(FILE *f, const struct hs_field *fld, const char *base)
{
    hs_fmt_value(f, fld, base, 1);
    /* Units say what a number means; "year" and "share" say nothing more. */
    if (fld->unit[0] && strcmp(fld->unit, "share") != 0 && strcmp(fld->unit, "year") != 0 &&
        strcmp(fld->unit, "probability") != 0)
        fprintf(f, "  # %s", fld->unit);
    fputc('\n', f);
}

static void dump_dated(FILE *f, const struct hs_field *fld, const char *base, int indent)
{
    const struct hs_dated *t = (const struct hs_dated *)(const void *)(base + fld->off);
    char y[40], v[40];
    fprintf(f, "%*s%s:  # year: %s\n", indent, "", fld->key, fld->unit);
    for (size_t i = 0; i < t->n && i < HS_MAX_TABLE; i++) {
        hs_fmt_num(y, sizeof y, t->year[i]);
        hs_fmt_num(v, sizeof v, t->value[i]);
        fprintf(f, "%*s%s: %s\n", indent + 2, "", y, v);
    }
}

/* One list item on one line: {name: "Hailsham", share: 0.04, ...}. */
static void dump_item(FILE *f, const struct hs_field *fld, const char *item, int indent)
{
    fprintf(f, "%*s- {", indent, "");
    for (size_t j = 0; j < fld->nsub; j++) {
        fprintf(f, "%s%s: ", j ? ", " : "", fld->sub[j].key);
        hs_fmt_value(f, &fld->sub[j], item, 1);
    }
    fputs("}\n", f);
}

static void dump_list(FILE *f, const struct hs_field *fld, const char *base, int indent)
{
    size_t n = *(const size_t *)(const void *)(base + fld->count_off);
    fprintf(f, "%*s%s:\n", indent, "", fld->key);
    for (size_t i = 0; i < n && i < fld->max; i++)
        dump_item(f, fld, base + fld->off + i * fld->item_size, indent + 2);
}

static void dump_map(FILE *f, const struct hs_field *map, const char *base, int indent)
{
    for (size_t i = 0; i < map->nsub; i++) {
        const struct hs_field *s = &map->sub[i];
        if (indent == 0 && i > 0)
            fputc('\n', f);   /* a blank line between sections */
        if (s->kind == HS_K_MAP) {
            fprintf(f, "%*s%s:\n", indent, "", s->key);
            dump_map(f, s, base + s->off, indent + 2);
        } else if (s->kind == HS_K_LIST) {
            dump_list(f, s, base, indent);
        } else if (s->kind == HS_K_DATED) {
            dump_dated(f, s, base, indent);
        } else {
            fprintf(f, "%*s%s: ", indent, "", s->key);
            dump_value(f, s, base);
        }
    }
}

int hs_scenario_dump_yaml(const struct hs_params *p, FILE *f)
{
    fprintf(f, "# %.*s: every effective parameter, as written by hailsham.\n"
               "# It loads back to the same parameters (see docs/scenario.md).\n\n",
            HS_NAME_MAX - 1, p->name);
    dump_map(f, &hs_schema_root, (const char *)p, 0);
    return ferror(f) ? HS_EIO : HS_OK;
}

/* ---- (path, value) pairs ----------------------------------------------- */

struct visit {
    hs_param_visit fn;
    void *ctx;
    char value[HS_MAX_TABLE * 64 + 64];
};

static void visit_leaf(struct visit *v, const struct hs_field *fld, const char *base,
                       const char *path)
{
    hs_fmt_value_buf(v->value, sizeof v->value, fld, base, 0);
    v->fn(v->ctx, path, v->value);
}

static void visit_list(struct visit *v, const struct hs_field *fld, const char *base,
                       const char *path)
{
    size_t n = *(const size_t *)(const void *)(base + fld->count_off);
    char sub[HS_PATH_MAX + 32];
    for (size_t i = 0; i < n && i < fld->max; i++) {
        const char *item = base + fld->off + i * fld->item_size;
        for (size_t j = 0; j < fld->nsub; j++) {
            snprintf(sub, sizeof sub, "%s[%zu].%s", path, i, fld->sub[j].key);
            visit_leaf(v, &fld->sub[j], item, sub);
        }
    }
}

static void visit_map(struct visit *v, const struct hs_field *map, const char *base,
                      const char *path)
{
    char sub[HS_PATH_MAX];
    for (size_t i = 0; i < map->nsub; i++) {
        const struct hs_field *s = &map->sub[i];
        snprintf(sub, sizeof sub, path[0] ? "%s.%s" : "%s%s", path, s->key);
        if (s->kind == HS_K_MAP)
            visit_map(v, s, base + s->off, sub);
        else if (s->kind == HS_K_LIST)
            visit_list(v, s, base, sub);
        else
            visit_leaf(v, s, base, sub);
    }
}

void hs_scenario_visit(const struct hs_params *p, hs_param_visit fn, void *ctx)
{
    struct visit v;
    v.fn = fn;
    v.ctx = ctx;
    visit_map(&v, &hs_schema_root, (const char *)p, "");
}
