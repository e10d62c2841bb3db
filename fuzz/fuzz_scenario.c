/* SPDX-License-Identifier: MIT
 *
 * fuzz_scenario.c - libFuzzer target for the scenario reader: any bytes
 * as the text of a scenario file (hs_scenario_load_string), with the
 * checks of common.h.  Seeds: fuzz/corpus/scenario (the built-in
 * scenarios and the test files); run with fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hs_params p;
    struct hs_diag d;
    hs_diag_init(&d);
    int rc = hs_scenario_load_string("fuzz.yaml", (const char *)data, size, &p, &d);
    fuzz_check_diag(&d);
    if (rc == HS_OK && hs_diag_count(&d) != 0)
        fuzz_fail("a valid scenario with error messages", hs_diag_message(&d, 0));
    if (rc != HS_OK && rc != HS_ENOMEM && hs_diag_count(&d) == 0)
        fuzz_fail("an invalid scenario without an error message", NULL);
    hs_diag_free(&d);
    if (rc == HS_OK)
        fuzz_check_roundtrip(&p);
    return 0;
}
