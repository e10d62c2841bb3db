/* SPDX-License-Identifier: MIT
 *
 * cmd_scenario.c - the scenario commands: `validate`, `scenarios`, `schema`.
 *
 * Options are strict: an unknown option, a missing value or a stray
 * argument prints one line naming it and exits with 2, so that a typo in a
 * script fails loudly instead of being ignored.  Errors in the scenario
 * itself are data, not usage: they go to stderr one per line, exactly as
 * the scenario module words them, and exit with 3.
 */
#include "../output/catalogue.h"
#include "commands.h"
#include "exitcode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* What an option loop found: the one positional argument and the --set
 * assignments. */
struct args {
    const char *cmd;
    const char *positional;
    const char **sets;
    size_t nset;
    const char *show;      /* scenarios --show NAME */
    int help;
};

/* One line: "hailsham CMD: WHAT 'ARG' (try ...)". */
static int usage_error(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "hailsham %s: %s '%s' (try 'hailsham %s --help')\n", cmd, what, arg, cmd);
    return HS_EXIT_USAGE;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE"; NULL
 * if arg is not that option.  *i moves past a separate value. */
static const char *option_value(const char *opt, int argc, char **argv, int *i, int *missing)
{
    size_t n = strlen(opt);
    const char *arg = argv[*i];
    *missing = 0;
    if (strncmp(arg, opt, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Parse argv; takes --set when sets is allowed, --show when show is.
 * Returns -1 when the arguments are fine, else the exit status. */
static int parse(struct args *a, int argc, char **argv, int allow_set, int allow_show,
                 int max_positional)
{
    int only_positional = 0, missing = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v = NULL;
        if (!only_positional && strcmp(arg, "--") == 0) {
            only_positional = 1;
        } else if (!only_positional && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            a->help = 1;
        } else if (!only_positional && allow_set &&
                   ((v = option_value("--set", argc, argv, &i, &missing)) || missing)) {
            if (missing)
                return usage_error(a->cmd, "missing KEY=VALUE after option", "--set");
            a->sets[a->nset++] = v;
        } else if (!only_positional && allow_show &&
                   ((v = option_value("--show", argc, argv, &i, &missing)) || missing)) {
            if (missing)
                return usage_error(a->cmd, "missing NAME after option", "--show");
            a->show = v;
        } else if (!only_positional && arg[0] == '-' && arg[1] != '\0') {
            return usage_error(a->cmd, "unknown option", arg);
        } else if (max_positional > 0 && !a->positional) {
            a->positional = arg;
        } else {
            return usage_error(a->cmd, "unexpected argument", arg);
        }
    }
    return -1;
}

static int flush_stdout(const char *cmd)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hailsham %s: cannot write the output: %s\n", cmd, strerror(errno));
        return HS_EXIT_OUTPUT;
    }
    return HS_EXIT_OK;
}

/* ---- validate ---------------------------------------------------------- */

static void validate_usage(FILE *f)
{
    fputs("usage: hailsham validate [--set KEY=VALUE]... FILE_OR_NAME\n"
          "\n"
          "Check a scenario file (- for standard input), or a built-in scenario by\n"
          "name, and print every error to stderr, one per line\n"
          "(FILE:LINE:COLUMN: error: MESSAGE).  Prints nothing when the scenario is\n"
          "valid.\n"
          "\n"
          "Options:\n"
          "  --set KEY=VALUE  change one key after reading, as `hailsham run` does\n"
          "                   (repeatable; VALUE is YAML, e.g. --set 'programme.end=1990')\n"
          "  -h, --help       print this help and exit\n"
          "\n"
          "The file format is described by `hailsham schema` (docs/scenario.md).\n"
          "\n" HS_EXIT_HELP, f);
}

static int validate_run(const struct args *a)
{
    struct hs_diag d;
    struct hs_params p;
    hs_diag_init(&d);
    /* "-" is standard input, read once like any file */
    const char *what = strcmp(a->positional, "-") == 0 ? "/dev/stdin" : a->positional;
    int rc = hs_scenario_resolve_set(what, a->sets, a->nset, &p, &d);
    hs_diag_print(&d, stderr);
    hs_diag_free(&d);
    if (rc == HS_OK)
        return HS_EXIT_OK;
    if (rc == HS_ENOMEM) {
        fputs("hailsham validate: out of memory\n", stderr);
        return HS_EXIT_NOMEM;
    }
    return HS_EXIT_DATA;
}

