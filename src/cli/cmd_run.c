/* SPDX-License-Identifier: MIT
 *
 * cmd_run.c - `hailsham run SCENARIO`: one run of the world, its files,
 * and a table of its headline figures beside the same world without the
 * programme (same seed, so the two share their random streams).
 */
#include "cmd_run.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <hailsham/hailsham.h>

#include "../experiment/experiment.h"
#include "../output/catalogue.h"
#include "../output/output.h"
#include "../report/report.h"
#include "../scenario/scenario.h"
#include "../scenario/diag.h"
#include "../world/world.h"
#include "cmd_report.h"
#include "exitcode.h"
#include "wrap.h"

struct run_opts {
    const char *scenario;
    uint64_t seed;
    double scale;          /* NaN: the scenario's */
    const char *out;
    const char **sets;
    size_t nsets;
    int baseline;
    int quiet;
    int report;            /* --report: write DIR/report.html after the run */
    int pes;               /* --pes: -1 for the default (automatic) */
    int force;             /* --force: replace a directory holding another run's files */
    /* what the files record of where the run came from */
    char inputs[24];       /* the identity of the inputs, 16 hex digits */
    const char **overrides;  /* the --set assignments, then "--scale F" */
    size_t noverrides;
    char scale_text[48];
};

/* The identity of a run's inputs: a hash of every effective parameter as a
 * scenario file would state it, the seed, and whether the world without
 * the programme runs beside it.  The same inputs give the same files;
 * other inputs are never written over another run's files unasked. */
static int identify(struct run_opts *o, const struct hs_params *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return -1;
    int bad = hs_scenario_dump_yaml(p, f) != HS_OK;
    bad |= fprintf(f, "seed: %llu\nbaseline: %d\n", (unsigned long long)o->seed,
                   o->baseline) < 0;
    bad |= fclose(f) != 0;
    if (!bad)
        snprintf(o->inputs, sizeof o->inputs, "%016llx",
                 (unsigned long long)hs_exp_hash(0xcbf29ce484222325u, text, len));
    free(text);
    o->overrides = o->sets;   /* --scale, when given, follows the sets */
    o->noverrides = o->nsets;
    if (!isnan(o->scale)) {
        snprintf(o->scale_text, sizeof o->scale_text, "--scale %g", o->scale);
        o->sets[o->nsets] = o->scale_text;   /* parse_args left room for one more */
        o->noverrides++;
    }
    return bad ? -1 : 0;
}

/* Refuse to write over a directory that holds the files of a run with
 * other inputs, unless --force says so. */
static int may_replace(const struct run_opts *o, const char *dir)
{
    char have[64];
    int r = hs_output_inputs_of(dir, have, sizeof have);
    if (o->force || r == 0 || (r == 1 && strcmp(have, o->inputs) == 0))
        return 1;
    char *shown = hs_diag_shown(dir, 0);
    fprintf(stderr, "hailsham run: %s holds the files of %s: give another --out, or --force "
                    "to replace them\n", shown ? shown : "the output directory",
            r == 1 ? "a run with other inputs (scenario, parameters, seed or baseline)"
                   : "a run whose inputs it does not record");
    free(shown);
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: hailsham run SCENARIO [--seed N] [--scale F] [--out DIR]\n"
          "                    [--set KEY=VALUE]... [--no-baseline] [--force] [--quiet]\n"
          "                    [--report] [--pes auto|heap|ladder|binary]\n"
          "\n"
          "Run the world of SCENARIO (a built-in name such as canon, or a YAML file)\n"
          "and write run.sqlite, yearly.csv and summary.json into DIR (default\n"
          "runs/SCENARIO-SEED, with the start of the inputs' identity after it when\n"
          "--set or --scale changed the scenario).  Files appear only when complete,\n"
          "and never over another run's files unless --force says so.\n"
          "\n"
          "  --seed N         random seed, a whole number (default 1)\n"
          "  --scale F        population scale, 0 < F <= 1 (default: the scenario's)\n"
          "  --out DIR        output directory\n"
          "  --set KEY=VALUE  change one parameter (docs/scenario.md); repeatable\n"
          "  --no-baseline    skip the comparison worlds (without the programme, and at\n"
          "                   perfect supply)\n"
          "  --force          replace DIR even if it holds the files of a run with other\n"
          "                   inputs (without --force such a DIR is refused)\n"
          "  --quiet          no table on stdout, no progress on stderr\n"
          "  --report         also write DIR/report.html (hailsham report --help)\n"
          "  --pes KIND       the pending-event set, for measuring it: auto (default:\n"
          "                   a 4-ary heap that becomes a ladder queue when large),\n"
          "                   heap, ladder, or binary (a plain binary heap, the\n"
          "                   baseline); the results are identical for every kind\n"
          "\n" HS_EXIT_HELP, f);
}

