#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test.sh - run the test suite of the build in $1 (default build/) and end
# with one plain line "tests: N passed, M failed".  Exit status non-zero on
# any failure.  Extra arguments go to `meson test`.  With the default build
# the web page is built and tested too (scripts/test-web.sh; HS_WEB_TESTS=0
# skips it, saying so).
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
ok=${ok:-0}; fail=${fail:-0}; timeout=${timeout:-0}
fail=$((fail + timeout))
# The web page (scripts/test-web.sh) with the default build, the one the
# README's test command makes: its tests count with the others.
if [ "$dir" = build ]; then
    scripts_dir=$(dirname "$0")
    "$scripts_dir/test-web.sh" "$dir" 2>&1 | tee "$log"
    wok=$(sed -n 's/^web tests: \([0-9]*\) passed.*/\1/p' "$log" | tail -n 1)
    wfail=$(sed -n 's/^web tests: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
    if ! grep -q '^web tests: skipped' "$log" && [ -z "$wok" ]; then
        wfail=1   # ended before its summary
    fi
    ok=$((ok + ${wok:-0})); fail=$((fail + ${wfail:-0}))
fi
rm -f "$log"
echo "tests: $ok passed, $fail failed"
if [ "$ok" -eq 0 ] || [ "$fail" -ne 0 ]; then
    exit 1
fi
exit 0
