/* SPDX-License-Identifier: MIT
 *
 * reader.c - reading scenario bytes into a YAML document, safely.
 *
 * libyaml's document API builds a tree whose nodes carry exact positions.
 * Before building it, one pass over libyaml's events refuses what a
 * scenario never needs and what could make a hostile file expensive:
 * anchors and aliases (an alias bomb is a small file that expands
 * enormously), explicit tags, more than one document, and nesting deeper
 * than HS_DEPTH_MAX (refused as soon as it is seen, before the nesting is
 * built).  That pass also finds the syntax error, if any, with libyaml's
 * own position.  Files are read whole, at most HS_FILE_MAX bytes, so
 * /dev/zero or a huge file cannot exhaust memory.
 */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

/* libyaml reports a bad byte by offset only: turn it into a position. */
static yaml_mark_t mark_of_offset(const char *text, size_t len, size_t off)
{
    yaml_mark_t m = {0, 0, 0};
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            m.column++;   /* count characters, as libyaml does */
        }
    }
    m.index = off;
    return m;
}

static int syntax_error(const struct hs_src *src, yaml_parser_t *p, const char *text,
                        size_t len, struct hs_diag *d)
{
    char where[HS_WHERE_MAX], ctx[96] = "";
    const char *problem = p->problem ? p->problem : "invalid YAML";
    yaml_mark_t m = p->problem_mark;

    if (p->error == YAML_MEMORY_ERROR)
        return HS_ENOMEM;
    if (p->error == YAML_READER_ERROR) {
        m = mark_of_offset(text, len, p->problem_offset);
        if (p->problem_value != -1)
            snprintf(ctx, sizeof ctx, " (byte 0x%02x)", (unsigned)p->problem_value & 0xffu);
    } else if (p->context && !strcmp(p->context, "while scanning a simple key") &&
               p->problem_mark.line == p->context_mark.line &&
               p->problem_mark.index > p->context_mark.index + 1024) {
        /* libyaml gives up on a key after 1024 characters with a message
         * about a missing ':'; the key's own length is the problem */
        m = p->context_mark;
        problem = "a key longer than 1024 characters (keys are short names such as "
                  "end_year)";
    } else if (p->context) {
        char at[64];
        hs_src_at_text(src, p->context_mark.line, p->context_mark.column, at, sizeof at);
        snprintf(ctx, sizeof ctx, " (%s at %s)", p->context, at);
    }
    hs_src_where(src, m, where, sizeof where);
    if (!src->file) {
        char at[64] = "the end of the value";
        if (m.index < len)   /* libyaml puts the end of input on a line of its own */
            hs_src_at_text(src, m.line, m.column, at, sizeof at);
        hs_diag_add(d, where, "%s%s, at %s", problem, ctx, at);
    } else {
        hs_diag_add(d, where, "%s%s", problem, ctx);
    }
    return d->nomem ? HS_ENOMEM : HS_EPARSE;
}

static void refuse(const struct hs_src *src, yaml_mark_t m, struct hs_diag *d, const char *what)
{
    char where[HS_WHERE_MAX];
    hs_src_where(src, m, where, sizeof where);
    hs_diag_add(d, where, "%s", what);
}

/* Anchors and tags of a node-starting event. */
static int refuse_node_props(const struct hs_src *src, const yaml_event_t *e, struct hs_diag *d)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;
    if (e->type == YAML_SCALAR_EVENT) {
        anchor = e->data.scalar.anchor;
        tag = e->data.scalar.tag;
    } else if (e->type == YAML_SEQUENCE_START_EVENT) {
        anchor = e->data.sequence_start.anchor;
        tag = e->data.sequence_start.tag;
    } else if (e->type == YAML_MAPPING_START_EVENT) {
        anchor = e->data.mapping_start.anchor;
        tag = e->data.mapping_start.tag;
    }
    int bad = 0;
    if (anchor) {
        refuse(src, e->start_mark, d, "anchors (&name) are not allowed in a scenario: "
                                      "write each value out");
        bad = 1;
    }
    if (tag) {
        refuse(src, e->start_mark, d, "tags (such as !!str) are not allowed in a scenario");
        bad = 1;
    }
    return bad;
}

