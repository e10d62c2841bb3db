/* SPDX-License-Identifier: MIT
 *
 * test_scenario.c - scenario files, --set, the cross-field check, the YAML
 * dump, the generated reference page and the scenario commands.
 *
 * Error messages are compared whole, positions included, because exact
 * and complete messages are the point of the module.  Runs from the
 * source root (meson's workdir) so that tests/data/scenario/... and
 * docs/scenario.md are found.  A seeded random-input test checks that no
 * input crashes the reader or yields a message of more than one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "edges.h"
#include "scenario.h"

#define DATA "tests/data/scenario/"

/* ---- helpers ----------------------------------------------------------- */

static void print_diag(const struct hs_diag *d)
{
    for (size_t i = 0; i < hs_diag_count(d); i++)
        print_message("    got: %s\n", hs_diag_message(d, i));
}

/* The diag holds exactly these lines, in this order. */
static void expect_lines(const struct hs_diag *d, const char *const *want, size_t n)
{
    if (hs_diag_count(d) != n)
        print_diag(d);
    assert_int_equal(hs_diag_count(d), n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(hs_diag_message(d, i), want[i]) != 0)
            print_diag(d);
        assert_string_equal(hs_diag_message(d, i), want[i]);
    }
}

static void expect_one(const struct hs_diag *d, const char *want)
{
    expect_lines(d, &want, 1);
}

/* Load a file; return its status, errors in *d (caller frees). */
static int load(const char *path, struct hs_params *p, struct hs_diag *d)
{
    hs_diag_init(d);
    return hs_scenario_load_file(path, p, d);
}

static int load_text(const char *text, struct hs_params *p, struct hs_diag *d)
{
    hs_diag_init(d);
    return hs_scenario_load_string("t.yaml", text, strlen(text), p, d);
}

/* Run fn with fd (1 or 2) sent to a temporary file; its text in *out. */
static int capture(int fd, int (*fn)(int, char **), int argc, char **argv, char **out)
{
    char path[] = "/tmp/hs_test_capture_XXXXXX";
    int tmp = mkstemp(path);
    assert_true(tmp >= 0);
    fflush(stdout);
    fflush(stderr);
    int saved = dup(fd);
    dup2(tmp, fd);
    int rc = fn(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved, fd);
    close(saved);
    off_t len = lseek(tmp, 0, SEEK_END);
    *out = calloc(1, (size_t)len + 1);
    assert_non_null(*out);
    assert_int_equal(pread(tmp, *out, (size_t)len, 0), len);
    close(tmp);
    unlink(path);
    return rc;
}

static int run_cmd(int fd, int (*fn)(int, char **), const char *const *args, char **out)
{
    char *argv[16];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc] = NULL;
    return capture(fd, fn, argc, argv, out);
}

/* ---- built-ins --------------------------------------------------------- */

static void builtins_load_cleanly(void **state)
{
    (void)state;
    assert_int_equal(hs_scenario_builtin_count(), 5);
    const char *names[] = {"canon", "realworld", "deferrals", "no-hailsham", "abolition"};
    for (size_t i = 0; i < 5; i++) {
        struct hs_diag d;
        struct hs_params p;
        hs_diag_init(&d);
        assert_string_equal(hs_scenario_builtin_name(i), names[i]);
        assert_true(strlen(hs_scenario_builtin_summary(i)) > 20);
        int rc = hs_scenario_load_builtin(names[i], &p, &d);
        if (rc != HS_OK)
            print_diag(&d);
        assert_int_equal(rc, HS_OK);
        assert_int_equal(hs_diag_count(&d), 0);
        assert_string_equal(p.name, names[i]);
        hs_diag_free(&d);
    }
    assert_null(hs_scenario_builtin_name(5));
    assert_int_equal(hs_scenario_builtin_find("nope"), (size_t)-1);
}

static void canon_is_the_defaults(void **state)
{
    (void)state;
    struct hs_params def, canon;
    struct hs_diag d;
    hs_params_default(&def);
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_builtin("canon", &canon, &d), HS_OK);
    assert_memory_equal(&def, &canon, sizeof def);
    hs_diag_free(&d);
    /* The defaults pass the check on their own. */
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_check(&def, &d), HS_OK);
    hs_diag_free(&d);
}

static void builtins_change_what_they_say(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_builtin("deferrals", &p, &d), HS_OK);
    assert_true(p.deferral_grant_prob == 1 && p.deferral_years == 3.5);
    assert_true(p.deferral_needs_gallery == 1);
    assert_int_equal(hs_scenario_load_builtin("no-hailsham", &p, &d), HS_OK);
    assert_int_equal(p.n_estates, 1);
    assert_int_equal(p.estate[0].humane, 0);
    assert_int_equal(p.estate[0].gallery, 0);
    assert_true(p.estate[0].share == 1);
    assert_int_equal(hs_scenario_load_builtin("abolition", &p, &d), HS_OK);
    assert_true(p.programme_end == 1990);
    assert_int_equal(hs_scenario_load_builtin("realworld", &p, &d), HS_OK);
    assert_int_equal(p.programme, 0);
    assert_true(p.deceased_share == 0.01 && p.living_rate == 0.25);
    assert_true(p.deceased_trend.n > 1 && p.deceased_trend.value[0] == 0);
    assert_true(p.organ[HS_ORGAN_KIDNEY].transplant_from == 1960);
    assert_true(p.organ[HS_ORGAN_HEART].activity.n > 2);   /* the moratorium of the 1970s */
    assert_true(p.other_medicine.n == 1 && p.other_medicine.value[0] == 1);
    for (int c = 0; c < HS_NCAUSES; c++)   /* no cures in the real world */
        for (size_t k = 0; k < p.cure[c].reach.n; k++)
            assert_true(p.cure[c].reach.value[k] == 0);
    assert_true(p.max_listing_age == 75);
    assert_int_equal(hs_diag_count(&d), 0);
    hs_diag_free(&d);
}

/* ---- files with errors ------------------------------------------------- */

