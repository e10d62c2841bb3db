/* SPDX-License-Identifier: MIT
 *
 * world.c - a world's life cycle: creation from parameters, the yearly
 * bookkeeping (period life table, counts, policy changes at year
 * boundaries), the run to the end year and the headline summary.
 *
 * Time is in days from 1 January of the start year; a year is 365.25 days.
 * The year-end event has the lowest priority, so it runs after every other
 * event that falls on the same instant.
 */
#include "world_impl.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const organ_names[HS_NORGANS] = {"kidney", "liver", "heart", "lung",
                                                     "pancreas"};
static const char *const abo_names[HS_NABO] = {"O", "A", "B", "AB"};
static const char *const stage_names[] = {"student", "cottages", "training", "carer",
                                          "donor", "completed", "released"};

const char *hs_organ_name(int o) { return o >= 0 && o < HS_NORGANS ? organ_names[o] : "?"; }
const char *hs_abo_name(int g) { return g >= 0 && g < HS_NABO ? abo_names[g] : "?"; }
const char *hs_stage_name(int s)
{
    return s >= 0 && s <= HS_STAGE_RELEASED ? stage_names[s] : "?";
}

double hsw_years(double days) { return days / DAYS_PER_YEAR; }

double hsw_year_of(const struct hs_world *w, double day)
{
    return w->p.start_year + floor(day / DAYS_PER_YEAR);
}

/* Make room for `need` elements in a growable array (doubling). */
int hsw_grow(void **a, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return HS_OK;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *b = realloc(*a, n * elem);
    if (b == NULL)
        return HS_ENOMEM;
    *a = b;
    *cap = n;
    return HS_OK;
}

int hsw_fifo_push(struct hsw_fifo *q, const void *item, size_t size)
{
    if (q->n == q->cap) {   /* grow, the items unrolled in order */
        size_t cap = q->cap ? 2 * q->cap : 16;
        unsigned char *a = malloc(cap * size);
        if (a == NULL)
            return HS_ENOMEM;
        for (size_t i = 0; i < q->n; i++)
            memcpy(a + i * size, hsw_fifo_at(q, i), size);
        free(q->a);
        q->a = a;
        q->cap = cap;
        q->head = 0;
    }
    q->size = size;
    memcpy(q->a + (q->head + q->n++) % q->cap * size, item, size);
    return HS_OK;
}

void hsw_fifo_free(struct hsw_fifo *q)
{
    free(q->a);
    q->a = NULL;
    q->head = q->n = q->cap = 0;
}

/* A death of the public: its age for the life table, its birth cohort. */
void hsw_count_death(struct hs_world *w, const struct person *p, double day)
{
    double age = hsw_years(day - p->birth);
    int a = (int)age;
    if (a < 0)
        a = 0;
    if (a >= MAX_AGE_BINS)
        a = MAX_AGE_BINS - 1;
    w->acc.deaths_age[p->sex][a] += 1.0;
    long c = (long)floor(w->p.start_year + floor(p->birth / DAYS_PER_YEAR)) - w->cohort_base;
    if (c >= 0 && (size_t)c < w->ncohorts) {
        w->cohort_alive[2 * c + p->sex] -= 1.0;
        w->cohort_deaths[2 * c + p->sex] += 1.0;
    }
    w->alive -= 1.0;
    w->acc.row.public_deaths += 1.0;
}

/* Person-years lived in the current year by birth cohort c, of sex s: of
 * the public, and of the donors too when `donors`. */
static double person_years(const struct hs_world *w, long c, int s, int donors)
{
    if (c < 0 || (size_t)c >= w->ncohorts)
        return 0.0;
    double py = 0.5 * (w->cohort_start[2 * c + s] + w->cohort_alive[2 * c + s]);
    if (donors)
        py += 0.5 * (w->donor_start[2 * c + s] + w->donor_alive[2 * c + s]);
    return py;
}

void hsw_donor_born(struct hs_world *w, int cohort, int sex)
{
    long c = (long)cohort - w->cohort_base;
    if (c >= 0 && (size_t)c < w->ncohorts)
        w->donor_alive[2 * c + sex] += 1.0;
}

void hsw_donor_died(struct hs_world *w, int cohort, int sex, double age)
{
    long c = (long)cohort - w->cohort_base;
    if (c >= 0 && (size_t)c < w->ncohorts)
        w->donor_alive[2 * c + sex] -= 1.0;
    int a = age < 0 ? 0 : age >= MAX_AGE_BINS - 1 ? MAX_AGE_BINS - 1 : (int)age;
    w->acc.donor_deaths_age[sex][a] += 1.0;
}

