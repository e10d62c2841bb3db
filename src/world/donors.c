/* SPDX-License-Identifier: MIT
 *
 * donors.c - the programme: cohorts, estates, the Cottages, carers,
 * notices, donations in recovery centres, completion, couples and their
 * deferral requests, distress, and the Gallery.
 *
 * A donor's life is a chain of events, each scheduling the next:
 *   created (in a yearly cohort, placed in an estate)
 *   -> leaves the estate at about 16 for the Cottages or a similar place
 *   -> starts training -> becomes a carer for a long-tailed span of years
 *   -> receives a notice (a couple may first ask for a deferral)
 *   -> donation 1..4, each in a recovery centre bed, each followed by a
 *      recovery unless the donor completes; the fourth completes everyone.
 * Every move between places is a chip reading written to the trace.
 *
 * Who cares for whom is carers.c's.
 */
#include "world_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

#define YEARS(x) ((x) * DAYS_PER_YEAR)

static double now_of(const struct hs_world *w) { return hs_engine_now(w->eng); }

void hsw_fail_run(struct hs_world *w, int rc)
{
    if (w->sink_status == HS_OK)
        w->sink_status = rc;
    hs_engine_stop(w->eng);
}

static void at(struct hs_world *w, double day, hs_event_fn fn, uint32_t id)
{
    if (day < now_of(w))
        day = now_of(w);
    if (day > w->end_day)
        return;
    int rc = hs_engine_schedule(w->eng, day, 0, fn, w, id, NULL);
    if (rc != HS_OK)
        hsw_fail_run(w, rc);
}

static void chip(struct hs_world *w, uint32_t id, const char *place)
{
    if (!w->sink.move || w->sink_status != HS_OK)
        return;
    struct hs_move_row m = {id, w->donors[id].chip, now_of(w), place};
    w->sink_status = w->sink.move(w->sink.ctx, &m);
}

static double lognormal_mean_sd(hs_rng *r, double mean, double sd)
{
    if (sd <= 0)
        return mean;
    double s2 = log(1.0 + (sd * sd) / (mean * mean));
    return hs_dist_lognormal(r, log(mean) - 0.5 * s2, sqrt(s2));
}

static int pick_share(hs_rng *r, const double *shares, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += shares[i];
    double u = hs_rng_uniform(r) * total, acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc += shares[i];
        if (u < acc)
            return (int)i;
    }
    return (int)n - 1;
}

static int estate_open(const struct hs_estate_params *e, double year)
{
    return year >= e->opens && (e->closes <= 0 || year < e->closes);
}

static int fallback_estate(const struct hs_world *w)
{
    for (size_t i = 0; i < w->p.n_estates; i++)
        if (!strcmp(w->p.estate[i].name, w->p.fallback_estate))
            return (int)i;
    return (int)w->p.n_estates - 1;
}

/* ---- organs and beds --------------------------------------------------- */

/* The donation schedule a transplant surgeon would accept (MODEL.md): a
 * donation the donor survives takes only what a living donor gives, one
 * kidney while the other stays, a lobe of the liver or of a lung, part of
 * the pancreas, each part at most once; the donation at which the donor
 * completes takes everything left: the kidneys, the heart, the whole liver,
 * both lungs, and the pancreas unless part of it was taken.  The scenario
 * check refuses a schedule that would take a vital organ from a donor who
 * lives on, so `parts` holds no heart. */
static void offer(struct hs_world *w, const struct donor *d, int organ, int n)
{
    for (int i = 0; i < n; i++)
        if (hsw_offer(w, organ, d->abo, SRC_PROGRAMME) != HS_OK)
            hsw_fail_run(w, HS_ENOMEM);
}

/* Take the parts (a set of organs hsw_gives allows: one kidney while the
 * other stays, each other part once) and offer them. */
static uint32_t take_parts(struct hs_world *w, struct donor *d, uint32_t parts)
{
    for (int o = 0; o < HS_NORGANS; o++) {
        if (!(parts & (1u << o)))
            continue;
        if (o == HS_ORGAN_KIDNEY)
            d->kidneys_left--;
        else
            d->organs_left &= (uint8_t)~(1u << o);
        offer(w, d, o, 1);
    }
    return parts;
}

/* At completion: everything left of the organs in `want` (all of them on
 * the rhythm; to order, those someone waits for: the body keeps the rest). */
