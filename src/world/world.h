/* SPDX-License-Identifier: MIT
 *
 * world.h - the model of the donation programme, run on the event engine.
 *
 * A world is created from validated parameters and a (seed, replication)
 * pair, runs from the scenario's first year to its last, and reports what
 * happens through a sink: one row per year, one per donation, one per chip
 * reading, one per donor at the end.  It knows nothing of files.
 */
#ifndef HS_WORLD_H
#define HS_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "params.h"

/* One calendar year, as written to yearly.csv. Counts are events during
 * the year unless the comment says "at year end". */
struct hs_year_row {
    int year;
    double public_alive;          /* at year end */
    double life_expectancy;       /* period e0 from the year's deaths and exposures */
    double reached_100;           /* people whose 100th birthday fell in the year */
    double births, public_deaths;
    double immigrants, emigrants; /* who joined and who left the public (migration) */
    double listings, waiting, transplants, deaths_waiting;
    double listings_by[HS_NORGANS], waiting_by[HS_NORGANS];
    double transplants_by[HS_NORGANS], deaths_waiting_by[HS_NORGANS];
    double transplants_programme, transplants_deceased, transplants_living;
    double deceased_donors, living_donors;
    double donors_created, students, carers, donors;   /* stages at year end */
    double donations, completions, organs_wasted;
    double donors_without_carer;  /* donors who went without a carer in the year */
    double agitated, outbursts;
    double deferral_applications, deferrals_granted;
    double gallery_size;          /* at year end */
    double organs_planned;        /* organs planned for this year when its cohorts were made */
    double waiting_for_bed;       /* donations that had to wait for a bed */
    double curable_deaths;        /* deaths the cures could prevent: listed urgently */
    double cured;                 /* of those listed urgently, transplanted in time */
    double deaths_uncured;        /* listed urgently and died without the organ */
    double life_expectancy_all;   /* period e0 counting the donors as people */
    double life_expectancy_male, life_expectancy_female;   /* the public's, by sex */
    double organs_wasted_by[HS_NORGANS];
    double organs_offered_by[HS_NORGANS]; /* organs offered (every source), by organ */
};

/* Stages of a donor's life. */
enum hs_stage { HS_STAGE_STUDENT, HS_STAGE_COTTAGES, HS_STAGE_TRAINING, HS_STAGE_CARER,
                HS_STAGE_DONOR, HS_STAGE_COMPLETED, HS_STAGE_RELEASED };

enum hs_deferral { HS_DEFERRAL_NONE, HS_DEFERRAL_REFUSED, HS_DEFERRAL_GRANTED };

/* One donor, as written to the donors table.  Times are in days from the
 * scenario start; a stage not reached is NaN. */
struct hs_donor_row {
    uint32_t id;
    char name[32];                /* "Kathy H." */
    const char *estate;
    const char *cottages;
    int64_t house;                /* at one of the other halfway houses: which (1, 2, ...);
                                     else -1 */
    int cohort;
    int sex;                      /* 0 female, 1 male */
    int abo;
    double created, left_estate, training, carer, notice;
    double donation[HS_MAX_DONATIONS];
    double completed;
    int donations;
    double completion_age;        /* NaN if not completed */
    double carer_years;
    int64_t partner;              /* -1 if none */
    int deferral;                 /* enum hs_deferral */
    int gallery_works;
    int agitated_donations;
    int outbursts;
    int stage;                    /* at the end of the run */
    uint64_t chip;                /* tracking chip number */
};

struct hs_donation_row {
    uint32_t donor;
    int number;                   /* 1..4 */
    double t;
    const char *centre;
    uint32_t organs;              /* bit set of organs taken */
    int completed;                /* 1 if the donor completed here */
    int64_t carer;                /* -1 if none */
    int agitated;
    double bed_wait_days;
};

struct hs_move_row {
    uint32_t donor;
    uint64_t chip;
    double t;
    const char *place;
};

/* The rows' strings (names of estates, places, centres) belong to the
 * world and are valid only during the call: copy what you keep. */
struct hs_world_sink {
    void *ctx;
    int (*year)(void *ctx, const struct hs_year_row *r);
    int (*donation)(void *ctx, const struct hs_donation_row *r);
    int (*move)(void *ctx, const struct hs_move_row *r);
    int (*donor)(void *ctx, const struct hs_donor_row *r);
};

