/* SPDX-License-Identifier: MIT
 *
 * apply.c - validating a YAML document against the schema and storing its
 * values into struct hs_params.
 *
 * The walk follows the schema, not the document: only nodes the schema
 * expects are descended into, so its depth is the schema's and a hostile
 * document cannot make it recurse.  Each key is checked on its own (type,
 * range, known name, given once) and an error never stops the walk, so one
 * pass reports everything.  A value is stored only when it is valid; a
 * dated table or a list is stored only when all of it is (it replaces the
 * default whole).  Every stored value records where it came from, for
 * the cross-field check that runs after the walk.
 */
#include "apply_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"


/* Room for any list's items while they are checked. */
union items {
    struct hs_estate_params estate[HS_MAX_ESTATES];
    struct hs_place_params place[HS_MAX_PLACES];
};

/* ---- reporting --------------------------------------------------------- */

void ap_err(struct app *a, yaml_mark_t m, const char *fmt, ...)
{
    char where[HS_WHERE_MAX], msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hs_src_where(a->src, m, where, sizeof where);
    hs_diag_add(a->d, where, "%s", msg);
    a->errors++;
}

static void origin(struct app *a, const char *path, yaml_mark_t m)
{
    char where[HS_WHERE_MAX];
    if (a->scratch)   /* a sweep value set nothing of the scenario */
        return;
    hs_src_where(a->src, m, where, sizeof where);
    hs_diag_origin(a->d, path, where);
}

/* ---- nodes ------------------------------------------------------------- */

static int is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int is_word(const yaml_node_t *n, const char *w)
{
    size_t len = strlen(w);
    return n->data.scalar.length == len && memcmp(ap_text(n), w, len) == 0;
}

/* Nothing written: no node, an empty value, ~ or null. */
static int is_null(const yaml_node_t *n)
{
    if (!n)
        return 1;
    if (!is_plain(n))
        return 0;
    return n->data.scalar.length == 0 || is_word(n, "~") || is_word(n, "null") ||
           is_word(n, "Null") || is_word(n, "NULL");
}

/* What the user wrote, for "found ...". */
void ap_describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (is_null(n))
        snprintf(buf, size, "nothing");
    else if (n->type == YAML_MAPPING_NODE)
        snprintf(buf, size, "a mapping");
    else if (n->type == YAML_SEQUENCE_NODE)
        snprintf(buf, size, "a list");
    else
        hs_show(buf, size, ap_text(n), n->data.scalar.length);
}

static void join(char *out, const char *path, const char *key)
{
    snprintf(out, HS_PATH_MAX, path[0] ? "%s.%s" : "%s%s", path, key);
}

/* ---- numbers ----------------------------------------------------------- */

/* YAML's decimal numbers only: no hex, inf, nan or underscores.  Any
 * length: "0.0100000000...0" is a number however many zeros it has. */
static int looks_numeric(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (len == 0)
        return 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    for (; i < len && isdigit((unsigned char)s[i]); i++)
        digits++;
    if (i < len && s[i] == '.')
        for (i++; i < len && isdigit((unsigned char)s[i]); i++)
            digits++;
    if (digits == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp = 0;
        if (++i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        for (; i < len && isdigit((unsigned char)s[i]); i++)
            exp++;
        if (exp == 0)
            return 0;
    }
    return i == len;
}

/* A number from a scalar, or an error "expected <expect>, found ...". */
static int get_number(struct app *a, const yaml_node_t *n, yaml_mark_t km, const char *expect,
                      double *out)
{
    char shown[HS_SHOW_MAX];
    yaml_mark_t m = ap_mark(n, km);

    if (is_null(n) || n->type != YAML_SCALAR_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, m, "expected %s, found %s", expect, shown);
        return -1;
    }
    ap_describe(n, shown, sizeof shown);
    if (!is_plain(n)) {
        ap_err(a, m, "expected %s, found the quoted text %s (write numbers without quotes)",
            expect, shown);
        return -1;
    }
    if (!looks_numeric(ap_text(n), n->data.scalar.length)) {
        /* YAML's words for infinity and NaN read as numbers elsewhere:
         * say why they are refused here */
        const char *t = ap_text(n);
        t += t[0] == '+' || t[0] == '-';
        int special = !strcasecmp(t, ".inf") || !strcasecmp(t, ".nan") ||
                      !strcasecmp(t, "inf") || !strcasecmp(t, "nan") ||
                      !strcasecmp(t, "infinity");
        ap_err(a, m, "expected %s, found %s%s", expect, shown,
            special ? " (infinite and not-a-number values are not allowed)" : "");
        return -1;
    }
    /* libyaml ends every scalar with a NUL, and looks_numeric has seen
     * only number characters before it: strtod reads exactly the text */
    double v = strtod(ap_text(n), NULL);
    if (!isfinite(v)) {
        ap_err(a, m, "expected %s, found %s, which is too large", expect, shown);
        return -1;
    }
    *out = v;
    return 0;
}