static uint32_t take_all(struct hs_world *w, struct donor *d, uint32_t want)
{
    uint32_t taken = 0;
    static const int whole[HS_NORGANS] = {
        [HS_ORGAN_KIDNEY] = 0, [HS_ORGAN_LIVER] = 1, [HS_ORGAN_HEART] = 1,
        [HS_ORGAN_LUNG] = 2, [HS_ORGAN_PANCREAS] = 1,
    };
    for (int o = 0; o < HS_NORGANS; o++) {
        int n = o == HS_ORGAN_KIDNEY ? d->kidneys_left
                : o == HS_ORGAN_PANCREAS && !(d->organs_left & (1u << o)) ? 0 : whole[o];
        if (n > 0 && (want & (1u << o))) {
            offer(w, d, o, n);
            taken |= 1u << o;
        }
    }
    d->kidneys_left = 0;
    d->organs_left = 0;
    return taken;
}

static void recovery_end(hs_engine *eng, void *ctx, uint64_t id);

static int programme_over(const struct hs_world *w)
{
    return w->p.programme_end > 0 && (double)w->year >= w->p.programme_end;
}

/* Every change of a donor's stage goes through here, which keeps the
 * count of donors in each stage (the yearly rows read it). */
static void set_stage(struct hs_world *w, struct donor *d, enum hs_stage stage)
{
    w->in_stage[d->stage] -= 1.0;
    d->stage = (uint8_t)stage;
    w->in_stage[stage] += 1.0;
}

static void complete(struct hs_world *w, uint32_t id)
{
    struct donor *d = &w->donors[id];
    set_stage(w, d, HS_STAGE_COMPLETED);
    d->completed = now_of(w);
    w->acc.row.completions += 1.0;
    double age = hsw_years(d->completed - d->created);
    if (hsw_grow((void **)&w->completion_ages, &w->cap_completion_ages,
                 w->ncompletion_ages + 1, sizeof(double)) == HS_OK)
        w->completion_ages[w->ncompletion_ages++] = age;
    hsw_donor_died(w, d->cohort, d->sex, age);
    w->sum.life_years_taken += hsw_remaining_years(w, d->sex, age);
    hsw_release_donor(w, id);
}

static void free_bed(struct hs_world *w, int centre)
{
    w->beds_free[centre] += 1.0;
    while (w->bedq.n > 0 && w->beds_free[centre] >= 1.0) {
        uint32_t next = *(const uint32_t *)hsw_fifo_at(&w->bedq, 0);
        hsw_fifo_pop(&w->bedq);
        hsw_donation_request(w->eng, w, next);
    }
}

static int agitation(struct hs_world *w, struct donor *d)
{
    double p = w->p.agitation_base;
    if (d->carer_of < 0)
        p *= w->p.agitation_no_carer;
    else if (w->donors[d->carer_of].cs.privileged)
        p *= w->p.agitation_good_carer;
    if (d->refused)
        p *= w->p.agitation_refused;
    if (hs_rng_uniform(&w->r_donors) >= p)
        return 0;
    uint64_t n = hs_dist_poisson(&w->r_donors, w->p.outburst_rate);
    d->outbursts = (uint16_t)(d->outbursts + (n > 1000 ? 1000 : n));
    d->agitated_donations++;
    w->acc.row.agitated += 1.0;
    w->acc.row.outbursts += (double)n;
    return 1;
}

static void do_donation(struct hs_world *w, uint32_t id, int centre)
{
    struct donor *d = &w->donors[id];
    int k = d->donations;
    double now = now_of(w);
    double bed_wait = now - d->bed_request;
    uint32_t want = w->p.donation_on_demand && d->order ? hsw_waiting_mask(w, d->abo)
                                                        : ~0u;   /* to order, or all */
    uint32_t parts = hsw_gives(w, d) & want;
    d->centre = (uint8_t)centre;
    d->donation[k] = now;
    d->donations++;
    w->acc.row.donations += 1.0;
    chip(w, id, w->p.centre[centre].name);
    int done = k + 1 >= HS_MAX_DONATIONS ||
               hs_rng_uniform(&w->r_donors) < w->p.complete_prob[k];
    uint32_t taken = done ? take_all(w, d, want) : take_parts(w, d, parts);
    int agitated = done ? 0 : agitation(w, d);
    if (w->sink.donation && w->sink_status == HS_OK) {
        struct hs_donation_row r = {id, k + 1, now, w->p.centre[centre].name, taken, done,
                                    d->carer_of, agitated, bed_wait};
        w->sink_status = w->sink.donation(w->sink.ctx, &r);
    }
    if (done) {
        complete(w, id);
        free_bed(w, centre);
        return;
    }
    double months = hs_dist_gamma(&w->r_donors, w->p.recovery_shape,
                                  w->p.recovery_months_mean / w->p.recovery_shape);
    double days = months * DAYS_PER_YEAR / 12.0 * (agitated ? w->p.agitation_recovery_factor : 1);
    d->agitated_now = (uint8_t)agitated;
    if (d->carer_of >= 0) {
        struct carer_stats *cs = &w->donors[d->carer_of].cs;
        cs->recoveries++;
        cs->recovery_days += days;
        cs->agitated += (uint32_t)agitated;
    }
    at(w, now + days, recovery_end, id);
}

