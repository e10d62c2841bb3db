/* SPDX-License-Identifier: MIT
 *
 * prose.c - the words of the report, in both registers.
 *
 * The novel's words (donors, donations, completing) are the programme's
 * own; with --plain every label and sentence says what they hide (people
 * raised for their organs, operations that remove them, deaths).  Either
 * way the page says what the numbers mean for the people counted in them.
 * Here are the ledes, the glossary, the names of the headline figures and
 * the sentences of the charts' captions, which take the numbers a chart's
 * row in run_charts.c (or an experiment chart) has read.  Numbers are
 * written with thousands separators, and a missing one as an em dash.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *rp_word(const struct report *r, const char *novel, const char *plain)
{
    return r->plain ? plain : novel;
}

const char *rp_say(const struct report *r, struct words w)
{
    return r->plain && w.plain ? w.plain : w.novel;
}

void rp_fmt_num(char *buf, size_t n, double v, int digits)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "\xe2\x80\x94");
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", digits, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw) && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < ilen && o + 2 < n; i++) {
        buf[o++] = raw[i];
        size_t left = ilen - i - 1;
        if (left > 0 && left % 3 == 0)
            buf[o++] = ',';
    }
    for (const char *s = raw + ilen; *s && o + 1 < n; s++)
        buf[o++] = *s;
    buf[o < n ? o : n - 1] = '\0';
}

void rp_scaled(const struct report *r, char *buf, size_t n, const char *what)
{
    snprintf(buf, n, "%s%s", what, r->scale_note);
}

/* ---- the figures' names ------------------------------------------------------------------ */

/* A headline figure's label as the report shows it: the catalogue's, in
 * the report's register, with its unit when the label does not say it. */
void rp_headline_label(const struct report *r, const struct hs_figure *f, char *buf, size_t n)
{
    const char *l = hs_cat_label(f, r->plain);
    if (strcmp(f->unit, "years") == 0 && strstr(l, "year") == NULL)
        snprintf(buf, n, "%s (years)", l);
    else
        snprintf(buf, n, "%s", l);
}

/* Plain words for a figure name that no table knows. */
static void plain_name(const char *name, int plain, char *buf, size_t n)
{
    static const char *const swap[][2] = {
        {"donors", "people raised for organs"}, {"donor", "person raised for organs"},
        {"donations", "organ removals"}, {"donation", "organ removal"},
        {"completions", "deaths"}, {"completed", "dead"}, {"completion", "death"},
        {"complete", "die"}, {"recovery centre", "holding centre"},
    };
    size_t o = 0;
    for (const char *s = name; *s && o + 1 < n;) {
        size_t k, m = sizeof swap / sizeof swap[0];
        for (k = 0; plain && k < m; k++)
            if (strncmp(s, swap[k][0], strlen(swap[k][0])) == 0)
                break;
        if (plain && k < m) {
            int w = snprintf(buf + o, n - o, "%s", swap[k][1]);
            o = w < 0 ? o : fmin((double)(o + (size_t)w), (double)(n - 1));
            s += strlen(swap[k][0]);
        } else {
            buf[o++] = *s == '_' ? ' ' : *s;
            s++;
        }
    }
    buf[o] = '\0';
}

void rp_figure_label(const struct report *r, const char *name, char *buf, size_t n)
{
    const struct hs_figure *f = hs_cat_headline_find(name);
    if (f)
        rp_headline_label(r, f, buf, n);
    else
        plain_name(name, r->plain, buf, n);   /* a figure of another version */
}

double rp_figure_factor(const char *name)
{
    const struct hs_figure *f = hs_cat_headline_find(name);
    return f ? f->factor : 1;
}

int rp_figure_digits(const char *name)
{
    const struct hs_figure *f = hs_cat_headline_find(name);
    return f ? f->digits : 2;
}

/* ---- the glossary and the ledes ------------------------------------------------------------ */

const struct glossary_term rp_glossary[] = {
    {"complete", "to die, usually at the second, third or fourth donation; the fourth "
                 "completes everyone who is left."},
    {"donation", "an operation that removes organs from a donor."},
    {"donor", "a person created and raised so that their organs can be taken."},
    {"recovery centre", "where donors wait between operations, recovering for the next."},
    {"carer", "a donor-to-be who looks after donors for some years, until their own "
              "notice comes."},
    {"notice", "the summons to the first donation."},
};
const size_t rp_nglossary = sizeof rp_glossary / sizeof rp_glossary[0];

const char rp_plain_note[] =
    "This is the plain version of the report. It does not use the programme's own words: a "
    "death is called a death, an operation that takes organs is called that, and the places "
    "where people were kept between operations are called holding centres, which is what "
    "they were.";