/* Values out of range are errors, never clamped. */
static int check_range(struct app *a, const yaml_node_t *n, double lo, double hi, int lo_open,
                       double v)
{
    char los[40], his[40];
    int lo_ok = lo_open ? v > lo : v >= lo;
    if (lo_ok && v <= hi)
        return 0;
    hs_fmt_num(los, sizeof los, lo);
    hs_fmt_num(his, sizeof his, hi);
    if (lo_open)
        ap_err(a, n->start_mark, "must be greater than %s and at most %s, found %s", los, his,
            ap_text(n));
    else
        ap_err(a, n->start_mark, "must be between %s and %s, found %s", los, his, ap_text(n));
    return -1;
}

static const char *expect_of(const struct hs_field *f)
{
    return strcmp(f->unit, "year") == 0 ? "a year" : "a number";
}

static int get_ranged(struct app *a, const struct hs_field *f, const yaml_node_t *n,
                      yaml_mark_t km, double *out)
{
    if (get_number(a, n, km, expect_of(f), out) != 0)
        return -1;
    return check_range(a, n, f->lo, f->hi, (f->flags & HS_F_LO_OPEN) != 0, *out);
}

/* ---- scalar kinds ------------------------------------------------------ */

static int read_year_never(struct app *a, const struct hs_field *f, const yaml_node_t *n,
                           yaml_mark_t km, double *out)
{
    if (n && is_plain(n) && is_word(n, "never")) {
        *out = 0;   /* params.h: 0 means never */
        return 0;
    }
    if (n && n->type == YAML_SCALAR_NODE && !is_null(n) &&
        !looks_numeric(ap_text(n), n->data.scalar.length)) {
        char shown[HS_SHOW_MAX];
        ap_describe(n, shown, sizeof shown);
        ap_err(a, n->start_mark, "expected a year or never, found %s", shown);
        return -1;
    }
    return get_ranged(a, f, n, km, out);
}

static int read_bool(struct app *a, const yaml_node_t *n, yaml_mark_t km, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE"};
    static const char *const no[] = {"false", "False", "FALSE"};
    char shown[HS_SHOW_MAX];

    if (n && is_plain(n)) {
        for (size_t i = 0; i < 3; i++) {
            if (is_word(n, yes[i])) {
                *out = 1;
                return 0;
            }
            if (is_word(n, no[i])) {
                *out = 0;
                return 0;
            }
        }
    }
    ap_describe(n, shown, sizeof shown);
    ap_err(a, ap_mark(n, km), "expected true or false, found %s", shown);
    return -1;
}

/* "a, b or c" */
static void word_list(char *buf, size_t size, const char *const *words, size_t n, const char *last)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? last : ", ";
        k += (size_t)snprintf(buf + k, size - k, "%s%s", sep, words[i]);
    }
}

static int read_enum(struct app *a, const struct hs_field *f, const yaml_node_t *n,
                     yaml_mark_t km, int *out)
{
    char shown[HS_SHOW_MAX], words[256];
    if (n && n->type == YAML_SCALAR_NODE) {
        for (size_t i = 0; i < f->nnames; i++) {
            if (is_word(n, f->names[i])) {
                *out = (int)i;
                return 0;
            }
        }
    }
    ap_describe(n, shown, sizeof shown);
    word_list(words, sizeof words, f->names, f->nnames, " or ");
    const char *best = n && n->type == YAML_SCALAR_NODE
        ? hs_suggest(ap_text(n), n->data.scalar.length, f->names, f->nnames) : NULL;
    if (best)
        ap_err(a, ap_mark(n, km), "expected %s, found %s (did you mean '%s'?)", words, shown, best);
    else
        ap_err(a, ap_mark(n, km), "expected %s, found %s", words, shown);
    return -1;
}