void hsw_donation_request(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    struct donor *d = &w->donors[id];
    if (d->stage != HS_STAGE_DONOR)
        return;
    if (programme_over(w)) {
        set_stage(w, d, HS_STAGE_RELEASED);
        hsw_release_donor(w, id);
        return;
    }
    if (w->p.donation_on_demand && d->order &&
        !(hsw_gives(w, d) & hsw_waiting_mask(w, d->abo))) {
        d->bed_request = -1;      /* the order was filled elsewhere meanwhile */
        hsw_demand_ready(w, id);
        return;
    }
    if (d->bed_request < 0)
        d->bed_request = now_of(w);
    double shares[HS_MAX_PLACES] = {0};
    for (size_t i = 0; i < w->p.n_centres; i++)
        shares[i] = w->p.centre[i].share;
    int c = pick_share(&w->r_donors, shares, w->p.n_centres);
    if (w->beds_free[c] < 1.0)
        for (size_t i = 0; i < w->p.n_centres; i++)
            if (w->beds_free[i] >= 1.0) {
                c = (int)i;
                break;
            }
    if (w->beds_free[c] < 1.0) {
        if (hsw_fifo_push(&w->bedq, &id, sizeof id) != HS_OK) {
            hsw_fail_run(w, HS_ENOMEM);
            return;
        }
        w->acc.row.waiting_for_bed += 1.0;
        return;
    }
    w->beds_free[c] -= 1.0;
    if (w->beds_free[c] < 0)
        w->sum.beds_overbooked += 1.0;
    do_donation(w, id, c);
    d = &w->donors[id];
    d->bed_request = -1;
}

static void recovery_end(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    struct donor *d = &w->donors[id];
    d->agitated_now = 0;
    free_bed(w, d->centre);
    if (d->stage != HS_STAGE_DONOR)
        return;
    if (w->p.donation_on_demand)
        hsw_demand_ready(w, id);
    else
        hsw_donation_request(eng, w, id);
}

/* ---- the life course -------------------------------------------------- */

/* A couple asks for a deferral when one of them gets a notice.  Returns 1
 * if the notice is put off. */
static int ask_deferral(struct hs_world *w, uint32_t id)
{
    struct donor *d = &w->donors[id];
    if (d->partner < 0 || d->applied || !w->p.estate[d->estate].humane)
        return 0;
    struct donor *q = &w->donors[d->partner];
    if (q->stage == HS_STAGE_COMPLETED)
        return 0;
    if (hs_rng_uniform(&w->r_donors) >= w->p.deferral_apply_prob)
        return 0;
    d->applied = q->applied = 1;
    w->acc.row.deferral_applications += 1.0;
    int evidence = !(w->p.deferral_needs_gallery > 0) ||
                   (d->gallery_works > 0 && q->gallery_works > 0);
    if (evidence && hs_rng_uniform(&w->r_donors) < w->p.deferral_grant_prob) {
        d->deferral = q->deferral = HS_DEFERRAL_GRANTED;
        w->acc.row.deferrals_granted += 1.0;
        at(w, now_of(w) + YEARS(w->p.deferral_years), hsw_notice, id);
        return 1;
    }
    d->deferral = q->deferral = HS_DEFERRAL_REFUSED;
    d->refused = q->refused = 1;
    return 0;
}

