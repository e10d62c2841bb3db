#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh - the benchmarks of BENCHMARKS.md: each measured RUNS times (default
# 5), one at a time, and the median printed.  Run on an otherwise idle
# machine; the load average is printed first because other work lowers
# every figure.
#
#   bench/run.sh [BUILD_DIR [RUNS]]
set -eu
build=${1:-build}
runs=${2:-5}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
rate() { tail -n 1 | sed -n 's/^events_per_second=//p'; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

printf 'mm1 (10^8 events)                      '
i=0; : >/tmp/hs-bench.$$
while [ $i -lt "$runs" ]; do "$build/bench/mm1" | rate >>/tmp/hs-bench.$$; i=$((i + 1)); done
median </tmp/hs-bench.$$ | awk '{printf "%.1f M events/s\n", $1 / 1e6}'

for n in 1000 100000 1000000 10000000; do
    for kind in heap ladder auto binary; do
        printf 'pending %-9s %-7s                  ' "$n" "$kind"
        i=0; : >/tmp/hs-bench.$$
        while [ $i -lt "$runs" ]; do
            "$build/bench/pending" --pending "$n" --kind "$kind" --events 20000000 | rate >>/tmp/hs-bench.$$
            i=$((i + 1))
        done
        median </tmp/hs-bench.$$ | awk '{printf "%.1f M events/s\n", $1 / 1e6}'
    done
done

printf 'hailsham run canon (default scale)     '
i=0; : >/tmp/hs-bench.$$
out=$(mktemp -d)
while [ $i -lt "$runs" ]; do
    "$build/hailsham" run canon --out "$out/c" | sed -n 's/.*wall time \([0-9.]*\) s, \([0-9]*\) events, .*peak memory \([0-9]*\) MB/\1 \2 \3/p' >>/tmp/hs-bench.$$
    i=$((i + 1))
done
awk '{print $1}' /tmp/hs-bench.$$ | median | awk '{printf "%.2f s wall (median), ", $1}'
awk '{print $2 / $1}' /tmp/hs-bench.$$ | median | awk '{printf "%.2f M events/s, ", $1 / 1e6}'
awk '{print $3}' /tmp/hs-bench.$$ | median | awk '{printf "peak %d MB\n", $1}'
rm -rf "$out" /tmp/hs-bench.$$
