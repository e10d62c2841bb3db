/* SPDX-License-Identifier: MIT
 *
 * test_experiment.c - the parts of `hailsham experiment` (src/experiment):
 * the statistics (including the coverage of the 95% interval over many
 * small experiments with a known mean), --vary parsing, sweep expansion
 * from the command line and from a scenario file's `sweep:` section, the
 * validation of every value before any work, replication records (bit
 * for bit through their text form), the journal and its lock, and one
 * replication's determinism.  The whole command, with threads, kills and
 * MPI, is tested by test_experiment.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hailsham/hailsham.h>

#include "../src/experiment/experiment.h"
#include "../src/output/output.h"

/* ---- helpers ------------------------------------------------------------ */

static char tmpdir[64];

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hs-exp-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The text a function printed to its FILE *. */
/* Text for the reader of the test's log, as TAP diagnostics ("# " lines),
 * so that it is not taken for a malformed result line. */
static void note(const char *text)
{
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        int n = nl ? (int)(nl - text) : (int)strlen(text);
        print_message("# %.*s\n", n, text);
        text += n + (nl != NULL);
    }
}

struct capture {
    FILE *f;
    char buf[8192];
};

static void capture_open(struct capture *c)
{
    c->f = tmpfile();
    assert_non_null(c->f);
}

static const char *capture_text(struct capture *c)
{
    rewind(c->f);
    size_t n = fread(c->buf, 1, sizeof c->buf - 1, c->f);
    c->buf[n] = '\0';
    fclose(c->f);
    return c->buf;
}

/* ---- figures ------------------------------------------------------------ */

static void figures_have_unique_names(void **state)
{
    (void)state;
    size_t n = hs_exp_figure_count();
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(hs_exp_figure_find(hs_exp_figure_name(i)), (long)i);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(hs_exp_figure_name(i), hs_exp_figure_name(j));
    }
    assert_int_equal(hs_exp_figure_find("no_such_figure"), -1);
    struct hs_summary s;
    memset(&s, 0, sizeof s);
    s.deaths_waiting_total = 42;
    assert_true(hs_exp_figure_value(&s, (size_t)hs_exp_figure_find("deaths_waiting_total"))
                == 42);
}

/* ---- statistics --------------------------------------------------------- */

static void stats_of_known_data(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, NAN};
    struct hs_exp_stat st;
    hs_exp_stat_of(x, 5, 1, &st);
    assert_int_equal(st.n, 4);   /* the NaN is left out */
    assert_true(fabs(st.mean - 2.5) < 1e-12);
    assert_true(fabs(st.sd - sqrt(5.0 / 3.0)) < 1e-12);
    /* t(0.975, 3) = 3.182446305 */
    assert_true(fabs(st.half_width - 3.182446305284263 * sqrt(5.0 / 3.0) / 2) < 1e-8);
    assert_true(fabs(st.lo - (st.mean - st.half_width)) < 1e-12);

    /* a stride picks one figure out of interleaved data */
    const double y[] = {1, 100, 3, 100};
    hs_exp_stat_of(y, 2, 2, &st);
    assert_true(st.mean == 2 && st.n == 2);

    /* one value: a mean but no spread */
    hs_exp_stat_of(x, 1, 1, &st);
    assert_true(st.n == 1 && st.mean == 1 && isnan(st.half_width) && isnan(st.sd));
    hs_exp_stat_of(x + 4, 1, 1, &st);
    assert_true(st.n == 0 && isnan(st.mean));

    /* paired differences: a constant shift has no spread at all */
    const double a[] = {10, 20, 30}, b[] = {11, 21, 31};
    hs_exp_diff_of(a, b, 3, 1, &st);
    assert_true(st.n == 3 && st.mean == 1 && st.half_width == 0);
}

/* Over many small experiments on a quantity with a known mean, the 95%
 * interval must cover the mean about 95% of the time. */
