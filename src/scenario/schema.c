/* SPDX-License-Identifier: MIT
 *
 * schema.c - every key of a scenario file: where it is stored, its type,
 * unit, valid range, default and meaning.
 *
 * This table is the one place where defaults live: hs_params_default fills
 * the struct from it, docs/scenario.md is generated from it, the reader
 * validates against it.  The defaults describe the canonical world of the
 * novel at scale 0.01 (scenarios/canon.yaml states the same values with
 * their sources, and a test keeps the two equal).  Ranges are the values a
 * model can run with, not the plausible ones: a range error means "this
 * cannot be meant", so ranges are wide and the lead's calibration decides
 * what is plausible.
 */
#include "schema.h"

#include "scenario.h"

#include <string.h>

#define BIG 1e9

/* Row makers.  T is the struct the offset is taken in. */
#define NUMF(k, fl, T, m, lo_, hi_, def_, unit_, doc_)                          \
    { .key = (k), .kind = HS_K_NUM, .flags = (fl), .off = offsetof(T, m),      \
      .lo = (lo_), .hi = (hi_), .def = (def_), .unit = (unit_), .doc = (doc_) }
#define NUM(k, T, m, lo_, hi_, def_, unit_, doc_) NUMF(k, 0u, T, m, lo_, hi_, def_, unit_, doc_)
#define POS(k, T, m, hi_, def_, unit_, doc_)                                     \
    NUMF(k, HS_F_LO_OPEN, T, m, 0.0, hi_, def_, unit_, doc_)
#define SHARE(k, T, m, def_, doc_) NUM(k, T, m, 0.0, 1.0, def_, "share", doc_)
#define PROB(k, T, m, def_, doc_) NUM(k, T, m, 0.0, 1.0, def_, "probability", doc_)
#define YEAR(k, fl, T, m, def_, doc_) NUMF(k, fl, T, m, HS_YEAR_LO, HS_YEAR_HI, def_, "year", doc_)
#define YEAR_NEVER(k, T, m, def_, doc_)                                          \
    { .key = (k), .kind = HS_K_YEAR_NEVER, .off = offsetof(T, m),              \
      .lo = HS_YEAR_LO, .hi = HS_YEAR_HI, .def = (def_), .unit = "year", .doc = (doc_) }
#define BOOLF(k, fl, T, m, def_, doc_)                                           \
    { .key = (k), .kind = HS_K_BOOL, .flags = (fl), .off = offsetof(T, m),     \
      .def = (def_), .unit = "", .doc = (doc_) }
#define ENUM(k, T, m, words, def_, doc_)                                         \
    { .key = (k), .kind = HS_K_ENUM, .off = offsetof(T, m), .def = (def_),     \
      .names = (words), .nnames = sizeof(words) / sizeof(words)[0],            \
      .unit = "", .doc = (doc_) }
#define NAME(k, fl, T, m, def_, doc_)                                            \
    { .key = (k), .kind = HS_K_NAME, .flags = (fl), .off = offsetof(T, m),     \
      .def_name = (def_), .unit = "", .doc = (doc_) }
#define DATED(k, T, m, lo_, hi_, table, unit_, doc_)                             \
    { .key = (k), .kind = HS_K_DATED, .off = offsetof(T, m), .lo = (lo_),      \
      .hi = (hi_), .def_dated = &(table), .max = HS_MAX_TABLE, .unit = (unit_), \
      .doc = (doc_) }
#define AGES(k, T, m, lo_, hi_, table, unit_, doc_)                              \
    { .key = (k), .kind = HS_K_DATED, .flags = HS_F_AGES, .off = offsetof(T, m), \
      .lo = (lo_), .hi = (hi_), .def_dated = &(table), .max = HS_MAX_TABLE,      \
      .unit = (unit_), .doc = (doc_) }
#define MAPF(k, fl, off_, keys, doc_)                                            \
    { .key = (k), .kind = HS_K_MAP, .flags = (fl), .off = (off_), .sub = (keys), \
      .nsub = sizeof(keys) / sizeof(keys)[0], .unit = "", .doc = (doc_) }
#define MAP(k, off_, keys, doc_) MAPF(k, 0u, off_, keys, doc_)
#define LIST(k, arr, cnt, maxn, itemT, keys, defs, doc_)                         \
    { .key = (k), .kind = HS_K_LIST, .off = offsetof(struct hs_params, arr),   \
      .count_off = offsetof(struct hs_params, cnt), .item_size = sizeof(itemT), \
      .max = (maxn), .sub = (keys), .nsub = sizeof(keys) / sizeof(keys)[0],    \
      .def_list = (defs), .def_n = sizeof(defs) / sizeof(defs)[0], .unit = "", \
      .doc = (doc_) }

#define PP struct hs_params
#define OP struct hs_organ_params
#define EP struct hs_estate_params
#define LP struct hs_place_params

const char *const hs_organ_names[HS_NORGANS] = {
    "kidney", "liver", "heart", "lung", "pancreas",
};

