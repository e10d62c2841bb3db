/* SPDX-License-Identifier: MIT
 *
 * params.c - the default parameters: the canonical world at scale 0.01.
 *
 * The values themselves live in the scenario schema (src/scenario/schema.c),
 * next to each key's type, range and meaning, so that the defaults, the
 * validation and docs/scenario.md can never disagree.  This file only
 * clears the struct (names, unused table rows and padding become zero, so
 * two equal parameter sets compare equal byte for byte) and fills it.
 */
#include "params.h"

#include <string.h>

#include "schema.h"

void hs_params_default(struct hs_params *p)
{
    memset(p, 0, sizeof *p);
    hs_schema_fill(&hs_schema_root, p);
}
