/* SPDX-License-Identifier: MIT
 *
 * diag.c - the error list and the origins of values.
 *
 * Reading a scenario goes on after an error so that one pass reports them
 * all; this file keeps those lines.  It also remembers, per key path, the
 * place that last set the value ("canon.yaml:12:9" or "--set k=v"), so that
 * a rule checked after all the reading (shares summing to 1, say) can
 * point at the line to fix.  When memory runs out the diag keeps what it
 * has and says so through nomem; callers turn that into HS_ENOMEM.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hs_diag_init(struct hs_diag *d)
{
    memset(d, 0, sizeof *d);
}

void hs_diag_clear_errors(struct hs_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->msg[i]);
    d->n = 0;
    d->dropped = 0;
}

void hs_diag_free(struct hs_diag *d)
{
    hs_diag_clear_errors(d);
    free(d->msg);
    for (size_t i = 0; i < d->norigin; i++) {
        free(d->origin[i].path);
        free(d->origin[i].where);
    }
    free(d->origin);
    free(d->source);
    memset(d, 0, sizeof *d);
}

size_t hs_diag_count(const struct hs_diag *d)
{
    return d->n;
}

const char *hs_diag_message(const struct hs_diag *d, size_t i)
{
    return i < d->n ? d->msg[i] : NULL;
}

void hs_diag_print(const struct hs_diag *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(f, "%s\n", d->msg[i]);
}

int hs_diag_full(const struct hs_diag *d)
{
    return d->n > HS_DIAG_MAX;
}

/* ---- user text in messages ----------------------------------------------
 *
 * A file name, key or value is the user's text, and may hold a newline
 * (which would split a message over two lines) or an escape sequence
 * (which a terminal would obey).  Every message is one line with its
 * control characters shown: \n, \r, \t, else \xNN. */

/* The code point of a two- or three-byte control character at s[i] (C1,
 * NEL among them; the line and paragraph separators), or 0. */
static unsigned wide_control(const unsigned char *s, size_t i, size_t n)
{
    if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
        return s[i + 1];
    if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 0x2000u + s[i + 2] - 0x80u;
    return 0;
}

/* Whether s[i] continues a wide control character that began before it. */
static int inside_control(const unsigned char *s, size_t i, size_t n)
{
    return (i >= 1 && wide_control(s, i - 1, n) != 0) ||
           (i >= 2 && wide_control(s, i - 2, n) >= 0x2000u);
}

/* The bytes s[i] takes when shown: 1 for text; \n \r \t; \xNN for the
 * other C0 controls and DEL; \uNNNN for a wide control, on its first byte
 * (its other bytes take none). */
static size_t shown_len_at(const char *str, size_t i, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[i];
    if (c == '\n' || c == '\r' || c == '\t')
        return 2;
    if (c < 0x20 || c == 0x7f)
        return 4;
    if (wide_control(s, i, n))
        return 6;
    return inside_control(s, i, n) ? 0 : 1;
}

/* Append s[0, n) shown to out (room enough, counted by the caller). */
static size_t put_shown(char *out, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t w = shown_len_at(s, i, n);
        if (w == 1)
            out[k++] = (char)c;
        else if (w == 2)
            k += (size_t)sprintf(out + k, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        else if (w == 4)
            k += (size_t)sprintf(out + k, "\\x%02x", c);
        else if (w == 6)
            k += (size_t)sprintf(out + k, "\\u%04x",
                                 wide_control((const unsigned char *)s, i, n));
    }
    out[k] = '\0';
    return k;
}

char *hs_diag_shown(const char *s, size_t max)
{
    size_t n = strlen(s), all = 0;
    for (size_t i = 0; i < n; i++)
        all += shown_len_at(s, i, n);
    size_t head = n, tail = n;   /* s[0, head) ... s[tail, n) */
    if (max >= 16 && all > max) {
        /* a third before the cut, the rest after: a path's end names it */
        size_t budget = (max - 3) / 3, used = 0;
        for (head = 0; head < n && used + shown_len_at(s, head, n) <= budget; head++)
            used += shown_len_at(s, head, n);
        while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
            head--;   /* not inside a UTF-8 character */
        budget = max - 3 - used;
        used = 0;
        for (tail = n; tail > head && used + shown_len_at(s, tail - 1, n) <= budget; tail--)
            used += shown_len_at(s, tail - 1, n);
        while (tail < n && ((unsigned char)s[tail] & 0xC0) == 0x80)
            tail++;
    }
    char *out = malloc(all + 4);
    if (out == NULL)
        return NULL;
    size_t k = put_shown(out, s, head);
    if (tail > head) {
        memcpy(out + k, "...", 4);
        k += 3;
    }
    put_shown(out + k, s + tail, n - tail);
    return out;
}

void hs_diag_say(FILE *f, const char *prefix, const char *msg)
{
    char *shown = hs_diag_shown(msg, 0);
    fprintf(f, "%s%s\n", prefix, shown ? shown : "out of memory");
    free(shown);
}