const char *rp_run_lede(const struct report *r, int has_programme)
{
    if (!has_programme)
        return "This run has no programme: it is England with organs only from those who died "
               "and from living people who chose to give one. It is the world the programme's "
               "worlds are measured against.";
    return rp_word(r, "This report sets what the programme gave the public beside what it "
                      "took from the donors. In the novel's words a donor completes; here, "
                      "as there, that means a young person has died so that others may live "
                      "longer.",
                   "This report sets what the programme gave the public beside what it took "
                   "from the people raised for their organs. Each death counted here is of "
                   "a young person who was made and raised so that others might live "
                   "longer.");
}

const char *rp_exp_lede(const struct report *r)
{
    return rp_word(r, "Each point of this experiment is the same world run many times with "
                      "different random streams; the bands and bars say how far chance alone "
                      "moves each figure. Every completion counted is a donor's death.",
                   "Each point of this experiment is the same world run many times with "
                   "different random streams; the bands and bars say how far chance alone "
                   "moves each figure. Every death counted is of a person raised for their "
                   "organs.");
}

int rp_headline_lede(const struct report *r, const json_t *h, char *s, size_t n)
{
    if (!(rp_jnum(h, "donors_completed") > 0))
        return 0;
    char y[32], m[32], t[32], all[32], pub[32];
    rp_fmt_num(y, sizeof y, rp_jnum(h, "life_years_per_donor"), 1);
    rp_fmt_num(m, sizeof m, rp_jnum(h, "median_completion_age"), 1);
    rp_fmt_num(t, sizeof t, rp_jnum(h, "life_years_taken_per_donor"), 1);
    rp_fmt_num(all, sizeof all, rp_jnum(h, "life_expectancy_all_end"), 1);
    rp_fmt_num(pub, sizeof pub, rp_jnum(h, "life_expectancy_end"), 1);
    if (r->plain)
        snprintf(s, n, "For every life the programme took, the public gained %s years of "
                       "life by the end of the run; the people it was taken from died at a "
                       "median age of %s, each losing about %s years that a member of the "
                       "public of that age would still have lived. Counting them as people, "
                       "life expectancy at birth in the last year was %s, not the public's %s.",
                 y, m, t, all, pub);
    else
        snprintf(s, n, "For every donor life the programme took, the public gained %s years "
                       "of life by the end of the run; the donors themselves completed at a "
                       "median age of %s, each losing about %s years that a member of the "
                       "public of that age would still have lived. Counting the donors as "
                       "people, life expectancy at birth in the last year was %s, not the "
                       "public's %s.", y, m, t, all, pub);
    return 1;
}

/* ---- the run charts' captions ---------------------------------------------------------------- */

/* v: the last year with a life expectancy, it, the world without's and
 * the ceiling's. */
void rp_cap_gain(const struct report *r, const double *v, char *cap, size_t n)
{
    char c[200] = "";
    if (r->has_ceiling && !isnan(v[2]))
        snprintf(c, sizeof c, " Perfect supply, every curable death given its organ at once, "
                 "would have given %+.1f: the gap between the two lines is what the "
                 "programme's size and its years of growing leave out.", v[2]);
    snprintf(cap, n, "Life expectancy at birth with the %s minus the same world without it or "
             "its cures, year by year, on the same random streams: %+.1f years in %.0f.%s%s",
             rp_word(r, "programme", "organ programme"), v[1], v[0], c,
             r->other_medicine ? " Medicine other than organs, assumed by the scenario, "
                                 "is in both worlds and so not in the difference." : "");
}

void rp_cap_life_expectancy(const struct report *r, const double *v, char *cap, size_t n)
{
    char a[32], b[32], d[32], c[32], more[400] = "";
    rp_fmt_num(a, sizeof a, v[1], 1);
    if (r->has_ceiling && !isnan(v[3])) {
        rp_fmt_num(c, sizeof c, v[3], 1);
        snprintf(more, sizeof more, r->no_programme
                 ? " Had every patient listed been given an organ at once, it would have been "
                   "%s: the most that organs could give this world."
                 : " At perfect supply, every curable death given its organ at once, it would "
                   "have been %s: the most that organs could give this world.", c);
    }
    if (r->other_medicine)
        snprintf(more + strlen(more), sizeof more - strlen(more),
                 " In all of these worlds mortality is also lowered by medicine other than "
                 "organs, an assumption of the scenario (public.mortality.other_medicine).");
    if (r->has_baseline && !isnan(v[2])) {
        rp_fmt_num(b, sizeof b, v[2], 1);
        snprintf(d, sizeof d, "%+.1f", v[1] - v[2]);
        snprintf(cap, n, "In %.0f a child born into this England could expect %s years of "
                         "life, against %s in the same world without the programme or its "
                         "cures; the difference, %s years, is what the %s added.%s", v[0], a, b,
                 d, rp_word(r, "donors' organs", "organs taken from the people raised for them"),
                 more);
    } else if (r->no_programme) {
        snprintf(cap, n, "In %.0f a child born into this England could expect %s years of "
                         "life.%s", v[0], a, more);
    } else {
        snprintf(cap, n, "In %.0f a child born into this England could expect %s years of "
                         "life; the run has no world without the programme to set beside it.%s",
                 v[0], a, more);
    }
}

