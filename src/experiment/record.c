/* SPDX-License-Identifier: MIT
 *
 * record.c - one replication's results as bytes: what the journal keeps
 * and what an MPI process sends to rank 0.
 *
 *     hailsham-replication 1
 *     point 0
 *     replication 3
 *     events 1234567
 *     figures 25
 *     public_alive_end 0x1.3a2p+18
 *     ...
 *     years 50 50
 *     0x1.e78p+10 0x1.3a2p+18 ...        (one line per year)
 *     end
 *
 * Text, so that a journal can be read by eye, with every double in the
 * exact hexadecimal notation of C (%a), so that a record read back is bit
 * for bit the one written, on any machine.  The final files are always
 * made from decoded records, so a result that went through the journal or
 * through MPI is indistinguishable from one that did not.  Figure names
 * are written out: a record from a program with other figures is refused,
 * not misread.
 */
#include "experiment.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../output/output.h"

#define MAGIC "hailsham-replication 1"
/* A run spans at most 500 years (world.c); more rows is a damaged record. */
#define MAX_YEARS 1000u

void hs_exp_rec_free(struct hs_exp_rec *r)
{
    if (!r)
        return;
    free(r->fig);
    free(r->years);
    memset(r, 0, sizeof *r);
}

int hs_exp_rec_make(uint32_t point, uint32_t rep, const struct hs_summary *s,
                    const double *years, size_t nyears, struct hs_exp_rec *out)
{
    size_t nfig = hs_exp_figure_count(), ncols = hs_output_year_columns();
    memset(out, 0, sizeof *out);
    out->point = point;
    out->rep = rep;
    out->events = s->events;
    out->fig = malloc(nfig * sizeof *out->fig);
    out->years = malloc((nyears ? nyears : 1) * ncols * sizeof *out->years);
    if (!out->fig || !out->years) {
        hs_exp_rec_free(out);
        return HS_ENOMEM;
    }
    for (size_t i = 0; i < nfig; i++)
        out->fig[i] = hs_exp_figure_value(s, i);
    if (nyears)
        memcpy(out->years, years, nyears * ncols * sizeof *years);
    out->nyears = nyears;
    out->ncols = ncols;
    return HS_OK;
}

/* ---- encoding ----------------------------------------------------------- */

int hs_exp_rec_encode(const struct hs_exp_rec *r, char **buf, size_t *len)
{
    char *b = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&b, &n);
    if (!f)
        return HS_ENOMEM;
    size_t nfig = hs_exp_figure_count();
    fprintf(f, MAGIC "\npoint %" PRIu32 "\nreplication %" PRIu32 "\nevents %" PRIu64
               "\nfigures %zu\n", r->point, r->rep, r->events, nfig);
    for (size_t i = 0; i < nfig; i++)
        fprintf(f, "%s %a\n", hs_exp_figure_name(i), r->fig[i]);
    fprintf(f, "years %zu %zu\n", r->nyears, r->ncols);
    for (size_t y = 0; y < r->nyears; y++)
        for (size_t c = 0; c < r->ncols; c++)
            fprintf(f, "%a%c", r->years[y * r->ncols + c], c + 1 < r->ncols ? ' ' : '\n');
    fputs("end\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || !b) {
        free(b);
        return HS_ENOMEM;
    }
    *buf = b;
    *len = n;
    return HS_OK;
}

/* ---- decoding ----------------------------------------------------------- */

/* A cursor over the text; any mismatch sets bad and later reads do
 * nothing, so the decoder reads straight through and checks once. */
struct cur {
    const char *s;
    int bad;
};

/* The literal w, then one separator (a space or a newline). */
static void lit(struct cur *c, const char *w)
{
    size_t n = strlen(w);
    if (c->bad || strncmp(c->s, w, n) != 0 || (c->s[n] != ' ' && c->s[n] != '\n')) {
        c->bad = 1;
        return;
    }
    c->s += n + 1;
}

/* A token ends at a space or a newline, which must be `sep`. */
static void after(struct cur *c, const char *end, char sep)
{
    if (c->bad || end == c->s || *end != sep) {
        c->bad = 1;
        return;
    }
    c->s = end + 1;
}

static uint64_t unum(struct cur *c, char sep)
{
    char *end = NULL;
    if (c->bad || !(*c->s >= '0' && *c->s <= '9')) {
        c->bad = 1;
        return 0;
    }
    errno = 0;
    unsigned long long v = strtoull(c->s, &end, 10);
    if (errno)
        c->bad = 1;
    after(c, end, sep);
    return c->bad ? 0 : (uint64_t)v;
}

static uint32_t u32(struct cur *c, char sep)
{
    uint64_t v = unum(c, sep);
    if (v > UINT32_MAX)
        c->bad = 1;
    return (uint32_t)v;
}

static double dnum(struct cur *c, char sep)
{
    char *end = NULL;
    if (c->bad || *c->s == ' ' || *c->s == '\n' || *c->s == '\0') {
        c->bad = 1;
        return 0;
    }
    double v = strtod(c->s, &end);   /* reads %a, nan and inf exactly */
    after(c, end, sep);
    return v;
}

static void figures_of(struct cur *c, struct hs_exp_rec *r)
{
    size_t nfig = hs_exp_figure_count();
    lit(c, "figures");
    if (unum(c, '\n') != nfig)
        c->bad = 1;
    for (size_t i = 0; i < nfig && !c->bad; i++) {
        lit(c, hs_exp_figure_name(i));
        r->fig[i] = dnum(c, '\n');
    }
}

static int years_of(struct cur *c, struct hs_exp_rec *r, int want)
{
    lit(c, "years");
    size_t ny = (size_t)unum(c, ' '), nc = (size_t)unum(c, '\n');
    if (c->bad || ny > MAX_YEARS || nc != hs_output_year_columns()) {
        c->bad = 1;
        return HS_EPARSE;
    }
    r->nyears = ny;
    r->ncols = nc;
    if (want) {
        r->years = malloc((ny ? ny : 1) * nc * sizeof *r->years);
        if (!r->years)
            return HS_ENOMEM;
    }
    for (size_t i = 0; i < ny * nc && !c->bad; i++) {
        double v = dnum(c, i % nc + 1 < nc ? ' ' : '\n');
        if (want)
            r->years[i] = v;
    }
    return HS_OK;
}

int hs_exp_rec_decode(const char *buf, size_t len, int want_years, struct hs_exp_rec *r)
{
    memset(r, 0, sizeof *r);
    /* a NUL-terminated copy: bytes from a file or a message need not be */
    char *text = malloc(len + 1);
    r->fig = malloc(hs_exp_figure_count() * sizeof *r->fig);
    if (!text || !r->fig) {
        free(text);
        hs_exp_rec_free(r);
        return HS_ENOMEM;
    }
    memcpy(text, buf, len);
    text[len] = '\0';
    struct cur c = {text, memchr(buf, '\0', len) != NULL};
    lit(&c, "hailsham-replication");
    lit(&c, "1");
    lit(&c, "point");
    r->point = u32(&c, '\n');
    lit(&c, "replication");
    r->rep = u32(&c, '\n');
    lit(&c, "events");
    r->events = unum(&c, '\n');
    figures_of(&c, r);
    int rc = c.bad ? HS_EPARSE : years_of(&c, r, want_years);
    if (rc == HS_OK && (c.bad || strcmp(c.s, "end\n") != 0))
        rc = HS_EPARSE;
    free(text);
    if (rc != HS_OK)
        hs_exp_rec_free(r);
    return rc;
}
