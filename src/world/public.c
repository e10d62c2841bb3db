/* SPDX-License-Identifier: MIT
 *
 * public.c - the public ("normals"): the initial population, births, and
 * each person's competing risks.
 *
 * A person has exactly one pending event: the earliest of the risks of
 * their state, each sampled directly from its hazard (no daily ticks):
 *   well      background death; failure of each of the five organs;
 *   listed    background death; death untreated; a living kidney donor;
 *   grafted   background death (raised); graft failure (relisting);
 *   unlisted  background death; death untreated (failure not eligible for
 *             the list: past the listing age, or before transplantation).
 * Background mortality is Siler's infant term and Gompertz-Makeham,
 *     mu(x, t) = a e^{-b x} e^{-j t} + A + m(t) B e^{c x} e^{-k t},
 * with m(t) the factor of any medicine other than organs, a step function
 * of calendar time (1 in the canon: none), so the Gompertz part's
 * cumulative hazard is closed-form on each step and death is drawn exactly
 * across all future steps.  The infant term's cumulative hazard is closed
 * form too (it is finite: a child past it is safe from it).  When
 * transplantation of an organ begins, the unlisted with that failure join
 * the list.
 *
 * The cures are the donors (MODEL.md): each background death draws a cause
 * group (causes.c); from the year a cause's reach is above 0, that share of
 * its deaths can be prevented by replacing its organ.  Such a person is not
 * dead but listed, urgently, with a short survival without the organ
 * (cures.urgent_months); a transplant in time gives them a graft and their
 * risks again, and a later death may be cured again.  A person follows one
 * organ at a time: a curable death of a grafted person lists them for the
 * new organ and forgets the old graft's own failure.
 *
 * Migration (public.migration): immigrants arrive as new people of the
 * public, at a Poisson rate that is the year's net figure; their ages are
 * drawn from the migrants' age groups and their sex from its share.  In a
 * year of net emigration as many leave: each leaver is found by drawing a
 * person slot at random and keeping it with a chance that follows the age
 * profile (rejection: O(1) draws expected), among the well only: the
 * listed, the grafted and the unlisted stay (their lists would have to
 * change), and the programme's donors and carers are not people of the
 * public at all.  A leaver is neither a death nor in the life table.
 *
 * The initial public is drawn person by person (the ages of the start
 * year's pyramid, a blood group, the first pending event); a world made
 * alike another (hs_world_create_alike: the comparison worlds of a run)
 * copies it instead, with the streams' states, which gives the same world.
 *
 * The public's events are the engine's slot-free handler events (tens of
 * millions pending at national scale; none is ever cancelled).  An event's
 * 48-bit datum is the person's index and a 16-bit generation number; an
 * event whose generation or time is stale (it was replaced) does nothing.  A stale event could only be mistaken for the live one if
 * the person's event were replaced 65,536 times while it was pending and
 * the live one fell at exactly the same time: a person's event is replaced
 * only at a listing or a transplant.
 */
#include "world_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void person_event(hs_engine *eng, void *ctx, uint64_t data);
static void birth_event(hs_engine *eng, void *ctx, uint64_t data);
static void migration_event(hs_engine *eng, void *ctx, uint64_t data);

/* An upper bound on e^{c age} hsw_gomp_integral(c, s) for every organ's c
 * (all <= cmax: the integral grows with c), for the test in resample.
 * With cmax > 0 it is (e^{cmax (age + s)} - e^{cmax age}) / cmax, and
 * at most the table's e^{cmax k} / cmax at the next whole year up of
 * age + s (at most max_age: death is capped there) less its value at the
 * whole year down of age, each widened far beyond rounding error; past
 * the table, computed.  With cmax = 0 every organ's integral is s. */
static inline double fail_bound(const struct hs_world *w, double age, double s)
{
    const double cm = w->fail_cmax;
    if (!(cm > 0))
        return s * (1.0 + 1e-9);
    double x = age + s;
    if (age >= 0 && x < (double)(w->nfail_bound - 1))
        return w->fail_bound[(size_t)x + 1] - w->fail_bound[(size_t)age] * (1.0 - 2e-9);
    return exp(cm * age) * hsw_gomp_integral(cm, s) * (1.0 + 1e-9);
}

/* The first organ failure of a well person aged `age`, given the Exp(1)
 * draw e of the organs' summed hazard (see resample): the s in [0, best]
 * at which the summed cumulative hazard H(s) reaches e, or INFINITY if it
 * does not by `best`; *organ is then the organ that failed, drawn in
 * proportion to each organ's hazard at s (the superposition of
 * independent processes).  H is increasing and convex (every c_o >= 0).
 * Each term's integral (e^{c s} - 1) / c is convex in c, so H(s) is at
 * least B G(c_avg, s), with B the organs' summed hazard now and c_avg
 * their c averaged by it (Jensen), whose root is closed-form and so at or
 * past H's: Newton's steps from there come down to the root without
 * passing it, in a few steps (they are kept inside the bracket for
 * rounding's sake). */