void hsw_notice(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    struct donor *d = &w->donors[id];
    if (d->stage != HS_STAGE_CARER)
        return;
    if (programme_over(w))
        return;              /* the programme has ended: they stay carers */
    if (w->p.donation_on_demand && !d->called) {
        if (!d->ready)
            hsw_demand_due(w, id);   /* called at once, or waits for an order */
        return;
    }
    d->called = 0;
    if (d->deferral != HS_DEFERRAL_GRANTED && ask_deferral(w, id))
        return;
    d = &w->donors[id];
    set_stage(w, d, HS_STAGE_DONOR);
    d->notice = now_of(w);
    double tenure = hsw_years(d->notice - d->carer);
    if (hsw_grow((void **)&w->carer_tenures, &w->cap_carer_tenures, w->ncarer_tenures + 1,
                 sizeof(double)) == HS_OK)
        w->carer_tenures[w->ncarer_tenures++] = tenure;
    hsw_remove_carer(w, id);
    hsw_need_carer(w, id);
    d->bed_request = -1;
    at(w, now_of(w) + w->p.notice_days, hsw_donation_request, id);
}

static void become_carer(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    struct donor *d = &w->donors[id];
    set_stage(w, d, HS_STAGE_CARER);
    d->carer = now_of(w);
    if (hsw_grow((void **)&w->carers, &w->cap_carers, w->ncarers + 1, sizeof(uint32_t)) != HS_OK ||
        hsw_grow((void **)&w->carer_view, &w->cap_carer_view, w->ncarers + 1,
                 sizeof *w->carer_view) != HS_OK ||
        hsw_carer_tree_reserve(w, w->ncarers + 1) != HS_OK) {
        hsw_fail_run(w, HS_ENOMEM);
        return;
    }
    d->cs.pos = (uint32_t)w->ncarers;
    w->carers[w->ncarers++] = id;
    hsw_sync_view(w, id);
    if (!(w->p.carer_reassign_days > 0))   /* else the next round serves the waiters */
        hsw_serve_carerless(w);
    double sigma = w->p.carer_years_sigma;
    double years = sigma > 0 ? hs_dist_lognormal(&w->r_donors, log(w->p.carer_years_median), sigma)
                             : w->p.carer_years_median;
    at(w, now_of(w) + YEARS(years), hsw_notice, id);
}

static void start_training(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    hsw_leave_house(w, &w->donors[id]);
    set_stage(w, &w->donors[id], HS_STAGE_TRAINING);
    w->donors[id].training = now_of(w);
    chip(w, id, "carer training");
    at(w, now_of(w) + YEARS(w->p.training_years), become_carer, id);
}

/* Couples form at the Cottages among those who grew up together: a new
 * arrival may pair with the one unpaired arrival from the same estate at
 * the same place (one of the other houses holds one estate's leavers). */
static void pair_up(struct hs_world *w, uint32_t id)
{
    struct donor *d = &w->donors[id];
    if (hs_rng_uniform(&w->r_donors) >= w->p.couple_share)
        return;
    int64_t *waiting = d->cottages == HOUSE_OTHER ? &w->houses[d->house].single
                                                  : &w->single[d->estate][d->cottages];
    /* a couple forms between two who are at the same place at the same time */
    if (*waiting >= 0 && w->donors[*waiting].stage == HS_STAGE_COTTAGES &&
        w->donors[*waiting].partner < 0) {
        d->partner = *waiting;
        w->donors[*waiting].partner = id;
        *waiting = -1;
    } else {
        *waiting = id;
    }
}

static void leave_estate(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    struct donor *d = &w->donors[id];
    double shares[HS_MAX_PLACES] = {0};
    for (size_t i = 0; i < w->p.n_cottages; i++)
        shares[i] = w->p.cottages[i].share;
    int c = pick_share(&w->r_donors, shares, w->p.n_cottages);
    double room = w->p.cottages[c].residents;
    if (room > 0 && w->named_residents[c] >= room) {   /* full: one of the other houses */
        if (hsw_house_for(w, d->estate, &d->house) != HS_OK) {
            hsw_fail_run(w, HS_ENOMEM);
            return;
        }
        d->cottages = HOUSE_OTHER;
        w->houses[d->house].residents++;
    } else {
        d->cottages = (uint8_t)c;
        w->named_residents[c] += 1.0;
    }
    set_stage(w, d, HS_STAGE_COTTAGES);
    d->left_estate = now_of(w);
    chip(w, id, hsw_place_of(w, d));
    pair_up(w, id);
    double years = lognormal_mean_sd(&w->r_donors, w->p.cottages_years_mean,
                                     w->p.cottages_years_sd);
    at(w, now_of(w) + YEARS(years), start_training, id);
}