static double coverage(size_t reps, size_t experiments, double (*draw)(hs_rng *),
                       double mean)
{
    hs_rng r;
    double *x = malloc(reps * sizeof *x);
    size_t covered = 0;
    assert_non_null(x);
    for (size_t e = 0; e < experiments; e++) {
        hs_rng_init(&r, 2024, e, hs_rng_purpose("coverage"));
        for (size_t i = 0; i < reps; i++)
            x[i] = draw(&r);
        struct hs_exp_stat st;
        hs_exp_stat_of(x, reps, 1, &st);
        covered += st.lo <= mean && mean <= st.hi;
    }
    free(x);
    return (double)covered / (double)experiments;
}

static double draw_normal(hs_rng *r)
{
    return hs_dist_normal(r, 5.0, 2.0);
}

static double draw_uniform(hs_rng *r)
{
    return 10.0 + hs_rng_uniform(r);   /* mean 10.5 */
}

static void intervals_cover_the_mean(void **state)
{
    (void)state;
    double c10 = coverage(10, 1000, draw_normal, 5.0);
    double c3 = coverage(3, 1000, draw_normal, 5.0);   /* Student's t matters here */
    double cu = coverage(20, 1000, draw_uniform, 10.5);
    print_message("# coverage: normal n=10 %.3f, n=3 %.3f, uniform n=20 %.3f\n", c10, c3,
                  cu);
    assert_true(c10 >= 0.92 && c10 <= 0.98);
    assert_true(c3 >= 0.92 && c3 <= 0.98);
    assert_true(cu >= 0.92 && cu <= 0.98);
}

/* ---- --vary -------------------------------------------------------------- */

static void split(const char *spec, size_t want, const char *const *values)
{
    char *key = NULL, **v = NULL, err[512];
    size_t n = 0;
    int rc = hs_exp_split_vary(spec, &key, &v, &n, err, sizeof err);
    if (rc != HS_OK)
        print_message("# %s: %s\n", spec, err);
    assert_int_equal(rc, HS_OK);
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i], values[i]);
        free(v[i]);
    }
    free(v);
    free(key);
}

static void split_fails(const char *spec, const char *message_part)
{
    char *key = NULL, **v = NULL, err[512] = "";
    size_t n = 0;
    assert_int_equal(hs_exp_split_vary(spec, &key, &v, &n, err, sizeof err), HS_EPARSE);
    if (!strstr(err, message_part))
        print_message("# %s: %s\n", spec, err);
    assert_non_null(strstr(err, message_part));
    assert_null(key);
    assert_null(v);
}

static void vary_specs_split_at_top_level_commas(void **state)
{
    (void)state;
    split("a.b=1,2,3", 3, (const char *const[]){"1", "2", "3"});
    split(" a.b = 0.5 , 1e-3 ", 2, (const char *const[]){"0.5", "1e-3"});
    split("k={1952: 800, 1960: 900},{1952: 0}", 2,
          (const char *const[]){"{1952: 800, 1960: 900}", "{1952: 0}"});
    split("k=[[kidney], [liver, lung]],[[heart]]", 2,
          (const char *const[]){"[[kidney], [liver, lung]]", "[[heart]]"});
    split("k='a, b',\"c, \\\"d\",e", 3, (const char *const[]){"'a, b'", "\"c, \\\"d\"", "e"});
    split("k=never", 1, (const char *const[]){"never"});
    split_fails("programme.end", "no '=' found");
    split_fails("=1,2", "key path before '=' is missing");
    split_fails("k=1,,2", "empty value");
    split_fails("k=1,", "empty value");
    split_fails("k=", "empty value");
    split_fails("k=1,2,1", "the value '1' is given twice");
}

/* ---- sweeps -------------------------------------------------------------- */