static int read_name(struct app *a, const yaml_node_t *n, yaml_mark_t km, const char *path,
                     char *out)
{
    char shown[HS_SHOW_MAX], bad[48];
    yaml_mark_t m = ap_mark(n, km);
    if (is_null(n) || n->type != YAML_SCALAR_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, m, "expected a name, found %s", shown);
        return -1;
    }
    size_t len = n->data.scalar.length;
    const char *s = ap_text(n);
    uint32_t cp = 0;
    ap_describe(n, shown, sizeof shown);
    if (len == 0) {
        ap_err(a, m, "a name cannot be empty");
        return -1;
    }
    if (len >= HS_NAME_MAX) {
        ap_err(a, m, "a name has at most %d bytes, found %zu in %s", HS_NAME_MAX - 1, len, shown);
        return -1;
    }
    /* NUL, controls, line breaks YAML knows (NEL, U+2028, U+2029) and the
     * characters of quoting and markup: a name must read back as written
     * wherever it is shown or written out */
    if (hs_name_bad_char(s, len, &cp) < len) {
        hs_name_show_char(bad, sizeof bad, cp);
        ap_err(a, m, "%s cannot hold %s (a name holds %s)", path, bad, hs_name_chars);
        return -1;
    }
    memset(out, 0, HS_NAME_MAX);
    memcpy(out, s, len);
    return 0;
}

static void apply_leaf(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
                       yaml_mark_t km, const char *path)
{
    char *at = base + f->off;
    double v = 0;
    int i = 0, rc = -1;

    switch (f->kind) {
    case HS_K_NUM:
        if ((rc = get_ranged(a, f, n, km, &v)) == 0)
            *(double *)(void *)at = v;
        break;
    case HS_K_YEAR_NEVER:
        if ((rc = read_year_never(a, f, n, km, &v)) == 0)
            *(double *)(void *)at = v;
        break;
    case HS_K_BOOL:
        if ((rc = read_bool(a, n, km, &i)) == 0) {
            if (f->flags & HS_F_DOUBLE)
                *(double *)(void *)at = i;
            else
                *(int *)(void *)at = i;
        }
        break;
    case HS_K_ENUM:
        if ((rc = read_enum(a, f, n, km, &i)) == 0)
            *(int *)(void *)at = i;
        break;
    case HS_K_NAME:
        rc = read_name(a, n, km, path, at);
        break;
    default:
        break;
    }
    if (rc == 0)
        origin(a, path, ap_mark(n, km));
}

/* ---- dated tables ------------------------------------------------------ */

/* One row; 0 if it was added to t. */
static int dated_row(struct app *a, const struct hs_field *f, struct hs_dated *t,
                     yaml_mark_t *marks, yaml_node_t *k, yaml_node_t *v)
{
    double y = 0, val = 0;
    const struct hs_table_keys *kw = hs_table_keys(f);
    int ok = get_number(a, k, k->start_mark, kw->a_key, &y) == 0 &&
             check_range(a, k, kw->lo, kw->hi, 0, y) == 0;
    if (ok && t->n > 0 && y <= t->year[t->n - 1]) {
        char at[64], prev[40];
        size_t j = 0;
        while (j < t->n && t->year[j] != y)
            j++;
        if (j < t->n) {
            hs_src_at(a->src, marks[j], at, sizeof at);
            ap_err(a, k->start_mark, "%s %s is given twice (first at %s)", kw->key, ap_text(k),
                   at);
        } else {
            hs_fmt_num(prev, sizeof prev, t->year[t->n - 1]);
            hs_src_at(a->src, marks[t->n - 1], at, sizeof at);
            ap_err(a, k->start_mark, "%s must increase: %s comes after %s (at %s)", kw->keys,
                ap_text(k), prev, at);
        }
        ok = 0;
    }
    int vok = get_ranged(a, f, v, k->start_mark, &val) == 0;
    if (!ok || !vok)
        return -1;
    marks[t->n] = k->start_mark;
    t->year[t->n] = y;
    t->value[t->n] = val;
    t->n++;
    return 0;
}