static const struct hs_table_keys table_keys[] = {
    {"year", "years", "a year", "dated table", "a dated table", "years", "",
     "{1950: 1, 1960: 0.5}", HS_YEAR_LO, HS_YEAR_HI},
    {"age", "ages", "an age", "age table", "an age table", "ages (0 to 150)", ", not all 0",
     "{0: 1, 20: 2, 40: 1}", HS_AGE_LO, HS_AGE_HI},
};

const struct hs_table_keys *hs_table_keys(const struct hs_field *f)
{
    return &table_keys[(f->flags & HS_F_AGES) != 0];
}

/* What a name may hold (text.c checks it), in the words of docs and messages. */
const char hs_name_chars[] =
    "letters, digits, spaces and . , ; : ! ? ' - _ ( ) / & + #";

/* ---- scenario ---------------------------------------------------------- */

static const struct hs_field scenario_keys[] = {
    NAME("name", HS_F_REQUIRED, PP, name, "canon",
         "A short name for the scenario, shown in reports and output files "
         "(at most 47 bytes)."),
    YEAR("start_year", 0u, PP, start_year, 1950,
         "First simulated year; the run starts on 1 January of it."),
    YEAR("end_year", 0u, PP, end_year, 2000,
         "The run stops at the start of this year (so 2000 simulates 1950-1999)."),
    POS("scale", PP, scale, 1.0, 0.01, "factor",
        "Scales every population, cohort and capacity given at scale 1: 0.01 "
        "simulates one person in a hundred, 1 the whole of England."),
    NUM("calibrated_scale", PP, calibrated_scale, 0, 1, 0, "factor",
        "The scale its waiting lists and organs wasted were calibrated at (0: "
        "none).  They depend on the scale: a run at another one says so, in its "
        "table and report (docs/model.md, \"Scale\")."),
};

/* ---- the public -------------------------------------------------------- */

static const struct hs_dated births_default = {
    14,
    {1950, 1955, 1960, 1964, 1970, 1977, 1985, 1990, 1995, 2000, 2005, 2010, 2015, 2019},
    {655000, 640000, 740000, 820000, 740000, 535000, 620000, 665000, 610000, 570000,
     610000, 690000, 665000, 610000},
};

static const struct hs_dated medicine_default = {1, {1950}, {1}, };

/* England and Wales at mid-1950 by age group, in thousands (ONS mid-year
 * estimates; data/real/population_1950.csv, source P06): the shape of the
 * initial public, whose size is public.initial. */
static const struct hs_dated initial_male_default = {
    19,
    {0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85},
    {357, 1550, 1569, 1442, 1346, 1486, 1673, 1515, 1693, 1688, 1529, 1293, 1088, 950, 784,
     596, 373, 169, 68},
};
static const struct hs_dated initial_female_default = {
    19,
    {0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85},
    {341, 1477, 1501, 1393, 1390, 1509, 1681, 1539, 1721, 1710, 1607, 1481, 1324, 1189, 1029,
     812, 534, 278, 145},
};

/* The United Kingdom's net international migration, by year (data/real/
 * migration.csv, sources I01-I08); each value holds until the next row.
 * 2003-2009, 2013, 2014 and 2017 were not found and are interpolated
 * linearly between the figures around them; 1951-1958, 1960-1962,
 * 1964-1978 and 2019 hold the figure before them (docs/model.md). */
static const struct hs_dated migration_default = {
    43,
    {1950, 1959, 1963, 1979, 1980, 1981, 1982, 1983, 1984, 1985, 1986, 1987, 1988, 1989, 1990,
     1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005,
     2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018},
    {35200, 33300, 10000, 6200, -55000, -79500, -56200, 17400, 37400, 58400, 37200, 2200, -21300,
     44300, 36000, 43500, -13500, -1200, 76800, 75400, 54100, 46800, 138800, 163000, 162800,
     171800, 153400, 165700, 178100, 190400, 202700, 215000, 227400, 239700, 252000, 215000,
     176000, 228000, 280000, 332000, 248000, 265500, 283000},
};

/* Immigrants to the UK in 1997 by age group, in thousands (M27). */
static const struct hs_dated migration_ages_default = {
    6, {0, 10, 20, 30, 40, 50}, {25, 49, 120, 45, 20, 14},
};

static const struct hs_field initial_ages_keys[] = {
    AGES("female", PP, initial_ages[0], 0, BIG, initial_female_default, "people (a shape)",
         "Women of the public at start_year by age group."),
    AGES("male", PP, initial_ages[1], 0, BIG, initial_male_default, "people (a shape)",
         "Men of the public at start_year by age group."),
};

static const struct hs_field migration_keys[] = {
    DATED("net", PP, migration, -1e8, 1e8, migration_default, "people per year at scale 1",
          "Net international migration per year, by year: immigrants arrive as new people "
          "of the public through the year; below 0, as many of the public leave (never a "
          "donor or carer of the programme)."),
    AGES("ages", PP, migration_ages, 0, BIG, migration_ages_default, "people (a shape)",
         "Migrants by age group: the ages of immigrants; in a year of net emigration, the "
         "chance of leaving at each age is in proportion to it."),
    SHARE("share_male", PP, migration_share_male, 0.5, "Share of immigrants who are men."),
};