static double first_failure(struct hs_world *w, double age, double best, double e, int *organ)
{
    double b0[HS_NORGANS], c[HS_NORGANS], total = 0, bsum = 0, cavg = 0;
    for (int o = 0; o < HS_NORGANS; o++) {
        const struct hs_organ_params *op = &w->p.organ[o];
        c[o] = op->failure_c;
        b0[o] = op->failure_b > 0 ? op->failure_b * exp(c[o] * age) : 0;
        total += b0[o] * hsw_gomp_integral(c[o], best);
        bsum += b0[o];
        cavg += b0[o] * c[o];
    }
    if (!(e < total) || !(bsum > 0))
        return INFINITY;
    cavg /= bsum;
    double start = cavg > 0 ? log1p(e * cavg / bsum) / cavg : e / bsum;
    double lo = 0, hi = best, s = start < best ? start : best;
    for (int it = 0; it < 200; it++) {
        double h = -e, dh = 0;
        for (int o = 0; o < HS_NORGANS; o++) {
            h += b0[o] * hsw_gomp_integral(c[o], s);
            dh += b0[o] * exp(c[o] * s);
        }
        if (h > 0)
            hi = s;
        else
            lo = s;
        double step = dh > 0 ? h / dh : INFINITY;
        if (fabs(step) <= 1e-13 * (1.0 + s))
            break;   /* converged (a step this small may not move s at all) */
        double next = s - step;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (hi - lo <= 1e-13 * (1.0 + hi)) {
            s = next;
            break;
        }
        s = next;
    }
    double rate[HS_NORGANS], sum = 0;
    for (int o = 0; o < HS_NORGANS; o++) {
        rate[o] = b0[o] * exp(c[o] * s);
        sum += rate[o];
    }
    double u = hs_rng_uniform(&w->r_public) * sum;
    *organ = HS_NORGANS - 1;
    while (*organ > 0 && !(rate[*organ] > 0))
        (*organ)--;   /* the last organ that can fail, should rounding leave u past them all */
    for (int o = 0; o < HS_NORGANS; o++) {
        if (rate[o] > 0 && u < rate[o]) {
            *organ = o;
            break;
        }
        u -= rate[o];
    }
    return s;
}

/* Years until the Gompertz part of background death, for p aged `age` at
 * `t` years after the start.  Its hazard s years on is
 *     g0 * m(t + s) * e^{(c - k) s},   g0 = factor B e^{c age - k t},
 * and the other medicine's factor m is a step function of calendar time,
 * so the cumulative hazard is known in closed form on each step and the
 * draw is inverted exactly across the steps: no one needs redrawing when a
 * step arrives.  For men m also holds the male factor (the sex gap by era):
 * the two tables are merged into one step function per sex (mort_steps).
 * The steps after the first one the person is in are whole, and their
 * integrals (w, g: see build_steps) are the same for everyone of a sex,
 * so crossing one costs two multiplications, not an expm1 and an exp: the
 * whole initial population crosses every step. */
static double draw_gompertz_part(struct hs_world *w, const struct person *p, double t,
                                 double age, double factor)
{
    const struct hsw_steps *d = &w->mort_steps[p->sex];
    double b = p->sex ? w->p.mort_b_male : w->p.mort_b_female;
    double cr = w->p.mort_c - w->p.mort_drift;           /* > 0, checked at creation */
    double g0 = factor * b * exp(w->p.mort_c * age - w->p.mort_drift * t);
    double e = hs_dist_exp1(&w->r_public);               /* hazard still to spend */
    double y = w->p.start_year + t;
    size_t k = 0;                                        /* steps begun by now */
    while (k < d->n && d->year[k] <= y)
        k++;
    double v = k > 0 ? d->value[k - 1] : 1.0;            /* the factor in force */
    double s0 = 0.0, grow = 1.0;                         /* grow = e^{cr s0} */
    for (int first = 1;; first = 0) {
        /* the step in force runs from s0 to s1 (years from now) */
        double s1 = k < d->n ? d->year[k] - w->p.start_year - t : INFINITY;
        double rate = g0 * v;
        if (rate > 0) {
            if (isinf(s1))
                return s0 + log1p(e * cr / (rate * grow)) / cr;
            /* hazard over [s0, s1]: rate (e^{cr s1} - e^{cr s0}) / cr */
            double h = rate * grow * (first ? expm1(cr * (s1 - s0)) / cr : d->w[k - 1]);
            if (e < h)
                return s0 + log1p(e * cr / (rate * grow)) / cr;
            e -= h;
        }
        if (isinf(s1))
            return INFINITY;
        grow *= first ? exp(cr * (s1 - s0)) : d->g[k - 1];
        s0 = s1;
        v = d->value[k++];
    }
}

/* Years until the infant term kills p aged `age` at `t` years after the
 * start, or INFINITY.  Its hazard s years on is h0 e^{-(b + j) s}, h0 =
 * factor a e^{-b age - j t}: the whole future holds h0 / (b + j) of
 * hazard, and a draw beyond it means never. */
static double draw_infant_part(struct hs_world *w, double t, double age, double factor)
{
    const struct hs_params *q = &w->p;
    if (!(q->infant_a > 0) || age > 30.0)   /* past 30 its hazard is below 1e-26 */
        return INFINITY;
    double r = q->infant_decline + q->infant_improvement;
    double h0 = factor * q->infant_a * exp(-q->infant_decline * age - q->infant_improvement * t);
    double e = hs_dist_exp1(&w->r_public);
    if (!(r > 0))
        return e / h0;
    double total = h0 / r;
    return e < total ? -log1p(-e / total) / r : INFINITY;
}

/* Years until background death for p at `day` (infant, Makeham and
 * Gompertz parts drawn apart, the earliest wins), capped at the maximum age. */
static double draw_background(struct hs_world *w, const struct person *p, double day,
                              double factor, int *capped)
{
    double age = hsw_years(day - p->birth);
    double s = draw_gompertz_part(w, p, hsw_years(day), age, factor);
    double a = w->p.mort_a * factor;
    if (a > 0) {
        double m = hs_dist_exp1(&w->r_public) / a;
        if (m < s)
            s = m;
    }
    double inf = draw_infant_part(w, hsw_years(day), age, factor);
    if (inf < s)
        s = inf;
    double left = w->p.max_age - age;
    *capped = 0;
    if (!(s < left)) {
        s = left > 0 ? left : 0;
        *capped = 1;
    }
    return s;
}

