/* SPDX-License-Identifier: MIT
 *
 * chronicle.c - tells donors' lives from a run's trace, as a carer would.
 *
 * Each life is read from run.sqlite (the donor's row, its donations, the
 * donor's carers and partner, the chip readings) and told in four short
 * paragraphs: where they grew up, the Cottages and caring, the notice and
 * the donations, and what came after.  Every sentence has a few variants
 * written for this project; which one is used is a hash of the donor's id
 * and the sentence's place, so a run always tells the same story and
 * neighbouring lives do not read alike.  `plain` swaps the novel's words
 * (donation, completing, recovery centre) for what they hide.
 */
#include "chronicle_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pron {
    const char *P, *p, *Pos, *pos, *obj;
};

/* Which of n variants a sentence uses: fixed by the donor and the slot. */
static unsigned pick(long long id, unsigned slot, unsigned n)
{
    uint64_t z = (uint64_t)id * 0x9e3779b97f4a7c15u + slot * 0xbf58476d1ce4e5b9u + 1;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (unsigned)(z % n);
}

static const char *const small_words[20] = {
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"};
static const char *const tens_words[10] = {"", "", "twenty", "thirty", "forty", "fifty",
                                           "sixty", "seventy", "eighty", "ninety"};

/* 21 -> "twenty-one"; numbers past 99 stay digits. */
static void words(long n, char *buf, size_t len)
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

static const char *ordinal(int n)
{
    static const char *const o[] = {"zeroth", "first", "second", "third", "fourth",
                                    "fifth", "sixth", "seventh", "eighth"};
    return n >= 0 && n <= 8 ? o[n] : "next";
}

/* "a" for one, the word otherwise: "a year", "three years". */
static void count_unit(long n, const char *unit, char *buf, size_t len)
{
    char w[32];
    words(n, w, sizeof w);
    snprintf(buf, len, "%s %s%s", n == 1 ? "a" : w, unit, n == 1 ? "" : "s");
}

/* A span of years as a person would say it: "a little over four years". */
static void span(double years, char *buf, size_t len)
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
        count_unit(months, "month", buf, len);
        return;
    }
    long whole = (long)floor(years);
    double frac = years - (double)whole;
    if (frac >= 0.85) {
        count_unit(whole + 1, "year", u, sizeof u);
        snprintf(buf, len, "almost exactly %s", u);
    } else if (frac >= 0.6) {
        count_unit(whole + 1, "year", u, sizeof u);
        snprintf(buf, len, "nearly %s", u);
    } else if (frac >= 0.4) {
        char w[32];
        words(whole, w, sizeof w);
        if (whole == 1)
            snprintf(buf, len, "a year and a half");
        else
            snprintf(buf, len, "%s and a half years", w);
    } else {
        count_unit(whole, "year", u, sizeof u);
        snprintf(buf, len, "%s%s", frac < 0.1 ? "" : "a little over ", u);
    }
}

/* ---- dates -------------------------------------------------------------------- */

struct date {
    int y, m, d, ok;
};

static struct date parse_date(const char *s)
{
    struct date t = {0, 0, 0, 0};
    if (s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &t.y, &t.m, &t.d) == 3 && t.m >= 1 &&
        t.m <= 12 && t.d >= 1 && t.d <= 31)
        t.ok = 1;
    return t;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's well-known formula,
 * written out here from its description). */
