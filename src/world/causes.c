/* SPDX-License-Identifier: MIT
 *
 * causes.c - the cause groups of death, and the share of each among the
 * deaths of an age and a period.
 *
 * Every background death of the public draws a cause group here; the cures
 * (public.c) decide from it whether an organ could have prevented the
 * death.  The shares are a table by age band and period, one row per
 * (period, band), interpolated linearly between periods and held constant
 * before the first and after the last.  docs/model.md gives their sources
 * and says which values are provisional.
 */
#include "world_impl.h"

/* One row per cause group: its name in files and docs, and the organ that
 * replaces what fails (the canonical mapping, a scenario's default). */
const struct hs_cause_info hs_causes[HS_NCAUSES] = {
    [HS_CAUSE_CIRCULATORY] = {"circulatory", "circulatory diseases: heart disease and stroke",
                              HS_ORGAN_HEART},
    [HS_CAUSE_LUNG_CANCER] = {"lung_cancer", "cancer of the trachea, bronchus and lung",
                              HS_ORGAN_LUNG},
    [HS_CAUSE_OTHER_CANCERS] = {"other_cancers", "every other cancer", HS_ORGAN_NONE},
    [HS_CAUSE_RESPIRATORY] = {"respiratory", "respiratory diseases: bronchitis, emphysema, "
                              "pneumonia and the rest", HS_ORGAN_LUNG},
    [HS_CAUSE_LIVER] = {"liver", "liver disease and liver cancer", HS_ORGAN_LIVER},
    [HS_CAUSE_RENAL] = {"renal", "kidney disease: nephritis and renal failure", HS_ORGAN_KIDNEY},
    [HS_CAUSE_DIABETES] = {"diabetes", "diabetes", HS_ORGAN_PANCREAS},
    [HS_CAUSE_EXTERNAL] = {"external", "accidents, suicide and violence", HS_ORGAN_NONE},
    [HS_CAUSE_INFECTIONS] = {"infections", "infections, tuberculosis among them", HS_ORGAN_NONE},
    [HS_CAUSE_DEMENTIA] = {"dementia", "dementia and Alzheimer's disease", HS_ORGAN_NONE},
    [HS_CAUSE_INFANT] = {"infant", "conditions of birth and congenital anomalies",
                         HS_ORGAN_NONE},
    [HS_CAUSE_OTHER] = {"other", "every other cause", HS_ORGAN_NONE},
};

/* Age bands: [lo, next band's lo). */
static const double band_lo[] = {0, 1, 15, 45, 65, 75, 85};
#define NBANDS (sizeof band_lo / sizeof band_lo[0])

/* Shares in per cent of the band's deaths, in the order of the enum:
 * circulatory, lung cancer, other cancers, respiratory, liver, renal,
 * diabetes, external, infections, dementia, infant, other.  Each row sums
 * to 100 (a test checks it).  Sources and status: docs/model.md, "Causes
 * of death": the 2011 rows for ages 15 to 84 are ONS registrations
 * (data/real/deaths_by_cause_age.csv), with kidney disease, diabetes and
 * dementia split from ONS's remainder provisionally; the 1950 rows and the
 * other bands are provisional. */
static const struct {
    double year;
    double pct[NBANDS][HS_NCAUSES];
} periods[] = {
    {1950, {
        {0, 0, 0, 15, 0, 0, 0, 2, 8, 0, 70, 5},            /* under 1 */
        {3, 0, 8, 22, 1, 2, 0.5, 28, 17, 0, 8, 10.5},      /* 1-14 */
        {14, 2, 14, 8, 2, 4, 1, 25, 18, 0, 0, 12},         /* 15-44 */
        {38, 7, 20, 10, 2, 3, 1, 4, 6, 0, 0, 9},           /* 45-64 */
        {50, 4, 17, 11, 1.5, 3, 1.5, 2, 2, 0.5, 0, 7.5},   /* 65-74 */
        {58, 1.5, 12, 13, 1, 2.5, 1.5, 2, 1, 1, 0, 6.5},   /* 75-84 */
        {60, 0.5, 7, 16, 0.5, 2, 1, 2, 1, 2, 0, 8},        /* 85 and over */
    }},
    {2011, {
        {1, 0, 1, 3, 0, 0, 0, 2, 3, 0, 80, 10},
        {5, 0, 17, 7, 1, 1, 0.5, 25, 5, 0, 15, 23.5},
        {13.3, 1.5, 19.8, 4.3, 7.7, 0.5, 1, 35.4, 1.6, 0.3, 0.5, 14.1},
        {22.6, 10.3, 34.4, 7.6, 6.3, 0.8, 1.2, 6.5, 1.2, 0.7, 0, 8.4},
        {25.8, 12.2, 33.5, 12, 1.8, 1.2, 1.3, 1.9, 0.9, 2.5, 0, 6.9},
        {31, 7, 24, 14, 0.8, 2, 1.3, 1.6, 1.3, 8, 0, 9},
        {33, 2, 10, 15, 0.5, 2, 1, 1.5, 2, 22, 0, 11},
    }},
};
#define NPERIODS (sizeof periods / sizeof periods[0])

double hs_cause_share(int cause, double age, double year)
{
    size_t b = NBANDS - 1;
    while (b > 0 && age < band_lo[b])
        b--;
    if (year <= periods[0].year)
        return periods[0].pct[b][cause] / 100.0;
    for (size_t i = 1; i < NPERIODS; i++)
        if (year < periods[i].year) {
            double f = (year - periods[i - 1].year) / (periods[i].year - periods[i - 1].year);
            return ((1.0 - f) * periods[i - 1].pct[b][cause] + f * periods[i].pct[b][cause]) /
                   100.0;
        }
    return periods[NPERIODS - 1].pct[b][cause] / 100.0;
}

int hsw_draw_cause(hs_rng *r, double age, double year)
{
    double u = hs_rng_uniform(r), acc = 0.0;
    for (int c = 0; c < HS_NCAUSES - 1; c++) {
        acc += hs_cause_share(c, age, year);
        if (u < acc)
            return c;
    }
    return HS_NCAUSES - 1;
}
