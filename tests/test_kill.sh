#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_kill.sh - nothing is lost when a run or an experiment is killed.
# `hailsham run` and `hailsham experiment` are killed with SIGKILL after
# delays from 0.05 s to past their end, into a new directory and into one
# that holds a previous complete set.  Each time the directory must hold
# the previous complete set, the new complete set, or none, and nothing
# else: never a half-written file, never files of two runs.  A complete
# set is checked by its bytes (the same seed always gives the same bytes)
# and by reading it: run.sqlite opens and has its tables, yearly.csv ends
# with a whole line, summary.json parses.  Then what a killed process
# left beside the directory (.DIR.tmp-HOST-PID, docs/outputs.md) must be
# removed by the next run, which holds the directory's lock.
#
#   tests/test_kill.sh BUILD_DIR SOURCE_DIR
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
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

echo "TAP version 13"

if ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 is needed to read the files"
    exit 0
fi

# the name of this host as publish.c puts it into a staging directory's name
host=$(uname -n | tr -c 'A-Za-z0-9._\n-' '_' | cut -c1-64)

run_files="run.sqlite yearly.csv summary.json"
exp_files="experiment.csv experiment.json experiment.sqlite"
# --force: the test replaces a seed's files with another seed's on purpose
# (a run refuses other inputs' files without it: test_cli.sh)
run="canon --scale 0.01 --quiet --force"
exp="canon --replications 8 --scale 0.004 --set scenario.end_year=1975 --threads 1 --quiet"

# readable DIR: the run's three files can be read whole
readable() {
    python3 - "$1" <<'EOF'
import json, sqlite3, sys
d = sys.argv[1]
con = sqlite3.connect("file:%s/run.sqlite?mode=ro" % d, uri=True)
tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
assert {"parameters", "yearly", "yearly_baseline", "donors", "donations",
        "chip_readings"} <= tables, tables
assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
years = con.execute("select count(*) from yearly").fetchone()[0]
csv = open(d + "/yearly.csv", "rb").read()
assert csv.endswith(b"\n"), "yearly.csv ends inside a line"
rows = csv.split(b"\n")[:-1]
assert len(rows) == years + 1, (len(rows), years)
assert all(r.count(b",") == rows[0].count(b",") for r in rows)
json.load(open(d + "/summary.json"))
EOF
}

# same_set DIR REF FILES: DIR's files are REF's, byte for byte
same_set() {
    for f in $3; do
        cmp -s "$1/$f" "$2/$f" || return 1
    done
}

# only DIR NAMES: DIR holds exactly these entries (hidden ones included)
only() {
    [ "$(ls -A "$1" | sort | tr '\n' ' ')" = "$(echo $2 | tr ' ' '\n' | sort | tr '\n' ' ')" ]
}

# killed CMD DIR DELAY: start `hailsham CMD --out DIR`, SIGKILL it after DELAY
killed() {
    # shellcheck disable=SC2086
    "$hs" $1 --out "$2" >/dev/null 2>&1 &
    pid=$!
    sleep "$3"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
}

# ---- references: a complete set of each seed ---------------------------------
# shellcheck disable=SC2086
"$hs" run $run --seed 1 --out "$tmp/run1" && "$hs" run $run --seed 2 --out "$tmp/run2"
check "reference runs" '[ $? -eq 0 ] && readable "$tmp/run1" && readable "$tmp/run2"'
check "two seeds give two different sets" '! cmp -s "$tmp/run1/yearly.csv" "$tmp/run2/yearly.csv"'
# shellcheck disable=SC2086
"$hs" experiment $exp --seed 1 --out "$tmp/exp1" && "$hs" experiment $exp --seed 2 --out "$tmp/exp2"
check "reference experiments" '[ $? -eq 0 ] && only "$tmp/exp1" "$exp_files"'

delays="0.05 0.1 0.15 0.2 0.3 0.4 0.5 0.6 0.8 1.0 1.2 1.5 2.5"

