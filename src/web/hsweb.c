/* SPDX-License-Identifier: MIT
 *
 * hsweb.c - what the web page calls in the WebAssembly build: the
 * scenario's parameters and the schema's description of a key, a check
 * of the page's assignments, and a run of the world or of the same world
 * without the programme (the page runs the two at once, in two workers, as
 * `hailsham run` runs them on two threads), whose yearly rows are written
 * as yearly.csv by the same code as the command line's (src/output/yearly.c)
 * and whose figures are named by the catalogue.
 *
 * The page passes a built-in scenario's name and its assignments, one
 * "key.path=value" a line, applied after the scenario's own (builtins.h)
 * through hs_scenario_set and checked by hs_scenario_check: the schema's
 * messages, word for word.  Results come back as text (JSON or CSV) that
 * stays valid until the next call.  Progress goes to the page through
 * hsweb_progress, a JavaScript function of the worker.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <emscripten.h>

#include <hailsham/hailsham.h>

#include "../output/catalogue.h"
#include "../output/output.h"
#include "builtins.h"
#include "chronicle.h"
#include "chronicle_web.h"
#include "could.h"
#include "diag.h"
#include "hsweb.h"
#include "scenario.h"
#include "schema.h"
#include "world.h"

/* The page's tab holds at most this much memory (-sMAXIMUM_MEMORY). */
#define WEB_MEMORY_MAX 2.0e9

EM_JS(void, hsweb_progress, (int world, int year, double done), {
    if (!globalThis.hsweb_quiet)   /* set by the worker while it warms up */
        postMessage({type : "progress", world : world, year : year, done : done});
})

/* ---- text out ---------------------------------------------------------- */

struct buf {
    char *text;
    size_t len;
    FILE *f;
};

static struct buf last;   /* the last answer */

static FILE *answer(void)
{
    if (last.f)
        fclose(last.f);
    free(last.text);
    last.text = NULL;
    last.len = 0;
    last.f = open_memstream(&last.text, &last.len);
    return last.f;
}

static const char *done(void)
{
    if (last.f == NULL)
        return "";
    fclose(last.f);
    last.f = NULL;
    return last.text ? last.text : "";
}

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void jnum(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("null", f);
}

/* ---- parameters -------------------------------------------------------- */

/* The scenario with the page's assignments (one a line), checked. */
static int resolve(const char *scenario, const char *sets, struct hs_params *p,
                   struct hs_diag *d)
{
    const struct hs_web_builtin *b = NULL;
    for (size_t i = 0; i < hs_web_nbuiltins; i++)
        if (strcmp(hs_web_builtins[i].name, scenario) == 0)
            b = &hs_web_builtins[i];
    if (b == NULL) {
        hs_diag_add(d, "scenario", "no built-in scenario named '%s'", scenario);
        return HS_EPARSE;
    }
    hs_params_default(p);
    int rc = HS_OK;
    for (size_t i = 0; i < b->nsets && rc == HS_OK; i++)
        rc = hs_scenario_set(p, b->sets[i], d);
    if (rc != HS_OK)
        return rc;   /* the build checked them: only memory can fail here */
    /* every assignment, then the check once, as hs_scenario_resolve_set */
    char *copy = strdup(sets ? sets : "");
    if (copy == NULL)
        return HS_ENOMEM;
    for (char *line = copy, *next; line && rc != HS_ENOMEM; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (*line == '\0')
            continue;
        int r = hs_scenario_set(p, line, d);
        if (r != HS_OK)
            rc = r;
    }
    free(copy);
    if (rc == HS_OK)
        rc = hs_scenario_check(p, d);
    return rc;
}

static void diag_lines(FILE *f, const struct hs_diag *d)
{
    for (size_t i = 0; i < hs_diag_count(d); i++)
        fprintf(f, "%s\n", hs_diag_message(d, i));
}