static void every_error_in_one_pass(void **state)
{
    (void)state;
#define F DATA "many_errors.yaml:"
    static const char *const want[] = {
        F "4:10: error: must be greater than 0 and at most 1, found 1.5",
        F "6:3: error: duplicate key 'scale' (first given at 4:3)",
        F "8:12: error: expected a number, found 'lots'",
        F "9:15: error: expected a number, found the quoted text '0.5' (write numbers without "
          "quotes)",
        F "11:5: error: unknown key 'makham' (did you mean 'makeham'?)",
        F "13:5: error: unknown key 'kidny' (did you mean 'kidney'?)",
        F "14:30: error: must be greater than 0 and at most 1000, found 0",
        F "15:1: error: unknown key 'pogramme' (did you mean 'programme'?)",
        F "18:8: error: expected a year or never, found 'soon'",
        F "20:55: error: expected true or false, found 'maybe'",
        F "21:7: error: missing required key 'name' in programme.estates[1]",
        F "23:24: error: years must increase: 1955 comes after 1960 (at 23:13)",
        F "23:35: error: year 1960 is given twice (first at 23:13)",
        F "25:25: error: unknown organ 'livr' (did you mean 'liver'?)",
        F "25:39: error: lung is listed twice in donation 3",
        F "26:15: error: expected a list of 4 numbers, found 3",
        F "28:13: error: expected first_listed or most_urgent, found 'fifo'",
        F "29:3: error: unknown key 'scale' here (it belongs in scenario)",
    };
#undef F
    struct hs_params p, before;
    struct hs_diag d;
    hs_params_default(&p);
    before = p;
    assert_int_equal(load(DATA "many_errors.yaml", &p, &d), HS_EPARSE);
    expect_lines(&d, want, sizeof want / sizeof want[0]);
    assert_memory_equal(&p, &before, sizeof p);   /* a failed load changes nothing */
    hs_diag_free(&d);
}

static void syntax_error_at_its_place(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    assert_int_equal(load(DATA "syntax.yaml", &p, &d), HS_EPARSE);
    expect_one(&d, DATA "syntax.yaml:6:18: error: mapping values are not allowed in this "
                    "context");
    hs_diag_free(&d);
    assert_int_equal(load_text("scenario:\n  name: x\n  scale: [0.1\n", &p, &d), HS_EPARSE);
    expect_one(&d, "t.yaml:4:1: error: did not find expected ',' or ']' (while parsing a "
                   "flow sequence at 3:10)");
    hs_diag_free(&d);
    assert_int_equal(load(DATA "bad_utf8.yaml", &p, &d), HS_EPARSE);
    expect_one(&d, DATA "bad_utf8.yaml:2:12: error: invalid leading UTF-8 octet (byte 0xff)");
    hs_diag_free(&d);
}

static void whole_file_problems(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    const char *empty = "the file is empty: a scenario needs at least scenario: {name: ...}";
    char want[512];

    assert_int_equal(load(DATA "empty.yaml", &p, &d), HS_EPARSE);
    snprintf(want, sizeof want, DATA "empty.yaml:1:1: error: %s", empty);
    expect_one(&d, want);
    hs_diag_free(&d);
    assert_int_equal(load(DATA "only_comments.yaml", &p, &d), HS_EPARSE);
    snprintf(want, sizeof want, DATA "only_comments.yaml:1:1: error: %s", empty);
    expect_one(&d, want);
    hs_diag_free(&d);
    assert_int_equal(load(DATA "no_scenario.yaml", &p, &d), HS_EPARSE);
    expect_one(&d, DATA "no_scenario.yaml:1:1: error: missing required section 'scenario' "
                   "(every scenario starts with scenario: {name: ...})");
    hs_diag_free(&d);
    assert_int_equal(load(DATA "not_a_mapping.yaml", &p, &d), HS_EPARSE);
    expect_one(&d, DATA "not_a_mapping.yaml:1:1: error: expected a mapping of sections "
                   "(scenario, public, allocation, programme), found a list");
    hs_diag_free(&d);
    assert_int_equal(load_text("scenario:\n  scale: 0.5\n", &p, &d), HS_EPARSE);
    expect_one(&d, "t.yaml:2:3: error: missing required key 'name' in scenario");
    hs_diag_free(&d);
}

static void files_that_cannot_be_read(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    char want[512];

    assert_int_equal(load(DATA, &p, &d), HS_EIO);
    snprintf(want, sizeof want, "%s: error: cannot open %s: %s", DATA, DATA, strerror(EISDIR));
    expect_one(&d, want);
    hs_diag_free(&d);

    assert_int_equal(load(DATA "no_such_file.yaml", &p, &d), HS_EIO);
    snprintf(want, sizeof want, DATA "no_such_file.yaml: error: cannot open "
             DATA "no_such_file.yaml: %s", strerror(ENOENT));
    expect_one(&d, want);
    hs_diag_free(&d);

    /* Unreadable: root reads anything, so only check as another user. */
    char path[] = "/tmp/hs_test_unreadable_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "scenario: {name: x}\n", 20), 20);
    close(fd);
    chmod(path, 0);
    if (geteuid() != 0) {
        assert_int_equal(load(path, &p, &d), HS_EIO);
        snprintf(want, sizeof want, "%s: error: cannot open %s: %s", path, path,
                 strerror(EACCES));
        expect_one(&d, want);
        hs_diag_free(&d);
    }
    unlink(path);
}

static void too_large_a_file(void **state)
{
    (void)state;
    char path[] = "/tmp/hs_test_large_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char block[4096];
    memset(block, '#', sizeof block);
    for (int i = 0; i < 300; i++)
        assert_int_equal(write(fd, block, sizeof block), (ssize_t)sizeof block);
    close(fd);
    struct hs_params p;
    struct hs_diag d;
    assert_int_equal(load(path, &p, &d), HS_EPARSE);
    assert_int_equal(hs_diag_count(&d), 1);
    assert_non_null(strstr(hs_diag_message(&d, 0), "too large"));
    hs_diag_free(&d);
    unlink(path);
}

