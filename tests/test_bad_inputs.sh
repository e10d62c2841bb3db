#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_bad_inputs.sh - hostile and mistaken input meets one clear line.
#
# Every scenario in tests/data/bad/ (NAME.yaml) is run with `hailsham run
# NAME.yaml --out DIR` and checked with `hailsham validate NAME.yaml`:
# stderr must be exactly the one line of NAME.expected, the exit status
# that of NAME.status, and DIR must not exist afterwards, nor anything
# beside it.  In NAME.expected, @DIR@ stands for the directory of the bad
# files, @N@ for a number that depends on the machine (its memory) and
# @ANY@ for any text (where the machine's memory limit comes from).  A
# file refused only for the memory it would need (status 5) is valid
# data: validate accepts it silently.  The test makes the cases that
# cannot be committed: a directory, an unreadable file (skipped as root,
# who reads any file), a file over the 1 MiB limit, /dev/zero, a missing
# file.  Then bad command lines of run, experiment, validate, report and
# chronicle: one exact line naming the option, exit status 2, no output.
#
#   tests/test_bad_inputs.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
hs="$build/hailsham"
bad="$src/tests/data/bad"
tmp=$(mktemp -d)
trap 'umount "$tmp/full" 2>/dev/null; chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# An extended regular expression matching the line $1 exactly, with @DIR@
# for $2 and @N@ for a number.
line_re() {
    esc='s/[][\.*^$+?(){}|/]/\\&/g'
    dir=$(printf '%s' "$2" | sed "$esc")
    printf '%s' "$1" | sed "$esc" | sed "s/@DIR@/$(printf '%s' "$dir" | sed 's/[\/&]/\\&/g')/g; s/@N@/[0-9][0-9.e+-]*/g; s/@ANY@/.*/g"
}

# expect_line WHAT STATUS EXPECTED_LINE NODIR -- COMMAND...: the command
# exits with STATUS, its stderr is the one line EXPECTED_LINE (a regular
# expression from line_re) and NODIR, if not empty, does not exist.
expect_line() {
    what=$1 status=$2 re=$3 nodir=$4
    shift 5
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    got=$?
    lines=$(wc -l <"$tmp/stderr")
    if [ "$got" -ne "$status" ]; then
        not_ok "$what: exit status $got, not $status ($(head -c 300 "$tmp/stderr"))"
    elif [ "$lines" -ne 1 ] || ! grep -Exq -- "$re" "$tmp/stderr"; then
        not_ok "$what: stderr is not the expected line: $(head -c 400 "$tmp/stderr")"
    elif [ -n "$nodir" ] && [ -e "$nodir" ]; then
        not_ok "$what: $nodir was created"
    elif [ -n "$(ls -A "$tmp/out")" ]; then
        not_ok "$what: left $(ls -A "$tmp/out" | head -3 | tr '\n' ' ')in the output's parent"
    else
        ok "$what"
    fi
}

# expect_clean WHAT -- COMMAND...: exit 0, nothing on stderr
expect_clean() {
    what=$1
    shift 2
    "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    got=$?
    if [ "$got" -eq 0 ] && [ ! -s "$tmp/stderr" ]; then
        ok "$what"
    else
        not_ok "$what: exit status $got, stderr: $(head -c 300 "$tmp/stderr")"
    fi
}

echo "TAP version 13"

