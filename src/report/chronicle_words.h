/* SPDX-License-Identifier: MIT
 *
 * chronicle_words.h - the narrator's small words (chronicle_words.c): numbers
 * and spans of time in words, dates, the wrapping of a paragraph, and the
 * filling of a phrasing's {slots}.  Private to the chronicle.
 */
#ifndef HS_REPORT_CHRONICLE_WORDS_H
#define HS_REPORT_CHRONICLE_WORDS_H

#include <stddef.h>

#include "charts.h"

/* A date of the records (YYYY-MM-DD); ok is 0 when the text is none. */
struct cw_date {
    int y, m, d, ok;
};

/* The words a telling has so far, by slot name, for its phrasings. */
enum { NVARS = 48, VARLEN = 320 };

struct cw_vars {
    int n;
    struct {
        const char *k;
        char v[VARLEN];
    } s[NVARS];
};

extern const char *const cw_months[12];   /* "January", ... */

void cw_words(long n, char *buf, size_t len);
const char *cw_ordinal(int n);
void cw_count_unit(long n, const char *unit, char *buf, size_t len);
void cw_span(double years, char *buf, size_t len);
struct cw_date cw_parse_date(const char *s);
long cw_days_of(struct cw_date t);
int cw_age_at(const char *born, const char *when);
void cw_when(const char *iso, unsigned variant, char *buf, size_t len);
void cw_on_day(const char *iso, char *buf, size_t len);
void cw_put_shown(struct hs_buf *out, const char *s, size_t n);
void cw_wrap(struct hs_buf *out, const char *para);
void cw_set(struct cw_vars *vs, const char *k, const char *v);
const char *cw_get(const struct cw_vars *vs, const char *k);
void cw_say(struct hs_buf *p, const char *tmpl, const struct cw_vars *vs);

#endif
