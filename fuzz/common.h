/* SPDX-License-Identifier: MIT
 *
 * common.h - what both fuzz targets check after every input, beyond "no
 * crash, no sanitizer report": every error is one line (the promise of
 * scenario.h, which scripts and the bad-input tests rely on), and a valid
 * scenario survives being written out as YAML and read back (so a value
 * the reader accepts is never one the writer cannot express).  A broken
 * promise aborts, which libFuzzer reports as a crash with its input.
 */
#ifndef HS_FUZZ_COMMON_H
#define HS_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static void fuzz_fail(const char *why, const char *detail)
{
    fprintf(stderr, "fuzz: %s: %s\n", why, detail ? detail : "");
    abort();
}

/* Every message: one non-empty line, no control characters (C0, DEL, C1
 * with NEL, the line and paragraph separators). */
static void fuzz_check_diag(const struct hs_diag *d)
{
    for (size_t i = 0; i < hs_diag_count(d); i++) {
        const char *m = hs_diag_message(d, i);
        if (m == NULL || m[0] == '\0')
            fuzz_fail("an empty error message", NULL);
        for (const unsigned char *c = (const unsigned char *)m; *c; c++)
            if (*c < 0x20 || *c == 0x7f || (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F) ||
                (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0xA8 || c[2] == 0xA9)))
                fuzz_fail("a control character in an error message", m);
        if (strstr(m, ": error: ") == NULL)
            fuzz_fail("an error message without its ': error: '", m);
    }
}

/* A valid scenario, dumped and loaded again, is the same struct. */
static void fuzz_check_roundtrip(const struct hs_params *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return;   /* out of memory: nothing to check */
    int rc = hs_scenario_dump_yaml(p, f);
    if (fclose(f) != 0 || rc != HS_OK) {
        free(text);
        return;
    }
    struct hs_params back;
    struct hs_diag d;
    hs_diag_init(&d);
    rc = hs_scenario_load_string("dump.yaml", text, len, &back, &d);
    if (rc != HS_OK && rc != HS_ENOMEM) {
        fprintf(stderr, "%.*s\n", (int)len, text);
        hs_diag_print(&d, stderr);
        fuzz_fail("a valid scenario, written out, does not load back", NULL);
    }
    if (rc == HS_OK && memcmp(&back, p, sizeof back) != 0) {
        fprintf(stderr, "%.*s\n", (int)len, text);
        fuzz_fail("a valid scenario, written out and loaded back, differs", NULL);
    }
    hs_diag_free(&d);
    free(text);
}

#endif
