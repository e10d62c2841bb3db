/* SPDX-License-Identifier: MIT
 *
 * schema.h - the description of every scenario key (private to src/scenario).
 *
 * One table (schema.c) says, for each key of a scenario file, where its value
 * lives in struct hs_params, what type and range it has, its unit, its
 * default and what it means.  Everything else is driven by that table: the
 * defaults (hs_params_default), reading and validating files and --set
 * (apply.c), writing YAML and parameter lists (emit.c) and the reference page
 * docs/scenario.md (docs.c).  Adding a parameter is adding one row.
 */
#ifndef HS_SCENARIO_SCHEMA_H
#define HS_SCENARIO_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "params.h"

/* What a key holds. */
enum hs_kind {
    HS_K_MAP,        /* a mapping of named keys (sub holds them) */
    HS_K_NUM,        /* a finite number in the field's range */
    HS_K_YEAR_NEVER, /* a year in range, or `never` (stored as 0) */
    HS_K_BOOL,       /* true or false, stored as int (or double, HS_F_DOUBLE) */
    HS_K_ENUM,       /* one of names[], stored as its index in an int */
    HS_K_NAME,       /* a short name, stored in char[HS_NAME_MAX] */
    HS_K_DATED,      /* dated table: mapping year -> number in range (or age
                        -> number, with HS_F_AGES) */
    HS_K_LIST,       /* list of mappings with the fields sub (estates, places) */
    HS_K_PROBS,      /* list of exactly HS_MAX_DONATIONS numbers in range */
    HS_K_ORGANSETS   /* list of HS_MAX_DONATIONS lists of organ names */
};

/* Calendar years a scenario may name. */
#define HS_YEAR_LO 1800.0
#define HS_YEAR_HI 2300.0
/* Ages an age table (HS_K_DATED with HS_F_AGES) may name. */
#define HS_AGE_LO 0.0
#define HS_AGE_HI 150.0
/* Longest key path ("programme.estates[7].gallery" and the like). */
#define HS_PATH_MAX 160

#define HS_F_REQUIRED 1u   /* the key must be given (in its mapping or list item) */
#define HS_F_LO_OPEN 2u    /* the range excludes lo: lo < v <= hi */
#define HS_F_DOUBLE 4u     /* a bool stored as a double (0 or 1) */
#define HS_F_AGES 8u       /* a HS_K_DATED table keyed by age, not by year: each row is
                              an age group from its age to the next row's (the last to
                              the end of life) */

/* One key.  off is the byte offset of the value from the base of the
 * enclosing mapping: for a HS_K_MAP it is added to the base its keys see
 * (so the five organ mappings share one shape); for list items it is an
 * offset inside the item struct.  Only the members of the key's kind are
 * used. */
struct hs_field {
    const char *key;
    enum hs_kind kind;
    unsigned flags;
    size_t off;
    double lo, hi;                   /* valid range (NUM, YEAR_NEVER, DATED values, PROBS) */
    const char *unit;                /* for people: "years", "per year", ... or "" */
    const char *doc;                 /* one sentence or two: what the value means */
    double def;                      /* default: NUM, YEAR_NEVER, BOOL, ENUM index */
    const char *def_name;            /* default: NAME */
    const struct hs_dated *def_dated; /* default: DATED */
    const void *def_list;            /* default: LIST items, PROBS doubles, ORGANSETS uint32_t */
    size_t def_n;                    /* items in def_list (LIST) */
    const char *const *names;        /* ENUM: the words, index = stored value */
    size_t nnames;
    const struct hs_field *sub;      /* MAP: its keys; LIST: the item's keys */
    size_t nsub;
    size_t count_off;                /* LIST: offset of the size_t item count */
    size_t item_size;                /* LIST: sizeof one item */
    size_t max;                      /* LIST: most items; DATED: HS_MAX_TABLE */
};

/* The whole file: a HS_K_MAP with key "" whose keys are the sections. */
extern const struct hs_field hs_schema_root;

/* What a HS_K_DATED table is keyed by, in the words of messages and docs:
 * calendar years, or ages (HS_F_AGES).  One row per kind (schema.c), so
 * that the reader, the check, --set and the reference say the same. */
struct hs_table_keys {
    const char *key, *keys, *a_key;  /* "year", "years", "a year" */
    const char *table, *a_table;     /* "dated table", "a dated table" */
    const char *range;               /* the keys' range in the reference */
    const char *values;              /* what more the reference says of the values */
    const char *example;             /* a whole table, for --set */
    double lo, hi;                   /* the keys' range */
};
const struct hs_table_keys *hs_table_keys(const struct hs_field *f);

/* Organ names in enum order ("kidney", ...), as written in files. */
extern const char *const hs_organ_names[HS_NORGANS];

/* Write the defaults of f (and everything below it) into base + f->off.
 * base must be zeroed where names and tables are stored (hs_params_default
 * clears the whole struct first). */
void hs_schema_fill(const struct hs_field *f, void *base);

/* Format v with the fewest significant digits that read back to exactly v
 * ("0.1", "6.88e-05", "41200000").  buf holds at least 32 bytes. */
void hs_fmt_num(char *buf, size_t size, double v);

/* Write a field's value as YAML flow text (numbers, `never`, true/false,
 * enum words, names in double quotes when quote is set, tables as
 * {year: v, ...}, lists as [...]).  Not for HS_K_MAP or HS_K_LIST. */
void hs_fmt_value(FILE *f, const struct hs_field *fld, const void *base, int quote);

/* A value's text into a bounded buffer (the same as hs_fmt_value), for the
 * visitor and the docs.  Returns 0, or -1 if it did not fit or memory ran
 * out (buf then holds a truncated text). */
int hs_fmt_value_buf(char *buf, size_t size, const struct hs_field *fld,
                     const void *base, int quote);

/* Names (HS_K_NAME) hold ASCII letters and digits, spaces, the
 * punctuation . , ; : ! ? ' - _ ( ) / & + # and UTF-8 characters past
 * ASCII that print (letters such as e-acute); hs_name_chars says so in
 * words for the docs and messages.  hs_name_bad_char returns the offset
 * of the first character outside that set (len if none) and its code
 * point in *cp, or the byte | HS_NAME_NOT_UTF8 when the bytes there are
 * not UTF-8.  hs_name_show_char writes it for a message: "'`' (U+0060)",
 * "U+0085" (buf of at least 48 bytes). */
#define HS_NAME_NOT_UTF8 0x80000000u
extern const char hs_name_chars[];
size_t hs_name_bad_char(const char *name, size_t len, uint32_t *cp);
void hs_name_show_char(char *buf, size_t size, uint32_t cp);

/* Edit distance (Levenshtein, ASCII case-insensitive) between a and b,
 * capped: returns cap + 1 as soon as it must exceed cap. */
size_t hs_edit_distance(const char *a, size_t alen, const char *b, size_t cap);

/* The closest of n words to s, or NULL when none is close enough to be a
 * plausible typing slip. */
const char *hs_suggest(const char *s, size_t len, const char *const *words, size_t n);

/* A built-in scenario, embedded at build time by tools/embed.c. */
struct hs_builtin {
    const char *name;      /* "canon" */
    const char *summary;   /* its first comment line, without "# " */
    const char *text;      /* the file, NUL-terminated */
    size_t len;            /* strlen(text) */
};
extern const struct hs_builtin hs_builtins[];
extern const size_t hs_nbuiltins;

/* The rules hs_scenario_check enforces, one sentence each, for the docs. */
extern const char *const hs_check_rules[];
extern const size_t hs_ncheck_rules;

#endif