static void anchors_aliases_tags_documents(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    static const char *const aliases[] = {
        DATA "aliases.yaml:2:9: error: anchors (&name) are not allowed in a scenario: write "
             "each value out",
        DATA "aliases.yaml:5:12: error: aliases (*name) are not allowed in a scenario: write "
             "each value out",
    };
    assert_int_equal(load(DATA "aliases.yaml", &p, &d), HS_EPARSE);
    expect_lines(&d, aliases, 2);
    hs_diag_free(&d);
    assert_int_equal(load(DATA "tags.yaml", &p, &d), HS_EPARSE);
    expect_one(&d, DATA "tags.yaml:2:9: error: tags (such as !!str) are not allowed in a "
                   "scenario");
    hs_diag_free(&d);
    assert_int_equal(load(DATA "two_documents.yaml", &p, &d), HS_EPARSE);
    expect_one(&d, DATA "two_documents.yaml:3:1: error: a second YAML document starts here; "
                   "a scenario is one document");
    hs_diag_free(&d);

    /* A billion laughs is refused at its first anchor, long before it grows. */
    const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n"
                         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                         "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    assert_int_equal(load_text(laughs, &p, &d), HS_EPARSE);
    assert_string_equal(hs_diag_message(&d, 0), "t.yaml:1:4: error: anchors (&name) are not "
                        "allowed in a scenario: write each value out");
    hs_diag_free(&d);
}

static void deep_nesting_and_huge_values(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    size_t n = 200000;
    char *text = malloc(2 * n + 1);
    assert_non_null(text);
    memset(text, '[', n);
    memset(text + n, ']', n);
    text[2 * n] = '\0';
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_load_string("deep", text, 2 * n, &p, &d), HS_EPARSE);
    expect_one(&d, "deep:1:33: error: nesting deeper than 32 levels");
    hs_diag_free(&d);

    /* A 300 kB name: refused, and the message stays short. */
    size_t big = 300000;
    snprintf(text, 2 * n, "scenario:\n  name: ");
    size_t k = strlen(text);
    memset(text + k, 'x', big);
    text[k + big] = '\0';
    assert_int_equal(load_text(text, &p, &d), HS_EPARSE);
    assert_int_equal(hs_diag_count(&d), 1);
    assert_true(strlen(hs_diag_message(&d, 0)) < 200);
    assert_non_null(strstr(hs_diag_message(&d, 0), "a name has at most 47 bytes, found 300000"));
    hs_diag_free(&d);
    free(text);
}

/* A number is read whole however long its text: 0.01 followed by a few
 * thousand zeros is 0.01, in a file and in a --set; a long text that is
 * not a number is still refused as one. */
static void long_numbers_read_whole(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    size_t zeros = 5000, cap = zeros + 256;
    char *num = malloc(cap), *text = malloc(cap + 64);
    assert_non_null(num);
    assert_non_null(text);
    memcpy(num, "0.01", 4);
    memset(num + 4, '0', zeros);
    num[4 + zeros] = '\0';

    snprintf(text, cap + 64, "scenario:\n  name: x\n  scale: %s\n", num);
    assert_int_equal(load_text(text, &p, &d), HS_OK);
    assert_true(p.scale == 0.01);
    hs_diag_free(&d);

    snprintf(text, cap + 64, "scenario.scale=%s", num);
    hs_params_default(&p);
    p.scale = 0.5;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_set(&p, text, &d), HS_OK);
    assert_true(p.scale == 0.01);
    hs_diag_free(&d);

    /* 65 characters, the length that used to be refused */
    assert_int_equal(hs_scenario_set(&p, "scenario.scale=0.0200000000000000000000000000000"
                                         "00000000000000000000000000000", &d), HS_OK);
    assert_true(p.scale == 0.02);
    /* a long text is still checked: a letter at its end is not a number */
    snprintf(text, cap + 64, "scenario.scale=%sx", num);
    assert_int_equal(hs_scenario_set(&p, text, &d), HS_EPARSE);
    assert_int_equal(hs_diag_count(&d), 1);
    assert_non_null(strstr(hs_diag_message(&d, 0), "error: expected a number, found '0.01000"));
    assert_true(p.scale == 0.02);
    hs_diag_free(&d);
    free(num);
    free(text);
}

static void error_count_is_capped(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    size_t cap = 300 * 16 + 64, k = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    k += (size_t)snprintf(text, cap, "scenario: {name: x}\n");
    for (int i = 0; i < 300; i++)
        k += (size_t)snprintf(text + k, cap - k, "zz%d: 1\n", i);
    assert_int_equal(load_text(text, &p, &d), HS_EPARSE);
    assert_int_equal(hs_diag_count(&d), HS_DIAG_MAX + 1);
    assert_non_null(strstr(hs_diag_message(&d, HS_DIAG_MAX), "too many errors"));
    hs_diag_free(&d);
    free(text);
}

static void rules_across_keys(void **state)
{
    (void)state;
#define F DATA "check_errors.yaml:"
    static const char *const want[] = {
        F "5:13: error: scenario.end_year (1980) must be after scenario.start_year (1990)",
        F "7:3: error: the shares in public.abo must sum to 1, found 1.1",
        F "5:13: error: programme.start must fall within the run (from scenario.start_year, "
          "before scenario.end_year)",
        F "10:7: error: estate 'Hailsham' must close after it opens",
        F "10:7: error: estate 'Hailsham' has a gallery but is not humane; only humane estates "
          "have one",
        F "11:7: error: programme.estates names 'Hailsham' twice",
        F "9:3: error: the shares in programme.estates must sum to 1, found 0.9",
        F "12:20: error: programme.fallback_estate 'nowhere' is not one of programme.estates",
        F "14:5: error: the last value of programme.donations.complete must be 1: nobody "
          "survives the fourth donation",
    };
#undef F
    struct hs_params p;
    struct hs_diag d;
    assert_int_equal(load(DATA "check_errors.yaml", &p, &d), HS_EPARSE);
    expect_lines(&d, want, sizeof want / sizeof want[0]);
    hs_diag_free(&d);

    /* A struct made by code is checked value by value too. */
    hs_params_default(&p);
    p.scale = 2;
    p.births.year[1] = 1900;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_check(&p, &d), HS_EPARSE);
    static const char *const code[] = {
        "scenario: error: scenario.scale must be greater than 0 and at most 1, found 2",
        "scenario: error: the years of public.births must increase",
    };
    expect_lines(&d, code, 2);
    hs_diag_free(&d);

    /* A schedule that takes a vital organ from a donor who lives on. */
    hs_params_default(&p);
    p.donation_organs[1] |= 1u << HS_ORGAN_HEART;
    p.donation_organs[2] |= 1u << HS_ORGAN_KIDNEY;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_check(&p, &d), HS_EPARSE);
    static const char *const surgeon[] = {
        "scenario: error: programme.donations.organs: donation 2 takes the heart, but a donor "
        "lives on after it (programme.donations.complete gives 0.3): the heart only at the "
        "donation that completes",
        "scenario: error: programme.donations.organs: donation 3 takes a second kidney from a "
        "donor who lives on after it: a donor can give one kidney and keep the other",
    };
    expect_lines(&d, surgeon, 2);
    hs_diag_free(&d);
}