static void sweep_expands_factorially(void **state)
{
    (void)state;
    struct hs_sweep_axis fa[2] = {
        {"programme.couples.grant", (char *[]){"0", "1"}, 2},
        {"programme.carers.caseload", (char *[]){"3", "4", "5"}, 3},
    };
    struct hs_sweep file = {fa, 2};
    const char *varies[] = {"programme.carers.caseload=2,6", "scenario.scale=0.001,0.002"};
    struct hs_exp_sweep s;
    char err[512];
    assert_int_equal(hs_exp_sweep_build(&file, "f.yaml", varies, 2, &s, err, sizeof err),
                     HS_OK);
    /* the file's order, the command line overriding the file in place */
    assert_int_equal(s.naxes, 3);
    assert_string_equal(s.axis[0].path, "programme.couples.grant");
    assert_string_equal(s.axis[0].origin, "f.yaml");
    assert_string_equal(s.axis[1].path, "programme.carers.caseload");
    assert_int_equal(s.axis[1].nvalues, 2);
    assert_string_equal(s.axis[1].values[1], "6");
    assert_string_equal(s.axis[1].origin, "--vary");
    assert_int_equal(s.npoints, 2 * 2 * 2);
    /* the last axis varies fastest */
    size_t idx[3];
    hs_exp_sweep_coords(&s, 5, idx);   /* 5 = 1*4 + 0*2 + 1 */
    assert_true(idx[0] == 1 && idx[1] == 0 && idx[2] == 1);
    char label[256];
    hs_exp_point_label(&s, 5, label, sizeof label);
    assert_string_equal(label, "programme.couples.grant=1 programme.carers.caseload=2 "
                               "scenario.scale=0.002");
    /* and the parameters of the point */
    struct hs_params base, p;
    struct hs_diag d;
    hs_params_default(&base);
    hs_diag_init(&d);
    assert_int_equal(hs_exp_point_params(&s, &base, 5, &p, &d), HS_OK);
    hs_diag_free(&d);
    assert_true(p.deferral_grant_prob == 1 && p.carer_caseload == 2 && p.scale == 0.002);
    hs_exp_sweep_free(&s);

    /* no sweep at all: one point, the base */
    assert_int_equal(hs_exp_sweep_build(NULL, "f.yaml", NULL, 0, &s, err, sizeof err), HS_OK);
    assert_int_equal(s.npoints, 1);
    hs_exp_point_label(&s, 0, label, sizeof label);
    assert_string_equal(label, "base");
    hs_exp_sweep_free(&s);

    /* a key given twice on the command line */
    const char *twice[] = {"a.b=1", "a.b=2"};
    assert_int_equal(hs_exp_sweep_build(NULL, "f.yaml", twice, 2, &s, err, sizeof err),
                     HS_EINVAL);
    assert_non_null(strstr(err, "--vary a.b is given twice"));
}

static void sweep_values_are_checked_first(void **state)
{
    (void)state;
    struct hs_params base;
    hs_params_default(&base);
    const char *varies[] = {"programme.couples.grant=0,1.5", "programme.coupls.years=1"};
    struct hs_exp_sweep s;
    char err[512];
    assert_int_equal(hs_exp_sweep_build(NULL, "f.yaml", varies, 2, &s, err, sizeof err),
                     HS_OK);
    struct capture c;
    capture_open(&c);
    assert_int_equal(hs_exp_sweep_check(&s, &base, c.f), HS_EPARSE);
    const char *text = capture_text(&c);
    note(text);
    assert_non_null(strstr(text, "hailsham experiment: --vary programme.couples.grant=...: "
                                 "the value '1.5' is not valid: must be between 0 and 1, "
                                 "found 1.5\n"));
    assert_non_null(strstr(text, "--vary programme.coupls.years=...: the value '1' is not "
                                 "valid: unknown key 'coupls' (did you mean 'couples'?)"));
    hs_exp_sweep_free(&s);

    /* each value valid alone, the point invalid across keys */
    const char *cross[] = {"scenario.start_year=1950,1990", "scenario.end_year=1960"};
    assert_int_equal(hs_exp_sweep_build(NULL, "f.yaml", cross, 2, &s, err, sizeof err), HS_OK);
    capture_open(&c);
    assert_int_equal(hs_exp_sweep_check(&s, &base, c.f), HS_EPARSE);
    text = capture_text(&c);
    note(text);
    assert_non_null(strstr(text, "sweep point 1 (scenario.start_year=1990 "
                                 "scenario.end_year=1960) is not a valid scenario"));
    assert_null(strstr(text, "sweep point 0"));
    hs_exp_sweep_free(&s);
}

