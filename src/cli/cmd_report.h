/* SPDX-License-Identifier: MIT
 *
 * cmd_report.h - `hailsham report` (the HTML report of a run or an
 * experiment) and `hailsham chronicle` (donors' lives told from a run).
 * argv[0] is the command's name; the return value is the exit status.
 */
#ifndef HS_CLI_CMD_REPORT_H
#define HS_CLI_CMD_REPORT_H

int hs_cmd_report(int argc, char **argv);
int hs_cmd_chronicle(int argc, char **argv);

/* The exit status (exitcode.h) for an hs_report_status; shared with
 * `hailsham run --report`. */
int hs_report_exit_code(int status);

#endif
