/* SPDX-License-Identifier: MIT
 *
 * reader.h - from bytes to a checked YAML document, and from a document to
 * parameters (private to src/scenario).
 */
#ifndef HS_SCENARIO_READER_H
#define HS_SCENARIO_READER_H

#include <stddef.h>

#include <yaml.h>

#include "scenario.h"
#include "schema.h"

/* A scenario file is at most this big (real ones are a few kB). */
#define HS_FILE_MAX (1u << 20)
/* Deeper YAML nesting than this is refused before it is built. */
#define HS_DEPTH_MAX 32
/* Longest "WHERE" prefix of a message. */
#define HS_WHERE_MAX 320

/* What is being read: a file (positions are FILE:LINE:COL) or the value of
 * a --set assignment (the prefix is "--set KEY=VALUE"). */
struct hs_src {
    const char *file;             /* file name, or NULL for --set */
    char set[HS_WHERE_MAX - 8];   /* --set: the assignment, shown safely */
};

void hs_src_file(struct hs_src *s, const char *file);
void hs_src_set(struct hs_src *s, const char *assignment);

/* The message prefix for a position in the source. */
void hs_src_where(const struct hs_src *s, yaml_mark_t m, char *buf, size_t size);

/* A position inside a message: "3:7" in a file, "column 7 of the value"
 * in a --set. */
void hs_src_at(const struct hs_src *s, yaml_mark_t m, char *buf, size_t size);
/* The same from a line and a column counted from 0. */
void hs_src_at_text(const struct hs_src *s, size_t line, size_t col, char *buf, size_t size);

/* Parse len bytes as at most one YAML document: HS_OK with *doc loaded
 * (delete it with yaml_document_delete; an empty text gives a document
 * without a root node), HS_EPARSE after adding the syntax error (or every
 * anchor, alias and tag, which scenarios do not use), HS_ENOMEM. */
int hs_yaml_read(const struct hs_src *src, const char *text, size_t len,
                 yaml_document_t *doc, struct hs_diag *d);

/* Read a whole file into a NUL-terminated buffer (free it), refusing
 * directories and files over HS_FILE_MAX.  HS_EIO with the reason in d. */
int hs_read_file(const char *path, char **text, size_t *len, struct hs_diag *d);

/* Apply a whole document (its root is the file's mapping of sections) on
 * top of *p.  Every error is reported; values that failed are not
 * stored.  HS_OK, HS_EPARSE or HS_ENOMEM. */
int hs_apply_document(const struct hs_src *src, yaml_document_t *doc,
                      struct hs_params *p, struct hs_diag *d);

/* Apply the root of doc as the value of one key, fld, whose mapping base
 * is mapbase (inside *p) and whose key path is path. */
int hs_apply_value(const struct hs_src *src, yaml_document_t *doc,
                   const struct hs_field *fld, void *mapbase, const char *path,
                   struct hs_diag *d);

/* The sweep of a document that hs_apply_document accepted, into out
 * (zeroed; empty when there is none).  HS_OK or HS_ENOMEM; on failure
 * out may hold part of it: hs_sweep_free it. */
int hs_sweep_extract(yaml_document_t *doc, struct hs_sweep *out);

/* The sweep of a scenario text (sweep.c), after checking the whole text
 * as a file named name. */
int hs_sweep_read(const char *name, const char *text, size_t len, struct hs_sweep *out,
                  struct hs_diag *d);

#endif
