#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scale_invariance.sh - per-capita figures of canon at scales 0.01, 0.1 and
# 1: the same world shrunk by --scale must give the same figures per person
# and per donor (tests/test_scale.c checks 0.01 against 0.1 in CI; this adds
# the whole of England).  Runs, one at a time:
#
#   scale 0.01  seeds 1..SMALL_RUNS (default 8), about 1 s each
#   scale 0.1   seeds 1..LARGE_RUNS (default 2), about 10 s each
#   scale 1     seed 1, once (about 115 s and 3.8 GB); FULL=0 leaves it out
#
# and prints, for each figure, its mean, standard deviation and number of
# runs at each scale, and how far the 0.1 and 1 means lie from the 0.01 mean
# in standard errors (z).  A run's noise at scale S is taken as the 0.01
# spread times sqrt(0.01 / S), or the spread seen at S when larger; |z| > 4
# is marked DIFFERS, as in the test (docs/testing.md, "Scale invariance").
#
#   bench/scale_invariance.sh [BUILD_DIR]       (default build)
#   KEEP=DIR bench/scale_invariance.sh build    keeps the runs in DIR
set -eu
build=${1:-build}
small_runs=${SMALL_RUNS:-8}
large_runs=${LARGE_RUNS:-2}
full=${FULL:-1}
hailsham=$build/hailsham
[ -x "$hailsham" ] || { echo "scale_invariance.sh: no $hailsham (build first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "scale_invariance.sh: needs python3" >&2; exit 2; }

if [ -n "${KEEP:-}" ]; then
    work=$KEEP
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/hs-scale.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    trap 'exit 130' INT TERM
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {   # run SCALE SEED
    start=$(date +%s.%N)
    "$hailsham" run canon --no-baseline --quiet --scale "$1" --seed "$2" --out "$work/s$1-$2"
    end=$(date +%s.%N)
    awk -v s="$1" -v n="$2" -v a="$start" -v b="$end" \
        'BEGIN {printf "scale %-4s seed %-2s %6.1f s\n", s, n, b - a}'
}
i=1; while [ $i -le "$small_runs" ]; do run 0.01 $i; i=$((i + 1)); done
i=1; while [ $i -le "$large_runs" ]; do run 0.1 $i; i=$((i + 1)); done
if [ "$full" != 0 ]; then run 1 1; fi

python3 - "$work" <<'EOF'
import csv, glob, json, math, os, sys

work = sys.argv[1]
# name, how to get it from (headline, person-years); per-capita figures only
FIGS = [
    ("e0 end", lambda h, py: h["life_expectancy_end"]),
    ("donations pmpy", lambda h, py: 1e6 * h["donations_total"] / py),
    ("completion age", lambda h, py: h["median_completion_age"]),
    ("e0 mean", lambda h, py: h["life_expectancy_mean"]),
    ("donors created pmpy", lambda h, py: 1e6 * h["donors_created"] / py),
    ("completions pmpy", lambda h, py: 1e6 * h["donors_completed"] / py),
    ("transplants pmpy", lambda h, py: 1e6 * h["transplants_total"] / py),
]

runs = {}   # scale -> list of figure vectors
for d in sorted(glob.glob(os.path.join(work, "s*-*"))):
    with open(os.path.join(d, "summary.json")) as f:
        s = json.load(f)
    with open(os.path.join(d, "yearly.csv")) as f:
        py = sum(float(r["public_alive"]) for r in csv.DictReader(f))
    h = s["headline"]
    runs.setdefault(s["scale"], []).append([g(h, py) for _, g in FIGS])

def mean(v): return sum(v) / len(v)
def sd(v):
    if len(v) < 2: return float("nan")
    m = mean(v)
    return math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))

scales = sorted(runs)
ref = scales[0]
print()
print("pmpy: per million person-years of the public (the public alive at each year end, summed)")
head = "%-20s" % "figure"
for sc in scales:
    head += " %24s" % ("scale %g (n=%d)" % (sc, len(runs[sc])))
for sc in scales[1:]:
    head += " %8s" % ("z %g" % sc)
print(head)
for k, (name, _) in enumerate(FIGS):
    line = "%-20s" % name
    for sc in scales:
        v = [r[k] for r in runs[sc]]
        s = sd(v)
        line += " %12.3f" % mean(v) + ("  sd %7.3f" % s if not math.isnan(s) else " " * 11)
    v0 = [r[k] for r in runs[ref]]
    s0 = sd(v0)
    verdict = []
    for sc in scales[1:]:
        v = [r[k] for r in runs[sc]]
        s = sd(v)
        var1 = s0 * s0 * ref / sc          # one run's variance at sc, from the 0.01 spread
        if not math.isnan(s):
            var1 = max(var1, s * s)
        se = math.sqrt(s0 * s0 / len(v0) + var1 / len(v))
        z = (mean(v) - mean(v0)) / se if se > 0 else 0.0
        line += " %+8.2f" % z
        verdict.append(abs(z) <= 4)
    print(line + ("  agrees" if all(verdict) else "  DIFFERS"))
EOF
