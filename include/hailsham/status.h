/* SPDX-License-Identifier: MIT
 *
 * status.h - status codes shared by every hailsham module.
 *
 * Functions that can fail return an int status: HS_OK (0) on success, a
 * negative HS_E* code otherwise.  Objects that can fail keep a message
 * describing the last failure (hs_engine_errmsg and friends).
 */
#ifndef HAILSHAM_STATUS_H
#define HAILSHAM_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

enum hs_status {
    HS_OK = 0,
    HS_EINVAL = -1,   /* a bad argument */
    HS_ENOMEM = -2,   /* an allocation failed */
    HS_ESTATE = -3,   /* the call is not allowed in the object's state */
    HS_ENOTFOUND = -4, /* no such element (e.g. an event no longer pending) */
    HS_ERANGE = -5,   /* a value or a count outside what is representable */
    HS_EIO = -6,      /* reading or writing a file failed */
    HS_EPARSE = -7    /* input could not be parsed or validated */
};

/* A constant English description of a status code ("invalid argument").
 * Never returns NULL. */
const char *hs_strerror(int status);

#ifdef __cplusplus
}
#endif
#endif