# ---- a run into a new directory ------------------------------------------------
# nothing, or the complete set of seed 2
bad=
none=0
new=0
i=0
for d in $delays; do
    i=$((i + 1))
    mkdir -p "$tmp/new$i"
    killed "run $run --seed 2" "$tmp/new$i/D" "$d"
    if [ ! -e "$tmp/new$i/D" ]; then
        none=$((none + 1))
    elif ! only "$tmp/new$i/D" "$run_files" || ! same_set "$tmp/new$i/D" "$tmp/run2" "$run_files" ||
        ! readable "$tmp/new$i/D" >/dev/null 2>&1; then
        bad="$bad $d"
    else
        new=$((new + 1))
    fi
done
check "run killed into a new directory: none ($none) or the complete set ($new)${bad:+, not when killed at$bad}" \
    '[ -z "$bad" ]'

# ---- a run into a directory with a previous run ---------------------------------
# the previous set (seed 1) or the new one (seed 2), whole, and nothing else
bad=
old=0
new=0
i=0
for d in $delays; do
    i=$((i + 1))
    mkdir -p "$tmp/prev$i"
    cp -R "$tmp/run1" "$tmp/prev$i/D"
    killed "run $run --seed 2" "$tmp/prev$i/D" "$d"
    if ! only "$tmp/prev$i/D" "$run_files" || ! readable "$tmp/prev$i/D" >/dev/null 2>&1; then
        bad="$bad $d"
    elif same_set "$tmp/prev$i/D" "$tmp/run1" "$run_files"; then
        old=$((old + 1))
    elif same_set "$tmp/prev$i/D" "$tmp/run2" "$run_files"; then
        new=$((new + 1))
    else
        bad="$bad $d"   # a mix of the two runs
    fi
done
check "run killed over a previous run: the previous set ($old) or the new one ($new), never a mix${bad:+, not when killed at$bad}" \
    '[ -z "$bad" ] && [ "$old" -gt 0 ]'

# ---- what killed runs leave beside their directory -------------------------------
# Only hidden staging directories, named for their process.  The next run
# holds the directory's lock (.D.lock), so no other process is writing
# there: it removes every staging directory beside D, also one named for a
# live process (this shell: a process id given again, as in a container
# after an OOM kill) and one of another host (on a shared file system).
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir "$tmp/prev1/.D.tmp-$host-$dead" "$tmp/prev1/.D.tmp-$host-$$" "$tmp/prev1/.D.old-elsewhere-7"
cp "$tmp/run1/run.sqlite" "$tmp/prev1/.D.tmp-$host-$dead/"
cp "$tmp/run1/run.sqlite" "$tmp/prev1/.D.tmp-$host-$$/"
cp "$tmp/run1/yearly.csv" "$tmp/prev1/.D.old-elsewhere-7/"
check "a killed run leaves nothing but hidden staging directories beside" \
    '[ -z "$(ls "$tmp"/new* "$tmp"/prev* | grep -v "^D$" | grep -v "^/" | grep -v "^$")" ]'
# shellcheck disable=SC2086
"$hs" run $run --seed 2 --out "$tmp/prev1/D"
check "the next run completes" '[ $? -eq 0 ] && same_set "$tmp/prev1/D" "$tmp/run2" "$run_files"'
check "the next run removes every staging directory left beside, and its lock" \
    '[ "$(ls -A "$tmp/prev1")" = D ]'

# A run killed in the middle (SIGKILL, as the kernel's OOM killer sends)
# leaves its staging directory and its lock file; the next run into the
# same directory succeeds and leaves neither.
mkdir "$tmp/mid"
# shellcheck disable=SC2086
"$hs" run canon --scale 0.05 --quiet --out "$tmp/mid/D" >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 200 ] && ! ls "$tmp/mid/.D.tmp-$host-$pid/run.sqlite" >/dev/null 2>&1; do
    sleep 0.05
    i=$((i + 1))
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
check "a run killed in the middle leaves its staging directory" \
    '[ -n "$(ls -A "$tmp/mid" | grep "^\.D\.tmp-")" ] && [ ! -e "$tmp/mid/D" ]'