/* An option at the end of the line, without its value. */
static int missing(const char *opt, const char *v)
{
    if (v != NULL)
        return 0;
    fprintf(stderr, "hailsham run: %s needs a value (try hailsham run --help)\n", opt);
    return 1;
}

static int parse_u64(const char *opt, const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    if (missing(opt, s))
        return -1;
    /* strtoull alone would take "-1" as 2^64 - 1 and " 5" as 5 */
    unsigned long long v = *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno == ERANGE) {
        fprintf(stderr, "hailsham run: %s needs a whole number from 0 to %llu, got '%s'\n",
                opt, (unsigned long long)UINT64_MAX, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_scale(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    if (missing("--scale", s))
        return -1;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno != 0 || !(v > 0 && v <= 1)) {
        fprintf(stderr, "hailsham run: --scale needs a number with 0 < F <= 1, got '%s'\n", s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->scale = NAN;
    o->baseline = 1;
    o->pes = -1;
    o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
    if (o->sets == NULL)
        return HS_EXIT_NOMEM;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(a, "--seed")) {
            if (parse_u64(a, v, &o->seed)) return HS_EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--scale")) {
            if (parse_scale(v, &o->scale)) return HS_EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--out")) {
            if (missing(a, v))
                return HS_EXIT_USAGE;
            if (*v == '\0') {
                fprintf(stderr, "hailsham run: --out needs a directory\n");
                return HS_EXIT_USAGE;
            }
            o->out = v;
            i++;
        } else if (!strcmp(a, "--set")) {
            if (missing(a, v))
                return HS_EXIT_USAGE;
            o->sets[o->nsets++] = v;
            i++;
        } else if (!strcmp(a, "--pes")) {
            if (missing(a, v))
                return HS_EXIT_USAGE;
            static const char *const kinds[] = {"auto", "heap", "ladder", "binary"};
            for (int k = 0; k < 4; k++)
                if (!strcmp(v, kinds[k]))
                    o->pes = k;   /* the order of enum hs_pes_kind */
            if (o->pes < 0) {
                fprintf(stderr, "hailsham run: --pes needs auto, heap, ladder or binary, "
                                "got '%s'\n", v);
                return HS_EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "--no-baseline")) {
            o->baseline = 0;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--report")) {
            o->report = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hailsham run: unknown option '%s' (try hailsham run --help)\n", a);
            return HS_EXIT_USAGE;
        } else if (o->scenario == NULL) {
            o->scenario = a;
        } else {
            fprintf(stderr, "hailsham run: more than one scenario given ('%s', '%s')\n",
                    o->scenario, a);
            return HS_EXIT_USAGE;
        }
    }
    if (o->scenario == NULL) {
        fprintf(stderr, "hailsham run: no scenario given (try hailsham scenarios)\n");
        return HS_EXIT_USAGE;
    }
    return 0;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct progress {
    int on;
    double t0, last;
    const char *what;
    double first, last_year;
};

static void show_progress(void *ctx, int year, uint64_t events)
{
    struct progress *pr = ctx;
    double now = wall();
    if (!pr->on || now - pr->last < 0.1)
        return;
    pr->last = now;
    double done = ((double)year + 1 - pr->first) / (pr->last_year - pr->first);
    double el = now - pr->t0;
    double left = done > 0 ? el * (1 - done) / done : 0;
    fprintf(stderr, "\r%s: year %d  %.1f M events  %.1f M events/s  %.0f s left   ",
            pr->what, year, (double)events / 1e6, (double)events / 1e6 / (el > 0 ? el : 1),
            left);
}

static void end_progress(struct progress *pr)
{
    if (pr->on)
        fprintf(stderr, "\r%70s\r", "");
}

static int memory_check(const struct hs_params *p, int baseline)
{
    /* the comparison worlds (without the programme, when there is one, and
     * at perfect supply) run at the same time on threads of their own */
    double need = hs_world_memory_estimate(p);
    if (baseline) {
        /* The copy of the initial public they start from (32 bytes a
         * person) is freed once both have copied it, while each world
         * holds little more than that public: far below the worlds' peak,
         * at the end, which is what is counted. */
        struct hs_params b = *p;
        b.programme = 0;
        need += hs_world_memory_estimate(&b) * (p->programme ? 2 : 1);
    }
    char source[4400];
    double have = hs_memory_limit(source, sizeof source);
    if (need <= 0.9 * have)
        return 0;
    fprintf(stderr, "hailsham run: this run would need about %.3g GB of memory, more than "
                    "the %.3g GB this process may use (%s); try --scale %.2g or less\n",
            need / 1e9, have / 1e9, source, p->scale * 0.9 * have / need);
    return -1;
}

/* Make a world; its initial public copied from `start` when that is the
 * one it would draw (hs_world_create_alike), else drawn. */
static int make_world(const struct hs_world_start *start, const struct hs_params *p,
                      uint64_t seed, const struct hs_world_sink *sink, struct progress *pr,
                      struct hs_world **w)
{
    char err[256];
    if (pr->on) /* at national scale, making the people takes seconds */
        fprintf(stderr, "\r%s: making %.1f M people", pr->what,
                p->population_initial * p->scale / 1e6);
    int rc = hs_world_create_alike(start, p, seed, 0, sink, w, err, sizeof err);
    if (rc != HS_OK) {
        end_progress(pr);
        hs_diag_say(stderr, "hailsham run: ", err);
        return rc == HS_ENOMEM ? HS_EXIT_NOMEM : HS_EXIT_DATA;
    }
    return 0;
}

/* Run a world made by make_world, and destroy it.  out: the files the
 * sink writes (NULL: kept in memory), for the file and cause of a failed
 * write. */
static int run_world(struct hs_world *w, const struct hs_output *out, struct progress *pr,
                     struct hs_summary *s)
{
    pr->t0 = wall();   /* rates and time left count the simulation alone */
    int rc = hs_world_run(w, show_progress, pr);
    end_progress(pr);
    if (rc != HS_OK) {
        if (rc == HS_EIO && out != NULL && hs_output_error(out)[0] != '\0')
            hs_diag_say(stderr, "hailsham run: ", hs_output_error(out));
        else
            fprintf(stderr, "hailsham run: the run failed: %s\n", hs_strerror(rc));
        hs_world_destroy(w);
        /* the sink's failures are writes; anything else is a bug */
        return rc == HS_ENOMEM ? HS_EXIT_NOMEM : rc == HS_EIO ? HS_EXIT_OUTPUT
                                                             : HS_EXIT_INTERNAL;
    }
    hs_world_summary(w, s);
    hs_world_destroy(w);
    return 0;
}

/* A row of the table: the figure with its digits, beside the comparison
 * worlds (at perfect supply, without the programme) when they ran. */
static void line(const struct hs_figure *f, const struct hs_summary *s,
                 const struct hs_summary *c, const struct hs_summary *b)
{
    char x[32], y[32], z[32];
    snprintf(x, sizeof x, "%.*f", f->digits, hs_cat_headline_value(f, s) * f->factor);
    if ((c || b) && (f->flags & HS_FIG_PUBLIC)) {
        snprintf(y, sizeof y, "%.*f", f->digits,
                 c ? hs_cat_headline_value(f, c) * f->factor : NAN);
        snprintf(z, sizeof z, "%.*f", f->digits, b ? hs_cat_headline_value(f, b) * f->factor : 0);
        if (b)
            printf("  %-44s %14s %14s %14s\n", f->label, x, c ? y : "", z);
        else
            printf("  %-44s %14s %14s\n", f->label, x, y);
    } else {
        printf("  %-44s %14s\n", f->label, x);   /* no trailing blanks */
    }
}

/* Whether the table shows figure f.  A world without a programme (the
 * real world) shows only the public's figures: no donors, carers or
 * Gallery, no life expectancy "donors counted" (the same number again),
 * and no rows of the cures when nothing in it was curable. */
static int shown(const struct hs_figure *f, const struct hs_params *p,
                 const struct hs_summary *s, const struct hs_summary *c)
{
    if (!(f->flags & HS_FIG_TABLE))
        return 0;
    if (p->programme)
        return 1;
    if (!(f->flags & HS_FIG_PUBLIC) || strcmp(f->name, "life_expectancy_all_end") == 0)
        return 0;
    int cures = s->curable_deaths_total > 0 || (c != NULL && c->curable_deaths_total > 0);
    return cures || (strcmp(f->name, "cured_total") != 0 &&
                     strcmp(f->name, "deaths_uncured_total") != 0);
}

static void print_table(const struct run_opts *o, const struct hs_params *p,
                        const struct hs_summary *s, const struct hs_summary *c,
                        const struct hs_summary *b, double seconds, const char *dir)
{
    printf("hailsham %s: %s, seed %llu, scale %g, %.0f-%.0f\n", hs_version(), o->scenario,
           (unsigned long long)o->seed, p->scale, p->start_year, p->end_year - 1);
    for (size_t i = 0; i < o->noverrides; i++)
        printf("%s%s", i ? ", " : "  changed on the command line: ", o->overrides[i]);
    printf(o->noverrides ? "\n\n" : "\n");
    const char *first = p->programme ? "with programme" : "this world";
    if (b)
        printf("  %-44s %14s %14s %14s\n", "", first, "perfect supply", "without");
    else if (c)
        printf("  %-44s %14s %14s\n", "", first, "perfect supply");
    else
        printf("  %-44s %14s\n", "", first);
    for (size_t i = 0; i < hs_cat_headlines(); i++)
        if (shown(hs_cat_headline(i), p, s, c))
            line(hs_cat_headline(i), s, c, b);
    if (p->scale < 1)   /* the counts are the run's, not England's */
        printf("\n  counts are of the simulated population at scale %g: one person for every "
               "%.0f in England\n", p->scale, 1.0 / p->scale);
    char note[512];
    hs_cat_scale_note(note, sizeof note, p->name, p->scale, p->calibrated_scale);
    if (note[0] != '\0') {
        if (!(p->scale < 1))
            putchar('\n');
        hs_cli_print_wrapped(note, 92);
    }
    if (b)
        printf("%s  what the programme gave: %+.1f years of life expectancy at birth in the "
               "last year; its organs prevented %.0f curable deaths\n",
               p->scale < 1 ? "" : "\n", s->life_expectancy_end - b->life_expectancy_end,
               s->cured_total);
    if (c)
        printf("%s  the ceiling, every listing given its organ at once: %+.1f years more\n",
               b || p->scale < 1 ? "" : "\n", c->life_expectancy_end - s->life_expectancy_end);
    uint64_t ev = s->events + (b ? b->events : 0) + (c ? c->events : 0);
    struct rusage ru;
    double peak_mb = getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : NAN;
    printf("\n  wall time %.2f s, %llu events, %.1f M events/s, peak memory %.0f MB\n",
           seconds, (unsigned long long)ev, (double)ev / 1e6 / (seconds > 0 ? seconds : 1),
           peak_mb);
    printf("  outputs in %s/: run.sqlite yearly.csv summary.json\n", dir);
}

/* The comparison worlds (without the programme or its cures; at perfect
 * supply) run on threads of their own while the scenario runs on this
 * one.  Their yearly rows are kept in memory and written after all
 * finish, so the files do not depend on how the threads interleave.
 * The three worlds start from the same initial public, drawn once, by
 * the scenario's world: a copy of it is taken before that world runs, and
 * each comparison world copies it (on its own thread, or on this one
 * afterwards when no thread is to be had) and lets go of it; the last to
 * let go frees it (`struct start`). */
struct start {
    pthread_mutex_t lock;
    struct hs_world_start *s;      /* NULL: none to copy */
    int refs;                      /* the comparison worlds not yet made */
};

static void start_release(struct start *st)
{
    pthread_mutex_lock(&st->lock);
    if (--st->refs == 0) {
        hs_world_start_free(st->s);
        st->s = NULL;
    }
    pthread_mutex_unlock(&st->lock);
}

struct other_world {
    struct hs_params p;
    uint64_t seed;
    const char *name;
    struct start *start;           /* the initial public to copy, shared */
    struct hs_year_row *rows;
    size_t n, cap;
    struct hs_summary s;
    int rc;
};

static int keep_year(void *ctx, const struct hs_year_row *r)
{
    struct other_world *b = ctx;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        struct hs_year_row *rows = realloc(b->rows, cap * sizeof *rows);
        if (rows == NULL)
            return HS_ENOMEM;
        b->rows = rows;
        b->cap = cap;
    }
    b->rows[b->n++] = *r;
    return HS_OK;
}

/* The scenario's world is the longest of the three (its donors, then
 * run.sqlite's indexes after its last row), so the comparison worlds yield
 * the processors to it and to the writer: on Linux a thread has a
 * scheduling weight of its own, and theirs is lowered (nice +10: about a
 * tenth of the share).  They still take any processor the others leave
 * idle, and the results do not depend on it. */
static void yield_to_the_scenario(void)
{
#if defined(__linux__) && defined(SYS_gettid)
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
}

static void other_world_run(struct other_world *b)
{
    struct progress quiet = {0, 0, 0, b->name, 0, 1};
    struct hs_world_sink sink = {b, keep_year, NULL, NULL, NULL};
    struct hs_world *w = NULL;
    b->rc = make_world(b->start->s, &b->p, b->seed, &sink, &quiet, &w);
    start_release(b->start);
    if (b->rc == 0)
        b->rc = run_world(w, NULL, &quiet, &b->s);
}

static void *other_world_thread(void *arg)
{
    yield_to_the_scenario();
    other_world_run(arg);
    return NULL;
}

/* A write that failed outside the run: its file and cause. */
static int write_failed(const struct hs_output *out)
{
    const char *why = hs_output_error(out);
    hs_diag_say(stderr, "hailsham run: ", why[0] ? why : "cannot write the outputs");
    return HS_EXIT_OUTPUT;
}

static int write_world(struct hs_output *out, const struct other_world *b,
                       struct hs_world_sink bs)
{
    for (size_t i = 0; i < b->n; i++)
        if (bs.year(bs.ctx, &b->rows[i]) != HS_OK)
            return write_failed(out);
    return 0;
}

static int do_run(struct run_opts *o, struct hs_params *p, const char *dir)
{
    struct hs_output *out = NULL;
    char err[512];
    int orc = hs_output_open(dir, &out, err, sizeof err);
    if (orc != HS_OK) {
        hs_diag_say(stderr, "hailsham run: ", err);
        return orc == HS_ENOMEM ? HS_EXIT_NOMEM : orc == HS_ESTATE ? HS_EXIT_DATA
                                                                   : HS_EXIT_OUTPUT;
    }
    struct hs_run_meta meta = {o->scenario, o->seed, p->scale, hs_version(), o->inputs,
                               o->overrides, o->noverrides};
    struct progress pr = {!o->quiet && isatty(2), wall(), 0, "run", p->start_year, p->end_year};
    struct hs_summary s;
    struct hs_world_sink sink = hs_output_sink(out);
    double t0 = wall();
    int rc = hs_output_parameters(out, p, &meta) != HS_OK ? write_failed(out) : 0;
    /* [0]: without the programme (only when there is one); [1]: the ceiling */
    struct other_world other[2] = {{.name = "without"}, {.name = "ceiling"}};
    int want[2] = {o->baseline && p->programme, o->baseline};
    pthread_t th[2];
    int threaded[2] = {0, 0};
    struct start start = {PTHREAD_MUTEX_INITIALIZER, NULL, want[0] + want[1]};
    struct hs_world *w = NULL;
    if (rc == 0)
        rc = make_world(NULL, p, o->seed, &sink, &pr, &w);
    if (rc == 0 && start.refs > 0)   /* without a copy each draws its own */
        (void)hs_world_start_take(w, &start.s);
    for (int k = 0; k < 2; k++) {
        if (rc != 0 || !want[k])
            continue;
        other[k].p = *p;
        other[k].seed = o->seed;
        other[k].start = &start;
        if (k == 0) {
            hs_params_without_programme(&other[k].p);
        } else {
            other[k].p.programme = 0;
            other[k].p.perfect_supply = 1;
        }
        threaded[k] = pthread_create(&th[k], NULL, other_world_thread, &other[k]) == 0;
    }
    if (rc == 0)
        rc = run_world(w, out, &pr, &s);
    for (int k = 0; k < 2; k++) {
        if (threaded[k]) {
            pthread_join(th[k], NULL);
        } else if (rc == 0 && want[k]) {   /* no thread to be had: run it here, afterwards */
            other_world_run(&other[k]);
        }
    }
    if (start.refs > 0)   /* a world not made, the run having failed: the copy is left */
        hs_world_start_free(start.s);
    for (int k = 0; k < 2 && rc == 0; k++)
        if (want[k])
            rc = other[k].rc != 0 ? other[k].rc
                 : write_world(out, &other[k], k == 0 ? hs_output_baseline_sink(out)
                                                      : hs_output_ceiling_sink(out));
    free(other[0].rows);
    free(other[1].rows);
    const struct hs_summary *b = want[0] ? &other[0].s : NULL, *c = want[1] ? &other[1].s : NULL;
    if (rc == 0 && b)
        hs_summary_pair(&s, b);
    if (rc == 0) {
        hs_output_summary(out, &meta, &s, b, c);
        if (hs_output_commit(out, err, sizeof err) != HS_OK) {
            hs_diag_say(stderr, "hailsham run: ", err);
            rc = HS_EXIT_OUTPUT;
        } else if (err[0] != '\0') {   /* the outputs are in place; a leftover */
            hs_diag_say(stderr, "hailsham run: warning: ", err);
        }
    }
    hs_output_abort(out);
    if (rc == 0 && !o->quiet) {
        print_table(o, p, &s, c, b, wall() - t0, dir);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "hailsham run: cannot write the table to stdout: %s (the files "
                    "are complete)\n", strerror(errno));
            return HS_EXIT_OUTPUT;
        }
    }
    if (rc == 0 && o->report) {
        char rerr[1024];
        int st = hs_report_write(dir, 0, rerr, sizeof rerr);
        if (st != HS_REPORT_OK) {
            hs_diag_say(stderr, "hailsham run: the report: ", rerr);
            return hs_report_exit_code(st);
        }
        if (!o->quiet)
            printf("  report in %s/report.html\n", dir);
    }
    return rc;
}

