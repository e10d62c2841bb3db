/* SPDX-License-Identifier: MIT
 *
 * test_report.c - the HTML report and the chronicle (src/report) and their
 * commands.
 *
 * A small canon run is made once with the real program ($HAILSHAM) and
 * reported on: every chart listed in the issue must be there and drawn,
 * the plain report must use none of the euphemisms, and directories that
 * are not whole runs (missing, a file, empty, truncated or garbage
 * run.sqlite, no yearly table, bad summary.json) must give a clear error.
 * A small experiment is made the same way and its report must draw every
 * chart of what the experiment recorded, with the sweep's values as labels.
 * The chronicle is checked against golden files made from a frozen extract
 * of a fixed-seed run (tests/data/chronicle/run.sql), so that the model
 * can change without the chronicle's test changing; HS_UPDATE_GOLDEN=1
 * rewrites them.  Run from the source root (meson's workdir).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../src/report/chronicle.h"
#include "../src/report/report.h"

extern char **environ;

struct fixture {
    char root[128];        /* temporary directory of the whole test */
    char run[256];         /* a canon run with its baseline */
    char golden[256];      /* run.sqlite made from tests/data/chronicle/run.sql */
};

/* ---- helpers ------------------------------------------------------------------ */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static void write_all(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Run argv with stdout and stderr to files (or /dev/null); the exit status. */
static int run(char *const argv[], char *const envp[], const char *out, const char *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err ? err : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char *hailsham(void)
{
    const char *h = getenv("HAILSHAM");
    return h ? h : "build/hailsham";
}

static void path_of(char *buf, size_t n, const char *dir, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static void copy_file(const char *from, const char *to, long limit)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    assert_non_null(a);
    assert_non_null(b);
    char buf[8192];
    size_t n;
    long done = 0;
    while ((limit < 0 || done < limit) && (n = fread(buf, 1, sizeof buf, a)) > 0) {
        if (limit >= 0 && done + (long)n > limit)
            n = (size_t)(limit - done);
        assert_int_equal(fwrite(buf, 1, n, b), n);
        done += (long)n;
    }
    fclose(a);
    assert_int_equal(fclose(b), 0);
}

/* A directory under the fixture's root holding a copy of the run's files. */
static void copy_run(const struct fixture *fx, const char *name, char *dir, size_t n)
{
    char a[512], b[512];
    snprintf(dir, n, "%s/%s", fx->root, name);
    assert_int_equal(mkdir(dir, 0777), 0);
    path_of(a, sizeof a, fx->run, "run.sqlite");
    path_of(b, sizeof b, dir, "run.sqlite");
    copy_file(a, b, -1);
    path_of(a, sizeof a, fx->run, "summary.json");
    path_of(b, sizeof b, dir, "summary.json");
    copy_file(a, b, -1);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* The euphemisms that --plain must not use. */
static void assert_no_euphemisms(const char *text)
{
    char *t = strdup(text);
    assert_non_null(t);
    lower(t);
    static const char *const words[] = {"complet", "donat", "donor", "recovery centre",
                                        "recovery center"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *at = strstr(t, words[i]);
        if (at) {
            fprintf(stderr, "plain text has '%s' in: ...%.80s...\n", words[i],
                    at > t + 30 ? at - 30 : t);
            fail();
        }
    }
    free(t);
}

/* ---- fixture ------------------------------------------------------------------------ */

static int make_golden_db(struct fixture *fx)
{
    char *sql = read_all("tests/data/chronicle/run.sql");
    if (sql == NULL)
        return -1;
    snprintf(fx->golden, sizeof fx->golden, "%s/golden", fx->root);
    char db_path[512];
    path_of(db_path, sizeof db_path, fx->golden, "run.sqlite");
    sqlite3 *db = NULL;
    int rc = mkdir(fx->golden, 0777) == 0 && sqlite3_open(db_path, &db) == SQLITE_OK &&
             sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    sqlite3_close(db);
    free(sql);
    return rc;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL)
        return -1;
    snprintf(fx->root, sizeof fx->root, "/tmp/hs-test-report-XXXXXX");
    if (mkdtemp(fx->root) == NULL)
        return -1;
    snprintf(fx->run, sizeof fx->run, "%s/canon", fx->root);
    char *argv[] = {(char *)hailsham(), "run", "canon", "--seed", "1", "--scale", "0.005",
                    "--quiet", "--out", fx->run, NULL};
    const char *why = run(argv, NULL, NULL, NULL) != 0 ? "cannot make a canon run"
                      : make_golden_db(fx) != 0 ? "cannot build the chronicle's fixture from "
                                                  "tests/data/chronicle/run.sql"
                                                : NULL;
    if (why) {
        fprintf(stderr, "%s (with %s in %s)\n", why, hailsham(), fx->root);
        char *rm[] = {"rm", "-rf", fx->root, NULL};
        run(rm, NULL, NULL, NULL);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx == NULL)             /* the setup failed and said why */
        return 0;
    char *argv[] = {"rm", "-rf", fx->root, NULL};
    run(argv, NULL, NULL, NULL);
    free(fx);
    return 0;
}

/* ---- the report ----------------------------------------------------------------------- */

/* Each <figure> holds a drawn SVG (paths, a title) and a one-sentence caption. */
static void assert_figure(const char *html, const char *id)
{
    char key[128];
    snprintf(key, sizeof key, "data-chart=\"%s\"", id);
    const char *f = strstr(html, key);
    if (f == NULL) {
        fprintf(stderr, "no chart %s in the report\n", id);
        fail();
    }
    const char *end = strstr(f, "</figure>");
    assert_non_null(end);
    const char *svg = strstr(f, "<svg");
    assert_true(svg && svg < end);
    const char *path = strstr(svg, "<path");
    assert_true(path && path < end);
    const char *cap = strstr(f, "<figcaption>");
    assert_true(cap && cap < end && cap[12] != '<');
    const char *title = strstr(svg, "<title>");
    assert_true(title && title < end && title[7] != '<');
}

static void test_run_report(void **state)
{
    struct fixture *fx = *state;
    char err[1024], path[512];
    assert_int_equal(hs_report_write(fx->run, 0, err, sizeof err), HS_REPORT_OK);
    path_of(path, sizeof path, fx->run, "report.html");
    char *html = read_all(path);
    assert_non_null(html);
    for (const char *const *id = hs_report_run_charts; *id; id++)
        assert_figure(html, *id);
    /* self-contained: no script, nothing fetched from a network */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src=\"http"));
    assert_null(strstr(html, "<link"));
    assert_non_null(strstr(html, "without the programme"));
    assert_non_null(strstr(html, "Kathy H."));
    assert_non_null(strstr(html, "<meta name=\"viewport\""));
    /* no temporary left behind */
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    assert_int_not_equal(access(tmp, F_OK), 0);
    free(html);
}

