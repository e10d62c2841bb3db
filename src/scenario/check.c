/* SPDX-License-Identifier: MIT
 *
 * check.c - the rules that join several keys: shares that must sum to 1,
 * years that must come in order, names that must exist.
 *
 * They run after all the reading (file, then every --set), because a
 * single assignment may leave the values half-changed.  The struct may
 * also come from code rather than a file, so the check first re-checks
 * every single value against the schema (range, table order, list sizes).
 * An error is placed at the key that last set one of the values involved,
 * from the origins the reader recorded; a value still at its default is
 * reported against the scenario's file name.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "diag.h"
#include "schema.h"

#define SUM_TOLERANCE 1e-6
/* The fewest people a world starts with: 0.5 rounds to one. */
#define HS_MIN_PEOPLE 0.5
/* The most a planned cohort may exceed the listings seen. */
#define HS_MAX_PLAN_FACTOR 1000.0

const char *const hs_check_rules[] = {
    "`scenario.end_year` is after `scenario.start_year`.",
    "The four shares of `public.abo` sum to 1 within 1e-6; so do the shares of "
    "`programme.estates`, of `programme.cottages` and of `programme.centres`.",
    "`public.births` and `public.mortality.other_medicine` start at or before `scenario.start_year`; "
    "when `programme.cohorts.mode` is `fixed`, `programme.cohorts.sizes` starts at or "
    "before `programme.start`.",
    "`allocation.deceased.min_age` is at most `allocation.deceased.max_age`, and "
    "`public.max_listing_age` is at most `public.mortality.max_age`.",
    "When the programme is enabled, `programme.start` falls within the run (from "
    "`scenario.start_year`, before `scenario.end_year`).",
    "`programme.end`, unless `never`, is after `programme.start`.",
    "Names are unique within `programme.estates`, within `programme.cottages` and within "
    "`programme.centres`; an estate that closes does so after it opens; only a humane "
    "estate can have a gallery.",
    "`programme.fallback_estate` names one of `programme.estates`, one that never closes "
    "and, when the programme is enabled, opens no later than `programme.start`.",
    "The last value of `programme.donations.complete` is 1: nobody survives the fourth "
    "donation.",
    "A cause group of `cures` whose `organ` is `none` has no `reach` above 0.",
    "`programme.carers.reassign_days` is 0 (at once) or at least 1 day.",
    "A donation a donor may survive (its `programme.donations.complete` below 1) takes "
    "neither the heart nor a second kidney: the vital organs only at the donation that "
    "completes.",
    "`public.mortality.gompertz_rate` exceeds `public.mortality.improvement`: the hazard "
    "of each birth cohort still grows with age.",
    "The world holds someone: `public.initial` times `scenario.scale` is at least 0.5, "
    "so that the initial population rounds to at least one person (canon's 41.2 million "
    "needs a scale of at least 1.22e-8).",
    "When `programme.cohorts.mode` is `planned`, the planner's forecast factor (1 + "
    "`programme.cohorts.growth`) to the power `programme.cohorts.lead_years`, times "
    "`programme.cohorts.margin`, is at most 1000: no cohort is planned for more than a "
    "thousand times the listings seen.",
};
const size_t hs_ncheck_rules = sizeof hs_check_rules / sizeof hs_check_rules[0];

struct chk {
    const struct hs_params *p;
    struct hs_diag *d;
    int errors;
};

static void fail(struct chk *c, const char *path, const char *fmt, ...) HS_PRINTF(3, 4);

/* paths: the keys the rule is about, separated by spaces; the error goes
 * to the one the user set last. */
static void fail(struct chk *c, const char *paths, const char *fmt, ...)
{
    char msg[1024], buf[HS_PATH_MAX * 4];
    const char *list[4];
    size_t n = 0;
    va_list ap;

    /* Split in place (not strtok: it keeps hidden state between calls). */
    snprintf(buf, sizeof buf, "%s", paths);
    for (char *s = buf; *s && n < 4;) {
        list[n++] = s;
        s += strcspn(s, " ");
        if (*s)
            *s++ = '\0';
    }
    const char *where = hs_diag_locate_any(c->d, list, n);
    if (!where)
        where = c->d->source ? c->d->source : "scenario";
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hs_diag_add(c->d, where, "%s", msg);
    c->errors++;
}

