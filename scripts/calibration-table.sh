#!/bin/sh
# SPDX-License-Identifier: MIT
#
# calibration-table.sh - the year-by-year comparison of realworld with the
# real figures, as a Markdown table (docs/model.md): the rows that
# tests/test_calibration.c prints as it runs (its replications and scale).
#
#   scripts/calibration-table.sh [BUILD]      default build/
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$build/tests/test_calibration" | sed -n 's/^# \(|.*\)$/\1/p; s/^# \(realworld, .*\)$/\1/p; s/^# \([0-9]* figures compared.*\)$/\1/p'