/* The Gompertz level B of a sex in this year: men's B carries the sex
 * gap's factor of the year (public.male_factor), as the public's draws do
 * (public.c). */
static double gompertz_b(const struct hs_world *w, int sex)
{
    const struct hs_params *p = &w->p;
    return sex ? p->mort_b_male * hsw_dated_value(&p->male_factor, (double)w->year, 1.0)
               : p->mort_b_female;
}

/* The background hazard of the public at age x in this year: the infant
 * term, Makeham and Gompertz with any other medicine; no cures. */
static double public_hazard(const struct hs_world *w, int sex, double x)
{
    const struct hs_params *p = &w->p;
    double t = (double)w->year - p->start_year + 0.5;
    return p->infant_a * exp(-p->infant_decline * x - p->infant_improvement * t) + p->mort_a +
           hsw_dated_value(&p->other_medicine, (double)w->year, 1.0) * gompertz_b(w, sex) *
               exp(p->mort_c * x - p->mort_drift * t);
}

double hsw_remaining_years(struct hs_world *w, int sex, double age)
{
    int a = age < 0 ? 0 : age >= MAX_AGE_BINS - 1 ? MAX_AGE_BINS - 1 : (int)age;
    double *r = &w->acc.remaining[sex][a];
    if (*r == 0.0) {
        /* survival from age a, integrated in steps of a tenth of a year
         * (midpoint hazards) up to the maximum age */
        const double h = 0.1;
        double s = 1.0, e = 0.0;
        for (double x = a; x < w->p.max_age && s > 1e-12; x += h) {
            double q = exp(-public_hazard(w, sex, x + 0.5 * h) * h);
            e += h * s * (1.0 + q) * 0.5;
            s *= q;
        }
        *r = e > 0 ? e : 1e-300;
    }
    return *r;
}

double hsw_dated_value(const struct hs_dated *d, double year, double dflt)
{
    double v = dflt;
    for (size_t i = 0; i < d->n && d->year[i] <= year; i++)
        v = d->value[i];
    return v;
}

/* Period life expectancy at birth from this year's deaths by sex and age
 * and the exposures estimated from the cohorts (half of each cohort's
 * person-years fall on either side of its birthday; the newborn's all at
 * age 0): a life table for each sex, and e0 their mean weighted by the
 * share of births of each sex.
 *
 * At the oldest ages there may be too few people to measure a rate, and
 * how far up the measured ages reach depends on the population's size.
 * Closing the table at the first empty age (as this function once did)
 * made e0 depend on the scale: when most people live to 100,
 * where a small world runs out of centenarians decides e0 (2 years apart
 * between scales 0.01 and 1 in the 1960s).  So from the first age with
 * fewer than E0_MIN_EXPOSURE person-years on, each table continues with
 * the shape of the model's own background mortality that year
 * (Gompertz-Makeham with the improvement and any other medicine; no one
 * past max_age), scaled to the deaths measured over the E0_ANCHOR ages
 * below, as national life tables close theirs with a fitted Gompertz
 * tail.  One table for both sexes left a bias of 0.3-0.5 years between
 * scales in the 1960s: the old of a small world are more often women than
 * the tail's shape assumed. */
#define E0_MIN_EXPOSURE 100.0
#define E0_ANCHOR 10

