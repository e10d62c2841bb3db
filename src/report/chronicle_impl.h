/* SPDX-License-Identifier: MIT
 *
 * chronicle_impl.h - what the chronicle's two files share: the state of one
 * telling, a life and its donations as read from run.sqlite, and the
 * reading functions (chronicle_read.c) that the telling (chronicle.c)
 * calls.  Private to src/report, and to the web page, whose reading
 * functions (src/web/chronicle_web.c) take the run from memory.
 */
#ifndef HS_REPORT_CHRONICLE_IMPL_H
#define HS_REPORT_CHRONICLE_IMPL_H

#include <stddef.h>

#include "charts.h"
#include "chronicle.h"

enum { WIDTH = 76, MAX_ESTATES = 32, MAX_DON = 8 };

struct ctx {
    const char *dir;
    struct sqlite3 *db;           /* run.sqlite (chronicle_read.c), or NULL */
    int plain;
    int end_year;                 /* the run's last year */
    double deferral_years;
    int nestates;
    char estate[MAX_ESTATES][96];
    int humane[MAX_ESTATES];
    int has_chips;
    int lookups;                  /* the reader's indexes are made (chronicle_read.c) */
    struct hs_buf text;
    int status;
    char *err;
    size_t errlen;
};

struct donation {
    int number;
    char date[16], centre[96], organs[96];
    int completed, agitated;
    long long carer;
    double bed_wait;
};

struct life {
    long long id, partner;
    char name[64], estate[96], cottages[96], deferral[16], stage[24];
    char created[16], left[16], training[16], carer[16], notice[16], completed[16];
    int cohort, male, gallery;
    double carer_years;
    int nd;
    struct donation d[MAX_DON];
};



/* ---- errors and small words ---------------------------------------------------- */

/* Record the first failure (status and message) and return the status. */
int ch_fail(struct ctx *c, int status, const char *msg);
/* A database error, with SQLite's message. */
int ch_fail_db(struct ctx *c);
/* Open DIR/run.sqlite read-only, check its format and tables, and read
 * the parameters the telling needs. */
int ch_open_run(struct ctx *c);
/* Take what the telling uses of one parameter, as run.sqlite's parameters
 * table gives it (key path, value text): the run's last year, the deferral's
 * length, the estates and which were humane (chronicle_words.c). */
void ch_take_parameter(struct ctx *c, const char *key, const char *value);
/* One donor's row and donations; HS_CHRONICLE_ENOTFOUND if there is none. */
int ch_read_life(struct ctx *c, long long id, struct life *l);
/* A donor's name and estate (for carers and partners); 0 if unknown. */
int ch_who(struct ctx *c, long long id, char *name, size_t nlen, char *estate, size_t elen);
/* How many donors a carer attended, and how many of them completed. */
int ch_cared_for(struct ctx *c, long long id, long *n, long *died);
/* The last chip reading of a donor: its place and date; 0 if none. */
int ch_last_reading(struct ctx *c, long long id, char *place, size_t plen, char *date,
                    size_t dlen);
/* How many donors of the run share x's name: shared[0] in all, and of
 * those, shared[1] grew up at x's estate and were born in x's year,
 * shared[2] in x's month, shared[3] on x's day.  A reference that names
 * one person needs the estate and year when shared[0] > 1, and the month,
 * the day, or the id when those are shared too. */
int ch_name_shared(struct ctx *c, const struct life *x, long shared[4]);
/* The ids of the donors called name (any case), in order of id: at most
 * limit into ids, their number into *n and how many in all into *total. */
int ch_named(struct ctx *c, const char *name, long limit, long long *ids, long *n,
             long *total);
/* The ids of a cohort's donors (of one estate, any case, with or without
 * "the", when estate is not NULL), in order of id: at most limit into ids,
 * their number into *n and how many there are in all into *total. */
int ch_cohort(struct ctx *c, int cohort, const char *estate, long limit, long long *ids,
              long *n, long *total);
/* Close what ch_open_run opened. */
void ch_close(struct ctx *c);

#endif
