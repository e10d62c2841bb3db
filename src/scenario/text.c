/* SPDX-License-Identifier: MIT
 *
 * text.c - small text helpers of the scenario module: numbers written so
 * that they read back exactly, parameter values as YAML flow text, and
 * "did you mean" suggestions by edit distance.
 *
 * Values are formatted into bounded buffers (no allocation), so the
 * writers and the visitor cannot fail half-way through a value.
 */
#include "schema.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A bounded string: appends past the end are cut and remembered. */
struct sb {
    char *buf;
    size_t size, len;
    int cut;
};

static void sb_put(struct sb *b, const char *s, size_t n)
{
    if (b->len + n >= b->size) {
        n = b->size - 1 - b->len;
        b->cut = 1;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_num(struct sb *b, double v)
{
    char tmp[40];
    hs_fmt_num(tmp, sizeof tmp, v);
    sb_str(b, tmp);
}

void hs_fmt_num(char *buf, size_t size, double v)
{
    /* Whole numbers print without exponent (births, years, beds) while they
     * are exact in a double; others take the shortest %g that reads back to
     * the same bits, so a dump loads back to the same struct. */
    if (v == 0) {
        snprintf(buf, size, signbit(v) ? "-0" : "0");   /* keep the sign: exact */
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static void sb_name(struct sb *b, const char *name, int quote)
{
    if (!quote) {
        sb_str(b, name);
        return;
    }
    /* Double quotes keep names like "yes", "1994" or "a: b" strings. */
    sb_put(b, "\"", 1);
    for (const char *s = name; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_put(b, "\\", 1);
        sb_put(b, s, 1);
    }
    sb_put(b, "\"", 1);
}

static void sb_dated(struct sb *b, const struct hs_dated *t)
{
    sb_put(b, "{", 1);
    for (size_t i = 0; i < t->n && i < HS_MAX_TABLE; i++) {
        if (i)
            sb_put(b, ", ", 2);
        sb_num(b, t->year[i]);
        sb_put(b, ": ", 2);
        sb_num(b, t->value[i]);
    }
    sb_put(b, "}", 1);
}

static void sb_organs(struct sb *b, uint32_t set)
{
    int first = 1;
    sb_put(b, "[", 1);
    for (int o = 0; o < HS_NORGANS; o++) {
        if (!(set & (1u << o)))
            continue;
        if (!first)
            sb_put(b, ", ", 2);
        sb_str(b, hs_organ_names[o]);
        first = 0;
    }
    sb_put(b, "]", 1);
}

static void sb_list(struct sb *b, const struct hs_field *fld, const char *at)
{
    sb_put(b, "[", 1);
    for (int k = 0; k < HS_MAX_DONATIONS; k++) {
        if (k)
            sb_put(b, ", ", 2);
        if (fld->kind == HS_K_PROBS)
            sb_num(b, ((const double *)(const void *)at)[k]);
        else
            sb_organs(b, ((const uint32_t *)(const void *)at)[k]);
    }
    sb_put(b, "]", 1);
}

static void sb_enum(struct sb *b, const struct hs_field *fld, int v)
{
    if (v >= 0 && (size_t)v < fld->nnames)
        sb_str(b, fld->names[v]);
    else
        sb_num(b, v);   /* not a valid value: show it rather than hide it */
}

static void sb_value(struct sb *b, const struct hs_field *fld, const char *at, int quote)
{
    double d;
    switch (fld->kind) {
    case HS_K_NUM:
        sb_num(b, *(const double *)(const void *)at);
        break;
    case HS_K_YEAR_NEVER:
        d = *(const double *)(const void *)at;
        if (d == 0)
            sb_str(b, "never");
        else
            sb_num(b, d);
        break;
    case HS_K_BOOL:
        if (fld->flags & HS_F_DOUBLE)
            d = *(const double *)(const void *)at;
        else
            d = *(const int *)(const void *)at;
        sb_str(b, d != 0 ? "true" : "false");
        break;
    case HS_K_ENUM:
        sb_enum(b, fld, *(const int *)(const void *)at);
        break;
    case HS_K_NAME:
        sb_name(b, at, quote);
        break;
    case HS_K_DATED:
        sb_dated(b, (const struct hs_dated *)(const void *)at);
        break;
    case HS_K_PROBS:
    case HS_K_ORGANSETS:
        sb_list(b, fld, at);
        break;
    case HS_K_MAP:
    case HS_K_LIST:
        break;
    }
}

int hs_fmt_value_buf(char *buf, size_t size, const struct hs_field *fld,
                     const void *base, int quote)
{
    struct sb b = {buf, size, 0, 0};
    buf[0] = '\0';
    sb_value(&b, fld, (const char *)base + fld->off, quote);
    return b.cut ? -1 : 0;
}

void hs_fmt_value(FILE *f, const struct hs_field *fld, const void *base, int quote)
{
    /* The longest value, a full dated table, is 64 rows of two numbers. */
    char buf[HS_MAX_TABLE * 64 + 64];
    hs_fmt_value_buf(buf, sizeof buf, fld, base, quote);
    fputs(buf, f);
}

/* ---- names ------------------------------------------------------------- */

/* ASCII punctuation a name may hold besides letters, digits and space. */
static const char name_punct[] = ".,;:!?'-_()/&+#";

/* One UTF-8 sequence at s (n bytes left): its code point and length, or
 * length 0 if it is not well-formed (overlong, surrogate, past U+10FFFF,
 * cut short). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (s[0] >= 0xF8 || len == 0 || len > n)
        return 0;
    uint32_t c = s[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Characters past ASCII that print nothing, break lines or reorder text:
 * C1 controls (NEL among them), the soft hyphen, zero-width characters,
 * the line and paragraph separators, bidirectional controls, invisible
 * operators, the byte order mark, private use, specials and
 * noncharacters, tag characters. */
static int invisible(uint32_t c)
{
    return c < 0xA0 || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
           (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFFF0 && c <= 0xFFFF) ||
           (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE ||
           (c >= 0xE0000 && c <= 0xE007F) || c >= 0xF0000;
}

size_t hs_name_bad_char(const char *name, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)name;
    for (size_t i = 0; i < len;) {
        uint32_t c = s[i];
        size_t n = 1;
        if (c >= 0x80 && (n = utf8_next(s + i, len - i, &c)) == 0) {
            *cp = HS_NAME_NOT_UTF8 | s[i];
            return i;
        }
        int ok = c >= 0x80 ? !invisible(c)
                           : (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                 (c >= '0' && c <= '9') || c == ' ' ||
                                 (c && strchr(name_punct, (int)c));
        if (!ok) {
            *cp = c;
            return i;
        }
        i += n;
    }
    return len;
}

void hs_name_show_char(char *buf, size_t size, uint32_t cp)
{
    if (cp & HS_NAME_NOT_UTF8)
        snprintf(buf, size, "the byte 0x%02X, which is not UTF-8", (unsigned)(cp & 0xFFu));
    else if (cp > 0x20 && cp < 0x7F)
        snprintf(buf, size, "'%c' (U+%04X)", (char)cp, (unsigned)cp);
    else
        snprintf(buf, size, "U+%04X", (unsigned)cp);
}

/* ---- suggestions ------------------------------------------------------- */

#define EDIT_MAX_LEN 64

size_t hs_edit_distance(const char *a, size_t alen, const char *b, size_t cap)
{
    size_t blen = strlen(b);
    size_t row[EDIT_MAX_LEN + 1];

    /* Long strings are never typing slips of a key: skip the quadratic work. */
    if (alen > EDIT_MAX_LEN || blen > EDIT_MAX_LEN)
        return cap + 1;
    if ((alen > blen ? alen - blen : blen - alen) > cap)
        return cap + 1;
    for (size_t j = 0; j <= blen; j++)
        row[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t v = diag + (same ? 0 : 1);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[blen];
}

const char *hs_suggest(const char *s, size_t len, const char *const *words, size_t n)
{
    /* Allow about one slip per three letters; very short words only match
     * when they differ in case ("o" for "O"). */
    size_t cap = len <= 2 ? 0 : len <= 5 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = cap + 1;

    for (size_t i = 0; i < n; i++) {
        size_t dist = hs_edit_distance(s, len, words[i], cap);
        if (dist < best_d) {
            best_d = dist;
            best = words[i];
        }
    }
    return best;
}
