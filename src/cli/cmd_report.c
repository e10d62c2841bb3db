/* SPDX-License-Identifier: MIT
 *
 * cmd_report.c - `hailsham report DIR` and `hailsham chronicle DIR`.
 *
 * Thin command-line layers over src/report: strict options (an unknown
 * option or a bad value is a one-line error naming it, exit 2), and the
 * report's failures mapped to the exit statuses every hailsham command
 * uses: 3 for a directory that is not a complete run, 4 when the output
 * cannot be written (or gnuplot, which draws it, is missing).
 */
#include "cmd_report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/chronicle.h"
#include "../report/report.h"
#include "exitcode.h"
#include "../scenario/diag.h"

int hs_report_exit_code(int status)
{
    return hs_exit_of(status);
}

/* ---- report --------------------------------------------------------------------- */

static void report_usage(FILE *f)
{
    fputs("usage: hailsham report DIR [--plain] [--out FILE]\n"
          "\n"
          "Write DIR/report.html: one self-contained page with the headline figures of\n"
          "the run, experiment or could-it-work answer in DIR and its charts, drawn by\n"
          "gnuplot.  It opens in any browser without a network.\n"
          "\n"
          "  --plain     say what the euphemisms hide: completion is death, a donation\n"
          "              is an organ removed, a recovery centre is where donors wait\n"
          "              for the next operation\n"
          "  --out FILE  write the page to FILE instead of DIR/report.html\n"
          "\n" HS_EXIT_HELP, f);
}

int hs_cmd_report(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    int plain = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            report_usage(stdout);
            return HS_EXIT_OK;
        } else if (!strcmp(a, "--plain")) {
            plain = 1;
        } else if (!strcmp(a, "--out")) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, "hailsham report: --out needs a file name\n");
                return HS_EXIT_USAGE;
            }
            out = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hailsham report: unknown option '%s' (try hailsham report --help)\n",
                    a);
            return HS_EXIT_USAGE;
        } else if (dir == NULL) {
            dir = a;
        } else {
            fprintf(stderr, "hailsham report: more than one directory given ('%s', '%s')\n",
                    dir, a);
            return HS_EXIT_USAGE;
        }
    }
    if (dir == NULL) {
        fprintf(stderr, "hailsham report: no run directory given (try hailsham report --help)\n");
        return HS_EXIT_USAGE;
    }
    char err[1024];
    int rc = out ? hs_report_write_to(dir, out, plain, err, sizeof err)
                 : hs_report_write(dir, plain, err, sizeof err);
    if (rc != HS_REPORT_OK) {
        hs_diag_say(stderr, "hailsham report: ", err);
        return hs_report_exit_code(rc);
    }
    if (out)
        printf("%s\n", out);
    else
        printf("%s/report.html\n", dir);
    return HS_EXIT_OK;
}

/* ---- chronicle ------------------------------------------------------------------ */

static void chronicle_usage(FILE *f)
{
    fputs("usage: hailsham chronicle DIR --donor ID [--plain]\n"
          "       hailsham chronicle DIR --name NAME [--plain]\n"
          "       hailsham chronicle DIR --cohort YEAR [--estate NAME] [--limit N] [--plain]\n"
          "\n"
          "Tell donors' lives from the run in DIR, in the words of a carer: where they\n"
          "grew up, the Cottages, their carers and partner, the deferral they asked for,\n"
          "their donations and their completion.  The same run always tells the same text.\n"
          "\n"
          "  --donor ID     one donor, by id (the donors table of run.sqlite)\n"
          "  --name NAME    the donor called NAME (any case), e.g. 'Kathy H.'; when several\n"
          "                 are, they are listed (id, estate, year born, fate) to choose\n"
          "                 one with --donor; a shared name is written with its estate\n"
          "                 and year, 'Tommy J. (Hailsham, born 1966)', which --name takes\n"
          "  --cohort YEAR  the donors created in YEAR, in order of id\n"
          "  --estate NAME  with --cohort: only those of this estate (e.g. Hailsham)\n"
          "  --limit N      with --cohort: at most N lives (default 10)\n"
          "  --plain        say what the euphemisms hide: completion is death, a donation\n"
          "                 is an organ removed, a recovery centre is where donors wait\n"
          "                 for the next operation\n"
          "\n"
          "A name that several donors share is followed by their estate and year born\n"
          "(or month or day, or id, when even those are shared), so that each names\n"
          "one person.\n"
          "\n" HS_EXIT_HELP, f);
}