static void a_full_valid_file(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    assert_int_equal(load(DATA "lists.yaml", &p, &d), HS_OK);
    assert_int_equal(hs_diag_count(&d), 0);
    assert_string_equal(p.name, "lists: a test");
    assert_true(p.end_year == 1990.5);
    assert_int_equal(p.n_estates, 2);
    assert_string_equal(p.estate[0].name, "yes");
    assert_true(p.estate[1].closes == 0);
    assert_int_equal(p.n_centres, 2);
    assert_string_equal(p.centre[0].name, "1994");
    assert_string_equal(p.centre[1].name, "Dover's new centre #2");
    assert_int_equal(p.donation_organs[0], 0);
    assert_int_equal(p.donation_organs[2], 1u << HS_ORGAN_LUNG);
    assert_int_equal(p.priority_urgency, 1);
    assert_int_equal(p.abo_identical_first, 0);
    assert_int_equal(p.cohort_planned, 0);
    assert_int_equal(p.births.n, 2);
    hs_diag_free(&d);
}

/* ---- --set ------------------------------------------------------------- */

static void set_good_values(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    hs_params_default(&p);
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_set(&p, "scenario.scale=0.1", &d), HS_OK);
    assert_true(p.scale == 0.1);
    assert_int_equal(hs_scenario_set(&p, "programme.cohorts.sizes={1960: 300}", &d), HS_OK);
    assert_true(p.cohort_size.n == 1 && p.cohort_size.year[0] == 1960 &&
                p.cohort_size.value[0] == 300);
    assert_int_equal(hs_scenario_set(&p, "programme.end=1990", &d), HS_OK);
    assert_true(p.programme_end == 1990);
    assert_int_equal(hs_scenario_set(&p, "programme.end=never", &d), HS_OK);
    assert_true(p.programme_end == 0);
    assert_int_equal(hs_scenario_set(&p, "public.abo={O: 0.46, A: 0.40}", &d), HS_OK);
    assert_true(p.abo_share[HS_ABO_O] == 0.46 && p.abo_share[HS_ABO_B] == 0.10);
    assert_int_equal(hs_scenario_set(&p, "programme.couples.needs_gallery = false", &d), HS_OK);
    assert_true(p.deferral_needs_gallery == 0);
    assert_int_equal(hs_scenario_set(&p, "programme.donations.organs=[[kidney],[liver],[lung],"
                                         "[heart]]", &d), HS_OK);
    assert_int_equal(p.donation_organs[3], 1u << HS_ORGAN_HEART);
    assert_int_equal(hs_scenario_set(&p, "scenario.name=my run", &d), HS_OK);
    assert_string_equal(p.name, "my run");
    assert_int_equal(hs_diag_count(&d), 0);
    assert_int_equal(hs_scenario_check(&p, &d), HS_OK);
    hs_diag_free(&d);
}

static void set_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *set, *want;
    } cases[] = {
        {"pogramme.start=1960",
         "--set pogramme.start=1960: error: unknown key 'pogramme' (did you mean 'programme'?)"},
        {"scenario.scale=lots",
         "--set scenario.scale=lots: error: expected a number, found 'lots'"},
        {"scenario.scale=1.5", "--set scenario.scale=1.5: error: must be greater than 0 and at "
                               "most 1, found 1.5"},
        {"public.share_male=1.5", "--set public.share_male=1.5: error: must be between 0 and 1, "
                                  "found 1.5"},
        {"scenario.scale", "--set scenario.scale: error: expected KEY=VALUE, as in --set "
                           "scenario.scale=0.1 (no '=' found)"},
        {"=5", "--set =5: error: the key path before '=' is missing"},
        {"scenario..scale=1", "--set scenario..scale=1: error: the key path has an empty part "
                              "(two dots, or a dot at an end)"},
        {"scenario.scale=", "--set scenario.scale=: error: expected a number, found nothing"},
        {"scenario.scale=[1", "--set scenario.scale=[1: error: did not find expected ',' or ']' "
                              "(while parsing a flow sequence at column 1 of the value), at the "
                              "end of the value"},
        {"public.births.1960=5", "--set public.births.1960=5: error: public.births is a dated "
                                 "table: give it whole, as in --set 'public.births={1950: 1, "
                                 "1960: 0.5}'"},
        {"scenario.scale.x=1", "--set scenario.scale.x=1: error: scenario.scale is a single "
                               "value: it has no keys below it"},
        {"scenario.foo=1", "--set scenario.foo=1: error: unknown key 'foo' in scenario (expected "
                           "one of: name, start_year, end_year, scale, calibrated_scale)"},
        {"programme.end=soon", "--set programme.end=soon: error: expected a year or never, "
                               "found 'soon'"},
        {"programme=", "--set programme=: error: expected a mapping of keys (programme), found "
                       "nothing"},
        {"public.abo={O: 2}", "--set public.abo={O: 2}: error: must be between 0 and 1, found 2"},
        {"programme.estates=[{share: 1, opens: 1952}]",
         "--set programme.estates=[{share: 1, opens: 1952}]: error: missing required key "
         "'name' in programme.estates[0]"},
        {"scenario.name=&a x", "--set scenario.name=&a x: error: anchors (&name) are not "
                               "allowed in a scenario: write each value out"},
        {"scenario.scale={a: 1, a: 2}",
         "--set scenario.scale={a: 1, a: 2}: error: expected a number, found a mapping"},
        {"public.births={1950: 1, 1950: 2}",
         "--set public.births={1950: 1, 1950: 2}: error: year 1950 is given twice (first at "
         "column 2 of the value)"},
        {"scenario.name=a\x01" "b", "--set scenario.name=a\\x01b: error: control characters "
                                    "are not allowed (byte 0x01), at column 2 of the value"},
        {"scenario.name=\"a\\x01b\"", "--set scenario.name=\"a\\x01b\": error: scenario.name cannot "
                                      "hold U+0001 (a name holds letters, digits, spaces and "
                                      ". , ; : ! ? ' - _ ( ) / & + #)"},
        {"scenario.name=\"a\\Nb\"", "--set scenario.name=\"a\\Nb\": error: scenario.name cannot "
                                     "hold U+0085 (a name holds letters, digits, spaces and "
                                     ". , ; : ! ? ' - _ ( ) / & + #)"},
        {"scenario.name=a`b", "--set scenario.name=a`b: error: scenario.name cannot "
                              "hold '`' (U+0060) (a name holds letters, digits, spaces and "
                              ". , ; : ! ? ' - _ ( ) / & + #)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct hs_params p, before;
        struct hs_diag d;
        hs_params_default(&p);
        before = p;
        hs_diag_init(&d);
        assert_int_equal(hs_scenario_set(&p, cases[i].set, &d), HS_EPARSE);
        expect_one(&d, cases[i].want);
        assert_memory_equal(&p, &before, sizeof p);   /* unchanged on error */
        hs_diag_free(&d);
    }
}