# shellcheck disable=SC2086
"$hs" run $run --seed 2 --out "$tmp/mid/D"
check "the next run into it succeeds and leaves nothing stale beside" \
    '[ $? -eq 0 ] && same_set "$tmp/mid/D" "$tmp/run2" "$run_files" && [ "$(ls -A "$tmp/mid")" = D ]'

# ---- killed at the exact moments of the commit --------------------------------------
# strace kills the run as it enters a system call of the commit: the first
# fsync (the files are complete, nothing replaced yet), the renameat2 that
# exchanges the directories, and the first unlinkat (the exchange is done,
# the old directory is about to be removed).  Before each, a plain run
# leaves the directory clean.
if strace -f -qq -o /dev/null true 2>/dev/null; then
    at() {
        # shellcheck disable=SC2086
        "$hs" run $run --seed 1 --out "$tmp/at/D" && [ "$(ls -A "$tmp/at")" = D ] || return 1
        # shellcheck disable=SC2086
        strace -f -qq -o /dev/null -e trace="$1" -e inject="$1":signal=KILL \
            "$hs" run $run --seed 2 --out "$tmp/at/D" >/dev/null 2>&1
        only "$tmp/at/D" "$run_files" && same_set "$tmp/at/D" "$tmp/$2" "$run_files" &&
            [ "$(ls -A "$tmp/at" | grep -c "^\.D\.tmp-$host-")" -eq 1 ]
    }
    mkdir "$tmp/at"
    check "killed at the first fsync of the commit: the previous set, the staging beside" \
        'at fsync run1'
    check "killed at the exchange: the previous set, the staging beside" 'at renameat2 run1'
    check "killed just after the exchange: the new set, the old directory beside" \
        'at unlinkat run2'
    # shellcheck disable=SC2086
    "$hs" run $run --seed 1 --out "$tmp/at/D"
    check "the next run cleans up after each" '[ $? -eq 0 ] && [ "$(ls -A "$tmp/at")" = D ]'
else
    for what in "the first fsync of the commit" "the exchange" "just after the exchange" \
        "the next run cleans up"; do
        n=$((n + 1))
        echo "ok $n - killed at $what # SKIP strace cannot trace here"
    done
fi

# ---- an experiment over a previous experiment ------------------------------------
# its files: the previous set or the new one, whole, or (while the new one
# runs) the previous set beside the new one's journal
bad=
old=0
new=0
i=0
for d in $delays; do
    i=$((i + 1))
    mkdir -p "$tmp/eprev$i"
    cp -R "$tmp/exp1" "$tmp/eprev$i/D"
    killed "experiment $exp --seed 2" "$tmp/eprev$i/D" "$d"
    D="$tmp/eprev$i/D"
    if same_set "$D" "$tmp/exp1" "$exp_files" &&
        { only "$D" "$exp_files" || only "$D" "$exp_files .journal"; }; then
        old=$((old + 1))
    elif same_set "$D" "$tmp/exp2" "$exp_files" && only "$D" "$exp_files"; then
        new=$((new + 1))
    else
        bad="$bad $d"
    fi
done
check "experiment killed over a previous one: the previous set ($old) or the new one ($new)${bad:+, not when killed at$bad}" \
    '[ -z "$bad" ] && [ "$old" -gt 0 ]'
# shellcheck disable=SC2086
"$hs" experiment $exp --seed 2 --out "$tmp/eprev1/D" 2>/dev/null
check "the killed experiment, run again, ends with the new set and no journal" \
    '[ $? -eq 0 ] && same_set "$tmp/eprev1/D" "$tmp/exp2" "$exp_files" && only "$tmp/eprev1/D" "$exp_files"'
check "and nothing left beside it" '[ "$(ls -A "$tmp/eprev1")" = "D" ]'

# ---- an output directory in use is refused, not taken ------------------------------
# A run or an experiment holds DIR's lock (.DIR.lock beside it) for its
# whole life: a second run or experiment into DIR is refused at once with
# one line naming DIR and the process, and the first ends with its files
# whole.  The first is started in the background and the second only once
# the lock file exists (it is made before any work, and the first then
# takes seconds).
# wait_lock FILE: until FILE exists (at most 20 s)
wait_lock() {
    i=0
    while [ $i -lt 400 ] && [ ! -e "$1" ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -e "$1" ]
}
mkdir "$tmp/use"
"$hs" experiment canon --replications 8 --scale 0.02 --threads 1 --quiet --out "$tmp/use/E" \
    >/dev/null 2>"$tmp/use/first.err" &