/* ---- every value on its own ------------------------------------------- */

static void check_range(struct chk *c, const char *path, const struct hs_field *f, double v)
{
    char lo[40], hi[40], vs[40];
    int lo_ok = (f->flags & HS_F_LO_OPEN) ? v > f->lo : v >= f->lo;
    if (lo_ok && v <= f->hi)   /* false for NaN too */
        return;
    hs_fmt_num(lo, sizeof lo, f->lo);
    hs_fmt_num(hi, sizeof hi, f->hi);
    hs_fmt_num(vs, sizeof vs, v);
    if (f->flags & HS_F_LO_OPEN)
        fail(c, path, "%s must be greater than %s and at most %s, found %s", path, lo, hi, vs);
    else
        fail(c, path, "%s must be between %s and %s, found %s", path, lo, hi, vs);
}

static void check_dated(struct chk *c, const char *path, const struct hs_field *f,
                        const struct hs_dated *t)
{
    const struct hs_table_keys *kw = hs_table_keys(f);
    int ages = (f->flags & HS_F_AGES) != 0;
    struct hs_field years = *f;
    years.lo = kw->lo;
    years.hi = kw->hi;
    years.flags = 0;
    if (t->n < 1 || t->n > HS_MAX_TABLE) {
        fail(c, path, "%s has 1 to %d %s, found %zu", path, HS_MAX_TABLE, kw->keys, t->n);
        return;
    }
    double sum = 0;
    for (size_t i = 0; i < t->n; i++) {
        check_range(c, path, &years, t->year[i]);
        check_range(c, path, f, t->value[i]);
        sum += t->value[i];
        if (i > 0 && !(t->year[i] > t->year[i - 1]))
            fail(c, path, "the %s of %s must increase", kw->keys, path);
    }
    if (ages && !(sum > 0))
        fail(c, path, "%s gives no one an age: its values sum to 0", path);
}

static void check_name(struct chk *c, const char *path, const char *name)
{
    if (!memchr(name, '\0', HS_NAME_MAX))
        fail(c, path, "%s is not terminated within %d bytes", path, HS_NAME_MAX);
    else if (name[0] == '\0')
        fail(c, path, "%s cannot be empty", path);
    else {
        uint32_t cp = 0;
        char bad[48];
        if (hs_name_bad_char(name, strlen(name), &cp) < strlen(name)) {
            hs_name_show_char(bad, sizeof bad, cp);
            fail(c, path, "%s cannot hold %s (a name holds %s)", path, bad, hs_name_chars);
        }
    }
}

static void check_field(struct chk *c, const struct hs_field *f, const char *base,
                        const char *path);

