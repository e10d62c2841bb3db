#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh - replay the committed seed corpus of each fuzz target, then fuzz
# each for SECONDS (one after the other, one process: the machine has
# other work).  New inputs go to BUILD/fuzz-work/TARGET (the committed
# seeds are never changed), crashes to BUILD/fuzz-work/artifacts/, each
# target's log to BUILD/fuzz-work/TARGET.log.  Exit status 1 if a seed
# fails or a crash is found.  SECONDS 0 only replays the seeds.
#
#   fuzz/run.sh BUILD SECONDS
#
# BUILD is a build directory configured as fuzz/meson.build says.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: fuzz/run.sh BUILD SECONDS" >&2
    exit 2
fi
build=$1
secs=$2
src=$(cd "$(dirname "$0")" && pwd)
work="$build/fuzz-work"
mkdir -p "$work/artifacts"
# leaks are errors too; stop at the first report so the input is kept
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for target in scenario set; do
    exe="$build/fuzz/fuzz_$target"
    seeds="$src/corpus/$target"
    if [ ! -x "$exe" ]; then
        echo "fuzz: $exe is not built (configure with CC=clang -Dfuzz=true)" >&2
        exit 2
    fi
    # the seeds, each once: a regression input that crashes again fails here
    if "$exe" -runs=0 "$seeds" >"$work/$target-replay.log" 2>&1; then
        echo "fuzz_$target: $(ls "$seeds" | wc -l) seeds replay clean"
    else
        echo "fuzz_$target: a seed fails; see $work/$target-replay.log" >&2
        tail -n 30 "$work/$target-replay.log" >&2
        status=1
        continue
    fi
    [ "$secs" -gt 0 ] || continue
    mkdir -p "$work/$target"
    # scenario files may be long; assignments are short
    maxlen=$([ "$target" = scenario ] && echo 16384 || echo 2048)
    if "$exe" "$work/$target" "$seeds" -dict="$src/scenario.dict" \
        -max_total_time="$secs" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" \
        >"$work/$target.log" 2>&1; then
        echo "fuzz_$target: $secs s, no crash: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$target.log" | tail -n 1)"
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
            "$work/$target.log" | sed "s/^/fuzz_$target: /"
        echo "fuzz_$target: corpus $(ls "$work/$target" | wc -l) inputs in $work/$target"
    else
        echo "fuzz_$target: found a crash; see $work/$target.log and $work/artifacts/" >&2
        grep -E 'ERROR|SUMMARY|fuzz: |Test unit written' "$work/$target.log" | head -n 20 >&2
        status=1
    fi
done
exit $status
