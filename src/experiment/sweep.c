/* SPDX-License-Identifier: MIT
 *
 * sweep.c - the sweep points of an experiment: the keys varied by the
 * scenario's `sweep:` section and by --vary, their full factorial, and
 * the parameters of each point.
 *
 * A value is applied exactly as `--set KEY=VALUE` would apply it, on a
 * copy of the scenario's parameters, so it is validated by the scenario
 * module's own code.  Every value is tried on its own before anything
 * runs, and then every point across keys, so that a typing slip is
 * reported at once with the option and value that caused it, not after
 * hours of replications.
 */
#include "experiment.h"

#include <stdlib.h>
#include <string.h>

/* ---- --vary KEY=V1,V2,... ---------------------------------------------- */

static char *trimmed(const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return strndup(s, len);
}

static void free_values(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The end of the value starting at s: the next comma outside brackets,
 * braces and quotes, or the end of the text. */
static const char *value_end(const char *s)
{
    int depth = 0;
    char quote = 0;
    for (; *s; s++) {
        if (quote) {
            if (*s == '\\' && quote == '"' && s[1])
                s++;
            else if (*s == quote)
                quote = 0;
        } else if (*s == '"' || *s == '\'') {
            quote = *s;
        } else if (*s == '[' || *s == '{') {
            depth++;
        } else if ((*s == ']' || *s == '}') && depth > 0) {
            depth--;
        } else if (*s == ',' && depth == 0) {
            break;
        }
    }
    return s;
}

/* Add one value text (taking it), refusing empty and repeated ones; what
 * names the axis in messages ("--vary KEY"). */
static int add_value(char ***values, size_t *n, char *v, const char *what, char *err,
                     size_t errlen)
{
    if (v[0] == '\0') {
        snprintf(err, errlen, "%s: an empty value (two commas, or a comma at an end)", what);
        free(v);
        return HS_EPARSE;
    }
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*values)[i], v) == 0) {
            snprintf(err, errlen, "%s: the value '%s' is given twice", what, v);
            free(v);
            return HS_EPARSE;
        }
    if (*n >= HS_EXP_MAX_VALUES) {
        snprintf(err, errlen, "%s: more than %u values", what, HS_EXP_MAX_VALUES);
        free(v);
        return HS_EPARSE;
    }
    char **grown = realloc(*values, (*n + 1) * sizeof *grown);
    if (!grown) {
        free(v);
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    grown[(*n)++] = v;
    *values = grown;
    return HS_OK;
}

int hs_exp_split_vary(const char *spec, char **key, char ***values, size_t *nvalues, char *err,
                      size_t errlen)
{
    *key = NULL;
    *values = NULL;
    *nvalues = 0;
    const char *eq = strchr(spec, '=');
    if (!eq) {
        snprintf(err, errlen, "--vary %s: expected KEY=V1,V2,..., as in "
                 "--vary programme.couples.grant=0,0.5 (no '=' found)", spec);
        return HS_EPARSE;
    }
    char *k = trimmed(spec, (size_t)(eq - spec));
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    if (k[0] == '\0') {
        snprintf(err, errlen, "--vary %s: the key path before '=' is missing", spec);
        free(k);
        return HS_EPARSE;
    }
    char **v = NULL, what[256];
    size_t n = 0;
    snprintf(what, sizeof what, "--vary %s", k);
    for (const char *s = eq + 1;;) {
        const char *e = value_end(s);
        char *one = trimmed(s, (size_t)(e - s));
        int rc = one ? add_value(&v, &n, one, what, err, errlen) : HS_ENOMEM;
        if (rc != HS_OK) {
            if (!one)
                snprintf(err, errlen, "out of memory");
            free_values(v, n);
            free(k);
            return rc;
        }
        if (*e == '\0')
            break;
        s = e + 1;
    }
    *key = k;
    *values = v;
    *nvalues = n;
    return HS_OK;
}

/* ---- the axes --------------------------------------------------------- */

void hs_exp_sweep_free(struct hs_exp_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->naxes; i++) {
        free(s->axis[i].path);
        free_values(s->axis[i].values, s->axis[i].nvalues);
    }
    free(s->axis);
    memset(s, 0, sizeof *s);
}