static long days_of(struct date t)
{
    long y = t.y - (t.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (t.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + t.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int age_at(const char *born, const char *when)
{
    struct date a = parse_date(born), b = parse_date(when);
    if (!a.ok || !b.ok)
        return -1;
    return (int)floor((double)(days_of(b) - days_of(a)) / 365.25);
}

static const char *const months[12] = {"January", "February", "March", "April", "May", "June",
                                       "July", "August", "September", "October", "November",
                                       "December"};

/* "in May 1968", "in the spring of 1968", "early in 1968"... */
static void when(const char *iso, unsigned variant, char *buf, size_t len)
{
    struct date t = parse_date(iso);
    if (!t.ok) {
        snprintf(buf, len, "at a date the records do not give");
        return;
    }
    if (variant % 3 != 2) {
        snprintf(buf, len, "in %s %d", months[t.m - 1], t.y);
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

static void on_day(const char *iso, char *buf, size_t len)
{
    struct date t = parse_date(iso);
    if (t.ok)
        snprintf(buf, len, "on %d %s %d", t.d, months[t.m - 1], t.y);
    else
        snprintf(buf, len, "on a day the records do not give");
}

/* ---- places ---------------------------------------------------------------------- */

/* "at Hailsham", "in the government homes" */
static void estate_at(const char *e, char *buf, size_t len)
{
    if (islower((unsigned char)e[0]) && strncmp(e, "the ", 4) != 0)
        snprintf(buf, len, "in the %s", e);
    else
        snprintf(buf, len, "at %s", e);
}

/* "Hailsham", "the government homes" */
static void estate_name(const char *e, char *buf, size_t len)
{
    if (islower((unsigned char)e[0]) && strncmp(e, "the ", 4) != 0)
        snprintf(buf, len, "the %s", e);
    else
        snprintf(buf, len, "%s", e);
}

/* "at Dover", "at one of the other centres"; chip readings name estates
 * too, so "in the government homes". */
static void centre_at(const char *c, char *buf, size_t len)
{
    size_t n = strlen(c);
    if (strncmp(c, "other ", 6) == 0)
        snprintf(buf, len, "at one of the %s", c);
    else if (n > 5 && !strcmp(c + n - 5, "homes") && islower((unsigned char)c[0]) &&
             strncmp(c, "the ", 4) != 0)
        snprintf(buf, len, "in the %s", c);
    else
        snprintf(buf, len, "at %s", c);
}

static int is_humane(const struct ctx *c, const char *estate)
{
    for (int i = 0; i < c->nestates; i++)
        if (!strcmp(c->estate[i], estate))
            return c->humane[i];
    /* without parameters: the named homes were the humane ones */
    return !islower((unsigned char)estate[0]);
}

/* Plain words for the organs of one operation: "a kidney", "her liver",
 * "her kidneys, liver, heart, lungs and pancreas". */
static void organ_words(const char *list, int all, const char *pos, char *buf, size_t len)
{
    char items[8][32];
    int n = 0;
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%s", list);
    for (char *save = NULL, *t = strtok_r(tmp, ",", &save); t && n < 8;
         t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "kidney"))
            snprintf(items[n++], 32, "%s", all ? "kidneys" : "a kidney");
        else if (!strcmp(t, "lung"))
            snprintf(items[n++], 32, "%s", all ? "lungs" : "a lung");
        else
            snprintf(items[n++], 32, "%s", t);
    }
    size_t o = 0;
    int owned = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < len; i++) {
        const char *sep = i == 0 ? "" : i == n - 1 ? " and " : ", ";
        int article = strncmp(items[i], "a ", 2) == 0;
        int w = snprintf(buf + o, len - o, "%s%s%s%s", sep, !article && !owned ? pos : "",
                         !article && !owned ? " " : "", items[i]);
        if (!article)
            owned = 1;
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (n == 0)
        snprintf(buf, len, "%s organs", pos);
}

/* ---- text ---------------------------------------------------------------------------- */

/* Append n bytes of s with every control character shown as an escape: a
 * newline or an escape sequence in a name read from the run must not
 * break the text or drive the terminal.  C0 and DEL become \xNN; C1 and
 * the line and paragraph separators \uNNNN. */
static void put_shown(struct hs_buf *out, const char *s, size_t n)
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
static void wrap(struct hs_buf *out, const char *para)
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
                put_shown(out, from, (size_t)(k - from));
                from = k + 1;
            }
        put_shown(out, from, (size_t)(e - from));
        col += w;
        s = e;
    }
    hs_buf_put(out, "\n\n");
}

static void flush_para(struct ctx *c, struct hs_buf *p)
{
    if (p->len > 0)
        wrap(&c->text, p->s);
    if (p->failed)
        c->text.failed = 1;
    hs_buf_free(p);
}


/* ---- the four paragraphs ---------------------------------------------------------------- */