static void created(hs_engine *eng, void *ctx, uint64_t id64)
{
    struct hs_world *w = ctx;
    uint32_t id = (uint32_t)id64;
    chip(w, id, w->p.estate[w->donors[id].estate].name);
    w->acc.row.donors_created += 1.0;
    double age = w->p.leave_age_mean + w->p.leave_age_sd * hs_dist_normal(&w->r_donors, 0, 1);
    if (age < 5)
        age = 5;
    at(w, now_of(w) + YEARS(age), leave_estate, id);
}

/* ---- cohorts ------------------------------------------------------------ */

static double fixed_size_of(const struct hs_params *p, double year)
{
    double v = 0;
    for (size_t i = 0; i < p->cohort_size.n && p->cohort_size.year[i] <= year; i++)
        v = p->cohort_size.value[i];
    return v;
}

static double fixed_size(const struct hs_world *w, double year)
{
    return fixed_size_of(&w->p, year);
}

/* Expected organs of kind `organ` over one donor's life (all kinds when
 * organ < 0), under the schedule of take_parts and take_all: the parts
 * taken at each donation survived, and what is left at completion. */
static double expected_organs(const struct hs_params *p, int organ)
{
    static const double whole[HS_NORGANS] = {
        [HS_ORGAN_KIDNEY] = 0, [HS_ORGAN_LIVER] = 1, [HS_ORGAN_HEART] = 1,
        [HS_ORGAN_LUNG] = 2, [HS_ORGAN_PANCREAS] = 1,
    };
    double total = 0.0;
    for (int o = 0; o < HS_NORGANS; o++) {
        if (organ >= 0 && o != organ)
            continue;
        /* kidneys: the count left; other organs: 1 while their part is there */
        double left = o == HS_ORGAN_KIDNEY ? 2 : 1, reach = 1.0;
        for (int k = 0; k < HS_MAX_DONATIONS; k++) {
            double pc = k + 1 == HS_MAX_DONATIONS ? 1.0 : p->complete_prob[k];
            double at_end = o == HS_ORGAN_KIDNEY ? left
                            : o == HS_ORGAN_PANCREAS ? left * whole[o] : whole[o];
            total += reach * pc * at_end;
            int part = (p->donation_organs[k] & (1u << o)) && o != HS_ORGAN_HEART &&
                       (o == HS_ORGAN_KIDNEY ? left > 1 : left > 0);
            if (part) {
                total += reach * (1 - pc);
                left -= 1;
            }
            reach *= 1 - pc;
        }
    }
    return total;
}

/* ---- the planner's forecast ----------------------------------------------
 *
 * Each year the planner forecasts each organ's listings `lead` years ahead:
 * the level it sees now, grown at the yearly rate it assumes (plan.growth),
 * once it has ten years of listings to believe in a trend.  The level is
 * the mean of the last PLAN_WINDOW years (the first year an organ is
 * transplanted lists the backlog of everyone whose organ failed before,
 * so it is left out unless it is all there is).
 *
 * The forecast is linear in the counts, so it means the same at any
 * --scale, and its noise is only the level's.  An earlier planner
 * estimated the rate from the listings, clamped it and raised it to the
 * 30th power: a small world's noisier estimates fell below the clamp more
 * often, so donors created per person-year rose with the scale (151 at
 * 0.01, 161 at 1); a version that estimated the rate without bias (pooled
 * windows, a smooth bound, a variance discount) fixed that but made small
 * worlds four times as noisy: 30 years of extrapolation multiply an
 * estimated rate's noise by 30.  At scale 1, canon's listings grew at 3.6
 * to 5.9% a year, at the old clamp most of the time, and the default rate
 * keeps canon's cohorts at scale 1 where they were (docs/model.md). */

#define PLAN_WINDOW 6      /* years averaged for the level */
#define PLAN_HISTORY 10    /* years of listings before the planner grows them */