static void sweep_section_of_a_file(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/sw.yaml", tmpdir);
    write_text(path, "scenario:\n"
                     "  name: sw\n"
                     "sweep:\n"
                     "  programme.couples.grant: [0, 0.5]\n"
                     "  programme.cohorts.sizes:\n"
                     "    - {1952: 800}\n"
                     "    - 1952: 1600\n"
                     "      1960: 100\n"
                     "  programme.fallback_estate: [\"St. Mary's, Dover\"]\n");
    struct hs_sweep sw;
    struct hs_diag d;
    hs_diag_init(&d);
    int rc = hs_scenario_load_sweep(path, &sw, &d);
    hs_diag_print(&d, stderr);
    hs_diag_free(&d);
    assert_int_equal(rc, HS_OK);
    assert_int_equal(sw.naxes, 3);
    assert_string_equal(sw.axis[0].path, "programme.couples.grant");
    assert_int_equal(sw.axis[0].nvalues, 2);
    assert_string_equal(sw.axis[0].values[1], "0.5");
    assert_string_equal(sw.axis[1].values[0], "{1952: 800}");
    assert_string_equal(sw.axis[1].values[1], "{1952: 1600, 1960: 100}");
    assert_string_equal(sw.axis[2].values[0], "\"St. Mary's, Dover\"");

    /* the texts apply as --set values do */
    struct hs_exp_sweep s;
    char err[512];
    assert_int_equal(hs_exp_sweep_build(&sw, path, NULL, 0, &s, err, sizeof err), HS_OK);
    assert_int_equal(s.npoints, 4);
    struct hs_params base, p;
    hs_params_default(&base);
    hs_diag_init(&d);
    rc = hs_exp_point_params(&s, &base, 3, &p, &d);
    hs_diag_print(&d, stderr);
    hs_diag_free(&d);
    hs_exp_sweep_free(&s);
    hs_sweep_free(&sw);
    /* the fallback estate is not an estate: the check across keys says so */
    assert_int_equal(rc, HS_EPARSE);

    /* a scenario without a sweep has none; built-ins resolve too */
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_sweep("canon", &sw, &d), HS_OK);
    assert_int_equal(sw.naxes, 0);
    hs_sweep_free(&sw);
    hs_diag_free(&d);
}

static void bad_sweep_sections(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.yaml", tmpdir);
    write_text(path, "scenario:\n"
                     "  name: bad\n"
                     "sweep:\n"
                     "  programme.couples.grant: [0, 1.5]\n"
                     "  programme.nosuch: [1]\n"
                     "  scenario.end_year: 1970\n"
                     "  programme.couples.grant: [1]\n");
    struct hs_sweep sw;
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_sweep(path, &sw, &d), HS_EPARSE);
    char want[4][256];
    snprintf(want[0], sizeof want[0], "%s:4:32: error: must be between 0 and 1, found 1.5",
             path);
    snprintf(want[1], sizeof want[1], "%s:5:3: error: unknown key path 'programme.nosuch' "
             "in sweep (write the dotted path of a key, as in programme.end)", path);
    snprintf(want[2], sizeof want[2], "%s:6:22: error: expected a list of the values to "
             "sweep, as in [0, 0.5], found '1970'", path);
    snprintf(want[3], sizeof want[3], "%s:7:3: error: duplicate key "
             "'programme.couples.grant' in sweep (first given at 4:3)", path);
    hs_diag_print(&d, stderr);
    assert_int_equal(hs_diag_count(&d), 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(hs_diag_message(&d, i), want[i]);
    hs_diag_free(&d);
    /* the normal loader reports the same, and keeps the scenario's values */
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_file(path, &p, &d), HS_EPARSE);
    assert_int_equal(hs_diag_count(&d), 4);
    hs_diag_free(&d);
    write_text(path, "scenario: {name: ok, end_year: 1960}\n"
                     "sweep: {programme.couples.grant: [1]}\n");
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_file(path, &p, &d), HS_OK);
    hs_diag_free(&d);
    assert_true(p.end_year == 1960 && p.deferral_grant_prob == 0);
}

