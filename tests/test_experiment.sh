#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_experiment.sh - `hailsham experiment` as a user meets it: the same
# bytes for 1 and 2 threads and for a 2- and 3-rank MPI run (when the
# program is built with MPI and mpiexec.mpich is installed), sweeps from
# the command line and from the scenario file, the precision rule, resume
# after SIGINT and SIGKILL giving the files of an uninterrupted run, a
# journal of another experiment refused, progress only on a terminal, a
# scenario piped to /dev/stdin read once, and
# bad --vary values refused with a clear message before any work, leaving
# no output directory.  Experiments are tiny (scale 0.001, a few years).
#
#   tests/test_experiment.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
hs="$build/hailsham"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# the three files of two directories are the same bytes
same_files() {
    for f in experiment.csv experiment.json experiment.sqlite; do
        cmp -s "$1/$f" "$2/$f" || return 1
    done
}

small="--scale 0.001 --set scenario.end_year=1958 --quiet"
sweep="--vary programme.couples.grant=0,1 --vary programme.carers.caseload=3,6"

echo "TAP version 13"

# ---- threads ---------------------------------------------------------------
"$hs" experiment canon --replications 8 $small $sweep --threads 1 --out "$tmp/t1"
check "a 1-thread experiment succeeds" '[ $? -eq 0 ]'
"$hs" experiment canon --replications 8 $small $sweep --threads 2 --out "$tmp/t2"
check "a 2-thread experiment succeeds" '[ $? -eq 0 ]'
check "1 and 2 threads give the same bytes" 'same_files "$tmp/t1" "$tmp/t2"'
check "no journal or temporaries left" '[ -z "$(ls -A "$tmp/t1" | grep -v "^experiment\.")" ]'
check "experiment.csv: one row per point and figure" \
    '[ "$(cut -d, -f1 "$tmp/t1/experiment.csv" | sort -u | wc -l)" -eq 5 ]'
check "experiment.csv header" \
    'head -1 "$tmp/t1/experiment.csv" | grep -q "^point,programme.couples.grant,programme.carers.caseload,figure,n,mean,sd,ci95_low,ci95_high,half_width,diff,diff_ci95_low,diff_ci95_high$"'
check "experiment.json has the intervals" \
    'grep -q "\"ci95_low\"" "$tmp/t1/experiment.json" && grep -q "\"difference_from_point_0\"" "$tmp/t1/experiment.json"'
if command -v sqlite3 >/dev/null 2>&1; then
    check "experiment.sqlite: one row per replication" \
        '[ "$(sqlite3 "$tmp/t1/experiment.sqlite" "select count(*) from replications")" -eq 32 ]'
    check "experiment.sqlite: the yearly series of each" \
        '[ "$(sqlite3 "$tmp/t1/experiment.sqlite" "select count(*) from yearly")" -eq $((32 * 8)) ]'
else
    skip "experiment.sqlite rows" "no sqlite3 program"
fi
"$hs" experiment canon --replications 8 $small $sweep --seed 2 --out "$tmp/s2"
check "another seed gives other results" '! cmp -s "$tmp/t1/experiment.csv" "$tmp/s2/experiment.csv"'

# ---- the table on stdout ---------------------------------------------------
"$hs" experiment canon --replications 8 --scale 0.001 --set scenario.end_year=1958 \
    --vary programme.couples.grant=0,1 --figure deferrals_granted --figure public_deaths_total \
    --figure life_expectancy_end --out "$tmp/tab" >"$tmp/tab.out" 2>/dev/null
check "the table says how many comparisons were made" \
    'grep -q "^  3 comparisons with point 0 (3 figures x 1 point)" "$tmp/tab.out"'
check "a count of a handful of events is marked, and the mark explained" \
    'grep -A1 "^  deferrals_granted" "$tmp/tab.out" | grep -q " \*$" &&
     grep -q "^  \* fewer than 10 events a run" "$tmp/tab.out"'
