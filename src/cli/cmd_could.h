/* SPDX-License-Identifier: MIT
 *
 * cmd_could.h - `hailsham could-it-work` (cmd_could.c).
 */
#ifndef HS_CLI_CMD_COULD_H
#define HS_CLI_CMD_COULD_H

int hs_cmd_could(int argc, char **argv);

#endif
