/* SPDX-License-Identifier: MIT
 *
 * where.c - the places that messages name: FILE:LINE:COL in a file, the
 * assignment in a --set.  Apart from reader.c because it needs libyaml's
 * types only, not its parser: the web page's build, which has no libyaml,
 * names places with the same code.
 */
#include "reader.h"

#include <stdio.h>
#include <string.h>

void hs_src_file(struct hs_src *s, const char *file)
{
    s->file = file;
    s->set[0] = '\0';
}

void hs_src_set(struct hs_src *s, const char *assignment)
{
    /* The assignment is user text: keep the message one line and short. */
    size_t k = (size_t)snprintf(s->set, sizeof s->set, "--set ");
    size_t room = sizeof s->set - 8;
    for (const char *c = assignment; *c && k < room; c++) {
        unsigned char u = (unsigned char)*c;
        if (u < 0x20 || u == 0x7f) {
            if (k + 4 >= room)
                break;
            k += (size_t)snprintf(s->set + k, sizeof s->set - k, "\\x%02x", u);
        } else {
            s->set[k++] = (char)u;
        }
    }
    if (k >= room)
        memcpy(s->set + k, "...", 4);
    else
        s->set[k] = '\0';
    s->file = NULL;
}

void hs_src_where(const struct hs_src *s, yaml_mark_t m, char *buf, size_t size)
{
    if (s->file)
        snprintf(buf, size, "%s:%zu:%zu", s->file, m.line + 1, m.column + 1);
    else
        snprintf(buf, size, "%s", s->set);
}

void hs_src_at_text(const struct hs_src *s, size_t line, size_t col, char *buf, size_t size)
{
    if (s->file)
        snprintf(buf, size, "%zu:%zu", line + 1, col + 1);
    else if (line == 0)
        snprintf(buf, size, "column %zu of the value", col + 1);
    else
        snprintf(buf, size, "line %zu column %zu of the value", line + 1, col + 1);
}

void hs_src_at(const struct hs_src *s, yaml_mark_t m, char *buf, size_t size)
{
    hs_src_at_text(s, m.line, m.column, buf, size);
}
