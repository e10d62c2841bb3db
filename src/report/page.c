/* SPDX-License-Identifier: MIT
 *
 * page.c - the report's page: the HTML skeleton, its CSS, the tables, and
 * each drawn chart placed as a <figure> with its caption.
 *
 * The page has inline CSS and no script, so it opens anywhere without a
 * network; every chart is gnuplot's SVG inlined (charts.c), wide charts
 * filling the column and small ones two to a row, and on a phone a chart
 * keeps a readable size and scrolls sideways.  Every text that is not
 * markup is escaped for HTML.  The order of a run's page and an
 * experiment's page is written out here, section by section.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <hailsham/status.h>

/* Chart sizes: wide charts fill the column, small ones sit two to a row. */
enum { WIDE_W = 760, WIDE_H = 430, SMALL_W = 520, SMALL_H = 360 };

static const char *const css =
    "body{margin:0;background:#fafaf7;color:#1d1d1b;font:16px/1.55 Georgia,'DejaVu Serif',serif}"
    "main{max-width:60rem;margin:0 auto;padding:1rem 1.1rem 3rem}"
    "h1{font-size:1.7rem;line-height:1.25;margin:1.2rem 0 .3rem}"
    "h2{font-size:1.25rem;margin:2.2rem 0 .6rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}"
    ".meta{color:#555;font-size:.9rem;margin:0 0 1rem}"
    ".lede{font-size:1.05rem}"
    ".tablewrap{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font:.92rem/1.4 system-ui,'DejaVu Sans',sans-serif}"
    "th,td{padding:.35rem .5rem;border-bottom:1px solid #e2e2dc;text-align:right;vertical-align:top}"
    "th:first-child,td:first-child{text-align:left}"
    "thead th{border-bottom:2px solid #999;font-weight:600}"
    "table.points td:first-child{min-width:11rem}table.points td{white-space:nowrap}"
    "details.data{font-size:.9rem;margin-top:.4rem}details.data table{font-size:.85rem}"
    "details.data .tablewrap{max-height:24rem;overflow:auto}"
    "table.points td:first-child{white-space:normal}"
    "dl{font-size:.95rem}dt{font-weight:bold;margin-top:.5rem}dd{margin:0 0 0 1.2rem}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));"
    "gap:0 1.5rem}"
    "figure{margin:1.6rem 0;grid-column:1/-1}figure.small{grid-column:auto}"
    "figure svg{display:block;box-sizing:border-box;width:100%;height:auto;background:#fff;"
    "border:1px solid #e2e2dc}"
    "figure svg [font-family]{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif}"
    "figcaption{font-size:.95rem;color:#333;margin-top:.45rem}"
    ".nochart{font-style:italic;color:#555}"
    "footer{margin-top:3rem;font-size:.85rem;color:#666}"
    ".plot{overflow-x:auto}"
    "@media (max-width:40rem){body{font-size:15px}th,td{padding:.3rem .3rem}"
    ".plot svg{min-width:600px}.small .plot svg{min-width:460px}}";

/* ---- the skeleton --------------------------------------------------------------------------- */

static void page_start(struct report *r, const char *title, const char *meta)
{
    hs_buf_put(&r->page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                         "<title>");
    hs_buf_html(&r->page, title);
    hs_buf_put(&r->page, "</title>\n<style>");
    hs_buf_put(&r->page, css);
    hs_buf_put(&r->page, "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>");
    hs_buf_html(&r->page, title);
    hs_buf_put(&r->page, "</h1>\n<p class=\"meta\">");
    hs_buf_html(&r->page, meta);
    hs_buf_put(&r->page, "</p>\n</header>\n");
}

static int page_end(struct report *r)
{
    hs_buf_put(&r->page, "<footer><p>Written by hailsham report from ");
    hs_buf_html(&r->page, r->dir);
    hs_buf_put(&r->page, ". Charts drawn by gnuplot. The people in these figures are "
                         "simulated; the world they come from is Kazuo Ishiguro's "
                         "<i>Never Let Me Go</i>.</p></footer>\n</main>\n</body>\n</html>\n");
    return r->page.failed ? rp_fail_oom(r) : HS_REPORT_OK;
}

void rp_paragraph(struct report *r, const char *cls, const char *text)
{
    if (cls)
        hs_buf_printf(&r->page, "<p class=\"%s\">", cls);
    else
        hs_buf_put(&r->page, "<p>");
    hs_buf_html(&r->page, text);
    hs_buf_put(&r->page, "</p>\n");
}