static const struct hs_field *field_at(const char *path)
{
    const struct hs_field *f = &hs_schema_root;
    const char *s = path;
    while (*s) {
        size_t n = strcspn(s, ".");
        const struct hs_field *next = NULL;
        if (f->kind != HS_K_MAP && f->kind != HS_K_LIST)   /* a list: its items' keys */
            return NULL;
        for (size_t k = 0; k < f->nsub && !next; k++)
            if (strlen(f->sub[k].key) == n && memcmp(f->sub[k].key, s, n) == 0)
                next = &f->sub[k];
        if (!next)
            return NULL;
        f = next;
        s += n + (s[n] == '.');
    }
    return f;
}

struct visit {
    FILE *f;
    int n;
};

static void visit_param(void *ctx, const char *path, const char *value)
{
    struct visit *v = ctx;
    fputs(v->n++ ? ",\n" : "\n", v->f);
    jstr(v->f, path);
    fputc(':', v->f);
    jstr(v->f, value);
}

static void params_json(FILE *f, const struct hs_params *p)
{
    struct visit v = {f, 0};
    fputc('{', f);
    hs_scenario_visit(p, visit_param, &v);
    fputs("}", f);
}

/* The built-in scenarios and the version:
 * {"version": ..., "scenarios": [{"name", "summary"}...]}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_info(void)
{
    FILE *f = answer();
    if (f == NULL)
        return "";
    fputs("{\"version\":", f);
    jstr(f, hs_version());
    fputs(",\"scenarios\":[", f);
    for (size_t i = 0; i < hs_web_nbuiltins; i++) {
        fputs(i ? ",{\"name\":" : "{\"name\":", f);
        jstr(f, hs_web_builtins[i].name);
        fputs(",\"summary\":", f);
        jstr(f, hs_web_builtins[i].summary);
        fputc('}', f);
    }
    fputs("]}", f);
    return done();
}

/* What the schema says of one key: {"kind", "unit", "lo", "hi",
 * "lo_open", "doc", "names"}, or "" for no such key.  The keys of a
 * list's items follow the list's path: "programme.estates.closes". */
EMSCRIPTEN_KEEPALIVE const char *hsweb_field(const char *path)
{
    static const char *const kinds[] = {"map", "number", "year_never", "bool", "enum",
                                        "name", "dated", "list", "probs", "organsets"};
    const struct hs_field *fld = field_at(path);
    FILE *f = answer();
    if (f == NULL || fld == NULL)
        return (void)done(), "";
    fputs("{\"kind\":", f);
    jstr(f, kinds[fld->kind]);
    fputs(",\"unit\":", f);
    jstr(f, fld->unit);
    fputs(",\"lo\":", f);
    jnum(f, fld->lo);
    fputs(",\"hi\":", f);
    jnum(f, fld->hi);
    fprintf(f, ",\"lo_open\":%s", fld->flags & HS_F_LO_OPEN ? "true" : "false");
    fputs(",\"doc\":", f);
    jstr(f, fld->doc);
    fputs(",\"names\":[", f);
    for (size_t i = 0; i < fld->nnames; i++) {
        fputs(i ? "," : "", f);
        jstr(f, fld->names[i]);
    }
    fputs("]}", f);
    return done();
}

/* Every parameter of the scenario with the assignments, as
 * {"ok": true, "params": {path: value}}, or {"ok": false, "errors": text}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_check(const char *scenario, const char *sets)
{
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    int rc = resolve(scenario, sets, &p, &d);
    FILE *f = answer();
    if (f == NULL) {
        hs_diag_free(&d);
        return "";
    }
    if (rc == HS_OK) {
        fputs("{\"ok\":true,\"params\":", f);
        params_json(f, &p);
        fputs("}", f);
    } else {
        char *text = NULL;
        size_t len = 0;
        FILE *e = open_memstream(&text, &len);
        if (e) {
            if (rc == HS_ENOMEM && hs_diag_count(&d) == 0)
                fputs("out of memory\n", e);
            diag_lines(e, &d);
            fclose(e);
        }
        fputs("{\"ok\":false,\"errors\":", f);
        jstr(f, text ? text : "out of memory\n");
        fputs("}", f);
        free(text);
    }
    hs_diag_free(&d);
    return done();
}

/* ---- a run ------------------------------------------------------------- */