static void check_list(struct chk *c, const struct hs_field *f, const char *base,
                       const char *path)
{
    size_t n = *(const size_t *)(const void *)(base + f->count_off);
    char sub[HS_PATH_MAX];
    if (n < 1 || n > f->max) {
        fail(c, path, "%s has 1 to %zu items, found %zu", path, f->max, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        for (size_t j = 0; j < f->nsub; j++) {
            char leaf[HS_PATH_MAX + 32];
            snprintf(leaf, sizeof leaf, "%s.%s", sub, f->sub[j].key);
            check_field(c, &f->sub[j], base + f->off + i * f->item_size, leaf);
        }
    }
}

static void check_scalar(struct chk *c, const struct hs_field *f, const char *at,
                         const char *path)
{
    double v;
    int i;
    switch (f->kind) {
    case HS_K_NUM:
        check_range(c, path, f, *(const double *)(const void *)at);
        break;
    case HS_K_YEAR_NEVER:
        if ((v = *(const double *)(const void *)at) != 0)
            check_range(c, path, f, v);
        break;
    case HS_K_BOOL:
        v = (f->flags & HS_F_DOUBLE) ? *(const double *)(const void *)at
                                     : *(const int *)(const void *)at;
        if (v != 0 && v != 1)
            fail(c, path, "%s must be true (1) or false (0)", path);
        break;
    case HS_K_ENUM:
        i = *(const int *)(const void *)at;
        if (i < 0 || (size_t)i >= f->nnames)
            fail(c, path, "%s holds no valid choice (%d)", path, i);
        break;
    case HS_K_NAME:
        check_name(c, path, at);
        break;
    default:
        break;
    }
}

static void check_field(struct chk *c, const struct hs_field *f, const char *base,
                        const char *path)
{
    const char *at = base + f->off;
    char sub[HS_PATH_MAX];
    switch (f->kind) {
    case HS_K_MAP:
        for (size_t i = 0; i < f->nsub; i++) {
            snprintf(sub, sizeof sub, path[0] ? "%s.%s" : "%s%s", path, f->sub[i].key);
            check_field(c, &f->sub[i], at, sub);
        }
        break;
    case HS_K_DATED:
        check_dated(c, path, f, (const struct hs_dated *)(const void *)at);
        break;
    case HS_K_LIST:
        check_list(c, f, base, path);
        break;
    case HS_K_PROBS:
        for (int k = 0; k < HS_MAX_DONATIONS; k++)
            check_range(c, path, f, ((const double *)(const void *)at)[k]);
        break;
    case HS_K_ORGANSETS:
        for (int k = 0; k < HS_MAX_DONATIONS; k++)
            if (((const uint32_t *)(const void *)at)[k] >> HS_NORGANS)
                fail(c, path, "%s names an organ that does not exist", path);
        break;
    default:
        check_scalar(c, f, at, path);
        break;
    }
}

/* ---- rules across keys ------------------------------------------------- */

static void sum_to_one(struct chk *c, const char *path, double sum)
{
    if (fabs(sum - 1) > SUM_TOLERANCE)
        fail(c, path, "the shares in %s must sum to 1, found %.10g", path, sum);
}

static void check_years(struct chk *c)
{
    const struct hs_params *p = c->p;
    char a[40], b[40];
    hs_fmt_num(a, sizeof a, p->end_year);
    hs_fmt_num(b, sizeof b, p->start_year);
    if (!(p->end_year > p->start_year))
        fail(c, "scenario.end_year scenario.start_year",
             "scenario.end_year (%s) must be after scenario.start_year (%s)", a, b);
    if (p->births.n > 0 && p->births.year[0] > p->start_year)
        fail(c, "public.births scenario.start_year",
             "public.births must start at or before scenario.start_year (%s)", b);
    if (p->other_medicine.n > 0 && p->other_medicine.year[0] > p->start_year)
        fail(c, "public.mortality.other_medicine scenario.start_year",
             "public.mortality.other_medicine must start at or before scenario.start_year (%s)",
             b);
}

static void check_ages(struct chk *c)
{
    const struct hs_params *p = c->p;
    if (p->deceased_min_age > p->deceased_max_age)
        fail(c, "allocation.deceased.min_age allocation.deceased.max_age",
             "allocation.deceased.min_age must be at most allocation.deceased.max_age");
    if (p->max_listing_age > p->max_age)
        fail(c, "public.max_listing_age public.mortality.max_age",
             "public.max_listing_age must be at most public.mortality.max_age");
}

static void check_programme_years(struct chk *c)
{
    const struct hs_params *p = c->p;
    if (p->programme_end != 0 && !(p->programme_end > p->programme_start))
        fail(c, "programme.end programme.start",
             "programme.end must be after programme.start (or never)");
    if (!p->programme)
        return;
    if (p->programme_start < p->start_year || p->programme_start >= p->end_year)
        fail(c, "programme.start scenario.start_year scenario.end_year",
             "programme.start must fall within the run (from scenario.start_year, before "
             "scenario.end_year)");
    if (!p->cohort_planned && p->cohort_size.n > 0 &&
        p->cohort_size.year[0] > p->programme_start)
        fail(c, "programme.cohorts.sizes programme.start programme.cohorts.mode",
             "programme.cohorts.sizes must start at or before programme.start when "
             "programme.cohorts.mode is fixed");
}

/* Names unique in a list of places; their shares sum to 1. */
static void check_places(struct chk *c, const char *path, const struct hs_place_params *pl,
                         size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n && i < HS_MAX_PLACES; i++) {
        sum += pl[i].share;
        for (size_t j = 0; j < i; j++)
            if (strncmp(pl[i].name, pl[j].name, HS_NAME_MAX) == 0)
                fail(c, path, "%s names '%.*s' twice", path, HS_NAME_MAX - 1, pl[i].name);
    }
    sum_to_one(c, path, sum);
}