static void set_then_check_points_at_the_set(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    const char *sets[] = {"public.abo.O=0.5", "scenario.scale=2", "programme.endd=1"};
    hs_diag_init(&d);
    /* Every bad assignment is reported, and the check waits for good input. */
    assert_int_equal(hs_scenario_resolve_set("canon", sets, 3, &p, &d), HS_EPARSE);
    static const char *const want[] = {
        "--set scenario.scale=2: error: must be greater than 0 and at most 1, found 2",
        "--set programme.endd=1: error: unknown key 'endd' (did you mean 'end'?)",
    };
    expect_lines(&d, want, 2);
    hs_diag_free(&d);
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve_set("canon", sets, 1, &p, &d), HS_EPARSE);
    expect_one(&d, "--set public.abo.O=0.5: error: the shares in public.abo must sum to 1, "
                   "found 1.06");
    hs_diag_free(&d);
    const char *fix[] = {"public.abo.O=0.5", "public.abo.A=0.36"};
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve_set("canon", fix, 2, &p, &d), HS_OK);
    assert_true(p.abo_share[HS_ABO_A] == 0.36);
    hs_diag_free(&d);
}

/* ---- resolve ----------------------------------------------------------- */

static void resolve_files_and_names(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve("deferrals", &p, &d), HS_OK);
    assert_string_equal(p.name, "deferrals");
    assert_int_equal(hs_scenario_resolve(DATA "good_small.yaml", &p, &d), HS_OK);
    assert_string_equal(p.name, "small");
    assert_true(p.scale == 0.001);
    assert_int_equal(hs_diag_count(&d), 0);
    assert_int_equal(hs_scenario_resolve("cannon", &p, &d), HS_EPARSE);
    expect_one(&d, "cannon: error: no file or built-in scenario named 'cannon' (did you mean "
                   "'canon'?); the built-ins are canon, realworld, deferrals, no-hailsham, "
                   "abolition");
    hs_diag_free(&d);
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve("zzz", &p, &d), HS_EPARSE);
    expect_one(&d, "zzz: error: no file or built-in scenario named 'zzz'; the built-ins are "
                   "canon, realworld, deferrals, no-hailsham, abolition");
    hs_diag_free(&d);
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_resolve("missing.yaml", &p, &d), HS_EIO);
    hs_diag_free(&d);
}

/* ---- writing parameters ------------------------------------------------ */

static void dump_loads_back_the_same(void **state)
{
    (void)state;
    const char *sources[] = {"canon", "realworld", "deferrals", "no-hailsham", "abolition",
                             DATA "lists.yaml"};
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        struct hs_params p, back;
        struct hs_diag d;
        char *text = NULL;
        size_t len = 0;
        hs_diag_init(&d);
        assert_int_equal(hs_scenario_resolve(sources[i], &p, &d), HS_OK);
        /* Awkward values must survive too. */
        if (i == 0) {
            assert_int_equal(hs_scenario_set(&p, "scenario.name='yes: ''a'' # b'", &d), HS_OK);
            assert_int_equal(hs_scenario_set(&p, "public.mortality.makeham=0.1234567890123456789",
                                             &d), HS_OK);
            assert_int_equal(hs_scenario_set(&p, "public.initial=123456789.123456789", &d),
                             HS_OK);
            assert_int_equal(hs_scenario_set(&p, "public.mortality.improvement=-0", &d), HS_OK);
        }
        FILE *f = open_memstream(&text, &len);
        assert_non_null(f);
        assert_int_equal(hs_scenario_dump_yaml(&p, f), HS_OK);
        fclose(f);
        int rc = hs_scenario_load_string("dump.yaml", text, len, &back, &d);
        if (rc != HS_OK)
            print_diag(&d);
        assert_int_equal(rc, HS_OK);
        assert_memory_equal(&p, &back, sizeof p);
        free(text);
        hs_diag_free(&d);
    }
}

/* The text hs_scenario_dump_yaml writes for p (caller frees). */
static char *dump_text(const struct hs_params *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(hs_scenario_dump_yaml(p, f), HS_OK);
    fclose(f);
    return text;
}

/* A valid p dumps to a text that loads back to the same bytes and dumps
 * to the same text again. */
static void round_trip(const struct hs_params *p, const char *what)
{
    struct hs_params back;
    struct hs_diag d;
    char *text = dump_text(p);
    hs_diag_init(&d);
    int rc = hs_scenario_load_string("dump.yaml", text, strlen(text), &back, &d);
    if (rc != HS_OK) {
        print_message("    %s:\n", what);
        print_diag(&d);
    }
    assert_int_equal(rc, HS_OK);
    assert_memory_equal(p, &back, sizeof *p);
    char *again = dump_text(&back);
    assert_string_equal(text, again);
    free(again);
    free(text);
    hs_diag_free(&d);
}

struct trips {
    const struct hs_params *base;
    size_t tried, valid;
};

static void trip_edge(void *ctx, const char *path, double value, const char *assignment)
{
    struct trips *t = ctx;
    struct hs_params p = *t->base;
    struct hs_diag d;
    (void)path;
    (void)value;
    hs_diag_init(&d);
    t->tried++;
    if (hs_scenario_set(&p, assignment, &d) == HS_OK && hs_scenario_check(&p, &d) == HS_OK) {
        t->valid++;
        round_trip(&p, assignment);
    }
    hs_diag_free(&d);
}