static void test_plain_report(void **state)
{
    struct fixture *fx = *state;
    char err[1024], out[512];
    path_of(out, sizeof out, fx->root, "plain.html");
    assert_int_equal(hs_report_write_to(fx->run, out, 1, err, sizeof err), HS_REPORT_OK);
    char *html = read_all(out);
    assert_non_null(html);
    for (const char *const *id = hs_report_run_charts; *id; id++)
        assert_figure(html, *id);
    assert_no_euphemisms(html);
    assert_non_null(strstr(html, "died"));
    free(html);
}

static void expect_data_error(const char *dir, const char *needle)
{
    char err[1024], out[600];
    snprintf(out, sizeof out, "%s.html", dir);
    int rc = hs_report_write_to(dir, out, 0, err, sizeof err);
    if (rc != HS_REPORT_EDATA || strstr(err, needle) == NULL) {
        fprintf(stderr, "%s: status %d, error '%s' (wanted '%s')\n", dir, rc, err, needle);
        fail();
    }
    assert_null(strchr(err, '\n'));
    assert_int_not_equal(access(out, F_OK), 0);
}

static void test_report_bad_directories(void **state)
{
    struct fixture *fx = *state;
    char dir[512], a[600], b[600];

    snprintf(dir, sizeof dir, "%s/nowhere", fx->root);
    expect_data_error(dir, "no such run directory");

    snprintf(dir, sizeof dir, "%s/a-file", fx->root);
    write_all(dir, "x\n", 2);
    expect_data_error(dir, "not a directory");

    snprintf(dir, sizeof dir, "%s/empty", fx->root);
    assert_int_equal(mkdir(dir, 0777), 0);
    expect_data_error(dir, "summary.json");

    copy_run(fx, "nodb", dir, sizeof dir);
    path_of(a, sizeof a, dir, "run.sqlite");
    unlink(a);
    expect_data_error(dir, "no run.sqlite");

    copy_run(fx, "truncated", dir, sizeof dir);
    path_of(a, sizeof a, fx->run, "run.sqlite");
    path_of(b, sizeof b, dir, "run.sqlite");
    copy_file(a, b, 20000);
    expect_data_error(dir, "corrupt");

    copy_run(fx, "garbage", dir, sizeof dir);
    path_of(b, sizeof b, dir, "run.sqlite");
    write_all(b, "this is not a database, only words\n", 35);
    expect_data_error(dir, "corrupt");

    copy_run(fx, "noyearly", dir, sizeof dir);
    path_of(b, sizeof b, dir, "run.sqlite");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(b, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE yearly", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    expect_data_error(dir, "no table 'yearly'");

    copy_run(fx, "nosummary", dir, sizeof dir);
    path_of(b, sizeof b, dir, "summary.json");
    unlink(b);
    expect_data_error(dir, "no summary.json");

    copy_run(fx, "badsummary", dir, sizeof dir);
    path_of(b, sizeof b, dir, "summary.json");
    write_all(b, "{\"headline\": ", 13);
    expect_data_error(dir, "not valid JSON");
}

static void test_report_cannot_write(void **state)
{
    struct fixture *fx = *state;
    char dir[512], out[600], err[1024];
    copy_run(fx, "unwritable", dir, sizeof dir);
    path_of(out, sizeof out, dir, "report.html");
    assert_int_equal(mkdir(out, 0777), 0);        /* rename onto a directory fails */
    assert_int_equal(hs_report_write(dir, 0, err, sizeof err), HS_REPORT_EWRITE);
    assert_non_null(strstr(err, "cannot write"));
}

/* An experiment directory in the form `hailsham experiment` writes it:
 * the points under "results" with ci95_ names, and one yearly row per
 * replication in experiment.sqlite, from which the report makes the bands. */
static void make_written_experiment(const char *dir)
{
    char p[600];
    assert_int_equal(mkdir(dir, 0777), 0);
    path_of(p, sizeof p, dir, "experiment.json");
    const char *json =
        "{\"scenario\": \"canon\", \"points\": 2, \"replications\": 3, \"results\": ["
        "{\"point\": 0, \"values\": {\"programme.couples.grant\": \"0\"}, \"figures\": {"
        "\"median_completion_age\": {\"n\": 3, \"mean\": 24.2, \"sd\": 0.3, "
        "\"ci95_low\": 23.5, \"ci95_high\": 24.9}}},"
        "{\"point\": 1, \"values\": {\"programme.couples.grant\": \"1\"}, \"figures\": {"
        "\"median_completion_age\": {\"n\": 3, \"mean\": 24.6, \"sd\": 0.3, "
        "\"ci95_low\": 23.9, \"ci95_high\": 25.3}}}]}";
    write_all(p, json, strlen(json));
    path_of(p, sizeof p, dir, "experiment.sqlite");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE yearly(point INTEGER, replication INTEGER,"
                                      " year INTEGER, life_expectancy REAL, donations REAL);"
                                      "CREATE TABLE parameters(point INTEGER, key TEXT,"
                                      " value TEXT);"
                                      "INSERT INTO parameters VALUES(0, 'scenario.scale',"
                                      " '0.01');",
                                  NULL, NULL, NULL), SQLITE_OK);
    for (int pt = 0; pt < 2; pt++)
        for (int rep = 0; rep < 3; rep++)
            for (int y = 1950; y < 2000; y++) {
                char *sql = sqlite3_mprintf("INSERT INTO yearly VALUES(%d, %d, %d, %f, %f)", pt,
                                            rep, y, 70.0 + (y - 1950) * 0.7 + rep - pt,
                                            y > 1972 ? (y - 1972) * 4.0 + rep : 0.0);
                assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
                sqlite3_free(sql);
            }
    sqlite3_close(db);
}

