/* SPDX-License-Identifier: MIT
 *
 * set.c - one command-line assignment, "key.path=value".
 *
 * The key path is walked through the schema; the value is read as a YAML
 * document of its own (so 0.5, never, {1960: 300} and [a, b] all work) and
 * validated by the same code as a file, with the whole assignment as the
 * place named in messages.  A path may end at a section, in which case only
 * the keys given change; dated tables and lists are given whole, as in a
 * file.
 */
#include "scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "reader.h"
#include "schema.h"

static int set_error(const struct hs_src *src, struct hs_diag *d, const char *fmt, ...)
    HS_PRINTF(3, 4);

static int set_error(const struct hs_src *src, struct hs_diag *d, const char *fmt, ...)
{
    char m[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    hs_diag_add(d, src->set, "%s", m);
    return d->nomem ? HS_ENOMEM : HS_EPARSE;
}

/* Why a path cannot go on below field f (not a section). */
static int not_a_section(const struct hs_src *src, struct hs_diag *d,
                         const struct hs_field *f, const char *path)
{
    if (f->kind == HS_K_DATED)
        return set_error(src, d, "%s is %s: give it whole, as in --set '%s=%s'", path,
                         hs_table_keys(f)->a_table, path, hs_table_keys(f)->example);
    if (f->kind == HS_K_LIST)
        return set_error(src, d, "%s is a list: give it whole, as in "
                         "--set '%s=[{name: ..., share: 1}]'", path, path);
    return set_error(src, d, "%s is a single value: it has no keys below it", path);
}

static int unknown_segment(const struct hs_src *src, struct hs_diag *d,
                           const struct hs_field *map, const char *seg, size_t len,
                           const char *path)
{
    char shown[HS_SHOW_MAX], words[512];
    const char *names[32];
    size_t n = 0, k = 0;
    for (; n < map->nsub && n < 32; n++)
        names[n] = map->sub[n].key;
    hs_show(shown, sizeof shown, seg, len);
    const char *best = hs_suggest(seg, len, names, n);
    if (best)
        return set_error(src, d, "unknown key %s (did you mean '%s'?)", shown, best);
    words[0] = '\0';
    for (size_t i = 0; i < n && k < sizeof words; i++)
        k += (size_t)snprintf(words + k, sizeof words - k, "%s%s", i ? ", " : "", names[i]);
    return set_error(src, d, "unknown key %s in %s (expected one of: %s)", shown,
                     path[0] ? path : "the top level", words);
}

/* Walk key (len bytes) to its field; *mapbase is the base the field's
 * offset is taken from, path receives the canonical path. */
static int walk(const struct hs_src *src, struct hs_diag *d, const char *key, size_t len,
                char *p, const struct hs_field **out, char **mapbase, char *path)
{
    const struct hs_field *f = &hs_schema_root;
    char *base = p;
    size_t i = 0;

    path[0] = '\0';
    while (i <= len) {
        size_t j = i;
        while (j < len && key[j] != '.')
            j++;
        if (f->kind != HS_K_MAP)
            return not_a_section(src, d, f, path);
        if (j == i)
            return set_error(src, d, "the key path has an empty part (two dots, or a dot at "
                             "an end)");
        const struct hs_field *next = NULL;
        for (size_t k = 0; k < f->nsub && !next; k++)
            if (strlen(f->sub[k].key) == j - i && memcmp(f->sub[k].key, key + i, j - i) == 0)
                next = &f->sub[k];
        if (!next)
            return unknown_segment(src, d, f, key + i, j - i, path);
        base += f->off;
        snprintf(path + strlen(path), HS_PATH_MAX - strlen(path), "%s%s", path[0] ? "." : "",
                 next->key);
        f = next;
        i = j + 1;
    }
    *out = f;
    *mapbase = base;
    return HS_OK;
}

/* Apply to *p in place (the caller keeps a copy for atomicity). */
static int set_into(struct hs_params *p, const char *assignment, struct hs_diag *d)
{
    struct hs_src src;
    const struct hs_field *f = NULL;
    char *mapbase = NULL, path[HS_PATH_MAX];
    yaml_document_t doc;

    hs_src_set(&src, assignment);
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return set_error(&src, d, "expected KEY=VALUE, as in --set scenario.scale=0.1 "
                         "(no '=' found)");
    size_t len = (size_t)(eq - assignment);
    while (len > 0 && assignment[len - 1] == ' ')   /* "key = value" */
        len--;
    if (len == 0)
        return set_error(&src, d, "the key path before '=' is missing");
    int rc = walk(&src, d, assignment, len, (char *)p, &f, &mapbase, path);
    if (rc != HS_OK)
        return rc;
    rc = hs_yaml_read(&src, eq + 1, strlen(eq + 1), &doc, d);
    if (rc != HS_OK)
        return rc;
    rc = hs_apply_value(&src, &doc, f, mapbase, path, d);
    yaml_document_delete(&doc);
    return rc;
}

int hs_scenario_set(struct hs_params *p, const char *assignment, struct hs_diag *d)
{
    struct hs_params tmp;
    memcpy(&tmp, p, sizeof tmp);
    int rc = set_into(&tmp, assignment, d);
    if (rc == HS_OK && d->nomem)
        rc = HS_ENOMEM;
    if (rc == HS_OK)
        memcpy(p, &tmp, sizeof tmp);
    return rc;
}