/* Listings of every organ expected `lead` years ahead, into need[]. */
static void forecast_listings(const struct hs_world *w, double need[HS_NORGANS])
{
    long y = (long)w->year - (long)w->p.start_year;
    for (int o = 0; o < HS_NORGANS; o++) {
        need[o] = 0.0;
        if (y < 1 || y > 512)
            continue;
        const double *h = w->listings_hist[o];
        long first = 0;
        while (first < y && !(h[first] > 0))
            first++;
        if (first == y)
            continue;                       /* nothing listed yet */
        long from = y - PLAN_WINDOW;
        if (from < first + 1)
            from = first + 1;
        if (from > y - 1)
            from = first;                   /* only the backlog year so far */
        double sum = 0;
        for (long t = from; t < y; t++)
            sum += h[t];
        double level = sum / (double)(y - from);
        if (y - first < PLAN_HISTORY) {
            need[o] = level;
            continue;
        }
        /* grown from the middle of the level's window */
        double years = w->p.plan_lead_years + 0.5 * (double)(y - 1 - from);
        need[o] = level * exp(years * log1p(w->p.plan_growth));
    }
}

/* Donors a run of p creates at most, about, for the memory estimate
 * before it starts (world.c); people is the public at its largest.
 * A planned cohort is the forecast listings of the organ in shortest
 * supply, grown for the planning horizon, or the minimum.  The listings
 * are bounded from the parameters alone: the public at its largest with
 * every age up to 100 (or the listing age) equally common, at each
 * organ's Gompertz failure rate, half again for grafts that fail and
 * relist.  Canon gives about twice the donors it creates (4400 at scale
 * 0.01): upper-ish, as an estimate that refuses a run must be. */
double hsw_donors_estimate(const struct hs_params *p, double people)
{
    if (!p->programme)
        return 0;
    double first = fmax(p->programme_start, p->start_year);
    double last = p->programme_end > 0 ? fmin(p->programme_end, p->end_year) : p->end_year;
    double age = fmin(fmax(p->max_listing_age, 1), 100), level = 0;
    for (int o = 0; o < HS_NORGANS; o++) {
        const struct hs_organ_params *op = &p->organ[o];
        double per = expected_organs(p, o);
        double rate = op->failure_c > 0
                          ? op->failure_b * expm1(op->failure_c * age) / (op->failure_c * age)
                          : op->failure_b;
        if (per > 0)
            level = fmax(level, 1.5 * people * rate * p->plan_margin / per);
    }
    /* grown from the middle of the level's window, once there is history */
    double grown = level * exp((p->plan_lead_years + 0.5 * PLAN_WINDOW) *
                               log1p(fmax(p->plan_growth, 0)));
    double n = 0;
    for (double y = first; y < last; y++) {
        if (p->cohort_planned)
            n += fmax(y - p->start_year > PLAN_HISTORY ? grown : level,
                      p->plan_min_cohort * p->scale);
        else
            n += fixed_size_of(p, y) * p->scale;
    }
    return n;
}

static int cohort_size_now(struct hs_world *w)
{
    double y = (double)w->year;
    double n;
    if (w->p.cohort_planned) {
        /* enough donors for the organ in shortest supply per donor */
        long target = (long)(y + w->p.plan_lead_years - w->p.start_year);
        double forecast[HS_NORGANS];
        forecast_listings(w, forecast);
        n = 0;
        for (int o = 0; o < HS_NORGANS; o++) {
            double per = expected_organs(&w->p, o);
            double need = forecast[o] * w->p.plan_margin;
            if (per > 0 && need / per > n)
                n = need / per;
        }
        double minimum = w->p.plan_min_cohort * w->p.scale;
        if (n < minimum)
            n = minimum;
        if (target >= 0 && target < 512)
            w->planned_for[target] += n * w->organs_per_donor;
    } else {
        n = fixed_size(w, y) * w->p.scale;
    }
    /* a fractional cohort rounds by chance, so small scales stay unbiased */
    double whole = floor(n);
    return (int)whole + (hs_rng_uniform(&w->r_donors) < n - whole);
}

