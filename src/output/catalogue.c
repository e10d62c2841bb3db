/* SPDX-License-Identifier: MIT
 *
 * catalogue.c - the rows of the figure catalogue (catalogue.h) and the
 * reference made from them.
 *
 * Two tables: the headline figures of a run (struct hs_summary), in the
 * order summary.json and the experiment's files give them, and the yearly
 * figures (struct hs_year_row), in the order of yearly.csv's columns.  A
 * row's label is what a reader sees in the terminal table, the report and
 * the experiment report; `plain` is the same label with the novel's
 * euphemisms said plainly (NULL when it has none).  Nothing else in the
 * program spells out a figure's name, label or number format.
 */
#include "catalogue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SUM(n, unit_, dig, fac, lab, pl, mean, fl)                                   \
    { .name = #n, .off = offsetof(struct hs_summary, n), .organ = -1, .unit = (unit_), \
      .digits = (dig), .factor = (fac), .label = (lab), .plain = (pl),              \
      .meaning = (mean), .flags = (fl) }

#define P HS_FIG_PUBLIC
#define T HS_FIG_TABLE

static const struct hs_figure headlines[] = {
    SUM(public_alive_end, "people", 0, 1, "the public alive at the end", NULL,
        "Members of the public alive when the run ends.", P | T),
    SUM(life_expectancy_end, "years", 1, 1, "life expectancy at birth in the last year", NULL,
        "Period life expectancy at birth of the public in the run's last year, from a life "
        "table of that year's deaths and exposures.", P | T),
    SUM(life_expectancy_all_end, "years", 1, 1,
        "life expectancy at birth, donors counted",
        "life expectancy at birth, counting the people raised for organs",
        "Period life expectancy at birth in the run's last year of everyone born, the donors "
        "counted as people: their completions are deaths, their years are lived years.",
        P | T),
    SUM(gain_life_expectancy, "years", 2, 1, "life expectancy the programme gave",
        "life expectancy the organs gave",
        "Life expectancy at birth in the last year, with the programme minus the same world "
        "(seed and replication) without the programme or its cures: a paired difference.",
        0),
    SUM(gain_life_expectancy_all, "years", 2, 1,
        "life expectancy the programme gave, donors counted",
        "life expectancy the organs gave, counting the people raised for them",
        "The same, with the donors counted as people in the world with the programme.", 0),
    SUM(gain_deaths_avoided, "people", 0, 1, "deaths of the public avoided", NULL,
        "Deaths of the public over the run in the same world without the programme, minus "
        "those with it: a paired difference.", 0),
    SUM(life_expectancy_mean, "years", 1, 1, "life expectancy at birth, mean over the years",
        NULL, "The mean of the yearly period life expectancies over the run.", P),
    SUM(reached_100_total, "people", 0, 1, "people who reached 100", NULL,
        "Members of the public whose hundredth birthday fell within the run.", P | T),
    SUM(public_deaths_total, "people", 0, 1, "deaths of the public", NULL,
        "Deaths of members of the public over the run.", P),
    SUM(donors_created, "people", 0, 1, "donors created", "people created for their organs",
        "Children created for the programme over the run.", T),
    SUM(donors_per_1000_births, "per 1,000 births", 1, 1, "donors created per 1,000 births",
        "people created for their organs per 1,000 births",
        "Children created for the programme per 1,000 children born to the public, over "
        "the run.", T),
    SUM(donors_completed, "people", 0, 1, "donors completed",
        "people raised for organs who died of the operations",
        "Donors who completed (died at a donation) within the run.", T),
    SUM(donations_total, "operations", 0, 1, "donations", "operations to remove organs",
        "Donations carried out over the run.", 0),
    SUM(donors_consumed_per_year, "people a year", 1, 1,
        "donors completed per year of the programme",
        "deaths from the operations per year of the programme",
        "Completions per year, over the years in which donors completed.", T),
    SUM(donors_share_of_england, "per 100,000 a year", 2, 1e5,
        "completions per year per 100,000 of the public",
        "deaths from the operations per year per 100,000 of the public",
        "Completions per year as a share of the public alive at the end (the files give "
        "the share; tables show it per 100,000).", 0),
    SUM(median_completion_age, "years", 1, 1, "median age at completion", "median age at death",
        "The median age of the donors who completed.", T),
    SUM(mean_donations_per_donor, "operations", 2, 1, "donations per donor created",
        "operations per person created for organs",
        "Donations over the run divided by the donors created (counting those who never "
        "reached a donation).", 0),
    SUM(transplants_total, "operations", 0, 1, "transplants", NULL,
        "Transplants of every organ and source.", P | T),
    SUM(transplants_programme, "operations", 0, 1, "transplants of the programme's organs", NULL,
        "Transplants of organs taken from donors of the programme.", 0),
    SUM(deaths_waiting_total, "people", 0, 1, "deaths on the waiting list", NULL,
        "Deaths, of any cause, of people on a waiting list.", P | T),
    SUM(curable_deaths_total, "people", 0, 1, "deaths the cures could prevent", NULL,
        "Deaths of a cause within the cures' reach: each put the person on a waiting list, "
        "urgently, for the organ that cures it.", P),
    SUM(cured_total, "people", 0, 1, "curable deaths prevented by an organ", NULL,
        "People listed for a curable death who received their organ in time.", P | T),
    SUM(deaths_uncured_total, "people", 0, 1, "curable deaths for want of an organ", NULL,
        "People listed for a curable death who died without their organ.", P | T),
    SUM(organs_wasted_total, "organs", 0, 1, "organs wasted: no recipient in time", NULL,
        "Organs that found no compatible recipient within their viability time.", P | T),
    SUM(life_years_gained, "years", 0, 1, "years gained by recipients, to the run's end", NULL,
        "Years of life transplant recipients gained, counted to the end of the run only.",
        P | T),
    SUM(life_years_per_donor, "years", 1, 1, "years gained per donor life, to the end",
        "years gained by the public per life taken, to the end",
        "Years of life gained by all transplant recipients, divided by the donors who "
        "completed; counted to the end of the run only.", T),
    SUM(life_years_taken, "years", 0, 1, "years taken from donors, whole expectation",
        "years taken from the people raised for organs, whole expectation",
        "For each donor who completed, the years a member of the public of the same sex and "
        "age would still have lived, by that year's mortality without cures: their whole "
        "expectation, past the run's end.", T),
    SUM(life_years_taken_per_donor, "years", 1, 1, "years taken per donor life",
        "years taken per life taken",
        "The years of life taken from the donors, divided by the donors who completed.", T),
    SUM(agitated_total, "operations", 0, 1, "donations after which the donor was agitated",
        "operations after which the person was agitated",
        "Donations after which the donor was agitated (a count of donations, not of donors).",
        T),
    SUM(outbursts_total, "outbursts", 0, 1, "outbursts", NULL,
        "Outbursts of agitated donors.", 0),
    SUM(deferral_applications, "couples", 0, 1, "deferrals asked for", NULL,
        "Couples' requests for a deferral.", T),
    SUM(deferrals_granted, "couples", 0, 1, "deferrals granted", NULL,
        "Deferrals granted.", T),
    SUM(gallery_size, "works", 0, 1, "works in the Gallery at the end", NULL,
        "Works kept in Madame's Gallery when the run ends.", T),
    SUM(carer_years_mean, "years", 1, 1, "years as a carer: mean", NULL,
        "The mean tenure of carers whose caring ended in a notice.", T),
    SUM(carer_years_p95, "years", 1, 1, "years as a carer: 95th percentile", NULL,
        "The 95th percentile of that tenure.", T),
    SUM(donors_without_carer_total, "donor-years", 0, 1, "donor-years without a carer",
        "years in which a person between operations went without a carer",
        "The sum over the years of the donors who went without a carer at some time in the "
        "year: a donor without one in three years counts three.", 0),
    SUM(ready_wait_days, "days", 1, 1, "days a ready donor waited for an order",
        "days a person waited, ready, to be operated on to order",
        "With donations on demand: the mean days a recovered donor or a carer due a notice "
        "waited to be called, by an order or when the longest wait ran out; empty on the "
        "rhythm.", 0),
};

