/* SPDX-License-Identifier: MIT
 *
 * chronicle_web.c - the chronicle's reading functions (chronicle_impl.h)
 * for the web page, which has no run.sqlite: the page's last run keeps its
 * donors, donations and last chip readings in memory (hsweb.c fills them
 * through the world's sink), and each function here answers what its twin
 * in src/report/chronicle_read.c answers from the tables, with the same
 * texts (dates and organ lists by src/output/yearly.c, as output.c writes
 * them), so that src/report/chronicle.c tells the same life in the page as
 * `hailsham chronicle` does from the run's files.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../output/output.h"
#include "../report/chronicle_impl.h"
#include "chronicle_web.h"
#include "scenario.h"

static struct hs_web_run run;

/* ---- keeping the run --------------------------------------------------- */

/* The world's strings live only during a sink's call: keep each once. */
static const char *intern(const char *s)
{
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < run.nstrings; i++)
        if (strcmp(run.strings[i], s) == 0)
            return run.strings[i];
    if (run.nstrings == run.cstrings) {
        size_t cap = run.cstrings ? 2 * run.cstrings : 16;
        char **v = realloc(run.strings, cap * sizeof *v);
        if (v == NULL)
            return NULL;
        run.strings = v;
        run.cstrings = cap;
    }
    char *copy = strdup(s);
    if (copy == NULL)
        return NULL;
    run.strings[run.nstrings++] = copy;
    return copy;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 256;
    void *nv = realloc(*v, c * size);
    if (nv == NULL)
        return -1;
    *v = nv;
    *cap = c;
    return 0;
}

void hs_web_run_clear(void)
{
    for (size_t i = 0; i < run.nstrings; i++)
        free(run.strings[i]);
    free(run.strings);
    free(run.donors);
    free(run.donations);
    free(run.last);
    memset(&run, 0, sizeof run);
}

void hs_web_run_start(const struct hs_params *p)
{
    hs_web_run_clear();
    run.p = *p;
}

static int keep_donation(void *ctx, const struct hs_donation_row *r)
{
    (void)ctx;
    if (grow((void **)&run.donations, &run.cdonations, run.ndonations, sizeof *run.donations))
        return HS_ENOMEM;
    struct hs_donation_row *d = &run.donations[run.ndonations++];
    *d = *r;
    d->centre = intern(r->centre);
    return HS_OK;
}

static int keep_move(void *ctx, const struct hs_move_row *r)
{
    (void)ctx;
    if (r->donor >= run.clast) {
        size_t cap = run.clast ? run.clast : 1024;
        while (cap <= r->donor)
            cap *= 2;
        struct hs_web_reading *v = realloc(run.last, cap * sizeof *v);
        if (v == NULL)
            return HS_ENOMEM;
        memset(v + run.clast, 0, (cap - run.clast) * sizeof *v);
        run.last = v;
        run.clast = cap;
    }
    struct hs_web_reading *l = &run.last[r->donor];
    /* the latest reading; of two on one day, the first (the table's order) */
    if (l->count == 0 || r->t > l->t) {
        l->t = r->t;
        l->place = intern(r->place);
    }
    l->count++;
    return HS_OK;
}

static int keep_donor(void *ctx, const struct hs_donor_row *r)
{
    (void)ctx;
    if (grow((void **)&run.donors, &run.cdonors, run.ndonors, sizeof *run.donors))
        return HS_ENOMEM;
    struct hs_donor_row *d = &run.donors[run.ndonors++];
    *d = *r;
    d->estate = intern(r->estate);
    d->cottages = intern(r->cottages);
    return HS_OK;
}

void hs_web_run_sink(struct hs_world_sink *sink)
{
    sink->donation = keep_donation;
    sink->move = keep_move;
    sink->donor = keep_donor;
}