static int new_donor(struct hs_world *w, int estate, uint32_t *out)
{
    if (w->ndonors >= UINT32_MAX - 1 ||
        hsw_grow((void **)&w->donors, &w->cap_donors, w->ndonors + 1, sizeof(struct donor)))
        return HS_ENOMEM;
    uint32_t id = (uint32_t)w->ndonors++;
    struct donor *d = &w->donors[id];
    memset(d, 0, sizeof *d);
    double year_start = (double)(w->year - (int)w->p.start_year) * DAYS_PER_YEAR;
    d->created = year_start + hs_rng_uniform(&w->r_donors) * DAYS_PER_YEAR;
    d->left_estate = d->training = d->carer = d->notice = d->completed = NAN;
    for (int k = 0; k < HS_MAX_DONATIONS; k++)
        d->donation[k] = NAN;
    d->partner = -1;
    d->carer_of = -1;
    d->next_case = -1;
    d->cs.first_case = -1;
    d->cohort = w->year;
    d->estate = (uint8_t)estate;
    d->sex = hs_rng_uniform(&w->r_names) < 0.5;
    hsw_donor_born(w, d->cohort, d->sex);
    d->name = (uint32_t)hs_rng_below(&w->r_names, d->sex ? HS_NAMES_MALE : HS_NAMES_FEMALE);
    d->initial = (uint8_t)('A' + hs_rng_below(&w->r_names, 26));
    d->abo = (uint8_t)pick_share(&w->r_donors, w->p.abo_share, HS_NABO);
    d->stage = HS_STAGE_STUDENT;   /* a new donor: counted as one below */
    w->in_stage[HS_STAGE_STUDENT] += 1.0;
    d->organs_left = (uint8_t)((1u << HS_NORGANS) - 1);
    d->kidneys_left = 2;
    d->last_without_year = -1;
    d->bed_request = -1;
    d->chip = 1000000 + w->next_chip++;   /* the film's seven-digit bracelet */
    *out = id;
    return HS_OK;
}

static int make_cohort(struct hs_world *w)
{
    double y = (double)w->year;
    if (y < w->p.programme_start || programme_over(w))
        return HS_OK;
    double shares[HS_MAX_ESTATES];
    int any = 0;
    for (size_t i = 0; i < w->p.n_estates; i++) {
        shares[i] = estate_open(&w->p.estate[i], y) ? w->p.estate[i].share : 0.0;
        any |= shares[i] > 0;
    }
    if (!any)
        return HS_OK;
    int n = cohort_size_now(w);
    for (int i = 0; i < n; i++) {
        int e = pick_share(&w->r_donors, shares, w->p.n_estates);
        uint32_t id;
        if (new_donor(w, e, &id) != HS_OK)
            return HS_ENOMEM;
        at(w, w->donors[id].created, created, id);
    }
    return HS_OK;
}

/* ---- the year's end ------------------------------------------------------ */

/* The first donor who may still be a student: stages only advance, so no
 * donor before one who has left their estate is still there, and a year's
 * students are a span at the end of the donors, not all there have been. */
static size_t first_student(struct hs_world *w)
{
    while (w->first_student < w->ndonors &&
           w->donors[w->first_student].stage != HS_STAGE_STUDENT)
        w->first_student++;
    return w->first_student;
}

/* Madame visits: each Hailsham student aged 5 or more made works this
 * year, and she takes the best of them to the Gallery. */
static void gallery_year(struct hs_world *w)
{
    double now = now_of(w), y = (double)w->year;
    for (size_t i = first_student(w); i < w->ndonors; i++) {
        struct donor *d = &w->donors[i];
        const struct hs_estate_params *e = &w->p.estate[d->estate];
        if (d->stage != HS_STAGE_STUDENT || !e->gallery || !estate_open(e, y) ||
            now - d->created < YEARS(5))
            continue;
        uint64_t made = hs_dist_poisson(&w->r_gallery, w->p.art_per_year);
        uint64_t taken = hs_dist_binomial(&w->r_gallery, made, w->p.madame_takes);
        d->gallery_works = (uint16_t)(d->gallery_works + taken);
        w->gallery += (double)taken;
    }
}

/* Estates that close at this boundary send their students elsewhere (a
 * chip reading marks the move); a donor keeps the estate they were raised
 * in, whatever happens to it later (MODEL.md). */
static void close_estates(struct hs_world *w)
{
    double next = (double)w->year + 1;
    int to = fallback_estate(w);
    for (size_t e = 0; e < w->p.n_estates; e++) {
        const struct hs_estate_params *ep = &w->p.estate[e];
        if (ep->closes <= 0 || ep->closes != next || (int)e == to)
            continue;
        for (size_t i = first_student(w); i < w->ndonors; i++) {
            struct donor *d = &w->donors[i];
            if (d->estate == e && d->stage == HS_STAGE_STUDENT && d->created <= now_of(w))
                chip(w, (uint32_t)i, w->p.estate[to].name);
        }
    }
}


void hsw_programme_year_end(struct hs_world *w)
{
    if (!w->p.programme)
        return;
    gallery_year(w);
    close_estates(w);
    hsw_rank_carers(w);
}

/* The year's counts at its end, from the counts kept as stages change (a
 * year's cohort is made when it begins, so every donor there is has been
 * created by its end); the donors without a carer now have a year without
 * one. */