struct rows {
    struct hs_year_row *v;
    size_t n, cap;
};

static int keep_year(void *ctx, const struct hs_year_row *r)
{
    struct rows *y = ctx;
    if (y->n == y->cap) {
        size_t cap = y->cap ? 2 * y->cap : 64;
        struct hs_year_row *v = realloc(y->v, cap * sizeof *v);
        if (v == NULL)
            return HS_ENOMEM;
        y->v = v;
        y->cap = cap;
    }
    y->v[y->n++] = *r;
    return HS_OK;
}

struct progress {
    int world;
    double first, last;
};

static void on_year(void *ctx, int year, uint64_t events)
{
    const struct progress *pr = ctx;
    (void)events;
    double span = pr->last - pr->first;
    hsweb_progress(pr->world, year, span > 0 ? ((double)year + 1 - pr->first) / span : 1);
}

/* World 0 also keeps its donors for the chronicle (chronicle_web.c). */
static int run_world(const struct hs_params *p, uint64_t seed, int world, struct rows *rows,
                     struct hs_summary *s, FILE *err)
{
    struct hs_world *w = NULL;
    struct hs_world_sink sink = {.ctx = rows, .year = keep_year};
    struct progress pr = {world, p->start_year, p->end_year};
    char why[256];
    if (world == 0) {
        hs_web_run_start(p);
        hs_web_run_sink(&sink);
    }
    int rc = hs_world_create(p, seed, 0, &sink, &w, why, sizeof why);
    if (rc != HS_OK) {
        fprintf(err, "%s\n", why);
        hs_web_run_clear();
        return rc;
    }
    rc = hs_world_run(w, on_year, &pr);
    if (rc == HS_OK)
        hs_world_summary(w, s);
    else
        fprintf(err, "the run failed: %s\n", hs_strerror(rc));
    hs_world_destroy(w);   /* the donors' rows come as the world ends */
    if (world == 0 && rc == HS_OK)
        hs_web_run_done();
    else if (world == 0)
        hs_web_run_clear();
    return rc;
}

static void figure_json(FILE *f, const struct hs_figure *fig)
{
    fputs("{\"name\":", f);
    jstr(f, fig->name);
    fputs(",\"label\":", f);
    jstr(f, fig->label);
    fputs(",\"plain\":", f);
    jstr(f, hs_cat_label(fig, 1));
    fputs(",\"unit\":", f);
    jstr(f, fig->unit);
    fprintf(f, ",\"digits\":%d,\"factor\":", fig->digits);
    jnum(f, fig->factor);
    fprintf(f, ",\"public\":%s,\"table\":%s", fig->flags & HS_FIG_PUBLIC ? "true" : "false",
            fig->flags & HS_FIG_TABLE ? "true" : "false");
}

/* summary.json's precision: 12 significant digits (output.c) */
static void jnum12(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.12g", v);
    else
        fputs("null", f);
}

static void headlines_json(FILE *f, const struct hs_summary *s, int digits12)
{
    void (*num)(FILE *, double) = digits12 ? jnum12 : jnum;
    fputs("{\"events\":", f);
    fprintf(f, "%llu", (unsigned long long)s->events);
    fputs(",\"years\":", f);
    num(f, s->years);
    for (size_t i = 0; i < hs_cat_headlines(); i++) {
        const struct hs_figure *fig = hs_cat_headline(i);
        fputc(',', f);
        jstr(f, fig->name);
        fputc(':', f);
        num(f, hs_cat_headline_value(fig, s));
    }
    fputc('}', f);
}

