#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# browser_check.py - opens a canon report, an experiment report with two
# swept keys and a could-it-work report in headless Chromium (Debian's
# chromium package) and checks them as a reader's browser sees them: no
# console errors, no exceptions, no request leaving the file, every chart
# present and drawn (an SVG of real size with visible paths, text and a
# caption), the experiment's table within a 1280-pixel window, nothing
# wider than a phone's screen; and takes screenshots.
#
# It talks to Chromium over the DevTools protocol on a pipe
# (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so
# it needs nothing but Python's standard library: no npm packages, no
# websocket client.  A first page with a deliberate console error checks
# that the listener really hears errors, so a silent pass means something.
#
#   browser_check.py HAILSHAM OUTDIR    prints TAP; screenshots in OUTDIR
# Exit 77 (skipped) when Chromium is missing, unless CI is set.
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import base64

# The charts of a run report, in page order (hs_report_run_charts in
# src/report/report.c).
RUN_CHARTS = ["fig-lifeexp", "fig-gain", "fig-100", "fig-waiting", "fig-waitdeaths",
              "fig-transplants", "fig-stages",
              "fig-yearly", "fig-lifecourse", "fig-bynumber", "fig-tenure"]

CHECK_JS = r"""
(() => {
  const out = [];
  for (const id of %s) {
    const f = document.querySelector('figure[data-chart="' + id + '"]');
    if (!f) { out.push({id, ok: false, why: 'no figure'}); continue; }
    const svg = f.querySelector('svg');
    if (!svg) { out.push({id, ok: false, why: 'no svg'}); continue; }
    const r = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll('path, rect, polygon')].filter(p => {
      const b = p.getBBox(); return b.width > 0 || b.height > 0; }).length;
    const texts = [...svg.querySelectorAll('text')].map(t => t.textContent.trim())
      .filter(t => t.length > 0);
    const title = (svg.querySelector('title') || {}).textContent || '';
    const cap = (f.querySelector('figcaption') || {}).textContent || '';
    const ok = r.width > 250 && r.height > 150 && drawn >= 5 && texts.length >= 6 &&
      texts.includes(title) && cap.trim().length > 30;
    out.push({id, ok, w: Math.round(r.width), h: Math.round(r.height), drawn,
              texts: texts.length, title, caption: cap.length});
  }
  return out;
})()
"""


class Chrome:
    """One headless Chromium and one page, driven over the DevTools pipe."""

    def __init__(self, exe, profile, log):
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # keep the ends the child needs away from fds 3 and 4 before dup2
        a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
        b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)

        def child():
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--hide-scrollbars", "--mute-audio", "--user-data-dir=" + profile,
                "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=child, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        for fd in (to_chrome_r, from_chrome_w, a, b):
            os.close(fd)
        self.w = to_chrome_w
        self.r = from_chrome_r
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.r], [], [], left)
            if ready:
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, timeout=60, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=60):
        deadline = time.time() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        att = self.send("Target.attachToTarget", {"targetId": target["targetId"],
                                                  "flatten": True}, session=False)
        self.session = att["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.send(domain + ".enable")

    def size(self, width, height, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": mobile})

    def load(self, url):
        self.events = []
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        # let late console messages and failed loads arrive
        self.send("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 300))",
                                       "awaitPromise": True})

    def problems(self):
        """Console errors, exceptions, error log entries and network requests."""
        found = []
        for m in self.events:
            method, p = m.get("method"), m.get("params", {})
            if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append("console.%s: %s" % (p["type"], " ".join(
                    str(a.get("value", a.get("description", ""))) for a in p.get("args", []))))
            elif method == "Runtime.exceptionThrown":
                found.append("exception: %s" % p.get("exceptionDetails", {}).get("text"))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                found.append("log: %s" % p["entry"].get("text"))
            elif method == "Network.requestWillBeSent":
                url = p.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "about:")):
                    found.append("network request: %s" % url)
            elif method == "Network.loadingFailed":
                found.append("failed load: %s" % p.get("errorText"))
        return found

    def evaluate(self, js):
        res = self.send("Runtime.evaluate", {"expression": js, "returnByValue": True})
        if "exceptionDetails" in res:
            raise RuntimeError("script failed: %s" % res["exceptionDetails"])
        return res["result"].get("value")

    def screenshot(self, path, full=True):
        if full:
            m = self.send("Page.getLayoutMetrics")
            size = m.get("cssContentSize") or m["contentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                    "scale": 1}
            shot = self.send("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                        "captureBeyondViewport": True})
        else:
            shot = self.send("Page.captureScreenshot", {"format": "png"})
        data = base64.b64decode(shot["data"])
        with open(path, "wb") as f:
            f.write(data)
        return data

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.w)
        os.close(self.r)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        self.lines = []

    def check(self, ok, what, detail=None):
        self.n += 1
        self.failed += 0 if ok else 1
        self.lines.append("%s %d - %s" % ("ok" if ok else "not ok", self.n, what))
        if detail and not ok:
            self.lines.extend("# " + line for line in str(detail).splitlines())

    def finish(self):
        print("1..%d" % self.n)
        print("\n".join(self.lines))
        return 1 if self.failed else 0


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return (0, 0)
    return (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))