static const struct hs_field abo_keys[] = {
    NUM("O", struct hs_params, abo_share[HS_ABO_O], 0, 1, 0.44, "share",
        "Share of people with blood group O (universal donors)."),
    NUM("A", struct hs_params, abo_share[HS_ABO_A], 0, 1, 0.42, "share",
        "Share with blood group A."),
    NUM("B", struct hs_params, abo_share[HS_ABO_B], 0, 1, 0.10, "share",
        "Share with blood group B."),
    NUM("AB", struct hs_params, abo_share[HS_ABO_AB], 0, 1, 0.04, "share",
        "Share with blood group AB (universal recipients)."),
};

/* A factor of 1 from the first year on: nothing changes by year. */
static const struct hs_dated always_one_public = {1, {1950}, {1}, };

static const struct hs_field mortality_keys[] = {
    NUM("makeham", PP, mort_a, 0, 1, 1.5e-4, "per year",
        "Makeham term A of the Gompertz-Makeham hazard A + B exp(c age): "
        "deaths that do not depend on age."),
    POS("gompertz_male", PP, mort_b_male, 1, 6.88e-5, "per year",
        "Gompertz term B for men in start_year: the age-dependent hazard at age 0."),
    POS("gompertz_female", PP, mort_b_female, 1, 4.08e-5, "per year",
        "Gompertz term B for women in start_year."),
    DATED("male_factor", PP, male_factor, 0.01, 100, always_one_public, "factor",
          "Factor on gompertz_male by year: the eras of the sex gap in mortality (1 from "
          "start_year: a fixed ratio of the two B)."),
    POS("gompertz_rate", PP, mort_c, 1, 0.1, "per year of age",
        "Gompertz c: how fast the hazard grows with age (0.1 doubles it every 7 years)."),
    NUM("improvement", PP, mort_drift, -0.1, 0.1, 0.019, "per year",
        "Yearly relative decline of B from start_year on (the secular improvement "
        "of mortality); negative values make mortality worse."),
    NUM("infant", PP, infant_a, 0, 100, 0.07, "per year",
        "Infant and child hazard at birth in start_year (Siler's term a e^(-b age)): "
        "most of it falls in the first year of life."),
    NUM("infant_decline", PP, infant_decline, 0, 100, 2, "per year of age",
        "How fast the infant and child hazard falls with age (b)."),
    NUM("infant_improvement", PP, infant_improvement, -0.1, 0.5, 0.035, "per year",
        "Yearly relative decline of the infant and child hazard from start_year on."),
    DATED("other_medicine", PP, other_medicine, 0, 1, medicine_default, "factor",
          "Factor on B from medicine other than organs, by year (1 = none).  The "
          "programme's cures are organs (the cures section); a value below 1 is an "
          "assumption beyond them, and the report says so."),
    NUM("max_age", PP, max_age, 50, 150, 120, "years",
        "Nobody lives past this age: the life table closes here."),
    NUM("post_transplant_factor", PP, post_transplant_mortality, 1, 100, 1.5, "factor",
        "Factor on the background hazard while living on a graft "
        "(immunosuppression)."),
};

/* A dated factor of 1 from the first year on: nothing changes by year. */
static const struct hs_dated always_one = {1, {1950}, {1}, };

/* One organ's keys; each organ has its own defaults, so its own rows. */
#define ORGAN_KEYS(b, c, untreated, graft, hours, from, yield)                    \
    {                                                                             \
        NUM("failure_b", OP, failure_b, 0, 1, b, "per year",                      \
            "Gompertz hazard of end-stage failure of this organ at age 0."),      \
        NUM("failure_c", OP, failure_c, 0, 1, c, "per year of age",               \
            "Growth of that hazard with age."),                                   \
        POS("untreated_years", OP, untreated_mean, 100, untreated, "years",       \
            "Mean survival once listed, without a transplant."),                  \
        POS("graft_years", OP, graft_mean, 100, graft, "years",                   \
            "Mean survival of a graft; a failed graft lists the person again."),  \
        POS("viability_hours", OP, viability_hours, 1000, hours, "hours",         \
            "Cold ischaemia limit: an organ that finds no compatible recipient "  \
            "within this time is wasted."),                                       \
        NUM("match_days", OP, match_days, 0, 3650, 0, "days",                     \
            "Mean wait, after a listing for a failure (not an urgent cure), "    \
            "before an organ can suit the patient (size, tissue type, "          \
            "condition): until it ends they are on the list, may die on it and " \
            "are passed over; drawn from an exponential law; 0: at once."),      \
        YEAR("transplant_from", 0u, OP, transplant_from, from,                    \
             "Calendar year transplantation of this organ begins; before it, "    \
             "failure is untreatable."),                                          \
        NUM("deceased_yield", OP, deceased_yield, 0, 10, yield, "organs per donor", \
            "Organs of this kind used per deceased donor (real-world supply)."),  \
        DATED("activity", OP, activity, 0, 1, always_one, "share",                \
              "Share of the deceased_yield the transplant centres of the year "   \
              "use, by year (their number and skill); 0 from a year on means "    \
              "none of this organ is transplanted then and its failures are not " \
              "listed (a moratorium), as before transplant_from."),             \
        DATED("graft_factor", OP, graft_factor, 0.01, 100, always_one, "factor",  \
              "Factor on graft_years by year (eras of immunosuppression): a "     \
              "graft's survival is drawn with the mean of its transplant's year."), \
        DATED("listed", OP, listed, 0, 1, always_one, "share",                    \
              "Share of the end-stage failures of a year that are listed; the "   \
              "rest are never listed and live their untreated course (access "    \
              "to the list kept near the organs expected, by era)."),             \
    }

