/* SPDX-License-Identifier: MIT
 *
 * chronicle.h - donors' lives told from a run's trace.
 *
 * The chronicle reads a run directory's run.sqlite (donors, donations,
 * chip readings, parameters) and tells one donor's life, or those of a
 * cohort, in the first person of a carer, in the understated words of the
 * novel, or, with `plain`, in words that say what those hide.  The text is
 * built from tables of phrasings whose choice is a hash of the donor's id,
 * so the same run always gives the same text; it states only what the
 * records bear out, and names each person so that only one fits.
 */
#ifndef HS_CHRONICLE_H
#define HS_CHRONICLE_H

#include <stdio.h>

#include <hailsham/status.h>

/* What went wrong, in the statuses of include/hailsham/status.h (a
 * request for a donor who does not exist is a bad argument). */
enum hs_chronicle_status {
    HS_CHRONICLE_OK = HS_OK,
    HS_CHRONICLE_EDATA = HS_EPARSE,       /* not a run directory, incomplete or corrupt */
    HS_CHRONICLE_ENOTFOUND = HS_EINVAL,   /* no donor matches the request */
    HS_CHRONICLE_EWRITE = HS_EIO,         /* the output could not be written */
    HS_CHRONICLE_ENOMEM = HS_ENOMEM
};

struct hs_chronicle_opts {
    long long donor;      /* a donor id, or -1 to select by cohort */
    int cohort;           /* the cohort's year when donor < 0 */
    const char *estate;   /* only donors of this estate (any case), or NULL */
    long limit;           /* at most this many lives (cohort mode), >= 1 */
    int plain;            /* say what the euphemisms hide */
    const char *name;     /* the donors called this (any case), or NULL: one is told,
                             several are listed by id to choose from; a name may carry
                             the estate and year the chronicle adds to a shared name,
                             "Tommy J. (Hailsham, born 1966)" */
};

/* Tell the selected lives to out.  Returns an hs_chronicle_status and, on
 * failure, a one-line reason in err. */
int hs_chronicle_write(const char *dir, const struct hs_chronicle_opts *o, FILE *out,
                       char *err, size_t errlen);

#endif
