#!/bin/sh
# SPDX-License-Identifier: MIT
#
# national.sh - canon at national scale (BENCHMARKS.md, "National scale"):
#   1. the whole run, both worlds (the scenario, and on a second thread the
#      same world without the programme), RUNS times: wall time, events,
#      peak resident memory;
#   2. one world (--no-baseline) with the default pending-event set and with
#      a plain binary heap (--pes binary), interleaved, RUNS times each, and
#      the ratio of their median wall times.  Both give identical outputs
#      (checked with cmp), so the ratio is the pending-event set's alone.
# Figures are hailsham's own report (wall clock of the run, getrusage peak).
# Run on an otherwise idle machine: at scale 1 each world needs a core and
# about 2.4 GB.  The load average is printed before every run.
#
#   bench/national.sh [BUILD_DIR [RUNS [SCALE]]]     defaults: build 3 1
set -eu
build=${1:-build}
runs=${2:-3}
scale=${3:-1}
exe=$build/hailsham
[ -x "$exe" ] || { echo "national.sh: no $exe (build first)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# one RUN_NAME ARGS...: run once, append "wall events peak_mb" to $tmp/RUN_NAME
one() {
    name=$1; shift
    printf '  %-8s load %s  ' "$name" "$(cut -d' ' -f1 /proc/loadavg)"
    rm -rf "$tmp/out-$name"
    "$exe" run canon --scale "$scale" --out "$tmp/out-$name" "$@" >"$tmp/stdout" </dev/null
    line=$(grep 'wall time' "$tmp/stdout")
    # "  wall time 20.15 s, 85144277 events, 4.2 M events/s, peak memory 4424 MB"
    set -- $line
    echo "$3 $5 $(echo "$line" | sed 's/.*peak memory \([0-9]*\) MB.*/\1/')" >>"$tmp/$name"
    echo "$3 s, $5 events, peak $(echo "$line" | sed 's/.*peak memory \([0-9]*\) MB.*/\1/') MB"
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "canon --scale $scale, $runs runs each"
echo
echo "1. both worlds"
i=0
while [ $i -lt "$runs" ]; do one both; i=$((i + 1)); done
echo
echo "2. one world: default pending-event set against a plain binary heap"
i=0
while [ $i -lt "$runs" ]; do
    one auto --no-baseline
    one binary --no-baseline --pes binary
    i=$((i + 1))
done
for f in summary.json yearly.csv run.sqlite; do
    # the kind is not recorded in the outputs, so all three must match
    cmp -s "$tmp/out-auto/$f" "$tmp/out-binary/$f" ||
        { echo "national.sh: $f differs between the two kinds" >&2; exit 1; }
done
echo "  outputs identical for both kinds (cmp)"
echo
med() { cut -d' ' -f"$2" "$tmp/$1" | median; }
both=$(med both 1); auto=$(med auto 1); bin=$(med binary 1)
echo "| figure | median of $runs |"
echo "|---|---:|"
echo "| wall, both worlds (s) | $both |"
echo "| events, both worlds | $(med both 2) |"
echo "| peak resident memory, both worlds (MB) | $(med both 3) |"
echo "| wall, one world, default set (s) | $auto |"
echo "| wall, one world, binary heap (s) | $bin |"
echo "| binary heap / default, one world | $(echo "$bin $auto" | awk '{printf "%.2f", $1 / $2}') |"
