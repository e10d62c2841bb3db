/* SPDX-License-Identifier: MIT
 *
 * chronicle_words.c - the narrator's small words: numbers and spans of time
 * in words, dates of the records read and said, a paragraph wrapped with
 * every control character shown as an escape, and a phrasing's {slots}
 * filled (chronicle_words.h); and the few parameters of the run the
 * telling uses, taken alike from run.sqlite and in the web page.
 */
#include "chronicle_words.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronicle_impl.h"

static const char *const small_words[20] = {
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"};
static const char *const tens_words[10] = {"", "", "twenty", "thirty", "forty", "fifty",
                                           "sixty", "seventy", "eighty", "ninety"};

/* 21 -> "twenty-one"; numbers past 99 stay digits. */
void cw_words(long n, char *buf, size_t len)
{
    if (n < 0 || n > 99)
        snprintf(buf, len, "%ld", n);
    else if (n < 20)
        snprintf(buf, len, "%s", small_words[n]);
    else if (n % 10 == 0)
        snprintf(buf, len, "%s", tens_words[n / 10]);
    else
        snprintf(buf, len, "%s-%s", tens_words[n / 10], small_words[n % 10]);
}

const char *cw_ordinal(int n)
{
    static const char *const o[] = {"zeroth", "first", "second", "third", "fourth",
                                    "fifth", "sixth", "seventh", "eighth"};
    return n >= 0 && n <= 8 ? o[n] : "next";
}

/* "a" for one, the word otherwise: "a year", "three years". */
void cw_count_unit(long n, const char *unit, char *buf, size_t len)
{
    char w[32];
    cw_words(n, w, sizeof w);
    snprintf(buf, len, "%s %s%s", n == 1 ? "a" : w, unit, n == 1 ? "" : "s");
}

/* A span of years as a person would say it: "a little over four years". */
void cw_span(double years, char *buf, size_t len)
{
    char u[48];
    if (!isfinite(years) || years < 0)
        years = 0;
    long months = lround(years * 12);
    if (months <= 1) {
        snprintf(buf, len, "about a month");
        return;
    }
    if (months < 12) {
        cw_count_unit(months, "month", buf, len);
        return;
    }
    long whole = (long)floor(years);
    double frac = years - (double)whole;
    if (frac >= 0.85) {
        cw_count_unit(whole + 1, "year", u, sizeof u);
        snprintf(buf, len, "almost exactly %s", u);
    } else if (frac >= 0.6) {
        cw_count_unit(whole + 1, "year", u, sizeof u);
        snprintf(buf, len, "nearly %s", u);
    } else if (frac >= 0.4) {
        char w[32];
        cw_words(whole, w, sizeof w);
        if (whole == 1)
            snprintf(buf, len, "a year and a half");
        else
            snprintf(buf, len, "%s and a half years", w);
    } else {
        cw_count_unit(whole, "year", u, sizeof u);
        snprintf(buf, len, "%s%s", frac < 0.1 ? "" : "a little over ", u);
    }
}

/* ---- dates -------------------------------------------------------------------- */


struct cw_date cw_parse_date(const char *s)
{
    struct cw_date t = {0, 0, 0, 0};
    if (s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &t.y, &t.m, &t.d) == 3 && t.m >= 1 &&
        t.m <= 12 && t.d >= 1 && t.d <= 31)
        t.ok = 1;
    return t;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's well-known formula,
 * written out here from its description). */