/* ---- records ------------------------------------------------------------- */

static void records_round_trip_bit_for_bit(void **state)
{
    (void)state;
    struct hs_summary s;
    memset(&s, 0, sizeof s);
    s.events = 123456789012u;
    s.public_alive_end = 0.1;
    s.life_expectancy_end = -1e-300;
    s.median_completion_age = NAN;
    s.carer_years_p95 = INFINITY;
    s.donors_completed = 4.9406564584124654e-324;   /* the smallest subnormal */
    size_t nc = hs_output_year_columns();
    double *years = malloc(3 * nc * sizeof *years);
    assert_non_null(years);
    for (size_t i = 0; i < 3 * nc; i++)
        years[i] = (double)i / 7.0;
    struct hs_exp_rec r, back;
    assert_int_equal(hs_exp_rec_make(7, 9, &s, years, 3, &r), HS_OK);
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(hs_exp_rec_encode(&r, &buf, &len), HS_OK);
    assert_int_equal(hs_exp_rec_decode(buf, len, 1, &back), HS_OK);
    assert_true(back.point == 7 && back.rep == 9 && back.events == s.events);
    assert_int_equal(back.nyears, 3);
    for (size_t k = 0; k < hs_exp_figure_count(); k++) {
        if (isnan(r.fig[k]))
            assert_true(isnan(back.fig[k]));
        else
            assert_memory_equal(&r.fig[k], &back.fig[k], sizeof(double));
    }
    assert_memory_equal(back.years, years, 3 * nc * sizeof *years);
    hs_exp_rec_free(&back);

    /* anything but a whole record is refused */
    for (size_t cut = 0; cut < len; cut += 97)
        assert_int_equal(hs_exp_rec_decode(buf, cut, 0, &back), HS_EPARSE);
    char *bad = malloc(len + 1);
    assert_non_null(bad);
    memcpy(bad, buf, len);
    char *name = strstr(bad, "public_alive_end");
    assert_non_null(name);
    name[0] = 'P';   /* a figure this program does not know */
    assert_int_equal(hs_exp_rec_decode(bad, len, 0, &back), HS_EPARSE);
    free(bad);
    free(buf);
    free(years);
    hs_exp_rec_free(&r);
}

/* ---- the journal --------------------------------------------------------- */

static void seen_record(void *ctx, uint32_t point, uint32_t rep)
{
    *(uint64_t *)ctx += hs_exp_task(point, rep);
}