/* ---- charts on the page ----------------------------------------------------------------------- */

/* ---- a chart's figures --------------------------------------------------------------------- */

/* Text for a data: address: letters, digits and . _ - as they are, the
 * rest as %XX. */
static void put_uri(struct hs_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-')
            hs_buf_putn(b, s + i, 1);
        else
            hs_buf_printf(b, "%%%02X", c);
    }
}

/* One data block of a chart's script (the lines between "$name << EOD"
 * and "EOD"; a first line "# a b c" names the columns) as a table, and as
 * CSV behind a download link.  The blocks hold numbers only (charts.c),
 * and the names come from the report's own queries. */
static void data_table(struct report *r, const char *id, int k, const char *s, size_t n)
{
    struct hs_buf csv;
    hs_buf_init(&csv);
    hs_buf_put(&r->page, "<div class=\"tablewrap\"><table class=\"data\">\n");
    size_t i = 0;
    int head = n > 2 && s[0] == '#' && s[1] == ' ';
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        int is_head = head && i == 0;
        const char *line = s + i + (is_head ? 2 : 0);
        size_t len = e - i - (is_head ? 2 : 0);
        hs_buf_put(&r->page, is_head ? "<thead><tr>" : "<tr>");
        for (size_t a = 0, col = 0; a < len; col++) {
            size_t b = a;
            while (b < len && line[b] != ' ')
                b++;
            char cell[64];
            size_t cl = b - a < sizeof cell - 1 ? b - a : sizeof cell - 1;
            memcpy(cell, line + a, cl);
            cell[cl] = '\0';
            int missing = !strcmp(cell, "?") || !strcmp(cell, "NaN") || !strcmp(cell, "nan");
            char word[64];   /* the column's name in the report's register, for CSV */
            snprintf(word, sizeof word, "%s", is_head ? rp_column_word(r, cell) : "");
            if (is_head) {
                snprintf(cell, sizeof cell, "%s", word);
                for (char *c = cell; *c; c++)
                    if (*c == '_')
                        *c = ' ';
            }
            hs_buf_put(&r->page, is_head ? "<th scope=\"col\">" : col ? "<td>"
                                                                        : "<th scope=\"row\">");
            hs_buf_html(&r->page, missing ? "\xe2\x80\x94" : cell);
            hs_buf_put(&r->page, is_head || !col ? "</th>" : "</td>");
            hs_buf_put(&csv, col ? "," : "");
            if (is_head)
                hs_buf_put(&csv, word);
            else if (!missing)
                hs_buf_putn(&csv, line + a, b - a);
            a = b + 1;
        }
        hs_buf_put(&r->page, is_head ? "</tr></thead>\n" : "</tr>\n");
        hs_buf_put(&csv, "\n");
        i = e + 1;
    }
    hs_buf_printf(&r->page, "</table></div>\n<p><a download=\"%s%s%.0d.csv\" "
                            "href=\"data:text/csv;charset=utf-8,", id, k ? "-" : "", k);
    put_uri(&r->page, csv.s ? csv.s : "", csv.len);
    hs_buf_put(&r->page, "\">Download these figures (CSV)</a></p>\n");
    if (csv.failed)
        r->page.failed = 1;
    hs_buf_free(&csv);
}

/* Every data block of a chart's script, behind a "The figures" switch. */
static void data_tables(struct report *r, const char *id, const char *body)
{
    const char *p = body;
    int k = 0;
    while ((p = strstr(p, " << EOD\n")) != NULL) {
        const char *start = p + 8, *end = strstr(start - 1, "\nEOD\n");
        if (end == NULL)
            break;
        if (k == 0)
            hs_buf_put(&r->page, "<details class=\"data\"><summary>The figures behind the "
                                 "chart</summary>\n");
        data_table(r, id, k++, start, (size_t)(end - start));
        p = end + 5;
    }
    if (k > 0)
        hs_buf_put(&r->page, "</details>\n");
}

