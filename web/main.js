// SPDX-License-Identifier: MIT
//
// main.js - the page: controls from the schema, a run in a Web Worker with
// a progress bar and a cancel button, the headline table, the yearly
// charts (uPlot), downloads, and the parameters in the page's address.
//
// Everything the page says about a value comes from the simulator: units,
// ranges and meanings from the scenario schema (hsweb_field), errors from
// the same checks as `hailsham run --set`, figures and their labels from
// the figure catalogue, yearly.csv from the command line's own writer.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import workerSource from 'hailsham-worker';
import { setupCould } from './could.js';

// The controls a class needs, by scenario key.  "hailsham.closes" is the
// closing year of the estate named Hailsham, an item of the estates list:
// it is given to the simulator as the whole list, as --set takes lists.
const CONTROLS = [
  { key: 'scenario.scale', label: 'Scale of the population' },
  { key: 'scenario.end_year', label: 'The run stops at the start of' },
  { key: 'programme.enabled', label: 'The programme exists' },
  { key: 'programme.cohorts.mode', label: 'How cohorts are sized' },
  { key: 'programme.cohorts.margin', label: "The programme's size: margin on the organs a cohort must supply" },
  { key: 'programme.cohorts.sizes', label: 'Cohort sizes by year (fixed mode)' },
  { key: 'cures.circulatory.reach', label: "The cures' reach: share of heart-disease deaths a new heart prevents, by year" },
  { key: 'programme.couples.grant', label: 'Deferrals: chance an application is granted' },
  { key: 'programme.couples.needs_gallery', label: 'Deferrals only for couples with art in the Gallery' },
  { key: 'hailsham.closes', field: 'programme.estates.closes', label: 'Hailsham closes in' },
  { key: 'programme.end', label: "The programme's end: no notices after" },
  { key: 'programme.donations.timing', label: 'Donations on a fixed rhythm, or organs taken to order (on demand)' },
];
const HAILSHAM = 'Hailsham';

const $ = (id) => document.getElementById(id);
const state = {
  workers: [], ready: false, readyCount: 0, done: [0, 0], years: [0, 0], info: null, fields: {}, params: {}, scenario: null,
  nextId: 1, pending: {}, running: null, last: null, charts: [], fromUrl: null,
};
window.hailsham = state;   // for the page's tests
function setState(s) { document.body.dataset.state = s; }

// ---- the workers ----------------------------------------------------------

// Three workers: the scenario's world runs in the first while the same world
// without the programme or its cures runs in the second and the world at
// perfect supply in the third, as `hailsham run` runs them on threads of
// their own.  Checks go to the first.
const WORKERS = 3;

function startWorkers() {
  state.workers = [];
  state.readyCount = 0;
  state.ready = false;
  state.done = [0, 0, 0];
  for (let i = 0; i < WORKERS; i++) {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    const w = new Worker(url);
    URL.revokeObjectURL(url);
    w.onmessage = (e) => onWorker(e.data, i);
    w.onerror = (e) => fatal(`The simulator could not start: ${e.message || 'unknown error'}`);
    w.postMessage({ type: 'keys', keys: i ? [] : CONTROLS.map((c) => c.field || c.key) });
    state.workers.push(w);
  }
}

function ask(worker, msg) {
  const id = state.nextId++;
  return new Promise((resolve) => {
    state.pending[id] = resolve;
    state.workers[worker].postMessage({ ...msg, id });
  });
}

function onWorker(m, from) {
  if (m.type === 'ready') {
    if (from === 0) {
      const first = !state.info;
      state.info = m.info;
      state.fields = m.fields;
      if (first) buildControls();
      $('version').textContent = `hailsham ${m.info.version}, compiled to WebAssembly; the same engine and world model as the command line.`;
    }
    if (++state.readyCount < WORKERS) return;
    state.ready = true;
    progress(0, 'Ready.');
    setBusy(false);
    if (document.body.dataset.state === 'loading' && state.scenario) setState('idle');
  } else if (m.type === 'failed') {
    fatal(`The simulator could not start: ${m.message}`);
  } else if (m.type === 'progress') {
    if (!state.running) return;
    state.done[m.world] = m.done;
    state.years[m.world] = m.year;
    const all = state.running.baseline;
    const done = all ? (state.done[0] + state.done[1] + state.done[2]) / 3 : state.done[0];
    const text = all ? `Running: the world, year ${state.years[0] || '…'}; without the programme, year ${state.years[1] || '…'}; at perfect supply, year ${state.years[2] || '…'}`
      : `Running the world: year ${m.year}`;
    progress(Math.min(1, done), text);
  } else if (m.id && state.pending[m.id]) {
    const f = state.pending[m.id];
    delete state.pending[m.id];
    f(m);
  }
}

