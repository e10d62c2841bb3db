/* SPDX-License-Identifier: MIT
 *
 * sweep.c - the `sweep:` section of a scenario file, as lists of value
 * texts for `hailsham experiment`.
 *
 * The section maps dotted key paths to lists of values:
 *
 *     sweep:
 *       programme.deferrals.grant: [0, 0.5, 1]
 *       programme.cohorts.sizes: [{1952: 800}, {1952: 1600}]
 *
 * apply_sweep.c checks it while the file is read (so `hailsham validate`
 * reports its errors at their lines); here each value is written back as one line
 * of flow YAML ("0.5", "{1952: 800}", "[kidney, liver]") so that the
 * experiment can apply it exactly like a --set or --vary value.  Only the
 * file's own structure is trusted here: the file was checked first.
 */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "reader.h"

/* A growing text. */
struct buf {
    char *s;
    size_t n, cap;
    int nomem;
};

static void put(struct buf *b, const char *s, size_t len)
{
    if (b->nomem)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->nomem = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A scalar as YAML: plain ones as written, others double-quoted with the
 * characters a double-quoted scalar cannot hold escaped. */
static void put_scalar(struct buf *b, const yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        put(b, s, len);
        return;
    }
    puts_(b, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            puts_(b, esc);
        } else {
            put(b, s + i, 1);
        }
    }
    puts_(b, "\"");
}

/* Any node as flow YAML on one line.  The reader refused nesting deeper
 * than HS_DEPTH_MAX, which bounds the recursion. */
static void put_flow(struct buf *b, yaml_document_t *doc, const yaml_node_t *n)
{
    if (!n) {
        puts_(b, "null");
        return;
    }
    if (n->type == YAML_SCALAR_NODE) {
        put_scalar(b, n);
    } else if (n->type == YAML_SEQUENCE_NODE) {
        puts_(b, "[");
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            if (it != n->data.sequence.items.start)
                puts_(b, ", ");
            put_flow(b, doc, yaml_document_get_node(doc, *it));
        }
        puts_(b, "]");
    } else if (n->type == YAML_MAPPING_NODE) {
        puts_(b, "{");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            if (p != n->data.mapping.pairs.start)
                puts_(b, ", ");
            put_flow(b, doc, yaml_document_get_node(doc, p->key));
            puts_(b, ": ");
            put_flow(b, doc, yaml_document_get_node(doc, p->value));
        }
        puts_(b, "}");
    }
}

void hs_sweep_free(struct hs_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->naxes; i++) {
        for (size_t j = 0; j < s->axis[i].nvalues; j++)
            free(s->axis[i].values[j]);
        free(s->axis[i].values);
        free(s->axis[i].path);
    }
    free(s->axis);
    memset(s, 0, sizeof *s);
}

/* One key of the section into axis a (zeroed). */
static int read_axis(yaml_document_t *doc, const yaml_node_t *k, const yaml_node_t *v,
                     struct hs_sweep_axis *a)
{
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    a->path = strndup((const char *)k->data.scalar.value, k->data.scalar.length);
    a->values = calloc(n ? n : 1, sizeof *a->values);
    if (!a->path || !a->values)
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        struct buf b = {NULL, 0, 0, 0};
        put_flow(&b, doc, yaml_document_get_node(doc, v->data.sequence.items.start[i]));
        if (b.nomem || !b.s) {
            free(b.s);
            return HS_ENOMEM;
        }
        a->values[a->nvalues++] = b.s;
    }
    return HS_OK;
}

int hs_sweep_extract(yaml_document_t *doc, struct hs_sweep *out)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return HS_OK;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || k->type != YAML_SCALAR_NODE || strcmp((const char *)k->data.scalar.value,
                                                         "sweep") != 0)
            continue;
        if (!v || v->type != YAML_MAPPING_NODE)
            return HS_OK;
        size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
        out->axis = calloc(n ? n : 1, sizeof *out->axis);
        if (!out->axis)
            return HS_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            yaml_node_pair_t *q = &v->data.mapping.pairs.start[i];
            yaml_node_t *key = yaml_document_get_node(doc, q->key);
            yaml_node_t *val = yaml_document_get_node(doc, q->value);
            if (!key || key->type != YAML_SCALAR_NODE || !val ||
                val->type != YAML_SEQUENCE_NODE)
                continue;   /* refused by the check */
            int rc = read_axis(doc, key, val, &out->axis[out->naxes++]);
            if (rc != HS_OK)
                return rc;
        }
        return HS_OK;
    }
    return HS_OK;
}

int hs_sweep_read(const char *name, const char *text, size_t len, struct hs_sweep *out,
                  struct hs_diag *d)
{
    struct hs_src src;
    yaml_document_t doc;
    struct hs_sweep s = {NULL, 0};
    struct hs_params *scratch = malloc(sizeof *scratch);
    if (!scratch)
        return HS_ENOMEM;
    hs_params_default(scratch);
    hs_src_file(&src, name);
    int rc = hs_diag_set_source(d, name);
    if (rc == HS_OK)
        rc = hs_yaml_read(&src, text, len, &doc, d);
    if (rc == HS_OK) {
        /* the whole file is checked again: the sweep is only trusted in a
         * valid scenario */
        rc = hs_apply_document(&src, &doc, scratch, d);
        if (rc == HS_OK)
            rc = hs_sweep_extract(&doc, &s);
        yaml_document_delete(&doc);
    }
    free(scratch);
    if (rc == HS_OK && d->nomem)
        rc = HS_ENOMEM;
    if (rc != HS_OK) {
        hs_sweep_free(&s);
        return rc;
    }
    *out = s;
    return HS_OK;
}