static void journal_keeps_and_guards(void **state)
{
    (void)state;
    char dir[128], err[512];
    snprintf(dir, sizeof dir, "%s/j/out", tmpdir);
    struct hs_exp_journal *j = NULL, *k = NULL;
    assert_int_equal(hs_exp_journal_open(dir, 42, &j, err, sizeof err), HS_OK);

    /* a second experiment in the same directory waits for none: refused */
    assert_int_equal(hs_exp_journal_open(dir, 42, &k, err, sizeof err), HS_ESTATE);
    assert_non_null(strstr(err, "another experiment is running"));

    struct hs_summary s;
    memset(&s, 0, sizeof s);
    s.deaths_waiting_total = 17;
    struct hs_exp_rec r, back;
    char *buf;
    size_t len;
    assert_int_equal(hs_exp_rec_make(1, 2, &s, NULL, 0, &r), HS_OK);
    assert_int_equal(hs_exp_rec_encode(&r, &buf, &len), HS_OK);
    assert_int_equal(hs_exp_journal_put(j, 1, 2, buf, len, err, sizeof err), HS_OK);
    free(buf);
    hs_exp_rec_free(&r);
    assert_int_equal(hs_exp_journal_get(j, 1, 2, 1, &back), HS_OK);
    assert_true(back.fig[hs_exp_figure_find("deaths_waiting_total")] == 17);
    hs_exp_rec_free(&back);
    assert_int_equal(hs_exp_journal_get(j, 1, 3, 1, &back), HS_ENOTFOUND);
    uint64_t sum = 0;
    assert_int_equal(hs_exp_journal_scan(j, seen_record, &sum), HS_OK);
    assert_true(sum == hs_exp_task(1, 2));
    hs_exp_journal_close(j);

    /* a temporary left by a killed writer is cleaned, the record kept */
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s/.journal/p000000-r0000000.rec.tmp", dir);
    write_text(tmp, "half a reco");
    assert_int_equal(hs_exp_journal_open(dir, 42, &j, err, sizeof err), HS_OK);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_int_equal(hs_exp_journal_get(j, 1, 2, 0, &back), HS_OK);
    hs_exp_rec_free(&back);
    hs_exp_journal_close(j);

    /* another experiment's journal is refused, and kept */
    assert_int_equal(hs_exp_journal_open(dir, 43, &j, err, sizeof err), HS_ESTATE);
    assert_non_null(strstr(err, "holds the journal of another experiment"));
    assert_non_null(strstr(err, "with 1 finished replications"));

    assert_int_equal(hs_exp_journal_open(dir, 42, &j, err, sizeof err), HS_OK);
    assert_int_equal(hs_exp_journal_remove(j), HS_OK);
    char jd[256];
    snprintf(jd, sizeof jd, "%s/.journal", dir);
    assert_int_equal(access(jd, F_OK), -1);
}

/* ---- one replication ------------------------------------------------------ */

static void a_replication_depends_only_on_its_index(void **state)
{
    (void)state;
    struct hs_params p;
    hs_params_default(&p);
    p.scale = 0.001;
    p.end_year = 1956;
    char *a = NULL, *b = NULL, *c = NULL, err[256];
    size_t la = 0, lb = 0, lc = 0;
    assert_int_equal(hs_exp_run_one(&p, 5, 0, 3, &a, &la, err, sizeof err), HS_OK);
    assert_int_equal(hs_exp_run_one(&p, 5, 1, 3, &b, &lb, err, sizeof err), HS_OK);
    assert_int_equal(hs_exp_run_one(&p, 5, 0, 4, &c, &lc, err, sizeof err), HS_OK);
    /* the point number is a label: the same (seed, replication) gives the
     * same world */
    const char *ra = strstr(a, "events"), *rb = strstr(b, "events");
    assert_non_null(ra);
    assert_non_null(rb);
    assert_string_equal(ra, rb);
    assert_string_not_equal(strstr(c, "events"), ra);
    struct hs_exp_rec r;
    assert_int_equal(hs_exp_rec_decode(a, la, 1, &r), HS_OK);
    assert_int_equal(r.nyears, 6);   /* 1950-1955 */
    assert_true(r.years[0] == 1950);
    hs_exp_rec_free(&r);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_have_unique_names),
        cmocka_unit_test(stats_of_known_data),
        cmocka_unit_test(intervals_cover_the_mean),
        cmocka_unit_test(vary_specs_split_at_top_level_commas),
        cmocka_unit_test(sweep_expands_factorially),
        cmocka_unit_test(sweep_values_are_checked_first),
        cmocka_unit_test(sweep_section_of_a_file),
        cmocka_unit_test(bad_sweep_sections),
        cmocka_unit_test(records_round_trip_bit_for_bit),
        cmocka_unit_test(journal_keeps_and_guards),
        cmocka_unit_test(a_replication_depends_only_on_its_index),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