static void apply_dated(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
                        yaml_mark_t km, const char *path)
{
    char shown[HS_SHOW_MAX];
    yaml_mark_t marks[HS_MAX_TABLE];
    struct hs_dated t;
    int bad = 0;

    const struct hs_table_keys *kw = hs_table_keys(f);
    if (!n || n->type != YAML_MAPPING_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, km), "expected %s {%s: value, ...}, found %s", kw->a_table,
               kw->key, shown);
        return;
    }
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (count == 0 || count > HS_MAX_TABLE) {
        ap_err(a, n->start_mark, "%s has 1 to %d %s, found %zu", kw->a_table, HS_MAX_TABLE,
               kw->keys, count);
        return;
    }
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < count && !hs_diag_full(a->d); i++) {
        yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        bad |= dated_row(a, f, &t, marks, ap_node(a, pr->key), ap_node(a, pr->value)) != 0;
    }
    if (bad || t.n != count)
        return;
    memcpy(base + f->off, &t, sizeof t);
    origin(a, path, km);
}

/* ---- fixed lists ------------------------------------------------------- */

static void apply_probs(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
                        yaml_mark_t km, const char *path)
{
    char shown[HS_SHOW_MAX];
    double tmp[HS_MAX_DONATIONS];
    int bad = 0;

    if (!n || n->type != YAML_SEQUENCE_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, km), "expected a list of %d numbers, found %s", HS_MAX_DONATIONS,
            shown);
        return;
    }
    if (ap_seq_len(n) != HS_MAX_DONATIONS) {
        ap_err(a, n->start_mark, "expected a list of %d numbers, found %zu", HS_MAX_DONATIONS,
            ap_seq_len(n));
        return;
    }
    for (int k = 0; k < HS_MAX_DONATIONS; k++)
        bad |= get_ranged(a, f, ap_node(a, n->data.sequence.items.start[k]), n->start_mark,
                          &tmp[k]) != 0;
    if (bad)
        return;
    memcpy(base + f->off, tmp, sizeof tmp);
    origin(a, path, km);
}

static int organ_of(struct app *a, const yaml_node_t *n, yaml_mark_t km)
{
    char shown[HS_SHOW_MAX], words[128];
    if (n && n->type == YAML_SCALAR_NODE)
        for (int o = 0; o < HS_NORGANS; o++)
            if (is_word(n, hs_organ_names[o]))
                return o;
    ap_describe(n, shown, sizeof shown);
    const char *best = n && n->type == YAML_SCALAR_NODE
        ? hs_suggest(ap_text(n), n->data.scalar.length, hs_organ_names, HS_NORGANS) : NULL;
    word_list(words, sizeof words, hs_organ_names, HS_NORGANS, " or ");
    if (best)
        ap_err(a, ap_mark(n, km), "unknown organ %s (did you mean '%s'?)", shown, best);
    else
        ap_err(a, ap_mark(n, km), "expected an organ (%s), found %s", words, shown);
    return -1;
}

/* The organs of donation k (from 1), as a bit set; -1 after errors. */
static long organ_set(struct app *a, const yaml_node_t *n, yaml_mark_t km, int k)
{
    char shown[HS_SHOW_MAX];
    uint32_t set = 0;
    int bad = 0;

    if (!n || n->type != YAML_SEQUENCE_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, km), "expected the list of organs taken at donation %d, found %s", k,
            shown);
        return -1;
    }
    for (size_t i = 0; i < ap_seq_len(n) && !hs_diag_full(a->d); i++) {
        yaml_node_t *it = ap_node(a, n->data.sequence.items.start[i]);
        int o = organ_of(a, it, n->start_mark);
        if (o < 0) {
            bad = 1;
        } else if (set & (1u << o)) {
            ap_err(a, it->start_mark, "%s is listed twice in donation %d", hs_organ_names[o], k);
            bad = 1;
        }
        if (o >= 0)
            set |= 1u << o;
    }
    return bad ? -1 : (long)set;
}

static void apply_organsets(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
                            yaml_mark_t km, const char *path)
{
    char shown[HS_SHOW_MAX];
    uint32_t tmp[HS_MAX_DONATIONS];
    int bad = 0;

    if (!n || n->type != YAML_SEQUENCE_NODE || ap_seq_len(n) != HS_MAX_DONATIONS) {
        if (n && n->type == YAML_SEQUENCE_NODE)
            snprintf(shown, sizeof shown, "%zu", ap_seq_len(n));
        else
            ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, km), "expected %d lists of organs, one per donation, found %s",
            HS_MAX_DONATIONS, shown);
        return;
    }
    for (int k = 0; k < HS_MAX_DONATIONS; k++) {
        long s = organ_set(a, ap_node(a, n->data.sequence.items.start[k]), n->start_mark, k + 1);
        bad |= s < 0;
        tmp[k] = s < 0 ? 0 : (uint32_t)s;
    }
    if (bad)
        return;
    memcpy(base + f->off, tmp, sizeof tmp);
    origin(a, path, km);
}

