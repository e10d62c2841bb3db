#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# test_injection.py - text from a scenario or a run directory is shown,
# never run.
#
# A corpus of hostile strings (gnuplot's backquote substitution and
# system(), the shell's $(...), quotes and backslashes that would end a
# gnuplot or HTML string early, newlines that would start a new gnuplot
# command such as `!` or `load`, escape sequences, HTML and SVG markup) goes
# through every way text reaches the outputs:
#
#   1. every string parameter of the scenario schema, in a scenario file:
#      `validate`, `run --report` and `experiment --report` refuse it with
#      FILE:LINE:COLUMN (names have a documented character set), and the
#      same through --set;
#   2. a finished run directory whose run.sqlite and summary.json were
#      edited to hold the string as a scenario name, estate, centre and
#      parameter: `report` and `chronicle` must draw and tell it;
#   3. a finished experiment directory whose experiment.json holds it as a
#      sweep key, value and scenario name: `report` must draw it.
#
# Each string that would run a command writes a canary file; the test fails
# if any canary appears.  The pages must show the text literally: parsed as
# HTML, their text holds the string (white space and control characters as
# the page shows them), and no element or attribute of the string's markup
# exists in the page.  The chronicle must print no control character.
#
#   test_injection.py HAILSHAM     prints TAP
import html.parser
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HS = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix="hs-inject-")
CANARY = os.path.join(TMP, "canary")

# Every entry would, if it were interpreted anywhere, create CANARY.
C = CANARY
CORPUS = [
    "`touch %s`" % C,
    "x`touch %s`y" % C,
    "$(touch %s)" % C,
    'system("touch %s")' % C,
    "\" . system(\"touch %s\") . \"" % C,
    "' . system('touch %s') . '" % C,
    "a\\\" . system(\"touch %s\") . \"\\" % C,
    "a\nsystem(\"touch %s\")\n" % C,
    "a\n!touch %s\n" % C,
    "a\nset output '%s'\nplot x\n" % C,
    "a\nload '/dev/null'\n! touch %s" % C,
    "@x `touch %s` %%s %%n {\\^_}" % C,
    "<script>document.title='touch %s'</script>" % C,
    "<svg onload=\"alert(1)\"><image href=\"x\" onerror=\"alert(2)\"/></svg>",
    "]]><!-- --><b>bold</b> &amp; &lt;",
    "esc \x1b[31mred\x1b[0m tab\tend",
    "nel \u0085 ls \u2028 ps \u2029 end",
]

n = 0
fails = 0


def ok(cond, what):
    global n, fails
    n += 1
    if not cond:
        fails += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
    sys.stdout.flush()
    return cond


def canary_clear(what):
    if os.path.exists(CANARY):
        os.unlink(CANARY)
        return ok(False, "no command ran: " + what)
    return True


def run(args, **kw):
    return subprocess.run([HS] + args, capture_output=True, timeout=600, **kw)