int rp_figure(struct report *r, const char *id, const char *title, const char *body,
              const char *caption, int small)
{
    struct hs_buf gp, svg;
    hs_buf_init(&gp);
    hs_buf_init(&svg);
    hs_gp_prelude(&gp, title);
    hs_buf_put(&gp, body);
    int rc = gp.failed ? HS_ENOMEM : HS_OK;
    char err[600] = "";
    if (rc == HS_OK)
        rc = hs_chart_svg(gp.s, small ? SMALL_W : WIDE_W, small ? SMALL_H : WIDE_H,
                          ++r->chart_index, title, &svg, err, sizeof err);
    hs_buf_free(&gp);
    if (rc != HS_OK) {
        hs_buf_free(&svg);
        if (rc == HS_ENOMEM)
            return rp_fail_oom(r);
        char what[700];
        snprintf(what, sizeof what, "chart '%s'", title);
        return rp_fail(r, HS_REPORT_ETOOL, rc == HS_ENOTFOUND ? err : what,
                       rc == HS_ENOTFOUND ? NULL : err);
    }
    /* on a phone the chart keeps a readable size and scrolls sideways */
    hs_buf_printf(&r->page, "<figure class=\"chart%s\" id=\"%s\" data-chart=\"%s\">\n"
                            "<div class=\"plot\">",
                  small ? " small" : "", id, id);
    hs_buf_put(&r->page, svg.s);
    hs_buf_put(&r->page, "</div>\n<figcaption>");
    hs_buf_html(&r->page, caption);
    hs_buf_put(&r->page, "</figcaption>\n");
    data_tables(r, id, body);
    hs_buf_put(&r->page, "</figure>\n");
    hs_buf_free(&svg);
    return HS_REPORT_OK;
}

int rp_draw(struct report *r, struct hs_buf *gp, const char *id, const char *title,
            const char *caption, int small)
{
    int rc = gp->failed ? rp_fail_oom(r) : rp_figure(r, id, title, gp->s, caption, small);
    hs_buf_free(gp);
    return rc;
}

void rp_no_chart(struct report *r, const char *id, const char *why)
{
    hs_buf_printf(&r->page, "<p class=\"nochart\" data-missing=\"%s\">", id);
    hs_buf_html(&r->page, why);
    hs_buf_put(&r->page, "</p>\n");
}

/* ---- tables ------------------------------------------------------------------------------------ */

static void glossary(struct report *r)
{
    if (r->plain) {
        rp_paragraph(r, NULL, rp_plain_note);
        return;
    }
    hs_buf_put(&r->page, "<h2>What the words mean</h2>\n<dl>\n");
    for (size_t i = 0; i < rp_nglossary; i++) {
        hs_buf_put(&r->page, "<dt>");
        hs_buf_html(&r->page, rp_glossary[i].term);
        hs_buf_put(&r->page, "</dt><dd>");
        hs_buf_html(&r->page, rp_glossary[i].meaning);
        hs_buf_put(&r->page, "</dd>\n");
    }
    hs_buf_put(&r->page, "</dl>\n<p>Run the report with <code>--plain</code> to have these "
                         "words replaced by what they hide.</p>\n");
}

static void table_cell(struct report *r, double v, int digits)
{
    char b[48];
    rp_fmt_num(b, sizeof b, v, digits);
    hs_buf_printf(&r->page, "<td>%s</td>", b);
}

/* Whether the run had a programme: a world without one (the real world)
 * has no comparison world without it and created no donors. */
static int has_programme(const struct report *r)
{
    return json_is_object(json_object_get(r->summary, "baseline")) ||
           rp_jnum(json_object_get(r->summary, "headline"), "donors_created") > 0;
}

/* Whether the headline table shows figure x.  Without a programme only the
 * public's figures: no donors, carers or Gallery, no second life
 * expectancy "donors counted", and no rows of the cures when nothing in
 * the run was curable. */
static int headline_shown(const struct report *r, const struct hs_figure *x)
{
    if (has_programme(r))
        return 1;
    if (!(x->flags & HS_FIG_PUBLIC) || strcmp(x->name, "life_expectancy_all_end") == 0)
        return 0;
    const json_t *c = json_object_get(r->summary, "ceiling");
    int cures = rp_jnum(json_object_get(r->summary, "headline"), "curable_deaths_total") > 0 ||
                rp_jnum(c, "curable_deaths_total") > 0;
    return cures || (strcmp(x->name, "curable_deaths_total") != 0 &&
                     strcmp(x->name, "cured_total") != 0 &&
                     strcmp(x->name, "deaths_uncured_total") != 0);
}

/* summary.json's headline figures, beside the comparison worlds' (at
 * perfect supply, without the programme) when it has them. */
