/* SPDX-License-Identifier: MIT
 *
 * world_impl.h - the inside of a world, shared by the files of src/world:
 * world.c (years, statistics, the run), public.c (the public's lives),
 * alloc.c (waiting lists and organs), donors.c (the programme).
 */
#ifndef HS_WORLD_IMPL_H
#define HS_WORLD_IMPL_H

#include <math.h>

#include <hailsham/hailsham.h>

#include "world.h"

#define DAYS_PER_YEAR 365.25
#define MAX_AGE_BINS 131           /* single years of age 0..130 for the life table */

enum pstate { P_FREE, P_WELL, P_LISTED, P_GRAFTED, P_UNLISTED };
enum pnext { N_DEATH, N_FAILURE, N_UNTREATED, N_LIVING, N_GRAFT_FAIL, N_MAXAGE };

/* A member of the public.  Kept to 32 bytes (half a cache line, so a
 * record never straddles two): there are tens of millions.  What only the
 * few with a failed organ need lives in a side record (struct person_ext). */
struct person {
    double birth;        /* day of birth (may be negative: born before the start) */
    double next_t;       /* day of the pending event */
    uint32_t lgen;       /* bumped at each listing: validates waiting-list entries */
    uint32_t ext;        /* 1 + index of the side record, or 0 if none yet */
    uint16_t gen;        /* bumped whenever the pending event is replaced */
    uint8_t state, organ, sex, abo;
    uint8_t next;        /* what the pending event is (enum pnext) */
    uint8_t next_organ;
};

/* The side record of a person whose organ failed.  It stays with the
 * person's slot when the slot is reused, so it is allocated once per slot
 * at most, and reset for the new occupant. */
struct person_ext {
    double cf_death;     /* counterfactual death day at first transplant, or NaN */
    double untreated;    /* day of death if never transplanted (listed) */
    double listed_day;   /* day of the listing: the key of a first-listed queue */
    uint8_t urgent;      /* listed for a curable death (the cures), not a failure */
    uint8_t unlistable;  /* this failure is outside the organ's listed_share: never listed */
};

/* An entry of a waiting list: a binary min-heap on key. */
struct wl_entry {
    double key;
    uint32_t person;
    uint32_t lgen;
};

struct wl_heap {
    struct wl_entry *a;
    size_t n, cap;
};

/* An organ waiting for a recipient until it is no longer viable. */
struct pooled {
    double expires;
    uint32_t gen;        /* counts the slot's uses, to know a ring entry out of date */
    uint8_t organ, abo, source, live;
};

/* An organ in the pool's ring of its organ and blood group (alloc.c). */
struct pool_entry {
    uint32_t slot, gen;
};

enum source { SRC_PROGRAMME, SRC_DECEASED, SRC_LIVING, SRC_PERFECT };

struct carer_stats {
    int64_t first_case;  /* the first donor attended (a list through next_case), or -1 */
    uint32_t caseload;
    uint32_t recoveries;
    uint32_t agitated;
    double recovery_days;
    double score;        /* lower is better; recomputed each year */
    uint8_t privileged;
    uint32_t pos;        /* index in hs_world.carers while a carer */
};

/* What choosing a carer reads of each active carer, kept beside
 * hs_world.carers (same index); hs_world.carer_tree is built on it, so
 * that a search walks down the tree instead of scanning every carer (tens
 * of thousands at national scale, a search per donor needing a carer). */
struct carer_view {
    uint32_t caseload;
    uint8_t privileged, estate;
};

/* The carers with room, for choosing one in O(log n): a segment tree over
 * positions in hs_world.carers (leaf i is carers[i]; leaves past ncarers
 * are empty).  Each node holds the least caseload among the ordinary
 * carers with room below it (UINT32_MAX if none) and the estates that
 * have a privileged carer with room below it (bit e for estate e).  The
 * leftmost leaf reaching a node's value is the first in list order. */
struct carer_node {
    uint32_t load;
    uint32_t estates;
};

/* A donor waiting for a carer; seq orders the waiters of all estates. */
/* A first-in first-out queue of items of one size that grows as needed
 * (world.c): the donors waiting for a carer, for a bed, or for an order,
 * and the organ pool's rings. */
struct hsw_fifo {
    unsigned char *a;
    size_t size, head, n, cap;   /* size: bytes per item, set by the first push */
};

int hsw_fifo_push(struct hsw_fifo *q, const void *item, size_t size);
void hsw_fifo_free(struct hsw_fifo *q);

/* Item i from the oldest (i < n). */
static inline void *hsw_fifo_at(const struct hsw_fifo *q, size_t i)
{
    return q->a + (q->head + i) % q->cap * q->size;
}

static inline void hsw_fifo_pop(struct hsw_fifo *q)
{
    q->head = (q->head + 1) % q->cap;
    q->n--;
}