/* ---- mappings ---------------------------------------------------------- */

/* The one section path (outside list items) that has a key named s. */
static int find_home(const struct hs_field *map, const char *path, const char *s, size_t len,
                     char *home, int *found)
{
    for (size_t i = 0; i < map->nsub; i++) {
        const struct hs_field *f = &map->sub[i];
        if (strlen(f->key) == len && memcmp(f->key, s, len) == 0) {
            if ((*found)++ == 0)
                snprintf(home, HS_PATH_MAX, "%s%s", path[0] ? "in " : "at the top level",
                         path);
        }
        if (f->kind == HS_K_MAP) {
            char sub[HS_PATH_MAX];
            join(sub, path, f->key);
            find_home(f, sub, s, len, home, found);
        }
    }
    return *found;
}

static void unknown_key(struct app *a, const struct hs_field *keys, size_t nkeys,
                        const yaml_node_t *k, const char *path)
{
    char shown[HS_SHOW_MAX], home[HS_PATH_MAX], words[1024];
    const char *names[32];
    const char *s = ap_text(k);
    size_t len = k->data.scalar.length;
    int found = 0;

    for (size_t i = 0; i < nkeys && i < 32; i++)
        names[i] = keys[i].key;
    hs_show(shown, sizeof shown, s, len);
    const char *best = hs_suggest(s, len, names, nkeys);
    if (best) {
        ap_err(a, k->start_mark, "unknown key %s (did you mean '%s'?)", shown, best);
    } else if (find_home(&hs_schema_root, "", s, len, home, &found) == 1) {
        ap_err(a, k->start_mark, "unknown key %s here (it belongs %s)", shown, home);
    } else {
        word_list(words, sizeof words, names, nkeys, ", ");
        if (path[0])
            ap_err(a, k->start_mark, "unknown key %s in %s (expected one of: %s)", shown, path,
                words);
        else
            ap_err(a, k->start_mark, "unknown key %s (expected one of: %s)", shown, words);
    }
}

static long find_key(const struct hs_field *keys, size_t nkeys, const yaml_node_t *k)
{
    for (size_t i = 0; i < nkeys; i++)
        if (is_word(k, keys[i].key))
            return (long)i;
    return -1;
}

static void missing_keys(struct app *a, const struct hs_field *keys, size_t nkeys,
                         yaml_node_t *const *seen, yaml_mark_t m, const char *path)
{
    for (size_t i = 0; i < nkeys; i++) {
        if (!(keys[i].flags & HS_F_REQUIRED) || seen[i])
            continue;
        if (path[0])
            ap_err(a, m, "missing required key '%s' in %s", keys[i].key, path);
        else
            ap_err(a, m, "missing required section '%s' (every scenario starts with "
                      "scenario: {name: ...})", keys[i].key);
    }
}

/* ---- the sweep section ------------------------------------------------- */

/* The keys of one mapping node into base.  items: the mapping is a list
 * item, whose required keys are needed even in a --set. */
static void apply_map(struct app *a, const struct hs_field *keys, size_t nkeys, char *base,
                      yaml_node_t *n, yaml_mark_t km, const char *path, int items)
{
    yaml_node_t *seen[32] = {NULL}, *sweep_seen = NULL;
    char shown[HS_SHOW_MAX], sub[HS_PATH_MAX], at[64];
    int need = items || !a->partial;

    if (is_null(n) && !a->partial && !items) {   /* an empty section: nothing to change */
        if (need)
            missing_keys(a, keys, nkeys, seen, ap_mark(n, km), path);
        return;
    }
    if (!n || n->type != YAML_MAPPING_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, km), "expected a mapping of keys (%s), found %s",
            path[0] ? path : "the sections", shown);
        return;
    }
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
         pr < n->data.mapping.pairs.top && !hs_diag_full(a->d); pr++) {
        yaml_node_t *k = ap_node(a, pr->key), *v = ap_node(a, pr->value);
        if (k->type != YAML_SCALAR_NODE) {
            ap_describe(k, shown, sizeof shown);
            ap_err(a, k->start_mark, "a key must be a name, found %s", shown);
            continue;
        }
        if (path[0] == '\0' && !items && is_word(k, "sweep")) {
            ap_sweep(a, v, k, &sweep_seen);   /* not a section of the scenario */
            continue;
        }
        long i = find_key(keys, nkeys, k);
        if (i < 0) {
            unknown_key(a, keys, nkeys, k, path);
            continue;
        }
        if (seen[i]) {
            hs_src_at(a->src, seen[i]->start_mark, at, sizeof at);
            ap_err(a, k->start_mark, "duplicate key '%s' (first given at %s)", keys[i].key, at);
            continue;
        }
        seen[i] = k;
        join(sub, path, keys[i].key);
        ap_field(a, &keys[i], base, v, k->start_mark, sub);
    }
    if (need)
        missing_keys(a, keys, nkeys, seen, n->start_mark, path);
}

