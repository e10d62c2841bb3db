/* SPDX-License-Identifier: MIT
 *
 * yearly.c - the columns and the text of yearly.csv, and the dates of a
 * run's files, apart from the rest of output.c, so that whatever writes the
 * yearly figures as CSV or tells a life from the run (the run's files, the
 * web page) writes the same bytes.  Needs the catalogue only: no SQLite,
 * no JSON.
 */
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalogue.h"

/* `year`, then the yearly figures of the catalogue (catalogue.c). */
size_t hs_output_year_columns(void) { return 1 + hs_cat_yearlies(); }

const char *hs_output_year_column(size_t i)
{
    if (i == 0)
        return "year";
    const struct hs_figure *f = hs_cat_yearly(i - 1);
    return f ? f->name : NULL;
}

double hs_output_year_value(const struct hs_year_row *r, size_t i)
{
    return i == 0 ? r->year : hs_cat_yearly_value(hs_cat_yearly(i - 1), r);
}

int hs_output_csv_header(FILE *f)
{
    for (size_t i = 0; i < hs_output_year_columns(); i++)
        fprintf(f, "%s%s", i ? "," : "", hs_output_year_column(i));
    return fputc('\n', f) == EOF || ferror(f) ? -1 : 0;
}

int hs_output_csv_row(FILE *f, const struct hs_year_row *r)
{
    size_t n = hs_output_year_columns();
    fprintf(f, "%d", r->year);
    for (size_t i = 1; i < n; i++)
        fprintf(f, ",%.10g", hs_output_year_value(r, i));
    return fputc('\n', f) == EOF || ferror(f) ? -1 : 0;
}

/* ---- dates ------------------------------------------------------------- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* The model's years are 365.25 days from the start; a date keeps the
 * model's year and places the day within it on the real calendar. */
void hs_output_date(double start_year, double day, char *buf, size_t n)
{
    if (isnan(day)) {
        snprintf(buf, n, "%s", "");
        return;
    }
    double yi = floor(day / 365.25);
    int year = (int)(start_year + yi);
    int doy = (int)floor(day - yi * 365.25);
    int len = leap(year) ? 366 : 365;
    if (doy >= len)
        doy = len - 1;
    if (doy < 0)
        doy = 0;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    while (m < 11) {
        int md = mdays[m] + (m == 1 && leap(year));
        if (doy < md)
            break;
        doy -= md;
        m++;
    }
    /* written digit by digit: this runs for every date of every donor and
     * chip reading, and snprintf was a few per cent of a run */
    if (year >= 0 && year <= 9999 && n >= 11) {
        char *p = buf;
        *p++ = (char)('0' + year / 1000);
        *p++ = (char)('0' + year / 100 % 10);
        *p++ = (char)('0' + year / 10 % 10);
        *p++ = (char)('0' + year % 10);
        *p++ = '-';
        *p++ = (char)('0' + (m + 1) / 10);
        *p++ = (char)('0' + (m + 1) % 10);
        *p++ = '-';
        *p++ = (char)('0' + (doy + 1) / 10);
        *p++ = (char)('0' + (doy + 1) % 10);
        *p = '\0';
        return;
    }
    snprintf(buf, n, "%04d-%02d-%02d", year, m + 1, doy + 1);
}

/* ---- organs -------------------------------------------------------------- */

void hs_output_organ_list(uint32_t set, char *buf, size_t n)
{
    /* copied, not formatted: this runs for every donation */
    size_t used = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (int k = 0; k < HS_NORGANS; k++) {
        if (!(set & (1u << k)))
            continue;
        const char *name = hs_organ_name(k);
        size_t len = strlen(name), sep = used ? 1 : 0;
        if (used + sep + len + 1 > n)
            break;   /* the buffer is full: the list ends at the last organ that fits */
        if (sep)
            buf[used++] = ',';
        memcpy(buf + used, name, len + 1);
        used += len;
    }
}
