/* SPDX-License-Identifier: MIT
 *
 * report_impl.h - what the files of the HTML report share; private to
 * src/report.
 *
 * The report is made in three steps, each in files of its own: the
 * directory is read and checked (run.c for a run, experiment.c for an
 * experiment), the charts are drawn (run_charts.c from one table of chart
 * specifications, exp_charts.c for an experiment's bands and sweeps, both
 * through the gnuplot bridge of charts.c), and the page is assembled
 * (page.c: HTML, CSS, tables) from words that prose.c keeps in both
 * registers.  report.c is the entry point and writes the page in one go.
 *
 * Every function here that can fail records the first failure in the
 * report (status and a one-line reason) and returns it, so a caller may
 * stop at the first non-zero return and hand back r->status.
 */
#ifndef HS_REPORT_IMPL_H
#define HS_REPORT_IMPL_H

#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "../output/catalogue.h"
#include "charts.h"
#include "report.h"

/* At most this many lines on a chart (estates, sweep points). */
enum { MAX_SERIES = 8 };

struct report {
    const char *dir;
    int plain;
    sqlite3 *db;
    json_t *summary;          /* run: summary.json */
    json_t *exp;              /* experiment: experiment.json */
    json_t *could;            /* could-it-work: could.json */
    const char *dbname;       /* "run.sqlite" or "experiment.sqlite", for errors */
    int has_baseline;
    int has_ceiling;          /* the world at perfect supply: yearly_ceiling has figures */
    int other_medicine;       /* the run assumes medicine beyond organs */
    int no_programme;         /* a run of a world without the programme (the real world) */
    double scale;
    char scale_note[64];      /* " (run at scale 0.01)" */
    char calibration_note[512]; /* the lists at a scale not the calibration's, or "" */
    int chart_index;
    int status;
    char *err;
    size_t errlen;
    struct hs_buf page;
};

/* A text in the novel's words and in plain ones; plain NULL: the same. */
struct words {
    const char *novel, *plain;
};

/* ---- run.c: reading a run, and what reading an experiment shares ------------- */

int rp_fail(struct report *r, int status, const char *what, const char *why);
int rp_fail_db(struct report *r);      /* r->dbname is corrupt or incomplete */
int rp_fail_oom(struct report *r);
double rp_jnum(const json_t *obj, const char *key);   /* NaN unless a number */
double rp_jnum_at(const json_t *arr, size_t i);        /* the same, of an array's item */
json_t *rp_load_json(struct report *r, const char *name);
int rp_table_exists(struct report *r, const char *table, int *exists);
int rp_need_columns(struct report *r, const char *table, const char *const *cols);
/* sql's rows as the gnuplot data block $name, numbers only: the number of
 * rows, or -1 with the error set. */
long rp_block(struct report *r, struct hs_buf *gp, const char *name, const char *sql);

/* real.c: England's real values of `measure` (a figure of data/real/series.csv,
 * or "e0": life expectancy, the mean of the sexes) as the data block $name,
 * counts turned into the run's units (per million, times the run's public
 * that year); the rows written, or -1 (r->status says why). */
int rp_real_block(struct report *r, struct hs_buf *gp, const char *name, const char *measure);
/* The first row of sql as up to n numbers (NaN for NULL or no row). */
int rp_row_values(struct report *r, const char *sql, double *v, int n);
/* summary.json and run.sqlite, checked; r->scale and r->has_baseline set. */
int rp_open_run(struct report *r);

/* ---- experiment.c: reading an experiment --------------------------------------- */

struct exp_info {
    const json_t *points;     /* experiment.json's "results" */
    size_t npoints;
    const char *key;          /* the one key every point sets, or NULL */
    double reps;
    int has_db;               /* experiment.sqlite is there */
    int has_yearly;           /* ... with its table of yearly rows */
    long pts[MAX_SERIES];     /* the points with yearly rows, the first eight */
    int np;
};

/* experiment.json and experiment.sqlite, checked; r->scale set. */
int rp_open_experiment(struct report *r, struct exp_info *x);
/* Point i's figure `name` of experiment.json (NULL if it has none). */
const json_t *rp_exp_figure(const struct exp_info *x, size_t i, const char *name);
/* How many keys the sweep varies (0 for none). */
size_t rp_point_keys(const struct exp_info *x);
/* The key-th swept key of point `point` and its value ("grant 0"); -1 if none. */
int rp_point_part(const struct exp_info *x, long point, size_t key, char *buf, size_t n);
/* Point i as the page names it: its value ("0.5"), or "a=1, b=2". */
void rp_point_label(const struct exp_info *x, size_t i, char *buf, size_t n);
/* The same for the point experiment.sqlite numbers `point`, with the key. */
void rp_point_legend(const struct exp_info *x, long point, char *buf, size_t n);
/* One point's years of a yearly column as the data block $name: the mean
 * of the replications and its 95% Student-t interval.  Rows, or -1. */