static const struct hs_field kidney_keys[] = ORGAN_KEYS(3e-06, 0.05, 30, 15, 24, 1952, 1.6);
static const struct hs_field liver_keys[] = ORGAN_KEYS(8.5e-07, 0.05, 15, 14, 10, 1952, 0.75);
static const struct hs_field heart_keys[] = ORGAN_KEYS(1.6e-07, 0.06, 8, 11.7, 4, 1952, 0.16);
static const struct hs_field lung_keys[] = ORGAN_KEYS(1.5e-07, 0.06, 6, 5.6, 6, 1952, 0.17);
static const struct hs_field pancreas_keys[] = ORGAN_KEYS(5e-07, 0.03, 40, 16.9, 14, 1952, 0.2);

static const struct hs_field organs_keys[] = {
    MAP("kidney", offsetof(PP, organ[HS_ORGAN_KIDNEY]), kidney_keys, "The kidney."),
    MAP("liver", offsetof(PP, organ[HS_ORGAN_LIVER]), liver_keys, "The liver."),
    MAP("heart", offsetof(PP, organ[HS_ORGAN_HEART]), heart_keys, "The heart."),
    MAP("lung", offsetof(PP, organ[HS_ORGAN_LUNG]), lung_keys, "The lungs."),
    MAP("pancreas", offsetof(PP, organ[HS_ORGAN_PANCREAS]), pancreas_keys, "The pancreas."),
};

static const struct hs_field public_keys[] = {
    POS("initial", PP, population_initial, BIG, 41.2e6, "people at scale 1",
        "The public alive at start_year."),
    MAP("initial_ages", 0, initial_ages_keys,
        "The public alive at start_year by sex and age group: a shape, scaled so that the "
        "two tables sum to initial; the men's share of the public is theirs."),
    DATED("births", PP, births, 0, 1e8, births_default, "births per year at scale 1",
          "Live births per year, by year."),
    SHARE("share_male", PP, share_male, 0.513, "Share of births that are boys."),
    MAP("migration", 0, migration_keys, "Net international migration."),
    MAP("abo", 0, abo_keys,
        "ABO blood groups of the public and of donors; the four shares sum to 1."),
    MAP("mortality", 0, mortality_keys, "Background mortality of the public."),
    NUM("max_listing_age", PP, max_listing_age, 0, 150, 120, "years",
        "Organ failure after this age is not listed for a transplant."),
    MAP("organs", 0, organs_keys, "Organ failure, survival and transplantation, per organ."),
};

/* ---- the cures --------------------------------------------------------- */

#define CP struct hs_cure_params

/* Organ words for a cure; "none" (HS_ORGAN_NONE) is a cause no organ cures. */
static const char *const cure_organ_words[] = {"kidney", "liver", "heart", "lung", "pancreas",
                                               "none"};

/* Reaches rising from the breakthrough of 1952 to their ceiling by 1967,
 * the year the film's card gives for life expectancy past 100 (written
 * out: a product such as 0.1 * 0.6 is not the double 0.06 a file gives). */
#define REACH(name, a, b, c, d, m)                                               \
    static const struct hs_dated name = {                                       \
        6, {1950, 1952, 1956, 1960, 1964, 1967}, {0, a, b, c, d, m}, }
static const struct hs_dated reach_none = {1, {1950}, {0}, };
REACH(reach_circulatory, 0.06, 0.18, 0.36, 0.51, 0.6);
REACH(reach_lung_cancer, 0.05, 0.15, 0.3, 0.425, 0.5);
REACH(reach_respiratory, 0.05, 0.15, 0.3, 0.425, 0.5);
REACH(reach_liver, 0.08, 0.24, 0.48, 0.68, 0.8);
REACH(reach_renal, 0.09, 0.27, 0.54, 0.765, 0.9);
REACH(reach_diabetes, 0.07, 0.21, 0.42, 0.595, 0.7);

#define CURE_KEYS(organ_, reach_)                                                \
    {                                                                            \
        ENUM("organ", CP, organ, cure_organ_words, organ_,                       \
             "The organ whose replacement prevents such a death, or none."),     \
        DATED("reach", CP, reach, 0, 1, reach_, "share",                         \
              "Share of the group's deaths that a new organ in time prevents, "  \
              "by year (0: none)."),                                             \
    }