/* A whole number in [lo, hi] for option opt; -1 (message printed) if not. */
static int parse_long(const char *opt, const char *s, long long lo, long long hi,
                      long long *out)
{
    char *end = NULL;
    errno = 0;
    if (s == NULL) {
        fprintf(stderr, "hailsham chronicle: %s needs a value (try hailsham chronicle --help)\n",
                opt);
        return -1;
    }
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        fprintf(stderr, "hailsham chronicle: %s needs a whole number from %lld to %lld, "
                        "got '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

struct chron_args {
    const char *dir;
    struct hs_chronicle_opts o;
    int have_cohort, have_limit;
};

/* 0 to go on, -1 after --help, or an exit status. */
static int chronicle_option(struct chron_args *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    long long x;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
        chronicle_usage(stdout);
        return -1;
    } else if (!strcmp(a, "--plain")) {
        c->o.plain = 1;
        return 0;
    } else if (!strcmp(a, "--donor")) {
        if (parse_long(a, v, 0, LLONG_MAX, &x))
            return HS_EXIT_USAGE;
        c->o.donor = x;
    } else if (!strcmp(a, "--cohort")) {
        if (parse_long(a, v, 1, 9999, &x))
            return HS_EXIT_USAGE;
        c->o.cohort = (int)x;
        c->have_cohort = 1;
    } else if (!strcmp(a, "--limit")) {
        if (parse_long(a, v, 1, 1000000, &x))
            return HS_EXIT_USAGE;
        c->o.limit = (long)x;
        c->have_limit = 1;
    } else if (!strcmp(a, "--name")) {
        if (v == NULL || *v == '\0') {
            fprintf(stderr, "hailsham chronicle: --name needs a donor's name, e.g. 'Kathy H.'\n");
            return HS_EXIT_USAGE;
        }
        c->o.name = v;
    } else if (!strcmp(a, "--estate")) {
        if (v == NULL || *v == '\0') {
            fprintf(stderr, "hailsham chronicle: --estate needs an estate's name\n");
            return HS_EXIT_USAGE;
        }
        c->o.estate = v;
    } else {
        fprintf(stderr, "hailsham chronicle: unknown option '%s' (try hailsham chronicle "
                        "--help)\n", a);
        return HS_EXIT_USAGE;
    }
    (*i)++;
    return 0;
}

static int chronicle_args(struct chron_args *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->o.donor = -1;
    c->o.limit = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != '\0') {
            int rc = chronicle_option(c, argc, argv, &i);
            if (rc != 0)
                return rc;
        } else if (c->dir == NULL) {
            c->dir = a;
        } else {
            fprintf(stderr, "hailsham chronicle: more than one directory given ('%s', '%s')\n",
                    c->dir, a);
            return HS_EXIT_USAGE;
        }
    }
    int ways = (c->o.donor >= 0) + (c->o.name != NULL) + c->have_cohort;
    const char *why = c->dir == NULL ? "no run directory given"
                      : ways > 1 ? "--donor, --name and --cohort cannot be used together"
                      : ways == 0 ? "say whose lives: --donor ID, --name NAME or --cohort YEAR"
                      : !c->have_cohort && (c->o.estate || c->have_limit)
                          ? "--estate and --limit go with --cohort, not --donor or --name"
                          : NULL;
    if (why) {
        fprintf(stderr, "hailsham chronicle: %s (try hailsham chronicle --help)\n", why);
        return HS_EXIT_USAGE;
    }
    return 0;
}

int hs_cmd_chronicle(int argc, char **argv)
{
    struct chron_args c;
    int rc = chronicle_args(&c, argc, argv);
    if (rc != 0)
        return rc < 0 ? HS_EXIT_OK : rc;
    char err[1400];
    rc = hs_chronicle_write(c.dir, &c.o, stdout, err, sizeof err);
    if (rc == HS_CHRONICLE_OK)
        return HS_EXIT_OK;
    hs_diag_say(stderr, "hailsham chronicle: ", err);
    return hs_exit_of(rc);
}