long rp_exp_year_block(struct report *r, struct hs_buf *gp, const char *name, long point,
                       const char *column);

/* ---- run_charts.c and exp_charts.c: the charts ----------------------------------- */

enum run_section { SECTION_PUBLIC, SECTION_DONORS };
int rp_run_charts(struct report *r, enum run_section section);
int rp_exp_yearly_charts(struct report *r, const struct exp_info *x);
int rp_exp_figure_charts(struct report *r, const struct exp_info *x);

/* ---- could.c: the report of could-it-work ------------------------------------- */

int rp_open_could(struct report *r);      /* could.json read and checked */
int rp_could_charts(struct report *r);    /* its two charts */

/* ---- page.c: the page ---------------------------------------------------------- */

/* `body` (data blocks and commands) drawn under `title` as the <figure> id. */
int rp_figure(struct report *r, const char *id, const char *title, const char *body,
              const char *caption, int small);
/* The same from a script buffer, which is freed. */
int rp_draw(struct report *r, struct hs_buf *gp, const char *id, const char *title,
            const char *caption, int small);
/* A chart with nothing to draw: its sentence, marked data-missing="id". */
void rp_no_chart(struct report *r, const char *id, const char *why);
void rp_paragraph(struct report *r, const char *cls, const char *text);
int rp_run_page(struct report *r);
int rp_experiment_page(struct report *r, const struct exp_info *x);
int rp_could_page(struct report *r);

/* ---- prose.c: the words -------------------------------------------------------- */

const char *rp_word(const struct report *r, const char *novel, const char *plain);
const char *rp_say(const struct report *r, struct words w);
/* A data table's column name in the report's register. */
const char *rp_column_word(const struct report *r, const char *name);
/* 1234567.8 -> "1,234,568" (digits=0); NaN or infinity -> an em dash. */
void rp_fmt_num(char *buf, size_t n, double v, int digits);
/* `what` with the run's scale after it, for counts of people. */
void rp_scaled(const struct report *r, char *buf, size_t n, const char *what);

/* The figures of summary.json and experiment.json are those of the figure
 * catalogue (src/output/catalogue.h): labels in the report's register
 * (with the unit when the label does not say it), digits and factors. */
void rp_headline_label(const struct report *r, const struct hs_figure *f, char *buf, size_t n);
/* Refuse a file of a format this version does not know: `json`'s
 * "format", or the open database's user_version when json is NULL. */
int rp_check_format(struct report *r, const json_t *json, const char *file);
void rp_figure_label(const struct report *r, const char *name, char *buf, size_t n);
double rp_figure_factor(const char *name);
int rp_figure_digits(const char *name);

struct glossary_term {
    const char *term, *meaning;
};
extern const struct glossary_term rp_glossary[];
extern const size_t rp_nglossary;
extern const char rp_plain_note[];

const char *rp_run_lede(const struct report *r, int has_programme);
const char *rp_exp_lede(const struct report *r);
/* The sentence under the headline table; 0 if there is none to say. */
int rp_headline_lede(const struct report *r, const json_t *headline, char *s, size_t n);

/* Captions of the run charts, from the values of their chart's row. */
typedef void rp_caption_fn(const struct report *r, const double *v, char *cap, size_t n);
rp_caption_fn rp_cap_life_expectancy, rp_cap_gain, rp_cap_reached_100, rp_cap_waiting,
    rp_cap_wait_deaths, rp_cap_transplants, rp_cap_stages, rp_cap_yearly, rp_cap_by_number,
    rp_cap_tenure;
const char *rp_why_no_life_course(const struct report *r, const double *v);

/* could-it-work: the answer in words (could.json's), and the caption of its
 * size chart. */
void rp_could_answer(const struct report *r, char *s, size_t n);
void rp_cap_could_size(const struct report *r, char *cap, size_t n);

/* Captions of the experiment charts. */
void rp_cap_band(char *cap, size_t n, const char *title, double reps);
/* How figure `label` moves over npoints points: lowest `lo` at point `at_lo`,
 * highest `hi` at `at_hi` (numbers and point labels as text). */
void rp_cap_sweep(char *cap, size_t n, size_t npoints, const char *label, const char *title,
                  const char *lo, const char *hi, const char *at_lo, const char *at_hi);

#endif