static void yearly_json(FILE *f, const struct rows *y)
{
    fputc('{', f);
    for (size_t c = 0; c < hs_output_year_columns(); c++) {
        fputs(c ? ",\n" : "\n", f);
        jstr(f, hs_output_year_column(c));
        fputs(":[", f);
        for (size_t i = 0; i < y->n; i++) {
            fputs(i ? "," : "", f);
            jnum(f, hs_output_year_value(&y->v[i], c));
        }
        fputc(']', f);
    }
    fputc('}', f);
}

static int parse_seed(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

/* Run the scenario with the assignments and the seed (a whole number, as
 * text): world 0 is the scenario's world, world 1 the same world without
 * the programme or its cures, world 2 the same world at perfect supply,
 * which the page runs at the same time in workers of their own (as
 * `hailsham run` runs them on threads of their own).  The answer is JSON:
 * {"ok": false, "errors": text}, or for world 1 {"ok": true, "skipped":
 * true} when the scenario has no programme, else {"ok": true, "csv":
 * yearly.csv's text (world 0), "summary": summary.json's content but the
 * baseline, "headline": the headline figures, "headlines" and "yearlies":
 * the catalogue, "yearly": {column: [values]}, "params"}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_run(const char *scenario, const char *sets,
                                           const char *seed_text, int world)
{
    struct hs_params p;
    struct hs_diag d;
    uint64_t seed = 0;
    char *errs = NULL, *csv = NULL;
    size_t nerrs = 0, ncsv = 0;
    struct rows y = {0};
    struct hs_summary s;
    FILE *err = open_memstream(&errs, &nerrs);
    if (err == NULL)
        return "";
    hs_diag_init(&d);
    int rc = resolve(scenario, sets, &p, &d);
    diag_lines(err, &d);
    hs_diag_free(&d);
    if (parse_seed(seed_text, &seed) != 0) {
        fprintf(err, "--seed needs a whole number from 0 to %llu, got '%s'\n",
                (unsigned long long)UINT64_MAX, seed_text);
        rc = HS_EPARSE;
    }
    /* world 1: without the programme or its cures (only when there is a
     * programme); world 2: at perfect supply, as `hailsham run` runs them */
    int skipped = rc == HS_OK && world == 1 && !p.programme;
    if (world == 1) {
        hs_params_without_programme(&p);
    } else if (world == 2) {
        p.programme = 0;
        p.perfect_supply = 1;
    }
    if (rc == HS_OK && !skipped) {
        double need = hs_world_memory_estimate(&p);
        if (need > 0.9 * WEB_MEMORY_MAX) {
            fprintf(err, "this run would need about %.3g GB of memory, more than the %.3g GB "
                         "a page may use; try a scale of %.2g or less\n",
                    need / 1e9, WEB_MEMORY_MAX / 1e9, p.scale * 0.9 * WEB_MEMORY_MAX / need);
            rc = HS_ENOMEM;
        }
    }
    if (rc == HS_OK && !skipped)
        rc = run_world(&p, seed, world, &y, &s, err);
    FILE *c = rc == HS_OK && !skipped ? open_memstream(&csv, &ncsv) : NULL;
    if (c) {
        hs_output_csv_header(c);
        for (size_t i = 0; i < y.n; i++)
            hs_output_csv_row(c, &y.v[i]);
        fclose(c);
    }
    fclose(err);
    FILE *f = answer();
    if (f && rc != HS_OK) {
        fputs("{\"ok\":false,\"errors\":", f);
        jstr(f, errs && *errs ? errs : "the run failed\n");
        fputs("}", f);
    } else if (f && skipped) {
        fputs("{\"ok\":true,\"skipped\":true}", f);
    } else if (f) {
        fputs("{\"ok\":true,\"csv\":", f);
        jstr(f, csv ? csv : "");
        /* summary.json's fields, as `hailsham run` writes them */
        fputs(",\n\"summary\":{\"scenario\":", f);
        jstr(f, scenario);
        fprintf(f, ",\"seed\":%llu,\"scale\":", (unsigned long long)seed);
        jnum12(f, p.scale);
        fputs(",\"version\":", f);
        jstr(f, hs_version());
        fprintf(f, ",\"format\":%d,\"overrides\":[", HS_FORMAT_VERSION);
        int k = 0;
        for (const char *l = sets; l && *l;) {
            size_t n = strcspn(l, "\n");
            if (n) {
                char *one = strndup(l, n);
                fputs(k++ ? "," : "", f);
                jstr(f, one);
                free(one);
            }
            l += n + (l[n] == '\n');
        }
        fprintf(f, "],\"events\":%llu,\"headline\":", (unsigned long long)s.events);
        headlines_json(f, &s, 1);
        fputs("},\n\"headline\":", f);   /* all the digits, for differences */
        headlines_json(f, &s, 0);
        fputs(",\n\"headlines\":[", f);
        for (size_t i = 0; i < hs_cat_headlines(); i++) {
            fputs(i ? ",\n" : "\n", f);
            figure_json(f, hs_cat_headline(i));
            fputc('}', f);
        }
        fputs("],\n\"yearlies\":[", f);
        for (size_t i = 0; i < hs_cat_yearlies(); i++) {
            const struct hs_figure *fig = hs_cat_yearly(i);
            fputs(i ? ",\n" : "\n", f);
            figure_json(f, fig);
            fprintf(f, ",\"organ\":%d}", fig->organ);
        }
        fputs("],\n\"yearly\":", f);
        yearly_json(f, &y);
        fputs(",\n\"params\":", f);
        params_json(f, &p);
        /* the lists at a scale not their calibration's: as under run's table */
        char note[512];
        hs_cat_scale_note(note, sizeof note, p.name, p.scale, p.calibrated_scale);
        fputs(",\n\"scale_note\":", f);
        jstr(f, note);
        fputs("}", f);
    }
    free(errs);
    free(csv);
    free(y.v);
    return done();
}

