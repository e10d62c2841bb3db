/* SPDX-License-Identifier: MIT
 *
 * real.c - England's real figures (data/real/series.csv, compiled in) for
 * the charts of a world without the programme: each chart of the public
 * draws the real values of its figure beside the model's.
 *
 * series.csv has one value per figure and year (measure, year, area,
 * value, source, note).  A UK count is turned into the run's units as the
 * calibration test compares them: per million of the UK's population that
 * year (geometric between the rows of population_millions), times the
 * run's own public alive that year.  Life expectancy is the mean of the
 * male and female rows of a year.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hailsham/status.h>

extern const char hs_real_series[];
extern const size_t hs_real_series_len;

struct real_row {
    char measure[64], area[32];
    int year;
    double value;
};

#define MAX_REAL 512

/* The rows of the compiled-in series.csv (its header skipped). */
static size_t real_rows(struct real_row *rows)
{
    const char *p = hs_real_series, *end = hs_real_series + hs_real_series_len;
    size_t n = 0;
    int header = 1;
    while (p < end && n < MAX_REAL) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        struct real_row *r = &rows[n];
        if (!header && sscanf(line, "%63[^,],%d,%31[^,],%lf", r->measure, &r->year, r->area,
                              &r->value) == 4)
            n++;
        header = 0;
        p = nl ? nl + 1 : end;
    }
    return n;
}

/* Population (millions) of the UK, or of England, in `year`: geometric
 * between the nearest rows, or along the nearest two beyond them; NaN if
 * there are fewer than two. */
static double population(const struct real_row *rows, size_t n, const char *area, int year)
{
    const char *want = strcmp(area, "England") == 0 ? "England" : "UK";
    int lo = -1, hi = -1;
    double vlo = NAN, vhi = NAN;
    for (size_t i = 0; i < n; i++) {
        const struct real_row *r = &rows[i];
        if (strcmp(r->measure, "population_millions") != 0 || strcmp(r->area, want) != 0)
            continue;
        if (r->year == year)
            return r->value;
        if (r->year < year && r->year > lo)
            lo = r->year, vlo = r->value;
        if (r->year > year && (hi < 0 || r->year < hi))
            hi = r->year, vhi = r->value;
    }
    if (lo < 0 || hi < 0) {   /* beyond the rows: the nearest two on one side */
        int a = -1, b = -1;
        double va = NAN, vb = NAN;
        for (size_t i = 0; i < n; i++) {
            const struct real_row *r = &rows[i];
            if (strcmp(r->measure, "population_millions") != 0 || strcmp(r->area, want) != 0)
                continue;
            int d = abs(r->year - year);
            if (a < 0 || d < abs(a - year)) {
                b = a, vb = va;
                a = r->year, va = r->value;
            } else if (b < 0 || d < abs(b - year)) {
                b = r->year, vb = r->value;
            }
        }
        if (a < 0 || b < 0 || a == b)
            return NAN;
        lo = a, vlo = va, hi = b, vhi = vb;
    }
    return vlo * pow(vhi / vlo, (double)(year - lo) / (double)(hi - lo));
}

/* The run's public alive at the end of each year, from the yearly table:
 * alive[y - first] for y in [first, first + n). */
struct alive {
    int first;
    size_t n;
    double v[512];
};

static int read_alive(struct report *r, struct alive *a)
{
    sqlite3_stmt *st = NULL;
    a->n = 0;
    a->first = 0;
    if (sqlite3_prepare_v2(r->db, "SELECT year, public_alive FROM yearly ORDER BY year", -1, &st,
                           NULL) != SQLITE_OK)
        return rp_fail_db(r);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int y = sqlite3_column_int(st, 0);
        if (a->n == 0)
            a->first = y;
        if (y - a->first != (int)a->n || a->n >= sizeof a->v / sizeof a->v[0])
            break;   /* years are consecutive; a run is at most 512 of them */
        a->v[a->n++] = sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HS_REPORT_OK : rp_fail_db(r);
}

int rp_real_block(struct report *r, struct hs_buf *gp, const char *block, const char *measure)
{
    static struct real_row rows[MAX_REAL];
    size_t n = real_rows(rows);
    struct alive a;
    if (read_alive(r, &a) != HS_REPORT_OK)
        return -1;
    long count = 0;
    hs_buf_printf(gp, "$%s << EOD\n", block);
    for (size_t i = 0; i < n; i++) {
        const struct real_row *x = &rows[i];
        int y = x->year - a.first;
        if (y < 0 || (size_t)y >= a.n)
            continue;
        double v = NAN;
        if (strcmp(measure, "e0") == 0) {
            if (strcmp(x->measure, "e0_male") != 0)
                continue;
            for (size_t j = 0; j < n; j++)
                if (strcmp(rows[j].measure, "e0_female") == 0 && rows[j].year == x->year)
                    v = 0.5 * (x->value + rows[j].value);
        } else {
            if (strcmp(x->measure, measure) != 0)
                continue;
            v = x->value / population(rows, n, x->area, x->year) * a.v[y] / 1e6;
        }
        if (isfinite(v)) {
            hs_buf_printf(gp, "%d %.6g\n", x->year, v);
            count++;
        }
    }
    hs_buf_put(gp, "EOD\n");
    return (int)count;
}