static const struct hs_field cure_circulatory[] = CURE_KEYS(HS_ORGAN_HEART, reach_circulatory);
static const struct hs_field cure_lung_cancer[] = CURE_KEYS(HS_ORGAN_LUNG, reach_lung_cancer);
static const struct hs_field cure_other_cancers[] = CURE_KEYS(HS_ORGAN_NONE, reach_none);
static const struct hs_field cure_respiratory[] = CURE_KEYS(HS_ORGAN_LUNG, reach_respiratory);
static const struct hs_field cure_liver[] = CURE_KEYS(HS_ORGAN_LIVER, reach_liver);
static const struct hs_field cure_renal[] = CURE_KEYS(HS_ORGAN_KIDNEY, reach_renal);
static const struct hs_field cure_diabetes[] = CURE_KEYS(HS_ORGAN_PANCREAS, reach_diabetes);
static const struct hs_field cure_external[] = CURE_KEYS(HS_ORGAN_NONE, reach_none);
static const struct hs_field cure_infections[] = CURE_KEYS(HS_ORGAN_NONE, reach_none);
static const struct hs_field cure_dementia[] = CURE_KEYS(HS_ORGAN_NONE, reach_none);
static const struct hs_field cure_infant[] = CURE_KEYS(HS_ORGAN_NONE, reach_none);
static const struct hs_field cure_other[] = CURE_KEYS(HS_ORGAN_NONE, reach_none);

#define CURE(name, cause, keys, doc_) MAP(name, offsetof(PP, cure[cause]), keys, doc_)

static const struct hs_field cures_keys[] = {
    POS("urgent_months", PP, cure_urgent_months, 600, 3, "months",
        "Mean survival of a person whose death is curable, listed at once for the "
        "organ, without it (exponential)."),
    CURE("circulatory", HS_CAUSE_CIRCULATORY, cure_circulatory,
         "Circulatory diseases: heart disease and stroke."),
    CURE("lung_cancer", HS_CAUSE_LUNG_CANCER, cure_lung_cancer,
         "Cancer of the trachea, bronchus and lung."),
    CURE("other_cancers", HS_CAUSE_OTHER_CANCERS, cure_other_cancers, "Every other cancer."),
    CURE("respiratory", HS_CAUSE_RESPIRATORY, cure_respiratory,
         "Respiratory diseases: bronchitis, emphysema, pneumonia and the rest."),
    CURE("liver", HS_CAUSE_LIVER, cure_liver, "Liver disease and liver cancer."),
    CURE("renal", HS_CAUSE_RENAL, cure_renal, "Kidney disease: nephritis and renal failure."),
    CURE("diabetes", HS_CAUSE_DIABETES, cure_diabetes, "Diabetes."),
    CURE("external", HS_CAUSE_EXTERNAL, cure_external, "Accidents, suicide and violence."),
    CURE("infections", HS_CAUSE_INFECTIONS, cure_infections,
         "Infections, tuberculosis among them."),
    CURE("dementia", HS_CAUSE_DEMENTIA, cure_dementia, "Dementia and Alzheimer's disease."),
    CURE("infant", HS_CAUSE_INFANT, cure_infant,
         "Conditions of birth and congenital anomalies."),
    CURE("other", HS_CAUSE_OTHER, cure_other, "Every other cause."),
};

/* ---- allocation -------------------------------------------------------- */

static const char *const priority_words[] = {"first_listed", "most_urgent"};
static const char *const abo_words[] = {"compatible", "identical_first"};

static const struct hs_field deceased_keys[] = {
    SHARE("share", PP, deceased_share, 0,
          "Share of deaths at donor ages that become deceased donors (real world)."),
    NUM("min_age", PP, deceased_min_age, 0, 150, 5, "years", "Youngest deceased donor."),
    NUM("max_age", PP, deceased_max_age, 0, 150, 75, "years", "Oldest deceased donor."),
    DATED("trend", PP, deceased_trend, 0, 1000, always_one, "factor",
          "Factor on share by year: consent, referral and the organisation of "
          "donation changing with the eras (the chance is capped at 1)."),
};

static const struct hs_field living_keys[] = {
    NUM("rate", PP, living_rate, 0, 10, 0, "per listed kidney patient per year",
        "Living kidney donors found per listed kidney patient per year."),
    YEAR("from", 0u, PP, living_from, 1960, "Calendar year living donation begins."),
    DATED("trend", PP, living_trend, 0, 1000, always_one, "factor",
          "Factor on rate by year: living donation changing with the eras."),
};

static const struct hs_field allocation_keys[] = {
    ENUM("priority", PP, priority_urgency, priority_words, 0,
         "Order of each waiting list: first_listed (longest wait first) or "
         "most_urgent (shortest expected survival first)."),
    ENUM("abo", PP, abo_identical_first, abo_words, 1,
         "compatible: any ABO-compatible recipient in list order; identical_first: "
         "recipients of the donor's own group before merely compatible ones."),
    MAP("deceased", 0, deceased_keys, "Deceased donors (real-world supply)."),
    MAP("living", 0, living_keys, "Living kidney donors (real-world supply)."),
};

/* ---- the programme ----------------------------------------------------- */

static const char *const mode_words[] = {"fixed", "planned"};

static const struct hs_dated sizes_default = {1, {1952}, {1000}, };