#define YR(n, unit_, dig, lab, pl, mean, fl)                                          \
    { .name = #n, .off = offsetof(struct hs_year_row, n), .organ = -1, .unit = (unit_),  \
      .digits = (dig), .factor = 1, .label = (lab), .plain = (pl), .meaning = (mean),   \
      .flags = (fl) }
/* The same measure for each organ, from an array of struct hs_year_row. */
#define ORGAN(base, arr, k, o, unit_, lab, mean, fl)                                   \
    { .name = base "_" o, .off = offsetof(struct hs_year_row, arr) + (k) * sizeof(double), \
      .organ = (k), .unit = (unit_), .digits = 0, .factor = 1, .label = lab ": " o,      \
      .plain = NULL, .meaning = mean " (" o ").", .flags = (fl) }
#define ORGANS(base, arr, unit_, lab, mean, fl)                                       \
    ORGAN(base, arr, 0, "kidney", unit_, lab, mean, fl),                                 \
    ORGAN(base, arr, 1, "liver", unit_, lab, mean, fl),                                  \
    ORGAN(base, arr, 2, "heart", unit_, lab, mean, fl),                                  \
    ORGAN(base, arr, 3, "lung", unit_, lab, mean, fl),                                   \
    ORGAN(base, arr, 4, "pancreas", unit_, lab, mean, fl)

#define E HS_FIG_END

