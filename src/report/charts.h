/* SPDX-License-Identifier: MIT
 *
 * charts.h - a growable text buffer and the gnuplot bridge of the report.
 *
 * The report is assembled in memory (so that it can be written under a
 * temporary name in one go) and each chart is drawn by gnuplot, a real
 * plotting program from Debian, whose SVG is inlined into the page.  This
 * header is private to src/report.
 */
#ifndef HS_REPORT_CHARTS_H
#define HS_REPORT_CHARTS_H

#include <stddef.h>

/* A text buffer that remembers an allocation failure instead of crashing:
 * callers append freely and check `failed` once at the end. */
struct hs_buf {
    char *s;
    size_t len, cap;
    int failed;
};

void hs_buf_init(struct hs_buf *b);
void hs_buf_free(struct hs_buf *b);
void hs_buf_putn(struct hs_buf *b, const char *s, size_t n);
void hs_buf_put(struct hs_buf *b, const char *s);
void hs_buf_printf(struct hs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text for HTML: & < > " escaped. */
void hs_buf_html(struct hs_buf *b, const char *s);
/* The one way text reaches a gnuplot script: a single-quoted string, in
 * which gnuplot expands nothing (no backquote command, no macro, no
 * escape), whose text the enhanced-text terminal shows as it is (its
 * markup characters are escaped; control characters become spaces).
 * Every title and label of every chart is written by it, mostly through
 * the hs_gp_ functions below. */
void hs_buf_gpstr(struct hs_buf *b, const char *s);
/* The same for a tic label, which gnuplot also reads as a format. */
void hs_buf_gptic(struct hs_buf *b, const char *s);

/* The settings every chart shares (quiet colours, a light grid, the legend
 * below the plot where it never covers a line) and its title. */
void hs_gp_prelude(struct hs_buf *gp, const char *title);
/* The labels of the x and y axes. */
void hs_gp_axes(struct hs_buf *gp, const char *x, const char *y);
/* One series of a plot command: `spec` (data and style, never text from a
 * run or a scenario) and its legend title, or none if NULL; "plot " before
 * the first, a comma before the others. */
void hs_gp_series(struct hs_buf *gp, int first, const char *spec, const char *title);
/* Tic labels at 0, 1, ... n-1 on the x axis. */
void hs_gp_tics(struct hs_buf *gp, const char *const *labels, size_t n);

/* Draw one chart: `script` is gnuplot commands (data blocks, settings,
 * plot) without terminal or output, which this function adds.  On success
 * appends an <svg> element to `out` whose ids are prefixed with "cN-"
 * (N = index), so that several charts can share one page, and whose
 * <title> is `title`.  Returns HS_OK, HS_ENOTFOUND when gnuplot is not
 * installed, HS_EIO when gnuplot failed (its first error line in err),
 * HS_ENOMEM. */
int hs_chart_svg(const char *script, int width, int height, int index, const char *title,
                 struct hs_buf *out, char *err, size_t errlen);

#endif