# ---- the committed corpus -----------------------------------------------------
count=0
for yaml in "$bad"/*.yaml; do
    name=$(basename "$yaml" .yaml)
    count=$((count + 1))
    if [ ! -f "$bad/$name.expected" ] || [ ! -f "$bad/$name.status" ] ||
        [ "$(wc -l <"$bad/$name.expected")" -ne 1 ]; then
        not_ok "$name: needs $name.expected (one line) and $name.status"
        continue
    fi
    status=$(cat "$bad/$name.status")
    re=$(line_re "$(cat "$bad/$name.expected")" "$bad")
    out="$tmp/out/$name"
    expect_line "run $name" "$status" "$re" "$out" -- "$hs" run "$yaml" --out "$out" --quiet
    if [ "$status" -eq 5 ]; then
        expect_clean "validate $name: valid data, only too big for a machine" -- \
            "$hs" validate "$yaml"
    else
        expect_line "validate $name" "$status" "$re" "" -- "$hs" validate "$yaml"
    fi
done
[ "$count" -ge 40 ] && ok "the corpus has $count bad scenarios" || not_ok "only $count bad scenarios"

# ---- cases made here -------------------------------------------------------------
mkdir "$tmp/dir.yaml"
d=$(line_re "@DIR@/dir.yaml" "$tmp")
expect_line "run a directory" 3 "$d: error: cannot open $d: Is a directory" "$tmp/out/d" -- \
    "$hs" run "$tmp/dir.yaml" --out "$tmp/out/d" --quiet
expect_line "validate a directory" 3 "$d: error: cannot open $d: Is a directory" "" -- \
    "$hs" validate "$tmp/dir.yaml"

printf 'scenario:\n  name: secret\n' >"$tmp/secret.yaml"
chmod 000 "$tmp/secret.yaml"
if [ "$(id -u)" -eq 0 ]; then
    # root reads a file whatever its mode: nothing to refuse
    skip "run an unreadable file" "running as root, who can read any file"
    skip "validate an unreadable file" "running as root, who can read any file"
else
    s=$(line_re "@DIR@/secret.yaml" "$tmp")
    expect_line "run an unreadable file" 3 "$s: error: cannot open $s: Permission denied" \
        "$tmp/out/u" -- "$hs" run "$tmp/secret.yaml" --out "$tmp/out/u" --quiet
    expect_line "validate an unreadable file" 3 "$s: error: cannot open $s: Permission denied" \
        "" -- "$hs" validate "$tmp/secret.yaml"
fi

{ printf 'scenario:\n  name: big\n'; head -c 2000000 /dev/zero | tr '\0' '#'; } >"$tmp/big.yaml"
b=$(line_re "@DIR@/big.yaml" "$tmp")
expect_line "run a file over 1 MiB" 3 \
    "$b: error: the file is too large for a scenario \(over 1048576 bytes\)" "$tmp/out/b" -- \
    "$hs" run "$tmp/big.yaml" --out "$tmp/out/b" --quiet
expect_line "run /dev/zero" 3 \
    "\/dev\/zero: error: the file is too large for a scenario \(over 1048576 bytes\)" \
    "$tmp/out/z" -- "$hs" run /dev/zero --out "$tmp/out/z" --quiet
m=$(line_re "@DIR@/missing.yaml" "$tmp")
expect_line "run a missing file" 3 "$m: error: cannot open $m: No such file or directory" \
    "$tmp/out/m" -- "$hs" run "$tmp/missing.yaml" --out "$tmp/out/m" --quiet
expect_line "run a memory-hungry --set" 5 \
    "$(line_re "hailsham run: this run would need about @N@ GB of memory, more than the @N@ GB this process may use (@ANY@); try --scale @N@ or less" "")" \
    "$tmp/out/s" -- "$hs" run canon --set public.initial=1e9 --set scenario.end_year=2300 \
    --scale 1 --out "$tmp/out/s" --quiet

# ---- bad command lines -------------------------------------------------------------
# usage WHAT LINE -- ARGS...: exit 2 and exactly LINE, no output directory
usage() {
    what=$1 line=$2
    shift 3
    expect_line "$what" 2 "$(line_re "$line" "")" "$tmp/out/x" -- "$hs" "$@"
}
o="--out $tmp/out/x"
big=18446744073709551615
# shellcheck disable=SC2086
{
usage "an unknown command" "hailsham: unknown command 'frobnicate' (try hailsham --help)" -- frobnicate
usage "run: unknown option" "hailsham run: unknown option '--bogus' (try hailsham run --help)" -- run canon --bogus $o
usage "run: --threads is not run's" "hailsham run: unknown option '--threads' (try hailsham run --help)" -- run canon --threads 2 $o
usage "run: --seed without a value" "hailsham run: --seed needs a value (try hailsham run --help)" -- run canon $o --seed
usage "run: --seed -1" "hailsham run: --seed needs a whole number from 0 to $big, got '-1'" -- run canon --seed -1 $o
usage "run: --seed 1.5" "hailsham run: --seed needs a whole number from 0 to $big, got '1.5'" -- run canon --seed 1.5 $o
usage "run: --seed 2^64" "hailsham run: --seed needs a whole number from 0 to $big, got '18446744073709551616'" -- run canon --seed 18446744073709551616 $o
usage "run: --seed ' 5'" "hailsham run: --seed needs a whole number from 0 to $big, got ' 5'" -- run canon --seed " 5" $o
usage "run: --scale 0" "hailsham run: --scale needs a number with 0 < F <= 1, got '0'" -- run canon --scale 0 $o
usage "run: --scale nan" "hailsham run: --scale needs a number with 0 < F <= 1, got 'nan'" -- run canon --scale nan $o
usage "run: --scale inf" "hailsham run: --scale needs a number with 0 < F <= 1, got 'inf'" -- run canon --scale inf $o
usage "run: --scale -0.5" "hailsham run: --scale needs a number with 0 < F <= 1, got '-0.5'" -- run canon --scale -0.5 $o
# a scale too small for anyone to live in the world: data, not usage (exit 3)
empty="the world is empty at this scale: public.initial times scenario.scale must be at least 0.5 (one person); for this public.initial, scenario.scale must be at least 1.2135922330097088e-08"
expect_line "run: --scale 1e-9" 3 "$(line_re "hailsham run: --scale 1e-09: $empty" "")" "$tmp/out/x" -- "$hs" run canon --scale 1e-9 $o
expect_line "experiment: --scale 1e-9" 3 "$(line_re "hailsham experiment: --scale 1e-09: $empty" "")" "$tmp/out/x" -- "$hs" experiment canon --scale 1e-9 --replications 1 $o
usage "run: --scale 1.5" "hailsham run: --scale needs a number with 0 < F <= 1, got '1.5'" -- run canon --scale 1.5 $o
usage "run: --scale 1e-400" "hailsham run: --scale needs a number with 0 < F <= 1, got '1e-400'" -- run canon --scale 1e-400 $o
usage "run: --scale empty" "hailsham run: --scale needs a number with 0 < F <= 1, got ''" -- run canon --scale "" $o
usage "run: --scale without a value" "hailsham run: --scale needs a value (try hailsham run --help)" -- run canon $o --scale
usage "run: --out without a value" "hailsham run: --out needs a value (try hailsham run --help)" -- run canon --out
usage "run: --out empty" "hailsham run: --out needs a directory" -- run canon --out ""
usage "run: --set without a value" "hailsham run: --set needs a value (try hailsham run --help)" -- run canon $o --set
usage "run: no scenario" "hailsham run: no scenario given (try hailsham scenarios)" -- run $o
usage "run: two scenarios" "hailsham run: more than one scenario given ('canon', 'deferrals')" -- run canon deferrals $o
usage "experiment: --threads 0" "hailsham experiment: --threads needs a whole number from 1 to 1024, got '0'" -- experiment canon --replications 2 --threads 0 $o
usage "experiment: --threads -1" "hailsham experiment: --threads needs a whole number from 1 to 1024, got '-1'" -- experiment canon --replications 2 --threads -1 $o
usage "experiment: --threads given twice" "hailsham experiment: --threads is given twice" -- experiment canon --replications 2 --threads 1 --threads 2 $o
usage "experiment: --replications 0" "hailsham experiment: --replications needs a whole number from 1 to 1000000, got '0'" -- experiment canon --replications 0 $o
usage "experiment: no --replications" "hailsham experiment: --replications N is required: how many runs at each point" -- experiment canon $o
usage "experiment: --replications without a value" "hailsham experiment: --replications needs a value" -- experiment canon $o --replications
usage "experiment: --seed -1" "hailsham experiment: --seed needs a whole number from 0 to $big, got '-1'" -- experiment canon --replications 2 --seed -1 $o
usage "experiment: --scale 0" "hailsham experiment: --scale needs a number with 0 < F <= 1, got '0'" -- experiment canon --replications 2 --scale 0 $o
usage "experiment: --scale nan" "hailsham experiment: --scale needs a number with 0 < F <= 1, got 'nan'" -- experiment canon --replications 2 --scale nan $o
usage "experiment: --precision nan" "hailsham experiment: --precision needs a number with 0 < P <= 1, got 'nan'" -- experiment canon --replications 2 --precision nan $o
usage "experiment: unknown option" "hailsham experiment: unknown option '--bogus' (try hailsham experiment --help)" -- experiment canon --replications 2 $o --bogus
usage "experiment: unknown option with a value" "hailsham experiment: unknown option '--replicates' (try hailsham experiment --help)" -- experiment canon --replicates 2 $o
usage "experiment: no scenario" "hailsham experiment: no scenario given (try hailsham scenarios)" -- experiment --replications 2 $o
usage "validate: no scenario" "hailsham validate: missing the scenario: give a file or a built-in name, as in 'canon' (try 'hailsham validate --help')" -- validate
usage "validate: unknown option" "hailsham validate: unknown option '--bogus' (try 'hailsham validate --help')" -- validate --bogus canon
usage "validate: --set without a value" "hailsham validate: missing KEY=VALUE after option '--set' (try 'hailsham validate --help')" -- validate canon --set
usage "validate: two scenarios" "hailsham validate: unexpected argument 'deferrals' (try 'hailsham validate --help')" -- validate canon deferrals
usage "report: no directory" "hailsham report: no run directory given (try hailsham report --help)" -- report
usage "report: unknown option" "hailsham report: unknown option '--bogus' (try hailsham report --help)" -- report "$tmp" --bogus
usage "report: --out without a value" "hailsham report: --out needs a file name" -- report "$tmp" --out
usage "report: two directories" "hailsham report: more than one directory given ('a', 'b')" -- report a b
usage "chronicle: no directory" "hailsham chronicle: no run directory given (try hailsham chronicle --help)" -- chronicle --donor 1
usage "chronicle: unknown option" "hailsham chronicle: unknown option '--bogus' (try hailsham chronicle --help)" -- chronicle "$tmp" --bogus
usage "chronicle: --donor without a value" "hailsham chronicle: --donor needs a value (try hailsham chronicle --help)" -- chronicle "$tmp" --donor
usage "chronicle: --donor abc" "hailsham chronicle: --donor needs a whole number from 0 to 9223372036854775807, got 'abc'" -- chronicle "$tmp" --donor abc
usage "chronicle: --cohort 0" "hailsham chronicle: --cohort needs a whole number from 1 to 9999, got '0'" -- chronicle "$tmp" --cohort 0
usage "chronicle: --limit 0" "hailsham chronicle: --limit needs a whole number from 1 to 1000000, got '0'" -- chronicle "$tmp" --cohort 1960 --limit 0
usage "chronicle: --donor with --cohort" "hailsham chronicle: --donor, --name and --cohort cannot be used together (try hailsham chronicle --help)" -- chronicle "$tmp" --donor 1 --cohort 1960
usage "chronicle: --name with --donor" "hailsham chronicle: --donor, --name and --cohort cannot be used together (try hailsham chronicle --help)" -- chronicle "$tmp" --name "Kathy H." --donor 1
usage "chronicle: --name without a value" "hailsham chronicle: --name needs a donor's name, e.g. 'Kathy H.'" -- chronicle "$tmp" --name
usage "chronicle: --name with --limit" "hailsham chronicle: --estate and --limit go with --cohort, not --donor or --name (try hailsham chronicle --help)" -- chronicle "$tmp" --name "Kathy H." --limit 3
usage "scenarios: unknown option" "hailsham scenarios: unknown option '--bogus' (try 'hailsham scenarios --help')" -- scenarios --bogus
usage "schema: an argument" "hailsham schema: unexpected argument 'x' (try 'hailsham schema --help')" -- schema x
}

# ---- memory: the programme's donors count, and the limit the process has ------------
# The planner's growth and minimum make the programme, not the public, what
# fills the memory.  Growth 0.5 would plan cohorts 2e5 times the demand (58
# GB at scale 0.001): the scenario check refuses it before any estimate;
# minimum 1e8 (2.4 GB) is refused under an address-space limit of 2 GB,
# which is named as the limit.  Canon still runs under it.
expect_line "the planner's growth 0.5 is refused by the scenario check" 3 \
    "$(line_re "--set programme.cohorts.growth=0.5: error: the planner's forecast factor (1 + programme.cohorts.growth) ^ programme.cohorts.lead_years x programme.cohorts.margin is @N@, over the limit of 1000" "")" \
    "$tmp/out/g" -- "$hs" run canon --set programme.cohorts.growth=0.5 --scale 0.001 \
    --out "$tmp/out/g" --quiet
# (a sanitizer's runtime reserves terabytes of address space at start, so
# under such a build the limit stops the program before it is itself)
if (ulimit -v 2000000) 2>/dev/null &&
   sh -c 'ulimit -v 2000000 && exec "$@"' sh "$hs" --version >/dev/null 2>&1; then
    expect_line "the planner's minimum 1e8 is refused under ulimit -v" 5 \
        "$(line_re "hailsham run: this run would need about @N@ GB of memory, more than the 2.05 GB this process may use (the address-space limit (ulimit -v)); try --scale @N@ or less" "")" \
        "$tmp/out/v" -- sh -c 'ulimit -v 2000000 && exec "$@"' sh "$hs" run canon \
        --set programme.cohorts.minimum=100000000 --scale 0.001 --out "$tmp/out/v" --quiet
    expect_clean "canon at its own scale runs under the same limit" -- \
        sh -c 'ulimit -v 2000000 && exec "$@"' sh "$hs" run canon --out "$tmp/canon" --quiet
else
    skip "the planner's minimum 1e8 is refused under ulimit -v" \
        "ulimit -v is not available, or this build cannot start under it"
    skip "canon at its own scale runs under the same limit" \
        "ulimit -v is not available, or this build cannot start under it"
fi

# ---- user text in messages: one line, control characters shown, position whole ----------
# A scenario with a syntax error on line 3, column 15 (the message's own
# position) under a name holding a newline, one holding an escape
# sequence, and a path of about 1 KB.
printf 'scenario:\n  name: x\n  start_year: [1950\n' >"$tmp/syntax.yaml"
syntax="error: did not find expected ',' or ']' (while parsing a flow sequence at 3:15)"
NL=$(printf '\nx')
NL=${NL%x}
nl_name="new${NL}line.yaml"
cp "$tmp/syntax.yaml" "$tmp/$nl_name"
expect_line "a file name with a newline: one line, the newline shown escaped" 3 \
    "$(line_re "@DIR@/new\\nline.yaml:4:1: $syntax" "$tmp")" "$tmp/out/n" -- \
    "$hs" run "$tmp/$nl_name" --out "$tmp/out/n" --quiet
esc_name=$(printf 'red\033[31m.yaml')
cp "$tmp/syntax.yaml" "$tmp/$esc_name"
expect_line "a file name with an escape sequence: shown escaped, not sent to the terminal" 3 \
    "$(line_re "@DIR@/red\\x1b[31m.yaml:4:1: $syntax" "$tmp")" "$tmp/out/e" -- \
    "$hs" run "$tmp/$esc_name" --out "$tmp/out/e" --quiet
expect_line "validate says the same of it" 3 \
    "$(line_re "@DIR@/red\\x1b[31m.yaml:4:1: $syntax" "$tmp")" "" -- \
    "$hs" validate "$tmp/$esc_name"
c1_name=$(printf 'nel\302\205ls\342\200\250.yaml')
cp "$tmp/syntax.yaml" "$tmp/$c1_name"
expect_line "a file name with NEL and a line separator: shown as \\u0085 and \\u2028" 3 \
    "$(line_re "@DIR@/nel\\u0085ls\\u2028.yaml:4:1: $syntax" "$tmp")" "" -- \
    "$hs" validate "$tmp/$c1_name"
long="$tmp"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
    long="$long/directory-number-$i-of-a-long-path-to-a-scenario-file-xxxxxxxxxx"
done
mkdir -p "$long"
cp "$tmp/syntax.yaml" "$long/the-end.yaml"
expect_line "a path of $(printf '%s' "$long/the-end.yaml" | wc -c) bytes: its middle cut, its end and :LINE:COLUMN whole" 3 \
    "$(line_re "@DIR@/directory-number-1-of-a-long-path" "$tmp")[^ ]*\.\.\.[^ ]*-xxxxxxxxxx/the-end\.yaml:4:1: $(line_re "$syntax" "")" \
    "$tmp/out/l" -- "$hs" run "$long/the-end.yaml" --out "$tmp/out/l" --quiet
expect_line "an output directory with a newline: one line" 4 \
    "hailsham run: output directory $(line_re "@DIR@/f\\nle/d" "$tmp") holds x, which is not a file: .*" "" -- \
    sh -c 'mkdir -p "$1/d/x" && exec "$2" run canon --out "$1/d" --quiet' sh "$tmp/f${NL}le" "$hs"

# ---- a full disk: the file and the cause, and nothing half-written -------------------
# A file system of 200 KB (tmpfs; mounting needs root) fills while
# run.sqlite is written.
mkdir "$tmp/full"
if mount -t tmpfs -o size=200k tmpfs "$tmp/full" 2>/dev/null; then
    expect_line "a full disk: the message names the file and the cause" 4 \
        "hailsham run: $(line_re "@DIR@/full/runs/x/run.sqlite" "$tmp"): write failed: No space left on device" \
        "$tmp/full/runs/x" -- "$hs" run canon --out "$tmp/full/runs/x" --quiet
    if [ -z "$(ls -A "$tmp/full/runs")" ]; then
        ok "a full disk: nothing left, neither the directory nor its staging"
    else
        not_ok "a full disk: left $(ls -A "$tmp/full/runs" | tr '\n' ' ')"
    fi
    umount "$tmp/full"
else
    skip "a full disk: the message names the file and the cause" "cannot mount a tmpfs here"
    skip "a full disk: nothing left, neither the directory nor its staging" "cannot mount a tmpfs here"
fi

# ---- the exit statuses, in every command's --help ----------------------------------
for cmd in "" run experiment validate scenarios schema report chronicle; do
    # shellcheck disable=SC2086
    if "$hs" $cmd --help | tr '\n' ' ' | grep -q "Exit status: 0 success, 2 bad usage, 3 bad input data, 4 cannot write output, 5 out of memory, 70 internal error"; then
        ok "hailsham $cmd --help lists the exit statuses"
    else
        not_ok "hailsham $cmd --help lists the exit statuses"
    fi
done

echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