static const struct hs_figure yearlies[] = {
    YR(public_alive, "people", 0, "the public alive", NULL, "The public alive.", P | E),
    YR(life_expectancy, "years", 1, "life expectancy at birth", NULL,
       "Period life expectancy at birth, from the year's deaths and exposures.", P),
    YR(life_expectancy_all, "years", 1, "life expectancy at birth, donors counted", NULL,
       "Period life expectancy at birth of everyone born, the donors counted as people.", P),
    YR(reached_100, "people", 0, "people turning 100", NULL,
       "People whose hundredth birthday fell in the year.", P),
    YR(life_expectancy_male, "years", 1, "life expectancy at birth, men", NULL,
       "Period life expectancy at birth of the public's men (public.mortality.male_factor "
       "sets the sex gap by era).", P),
    YR(life_expectancy_female, "years", 1, "life expectancy at birth, women", NULL,
       "Period life expectancy at birth of the public's women.", P),
    YR(births, "people", 0, "births", NULL, "Births of the public.", P),
    YR(public_deaths, "people", 0, "deaths of the public", NULL, "Deaths of the public.", P),
    YR(immigrants, "people", 0, "immigrants", NULL,
       "People who came to live in England in the year and joined the public "
       "(public.migration).", P),
    YR(emigrants, "people", 0, "emigrants", NULL,
       "Members of the public who left England in the year (public.migration).", P),
    YR(listings, "people", 0, "listings", NULL,
       "People put on a waiting list (all organs).", P),
    YR(waiting, "people", 0, "people waiting", NULL, "People on a waiting list.", P | E),
    YR(transplants, "operations", 0, "transplants", NULL,
       "Transplants (all organs and sources).", P),
    YR(deaths_waiting, "people", 0, "deaths on the waiting list", NULL,
       "Deaths of listed people, of any cause.", P),
    YR(donors_created, "people", 0, "children created for the programme",
       "people created for their organs", "Donors created (born into a cohort).", 0),
    YR(students, "people", 0, "students (estates, the Cottages, training)", NULL,
       "Donors at an estate, the Cottages or training.", E),
    YR(carers, "people", 0, "carers", NULL, "Donors working as carers.", E),
    YR(donors, "people", 0, "donors, between donations", "people between organ removals",
       "Donors between their notice and completion.", E),
    YR(donations, "operations", 0, "donations", "operations to remove organs",
       "Donations (operations).", 0),
    YR(completions, "people", 0, "completions", "deaths from the operations",
       "Donors who completed.", 0),
    YR(organs_wasted, "organs", 0, "organs wasted", NULL,
       "Organs that found no compatible recipient within their viability time.", P),
    YR(donors_without_carer, "people", 0, "donors without a carer",
       "people between operations without a carer",
       "Donors who were without a carer at some time in the year.", 0),
    YR(agitated, "operations", 0, "donations after which the donor was agitated",
       "operations after which the person was agitated",
       "Donations after which the donor was agitated.", 0),
    YR(outbursts, "outbursts", 0, "outbursts", NULL, "Outbursts of agitated donors.", 0),
    YR(deferral_applications, "couples", 0, "deferrals asked for", NULL,
       "Couples' requests for a deferral.", 0),
    YR(deferrals_granted, "couples", 0, "deferrals granted", NULL, "Deferrals granted.", 0),
    YR(gallery_size, "works", 0, "works in the Gallery", NULL, "Works in the Gallery.", E),
    YR(transplants_programme, "operations", 0, "transplants of the programme's organs", NULL,
       "Transplants of organs from donors of the programme.", 0),
    YR(transplants_deceased, "operations", 0, "transplants from deceased donors", NULL,
       "Transplants of organs from real-world deceased donors.", P),
    YR(transplants_living, "operations", 0, "transplants from living donors", NULL,
       "Transplants of organs from real-world living donors.", P),
    YR(deceased_donors, "people", 0, "deceased donors", NULL, "Real-world deceased donors.", P),
    YR(living_donors, "people", 0, "living donors", NULL, "Real-world living donors.", P),
    YR(organs_planned, "organs", 0, "organs planned", NULL,
       "Organs the programme planned for this year when it made its cohorts.", 0),
    YR(waiting_for_bed, "operations", 0, "donations that waited for a bed", NULL,
       "Donations that had to wait for a recovery-centre bed.", 0),
    YR(curable_deaths, "people", 0, "deaths the cures could prevent", NULL,
       "Deaths within the cures' reach, each listed urgently for its organ.", P),
    YR(cured, "people", 0, "curable deaths prevented", NULL,
       "People listed for a curable death who received their organ in time.", P),
    YR(deaths_uncured, "people", 0, "curable deaths for want of an organ", NULL,
       "People listed for a curable death who died without their organ.", P),
    ORGANS("listings", listings_by, "people", "listings", "People put on the waiting list",
           P),
    ORGANS("waiting", waiting_by, "people", "people waiting", "People on the waiting list",
           P | E),
    ORGANS("transplants", transplants_by, "operations", "transplants", "Transplants", P),
    ORGANS("deaths_waiting", deaths_waiting_by, "people", "deaths on the waiting list",
           "Deaths of people on the waiting list", P),
    ORGANS("organs_offered", organs_offered_by, "organs", "organs offered",
           "Organs offered to the waiting lists, of every source", P),
    ORGANS("organs_wasted", organs_wasted_by, "organs", "organs wasted",
           "Organs that found no compatible recipient within their viability time", P),
};