/* Every file of scenarios/, then each of them with every numeric
 * parameter at each of its edge values (tests/edges.h) and with names of
 * every allowed character, dumps and loads back byte for byte. */
static void every_scenario_and_edge_round_trips(void **state)
{
    (void)state;
    static const char *const files[] = {
        "scenarios/canon.yaml", "scenarios/realworld.yaml", "scenarios/deferrals.yaml",
        "scenarios/no-hailsham.yaml", "scenarios/abolition.yaml",
    };
    static const char *const names[] = {
        "scenario.name=\"a.b,c;d:e!f?g'h-i_j(k)l/m&n+o #9\"",
        "scenario.name=\"Brontë – Ørsted, Łódź, Ζήτα, 東京\"",
        "programme.fallback_estate=\"H'sham: (new) #1 & co.\"",
        "programme.estates=[{name: \"H'sham: (new) #1 & co.\", share: 1, opens: 1952}]",
        ("programme.centres=[{name: \"yes\", share: 0.5, beds: 1}, "
         "{name: \"1994\", share: 0.5, beds: 2}]"),
        "programme.cottages=[{name: \"- a / b +\", share: 1}]",
    };
    size_t tried = 0, valid = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct hs_params p;
        struct hs_diag d;
        assert_int_equal(load(files[i], &p, &d), HS_OK);
        hs_diag_free(&d);
        round_trip(&p, files[i]);
        struct hs_params named = p;
        hs_diag_init(&d);
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            assert_int_equal(hs_scenario_set(&named, names[k], &d), HS_OK);
        assert_int_equal(hs_scenario_check(&named, &d), HS_OK);
        hs_diag_free(&d);
        round_trip(&named, "names");
        struct trips t = {&p, 0, 0};
        edges_each(&p, trip_edge, &t);
        tried += t.tried;
        valid += t.valid;
    }
    print_message("# %zu edge values tried, %zu valid and round-tripped\n", tried, valid);
    assert_true(valid > tried * 3 / 4);
}

struct seen {
    size_t n;
    int makeham, end, estate_name, organs;
};

static void note(void *ctx, const char *path, const char *value)
{
    struct seen *s = ctx;
    s->n++;
    if (strcmp(path, "public.mortality.makeham") == 0)
        s->makeham = strcmp(value, "0.00015") == 0;
    if (strcmp(path, "programme.end") == 0)
        s->end = strcmp(value, "never") == 0;
    if (strcmp(path, "programme.estates[0].name") == 0)
        s->estate_name = strcmp(value, "Hailsham") == 0;
    if (strcmp(path, "programme.donations.organs") == 0)
        s->organs = strcmp(value, "[[kidney], [liver], [lung, pancreas], "
                                  "[kidney, liver, heart, lung]]") == 0;
}

static void visit_lists_every_parameter(void **state)
{
    (void)state;
    struct hs_params p;
    struct seen s = {0, 0, 0, 0, 0};
    hs_params_default(&p);
    hs_scenario_visit(&p, note, &s);
    /* 4 + 61 public + 25 cures + 7 allocation + programme (32 + 4*6 + 3*2 + 4*3) */
    assert_true(s.n > 150);
    assert_true(s.makeham && s.end && s.estate_name && s.organs);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) {
        fclose(f);
        return NULL;
    }
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    fclose(m);
    return buf;
}

static void docs_match_the_schema(void **state)
{
    (void)state;
    char *gen = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&gen, &len);
    assert_non_null(f);
    assert_int_equal(hs_scenario_schema_markdown(f), HS_OK);
    fclose(f);
    char *committed = read_all("docs/scenario.md");
    if (!committed)
        fail_msg("docs/scenario.md not found (run from the source root)");
    if (strcmp(gen, committed) != 0)
        fail_msg("docs/scenario.md is out of date: regenerate it with "
                 "`hailsham schema > docs/scenario.md`");
    free(gen);
    free(committed);
}

/* ---- names ------------------------------------------------------------- */

#define NAME_CHARS "(a name holds letters, digits, spaces and . , ; : ! ? ' - _ ( ) / & + #)"

/* Every name key takes letters (any alphabet), digits, spaces and the
 * allowed punctuation, and refuses every other ASCII punctuation, every
 * control and the invisible and line-breaking characters, with the
 * file:line:column, the key and the character. */