static void headline_table(struct report *r)
{
    const json_t *h = json_object_get(r->summary, "headline");
    const json_t *c = json_object_get(r->summary, "ceiling");
    const json_t *b = json_object_get(r->summary, "baseline");
    int ceil = json_is_object(c), base = json_is_object(b);
    hs_buf_printf(&r->page, "<h2>Headline figures</h2>\n<div class=\"tablewrap\"><table>\n"
                            "<thead><tr><th></th><th>%s</th>",
                  has_programme(r) ? "with the programme" : "this world");
    if (ceil)
        hs_buf_put(&r->page, "<th>at perfect supply</th>");
    if (base)
        hs_buf_put(&r->page, "<th>without the programme or its cures</th>");
    hs_buf_put(&r->page, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < hs_cat_headlines(); i++) {
        const struct hs_figure *x = hs_cat_headline(i);
        if (!headline_shown(r, x))
            continue;
        char label[200];
        rp_headline_label(r, x, label, sizeof label);
        hs_buf_put(&r->page, "<tr><td>");
        hs_buf_html(&r->page, label);
        hs_buf_put(&r->page, "</td>");
        table_cell(r, rp_jnum(h, x->name) * x->factor, x->digits);
        const json_t *other[2] = {ceil ? c : NULL, base ? b : NULL};
        for (int k = 0; k < 2; k++) {
            if (other[k] == NULL)
                continue;
            if (x->flags & HS_FIG_PUBLIC)
                table_cell(r, rp_jnum(other[k], x->name) * x->factor, x->digits);
            else
                hs_buf_put(&r->page, "<td></td>");
        }
        hs_buf_put(&r->page, "</tr>\n");
    }
    hs_buf_put(&r->page, "</tbody>\n</table></div>\n");
    char s[600];
    if (rp_headline_lede(r, h, s, sizeof s))
        rp_paragraph(r, "lede", s);
}

/* A count whose mean is under this many a run rests on a handful of events. */
#define FEW_EVENTS 10.0

/* Returns 1 when the cell is a count of a handful of events (marked *). */
static int ci_cell(struct report *r, const json_t *f, double factor, int digits, int count)
{
    char m[48], lo[48], hi[48];
    double mean = rp_jnum(f, "mean");
    int few = count && isfinite(mean) && mean < FEW_EVENTS;
    rp_fmt_num(m, sizeof m, mean * factor, digits);
    rp_fmt_num(lo, sizeof lo, rp_jnum(f, "ci95_low") * factor, digits);
    rp_fmt_num(hi, sizeof hi, rp_jnum(f, "ci95_high") * factor, digits);
    hs_buf_printf(&r->page, "<td>%s%s<br><small>%s \xe2\x80\x93 %s</small></td>", m,
                  few ? " *" : "", lo, hi);
    return few;
}

/* Every figure of experiment.json at every point, with its interval. */
static void exp_table(struct report *r, const struct exp_info *x)
{
    hs_buf_put(&r->page, "<h2>Headline figures</h2>\n<p>The mean over the replications at "
                         "each point, with its 95% confidence interval below it.");
    const json_t *vals = json_object_get(json_array_get(x->points, 0), "values");
    if (!x->key && json_object_size(vals) > 1) {   /* the keys the short labels name */
        hs_buf_put(&r->page, " The sweep varies ");
        const char *k;
        const json_t *v;
        size_t i = 0, nk = json_object_size(vals);
        json_object_foreach((json_t *)vals, k, v) {
            hs_buf_put(&r->page, i == 0 ? "<code>" : i + 1 == nk ? "</code> and <code>"
                                                                 : "</code>, <code>");
            hs_buf_html(&r->page, k);
            i++;
        }
        hs_buf_put(&r->page, "</code>; each point is named by the last part of each key.");
    }
    hs_buf_put(&r->page, "</p>\n<div class=\"tablewrap\"><table class=\"points\">\n<thead>"
                         "<tr><th></th>");
    for (size_t i = 0; i < x->npoints; i++) {
        char l[256];
        rp_point_label(x, i, l, sizeof l);
        hs_buf_put(&r->page, "<th>");
        hs_buf_html(&r->page, l);
        hs_buf_put(&r->page, "</th>");
    }
    hs_buf_put(&r->page, "</tr></thead>\n<tbody>\n");
    const json_t *figs0 = json_object_get(json_array_get(x->points, 0), "figures");
    const char *name;
    const json_t *f0;
    int any_few = 0;
    size_t nfigures = 0;
    json_object_foreach((json_t *)figs0, name, f0) {
        char label[256];
        rp_figure_label(r, name, label, sizeof label);
        hs_buf_put(&r->page, "<tr><td>");
        hs_buf_html(&r->page, label);
        hs_buf_put(&r->page, "</td>");
        int count = hs_cat_is_count(hs_cat_headline_find(name));
        for (size_t i = 0; i < x->npoints; i++)
            any_few |= ci_cell(r, rp_exp_figure(x, i, name), rp_figure_factor(name),
                               rp_figure_digits(name), count);
        hs_buf_put(&r->page, "</tr>\n");
        nfigures++;
    }
    hs_buf_put(&r->page, "</tbody>\n</table></div>\n");
    if (any_few)
        hs_buf_printf(&r->page, "<p>* Fewer than %.0f events a run on average: too few for "
                                "the interval, or a difference between points, to mean "
                                "much.</p>\n", FEW_EVENTS);
    if (x->npoints > 1) {
        size_t m = nfigures * (x->npoints - 1);
        hs_buf_printf(&r->page, "<p>%zu comparison%s with the first point (%zu figure%s at "
                                "%zu other point%s): if nothing changed, about %.0f of the "
                                "differences' 95%% intervals would still leave out 0, by chance "
                                "alone.</p>\n", m, m == 1 ? "" : "s", nfigures,
                      nfigures == 1 ? "" : "s", x->npoints - 1, x->npoints == 2 ? "" : "s",
                      ceil((double)m / 20.0));
    }
}

