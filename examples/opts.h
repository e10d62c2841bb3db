/* SPDX-License-Identifier: MIT
 *
 * opts.h - strict parsing of numeric command-line values for the examples.
 * A bad value prints one line naming the option and the value.
 */
#ifndef HS_EXAMPLES_OPTS_H
#define HS_EXAMPLES_OPTS_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A finite number > 0 into *out; 0 on success, -1 (message printed) if not. */
static inline int opt_positive(const char *prog, const char *opt, const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = s ? strtod(s, &end) : 0.0;
    if (s == NULL || *s == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v <= 0) {
        fprintf(stderr, "%s: %s needs a positive number, got '%s'\n", prog, opt, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

/* A whole number >= 0 into *out; 0 on success, -1 (message printed) if not. */
static inline int opt_count(const char *prog, const char *opt, const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = (s && *s >= '0' && *s <= '9') ? strtoull(s, &end, 10) : 0;
    if (s == NULL || !(*s >= '0' && *s <= '9') || *end != '\0' || errno != 0) {
        fprintf(stderr, "%s: %s needs a whole number, got '%s'\n", prog, opt, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

#endif