/* Append an owned line. */
static int push(struct hs_diag *d, char *line)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        char **m = realloc(d->msg, cap * sizeof *m);
        if (!m) {
            free(line);
            d->nomem = 1;
            return HS_ENOMEM;
        }
        d->msg = m;
        d->cap = cap;
    }
    d->msg[d->n++] = line;
    return HS_OK;
}

static char *vformat(const char *where, const char *fmt, va_list ap) HS_PRINTF(2, 0);

static char *vformat(const char *where, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int body = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (body < 0)
        return NULL;
    size_t head = strlen(where) + sizeof ": error: ";
    char *line = malloc(head + (size_t)body);
    if (!line)
        return NULL;
    int k = snprintf(line, head, "%s: error: ", where);
    vsnprintf(line + k, (size_t)body + 1, fmt, ap);
    return line;
}

int hs_diag_add(struct hs_diag *d, const char *where, const char *fmt, ...)
{
    if (d->n > HS_DIAG_MAX) {
        d->dropped++;
        return HS_OK;
    }
    char *line;
    if (d->n == HS_DIAG_MAX) {
        line = malloc(strlen(where) + 100);
        if (line)
            sprintf(line, "%s: error: too many errors (over %d); the rest are not shown",
                    where, HS_DIAG_MAX);
        d->dropped++;
    } else {
        va_list ap;
        va_start(ap, fmt);
        line = vformat(where, fmt, ap);
        va_end(ap);
    }
    char *shown = line ? hs_diag_shown(line, 0) : NULL;
    free(line);
    if (!shown) {
        d->nomem = 1;
        return HS_ENOMEM;
    }
    return push(d, shown);
}

int hs_diag_origin(struct hs_diag *d, const char *path, const char *where)
{
    if (d->norigin == d->corigin) {
        size_t cap = d->corigin ? 2 * d->corigin : 64;
        struct hs_origin *o = realloc(d->origin, cap * sizeof *o);
        if (!o)
            goto nomem;
        d->origin = o;
        d->corigin = cap;
    }
    char *p = strdup(path), *w = strdup(where);
    if (!p || !w) {
        free(p);
        free(w);
        goto nomem;
    }
    d->origin[d->norigin].path = p;
    d->origin[d->norigin].where = w;
    d->norigin++;
    return HS_OK;
nomem:
    d->nomem = 1;
    return HS_ENOMEM;
}

/* Is `longer` the path `shorter` or a key below it ("a.b" under "a")? */
static int under(const char *longer, const char *shorter)
{
    size_t n = strlen(shorter);
    return strncmp(longer, shorter, n) == 0 &&
           (longer[n] == '\0' || longer[n] == '.' || longer[n] == '[');
}

/* Index of the newest origin that passes test for one of paths, or -1. */
static long newest(const struct hs_diag *d, const char *const *paths, size_t n, int ancestors)
{
    for (size_t i = d->norigin; i-- > 0;)
        for (size_t k = 0; k < n; k++)
            if (ancestors ? under(paths[k], d->origin[i].path)
                          : under(d->origin[i].path, paths[k]))
                return (long)i;
    return -1;
}

const char *hs_diag_locate_any(const struct hs_diag *d, const char *const *paths, size_t n)
{
    /* The newest setting of a key itself or of something inside it is what
     * the user last wrote about it; failing that, the section that holds
     * it. */
    long i = newest(d, paths, n, 0);
    if (i < 0)
        i = newest(d, paths, n, 1);
    return i < 0 ? NULL : d->origin[i].where;
}

const char *hs_diag_locate(const struct hs_diag *d, const char *path)
{
    return hs_diag_locate_any(d, &path, 1);
}

int hs_diag_set_source(struct hs_diag *d, const char *name)
{
    char *s = hs_diag_shown(name, HS_SOURCE_MAX);
    if (!s) {
        d->nomem = 1;
        return HS_ENOMEM;
    }
    free(d->source);
    d->source = s;
    return HS_OK;
}

void hs_show(char *buf, size_t size, const char *s, size_t len)
{
    /* Cut long text at a UTF-8 character boundary. */
    size_t show = len;
    int cut = 0;
    if (show > 40) {
        show = 40;
        while (show > 0 && ((unsigned char)s[show] & 0xC0) == 0x80)
            show--;
        cut = 1;
    }
    size_t k = 0;
    buf[k++] = '\'';
    for (size_t i = 0; i < show && k + 8 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned wide = wide_control((const unsigned char *)s, i, len);
        if (c < 0x20 || c == 0x7f)
            k += (size_t)snprintf(buf + k, size - k, "\\x%02x", c);
        else if (wide)
            k += (size_t)snprintf(buf + k, size - k, "\\u%04x", wide);
        else if (!inside_control((const unsigned char *)s, i, len))
            buf[k++] = (char)c;
    }
    if (cut && k + 4 < size) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k++] = '\'';
    buf[k] = '\0';
}