class Page(html.parser.HTMLParser):
    """The text of a page and the names of its elements and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.tags = set()
        self.attrs = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, _ in attrs:
            self.attrs.add(k)

    def handle_data(self, data):
        self.text.append(data)


def shown(s):
    """The string as a page shows it: control characters and runs of white
    space as one space (gnuplot's labels make controls spaces; HTML
    collapses white space)."""
    s = re.sub(r"[\x00-\x1f\x7f\u0080-\u009f\u2028\u2029]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def page_check(path, s, what):
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    p = Page()
    p.feed(doc)
    text = re.sub(r"\s+", " ", " ".join(p.text))
    good = ok(shown(s) in text, "%s shows the text literally: %r" % (what, s[:40]))
    # markup of the string never becomes markup of the page
    good &= ok("script" not in p.tags and "image" not in p.tags and "b" not in p.tags
               and not any(a.startswith("on") for a in p.attrs),
               "%s has no element or handler from the text" % what)
    return good


def yaml_str(s):
    """A YAML double-quoted scalar holding s exactly."""
    out = '"'
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out += '\\"'
        elif ch == "\\":
            out += "\\\\"
        elif o < 0x20 or o == 0x7f or 0x80 <= o <= 0x9f or o in (0x2028, 0x2029):
            out += "\\u%04x" % o
        else:
            out += ch
    return out + '"'


# ---- 1. the scenario: every string parameter refuses hostile text -----------

def string_keys():
    """The schema's string parameters: the rows of type `name` in
    `hailsham schema`."""
    r = run(["schema"])
    if r.returncode != 0:
        return None
    return re.findall(r"^\| `([^`]+)` \| name \|", r.stdout.decode(), re.M)


# How a scenario file sets each string parameter; V marks the value.  A
# string parameter the schema gains must be added here (the test fails
# until it is), so that none escapes the corpus.
TEMPLATES = {
    "scenario.name": "scenario:\n  name: V\n  end_year: 1960\n",
    "programme.fallback_estate":
        "scenario:\n  name: t\n  end_year: 1960\nprogramme:\n  fallback_estate: V\n",
    "programme.estates[].name":
        "scenario:\n  name: t\n  end_year: 1960\nprogramme:\n  estates:\n"
        "    - {name: V, share: 1, opens: 1952}\n  fallback_estate: t\n",
    "programme.cottages[].name":
        "scenario:\n  name: t\n  end_year: 1960\nprogramme:\n  cottages:\n"
        "    - {name: V, share: 1}\n",
    "programme.centres[].name":
        "scenario:\n  name: t\n  end_year: 1960\nprogramme:\n  centres:\n"
        "    - {name: V, share: 1, beds: 100}\n",
    "programme.halfway.name":
        "scenario:\n  name: t\n  end_year: 1960\nprogramme:\n  halfway:\n    name: V\n",
    # a sweep's value is a label of the experiment's points
    "sweep": "scenario:\n  name: t\n  end_year: 1960\nsweep:\n  scenario.name: [a, V]\n",
}


def scenario_part():
    keys = string_keys()
    if not ok(keys is not None and len(keys) > 0,
              "the schema lists its string parameters (%s)" % (len(keys) if keys else 0)):
        return
    for key in keys:
        ok(key in TEMPLATES, "the corpus knows how to write %s" % key)
    for key, tmpl in TEMPLATES.items():
        for i, s in enumerate(CORPUS):
            path = os.path.join(TMP, "s.yaml")
            text = tmpl.replace("V", yaml_str(s))
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            line = tmpl[:tmpl.index("V")].count("\n") + 1
            out = os.path.join(TMP, "out-s")
            shutil.rmtree(out, ignore_errors=True)
            what = "%s = corpus[%d]" % (key, i)
            r = run(["validate", path])
            err = r.stderr.decode("utf-8", "replace")
            ok(r.returncode == 3 and re.search("^" + re.escape(path) + ":%d:[0-9]+: " % line,
                                               err, re.M),
               "validate refuses %s at %s:%d:COLUMN" % (what, "FILE", line))
            cmd = ["experiment", path, "--replications", "1"] if key == "sweep" else ["run", path]
            r = run(cmd + ["--report", "--out", out, "--quiet", "--scale", "0.001"])
            ok(r.returncode == 3 and not os.path.exists(out), "%s refuses %s" % (cmd[0], what))
            canary_clear(what)
    # the same through --set and --vary
    for i, s in enumerate(CORPUS):
        for cmd in (["validate", "canon", "--set", "scenario.name=" + yaml_str(s)],
                    ["run", "canon", "--set", "scenario.name=" + yaml_str(s)],
                    ["experiment", "canon", "--replications", "1",
                     "--vary", "scenario.name=a," + yaml_str(s)]):
            out = os.path.join(TMP, "out-set")
            shutil.rmtree(out, ignore_errors=True)
            extra = [] if cmd[0] == "validate" else ["--out", out, "--quiet", "--report"]
            r = run(cmd + extra)
            err = r.stderr.decode("utf-8", "replace")
            ok(r.returncode == 3 and err.count("\n") == 1 and cmd[-2] in err and
               not os.path.exists(out), "%s %s refuses corpus[%d] in one line" % (cmd[0], cmd[-2], i))
            canary_clear("%s %s corpus[%d]" % (cmd[0], cmd[-2], i))


# ---- 2. a run directory holding hostile text ---------------------------------

def base_run():
    d = os.path.join(TMP, "base-run")
    r = run(["run", "canon", "--set", "scenario.end_year=1985", "--scale", "0.002",
             "--no-baseline", "--out", d, "--quiet"])
    return d if r.returncode == 0 else None


def tamper_run(base, s, k):
    d = os.path.join(TMP, "run-%d" % k)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(base, d)
    for f in os.listdir(d):
        if f.endswith(".html"):
            os.unlink(os.path.join(d, f))
    db = sqlite3.connect(os.path.join(d, "run.sqlite"))
    # the largest estate and every centre get the string as their name
    est = db.execute("SELECT estate FROM donors GROUP BY estate ORDER BY count(*) DESC "
                     "LIMIT 1").fetchone()[0]
    db.execute("UPDATE donors SET estate = ? WHERE estate = ?", (s, est))
    db.execute("UPDATE donations SET centre = ?", (s,))
    db.execute("UPDATE parameters SET value = ? WHERE key = 'scenario.name' OR "
               "key LIKE 'programme.estates[%].name' OR key = 'run.scenario'", (s,))
    db.commit()
    db.close()
    sp = os.path.join(d, "summary.json")
    with open(sp) as f:
        summ = json.load(f)
    summ["scenario"] = s
    with open(sp, "w") as f:
        json.dump(summ, f)
    return d


def run_part():
    base = base_run()
    if not ok(base is not None, "a base run to edit"):
        return
    db = sqlite3.connect(os.path.join(base, "run.sqlite"))
    cohort = db.execute("SELECT cohort FROM donors WHERE completed IS NOT NULL "
                        "GROUP BY cohort ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    db.close()
    for k, s in enumerate(CORPUS):
        d = tamper_run(base, s, k)
        what = "run directory with corpus[%d]" % k
        for plain in ([], ["--plain"]):
            page = os.path.join(d, "report%s.html" % ("-plain" if plain else ""))
            r = run(["report", d, "--out", page] + plain)
            if ok(r.returncode == 0, "report of %s%s draws (%s)" %
                  (what, " --plain" if plain else "", r.stderr.decode("utf-8", "replace")
                   .strip()[:200])):
                page_check(page, s, "report of " + what)
            canary_clear("report of " + what)
        r = run(["chronicle", d, "--cohort", str(cohort), "--limit", "40"])
        text = r.stdout.decode("utf-8", "replace")
        ok(r.returncode == 0 and len(text) > 0, "chronicle of %s tells" % what)
        ok(not re.search(r"[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029]", text),
           "chronicle of %s prints no control character" % what)
        canary_clear("chronicle of " + what)


# ---- 3. an experiment directory holding hostile text -------------------------

def base_experiment():
    d = os.path.join(TMP, "base-exp")
    r = run(["experiment", "canon", "--replications", "2", "--vary", "scenario.name=a,b",
             "--set", "scenario.end_year=1975", "--scale", "0.001", "--threads", "1",
             "--out", d, "--quiet"])
    return d if r.returncode == 0 else None


def experiment_part():
    base = base_experiment()
    if not ok(base is not None, "a base experiment to edit"):
        return
    for k, s in enumerate(CORPUS):
        d = os.path.join(TMP, "exp-%d" % k)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(base, d)
        jp = os.path.join(d, "experiment.json")
        with open(jp) as f:
            x = json.load(f)
        x["scenario"] = s
        x["varied"] = [{"key": s, "values": [s, s + "2"]}]
        for i, res in enumerate(x["results"]):
            res["values"] = {s: s + ("2" if i else "")}
        with open(jp, "w") as f:
            json.dump(x, f)
        what = "experiment directory with corpus[%d]" % k
        page = os.path.join(d, "report.html")
        r = run(["report", d])
        if ok(r.returncode == 0, "report of %s draws (%s)" %
              (what, r.stderr.decode("utf-8", "replace").strip()[:200])):
            page_check(page, s, "report of " + what)
        canary_clear("report of " + what)


try:
    scenario_part()
    run_part()
    experiment_part()
    ok(not os.path.exists(CANARY), "no canary anywhere")
finally:
    shutil.rmtree(TMP, ignore_errors=True)
print("1..%d" % n)
sys.exit(1 if fails else 0)