static void check_estate(struct chk *c, size_t i)
{
    const struct hs_estate_params *e = &c->p->estate[i];
    char path[HS_PATH_MAX];
    snprintf(path, sizeof path, "programme.estates[%zu]", i);
    if (e->closes != 0 && !(e->closes > e->opens))
        fail(c, path, "estate '%.*s' must close after it opens", HS_NAME_MAX - 1, e->name);
    if (e->gallery && !e->humane)
        fail(c, path, "estate '%.*s' has a gallery but is not humane; only humane estates "
             "have one", HS_NAME_MAX - 1, e->name);
    for (size_t j = 0; j < i; j++)
        if (strncmp(e->name, c->p->estate[j].name, HS_NAME_MAX) == 0)
            fail(c, path, "programme.estates names '%.*s' twice", HS_NAME_MAX - 1, e->name);
}

static void check_fallback(struct chk *c)
{
    const struct hs_params *p = c->p;
    for (size_t i = 0; i < p->n_estates && i < HS_MAX_ESTATES; i++) {
        const struct hs_estate_params *e = &p->estate[i];
        if (strncmp(e->name, p->fallback_estate, HS_NAME_MAX) != 0)
            continue;
        if (e->closes != 0)
            fail(c, "programme.fallback_estate programme.estates",
                 "the fallback estate '%.*s' must never close",
                 HS_NAME_MAX - 1, e->name);
        if (p->programme && e->opens > p->programme_start)
            fail(c, "programme.fallback_estate programme.estates programme.start",
                 "the fallback estate '%.*s' must open no "
                 "later than programme.start", HS_NAME_MAX - 1, e->name);
        return;
    }
    /* the estate meant, when the name is a slip away from one */
    const char *names[HS_MAX_ESTATES];
    size_t n = 0;
    for (size_t i = 0; i < p->n_estates && i < HS_MAX_ESTATES; i++)
        names[n++] = p->estate[i].name;
    const char *best = hs_suggest(p->fallback_estate, strnlen(p->fallback_estate, HS_NAME_MAX),
                                  names, n);
    if (best)
        fail(c, "programme.fallback_estate programme.estates",
             "programme.fallback_estate '%.*s' is not one of programme.estates (did you "
             "mean '%.*s'?)", HS_NAME_MAX - 1, p->fallback_estate, HS_NAME_MAX - 1, best);
    else
        fail(c, "programme.fallback_estate programme.estates",
             "programme.fallback_estate '%.*s' is not one of "
             "programme.estates", HS_NAME_MAX - 1, p->fallback_estate);
}

static void check_lists(struct chk *c)
{
    const struct hs_params *p = c->p;
    double sum = 0;
    for (size_t i = 0; i < p->n_estates && i < HS_MAX_ESTATES; i++) {
        sum += p->estate[i].share;
        check_estate(c, i);
    }
    sum_to_one(c, "programme.estates", sum);
    check_fallback(c);
    check_places(c, "programme.cottages", p->cottages, p->n_cottages);
    check_places(c, "programme.centres", p->centre, p->n_centres);
}

/* Rules the world relies on when it is created and run (src/world):
 * stated here so that validate says what run would refuse. */
static void check_world(struct chk *c)
{
    const struct hs_params *p = c->p;
    char a[40], b[40];
    if (!(p->mort_c > p->mort_drift)) {
        hs_fmt_num(a, sizeof a, p->mort_c);
        hs_fmt_num(b, sizeof b, p->mort_drift);
        fail(c, "public.mortality.gompertz_rate public.mortality.improvement",
             "public.mortality.gompertz_rate (%s) must exceed public.mortality.improvement "
             "(%s): a cohort's hazard must still grow with age", a, b);
    }
    if (!(p->population_initial * p->scale >= HS_MIN_PEOPLE)) {
        hs_fmt_num(a, sizeof a, HS_MIN_PEOPLE / p->population_initial);
        fail(c, "scenario.scale public.initial",
             "the world is empty at this scale: public.initial times scenario.scale must be "
             "at least 0.5 (one person); for this public.initial, scenario.scale must be at "
             "least %s", a);
    }
    if (p->cohort_planned) {
        double factor = exp(p->plan_lead_years * log1p(p->plan_growth)) * p->plan_margin;
        if (!(factor <= HS_MAX_PLAN_FACTOR)) {
            hs_fmt_num(a, sizeof a, factor);
            fail(c, "programme.cohorts.growth programme.cohorts.lead_years "
                 "programme.cohorts.margin",
                 "the planner's forecast factor (1 + programme.cohorts.growth) ^ "
                 "programme.cohorts.lead_years x programme.cohorts.margin is %.4g, over "
                 "the limit of %g", factor, HS_MAX_PLAN_FACTOR);
        }
    }
}