function fatal(text) {
  showErrors(text);
  setState('error');
}

// ---- controls -------------------------------------------------------------

function fmtNum(v) { return Number.isInteger(v) ? String(v) : String(v); }

function rangeText(f) {
  if (!f) return '';
  if (f.kind === 'number') return f.lo_open ? `over ${fmtNum(f.lo)}, to ${fmtNum(f.hi)}` : `${fmtNum(f.lo)} to ${fmtNum(f.hi)}`;
  if (f.kind === 'year_never') return `${fmtNum(f.lo)} to ${fmtNum(f.hi)}, or never`;
  if (f.kind === 'dated') return `a table {year: value, …}, values ${fmtNum(f.lo)} to ${fmtNum(f.hi)}`;
  return '';
}

function buildControls() {
  const sel = $('scenario');
  for (const s of state.info.scenarios) {
    const o = document.createElement('option');
    o.value = s.name;
    o.textContent = s.name;
    sel.append(o);
  }
  const box = $('fields');
  for (const c of CONTROLS) {
    const f = state.fields[c.field || c.key];
    const id = `f-${c.key.replace(/\./g, '-')}`;
    const div = document.createElement('div');
    div.className = 'field';
    div.dataset.key = c.key;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = c.label;
    if (f && f.unit && f.unit !== 'year') {
      const u = document.createElement('span');
      u.className = 'unit';
      u.textContent = ` (${f.unit})`;
      label.append(u);
    }
    let input;
    if (f && (f.kind === 'bool' || f.kind === 'enum')) {
      input = document.createElement('select');
      for (const n of f.kind === 'bool' ? ['true', 'false'] : f.names) {
        const o = document.createElement('option');
        o.value = o.textContent = n;
        input.append(o);
      }
    } else {
      // text, not type=number: what is typed reaches the schema's check as
      // typed, and a wrong value gets the schema's message
      input = document.createElement('input');
      input.type = 'text';
      input.spellcheck = false;
      input.autocomplete = 'off';
      if (f && f.kind === 'number') input.inputMode = 'decimal';
    }
    input.id = id;
    input.name = c.key;
    const help = document.createElement('p');
    help.className = 'help';
    help.id = `${id}-help`;
    help.textContent = [rangeText(f), f ? f.doc : ''].filter(Boolean).join('. ');
    input.setAttribute('aria-describedby', help.id);
    div.append(label, input, help);
    box.append(div);
    c.input = input;
    c.div = div;
  }
  const u = readUrl();
  state.fromUrl = u;
  if (u.scenario && state.info.scenarios.some((s) => s.name === u.scenario)) sel.value = u.scenario;
  if (u.seed !== undefined) $('seed').value = u.seed;
  if (u.baseline !== undefined) $('baseline').checked = u.baseline !== '0';
  loadScenario(sel.value, u.values);
}

// The estate named Hailsham in the scenario's parameters, or -1.
function hailshamIndex(p) {
  for (let i = 0; p[`programme.estates[${i}].name`] !== undefined; i++)
    if (p[`programme.estates[${i}].name`] === HAILSHAM) return i;
  return -1;
}

function scenarioValue(c, p) {
  if (c.key === 'hailsham.closes') {
    const i = hailshamIndex(p);
    return i < 0 ? null : p[`programme.estates[${i}].closes`];
  }
  return p[c.key];
}

async function loadScenario(name, values) {
  setBusy(true);
  const m = await ask(0, { type: 'check', scenario: name, sets: '' });
  if (!m.answer || !m.answer.ok) { fatal(m.answer ? m.answer.errors : 'no answer'); return; }
  state.scenario = name;
  setBusy(false);
  state.params = m.answer.params;
  const s = state.info.scenarios.find((x) => x.name === name);
  $('scenario-help').textContent = s ? s.summary : '';
  for (const c of CONTROLS) {
    const v = scenarioValue(c, state.params);
    c.input.disabled = v === null || v === undefined;
    c.input.value = v === null || v === undefined ? '' : v;
    c.div.querySelector('.help').dataset.none = c.input.disabled ? '1' : '';
    if (c.input.disabled && c.key === 'hailsham.closes') c.input.placeholder = 'this scenario has no Hailsham';
    if (values && values[c.key] !== undefined && !c.input.disabled) c.input.value = values[c.key];
    c.div.classList.remove('bad');
  }
  showErrors('');
  // the page is ready once both workers are and the controls are filled
  if (document.body.dataset.state === 'loading' && state.ready) setState('idle');
}

