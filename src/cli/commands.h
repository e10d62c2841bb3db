/* SPDX-License-Identifier: MIT
 *
 * commands.h - the subcommands of the `hailsham` program.
 *
 * main.c dispatches "hailsham COMMAND ARGS..." to hs_cmd_COMMAND(argc,
 * argv) with argv[0] the command's name ("validate") and the command's own
 * arguments after it; the return value is the process exit status
 * (exitcode.h).
 */
#ifndef HS_CLI_COMMANDS_H
#define HS_CLI_COMMANDS_H

/* hailsham validate [--set KEY=VALUE]... FILE_OR_NAME
 * Prints every error of the scenario, one per line, to stderr; prints
 * nothing and returns 0 when it is valid. */
int hs_cmd_validate(int argc, char **argv);

/* hailsham scenarios [--show NAME]
 * Lists the built-in scenarios with their summaries, or prints one. */
int hs_cmd_scenarios(int argc, char **argv);

/* hailsham figures: the figure catalogue as Markdown (docs/outputs.md). */
int hs_cmd_figures(int argc, char **argv);

/* hailsham schema
 * Prints the scenario file reference (docs/scenario.md) to stdout. */
int hs_cmd_schema(int argc, char **argv);

#endif
