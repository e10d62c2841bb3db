/* SPDX-License-Identifier: MIT
 *
 * exitcode.h - the exit statuses of every hailsham command (documented in
 * --help, the man page and docs/outputs.md).
 */
#ifndef HS_CLI_EXITCODE_H
#define HS_CLI_EXITCODE_H

enum {
    HS_EXIT_OK = 0,        /* success */
    HS_EXIT_USAGE = 2,     /* bad command line */
    HS_EXIT_DATA = 3,      /* bad input data: an invalid scenario or run directory */
    HS_EXIT_OUTPUT = 4,    /* an output could not be written */
    HS_EXIT_NOMEM = 5,     /* not enough memory (or the run would need too much) */
    HS_EXIT_INTERNAL = 70  /* an internal error: a bug */
};

/* The exit status of a command that ends with `status` (an hs_status):
 * HS_OK 0, HS_EINVAL 2, HS_EPARSE and HS_ESTATE 3, HS_EIO 4, HS_ENOMEM 5,
 * anything else 70. */
int hs_exit_of(int status);

#define HS_EXIT_HELP \
    "Exit status: 0 success, 2 bad usage, 3 bad input data, 4 cannot write output,\n" \
    "5 out of memory, 70 internal error.\n"

#endif
