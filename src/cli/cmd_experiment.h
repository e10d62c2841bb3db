/* SPDX-License-Identifier: MIT
 *
 * cmd_experiment.h - `hailsham experiment`: replications with confidence
 * intervals and sweeps, on every core and through MPI (docs/experiments.md).
 */
#ifndef HS_CLI_CMD_EXPERIMENT_H
#define HS_CLI_CMD_EXPERIMENT_H

/* hailsham experiment SCENARIO --replications N [options]; argv[0] is the
 * command's name.  Returns the exit status (exitcode.h). */
int hs_cmd_experiment(int argc, char **argv);

#endif