/* Put person idx's pending event (next_t, gen) in the engine, unless it
 * falls beyond the run. */
static inline int schedule_pending(struct hs_world *w, uint32_t idx)
{
    const struct person *p = &w->people[idx];
    if (p->next_t > w->end_day) /* beyond the run: nothing to schedule */
        return HS_OK;
    return hs_engine_schedule_handler(w->eng, p->next_t, 0, w->h_person,
                                      (uint64_t)idx | ((uint64_t)p->gen << 32));
}

static int schedule_next(struct hs_world *w, uint32_t idx, double years, int next, int organ)
{
    struct person *p = &w->people[idx];
    double now = hs_engine_now(w->eng);
    p->gen++;
    p->next = (uint8_t)next;
    p->next_organ = (uint8_t)organ;
    p->next_t = now + years * DAYS_PER_YEAR;
    if (!(p->next_t >= now))
        p->next_t = now;
    return schedule_pending(w, idx);
}

/* Draw the pending event of person idx from their state, now. */
static int resample(struct hs_world *w, uint32_t idx)
{
    struct person *p = &w->people[idx];
    double now = hs_engine_now(w->eng);
    double age = hsw_years(now - p->birth);
    int capped;
    double factor = p->state == P_GRAFTED ? w->p.post_transplant_mortality : 1.0;
    double best = draw_background(w, p, now, factor, &capped);
    int next = capped ? N_MAXAGE : N_DEATH, organ = 0;
    if (p->state == P_WELL) {
        /* The five organs' failures are independent Gompertz hazards, so
         * the first of them is one process whose hazard is their sum: an
         * organ fails before `best` iff one Exp(1) draw is below the
         * summed cumulative hazard by then, H = sum_o b_o e^{c_o age}
         * (e^{c_o best} - 1) / c_o.  Since every c_o <= cmax and ages are
         * >= 0, H <= (sum_o b_o) Hmax with Hmax a bound on the same
         * integral at cmax (fail_bound: a table lookup), so nearly every
         * person is settled with one draw and no transcendental call;
         * the few below the bound take the exact test (first_failure). */
        double e = hs_dist_exp1(&w->r_public);
        if (e < w->fail_b_sum * fail_bound(w, age, best)) {
            double s_fail = first_failure(w, age, best, e, &organ);
            if (s_fail < best) {
                best = s_fail;
                next = N_FAILURE;
            } else {
                organ = 0;
            }
        }
    } else if (p->state == P_LISTED || p->state == P_UNLISTED) {
        double s = hsw_years(hsw_ext(w, p)->untreated - now);
        if (s < best) {
            best = s < 0 ? 0 : s;
            next = N_UNTREATED;
        }
        if (p->state == P_LISTED && p->organ == HS_ORGAN_KIDNEY && w->living_now > 0 &&
            (double)w->year >= w->p.living_from && w->transplant_on[HS_ORGAN_KIDNEY]) {
            double l = hs_dist_exponential(&w->r_public, w->living_now);
            if (l < best) {
                best = l;
                next = N_LIVING;
            }
        }
        organ = p->organ;
    } else if (p->state == P_GRAFTED) {
        double g = hs_dist_exponential(&w->r_public, 1.0 / w->graft_mean_now[p->organ]);
        if (g < best) {
            best = g;
            next = N_GRAFT_FAIL;
        }
        organ = p->organ;
    }
    return schedule_next(w, idx, best, next, organ);
}

/* The free list can hold every person slot there is. */
static int grow_free_list(struct hs_world *w)
{
    uint32_t *f = realloc(w->free_people, w->cap_people * sizeof *f);
    if (f == NULL)
        return HS_ENOMEM;
    w->free_people = f;
    return HS_OK;
}

static int new_person(struct hs_world *w, double birth, int sex, uint32_t *out)
{
    uint32_t idx;
    if (w->nfree_people > 0) {
        idx = w->free_people[--w->nfree_people];
    } else {
        size_t old = w->cap_people;
        if (w->npeople >= UINT32_MAX - 1 ||
            hsw_grow((void **)&w->people, &w->cap_people, w->npeople + 1,
                     sizeof(struct person)) != HS_OK)
            return HS_ENOMEM;
        if (w->cap_people != old && grow_free_list(w) != HS_OK)
            return HS_ENOMEM;
        idx = (uint32_t)w->npeople++;
        w->people[idx].gen = 0;
        w->people[idx].lgen = 0;
        w->people[idx].ext = 0;
    }
    struct person *p = &w->people[idx];
    uint16_t gen = p->gen;
    uint32_t lgen = p->lgen, ext = p->ext;
    memset(p, 0, sizeof *p);
    p->gen = gen;
    p->lgen = lgen;
    p->ext = ext;
    if (ext != 0) {   /* the slot's side record, reset for its new occupant */
        hsw_ext(w, p)->cf_death = NAN;
        hsw_ext(w, p)->untreated = NAN;
        hsw_ext(w, p)->urgent = 0;
        hsw_ext(w, p)->unlistable = 0;
    }
    p->birth = birth;
    p->sex = (uint8_t)sex;
    double u = hs_rng_uniform(&w->r_public), acc = 0;
    p->abo = HS_ABO_AB;
    for (int g = 0; g < HS_NABO; g++) {
        acc += w->p.abo_share[g];
        if (u < acc) {
            p->abo = (uint8_t)g;
            break;
        }
    }
    p->state = P_WELL;
    long c = (long)(w->p.start_year + floor(birth / DAYS_PER_YEAR)) - w->cohort_base;
    if (c >= 0 && (size_t)c < w->ncohorts)
        w->cohort_alive[2 * c + p->sex] += 1.0;
    w->alive += 1.0;
    *out = idx;
    return HS_OK;
}

