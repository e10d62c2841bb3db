/* SPDX-License-Identifier: MIT
 *
 * cmd_could.c - `hailsham could-it-work`: what programme size gives the
 * public a life expectancy of TARGET by YEAR, and could any?
 *
 * The readers' question (MODEL.md, the cures are the donors).  The size
 * of a planned programme is its planner's margin (programme.cohorts.margin):
 * the organs it plans for, as a multiple of the demand it forecasts.  The
 * command runs the ladder of src/world/could.c: the scenario at margins
 * from 0.1 to 8, on the same seeds and replications at every rung (common
 * random numbers, so the rungs differ by the margin and not by chance),
 * beside the same world without the programme and the world at perfect
 * supply (every listing given its organ at once: the ceiling no size can
 * pass), and prints, and with --out writes, what could.c makes of them.
 *
 * The runs share two threads (the machine's cores are the limit, not the
 * rungs); each writes only its own slot, and the results do not depend on
 * how the threads interleave.  The worlds of one replication start from
 * the same initial public (the rungs differ in the programme only): the
 * first of them to be made draws it and leaves a copy
 * (hs_world_start_take) that the others copy (hs_world_create_alike), and
 * the last of them to be made frees it.  Whether a world copied or drew
 * its public changes nothing in it, only the time it took.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dirent.h>
#include <jansson.h>

#include <hailsham/hailsham.h>
#include <hailsham/stats.h>

#include "../output/catalogue.h"
#include "../output/publish.h"
#include "../report/report.h"

#include "cmd_could.h"
#include "diag.h"
#include "exitcode.h"
#include "scenario.h"
#include "could.h"
#include "world.h"
#include "wrap.h"


struct job {
    struct hs_params p;
    uint64_t seed, rep;
    double *e0;               /* life expectancy by year - start_year: its ny
                                 places in the answer's array (could.h) */
    size_t ny;
    double *per_1000;         /* donors created per 1,000 births: its place there */
    int rc;
};

struct pool {
    struct job *jobs;         /* the worlds of replication 0, then of 1, ... */
    size_t n, next;
    pthread_mutex_t lock;
    int progress;             /* show progress on stderr */
    size_t done;
    struct hs_world_start **start; /* by replication: its initial public, or NULL */
    size_t *unmade;           /* by replication: its worlds not yet made */
};

static int on_year(void *ctx, const struct hs_year_row *r)
{
    struct job *j = ctx;
    long i = (long)r->year - (long)j->p.start_year;
    if (i >= 0 && (size_t)i < j->ny)
        j->e0[i] = r->life_expectancy;
    return HS_OK;
}

/* Make job j's world: from its replication's initial public when there
 * is one yet, else drawn, and then left for the others to copy.  The
 * start is freed by the last world of the replication to be made, so no
 * one copies from it after (each reads it before counting itself made). */
static int make(struct pool *pl, struct job *j, const struct hs_world_sink *sink,
                struct hs_world **w)
{
    char err[256];
    pthread_mutex_lock(&pl->lock);
    const struct hs_world_start *s = pl->start[j->rep];
    int others = pl->unmade[j->rep] > 1;
    pthread_mutex_unlock(&pl->lock);
    int rc = hs_world_create_alike(s, &j->p, j->seed, j->rep, sink, w, err, sizeof err);
    struct hs_world_start *mine = NULL;
    if (rc == HS_OK && s == NULL && others)
        (void)hs_world_start_take(*w, &mine);   /* without it, the others draw their own */
    pthread_mutex_lock(&pl->lock);
    if (mine != NULL && pl->start[j->rep] == NULL && pl->unmade[j->rep] > 1) {
        pl->start[j->rep] = mine;
        mine = NULL;
    }
    if (--pl->unmade[j->rep] == 0) {
        hs_world_start_free(pl->start[j->rep]);
        pl->start[j->rep] = NULL;
    }
    pthread_mutex_unlock(&pl->lock);
    hs_world_start_free(mine);   /* another's was there first, or no one needs it */
    return rc;
}

