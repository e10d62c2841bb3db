/* SPDX-License-Identifier: MIT
 *
 * catalogue.h - every figure a run reports, once: the twin of the
 * scenario's schema (src/scenario/schema.c) on the output side.
 *
 * A headline figure is a double of struct hs_summary; a yearly figure a
 * column of yearly.csv (a double of struct hs_year_row, or one organ's
 * entry of its per-organ arrays).  Each row gives the stable name the
 * files use, its unit, the digits shown, its label in the novel's words
 * and in plain words, one sentence of meaning, and whether the world
 * without the programme has it.  summary.json, yearly.csv, the yearly
 * tables of run.sqlite and experiment.sqlite, the experiment's figures,
 * the terminal table of `hailsham run`, the report's tables and labels and
 * the reference in docs/outputs.md (printed by `hailsham figures`) are
 * all made from these rows, so a figure is added by adding its row and
 * the code that computes it.
 */
#ifndef HS_OUTPUT_CATALOGUE_H
#define HS_OUTPUT_CATALOGUE_H

#include <stddef.h>
#include <stdio.h>

#include "../world/world.h"

/* The version of the files' layout (summary.json's "format",
 * experiment.json's "format", run.sqlite's and experiment.sqlite's
 * PRAGMA user_version).  Readers refuse a version they do not know. */
#define HS_FORMAT_VERSION 3
#define HS_FORMAT_STR_(x) #x
#define HS_FORMAT_STR(x) HS_FORMAT_STR_(x)
/* The SQL that stamps a database with the version. */
#define HS_FORMAT_PRAGMA "PRAGMA user_version=" HS_FORMAT_STR(HS_FORMAT_VERSION) ";"

/* Whether a reader knows files of format v: this one, or 0, the files
 * written before the format was stamped, which readers still take. */
static inline int hs_format_known(long long v)
{
    return v == 0 || v == HS_FORMAT_VERSION;
}

enum hs_fig_flags {
    HS_FIG_PUBLIC = 1u << 0,   /* a figure of the public: the world without the
                                  programme has it too */
    HS_FIG_TABLE = 1u << 1,    /* shown in `hailsham run`'s table */
    HS_FIG_END = 1u << 2,      /* yearly: taken at the year's end, not over it */
};

struct hs_figure {
    const char *name;          /* stable: the files' name for it */
    size_t off;                /* in struct hs_summary or struct hs_year_row */
    int organ;                 /* yearly per-organ arrays: the organ, else -1 */
    const char *unit;          /* what one of it is, for the reference */
    int digits;                /* decimals shown */
    double factor;             /* shown = value * factor */
    const char *label;         /* in the novel's words */
    const char *plain;         /* in plain words; NULL when the same */
    const char *meaning;       /* one sentence, for docs/outputs.md */
    unsigned flags;
};

/* The headline figures, in the order of summary.json. */
size_t hs_cat_headlines(void);
const struct hs_figure *hs_cat_headline(size_t i);
const struct hs_figure *hs_cat_headline_find(const char *name);
/* Whether the figure counts events or people (whole numbers of a unit such
 * as "people", "operations", "organs"), so that a small mean is a handful
 * of events. */
int hs_cat_is_count(const struct hs_figure *f);
double hs_cat_headline_value(const struct hs_figure *f, const struct hs_summary *s);
/* The sentence that a run of `scenario` at `scale` has waiting lists and
 * organs wasted unlike those of its calibration at `calibrated` (0: none),
 * into buf; "" when there is nothing to say.  The run's table and report
 * both say it. */
void hs_cat_scale_note(char *buf, size_t n, const char *scenario, double scale,
                       double calibrated);

/* The yearly figures, in the order of yearly.csv's columns after `year`. */
size_t hs_cat_yearlies(void);
const struct hs_figure *hs_cat_yearly(size_t i);
const struct hs_figure *hs_cat_yearly_find(const char *name);
double hs_cat_yearly_value(const struct hs_figure *f, const struct hs_year_row *r);

/* The label in the register asked for. */
const char *hs_cat_label(const struct hs_figure *f, int plain);

/* The reference of both catalogues, as the Markdown of docs/outputs.md
 * between its "figures" markers.  Returns 0, or -1 if the write failed. */
int hs_cat_markdown(FILE *f);

#endif
