/* SPDX-License-Identifier: MIT
 *
 * output.h - the files of a run: run.sqlite, yearly.csv, summary.json.
 *
 * The files are written into a staging directory beside the output
 * directory (publish.h), which takes the output directory's place in one
 * step at hs_output_commit(), after all of them are complete;
 * hs_output_abort() removes it.  So a directory holds either a run's
 * complete outputs, the previous run's, or none, whenever the process
 * stops.
 */
#ifndef HS_OUTPUT_H
#define HS_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../world/world.h"

struct hs_output;

struct hs_run_meta {
    const char *scenario;     /* name given on the command line */
    uint64_t seed;
    double scale;
    const char *version;
    const char *inputs;       /* the identity of the run's inputs (16 hex digits) */
    const char *const *overrides;  /* what the command line changed: "KEY=VALUE", "--scale F" */
    size_t noverrides;
};

/* The identity of the inputs of the run whose files DIR holds (its
 * summary.json's "inputs") into buf: 1 if DIR holds a run's files and they
 * say it, 0 if DIR holds no summary.json, -1 if it holds one that does not
 * say it (a run of an earlier format, or not a run's file). */
int hs_output_inputs_of(const char *dir, char *buf, size_t n);

/* Take the output directory's lock (publish.h; held until
 * hs_output_abort), check the directory (it may hold files besides a
 * run's, not directories), create its parents and the staging directory,
 * and open the files there.  HS_OK; HS_ESTATE when another run or
 * experiment is using dir; HS_EIO / HS_ENOMEM; each with a one-line
 * reason in err. */
int hs_output_open(const char *dir, struct hs_output **out, char *err, size_t errlen);

/* The sink that records the world's rows. */
struct hs_world_sink hs_output_sink(struct hs_output *o);

/* The sinks of the two comparison worlds: without the programme or its
 * cures (yearly rows to the table yearly_baseline of run.sqlite), and at
 * perfect supply, every listing given its organ at once (yearly_ceiling). */
struct hs_world_sink hs_output_baseline_sink(struct hs_output *o);
struct hs_world_sink hs_output_ceiling_sink(struct hs_output *o);

/* Every effective parameter, with the seed, the scale and the version. */
int hs_output_parameters(struct hs_output *o, const struct hs_params *p,
                         const struct hs_run_meta *m);

/* summary.json: the headline figures of the run; when baseline is not
 * NULL, of the same world without the programme or its cures, and their
 * differences; when ceiling is not NULL, of the world at perfect supply. */
int hs_output_summary(struct hs_output *o, const struct hs_run_meta *m,
                      const struct hs_summary *s, const struct hs_summary *baseline,
                      const struct hs_summary *ceiling);

/* Finish every file and put the set in place of the output directory.
 * HS_OK or HS_EIO (+ err); HS_OK with err not empty is a warning (the
 * previous outputs could not all be removed; err says where they are). */
int hs_output_commit(struct hs_output *o, char *err, size_t errlen);
/* The first write that failed, as one line naming the file (DIR/NAME,
 * DIR as given) and the cause ("runs/x/run.sqlite: write failed: No
 * space left on device"), or "" when none has: what a sink's bare HS_EIO
 * meant. */
const char *hs_output_error(const struct hs_output *o);

/* Remove the staging directory and free. Safe after commit (then only
 * frees). */
void hs_output_abort(struct hs_output *o);

/* The columns of yearly.csv, in order (also the yearly table's). */
size_t hs_output_year_columns(void);
const char *hs_output_year_column(size_t i);
double hs_output_year_value(const struct hs_year_row *r, size_t i);

/* yearly.csv's text (yearly.c): its header line, and the line of one
 * year (`year` as an integer, every other column as %.10g).  0, or -1 if
 * the write failed (errno says why). */
int hs_output_csv_header(FILE *f);
int hs_output_csv_row(FILE *f, const struct hs_year_row *r);

/* Process-wide settings of the files' library: call once at the start of
 * main, before any file is opened and before a second thread starts. */
void hs_output_process_init(void);

/* A day number of the run as an ISO date ("1978-05-02"), given the
 * scenario's first year. Writes "" for NaN. */
void hs_output_date(double start_year, double day, char *buf, size_t n);

/* A set of organs (bit k: organ k) as the donations table writes it:
 * "kidney,liver" (yearly.c). */
void hs_output_organ_list(uint32_t set, char *buf, size_t n);

#endif