void hsw_programme_counts(struct hs_world *w, struct hs_year_row *r)
{
    r->students += w->in_stage[HS_STAGE_STUDENT] + w->in_stage[HS_STAGE_COTTAGES] +
                   w->in_stage[HS_STAGE_TRAINING];
    r->carers += w->in_stage[HS_STAGE_CARER];
    r->donors += w->in_stage[HS_STAGE_DONOR];
    hsw_mark_carerless(w);
    r->gallery_size = w->gallery;
}

/* The new year's cohort is made when the year begins. */
int hsw_programme_new_year(struct hs_world *w)
{
    if (!w->p.programme)
        return HS_OK;
    return make_cohort(w);
}

/* The round that gives carerless donors a carer, every reassign_days. */
static void carer_round(hs_engine *eng, void *ctx, uint64_t data)
{
    (void)eng;
    (void)data;
    struct hs_world *w = ctx;
    hsw_serve_carerless(w);
    at(w, now_of(w) + w->p.carer_reassign_days, carer_round, 0);
}

int hsw_programme_init(struct hs_world *w)
{
    if (!w->p.programme)
        return HS_OK;
    if (w->p.carer_reassign_days > 0)
        at(w, w->p.carer_reassign_days, carer_round, 0);
    for (size_t i = 0; i < w->p.n_centres; i++)
        w->beds_free[i] = ceil(w->p.centre[i].beds * w->p.scale);
    w->organs_per_donor = expected_organs(&w->p, -1);
    for (size_t e = 0; e < HS_MAX_ESTATES; e++)
        for (size_t c = 0; c < HS_MAX_PLACES; c++)
            w->single[e][c] = -1;
    return HS_OK;
}

static void name_of(const struct hs_world *w, const struct donor *d, char *buf, size_t n)
{
    const char *first = d->sex ? hs_names_male[d->name] : hs_names_female[d->name];
    snprintf(buf, n, "%s %c.", first, d->initial);
}

int hsw_programme_finish(struct hs_world *w)
{
    hsw_sort_doubles(w->completion_ages, w->ncompletion_ages);
    hsw_sort_doubles(w->carer_tenures, w->ncarer_tenures);
    double end = w->end_day;
    for (size_t i = 0; i < w->ndonors && w->sink.donor; i++) {
        const struct donor *d = &w->donors[i];
        if (d->created > end)
            continue;
        struct hs_donor_row r;
        memset(&r, 0, sizeof r);
        r.id = (uint32_t)i;
        name_of(w, d, r.name, sizeof r.name);
        r.estate = w->p.estate[d->estate].name;
        r.cottages = isnan(d->left_estate) ? NULL : hsw_place_of(w, d);
        r.house = !isnan(d->left_estate) && d->cottages == HOUSE_OTHER ? (int64_t)d->house + 1 : -1;
        r.cohort = d->cohort;
        r.sex = d->sex;
        r.abo = d->abo;
        r.created = d->created;
        r.left_estate = d->left_estate;
        r.training = d->training;
        r.carer = d->carer;
        r.notice = d->notice;
        memcpy(r.donation, d->donation, sizeof r.donation);
        r.completed = d->completed;
        r.donations = d->donations;
        r.completion_age = hsw_years(d->completed - d->created);
        double carer_end = !isnan(d->notice) ? d->notice : end;
        r.carer_years = isnan(d->carer) ? 0.0 : hsw_years(carer_end - d->carer);
        r.partner = d->partner;
        r.deferral = d->deferral;
        r.gallery_works = d->gallery_works;
        r.agitated_donations = d->agitated_donations;
        r.outbursts = d->outbursts;
        r.stage = d->stage;
        r.chip = d->chip;
        int rc = w->sink.donor(w->sink.ctx, &r);
        if (rc != HS_OK)
            return rc;
    }
    return HS_OK;
}

void hsw_programme_free(struct hs_world *w)
{
    free(w->donors);
    free(w->carers);
    free(w->carer_view);
    free(w->carer_tree);
    for (size_t e = 0; e < HS_MAX_ESTATES; e++)
        hsw_fifo_free(&w->carerless[e]);
    hsw_fifo_free(&w->bedq);
    hsw_demand_free(w);
    free(w->houses);
    for (size_t e = 0; e < HS_MAX_ESTATES; e++)
        free(w->room[e]);
}