static void free_person(struct hs_world *w, uint32_t idx)
{
    struct person *p = &w->people[idx];
    p->state = P_FREE;
    p->gen++;
    p->lgen++;
    w->free_people[w->nfree_people++] = idx;
}

/* A person of the public leaves the country: alive no more, but no death. */
static void leave(struct hs_world *w, uint32_t idx)
{
    const struct person *p = &w->people[idx];
    long c = (long)(w->p.start_year + floor(p->birth / DAYS_PER_YEAR)) - w->cohort_base;
    if (c >= 0 && (size_t)c < w->ncohorts)
        w->cohort_alive[2 * c + p->sex] -= 1.0;
    w->alive -= 1.0;
    free_person(w, idx);
}

/* The distribution of ages over n bins of `step` years from an age table t
 * (each row a group from its age to the next row's, the last to the end of
 * life; the values are a shape): within a group, ages follow the survival
 * curve of the start year's background hazard (b0 the sex's Gompertz B),
 * so that one group from age 0 is the stationary pyramid of that year's
 * mortality.  cdf receives the cumulative shares; rate, when not NULL, each
 * bin's weight per survivor (a group's value over its survivors' years),
 * the largest 1. */
static void build_group_cdf(const struct hs_world *w, double b0, const struct hs_dated *t,
                            double *cdf, double *rate, size_t n, double step)
{
    double lsum[HS_MAX_TABLE] = {0};
    double s = 1.0;
    size_t g = 0;
    /* cdf first holds each bin's survivors, l(x) step */
    for (size_t i = 0; i < n; i++) {
        double x = (double)i * step;
        double h = w->p.mort_a + b0 * w->medicine_now * exp(w->p.mort_c * x) +
                   w->p.infant_a * exp(-w->p.infant_decline * x);
        cdf[i] = s * step;
        while (g + 1 < t->n && t->year[g + 1] <= x)
            g++;
        if (x >= t->year[0])
            lsum[g] += cdf[i];
        s *= exp(-h * step);
    }
    double total = 0.0, top = 0.0;
    g = 0;
    for (size_t i = 0; i < n; i++) {
        double x = (double)i * step;
        while (g + 1 < t->n && t->year[g + 1] <= x)
            g++;
        double per = x >= t->year[0] && lsum[g] > 0 ? t->value[g] / lsum[g] : 0.0;
        if (rate) {
            rate[i] = per;
            top = fmax(top, per);
        }
        total += cdf[i] * per;
        cdf[i] = total;
    }
    for (size_t i = 0; i < n; i++) {
        cdf[i] = total > 0 ? cdf[i] / total : (double)(i + 1) / (double)n;
        if (rate)
            rate[i] = top > 0 ? rate[i] / top : 0.0;
    }
}

/* The sum of a table's values (an age table's people). */
static double values_sum(const struct hs_dated *t)
{
    double sum = 0.0;
    for (size_t i = 0; i < t->n; i++)
        sum += t->value[i];
    return sum;
}

/* One merged step function of calendar time: the product of tables a and
 * b (b may be NULL), each 1 before its first row, with the whole steps'
 * integrals for growth rate cr (see draw_gompertz_part). */
static void build_steps(struct hsw_steps *st, const struct hs_dated *a, const struct hs_dated *b,
                        double cr)
{
    size_t i = 0, j = 0, nb = b ? b->n : 0;
    st->n = 0;
    while (i < a->n || j < nb) {
        double y;
        if (j >= nb || (i < a->n && a->year[i] < b->year[j]))
            y = a->year[i++];
        else if (i >= a->n || b->year[j] < a->year[i])
            y = b->year[j++];
        else
            y = a->year[i++], j++;
        st->year[st->n] = y;
        st->value[st->n] = hsw_dated_value(a, y, 1.0) * (b ? hsw_dated_value(b, y, 1.0) : 1.0);
        st->n++;
    }
    for (size_t k = 0; k + 1 < st->n; k++) {
        double len = st->year[k + 1] - st->year[k];
        st->w[k] = expm1(cr * len) / cr;
        st->g[k] = exp(cr * len);
    }
}

/* A guide to the age table: guide[j] is the first bin whose cdf reaches
 * j / n (n - 1 if none), j = 0..n.  Searching only between the guides
 * around u finds the same bin as searching the whole table (the cdf is
 * non-decreasing), in two or three steps instead of nine mispredicted
 * ones: it is done once per person of the initial population. */
static void build_age_guide(const double *cdf, size_t n, size_t *guide)
{
    size_t i = 0;
    for (size_t j = 0; j <= n; j++) {
        while (i < n - 1 && cdf[i] < (double)j / (double)n)
            i++;
        guide[j] = i;
    }
}

