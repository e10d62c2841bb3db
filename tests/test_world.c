/* SPDX-License-Identifier: MIT
 *
 * test_world.c - invariants of the world model, on small runs of every
 * built-in scenario: counts add up, no donor donates after completing,
 * every organ is transplanted or counted wasted, the waiting list balances,
 * the same seed gives the same rows, and each scenario's rule shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario.h"
#include "world.h"

#define MAXY 200
#define MAXD 60000

struct trace {
    struct hs_year_row years[MAXY];
    size_t ny;
    struct hs_donation_row *don;
    size_t nd;
    struct hs_donor_row *donors;
    char (*estate)[32];          /* row strings live only during the callback */
    char (*place)[48];           /* where each lived after the estate ("" if not yet) */
    size_t ndonors;
    uint64_t moves;
    uint64_t hash;
};

static void mix(struct trace *t, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        t->hash = (t->hash ^ b[i]) * 0x100000001b3u;
}

static int on_year(void *ctx, const struct hs_year_row *r)
{
    struct trace *t = ctx;
    assert_true(t->ny < MAXY);
    t->years[t->ny++] = *r;
    mix(t, r, sizeof *r);
    return HS_OK;
}

static int on_donation(void *ctx, const struct hs_donation_row *r)
{
    struct trace *t = ctx;
    if (t->nd < MAXD)
        t->don[t->nd++] = *r;
    mix(t, &r->t, sizeof r->t);
    mix(t, &r->donor, sizeof r->donor);
    return HS_OK;
}

static int on_move(void *ctx, const struct hs_move_row *r)
{
    struct trace *t = ctx;
    t->moves++;
    mix(t, &r->t, sizeof r->t);
    return HS_OK;
}

static int on_donor(void *ctx, const struct hs_donor_row *r)
{
    struct trace *t = ctx;
    if (t->ndonors < MAXD) {
        snprintf(t->estate[t->ndonors], sizeof t->estate[0], "%s", r->estate);
        t->donors[t->ndonors] = *r;
        t->donors[t->ndonors].estate = t->estate[t->ndonors];
        snprintf(t->place[t->ndonors], sizeof t->place[0], "%s", r->cottages ? r->cottages : "");
        t->donors[t->ndonors].cottages = NULL;
        t->ndonors++;
    }
    return HS_OK;
}

static void load(const char *name, double scale, struct hs_params *p)
{
    struct hs_diag d;
    hs_diag_init(&d);
    int rc = hs_scenario_resolve(name, p, &d);
    if (rc != HS_OK)
        hs_diag_print(&d, stderr);
    assert_int_equal(rc, HS_OK);
    hs_diag_free(&d);
    p->scale = scale;
}

static struct trace *trace_new(void)
{
    struct trace *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->don = calloc(MAXD, sizeof *t->don);
    t->donors = calloc(MAXD, sizeof *t->donors);
    t->estate = calloc(MAXD, sizeof *t->estate);
    t->place = calloc(MAXD, sizeof *t->place);
    assert_non_null(t->estate);
    assert_non_null(t->place);
    assert_non_null(t->don);
    assert_non_null(t->donors);
    t->hash = 0xcbf29ce484222325u;
    return t;
}

/* A world whose rows go to a new trace *t; its initial public copied from
 * `start` where hs_world_create_alike can. */
static struct hs_world *make(const struct hs_world_start *start, const struct hs_params *p,
                             uint64_t seed, struct trace **t)
{
    *t = trace_new();
    struct hs_world_sink sink = {*t, on_year, on_donation, on_move, on_donor};
    struct hs_world *w = NULL;
    char err[256];
    assert_int_equal(hs_world_create_alike(start, p, seed, 0, &sink, &w, err, sizeof err),
                     HS_OK);
    return w;
}

static void finish(struct hs_world *w, struct hs_summary *s)
{
    assert_int_equal(hs_world_run(w, NULL, NULL), HS_OK);
    hs_world_summary(w, s);
    hs_world_destroy(w);
}

static struct trace *run(const struct hs_params *p, uint64_t seed, struct hs_summary *s)
{
    struct trace *t;
    finish(make(NULL, p, seed, &t), s);
    return t;
}

static void trace_free(struct trace *t)
{
    free(t->estate);
    free(t->place);
    free(t->don);
    free(t->donors);
    free(t);
}

/* The public: alive at the end = at the start + births + immigrants -
 * emigrants - deaths; the
 * waiting list at each year end = the last + listings - transplants -
 * deaths while waiting. */
static void check_public(const struct trace *t, const struct hs_summary *s)
{
    double alive = s->public_initial;
    double waiting = 0;
    for (size_t i = 0; i < t->ny; i++) {
        const struct hs_year_row *r = &t->years[i];
        alive += r->births + r->immigrants - r->emigrants - r->public_deaths;
        assert_true(fabs(alive - r->public_alive) < 0.5);
        waiting += r->listings - r->transplants - r->deaths_waiting;
        assert_true(fabs(waiting - r->waiting) < 0.5);
        double by = 0, tx = 0;
        for (int o = 0; o < HS_NORGANS; o++) {
            by += r->waiting_by[o];
            tx += r->transplants_by[o];
        }
        assert_true(fabs(by - r->waiting) < 0.5);
        assert_true(fabs(tx - r->transplants) < 0.5);
        assert_true(fabs(r->transplants_programme + r->transplants_deceased +
                         r->transplants_living - r->transplants) < 0.5);
        assert_true(r->life_expectancy > 20 && r->life_expectancy < 130);
    }
}