/* v: people who turned 100 over the run, with and without the programme. */
void rp_cap_reached_100(const struct report *r, const double *v, char *cap, size_t n)
{
    char a[32], b[32];
    rp_fmt_num(a, sizeof a, v[0], 0);
    if (r->has_baseline && !isnan(v[1])) {
        rp_fmt_num(b, sizeof b, v[0] - v[1], 0);
        snprintf(cap, n, "Over the run %s people reached their hundredth birthday, %s more "
                         "than in the same world without the programme.", a, b);
    } else {
        snprintf(cap, n, "Over the run %s people reached their hundredth birthday.", a);
    }
}

/* v: the last year and how many were waiting at its end. */
void rp_cap_waiting(const struct report *r, const double *v, char *cap, size_t n)
{
    char a[32];
    rp_fmt_num(a, sizeof a, v[1], 0);
    snprintf(cap, n, "People of the public on the waiting list at the end of each year, by "
                     "the organ they need; at the end of %.0f, %s were waiting.%s%s", v[0], a,
             r->calibration_note[0] ? " " : "", r->calibration_note);
}

/* v: transplants over the run, and the first year with one. */
void rp_cap_transplants(const struct report *r, const double *v, char *cap, size_t n)
{
    char a[32];
    rp_fmt_num(a, sizeof a, v[0], 0);
    if (r->no_programme)
        snprintf(cap, n, "Transplants of organs from the dead and the living, by organ: %s "
                         "over the run, the first in %.0f. The points are England's, per head "
                         "as in the run.", a, v[1]);
    else
        snprintf(cap, n, "Transplants by organ, from every source: %s over the run, the first "
                         "in %.0f.", a, v[1]);
}

/* v: deaths on the waiting list over the run, with and without the programme. */
void rp_cap_wait_deaths(const struct report *r, const double *v, char *cap, size_t n)
{
    char a[32], b[32];
    rp_fmt_num(a, sizeof a, v[0], 0);
    if (r->has_baseline && !isnan(v[1])) {
        double avoided = v[1] - v[0];
        rp_fmt_num(b, sizeof b, fabs(avoided), 0);
        if (avoided >= 0)
            snprintf(cap, n, "%s people died waiting for an organ; without the programme %s "
                             "more would have, and each of those lives was paid for with "
                             "organs taken from %s.", a, b,
                     rp_word(r, "a donor", "a person raised for them"));
        else if (v[2] > 0) {
            char u[32];
            rp_fmt_num(u, sizeof u, v[2], 0);
            snprintf(cap, n, "%s people died waiting for an organ, %s more than in the same "
                             "world without the programme: %s of them were listed at a death "
                             "the cures could prevent and did not get their organ in time; "
                             "without the programme there is no cure to wait for, and those "
                             "deaths come without a listing.", a, b, u);
        } else {
            snprintf(cap, n, "%s people died waiting for an organ, %s more than in the same "
                             "world without the programme.", a, b);
        }
    } else {
        snprintf(cap, n, "%s people died waiting for an organ over the run.", a);
    }
}

/* v: the last year, and the students, carers and donors alive at its end. */
void rp_cap_stages(const struct report *r, const double *v, char *cap, size_t n)
{
    char t[32], s[32], c[32], d[32];
    rp_fmt_num(t, sizeof t, v[1] + v[2] + v[3], 0);
    rp_fmt_num(s, sizeof s, v[1], 0);
    rp_fmt_num(c, sizeof c, v[2], 0);
    rp_fmt_num(d, sizeof d, v[3], 0);
    snprintf(cap, n, "At the end of %.0f, %s people were in the programme: %s students, %s "
                     "carers and %s %s; every one of them was raised to %s.", v[0], t, s, c, d,
             rp_word(r, "donors", "waiting for their next operation"),
             rp_word(r, "give organs until they completed", "have organs removed until they died"));
}

