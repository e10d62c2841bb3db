/* SPDX-License-Identifier: MIT
 *
 * scenario.c - loading a scenario by file, by built-in name or by either,
 * and the list of built-in scenarios.
 *
 * Every load starts from the defaults in a private copy and writes the
 * caller's struct only when everything succeeded, so a failed load never
 * leaves a half-read scenario behind.  resolve prefers a file that exists
 * over a built-in of the same name (so a user's ./canon is read as
 * written) and only falls back to the built-ins for words that are not
 * files.
 */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "reader.h"
#include "schema.h"

/* ---- built-ins --------------------------------------------------------- */

size_t hs_scenario_builtin_count(void)
{
    return hs_nbuiltins;
}

const char *hs_scenario_builtin_name(size_t i)
{
    return i < hs_nbuiltins ? hs_builtins[i].name : NULL;
}

const char *hs_scenario_builtin_summary(size_t i)
{
    return i < hs_nbuiltins ? hs_builtins[i].summary : NULL;
}

const char *hs_scenario_builtin_text(size_t i, size_t *len)
{
    if (i >= hs_nbuiltins)
        return NULL;
    if (len)
        *len = hs_builtins[i].len;
    return hs_builtins[i].text;
}

size_t hs_scenario_builtin_find(const char *name)
{
    for (size_t i = 0; i < hs_nbuiltins; i++)
        if (strcmp(hs_builtins[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

/* ---- loading into a working copy -------------------------------------- */

/* Read text on top of *p (no cross-field check); with sweep, also its
 * sweep section from the same document. */
static int load_text(const char *name, const char *text, size_t len, struct hs_params *p,
                     struct hs_sweep *sweep, struct hs_diag *d)
{
    struct hs_src src;
    yaml_document_t doc;

    if (hs_diag_set_source(d, name) != HS_OK)
        return HS_ENOMEM;
    hs_src_file(&src, d->source);   /* the name as shown: its positions fit whole */
    int rc = hs_yaml_read(&src, text, len, &doc, d);
    if (rc != HS_OK)
        return rc;
    rc = hs_apply_document(&src, &doc, p, d);
    if (rc == HS_OK && sweep)
        rc = hs_sweep_extract(&doc, sweep);
    yaml_document_delete(&doc);
    return rc;
}

/* A file is read once, whole, and parsed from memory: it may be a pipe. */
static int load_path(const char *path, struct hs_params *p, struct hs_sweep *sweep,
                     struct hs_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    int rc = hs_read_file(path, &text, &len, d);
    if (rc != HS_OK)
        return rc;
    rc = load_text(path, text, len, p, sweep, d);
    free(text);
    return rc;
}

static void builtin_list(char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < hs_nbuiltins && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", hs_builtins[i].name);
}

static int load_named(const char *name, struct hs_params *p, struct hs_sweep *sweep,
                      struct hs_diag *d)
{
    char file[HS_WHERE_MAX], list[256], shown[HS_SHOW_MAX];
    size_t i = hs_scenario_builtin_find(name);
    if (i != (size_t)-1) {
        snprintf(file, sizeof file, "%s.yaml", hs_builtins[i].name);
        return load_text(file, hs_builtins[i].text, hs_builtins[i].len, p, sweep, d);
    }
    const char *names[16] = {NULL};
    size_t n = 0;
    for (; n < hs_nbuiltins && n < 16; n++)
        names[n] = hs_builtins[n].name;
    const char *best = hs_suggest(name, strlen(name), names, n);
    builtin_list(list, sizeof list);
    hs_show(shown, sizeof shown, name, strlen(name));
    hs_show(file, sizeof file, name, strlen(name));
    /* The name is the "file" of the message: strip hs_show's quotes. */
    file[strlen(file) - 1] = '\0';
    if (best)
        hs_diag_add(d, file + 1, "no file or built-in scenario named %s (did you mean '%s'?); "
                    "the built-ins are %s", shown, best, list);
    else
        hs_diag_add(d, file + 1, "no file or built-in scenario named %s; the built-ins are %s",
                    shown, list);
    return d->nomem ? HS_ENOMEM : HS_EPARSE;
}

static int looks_like_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

static int resolve_into(const char *what, struct hs_params *p, struct hs_sweep *sweep,
                        struct hs_diag *d)
{
    struct stat st;
    if (what[0] == '\0') {
        hs_diag_add(d, "scenario", "no scenario given: name a file or a built-in scenario");
        return d->nomem ? HS_ENOMEM : HS_EPARSE;
    }
    if (stat(what, &st) == 0 || looks_like_path(what))
        return load_path(what, p, sweep, d);
    return load_named(what, p, sweep, d);
}

/* The worse of two statuses: out of memory, then I/O, then invalid. */
static int worse(int a, int b)
{
    static const int order[] = {HS_ENOMEM, HS_EIO, HS_EPARSE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (a == order[i] || b == order[i])
            return order[i];
    return a != HS_OK ? a : b;
}

/* Check the copy and hand it out if all went well. */
static int finish(int rc, const struct hs_params *tmp, struct hs_params *out, struct hs_diag *d)
{
    if (rc == HS_OK)
        rc = hs_scenario_check(tmp, d);
    if (rc == HS_OK && d->nomem)
        rc = HS_ENOMEM;
    if (rc == HS_OK)
        memcpy(out, tmp, sizeof *out);
    return rc;
}

/* ---- the API ----------------------------------------------------------- */

int hs_scenario_load_string(const char *display_name, const char *text, size_t len,
                            struct hs_params *out, struct hs_diag *d)
{
    struct hs_params tmp;
    hs_params_default(&tmp);
    return finish(load_text(display_name, text, len, &tmp, NULL, d), &tmp, out, d);
}

int hs_scenario_load_file(const char *path, struct hs_params *out, struct hs_diag *d)
{
    struct hs_params tmp;
    hs_params_default(&tmp);
    return finish(load_path(path, &tmp, NULL, d), &tmp, out, d);
}

int hs_scenario_load_builtin(const char *name, struct hs_params *out, struct hs_diag *d)
{
    struct hs_params tmp;
    hs_params_default(&tmp);
    return finish(load_named(name, &tmp, NULL, d), &tmp, out, d);
}

int hs_scenario_resolve(const char *name_or_path, struct hs_params *out, struct hs_diag *d)
{
    return hs_scenario_resolve_set(name_or_path, NULL, 0, out, d);
}

static int resolve_sets(const char *name_or_path, const char *const *sets, size_t nset,
                        struct hs_params *out, struct hs_sweep *sweep, struct hs_diag *d)
{
    struct hs_params tmp;
    hs_params_default(&tmp);
    int rc = resolve_into(name_or_path, &tmp, sweep, d);
    /* Go on after a bad file so that bad assignments are reported too. */
    for (size_t i = 0; i < nset && rc != HS_ENOMEM; i++)
        rc = worse(rc, hs_scenario_set(&tmp, sets[i], d));
    return finish(rc, &tmp, out, d);
}

int hs_scenario_resolve_set(const char *name_or_path, const char *const *sets, size_t nset,
                            struct hs_params *out, struct hs_diag *d)
{
    return resolve_sets(name_or_path, sets, nset, out, NULL, d);
}

int hs_scenario_resolve_sweep(const char *name_or_path, const char *const *sets, size_t nset,
                              struct hs_params *out, struct hs_sweep *sweep, struct hs_diag *d)
{
    struct hs_sweep s = {NULL, 0};
    int rc = resolve_sets(name_or_path, sets, nset, out, &s, d);
    if (rc == HS_OK)
        *sweep = s;
    else
        hs_sweep_free(&s);
    return rc;
}

int hs_scenario_load_sweep(const char *name_or_path, struct hs_sweep *out, struct hs_diag *d)
{
    struct stat st;
    const char *what = name_or_path;
    if (what[0] != '\0' && (stat(what, &st) == 0 || looks_like_path(what))) {
        char *text = NULL;
        size_t len = 0;
        int rc = hs_read_file(what, &text, &len, d);
        if (rc == HS_OK)
            rc = hs_sweep_read(what, text, len, out, d);
        free(text);
        return rc;
    }
    size_t i = hs_scenario_builtin_find(what);
    if (i == (size_t)-1) {
        struct hs_params tmp;   /* for resolve's message about the name */
        return resolve_into(what, &tmp, NULL, d);
    }
    char file[HS_WHERE_MAX];
    snprintf(file, sizeof file, "%s.yaml", hs_builtins[i].name);
    return hs_sweep_read(file, hs_builtins[i].text, hs_builtins[i].len, out, d);
}
