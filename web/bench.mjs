// SPDX-License-Identifier: MIT
//
// bench.mjs - the web page's speed against the native program, for
// BENCHMARKS.md (never a test: no figure here passes or fails).
//
//   node web/bench.mjs SITE HAILSHAM [RUNS]
//
// canon at scale 0.01, seed 1, RUNS times (default 5) each way, one at a
// time: in the page (headless Chromium, from the click on Run to the
// results in the page's hands, before they are drawn), without and with
// the world without the programme (in a second worker), after a first run
// clicked as soon as the page is ready, which is shown apart; and `hailsham
// run` (the whole process, with its files) with --no-baseline and with
// the baseline (on a second thread).  Prints the medians and the page's
// first-load size.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import puppeteer from 'puppeteer-core';

const [site, hailsham, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const url = pathToFileURL(path.resolve(site, 'index.html')).href;
const page = {};
const first = {};
const load = [];
for (const baseline of [0, 1]) {
  page[baseline] = [];
  // a fresh page: the first run is clicked as soon as the page is ready,
  // the others one after the other in the same page
  const p = await browser.newPage();
  const t0 = Date.now();
  await p.goto(`${url}#scenario=canon&seed=1&scenario.scale=0.01&baseline=${baseline}`);
  await p.waitForFunction(() => document.body.dataset.state === 'idle', { timeout: 30000 });
  load.push(Date.now() - t0);
  for (let i = 0; i <= runs; i++) {
    await p.evaluate(() => { document.body.dataset.state = 'again'; });
    await p.click('#run');
    await p.waitForFunction(() => document.body.dataset.state === 'done' &&
      !document.getElementById('run').disabled, { timeout: 120000 });
    const s = await p.evaluate(() => window.hailsham.last.ms / 1000);
    if (i === 0) first[baseline] = s;
    else page[baseline].push(s);
  }
  await p.close();
}
await browser.close();

const native = {};
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-bench-'));
for (const baseline of [0, 1]) {
  native[baseline] = [];
  for (let i = 0; i < runs; i++) {
    const args = ['run', 'canon', '--seed', '1', '--scale', '0.01', '--out', path.join(out, 'r'),
      '--quiet', '--force'].concat(baseline ? [] : ['--no-baseline']);
    const t0 = process.hrtime.bigint();
    execFileSync(hailsham, args);
    native[baseline].push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
}
fs.rmSync(out, { recursive: true, force: true });

const files = fs.readdirSync(site).filter((f) => fs.statSync(path.join(site, f)).isFile());
const bytes = files.reduce((n, f) => n + fs.statSync(path.join(site, f)).size, 0);
const gz = files.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(site, f)), { level: 9 }).length, 0);
for (const b of [0, 1]) {
  const w = b ? 'with the world without the programme' : 'the world alone';
  console.log(`canon 0.01, ${w}: page ${median(page[b]).toFixed(3)} s, native ${median(native[b]).toFixed(3)} s, ` +
    `ratio ${(median(page[b]) / median(native[b])).toFixed(2)} (medians of ${runs})`);
  console.log(`  page runs: ${page[b].map((x) => x.toFixed(3)).join(' ')} (the first, as soon as ready: ${first[b].toFixed(3)}); ` +
    `native: ${native[b].map((x) => x.toFixed(3)).join(' ')}`);
}
console.log(`page load to ready (file://): ${load.join(', ')} ms`);
console.log(`first load: ${files.join(', ')}: ${bytes} bytes (${gz} gzipped)`);
