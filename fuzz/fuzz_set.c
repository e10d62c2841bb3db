/* SPDX-License-Identifier: MIT
 *
 * fuzz_set.c - libFuzzer target for --set assignments (hs_scenario_set):
 * the input, split at NUL bytes, is up to 8 "KEY=VALUE" assignments
 * applied in order to the default parameters, as `hailsham run --set
 * A --set B` does, then the cross-field check, with the checks of
 * common.h.  A failed assignment must leave the parameters as they were.
 * Seeds: fuzz/corpus/set; run with fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a NUL-terminated copy: assignments are C strings, as argv is */
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct hs_params p, before;
    struct hs_diag d;
    hs_params_default(&p);
    hs_diag_init(&d);
    int failed = 0;
    const char *a = text;
    for (int n = 0; n < 8 && a <= text + size; n++) {
        memcpy(&before, &p, sizeof p);
        size_t had = hs_diag_count(&d);
        int rc = hs_scenario_set(&p, a, &d);
        if (rc != HS_OK && memcmp(&before, &p, sizeof p) != 0)
            fuzz_fail("a failed --set changed the parameters", a);
        if (rc != HS_OK && rc != HS_ENOMEM && hs_diag_count(&d) == had && !hs_diag_full(&d))
            fuzz_fail("a failed --set without an error message", a);
        failed |= rc != HS_OK;
        a += strlen(a) + 1;
    }
    int rc = failed ? HS_EPARSE : hs_scenario_check(&p, &d);
    fuzz_check_diag(&d);
    hs_diag_free(&d);
    if (rc == HS_OK)
        fuzz_check_roundtrip(&p);
    free(text);
    return 0;
}