static const struct hs_field cohorts_keys[] = {
    ENUM("mode", PP, cohort_planned, mode_words, 1,
         "planned: each cohort is planned from the demand forecast for the years "
         "it will donate; fixed: cohorts follow the sizes table."),
    DATED("sizes", PP, cohort_size, 0, 1e8, sizes_default, "donors per cohort at scale 1",
          "Cohort sizes by year, used in fixed mode."),
    NUM("lead_years", PP, plan_lead_years, 0, 100, 30, "years",
        "Planning horizon: how far ahead a planned cohort's demand is forecast."),
    POS("margin", PP, plan_margin, 10, 1.1, "factor",
        "Safety margin on the organs a planned cohort must supply."),
    NUM("growth", PP, plan_growth, -0.5, 0.5, 0, "per year",
        "Yearly growth of listings the planner assumes when it forecasts "
        "lead_years ahead, once it has ten years of listings; the level it "
        "grows is the mean of the last six years."),
    NUM("minimum", PP, plan_min_cohort, 0, 1e8, 500, "donors at scale 1",
        "Smallest planned cohort."),
};

static const struct hs_field estate_keys[] = {
    NAME("name", HS_F_REQUIRED, EP, name, NULL, "The estate's name."),
    NUMF("share", HS_F_REQUIRED, EP, share, 0, 1, 0, "share",
         "Share of each cohort placed here while it is open; the shares of all "
         "estates sum to 1."),
    YEAR("opens", HS_F_REQUIRED, EP, opens, 0, "First year it takes a cohort."),
    YEAR_NEVER("closes", EP, closes, 0,
               "Year it closes (its students go to the fallback estate), or never."),
    BOOLF("humane", 0u, EP, humane, 0,
          "A humane estate like Hailsham: guardians, art, no battery farming."),
    BOOLF("gallery", 0u, EP, gallery, 0,
          "Madame collects its students' art for the Gallery (only humane estates)."),
};

static const struct hs_estate_params estates_default[] = {
    {"Hailsham", 0.04, 1952, 1994, 1, 1},
    {"Glenmorgan House", 0.02, 1952, 1994, 1, 0},
    {"the Saunders Trust", 0.02, 1958, 1994, 1, 0},
    {"government homes", 0.92, 1952, 0, 0, 0},
};

static const struct hs_field cottage_keys[] = {
    NAME("name", HS_F_REQUIRED, LP, name, NULL, "The place's name."),
    NUMF("share", HS_F_REQUIRED, LP, share, 0, 1, 0, "share",
         "Share of leavers sent there; the shares sum to 1."),
    NUM("residents", LP, residents, 0, BIG, 0, "people",
        "The most it holds at once, at any scale: a leaver sent there when it is full "
        "goes to one of the other houses (programme.halfway); 0: no limit."),
};

static const struct hs_place_params cottages_default[] = {
    {"the Cottages", 0.4, 0, 30},
    {"White Mansion", 0.3, 0, 30},
    {"Poplar Farm", 0.3, 0, 30},
};

static const struct hs_field halfway_keys[] = {
    NAME("name", 0u, PP, halfway_name, "a farmhouse",
         "What the other houses are called, where leavers go when the named places are "
         "full (\"In July 1969 he was sent on to a farmhouse\")."),
    NUMF("residents", HS_F_LO_OPEN, PP, halfway_residents, 0, BIG, 30, "people",
         "The most one of the other houses holds at once: a house opens when an estate's "
         "leavers find no room in the houses it has."),
};

static const struct hs_field centre_keys[] = {
    NAME("name", HS_F_REQUIRED, LP, name, NULL, "The centre's name."),
    NUMF("share", HS_F_REQUIRED, LP, share, 0, 1, 0, "share",
         "Share of donations made there; the shares sum to 1."),
    NUMF("beds", HS_F_REQUIRED, LP, beds, 0, BIG, 0, "beds at scale 1",
         "Recovery beds; a donation waits for a free bed."),
};

static const struct hs_place_params centres_default[] = {
    {"Dover", 0.3, 54000, 0},
    {"the Kingsfield", 0.3, 54000, 0},
    {"a centre in North Wales", 0.2, 40000, 0},
    {"other centres", 0.2, 40000, 0},
};

static const struct hs_field leaving_keys[] = {
    NUM("age_mean", PP, leave_age_mean, 5, 60, 16, "years", "Mean age at leaving the estate."),
    NUM("age_sd", PP, leave_age_sd, 0, 20, 0.4, "years", "Its standard deviation."),
};

static const struct hs_field cottages_years_keys[] = {
    NUM("mean", PP, cottages_years_mean, 0.001, 50, 2.5, "years",
        "Mean stay at the Cottages before carer training (lognormal; from 0.001: a "
        "vanishing mean with its sd makes the lognormal undefined)."),
    NUM("sd", PP, cottages_years_sd, 0, 20, 0.8, "years", "Its standard deviation."),
};