static void names_character_set(void **state)
{
    (void)state;
    static const char *const keys[] = {
        "scenario.name", "programme.fallback_estate", "programme.estates[0].name",
        "programme.cottages[0].name", "programme.centres[0].name",
    };
    struct hs_params p;
    struct hs_diag d;
    char text[512], want[512];

    /* Accepted: all the allowed punctuation, UTF-8 letters, no-break space. */
    static const char *const good[] = {
        "a.b,c;d:e!f?g'h-i_j(k)l/m&n+o #9", "Brontë – Ørsted", "Łódź, Ζήτα, Жук, 東京",
        ("a\xc2\xa0" "b"), "O'Brien's (2nd)",
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
            char set[256];
            if (strchr(keys[k], '[')) {
                /* a list: give it whole, one item */
                char list[64];
                snprintf(list, sizeof list, "%.*s", (int)(strchr(keys[k], '[') - keys[k]),
                         keys[k]);
                const char *extra = strstr(list, "estates") ? ", opens: 1952" :
                                    strstr(list, "centres") ? ", beds: 10" : "";
                snprintf(set, sizeof set, "%s=[{name: \"%s\", share: 1%s}]", list, good[i],
                         extra);
            } else {
                snprintf(set, sizeof set, "%s=\"%s\"", keys[k], good[i]);
            }
            hs_params_default(&p);
            hs_diag_init(&d);
            int rc = hs_scenario_set(&p, set, &d);
            if (rc != HS_OK)
                print_diag(&d);
            assert_int_equal(rc, HS_OK);
            hs_diag_free(&d);
        }
    }
    assert_string_equal(p.centre[0].name, "O'Brien's (2nd)");

    /* Refused in a file, each at its position with its character. */
    static const struct {
        const char *yaml;    /* as written inside double quotes */
        const char *shown;
    } bad[] = {
        {"a`b", "'`' (U+0060)"}, {"a$b", "'$' (U+0024)"}, {"a\\\\b", "'\\' (U+005C)"},
        {"a\\\"b", "'\"' (U+0022)"}, {"a<b", "'<' (U+003C)"}, {"a>b", "'>' (U+003E)"},
        {"a{b", "'{' (U+007B)"}, {"a}b", "'}' (U+007D)"}, {"a[b", "'[' (U+005B)"},
        {"a]b", "']' (U+005D)"}, {"a@b", "'@' (U+0040)"}, {"a^b", "'^' (U+005E)"},
        {"a~b", "'~' (U+007E)"}, {"a|b", "'|' (U+007C)"}, {"a%b", "'%' (U+0025)"},
        {"a*b", "'*' (U+002A)"}, {"a=b", "'=' (U+003D)"}, {"a\\tb", "U+0009"},
        {"a\\x7fb", "U+007F"}, {"a\\x00b", "U+0000"}, {"a\\x80b", "U+0080"},
        {"a\\Nb", "U+0085"}, {"a\\Lb", "U+2028"}, {"a\\Pb", "U+2029"},
        {"a\\u202eb", "U+202E"}, {"a\\u200bb", "U+200B"}, {"a\\ufeffb", "U+FEFF"},
        {"a\\xadb", "U+00AD"}, {"a\\ue000b", "U+E000"}, {"a\\U000e0041b", "U+E0041"},
        {"\\ta", "U+0009"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* scenario.name */
        snprintf(text, sizeof text, "# a bad name\nscenario:\n  name: \"%s\"\n", bad[i].yaml);
        assert_int_equal(load_text(text, &p, &d), HS_EPARSE);
        snprintf(want, sizeof want, "t.yaml:3:9: error: scenario.name cannot hold %s "
                 NAME_CHARS, bad[i].shown);
        expect_one(&d, want);
        hs_diag_free(&d);
        /* an estate's name in a list, and the fallback estate */
        snprintf(text, sizeof text, "scenario: {name: x}\nprogramme:\n  estates:\n"
                 "    - {name: ok, share: 0.5, opens: 1952}\n"
                 "    - {name: \"%s\", share: 0.5, opens: 1952}\n"
                 "  fallback_estate: \"%s\"\n", bad[i].yaml, bad[i].yaml);
        assert_int_equal(load_text(text, &p, &d), HS_EPARSE);
        const char *const two[2] = {want, want + 256};
        snprintf(want, 256, "t.yaml:5:14: error: programme.estates[1].name cannot hold %s "
                 NAME_CHARS, bad[i].shown);
        snprintf(want + 256, 256, "t.yaml:6:20: error: programme.fallback_estate cannot hold "
                 "%s " NAME_CHARS, bad[i].shown);
        expect_lines(&d, two, 2);
        hs_diag_free(&d);
    }

    /* The same in a --set, and the place is the option. */
    hs_params_default(&p);
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_set(&p, "programme.cottages=[{name: \"x~\", share: 1}]", &d),
                     HS_EPARSE);
    expect_one(&d, "--set programme.cottages=[{name: \"x~\", share: 1}]: error: "
                   "programme.cottages[0].name cannot hold '~' (U+007E) " NAME_CHARS);
    hs_diag_free(&d);

    /* A struct made by code is held to the same set by the check; bytes
     * that are not UTF-8 are named as bytes. */
    hs_params_default(&p);
    snprintf(p.centre[1].name, HS_NAME_MAX, "bad%s", "\xe2\x80\xa8");
    snprintf(p.fallback_estate, HS_NAME_MAX, "%s", "x\xff");
    snprintf(p.estate[3].name, HS_NAME_MAX, "%s", "x\xff");
    hs_diag_init(&d);
    assert_int_equal(hs_scenario_check(&p, &d), HS_EPARSE);
    static const char *const code[] = {
        ("scenario: error: programme.estates[3].name cannot hold the byte 0xFF, which is not "
         "UTF-8 " NAME_CHARS),
        ("scenario: error: programme.fallback_estate cannot hold the byte 0xFF, which is not "
         "UTF-8 " NAME_CHARS),
        ("scenario: error: programme.centres[1].name cannot hold U+2028 " NAME_CHARS),
    };
    expect_lines(&d, code, 3);
    hs_diag_free(&d);
}

/* ---- the commands ------------------------------------------------------ */

static void validate_exit_codes(void **state)
{
    (void)state;
    char *out;
    static const char *const valid[] = {"validate", "canon", "--set", "scenario.scale=0.1",
                                        NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, valid, &out), 0);
    assert_string_equal(out, "");
    free(out);
    static const char *const set_eq[] = {"validate", "--set=programme.end=1990",
                                         DATA "good_small.yaml", NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, set_eq, &out), 0);
    free(out);
    static const char *const bad[] = {"validate", DATA "syntax.yaml", NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, bad, &out), 3);
    assert_string_equal(out, DATA "syntax.yaml:6:18: error: mapping values are not allowed in "
                             "this context\n");
    free(out);
    static const char *const many[] = {"validate", DATA "many_errors.yaml", NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, many, &out), 3);
    size_t lines = 0;
    for (char *c = out; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 18);
    free(out);
    static const char *const badset[] = {"validate", "canon", "--set", "x=1", NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, badset, &out), 3);
    free(out);
    static const char *const missing[] = {"validate", "nope/missing.yaml", NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, missing, &out), 3);
    free(out);
    static const char *const usage[][5] = {
        {"validate", NULL},
        {"validate", "--bogus", "canon", NULL},
        {"validate", "canon", "--set", NULL},
        {"validate", "canon", "realworld", NULL},
        {"validate", "-x", NULL},
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        assert_int_equal(run_cmd(2, hs_cmd_validate, usage[i], &out), 2);
        assert_non_null(strchr(out, '\n'));
        assert_string_equal(strchr(out, '\n'), "\n");   /* one line */
        free(out);
    }
    static const char *const help[] = {"validate", "--help", NULL};
    assert_int_equal(run_cmd(1, hs_cmd_validate, help, &out), 0);
    assert_non_null(strstr(out, "usage: hailsham validate"));
    free(out);
    static const char *const dash[] = {"validate", "--", "canon", NULL};
    assert_int_equal(run_cmd(2, hs_cmd_validate, dash, &out), 0);
    free(out);
}