struct carer_wait {
    uint64_t seq;
    uint32_t donor;
};

struct donor {
    double created, left_estate, training, carer, notice, completed;
    double donation[HS_MAX_DONATIONS];
    double bed_request;
    uint64_t chip;
    int64_t partner;
    int64_t carer_of;    /* the carer attending this donor, or -1 */
    int64_t next_case;   /* the next donor of the same carer, or -1 */
    uint32_t name;       /* index of the first name */
    int cohort;
    uint8_t initial, estate, cottages, sex, abo, stage, donations, deferral;
    uint8_t refused, applied, agitated_now, without_carer_year_flag;
    uint8_t waiting_carer, centre, organs_left, kidneys_left;
    uint8_t ready;       /* on demand: waiting, ready, in a ring of demand.c */
    uint8_t ready_gen;   /* counts the donor's waits, to know a ring entry or a
                            timeout that is out of date */
    uint8_t order;       /* on demand: the next donation is to order (0: on the
                            rhythm, after a wait that ran out) */
    uint8_t called;      /* on demand: a carer called for (or due) the notice */
    uint32_t house;      /* with cottages == HOUSE_OTHER: which of the other houses */
    uint16_t gallery_works, agitated_donations, outbursts;
    int last_without_year;
    struct carer_stats cs;
};

/* Halfway houses: a leaver goes to a named place of programme.cottages
 * (donor.cottages is its index) while it has room, else to one of the
 * other houses (donor.cottages == HOUSE_OTHER, donor.house), which an
 * estate's leavers fill together, a house at a time. */
#define HOUSE_OTHER 255
struct house {
    uint32_t residents;
    int64_t single;      /* an unpaired arrival, or -1 */
};

/* On demand (demand.c): who waits, ready, in the order they became so. */
struct ready_entry {
    double since;
    uint32_t id;
    uint32_t gen;        /* the donor's ready_gen when they entered */
};
struct year_acc {
    struct hs_year_row row;
    /* deaths by integer age for the period life table */
    double deaths_age[2][MAX_AGE_BINS];  /* by sex (0 female, 1 male) and age */
    double donor_deaths_age[2][MAX_AGE_BINS]; /* completions, the same way */
    double remaining[2][MAX_AGE_BINS];   /* a member of the public's expected years left
                                            at each age this year (0: not yet computed) */
};

/* A step function of calendar time: value[i] holds from year[i] to year[i+1];
 * w[i] and g[i] are the hazard integral and growth of e^{cr s} over the whole
 * step i (see draw_gompertz_part in public.c).  Two tables merged. */
#define HSW_MAX_STEPS (2 * HS_MAX_TABLE)
struct hsw_steps {
    size_t n;
    double year[HSW_MAX_STEPS];
    double value[HSW_MAX_STEPS];
    double w[HSW_MAX_STEPS];
    double g[HSW_MAX_STEPS];
};

#define HSW_AGE_BINS 151           /* whole years of age 0..150 (the highest max_age) */

/* A world's initial public, kept apart from it (hs_world_start_take):
 * what a world made alike copies instead of drawing (public.c). */
struct hs_world_start {
    struct hs_params p;            /* the parameters it was drawn from */
    uint64_t seed, replication;
    struct person *people;
    size_t npeople, cap_people;
    double *cohort_alive;          /* 2 ncohorts, as in the world (the same years) */
    double alive;
    hs_rng r_init, r_public;       /* the two streams' states once it was drawn */
};

struct hs_world {
    struct hs_params p;
    hs_engine *eng;
    uint16_t h_person, h_birth;    /* slot-free handlers of the public's events */
    uint16_t h_migration;          /* and of migration (public.c) */
    uint16_t h_matchable;          /* the end of a listed patient's match wait (alloc.c) */
    struct hs_world_sink sink;
    int sink_status;
    double end_day;
    int year;                      /* the calendar year being simulated */

    /* random streams, one per purpose */
    hs_rng r_init, r_births, r_public, r_alloc, r_deceased, r_donors, r_names, r_gallery;
    hs_rng r_causes;
    hs_rng r_match;                /* the listed patients' match waits (alloc.c) */
    hs_rng r_migration;            /* births' stream jumped 2^128 ahead (public.c) */
    uint64_t seed, replication;    /* what the streams were made from */
    const struct hs_world_start *alike; /* while being made: the initial public it
                                           would draw, to copy (hs_world_create_alike) */
    int public_copied;             /* 1: it was */