static double period_e0_sex(const struct hs_world *w, int sex, int donors)
{
    const struct hs_params *p = &w->p;
    long cy = (long)w->year - w->cohort_base;
    double t = (double)w->year - p->start_year + 0.5;
    double gomp = hsw_dated_value(&p->other_medicine, (double)w->year, 1.0) *
                  gompertz_b(w, sex) * exp(-p->mort_drift * t) *
                  hsw_gomp_integral(p->mort_c, 1.0);
    double d[MAX_AGE_BINS];
    for (int x = 0; x < MAX_AGE_BINS; x++)
        d[x] = w->acc.deaths_age[sex][x] + (donors ? w->acc.donor_deaths_age[sex][x] : 0.0);
    double ex[MAX_AGE_BINS];
    int top = MAX_AGE_BINS;                      /* the first unmeasured age */
    for (int x = 0; x < MAX_AGE_BINS; x++) {
        ex[x] = x == 0 ? person_years(w, cy, sex, donors) +
                             0.5 * person_years(w, cy - 1, sex, donors)
                       : 0.5 * (person_years(w, cy - x, sex, donors) +
                                person_years(w, cy - x - 1, sex, donors));
        if (ex[x] < E0_MIN_EXPOSURE) {
            top = x;
            break;
        }
    }
    /* The model's hazard over the year of age x is A + gomp e^{c x}; the
     * deaths measured at the anchor ages set its level. */
    double dsum = 0.0, hsum = 0.0;
    for (int x = top - E0_ANCHOR < 0 ? 0 : top - E0_ANCHOR; x < top; x++) {
        dsum += d[x];
        hsum += ex[x] * (p->mort_a + gomp * exp(p->mort_c * x));
    }
    double k = dsum > 0 && hsum > 0 ? dsum / hsum : 1.0;
    double l = 1.0, e = 0.0;
    for (int x = 0; x < MAX_AGE_BINS && l > 0; x++) {
        double q;
        if (x < top) {
            double m = d[x] / ex[x];
            q = m / (1.0 + 0.5 * m);
        } else {
            q = -expm1(-k * (p->mort_a + gomp * exp(p->mort_c * x)));
        }
        if (q > 1.0 || (double)x + 1 > p->max_age || x == MAX_AGE_BINS - 1)
            q = 1.0;                             /* no one lives past max_age */
        double dl = l * q;
        e += l - 0.5 * dl;
        l -= dl;
    }
    return e;
}

/* A figure of both sexes from each sex's: weighed by the public's share
 * of boys at birth. */
static double sexes_mean(const struct hs_world *w, double male, double female)
{
    return w->p.share_male * male + (1.0 - w->p.share_male) * female;
}

/* e0 of the public, or (donors) of everyone born, the donors counted as
 * people: their completions are deaths and their years are lived years.
 * Donors are half men, half women; the public's share of boys weighs both. */
static double period_e0(const struct hs_world *w, int donors)
{
    return sexes_mean(w, period_e0_sex(w, 1, donors), period_e0_sex(w, 0, donors));
}


static void year_end(hs_engine *eng, void *ctx, uint64_t data);

static int schedule_year_end(struct hs_world *w)
{
    double t = (double)(w->year + 1 - (int)w->p.start_year) * DAYS_PER_YEAR;
    if (t > w->end_day)
        return HS_OK;
    return hs_engine_schedule(w->eng, t, HS_PRIORITY_MIN, year_end, w, 0, NULL);
}

/* Rules that change at a year boundary.  Other medicine needs nothing:
 * every death time is drawn across its future steps.  When the
 * transplantation of an organ begins, those waiting unlisted join the list. */
/* The year's dated rules of supply: each organ's activity and graft
 * survival, the chance of deceased donation and the rate of living donors.
 * An organ is transplanted from its transplant_from while its activity is
 * above 0. */
static void supply_year(struct hs_world *w, double y)
{
    const struct hs_params *p = &w->p;
    for (int o = 0; o < HS_NORGANS; o++) {
        const struct hs_organ_params *op = &p->organ[o];
        w->activity_now[o] = hsw_dated_value(&op->activity, y, 1.0);
        w->graft_mean_now[o] = op->graft_mean * hsw_dated_value(&op->graft_factor, y, 1.0);
    }
    w->deceased_now = fmin(1.0, p->deceased_share * hsw_dated_value(&p->deceased_trend, y, 1.0));
    w->living_now = p->living_rate * hsw_dated_value(&p->living_trend, y, 1.0);
}

static int transplanting(const struct hs_world *w, int o, double y)
{
    return y >= w->p.organ[o].transplant_from && w->activity_now[o] > 0;
}

static int apply_policies(struct hs_world *w)
{
    double y = (double)w->year;
    int begun = 0;
    supply_year(w, y);
    for (int o = 0; o < HS_NORGANS; o++) {
        int on = transplanting(w, o, y);
        if (on != w->transplant_on[o]) {
            w->transplant_on[o] = on;
            begun |= on;
        }
    }
    hsw_cures_year(w);
    return begun ? hsw_list_the_unlisted(w) : HS_OK;
}

