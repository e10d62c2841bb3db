/* SPDX-License-Identifier: MIT
 *
 * flow.c - the value of a --set assignment read into the document that
 * apply.c walks, for the web page's build, which has no libyaml.
 *
 * The page gives scalars (0.5, never, true, "Hailsham") and, for lists
 * and dated tables, one-line flow collections ({1950: 1, 1960: 0.5},
 * [kidney, liver], [{name: ..., share: 1}]).  This reader takes exactly
 * those: plain, single- and double-quoted scalars, flow mappings and flow
 * sequences, comments after a blank.  It builds libyaml's document
 * structure (yaml.h's types only; the three functions of libyaml that
 * apply.c and set.c call are defined here), with each node's position, so
 * that every value is checked by the same code as on the command line and
 * gets the same message.  What it refuses (block collections, anchors,
 * aliases, tags) is refused with a message of its own; a syntax error's
 * wording may differ from libyaml's, its place does not.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "reader.h"

/* ---- libyaml's document functions, for apply.c and set.c --------------- */

yaml_node_t *yaml_document_get_node(yaml_document_t *doc, int index)
{
    if (index > 0 && doc->nodes.start + index <= doc->nodes.top)
        return doc->nodes.start + index - 1;
    return NULL;
}

yaml_node_t *yaml_document_get_root_node(yaml_document_t *doc)
{
    return doc->nodes.top != doc->nodes.start ? doc->nodes.start : NULL;
}

void yaml_document_delete(yaml_document_t *doc)
{
    for (yaml_node_t *n = doc->nodes.start; n && n < doc->nodes.top; n++) {
        if (n->type == YAML_SCALAR_NODE)
            free(n->data.scalar.value);
        else if (n->type == YAML_SEQUENCE_NODE)
            free(n->data.sequence.items.start);
        else if (n->type == YAML_MAPPING_NODE)
            free(n->data.mapping.pairs.start);
    }
    free(doc->nodes.start);
    memset(doc, 0, sizeof *doc);
}

/* ---- the reader -------------------------------------------------------- */

struct rd {
    const struct hs_src *src;
    const char *s;
    size_t len, i;
    yaml_document_t *doc;
    struct hs_diag *d;
    int failed;          /* HS_OK, HS_EPARSE or HS_ENOMEM */
    int depth;
};

static yaml_mark_t mark_at(const struct rd *r, size_t off)
{
    yaml_mark_t m = {0, 0, 0};
    for (size_t i = 0; i < off && i < r->len; i++) {
        if (r->s[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)r->s[i] & 0xC0) != 0x80) {
            m.column++;   /* characters, as libyaml counts them */
        }
    }
    m.index = off;
    return m;
}

/* A syntax error at off, in the form of reader.c's for a --set value. */
static int fail(struct rd *r, size_t off, const char *fmt, ...) HS_PRINTF(3, 4);

static int fail(struct rd *r, size_t off, const char *fmt, ...)
{
    char where[HS_WHERE_MAX], at[64] = "the end of the value", problem[256];
    va_list ap;
    if (r->failed)
        return -1;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    yaml_mark_t m = mark_at(r, off);
    hs_src_where(r->src, m, where, sizeof where);
    if (off < r->len)
        hs_src_at(r->src, m, at, sizeof at);
    hs_diag_add(r->d, where, "%s, at %s", problem, at);
    r->failed = r->d->nomem ? HS_ENOMEM : HS_EPARSE;
    return -1;
}

static int nomem(struct rd *r)
{
    r->failed = HS_ENOMEM;
    return -1;
}

/* A new node; its id (from 1), or 0. */
static int new_node(struct rd *r, yaml_node_type_t type, size_t start)
{
    yaml_document_t *doc = r->doc;
    size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
    if (doc->nodes.top == doc->nodes.end) {
        size_t cap = n ? 2 * n : 16;
        yaml_node_t *v = realloc(doc->nodes.start, cap * sizeof *v);
        if (v == NULL)
            return nomem(r), 0;
        doc->nodes.start = v;
        doc->nodes.top = v + n;
        doc->nodes.end = v + cap;
    }
    yaml_node_t *node = doc->nodes.top++;
    memset(node, 0, sizeof *node);
    node->type = type;
    node->start_mark = node->end_mark = mark_at(r, start);
    return (int)n + 1;
}

static void skip_blanks(struct rd *r)
{
    for (;;) {
        while (r->i < r->len && (r->s[r->i] == ' ' || r->s[r->i] == '\t' ||
                                 r->s[r->i] == '\n' || r->s[r->i] == '\r'))
            r->i++;
        /* a comment starts at the beginning or after a blank */
        if (r->i < r->len && r->s[r->i] == '#' &&
            (r->i == 0 || strchr(" \t\n\r", r->s[r->i - 1]))) {
            while (r->i < r->len && r->s[r->i] != '\n')
                r->i++;
            continue;
        }
        return;
    }
}