static int copy_file_axis(const struct hs_sweep_axis *in, const char *file_name,
                          struct hs_exp_axis *a, char *err, size_t errlen)
{
    char what[256];
    a->origin = file_name;
    a->path = strdup(in->path);
    if (!a->path)
        goto nomem;
    snprintf(what, sizeof what, "the sweep of %s, %s", file_name, a->path);
    for (size_t i = 0; i < in->nvalues; i++) {
        char *v = strdup(in->values[i]);
        if (!v)
            goto nomem;
        int rc = add_value(&a->values, &a->nvalues, v, what, err, errlen);
        if (rc != HS_OK)
            return rc;
    }
    return HS_OK;
nomem:
    snprintf(err, errlen, "out of memory");
    return HS_ENOMEM;
}

/* Add or replace the axis of one --vary.  vary_seen[i] marks axes set by
 * an earlier --vary. */
static int add_vary(struct hs_exp_sweep *s, unsigned char *vary_seen, const char *spec,
                    char *err, size_t errlen)
{
    char *key = NULL, **values = NULL;
    size_t n = 0;
    int rc = hs_exp_split_vary(spec, &key, &values, &n, err, errlen);
    if (rc != HS_OK)
        return rc;
    size_t i = 0;
    while (i < s->naxes && strcmp(s->axis[i].path, key) != 0)
        i++;
    if (i < s->naxes && vary_seen[i]) {
        snprintf(err, errlen, "--vary %s is given twice: put all its values in one --vary",
                 key);
        free(key);
        free_values(values, n);
        return HS_EINVAL;
    }
    if (i < s->naxes) {   /* the command line overrides the file, as --set does */
        free(s->axis[i].path);
        free_values(s->axis[i].values, s->axis[i].nvalues);
    } else {
        s->naxes++;
    }
    s->axis[i].path = key;
    s->axis[i].values = values;
    s->axis[i].nvalues = n;
    s->axis[i].origin = "--vary";
    vary_seen[i] = 1;
    return HS_OK;
}

static int count_points(struct hs_exp_sweep *s, char *err, size_t errlen)
{
    size_t n = 1;
    for (size_t i = 0; i < s->naxes; i++) {
        n *= s->axis[i].nvalues;
        if (n > HS_EXP_MAX_POINTS) {
            snprintf(err, errlen, "the sweep has more than %u points; vary fewer keys or "
                     "values", HS_EXP_MAX_POINTS);
            return HS_EPARSE;
        }
    }
    s->npoints = n;
    return HS_OK;
}

int hs_exp_sweep_build(const struct hs_sweep *file, const char *file_name,
                       const char *const *varies, size_t nvaries, struct hs_exp_sweep *out,
                       char *err, size_t errlen)
{
    struct hs_exp_sweep s = {NULL, 0, 1};
    size_t cap = (file ? file->naxes : 0) + nvaries;
    unsigned char *vary_seen = calloc(cap ? cap : 1, 1);
    s.axis = calloc(cap ? cap : 1, sizeof *s.axis);
    int rc = s.axis && vary_seen ? HS_OK : HS_ENOMEM;
    if (rc == HS_ENOMEM)
        snprintf(err, errlen, "out of memory");
    for (size_t i = 0; file && i < file->naxes && rc == HS_OK; i++)
        rc = copy_file_axis(&file->axis[i], file_name, &s.axis[s.naxes++], err, errlen);
    for (size_t i = 0; i < nvaries && rc == HS_OK; i++)
        rc = add_vary(&s, vary_seen, varies[i], err, errlen);
    if (rc == HS_OK)
        rc = count_points(&s, err, errlen);
    free(vary_seen);
    if (rc != HS_OK) {
        hs_exp_sweep_free(&s);
        return rc;
    }
    *out = s;
    return HS_OK;
}

/* ---- points ----------------------------------------------------------- */

void hs_exp_sweep_coords(const struct hs_exp_sweep *s, size_t p, size_t *idx)
{
    for (size_t i = s->naxes; i-- > 0;) {
        idx[i] = p % s->axis[i].nvalues;
        p /= s->axis[i].nvalues;
    }
}

void hs_exp_point_label(const struct hs_exp_sweep *s, size_t p, char *buf, size_t size)
{
    size_t k = 0;
    if (size == 0)
        return;
    snprintf(buf, size, "%s", s->naxes == 0 ? "base" : "");
    /* the value of each axis is a digit of p, the last axis the lowest */
    size_t *idx = s->naxes ? calloc(s->naxes, sizeof *idx) : NULL;
    if (!idx)
        return;
    hs_exp_sweep_coords(s, p, idx);
    for (size_t i = 0; i < s->naxes && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s=%s", i ? " " : "", s->axis[i].path,
                              s->axis[i].values[idx[i]]);
    free(idx);
}