def make_report(hailsham, work, tap):
    run = os.path.join(work, "canon")
    p = subprocess.run([hailsham, "run", "canon", "--seed", "1", "--scale", "0.005", "--quiet",
                        "--report", "--out", run], capture_output=True, text=True, timeout=600)
    tap.check(p.returncode == 0, "hailsham run canon --report writes a report",
              p.stderr)
    return os.path.join(run, "report.html")


def check_detector(chrome, work, tap):
    """A page that logs an error and loads a missing image must be caught."""
    bad = os.path.join(work, "bad.html")
    with open(bad, "w") as f:
        f.write("<!DOCTYPE html><title>bad</title><img src='missing.png'>"
                "<script>console.error('deliberate')</script>")
    chrome.load("file://" + bad)
    found = chrome.problems()
    tap.check(any("deliberate" in x for x in found),
              "the listener hears a deliberate console error", found)


def check_data_tables(report, tap):
    """Behind every chart, its figures as a table and as CSV; the life
    expectancy chart's CSV is the run's own yearly figures."""
    import csv as csvmod
    import io
    import re
    import urllib.parse
    html = open(report, encoding="utf-8").read()
    for cid in RUN_CHARTS:
        fig = re.search(r'<figure[^>]*data-chart="%s".*?</figure>' % cid, html, re.S)
        tap.check(fig is not None and '<details class="data">' in fig.group(0) and
                  'download="%s' % cid in fig.group(0),
                  "chart %s has its figures as a table and a CSV to download" % cid)
    link = re.search(r'download="fig-lifeexp.csv" href="data:text/csv;charset=utf-8,([^"]*)"',
                     html)
    rows = list(csvmod.DictReader(io.StringIO(urllib.parse.unquote(link.group(1))))) if link else []
    yearly = list(csvmod.DictReader(open(os.path.join(os.path.dirname(report), "yearly.csv"))))
    same = len(rows) == len(yearly) and all(
        abs(float(a["with_programme"]) - float(b["life_expectancy"])) < 1e-6 and
        a["year"] == b["year"] for a, b in zip(rows, yearly))
    tap.check(same, "the life expectancy chart's CSV is yearly.csv's life expectancy",
              "%d rows against %d" % (len(rows), len(yearly)))
    # docs/report.md names the page's charts, in the page's order
    doc = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                            "report.md"), encoding="utf-8").read()
    para = doc[doc.index("The charts' ids"):]
    para = para[:para.index("\n\n")]
    named = re.findall(r"`(fig-[a-z0-9-]+)`", para)
    page = re.findall(r'<figure[^>]*data-chart="(fig-[a-z0-9-]+)"', html)
    tap.check(named and named == page, "docs/report.md names the run report's charts in order",
              "docs %s, the page %s" % (named, page))
    # the gain chart's last year is the run's paired gain, and its caption says it
    summary = json.load(open(os.path.join(os.path.dirname(report), "summary.json")))
    gain = summary["headline"]["gain_life_expectancy"]
    link = re.search(r'download="fig-gain.csv" href="data:text/csv;charset=utf-8,([^"]*)"', html)
    g = list(csvmod.DictReader(io.StringIO(urllib.parse.unquote(link.group(1))))) if link else []
    cap = re.search(r'data-chart="fig-gain".*?<figcaption>(.*?)</figcaption>', html, re.S)
    tap.check(g and abs(float(g[-1]["programme_gave"]) - gain) < 1e-6 and cap and
              ("%+.1f years in %s" % (gain, g[-1]["year"])) in cap.group(1),
              "the gain chart and its caption say summary.json's gain in life expectancy",
              "%s; %s" % (gain, cap.group(1)[:200] if cap else None))