/* ---- lists of mappings ------------------------------------------------- */

static void apply_list(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
                       yaml_mark_t km, const char *path)
{
    char shown[HS_SHOW_MAX], sub[HS_PATH_MAX];
    union items tmp;
    int before = a->errors;

    if (!n || n->type != YAML_SEQUENCE_NODE) {
        ap_describe(n, shown, sizeof shown);
        ap_err(a, ap_mark(n, km), "expected a list of mappings, found %s", shown);
        return;
    }
    size_t count = ap_seq_len(n);
    if (count == 0 || count > f->max || f->item_size * f->max > sizeof tmp) {
        ap_err(a, n->start_mark, "expected 1 to %zu items, found %zu", f->max, count);
        return;
    }
    memset(&tmp, 0, sizeof tmp);
    for (size_t i = 0; i < count && !hs_diag_full(a->d); i++) {
        yaml_node_t *it = ap_node(a, n->data.sequence.items.start[i]);
        char *item = (char *)&tmp + i * f->item_size;
        for (size_t j = 0; j < f->nsub; j++)
            hs_schema_fill(&f->sub[j], item);
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        apply_map(a, f->sub, f->nsub, item, it, it->start_mark, sub, 1);
        origin(a, sub, it->start_mark);   /* rules about one item point at it */
    }
    if (a->errors != before)
        return;
    memcpy(base + f->off, &tmp, f->item_size * f->max);
    *(size_t *)(void *)(base + f->count_off) = count;
    origin(a, path, km);
}

void ap_field(struct app *a, const struct hs_field *f, char *base, yaml_node_t *n,
                        yaml_mark_t km, const char *path)
{
    switch (f->kind) {
    case HS_K_MAP:
        apply_map(a, f->sub, f->nsub, base + f->off, n, km, path, 0);
        origin(a, path, km);   /* after its keys: the section locates sums over them */
        break;
    case HS_K_DATED:
        apply_dated(a, f, base, n, km, path);
        break;
    case HS_K_LIST:
        apply_list(a, f, base, n, km, path);
        break;
    case HS_K_PROBS:
        apply_probs(a, f, base, n, km, path);
        break;
    case HS_K_ORGANSETS:
        apply_organsets(a, f, base, n, km, path);
        break;
    default:
        apply_leaf(a, f, base, n, km, path);
        break;
    }
}

/* ---- entry points ------------------------------------------------------ */

static int result(const struct app *a)
{
    return a->d->nomem ? HS_ENOMEM : a->errors ? HS_EPARSE : HS_OK;
}

int hs_apply_document(const struct hs_src *src, yaml_document_t *doc, struct hs_params *p,
                      struct hs_diag *d)
{
    struct app a = {src, doc, d, 0, 0, 0};
    yaml_node_t *root = yaml_document_get_root_node(doc);
    yaml_mark_t top = {0, 0, 0};
    char shown[HS_SHOW_MAX];

    if (is_null(root)) {
        ap_err(&a, top, "the file is empty: a scenario needs at least scenario: {name: ...}");
    } else if (root->type != YAML_MAPPING_NODE) {
        ap_describe(root, shown, sizeof shown);
        ap_err(&a, root->start_mark, "expected a mapping of sections (scenario, public, "
                                  "allocation, programme), found %s", shown);
    } else {
        apply_map(&a, hs_schema_root.sub, hs_schema_root.nsub, (char *)p, root, top, "", 0);
    }
    return result(&a);
}

int hs_apply_value(const struct hs_src *src, yaml_document_t *doc, const struct hs_field *fld,
                   void *mapbase, const char *path, struct hs_diag *d)
{
    struct app a = {src, doc, d, 0, 1, 0};
    yaml_mark_t top = {0, 0, 0};
    ap_field(&a, fld, mapbase, yaml_document_get_root_node(doc), top, path);
    return result(&a);
}