/* ---- the two pages ------------------------------------------------------------------------------ */

int rp_run_page(struct report *r)
{
    const char *scen = json_string_value(json_object_get(r->summary, "scenario"));
    const char *version = json_string_value(json_object_get(r->summary, "version"));
    /* what the command line changed, named beside the scenario's name */
    const json_t *ov = json_object_get(r->summary, "overrides");
    char with[600] = "";
    for (size_t i = 0, k = 0; i < json_array_size(ov) && k + 1 < sizeof with; i++) {
        const char *v = json_string_value(json_array_get(ov, i));
        int w = v ? snprintf(with + k, sizeof with - k, "%s%s", k ? ", " : ", with ", v) : 0;
        k = w > 0 ? k + (size_t)w : k;
    }
    char title[1000], meta[400], sc[32];
    int programme = has_programme(r);
    r->no_programme = !programme;   /* the captions say so */
    if (!programme)
        snprintf(title, sizeof title, "A world without the programme: %s%s",
                 scen ? scen : "a run", with);
    else if (r->plain)
        snprintf(title, sizeof title, "The organ programme, in plain words: %s%s",
                 scen ? scen : "a run", with);
    else
        snprintf(title, sizeof title, "The donation programme: %s%s", scen ? scen : "a run",
                 with);
    rp_fmt_num(sc, sizeof sc, isfinite(r->scale) && r->scale > 0 ? 1 / r->scale : NAN, 0);
    snprintf(meta, sizeof meta, "hailsham %s \xc2\xb7 seed %.0f \xc2\xb7 scale %g: one "
                                "person in the run stands for %s in England",
             version ? version : "?", rp_jnum(r->summary, "seed"), r->scale, sc);
    page_start(r, title, meta);
    rp_paragraph(r, "lede", rp_run_lede(r, rp_jnum(json_object_get(r->summary, "headline"),
                                                   "donors_created") > 0));
    headline_table(r);
    if (programme)   /* the words are the programme's */
        glossary(r);
    hs_buf_put(&r->page, "<h2>The public</h2>\n<div class=\"charts\">\n");
    if (rp_run_charts(r, SECTION_PUBLIC) != HS_REPORT_OK)
        return r->status;
    hs_buf_put(&r->page, "</div>\n");
    if (!programme)   /* no donors, no cohorts, no lives to chart */
        return page_end(r);
    hs_buf_printf(&r->page, "<h2>%s</h2>\n<div class=\"charts\">\n",
                  rp_word(r, "The donors", "The people raised for their organs"));
    if (rp_run_charts(r, SECTION_DONORS) != HS_REPORT_OK)
        return r->status;
    hs_buf_put(&r->page, "</div>\n");
    return page_end(r);
}