static void test_written_experiment_report(void **state)
{
    struct fixture *fx = *state;
    char dir[512], err[1024], path[600];
    snprintf(dir, sizeof dir, "%s/experiment-written", fx->root);
    make_written_experiment(dir);
    assert_int_equal(hs_report_write(dir, 0, err, sizeof err), HS_REPORT_OK);
    path_of(path, sizeof path, dir, "report.html");
    char *html = read_all(path);
    assert_non_null(html);
    assert_figure(html, "fig-e-life-expectancy");
    assert_figure(html, "fig-e-donations");
    assert_figure(html, "fig-x-median-completion-age");
    assert_non_null(strstr(html, "programme.couples.grant = 1"));
    assert_non_null(strstr(html, "scale 0.01"));
    free(html);

    /* a broken experiment.json is a data error */
    path_of(path, sizeof path, dir, "experiment.json");
    const char *broken = "{\"points\": 0, \"results\": []}";
    write_all(path, broken, strlen(broken));
    expect_data_error(dir, "no sweep points");
}

/* A small experiment made by the real program, with a sweep of one key:
 * every year-by-year chart is drawn, every headline figure the experiment
 * recorded (a mean at some point in experiment.sqlite's summary) has its
 * chart and the others say they have none, and the sweep's values label
 * the points, in the novel's words and in plain ones. */