static void origins(struct ctx *c, const struct life *l, const struct pron *pr, struct hs_buf *p)
{
    char born[64], at[128], w[32];
    when(l->created, 0, born, sizeof born);
    estate_at(l->estate, at, sizeof at);
    unsigned v = pick(l->id, 1, 3);
    if (!strcmp(l->estate, "Hailsham")) {
        if (v == 0)
            hs_buf_printf(p, "%s was born %s and grew up at Hailsham. ", l->name, born);
        else if (v == 1)
            hs_buf_printf(p, "%s was a Hailsham student. %s was born %s. ", l->name, pr->P, born);
        else
            hs_buf_printf(p, "I knew of %s because %s was from Hailsham; %s had been there "
                             "since %s was born, %s. ", l->name, pr->p, pr->p, pr->p, born);
    } else if (is_humane(c, l->estate)) {
        if (v == 2)
            hs_buf_printf(p, "%s came from %s. People said it was one of the better places, "
                             "a little like Hailsham; %s had been there since %s was born, %s. ",
                          l->name, at + 3, pr->p, pr->p, born);
        else
            hs_buf_printf(p, "%s was born %s and raised %s, which, like Hailsham, was one of "
                             "the places that tried to do things properly. ", l->name, born, at);
    } else if (c->plain) {
        hs_buf_printf(p, "%s was born %s and kept %s, where children were raised for their "
                         "organs in conditions nobody outside wanted to see. ", l->name, born, at);
    } else if (v == 0) {
        hs_buf_printf(p, "%s was born %s and raised %s. We never heard much about those "
                         "places, and what we did hear we tried not to think about. ",
                      l->name, born, at);
    } else {
        hs_buf_printf(p, "%s came from the government homes, where %s had been since %s was "
                         "born, %s. Nobody I knew ever talked about what it was like there. ",
                      l->name, pr->p, pr->p, born);
    }
    if (l->gallery > 0) {
        words(l->gallery, w, sizeof w);
        if (pick(l->id, 2, 2) == 0)
            hs_buf_printf(p, "Madame took %s of %s pictures for the Gallery, which at the time "
                             "seemed to matter more than almost anything. ", w, pr->pos);
        else
            hs_buf_printf(p, "%s made things for the Exchanges like everyone else, and Madame "
                             "took %s of them away for her Gallery. ", pr->P, w);
        if (c->plain)
            hs_buf_printf(p, "The Gallery was kept to prove that students like %s had souls "
                             "at all. ", pr->obj);
    }
}

static void caring(struct ctx *c, const struct life *l, const struct pron *pr, struct hs_buf *p)
{
    char t[64], e[128], w[32];
    int age = age_at(l->created, l->left);
    estate_name(l->estate, e, sizeof e);
    if (l->left[0]) {
        when(l->left, pick(l->id, 3, 3), t, sizeof t);
        words(age, w, sizeof w);
        const char *to = l->cottages[0] ? l->cottages : "the Cottages";
        if (pick(l->id, 4, 2) == 0) {
            hs_buf_printf(p, "%s left %s %s, when %s was %s, and went to %s. ", pr->P, e, t,
                          pr->p, w, to);
        } else {
            t[0] = (char)toupper((unsigned char)t[0]);
            hs_buf_printf(p, "%s %s was sent on to %s; %s was %s. ", t, pr->p, to, pr->p, w);
        }
    }
    if (l->training[0]) {
        when(l->training, pick(l->id, 5, 3), t, sizeof t);
        hs_buf_printf(p, "%s started %s training %s", pr->P, pr->pos, t);
        if (l->carer[0]) {
            when(l->carer, 0, t, sizeof t);
            hs_buf_printf(p, ", and became a carer %s. ", t);
        } else {
            hs_buf_put(p, ". ");
        }
    }
    if (l->carer[0]) {
        char s[64];
        span(l->carer_years, s, sizeof s);
        if (l->notice[0])
            hs_buf_printf(p, "%s was a carer for %s. ", pr->P, s);
        else
            hs_buf_printf(p, "%s has been a carer for %s now. ", pr->P, s);
        long n = 0, died = 0;
        if (ch_cared_for(c, l->id, &n, &died) == HS_CHRONICLE_OK && n > 0) {
            char a[32], b[32];
            words(n, a, sizeof a);
            words(died, b, sizeof b);
            if (c->plain)
                hs_buf_printf(p, "In that time %s looked after %s %s between operations; "
                                 "%s of them died while %s was caring for them. ", pr->p, a,
                              n == 1 ? "person" : "people", b, pr->p);
            else
                hs_buf_printf(p, "In that time %s looked after %s donor%s; %s of them "
                                 "completed while %s was caring for them. ", pr->p, a,
                              n == 1 ? "" : "s", b, pr->p);
        }
    }
    char pn[64], pe[96];
    if (ch_who(c, l->partner, pn, sizeof pn, pe, sizeof pe) > 0) {
        if (pick(l->id, 6, 2) == 0 || !l->notice[0])
            hs_buf_printf(p, "%s and %s were a couple. ", pr->P, pn);
        else
            hs_buf_printf(p, "By then %s was with %s. ", pr->p, pn);
    }
}