/* v: children created, donations and completions over the run. */
void rp_cap_yearly(const struct report *r, const double *v, char *cap, size_t n)
{
    char a[32], b[32], c[32];
    rp_fmt_num(a, sizeof a, v[0], 0);
    rp_fmt_num(b, sizeof b, v[1], 0);
    rp_fmt_num(c, sizeof c, v[2], 0);
    snprintf(cap, n, "Over the run %s children were created for the programme, %s %s were "
                     "carried out and %s %s; a cohort gives its first organs some twenty years "
                     "after it is made.", a, b,
             rp_word(r, "donations", "operations to remove organs"), c,
             rp_word(r, "donors completed", "of the people operated on died"));
}

/* v: the per cent who completed at the fourth donation, and sooner. */
void rp_cap_by_number(const struct report *r, const double *v, char *cap, size_t n)
{
    if (r->plain)
        snprintf(cap, n, "%.0f%% died at the fourth operation, which kills everyone who is "
                         "left; %.0f%% died sooner, as Chrissie and Ruth did at their second.",
                 v[0], v[1]);
    else
        snprintf(cap, n, "%.0f%% completed at the fourth donation, which completes everyone "
                         "who is left; %.0f%% sooner, as Chrissie and Ruth did at their second.",
                 v[0], v[1]);
}

/* v: carers, the per cent who cared twelve years, the longest, the median. */
void rp_cap_tenure(const struct report *r, const double *v, char *cap, size_t n)
{
    char m[32];
    rp_fmt_num(m, sizeof m, v[3], 1);
    snprintf(cap, n, "Half the carers cared for %s years or less before %s; %.1f%% lasted as "
                     "long as Kathy's twelve, a long tail, not the rule.",
             m, rp_word(r, "their notice came", "they were sent for their own operations"), v[1]);
}

/* v: how many donors the run made. */
const char *rp_why_no_life_course(const struct report *r, const double *v)
{
    if (!(v[0] > 0))
        return "This run has no programme: there are no lives to chart.";
    return rp_word(r, "No donor had left an estate by the end of the run: there are no life "
                      "courses to chart yet.",
                   "Nobody raised for organs had left an estate by the end of the run: there "
                   "are no life courses to chart yet.");
}

/* ---- the experiment charts' captions --------------------------------------------------------- */

void rp_cap_band(char *cap, size_t n, const char *title, double reps)
{
    snprintf(cap, n, "%s: the mean of %.0f replications at each point of the sweep, inside "
                     "its 95%% confidence band.", title, reps);
}

void rp_cap_sweep(char *cap, size_t n, size_t npoints, const char *label, const char *title,
                  const char *lo, const char *hi, const char *at_lo, const char *at_hi)
{
    if (npoints > 1 && strcmp(lo, hi) != 0)
        snprintf(cap, n, "%s across the sweep: lowest at %s (%s), highest at %s (%s); each "
                         "bar is the 95%% confidence interval its replications allow.", title,
                 at_lo, lo, at_hi, hi);
    else if (npoints > 1)
        snprintf(cap, n, "%s: %s at every point of the sweep, within the 95%% confidence "
                         "intervals shown.", title, lo);
    else
        snprintf(cap, n, "The mean of %s over the replications, %s, with its 95%% confidence "
                         "interval.", label, lo);
}

void rp_could_answer(const struct report *r, char *s, size_t n)
{
    /* could-it-work wrote the answer in both registers (src/world/could.c) */
    const json_t *a = json_object_get(r->could, "answer");
    const char *t = json_string_value(json_object_get(a, r->plain ? "text_plain" : "text"));
    snprintf(s, n, "%s", t ? t : "could.json gives no answer in words.");
}

void rp_cap_could_size(const struct report *r, char *cap, size_t n)
{
    snprintf(cap, n, "Each point is a programme of one size: the planner's margin, from a tenth "
             "of the demand it forecasts to eight times it, its recovery beds in proportion, run "
             "%.0f times on the same seeds as the others, so that the points differ by the size "
             "and not by chance; the bars are 95%% intervals. The grey line is the same world "
             "%s, the green one perfect supply (every listing given its organ at once: the "
             "ceiling no size can pass), the dashed one the target.",
             rp_jnum(r->could, "replications"),
             rp_word(r, "without the programme or its cures", "without the organs or the cures "
                     "they make"));
}

/* A data table's column, named in the report's register: the novel's
 * words of the report's own queries, said plainly with --plain. */
const char *rp_column_word(const struct report *r, const char *name)
{
    static const struct {
        const char *novel, *plain;
    } cols[] = {
        {"donors_created", "people_created"}, {"donations", "operations"},
        {"completions", "deaths"}, {"donation", "operation"}, {"donors", "people"},
        {"and_donors", "and_those_between_operations"},
    };
    for (size_t i = 0; r->plain && i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(name, cols[i].novel) == 0)
            return cols[i].plain;
    return name;
}