// A YAML double-quoted name, as the scenario writer quotes names.
function quoteName(s) { return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`; }

// The estates list with Hailsham's closing year replaced.
function estatesWith(p, closes) {
  const items = [];
  const h = hailshamIndex(p);
  for (let i = 0; p[`programme.estates[${i}].name`] !== undefined; i++) {
    const pre = `programme.estates[${i}].`;
    const keys = Object.keys(p).filter((k) => k.startsWith(pre)).map((k) => k.slice(pre.length));
    const parts = keys.map((k) => {
      let v = p[pre + k];
      if (k === 'name') v = quoteName(v);
      if (k === 'closes' && i === h) v = closes;
      return `${k}: ${v}`;
    });
    items.push(`{${parts.join(', ')}}`);
  }
  return `[${items.join(', ')}]`;
}

// The --set assignments of the controls that differ from the scenario.
function assignments() {
  const sets = [];
  const values = {};
  for (const c of CONTROLS) {
    if (c.input.disabled) continue;
    const v = c.input.value.trim();
    const was = scenarioValue(c, state.params);
    if (v === was) continue;
    values[c.key] = v;
    if (c.key === 'hailsham.closes') sets.push(`programme.estates=${estatesWith(state.params, v)}`);
    else sets.push(`${c.key}=${v}`);
  }
  return { sets, values };
}

// ---- the address ----------------------------------------------------------

function readUrl() {
  const q = new URLSearchParams(location.hash.replace(/^#/, ''));
  const out = { values: {} };
  for (const [k, v] of q) {
    if (k === 'scenario') out.scenario = v;
    else if (k === 'seed') out.seed = v;
    else if (k === 'baseline') out.baseline = v;
    else if (CONTROLS.some((c) => c.key === k)) out.values[k] = v;
  }
  return out;
}

function writeUrl(values) {
  const q = new URLSearchParams();
  q.set('scenario', state.scenario);
  q.set('seed', $('seed').value.trim());
  if (!$('baseline').checked) q.set('baseline', '0');
  for (const [k, v] of Object.entries(values)) q.set(k, v);
  history.replaceState(null, '', `#${q.toString()}`);
}

// ---- running --------------------------------------------------------------

function setBusy(busy) {
  $('run').disabled = busy || !state.ready || !state.scenario;
  $('scenario').disabled = busy;
  $('reset').disabled = busy;
  if (could) could.ready(!busy && state.ready && !!state.scenario);
}

function progress(v, text) {
  $('progress').value = v;
  $('progress-label').textContent = text;
}

function showErrors(text) {
  const box = $('errors');
  box.textContent = '';
  if (!text) return;
  const h = document.createElement('p');
  h.textContent = 'Nothing was run:';
  const pre = document.createElement('pre');
  pre.textContent = text.trimEnd();
  box.append(h, pre);
}

function markBad(text) {
  for (const c of CONTROLS) {
    const set = c.key === 'hailsham.closes' ? '--set programme.estates=' : `--set ${c.key}=`;
    const bad = text.split('\n').some((l) => l.startsWith(set));
    c.div.classList.toggle('bad', bad);
    c.input.setAttribute('aria-invalid', bad ? 'true' : 'false');
  }
}