static const struct hs_field carers_keys[] = {
    POS("tenure_median", PP, carer_years_median, 60, 6.5, "years",
        "Median years as a carer before the first notice (lognormal)."),
    NUM("tenure_sigma", PP, carer_years_sigma, 0, 5, 0.4, "log-sd",
        "Log standard deviation of carer tenure: the long tail of an eleven-year carer."),
    NUM("caseload", PP, carer_caseload, 1, 1000, 5, "donors",
        "Donors a carer attends at once."),
    SHARE("privilege_share", PP, carer_privilege_share, 0.2,
          "Share of carers, the best judged, who may choose their donors."),
    NUM("reassign_days", PP, carer_reassign_days, 0, 365, 30, "days",
        "Days between the rounds at which donors who lost their carer (the carer's "
        "notice came) or found none are given one; 0 gives one at once when a carer "
        "has room; otherwise at least 1."),
};

static const double complete_default[HS_MAX_DONATIONS] = {0.05, 0.3, 0.5, 1};

static const uint32_t donation_organs_default[HS_MAX_DONATIONS] = {
    1u << HS_ORGAN_KIDNEY,
    1u << HS_ORGAN_LIVER,
    (1u << HS_ORGAN_LUNG) | (1u << HS_ORGAN_PANCREAS),
    (1u << HS_ORGAN_HEART) | (1u << HS_ORGAN_KIDNEY) | (1u << HS_ORGAN_LIVER) |
        (1u << HS_ORGAN_LUNG),
};

static const char *const timing_words[] = {"rhythm", "demand"};

static const struct hs_field donations_keys[] = {
    NUM("notice_days", PP, notice_days, 0, 3650, 30, "days",
        "Notice given before the first donation."),
    ENUM("timing", PP, donation_on_demand, timing_words, 0,
         "rhythm: a carer's notice comes when their years as a carer have run and each "
         "donation follows the notice or the recovery at once, its organs offered to "
         "whoever waits (the rest wasted); demand: organs taken to order: a carer due a "
         "notice and a donor who has recovered wait, ready, until someone of a matching "
         "blood group is listed for an organ their next donation gives (the one who has "
         "waited longest is called, a recovered donor before a carer), and a donation "
         "takes only the organs someone waits for, the completing one too (the body "
         "keeps the rest)."),
    NUM("demand_wait_days", PP, demand_wait_days, 0, 36500, 365, "days",
        "With timing: demand, the longest a ready donor or a carer due a notice waits "
        "for an order; then they go as on the rhythm."),
    NUM("recovery_months", PP, recovery_months_mean, 0.001, 120, 9, "months",
        "Mean recovery between donations (gamma; from 0.001, about 45 minutes)."),
    NUM("recovery_shape", PP, recovery_shape, 0.001, 1000, 4, "",
        "Shape of the gamma recovery time (larger is less variable; from 0.001, below "
        "which the gamma cannot be drawn)."),
    { .key = "complete", .kind = HS_K_PROBS, .off = offsetof(PP, complete_prob),
      .lo = 0, .hi = 1, .def_list = complete_default, .unit = "probability",
      .doc = "Chance of completing at donations 1 to 4, four values; the fourth "
             "must be 1: nobody survives it." },
    { .key = "organs", .kind = HS_K_ORGANSETS, .off = offsetof(PP, donation_organs),
      .def_list = donation_organs_default, .unit = "",
      .doc = "Organs taken at donations 1 to 4 from a donor who lives on after it: four "
             "lists of organ names (kidney, liver, heart, lung, pancreas), meaning what a "
             "living donor gives: one kidney while the other stays, a lobe of liver or "
             "lung, part of the pancreas, each part once.  The donation at which a donor "
             "completes takes everything left: the kidneys, the heart, the whole liver, "
             "both lungs and the pancreas.  A donation a donor may survive cannot list "
             "the heart or a second kidney." },
};

static const struct hs_field distress_keys[] = {
    PROB("base", PP, agitation_base, 0.15, "Chance a donation leaves the donor agitated."),
    NUM("no_carer", PP, agitation_no_carer, 0, 100, 2, "factor",
        "Factor on that chance for a donor without a carer."),
    NUM("refused_deferral", PP, agitation_refused, 0, 100, 3, "factor",
        "Factor after a refused deferral (Tommy in the field)."),
    NUM("good_carer", PP, agitation_good_carer, 0, 100, 0.6, "factor",
        "Factor with a privileged (well-judged) carer."),
    POS("recovery_factor", PP, agitation_recovery_factor, 100, 1.3, "factor",
        "Factor on recovery time while agitated."),
    NUM("outbursts", PP, outburst_rate, 0, 1000, 2, "per agitated donation",
        "Mean outbursts per agitated donation (Poisson)."),
};

static const struct hs_field couples_keys[] = {
    SHARE("share", PP, couple_share, 0.3, "Share of donors who form a couple with a cohort mate."),
    PROB("apply", PP, deferral_apply_prob, 0.5,
          "Chance a couple applies for a deferral when one of them gets a notice."),
    PROB("grant", PP, deferral_grant_prob, 0,
          "Chance an application is granted; 0 in the canon: deferrals never existed."),
    NUM("years", PP, deferral_years, 0, 50, 3.5, "years", "Length of a granted deferral."),
    BOOLF("needs_gallery", HS_F_DOUBLE, PP, deferral_needs_gallery, 1,
          "Only couples with art in the Gallery may be granted (Tommy's theory)."),
};