long cw_days_of(struct cw_date t)
{
    long y = t.y - (t.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (t.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + t.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int cw_age_at(const char *born, const char *when)
{
    struct cw_date a = cw_parse_date(born), b = cw_parse_date(when);
    if (!a.ok || !b.ok)
        return -1;
    return (int)floor((double)(cw_days_of(b) - cw_days_of(a)) / 365.25);
}

const char *const cw_months[12] = {"January", "February", "March", "April", "May", "June",
                                       "July", "August", "September", "October", "November",
                                       "December"};

/* "in May 1968", "in the spring of 1968", "early in 1968"... */
void cw_when(const char *iso, unsigned variant, char *buf, size_t len)
{
    struct cw_date t = cw_parse_date(iso);
    if (!t.ok) {
        snprintf(buf, len, "at a date the records do not give");
        return;
    }
    if (variant % 3 != 2) {
        snprintf(buf, len, "in %s %d", cw_months[t.m - 1], t.y);
        return;
    }
    if (t.m <= 2)
        snprintf(buf, len, "early in %d", t.y);
    else if (t.m == 12)
        snprintf(buf, len, "at the end of %d", t.y);
    else
        snprintf(buf, len, "in the %s of %d",
                 t.m <= 5 ? "spring" : t.m <= 8 ? "summer" : "autumn", t.y);
}

void cw_on_day(const char *iso, char *buf, size_t len)
{
    struct cw_date t = cw_parse_date(iso);
    if (t.ok)
        snprintf(buf, len, "on %d %s %d", t.d, cw_months[t.m - 1], t.y);
    else
        snprintf(buf, len, "on a day the records do not give");
}

/* ---- text ---------------------------------------------------------------------------- */

/* Append n bytes of s with every control character shown as an escape: a
 * newline or an escape sequence in a name read from the run must not
 * break the text or drive the terminal.  C0 and DEL become \xNN; C1 and
 * the line and paragraph separators \uNNNN. */
void cw_put_shown(struct hs_buf *out, const char *s, size_t n)
{
    const unsigned char *c = (const unsigned char *)s, *end = c + n;
    for (; c < end; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            hs_buf_printf(out, "\\x%02x", *c);
        } else if (*c == 0xc2 && c + 1 < end && c[1] >= 0x80 && c[1] <= 0x9f) {
            hs_buf_printf(out, "\\u%04x", c[1]);
            c++;
        } else if (*c == 0xe2 && c + 2 < end && c[1] == 0x80 && (c[2] == 0xa8 || c[2] == 0xa9)) {
            hs_buf_printf(out, "\\u%04x", 0x2000u + c[2] - 0x80u);
            c += 2;
        } else {
            hs_buf_putn(out, (const char *)c, 1);
        }
    }
}

/* Append a paragraph wrapped at WIDTH columns (counting UTF-8 characters). */
void cw_wrap(struct hs_buf *out, const char *para)
{
    const char *s = para;
    size_t col = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        const char *e = s;
        size_t w = 0;
        while (*e && *e != ' ') {
            if (((unsigned char)*e & 0xC0) != 0x80)
                w++;
            e++;
        }
        if (e == s)
            break;
        if (col > 0 && col + 1 + w > WIDTH) {
            hs_buf_put(out, "\n");
            col = 0;
        } else if (col > 0) {
            hs_buf_put(out, " ");
            col++;
        }
        /* a name such as "Kathy H." may end a sentence: one full stop, not two */
        const char *from = s;
        for (const char *k = s + 1; k < e; k++)
            if (*k == '.' && k[-1] == '.') {
                cw_put_shown(out, from, (size_t)(k - from));
                from = k + 1;
            }
        cw_put_shown(out, from, (size_t)(e - from));
        col += w;
        s = e;
    }
    hs_buf_put(out, "\n\n");
}

/* A sentence is a template from a table of phrasings of the same fact; its
 * {key} slots are filled from the telling's words ({^key}: capitalised). */

void cw_set(struct cw_vars *vs, const char *k, const char *v)
{
    int i = 0;
    while (i < vs->n && strcmp(vs->s[i].k, k) != 0)
        i++;
    if (i == NVARS)
        return;
    if (i == vs->n)
        vs->s[vs->n++].k = k;
    snprintf(vs->s[i].v, VARLEN, "%s", v);
}

const char *cw_get(const struct cw_vars *vs, const char *k)
{
    for (int i = 0; i < vs->n; i++)
        if (!strcmp(vs->s[i].k, k))
            return vs->s[i].v;
    return "";
}

void cw_say(struct hs_buf *p, const char *tmpl, const struct cw_vars *vs)
{
    const char *s = tmpl;
    while (*s) {
        const char *open = strchr(s, '{');
        if (open == NULL) {
            hs_buf_put(p, s);
            return;
        }
        hs_buf_putn(p, s, (size_t)(open - s));
        const char *close = strchr(open, '}');
        if (close == NULL) {
            hs_buf_put(p, open);
            return;
        }
        const char *k = open + 1;
        int cap = *k == '^';
        k += cap;
        size_t kl = (size_t)(close - k);
        int found = 0;
        for (int i = 0; i < vs->n && !found; i++) {
            if (strlen(vs->s[i].k) != kl || strncmp(vs->s[i].k, k, kl) != 0)
                continue;
            found = 1;
            const char *v = vs->s[i].v;
            if (cap && v[0]) {
                char first = (char)toupper((unsigned char)v[0]);
                hs_buf_putn(p, &first, 1);
                v++;
            }
            hs_buf_put(p, v);
        }
        if (!found)   /* a template naming a slot nobody filled: show it, a test sees it */
            hs_buf_putn(p, open, (size_t)(close - open + 1));
        s = close + 1;
    }
}

void ch_take_parameter(struct ctx *c, const char *k, const char *v)
{
    int idx;
    char field[32];
    if (!strcmp(k, "scenario.end_year"))
        c->end_year = atoi(v) - 1;
    else if (!strcmp(k, "programme.couples.years"))
        c->deferral_years = atof(v);
    else if (sscanf(k, "programme.estates[%d].%31s", &idx, field) == 2 && idx >= 0 &&
             idx < MAX_ESTATES) {
        if (idx >= c->nestates)
            c->nestates = idx + 1;
        if (!strcmp(field, "name"))
            snprintf(c->estate[idx], sizeof c->estate[idx], "%s", v);
        else if (!strcmp(field, "humane"))
            c->humane[idx] = !strcmp(v, "true");
    }
}