/* Every organ offered was transplanted, wasted, or is still viable. */
static void check_organs(const struct trace *t, const struct hs_summary *s)
{
    double tx = 0, wasted = 0;
    for (size_t i = 0; i < t->ny; i++) {
        tx += t->years[i].transplants_programme + t->years[i].transplants_deceased;
        wasted += t->years[i].organs_wasted;
    }
    assert_true(fabs(s->organs_offered - (tx + wasted + s->organs_pooled_end)) < 0.5);
}

/* Donations of each donor are numbered 1, 2, ... in time order, and the
 * donor completes at the last one and never donates after. */
static void check_donations(const struct trace *t)
{
    for (size_t i = 0; i < t->ndonors; i++) {
        const struct hs_donor_row *d = &t->donors[i];
        int seen = 0, done = 0;
        double last = -INFINITY;
        for (size_t k = 0; k < t->nd; k++) {
            const struct hs_donation_row *r = &t->don[k];
            if (r->donor != d->id)
                continue;
            assert_false(done);                 /* nothing after completing */
            assert_int_equal(r->number, ++seen);
            assert_true(r->t >= last);
            assert_true(r->organs != 0);
            last = r->t;
            done = r->completed;
        }
        assert_int_equal(seen, d->donations);
        assert_true(seen <= HS_MAX_DONATIONS);
        if (d->stage == HS_STAGE_COMPLETED) {
            assert_true(done);
            assert_true(d->completed == last);
            assert_true(d->completion_age > 10 && d->completion_age < 60);
        } else {
            assert_false(done);
        }
        /* stages in order */
        if (!isnan(d->left_estate)) assert_true(d->left_estate >= d->created);
        if (!isnan(d->carer)) assert_true(d->carer >= d->left_estate);
        if (!isnan(d->notice)) assert_true(d->notice >= d->carer);
        if (seen > 0) assert_true(d->donation[0] >= d->notice);
        if (d->partner >= 0) {
            assert_true((size_t)d->partner < t->ndonors);
            assert_int_equal(t->donors[d->partner].partner, d->id);
        }
    }
}

/* Donors created = those in each stage at the end. */
static void check_stages(const struct trace *t, const struct hs_summary *s)
{
    double created = 0;
    for (size_t i = 0; i < t->ny; i++)
        created += t->years[i].donors_created;
    assert_true(fabs(created - s->donors_created) < 0.5);
    double completed = 0;
    for (size_t i = 0; i < t->ndonors; i++)
        completed += t->donors[i].stage == HS_STAGE_COMPLETED;
    assert_true(fabs(completed - s->donors_completed) < 0.5);
    assert_true(t->ndonors >= created);  /* rows also for donors not yet born */
}

static void check_all(const char *name, double scale, struct hs_summary *out_s,
                      struct trace **out_t)
{
    struct hs_params p;
    load(name, scale, &p);
    struct hs_summary s;
    struct trace *t = run(&p, 7, &s);
    assert_true(s.caseload_max <= p.carer_caseload);    /* no carer over the caseload */
    assert_true(s.beds_overbooked == 0);                /* no centre over its beds */
    assert_int_equal(t->ny, (size_t)(p.end_year - p.start_year));
    check_public(t, &s);
    check_organs(t, &s);
    check_donations(t);
    check_stages(t, &s);
    if (out_s)
        *out_s = s;
    if (out_t)
        *out_t = t;
    else
        trace_free(t);
}

/* An arrival (+1) at a halfway house or a departure (-1) for training. */
struct stay {
    double t;
    int delta;
    int64_t house;       /* the other house (1, 2, ...), or -2 - the named place's index */
};

static int cmp_stay(const void *a, const void *b)
{
    const struct stay *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return x->delta - y->delta;   /* departures first at the same moment */
}

/* The most residents any named place and any other house held at once, and
 * how many other houses there were. */
static void halfway_peaks(const struct trace *t, const struct hs_params *p, double *named,
                          double *other, int64_t *houses)
{
    struct stay *v = calloc(2 * t->ndonors + 1, sizeof *v);
    assert_non_null(v);
    size_t n = 0;
    *houses = 0;
    for (size_t i = 0; i < t->ndonors; i++) {
        const struct hs_donor_row *d = &t->donors[i];
        if (isnan(d->left_estate))
            continue;
        int64_t h = d->house;
        if (h < 0) {
            h = -1;
            for (size_t c = 0; c < p->n_cottages; c++)
                if (!strcmp(t->place[i], p->cottages[c].name))
                    h = -2 - (int64_t)c;
            assert_true(h <= -2);   /* a named place of the scenario */
        } else {
            assert_string_equal(t->place[i], p->halfway_name);
            *houses = h > *houses ? h : *houses;
        }
        v[n++] = (struct stay){d->left_estate, +1, h};
        if (!isnan(d->training))
            v[n++] = (struct stay){d->training, -1, h};
    }
    qsort(v, n, sizeof *v, cmp_stay);
    double *now = calloc((size_t)*houses + HS_MAX_PLACES + 2, sizeof *now);
    assert_non_null(now);
    *named = *other = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = v[i].house > 0 ? (size_t)v[i].house + HS_MAX_PLACES
                                  : (size_t)(-2 - v[i].house);
        now[k] += v[i].delta;
        if (v[i].house > 0)
            *other = fmax(*other, now[k]);
        else
            *named = fmax(*named, now[k]);
    }
    free(now);
    free(v);
}