#undef P
#undef T
#undef E

#define NHEAD (sizeof headlines / sizeof headlines[0])
#define NYEAR (sizeof yearlies / sizeof yearlies[0])

size_t hs_cat_headlines(void)
{
    return NHEAD;
}

const struct hs_figure *hs_cat_headline(size_t i)
{
    return i < NHEAD ? &headlines[i] : NULL;
}

size_t hs_cat_yearlies(void)
{
    return NYEAR;
}

const struct hs_figure *hs_cat_yearly(size_t i)
{
    return i < NYEAR ? &yearlies[i] : NULL;
}

static const struct hs_figure *find(const struct hs_figure *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

const struct hs_figure *hs_cat_headline_find(const char *name)
{
    return find(headlines, NHEAD, name);
}

const struct hs_figure *hs_cat_yearly_find(const char *name)
{
    return find(yearlies, NYEAR, name);
}

static double at(const void *base, size_t off)
{
    double v;
    memcpy(&v, (const char *)base + off, sizeof v);
    return v;
}

double hs_cat_headline_value(const struct hs_figure *f, const struct hs_summary *s)
{
    return f ? at(s, f->off) : NAN;
}

double hs_cat_yearly_value(const struct hs_figure *f, const struct hs_year_row *r)
{
    return f ? at(r, f->off) : NAN;
}

void hs_cat_scale_note(char *buf, size_t n, const char *scenario, double scale,
                       double calibrated)
{
    if (!(calibrated > 0) || !(scale > 0) || scale == calibrated) {
        snprintf(buf, n, "%s", "");
        return;
    }
    snprintf(buf, n, "%s's waiting lists and organs wasted were calibrated at scale %g, and "
                     "this run is at %g: %s (docs/model.md, \"Scale\").",
             scenario, calibrated, scale,
             scale < calibrated
                 ? "in a smaller world each blood group's list holds fewer people, so more "
                   "organs find nobody and the lists of the rarer organs run longer"
                 : "in a larger world each blood group's list holds more people, so fewer "
                   "organs are wasted and the lists of the rarer organs run shorter");
}

const char *hs_cat_label(const struct hs_figure *f, int plain)
{
    return plain && f->plain ? f->plain : f->label;
}

/* ---- the reference -------------------------------------------------------- */

static void md_table(FILE *f, const struct hs_figure *t, size_t n, int yearly)
{
    fprintf(f, "| name | unit | meaning | label | plain label |%s\n|---|---|---|---|---|%s\n",
            yearly ? "" : " without |", yearly ? "" : "---|");
    for (size_t i = 0; i < n; i++) {
        const struct hs_figure *r = &t[i];
        fprintf(f, "| `%s` | %s | %s%s | %s | %s |", r->name, r->unit, r->meaning,
                yearly && (r->flags & HS_FIG_END) ? " At the year's end." : "", r->label,
                r->plain ? r->plain : "");
        if (!yearly)
            fprintf(f, " %s |", r->flags & HS_FIG_PUBLIC ? "yes" : "");
        fputc('\n', f);
    }
}

int hs_cat_markdown(FILE *f)
{
    fprintf(f, "### Headline figures (summary.json, experiments)\n\n"
               "`headline`, `baseline` and `ceiling` in summary.json, and every experiment "
               "file, give these figures by name. *without*: the comparison worlds (without "
               "the programme or its cures, and at perfect supply) have the figure too (the "
               "others are about the programme, and are 0 or empty there).\n\n");
    md_table(f, headlines, NHEAD, 0);
    fprintf(f, "\n### Yearly figures (yearly.csv, run.sqlite, experiments)\n\n"
               "One column per figure after `year`, the calendar year. Counts are over the "
               "year unless they are taken at its end.\n\n");
    md_table(f, yearlies, NYEAR, 1);
    return ferror(f) ? -1 : 0;
}

int hs_cat_is_count(const struct hs_figure *f)
{
    static const char *const units[] = {"people", "couples", "operations", "organs",
                                        "outbursts", "works", "donor-years"};
    for (size_t i = 0; f && f->digits == 0 && i < sizeof units / sizeof units[0]; i++)
        if (strcmp(f->unit, units[i]) == 0)
            return 1;
    return 0;
}
