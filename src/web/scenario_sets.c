/* SPDX-License-Identifier: MIT
 *
 * scenario_sets.c - the built-in scenarios as --set assignments, for the
 * web page, which has no YAML reader: a native tool run when the page is
 * built (scripts/build-web.sh), never a committed file, so the page
 * follows the scenario files and the schema as they change.
 *
 *     hs-scenario-sets OUT.c
 *
 * For each built-in scenario, every parameter whose value differs from the
 * default becomes one "key.path=value" assignment, with lists and dated
 * tables given whole as flow YAML, as `hailsham run --set` takes them.
 * Before writing, each list of assignments is applied to the defaults
 * through hs_scenario_set and must give the same parameters, written out
 * as YAML, as the file itself: if it does not, the tool fails and names
 * the scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "schema.h"

struct sets {
    char **v;
    size_t n, cap;
};

static int push(struct sets *s, char *line)
{
    if (line == NULL)
        return -1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **v = realloc(s->v, cap * sizeof *v);
        if (v == NULL) {
            free(line);
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = line;
    return 0;
}

static void sets_free(struct sets *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

/* A list as flow YAML, one mapping per item, as emit.c writes its items. */
static void list_text(FILE *f, const struct hs_field *fld, const char *base)
{
    size_t n = *(const size_t *)(const void *)(base + fld->count_off);
    fputc('[', f);
    for (size_t i = 0; i < n && i < fld->max; i++) {
        const char *item = base + fld->off + i * fld->item_size;
        fprintf(f, "%s{", i ? ", " : "");
        for (size_t j = 0; j < fld->nsub; j++) {
            fprintf(f, "%s%s: ", j ? ", " : "", fld->sub[j].key);
            hs_fmt_value(f, &fld->sub[j], item, 1);
        }
        fputc('}', f);
    }
    fputc(']', f);
}

/* "path=value" of one key that is not a mapping, in a malloc'd string. */
static char *assignment(const struct hs_field *fld, const char *base, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return NULL;
    fprintf(f, "%s=", path);
    if (fld->kind == HS_K_LIST)
        list_text(f, fld, base);
    else
        hs_fmt_value(f, fld, base, 1);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The keys below map whose values differ between p and the defaults d. */
static int walk(const struct hs_field *map, const char *p, const char *d, const char *path,
                struct sets *out)
{
    char sub[HS_PATH_MAX];
    for (size_t i = 0; i < map->nsub; i++) {
        const struct hs_field *s = &map->sub[i];
        snprintf(sub, sizeof sub, path[0] ? "%s.%s" : "%s%s", path, s->key);
        if (s->kind == HS_K_MAP) {
            if (walk(s, p + s->off, d + s->off, sub, out) != 0)
                return -1;
            continue;
        }
        char *mine = assignment(s, p, sub), *def = assignment(s, d, sub);
        int same = mine && def && strcmp(mine, def) == 0;
        free(def);
        if (mine == NULL)
            return -1;
        if (same)
            free(mine);
        else if (push(out, mine) != 0)
            return -1;
    }
    return 0;
}

static char *dump(const struct hs_params *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return NULL;
    int bad = hs_scenario_dump_yaml(p, f) != HS_OK;
    if (fclose(f) != 0 || bad) {
        free(text);
        return NULL;
    }
    return text;
}

/* The assignments on top of the defaults give what the file gives. */
static int same_as_file(const char *name, const struct hs_params *want, const struct sets *s)
{
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    hs_params_default(&p);
    int rc = HS_OK;
    for (size_t i = 0; i < s->n && rc == HS_OK; i++)
        rc = hs_scenario_set(&p, s->v[i], &d);
    if (rc == HS_OK)
        rc = hs_scenario_check(&p, &d);
    if (rc != HS_OK) {
        fprintf(stderr, "hs-scenario-sets: %s: its assignments do not load:\n", name);
        hs_diag_print(&d, stderr);
        hs_diag_free(&d);
        return -1;
    }
    hs_diag_free(&d);
    char *a = dump(want), *b = dump(&p);
    int same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    if (!same)
        fprintf(stderr, "hs-scenario-sets: %s: its assignments do not give the parameters "
                        "of the file\n", name);
    return same ? 0 : -1;
}

static void c_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(f, "\\%03o", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: hs-scenario-sets OUT.c\n");
        return 2;
    }
    size_t n = hs_scenario_builtin_count();
    struct sets *all = calloc(n ? n : 1, sizeof *all);
    struct hs_params def;
    hs_params_default(&def);
    int bad = all == NULL;
    for (size_t i = 0; i < n && !bad; i++) {
        const char *name = hs_scenario_builtin_name(i);
        struct hs_params p;
        struct hs_diag d;
        hs_diag_init(&d);
        if (hs_scenario_load_builtin(name, &p, &d) != HS_OK) {
            hs_diag_print(&d, stderr);
            bad = 1;
        }
        hs_diag_free(&d);
        if (!bad && walk(&hs_schema_root, (const char *)&p, (const char *)&def, "", &all[i]) != 0) {
            fprintf(stderr, "hs-scenario-sets: out of memory\n");
            bad = 1;
        }
        if (!bad && same_as_file(name, &p, &all[i]) != 0)
            bad = 1;
    }
    FILE *f = bad ? NULL : fopen(argv[1], "w");
    if (!bad && f == NULL) {
        perror(argv[1]);
        bad = 1;
    }
    if (!bad) {
        fputs("/* Generated by hs-scenario-sets from the built-in scenarios: do not edit. */\n"
              "#include \"builtins.h\"\n\n", f);
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "static const char *const sets_%zu[] = {\n", i);
            for (size_t k = 0; k < all[i].n; k++) {
                fputs("    ", f);
                c_string(f, all[i].v[k]);
                fputs(",\n", f);
            }
            fputs("    NULL\n};\n", f);
        }
        fputs("\nconst struct hs_web_builtin hs_web_builtins[] = {\n", f);
        for (size_t i = 0; i < n; i++) {
            fputs("    {", f);
            c_string(f, hs_scenario_builtin_name(i));
            fputs(", ", f);
            c_string(f, hs_scenario_builtin_summary(i));
            fprintf(f, ", sets_%zu, %zu},\n", i, all[i].n);
        }
        fprintf(f, "};\nconst size_t hs_web_nbuiltins = %zu;\n", n);
        if (fclose(f) != 0) {
            perror(argv[1]);
            bad = 1;
        }
    }
    for (size_t i = 0; all && i < n; i++)
        sets_free(&all[i]);
    free(all);
    if (bad)
        remove(argv[1]);
    return bad ? 1 : 0;
}