/* ---- could it work? ---------------------------------------------------- */

/* World k of could-it-work's ladder (src/world/could.c), replication rep:
 * {"ok":true, "per_1000": donors per 1,000 births, "e0": [by year]}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_could_job(const char *scenario, const char *sets,
                                                 const char *seed_text, int k, int rep)
{
    struct hs_params base, p;
    struct hs_diag d;
    uint64_t seed = 0;
    char why[256] = "";
    struct rows y = {0};
    hs_diag_init(&d);
    int rc = resolve(scenario, sets, &base, &d);
    hs_diag_free(&d);
    if (rc == HS_OK && parse_seed(seed_text, &seed) != 0)
        rc = HS_EPARSE;
    if (rc == HS_OK && (k < 0 || k >= HS_COULD_WORLDS || rep < 0 || rep >= HS_COULD_MAX_REPS))
        rc = HS_EINVAL;
    if (rc == HS_OK && (!base.programme || !base.cohort_planned)) {
        snprintf(why, sizeof why, "could it work? needs a planned programme");
        rc = HS_EINVAL;
    }
    struct hs_summary s;
    if (rc == HS_OK) {
        hs_could_params(&base, (size_t)k, &p);
        struct hs_world *w = NULL;
        struct hs_world_sink sink = {.ctx = &y, .year = keep_year};
        rc = hs_world_create(&p, seed, (uint64_t)rep, &sink, &w, why, sizeof why);
        if (rc == HS_OK)
            rc = hs_world_run(w, NULL, NULL);
        if (rc == HS_OK)
            hs_world_summary(w, &s);
        hs_world_destroy(w);
    }
    FILE *f = answer();
    if (f && rc != HS_OK) {
        fputs("{\"ok\":false,\"errors\":", f);
        jstr(f, why[0] ? why : hs_strerror(rc));
        fputs("}", f);
    } else if (f) {
        fputs("{\"ok\":true,\"per_1000\":", f);
        jnum(f, p.programme ? s.donors_per_1000_births : 0.0);
        fputs(",\"e0\":[", f);
        for (size_t i = 0; i < y.n; i++) {
            fputs(i ? "," : "", f);
            jnum(f, y.v[i].life_expectancy);
        }
        fputs("]}", f);
    }
    free(y.v);
    return done();
}

/* What the jobs come to.  results: one line per job, "k rep per_1000 e0
 * e0 ..." (ny values from start_year).  Gives the worlds in order of size
 * (the one without, the rungs, perfect supply) with their life expectancy
 * in `by`, and the answer with its sentence in both registers, as
 * could.json has them. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_could_answer(double target, double by,
                                                    double start_year, int ny, int reps,
                                                    const char *results)
{
    FILE *f = answer();
    if (f == NULL)
        return "";
    if (ny <= 0 || ny > 1000 || reps < 2 || reps > HS_COULD_MAX_REPS || by < start_year ||
        by >= start_year + ny) {
        fputs("{\"ok\":false,\"errors\":\"bad arguments\"}", f);
        return done();
    }
    size_t n = (size_t)HS_COULD_WORLDS * (size_t)reps;
    double *e0 = malloc(n * (size_t)ny * sizeof *e0), *per = malloc(n * sizeof *per);
    unsigned char *seen = calloc(n, 1);
    int ok = e0 && per && seen;
    for (size_t i = 0; ok && i < n * (size_t)ny; i++)
        e0[i] = NAN;
    const char *at = results;
    while (ok && at && *at) {   /* one job a line */
        char *end;
        long k = strtol(at, &end, 10), r = strtol(end, &end, 10);
        if (end == at || k < 0 || k >= HS_COULD_WORLDS || r < 0 || r >= reps) {
            ok = 0;
            break;
        }
        size_t j = (size_t)k * (size_t)reps + (size_t)r;
        per[j] = strtod(end, &end);
        for (int yv = 0; yv < ny && *end && *end != '\n'; yv++)
            e0[j * (size_t)ny + (size_t)yv] = strtod(end, &end);
        seen[j] = 1;
        at = strchr(end, '\n');
        at = at ? at + 1 : NULL;
    }
    for (size_t j = 0; ok && j < n; j++)
        ok = seen[j];
    if (!ok) {
        fputs("{\"ok\":false,\"errors\":\"the runs' results are incomplete\"}", f);
    } else {
        struct hs_could c = {.target = target, .by = by, .start_year = start_year,
                             .ny = (size_t)ny, .reps = (size_t)reps, .e0 = e0, .per_1000 = per};
        hs_could_summarise(&c);
        char text[1024];
        fputs("{\"ok\":true,\"worlds\":[", f);
        for (size_t i = 0; i < HS_COULD_WORLDS; i++) {
            size_t w = i == 0 ? HS_COULD_WITHOUT
                       : i <= HS_COULD_RUNGS ? i - 1 : HS_COULD_CEILING;
            char nb[32];
            fputs(i ? ",\n{\"world\":" : "\n{\"world\":", f);
            jstr(f, hs_could_world_name(w, nb, sizeof nb));
            fputs(",\"margin\":", f);
            jnum(f, w < HS_COULD_RUNGS ? hs_could_margins[w] : NAN);
            fputs(",\"donors_per_1000_births\":", f);
            jnum(f, w == HS_COULD_CEILING ? NAN : c.size[w]);
            fputs(",\"life_expectancy\":", f);
            jnum(f, c.mean[w]);
            fputs(",\"ci95_low\":", f);
            jnum(f, c.mean[w] - c.half[w]);
            fputs(",\"ci95_high\":", f);
            jnum(f, c.mean[w] + c.half[w]);
            fputs(",\"life_expectancy_by_year\":[", f);
            for (int yv = 0; yv < ny; yv++) {
                double m, h;
                hs_could_year(&c, w, (size_t)yv, &m, &h);
                fputs(yv ? "," : "", f);
                jnum(f, m);
            }
            fputs("]}", f);
        }
        fprintf(f, "],\n\"answer\":{\"reachable\":%s,\"donors_per_1000_births\":",
                c.reachable ? "true" : "false");
        jnum(f, c.mid);
        fputs(",\"ci95_low\":", f);
        jnum(f, c.lo);
        fputs(",\"ci95_high\":", f);
        jnum(f, c.hi);
        fputs(",\"first_year\":", f);
        if (c.first >= 0)
            fprintf(f, "%d", c.first);
        else
            fputs("null", f);
        hs_could_sentence(&c, "donors", text, sizeof text);
        fputs(",\"text\":", f);
        jstr(f, text);
        hs_could_sentence(&c, "people created for their organs", text, sizeof text);
        fputs(",\"text_plain\":", f);
        jstr(f, text);
        fputs("}}", f);
    }
    free(e0);
    free(per);
    free(seen);
    return done();
}