static void run_job(struct pool *pl, struct job *j)
{
    struct hs_world_sink sink = {j, on_year, NULL, NULL, NULL};
    struct hs_world *w = NULL;
    for (size_t i = 0; i < j->ny; i++)
        j->e0[i] = NAN;
    j->rc = make(pl, j, &sink, &w);
    if (j->rc == HS_OK)
        j->rc = hs_world_run(w, NULL, NULL);
    if (j->rc == HS_OK) {
        struct hs_summary s;
        hs_world_summary(w, &s);
        *j->per_1000 = j->p.programme ? s.donors_per_1000_births : 0.0;
    }
    hs_world_destroy(w);
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next < pl->n ? pl->next++ : pl->n;
        pthread_mutex_unlock(&pl->lock);
        if (i >= pl->n)
            return NULL;
        run_job(pl, &pl->jobs[i]);
        pthread_mutex_lock(&pl->lock);
        pl->done++;
        if (pl->progress)
            fprintf(stderr, "\rhailsham could-it-work: %zu of %zu runs", pl->done, pl->n);
        pthread_mutex_unlock(&pl->lock);
    }
}

static void usage(FILE *f)
{
    fputs("usage: hailsham could-it-work SCENARIO --target YEARS --by YEAR\n"
          "                              [--seed N] [--scale F] [--replications R]\n"
          "                              [--set KEY=VALUE]... [--quiet]\n"
          "                              [--out DIR [--force]] [--report]\n"
          "\n"
          "What programme size gives the public a life expectancy at birth of YEARS\n"
          "by the calendar year YEAR, and could any?  Runs SCENARIO (a planned\n"
          "programme) at planner margins from 0.1 to 8, its recovery beds scaled in\n"
          "proportion, on the same seeds, beside the\n"
          "same world without the programme and the world at perfect supply (every\n"
          "listing given its organ at once), and prints life expectancy in YEAR\n"
          "against donors created per 1,000 births, with 95% intervals over R\n"
          "replications (default 4), then the answer.  With --out, also writes\n"
          "could.json and could.csv (life expectancy by year in every world) into\n"
          "DIR; with --report, DIR/report.html draws life expectancy against\n"
          "donors per 1,000 births.\n"
          "\n"
          "  --target YEARS   the life expectancy at birth wanted\n"
          "  --by YEAR        the calendar year it is wanted in (within the run)\n"
          "  --seed N         the seed of every run (default 1)\n"
          "  --scale F        the scale of every run, 0 < F <= 1 (default: the scenario's)\n"
          "  --replications R replications at each size, 2 to 64 (default 4)\n"
          "  --set KEY=VALUE  change a parameter of the scenario (repeatable)\n"
          "  --quiet          no progress on stderr\n"
          "  --out DIR        write could.json and could.csv into DIR; a DIR that holds\n"
          "                   files is refused unless --force is given\n"
          "  --force          replace what DIR holds\n"
          "  --report         also write DIR/report.html (default DIR:\n"
          "                   runs/could-SCENARIO-SEED)\n"
          "\n" HS_EXIT_HELP, f);
}