/* Headline figures of a run (docs/outputs.md). */
struct hs_summary {
    uint64_t events;
    double years;
    double public_alive_end, life_expectancy_end, life_expectancy_mean;
    double reached_100_total;
    double donors_created, donors_completed, donations_total;
    double donors_per_1000_births;         /* donors created per 1,000 births of the public */
    double donors_consumed_per_year;       /* completions per programme year */
    double donors_share_of_england;        /* completions per year / public alive */
    double median_completion_age;
    double mean_donations_per_donor;
    double transplants_total, transplants_programme;
    double deaths_waiting_total, organs_wasted_total;
    double life_years_gained;              /* by transplant recipients, to the end */
    double life_years_per_donor;           /* per completed donor */
    double life_years_taken;               /* from the donors who completed: the years a
                                              member of the public would have had left */
    double life_years_taken_per_donor;
    double life_expectancy_all_end;        /* e0 in the last year, donors counted */
    /* the programme's paired gains: this world against the same world, seed
     * and replication without the programme or its cures (hs_summary_pair);
     * NaN when that world was not run */
    double gain_life_expectancy;           /* e0 in the last year, with minus without */
    double gain_life_expectancy_all;       /* the same, the donors counted as people */
    double gain_deaths_avoided;            /* deaths of the public, without minus with */
    double agitated_total, outbursts_total;
    double deferral_applications, deferrals_granted;
    double gallery_size;
    double carer_years_mean, carer_years_p95;
    double donors_without_carer_total;
    double ready_wait_days;                /* on demand: mean days waited, ready (NaN
                                              on the rhythm) */
    double curable_deaths_total, cured_total, deaths_uncured_total;
    /* bookkeeping, for checks: every organ offered is transplanted, wasted,
     * or still within its viability time when the run ends */
    double organs_offered, organs_pooled_end;
    double births_total, public_deaths_total, public_initial;
    double caseload_max;       /* the most donors a carer ever attended at once */
    double beds_overbooked;    /* donations placed in a centre with no free bed (must be 0) */
};

/* A cause group of death (causes.c): its name in files, what it covers,
 * and the organ that cures it in the canonical world (or HS_ORGAN_NONE). */
struct hs_cause_info {
    const char *name;
    const char *what;
    int organ;
};
extern const struct hs_cause_info hs_causes[HS_NCAUSES];
/* The share of cause group `cause` among the deaths at `age` in `year`. */
double hs_cause_share(int cause, double age, double year);

struct hs_world;

/* Create a world.  On failure returns a negative status and writes a
 * one-line reason into err. */
int hs_world_create(const struct hs_params *p, uint64_t seed, uint64_t replication,
                    const struct hs_world_sink *sink, struct hs_world **out,
                    char *err, size_t errlen);
/* A world's initial public, kept apart so that other worlds can start
 * from it (hs_world_create_alike) while the world itself runs. */
struct hs_world_start;
/* Take the initial public of w, made and not yet run (HS_EINVAL if it
 * has run).  *out is the caller's, to free with hs_world_start_free. */
int hs_world_start_take(const struct hs_world *w, struct hs_world_start **out);
void hs_world_start_free(struct hs_world_start *s);
/* Create a world as hs_world_create does, copying its initial public
 * from `start` when that is the one it would draw: taken from a world
 * made with the same seed and replication and the same public's start
 * (the population, its ages and blood groups, mortality and organ
 * failures: world.c).  The world is then the one hs_world_create would
 * make, the same in every draw, made without drawing its people again;
 * otherwise (or when start is NULL) it draws its own.  start is only
 * read, and only during the call. */
int hs_world_create_alike(const struct hs_world_start *start, const struct hs_params *p,
                          uint64_t seed, uint64_t replication,
                          const struct hs_world_sink *sink, struct hs_world **out,
                          char *err, size_t errlen);
/* 1 if w's initial public was copied (hs_world_create_alike), else 0. */
int hs_world_public_copied(const struct hs_world *w);
/* Run to the end year.  progress(ctx, year) is called at each year end
 * when not NULL.  Returns HS_OK or a negative status (a sink failed). */
int hs_world_run(struct hs_world *w, void (*progress)(void *ctx, int year, uint64_t events),
                 void *ctx);
void hs_world_summary(const struct hs_world *w, struct hs_summary *s);
/* The same world without the programme or any of its cures. */
void hs_params_without_programme(struct hs_params *p);
/* Fill s's paired gains from the same world without the programme. */
void hs_summary_pair(struct hs_summary *s, const struct hs_summary *without);

/* Estimated bytes needed for these parameters (for refusing huge runs). */
double hs_world_memory_estimate(const struct hs_params *p);
/* Estimated bytes of a world's initial public taken apart from it
 * (hs_world_start_take). */
double hs_world_start_memory_estimate(const struct hs_params *p);
/* The bytes this process may use: the smallest of its control group's
 * limit (v2 or v1, its own group's or the nearest parent's), its
 * address-space limit and the physical memory; where it comes from, as a
 * phrase, into source.  INFINITY when none is known (memory.c). */
double hs_memory_limit(char *source, size_t n);
void hs_world_destroy(struct hs_world *w);

const char *hs_organ_name(int organ);
const char *hs_abo_name(int abo);
const char *hs_stage_name(int stage);

#endif
