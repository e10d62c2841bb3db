/* SPDX-License-Identifier: MIT
 *
 * diag.h - recording errors and value origins (private to src/scenario).
 *
 * Errors are whole lines "WHERE: error: MESSAGE"; WHERE is a position
 * ("file:3:9"), a --set assignment or a file name.  Origins map key paths to
 * the WHERE that last set them, for cross-field errors found later.
 */
#ifndef HS_SCENARIO_DIAG_H
#define HS_SCENARIO_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "scenario.h"

#if defined(__GNUC__) || defined(__clang__)
#define HS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HS_PRINTF(a, b)
#endif

/* Add "where: error: fmt..."; HS_OK or HS_ENOMEM (d->nomem is then set).
 * Past HS_DIAG_MAX errors one last line says so and the rest are counted. */
int hs_diag_add(struct hs_diag *d, const char *where, const char *fmt, ...) HS_PRINTF(3, 4);

/* Non-zero once HS_DIAG_MAX errors are kept: readers may stop early. */
int hs_diag_full(const struct hs_diag *d);

/* Record that path was set at where (newest wins). */
int hs_diag_origin(struct hs_diag *d, const char *path, const char *where);

/* Where path (or a key under it, or else its nearest section) was last
 * set, or NULL if it holds a default. */
const char *hs_diag_locate(const struct hs_diag *d, const char *path);
/* The same for a rule over several keys: the newest of them. */
const char *hs_diag_locate_any(const struct hs_diag *d, const char *const *paths, size_t n);

/* Remember the name of the file being read, as it is shown in messages
 * (hs_diag_shown, at most HS_SOURCE_MAX bytes, so that "name:LINE:COLUMN"
 * always fits a position buffer whole): d->source, for errors with no
 * position and for the positions of the file read. */
#define HS_SOURCE_MAX 240
int hs_diag_set_source(struct hs_diag *d, const char *name);

/* User text as a message shows it, on one line: control characters as
 * \n, \r, \t or \xNN; longer than max bytes (max 0: no limit), its middle
 * cut to "..." so that the start and the end are kept (a path's end names
 * the file).  Allocated (NULL when memory runs out); free it.  Every
 * line hs_diag_add keeps has gone through it. */
char *hs_diag_shown(const char *s, size_t max);

/* Print prefix, then msg shown on one line (hs_diag_shown), then a
 * newline: how the commands print a message that may hold user text
 * (file and directory names). */
void hs_diag_say(FILE *f, const char *prefix, const char *msg);

/* Show user text in a message: 'text' with control bytes as \xNN, cut to
 * about 40 bytes with "...".  buf holds at least 200 bytes. */
#define HS_SHOW_MAX 200
void hs_show(char *buf, size_t size, const char *s, size_t len);

#endif
