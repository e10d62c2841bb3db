/* SPDX-License-Identifier: MIT
 *
 * chronicle_web.h - the page's last run, kept in memory for the chronicle
 * (chronicle_web.c): its parameters, donors, donations and each donor's
 * last chip reading.
 */
#ifndef HS_WEB_CHRONICLE_WEB_H
#define HS_WEB_CHRONICLE_WEB_H

#include <stddef.h>

#include "params.h"
#include "world.h"

struct hs_web_reading {
    double t;               /* the latest reading's day */
    const char *place;
    size_t count;           /* readings of the donor */
};

struct hs_web_run {
    struct hs_params p;
    struct hs_donor_row *donors;        /* by id once complete */
    size_t ndonors, cdonors;
    struct hs_donation_row *donations;  /* by donor and number once complete */
    size_t ndonations, cdonations;
    struct hs_web_reading *last;        /* by donor id */
    size_t clast;
    char **strings;                     /* the names the rows point to */
    size_t nstrings, cstrings;
    int complete;
};

/* Forget the last run and start keeping one with these parameters. */
void hs_web_run_start(const struct hs_params *p);
/* Set the donor, donation and move functions of sink to keep the rows. */
void hs_web_run_sink(struct hs_world_sink *sink);
/* The run ended well: order the rows for reading. */
void hs_web_run_done(void);
void hs_web_run_clear(void);
const struct hs_web_run *hs_web_run_get(void);

#endif