static void test_real_experiment_report(void **state)
{
    struct fixture *fx = *state;
    char h[512], dir[512], path[600], err[1024];
    snprintf(h, sizeof h, "%s", hailsham());
    snprintf(dir, sizeof dir, "%s/experiment-real", fx->root);
    char *a[] = {h, "experiment", "canon", "--replications", "2", "--vary",
                 "programme.couples.grant=0,1", "--set", "scenario.end_year=1965", "--scale",
                 "0.001", "--threads", "1", "--quiet", "--out", dir, NULL};
    assert_int_equal(run(a, NULL, NULL, NULL), 0);
    char db_path[600];
    path_of(db_path, sizeof db_path, dir, "experiment.sqlite");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int plain = 0; plain <= 1; plain++) {
        assert_int_equal(hs_report_write(dir, plain, err, sizeof err), HS_REPORT_OK);
        path_of(path, sizeof path, dir, "report.html");
        char *html = read_all(path);
        assert_non_null(html);
        for (const char *const *id = hs_report_experiment_charts; *id; id++)
            assert_figure(html, *id);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT figure, count(mean) FROM summary "
                                                "GROUP BY figure", -1, &st, NULL), SQLITE_OK);
        int figures = 0, recorded = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            char id[128], missing[160];
            snprintf(id, sizeof id, "fig-x-%s", (const char *)sqlite3_column_text(st, 0));
            for (char *c = id; *c; c++)
                *c = *c == '_' ? '-' : *c;
            snprintf(missing, sizeof missing, "data-missing=\"%s\"", id);
            figures++;
            if (sqlite3_column_int(st, 1) > 0) {
                recorded++;
                assert_figure(html, id);
                if (strstr(html, missing)) {
                    fprintf(stderr, "%s is recorded but said to be missing\n", id);
                    fail();
                }
            } else {
                assert_non_null(strstr(html, missing));
            }
        }
        sqlite3_finalize(st);
        assert_true(figures > 10 && recorded > 10);
        assert_null(strstr(html, "data-missing=\"fig-e-"));
        /* the sweep's values name the points: columns, legends and the meta line */
        assert_non_null(strstr(html, "<th>0</th><th>1</th>"));
        assert_non_null(strstr(html, "programme.couples.grant = 0"));
        assert_non_null(strstr(html, "programme.couples.grant = 1"));
        assert_non_null(strstr(html, "the sweep varies programme.couples.grant"));
        assert_non_null(strstr(html, "scale 0.001"));
        assert_non_null(strstr(html, plain ? "Deaths of those raised for organs, each year"
                                           : "Completions each year"));
        free(html);
    }
    sqlite3_close(db);
}