/* Halfway houses at the novel's scale: the named places hold no more than
 * their residents at any scale, the rest live in the other houses, none
 * over its size; at ten times the scale, ten times the houses. */
static void halfway_houses(void **st)
{
    (void)st;
    double peak_named[2], peak_other[2];
    int64_t houses[2];
    const double scales[2] = {0.002, 0.02};
    for (int i = 0; i < 2; i++) {
        struct hs_params p;
        load("canon", scales[i], &p);
        p.end_year = 1990;
        struct hs_summary s;
        struct trace *t = run(&p, 3, &s);
        halfway_peaks(t, &p, &peak_named[i], &peak_other[i], &houses[i]);
        printf("# scale %g: at most %.0f at a named place, %.0f at one of %lld other houses\n",
               scales[i], peak_named[i], peak_other[i], (long long)houses[i]);
        assert_true(peak_named[i] <= p.cottages[0].residents);
        assert_true(peak_named[i] == p.cottages[0].residents);   /* and they fill */
        assert_true(peak_other[i] <= p.halfway_residents && peak_other[i] > 0);
        trace_free(t);
    }
    assert_true(houses[1] > 5 * houses[0] && houses[1] < 20 * houses[0]);
}

static void canon_invariants(void **st)
{
    (void)st;
    struct hs_summary s;
    struct trace *t;
    check_all("canon", 0.005, &s, &t);
    assert_true(s.donors_completed > 50);
    assert_true(s.deferrals_granted == 0);           /* canon: none ever granted */
    assert_true(s.cured_total > 0);                  /* the donors' organs cure */
    assert_true(s.deaths_uncured_total > 0);         /* and not everyone in time */
    /* the centres' beds are sometimes full: some donations wait, most do not */
    double bed_waits = 0, donations = 0;
    for (size_t i = 0; i < t->ny; i++) {
        bed_waits += t->years[i].waiting_for_bed;
        donations += t->years[i].donations;
    }
    printf("# %.0f of %.0f donations waited for a bed\n", bed_waits, donations);
    assert_true(bed_waits > 0 && bed_waits < 0.5 * donations);
    assert_true(s.deferral_applications > 0);
    /* carers are overstretched: when a carer's notice comes, their donors
     * go without one until the next round */
    assert_true(s.donors_without_carer_total > 0);
    /* the Gallery stops growing when Hailsham closes (1994) */
    double at_close = NAN;
    for (size_t i = 0; i < t->ny; i++)
        if (t->years[i].year == 1994)
            at_close = t->years[i].gallery_size;
    assert_true(at_close > 0);
    assert_true(t->years[t->ny - 1].gallery_size == at_close);
    /* a donor keeps the estate they were raised in: Hailsham's last cohorts
     * are still Hailsham's after it closes; and couples form between two
     * at the same place at the same time, so of the same years */
    int late = 0;
    double gap = 0;
    for (size_t i = 0; i < t->ndonors; i++) {
        const struct hs_donor_row *d = &t->donors[i];
        late |= !strcmp(d->estate, "Hailsham") && d->cohort > 1978;
        if (d->partner >= 0 && (size_t)d->partner < t->ndonors) {
            const struct hs_donor_row *q = &t->donors[d->partner];
            assert_true(q->partner == (int64_t)d->id);
            gap = fmax(gap, fabs(q->left_estate - d->left_estate) / 365.25);
        }
    }
    printf("# couples: at most %.1f years apart in leaving their estates\n", gap);
    assert_true(late);
    assert_true(gap < 6);
    trace_free(t);
}

/* A donor's stretch with one carer, as the donation rows show it: from
 * the first donation the carer attended to the last.  It lies within the
 * time the donor was attached to that carer. */
struct stretch {
    int64_t carer;
    double first, last;
};

static int cmp_stretch(const void *a, const void *b)
{
    const struct stretch *x = a, *y = b;
    if (x->carer != y->carer)
        return (x->carer > y->carer) - (x->carer < y->carer);
    return (x->first > y->first) - (x->first < y->first);
}

/* The carers of the donation rows: each was an active carer then (trained,
 * not yet given notice) and not the donor, and no carer attended more
 * donors at once than the caseload.  Returns the donations made without a
 * carer. */
