#!/bin/sh
# SPDX-License-Identifier: MIT
#
# programme_size.sh - how canon's run time grows with the programme's size.
# Runs canon at --scale 0.001 with --no-baseline and the planned cohort's
# minimum (programme.cohorts.minimum) at each size in SIZES, RUNS times each,
# one run at a time, and prints the median wall time, the run's events and
# the events per second.  Near-linear scaling shows as events per second
# that stay about level as the size grows; a search that costs O(carers)
# or O(donors) per event shows as events per second falling with the size.
#
#   bench/programme_size.sh [BUILD_DIR | BINARY]    (default build)
#   SIZES="1e5 1e6" RUNS=5 bench/programme_size.sh build
set -eu
arg=${1:-build}
if [ -d "$arg" ]; then hailsham=$arg/hailsham; else hailsham=$arg; fi
sizes=${SIZES:-"100000 300000 1000000 3000000"}
runs=${RUNS:-3}
[ -x "$hailsham" ] || { echo "programme_size.sh: no $hailsham (build first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "programme_size.sh: needs python3" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hs-progsize.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%12s %8s %12s %10s %14s\n' minimum donors events "wall s" "events/s"
for size in $sizes; do
    times=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        i=$((i + 1))
        rm -rf "$work/out"
        t0=$(python3 -c 'import time; print(time.monotonic())')
        "$hailsham" run canon --seed 1 --scale 0.001 --no-baseline --quiet \
            --set "programme.cohorts.minimum=$size" --out "$work/out"
        t1=$(python3 -c 'import time; print(time.monotonic())')
        times="$times $(python3 -c "print($t1 - $t0)")"
    done
    python3 - "$work/out/summary.json" "$size" $times <<'EOF'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
size = sys.argv[2]
wall = statistics.median(float(t) for t in sys.argv[3:])
h = s["headline"]
print(f"{float(size):12.0f} {h['donors_created']:8.0f} {s['events']:12d} "
      f"{wall:10.2f} {s['events'] / wall:14.0f}")
EOF
done