static void deferral(struct ctx *c, const struct life *l, const struct pron *pr, struct hs_buf *p)
{
    char pn[64], pe[96];
    int has = ch_who(c, l->partner, pn, sizeof pn, pe, sizeof pe) > 0;
    const char *with = has ? pn : "the one they loved";
    const char *where = l->cottages[0] ? l->cottages : "the Cottages";
    static const struct pron both = {"the two of them", "they", "Their", "their", "them"};
    if (l->deferral[0] && !l->notice[0] && has) {
        /* the request was made on the partner's notice, not this donor's */
        if (c->plain)
            hs_buf_printf(p, "When the order for %s's first operation came, ", pn);
        else
            hs_buf_printf(p, "When %s's notice came, ", pn);
        pr = &both;
        with = NULL;
    }
    if (!strcmp(l->deferral, "refused")) {
        if (pick(l->id, 7, 2) == 0)
            hs_buf_printf(p, "%s%s%s asked for a deferral. They had heard, the way everyone "
                             "heard things at %s, that a couple who could show they were "
                             "really in love might be given a few years. They were told that "
                             "there had never been any such thing. ", pr->P, with ? " and " : "",
                          with ? with : "", where);
        else
            hs_buf_printf(p, "%s%s%s went to ask for a deferral, because of what the veterans "
                             "at %s used to say. It was explained to them, kindly enough, that "
                             "deferrals had never existed. ", pr->P, with ? " and " : "",
                          with ? with : "", where);
    } else if (!strcmp(l->deferral, "granted")) {
        char s[64];
        span(c->deferral_years, s, sizeof s);
        int lead = l->notice[0] && pr != &both;
        if (lead && c->plain)
            hs_buf_printf(p, "When the first order for %s operations came, ", pr->pos);
        else if (lead)
            hs_buf_printf(p, "When %s first notice came, ", pr->pos);
        hs_buf_printf(p, "%s%s%s asked for a deferral, and in this version of things it was "
                         "granted: %s. ", lead ? pr->p : pr->P, with ? " and " : "",
                      with ? with : "", s);
    }
}

static void notice(struct ctx *c, const struct life *l, const struct pron *pr, struct hs_buf *p)
{
    char t[64], w[32];
    when(l->notice, pick(l->id, 8, 3), t, sizeof t);
    words(age_at(l->created, l->notice), w, sizeof w);
    if (!strcmp(l->deferral, "granted") && c->plain)  /* told after the deferral it followed */
        hs_buf_printf(p, "When those years were over, the order for %s operations came again, "
                         "%s; %s was %s. ", pr->pos, t, pr->p, w);
    else if (!strcmp(l->deferral, "granted"))
        hs_buf_printf(p, "When those years were over, %s notice came again, %s; %s was %s. ",
                      pr->pos, t, pr->p, w);
    else if (c->plain)
        hs_buf_printf(p, "The order for %s first operation came %s, when %s was %s. ", pr->pos,
                      t, pr->p, w);
    else if (pick(l->id, 9, 2) == 0)
        hs_buf_printf(p, "%s notice came %s, when %s was %s. ", pr->Pos, t, pr->p, w);
    else
        hs_buf_printf(p, "%s got %s notice %s. %s was %s. ", pr->P, pr->pos, t, pr->P, w);
}

/* Who the carer was at a donation, said once and again when it changed. */
static void carer_of(struct ctx *c, const struct life *l, const struct donation *d,
                     long long prev, const struct pron *pr, struct hs_buf *p)
{
    char cn[64], ce[96];
    if (d->carer < 0) {
        hs_buf_printf(p, "%s had no carer then. ", pr->P);
        return;
    }
    if (d->carer == prev || ch_who(c, d->carer, cn, sizeof cn, ce, sizeof ce) <= 0)
        return;
    if (d->carer == l->id)
        return;
    if (!strcmp(ce, l->estate) && is_humane(c, ce)) {
        char e[128];
        estate_name(ce, e, sizeof e);
        hs_buf_printf(p, "%s, who had been at %s too, was %s carer. ", cn, e, pr->pos);
    } else if (prev < 0) {
        hs_buf_printf(p, "%s was %s carer. ", cn, pr->pos);
    } else {
        hs_buf_printf(p, "By then %s carer was %s. ", pr->pos, cn);
    }
}