/* Bytes into a new scalar node. */
static int scalar(struct rd *r, size_t start, const char *text, size_t n,
                  yaml_scalar_style_t style)
{
    char *v = malloc(n + 1);
    if (v == NULL)
        return nomem(r), 0;
    memcpy(v, text, n);
    v[n] = '\0';
    int id = new_node(r, YAML_SCALAR_NODE, start);
    if (id == 0) {
        free(v);
        return 0;
    }
    yaml_node_t *node = yaml_document_get_node(r->doc, id);
    node->data.scalar.value = (yaml_char_t *)v;
    node->data.scalar.length = n;
    node->data.scalar.style = style;
    node->end_mark = mark_at(r, r->i);
    return id;
}

static int plain(struct rd *r, int flow)
{
    size_t start = r->i, end = r->i;
    while (r->i < r->len) {
        char c = r->s[r->i];
        char next = r->i + 1 < r->len ? r->s[r->i + 1] : ' ';
        if (c == '\n' || c == '\r')
            break;
        if (c == ':' && (strchr(" \t", next) || (flow && strchr(",[]{}", next))))
            break;
        if (c == '#' && r->i > start && strchr(" \t", r->s[r->i - 1]))
            break;
        if (flow && strchr(",[]{}", c))
            break;
        r->i++;
        if (c != ' ' && c != '\t')
            end = r->i;
    }
    r->i = end;
    return scalar(r, start, r->s + start, end - start, YAML_PLAIN_SCALAR_STYLE);
}

