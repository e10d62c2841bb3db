#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_cli.sh - the hailsham command as a user meets it: help, version,
# reproducible runs (same seed, same bytes), and a clear one-line error,
# a non-zero exit status and no output directory for each kind of bad
# command line or scenario.
#
#   tests/test_cli.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
hs="$build/hailsham"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# expect STATUS PATTERN DESCRIPTION -- COMMAND...: the command exits with
# STATUS and its stderr has exactly one line, matching PATTERN.
expect() {
    status=$1 pattern=$2 what=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    lines=$(wc -l <"$tmp/err")
    if [ "$got" -eq "$status" ] && grep -q -- "$pattern" "$tmp/err" && [ "$lines" -le 1 ]; then
        ok "$what"
    else
        not_ok "$what (exit $got, stderr: $(head -c 300 "$tmp/err"))"
    fi
}

echo "TAP version 13"

"$hs" --version | grep -q '^hailsham [0-9]' && ok "--version" || not_ok "--version"
"$hs" --help | grep -q 'run' && ok "--help lists the commands" || not_ok "--help"
"$hs" run --help | grep -q -- '--seed' && ok "run --help" || not_ok "run --help"
"$hs" run --help | grep -q 'Exit status' && ok "run --help documents exit statuses" \
    || not_ok "run --help exit statuses"

# reproducibility: same seed, same bytes; another seed, other bytes
"$hs" run canon --scale 0.002 --seed 5 --out "$tmp/a" --quiet &&
"$hs" run canon --scale 0.002 --seed 5 --out "$tmp/b" --quiet &&
"$hs" run canon --scale 0.002 --seed 6 --out "$tmp/c" --quiet
for f in run.sqlite yearly.csv summary.json; do
    if cmp -s "$tmp/a/$f" "$tmp/b/$f"; then ok "same seed, same $f"; else not_ok "same seed, same $f"; fi
done
if cmp -s "$tmp/a/yearly.csv" "$tmp/c/yearly.csv"; then not_ok "another seed changes yearly.csv"
else ok "another seed changes yearly.csv"; fi
if ls -a "$tmp/a" | grep -q tmp; then not_ok "no temporaries left"; else ok "no temporaries left"; fi
head -1 "$tmp/a/yearly.csv" | grep -q '^year,public_alive,life_expectancy,life_expectancy_all,reached_100' \
    && ok "yearly.csv header" || not_ok "yearly.csv header"
grep -q '"seed": 5' "$tmp/a/summary.json" && ok "summary.json names the seed" \
    || not_ok "summary.json seed"

# bad command lines: exit 2, one line naming the option, no output
expect 2 "unknown option '--bogus'" "unknown option" -- "$hs" run canon --bogus --out "$tmp/x1"
expect 2 "\-\-seed needs" "--seed -1" -- "$hs" run canon --seed -1 --out "$tmp/x2"
expect 2 "\-\-seed needs" "--seed abc" -- "$hs" run canon --seed abc --out "$tmp/x3"
expect 2 "\-\-seed needs" "--seed missing" -- "$hs" run canon --seed
expect 2 "\-\-scale needs" "--scale 0" -- "$hs" run canon --scale 0 --out "$tmp/x4"
expect 2 "\-\-scale needs" "--scale nan" -- "$hs" run canon --scale nan --out "$tmp/x5"
expect 2 "\-\-scale needs" "--scale 2" -- "$hs" run canon --scale 2 --out "$tmp/x6"
expect 2 "no scenario" "no scenario" -- "$hs" run
expect 2 "unknown command" "unknown command" -- "$hs" frobnicate
# bad scenarios: exit 3, file:line:column, no output
expect 3 "no-such-scenario" "unknown scenario" -- "$hs" run no-such-scenario --out "$tmp/x7"
printf 'scenario:\n  name: t\npublic:\n  share_male: 1.5\n' >"$tmp/bad.yaml"
expect 3 "bad.yaml:4:15: error" "value out of range" -- "$hs" run "$tmp/bad.yaml" --out "$tmp/x8"
expect 3 "error" "--set unknown key" -- "$hs" run canon --set public.nope=1 --out "$tmp/x9"
for d in x1 x2 x3 x4 x5 x6 x7 x8 x9; do
    if [ -e "$tmp/$d" ]; then not_ok "no output directory after an error ($d)"; fi