/* The first bin in [lo, hi] whose cdf reaches u (hi if none before it). */
static size_t cdf_search(const double *cdf, size_t lo, size_t hi, double u)
{
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double draw_age(hs_rng *r, const double *cdf, const size_t *guide, size_t n, double step)
{
    double u = hs_rng_uniform(r);
    /* u * n may round up to the next bucket: widen by one on each side */
    size_t j = (size_t)(u * (double)n);
    size_t lo = cdf_search(cdf, guide[j > 0 ? j - 1 : 0], guide[j + 2 <= n ? j + 2 : n], u);
    return ((double)lo + hs_rng_uniform(r)) * step;
}

/* The engine's hint that the person of `data` has the next event. */
static void person_prefetch(void *ctx, uint64_t data)
{
#if defined(__GNUC__)
    const struct hs_world *w = ctx;
    __builtin_prefetch(&w->people[(uint32_t)data]);
#else
    (void)ctx;
    (void)data;
#endif
}

/* The initial public of w->alike, the very one w would draw (see
 * hs_world_create_alike): its people and counts, the states of the two
 * streams that drew them, and each person's pending event scheduled as
 * the drawing world scheduled it, in the same order. */
static int copy_public(struct hs_world *w, const struct hs_world_start *from)
{
    if (hsw_grow((void **)&w->people, &w->cap_people, from->cap_people,
                 sizeof(struct person)) != HS_OK ||
        grow_free_list(w) != HS_OK)
        return HS_ENOMEM;
    memcpy(w->people, from->people, from->npeople * sizeof *w->people);
    memcpy(w->cohort_alive, from->cohort_alive, 2 * w->ncohorts * sizeof *w->cohort_alive);
    w->npeople = from->npeople;
    w->alive = from->alive;
    w->r_init = from->r_init;
    w->r_public = from->r_public;
    int rc = HS_OK;
    for (size_t i = 0; i < w->npeople && rc == HS_OK; i++)
        rc = schedule_pending(w, (uint32_t)i);
    return rc;
}

int hsw_public_init(struct hs_world *w)
{
    /* The factor on B by sex and the integrals of its whole steps (see
     * draw_gompertz_part): over step i, from year[i] to year[i+1] (L
     * years), e^{cr s} grows by g[i] = e^{cr L} and integrates to w[i] =
     * (e^{cr L} - 1) / cr times its value at the step's start. */
    {
        double cr = w->p.mort_c - w->p.mort_drift;
        build_steps(&w->mort_steps[0], &w->p.other_medicine, NULL, cr);
        build_steps(&w->mort_steps[1], &w->p.other_medicine, &w->p.male_factor, cr);
    }
    /* Migration draws on a stream of its own, split from the births' */
    w->r_migration = w->r_births;
    hs_rng_jump(&w->r_migration);
    double male0 = w->p.mort_b_male * hsw_dated_value(&w->p.male_factor, w->p.start_year, 1.0);
    {
        size_t nm = (size_t)ceil(w->p.max_age);
        if (nm > HSW_AGE_BINS)
            nm = HSW_AGE_BINS;
        if (nm < 1)
            nm = 1;
        build_group_cdf(w, w->p.mort_b_female, &w->p.migration_ages, w->mig_cdf[0], NULL, nm,
                        1.0);
        build_group_cdf(w, male0, &w->p.migration_ages, w->mig_cdf[1], w->mig_accept, nm, 1.0);
        for (size_t i = nm; i < HSW_AGE_BINS; i++) {
            w->mig_cdf[0][i] = w->mig_cdf[1][i] = 1.0;
            w->mig_accept[i] = 0.0;
        }
    }
    /* The largest organ failure rate bounds every organ's hazard (see
     * resample); it may be 0, when no organ's hazard grows with age. */
    w->fail_b_sum = 0;
    for (int o = 0; o < HS_NORGANS; o++)
        if (w->p.organ[o].failure_b > 0)
            w->fail_b_sum += w->p.organ[o].failure_b;
    w->fail_cmax = w->p.organ[0].failure_c;
    for (int o = 1; o < HS_NORGANS; o++)
        if (w->p.organ[o].failure_c > w->fail_cmax)
            w->fail_cmax = w->p.organ[o].failure_c;
    if (w->fail_cmax > 0) {
        w->nfail_bound = (size_t)ceil(w->p.max_age) + 2;
        w->fail_bound = malloc(w->nfail_bound * sizeof *w->fail_bound);
        if (w->fail_bound == NULL)
            return HS_ENOMEM;
        for (size_t k = 0; k < w->nfail_bound; k++)
            w->fail_bound[k] = exp(w->fail_cmax * (double)k) / w->fail_cmax * (1.0 + 1e-9);
    }
    if (hs_engine_handler(w->eng, person_event, w, &w->h_person) != HS_OK ||
        hs_engine_handler_prefetch(w->eng, w->h_person, person_prefetch) != HS_OK ||
        hs_engine_handler(w->eng, birth_event, w, &w->h_birth) != HS_OK ||
        hs_engine_handler(w->eng, migration_event, w, &w->h_migration) != HS_OK)
        return HS_ENOMEM;
    if (w->alike != NULL)
        return copy_public(w, w->alike);
    double n0 = floor(w->p.population_initial * w->p.scale + 0.5);
    size_t cap = (size_t)n0 + 1024;
    if (hsw_grow((void **)&w->people, &w->cap_people, cap, sizeof(struct person)) != HS_OK ||
        grow_free_list(w) != HS_OK)
        return HS_ENOMEM;
    const double step = 0.25;
    size_t nbins = (size_t)(w->p.max_age / step);
    if (nbins < 2)
        nbins = 2;
    double *cdf_m = malloc(nbins * sizeof *cdf_m), *cdf_f = malloc(nbins * sizeof *cdf_f);
    size_t *guide_m = malloc((nbins + 1) * sizeof *guide_m);
    size_t *guide_f = malloc((nbins + 1) * sizeof *guide_f);
    if (!cdf_m || !cdf_f || !guide_m || !guide_f) {
        free(cdf_m);
        free(cdf_f);
        free(guide_m);
        free(guide_f);
        return HS_ENOMEM;
    }
    /* The initial public by age group and sex (public.initial_ages) */
    build_group_cdf(w, male0, &w->p.initial_ages[1], cdf_m, NULL, nbins, step);
    build_group_cdf(w, w->p.mort_b_female, &w->p.initial_ages[0], cdf_f, NULL, nbins, step);
    double nmale = values_sum(&w->p.initial_ages[1]), nfemale = values_sum(&w->p.initial_ages[0]);
    double share_male = nmale / (nmale + nfemale);   /* both > 0: checked */
    build_age_guide(cdf_m, nbins, guide_m);
    build_age_guide(cdf_f, nbins, guide_f);
    int rc = HS_OK;
    for (double i = 0; i < n0 && rc == HS_OK; i++) {
        int sex = hs_rng_uniform(&w->r_init) < share_male;
        double age = sex ? draw_age(&w->r_init, cdf_m, guide_m, nbins, step)
                         : draw_age(&w->r_init, cdf_f, guide_f, nbins, step);
        uint32_t idx;
        rc = new_person(w, -age * DAYS_PER_YEAR, sex, &idx);
        if (rc == HS_OK)
            rc = resample(w, idx);
    }
    free(guide_m);
    free(guide_f);
    free(cdf_m);
    free(cdf_f);
    return rc;
}

/* Births per year at `year`, interpolated linearly between table rows. */
static double births_at(const struct hs_world *w, double year)
{
    const struct hs_dated *d = &w->p.births;
    if (d->n == 0)
        return 0.0;
    if (year <= d->year[0])
        return d->value[0];
    for (size_t i = 1; i < d->n; i++)
        if (year < d->year[i]) {
            double f = (year - d->year[i - 1]) / (d->year[i] - d->year[i - 1]);
            return d->value[i - 1] + f * (d->value[i] - d->value[i - 1]);
        }
    return d->value[d->n - 1];
}

static int schedule_birth(struct hs_world *w)
{
    double now = hs_engine_now(w->eng);
    double year = w->p.start_year + hsw_years(now);
    double rate = births_at(w, year) * w->p.scale / DAYS_PER_YEAR;   /* per day */
    if (rate <= 0) /* no births: look again next year */
        return hs_engine_schedule_handler(w->eng, now + DAYS_PER_YEAR, 0, w->h_birth, 1);
    return hs_engine_schedule_handler(w->eng, now + hs_dist_exponential(&w->r_births, rate), 0,
                                      w->h_birth, 0);
}

static void birth_event(hs_engine *eng, void *ctx, uint64_t data)
{
    struct hs_world *w = ctx;
    if (data == 0) {
        uint32_t idx;
        int sex = hs_rng_uniform(&w->r_births) < w->p.share_male;
        if (new_person(w, hs_engine_now(eng), sex, &idx) != HS_OK || resample(w, idx) != HS_OK) {
            w->sink_status = HS_ENOMEM;
            hs_engine_stop(eng);
            return;
        }
        w->acc.row.births += 1.0;
    }
    if (schedule_birth(w) != HS_OK) {
        w->sink_status = HS_ENOMEM;
        hs_engine_stop(eng);
    }
}

/* Net migration per year at `year`, at scale 1: the row in force. */
static double migration_at(const struct hs_world *w, double year)
{
    return hsw_dated_value(&w->p.migration, year, 0.0);
}

/* The day the migration table next changes after `year`, or INFINITY. */
static double migration_change(const struct hs_world *w, double year)
{
    const struct hs_dated *d = &w->p.migration;
    for (size_t i = 0; i < d->n; i++)
        if (d->year[i] > year)
            return (d->year[i] - w->p.start_year) * DAYS_PER_YEAR;
    return INFINITY;
}

/* The next migrant: the rate is constant until the table's next row, so a
 * draw beyond that day is replaced by a fresh look on it (data 0); data 1
 * is an immigrant, 2 a leaver. */
static int schedule_migration(struct hs_world *w)
{
    double now = hs_engine_now(w->eng);
    double year = w->p.start_year + hsw_years(now);
    double net = migration_at(w, year);
    double rate = fabs(net) * w->p.scale / DAYS_PER_YEAR;   /* per day */
    double change = migration_change(w, year);
    double t = rate > 0 ? now + hs_dist_exponential(&w->r_migration, rate) : INFINITY;
    uint64_t what = net > 0 ? 1 : 2;
    if (!(t < change)) {
        t = change;
        what = 0;
    }
    if (!(t <= w->end_day))   /* beyond the run (or never) */
        return HS_OK;
    return hs_engine_schedule_handler(w->eng, t, 0, w->h_migration, what);
}

/* A whole year of age from a cdf over HSW_AGE_BINS bins, and a uniform
 * place within it. */
static double draw_migrant_age(hs_rng *r, const double *cdf)
{
    double u = hs_rng_uniform(r);
    size_t lo = cdf_search(cdf, 0, HSW_AGE_BINS - 1, u);
    return ((double)lo + hs_rng_uniform(r));
}

/* The most slots drawn for one leaver before the year's emigration gives
 * up on them (a public of almost no one well at a migrating age). */
#define LEAVER_TRIES 1000

static int one_migrant(struct hs_world *w, uint64_t what)
{
    double now = hs_engine_now(w->eng);
    if (what == 1) {
        int sex = hs_rng_uniform(&w->r_migration) < w->p.migration_share_male;
        double age = draw_migrant_age(&w->r_migration, w->mig_cdf[sex]);
        if (age > w->p.max_age)
            age = w->p.max_age;
        uint32_t idx;
        int rc = new_person(w, now - age * DAYS_PER_YEAR, sex, &idx);
        w->acc.row.immigrants += rc == HS_OK;
        return rc == HS_OK ? resample(w, idx) : rc;
    }
    for (int k = 0; k < LEAVER_TRIES && w->npeople > 0; k++) {
        uint32_t idx = (uint32_t)hs_rng_below(&w->r_migration, w->npeople);
        const struct person *p = &w->people[idx];
        if (p->state != P_WELL)
            continue;
        double age = hsw_years(now - p->birth);
        size_t a = age < 0 ? 0 : (size_t)age;
        if (a >= HSW_AGE_BINS || !(hs_rng_uniform(&w->r_migration) < w->mig_accept[a]))
            continue;
        leave(w, idx);
        w->acc.row.emigrants += 1.0;
        break;
    }
    return HS_OK;
}

static void migration_event(hs_engine *eng, void *ctx, uint64_t data)
{
    struct hs_world *w = ctx;
    if ((data != 0 && one_migrant(w, data) != HS_OK) || schedule_migration(w) != HS_OK) {
        w->sink_status = HS_ENOMEM;
        hs_engine_stop(eng);
    }
}

int hsw_birth_start(struct hs_world *w)
{
    int rc = schedule_birth(w);
    return rc == HS_OK ? schedule_migration(w) : rc;
}

static void die(struct hs_world *w, uint32_t idx, int counted_waiting)
{
    struct person *p = &w->people[idx];
    double now = hs_engine_now(w->eng);
    if (p->state == P_LISTED) {
        w->waiting[p->organ] -= 1.0;
        if (counted_waiting) {
            w->acc.row.deaths_waiting += 1.0;
            w->acc.row.deaths_waiting_by[p->organ] += 1.0;
        }
        if (hsw_ext(w, p)->urgent)
            w->acc.row.deaths_uncured += 1.0;
    }
    if (p->ext != 0 && !isnan(hsw_ext(w, p)->cf_death))
        w->sum.life_years_gained +=
            hsw_years(fmin(now, w->end_day) - fmin(hsw_ext(w, p)->cf_death, w->end_day));
    hsw_count_death(w, p, now);
    free_person(w, idx);
}

static int eligible(const struct hs_world *w, const struct person *p, int organ)
{
    double age = hsw_years(hs_engine_now(w->eng) - p->birth);
    return w->transplant_on[organ] && age <= w->p.max_listing_age &&
           !(p->ext != 0 && hsw_ext(w, p)->unlistable);
}

/* p's side record, made at its first need in this slot. */
static int need_ext(struct hs_world *w, struct person *p)
{
    if (p->ext != 0)
        return HS_OK;
    if (w->npext >= UINT32_MAX - 1 ||
        hsw_grow((void **)&w->pext, &w->cap_pext, w->npext + 1, sizeof *w->pext) != HS_OK)
        return HS_ENOMEM;
    w->pext[w->npext].cf_death = NAN;
    w->pext[w->npext].urgent = 0;
    w->pext[w->npext].unlistable = 0;
    p->ext = (uint32_t)++w->npext;
    return HS_OK;
}

/* Organ failure (or graft failure): list the person, or leave them to
 * their untreated course when they cannot be listed. */
static int fail_organ(struct hs_world *w, uint32_t idx, int organ)
{
    struct person *p = &w->people[idx];
    double now = hs_engine_now(w->eng);
    p->organ = (uint8_t)organ;
    if (need_ext(w, p) != HS_OK)
        return HS_ENOMEM;
    hsw_ext(w, p)->untreated = now + DAYS_PER_YEAR *
                   hs_dist_exponential(&w->r_public, 1.0 / w->p.organ[organ].untreated_mean);
    hsw_ext(w, p)->urgent = 0;
    /* Whether this failure is ever listed is drawn once, at the failure
     * (only while the organ's listed share is below 1, so that a world
     * listing everyone draws nothing here). */
    double share = hsw_dated_value(&w->p.organ[organ].listed, (double)w->year, 1.0);
    hsw_ext(w, p)->unlistable = share < 1 && !(hs_rng_uniform(&w->r_public) < share);
    if (eligible(w, p, organ))
        return hsw_list(w, idx);
    p->state = P_UNLISTED;
    return resample(w, idx);
}

void hsw_cures_year(struct hs_world *w)
{
    /* Without a supply of organs there are no cures: the world without the
     * programme has none of them (MODEL.md). */
    const struct hs_params *p = &w->p;
    int supply = p->programme || p->perfect_supply || w->deceased_now > 0 || w->living_now > 0;
    w->cures_now = 0;
    if (!supply) {
        for (int c = 0; c < HS_NCAUSES; c++)
            w->reach_now[c] = 0;
        return;
    }
    for (int c = 0; c < HS_NCAUSES; c++) {
        const struct hs_cure_params *cp = &w->p.cure[c];
        double r = cp->organ == HS_ORGAN_NONE ? 0.0 : hsw_dated_value(&cp->reach, w->year, 0.0);
        w->reach_now[c] = r;
        w->cures_now |= r > 0;
    }
}

/* The organ that could prevent this background death of p, or -1: the
 * death's cause group is drawn, then whether it is within the cure's reach
 * this year (on a stream of its own, so that the worlds with and without
 * the cures draw the same lives). */
static int curable(struct hs_world *w, const struct person *p)
{
    if (!w->cures_now)
        return -1;
    double now = hs_engine_now(w->eng), age = hsw_years(now - p->birth);
    int c = hsw_draw_cause(&w->r_causes, age, w->p.start_year + hsw_years(now));
    int organ = w->p.cure[c].organ;
    double u = hs_rng_uniform(&w->r_causes);
    if (!(u < w->reach_now[c]) || organ == HS_ORGAN_NONE || !eligible(w, p, organ))
        return -1;
    return organ;
}

/* A curable death: list p urgently for the organ that cures it. */
static int cure_listing(struct hs_world *w, uint32_t idx, int organ)
{
    struct person *p = &w->people[idx];
    if (need_ext(w, p) != HS_OK)
        return HS_ENOMEM;
    struct person_ext *x = hsw_ext(w, p);
    x->untreated = hs_engine_now(w->eng) +
                   DAYS_PER_YEAR * hs_dist_exponential(&w->r_causes,
                                                       12.0 / w->p.cure_urgent_months);
    x->urgent = 1;
    x->unlistable = 0;
    p->organ = (uint8_t)organ;
    w->acc.row.curable_deaths += 1.0;
    return hsw_list(w, idx);
}

static void person_event(hs_engine *eng, void *ctx, uint64_t data)
{
    struct hs_world *w = ctx;
    uint32_t idx = (uint32_t)data;
    struct person *p = &w->people[idx];
    if (p->state == P_FREE || p->gen != (uint32_t)(data >> 32) ||
        p->next_t != hs_engine_now(eng))
        return; /* replaced */
    int rc = HS_OK;
    {
        switch (p->next) {
        case N_DEATH: {
            int organ = p->state == P_WELL || p->state == P_GRAFTED ? curable(w, p) : -1;
            if (organ >= 0) {
                rc = cure_listing(w, idx, organ);
                break;
            }
            if (p->state == P_WELL)
                hsw_deceased_donation(w, p);
            die(w, idx, 1);
            break;
        }
        case N_MAXAGE:
        case N_UNTREATED:
            die(w, idx, 1);
            break;
        case N_FAILURE:
            rc = fail_organ(w, idx, p->next_organ);
            break;
        case N_LIVING:
            w->acc.row.living_donors += 1.0;
            hsw_person_transplant(w, idx, HS_ORGAN_KIDNEY, SRC_LIVING);
            break;
        case N_GRAFT_FAIL:
            rc = fail_organ(w, idx, p->organ);
            break;
        default:
            break;
        }
    }
    if (rc != HS_OK) {
        w->sink_status = rc;
        hs_engine_stop(eng);
    }
}

/* Called by the allocator: `idx` (listed for `organ`) receives one. */
void hsw_person_transplant(struct hs_world *w, uint32_t idx, int organ, int source)
{
    struct person *p = &w->people[idx];
    struct person_ext *x = hsw_ext(w, p);   /* listed, so it has one */
    if (isnan(x->cf_death))
        x->cf_death = (p->next == N_DEATH || p->next == N_MAXAGE) && p->next_t < x->untreated
                          ? p->next_t : x->untreated;
    w->waiting[organ] -= 1.0;
    if (x->urgent)
        w->acc.row.cured += 1.0;
    x->urgent = 0;
    p->state = P_GRAFTED;
    p->lgen++;
    w->acc.row.transplants += 1.0;
    w->acc.row.transplants_by[organ] += 1.0;
    if (source == SRC_PROGRAMME)
        w->acc.row.transplants_programme += 1.0;
    else if (source == SRC_DECEASED)
        w->acc.row.transplants_deceased += 1.0;
    else if (source == SRC_LIVING)
        w->acc.row.transplants_living += 1.0;
    if (resample(w, idx) != HS_OK) {
        w->sink_status = HS_ENOMEM;
        hs_engine_stop(w->eng);
    }
}

/* Called by the allocator after a listing, to draw the listed risks. */
int hsw_person_listed(struct hs_world *w, uint32_t idx)
{
    return resample(w, idx);
}

int hsw_list_the_unlisted(struct hs_world *w)
{
    for (size_t i = 0; i < w->npeople; i++) {
        struct person *p = &w->people[i];
        if (p->state == P_UNLISTED && eligible(w, p, p->organ) &&
            hsw_list(w, (uint32_t)i) != HS_OK)
            return HS_ENOMEM;
    }
    return HS_OK;
}

/* A death at donor age may give organs (real-world supply). */
void hsw_deceased_donation(struct hs_world *w, const struct person *p)
{
    double age = hsw_years(hs_engine_now(w->eng) - p->birth);
    if (w->deceased_now <= 0 || age < w->p.deceased_min_age || age > w->p.deceased_max_age)
        return;
    if (hs_rng_uniform(&w->r_deceased) >= w->deceased_now)
        return;
    w->acc.row.deceased_donors += 1.0;
    for (int o = 0; o < HS_NORGANS; o++) {
        if (!w->transplant_on[o])
            continue;
        double y = w->p.organ[o].deceased_yield * w->activity_now[o];
        int n = (int)y + (hs_rng_uniform(&w->r_deceased) < y - floor(y));
        for (int k = 0; k < n; k++)
            hsw_offer(w, o, p->abo, SRC_DECEASED);
    }
}

/* At the end: recipients still alive have gained life up to the end. */
void hsw_public_finish(struct hs_world *w)
{
    for (size_t i = 0; i < w->npeople; i++) {
        const struct person *p = &w->people[i];
        if (p->state != P_FREE && p->ext != 0 && !isnan(hsw_ext(w, p)->cf_death))
            w->sum.life_years_gained +=
                hsw_years(w->end_day - fmin(hsw_ext(w, p)->cf_death, w->end_day));
    }
}