check "a figure of many events is not marked" \
    '! grep -A2 "^  public_deaths_total" "$tmp/tab.out" | grep -q " \*$"'
check "an interval's two ends have the same decimals" \
    'python3 -c "
import re, sys
ends = re.findall(r\"\\[(-?[0-9.]+), (-?[0-9.]+)\\]\", open(sys.argv[1]).read())
dec = lambda x: len(x.split(\".\")[1]) if \".\" in x else 0
sys.exit(0 if ends and all(dec(a) == dec(b) for a, b in ends) else 1)" "$tmp/tab.out"'

# ---- sweeps from the file --------------------------------------------------
cat >"$tmp/sw.yaml" <<'EOF'
scenario: {name: swept, scale: 0.001, end_year: 1958}
sweep:
  programme.couples.grant: [0, 0.5, 1]
  programme.carers.caseload: [3, 6]
EOF
"$hs" experiment "$tmp/sw.yaml" --replications 2 --quiet --out "$tmp/f1"
check "a file's sweep: 3 x 2 points" \
    '[ "$(cut -d, -f1 "$tmp/f1/experiment.csv" | sort -u | wc -l)" -eq 7 ]'
check "a file's sweep: its values in the files" \
    'grep -q "^5,1,6,deaths_waiting_total," "$tmp/f1/experiment.csv"'
"$hs" experiment "$tmp/sw.yaml" --replications 2 --quiet --out "$tmp/f2" \
    --vary programme.couples.grant=0.25 --vary programme.couples.apply=0.1,0.9
check "--vary replaces a file's key and adds one" \
    'head -1 "$tmp/f2/experiment.csv" | grep -q "^point,programme.couples.grant,programme.carers.caseload,programme.couples.apply,figure" && [ "$(cut -d, -f1 "$tmp/f2/experiment.csv" | sort -u | wc -l)" -eq 5 ] && grep -q "^3,0.25,6,0.9," "$tmp/f2/experiment.csv"'

# A scenario down a pipe is read once: its sweep and its parameters come
# from the same bytes (it used to be read twice and found empty).
cat "$tmp/sw.yaml" | "$hs" experiment /dev/stdin --replications 2 --quiet --out "$tmp/f3" \
    2>"$tmp/f3.err"
check "a piped file's sweep: exit 0, nothing on stderr" '[ $? -eq 0 ] && [ ! -s "$tmp/f3.err" ]'
check "a piped file gives the same results as the file" \
    'cmp -s "$tmp/f1/experiment.csv" "$tmp/f3/experiment.csv"'

# ---- bad --vary: a clear message before any work, no directory -------------
expect_bad() {
    status=$1 pattern=$2 what=$3
    shift 3
    "$hs" experiment canon --replications 2 $small --out "$tmp/bad" "$@" 2>"$tmp/err" >/dev/null
    got=$?
    if [ "$got" -eq "$status" ] && grep -q -- "$pattern" "$tmp/err" && [ ! -e "$tmp/bad" ]; then
        ok "$what"
    else
        not_ok "$what (exit $got, stderr: $(head -c 300 "$tmp/err"))"
    fi
}
expect_bad 3 "^hailsham experiment: --vary programme.couples.grant=...: the value '1.5' is not valid: must be between 0 and 1, found 1.5$" \
    "a value out of range" --vary programme.couples.grant=0,1.5
expect_bad 3 "unknown key 'coupls' (did you mean 'couples'?)" \
    "an unknown key" --vary programme.coupls.grant=0,1
expect_bad 3 "the value 'lots' is not valid: expected a number, found 'lots'" \
    "a value of the wrong type" --vary programme.carers.caseload=3,lots
expect_bad 3 "sweep point 1 (scenario.start_year=1957) is not a valid scenario" \
    "a point invalid across keys" --vary scenario.start_year=1950,1957 --set programme.start=1952
expect_bad 3 "^hailsham experiment: --vary programme.end: expected KEY=V1,V2" \
    "a --vary without =" --vary programme.end
expect_bad 3 "the value '1' is given twice" "a value given twice" --vary programme.end=1,1
expect_bad 2 "--vary programme.end is given twice" "a key given twice" \
    --vary programme.end=1990 --vary programme.end=1980
expect_bad 2 "unknown option '--replicates'" "an unknown option" --replicates 3
expect_bad 2 "--threads needs a whole number from 1 to" "--threads 0" --threads 0
expect_bad 2 "--figure: unknown figure 'deaths'" "an unknown figure" --figure deaths
expect_bad 2 "--max-replications is the cap of --precision" "a cap without --precision" \
    --max-replications 9

# ---- the precision rule ------------------------------------------------------
prec="--replications 3 --precision 0.02 --figure public_alive_end --figure deaths_waiting_total --max-replications 12"
"$hs" experiment canon $small $prec --threads 1 --out "$tmp/p1" 2>/dev/null
check "--precision runs" '[ $? -eq 0 ]'
"$hs" experiment canon $small $prec --threads 2 --out "$tmp/p2" 2>/dev/null
check "--precision: 1 and 2 threads give the same bytes" 'same_files "$tmp/p1" "$tmp/p2"'
check "--precision: says which figure decided" \
    'grep -q "\"decided_by\"" "$tmp/p1/experiment.json" && grep -q "\"figure\": \"deaths_waiting_total\"" "$tmp/p1/experiment.json"'
reps=$(sed -n 's/^  "replications": \([0-9]*\),$/\1/p' "$tmp/p1/experiment.json")
check "--precision: more than the first round, at most the cap ($reps)" \
    '[ "$reps" -gt 3 ] && [ "$reps" -le 12 ]'
"$hs" experiment canon --scale 0.001 --set scenario.end_year=1958 $prec --out "$tmp/p3" \
    >/dev/null 2>"$tmp/p3.err"
check "--precision: the figure that stopped it, on stderr" \
    'grep -q "deaths_waiting_total" "$tmp/p3.err"'

# ---- MPI -------------------------------------------------------------------
if ! "$hs" experiment --help | grep -q "built with MPI"; then
    skip "2-rank MPI run equals the threaded one" "built without MPI"
elif ! command -v mpiexec.mpich >/dev/null 2>&1; then
    skip "2-rank MPI run equals the threaded one" "mpiexec.mpich not installed"
else
    # MPICH leaves some memory at MPI_Finalize; LeakSanitizer (CI's
    # sanitizer build) would count it against us.
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
    export ASAN_OPTIONS
    mpiexec.mpich -n 2 "$hs" experiment canon --replications 8 $small $sweep --out "$tmp/m2"
    check "a 2-rank MPI experiment succeeds" '[ $? -eq 0 ]'
    check "2-rank MPI run equals the threaded one" 'same_files "$tmp/t1" "$tmp/m2"'
    mpiexec.mpich -n 3 "$hs" experiment canon --replications 8 $small $sweep --threads 1 \
        --out "$tmp/m3"
    check "3-rank MPI run equals the threaded one" 'same_files "$tmp/t1" "$tmp/m3"'
    mpiexec.mpich -n 2 "$hs" experiment canon --replications 2 $small \
        --vary programme.couples.grant=0,7 --out "$tmp/mbad" 2>"$tmp/mbad.err"
    check "MPI: a bad --vary is reported once, with exit 3" \
        '[ $? -eq 3 ] && [ "$(grep -c "the value .7." "$tmp/mbad.err")" -eq 1 ] && [ ! -e "$tmp/mbad" ]'
    mpiexec.mpich -n 2 "$hs" experiment canon $small --replications 3 --precision 0.02 \
        --figure public_alive_end --figure deaths_waiting_total --max-replications 12 \
        --threads 1 --out "$tmp/mp" 2>/dev/null
    check "MPI: --precision gives the threaded files too" 'same_files "$tmp/p1" "$tmp/mp"'
    ASAN_OPTIONS=${ASAN_OPTIONS%:detect_leaks=0}
fi

# ---- progress: on a terminal only -------------------------------------------
"$hs" experiment canon --replications 4 --scale 0.001 --set scenario.end_year=1958 \
    --out "$tmp/q1" >/dev/null 2>"$tmp/q1.err"
check "no progress when stderr is not a terminal" '[ ! -s "$tmp/q1.err" ]'
if command -v script >/dev/null 2>&1; then
    script -qec "'$hs' experiment canon --replications 4 --scale 0.001 --set scenario.end_year=1958 --out '$tmp/q2' >/dev/null" \
        /dev/null >"$tmp/q2.tty" 2>&1
    check "progress on a terminal: done of total, rate, time left" \
        'grep -q "experiment: [0-9]*/4 replications .*/s" "$tmp/q2.tty"'
else
    skip "progress on a terminal" "no script(1)"
fi

# ---- stop and resume -------------------------------------------------------
long="canon --replications 60 --scale 0.001 --set scenario.end_year=1962 --vary programme.couples.grant=0,1"
records() { ls "$1/.journal" 2>/dev/null | grep -c '\.rec$'; }
# A background job of a script ignores SIGINT; env gives Ctrl-C back its
# default action (GNU env), else SIGTERM stands in for it.
if env --default-signal=INT true 2>/dev/null; then
    intr=INT undo="env --default-signal=INT"
else
    intr=TERM undo=
fi
# start the experiment and stop it with signal $2 once $3 replications are journalled
interrupt() {
    $undo "$hs" experiment $long --threads 1 --quiet --out "$1" &
    pid=$!
    i=0
    while [ "$(records "$1")" -lt "$3" ] && [ $i -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    kill "-$2" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
}
interrupt "$tmp/r" $intr 5
first=$(records "$tmp/r")
check "SIG$intr (Ctrl-C) keeps the finished replications ($first)" \
    '[ "$first" -ge 5 ] && [ ! -e "$tmp/r/experiment.csv" ]'
"$hs" experiment canon --replications 60 --threads 1 --scale 0.001 --set scenario.end_year=1962 \
    --vary programme.couples.grant=0,1 --seed 9 --quiet --out "$tmp/r" 2>"$tmp/r.err"
check "the journal of another experiment is refused" \
    '[ $? -eq 3 ] && grep -q "holds the journal of another experiment" "$tmp/r.err" && [ "$(records "$tmp/r")" -eq "$first" ]'
# a journal of another experiment with no finished replication (a start
# that failed or was stopped at once) holds nothing: it is replaced
mkdir -p "$tmp/empty/.journal"
printf 'hailsham experiment 0123456789abcdef\n' >"$tmp/empty/.journal/identity"
"$hs" experiment canon --replications 1 --threads 1 $small --out "$tmp/empty" 2>"$tmp/e.err"
check "an empty journal of another experiment is replaced" \
    '[ $? -eq 0 ] && [ -s "$tmp/empty/experiment.json" ] && [ ! -s "$tmp/e.err" ]'
interrupt "$tmp/r" KILL $((first + 10))
second=$(records "$tmp/r")
check "SIGKILL of the resumed run keeps its replications too ($second)" \
    '[ "$second" -ge $((first + 10)) ] && [ ! -e "$tmp/r/experiment.csv" ]'
"$hs" experiment $long --out "$tmp/r" >/dev/null 2>"$tmp/r2.err"
check "the same command resumes" \
    '[ $? -eq 0 ] && grep -q "resuming in .*: [0-9]* replications already done" "$tmp/r2.err"'
"$hs" experiment $long --threads 2 --quiet --out "$tmp/u"
check "a resumed experiment gives the files of an uninterrupted one" 'same_files "$tmp/r" "$tmp/u"'
check "the journal is gone once the files are in place" '[ ! -e "$tmp/r/.journal" ]'

echo "1..$n"
[ "$fails" -eq 0 ]
