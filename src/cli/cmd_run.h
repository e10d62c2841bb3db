/* SPDX-License-Identifier: MIT
 * cmd_run.h - `hailsham run`. */
#ifndef HS_CLI_CMD_RUN_H
#define HS_CLI_CMD_RUN_H
int hs_cmd_run(int argc, char **argv);
#endif
