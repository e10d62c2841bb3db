/* SPDX-License-Identifier: MIT
 *
 * params.h - every parameter of the world model, with its meaning and unit.
 *
 * A scenario file (YAML, docs/scenario.md) fills this struct through the
 * schema of src/scenario/schema.c, which also gives the values a key takes
 * when the file leaves it out (hs_params_default).  The world reads this
 * struct and knows nothing of how it was filled.  Times of day are days, durations
 * are years unless the name says otherwise, ages are years, rates are per
 * year, probabilities are in [0, 1].  Dated tables are sorted by year.
 */
#ifndef HS_WORLD_PARAMS_H
#define HS_WORLD_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "hailsham/pes.h"

enum { HS_ORGAN_KIDNEY, HS_ORGAN_LIVER, HS_ORGAN_HEART, HS_ORGAN_LUNG,
       HS_ORGAN_PANCREAS, HS_NORGANS };
enum { HS_ABO_O, HS_ABO_A, HS_ABO_B, HS_ABO_AB, HS_NABO };
/* Cause groups of death (src/world/causes.c holds their names and shares). */
enum { HS_CAUSE_CIRCULATORY, HS_CAUSE_LUNG_CANCER, HS_CAUSE_OTHER_CANCERS, HS_CAUSE_RESPIRATORY,
       HS_CAUSE_LIVER, HS_CAUSE_RENAL, HS_CAUSE_DIABETES, HS_CAUSE_EXTERNAL,
       HS_CAUSE_INFECTIONS, HS_CAUSE_DEMENTIA, HS_CAUSE_INFANT, HS_CAUSE_OTHER, HS_NCAUSES };
#define HS_ORGAN_NONE HS_NORGANS   /* a cause no organ can cure */

#define HS_MAX_TABLE 64      /* rows in a dated table */
#define HS_MAX_ESTATES 8
#define HS_MAX_PLACES 8      /* Cottages-like places, recovery centres */
#define HS_MAX_DONATIONS 4
#define HS_NAME_MAX 48

/* A value that changes at dated steps: value[i] holds from year[i] on. */
struct hs_dated {
    size_t n;
    double year[HS_MAX_TABLE];
    double value[HS_MAX_TABLE];
};

struct hs_organ_params {
    double failure_b;          /* Gompertz failure hazard at age 0, per year */
    double failure_c;          /* its rate of increase with age, per year of age */
    double untreated_mean;     /* mean survival once listed, untreated, years */
    double graft_mean;         /* mean graft survival, years (graft failure relists) */
    double viability_hours;    /* cold ischaemia limit: an organ unmatched this long is wasted */
    double match_days;         /* mean wait after listing before an organ can suit the patient
                                  (size, tissue type, condition); 0: at once */
    double transplant_from;    /* calendar year transplantation of this organ begins */
    double deceased_yield;     /* organs of this kind used per deceased donor (real world) */
    struct hs_dated activity;  /* share of that yield the era's centres transplant, by year;
                                  0: none, and failures are not listed (a moratorium) */
    struct hs_dated graft_factor; /* factor on graft_mean by year (immunosuppression eras) */
    struct hs_dated listed;    /* share of end-stage failures listed at all, by year */
};

/* The cures of one cause group: the organ whose replacement prevents such a
 * death, and the share of the group's deaths that it can prevent, by year. */
struct hs_cure_params {
    int organ;                 /* HS_ORGAN_*, or HS_ORGAN_NONE */
    struct hs_dated reach;     /* share of the group's deaths curable, from each year on */
};

struct hs_estate_params {
    char name[HS_NAME_MAX];
    double share;              /* share of each cohort placed here while open */
    double opens, closes;      /* calendar years; closes = 0 means never */
    int humane;                /* 1 for Hailsham-like estates (guardians, art, Gallery) */
    int gallery;               /* 1 if Madame collects art here (Hailsham) */
};

struct hs_place_params {
    char name[HS_NAME_MAX];
    double share;              /* share of leavers (Cottages-like) or donations (centres) */
    double beds;               /* recovery beds (centres only), at scale 1 */
    double residents;          /* the most it holds at once (Cottages-like only; 0: no
                                  limit): a leaver sent to a full place goes to one of
                                  the other houses */
};

struct hs_params {
    /* scenario */
    char name[HS_NAME_MAX];
    double start_year;          /* first simulated year, e.g. 1950 */
    double end_year;            /* the run stops at the start of this year */
    double scale;               /* population scale factor, (0, 1] */
    double calibrated_scale;    /* the scale the lists were calibrated at (0: none) */
    enum hs_pes_kind pes;       /* not a scenario key: the pending-event set,
                                   HS_PES_AUTO unless measuring (run --pes) */