/* ---- the commands ------------------------------------------------------------------------- */

static void test_commands(void **state)
{
    struct fixture *fx = *state;
    char h[512], bogus[512], errf[512], out[600];
    snprintf(h, sizeof h, "%s", hailsham());
    snprintf(bogus, sizeof bogus, "%s/nowhere", fx->root);
    snprintf(errf, sizeof errf, "%s/stderr.txt", fx->root);
    {
        char *a[] = {h, "report", NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 2);
    }
    {
        char *a[] = {h, "report", fx->run, "--frobnicate", NULL};
        assert_int_equal(run(a, NULL, NULL, errf), 2);
        char *e = read_all(errf);
        assert_non_null(e);
        assert_non_null(strstr(e, "--frobnicate"));
        free(e);
    }
    {
        char *a[] = {h, "report", "--help", NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 0);
    }
    {
        char *a[] = {h, "report", bogus, NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 3);
    }
    {
        snprintf(out, sizeof out, "%s/cmd.html", fx->root);
        char *a[] = {h, "report", fx->run, "--plain", "--out", out, NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 0);
        assert_int_equal(access(out, F_OK), 0);
    }
    {
        char *a[] = {h, "chronicle", fx->run, NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 2);
    }
    {
        char *a[] = {h, "chronicle", fx->run, "--donor", "x1", NULL};
        assert_int_equal(run(a, NULL, NULL, errf), 2);
        char *e = read_all(errf);
        assert_non_null(e);
        assert_non_null(strstr(e, "--donor"));
        free(e);
    }
    {
        char *a[] = {h, "chronicle", fx->run, "--donor", "1", "--cohort", "1970", NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 2);
    }
    {
        char *a[] = {h, "chronicle", fx->run, "--donor", "999999999", NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 2);
    }
    {
        char *a[] = {h, "chronicle", bogus, "--donor", "1", NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 3);
    }
    {
        char *a[] = {h, "chronicle", "--help", NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 0);
    }
}

/* Without gnuplot the report stops with one line that names it. */
static void test_without_gnuplot(void **state)
{
    struct fixture *fx = *state;
    char h[512], errf[512], out[600], empty[512];
    snprintf(h, sizeof h, "%s", hailsham());
    if (h[0] != '/') {
        char cwd[256];
        assert_non_null(getcwd(cwd, sizeof cwd));
        snprintf(h, sizeof h, "%s/%s", cwd, hailsham());
    }
    snprintf(errf, sizeof errf, "%s/nognuplot.txt", fx->root);
    snprintf(out, sizeof out, "%s/nognuplot.html", fx->root);
    snprintf(empty, sizeof empty, "PATH=%s/golden", fx->root);
    char *env[] = {empty, NULL};
    char *a[] = {h, "report", fx->run, "--out", out, NULL};
    assert_int_equal(run(a, env, NULL, errf), 4);
    char *e = read_all(errf);
    assert_non_null(e);
    assert_non_null(strstr(e, "gnuplot is not installed"));
    assert_non_null(strchr(e, '\n'));
    assert_true(strchr(e, '\n')[1] == '\0');
    free(e);
    assert_int_not_equal(access(out, F_OK), 0);
}