static void emit_year(struct hs_world *w)
{
    struct hs_year_row *r = &w->acc.row;
    long c100 = (long)w->year - 100 - w->cohort_base;
    r->year = w->year;
    r->public_alive = w->alive;
    r->life_expectancy_male = period_e0_sex(w, 1, 0);
    r->life_expectancy_female = period_e0_sex(w, 0, 0);
    r->life_expectancy = sexes_mean(w, r->life_expectancy_male, r->life_expectancy_female);
    r->life_expectancy_all = w->p.programme ? period_e0(w, 1) : r->life_expectancy;
    if (c100 >= 0 && (size_t)c100 < w->ncohorts)
        r->reached_100 = w->cohort_start[2 * c100] + w->cohort_start[2 * c100 + 1] -
                         0.5 * (w->cohort_deaths[2 * c100] + w->cohort_deaths[2 * c100 + 1]);
    if (r->reached_100 < 0)
        r->reached_100 = 0;
    r->reached_100 = floor(r->reached_100 + 0.5);
    r->waiting = 0;
    for (int o = 0; o < HS_NORGANS; o++) {
        r->waiting_by[o] = w->waiting[o];
        r->waiting += w->waiting[o];
    }
    long yi = (long)w->year - (long)w->p.start_year;
    if (yi >= 0 && yi < 512)
        r->organs_planned = w->planned_for[yi];
    hsw_programme_counts(w, r);

    struct hs_summary *s = &w->sum;
    s->reached_100_total += r->reached_100;
    s->transplants_total += r->transplants;
    s->transplants_programme += r->transplants_programme;
    s->deaths_waiting_total += r->deaths_waiting;
    s->organs_wasted_total += r->organs_wasted;
    s->donations_total += r->donations;
    s->donors_completed += r->completions;
    s->donors_created += r->donors_created;
    s->agitated_total += r->agitated;
    s->outbursts_total += r->outbursts;
    s->deferral_applications += r->deferral_applications;
    s->deferrals_granted += r->deferrals_granted;
    s->donors_without_carer_total += r->donors_without_carer;
    s->curable_deaths_total += r->curable_deaths;
    s->cured_total += r->cured;
    s->deaths_uncured_total += r->deaths_uncured;
    s->births_total += r->births;
    s->public_deaths_total += r->public_deaths;
    if (r->completions > 0)
        w->programme_years++;
    w->le_sum += r->life_expectancy;
    w->le_years++;
    s->public_alive_end = r->public_alive;
    s->life_expectancy_end = r->life_expectancy;
    s->life_expectancy_all_end = r->life_expectancy_all;
    s->gallery_size = r->gallery_size;
    if (w->sink.year && w->sink_status == HS_OK)
        w->sink_status = w->sink.year(w->sink.ctx, r);
    w->listings_last_year = r->listings;
    if (yi >= 0 && yi < 512)
        for (int o = 0; o < HS_NORGANS; o++)
            w->listings_hist[o][yi] = r->listings_by[o];
}

static void new_year_reset(struct hs_world *w)
{
    memset(&w->acc, 0, sizeof w->acc);
    memcpy(w->cohort_start, w->cohort_alive, 2 * w->ncohorts * sizeof(double));
    memcpy(w->donor_start, w->donor_alive, 2 * w->ncohorts * sizeof(double));
    memset(w->cohort_deaths, 0, 2 * w->ncohorts * sizeof(double));
}

static void year_end(hs_engine *eng, void *ctx, uint64_t data)
{
    struct hs_world *w = ctx;
    hsw_programme_year_end(w);
    emit_year(w);
    w->year++;
    new_year_reset(w);
    if (w->sink_status != HS_OK) {
        hs_engine_stop(eng);
        return;
    }
    if (apply_policies(w) != HS_OK || schedule_year_end(w) != HS_OK ||
        (w->year < (int)w->p.end_year && hsw_programme_new_year(w) != HS_OK)) {
        w->sink_status = HS_ENOMEM;
        hs_engine_stop(eng);
    }
}

static void init_streams(struct hs_world *w, uint64_t seed, uint64_t rep)
{
    hs_rng_init(&w->r_init, seed, rep, hs_rng_purpose("initial population"));
    hs_rng_init(&w->r_births, seed, rep, hs_rng_purpose("births"));
    hs_rng_init(&w->r_public, seed, rep, hs_rng_purpose("public"));
    hs_rng_init(&w->r_alloc, seed, rep, hs_rng_purpose("allocation"));
    hs_rng_init(&w->r_deceased, seed, rep, hs_rng_purpose("deceased donors"));
    hs_rng_init(&w->r_donors, seed, rep, hs_rng_purpose("donors"));
    hs_rng_init(&w->r_names, seed, rep, hs_rng_purpose("names"));
    hs_rng_init(&w->r_gallery, seed, rep, hs_rng_purpose("gallery"));
    hs_rng_init(&w->r_causes, seed, rep, hs_rng_purpose("causes of death"));
    hs_rng_init(&w->r_match, seed, rep, hs_rng_purpose("match waits"));
}