async function run(ev) {
  if (ev) ev.preventDefault();
  if (!state.ready || state.running) return;
  const { sets, values } = assignments();
  const seed = $('seed').value.trim();
  const baseline = $('baseline').checked;
  showErrors('');
  markBad('');
  state.running = { baseline };
  state.done = [0, 0, 0];
  state.years = [0, 0, 0];
  setBusy(true);
  $('cancel').disabled = false;
  setState('running');
  progress(0, 'Starting…');
  const t0 = performance.now();
  const msg = { type: 'run', scenario: state.scenario, sets: sets.join('\n'), seed };
  const jobs = [ask(0, { ...msg, world: 0 })];
  if (baseline) jobs.push(ask(1, { ...msg, world: 1 }), ask(2, { ...msg, world: 2 }));
  const [m, mb, mc] = await Promise.all(jobs);
  const ms = performance.now() - t0;
  if (!state.running) return;   // cancelled meanwhile
  state.running = null;
  $('cancel').disabled = true;
  setBusy(false);
  const a = m.answer;
  const b = mb ? mb.answer : null;
  const c = mc ? mc.answer : null;
  if (!a || !a.ok || (b && !b.ok) || (c && !c.ok)) {
    const text = !a ? 'the run failed' : !a.ok ? a.errors : b && !b.ok ? b.errors : c.errors;
    showErrors(text);
    markBad(text);
    progress(0, 'Nothing was run.');
    setState('invalid');
    const firstBad = CONTROLS.find((c) => c.div.classList.contains('bad'));
    if (firstBad) firstBad.input.focus();
    return;
  }
  // summary.json's baseline and differences, as `hailsham run` adds them
  a.yearly_baseline = null;
  if (b && !b.skipped) {
    const s = a.headline;   // all the digits: the files' 12 come after the difference
    const w = b.headline;
    const d12 = (x) => (Number.isFinite(x) ? Number(x.toPrecision(12)) : null);
    a.yearly_baseline = b.yearly;
    a.summary.baseline = b.summary.headline;
    a.summary.with_vs_without = {
      deaths_waiting_avoided: d12(w.deaths_waiting_total - s.deaths_waiting_total),
      transplants_added: d12(s.transplants_total - w.transplants_total),
      life_expectancy_end_gain: d12(s.life_expectancy_end - w.life_expectancy_end),
      reached_100_added: d12(s.reached_100_total - w.reached_100_total),
      public_alive_end_added: d12(s.public_alive_end - w.public_alive_end),
    };
    // the programme's paired gains, as hs_summary_pair makes them
    const gains = {
      gain_life_expectancy: s.life_expectancy_end - w.life_expectancy_end,
      gain_life_expectancy_all: s.life_expectancy_all_end - w.life_expectancy_end,
      gain_deaths_avoided: w.public_deaths_total - s.public_deaths_total,
    };
    for (const [k, v] of Object.entries(gains)) {
      a.headline[k] = v;
      a.summary.headline[k] = d12(v);
    }
  }
  a.yearly_ceiling = null;
  if (c && !c.skipped) {
    a.yearly_ceiling = c.yearly;
    a.summary.ceiling = c.summary.headline;
  }
  writeUrl(values);
  a.ms = ms;
  a.sets = sets;
  state.last = a;
  progress(1, `Done in ${(ms / 1000).toFixed(2)} s.`);
  showResults(a);
  setState('done');
}

function cancel() {
  if (!state.running) return;
  state.running = null;
  state.pending = {};
  for (const w of state.workers) w.terminate();
  $('cancel').disabled = true;
  progress(0, 'Cancelled. Restarting the simulator…');
  // the restarted simulator has no run to tell lives from
  $('donor-list').textContent = '';
  $('chronicle').textContent = '';
  $('tell').disabled = true;
  $('donor-count').textContent = 'Run again to tell the lives of its donors.';
  setState('cancelled');
  startWorkers();
}

// ---- results --------------------------------------------------------------

function label(f) { return $('plain').checked ? f.plain : f.label; }

function fixed(v, f) { return v === null || v === undefined ? '—' : (v * f.factor).toFixed(f.digits); }

function showResults(a) {
  $('results').hidden = false;
  const s = a.summary;
  const over = a.sets.length ? `; changed: ${a.sets.map((x) => (x.length > 80 ? `${x.slice(0, 77)}…` : x)).join(', ')}` : '';
  $('run-line').textContent = `${s.scenario}, seed ${s.seed}, scale ${s.scale}, ` +
    `${a.yearly.year[0]}–${a.yearly.year[a.yearly.year.length - 1]}${over}; ` +
    `${(a.ms / 1000).toFixed(2)} s in this page.`;
  $('scale-note').textContent = a.scale_note || '';   // as under `hailsham run`'s table
  $('scale-note').hidden = !a.scale_note;
  download('csv', a.csv, 'text/csv');
  download('json', `${JSON.stringify(s, null, 2)}\n`, 'application/json');
  drawTable(a);
  drawCharts(a);
  $('chronicle').textContent = '';
  findDonors();
}