    /* the public */
    struct person *people;
    size_t npeople, cap_people;
    struct person_ext *pext;       /* side records, see struct person */
    size_t npext, cap_pext;
    uint32_t *free_people;
    size_t nfree_people;
    double alive;
    double medicine_now;           /* the other medicine's factor at the start */
    double fail_cmax;              /* the largest organ failure rate c (public.c) */
    double fail_b_sum;             /* the organs' failure rates b, summed (public.c) */
    double *fail_bound;            /* e^{cmax k} / cmax, k = 0..nfail_bound-1 (public.c) */
    size_t nfail_bound;
    struct hsw_steps mort_steps[2]; /* the factor on B by sex: other medicine, times the
                                      male factor for men (public.c) */
    double mig_cdf[2][HSW_AGE_BINS]; /* migrants' ages by sex, whole years (public.c) */
    double mig_accept[HSW_AGE_BINS]; /* an emigrant's chance to be kept, by age */
    int transplant_on[HS_NORGANS];
    double activity_now[HS_NORGANS];   /* this year's share of the deceased yield used */
    double graft_mean_now[HS_NORGANS]; /* this year's mean graft survival, years */
    double deceased_now;           /* this year's chance a death at donor age donates */
    double living_now;             /* this year's living donors per listed kidney patient */
    double reach_now[HS_NCAUSES];  /* the cures' reach this year, by cause group */
    int cures_now;                 /* 1 if any cause is curable this year */

    /* births and deaths by birth year, for exposures and reached_100 */
    int cohort_base;               /* birth year of index 0 */
    size_t ncohorts;
    /* By birth cohort c and sex s, at [2 c + s]: */
    double *cohort_alive;          /* alive now */
    double *cohort_start;          /* alive at the start of the year */
    double *cohort_deaths;         /* deaths in the current year */
    double *donor_alive;           /* donors alive now, by cohort and sex, the same way */
    double *donor_start;           /* and at the start of the year */

    /* waiting lists by organ and blood group, and the organ pool */
    struct wl_heap wl[HS_NORGANS][HS_NABO];
    double waiting[HS_NORGANS];
    struct pooled *pool;
    size_t npool, cap_pool;
    uint32_t *free_pool;
    size_t nfree_pool;
    struct hsw_fifo pring[HS_NORGANS][HS_NABO]; /* struct pool_entry, in the order they
                                                   came, which is the order they expire */

    /* the programme */
    struct donor *donors;
    size_t ndonors, cap_donors;
    double in_stage[HS_STAGE_RELEASED + 1];   /* donors in each stage now */
    size_t first_student;          /* no donor before it is a student (stages only advance) */
    uint32_t *carers;              /* ids of active carers */
    size_t ncarers, cap_carers;
    struct carer_view *carer_view; /* beside carers, same index */
    size_t cap_carer_view;
    struct carer_node *carer_tree; /* the carers with room (struct carer_node) */
    size_t carer_leaves;           /* leaves of carer_tree, a power of two */
    struct hsw_fifo carerless[HS_MAX_ESTATES]; /* donors waiting for a carer (struct carer_wait),
                                                 by estate, oldest first */
    uint64_t carerless_seq;        /* the next waiter's seq */
    double beds_free[HS_MAX_PLACES];
    struct hsw_fifo ready[HS_NABO][HS_MAX_DONATIONS + 1]; /* on demand (struct ready_entry):
                                      recovered donors by blood group and next
                                      donation; the last column: carers due a
                                      notice (demand.c) */
    double ready_waits, ready_wait_days; /* waits that ended, and their days */
    struct hsw_fifo bedq;          /* donors waiting for a bed (uint32_t ids) */
    double gallery;
    double planned_for[512];       /* organs planned, by year - start_year */
    double organs_per_donor;       /* expected organs over a donor's life */
    double listings_last_year;
    double listings_hist[HS_NORGANS][512]; /* listings by organ, by year - start_year */
    int64_t single[HS_MAX_ESTATES][HS_MAX_PLACES]; /* unpaired arrival at a Cottages place */
    double named_residents[HS_MAX_PLACES];  /* residents of each named place now */
    struct house *houses;          /* the other houses, opened as needed */
    size_t nhouses, cap_houses;
    uint32_t *room[HS_MAX_ESTATES]; /* by estate: its houses that had room when last
                                      seen (a stack; full ones are dropped on top) */
    size_t nroom[HS_MAX_ESTATES], cap_room[HS_MAX_ESTATES];
    uint64_t next_chip;

    /* results */
    struct year_acc acc;
    struct hs_summary sum;
    double *completion_ages;
    size_t ncompletion_ages, cap_completion_ages;
    double *carer_tenures;
    size_t ncarer_tenures, cap_carer_tenures;
    double le_sum;
    int le_years, programme_years;
};