static void test_run_with_report(void **state)
{
    struct fixture *fx = *state;
    char h[512], dir[512], path[600];
    snprintf(h, sizeof h, "%s", hailsham());
    snprintf(dir, sizeof dir, "%s/withreport", fx->root);
    char *a[] = {h, "run", "canon", "--scale", "0.002", "--no-baseline", "--quiet", "--report",
                 "--out", dir, NULL};
    assert_int_equal(run(a, NULL, NULL, NULL), 0);
    path_of(path, sizeof path, dir, "report.html");
    char *html = read_all(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "no world without the programme"));
    free(html);
}

/* The report of a world without the programme (realworld) is of that
 * world: titled so, only the public's figures, no glossary of the
 * programme's words, no donors' section, and England's real figures drawn
 * beside the model's (life expectancy, the lists, deaths on them); run
 * below the scale its lists were calibrated at, it says so under them. */
static void test_report_without_programme(void **state)
{
    struct fixture *fx = *state;
    char h[512], dir[512], path[600];
    snprintf(h, sizeof h, "%s", hailsham());
    snprintf(dir, sizeof dir, "%s/realworld", fx->root);
    char *a[] = {h, "run", "realworld", "--scale", "0.005", "--no-baseline", "--quiet",
                 "--report", "--out", dir, NULL};
    assert_int_equal(run(a, NULL, NULL, NULL), 0);
    path_of(path, sizeof path, dir, "report.html");
    char *html = read_all(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "A world without the programme: realworld"));
    assert_non_null(strstr(html, "<th>this world</th>"));
    assert_null(strstr(html, "with the programme</th>"));
    assert_null(strstr(html, "donors created"));
    assert_null(strstr(html, "What the words mean"));
    assert_null(strstr(html, ">The donors<"));
    assert_null(strstr(html, ">nan<"));
    assert_non_null(strstr(html, "realworld's waiting lists and organs wasted were "
                                 "calibrated at scale 0.05, and this run is at 0.005: in a "
                                 "smaller world"));
    const char *legend = "the real figures (data/real/series.csv)";
    int n = 0;
    for (const char *p = strstr(html, legend); p; p = strstr(p + 1, legend))
        n++;
    assert_true(n >= 3);
    free(html);
}

/* Runs in which part of the story has not happened yet still get a report,
 * and each empty chart says what is empty: a run that ends before any
 * donor leaves an estate, and one whose programme starts in its last year. */
static void test_report_of_empty_runs(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *set, *dir;
        const char *missing[4], *says[4];
    } cases[] = {
        {"scenario.end_year=1960", "ends1960",
         {"fig-lifecourse", "fig-bynumber", "fig-tenure", NULL},
         {"No donor had left an estate by the end of the run",
          "No donor completed in this run.", "No carer went on to donate in this run.", NULL}},
        {"programme.start=1999", "starts1999",
         {"fig-lifecourse", "fig-bynumber", "fig-tenure", NULL},
         {"No donor had left an estate by the end of the run",
          "No donor completed in this run.", NULL, NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char h[512], dir[512], path[600], set[128];
        snprintf(h, sizeof h, "%s", hailsham());
        snprintf(dir, sizeof dir, "%s/%s", fx->root, cases[i].dir);
        snprintf(set, sizeof set, "%s", cases[i].set);
        char *a[] = {h, "run", "canon", "--scale", "0.002", "--quiet", "--report", "--set", set,
                     "--out", dir, NULL};
        assert_int_equal(run(a, NULL, NULL, NULL), 0);
        path_of(path, sizeof path, dir, "report.html");
        char *html = read_all(path);
        assert_non_null(html);
        for (int k = 0; cases[i].missing[k]; k++) {
            char want[96];
            snprintf(want, sizeof want, "data-missing=\"%s\"", cases[i].missing[k]);
            if (strstr(html, want) == NULL) {
                fprintf(stderr, "%s: no %s\n", cases[i].set, want);
                fail();
            }
        }
        for (int k = 0; cases[i].says[k]; k++)
            assert_non_null(strstr(html, cases[i].says[k]));
        /* the charts of what did happen are drawn */
        assert_non_null(strstr(html, "id=\"fig-lifeexp\""));
        assert_non_null(strstr(html, "id=\"fig-waiting\""));
        free(html);
    }
}

/* ---- the chronicle ------------------------------------------------------------------------ */

static char *chronicle(const char *dir, const struct hs_chronicle_opts *o, int *rc)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    char err[1024];
    *rc = hs_chronicle_write(dir, o, f, err, sizeof err);
    assert_int_equal(fclose(f), 0);
    if (*rc != HS_CHRONICLE_OK)
        fprintf(stderr, "chronicle: %s\n", err);
    return buf;
}