function download(id, text, type) {
  const el = $(id);
  if (el.href.startsWith('blob:')) URL.revokeObjectURL(el.href);
  el.href = URL.createObjectURL(new Blob([text], { type }));
}

function drawTable(a) {
  const t = $('headline');
  const base = !!a.summary.baseline;
  const ceil = !!a.summary.ceiling;
  t.textContent = '';
  const cap = document.createElement('caption');
  cap.className = 'sr';
  cap.textContent = 'Headline figures of the run' +
    (ceil ? ', beside the same world at perfect supply' : '') +
    (base ? ' and without the programme or its cures' : '');
  const head = document.createElement('tr');
  for (const h of ['', 'with programme'].concat(ceil ? ['perfect supply'] : [], base ? ['without'] : [])) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  t.append(cap, head);
  const row = (name, x, z, y) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    tr.append(th);
    for (const v of [x].concat(ceil ? [z] : [], base ? [y] : [])) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    t.append(tr);
  };
  for (const f of a.headlines) {
    if (!f.table) continue;
    row(label(f), fixed(a.summary.headline[f.name], f),
      ceil && f.public ? fixed(a.summary.ceiling[f.name], f) : '',
      base && f.public ? fixed(a.summary.baseline[f.name], f) : '');
  }
}

// The report's yearly charts (src/report/run_charts.c), by catalogue name.
const ORGANS = ['kidney', 'liver', 'heart', 'lung', 'pancreas'];
const ORGAN_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b'];
const CHARTS = [
  { title: 'Life expectancy of the public at birth', y: 'life expectancy at birth (years)',
    series: [{ col: 'life_expectancy', label: 'with the programme', colour: '#1f4e79', width: 2.5 },
      { col: 'life_expectancy', base: true, label: 'the same world without the programme', colour: '#888', dash: true },
      { col: 'life_expectancy', ceil: true, label: 'at perfect supply', colour: '#2f9e8f', dash: true }] },
  { title: 'What the programme gave: life expectancy with it, minus without it', plain: 'What the organs gave: life expectancy with them, minus without them',
    y: 'years of life expectancy at birth', needsBaseline: true,
    series: [{ col: 'life_expectancy', diff: true, label: 'with the programme, minus without', plainLabel: 'with the organs, minus without', colour: '#1f4e79', width: 2.5 },
      { col: 'life_expectancy', diff: true, ceil: true, label: 'at perfect supply, minus without', colour: '#2f9e8f', dash: true }] },
  { title: 'People reaching 100', y: 'people turning 100 in the year',
    series: [{ col: 'reached_100', label: 'with the programme', colour: '#1f4e79', width: 2.5 },
      { col: 'reached_100', base: true, label: 'the same world without the programme', colour: '#888', dash: true }] },
  { title: 'Waiting lists, by organ', y: 'people waiting at year end',
    series: ORGANS.map((o, i) => ({ col: `waiting_${o}`, label: o, colour: ORGAN_COLOURS[i] })) },
  { title: 'Deaths while waiting, by organ', y: 'deaths on the waiting list per year',
    series: ORGANS.map((o, i) => ({ col: `deaths_waiting_${o}`, label: o, colour: ORGAN_COLOURS[i], width: 1.5 }))
      .concat([{ col: 'deaths_waiting', label: 'all organs, with the programme', colour: '#111', width: 2.5 },
        { col: 'deaths_waiting', base: true, label: 'all organs, without the programme', colour: '#888', dash: true }]) },
  { title: 'Donors alive, by stage', plain: 'People raised for their organs, alive, by stage', y: 'people alive at year end', programme: true,
    series: [{ col: 'students', label: 'students (estates, the Cottages, training)', colour: '#5f8a7a' },
      { col: 'carers', label: 'carers, before their notice', plainLabel: 'carers, before their own operations', colour: '#c08552' },
      { col: 'donors', label: 'donors, between donations', plainLabel: 'between organ removals', colour: '#7a2a2a', width: 2.5 }] },
  { title: 'Cohorts created, donations and completions each year', plain: 'People created, organ-removal operations and deaths each year',
    y: 'people or operations per year', programme: true,
    series: [{ col: 'donors_created', label: "created in the year's cohort", colour: '#5f8a7a' },
      { col: 'donations', label: 'donations', plainLabel: 'operations to remove organs', colour: '#c08552' },
      { col: 'completions', label: 'completions', plainLabel: 'deaths', colour: '#7a2a2a', width: 2.5 }] },
];