double hs_world_memory_estimate(const struct hs_params *p)
{
    double years = p->end_year - p->start_year;
    double births = 0;
    for (size_t i = 0; i < p->births.n; i++)
        births = fmax(births, p->births.value[i]);
    /* Alive at the peak: the start, and about 60% of those born (measured:
     * canon at scale 0.1 peaks at 6.5 million, this gives 6.6).  Each costs
     * a 32-byte person record and, while their next event falls within the
     * run, a 24-byte pending-set entry (no engine slot: see public.c),
     * about 37 bytes measured at scale 1 (BENCHMARKS.md); 48 leaves room
     * for the arrays' growth. */
    double people = (p->population_initial + 0.6 * births * years) * p->scale;
    /* The programme's donors stay in memory for the whole run: a record
     * in an array that doubles as it grows, their pending events and the
     * carers' lists; 264 bytes a donor measured (a run of 384,000 donors),
     * counted here as two records and 64 bytes. */
    double donors = hsw_donors_estimate(p, people);
    return people * 48.0 + donors * (2.0 * sizeof(struct donor) + 64.0) + 64e6;
}

double hs_world_start_memory_estimate(const struct hs_params *p)
{
    /* each person of the start: a copy of the 32-byte record */
    return p->population_initial * p->scale * (double)sizeof(struct person) + 1e6;
}

/* The parameters the initial public is drawn from (public.c: the
 * people of the start, their sexes, ages and blood groups, and each one's
 * first pending event, which is drawn from their background mortality and
 * their organs' failures and falls within the run or not): two worlds
 * alike in every one of these, made from the same seed and replication,
 * draw the same initial public.  A field too many only means a copy
 * missed; a field too few would be a wrong world, and tests/test_world.c
 * compares a copied world's outputs with a drawn one's. */
#define PUBLIC_FIELD(f) {offsetof(struct hs_params, f), sizeof(((struct hs_params *)0)->f)}
static const struct {
    size_t off, size;
} public_fields[] = {
    PUBLIC_FIELD(start_year),   PUBLIC_FIELD(end_year),       PUBLIC_FIELD(scale),
    PUBLIC_FIELD(population_initial), PUBLIC_FIELD(initial_ages), PUBLIC_FIELD(abo_share),
    PUBLIC_FIELD(mort_a),       PUBLIC_FIELD(mort_b_male),    PUBLIC_FIELD(mort_b_female),
    PUBLIC_FIELD(male_factor),  PUBLIC_FIELD(mort_c),         PUBLIC_FIELD(mort_drift),
    PUBLIC_FIELD(other_medicine), PUBLIC_FIELD(infant_a),     PUBLIC_FIELD(infant_decline),
    PUBLIC_FIELD(infant_improvement), PUBLIC_FIELD(max_age),  PUBLIC_FIELD(organ),
};

/* Whether a world made from p, seed and replication would draw the
 * initial public that `start` holds. */
static int same_initial_public(const struct hs_world_start *start, const struct hs_params *p,
                               uint64_t seed, uint64_t replication)
{
    if (start == NULL || start->seed != seed || start->replication != replication)
        return 0;
    for (size_t i = 0; i < sizeof public_fields / sizeof public_fields[0]; i++)
        if (memcmp((const char *)&start->p + public_fields[i].off,
                   (const char *)p + public_fields[i].off, public_fields[i].size) != 0)
            return 0;
    return 1;
}

