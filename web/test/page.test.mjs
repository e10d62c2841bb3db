// SPDX-License-Identifier: MIT
//
// page.test.mjs - the web page in Debian's Chromium, headless, driven by
// puppeteer-core (no browser is downloaded: CHROMIUM, /usr/bin/chromium by
// default).  The page is opened from disk (file://), as a reader would.
//
//   node web/test/page.test.mjs SITE HAILSHAM ARTEFACTS
//
// SITE is the folder scripts/build-web.sh made, HAILSHAM the native
// program whose outputs the page must equal, ARTEFACTS a folder for the
// screenshots (1280 and 390 px wide) and the files compared.  Ends with
// "web tests: N passed, M failed"; exit status 1 on any failure.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [site, hailsham, artefacts] = process.argv.slice(2);
if (!site || !hailsham || !artefacts) {
  console.error('usage: node page.test.mjs SITE HAILSHAM ARTEFACTS');
  process.exit(2);
}
fs.mkdirSync(artefacts, { recursive: true });
const page0 = pathToFileURL(path.resolve(site, 'index.html')).href;
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // root in a container has no sandbox to give; the page is our own
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});

let passed = 0;
let failed = 0;
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e.stack || e).split('\n').join('\n     ')}`);
  }
}

// A page with its console errors and uncaught exceptions collected.
async function open(hash = '', width = 1280) {
  const p = await browser.newPage();
  p.problems = [];
  p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') p.problems.push(`${m.type()}: ${m.text()}`); });
  p.on('pageerror', (e) => p.problems.push(`exception: ${e.message}`));
  p.on('requestfailed', (r) => p.problems.push(`request failed: ${r.url()}`));
  p.on('request', (r) => { if (!/^(file|blob|data):/.test(r.url())) p.problems.push(`network request: ${r.url()}`); });
  await p.setViewport({ width, height: 900 });
  await p.goto(page0 + hash);
  await p.waitForFunction(() => document.body.dataset.state === 'idle', { timeout: 30000 });
  return p;
}

async function setControl(p, key, value) {
  const sel = `[name="${key}"]`;
  const tag = await p.$eval(sel, (e) => e.tagName);
  if (tag === 'SELECT') await p.select(sel, value);
  else {
    await p.$eval(sel, (e) => { e.value = ''; });
    await p.type(sel, value);
  }
}

async function runAndWait(p, how = 'click') {
  if (how === 'click') await p.click('#run');
  else { await p.focus('#seed'); await p.keyboard.press('Enter'); }
  await p.waitForFunction(() => ['done', 'invalid', 'error'].includes(document.body.dataset.state),
    { timeout: 120000 });
  return p.evaluate(() => document.body.dataset.state);
}

// The command line's yearly.csv for the same scenario, assignments and seed.
function cliCsv(name, scenario, sets, seed) {
  const out = path.join(artefacts, `cli-${name}`);
  fs.rmSync(out, { recursive: true, force: true });
  const args = ['run', scenario, '--seed', String(seed), '--out', out, '--quiet', '--force'];
  for (const s of sets) args.push('--set', s);
  execFileSync(hailsham, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return fs.readFileSync(path.join(out, 'yearly.csv'));
}

async function pageCsv(p) {
  // what the download link gives, byte for byte
  const text = await p.evaluate(async () => {
    const r = await fetch(document.getElementById('csv').href);
    return r.text();
  });
  return Buffer.from(text, 'utf8');
}

await test('the page loads from disk with no console errors and nothing fetched', async () => {
  const p = await open();
  const options = await p.$$eval('#scenario option', (o) => o.map((x) => x.value));
  assert.ok(options.includes('canon') && options.length >= 2, `scenarios: ${options}`);
  const unit = await p.$eval('[data-key="programme.couples.grant"] .unit', (e) => e.textContent);
  assert.match(unit, /probability/);
  const help = await p.$eval('#f-scenario-scale-help', (e) => e.textContent);
  assert.match(help, /^over 0, to 1\. /);
  assert.deepEqual(p.problems, []);
  await p.close();
});

await test('a changed control runs: table, charts, CSV, summary and a life equal to the command line', async () => {
  const p = await open();
  await setControl(p, 'scenario.scale', '0.004');
  await setControl(p, 'programme.end', '1985');
  await setControl(p, 'seed', '11');
  const state = await runAndWait(p);
  assert.equal(state, 'done', await p.$eval('#errors', (e) => e.textContent));
  const rows = await p.$$eval('#headline tr', (r) => r.length);
  assert.ok(rows > 10, `headline rows: ${rows}`);
  const cols = await p.$$eval('#headline tr:nth-child(3) td', (r) => r.map((x) => x.textContent));
  assert.equal(cols.length, 3);   // with the programme, at perfect supply, without
  const charts = await p.$$eval('#charts figure', (f) => f.map((x) => !!x.querySelector('canvas')));
  assert.equal(charts.length, 7);
  assert.ok(charts.every(Boolean), `figures with a canvas: ${charts}`);
  // the gain chart: with minus without, year by year, as the run's own numbers say
  const gain = await p.evaluate(() => {
    const a = window.hailsham.last;
    const n = a.yearly.year.length - 1;
    return [a.yearly.life_expectancy[n] - a.yearly_baseline.life_expectancy[n],
      a.headline.gain_life_expectancy];
  });
  assert.ok(Math.abs(gain[0] - gain[1]) < 1e-9, `gain ${gain[0]} against ${gain[1]}`);
  const gainAlt = await p.$eval('#chart-1-desc', (e) => e.textContent);
  assert.match(gainAlt, /^What the programme gave/);
  const alt = await p.$$eval('#charts .chart[role=img]', (c) => c.map((x) =>
    document.getElementById(x.getAttribute('aria-describedby')).textContent));
  assert.ok(alt.every((t) => /\d{4} to \d{4}\./.test(t)), `text alternatives: ${alt[0]}`);
  const sets = await p.evaluate(() => window.hailsham.last.sets);
  assert.deepEqual(sets, ['scenario.scale=0.004', 'programme.end=1985']);
  assert.match(await p.evaluate(() => location.hash), /programme\.end=1985/);
  const mine = await pageCsv(p);
  const csv = cliCsv('changed', 'canon', sets, 11);
  fs.writeFileSync(path.join(artefacts, 'page-changed.csv'), mine);
  assert.ok(mine.equals(csv), 'the page\'s yearly.csv differs from hailsham run\'s');
  const json = JSON.parse(await p.evaluate(async () => (await fetch(document.getElementById('json').href)).text()));
  assert.equal(json.seed, 11);
  assert.ok(json.headline.donors_created > 0 && json.baseline);
  // the same figures as the command line's summary.json, both worlds
  const cli = JSON.parse(fs.readFileSync(path.join(artefacts, 'cli-changed', 'summary.json'), 'utf8'));
  for (const part of ['headline', 'baseline', 'with_vs_without'])
    assert.deepEqual(json[part], cli[part], `summary.json's ${part}`);
  assert.deepEqual(json.overrides, cli.overrides);
  // a donor found by searching, told as `hailsham chronicle` tells them
  await p.type('#donor-search', 'hailsham');
  await p.waitForFunction(() => /match/.test(document.getElementById('donor-count').textContent) &&
    document.getElementById('donor-list').options.length > 0, { timeout: 10000 });
  const found = await p.$$eval('#donor-list option', (o) => o.map((x) => x.textContent));
  assert.ok(found.every((t) => /hailsham/i.test(t)), `found: ${found[0]}`);
  await p.select('#donor-list', await p.$eval('#donor-list option:nth-child(2)', (o) => o.value));
  const donor = await p.$eval('#donor-list', (e) => e.value);
  await p.click('#tell');
  await p.waitForFunction(() => document.getElementById('chronicle').textContent.length > 0, { timeout: 10000 });
  const told = await p.$eval('#chronicle', (e) => e.textContent);
  const life = execFileSync(hailsham, ['chronicle', path.join(artefacts, 'cli-changed'), '--donor', donor],
    { encoding: 'utf8' });
  assert.equal(told, life);
  await p.click('#plain');   // plain words tell the same life again, plainly
  await p.waitForFunction((t) => document.getElementById('chronicle').textContent !== t, { timeout: 10000 }, told);
  const plain = execFileSync(hailsham, ['chronicle', path.join(artefacts, 'cli-changed'), '--donor', donor, '--plain'],
    { encoding: 'utf8' });
  assert.equal(await p.$eval('#chronicle', (e) => e.textContent), plain);
  assert.deepEqual(p.problems, []);
  await p.close();
});