function num(v, d = 0) {
  return v === null || v === undefined ? '—' : v.toLocaleString('en-GB', { maximumFractionDigits: d });
}

// One sentence per series, for the chart's text alternative.
function describe(years, chart, data) {
  const parts = [];
  chart.series.forEach((s, i) => {
    const v = data[i + 1];
    const ok = v.map((x, k) => [x, years[k]]).filter(([x]) => x !== null);
    if (!ok.length) return;
    const hi = ok.reduce((m, p) => (p[0] > m[0] ? p : m));
    const lab = ($('plain').checked && s.plainLabel) || s.label;
    parts.push(`${lab}: ${num(ok[0][0], 1)} in ${ok[0][1]}, ${num(ok[ok.length - 1][0], 1)} in ${ok[ok.length - 1][1]}, ` +
      `highest ${num(hi[0], 1)} in ${hi[1]}`);
  });
  return `${chart.title}, ${years[0]} to ${years[years.length - 1]}. ${parts.join('. ')}.`;
}

function drawCharts(a) {
  for (const c of state.charts) c.plot.destroy();
  state.charts = [];
  const box = $('charts');
  box.textContent = '';
  const years = a.yearly.year;
  const hasProgramme = a.summary.headline.donors_created > 0;
  CHARTS.forEach((chart, ci) => {
    const fig = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.id = `chart-${ci}-title`;
    cap.textContent = ($('plain').checked && chart.plain) || chart.title;
    fig.append(cap);
    box.append(fig);
    const series = chart.series.filter((s) => (!s.base || a.yearly_baseline) && (!s.ceil || a.yearly_ceiling));
    if (chart.programme && !hasProgramme) {
      const p = document.createElement('p');
      p.textContent = 'This run has no programme, and so no donors.';
      fig.append(p);
      return;
    }
    if (chart.needsBaseline && !a.yearly_baseline) {
      const p = document.createElement('p');
      p.textContent = 'This run has no world without the programme to set beside it, so there is no gain to draw.';
      fig.append(p);
      return;
    }
    // a difference from the world without the programme, year by year
    const minus = (x, y) => x.map((v, i) => (v === null || y[i] === null ? null : v - y[i]));
    const data = [years].concat(series.map((s) => {
      const w = (s.base ? a.yearly_baseline : s.ceil ? a.yearly_ceiling : a.yearly)[s.col];
      return s.diff ? minus(w, a.yearly_baseline[s.col]) : w;
    }));
    const shown = { ...chart, series };
    const desc = document.createElement('p');
    desc.className = 'sr';
    desc.id = `chart-${ci}-desc`;
    desc.textContent = describe(years, shown, data);
    const div = document.createElement('div');
    div.className = 'chart';
    div.setAttribute('role', 'img');
    div.setAttribute('aria-labelledby', cap.id);
    div.setAttribute('aria-describedby', desc.id);
    fig.append(div, desc);
    const width = Math.max(280, box.clientWidth || 600);
    const narrow = width < 500;
    if (narrow) {   // a phone: the axis's words above the chart, not along it
      const y = document.createElement('p');
      y.className = 'help';
      y.textContent = `Up the side: ${chart.y}.`;
      fig.insertBefore(y, div);
    }
    const opts = {
      width, height: narrow ? 220 : 300,
      legend: { show: true, live: true },
      cursor: { focus: { prox: 16 } },
      scales: { x: { time: false } },
      axes: [{ label: 'year', values: (u, v) => v.map(String) },
        { label: narrow ? undefined : chart.y, size: narrow ? 50 : 60, values: (u, v) => v.map((x) => num(x, 1)) }],
      series: [{ label: 'year', value: (u, v) => (v === null ? '—' : String(v)) }].concat(series.map((s) => ({
        label: ($('plain').checked && s.plainLabel) || s.label,
        stroke: s.colour, width: s.width || 2, dash: s.dash ? [6, 4] : undefined,
        value: (u, v) => num(v, 1),
      }))),
    };
    const plot = new uPlot(opts, data, div);
    // series toggles that a keyboard can reach (uPlot's legend is mouse-only)
    const tg = document.createElement('div');
    tg.className = 'toggles';
    tg.setAttribute('role', 'group');
    tg.setAttribute('aria-label', `Series of ${cap.textContent}`);
    series.forEach((s, i) => {
      const id = `chart-${ci}-s${i}`;
      const span = document.createElement('span');
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.id = id;
      cb.checked = true;
      cb.addEventListener('change', () => plot.setSeries(i + 1, { show: cb.checked }));
      const lab = document.createElement('label');
      lab.htmlFor = id;
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = s.colour;
      lab.append(sw, document.createTextNode(opts.series[i + 1].label));
      span.append(cb, lab);
      tg.append(span);
    });
    fig.insertBefore(tg, div);
    // the figures themselves, as a table
    const det = document.createElement('details');
    const sum = document.createElement('summary');
    sum.textContent = 'The figures as a table';
    const tw = document.createElement('div');
    tw.className = 'table-wrap';
    const t = document.createElement('table');
    const hr = document.createElement('tr');
    for (const h of ['year'].concat(opts.series.slice(1).map((x) => x.label))) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      hr.append(th);
    }
    t.append(hr);
    years.forEach((y, k) => {
      const tr = document.createElement('tr');
      [String(y)].concat(data.slice(1).map((d) => num(d[k], 1))).forEach((v, j) => {
        const td = document.createElement(j ? 'td' : 'th');
        if (!j) td.scope = 'row';
        td.textContent = v;
        tr.append(td);
      });
      t.append(tr);
    });
    tw.append(t);
    det.append(sum, tw);
    fig.append(det);
    state.charts.push({ plot, div });
  });
}