def check_report(chrome, report, outdir, tap):
    chrome.size(1100, 900)
    chrome.load("file://" + report)
    found = chrome.problems()
    tap.check(not found, "the report loads with no console error, exception or request",
              "\n".join(found))
    charts = chrome.evaluate(CHECK_JS % json.dumps(RUN_CHARTS)) or []
    for c in charts:
        tap.check(c.get("ok"), "chart %s is present and drawn" % c["id"], json.dumps(c))
    shot = chrome.screenshot(os.path.join(outdir, "report-screenshot.png"))
    w, h = png_size(shot)
    tap.check(w >= 1000 and h > 5000, "full-page screenshot taken (%dx%d)" % (w, h))
    chrome.size(390, 844, mobile=True)
    chrome.load("file://" + report)
    wide = chrome.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    tap.check(wide is True, "nothing is wider than a phone's screen")
    shot = chrome.screenshot(os.path.join(outdir, "report-screenshot-phone.png"), full=False)
    tap.check(png_size(shot)[0] > 0, "phone screenshot taken")


# The yearly charts of an experiment report (hs_report_experiment_charts).
EXP_CHARTS = ["fig-e-life-expectancy", "fig-e-reached-100", "fig-e-students", "fig-e-carers",
              "fig-e-donors", "fig-e-donors-created", "fig-e-donations", "fig-e-completions",
              "fig-e-waiting", "fig-e-deaths-waiting"]

TABLE_JS = r"""
(() => {
  const t = document.querySelector('table.points');
  if (!t) return null;
  const wrap = t.parentElement;
  return {fits: t.scrollWidth <= wrap.clientWidth + 1,
          heads: Array.from(t.querySelectorAll('thead th')).map((h) => h.textContent)};
})()
"""


def open_wide(chrome, report, what, tap):
    """Open a report in a 1280-pixel window: no console error."""
    chrome.size(1280, 900)
    chrome.load("file://" + report)
    found = chrome.problems()
    tap.check(not found, "the %s loads with no console error" % what, "\n".join(found))


def check_charts(chrome, ids, what, tap):
    charts = chrome.evaluate(CHECK_JS % json.dumps(ids)) or []
    tap.check(len(charts) == len(ids) and all(c.get("ok") for c in charts), what,
              json.dumps([c for c in charts if not c.get("ok")]))


def check_phone(chrome, report, what, shot, tap):
    """The report at a phone's width: nothing wider than its screen."""
    chrome.size(390, 844, mobile=True)
    chrome.load("file://" + report)
    wide = chrome.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    tap.check(wide is True, "the %s is no wider than a phone's screen" % what)
    if shot:
        chrome.screenshot(shot, full=False)


