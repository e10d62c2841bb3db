/* SPDX-License-Identifier: MIT
 *
 * yearly.c - the columns and the text of yearly.csv, apart from the other
 * files of a run, so that whatever writes the yearly figures as CSV (the
 * run's files, the web page) writes the same bytes.  Needs the catalogue
 * only: no SQLite, no JSON.
 */
#include "output.h"

#include <stdio.h>

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