static int hexval(struct rd *r, size_t at, int digits, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < digits; k++) {
        char c = at + (size_t)k < r->len ? r->s[at + (size_t)k] : '\0';
        int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (h < 0)
            return fail(r, at + (size_t)k, "did not find expected hexdecimal number "
                        "(while parsing a quoted scalar)");
        v = v * 16 + (uint32_t)h;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static int quoted(struct rd *r)
{
    size_t start = r->i;
    char q = r->s[r->i++];
    char *buf = malloc(r->len + 1);   /* escapes never lengthen the text */
    size_t n = 0;
    if (buf == NULL)
        return nomem(r), 0;
    for (;;) {
        if (r->i >= r->len) {
            free(buf);
            return fail(r, r->i, "found unexpected end of stream (while scanning a quoted "
                        "scalar)"), 0;
        }
        char c = r->s[r->i];
        if (c == q) {
            if (q == '\'' && r->i + 1 < r->len && r->s[r->i + 1] == '\'') {
                buf[n++] = '\'';
                r->i += 2;
                continue;
            }
            r->i++;
            break;
        }
        if (q == '"' && c == '\\') {
            char e = r->i + 1 < r->len ? r->s[r->i + 1] : '\0';
            static const char from[] = "0abtnvfre \"/\\", to[] = "\0\a\b\t\n\v\f\r\x1b \"/\\";
            const char *k = e ? strchr(from, e) : NULL;
            if (k) {
                buf[n++] = to[k - from];
                r->i += 2;
                continue;
            }
            int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
            uint32_t cp;
            if (digits == 0) {
                free(buf);
                return fail(r, r->i, "found unknown escape character (while parsing a "
                            "quoted scalar)"), 0;
            }
            if (hexval(r, r->i + 2, digits, &cp) != 0 || cp > 0x10FFFF ||
                (cp >= 0xD800 && cp <= 0xDFFF)) {
                free(buf);
                if (!r->failed)
                    fail(r, r->i, "found invalid Unicode character escape code (while "
                         "parsing a quoted scalar)");
                return 0;
            }
            n += put_utf8(buf + n, cp);
            r->i += 2 + (size_t)digits;
            continue;
        }
        buf[n++] = c;
        r->i++;
    }
    int id = scalar(r, start, buf, n, q == '"' ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                : YAML_SINGLE_QUOTED_SCALAR_STYLE);
    free(buf);
    return id;
}

static int node(struct rd *r, int flow);

/* Append an int (a sequence item) or a pair to a growing array. */
static int grow(struct rd *r, void **v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 8;
    void *nv = realloc(*v, c * size);
    if (nv == NULL)
        return nomem(r);
    *v = nv;
    *cap = c;
    return 0;
}

static int collection(struct rd *r)
{
    size_t start = r->i;
    int map = r->s[r->i] == '{';
    char close = map ? '}' : ']';
    const char *what = map ? "a flow mapping" : "a flow sequence";
    if (++r->depth > HS_DEPTH_MAX)
        return fail(r, start, "nesting deeper than %d levels", HS_DEPTH_MAX), 0;
    int id = new_node(r, map ? YAML_MAPPING_NODE : YAML_SEQUENCE_NODE, start);
    if (id == 0)
        return 0;
    yaml_node_item_t *items = NULL;
    yaml_node_pair_t *pairs = NULL;
    size_t n = 0, cap = 0;
    r->i++;
    for (;;) {
        skip_blanks(r);
        if (r->i < r->len && r->s[r->i] == close) {
            r->i++;
            break;
        }
        if (r->i >= r->len) {
            fail(r, r->i, "did not find expected ',' or '%c' (while parsing %s that "
                 "starts at column %zu)", close, what, mark_at(r, start).column + 1);
            break;
        }
        int k = node(r, 1);
        if (k == 0)
            break;
        int v = 0;
        skip_blanks(r);
        if (map) {
            if (r->i >= r->len || r->s[r->i] != ':') {
                fail(r, r->i, "did not find expected ':' (while parsing a flow mapping)");
                break;
            }
            r->i++;
            skip_blanks(r);
            if (r->i < r->len && (r->s[r->i] == ',' || r->s[r->i] == '}'))
                v = scalar(r, r->i, "", 0, YAML_PLAIN_SCALAR_STYLE);   /* {a: } */
            else
                v = node(r, 1);
            if (v == 0)
                break;
            skip_blanks(r);
        }
        void *arr = map ? (void *)pairs : (void *)items;
        if (grow(r, &arr, n, &cap, map ? sizeof *pairs : sizeof *items) != 0)
            break;
        if (map) {
            pairs = arr;
            pairs[n].key = k;
            pairs[n].value = v;
        } else {
            items = arr;
            items[n] = k;
        }
        n++;
        if (r->i < r->len && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->len && r->s[r->i] == close)
            continue;
        fail(r, r->i, "did not find expected ',' or '%c' (while parsing %s that starts at "
             "column %zu)", close, what, mark_at(r, start).column + 1);
        break;
    }
    r->depth--;
    /* the node array may have moved: find the node again */
    yaml_node_t *nd = yaml_document_get_node(r->doc, id);
    if (map) {
        nd->data.mapping.pairs.start = pairs;
        nd->data.mapping.pairs.top = nd->data.mapping.pairs.end = pairs + n;
        nd->data.mapping.style = YAML_FLOW_MAPPING_STYLE;
    } else {
        nd->data.sequence.items.start = items;
        nd->data.sequence.items.top = nd->data.sequence.items.end = items + n;
        nd->data.sequence.style = YAML_FLOW_SEQUENCE_STYLE;
    }
    nd->end_mark = mark_at(r, r->i);
    return r->failed ? 0 : id;
}

static int node(struct rd *r, int flow)
{
    char c = r->i < r->len ? r->s[r->i] : '\0';
    char next = r->i + 1 < r->len ? r->s[r->i + 1] : ' ';
    switch (c) {
    case '{':
    case '[':
        return collection(r);
    case '"':
    case '\'':
        return quoted(r);
    case '&':
        return fail(r, r->i, "anchors (&name) are not allowed in a scenario: write each "
                    "value out"), 0;
    case '*':
        return fail(r, r->i, "aliases (*name) are not allowed in a scenario: write each "
                    "value out"), 0;
    case '!':
        return fail(r, r->i, "tags (such as !!str) are not allowed in a scenario"), 0;
    case '|':
    case '>':
    case '%':
    case '@':
    case '`':
    case ']':
    case '}':
    case ',':
        return fail(r, r->i, "found character '%c' that cannot start any token", c), 0;
    case '-':
    case '?':
    case ':':
        if (strchr(" \t", next) || r->i + 1 >= r->len)
            return fail(r, r->i, "block collections are not read here: write a list as "
                        "[a, b] and a table as {1950: 1, 1960: 0.5}"), 0;
        return plain(r, flow);
    default:
        return plain(r, flow);
    }
}

int hs_yaml_read(const struct hs_src *src, const char *text, size_t len,
                 yaml_document_t *doc, struct hs_diag *d)
{
    struct rd r = {src, text, len, 0, doc, d, HS_OK, 0};
    memset(doc, 0, sizeof *doc);
    skip_blanks(&r);
    if (r.i < len) {
        int root = node(&r, 0);
        if (root != 0) {
            skip_blanks(&r);
            if (r.i < len) {
                if (text[r.i] == ':')
                    fail(&r, r.i, "block collections are not read here: write a mapping "
                         "as {key: value}");
                else
                    fail(&r, r.i, "did not find expected <document end>");
            }
        }
    }
    if (r.failed != HS_OK) {
        yaml_document_delete(doc);
        return r.failed;
    }
    return HS_OK;
}
