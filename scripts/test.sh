#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test.sh - run the test suite of the build in $1 (default build/) and end
# with one plain line "tests: N passed, M failed".  Exit status non-zero on
# any failure.  Extra arguments go to `meson test`.
set -u
dir=${1:-build}
[ $# -gt 0 ] && shift
log=$(mktemp)
meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$log"
rc=$?
# meson test's own exit status is lost in the pipe; read its summary.
ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
rm -f "$log"
ok=${ok:-0}; fail=${fail:-0}; timeout=${timeout:-0}
fail=$((fail + timeout))
echo "tests: $ok passed, $fail failed"
if [ "$ok" -eq 0 ] || [ "$fail" -ne 0 ]; then
    exit 1
fi
exit 0