int hs_cmd_run(int argc, char **argv)
{
    struct run_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        free(o.sets);
        return rc < 0 ? HS_EXIT_OK : rc;
    }
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    rc = hs_scenario_resolve_set(o.scenario, o.sets, o.nsets, &p, &d);
    if (rc != HS_OK) {
        hs_diag_print(&d, stderr);
        hs_diag_free(&d);
        free(o.sets);
        return rc == HS_ENOMEM ? HS_EXIT_NOMEM : HS_EXIT_DATA;
    }
    if (!isnan(o.scale)) {
        /* the check covers the scale too (a world must hold someone) */
        p.scale = o.scale;
        rc = hs_scenario_check(&p, &d);
        if (rc != HS_OK) {
            for (size_t i = 0; i < hs_diag_count(&d); i++) {
                const char *m = strstr(hs_diag_message(&d, i), ": error: ");
                fprintf(stderr, "hailsham run: --scale %g: %s\n", o.scale,
                        m ? m + 9 : hs_diag_message(&d, i));
            }
            hs_diag_free(&d);
            free(o.sets);
            return rc == HS_ENOMEM ? HS_EXIT_NOMEM : HS_EXIT_DATA;
        }
    }
    hs_diag_free(&d);
    if (o.pes >= 0)
        p.pes = (enum hs_pes_kind)o.pes;
    if (memory_check(&p, o.baseline) != 0) {
        free(o.sets);
        return HS_EXIT_NOMEM;
    }
    if (identify(&o, &p) != 0) {
        fprintf(stderr, "hailsham run: out of memory\n");
        free(o.sets);
        return HS_EXIT_NOMEM;
    }
    /* runs/SCENARIO-SEED, and when the command line changed the scenario,
     * the start of the inputs' identity after it: other inputs, another
     * directory */
    char dir[4096];
    if (o.out)
        snprintf(dir, sizeof dir, "%s", o.out);
    else {
        /* the file's name without its last extension: my.a.yaml and
         * my.b.yaml are runs/my.a-1 and runs/my.b-1 */
        const char *base = strrchr(o.scenario, '/');
        base = base ? base + 1 : o.scenario;
        const char *dot = strrchr(base, '.');
        size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        snprintf(dir, sizeof dir, "runs/%.*s-%llu%s%.*s", (int)n, base,
                 (unsigned long long)o.seed, o.noverrides ? "-" : "", o.noverrides ? 8 : 0,
                 o.inputs);
    }
    if (!may_replace(&o, dir)) {
        free(o.sets);
        return HS_EXIT_DATA;
    }
    rc = do_run(&o, &p, dir);
    free(o.sets);
    return rc;
}
