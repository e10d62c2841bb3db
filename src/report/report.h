/* SPDX-License-Identifier: MIT
 *
 * report.h - the HTML report of a run or an experiment directory.
 *
 * hs_report_write() reads a run directory (run.sqlite + summary.json, as
 * written by `hailsham run`) or an experiment directory (experiment.json,
 * experiment.sqlite) and writes DIR/report.html: one self-contained page
 * with the headline figures and charts drawn by gnuplot, inlined as SVG.
 * The page is written under a temporary name and renamed into place, so
 * DIR holds either the whole new report, the old one, or none.
 */
#ifndef HS_REPORT_H
#define HS_REPORT_H

#include <stddef.h>

#include <hailsham/status.h>

/* What went wrong, in the statuses of include/hailsham/status.h, so that
 * the command maps them as every other (hs_exit_of). */
enum hs_report_status {
    HS_REPORT_OK = HS_OK,
    HS_REPORT_EDATA = HS_EPARSE,    /* not a run directory, or incomplete, or corrupt */
    HS_REPORT_EWRITE = HS_EIO,      /* report.html could not be written */
    HS_REPORT_ETOOL = HS_EIO,       /* gnuplot is missing or failed */
    HS_REPORT_ENOMEM = HS_ENOMEM
};

/* Write DIR/report.html.  plain != 0 says what the programme's euphemisms
 * hide (completion is death, a donation an organ removed...), in text and
 * chart labels alike.  Returns an hs_report_status and, on failure, a
 * one-line reason in err. */
int hs_report_write(const char *dir, int plain, char *err, size_t errlen);

/* The same, writing to `out` instead of DIR/report.html. */
int hs_report_write_to(const char *dir, const char *out, int plain, char *err, size_t errlen);

/* The ids (data-chart attributes) of the charts a run report always has,
 * in page order, NULL-terminated; the tests and the browser check use them. */
extern const char *const hs_report_run_charts[];

/* The ids of the year-by-year charts of an experiment report, drawn for
 * every figure the experiment recorded, in page order, NULL-terminated. */
extern const char *const hs_report_experiment_charts[];

#endif