static void one_donation(struct ctx *c, const struct life *l, int i, const struct pron *pr,
                         struct hs_buf *p)
{
    const struct donation *d = &l->d[i];
    char t[64], at[128], org[160], w[32];
    when(d->date, pick(l->id, 10 + (unsigned)i, 3), t, sizeof t);
    centre_at(d->centre[0] ? d->centre : "a centre", at, sizeof at);
    words(age_at(l->created, d->date), w, sizeof w);
    if (d->completed) {
        if (c->plain) {
            organ_words(d->organs, 1, pr->pos, org, sizeof org);
            hs_buf_printf(p, "%s died at the %s operation, %s, %s, when they took %s. %s was "
                             "%s. ", pr->P, ordinal(d->number), t, at, org, pr->P, w);
        } else if (d->number >= 4) {
            hs_buf_printf(p, "%s completed at the fourth donation, %s, %s, as everyone does who "
                             "gets that far. %s was %s. ", pr->P, t, at, pr->P, w);
        } else {
            hs_buf_printf(p, "%s completed after %s %s donation, %s, %s. %s was %s. ", pr->P,
                          pr->pos, ordinal(d->number), t, at, pr->P, w);
        }
        return;
    }
    if (c->plain) {
        organ_words(d->organs, 0, pr->pos, org, sizeof org);
        unsigned v = i == 0 ? 0 : pick(l->id, 40 + (unsigned)i, 3);
        if (v == 0) {
            hs_buf_printf(p, "%s %s operation was %s, %s, where they removed %s; afterwards "
                             "%s was kept there for the next. ", pr->Pos, ordinal(d->number),
                          at, t, org, pr->p);
        } else if (v == 1) {
            t[0] = (char)toupper((unsigned char)t[0]);
            hs_buf_printf(p, "%s, %s, surgeons removed %s; %s was held there, waiting for "
                             "the next operation. ", t, at, org, pr->p);
        } else {
            hs_buf_printf(p, "The %s operation, %s, %s, took %s, and %s was kept at the holding "
                             "centre until the next. ", ordinal(d->number), t, at, org, pr->p);
        }
    } else if (i == 0) {
        hs_buf_printf(p, "%s first donation was %s, %s. ", pr->Pos, t, at);
    } else if (pick(l->id, 20 + (unsigned)i, 2) == 0) {
        hs_buf_printf(p, "The %s came %s, %s. ", ordinal(d->number), t, at);
    } else {
        hs_buf_printf(p, "%s gave %s %s donation %s, %s. ", pr->P, pr->pos, ordinal(d->number),
                      at, t);
    }
}

/* What followed a donation that the donor survived. */
static void after_donation(struct ctx *c, const struct donation *d, const struct pron *pr,
                           struct hs_buf *p)
{
    if (d->completed)
        return;
    if (d->bed_wait >= 1)
        hs_buf_printf(p, "%s waited %ld days for a bed. ", pr->P, lround(d->bed_wait));
    if (d->agitated)
        hs_buf_printf(p, c->plain ? "%s was agitated afterwards, and it took %s longer to "
                                    "heal. "
                                  : "%s didn't take it well; the records call %s agitated "
                                    "after that one. ",
                      pr->P, pr->obj);
}

static void donations(struct ctx *c, const struct life *l, const struct pron *pr,
                      struct hs_buf *p)
{
    int granted = !strcmp(l->deferral, "granted");
    if (granted)
        deferral(c, l, pr, p);
    if (l->notice[0])
        notice(c, l, pr, p);
    if (!granted)
        deferral(c, l, pr, p);
    long long prev = -1;
    for (int i = 0; i < l->nd; i++) {
        if (l->d[i].completed)
            carer_of(c, l, &l->d[i], prev, pr, p);
        one_donation(c, l, i, pr, p);
        if (!l->d[i].completed)
            carer_of(c, l, &l->d[i], prev, pr, p);
        after_donation(c, &l->d[i], pr, p);
        prev = l->d[i].carer;
    }
}