// ---- a donor's life ------------------------------------------------------

let searchTimer = null;
async function findDonors() {
  const query = $('donor-search').value.trim();
  const m = await ask(0, { type: 'donors', query, max: 200 });
  const a = m.answer;
  const list = $('donor-list');
  list.textContent = '';
  for (const [id, name, estate, cohort, stage] of a.donors) {
    const o = document.createElement('option');
    o.value = String(id);
    o.textContent = `${name}, ${estate}, ${cohort} cohort (${stage}; id ${id})`;
    list.append(o);
  }
  if (list.options.length) list.selectedIndex = 0;
  const shown = a.donors.length;
  $('donor-count').textContent = !a.total ? 'This run has no donors.'
    : shown === 0 ? 'No donor matches.'
      : `${shown === 200 ? 'The first 200' : shown} of the run's ${a.total.toLocaleString('en-GB')} donors${query ? ' that match' : ''}.`;
  $('tell').disabled = shown === 0;
}

async function tell() {
  const id = $('donor-list').value;
  if (!id) return;
  const m = await ask(0, { type: 'chronicle', donor: id, plain: $('plain').checked });
  $('chronicle').textContent = m.answer.ok ? m.answer.text : m.answer.errors;
}

function resize() {
  const w = Math.max(280, $('charts').clientWidth || 600);
  for (const c of state.charts) c.plot.setSize({ width: w, height: w < 500 ? 220 : 300 });
  could.resize();
}

async function copyLink() {
  const b = $('copy-link');
  try {
    await navigator.clipboard.writeText(location.href);
    b.textContent = 'Link copied';
  } catch (e) {
    window.prompt('Copy this link:', location.href);
  }
  setTimeout(() => { b.textContent = 'Copy a link to this world'; }, 2000);
}

// ---- start ----------------------------------------------------------------

// "Could it work?" (could.js) runs in the same workers
let could = null;
could = setupCould({
  $, ask, state, assignments, num, setBusy,
  restart() {
    state.pending = {};
    for (const w of state.workers) w.terminate();
    startWorkers();
  },
});

setState('loading');
$('controls').addEventListener('submit', run);
$('cancel').addEventListener('click', cancel);
$('reset').addEventListener('click', () => loadScenario($('scenario').value));
$('scenario').addEventListener('change', () => loadScenario($('scenario').value));
$('copy-link').addEventListener('click', copyLink);
$('plain').addEventListener('change', () => {
  could.redraw();
  if (!state.last) return;
  drawTable(state.last);
  drawCharts(state.last);
  if ($('chronicle').textContent) tell();
});
$('donor-search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(findDonors, 150);
});
$('tell').addEventListener('click', tell);
$('donor-list').addEventListener('dblclick', tell);
$('donor-list').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); tell(); } });
window.addEventListener('resize', resize);
startWorkers();
