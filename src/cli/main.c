/* SPDX-License-Identifier: MIT
 *
 * main.c - the `hailsham` command: dispatches to its subcommands.
 */
#ifndef HS_DOCDIR
#define HS_DOCDIR "/usr/local/share/doc/hailsham"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hailsham/hailsham.h>

#include "../output/output.h"
#include "cmd_could.h"
#include "cmd_experiment.h"
#include "cmd_report.h"
#include "cmd_run.h"
#include "commands.h"
#include "exitcode.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"run", hs_cmd_run, "run a scenario and write its outputs"},
    {"experiment", hs_cmd_experiment, "replications, sweeps and confidence intervals"},
    {"could-it-work", hs_cmd_could, "the programme size a life expectancy would take"},
    {"report", hs_cmd_report, "write the HTML report of a run, with its charts"},
    {"chronicle", hs_cmd_chronicle, "tell donors' lives from a run, as a carer would"},
    {"validate", hs_cmd_validate, "check a scenario file and print its errors"},
    {"scenarios", hs_cmd_scenarios, "list the built-in scenarios"},
    {"schema", hs_cmd_schema, "print the reference of every scenario parameter"},
    {"figures", hs_cmd_figures, "print the reference of every figure a run reports"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fputs("usage: hailsham [--version] [--help] COMMAND [ARGS]\n"
          "\n"
          "A discrete-event simulator of the donation programme of Kazuo Ishiguro's\n"
          "Never Let Me Go: what the system costs and gives, year by year and donor\n"
          "by donor, and what changes when a rule changes.\n"
          "\n"
          "Commands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'hailsham help COMMAND' (or 'hailsham COMMAND --help') tells more.  Options\n"
          "take their value after a space or an '=' (--seed 2, --seed=2); -q is --quiet,\n"
          "-V --version.  Try: hailsham run canon\n\n"
          "Documentation: 'man hailsham', and the model, every scenario parameter and\n"
          "every output figure in " HS_DOCDIR "/\n"
          "(docs/ in the source).\n\n" HS_EXIT_HELP,
          f);
}

/* The command line every command parses: "--opt=value" is split into
 * "--opt" "value" (before a bare "--", which ends the options), and the
 * short -q is --quiet, so that each command's parser knows one form only.
 * Returns a new vector of *n entries, NULL when out of memory. */
static char **normalise(int argc, char **argv, int *n)
{
    char **v = calloc(2 * (size_t)argc + 1, sizeof *v);
    if (v == NULL)
        return NULL;
    int k = 0, options = 1;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        char *eq = options && strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        if (options && strcmp(a, "--") == 0)
            options = 0;
        if (eq != NULL && eq > a + 2) {
            *eq = '\0';                 /* argv's strings are the program's to change */
            v[k++] = a;
            v[k++] = eq + 1;
        } else {
            v[k++] = options && strcmp(a, "-q") == 0 ? (char *)"--quiet" : a;
        }
    }
    *n = k;
    return v;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return HS_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("hailsham %s\n", hs_version());
        return HS_EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        (!strcmp(argv[1], "help") && argc == 2)) {
        usage(stdout);
        return HS_EXIT_OK;
    }
    if (!strcmp(argv[1], "help")) {        /* hailsham help COMMAND */
        for (size_t i = 0; i < NCOMMANDS; i++)
            if (!strcmp(argv[2], commands[i].name)) {
                char *args[] = {argv[2], (char *)"--help", NULL};
                return commands[i].fn(2, args);
            }
        fprintf(stderr, "hailsham help: unknown command '%s' (try hailsham --help)\n", argv[2]);
        return HS_EXIT_USAGE;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "hailsham: unknown command '%s' (try hailsham --help)\n", argv[1]);
    return HS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    hs_output_process_init();
    int n = 0;
    char **v = normalise(argc, argv, &n);
    if (v == NULL) {
        fprintf(stderr, "hailsham: out of memory\n");
        return HS_EXIT_NOMEM;
    }
    int rc = dispatch(n, v);
    free(v);
    return rc;
}
