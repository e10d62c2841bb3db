/* SPDX-License-Identifier: MIT
 *
 * hsweb.h - the functions the web page's worker calls (hsweb.c).  Each
 * returns text that stays valid until the next call.
 */
#ifndef HS_WEB_HSWEB_H
#define HS_WEB_HSWEB_H

#include <emscripten.h>

/* {"version", "scenarios": [{"name", "summary"}]} */
EMSCRIPTEN_KEEPALIVE const char *hsweb_info(void);
/* The schema's description of one key as JSON, or "" if there is none. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_field(const char *path);
/* The built-in scenario with the assignments (one "key=value" a line),
 * checked: {"ok": true, "params"} or {"ok": false, "errors"}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_check(const char *scenario, const char *sets);
/* A run of world 0 (the scenario's) or world 1 (the same without the
 * programme), each in a worker of its own. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_run(const char *scenario, const char *sets,
                                           const char *seed, int world);

/* The last run's donors that match a search, and one donor's life. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_donors(const char *query, int max);
EMSCRIPTEN_KEEPALIVE const char *hsweb_chronicle(const char *id, int plain);
/* could-it-work: world k of the ladder, replication rep; then the answer
 * from every job's results (src/world/could.c). */
EMSCRIPTEN_KEEPALIVE const char *hsweb_could_job(const char *scenario, const char *sets,
                                                 const char *seed_text, int k, int rep);
EMSCRIPTEN_KEEPALIVE const char *hsweb_could_answer(double target, double by,
                                                    double start_year, int ny, int reps,
                                                    const char *results);

#endif