/* world.c */
double hsw_dated_value(const struct hs_dated *d, double year, double dflt);
double hsw_year_of(const struct hs_world *w, double day);
double hsw_years(double days);
int hsw_grow(void **a, size_t *cap, size_t need, size_t elem);
void hsw_count_death(struct hs_world *w, const struct person *p, double day);
void hsw_sort_doubles(double *v, size_t n);
/* A donor created (born) in cohort year `cohort`; a donor who completed at
 * `age`: they count as people in the life table that counts them. */
void hsw_donor_born(struct hs_world *w, int cohort, int sex);
void hsw_donor_died(struct hs_world *w, int cohort, int sex, double age);
/* The years a member of the public of this sex and age would still live,
 * by this year's background mortality (no cures, no organs). */
double hsw_remaining_years(struct hs_world *w, int sex, double age);

/* public.c */
int hsw_public_init(struct hs_world *w);

/* causes.c: a cause group for a death at `age` in `year`. */
int hsw_draw_cause(hs_rng *r, double age, double year);

/* The integral of e^{c u} for u from 0 to s: the cumulative Gompertz
 * hazard per unit of rate.  c = 0 is a constant hazard (an organ that does
 * not age); c > 0 keeps the closed form. */
static inline double hsw_gomp_integral(double c, double s)
{
    return c > 0 ? expm1(c * s) / c : s;
}
/* The side record of p, which must have one (its organ has failed). */
static inline struct person_ext *hsw_ext(const struct hs_world *w, const struct person *p)
{
    return &w->pext[p->ext - 1];
}

int hsw_birth_start(struct hs_world *w);
void hsw_cures_year(struct hs_world *w);   /* the cures' reach for w->year */
int hsw_list_the_unlisted(struct hs_world *w);
void hsw_person_transplant(struct hs_world *w, uint32_t idx, int organ, int source);
int hsw_person_listed(struct hs_world *w, uint32_t idx);
void hsw_public_finish(struct hs_world *w);
void hsw_deceased_donation(struct hs_world *w, const struct person *p);

/* alloc.c */
int hsw_alloc_init(struct hs_world *w);
int hsw_list(struct hs_world *w, uint32_t idx);
int hsw_offer(struct hs_world *w, int organ, int abo, int source);
void hsw_alloc_free(struct hs_world *w);
double hsw_pooled(const struct hs_world *w);

/* donors.c */
int hsw_programme_init(struct hs_world *w);
/* Stop the run with status rc (the first failure is kept). */
void hsw_fail_run(struct hs_world *w, int rc);

/* carers.c: who attends which donor. */
int hsw_carer_tree_reserve(struct hs_world *w, size_t need);
void hsw_sync_view(struct hs_world *w, uint32_t carer);   /* a carer's load or state changed */
void hsw_mark_without(struct hs_world *w, uint32_t donor); /* count a year without a carer */
void hsw_mark_carerless(struct hs_world *w);               /* ...for every donor without one now */
void hsw_need_carer(struct hs_world *w, uint32_t donor);   /* attach one, or queue the donor */
void hsw_serve_carerless(struct hs_world *w);              /* places freed: serve the queue */
void hsw_release_donor(struct hs_world *w, uint32_t donor); /* off their carer's list */
void hsw_remove_carer(struct hs_world *w, uint32_t carer); /* a carer stops caring */
void hsw_rank_carers(struct hs_world *w);                  /* the year's privileges */
int hsw_programme_new_year(struct hs_world *w);
void hsw_programme_year_end(struct hs_world *w);
void hsw_programme_counts(struct hs_world *w, struct hs_year_row *r);
int hsw_programme_finish(struct hs_world *w);
void hsw_programme_free(struct hs_world *w);

/* halfway.c: the halfway houses */
const char *hsw_place_of(const struct hs_world *w, const struct donor *d);
int hsw_house_for(struct hs_world *w, int e, uint32_t *out);   /* a house of estate e */
void hsw_leave_house(struct hs_world *w, const struct donor *d);

/* demand.c: notices and donations on demand (programme.donations.timing) */
uint32_t hsw_gives(const struct hs_world *w, const struct donor *d);
void hsw_demand_due(struct hs_world *w, uint32_t carer);   /* a carer's notice is due */
void hsw_demand_ready(struct hs_world *w, uint32_t donor); /* a donor may donate again */
void hsw_demand_listed(struct hs_world *w, int organ, int abo); /* someone was listed */
void hsw_demand_free(struct hs_world *w);
void hsw_donation_request(hs_engine *eng, void *ctx, uint64_t id); /* donors.c */
void hsw_notice(hs_engine *eng, void *ctx, uint64_t id);           /* donors.c */
/* alloc.c: the organs for which someone a donor of group abo can give to waits */
uint32_t hsw_waiting_mask(struct hs_world *w, int abo);
int hsw_abo_fits(int donor, int recipient);   /* an organ of group donor fits recipient */
double hsw_donors_estimate(const struct hs_params *p, double people);

#endif