await test('a list item (Hailsham\'s closing year) in another scenario: CSV equal, from a link', async () => {
  // the address alone sets the world: scenario, seed and the control
  const p = await open('#scenario=deferrals&seed=5&scenario.scale=0.003&hailsham.closes=1970&baseline=0');
  assert.equal(await p.$eval('[name="hailsham.closes"]', (e) => e.value), '1970');
  assert.equal(await p.$eval('#baseline', (e) => e.checked), false);
  const state = await runAndWait(p, 'enter');   // Enter in a field runs, as a form does
  assert.equal(state, 'done', await p.$eval('#errors', (e) => e.textContent));
  const sets = await p.evaluate(() => window.hailsham.last.sets);
  assert.equal(sets.length, 2);
  assert.match(sets[1], /^programme\.estates=\[.*closes: 1970/);
  const cli = cliCsv('hailsham', 'deferrals', sets, 5);
  assert.ok((await pageCsv(p)).equals(cli), 'the page\'s yearly.csv differs from hailsham run\'s');
  const cols = await p.$$eval('#headline tr:nth-child(3) td', (r) => r.length);
  assert.equal(cols, 1, 'no baseline column when the baseline is off');
  await p.close();
});

await test('realworld off its calibrated scale says so, as the command line does; canon says nothing', async () => {
  const p = await open('#scenario=realworld&scenario.scale=0.003&baseline=0');
  assert.equal(await runAndWait(p), 'done', await p.$eval('#errors', (e) => e.textContent));
  const note = await p.$eval('#scale-note', (e) => (e.hidden ? '' : e.textContent));
  const sets = await p.evaluate(() => window.hailsham.last.sets);
  const out = path.join(artefacts, 'cli-realworld-note');
  fs.rmSync(out, { recursive: true, force: true });
  const cli = execFileSync(hailsham, ['run', 'realworld', '--seed', '1', '--no-baseline', '--out', out,
    ...sets.flatMap((s) => ['--set', s])], { encoding: 'utf8' });
  const said = cli.split('\n').filter((l) => /^  \S/.test(l)).map((l) => l.trim()).join(' ');
  assert.match(note, /^realworld's waiting lists and organs wasted were calibrated at scale 0\.05, and this run is at 0\.003: /);
  assert.ok(said.includes(note), `the command line does not say: ${note}`);
  await p.close();
});

await test('organs taken to order (donations on demand): CSV equal to the command line\'s', async () => {
  const p = await open('#scenario=canon&scenario.scale=0.003&programme.donations.timing=demand&baseline=0');
  assert.equal(await p.$eval('[name="programme.donations.timing"]', (e) => e.value), 'demand');
  assert.equal(await runAndWait(p), 'done', await p.$eval('#errors', (e) => e.textContent));
  assert.equal(await p.$eval('#scale-note', (e) => e.hidden), true, 'canon has no calibrated scale');
  const sets = await p.evaluate(() => window.hailsham.last.sets);
  assert.ok(sets.includes('programme.donations.timing=demand'), sets.join(' '));
  const cli = cliCsv('demand', 'canon', sets, 1);
  assert.ok((await pageCsv(p)).equals(cli), 'the page\'s yearly.csv differs from hailsham run\'s');
  await p.close();
});

await test('a bad value gets the schema\'s message and nothing runs', async () => {
  const p = await open();
  await setControl(p, 'programme.end', 'lots');
  await setControl(p, 'programme.couples.grant', '1.5');
  const state = await runAndWait(p);
  assert.equal(state, 'invalid');
  const shown = await p.$eval('#errors pre', (e) => e.textContent);
  // the page gives its assignments in the order of its controls
  const r = spawnSync(hailsham, ['validate', 'canon', '--set', 'programme.couples.grant=1.5',
    '--set', 'programme.end=lots'], { encoding: 'utf8' });
  assert.equal(r.status, 3);
  assert.equal(shown, r.stderr.trimEnd());
  assert.equal(await p.evaluate(() => window.hailsham.last), null, 'a result after a bad value');
  assert.equal(await p.$eval('#results', (e) => e.hidden), true);
  const bad = await p.$$eval('.field.bad', (f) => f.map((x) => x.dataset.key));
  assert.deepEqual(bad, ['programme.couples.grant', 'programme.end']);
  assert.equal(await p.evaluate(() => document.activeElement.name), 'programme.couples.grant');
  const seedBad = await (async () => {
    await setControl(p, 'programme.end', 'never');
    await setControl(p, 'programme.couples.grant', '0');
    await setControl(p, 'seed', '-1');
    await runAndWait(p);
    return p.$eval('#errors pre', (e) => e.textContent);
  })();
  assert.match(seedBad, /--seed needs a whole number from 0 to 18446744073709551615, got '-1'/);
  await p.close();
});

await test('cancel stops a run and the page runs again after it', async () => {
  const p = await open('#scenario=canon&scenario.scale=0.05');
  await p.click('#run');
  await p.waitForFunction(() => document.getElementById('progress').value > 0.05, { timeout: 60000 });
  await p.click('#cancel');
  assert.equal(await p.evaluate(() => document.body.dataset.state), 'cancelled');
  await p.waitForFunction(() => !document.getElementById('run').disabled, { timeout: 30000 });
  await setControl(p, 'scenario.scale', '0.002');
  assert.equal(await runAndWait(p), 'done');
  assert.deepEqual(p.problems, []);
  await p.close();
});

for (const width of [1280, 390]) {
  await test(`readable at ${width} px: no sideways scrolling; screenshot kept`, async () => {
    const p = await open('#scenario=canon&scenario.scale=0.003&seed=2', width);
    assert.equal(await runAndWait(p), 'done');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
    const file = path.join(artefacts, `page-${width}.png`);
    await p.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 10000);
    await p.close();
  });
}

await test('could it work: the same worlds and answer as hailsham could-it-work', async () => {
  const p = await open('#scenario=canon&scenario.scale=0.002');
  // a year outside the run is refused and nothing runs
  await p.$eval('#could-by', (e) => { e.value = '2050'; });
  await p.click('#could-run');
  assert.match(await p.$eval('#could-errors', (e) => e.textContent), /within the run, 1950 to 1999/);
  assert.equal(await p.evaluate(() => document.body.dataset.could), undefined);
  for (const [id, v] of [['#could-target', '100'], ['#could-by', '1967'], ['#could-reps', '2']])
    await p.$eval(id, (e, x) => { e.value = x; }, v);
  await p.click('#could-run');
  await p.waitForFunction(() => ['done', 'invalid'].includes(document.body.dataset.could), { timeout: 300000 });
  assert.equal(await p.evaluate(() => document.body.dataset.could), 'done');
  const page = await p.evaluate(() => window.hailsham.could);
  const shown = await p.$eval('#could-answer', (e) => e.textContent);
  const out = path.join(artefacts, 'cli-could');
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(hailsham, ['could-it-work', 'canon', '--target', '100', '--by', '1967', '--scale', '0.002',
    '--replications', '2', '--quiet', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const cli = JSON.parse(fs.readFileSync(path.join(out, 'could.json'), 'utf8'));
  assert.equal(shown, cli.answer.text);
  assert.equal(page.answer.text, cli.answer.text);
  assert.equal(page.answer.reachable, cli.answer.reachable);
  assert.equal(page.worlds.length, cli.worlds.length);
  const near = (a, b) => (a === null && b === null) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  page.worlds.forEach((w, i) => {
    const c = cli.worlds[i];
    assert.equal(w.world, c.world);
    for (const k of ['donors_per_1000_births', 'life_expectancy', 'ci95_low', 'ci95_high'])
      assert.ok(near(w[k], c[k]), `${w.world} ${k}: page ${w[k]}, command line ${c[k]}`);
    w.life_expectancy_by_year.forEach((v, y) => assert.ok(near(v, c.life_expectancy_by_year[y]), `${w.world} year ${y}`));
  });
  assert.ok(await p.$('#could-chart .uplot'), 'the chart is drawn');
  assert.deepEqual(p.problems, []);
  await p.close();
});

await test('keyboard: every control and series toggle is reachable with Tab', async () => {
  const p = await open('#scenario=canon&scenario.scale=0.002');
  assert.equal(await runAndWait(p), 'done');
  const seen = new Set();
  for (let i = 0; i < 400; i++) {
    await p.keyboard.press('Tab');
    // once round the page: the first element met twice
    const id = await p.evaluate(() => {
      const e = document.activeElement;
      if (e === document.body) return '';
      if (e.dataset.tabbed) return null;
      e.dataset.tabbed = '1';
      return e.id || e.tagName;
    });
    if (id === null) break;
    seen.add(id);
  }
  for (const id of ['scenario', 'seed', 'run', 'f-programme-end', 'csv', 'json', 'plain', 'chart-0-s0',
    'donor-search', 'donor-list', 'tell', 'could-target', 'could-by', 'could-reps', 'could-run'])
    assert.ok(seen.has(id), `${id} is not reached by Tab`);
  await p.close();
});

await browser.close();
console.log(`web tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