static size_t check_carers(const struct trace *t, double caseload)
{
    assert_true(t->nd < MAXD);                /* every donation row kept */
    struct stretch *st = calloc(t->nd + 1, sizeof *st);
    int64_t *cur = malloc((t->ndonors + 1) * sizeof *cur);
    assert_non_null(st);
    assert_non_null(cur);
    for (size_t i = 0; i < t->ndonors; i++)
        cur[i] = -1;
    size_t n = 0, without = 0;
    for (size_t k = 0; k < t->nd; k++) {
        const struct hs_donation_row *r = &t->don[k];
        assert_true(r->donor < t->ndonors);
        if (r->carer < 0) {
            without++;
            continue;
        }
        assert_true((size_t)r->carer < t->ndonors);
        assert_true(r->carer != (int64_t)r->donor);
        const struct hs_donor_row *c = &t->donors[r->carer];
        assert_false(isnan(c->carer));
        assert_true(c->carer <= r->t);
        assert_true(isnan(c->notice) || c->notice >= r->t);
        /* a donor leaves a carer only for good (completion, or the carer's
         * notice), so a stretch continues while the carer is the same */
        int64_t j = cur[r->donor];
        if (j >= 0 && st[j].carer == r->carer) {
            st[j].last = r->t;
        } else {
            st[n] = (struct stretch){r->carer, r->t, r->t};
            cur[r->donor] = (int64_t)n++;
        }
    }
    qsort(st, n, sizeof *st, cmp_stretch);
    for (size_t i = 0; i < n; i++) {
        double attended = 0;
        /* a stretch that ends at the instant another begins does not
         * overlap it: a completion frees the carer and the bed, and the
         * donor waiting for both may give at that same instant */
        for (size_t j = i; j-- > 0 && st[j].carer == st[i].carer;)
            attended += st[j].last > st[i].first;
        assert_true(attended + 1 <= caseload);
    }
    free(cur);
    free(st);
    return without;
}

/* Choosing carers: in canon, and with carers scarce (one donor each, a
 * short tenure) so that donors wait for one and privileged carers of
 * every estate fill up. */