/* Where the record leaves someone who has not completed. */
static void record_end(struct ctx *c, const struct life *l, const struct pron *pr,
                       struct hs_buf *p)
{
    char w[32], at[128];
    if (l->completed[0])
        return;
    if (!strcmp(l->stage, "donor")) {
        words(l->nd, w, sizeof w);
        centre_at(l->nd ? l->d[l->nd - 1].centre : "a centre", at, sizeof at);
        if (c->plain)
            hs_buf_printf(p, "When this record ends, in %d, %s operation%s taken %s organs, "
                             "and %s is waiting %s for the next. ", c->end_year, w,
                          l->nd == 1 ? " has" : "s have", pr->pos, pr->p, at);
        else
            hs_buf_printf(p, "When this record ends, in %d, %s has made %s donation%s and is "
                             "%s, recovering for the next. ", c->end_year, pr->p, w,
                          l->nd == 1 ? "" : "s", at);
    } else if (!strcmp(l->stage, "carer")) {
        if (c->plain)
            hs_buf_printf(p, "When this record ends, in %d, %s is still a carer, and the order "
                             "for %s first operation has not come yet. ", c->end_year, pr->p,
                          pr->pos);
        else
            hs_buf_printf(p, "When this record ends, in %d, %s is still a carer, and %s notice "
                             "has not come yet. ", c->end_year, pr->p, pr->pos);
    } else {
        char e[128];
        estate_name(l->left[0] ? (l->cottages[0] ? l->cottages : "the Cottages") : l->estate, e,
                    sizeof e);
        hs_buf_printf(p, "When this record ends, in %d, %s is still at %s, and has been told "
                         "and not told what is coming. ", c->end_year, pr->p, e);
    }
}

static void afterwards(struct ctx *c, const struct life *l, const struct pron *pr,
                       struct hs_buf *p)
{
    record_end(c, l, pr, p);
    char place[96], date[16], d[64];
    if (ch_last_reading(c, l->id, place, sizeof place, date, sizeof date) > 0) {
        char at[128];
        on_day(date, d, sizeof d);
        centre_at(place, at, sizeof at);
        if (c->plain)
            hs_buf_printf(p, "%s tracking chip was last read %s, %s. ", pr->Pos, at, d);
        else
            hs_buf_printf(p, "The scanners read %s bracelet for the last time %s, %s. ",
                          pr->pos, at, d);
    }
    struct life q;
    if (l->partner >= 0 && ch_read_life(c, l->partner, &q) > 0 && q.completed[0]) {
        char t[64];
        when(q.completed, 0, t, sizeof t);
        const struct donation *last = q.nd ? &q.d[q.nd - 1] : NULL;
        if (c->plain)
            hs_buf_printf(p, "%s died %s, at the %s operation. ", q.name, t,
                          ordinal(last ? last->number : 0));
        else
            hs_buf_printf(p, "%s completed %s, after %s %s donation. ", q.name, t,
                          q.male ? "his" : "her", ordinal(last ? last->number : 0));
    }
    if (!c->plain && l->completed[0]) {
        unsigned v = pick(l->id, 30, 4);
        if (v == 0)
            hs_buf_printf(p, "I didn't know %s well, but I think of %s sometimes, on the long "
                             "drives between centres. ", pr->obj, pr->obj);
        else if (v == 1)
            hs_buf_put(p, "That is all the records say. ");
    }
}

static void tell(struct ctx *c, const struct life *l)
{
    struct pron pr = l->male ? (struct pron){"He", "he", "His", "his", "him"}
                             : (struct pron){"She", "she", "Her", "her", "her"};
    char e[128];
    estate_name(l->estate, e, sizeof e);
    char head[400];
    snprintf(head, sizeof head, "%s (%s, born %d)", l->name, e,
             parse_date(l->created).ok ? parse_date(l->created).y : l->cohort);
    put_shown(&c->text, head, strlen(head));
    hs_buf_put(&c->text, "\n\n");
    struct hs_buf p;
    hs_buf_init(&p);
    origins(c, l, &pr, &p);
    flush_para(c, &p);
    caring(c, l, &pr, &p);
    flush_para(c, &p);
    donations(c, l, &pr, &p);
    flush_para(c, &p);
    afterwards(c, l, &pr, &p);
    flush_para(c, &p);
}

/* ---- selection and setting up ------------------------------------------------------------ */