int hs_world_start_take(const struct hs_world *w, struct hs_world_start **out)
{
    *out = NULL;
    if (hs_engine_events_processed(w->eng) != 0)
        return HS_EINVAL;   /* it has run: its public is no longer the start */
    struct hs_world_start *s = calloc(1, sizeof *s);
    if (s == NULL)
        return HS_ENOMEM;
    s->people = malloc((w->npeople ? w->npeople : 1) * sizeof *s->people);
    s->cohort_alive = malloc(2 * w->ncohorts * sizeof *s->cohort_alive);
    if (s->people == NULL || s->cohort_alive == NULL) {
        hs_world_start_free(s);
        return HS_ENOMEM;
    }
    s->p = w->p;
    s->seed = w->seed;
    s->replication = w->replication;
    memcpy(s->people, w->people, w->npeople * sizeof *s->people);
    s->npeople = w->npeople;
    s->cap_people = w->cap_people;
    memcpy(s->cohort_alive, w->cohort_alive, 2 * w->ncohorts * sizeof *s->cohort_alive);
    s->alive = w->alive;
    s->r_init = w->r_init;
    s->r_public = w->r_public;
    *out = s;
    return HS_OK;
}

void hs_world_start_free(struct hs_world_start *s)
{
    if (s == NULL)
        return;
    free(s->people);
    free(s->cohort_alive);
    free(s);
}

int hs_world_create(const struct hs_params *p, uint64_t seed, uint64_t replication,
                    const struct hs_world_sink *sink, struct hs_world **out,
                    char *err, size_t errlen)
{
    return hs_world_create_alike(NULL, p, seed, replication, sink, out, err, errlen);
}

int hs_world_create_alike(const struct hs_world_start *start, const struct hs_params *p,
                          uint64_t seed, uint64_t replication,
                          const struct hs_world_sink *sink, struct hs_world **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    if (p->mort_c <= p->mort_drift) {
        snprintf(err, errlen, "public.mortality.gompertz_rate must exceed "
                              "public.mortality.improvement");
        return HS_EINVAL;
    }
    if (p->end_year - p->start_year > 500) {
        snprintf(err, errlen, "a run may span at most 500 years");
        return HS_EINVAL;
    }
    struct hs_world *w = calloc(1, sizeof *w);
    if (w == NULL)
        goto nomem;
    w->p = *p;
    if (sink)
        w->sink = *sink;
    w->year = (int)p->start_year;
    w->end_day = (p->end_year - p->start_year) * DAYS_PER_YEAR;
    init_streams(w, seed, replication);
    w->seed = seed;
    w->replication = replication;
    if (same_initial_public(start, p, seed, replication))
        w->alike = start;
    struct hs_engine_config cfg = hs_engine_config_default();
    cfg.pes = p->pes;
    if (hs_engine_create(&cfg, &w->eng) != HS_OK)
        goto nomem;
    w->cohort_base = (int)p->start_year - MAX_AGE_BINS - 1;
    w->ncohorts = (size_t)(p->end_year - w->cohort_base) + 2;
    w->cohort_alive = calloc(2 * w->ncohorts, sizeof(double));
    w->cohort_start = calloc(2 * w->ncohorts, sizeof(double));
    w->cohort_deaths = calloc(2 * w->ncohorts, sizeof(double));
    w->donor_alive = calloc(2 * w->ncohorts, sizeof(double));
    w->donor_start = calloc(2 * w->ncohorts, sizeof(double));
    if (!w->cohort_alive || !w->cohort_start || !w->cohort_deaths || !w->donor_alive ||
        !w->donor_start)
        goto nomem;
    w->medicine_now = hsw_dated_value(&p->other_medicine, p->start_year, 1.0);
    supply_year(w, p->start_year);
    for (int o = 0; o < HS_NORGANS; o++)
        w->transplant_on[o] = transplanting(w, o, p->start_year);
    hsw_cures_year(w);
    /* the steps of setting the world up, each named for the message */
    static const struct {
        const char *what;
        int (*fn)(struct hs_world *w);
    } steps[] = {
        {"the public", hsw_public_init},
        {"the waiting lists", hsw_alloc_init},
        {"the first births", hsw_birth_start},
        {"the programme", hsw_programme_init},
        {"the year's end", schedule_year_end},
        {"the programme's first year", hsw_programme_new_year},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int rc = steps[i].fn(w);
        if (rc != HS_OK) {
            snprintf(err, errlen, "cannot create the world: %s: %s", steps[i].what,
                     hs_strerror(rc));
            hs_world_destroy(w);
            return rc;
        }
    }
    memcpy(w->cohort_start, w->cohort_alive, 2 * w->ncohorts * sizeof(double));
    memcpy(w->donor_start, w->donor_alive, 2 * w->ncohorts * sizeof(double));
    w->sum.public_initial = w->alive;
    w->public_copied = w->alike != NULL;
    w->alike = NULL;   /* the start may be freed from now on */
    *out = w;
    return HS_OK;
nomem:
    snprintf(err, errlen, "out of memory creating the world");
    hs_world_destroy(w);
    return HS_ENOMEM;
}

