/* SPDX-License-Identifier: MIT
 *
 * main.c - the `hailsham` command: dispatches to its subcommands.
 */
#include <stdio.h>
#include <string.h>

#include <hailsham/hailsham.h>

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
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'hailsham COMMAND --help' tells more.  Try: hailsham run canon\n\n" HS_EXIT_HELP,
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return HS_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("hailsham %s\n", hs_version());
        return HS_EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return HS_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "hailsham: unknown command '%s' (try hailsham --help)\n", argv[1]);
    return HS_EXIT_USAGE;
}
