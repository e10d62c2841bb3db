/* SPDX-License-Identifier: MIT
 *
 * exitcode.c - the one mapping from a status (include/hailsham/status.h)
 * to a command's exit status.
 */
#include "exitcode.h"

#include <hailsham/status.h>

int hs_exit_of(int status)
{
    switch (status) {
    case HS_OK: return HS_EXIT_OK;
    case HS_EINVAL: return HS_EXIT_USAGE;
    case HS_EPARSE:
    case HS_ESTATE: return HS_EXIT_DATA;
    case HS_EIO: return HS_EXIT_OUTPUT;
    case HS_ENOMEM: return HS_EXIT_NOMEM;
    default: return HS_EXIT_INTERNAL;
    }
}