static int by_id(const void *a, const void *b)
{
    const struct hs_donor_row *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_donor(const void *a, const void *b)
{
    const struct hs_donation_row *x = a, *y = b;
    if (x->donor != y->donor)
        return x->donor < y->donor ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

void hs_web_run_done(void)
{
    qsort(run.donors, run.ndonors, sizeof *run.donors, by_id);
    qsort(run.donations, run.ndonations, sizeof *run.donations, by_donor);
    run.complete = 1;
}

const struct hs_web_run *hs_web_run_get(void)
{
    return &run;
}

static const struct hs_donor_row *find_donor(long long id)
{
    size_t lo = 0, hi = run.ndonors;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((long long)run.donors[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < run.ndonors && (long long)run.donors[lo].id == id ? &run.donors[lo] : NULL;
}

/* ---- the chronicle's reading functions --------------------------------- */

int ch_fail(struct ctx *c, int status, const char *msg)
{
    if (c->status == HS_CHRONICLE_OK) {
        c->status = status;
        snprintf(c->err, c->errlen, "%s", msg);
    }
    return c->status;
}

int ch_fail_db(struct ctx *c)
{
    return ch_fail(c, HS_CHRONICLE_EDATA, "the page has no complete run to tell from");
}

static void date_of(double day, char *buf, size_t n)
{
    hs_output_date(run.p.start_year, day, buf, n);
}

static void text(char *buf, size_t n, const char *s)
{
    snprintf(buf, n, "%s", s ? s : "");
}

/* The parameters as the parameters table holds them (output.c writes them
 * with hs_scenario_visit), taken as chronicle_read.c takes that table's. */
static void visit(void *ctx, const char *k, const char *v)
{
    ch_take_parameter(ctx, k, v);
}

int ch_open_run(struct ctx *c)
{
    if (!run.complete)
        return ch_fail_db(c);
    c->end_year = 1999;
    c->deferral_years = 3.5;
    hs_scenario_visit(&run.p, visit, c);
    c->has_chips = 1;
    return HS_CHRONICLE_OK;
}

void ch_close(struct ctx *c)
{
    (void)c;
}

int ch_read_life(struct ctx *c, long long id, struct life *l)
{
    (void)c;
    memset(l, 0, sizeof *l);
    const struct hs_donor_row *r = find_donor(id);
    if (r == NULL)
        return 0;
    l->id = r->id;
    text(l->name, sizeof l->name, r->name);
    text(l->estate, sizeof l->estate, r->estate);
    text(l->cottages, sizeof l->cottages, r->cottages);
    l->cohort = r->cohort;
    l->male = r->sex != 0;
    date_of(r->created, l->created, sizeof l->created);
    date_of(r->left_estate, l->left, sizeof l->left);
    date_of(r->training, l->training, sizeof l->training);
    date_of(r->carer, l->carer, sizeof l->carer);
    date_of(r->notice, l->notice, sizeof l->notice);
    date_of(r->completed, l->completed, sizeof l->completed);
    l->carer_years = r->carer_years;
    l->partner = r->partner >= 0 ? r->partner : -1;
    text(l->deferral, sizeof l->deferral, r->deferral == HS_DEFERRAL_GRANTED ? "granted"
                                          : r->deferral == HS_DEFERRAL_REFUSED ? "refused"
                                                                               : NULL);
    l->gallery = r->gallery_works;
    text(l->stage, sizeof l->stage, hs_stage_name(r->stage));
    if (!l->name[0])
        snprintf(l->name, sizeof l->name, "Donor %lld", l->id);
    if (!l->estate[0])
        snprintf(l->estate, sizeof l->estate, "an estate the records do not name");
    /* its donations, in order of number */
    size_t lo = 0, hi = run.ndonations;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((long long)run.donations[mid].donor < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < run.ndonations && (long long)run.donations[i].donor == id &&
                        l->nd < MAX_DON; i++) {
        const struct hs_donation_row *s = &run.donations[i];
        struct donation *d = &l->d[l->nd++];
        d->number = s->number;
        date_of(s->t, d->date, sizeof d->date);
        text(d->centre, sizeof d->centre, s->centre);
        hs_output_organ_list(s->organs, d->organs, sizeof d->organs);
        d->completed = s->completed;
        d->carer = s->carer >= 0 ? s->carer : -1;
        d->agitated = s->agitated;
        d->bed_wait = s->bed_wait_days;
    }
    return 1;
}

int ch_who(struct ctx *c, long long id, char *name, size_t nlen, char *estate, size_t elen)
{
    (void)c;
    name[0] = estate[0] = '\0';
    const struct hs_donor_row *r = id >= 0 ? find_donor(id) : NULL;
    if (r == NULL)
        return 0;
    text(name, nlen, r->name);
    text(estate, elen, r->estate);
    return name[0] != '\0';
}

int ch_cared_for(struct ctx *c, long long id, long *n, long *died)
{
    (void)c;
    *n = *died = 0;
    long long prev = -1;
    for (size_t i = 0; i < run.ndonations; i++) {
        const struct hs_donation_row *d = &run.donations[i];
        if (d->carer != id)
            continue;
        if ((long long)d->donor != prev)   /* sorted by donor: each donor once */
            ++*n;
        prev = d->donor;
        *died += d->completed;
    }
    return HS_CHRONICLE_OK;
}

int ch_last_reading(struct ctx *c, long long id, char *place, size_t plen, char *date,
                    size_t dlen)
{
    (void)c;
    place[0] = date[0] = '\0';
    if (id < 0 || (size_t)id >= run.clast || run.last[id].count == 0)
        return 0;
    const struct hs_web_reading *l = &run.last[id];
    text(place, plen, l->place);
    date_of(l->t, date, dlen);
    return place[0] ? (int)l->count : 0;
}

static int lower_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int ch_name_shared(struct ctx *c, const struct life *x, long shared[4])
{
    (void)c;
    shared[0] = shared[1] = shared[2] = shared[3] = 0;
    for (size_t i = 0; i < run.ndonors; i++) {
        const struct hs_donor_row *r = &run.donors[i];
        if (strcmp(r->name, x->name) != 0)
            continue;
        shared[0]++;
        if (r->estate == NULL || strcmp(r->estate, x->estate) != 0)
            continue;
        char born[16];
        date_of(r->created, born, sizeof born);
        shared[1] += r->cohort == x->cohort;
        shared[2] += strncmp(born, x->created, 7) == 0;
        shared[3] += strcmp(born, x->created) == 0;
    }
    return HS_CHRONICLE_OK;
}

int ch_named(struct ctx *c, const char *name, long limit, long long *ids, long *n,
             long *total)
{
    (void)c;
    *n = *total = 0;
    for (size_t i = 0; i < run.ndonors; i++) {
        const struct hs_donor_row *r = &run.donors[i];
        if (!lower_eq(r->name, name))
            continue;
        if (*n < limit)
            ids[(*n)++] = r->id;
        ++*total;
    }
    return HS_CHRONICLE_OK;
}

int ch_cohort(struct ctx *c, int cohort, const char *estate, long limit, long long *ids,
              long *n, long *total)
{
    (void)c;
    *n = *total = 0;
    for (size_t i = 0; i < run.ndonors; i++) {
        const struct hs_donor_row *r = &run.donors[i];
        if (r->cohort != cohort)
            continue;
        if (estate) {
            const char *e = r->estate;
            if (e == NULL)   /* NULL in the table: never equal */
                continue;
            if (!lower_eq(e, estate) &&
                !(strncasecmp(e, "the ", 4) == 0 && lower_eq(e + 4, estate)))
                continue;
        }
        if (*n < limit)
            ids[(*n)++] = r->id;
        ++*total;
    }
    return HS_CHRONICLE_OK;
}
