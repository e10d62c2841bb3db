/* SPDX-License-Identifier: MIT
 *
 * builtins.h - the built-in scenarios of the web page, as the --set
 * assignments that turn the defaults into each of them (made at build
 * time from the scenario files by hs-scenario-sets, scenario_sets.c).
 */
#ifndef HS_WEB_BUILTINS_H
#define HS_WEB_BUILTINS_H

#include <stddef.h>

struct hs_web_builtin {
    const char *name;            /* "canon" */
    const char *summary;         /* the file's first comment line */
    const char *const *sets;     /* nsets "key.path=value", then NULL */
    size_t nsets;
};

extern const struct hs_web_builtin hs_web_builtins[];
extern const size_t hs_web_nbuiltins;

#endif
