#!/bin/sh
# SPDX-License-Identifier: MIT
#
# experiment_speedup.sh - how much faster `hailsham experiment` runs on 2
# threads than on 1: the canonical world at its own scale (0.01), REPS
# replications (default 8), each thread count run 3 times, interleaved
# (1, 2, 1, 2, 1, 2) so that a change in the machine's load hits both
# alike; the speedup is the ratio of the median wall times.  The two
# runs' files are compared too: threads must not change a byte.
#
#   bench/experiment_speedup.sh [BUILD_DIR [REPS [SCENARIO]]]
#
# The last line is "speedup=<x>".  Other work on the machine lowers the
# figure: see the load average printed first.
set -eu
build=${1:-build}
reps=${2:-8}
scenario=${3:-canon}
hs="$build/hailsham"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# one run: its wall time in seconds on stdout
run() {
    rm -rf "$tmp/out$1"
    t0=$(now)
    "$hs" experiment "$scenario" --replications "$reps" --threads "$1" --quiet \
        --out "$tmp/out$1"
    t1=$(now)
    echo "$t0 $t1" | awk '{printf "%.3f\n", $2 - $1}'
}

median3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -g | sed -n 2p; }

echo "experiment speedup: $scenario, $reps replications, $(nproc) cores," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
a1=$(run 1); a2=$(run 2)
b1=$(run 1); b2=$(run 2)
c1=$(run 1); c2=$(run 2)
echo "1 thread:  $a1 $b1 $c1 s"
echo "2 threads: $a2 $b2 $c2 s"
m1=$(median3 "$a1" "$b1" "$c1")
m2=$(median3 "$a2" "$b2" "$c2")
for f in experiment.csv experiment.json experiment.sqlite; do
    cmp -s "$tmp/out1/$f" "$tmp/out2/$f" || { echo "$f differs between 1 and 2 threads"; exit 1; }
done
echo "median: 1 thread $m1 s, 2 threads $m2 s; outputs identical"
echo "$m1 $m2" | awk '{printf "speedup=%.2f\n", $1 / $2}'