int hs_world_run(struct hs_world *w, void (*progress)(void *ctx, int year, uint64_t events),
                 void *ctx)
{
    int last = (int)w->p.end_year;
    while (w->year < last && w->sink_status == HS_OK) {
        double t = (double)(w->year + 1 - (int)w->p.start_year) * DAYS_PER_YEAR;
        int y = w->year;
        int rc = hs_engine_run_until(w->eng, t);
        if (rc < 0)
            return rc;
        if (w->year == y) /* the year-end event did not run: stop */
            break;
        if (progress)
            progress(ctx, y, hs_engine_events_processed(w->eng));
    }
    if (w->sink_status != HS_OK)
        return w->sink_status;
    hsw_public_finish(w);
    w->sum.organs_pooled_end = hsw_pooled(w);
    return hsw_programme_finish(w);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void hs_world_summary(const struct hs_world *w, struct hs_summary *s)
{
    *s = w->sum;
    s->gain_life_expectancy = s->gain_life_expectancy_all = s->gain_deaths_avoided = NAN;
    s->events = hs_engine_events_processed(w->eng);
    s->years = w->p.end_year - w->p.start_year;
    s->life_expectancy_mean = w->le_years ? w->le_sum / w->le_years : NAN;
    s->donors_per_1000_births = s->births_total > 0 ? 1000.0 * s->donors_created / s->births_total
                                                    : NAN;
    s->donors_consumed_per_year =
        w->programme_years ? s->donors_completed / w->programme_years : 0.0;
    s->donors_share_of_england =
        s->public_alive_end > 0 ? s->donors_consumed_per_year / s->public_alive_end : 0.0;
    s->life_years_per_donor =
        s->donors_completed > 0 ? s->life_years_gained / s->donors_completed : NAN;
    s->life_years_taken_per_donor =
        s->donors_completed > 0 ? s->life_years_taken / s->donors_completed : NAN;
    s->ready_wait_days = w->ready_waits > 0 ? w->ready_wait_days / w->ready_waits : NAN;
    /* the arrays are sorted by hsw_programme_finish */
    s->median_completion_age = hs_quantile_sorted(w->completion_ages, w->ncompletion_ages, 0.5);
    s->carer_years_p95 = hs_quantile_sorted(w->carer_tenures, w->ncarer_tenures, 0.95);
    double sum = 0;
    for (size_t i = 0; i < w->ncarer_tenures; i++)
        sum += w->carer_tenures[i];
    s->carer_years_mean = w->ncarer_tenures ? sum / (double)w->ncarer_tenures : NAN;
    s->mean_donations_per_donor =
        s->donors_completed > 0 ? s->donations_total / s->donors_created : NAN;
}

int hs_world_public_copied(const struct hs_world *w)
{
    return w->public_copied;
}

void hs_params_without_programme(struct hs_params *p)
{
    p->programme = 0;
    p->perfect_supply = 0;
    for (int c = 0; c < HS_NCAUSES; c++) {
        p->cure[c].reach.n = 1;
        p->cure[c].reach.year[0] = p->start_year;
        p->cure[c].reach.value[0] = 0;
    }
}

void hs_summary_pair(struct hs_summary *s, const struct hs_summary *without)
{
    s->gain_life_expectancy = s->life_expectancy_end - without->life_expectancy_end;
    s->gain_life_expectancy_all = s->life_expectancy_all_end - without->life_expectancy_end;
    s->gain_deaths_avoided = without->public_deaths_total - s->public_deaths_total;
}

void hsw_sort_doubles(double *v, size_t n)
{
    if (n > 1)      /* qsort(NULL, 0, ...) is undefined */
        qsort(v, n, sizeof *v, cmp_double);
}

void hs_world_destroy(struct hs_world *w)
{
    if (w == NULL)
        return;
    hs_engine_destroy(w->eng);
    free(w->people);
    free(w->pext);
    free(w->free_people);
    free(w->fail_bound);
    free(w->cohort_alive);
    free(w->cohort_start);
    free(w->cohort_deaths);
    free(w->donor_alive);
    free(w->donor_start);
    hsw_alloc_free(w);
    hsw_programme_free(w);
    free(w->completion_ages);
    free(w->carer_tenures);
    free(w);
}