static void check_golden(const char *dir, const struct hs_chronicle_opts *o, const char *file)
{
    int rc;
    char *text = chronicle(dir, o, &rc);
    assert_int_equal(rc, HS_CHRONICLE_OK);
    char path[256];
    snprintf(path, sizeof path, "tests/data/chronicle/%s", file);
    const char *update = getenv("HS_UPDATE_GOLDEN");
    if (update && *update == '1')
        write_all(path, text, strlen(text));
    char *want = read_all(path);
    if (want == NULL || strcmp(want, text) != 0) {
        fprintf(stderr, "the chronicle differs from %s (HS_UPDATE_GOLDEN=1 rewrites it):\n%s\n",
                path, text);
        fail();
    }
    if (o->plain)
        assert_no_euphemisms(text);
    free(want);
    free(text);
}

static void test_chronicle_golden(void **state)
{
    struct fixture *fx = *state;
    struct hs_chronicle_opts o = {181, 0, NULL, 10, 0, NULL};
    check_golden(fx->golden, &o, "donor-181.txt");
    o.plain = 1;
    check_golden(fx->golden, &o, "donor-181-plain.txt");
    struct hs_chronicle_opts c = {-1, 1970, "hailsham", 10, 0, NULL};
    check_golden(fx->golden, &c, "cohort-1970-hailsham.txt");
    c.plain = 1;
    check_golden(fx->golden, &c, "cohort-1970-hailsham-plain.txt");
    struct hs_chronicle_opts d = {604, 0, NULL, 10, 0, NULL};
    check_golden(fx->golden, &d, "donor-604.txt");
    struct hs_chronicle_opts e = {1046, 0, NULL, 10, 1, NULL};
    check_golden(fx->golden, &e, "donor-1046-plain.txt");
}

/* On a live run: the same text twice, and the plain text stays plain. */
static void test_chronicle_run(void **state)
{
    struct fixture *fx = *state;
    struct hs_chronicle_opts o = {-1, 1975, NULL, 40, 1, NULL};
    int rc1, rc2;
    char *a = chronicle(fx->run, &o, &rc1);
    char *b = chronicle(fx->run, &o, &rc2);
    assert_int_equal(rc1, HS_CHRONICLE_OK);
    assert_int_equal(rc2, HS_CHRONICLE_OK);
    assert_string_equal(a, b);
    assert_true(strlen(a) > 1000);
    assert_no_euphemisms(a);
    free(a);
    free(b);
    o.plain = 0;
    a = chronicle(fx->run, &o, &rc1);
    assert_int_equal(rc1, HS_CHRONICLE_OK);
    assert_non_null(strstr(a, "donation"));
    free(a);
}

static void test_chronicle_errors(void **state)
{
    struct fixture *fx = *state;
    struct hs_chronicle_opts o = {999999, 0, NULL, 10, 0, NULL};
    int rc;
    free(chronicle(fx->golden, &o, &rc));
    assert_int_equal(rc, HS_CHRONICLE_ENOTFOUND);
    struct hs_chronicle_opts c = {-1, 1970, "Nowhere House", 10, 0, NULL};
    free(chronicle(fx->golden, &c, &rc));
    assert_int_equal(rc, HS_CHRONICLE_ENOTFOUND);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/a-file", fx->root);
    write_all(dir, "x\n", 2);
    free(chronicle(dir, &o, &rc));
    assert_int_equal(rc, HS_CHRONICLE_EDATA);
    copy_run(fx, "chron-garbage", dir, sizeof dir);
    char b[600];
    path_of(b, sizeof b, dir, "run.sqlite");
    write_all(b, "SQLite format 3\0 but then nothing of the sort", 46);
    free(chronicle(dir, &o, &rc));
    assert_int_equal(rc, HS_CHRONICLE_EDATA);
}

