/* SPDX-License-Identifier: MIT
 *
 * cmd_experiment.c - `hailsham experiment SCENARIO --replications N ...`:
 * the command line of the experiment module (src/experiment).
 *
 * Options are strict: an unknown option, a missing or malformed value, or
 * an option that takes one value given twice is a usage error (exit 2)
 * found before any work.  Under mpiexec every rank parses the same line;
 * only rank 0 prints, so a mistake is reported once.
 */
#include "cmd_experiment.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hailsham/status.h>

#include "../experiment/experiment.h"
#include "../report/report.h"
#include "../scenario/diag.h"
#include "cmd_report.h"
#include "exitcode.h"

/* Without --max-replications, --precision stops at this many. */
#define DEFAULT_CAP 200u

struct opts {
    struct hs_exp_config cfg;
    const char **sets, **varies;
    size_t *figures;
    size_t watch_default;
    int seen_seed, seen_scale, seen_reps, seen_threads, seen_out, seen_prec, seen_cap;
    char out[4096];
    int loud;           /* rank 0 prints */
    int report;         /* --report: write DIR/report.html afterwards */
};

#if defined(__GNUC__) || defined(__clang__)
static void say(const struct opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif

static void say(const struct opts *o, const char *fmt, ...)
{
    va_list ap;
    if (!o->loud)
        return;
    va_start(ap, fmt);
    fputs("hailsham experiment: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage(FILE *f)
{
    const char *mpi = hs_exp_mpi_name();
    fputs("usage: hailsham experiment SCENARIO --replications N [--threads T]\n"
          "                    [--vary KEY=V1,V2,...]... [--set KEY=VALUE]... [--seed S]\n"
          "                    [--scale F] [--out DIR] [--precision P [--figure NAME]...\n"
          "                    [--max-replications M]] [--quiet]\n"
          "\n"
          "Run SCENARIO N times at each point of its sweep (the full factorial of the\n"
          "values of the varied keys: the scenario's `sweep:` section and --vary) and\n"
          "report every headline figure with its mean, standard deviation and 95%\n"
          "confidence interval, and each point's difference from point 0.  Replication\n"
          "i of every point uses the random streams (S, i), so points are compared on\n"
          "common random numbers, and the files are the same bytes for any number of\n"
          "threads or MPI processes.  Writes experiment.csv, experiment.json and\n"
          "experiment.sqlite into DIR (default runs/SCENARIO-exp-S); finished\n"
          "replications are journalled there, so the same command run again after an\n"
          "interruption does only the rest.\n"
          "\n"
          "  --replications N     replications per point (with --precision: the first\n"
          "                       round)\n"
          "  --threads T          worker threads (default: every core, shared among the\n"
          "                       MPI processes of a machine)\n"
          "  --vary KEY=V1,V2,... sweep a key over values (YAML, as --set; commas inside\n"
          "                       [] and {} do not split); repeatable\n"
          "  --set KEY=VALUE      change one parameter for every point; repeatable\n"
          "  --seed S             master seed, a whole number (default 1)\n"
          "  --scale F            population scale, 0 < F <= 1 (default: the scenario's)\n"
          "  --out DIR            output directory\n"
          "  --precision P        add replications until the 95% half-width of each\n"
          "                       watched figure is at most P times its mean, at every\n"
          "                       point\n"
          "  --figure NAME        a figure --precision watches (default\n"
          "                       deaths_waiting_total) and the table shows; repeatable\n"
          "  --max-replications M the cap for --precision (default 200)\n"
          "  --quiet              no table on stdout, no progress or notes on stderr\n"
          "  --report             also write DIR/report.html (hailsham report --help)\n"
          "\n"
          "Progress goes to stderr when it is a terminal.  docs/experiments.md explains\n"
          "the statistics, docs/cluster.md running on a cluster with mpiexec.\n", f);
    if (mpi)
        fprintf(f, "This program is built with MPI (%s): under mpiexec the ranks share\n"
                   "the work and rank 0 writes the files.\n", mpi);
    else
        fputs("This program is built without MPI (install MPICH and rebuild for clusters).\n",
              f);
    fputs("\n" HS_EXIT_HELP, f);
}

/* ---- values ------------------------------------------------------------- */

static int parse_u64(const struct opts *o, const char *opt, const char *s, uint64_t lo,
                     uint64_t hi, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = s && *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
    if (!s || !end || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
        say(o, "%s needs a whole number from %" PRIu64 " to %" PRIu64 ", got '%s'", opt, lo,
            hi, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_real(const struct opts *o, const char *opt, const char *s, double lo,
                      double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = s ? strtod(s, &end) : NAN;
    if (!s || *s == '\0' || *end != '\0' || errno != 0 || !(v > lo && v <= hi)) {
        say(o, "%s needs a number with %g < %s <= %g, got '%s'", opt, lo,
            strcmp(opt, "--scale") == 0 ? "F" : "P", hi, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

static int once(const struct opts *o, int *seen, const char *opt)
{
    if (*seen) {
        say(o, "%s is given twice", opt);
        return -1;
    }
    *seen = 1;
    return 0;
}

static int add_figure(struct opts *o, const char *name)
{
    long k = name ? hs_exp_figure_find(name) : -1;
    if (k < 0) {
        char list[2048];
        hs_exp_figure_list(list, sizeof list);
        say(o, "--figure: unknown figure '%s'; the figures are: %s", name ? name : "", list);
        return -1;
    }
    for (size_t i = 0; i < o->cfg.nfigures; i++)
        if (o->figures[i] == (size_t)k) {
            say(o, "--figure %s is given twice", name);
            return -1;
        }
    o->figures[o->cfg.nfigures++] = (size_t)k;
    return 0;
}

/* ---- the options ---------------------------------------------------------- */

/* The options that take a value; --quiet and --report take none. */
static int takes_value(const char *a)
{
    static const char *const with[] = {"--replications", "--max-replications", "--threads",
                                       "--seed", "--scale", "--precision", "--out", "--set",
                                       "--vary", "--figure"};
    for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
        if (!strcmp(a, with[i]))
            return 1;
    return 0;
}

/* One option with its value v (NULL at the end of the line); *used is set
 * when v was consumed.  0, -1 (usage error). */
static int option(struct opts *o, const char *a, const char *v, int *used)
{
    struct hs_exp_config *c = &o->cfg;
    uint64_t u = 0;
    *used = 1;
    /* an unknown option is named as such, even at the end of the line */
    if (!takes_value(a) && strcmp(a, "--quiet") != 0 && strcmp(a, "--report") != 0) {
        say(o, "unknown option '%s' (try hailsham experiment --help)", a);
        return -1;
    }
    if (v == NULL && takes_value(a)) {
        say(o, "%s needs a value", a);
        return -1;
    }
    if (!strcmp(a, "--replications")) {
        if (once(o, &o->seen_reps, a) || parse_u64(o, a, v, 1, HS_EXP_MAX_REPS, &u))
            return -1;
        c->replications = (size_t)u;
    } else if (!strcmp(a, "--max-replications")) {
        if (once(o, &o->seen_cap, a) || parse_u64(o, a, v, 2, HS_EXP_MAX_REPS, &u))
            return -1;
        c->max_replications = (size_t)u;
    } else if (!strcmp(a, "--threads")) {
        if (once(o, &o->seen_threads, a) || parse_u64(o, a, v, 1, HS_EXP_MAX_THREADS, &u))
            return -1;
        c->threads = (unsigned)u;
    } else if (!strcmp(a, "--seed")) {
        if (once(o, &o->seen_seed, a) || parse_u64(o, a, v, 0, UINT64_MAX, &c->seed))
            return -1;
    } else if (!strcmp(a, "--scale")) {
        if (once(o, &o->seen_scale, a) || parse_real(o, a, v, 0, 1, &c->scale))
            return -1;
    } else if (!strcmp(a, "--precision")) {
        if (once(o, &o->seen_prec, a) || parse_real(o, a, v, 0, 1, &c->precision))
            return -1;
    } else if (!strcmp(a, "--out")) {
        if (once(o, &o->seen_out, a))
            return -1;
        if (*v == '\0') {
            say(o, "--out needs a directory");
            return -1;
        }
        c->out = v;
    } else if (!strcmp(a, "--set")) {
        o->sets[c->nsets++] = v;
    } else if (!strcmp(a, "--vary")) {
        o->varies[c->nvaries++] = v;
    } else if (!strcmp(a, "--figure")) {
        return add_figure(o, v);
    } else if (!strcmp(a, "--quiet")) {
        *used = 0;
        c->quiet = 1;
    } else if (!strcmp(a, "--report")) {
        *used = 0;
        o->report = 1;
    } else {
        say(o, "unknown option '%s' (try hailsham experiment --help)", a);
        return -1;
    }
    return 0;
}

/* What the options say together. */
static int settle(struct opts *o)
{
    struct hs_exp_config *c = &o->cfg;
    if (c->scenario == NULL) {
        say(o, "no scenario given (try hailsham scenarios)");
        return -1;
    }
    if (!o->seen_reps) {
        say(o, "--replications N is required: how many runs at each point");
        return -1;
    }
    if (o->seen_cap && !o->seen_prec) {
        say(o, "--max-replications is the cap of --precision: give --precision too");
        return -1;
    }
    if (o->seen_prec) {
        if (c->replications < 2) {
            say(o, "--precision needs --replications 2 or more: an interval needs two");
            return -1;
        }
        if (!o->seen_cap)
            c->max_replications = c->replications > DEFAULT_CAP ? c->replications
                                                                : DEFAULT_CAP;
        if (c->max_replications < c->replications) {
            say(o, "--max-replications %zu is below --replications %zu", c->max_replications,
                c->replications);
            return -1;
        }
        c->watch = c->nfigures ? o->figures : &o->watch_default;
        c->nwatch = c->nfigures ? c->nfigures : 1;
    }
    if (c->out == NULL) {
        const char *base = strrchr(c->scenario, '/');
        base = base ? base + 1 : c->scenario;
        size_t n = strcspn(base, ".");
        snprintf(o->out, sizeof o->out, "runs/%.*s-exp-%" PRIu64, (int)n, base, c->seed);
        c->out = o->out;
    }
    return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
    struct hs_exp_config *c = &o->cfg;
    c->seed = 1;
    c->scale = NAN;
    o->watch_default = (size_t)hs_exp_figure_find("deaths_waiting_total");
    o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
    o->varies = calloc((size_t)argc + 1, sizeof *o->varies);
    o->figures = calloc((size_t)argc + 1, sizeof *o->figures);
    if (!o->sets || !o->varies || !o->figures)
        return HS_EXIT_NOMEM;
    c->sets = o->sets;
    c->varies = o->varies;
    c->figures = o->figures;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != '\0') {
            int used = 0;
            if (option(o, a, i + 1 < argc ? argv[i + 1] : NULL, &used) != 0)
                return HS_EXIT_USAGE;
            i += used;
        } else if (c->scenario == NULL) {
            c->scenario = a;
        } else {
            say(o, "more than one scenario given ('%s', '%s')", c->scenario, a);
            return HS_EXIT_USAGE;
        }
    }
    return settle(o) == 0 ? 0 : HS_EXIT_USAGE;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

/* --report: the experiment's report.html, after its files are in place. */
static int write_report(const struct opts *o)
{
    char err[1024];
    int st = hs_report_write(o->cfg.out, 0, err, sizeof err);
    if (st != HS_REPORT_OK) {
        hs_diag_say(stderr, "hailsham experiment: the report: ", err);
        return hs_report_exit_code(st);
    }
    if (!o->cfg.quiet)
        printf("  report in %s/report.html\n", o->cfg.out);
    return HS_EXIT_OK;
}

int hs_cmd_experiment(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        usage(stdout);
        return HS_EXIT_OK;
    }
    struct hs_exp_comm comm;
    int started = hs_exp_comm_init(&comm);
    comm.exit_of = hs_exit_of;
    if (started != HS_OK) {
        fprintf(stderr, "hailsham experiment: MPI could not be started\n");
        hs_exp_comm_finalize(&comm);
        return HS_EXIT_INTERNAL;
    }
    struct opts o;
    memset(&o, 0, sizeof o);
    o.loud = comm.rank == 0;
    int status = parse(argc, argv, &o);
    if (status == 0)
        status = hs_exit_of(hs_experiment_run(&o.cfg, &comm));
    if (status == 0 && o.report && comm.rank == 0)
        status = write_report(&o);
    hs_exp_comm_finalize(&comm);
    free(o.sets);
    free(o.varies);
    free(o.figures);
    return status;
}