pid=$!
wait_lock "$tmp/use/.E.lock"
# shellcheck disable=SC2086
"$hs" run $run --out "$tmp/use/E" >"$tmp/use/run.out" 2>"$tmp/use/run.err"
rrc=$?
"$hs" experiment $exp --out "$tmp/use/E/" >/dev/null 2>"$tmp/use/exp.err"
erc=$?
wait "$pid"
frc=$?
pid=
check "a run into a directory an experiment is using is refused with one line" \
    '[ $rrc -eq 3 ] && [ "$(wc -l <"$tmp/use/run.err")" -eq 1 ] && [ ! -s "$tmp/use/run.out" ] && grep -q "^hailsham run: output directory $tmp/use/E is in use by hailsham experiment (process [0-9]* on " "$tmp/use/run.err"'
check "so is a second experiment into it (named another way)" \
    '[ $erc -eq 3 ] && [ "$(wc -l <"$tmp/use/exp.err")" -eq 1 ] && grep -q "is in use by hailsham experiment (process" "$tmp/use/exp.err"'
check "the experiment ends well with its files whole, and nothing beside" \
    '[ $frc -eq 0 ] && [ ! -s "$tmp/use/first.err" ] && only "$tmp/use/E" "$exp_files" && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/use/E/experiment.json" && [ "$(ls -A "$tmp/use" | grep -v "\.err$" | grep -v "\.out$")" = E ]'
"$hs" run canon --scale 0.05 --quiet --out "$tmp/use/R" 2>"$tmp/use/first.err" &
pid=$!
wait_lock "$tmp/use/.R.lock"
"$hs" experiment $exp --out "$tmp/use/R" >/dev/null 2>"$tmp/use/exp.err"
erc=$?
# shellcheck disable=SC2086
"$hs" run $run --out "$tmp/use/R" >/dev/null 2>"$tmp/use/run.err"
rrc=$?
wait "$pid"
frc=$?
pid=
check "an experiment or a run into a directory a run is using is refused" \
    '[ $erc -eq 3 ] && [ $rrc -eq 3 ] && grep -q "output directory $tmp/use/R is in use by hailsham run (process" "$tmp/use/exp.err" && grep -q "in use by hailsham run" "$tmp/use/run.err"'
check "the run ends well with its files whole, and no journal" \
    '[ $frc -eq 0 ] && only "$tmp/use/R" "$run_files" && readable "$tmp/use/R" >/dev/null 2>&1 && [ ! -e "$tmp/use/.R.lock" ]'

# ---- the output directory holds something a run cannot carry over --------------
mkdir -p "$tmp/sub/D/keep"
cp "$tmp/run1/"* "$tmp/sub/D/"
# shellcheck disable=SC2086
"$hs" run $run --seed 2 --out "$tmp/sub/D" 2>"$tmp/sub.err"
check "a directory inside the output directory is refused before the run" \
    '[ $? -eq 4 ] && grep -q "holds keep, which is not a file" "$tmp/sub.err" && same_set "$tmp/sub/D" "$tmp/run1" "$run_files" && [ "$(ls -A "$tmp/sub")" = "D" ]'
rmdir "$tmp/sub/D/keep"
echo "mine" >"$tmp/sub/D/notes.txt"
"$hs" report "$tmp/sub/D" >/dev/null 2>&1
# shellcheck disable=SC2086
"$hs" run $run --seed 2 --out "$tmp/sub/D"
check "a user's file is carried over to the new set; the old report is not" \
    '[ $? -eq 0 ] && same_set "$tmp/sub/D" "$tmp/run2" "$run_files" && [ "$(cat "$tmp/sub/D/notes.txt")" = mine ] && only "$tmp/sub/D" "$run_files notes.txt"'

echo "1..$n"
[ "$fails" -eq 0 ]