/* What one event means for the scan: 0 go on, 1 an error that allows going
 * on, 2 an error that ends the scan. */
static int scan_event(const struct hs_src *src, const yaml_event_t *e, int *depth, int *docs,
                      struct hs_diag *d)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1) {
            refuse(src, e->start_mark, d, "a second YAML document starts here; a scenario "
                                          "is one document");
            return 2;
        }
        return 0;
    case YAML_ALIAS_EVENT:
        refuse(src, e->start_mark, d, "aliases (*name) are not allowed in a scenario: "
                                      "write each value out");
        return 1;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (++*depth > HS_DEPTH_MAX) {
            char msg[80];
            snprintf(msg, sizeof msg, "nesting deeper than %d levels", HS_DEPTH_MAX);
            refuse(src, e->start_mark, d, msg);
            return 2;
        }
        return refuse_node_props(src, e, d);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        --*depth;
        return 0;
    case YAML_SCALAR_EVENT:
        return refuse_node_props(src, e, d);
    default:
        return 0;
    }
}

/* The event pass: HS_OK if the text is one plain YAML document. */
static int prescan(const struct hs_src *src, const char *text, size_t len, struct hs_diag *d)
{
    yaml_parser_t p;
    yaml_event_t e;
    int depth = 0, docs = 0, bad = 0, rc = HS_OK;

    if (!yaml_parser_initialize(&p))
        return HS_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    for (;;) {
        if (!yaml_parser_parse(&p, &e)) {
            rc = syntax_error(src, &p, text, len, d);
            break;
        }
        int r = scan_event(src, &e, &depth, &docs, d);
        int end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        bad |= r;
        if (r == 2 || end || hs_diag_full(d))
            break;
    }
    yaml_parser_delete(&p);
    if (rc == HS_OK && bad)
        rc = HS_EPARSE;
    return d->nomem ? HS_ENOMEM : rc;
}

int hs_yaml_read(const struct hs_src *src, const char *text, size_t len,
                 yaml_document_t *doc, struct hs_diag *d)
{
    yaml_parser_t p;
    int rc = prescan(src, text, len, d);
    if (rc != HS_OK)
        return rc;
    if (!yaml_parser_initialize(&p))
        return HS_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, doc))
        rc = syntax_error(src, &p, text, len, d);   /* only memory, after the scan */
    yaml_parser_delete(&p);
    return rc;
}

static int io_error(const char *path, int err, struct hs_diag *d)
{
    hs_diag_add(d, path, "cannot open %s: %s", path, strerror(err));
    return d->nomem ? HS_ENOMEM : HS_EIO;
}

/* Read all of fd, up to HS_FILE_MAX + 1 bytes to detect "too big". */
static int read_all(int fd, char *buf, size_t *len)
{
    size_t n = 0;
    while (n <= HS_FILE_MAX) {
        ssize_t r = read(fd, buf + n, HS_FILE_MAX + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *len = n;
    return 0;
}

int hs_read_file(const char *path, char **text, size_t *len, struct hs_diag *d)
{
    struct stat st;
    /* O_NONBLOCK so that opening a FIFO with no writer does not hang; it is
     * cleared before reading. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return io_error(path, errno, d);
    int err = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (err) {
        close(fd);
        return io_error(path, err, d);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    char *buf = malloc(HS_FILE_MAX + 2);
    if (!buf) {
        close(fd);
        return HS_ENOMEM;
    }
    err = read_all(fd, buf, len);
    close(fd);
    if (err) {
        free(buf);
        return io_error(path, err, d);
    }
    if (*len > HS_FILE_MAX) {
        free(buf);
        hs_diag_add(d, path, "the file is too large for a scenario (over %u bytes)",
                    (unsigned)HS_FILE_MAX);
        return d->nomem ? HS_ENOMEM : HS_EPARSE;
    }
    buf[*len] = '\0';
    *text = buf;
    return HS_OK;
}