static const struct hs_field gallery_keys[] = {
    NUM("works_per_year", PP, art_per_year, 0, 1000, 4, "works per student per year",
        "Art made by each student of a gallery estate (the Exchanges are 4 a year)."),
    SHARE("madame_takes", PP, madame_takes, 0.1, "Share of works Madame takes for the Gallery."),
};

static const struct hs_field programme_keys[] = {
    BOOLF("enabled", 0u, PP, programme, 1,
          "false: no programme at all (the real world); the other programme keys "
          "are then read and checked but unused."),
    YEAR("start", 0u, PP, programme_start, 1952, "Year of the first cohort."),
    YEAR_NEVER("end", PP, programme_end, 0, "No notices after this year, or never."),
    MAP("cohorts", 0, cohorts_keys, "How many donors are created each year."),
    LIST("estates", estate, n_estates, HS_MAX_ESTATES, EP, estate_keys, estates_default,
         "Where cohorts are raised (at most 8); a list replaces the default list."),
    NAME("fallback_estate", 0u, PP, fallback_estate, "government homes",
         "The estate that takes the students of closed estates; must be in estates."),
    MAP("leaving", 0, leaving_keys, "Leaving the estate."),
    LIST("cottages", cottages, n_cottages, HS_MAX_PLACES, LP, cottage_keys, cottages_default,
         "Where leavers live before training (at most 8); a list replaces the default."),
    MAP("halfway", 0, halfway_keys, "The other halfway houses, beside the named places."),
    MAP("cottages_years", 0, cottages_years_keys, "The stay at the Cottages."),
    NUM("training_years", PP, training_years, 0, 20, 2, "years",
        "Carer training (the Courses)."),
    MAP("carers", 0, carers_keys, "Carers."),
    MAP("donations", 0, donations_keys, "Notices, donations, recovery and completion."),
    LIST("centres", centre, n_centres, HS_MAX_PLACES, LP, centre_keys, centres_default,
         "Recovery centres (at most 8); a list replaces the default list."),
    MAP("distress", 0, distress_keys, "Agitation and outbursts."),
    MAP("couples", 0, couples_keys, "Couples and deferrals."),
    MAP("gallery", 0, gallery_keys, "Art and the Gallery."),
};

/* ---- the file ---------------------------------------------------------- */

static const struct hs_field root_keys[] = {
    MAPF("scenario", HS_F_REQUIRED, 0, scenario_keys, "What the scenario is and how long it runs."),
    MAP("public", 0, public_keys, "The public (\"normals\"): demography and organ failure."),
    MAP("cures", 0, cures_keys,
        "The cures: the share of each cause group's deaths that a new organ prevents "
        "(MODEL.md, the cures are the donors)."),
    MAP("allocation", 0, allocation_keys, "Waiting lists and the real-world supply of organs."),
    MAP("programme", 0, programme_keys, "The donation programme."),
};

const struct hs_field hs_schema_root = MAP("", 0, root_keys, "A scenario file.");

/* ---- defaults ---------------------------------------------------------- */

static void fill_name(char *dst, const char *src)
{
    /* Zero the whole array so that equal names mean equal bytes. */
    memset(dst, 0, HS_NAME_MAX);
    if (src)
        strncpy(dst, src, HS_NAME_MAX - 1);
}

static void fill_list(const struct hs_field *f, char *base)
{
    memset(base + f->off, 0, f->item_size * f->max);
    memcpy(base + f->off, f->def_list, f->item_size * f->def_n);
    *(size_t *)(void *)(base + f->count_off) = f->def_n;
}

void hs_schema_fill(const struct hs_field *f, void *base_)
{
    char *base = base_;
    void *at = base + f->off;

    switch (f->kind) {
    case HS_K_MAP:
        for (size_t i = 0; i < f->nsub; i++)
            hs_schema_fill(&f->sub[i], at);
        break;
    case HS_K_NUM:
    case HS_K_YEAR_NEVER:
        *(double *)at = f->def;
        break;
    case HS_K_BOOL:
        if (f->flags & HS_F_DOUBLE)
            *(double *)at = f->def;
        else
            *(int *)at = (int)f->def;
        break;
    case HS_K_ENUM:
        *(int *)at = (int)f->def;
        break;
    case HS_K_NAME:
        fill_name(at, f->def_name);
        break;
    case HS_K_DATED:
        memcpy(at, f->def_dated, sizeof(struct hs_dated));
        break;
    case HS_K_LIST:
        fill_list(f, base);
        break;
    case HS_K_PROBS:
        memcpy(at, f->def_list, sizeof(double) * HS_MAX_DONATIONS);
        break;
    case HS_K_ORGANSETS:
        memcpy(at, f->def_list, sizeof(uint32_t) * HS_MAX_DONATIONS);
        break;
    }
}

/* The defaults: the canonical world at scale 0.01.  The struct is cleared
 * first, so that names, unused table rows and padding are zero and two equal
 * parameter sets compare equal byte for byte. */
void hs_params_default(struct hs_params *p)
{
    memset(p, 0, sizeof *p);
    hs_schema_fill(&hs_schema_root, p);
}
