/* SPDX-License-Identifier: MIT
 *
 * chronicle.c - tells donors' lives from a run's trace, as a carer would.
 *
 * Each life is read from run.sqlite (the donor's row, its donations, the
 * donor's carers and partner, the chip readings) and told in four short
 * paragraphs: where they grew up, the Cottages and caring, the notice and
 * the donations, and what came after.  Every kind of sentence has a table
 * of phrasings written for this project; which one is used is a hash of the
 * donor's id and the kind, so a run always tells the same story and
 * neighbouring lives do not read alike.  `plain` swaps the novel's words
 * (donation, completing, recovery centre) for what they hide.
 *
 * Nothing is said that the records do not bear out: a partner or a carer
 * acts only on a day they were alive, a refused deferral is placed on a
 * notice at which both of the couple were, nobody alive at the run's end
 * is read "for the last time", the organs named are those each operation
 * took, and counts agree with their nouns.  A name shared by several
 * donors carries what tells it apart (estate and year, then month, day,
 * id), so that every reference names one person.
 */
#include "chronicle_impl.h"
#include "chronicle_phrases.h"
#include "chronicle_words.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Which of n variants a sentence uses: fixed by the donor and the slot. */
static unsigned pick(long long id, unsigned slot, unsigned n)
{
    uint64_t z = (uint64_t)id * 0x9e3779b97f4a7c15u + slot * 0xbf58476d1ce4e5b9u + 1;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (unsigned)(z % n);
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

static void flush_para(struct ctx *c, struct hs_buf *p)
{
    if (p->len > 0)
        cw_wrap(&c->text, p->s);
    if (p->failed)
        c->text.failed = 1;
    hs_buf_free(p);
}


/* ---- phrasings ---------------------------------------------------------------------------- */

/* ---- organs --------------------------------------------------------------------------- */

/* The organs as the run lists them, and how each is said at a donation the
 * donor survives (a part), at the completing one when nothing of it was
 * taken before (whole), and when a part had been (rest). */
enum { ORGANS = 5 };
static const struct {
    const char *name, *part, *whole, *rest;
} organ_names[ORGANS] = {
    {"kidney", "a kidney", "both {pos} kidneys", "{pos} other kidney"},
    {"liver", "a lobe of {pos} liver", "{pos} liver", "what was left of {pos} liver"},
    {"heart", "{pos} heart", "{pos} heart", "{pos} heart"},
    {"lung", "a lobe of one lung", "both {pos} lungs", "what was left of {pos} lungs"},
    {"pancreas", "part of {pos} pancreas", "{pos} pancreas", "the rest of {pos} pancreas"},
};

/* Whether the comma-separated list names organ o. */
static int organ_in(const char *list, int o)
{
    size_t n = strlen(organ_names[o].name);
    for (const char *s = list; s && *s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
        if (!strncmp(s, organ_names[o].name, n) && (s[n] == ',' || s[n] == '\0'))
            return 1;
    return 0;
}

/* tmpl with {pos} replaced by pos */
static void with_pos(char *buf, size_t len, const char *tmpl, const char *pos)
{
    const char *k = strstr(tmpl, "{pos}");
    if (k == NULL)
        snprintf(buf, len, "%s", tmpl);
    else
        snprintf(buf, len, "%.*s%s%s", (int)(k - tmpl), tmpl, pos, k + 5);
}

/* ---- a telling --------------------------------------------------------------------------- */

enum { MAX_NAMED = 16 };

struct tale {
    struct ctx *c;
    const struct life *l;
    struct cw_vars v;
    struct hs_buf *p;
    struct life q;       /* the partner, when has_q */
    int has_q;
    int ask;             /* a refused deferral: when it was asked (asked_when) */
    int ask_early;       /* on the partner's notice, before the donor's own */
    int ask_told;
    int nnamed;          /* the people named so far, the donor first */
    struct {
        long long id;
        char name[64];
    } named[MAX_NAMED];
};

/* The k-th sentence of one kind in a life: the phrasings follow each other
 * from a place fixed by the donor, so that two in a row differ. */
static void put(struct tale *t, unsigned slot, unsigned k, const char *const *tbl, unsigned n)
{
    cw_say(t->p, tbl[(pick(t->l->id, slot, n) + k) % n], &t->v);
}
#define PUT(t, slot, tbl) put((t), (slot), 0, (tbl).v, (tbl).n)
#define PUTK(t, slot, k, tbl) put((t), (slot), (k), (tbl).v, (tbl).n)

/* A day as a number, for comparing two dates; -1 if the text is no date. */
static long day_of(const char *iso)
{
    struct cw_date d = cw_parse_date(iso);
    return d.ok ? cw_days_of(d) : -1;
}

/* Whether someone was alive on a day: no completion, or a completion after it. */
static int alive_on(const struct life *x, const char *iso)
{
    long c = day_of(x->completed), d = day_of(iso);
    return c < 0 || (d >= 0 && c > d);
}

/* A name with what tells it from its namesakes: the estate and the year of
 * birth (level 0), the month (1), the day (2), and the id (3):
 * "Tommy J. (Hailsham, born May 1966)". */
static void qualified(const struct life *x, int level, char *buf, size_t len)
{
    char e[128], born[48] = "", no[32] = "";
    estate_name(x->estate, e, sizeof e);
    struct cw_date t = cw_parse_date(x->created);
    if (level >= 2 && t.ok)
        snprintf(born, sizeof born, "%d %s %d", t.d, cw_months[t.m - 1], t.y);
    else if (level == 1 && t.ok)
        snprintf(born, sizeof born, "%s %d", cw_months[t.m - 1], t.y);
    else
        snprintf(born, sizeof born, "%d", x->cohort);
    if (level >= 3 || (level > 0 && !t.ok))
        snprintf(no, sizeof no, ", no. %lld", x->id);
    snprintf(buf, len, "%s (%s, born %s%s)", x->name, e, born, no);
}

/* How a person is named so that the reader knows which one: the name alone
 * when nobody else in the run has it, else with the estate and year, and
 * with the number of the records when even those are shared. */
static int reference(struct ctx *c, const struct life *x, char *buf, size_t len)
{
    long shared[4];
    if (ch_name_shared(c, x, shared) != HS_CHRONICLE_OK)
        return c->status;
    if (shared[0] <= 1)
        snprintf(buf, len, "%s", x->name);
    else
        qualified(x, shared[1] <= 1 ? 0 : shared[2] <= 1 ? 1 : shared[3] <= 1 ? 2 : 3, buf,
                  len);
    return HS_CHRONICLE_OK;
}

/* The words that name person x in this life: the name alone when the reader
 * cannot take it for anyone else (x has been named already and is the only
 * one of that name named so far), else the reference that names one person
 * in the whole run. */
static int mention(struct tale *t, const struct life *x, const char *key)
{
    int same = 0, seen = 0;
    for (int i = 0; i < t->nnamed; i++) {
        if (strcmp(t->named[i].name, x->name) != 0)
            continue;
        same++;
        seen |= t->named[i].id == x->id;
    }
    char ref[VARLEN];
    if (seen && same == 1)
        snprintf(ref, sizeof ref, "%s", x->name);
    else if (reference(t->c, x, ref, sizeof ref) != HS_CHRONICLE_OK)
        return t->c->status;
    if (!seen && t->nnamed < MAX_NAMED) {
        t->named[t->nnamed].id = x->id;
        snprintf(t->named[t->nnamed].name, sizeof t->named[0].name, "%s", x->name);
        t->nnamed++;
    }
    cw_set(&t->v, key, ref);
    return HS_CHRONICLE_OK;
}

/* the partner as {q} */
static void name_q(struct tale *t)
{
    mention(t, &t->q, "q");
}

/* "the Cottages", or the place the donor went to instead */
static const char *cottages_of(const struct life *l)
{
    return l->cottages[0] ? l->cottages : "the Cottages";
}

static void set_when(struct tale *t, const char *k, const char *iso, unsigned slot)
{
    char w[64];
    cw_when(iso, pick(t->l->id, slot, 3), w, sizeof w);
    cw_set(&t->v, k, w);
}

static void set_age(struct tale *t, const char *iso)
{
    char w[32];
    cw_words(cw_age_at(t->l->created, iso), w, sizeof w);
    cw_set(&t->v, "age", w);
}

/* "a kidney", "a lobe of her liver" at a donation the donor survives;
 * at the completing one, what was left of each organ: the other kidney
 * when one had gone before, both otherwise. */
static void organ_words(const struct life *l, int i, const char *pos, char *buf, size_t len)
{
    const struct donation *d = &l->d[i];
    int before[ORGANS] = {0};
    for (int k = 0; k < i; k++)
        for (int o = 0; o < ORGANS; o++)
            if (organ_in(l->d[k].organs, o))
                before[o]++;
    char items[ORGANS][64];
    int n = 0;
    for (int o = 0; o < ORGANS; o++) {
        if (!organ_in(d->organs, o))
            continue;
        with_pos(items[n++], sizeof items[0], !d->completed ? organ_names[o].part
                                              : before[o] > 0 ? organ_names[o].rest
                                                              : organ_names[o].whole, pos);
    }
    size_t o = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && o < len; k++) {
        int w = snprintf(buf + o, len - o, "%s%s", k == 0 ? "" : k == n - 1 ? " and " : ", ",
                         items[k]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (n == 0)
        snprintf(buf, len, "%s organs", pos);
}

/* ---- the four paragraphs ---------------------------------------------------------------- */

static void origins(struct tale *t)
{
    struct ctx *c = t->c;
    const struct life *l = t->l;
    char born[64], at[128], e[128];
    cw_when(l->created, 0, born, sizeof born);
    estate_at(l->estate, at, sizeof at);
    estate_name(l->estate, e, sizeof e);
    cw_set(&t->v, "born", born);
    cw_set(&t->v, "at", at);
    cw_set(&t->v, "estate", e);
    if (!strcmp(l->estate, "Hailsham"))
        PUT(t, 1, ph_from_hailsham);
    else if (is_humane(c, l->estate))
        PUT(t, 1, ph_from_humane);
    else if (c->plain)
        PUT(t, 1, ph_from_homes_plain);
    else
        PUT(t, 1, ph_from_homes);
    if (l->gallery > 0) {
        char w[32], things[64];
        cw_words(l->gallery, w, sizeof w);
        cw_set(&t->v, "n", w);
        cw_count_unit(l->gallery, "picture", things, sizeof things);
        cw_set(&t->v, "things", things);
        cw_set(&t->v, "them", l->gallery == 1 ? "it" : "them");
        PUT(t, 2, ph_gallery);
        if (c->plain)
            cw_say(t->p, "The Gallery was kept to prove that students like {obj} had souls at "
                      "all. ", &t->v);
    }
}

/* How many a carer looked after and how many of them completed. */
static void cared_for(struct tale *t)
{
    long n = 0, died = 0;
    if (ch_cared_for(t->c, t->l->id, &n, &died) != HS_CHRONICLE_OK || n <= 0)
        return;
    int plain = t->c->plain;
    cw_set(&t->v, "one", plain ? "person" : "donor");
    cw_set(&t->v, "died", plain ? "died" : "completed");
    cw_set(&t->v, "die", plain ? "die" : "complete");
    if (n == 1) {
        if (died > 0)
            PUT(t, 3, ph_cared_one_died);
        else
            PUT(t, 3, ph_cared_one_lived);
        return;
    }
    char w[32], some[64], many[64];
    cw_words(n, w, sizeof w);
    snprintf(many, sizeof many, "%s %s", w, plain ? "people" : "donors");
    cw_words(died, w, sizeof w);
    if (died == 0)
        snprintf(some, sizeof some, "none of them");
    else if (died == n)
        snprintf(some, sizeof some, "%s of them", n == 2 ? "both" : "all");
    else
        snprintf(some, sizeof some, "%s of them", w);
    cw_set(&t->v, "n", many);
    cw_set(&t->v, "some", some);
    PUT(t, 3, ph_cared_many);
}

static void ask_refused(struct tale *t, int how);

/* Tell a deferral asked on the partner's notice here if that came before
 * day: the dates of the telling follow each other. */
static int ask_before(struct tale *t, const char *day)
{
    if (!t->ask_early || t->ask_told || day_of(day) < 0 ||
        day_of(t->q.notice) >= day_of(day))
        return 0;
    ask_refused(t, 2);
    return 1;
}

static void caring(struct tale *t)
{
    const struct life *l = t->l;
    cw_set(&t->v, "to", cottages_of(l));
    if (l->left[0]) {
        set_when(t, "t", l->left, 4);
        set_age(t, l->left);
        PUT(t, 5, ph_left_estate);
        /* the couple formed at the Cottages, where both of them were then */
        if (t->has_q && !(l->notice[0] && alive_on(&t->q, l->notice))) {
            name_q(t);
            PUT(t, 6, ph_became_couple);
        }
    }
    if (l->training[0]) {
        ask_before(t, l->training);
        set_when(t, "t", l->training, 7);
        PUT(t, 8, ph_training);
        char w[64];
        cw_when(l->carer, 0, w, sizeof w);
        if (l->carer[0] && t->ask_early && !t->ask_told &&
            day_of(t->q.notice) < day_of(l->carer)) {
            /* the couple asked while this donor was in training */
            hs_buf_put(t->p, ". ");
            ask_refused(t, 2);
            cw_set(&t->v, "t", w);
            PUT(t, 9, ph_carer_alone);
        } else if (l->carer[0]) {
            cw_set(&t->v, "t", w);
            PUT(t, 9, ph_carer_from);
        } else {
            hs_buf_put(t->p, ". ");
        }
    }
    if (l->carer[0]) {
        char s[64];
        cw_span(l->carer_years, s, sizeof s);
        cw_set(&t->v, "s", s);
        if (l->notice[0] || l->completed[0])
            PUT(t, 10, ph_carer_span);
        else
            PUT(t, 10, ph_carer_span_now);
        cared_for(t);
    }
}

/* When a refused deferral was asked for: on the donor's own notice (1), on
 * the partner's (2), on one of the two, the records cannot say which (3);
 * 0 when no day fits, both of them alive, and nothing is told.  A couple
 * asks when the first of them gets a notice while the other lives, and may
 * ask again at the second if they did not the first time. */
static int asked_when(const struct tale *t)
{
    const struct life *l = t->l, *q = &t->q;
    int own = l->notice[0] && alive_on(q, l->notice);
    int theirs = q->notice[0] && alive_on(l, q->notice);
    if (q->notice[0] && l->notice[0] && day_of(q->notice) == day_of(l->notice))
        theirs = 0;
    return own && theirs ? 3 : own ? 1 : theirs ? 2 : 0;
}

static void ask_refused(struct tale *t, int how)
{
    int plain = t->c->plain;
    t->ask_told = 1;
    name_q(t);
    if (how == 1) {
        if (plain)
            PUT(t, 11, ph_ask_plain);
        else
            PUT(t, 11, ph_ask_own);
    } else if (how == 2) {
        set_when(t, "t", t->q.notice, 12);
        if (plain)
            PUT(t, 11, ph_ask_theirs_plain);
        else
            PUT(t, 11, ph_ask_theirs);
    } else if (how == 3) {
        if (plain)
            PUT(t, 11, ph_ask_either_plain);
        else
            PUT(t, 11, ph_ask_either);
    }
}

/* A deferral granted: the asker's notice was put off by the deferral's
 * length, so the request was made that long before the recorded notice. */
static void ask_granted(struct tale *t)
{
    struct ctx *c = t->c;
    const struct life *l = t->l;
    char s[64];
    cw_span(c->deferral_years, s, sizeof s);
    /* whose notice was put off the records do not say; the couple asked
     * together, so the partner must have been alive when this donor's
     * own notice, had it been put off, first came */
    long asked = day_of(l->notice) - lround(c->deferral_years * 365.25);
    long qc = day_of(t->q.completed);
    if (!t->has_q || (qc >= 0 && qc <= asked))
        return;
    name_q(t);
    cw_set(&t->v, "s", s);
    cw_say(t->p, c->plain ? "When one of them was first ordered in for an operation, {p} and {q} "
                         "asked for a deferral, and in this version of things it was granted: "
                         "{s}. "
                       : "When one of their notices came, {p} and {q} asked for a deferral, "
                         "and in this version of things it was granted: {s}. ",
        &t->v);
}

static void donations(struct tale *t)
{
    struct ctx *c = t->c;
    const struct life *l = t->l;
    int granted = !strcmp(l->deferral, "granted");
    int how = t->ask, early = t->ask_early;
    if (granted)
        ask_granted(t);
    if (early && !t->ask_told)
        ask_refused(t, 2);
    if (l->notice[0]) {
        set_when(t, "t", l->notice, 13);
        set_age(t, l->notice);
        if (c->plain)
            PUT(t, 14, ph_notice_plain);
        else
            PUT(t, 14, ph_notice_first);
        if (t->has_q && alive_on(&t->q, l->notice) && how != 1 && how != 3 && !granted) {
            name_q(t);
            PUT(t, 15, ph_with_partner);
        }
    }
    if (how == 1 || how == 3 || (how == 2 && !early))
        ask_refused(t, how);
    long long prev = -1;
    for (int i = 0; i < l->nd; i++) {
        const struct donation *d = &l->d[i];
        char at[128], w[64];
        set_when(t, "t", d->date, 20 + (unsigned)i);
        centre_at(d->centre[0] ? d->centre : "a centre", at, sizeof at);
        cw_set(&t->v, "at", at);
        cw_set(&t->v, "ord", cw_ordinal(d->number));
        set_age(t, d->date);
        if (c->plain) {
            char org[192];
            organ_words(l, i, cw_get(&t->v, "pos"), org, sizeof org);
            cw_set(&t->v, "org", org);
        }
        unsigned slot = 30, k = (unsigned)i;
        if (d->completed && c->plain)
            PUT(t, slot, ph_died_plain);
        else if (d->completed && d->number >= 4)
            PUT(t, slot, ph_completed_fourth);
        else if (d->completed)
            PUT(t, slot, ph_completed_early);
        else if (c->plain)
            PUTK(t, slot, k, ph_operation_plain);
        else if (i == 0)
            PUT(t, slot, ph_first_donation);
        else
            PUTK(t, slot, k, ph_next_donation);
        /* the carer of this donation, when it changed, if alive then */
        struct life who;
        slot = 40 + (unsigned)i;
        if (d->carer < 0) {
            if (prev >= 0 || i == 0)
                PUT(t, slot, ph_no_carer);
        } else if (d->carer != prev && d->carer != l->id &&
                   ch_read_life(c, d->carer, &who) > 0 && alive_on(&who, d->date)) {
            char ce[128];
            if (mention(t, &who, "cn") != HS_CHRONICLE_OK)
                return;
            estate_name(who.estate, ce, sizeof ce);
            cw_set(&t->v, "ce", ce);
            if (!strcmp(who.estate, l->estate) && is_humane(c, who.estate) && prev < 0)
                PUT(t, slot, ph_carer_same_estate);
            else if (prev < 0)
                PUT(t, slot, ph_carer_first);
            else
                PUTK(t, 45, (unsigned)i, ph_carer_changed);
        }
        prev = d->carer;
        if (d->completed)
            continue;
        if (d->bed_wait >= 1) {
            cw_count_unit(lround(d->bed_wait), "day", w, sizeof w);
            cw_set(&t->v, "n", w);
            PUTK(t, 50, (unsigned)i, ph_bed_wait);
        }
        if (d->agitated) {
            if (c->plain)
                PUTK(t, 55, (unsigned)i, ph_agitated_plain);
            else
                PUTK(t, 55, (unsigned)i, ph_agitated);
        }
    }
}

/* Where the record leaves someone who has not completed. */
static void record_end(struct tale *t)
{
    struct ctx *c = t->c;
    const struct life *l = t->l;
    char end[16], w[64], at[128];
    snprintf(end, sizeof end, "%d", c->end_year);
    cw_set(&t->v, "end", end);
    if (!strcmp(l->stage, "donor")) {
        centre_at(l->nd ? l->d[l->nd - 1].centre : "a centre", at, sizeof at);
        cw_set(&t->v, "at", at);
        cw_count_unit(l->nd, c->plain ? "operation" : "donation", w, sizeof w);
        if (l->nd == 1)
            snprintf(w, sizeof w, "%s", c->plain ? "one operation" : "one donation");
        cw_set(&t->v, "n", w);
        cw_set(&t->v, "have", l->nd == 1 ? "has" : "have");
        if (c->plain)
            PUT(t, 60, ph_still_donor_plain);
        else
            PUT(t, 60, ph_still_donor);
    } else if (!strcmp(l->stage, "carer")) {
        if (c->plain)
            PUT(t, 60, ph_still_carer_plain);
        else
            PUT(t, 60, ph_still_carer);
    } else if (!strcmp(l->stage, "training")) {
        PUT(t, 60, ph_still_training);
    } else {
        char e[128];
        if (l->left[0])
            snprintf(e, sizeof e, "at %s", cottages_of(l));
        else
            estate_at(l->estate, e, sizeof e);
        cw_set(&t->v, "at", e);
        PUT(t, 60, ph_still_young);
    }
}

static void afterwards(struct tale *t)
{
    struct ctx *c = t->c;
    const struct life *l = t->l;
    if (!l->completed[0])
        record_end(t);
    /* the closing, after the partner's end, names the donor again */
    cw_set(&t->v, "who", cw_get(&t->v, "obj"));
    unsigned n = c->plain ? ph_closing_plain.n : ph_closing.n;
    unsigned v = pick(l->id, 63, n);
    if (l->completed[0] && v == CLOSE_BRACELET) {
        /* only a reading the donor lived to: none after the completion */
        char place[96], date[16];
        if (ch_last_reading(c, l->id, place, sizeof place, date, sizeof date) > 0 &&
            day_of(date) >= 0 && day_of(date) <= day_of(l->completed)) {
            char at[128], d[64];
            centre_at(place, at, sizeof at);
            cw_on_day(date, d, sizeof d);
            cw_set(&t->v, "at", at);
            cw_set(&t->v, "d", d);
            cw_say(t->p, c->plain ? ph_closing_plain.v[v] : ph_closing.v[v], &t->v);
            v = CLOSE_NOTHING;   /* the reading is the last word about the donor */
        } else {
            v = CLOSE_RECORDS;
        }
    }
    if (t->has_q && t->q.completed[0]) {
        name_q(t);
        /* the donor again, by a name the partner's does not make ambiguous */
        if (mention(t, l, "who") != HS_CHRONICLE_OK)
            return;
        const struct donation *last = t->q.nd ? &t->q.d[t->q.nd - 1] : NULL;
        set_when(t, "t", t->q.completed, 61);
        cw_set(&t->v, "ord", cw_ordinal(last ? last->number : 0));
        cw_set(&t->v, "qpos", t->q.male ? "his" : "her");
        cw_set(&t->v, "qp", t->q.male ? "he" : "she");
        if (c->plain)
            PUT(t, 62, ph_partner_end_plain);
        else
            PUT(t, 62, ph_partner_end);
    }
    if (l->completed[0])   /* nothing is the last of anything for the living */
        cw_say(t->p, c->plain ? ph_closing_plain.v[v] : ph_closing.v[v], &t->v);
}

static void tell(struct ctx *c, const struct life *l)
{
    struct tale t;
    memset(&t, 0, sizeof t);
    t.c = c;
    t.l = l;
    cw_set(&t.v, "name", l->name);
    cw_set(&t.v, "P", l->male ? "He" : "She");
    cw_set(&t.v, "p", l->male ? "he" : "she");
    cw_set(&t.v, "Pos", l->male ? "His" : "Her");
    cw_set(&t.v, "pos", l->male ? "his" : "her");
    cw_set(&t.v, "obj", l->male ? "him" : "her");
    cw_set(&t.v, "poss", l->male ? "his" : "hers");
    t.named[0].id = l->id;
    snprintf(t.named[0].name, sizeof t.named[0].name, "%s", l->name);
    t.nnamed = 1;
    if (l->partner >= 0 && ch_read_life(c, l->partner, &t.q) > 0) {
        t.has_q = 1;
        if (!strcmp(l->deferral, "refused")) {
            t.ask = asked_when(&t);
            t.ask_early = t.ask == 2 && (!l->notice[0] ||
                                         day_of(t.q.notice) < day_of(l->notice));
        }
    }
    if (c->status != HS_CHRONICLE_OK)
        return;
    /* the heading: the name, its estate and year, and what else tells it
     * from its namesakes */
    char head[VARLEN];
    long shared[4];
    if (ch_name_shared(c, l, shared) != HS_CHRONICLE_OK)
        return;
    qualified(l, shared[1] <= 1 ? 0 : shared[2] <= 1 ? 1 : shared[3] <= 1 ? 2 : 3, head,
              sizeof head);
    cw_put_shown(&c->text, head, strlen(head));
    hs_buf_put(&c->text, "\n\n");
    struct hs_buf p;
    hs_buf_init(&p);
    t.p = &p;
    origins(&t);
    flush_para(c, &p);
    caring(&t);
    flush_para(c, &p);
    donations(&t);
    flush_para(c, &p);
    afterwards(&t);
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
    if (o->donor >= 0 || o->name)
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
        cw_words(total - n, w, sizeof w);
        if (total - n == 1)
            hs_buf_put(&p, "There was one more in that year. I haven't put that one down.");
        else
            hs_buf_printf(&p, "There were %s more in that year. I haven't put them all down.",
                          w);
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

/* Where a donor is when the records end, for a list of namesakes. */
static void fate(const struct ctx *c, const struct life *l, char *buf, size_t len)
{
    static const struct {
        const char *stage, *words;
    } where[] = {
        {"donor", "a donor"}, {"carer", "a carer"}, {"training", "in training"},
        {"cottages", "at the Cottages"}, {"student", "at the estate"},
    };
    if (l->completed[0]) {
        snprintf(buf, len, "completed %.4s", l->completed);
        return;
    }
    const char *w = l->stage;
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++)
        if (!strcmp(where[i].stage, l->stage))
            w = where[i].words;
    snprintf(buf, len, "%s in %d", w, c->end_year);
}

/* Whether `asked` is this donor as the chronicle refers to them: the name
 * alone, or the name with the estate and year (and number) that make it
 * one person's (any case). */
static int answers_to(struct ctx *c, const struct life *l, const char *asked)
{
    if (strcasecmp(asked, l->name) == 0)
        return 1;
    char ref[VARLEN];
    for (int level = 0; level < 4; level++) {
        qualified(l, level, ref, sizeof ref);
        if (strcasecmp(asked, ref) == 0)
            return 1;
    }
    return 0;
}

/* --name: the life of the one donor so called; of several, a list of them
 * (id, estate, year, fate) to choose one from with --donor. */
static int tell_named(struct ctx *c, const struct hs_chronicle_opts *o)
{
    char base[64];
    size_t k = strcspn(o->name, "(");
    while (k > 0 && o->name[k - 1] == ' ')
        k--;
    snprintf(base, sizeof base, "%.*s", (int)k, o->name);
    long n = 0, total = 0;
    if (ch_named(c, base, 0, NULL, &n, &total) != HS_CHRONICLE_OK)
        return c->status;
    long long *ids = malloc((size_t)(total > 0 ? total : 1) * sizeof *ids);
    if (ids == NULL)
        return ch_fail(c, HS_CHRONICLE_ENOMEM, "out of memory");
    if (total > 0 && ch_named(c, base, total, ids, &n, &total) != HS_CHRONICLE_OK) {
        free(ids);
        return c->status;
    }
    /* keep those the whole reference fits */
    struct life l;
    long kept = 0;
    for (long i = 0; i < n && c->status == HS_CHRONICLE_OK; i++)
        if (ch_read_life(c, ids[i], &l) > 0 && answers_to(c, &l, o->name))
            ids[kept++] = ids[i];
    if (c->status == HS_CHRONICLE_OK && kept == 0) {
        char msg[1400];
        snprintf(msg, sizeof msg, "no donor called '%s' in %s (--name takes a name as the "
                                  "chronicle writes it, e.g. 'Kathy H.')", o->name, c->dir);
        ch_fail(c, HS_CHRONICLE_ENOTFOUND, msg);
    } else if (c->status == HS_CHRONICLE_OK && kept == 1) {
        if (ch_read_life(c, ids[0], &l) > 0) {
            intro(c, o, l.name);
            tell(c, &l);
        }
    } else if (c->status == HS_CHRONICLE_OK) {
        hs_buf_printf(&c->text, "%ld donors are called %s in %s; tell one with --donor ID:\n\n",
                      kept, base, c->dir);
        for (long i = 0; i < kept && c->status == HS_CHRONICLE_OK; i++) {
            char e[128], f[64], line[VARLEN];
            if (ch_read_life(c, ids[i], &l) <= 0)
                continue;
            estate_name(l.estate, e, sizeof e);
            fate(c, &l, f, sizeof f);
            snprintf(line, sizeof line, "%10lld  %s (%s, born %d), %s\n", l.id, l.name, e,
                     l.cohort, f);
            cw_put_shown(&c->text, line, strlen(line) - 1);
            hs_buf_put(&c->text, "\n");
        }
    }
    free(ids);
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
        if (o->name)
            tell_named(&c, o);
        else if (o->donor >= 0)
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