done
ok "no output directory after any error"
# an output directory that cannot be made
touch "$tmp/file"
expect 4 "cannot create output directory" "output is a file" -- \
    "$hs" run canon --scale 0.001 --out "$tmp/file/sub" --quiet
# too much memory is refused before anything is allocated
expect 5 "would need about" "memory refusal" -- \
    "$hs" run canon --set public.initial=900000000 --scale 1 --out "$tmp/x10"

# the figure catalogue: docs/outputs.md holds what `hailsham figures` prints,
# and summary.json gives every headline figure it lists, with the format
"$hs" figures >"$tmp/figures.md"
sed -n '/^<!-- figures: begin/,/^<!-- figures: end/p' "$src/docs/outputs.md" | sed '1d;$d' \
    >"$tmp/figures-doc.md"
if [ -s "$tmp/figures.md" ] && cmp -s "$tmp/figures.md" "$tmp/figures-doc.md"; then
    ok "docs/outputs.md holds the figure catalogue"
else
    not_ok "docs/outputs.md differs from 'hailsham figures' (regenerate its figures section)"
fi
"$hs" run canon --scale 0.002 --out "$tmp/cat" --quiet
missing=""
names=$(sed -n '/^### Headline/,/^### Yearly/s/^| `\([a-z0-9_]*\)`.*/\1/p' "$tmp/figures.md")
for name in $names; do
    [ "$(grep -c "\"$name\":" "$tmp/cat/summary.json")" -eq 3 ] || missing="$missing $name"
done
if [ -n "$names" ] && [ -z "$missing" ] && grep -q '"format": 3' "$tmp/cat/summary.json"; then
    ok "summary.json gives all $(echo $names | wc -w) headline figures, for each of the three worlds, and its format"
else
    not_ok "summary.json lacks:$missing"
fi
cols=$(sed -n '/^### Yearly/,$s/^| `\([a-z0-9_]*\)`.*/\1/p' "$tmp/figures.md" | tr '\n' ',')
if [ "$(head -n 1 "$tmp/cat/yearly.csv")," = "year,$cols" ]; then
    ok "yearly.csv has the catalogue's yearly figures, in its order"
else
    not_ok "yearly.csv's columns differ from the catalogue"
fi

# provenance: what the command line changed is recorded and shown, gets a
# default directory of its own, and never replaces another run's files
# unasked
mkdir "$tmp/prov"
(cd "$tmp/prov" && "$hs" run canon --scale 0.002 --quiet &&
    "$hs" run canon --scale 0.002 --set programme.end=1985 >"$tmp/prov.out")
dirs=$(ls "$tmp/prov/runs" | tr '\n' ' ')
case "$dirs" in
"canon-1-"????????" canon-1-"????????" ") ok "other inputs, other default directories ($dirs)" ;;
*) not_ok "other inputs, other default directories ($dirs)" ;;
esac
grep -q "^  changed on the command line: programme.end=1985, --scale 0.002$" "$tmp/prov.out" &&
    ok "the table says what the command line changed" || not_ok "the table says what the command line changed"