int rp_experiment_page(struct report *r, const struct exp_info *x)
{
    const char *scen = json_string_value(json_object_get(r->exp, "scenario"));
    char title[300], meta[400];
    if (r->plain)
        snprintf(title, sizeof title, "An experiment on the organ programme, in plain words: %s",
                 scen ? scen : "a scenario");
    else
        snprintf(title, sizeof title, "An experiment on the donation programme: %s",
                 scen ? scen : "a scenario");
    snprintf(meta, sizeof meta, "%zu point%s, %.0f replications each%s%s", x->npoints,
             x->npoints == 1 ? "" : "s", x->reps, x->key ? "; the sweep varies " : "",
             x->key ? x->key : "");
    page_start(r, title, meta);
    rp_paragraph(r, "lede", rp_exp_lede(r));
    exp_table(r, x);
    hs_buf_put(&r->page, "<h2>Year by year</h2>\n<div class=\"charts\">\n");
    if (rp_exp_yearly_charts(r, x) != HS_REPORT_OK)
        return r->status;
    hs_buf_put(&r->page, "</div>\n<h2>The sweep's effect on each headline figure</h2>\n"
                         "<div class=\"charts\">\n");
    if (rp_exp_figure_charts(r, x) != HS_REPORT_OK)
        return r->status;
    hs_buf_put(&r->page, "</div>\n");
    return page_end(r);
}

/* could-it-work: the answer, the worlds' table and the two charts. */
int rp_could_page(struct report *r)
{
    const json_t *c = r->could;
    const char *scen = json_string_value(json_object_get(c, "scenario"));
    char title[400], meta[600], answer[1200];
    snprintf(title, sizeof title, "Could it work? %s: a life expectancy of %g by %.0f",
             scen ? scen : "a scenario", rp_jnum(c, "target"), rp_jnum(c, "by"));
    size_t k = (size_t)snprintf(meta, sizeof meta, "seed %.0f, %.0f replications at each size, "
                                "scale %g", rp_jnum(c, "seed"), rp_jnum(c, "replications"),
                                rp_jnum(c, "scale"));
    const json_t *over = json_object_get(c, "overrides");
    for (size_t i = 0; i < json_array_size(over) && k < sizeof meta; i++) {
        const char *o = json_string_value(json_array_get(over, i));
        k += (size_t)snprintf(meta + k, sizeof meta - k, "%s%s", i ? ", " : "; changed: ",
                              o ? o : "");
    }
    page_start(r, title, meta);
    rp_could_answer(r, answer, sizeof answer);
    rp_paragraph(r, "lede", answer);
    hs_buf_printf(&r->page, "<div class=\"table\"><table>\n<thead><tr><th>%s</th>"
                            "<th>%s per 1,000 births</th><th>life expectancy in %.0f</th>"
                            "<th>95%% interval</th></tr></thead>\n<tbody>\n",
                  rp_word(r, "programme", "organ programme"),
                  rp_word(r, "donors created", "people created for their organs"),
                  rp_jnum(c, "by"));
    const json_t *worlds = json_object_get(c, "worlds");
    for (size_t i = 0; i < json_array_size(worlds); i++) {
        const json_t *w = json_array_get(worlds, i);
        double margin = rp_jnum(w, "margin");
        char name[96], lo[32], hi[32];
        if (isfinite(margin))
            snprintf(name, sizeof name, "planner's margin %g", margin);
        else
            snprintf(name, sizeof name, "%s", i == 0 ? rp_word(r, "without the programme",
                                                                "without the organs")
                                                     : "perfect supply (the ceiling)");
        hs_buf_put(&r->page, "<tr><th>");
        hs_buf_html(&r->page, name);
        hs_buf_put(&r->page, "</th>");
        table_cell(r, rp_jnum(w, "donors_per_1000_births"), 1);
        table_cell(r, rp_jnum(w, "life_expectancy"), 2);
        rp_fmt_num(lo, sizeof lo, rp_jnum(w, "ci95_low"), 2);
        rp_fmt_num(hi, sizeof hi, rp_jnum(w, "ci95_high"), 2);
        hs_buf_printf(&r->page, "<td>%s to %s</td></tr>\n", lo, hi);
    }
    hs_buf_put(&r->page, "</tbody></table></div>\n<div class=\"charts\">\n");
    if (rp_could_charts(r) != HS_REPORT_OK)
        return r->status;
    hs_buf_put(&r->page, "</div>\n");
    return page_end(r);
}
