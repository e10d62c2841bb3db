/* SPDX-License-Identifier: MIT
 *
 * status.c - descriptions of the status codes of status.h, and the
 * library's version string.
 */
#include "hailsham/status.h"
#include "hailsham/version.h"

const char *hs_strerror(int status)
{
    switch (status) {
    case HS_OK: return "success";
    case HS_EINVAL: return "invalid argument";
    case HS_ENOMEM: return "out of memory";
    case HS_ESTATE: return "operation not allowed in this state";
    case HS_ENOTFOUND: return "not found";
    case HS_ERANGE: return "value out of range";
    case HS_EIO: return "input/output error";
    case HS_EPARSE: return "invalid input";
    default: return "unknown status";
    }
}

const char *hs_version(void)
{
    return HS_VERSION;
}