d1=$(ls -d "$tmp"/prov/runs/* | head -n 1)
grep -q '"overrides": \[' "$d1/summary.json" && grep -q '"inputs": "[0-9a-f]\{16\}"' "$d1/summary.json" &&
    ok "summary.json records the inputs and the overrides" || not_ok "summary.json records the inputs and the overrides"
cp "$d1/summary.json" "$tmp/prov-before.json"
expect 3 "holds the files of a run with other inputs" "another run's files are refused" -- \
    "$hs" run canon --scale 0.002 --seed 7 --quiet --out "$d1"
cmp -s "$d1/summary.json" "$tmp/prov-before.json" && ok "and left as they were" || not_ok "and left as they were"
"$hs" run canon --scale 0.002 --seed 7 --quiet --out "$d1" --force &&
    grep -q '"seed": 7' "$d1/summary.json" && ok "--force replaces them" || not_ok "--force replaces them"
"$hs" run canon --scale 0.002 --seed 7 --quiet --out "$d1" &&
    ok "the same inputs replace their own files" || not_ok "the same inputs replace their own files"
"$hs" report "$d1" --out "$tmp/prov.html" >/dev/null &&
    grep -q "<h1>The donation programme: canon, with --scale 0.002</h1>" "$tmp/prov.html" &&
    ok "the report's title names the overrides" || not_ok "the report's title names the overrides"

mkdir "$tmp/stems"
printf 'scenario:\n  name: my\n  end_year: 1955\n  scale: 0.001\n' >"$tmp/stems/my.a.yaml"
cp "$tmp/stems/my.a.yaml" "$tmp/stems/my.b.yaml"
(cd "$tmp/stems" && "$hs" run my.a.yaml -q --no-baseline && "$hs" run my.b.yaml -q --no-baseline) &&
    [ -d "$tmp/stems/runs/my.a-1" ] && [ -d "$tmp/stems/runs/my.b-1" ] &&
    ok "my.a.yaml and my.b.yaml run into directories of their own" ||
    not_ok "my.a.yaml and my.b.yaml run into directories of their own"

# --opt=value, -q, -V and `hailsham help COMMAND`
"$hs" run canon --seed=3 --scale=0.002 --no-baseline -q --out="$tmp/eq" &&
    grep -q '"seed": 3' "$tmp/eq/summary.json" && [ ! -s "$tmp/eq.out" ] &&
    ok "--opt=value and -q are understood" || not_ok "--opt=value and -q are understood"
[ "$("$hs" -V)" = "$("$hs" --version)" ] && ok "-V is --version" || not_ok "-V is --version"
"$hs" help run >"$tmp/help1" && "$hs" run --help >"$tmp/help2" && cmp -s "$tmp/help1" "$tmp/help2" &&
    ok "hailsham help run is run --help" || not_ok "hailsham help run is run --help"
expect 2 "hailsham help: unknown command 'nope'" "help of an unknown command" -- "$hs" help nope

expect 3 "is not one of programme.estates (did you mean 'government homes'?)" \
    "a misspelt estate gets its suggestion" -- \
    "$hs" validate canon --set "programme.fallback_estate=governmnt homes"

# validate - reads standard input
"$hs" scenarios --show canon | "$hs" validate - && ok "validate - reads a valid scenario from stdin" ||
    not_ok "validate - reads a valid scenario from stdin"
printf 'scenario:\n  name: x\n  end_year: 19x\n' >"$tmp/stdin-bad.yaml"
expect 3 "^/dev/stdin:3:13: error: expected a year, found '19x'" "validate - gives the place of an error" \
    -- sh -c '"$1" validate - <"$2"' sh "$hs" "$tmp/stdin-bad.yaml"

# a reader refuses files of a format it does not know
cp -r "$tmp/cat" "$tmp/cat7"
python3 -c 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); d.execute("PRAGMA user_version=7"); d.commit()' \
    "$tmp/cat7/run.sqlite"
expect 3 "run.sqlite has format 7, which this hailsham (format 3) does not know" \
    "chronicle refuses an unknown format" -- "$hs" chronicle "$tmp/cat7" --donor 1
expect 3 "run.sqlite has format 7, which this hailsham (format 3) does not know" \
    "report refuses an unknown format" -- "$hs" report "$tmp/cat7" --out "$tmp/cat7.html"
cp -r "$tmp/cat" "$tmp/catj"
sed 's/"format": 3/"format": 4/' "$tmp/cat/summary.json" >"$tmp/catj/summary.json"
expect 3 "summary.json has format 4, which this hailsham (format 3) does not know" \
    "report refuses an unknown summary.json format" -- "$hs" report "$tmp/catj" --out "$tmp/catj.html"

# the README's tour: its first table is what `hailsham run canon` prints,
# but for the wall time, which the machine decides
mkdir "$tmp/tour"
(cd "$tmp/tour" && "$hs" run canon) | grep -v '^  wall time' >"$tmp/tour.out"
awk '/^`hailsham run canon` runs the novel/ {f = 1} f && /^```$/ {n++; next}
     f && n == 1 {print} n == 2 {exit}' "$src/README.md" | grep -v '^  wall time' >"$tmp/tour.readme"
if [ -s "$tmp/tour.readme" ] && cmp -s "$tmp/tour.out" "$tmp/tour.readme"; then
    ok "the README's tour shows what 'hailsham run canon' prints"
else
    not_ok "the README's tour differs from 'hailsham run canon': $(diff "$tmp/tour.readme" "$tmp/tour.out" | head -5)"
fi

# the rest of the tour, from the same run: the sentences that read the
# table, the yearly.csv excerpt, the sqlite3 query and its rows, the end of
# the chronicle and the experiment's lines are what the program gives now
(cd "$tmp/tour" && "$hs" chronicle runs/canon-1 --donor 35) >"$tmp/tour.chronicle" 2>&1
(cd "$tmp/tour" && "$hs" experiment canon --replications 8 --vary programme.couples.grant=0,1) \
    >"$tmp/tour.experiment" 2>&1
python3 - "$src/README.md" "$tmp/tour" "$tmp/tour.chronicle" "$tmp/tour.experiment" \
    >"$tmp/tour.checks" 2>&1 <<'PY'
import csv, json, re, sqlite3, sys
readme, tour, chron, expt = sys.argv[1:5]
text = open(readme).read()
run = tour + "/runs/canon-1"
h = json.load(open(run + "/summary.json"))
head, base, ceil = h["headline"], h["baseline"], h["ceiling"]
years = list(csv.DictReader(open(run + "/yearly.csv")))

def check(ok, what, why=""):
    print(("PASS " if ok else "FAIL ") + what + ("" if ok else ": " + why))

def block_with(marker):
    """The lines of the ``` block whose first line starts with marker."""
    i = text.index("```\n" + marker) + 4
    return text[i:text.index("```", i)].rstrip("\n").split("\n")

prose = " ".join(text[text.index("Read the table with the gravity"):
                      text.index("The files are for looking further")].split())
def said(pattern):
    m = re.search(pattern, prose)
    return m.group(1) if m else None
first = min(int(r["year"]) for r in years if float(r["transplants"]) > 0)
claims = [
    ("donors per 1,000 births", said(r"made (\d+) people for their organs for every 1,000"),
     str(int(head["donors_per_1000_births"]))),
    ("the years the programme gave", said(r"it gave ([0-9.]+) years of life"),
     "%.1f" % head["gain_life_expectancy"]),
    ("life expectancy with the donors counted", said(r"in 1999 was ([0-9.]+),"),
     "%.1f" % head["life_expectancy_all_end"]),
    ("how far below the world without", said(r", ([0-9.]+) years below the same world"),
     "%.1f" % -head["gain_life_expectancy_all"]),
    ("the first organ's year", said(r"reaches anyone in (\d{4})"), str(first)),
    ("the years after the breakthrough", said(r"(\d+) years after the breakthrough of 1952"),
     str(first - 1952)),
    ("life expectancy at perfect supply", said(r"perfect supply life\s+expectancy stays near (\d+)"),
     "%.0f" % ceil["life_expectancy_end"]),
]
for what, got, want in claims:
    check(got == want, "the tour's sentence on " + what, "says %s, the run %s" % (got, want))
share = head["cured_total"] / head["curable_deaths_total"]
check("more than one curable death in four" in prose and 0.25 < share < 1 / 3,
      "the tour's share of curable deaths prevented", "the run's share is %.3f" % share)
check("about fifty years" in prose and 45 <= head["life_years_taken_per_donor"] < 55,
      "the tour's years taken per donor", str(head["life_years_taken_per_donor"]))
check("most of what perfect supply would give" in prose and
      head["gain_life_expectancy"] > ceil["life_expectancy_end"] - head["life_expectancy_end"],
      "the tour's gain against perfect supply")
check("no deferral is ever granted" in prose and head["deferrals_granted"] == 0,
      "the tour's deferrals granted")

excerpt = block_with("year,public_alive,")
cols = excerpt[0].split(",")
by_year = {r["year"]: r for r in years}
rows = [",".join(by_year[line.split(",")[0]][c] for c in cols) for line in excerpt[1:]]
check(len(excerpt) > 1 and rows == excerpt[1:], "the tour's yearly.csv rows",
      "README %s, the run %s" % (excerpt[1:], rows))

shown = block_with("$ sqlite3 -header -column runs/canon-1/run.sqlite")
cmd = "\n".join(l for l in shown if l.startswith(("$ ", "    ")))
sql = cmd[cmd.index('"') + 1:cmd.rindex('"')]
table = [l for l in shown if not l.startswith(("$ ", "    "))]
want = [re.split(r"\s{2,}", l.strip()) for l in [table[0]] + table[2:]]
db = sqlite3.connect(run + "/run.sqlite")
cur = db.execute(sql)
got = [[d[0] for d in cur.description]] + [[str(v) for v in r] for r in cur.fetchall()]
check(len(want) > 1 and got == want, "the tour's sqlite3 query and its rows",
      "README %s, the run %s" % (want, got))

told = block_with("$ build/hailsham chronicle runs/canon-1 --donor 35")
told = told[told.index("...") + 1:]
out = open(chron).read().rstrip("\n").split("\n")
check(len(told) > 0 and out[-len(told):] == told, "the tour's chronicle ends as the chronicle does",
      "the chronicle ends %s" % out[-len(told):])

lines = block_with("$ build/hailsham experiment canon --replications 8")[1:]
out = open(expt).read().split("\n")
missing = [l for l in lines if l not in out]
check(len(lines) > 1 and not missing, "the tour's experiment lines are the experiment's",
      "not in its output: %s" % missing)
PY
[ $? -eq 0 ] || not_ok "the tour's checks did not run: $(head -c 300 "$tmp/tour.checks")"
grep -E '^(PASS|FAIL) ' "$tmp/tour.checks" >"$tmp/tour.verdicts"
while read -r verdict what; do
    if [ "$verdict" = PASS ]; then ok "$what"; else not_ok "$what"; fi
done <"$tmp/tour.verdicts"

# could-it-work: the film's card against organs alone, and its bad inputs
"$hs" could-it-work canon --target 100 --by 1967 --scale 0.002 --replications 2 --quiet \
    --out "$tmp/could" --report >"$tmp/could.out" 2>"$tmp/could.err"
if [ $? -eq 0 ] && tr '\n' ' ' <"$tmp/could.out" | tr -s ' ' |
    grep -q "No programme size gives a life expectancy at birth of 100 by 1967" &&
    [ "$(grep -c "planner's margin" "$tmp/could.out")" -eq 10 ] && [ ! -s "$tmp/could.err" ]; then
    ok "could-it-work: no size gives 100 by 1967, and it says so"
else
    not_ok "could-it-work: $(head -c 300 "$tmp/could.out" "$tmp/could.err")"
fi
# its files say what the terminal said: the ceiling's life expectancy in
# 1967, the answer, every world year by year; the report draws both charts
# and says the same answer with the same number
if python3 - "$tmp/could" "$tmp/could.out" <<'PY'
import csv, json, re, sys
d, out = sys.argv[1], open(sys.argv[2]).read()
c = json.load(open(d + "/could.json"))
w = c["worlds"]
assert c["kind"] == "could-it-work" and c["target"] == 100 and c["by"] == 1967, c
assert [x["world"] for x in w][0] == "without" and w[-1]["world"] == "perfect supply"
assert len(w) == 12 and c["answer"]["reachable"] is False
ceiling = w[-1]["life_expectancy"]
m = re.search(r"perfect supply \(ceiling\)\s+([0-9.]+) \+/- ([0-9.]+)", out)
assert m and abs(float(m.group(1)) - ceiling) < 0.006, (m and m.group(1), ceiling)
for x in w:   # the year asked, year by year and as the headline, agree
    assert abs(x["life_expectancy_by_year"][1967 - c["start_year"]] - x["life_expectancy"]) < 1e-9
rows = list(csv.DictReader(open(d + "/could.csv")))
assert len(rows) == 12 * (c["end_year"] - c["start_year"])
r67 = [r for r in rows if r["world"] == "perfect supply" and r["year"] == "1967"]
assert len(r67) == 1 and abs(float(r67[0]["life_expectancy"]) - ceiling) < 1e-9
html = open(d + "/report.html").read()
assert 'id="fig-could-size"' in html and 'id="fig-could-years"' in html, "charts"
assert "No programme size gives a life expectancy at birth of 100 by 1967" in html
assert ("gives %.2f" % ceiling) in html and ("gives %.2f" % ceiling) in out
assert c["answer"]["text"].startswith("No programme size gives") and "donors" not in c["answer"]["text_plain"]
PY
then
    ok "could-it-work --out: could.json, could.csv and the report agree with the terminal"
else
    not_ok "could-it-work --out: files and terminal disagree"
fi
cp "$tmp/could/could.json" "$tmp/could.kept"
expect 3 "already holds files" "could-it-work into a directory that holds files" -- \
    "$hs" could-it-work canon --target 100 --by 1967 --scale 0.002 --replications 2 --quiet \
    --out "$tmp/could"
if cmp -s "$tmp/could/could.json" "$tmp/could.kept"; then
    ok "could-it-work refused: the earlier answer is untouched"
else
    not_ok "could-it-work refused but changed the earlier answer"
fi
"$hs" report "$tmp/could" --out "$tmp/could-again.html" >/dev/null 2>&1
if cmp -s "$tmp/could/report.html" "$tmp/could-again.html"; then
    ok "hailsham report of a could-it-work directory gives the same page"
else
    not_ok "hailsham report of a could-it-work directory differs from --report's"
fi
expect 2 "needs a SCENARIO, --target and --by" "could-it-work without a target" -- \
    "$hs" could-it-work canon --by 1990
expect 2 "--by 2050 is outside the run" "could-it-work past the run" -- \
    "$hs" could-it-work canon --target 80 --by 2050
expect 3 "realworld has no programme" "could-it-work without a programme" -- \
    "$hs" could-it-work realworld --target 80 --by 1990
expect 2 "--replications needs a number from 2 to 64" "could-it-work, one replication" -- \
    "$hs" could-it-work canon --target 80 --by 1990 --replications 1

# a run at a scale other than the one its lists were calibrated at says
# so under its table; a run at that scale, or of a scenario calibrated at
# none, does not
note="were calibrated at scale"
"$hs" run realworld --scale 0.01 --no-baseline --out "$tmp/rw01" >"$tmp/rw01.txt" 2>&1
grep -q "realworld's waiting lists and organs wasted $note 0.05, and this run is" "$tmp/rw01.txt" &&
    grep -q "^  at 0.01: in a smaller world" "$tmp/rw01.txt" &&
    ok "realworld at 0.01 says its lists were calibrated at 0.05" ||
    not_ok "realworld at 0.01 says nothing of its calibration: $(tail -5 "$tmp/rw01.txt")"
"$hs" run realworld --no-baseline --out "$tmp/rw05" >"$tmp/rw05.txt" 2>&1 &&
    ! grep -q "$note" "$tmp/rw05.txt" && grep -q "scale 0.05" "$tmp/rw05.txt" &&
    ok "realworld at its calibrated scale says nothing of it" ||
    not_ok "realworld at 0.05: $(tail -5 "$tmp/rw05.txt")"
"$hs" run canon --scale 0.002 --no-baseline --out "$tmp/cn" >"$tmp/cn.txt" 2>&1 &&
    grep -q "counts are of the simulated population" "$tmp/cn.txt" &&
    ! grep -q "$note" "$tmp/cn.txt" &&
    ok "canon, calibrated at no scale, says nothing of it" || not_ok "canon's table"

# the man page names every option of every command's --help
missing=""
for c in run experiment could-it-work report chronicle validate scenarios schema figures; do
    for o in $("$hs" "$c" --help 2>/dev/null | grep -oE '(^| |\[)--[a-z][a-z-]*' | tr -d ' [' | sort -u); do
        grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$src/man/hailsham.1" || missing="$missing $c$o"
    done
done
if [ -z "$missing" ]; then
    ok "the man page names every option of every command"
else
    not_ok "the man page lacks:$missing"
fi

echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