static void intro(struct ctx *c, const struct hs_chronicle_opts *o, const char *who_name)
{
    struct hs_buf p;
    hs_buf_init(&p);
    if (c->plain)
        hs_buf_put(&p, "I am a carer. That means I was made, like the people below, so that "
                       "my organs could be taken, and that until my own operations begin I "
                       "look after those whose operations have. I will use the plain words. ");
    else
        hs_buf_put(&p, "My name doesn't matter much. I've been a carer for a long time now, "
                       "and I've come to know the records the way you know a road you drive "
                       "every week. ");
    if (o->donor >= 0)
        hs_buf_printf(&p, "This is what they say about %s.", who_name);
    else if (o->estate)
        hs_buf_printf(&p, "These are some of the ones born in %d and raised %s.", o->cohort,
                      who_name);
    else
        hs_buf_printf(&p, "These are some of the ones born in %d.", o->cohort);
    flush_para(c, &p);
}

static int tell_one(struct ctx *c, long long id)
{
    struct life l;
    int rc = ch_read_life(c, id, &l);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return 0;
    tell(c, &l);
    return c->status == HS_CHRONICLE_OK ? 1 : c->status;
}

static int tell_cohort(struct ctx *c, const struct hs_chronicle_opts *o)
{
    long n = 0, total = 0;
    long long *all = malloc((size_t)(o->limit < 1 ? 1 : o->limit) * sizeof *all);
    if (all == NULL)
        return ch_fail(c, HS_CHRONICLE_ENOMEM, "out of memory");
    /* collect first: telling a life reads the run again */
    if (ch_cohort(c, o->cohort, o->estate, o->limit, all, &n, &total) != HS_CHRONICLE_OK) {
        free(all);
        return c->status;
    }
    if (n == 0) {
        free(all);
        char msg[1400];
        snprintf(msg, sizeof msg, "no donors of the %d cohort%s%s in %s", o->cohort,
                 o->estate ? " at " : "", o->estate ? o->estate : "", c->dir);
        return ch_fail(c, HS_CHRONICLE_ENOTFOUND, msg);
    }
    char at[128] = "";
    struct life first;
    if (o->estate && ch_read_life(c, all[0], &first) > 0)
        estate_at(first.estate, at, sizeof at);
    intro(c, o, at);
    for (long i = 0; i < n && c->status == HS_CHRONICLE_OK; i++)
        tell_one(c, all[i]);
    free(all);
    if (total > n && c->status == HS_CHRONICLE_OK) {
        struct hs_buf p;
        hs_buf_init(&p);
        char w[32];
        words(total - n, w, sizeof w);
        hs_buf_printf(&p, "There were %s more in that year. I haven't put them all down.", w);
        flush_para(c, &p);
    }
    return c->status;
}

static int tell_donor(struct ctx *c, const struct hs_chronicle_opts *o)
{
    struct life l;
    int rc = ch_read_life(c, o->donor, &l);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        char msg[1200];
        snprintf(msg, sizeof msg, "no donor with id %lld in %s", o->donor, c->dir);
        return ch_fail(c, HS_CHRONICLE_ENOTFOUND, msg);
    }
    intro(c, o, l.name);
    tell(c, &l);
    return c->status;
}

int hs_chronicle_write(const char *dir, const struct hs_chronicle_opts *o, FILE *out,
                       char *err, size_t errlen)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.dir = dir;
    c.plain = o->plain;
    c.err = err;
    c.errlen = errlen;
    if (errlen)
        err[0] = '\0';
    hs_buf_init(&c.text);
    if (ch_open_run(&c) == HS_CHRONICLE_OK) {
        if (o->donor >= 0)
            tell_donor(&c, o);
        else
            tell_cohort(&c, o);
    }
    if (c.status == HS_CHRONICLE_OK && c.text.failed)
        ch_fail(&c, HS_CHRONICLE_ENOMEM, "out of memory");
    if (c.status == HS_CHRONICLE_OK && c.text.len > 0) {
        /* one blank line between lives, none at the very end */
        while (c.text.len > 1 && c.text.s[c.text.len - 1] == '\n' &&
               c.text.s[c.text.len - 2] == '\n')
            c.text.s[--c.text.len] = '\0';
        if (fwrite(c.text.s, 1, c.text.len, out) != c.text.len || fflush(out) != 0)
            ch_fail(&c, HS_CHRONICLE_EWRITE, "cannot write the chronicle");
    }
    hs_buf_free(&c.text);
    ch_close(&c);
    return c.status;
}