static void carers_within_caseload(void **st)
{
    (void)st;
    struct hs_params p;
    load("canon", 0.005, &p);
    struct hs_summary s;
    struct trace *t = run(&p, 7, &s);
    assert_true(t->nd > 100);
    assert_true(s.caseload_max <= p.carer_caseload);
    check_carers(t, p.carer_caseload);
    trace_free(t);

    load("canon", 0.005, &p);
    p.carer_caseload = 1;
    p.carer_years_median = 0.5;
    p.carer_privilege_share = 0.5;
    t = run(&p, 7, &s);
    assert_true(s.caseload_max == 1);
    size_t without = check_carers(t, 1);
    double without_years = 0;
    for (size_t i = 0; i < t->ny; i++)
        without_years += t->years[i].donors_without_carer;
    printf("# scarce carers: %zu of %zu donations without a carer\n", without, t->nd);
    assert_true(without > 0 && without < t->nd);   /* some wait, not all */
    assert_true(without_years > 0);
    trace_free(t);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The canonical facts (canon.md): completion at or before the fourth
 * donation, some at the second, most at the third or fourth; carers for a
 * few years with Kathy's twelve in the rare tail; the first donation in the
 * late twenties to early thirties; the public past 100 by the late 1960s. */
static void canon_facts(void **st)
{
    (void)st;
    struct hs_params p;
    load("canon", 0.02, &p);
    struct hs_summary s;
    struct trace *t = run(&p, 3, &s);
    double at[HS_MAX_DONATIONS + 1] = {0}, done = 0;
    double *first = calloc(t->ndonors + 1, sizeof *first), *tenure = calloc(t->ndonors + 1, 8);
    assert_non_null(first);
    assert_non_null(tenure);
    size_t nf = 0, nt = 0;
    for (size_t i = 0; i < t->ndonors; i++) {
        const struct hs_donor_row *d = &t->donors[i];
        if (d->stage == HS_STAGE_COMPLETED) {
            at[d->donations] += 1;
            done += 1;
        }
        if (!isnan(d->donation[0]) && d->cohort <= 1965)
            first[nf++] = (d->donation[0] - d->created) / 365.25;
        if (!isnan(d->notice) && d->cohort <= 1965)
            tenure[nt++] = d->carer_years;
    }
    assert_true(done > 100);
    printf("# completions at donation 1-4: %.0f %.0f %.0f %.0f\n", at[1], at[2], at[3], at[4]);
    assert_true(at[2] / done > 0.1);                     /* some at the second */
    assert_true((at[3] + at[4]) / done > 0.5);           /* most at the third or fourth */
    qsort(first, nf, sizeof *first, cmp_double);
    qsort(tenure, nt, sizeof *tenure, cmp_double);
    double first_median = first[nf / 2], tenure_median = tenure[nt / 2];
    size_t over12 = 0;
    for (size_t i = 0; i < nt; i++)
        over12 += tenure[i] >= 11.7;
    printf("# cohorts to 1965: first donation at %.1f (median), caring %.1f years (median), "
           "%.1f%% caring 12 years or more\n", first_median, tenure_median,
           100.0 * (double)over12 / (double)nt);
    assert_true(first_median >= 26 && first_median <= 33);
    assert_true(tenure_median >= 3 && tenure_median <= 8);
    assert_true((double)over12 / (double)nt < 0.1);      /* Kathy's twelve is rare */
    assert_true(over12 > 0);                             /* but it happens */
    assert_true(s.deferrals_granted == 0);
    free(first);
    free(tenure);
    trace_free(t);
}

static void realworld_has_no_programme(void **st)
{
    (void)st;
    struct hs_summary s;
    struct trace *t;
    check_all("realworld", 0.005, &s, &t);
    assert_true(s.donors_created == 0);
    assert_true(s.transplants_programme == 0);
    double deceased = 0, living = 0;
    for (size_t i = 0; i < t->ny; i++) {
        deceased += t->years[i].transplants_deceased;
        living += t->years[i].transplants_living;
    }
    assert_true(deceased > 0);
    assert_true(living > 0);
    trace_free(t);
}

static void deferrals_are_granted(void **st)
{
    (void)st;
    struct hs_summary s;
    check_all("deferrals", 0.01, &s, NULL);
    assert_true(s.deferral_applications > 0);
    /* carers are overstretched: when a carer's notice comes, their donors
     * go without one until the next round */
    assert_true(s.donors_without_carer_total > 0);
    assert_true(s.deferrals_granted > 0);
}

static void abolition_stops_donations(void **st)
{
    (void)st;
    struct hs_params p;
    load("abolition", 0.005, &p);
    struct hs_summary s;
    struct trace *t = run(&p, 7, &s);
    double end_day = (p.programme_end - p.start_year) * 365.25;
    for (size_t k = 0; k < t->nd; k++)
        assert_true(t->don[k].t < end_day);
    for (size_t i = 0; i < t->ny; i++)
        if (t->years[i].year >= p.programme_end)
            assert_true(t->years[i].donations == 0 && t->years[i].donors_created == 0);
    trace_free(t);
    check_all("abolition", 0.005, NULL, NULL);
}

static void no_hailsham_has_no_gallery(void **st)
{
    (void)st;
    struct hs_summary s;
    check_all("no-hailsham", 0.005, &s, NULL);
    assert_true(s.gallery_size == 0);
}

/* canon with only organ failures listed (no cures) and long grafts. */
static void failures_only(struct hs_params *p)
{
    load("canon", 0.005, p);
    for (int c = 0; c < HS_NCAUSES; c++)        /* only failures are listed */
        p->cure[c].reach.value[p->cure[c].reach.n - 1] = 0, p->cure[c].reach.n = 1;
    for (int o = 0; o < HS_NORGANS; o++) {
        p->organ[o].failure_b = 0;
        p->organ[o].graft_mean = 100;
    }
}

/* Listings of organ o per person-year over the years of transplantation
 * (the backlog of the unlisted joins in 1952). */
static double listing_rate(const struct trace *t, int o, double *listings)
{
    double n = 0, exposure = 0;
    for (size_t i = 0; i < t->ny; i++) {
        assert_true(isfinite(t->years[i].life_expectancy));
        if (t->years[i].year <= 1952)
            continue;
        n += t->years[i].listings_by[o];
        exposure += t->years[i].public_alive;
    }
    *listings = n;
    return n / exposure;
}

/* Organs whose failure hazards do not grow with age (failure_c = 0) fail
 * at their constant rates failure_b: the closed forms of the Gompertz
 * integral divide by c, so c = 0 has its own branch, and the organs'
 * failures are drawn as one process of their summed hazard, the organ
 * then chosen in proportion to its hazard.  Listings per person-year over
 * the years of transplantation come out at each organ's b, within 10%
 * (relistings after a 100-year mean graft are a fraction of 1%). */
static void organ_without_ageing_fails_at_constant_rate(void **st)
{
    (void)st;
    struct hs_params p;
    failures_only(&p);
    for (int o = 0; o < HS_NORGANS; o++)
        p.organ[o].failure_c = 0;               /* the bound over organs is then 0 too */
    p.organ[HS_ORGAN_KIDNEY].failure_b = 1e-3;
    p.organ[HS_ORGAN_LIVER].failure_b = 4e-4;
    struct hs_summary s;
    struct trace *t = run(&p, 3, &s);
    double nk, nl;
    double rk = listing_rate(t, HS_ORGAN_KIDNEY, &nk), rl = listing_rate(t, HS_ORGAN_LIVER, &nl);
    printf("# constant rates: kidney %.3g (b 1e-3, %.0f listings), liver %.3g (b 4e-4, %.0f)\n",
           rk, nk, rl, nl);
    assert_true(nk > 1000 && nl > 400);
    assert_true(fabs(rk / 1e-3 - 1) < 0.10);
    assert_true(fabs(rl / 4e-4 - 1) < 0.10);
    trace_free(t);
}

/* Organs whose hazards grow with age at the same c fail in proportion to
 * their b at every age, so the listings' shares are the b's shares: 3 to
 * 1 here, within 10% (the superposed draw picks the organ in proportion
 * to its hazard at the failure).  With c apart, the organ whose hazard
 * grows faster takes a share above its b's, since failures fall at old
 * ages: one of the organs' c raised to 0.08 against 0.05 at the same b. */
static void organs_fail_in_proportion_to_their_hazards(void **st)
{
    (void)st;
    struct hs_params p;
    failures_only(&p);
    p.organ[HS_ORGAN_KIDNEY].failure_b = 3e-5;
    p.organ[HS_ORGAN_LIVER].failure_b = 1e-5;
    p.organ[HS_ORGAN_KIDNEY].failure_c = p.organ[HS_ORGAN_LIVER].failure_c = 0.05;
    struct hs_summary s;
    struct trace *t = run(&p, 4, &s);
    double nk, nl;
    listing_rate(t, HS_ORGAN_KIDNEY, &nk);
    listing_rate(t, HS_ORGAN_LIVER, &nl);
    printf("# same c: kidney %.0f, liver %.0f listings (ratio %.3f, b's 3)\n", nk, nl, nk / nl);
    assert_true(nl > 300);
    assert_true(fabs(nk / nl / 3.0 - 1) < 0.10);
    trace_free(t);

    failures_only(&p);
    p.organ[HS_ORGAN_KIDNEY].failure_b = p.organ[HS_ORGAN_LIVER].failure_b = 1e-5;
    p.organ[HS_ORGAN_KIDNEY].failure_c = 0.05;
    p.organ[HS_ORGAN_LIVER].failure_c = 0.08;
    t = run(&p, 4, &s);
    listing_rate(t, HS_ORGAN_KIDNEY, &nk);
    listing_rate(t, HS_ORGAN_LIVER, &nl);
    printf("# c 0.08 against 0.05: liver %.0f, kidney %.0f listings\n", nl, nk);
    assert_true(nk > 100);
    assert_true(nl > 3.0 * nk);
    trace_free(t);
}

/* The match wait (organs.*.match_days): a listing for a failure waits an
 * exponential time of that mean before any organ can suit the patient,
 * and may die untreated meanwhile.  With livers in excess (ten a deceased
 * donor, all used), a patient is transplanted as soon as the wait ends, so
 * of those who leave the liver list, the share who die on it is the
 * chance that death comes first: (1/U + m) / (1/D + 1/U + m), with D the
 * wait, U the untreated survival and m the background hazard of a listed
 * person (about 0.01 a year at the ages listed; the share is asserted
 * within 0.05).  Without the wait few die on it: those listed while no
 * liver of a group they can take has come (2% of those leaving here). */
static void match_wait_delays_the_suitable_organ(void **st)
{
    (void)st;
    double share[2];
    for (int k = 0; k < 2; k++) {
        struct hs_params p;
        load("realworld", 0.04, &p);
        struct hs_organ_params *o = &p.organ[HS_ORGAN_LIVER];
        o->deceased_yield = 10;
        o->activity.n = 1;
        o->activity.value[0] = 1;
        o->untreated_mean = 4;
        o->match_days = k ? 365.25 / 2 : 0;
        struct hs_summary s;
        struct trace *t = run(&p, 7, &s);
        double tx = 0, died = 0;
        for (size_t i = 0; i < t->ny; i++) {
            if (t->years[i].year < 2000)
                continue;
            tx += t->years[i].transplants_by[HS_ORGAN_LIVER];
            died += t->years[i].deaths_waiting_by[HS_ORGAN_LIVER];
        }
        share[k] = died / (tx + died);
        printf("# liver match wait %g days: %.0f transplants, %.0f died on the list (%.3f)\n",
               o->match_days, tx, died, share[k]);
        assert_true(tx > 400);
        trace_free(t);
    }
    const double expect = (0.25 + 0.01) / (2.0 + 0.25 + 0.01);
    assert_true(share[0] < 0.05);
    assert_true(fabs(share[1] - expect) < 0.05);
}

/* The cures are the donors (MODEL.md).  canon three ways, same seed: with
 * the programme, at perfect supply (every listing given its organ at
 * once), and with the programme disabled.  Without a supply there are no
 * cures, so the disabled world is the world without the programme or its
 * cures, year by year; the ceiling cures every curable death; and the
 * film's card (life expectancy past 100 by 1967) is out of reach of organs
 * alone, even at perfect supply (docs/model.md, "Could it work"). */
static void cures_are_the_donors(void **st)
{
    (void)st;
    struct hs_params with, ceiling, off, none;
    load("canon", 0.005, &with);
    ceiling = off = none = with;
    ceiling.programme = 0;
    ceiling.perfect_supply = 1;
    off.programme = 0;
    none.programme = 0;
    for (int c = 0; c < HS_NCAUSES; c++)
        none.cure[c].reach.value[none.cure[c].reach.n - 1] = 0, none.cure[c].reach.n = 1;
    struct hs_summary sw, sc, so, sn;
    struct trace *tw = run(&with, 5, &sw), *tc = run(&ceiling, 5, &sc);
    struct trace *to = run(&off, 5, &so), *tn = run(&none, 5, &sn);
    /* disabled is exactly the world without cures */
    assert_int_equal(to->ny, tn->ny);
    for (size_t i = 0; i < to->ny; i++) {
        const struct hs_year_row *a = &to->years[i], *b = &tn->years[i];
        assert_true(a->year == b->year && a->public_alive == b->public_alive &&
                    a->life_expectancy == b->life_expectancy &&
                    a->public_deaths == b->public_deaths && a->listings == b->listings &&
                    a->waiting == b->waiting && a->deaths_waiting == b->deaths_waiting);
    }
    assert_true(so.cured_total == 0 && so.curable_deaths_total == 0);
    /* the ceiling cures every curable death */
    assert_true(sc.curable_deaths_total > 1000);
    assert_true(sc.cured_total == sc.curable_deaths_total && sc.deaths_uncured_total == 0);
    /* with the programme: organs cure some, from when donors are grown */
    assert_true(sw.cured_total > 0 && sw.cured_total < sc.cured_total);
    double first_cure = NAN, e0_w = 0, e0_c = 0, e0_o = 0;
    for (size_t i = 0; i < tw->ny; i++) {
        if (isnan(first_cure) && tw->years[i].cured > 0)
            first_cure = tw->years[i].year;
        if (tw->years[i].year >= 1990) {   /* the 1990s, when donors give */
            e0_w += tw->years[i].life_expectancy;
            e0_c += tc->years[i].life_expectancy;
            e0_o += to->years[i].life_expectancy;
        }
        if (tc->years[i].year == 1967)
            assert_true(tc->years[i].life_expectancy < 100);
    }
    printf("# first cure %.0f; e0 in the 1990s: without %.2f, with %.2f, ceiling %.2f\n",
           first_cure, e0_o / 10, e0_w / 10, e0_c / 10);
    assert_true(first_cure >= 1970);   /* donors are children first */
    assert_true(e0_w > e0_o);          /* supply raises life expectancy */
    assert_true(e0_c > e0_w + 1.0);    /* and more supply, more */
    /* the ledger: the donors' side.  Without donors the two life tables are
     * one; with them, their completions in their twenties and thirties pull
     * the life expectancy of everyone born below the public's; each donor
     * lost what a person of that age would still have lived (a 28-year-old
     * of the public: about fifty years) */
    assert_true(so.life_expectancy_all_end == so.life_expectancy_end);
    assert_true(sw.life_expectancy_all_end < sw.life_expectancy_end);
    printf("# ledger: %.0f years gained by recipients to the end, %.0f taken from %.0f donors "
           "(%.1f each); e0 %.2f, donors counted %.2f\n", sw.life_years_gained,
           sw.life_years_taken, sw.donors_completed, sw.life_years_taken_per_donor,
           sw.life_expectancy_end, sw.life_expectancy_all_end);
    assert_true(sw.life_years_taken_per_donor > 40 && sw.life_years_taken_per_donor < 60);
    assert_true(fabs(sw.life_years_taken - sw.life_years_taken_per_donor * sw.donors_completed) <
                1e-6 * sw.life_years_taken);
    trace_free(tw);
    trace_free(tc);
    trace_free(to);
    trace_free(tn);
}

/* The share of an organ's offers that were wasted over the run. */
static double waste_share(const struct trace *t, int organ, double *offered)
{
    double off = 0, wasted = 0;
    for (size_t i = 0; i < t->ny; i++) {
        off += t->years[i].organs_offered_by[organ];
        wasted += t->years[i].organs_wasted_by[organ];
    }
    *offered = off;
    return off > 0 ? wasted / off : 0;
}

/* Donations on demand take organs to order: with a wait that never runs
 * out almost nothing is wasted; with the default wait, less of every organ
 * than on the rhythm; no wait is longer than the limit; and the rhythm
 * never reads the limit. */
static void donations_on_demand(void **st)
{
    (void)st;
    struct hs_params rhythm, demand, patient, rhythm2;
    load("canon", 0.005, &rhythm);
    demand = rhythm;
    demand.donation_on_demand = 1;
    patient = demand;
    patient.demand_wait_days = 36500;
    rhythm2 = rhythm;
    rhythm2.demand_wait_days = 3;
    struct hs_summary sr, sd, sp, sr2;
    struct trace *tr = run(&rhythm, 5, &sr), *td = run(&demand, 5, &sd);
    struct trace *tp = run(&patient, 5, &sp), *tr2 = run(&rhythm2, 5, &sr2);
    const struct trace *checked[] = {td, tp};
    const struct hs_summary *sums[] = {&sd, &sp};
    for (int i = 0; i < 2; i++) {   /* every invariant of the rhythm holds */
        check_public(checked[i], sums[i]);
        check_organs(checked[i], sums[i]);
        check_donations(checked[i]);
        check_stages(checked[i], sums[i]);
        assert_true(sums[i]->beds_overbooked == 0);
    }
    assert_true(tr->hash == tr2->hash);
    assert_memory_equal(tr->years, tr2->years, tr->ny * sizeof tr->years[0]);
    assert_true(isnan(sr.ready_wait_days));
    assert_true(sd.ready_wait_days > 0 && sd.ready_wait_days <= demand.demand_wait_days);
    printf("# wasted (rhythm / demand / no time limit): ");
    for (int o = 0; o < HS_NORGANS; o++) {
        double nr, nd, np;
        double wr = waste_share(tr, o, &nr), wd = waste_share(td, o, &nd);
        double wp = waste_share(tp, o, &np);
        printf("%s %.0f%% / %.0f%% / %.1f%%%s", hs_organ_name(o), 100 * wr, 100 * wd, 100 * wp,
               o + 1 < HS_NORGANS ? ", " : "\n");
        if (nr > 50 && wr > 0.05)
            assert_true(wd < wr);
        assert_true(wp < 0.05);
    }
    printf("# mean wait for an order %.0f days (limit %.0f); donations %.0f / %.0f / %.0f\n",
           sd.ready_wait_days, demand.demand_wait_days, sr.donations_total, sd.donations_total,
           sp.donations_total);
    assert_true(sp.organs_wasted_total < 0.02 * sp.organs_offered);
    assert_true(sd.organs_wasted_total < sr.organs_wasted_total);
    trace_free(tr);
    trace_free(td);
    trace_free(tp);
    trace_free(tr2);
}

static void same_seed_same_rows(void **st)
{
    (void)st;
    struct hs_params p;
    load("canon", 0.003, &p);
    struct hs_summary a, b, c;
    struct trace *x = run(&p, 11, &a), *y = run(&p, 11, &b), *z = run(&p, 12, &c);
    assert_true(x->hash == y->hash);
    assert_true(x->moves == y->moves);
    assert_memory_equal(x->years, y->years, x->ny * sizeof x->years[0]);
    assert_true(a.events == b.events);
    assert_true(x->hash != z->hash);
    trace_free(x);
    trace_free(y);
    trace_free(z);
}

/* The three worlds of a run start from one initial public, drawn once
 * (hs_world_start_take, hs_world_create_alike): a world that copied it
 * must be, row by row and donation by donation, the world that drew its
 * own, and so must the world it was taken from, which runs after the
 * copies were made; a world whose public differs in its start (here the
 * Makeham term) or whose seed differs draws its own; and a world that has
 * run gives no start. */
static void copied_public_is_the_drawn_one(void **st)
{
    (void)st;
    struct hs_params p, without, ceiling, other;
    load("canon", 0.003, &p);
    without = ceiling = other = p;
    hs_params_without_programme(&without);
    ceiling.programme = 0;
    ceiling.perfect_supply = 1;
    other.mort_a *= 1.01;
    const struct {
        const struct hs_params *p;
        uint64_t seed;
        int copied;
        const char *what;
    } cases[] = {{&without, 11, 1, "without the programme"}, {&ceiling, 11, 1, "at perfect supply"},
                 {&p, 11, 1, "canon again"}, {&other, 11, 0, "another Makeham term"},
                 {&without, 12, 0, "without the programme"}};
    enum { N = sizeof cases / sizeof cases[0] };
    struct trace *tf, *tc[N];
    struct hs_world *first = make(NULL, &p, 11, &tf), *w[N];
    struct hs_world_start *start = NULL;
    assert_int_equal(hs_world_start_take(first, &start), HS_OK);
    assert_int_equal(hs_world_public_copied(first), 0);
    for (size_t i = 0; i < N; i++) {
        w[i] = make(start, cases[i].p, cases[i].seed, &tc[i]);
        assert_int_equal(hs_world_public_copied(w[i]), cases[i].copied);
    }
    hs_world_start_free(start);
    struct hs_summary sf, sc, sd;
    finish(first, &sf);
    for (size_t i = 0; i < N; i++) {
        finish(w[i], &sc);
        struct trace *td = run(cases[i].p, cases[i].seed, &sd);
        assert_int_equal(tc[i]->ny, td->ny);
        assert_memory_equal(tc[i]->years, td->years, td->ny * sizeof td->years[0]);
        assert_true(tc[i]->hash == td->hash && tc[i]->nd == td->nd && tc[i]->moves == td->moves);
        assert_true(sc.events == sd.events && sc.public_initial == sd.public_initial);
        if (cases[i].p == &p)   /* the world the start was taken from, undisturbed */
            assert_true(tf->hash == td->hash && sf.events == sd.events);
        printf("# %s, seed %llu: initial public %s, %.0f events\n", cases[i].what,
               (unsigned long long)cases[i].seed, cases[i].copied ? "copied" : "drawn",
               (double)sc.events);
        trace_free(td);
        trace_free(tc[i]);
    }
    trace_free(tf);
    /* a world that has run gives no start */
    struct hs_world *ran = make(NULL, &p, 11, &tf);
    assert_int_equal(hs_world_run(ran, NULL, NULL), HS_OK);
    assert_int_equal(hs_world_start_take(ran, &start), HS_EINVAL);
    assert_null(start);
    hs_world_destroy(ran);
    trace_free(tf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(canon_invariants),
        cmocka_unit_test(canon_facts),
        cmocka_unit_test(halfway_houses),
        cmocka_unit_test(carers_within_caseload),
        cmocka_unit_test(realworld_has_no_programme),
        cmocka_unit_test(deferrals_are_granted),
        cmocka_unit_test(abolition_stops_donations),
        cmocka_unit_test(no_hailsham_has_no_gallery),
        cmocka_unit_test(organ_without_ageing_fails_at_constant_rate),
        cmocka_unit_test(organs_fail_in_proportion_to_their_hazards),
        cmocka_unit_test(match_wait_delays_the_suitable_organ),
        cmocka_unit_test(cures_are_the_donors),
        cmocka_unit_test(donations_on_demand),
        cmocka_unit_test(same_seed_same_rows),
        cmocka_unit_test(copied_public_is_the_drawn_one),
    };
    /* HS_TEST_FILTER=NAME (a glob) runs only the tests it matches */
    const char *filter = getenv("HS_TEST_FILTER");
    if (filter != NULL && *filter != '\0')
        cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