    /* the public */
    double population_initial;  /* people at start_year, at scale 1 */
    struct hs_dated births;     /* live births per year, at scale 1 */
    double share_male;          /* share of births that are male */
    struct hs_dated initial_ages[2]; /* the public at start_year by age group, women [0]
                                   and men [1]: a shape, scaled to population_initial */
    struct hs_dated migration;  /* net migrants per year at scale 1, by year (below 0:
                                   emigration) */
    struct hs_dated migration_ages; /* migrants by age group: a shape */
    double migration_share_male; /* share of migrants who are men */
    double abo_share[HS_NABO];  /* O, A, B, AB */
    double mort_a;              /* Makeham term A, per year */
    double mort_b_male;         /* Gompertz B for men at start_year, per year */
    double mort_b_female;       /* and for women */
    struct hs_dated male_factor; /* factor on mort_b_male by year (the sex gap's eras) */
    double mort_c;              /* Gompertz c, per year of age */
    double mort_drift;          /* yearly decline of B (improvement), per year */
    struct hs_dated other_medicine; /* factor on B from medicine other than organs (1 = none) */
    double infant_a;            /* infant and child hazard at birth, per year (Siler) */
    double infant_decline;      /* its decline with age, per year of age */
    double infant_improvement;  /* its yearly relative decline, per year */
    double max_age;             /* nobody lives past this age (table closes here) */
    double post_transplant_mortality; /* factor on background hazard while grafted */
    double max_listing_age;     /* organ failure past this age is not listed */
    struct hs_organ_params organ[HS_NORGANS];

    /* the cures: deaths prevented by replacing an organ */
    double cure_urgent_months;  /* mean survival of a curable death without its organ */
    struct hs_cure_params cure[HS_NCAUSES];
    int perfect_supply;         /* not a scenario key: every listing gets its organ at
                                   once (the ceiling world of `run`) */

    /* allocation */
    int priority_urgency;       /* 0: first listed first; 1: most urgent first */
    int abo_identical_first;    /* 1: identical group before merely compatible */
    double deceased_share;      /* share of deaths at donor ages that donate (real world) */
    struct hs_dated deceased_trend; /* factor on deceased_share by year */
    double deceased_min_age, deceased_max_age;
    double living_rate;         /* living kidney donors per listed kidney patient per year */
    double living_from;         /* calendar year living donation begins */
    struct hs_dated living_trend; /* factor on living_rate by year */

    /* the programme */
    int programme;              /* 0: no programme at all (real world) */
    double programme_start;     /* first cohort year */
    double programme_end;       /* no notices after this year; 0 = never ends */
    int cohort_planned;         /* 1: plan from forecast demand; 0: fixed table */
    struct hs_dated cohort_size;/* fixed cohort sizes per year, at scale 1 */
    double plan_lead_years;     /* forecast horizon when planning (about 30) */
    double plan_margin;         /* safety margin on planned organs (e.g. 1.1) */
    double plan_growth;         /* yearly growth of listings the planner assumes */
    double plan_min_cohort;     /* planned cohorts are at least this, at scale 1 */
    size_t n_estates;
    struct hs_estate_params estate[HS_MAX_ESTATES];
    char fallback_estate[HS_NAME_MAX]; /* where cohorts go when their estate closes */
    double leave_age_mean, leave_age_sd;     /* leaving the estate */
    size_t n_cottages;
    struct hs_place_params cottages[HS_MAX_PLACES];
    char halfway_name[HS_NAME_MAX];          /* what the other houses are called */
    double halfway_residents;                /* the most one of them holds at once */
    double cottages_years_mean, cottages_years_sd; /* stay before training, lognormal */
    double training_years;                   /* carer training (the Courses) */
    double carer_years_median;               /* carer tenure: lognormal median */
    double carer_years_sigma;                /* and log-sd (long tail) */
    double carer_caseload;                   /* donors a carer attends at once */
    double carer_privilege_share;            /* best share of carers who choose donors */
    double carer_reassign_days;              /* days between the rounds that give carerless
                                                donors a carer (0: at once) */
    double notice_days;                      /* notice before the first donation */
    int donation_on_demand;                  /* 0: on a fixed rhythm; 1: on demand, organs
                                                taken to order (demand.c) */
    double demand_wait_days;                 /* on demand: the longest a ready donor or a
                                                carer due a notice waits for an order */
    double recovery_months_mean;             /* recovery between donations, gamma mean */
    double recovery_shape;                   /* gamma shape */
    double complete_prob[HS_MAX_DONATIONS];  /* chance to complete at donation k */
    uint32_t donation_organs[HS_MAX_DONATIONS]; /* bit set of organs taken at donation k */
    size_t n_centres;
    struct hs_place_params centre[HS_MAX_PLACES];
    double agitation_base;                   /* chance of agitation per donation */
    double agitation_no_carer;               /* factor when without a carer */
    double agitation_refused;                /* factor after a refused deferral */
    double agitation_good_carer;             /* factor with a privileged carer */
    double agitation_recovery_factor;        /* recovery time factor when agitated */
    double outburst_rate;                    /* outbursts per agitated donation (Poisson mean) */
    double couple_share;                     /* share of donors in a couple */
    double deferral_apply_prob;              /* couple applies when one gets a notice */
    double deferral_grant_prob;              /* chance an application is granted (canon 0) */
    double deferral_years;                   /* length of a granted deferral */
    double deferral_needs_gallery;           /* 1: only couples with art in the Gallery may be granted */
    double art_per_year;                     /* works made per Hailsham student per year */
    double madame_takes;                     /* share of works Madame takes for the Gallery */
};

#endif
