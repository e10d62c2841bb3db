/* SPDX-License-Identifier: MIT
 *
 * report.c - the HTML report: one self-contained page per run or
 * experiment directory, written in one go.
 *
 * A directory with a could.json is the answer of could-it-work, one with
 * an experiment.json an experiment; any other is taken for a run.  It is read and checked first (run.c, experiment.c),
 * then the page is assembled in memory (page.c, with the charts of
 * run_charts.c or exp_charts.c), and only a whole page is written: under
 * a temporary name beside the target, synced, then renamed into place, so
 * that the target holds either the whole new report, the old one, or
 * none.  Nothing in the directory read is ever written to.
 *
 * The first failure anywhere is kept in the report with a one-line reason
 * (see report_impl.h) and decides the status returned, which the command
 * turns into its exit status.
 */
#include "report_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_atomic(struct report *r, const char *out)
{
    size_t n = strlen(out) + 32;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return rp_fail_oom(r);
    snprintf(tmp, n, "%s.tmp-%ld", out, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int bad = f == NULL;
    if (!bad) {
        bad = fwrite(r->page.s, 1, r->page.len, f) != r->page.len;
        bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
    }
    if (!bad && rename(tmp, out) != 0)
        bad = 1;
    int saved = errno;
    if (bad) {
        unlink(tmp);
        char what[4400];
        snprintf(what, sizeof what, "cannot write %s", out);
        rp_fail(r, HS_REPORT_EWRITE, what, strerror(saved));
    }
    free(tmp);
    return r->status;
}

static int check_dir(struct report *r)
{
    struct stat st;
    if (stat(r->dir, &st) != 0) {
        char what[4300];
        snprintf(what, sizeof what, "%s: no such run directory", r->dir);
        return rp_fail(r, HS_REPORT_EDATA, what, NULL);
    }
    if (!S_ISDIR(st.st_mode)) {
        char what[4300];
        snprintf(what, sizeof what, "%s is not a directory (give the directory of a run)",
                 r->dir);
        return rp_fail(r, HS_REPORT_EDATA, what, NULL);
    }
    return HS_REPORT_OK;
}

static int holds(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

int hs_report_write_to(const char *dir, const char *out, int plain, char *err, size_t errlen)
{
    struct report r;
    memset(&r, 0, sizeof r);
    r.dir = dir;
    r.plain = plain;
    r.err = err;
    r.errlen = errlen;
    r.scale = NAN;
    r.dbname = "run.sqlite";
    if (errlen)
        err[0] = '\0';
    hs_buf_init(&r.page);
    if (check_dir(&r) == HS_REPORT_OK) {
        if (holds(dir, "could.json")) {
            if (rp_open_could(&r) == HS_REPORT_OK)
                rp_could_page(&r);
        } else if (holds(dir, "experiment.json")) {
            struct exp_info x;
            if (rp_open_experiment(&r, &x) == HS_REPORT_OK)
                rp_experiment_page(&r, &x);
        } else if (rp_open_run(&r) == HS_REPORT_OK) {
            rp_run_page(&r);
        }
    }
    if (r.status == HS_REPORT_OK)
        write_atomic(&r, out);
    hs_buf_free(&r.page);
    if (r.db)
        sqlite3_close(r.db);
    json_decref(r.summary);
    json_decref(r.exp);
    json_decref(r.could);
    return r.status;
}

int hs_report_write(const char *dir, int plain, char *err, size_t errlen)
{
    size_t n = strlen(dir) + sizeof "/report.html";
    char *out = malloc(n);
    if (out == NULL) {
        snprintf(err, errlen, "out of memory");
        return HS_REPORT_ENOMEM;
    }
    snprintf(out, n, "%s/report.html", dir);
    int rc = hs_report_write_to(dir, out, plain, err, errlen);
    free(out);
    return rc;
}