static void scenarios_and_schema_commands(void **state)
{
    (void)state;
    char *out;
    static const char *const list[] = {"scenarios", NULL};
    assert_int_equal(run_cmd(1, hs_cmd_scenarios, list, &out), 0);
    assert_non_null(strstr(out, "no-hailsham  The canon without humane estates"));
    free(out);
    static const char *const show[] = {"scenarios", "--show", "abolition", NULL};
    assert_int_equal(run_cmd(1, hs_cmd_scenarios, show, &out), 0);
    size_t len = 0;
    assert_string_equal(out, hs_scenario_builtin_text(hs_scenario_builtin_find("abolition"),
                                                      &len));
    free(out);
    static const char *const bad[][4] = {
        {"scenarios", "--show", "nope", NULL},
        {"scenarios", "--show", NULL},
        {"scenarios", "--all", NULL},
        {"scenarios", "canon", NULL},
        {"schema", "--x", NULL},
        {"schema", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int (*fn)(int, char **) = strcmp(bad[i][0], "schema") ? hs_cmd_scenarios : hs_cmd_schema;
        assert_int_equal(run_cmd(2, fn, bad[i], &out), 2);
        free(out);
    }
    static const char *const schema[] = {"schema", NULL};
    assert_int_equal(run_cmd(1, hs_cmd_schema, schema, &out), 0);
    char *committed = read_all("docs/scenario.md");
    assert_non_null(committed);
    assert_string_equal(out, committed);
    free(committed);
    free(out);
}

/* ---- hostile input ----------------------------------------------------- */

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Every message is one line that starts where it should. */
static void one_line_each(const struct hs_diag *d, const char *prefix)
{
    for (size_t i = 0; i < hs_diag_count(d); i++) {
        const char *m = hs_diag_message(d, i);
        assert_null(strchr(m, '\n'));
        assert_true(strncmp(m, prefix, strlen(prefix)) == 0);
        assert_non_null(strstr(m, ": error: "));
    }
}

static void random_input_never_crashes(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[]:,-&*!#|>'\"\n\n  \t.0123456789eE+scenario name "
                                   "public programme abo O A never true 1950\\%@`?~";
    uint64_t seed = 0x9e3779b97f4a7c15u;
    char text[600], set[600];
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = next(&seed) % 512;
        for (size_t i = 0; i < len; i++) {
            uint64_t r = next(&seed);
            text[i] = (r & 15) == 0 ? (char)(r >> 8) : alphabet[(r >> 8) % (sizeof alphabet - 1)];
        }
        text[len] = '\0';
        struct hs_params p;
        struct hs_diag d;
        hs_diag_init(&d);
        int rc = hs_scenario_load_string("r.yaml", text, len, &p, &d);
        assert_true(rc == HS_OK || rc == HS_EPARSE);
        assert_true(rc == HS_OK || hs_diag_count(&d) > 0);
        one_line_each(&d, "r.yaml");
        hs_diag_free(&d);

        hs_params_default(&p);
        hs_diag_init(&d);
        snprintf(set, sizeof set, "%s=%s", (iter & 1) ? "public" : "programme.estates",
                 text + strlen(text) / 2);
        rc = hs_scenario_set(&p, set, &d);
        assert_true(rc == HS_OK || rc == HS_EPARSE);
        one_line_each(&d, "--set ");
        hs_diag_free(&d);
    }
}

/* Small edits of a valid file reach the deeper paths of the reader. */
static void mutated_files_never_crash(void **state)
{
    (void)state;
    static const char alphabet[] = "{}[]:,-&*#'\"\n .0123456789x~";
    size_t len = 0;
    const char *canon = hs_scenario_builtin_text(0, &len);
    char *buf = malloc(len + 64);
    assert_non_null(buf);
    uint64_t seed = 12345;
    for (int iter = 0; iter < 2000; iter++) {
        size_t n = len;
        memcpy(buf, canon, len);
        for (int k = 0, edits = 1 + (int)(next(&seed) % 4); k < edits && n > 0; k++) {
            size_t at = next(&seed) % n;
            uint64_t r = next(&seed);
            if (r % 3 == 0) {            /* delete a short span */
                size_t span = 1 + (r >> 8) % 8;
                if (at + span > n)
                    span = n - at;
                memmove(buf + at, buf + at + span, n - at - span);
                n -= span;
            } else {                     /* overwrite one byte */
                buf[at] = alphabet[(r >> 8) % (sizeof alphabet - 1)];
            }
        }
        struct hs_params p;
        struct hs_diag d;
        hs_diag_init(&d);
        int rc = hs_scenario_load_string("m.yaml", buf, n, &p, &d);
        assert_true(rc == HS_OK || rc == HS_EPARSE);
        assert_true(rc == HS_OK || hs_diag_count(&d) > 0);
        one_line_each(&d, "m.yaml");
        hs_diag_free(&d);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtins_load_cleanly),
        cmocka_unit_test(canon_is_the_defaults),
        cmocka_unit_test(builtins_change_what_they_say),
        cmocka_unit_test(every_error_in_one_pass),
        cmocka_unit_test(syntax_error_at_its_place),
        cmocka_unit_test(whole_file_problems),
        cmocka_unit_test(files_that_cannot_be_read),
        cmocka_unit_test(too_large_a_file),
        cmocka_unit_test(anchors_aliases_tags_documents),
        cmocka_unit_test(deep_nesting_and_huge_values),
        cmocka_unit_test(long_numbers_read_whole),
        cmocka_unit_test(error_count_is_capped),
        cmocka_unit_test(rules_across_keys),
        cmocka_unit_test(a_full_valid_file),
        cmocka_unit_test(set_good_values),
        cmocka_unit_test(set_bad_values),
        cmocka_unit_test(set_then_check_points_at_the_set),
        cmocka_unit_test(resolve_files_and_names),
        cmocka_unit_test(dump_loads_back_the_same),
        cmocka_unit_test(every_scenario_and_edge_round_trips),
        cmocka_unit_test(visit_lists_every_parameter),
        cmocka_unit_test(docs_match_the_schema),
        cmocka_unit_test(names_character_set),
        cmocka_unit_test(validate_exit_codes),
        cmocka_unit_test(scenarios_and_schema_commands),
        cmocka_unit_test(random_input_never_crashes),
        cmocka_unit_test(mutated_files_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