int hs_cmd_validate(int argc, char **argv)
{
    struct args a = {"validate", NULL, NULL, 0, NULL, 0};
    a.sets = malloc(sizeof *a.sets * (size_t)(argc > 0 ? argc : 1));
    if (!a.sets) {
        fputs("hailsham validate: out of memory\n", stderr);
        return HS_EXIT_NOMEM;
    }
    int rc = parse(&a, argc, argv, 1, 0, 1);
    if (rc < 0 && a.help) {
        validate_usage(stdout);
        rc = flush_stdout(a.cmd);
    } else if (rc < 0 && !a.positional) {
        rc = usage_error(a.cmd, "missing the scenario: give a file or a built-in name, as in",
                         "canon");
    } else if (rc < 0) {
        rc = validate_run(&a);
    }
    free(a.sets);
    return rc;
}

/* ---- scenarios --------------------------------------------------------- */

static void scenarios_usage(FILE *f)
{
    fputs("usage: hailsham scenarios [--show NAME]\n"
          "\n"
          "List the built-in scenarios with their summaries, or print one as YAML:\n"
          "a starting point for a scenario of your own.\n"
          "\n"
          "Options:\n"
          "  --show NAME  print the built-in scenario NAME\n"
          "  -h, --help   print this help and exit\n"
          "\n" HS_EXIT_HELP, f);
}

static int scenarios_list(void)
{
    size_t width = 0, n = hs_scenario_builtin_count();
    for (size_t i = 0; i < n; i++)
        if (strlen(hs_scenario_builtin_name(i)) > width)
            width = strlen(hs_scenario_builtin_name(i));
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %s\n", (int)width, hs_scenario_builtin_name(i),
               hs_scenario_builtin_summary(i));
    return flush_stdout("scenarios");
}

static int scenarios_show(const char *name)
{
    size_t i = hs_scenario_builtin_find(name), len = 0;
    if (i == (size_t)-1) {
        fprintf(stderr, "hailsham scenarios: no built-in scenario named '%s'; the built-ins are",
                name);
        for (size_t k = 0; k < hs_scenario_builtin_count(); k++)
            fprintf(stderr, "%s %s", k ? "," : "", hs_scenario_builtin_name(k));
        fputc('\n', stderr);
        return HS_EXIT_USAGE;
    }
    const char *text = hs_scenario_builtin_text(i, &len);
    fwrite(text, 1, len, stdout);
    return flush_stdout("scenarios");
}

int hs_cmd_scenarios(int argc, char **argv)
{
    struct args a = {"scenarios", NULL, NULL, 0, NULL, 0};
    int rc = parse(&a, argc, argv, 0, 1, 0);
    if (rc >= 0)
        return rc;
    if (a.help) {
        scenarios_usage(stdout);
        return flush_stdout(a.cmd);
    }
    return a.show ? scenarios_show(a.show) : scenarios_list();
}

/* ---- schema and figures: a reference printed as Markdown -------------- */

/* A command without options that prints one reference: `about` is its
 * help between the usage line and the options. */
static int reference(int argc, char **argv, const char *cmd, const char *about,
                     int (*print)(FILE *f))
{
    struct args a = {cmd, NULL, NULL, 0, NULL, 0};
    int rc = parse(&a, argc, argv, 0, 0, 0);
    if (rc >= 0)
        return rc;
    if (a.help)
        printf("usage: hailsham %s\n\n%s\nOptions:\n  -h, --help  print this help and exit\n"
               "\n" HS_EXIT_HELP, cmd, about);
    else
        print(stdout);
    return flush_stdout(a.cmd);   /* reports a failed write */
}

int hs_cmd_schema(int argc, char **argv)
{
    return reference(argc, argv, "schema",
                     "Print the reference for scenario files (docs/scenario.md) as Markdown:\n"
                     "every key with its type, unit, default, valid values and meaning.\n",
                     hs_scenario_schema_markdown);
}

int hs_cmd_figures(int argc, char **argv)
{
    return reference(argc, argv, "figures",
                     "Print the reference of every figure a run or an experiment reports, as the\n"
                     "Markdown of docs/outputs.md: the headline figures of summary.json and the\n"
                     "yearly figures of yearly.csv, each with its unit, meaning and labels.\n",
                     hs_cat_markdown);
}