def check_experiment(chrome, hailsham, work, outdir, tap):
    """An experiment with two swept keys: its table fits a 1280-pixel
    window, named by short labels, and no page is wider than a phone's."""
    ex = os.path.join(work, "exp2")
    p = subprocess.run([hailsham, "experiment", "canon", "--replications", "2", "--scale",
                        "0.001", "--set", "scenario.end_year=1985", "--quiet",
                        "--vary", "programme.couples.grant=0,1",
                        "--vary", "programme.carers.caseload=3,6", "--out", ex],
                       capture_output=True, text=True, timeout=600)
    q = subprocess.run([hailsham, "report", ex], capture_output=True, text=True, timeout=600)
    tap.check(p.returncode == 0 and q.returncode == 0,
              "an experiment with two swept keys and its report", p.stderr + q.stderr)
    report = os.path.join(ex, "report.html")
    if not os.path.exists(report):
        return
    open_wide(chrome, report, "experiment report", tap)
    t = chrome.evaluate(TABLE_JS) or {}
    tap.check(t.get("fits") is True, "its table of four points fits a 1280-pixel window",
              json.dumps(t))
    heads = [h for h in t.get("heads", []) if h]
    tap.check(len(heads) == 4 and all("programme." not in h and "grant" in h for h in heads),
              "its columns are named by the keys' last parts", json.dumps(heads))
    # two keys: a chart per value of the first, side by side
    check_charts(chrome, EXP_CHARTS + [c + "-2" for c in EXP_CHARTS],
                 "its yearly charts are present and drawn, one per value of the first key", tap)
    chrome.screenshot(os.path.join(outdir, "experiment-screenshot.png"))
    check_phone(chrome, report, "experiment report",
                os.path.join(outdir, "experiment-screenshot-phone.png"), tap)


def check_could(chrome, hailsham, work, outdir, tap):
    """could-it-work's report: both charts drawn, the answer said."""
    out = os.path.join(work, "could")
    p = subprocess.run([hailsham, "could-it-work", "canon", "--target", "80", "--by", "1995",
                        "--scale", "0.002", "--replications", "2", "--quiet", "--out", out,
                        "--report"], capture_output=True, text=True, timeout=600)
    tap.check(p.returncode == 0, "could-it-work --report writes a report", p.stderr)
    report = os.path.join(out, "report.html")
    if not os.path.exists(report):
        return
    open_wide(chrome, report, "could-it-work report", tap)
    check_charts(chrome, ["fig-could-size", "fig-could-years"],
                 "its two charts are present and drawn", tap)
    chrome.screenshot(os.path.join(outdir, "could-screenshot.png"))
    check_phone(chrome, report, "could-it-work report", None, tap)


def main():
    if len(sys.argv) != 3:
        print("usage: browser_check.py HAILSHAM OUTDIR", file=sys.stderr)
        return 2
    hailsham, outdir = sys.argv[1], sys.argv[2]
    exe = find_chromium()
    if exe is None:
        if os.environ.get("CI"):
            print("1..1\nnot ok 1 - chromium is not installed (scripts/setup-debian.sh)")
            return 1
        print("1..0 # SKIP chromium is not installed (scripts/setup-debian.sh installs it)")
        return 77
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="hs-browser-") as work:
        report = make_report(hailsham, work, tap)
        log_path = os.path.join(outdir, "chromium.log")
        with open(log_path, "w") as log:
            chrome = Chrome(exe, os.path.join(work, "profile"), log)
            try:
                chrome.open_page()
                check_detector(chrome, work, tap)
                if os.path.exists(report):
                    check_report(chrome, report, outdir, tap)
                    check_data_tables(report, tap)
                check_experiment(chrome, hailsham, work, outdir, tap)
                check_could(chrome, hailsham, work, outdir, tap)
            except Exception as e:  # a hung or crashed browser is a failure, said plainly
                tap.check(False, "the browser session", "%s: %s (see %s)" %
                          (type(e).__name__, e, log_path))
            finally:
                chrome.close()
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