static int number(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    if (v == NULL) {
        fprintf(stderr, "hailsham could-it-work: %s needs a value\n", opt);
        return -1;
    }
    double x = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || errno != 0 || !(x >= lo && x <= hi)) {
        fprintf(stderr, "hailsham could-it-work: %s needs a number from %g to %g, got '%s'\n",
                opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

struct could_opts {
    const char *scenario;
    double target, by, scale, reps, seed;
    int quiet, force, report;
    const char *out;          /* write the files here, or NULL */
    const char **sets;
    size_t nsets;
};

static void print_answer(const struct could_opts *o, const struct hs_params *p,
                         const struct hs_could *c)
{
    const double *mean = c->mean, *half = c->half;
    printf("hailsham %s could-it-work: %s, life expectancy at birth of %g by %.0f; seed %.0f, "
           "%zu replications, scale %g\n\n", hs_version(), o->scenario, o->target, o->by,
           o->seed, c->reps, p->scale);
    printf("  %-26s %18s %26s\n", "programme size", "donors per 1,000", "life expectancy in");
    printf("  %-26s %18s %26.0f\n", "", "births", o->by);
    printf("  %-26s %18s %17.2f +/- %.2f\n", "without the programme", "0",
           mean[HS_COULD_WITHOUT], half[HS_COULD_WITHOUT]);
    for (size_t w = 0; w < HS_COULD_RUNGS; w++) {
        char l[40];
        snprintf(l, sizeof l, "planner's margin %g", hs_could_margins[w]);
        printf("  %-26s %18.1f %17.2f +/- %.2f\n", l, c->size[w], mean[w], half[w]);
    }
    printf("  %-26s %18s %17.2f +/- %.2f\n\n", "perfect supply (ceiling)", "",
           mean[HS_COULD_CEILING], half[HS_COULD_CEILING]);
    char s[1024];
    hs_could_sentence(c, "donors", s, sizeof s);
    hs_cli_print_wrapped(s, 76);
}

/* ---- the files: could.json, could.csv --------------------------------- */

static const char *const could_owned[] = {"could.json", "could.csv", "report.html", NULL};

/* A directory that holds anything is left alone unless --force. */
static int out_refused(const struct could_opts *o)
{
    DIR *dir = opendir(o->out);
    if (dir == NULL)
        return 0;   /* absent (or not a directory: publishing says so) */
    int full = 0;
    for (struct dirent *e; !full && (e = readdir(dir)) != NULL;)
        full = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(dir);
    if (!full || o->force)
        return 0;
    char *shown = hs_diag_shown(o->out, 0);
    fprintf(stderr, "hailsham could-it-work: %s already holds files: give another --out, or "
                    "--force to replace them\n", shown ? shown : "the output directory");
    free(shown);
    return 1;
}

static json_t *num_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *could_json(const struct could_opts *o, const struct hs_params *p,
                          const struct hs_could *c)
{
    json_t *root = json_object(), *worlds = json_array(), *over = json_array();
    json_t *ans = json_object();
    if (!root || !worlds || !over || !ans) {
        json_decref(root);
        json_decref(worlds);
        json_decref(over);
        json_decref(ans);
        return NULL;
    }
    for (size_t i = 0; i < o->nsets; i++) {
        json_t *s = json_string(o->sets[i]);
        if (s)
            json_array_append_new(over, s);
    }
    /* in order of size: the world without, the rungs, the ceiling */
    for (size_t k = 0; k < HS_COULD_WORLDS; k++) {
        size_t w = k == 0 ? HS_COULD_WITHOUT : k <= HS_COULD_RUNGS ? k - 1 : HS_COULD_CEILING;
        char nb[32];
        json_t *x = json_object(), *years = json_array();
        json_object_set_new(x, "world", json_string(hs_could_world_name(w, nb, sizeof nb)));
        json_object_set_new(x, "margin",
                            w < HS_COULD_RUNGS ? json_real(hs_could_margins[w]) : json_null());
        json_object_set_new(x, "donors_per_1000_births",
                            w == HS_COULD_CEILING ? json_null() : json_real(c->size[w]));
        json_object_set_new(x, "life_expectancy", num_or_null(c->mean[w]));
        json_object_set_new(x, "ci95_low", num_or_null(c->mean[w] - c->half[w]));
        json_object_set_new(x, "ci95_high", num_or_null(c->mean[w] + c->half[w]));
        for (size_t y = 0; years && y < c->ny; y++) {   /* the mean, from start_year */
            double m, h;
            hs_could_year(c, w, y, &m, &h);
            json_array_append_new(years, num_or_null(m));
        }
        json_object_set_new(x, "life_expectancy_by_year", years ? years : json_null());
        json_array_append_new(worlds, x);
    }
    char text[1024];
    json_object_set_new(ans, "reachable", json_boolean(c->reachable));
    json_object_set_new(ans, "donors_per_1000_births", num_or_null(c->mid));
    json_object_set_new(ans, "ci95_low", num_or_null(c->lo));
    json_object_set_new(ans, "ci95_high", num_or_null(c->hi));
    json_object_set_new(ans, "first_year", c->first >= 0 ? json_integer(c->first) : json_null());
    hs_could_sentence(c, "donors", text, sizeof text);
    json_object_set_new(ans, "text", json_string(text));
    hs_could_sentence(c, "people created for their organs", text, sizeof text);
    json_object_set_new(ans, "text_plain", json_string(text));
    json_object_set_new(root, "format", json_integer(HS_FORMAT_VERSION));
    json_object_set_new(root, "kind", json_string("could-it-work"));
    json_object_set_new(root, "hailsham", json_string(hs_version()));
    json_object_set_new(root, "scenario", json_string(o->scenario));
    json_object_set_new(root, "overrides", over);
    json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(root, "scale", json_real(p->scale));
    json_object_set_new(root, "replications", json_integer((json_int_t)c->reps));
    json_object_set_new(root, "target", json_real(o->target));
    json_object_set_new(root, "by", json_integer((json_int_t)o->by));
    json_object_set_new(root, "start_year", json_integer((json_int_t)p->start_year));
    json_object_set_new(root, "end_year", json_integer((json_int_t)p->end_year));
    json_object_set_new(root, "worlds", worlds);
    json_object_set_new(root, "answer", ans);
    return root;
}

/* Life expectancy by year in every world: the mean over the replications
 * and its 95% interval. */
static int could_csv(const struct hs_params *p, const struct hs_could *c, FILE *f)
{
    fputs("world,margin,donors_per_1000_births,year,life_expectancy,ci95_low,ci95_high\n", f);
    for (size_t w = 0; w < HS_COULD_WORLDS; w++) {
        char nb[32];
        for (size_t y = 0; y < c->ny; y++) {
            double m, h;
            hs_could_year(c, w, y, &m, &h);
            fprintf(f, "%s,", hs_could_world_name(w, nb, sizeof nb));
            if (w < HS_COULD_RUNGS)
                fprintf(f, "%g,%.12g,", hs_could_margins[w], c->size[w]);
            else
                fputs(w == HS_COULD_WITHOUT ? ",0," : ",,", f);
            fprintf(f, "%.0f,", p->start_year + (double)y);
            if (isfinite(m))
                fprintf(f, "%.12g,%.12g,%.12g\n", m, m - h, m + h);
            else
                fputs(",,\n", f);
        }
    }
    return ferror(f) ? HS_EIO : HS_OK;
}

static int write_files(const struct could_opts *o, const struct hs_params *p,
                       const struct hs_could *c, char *err, size_t errlen)
{
    struct hs_publish_lock *lock = NULL;
    struct hs_publish *pub = NULL;
    int rc = hs_publish_lock(o->out, "could-it-work", &lock, err, errlen);
    if (rc == HS_OK)
        rc = hs_publish_open(o->out, could_owned, lock, &pub, err, errlen);
    if (rc == HS_OK) {
        json_t *root = could_json(o, p, c);
        char *jp = hs_publish_path(pub, "could.json"), *cp = hs_publish_path(pub, "could.csv");
        if (root == NULL || jp == NULL || cp == NULL) {
            snprintf(err, errlen, "out of memory");
            rc = HS_ENOMEM;
        } else if (json_dump_file(root, jp, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) != 0) {
            snprintf(err, errlen, "cannot write could.json in %s", o->out);
            rc = HS_EIO;
        } else {
            FILE *f = fopen(cp, "w");
            rc = f ? could_csv(p, c, f) : HS_EIO;
            if (f && fclose(f) != 0)
                rc = HS_EIO;
            if (rc != HS_OK)
                snprintf(err, errlen, "cannot write could.csv in %s: %s", o->out,
                         strerror(errno));
        }
        json_decref(root);
        free(jp);
        free(cp);
        if (rc == HS_OK)
            rc = hs_publish_commit(pub, err, errlen);
        if (rc == HS_OK && err[0]) {   /* a warning: the old directory stayed */
            fprintf(stderr, "hailsham could-it-work: %s\n", err);
            err[0] = '\0';
        }
    }
    hs_publish_abort(pub);
    hs_publish_unlock(lock);
    return rc;
}

static int answer(const struct could_opts *o)
{
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    int rc = hs_scenario_resolve_set(o->scenario, o->sets, o->nsets, &p, &d);
    if (rc == HS_OK && !isnan(o->scale)) {
        p.scale = o->scale;
        rc = hs_scenario_check(&p, &d);
    }
    if (rc != HS_OK) {
        hs_diag_print(&d, stderr);
        hs_diag_free(&d);
        return rc == HS_ENOMEM ? HS_EXIT_NOMEM : HS_EXIT_DATA;
    }
    hs_diag_free(&d);
    if (!p.programme || !p.cohort_planned) {
        fprintf(stderr, "hailsham could-it-work: %s has %s; the command sizes a planned "
                        "programme through programme.cohorts.margin\n", o->scenario,
                !p.programme ? "no programme" : "fixed cohorts (programme.cohorts.mode)");
        return HS_EXIT_DATA;
    }
    if (!(o->by >= p.start_year && o->by < p.end_year)) {
        fprintf(stderr, "hailsham could-it-work: --by %g is outside the run (%g-%g)\n", o->by,
                p.start_year, p.end_year - 1);
        return HS_EXIT_USAGE;
    }
    if (o->out && out_refused(o))
        return HS_EXIT_DATA;
    size_t reps = (size_t)o->reps, n = HS_COULD_WORLDS * reps;
    size_t ny = (size_t)(p.end_year - p.start_year);
    struct job *jobs = calloc(n, sizeof *jobs);
    double *e0 = calloc(n * (ny ? ny : 1), sizeof *e0), *per = calloc(n, sizeof *per);
    struct hs_world_start **starts = calloc(reps, sizeof *starts);
    size_t *unmade = calloc(reps, sizeof *unmade);
    if (jobs == NULL || e0 == NULL || per == NULL || starts == NULL || unmade == NULL) {
        free(jobs);
        free(e0);
        free(per);
        free(starts);
        free(unmade);
        return HS_EXIT_NOMEM;
    }
    for (size_t r = 0; r < reps; r++)
        for (size_t w = 0; w < HS_COULD_WORLDS; w++) {
            struct job *j = &jobs[r * HS_COULD_WORLDS + w];
            unmade[r]++;
            hs_could_params(&p, w, &j->p);
            j->seed = (uint64_t)o->seed;
            j->rep = r;
            j->e0 = &e0[(w * reps + r) * ny];   /* the runs write their answers in place */
            j->ny = ny;
            j->per_1000 = &per[w * reps + r];
        }
    struct pool pl = {jobs, n, 0, PTHREAD_MUTEX_INITIALIZER, !o->quiet && isatty(2), 0,
                      starts, unmade};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, worker, &pl) == 0;
    worker(&pl);
    if (threaded)
        pthread_join(th, NULL);
    if (pl.progress)
        fputs("\r\033[K", stderr);
    free(starts);   /* each freed its start as its last world was made */
    free(unmade);
    for (size_t i = 0; i < n; i++)
        if (jobs[i].rc != HS_OK) {
            int failed = jobs[i].rc;
            fprintf(stderr, "hailsham could-it-work: a run failed: %s\n", hs_strerror(failed));
            free(jobs);
            free(e0);
            free(per);
            return hs_exit_of(failed);
        }
    free(jobs);
    struct hs_could c = {.target = o->target, .by = o->by, .start_year = p.start_year,
                         .ny = ny, .reps = reps, .e0 = e0, .per_1000 = per};
    hs_could_summarise(&c);
    print_answer(o, &p, &c);
    rc = HS_EXIT_OK;
    if (o->out) {
        char err[4400];
        int st = write_files(o, &p, &c, err, sizeof err);
        if (st == HS_OK && o->report)
            st = hs_report_write(o->out, 0, err, sizeof err);
        if (st != HS_OK) {
            fprintf(stderr, "hailsham could-it-work: %s\n", err);
            rc = hs_exit_of(st);
        } else if (!o->quiet) {
            printf("\n  outputs in %s/: could.json could.csv%s\n", o->out,
                   o->report ? " report.html" : "");
        }
    }
    free(e0);
    free(per);
    return rc;
}

int hs_cmd_could(int argc, char **argv)
{
    const char *scenario = NULL;
    double target = NAN, by = NAN, scale = NAN, reps_d = 4, seed_d = 1;
    int quiet = 0, force = 0, report = 0;
    const char *out = NULL;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t nsets = 0;
    if (sets == NULL)
        return HS_EXIT_NOMEM;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(sets);
            return HS_EXIT_OK;
        } else if (!strcmp(a, "--target")) {
            rc = number(a, v, 0, 150, &target);
            i++;
        } else if (!strcmp(a, "--by")) {
            rc = number(a, v, 1800, 2300, &by);
            i++;
        } else if (!strcmp(a, "--scale")) {
            rc = number(a, v, 1e-9, 1, &scale);
            i++;
        } else if (!strcmp(a, "--replications")) {
            rc = number(a, v, 2, HS_COULD_MAX_REPS, &reps_d);
            i++;
        } else if (!strcmp(a, "--seed")) {
            rc = number(a, v, 0, 9007199254740992.0, &seed_d);
            i++;
        } else if (!strcmp(a, "--set")) {
            if (v == NULL) {
                fprintf(stderr, "hailsham could-it-work: --set needs KEY=VALUE\n");
                rc = -1;
            }
            sets[nsets++] = v;
            i++;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--out")) {
            if (v == NULL || *v == '\0') {
                fprintf(stderr, "hailsham could-it-work: --out needs a directory\n");
                rc = -1;
            }
            out = v;
            i++;
        } else if (!strcmp(a, "--force")) {
            force = 1;
        } else if (!strcmp(a, "--report")) {
            report = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hailsham could-it-work: unknown option '%s' (try --help)\n", a);
            rc = -1;
        } else if (scenario == NULL) {
            scenario = a;
        } else {
            fprintf(stderr, "hailsham could-it-work: one scenario only, got '%s' too\n", a);
            rc = -1;
        }
    }
    if (rc == 0 && (scenario == NULL || isnan(target) || isnan(by))) {
        fprintf(stderr, "hailsham could-it-work: needs a SCENARIO, --target and --by "
                        "(try --help)\n");
        rc = -1;
    }
    if (rc != 0 || reps_d != floor(reps_d) || seed_d != floor(seed_d)) {
        if (rc == 0)
            fprintf(stderr, "hailsham could-it-work: --replications and --seed take whole "
                            "numbers\n");
        free(sets);
        return HS_EXIT_USAGE;
    }
    struct could_opts o = {scenario, target, by, scale, reps_d, seed_d, quiet, force, report,
                           out, sets, nsets};
    char dir[4200];
    if (report && out == NULL) {   /* runs/could-SCENARIO-SEED, the name without .yaml */
        const char *base = strrchr(scenario, '/');
        base = base ? base + 1 : scenario;
        const char *dot = strrchr(base, '.');
        size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        snprintf(dir, sizeof dir, "runs/could-%.*s-%.0f", (int)len, base, seed_d);
        o.out = dir;
    }
    rc = answer(&o);
    free(sets);
    return rc;
}