/* The donation schedule a transplant surgeon would accept: a donation the
 * donor may survive (its chance to complete is below 1) takes what a living
 * donor can give, so never the heart, and a kidney only while the other
 * stays; the completing donation takes everything left (donors.c). */
static void check_schedule(struct chk *c)
{
    const struct hs_params *p = c->p;
    int kidneys = 0;
    for (int k = 0; k + 1 < HS_MAX_DONATIONS; k++) {   /* the last always completes */
        if (!(p->complete_prob[k] < 1))
            break;   /* nobody survives this one: it may take anything */
        uint32_t o = p->donation_organs[k];
        char pc[40];
        hs_fmt_num(pc, sizeof pc, p->complete_prob[k]);
        if (o & (1u << HS_ORGAN_HEART))
            fail(c, "programme.donations.organs programme.donations.complete",
                 "programme.donations.organs: donation %d takes the heart, but a donor lives on "
                 "after it (programme.donations.complete gives %s): the heart only at the "
                 "donation that completes", k + 1, pc);
        if ((o & (1u << HS_ORGAN_KIDNEY)) && ++kidneys == 2)
            fail(c, "programme.donations.organs programme.donations.complete",
                 "programme.donations.organs: donation %d takes a second kidney from a donor who "
                 "lives on after it: a donor can give one kidney and keep the other", k + 1);
    }
}

/* A cause no organ cures cannot have a reach: each cause's mapping in the
 * schema's cures section is found by walking the schema. */
static void check_cures(struct chk *c)
{
    const struct hs_field *cures = NULL;
    for (size_t i = 0; i < hs_schema_root.nsub; i++)
        if (!strcmp(hs_schema_root.sub[i].key, "cures"))
            cures = &hs_schema_root.sub[i];
    for (size_t i = 0; cures && i < cures->nsub; i++) {
        const struct hs_field *f = &cures->sub[i];
        if (f->kind != HS_K_MAP)
            continue;
        const struct hs_cure_params *cp =
            (const struct hs_cure_params *)(const void *)((const char *)c->p + f->off);
        int reached = 0;
        for (size_t k = 0; k < cp->reach.n; k++)
            reached |= cp->reach.value[k] > 0;
        if (cp->organ == HS_ORGAN_NONE && reached) {
            char path[HS_PATH_MAX];
            snprintf(path, sizeof path, "cures.%s.reach cures.%s.organ", f->key, f->key);
            fail(c, path, "cures.%s.reach is above 0 but cures.%s.organ is none: name the "
                 "organ whose replacement prevents such a death", f->key, f->key);
        }
    }
}

int hs_scenario_check(const struct hs_params *p, struct hs_diag *d)
{
    struct chk c = {p, d, 0};
    const double *abo = p->abo_share;

    check_field(&c, &hs_schema_root, (const char *)p, "");
    if (c.errors)   /* the rules below assume sane single values */
        return d->nomem ? HS_ENOMEM : HS_EPARSE;
    check_years(&c);
    sum_to_one(&c, "public.abo", abo[0] + abo[1] + abo[2] + abo[3]);
    check_ages(&c);
    check_programme_years(&c);
    check_lists(&c);
    if (p->complete_prob[HS_MAX_DONATIONS - 1] != 1)
        fail(&c, "programme.donations.complete", "the last value of "
             "programme.donations.complete must be 1: nobody survives the fourth donation");
    check_world(&c);
    check_cures(&c);
    check_schedule(&c);
    if (p->carer_reassign_days > 0 && p->carer_reassign_days < 1) {
        char v[40];
        hs_fmt_num(v, sizeof v, p->carer_reassign_days);
        fail(&c, "programme.carers.reassign_days", "programme.carers.reassign_days must be 0 "
             "(at once) or at least 1 day, found %s", v);
    }
    return d->nomem ? HS_ENOMEM : c.errors ? HS_EPARSE : HS_OK;
}