/* ---- the chronicle ----------------------------------------------------- */

static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

/* The last run's donors whose name, estate, cohort or id contain query
 * (any case), at most max, in order of id: {"total": how many donors the
 * run has, "donors": [[id, name, estate, cohort, stage], ...]}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_donors(const char *query, int max)
{
    const struct hs_web_run *r = hs_web_run_get();
    FILE *f = answer();
    if (f == NULL)
        return "";
    fprintf(f, "{\"total\":%zu,\"donors\":[", r->complete ? r->ndonors : 0);
    int k = 0;
    for (size_t i = 0; r->complete && i < r->ndonors && k < max; i++) {
        const struct hs_donor_row *d = &r->donors[i];
        char id[24], cohort[16];
        snprintf(id, sizeof id, "%u", (unsigned)d->id);
        snprintf(cohort, sizeof cohort, "%d", d->cohort);
        if (!contains(d->name, query) && !(d->estate && contains(d->estate, query)) &&
            strcmp(id, query) != 0 && strcmp(cohort, query) != 0)
            continue;
        fprintf(f, "%s[%s,", k++ ? "," : "", id);
        jstr(f, d->name);
        fputc(',', f);
        jstr(f, d->estate ? d->estate : "");
        fprintf(f, ",%d,", d->cohort);
        jstr(f, hs_stage_name(d->stage));
        fputc(']', f);
    }
    fputs("]}", f);
    return done();
}

/* One donor's life from the last run, told as `hailsham chronicle DIR
 * --donor ID [--plain]` tells it: {"ok": true, "text"} or {"ok": false,
 * "errors"}. */
EMSCRIPTEN_KEEPALIVE const char *hsweb_chronicle(const char *id_text, int plain)
{
    char err[1024] = "", *text = NULL;
    size_t len = 0;
    uint64_t id = 0;
    int rc = HS_CHRONICLE_EDATA;
    FILE *t = open_memstream(&text, &len);
    if (t == NULL)
        return "";
    if (parse_seed(id_text, &id) != 0 || id > INT64_MAX) {
        snprintf(err, sizeof err, "--donor needs a whole number from 0 to %lld, got '%s'",
                 (long long)INT64_MAX, id_text);
    } else {
        struct hs_chronicle_opts o = {(long long)id, 0, NULL, 1, plain, NULL};
        rc = hs_chronicle_write("this run", &o, t, err, sizeof err);
    }
    fclose(t);
    FILE *f = answer();
    if (f) {
        if (rc == HS_CHRONICLE_OK) {
            fputs("{\"ok\":true,\"text\":", f);
            jstr(f, text ? text : "");
        } else {
            fputs("{\"ok\":false,\"errors\":", f);
            jstr(f, err);
        }
        fputc('}', f);
    }
    free(text);
    return done();
}