/* hailsham chronicle DIR --name NAME: its standard output and exit status. */
static char *chronicle_named(const struct fixture *fx, const char *dir, const char *name,
                             int *rc)
{
    char out[300], err[300];
    snprintf(out, sizeof out, "%s/named.out", fx->root);
    snprintf(err, sizeof err, "%s/named.err", fx->root);
    char *a[] = {(char *)hailsham(), "chronicle", (char *)dir, "--name", (char *)name, NULL};
    *rc = run(a, NULL, out, err);
    char *text = read_all(*rc == 0 ? out : err);
    assert_non_null(text);
    return text;
}

/* --name: one donor so called is told; several are listed by id to choose
 * from (and each such life names itself with its estate, year and id); a
 * reference as the chronicle writes it finds its one donor; none fails
 * with exit 2 and names the option. */
static void test_chronicle_name(void **state)
{
    struct fixture *fx = *state;
    int rc;
    char *t = chronicle_named(fx, fx->golden, "keith e.", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(t, "Keith E. (Hailsham, born 1964)\n"));
    free(t);
    t = chronicle_named(fx, fx->golden, "Nobody Z.", &rc);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(t, "--name"));
    assert_true(strchr(t, '\n') == t + strlen(t) - 1);   /* one line */
    free(t);
    /* two more Keith E.s of Hailsham: one born the same day as 181, one
     * the same year */
    char dir[512], db_path[600];
    snprintf(dir, sizeof dir, "%s/namesakes", fx->root);
    assert_int_equal(mkdir(dir, 0777), 0);
    path_of(db_path, sizeof db_path, dir, "run.sqlite");
    char *sql = read_all("tests/data/chronicle/run.sql");
    assert_non_null(sql);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO donors(id, name, estate, cohort, sex, created,"
                                      " stage) VALUES (99998, 'Keith E.', 'Hailsham', 1964,"
                                      " 'male', '1964-10-11', 'student'), (99999, 'Keith E.',"
                                      " 'Hailsham', 1964, 'male', '1964-03-01', 'student')",
                                 NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    free(sql);
    t = chronicle_named(fx, dir, "Keith E.", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(t, "3 donors are called Keith E."));
    assert_non_null(strstr(t, "--donor ID"));
    assert_non_null(strstr(t, "       181  Keith E. (Hailsham, born 1964), completed 1987\n"));
    assert_non_null(strstr(t, "     99999  Keith E. (Hailsham, born 1964), at the estate in"));
    free(t);
    /* each life is headed by what tells it from the others */
    t = chronicle_named(fx, dir, "Keith E. (Hailsham, born March 1964)", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(t, "\nKeith E. (Hailsham, born March 1964)\n"));
    free(t);
    t = chronicle_named(fx, dir, "keith e. (hailsham, born 11 october 1964, no. 181)", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(t, "\nKeith E. (Hailsham, born 11 October 1964, no. 181)\n"));
    free(t);
    t = chronicle_named(fx, dir, "Keith E. (Hailsham, born October 1964)", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(t, "2 donors are called Keith E."));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_report),
        cmocka_unit_test(test_plain_report),
        cmocka_unit_test(test_report_bad_directories),
        cmocka_unit_test(test_report_cannot_write),
        cmocka_unit_test(test_written_experiment_report),
        cmocka_unit_test(test_real_experiment_report),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_without_gnuplot),
        cmocka_unit_test(test_run_with_report),
        cmocka_unit_test(test_report_without_programme),
        cmocka_unit_test(test_report_of_empty_runs),
        cmocka_unit_test(test_chronicle_golden),
        cmocka_unit_test(test_chronicle_run),
        cmocka_unit_test(test_chronicle_errors),
        cmocka_unit_test(test_chronicle_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