/* "path=value", allocated. */
static char *assignment(const struct hs_exp_axis *a, size_t v)
{
    size_t n = strlen(a->path) + strlen(a->values[v]) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s=%s", a->path, a->values[v]);
    return s;
}

static int apply_value(struct hs_params *p, const struct hs_exp_axis *a, size_t v,
                       struct hs_diag *d)
{
    char *set = assignment(a, v);
    if (!set)
        return HS_ENOMEM;
    int rc = hs_scenario_set(p, set, d);
    free(set);
    return rc;
}

int hs_exp_point_params(const struct hs_exp_sweep *s, const struct hs_params *base, size_t p,
                        struct hs_params *out, struct hs_diag *d)
{
    size_t *idx = calloc(s->naxes ? s->naxes : 1, sizeof *idx);
    if (!idx)
        return HS_ENOMEM;
    hs_exp_sweep_coords(s, p, idx);
    *out = *base;
    int rc = HS_OK;
    for (size_t i = 0; i < s->naxes && rc == HS_OK; i++)
        rc = apply_value(out, &s->axis[i], idx[i], d);
    free(idx);
    return rc == HS_OK ? hs_scenario_check(out, d) : rc;
}

/* The message of a diag line without its "WHERE: error: " prefix, which
 * names a --set the user never typed. */
static const char *bare(const char *line)
{
    const char *e = strstr(line, ": error: ");
    return e ? e + 9 : line;
}

static void report_value(const struct hs_exp_axis *a, size_t v, const struct hs_diag *d,
                         FILE *err)
{
    for (size_t i = 0; err && i < hs_diag_count(d); i++) {
        if (strcmp(a->origin, "--vary") == 0)
            fprintf(err, "hailsham experiment: --vary %s=...: the value '%s' is not valid: %s\n",
                    a->path, a->values[v], bare(hs_diag_message(d, i)));
        else
            fprintf(err, "hailsham experiment: the sweep of %s, %s: the value '%s' is not "
                    "valid: %s\n", a->origin, a->path, a->values[v],
                    bare(hs_diag_message(d, i)));
    }
}

/* Each value on its own. */
static int check_values(const struct hs_exp_sweep *s, const struct hs_params *base, FILE *err)
{
    int bad = HS_OK;
    struct hs_params *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return HS_ENOMEM;
    for (size_t i = 0; i < s->naxes; i++) {
        for (size_t v = 0; v < s->axis[i].nvalues; v++) {
            struct hs_diag d;
            hs_diag_init(&d);
            *tmp = *base;
            int rc = apply_value(tmp, &s->axis[i], v, &d);
            if (rc == HS_EPARSE)
                report_value(&s->axis[i], v, &d, err);
            hs_diag_free(&d);
            if (rc == HS_ENOMEM) {
                free(tmp);
                return rc;
            }
            if (rc != HS_OK)
                bad = HS_EPARSE;
        }
    }
    free(tmp);
    return bad;
}

/* Every point across keys (shares summing to 1 and the like). */
static int check_points(const struct hs_exp_sweep *s, const struct hs_params *base, FILE *err)
{
    int bad = HS_OK;
    char label[512];
    struct hs_params *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return HS_ENOMEM;
    for (size_t p = 0; p < s->npoints; p++) {
        struct hs_diag d;
        hs_diag_init(&d);
        int rc = hs_exp_point_params(s, base, p, tmp, &d);
        if (rc == HS_EPARSE && err) {
            hs_exp_point_label(s, p, label, sizeof label);
            for (size_t i = 0; i < hs_diag_count(&d); i++)
                fprintf(err, "hailsham experiment: sweep point %zu (%s) is not a valid "
                        "scenario: %s\n", p, label, bare(hs_diag_message(&d, i)));
        }
        hs_diag_free(&d);
        if (rc == HS_ENOMEM) {
            free(tmp);
            return rc;
        }
        if (rc != HS_OK)
            bad = HS_EPARSE;
    }
    free(tmp);
    return bad;
}

int hs_exp_sweep_check(const struct hs_exp_sweep *s, const struct hs_params *base, FILE *err)
{
    int rc = check_values(s, base, err);
    return rc == HS_OK ? check_points(s, base, err) : rc;
}
