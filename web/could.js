// SPDX-License-Identifier: MIT
//
// could.js - "Could it work?" in the page: what size of programme gives
// the public a life expectancy of a target by a year, and could any, as
// `hailsham could-it-work` answers it.
//
// The ladder of worlds (ten programme sizes, the world without the
// programme and the world at perfect supply) and the answer come from the
// simulator (src/world/could.c, through hsweb_could_job and
// hsweb_could_answer): the page only hands the runs to its workers, each
// world run `reps` times on the same seed and replications, and draws
// what comes back.
import uPlot from 'uplot';

const WORLDS = 12;   // HS_COULD_WORLDS

export function setupCould(page) {
  const { $, ask, state, assignments, num } = page;
  let running = null;
  let plot = null;

  function progress(v, text) {
    $('could-progress').value = v;
    $('could-progress-label').textContent = text;
  }

  function fail(text) {
    $('could-errors').textContent = text;
    progress(0, 'Nothing was run.');
  }

  function plain() { return $('plain') && $('plain').checked; }

  // The values of the form, checked; or a sentence saying what is wrong.
  function read() {
    const start = Number(state.params['scenario.start_year']);
    const end = Number(state.params['scenario.end_year']);
    const target = Number($('could-target').value.trim());
    const by = Number($('could-by').value.trim());
    const reps = Number($('could-reps').value.trim());
    if (!(target > 0 && target <= 150)) return 'The life expectancy wanted must be a number from 0 to 150 years.';
    if (!Number.isInteger(by) || by < start || by >= end) return `The year must be within the run, ${start} to ${end - 1}.`;
    if (!Number.isInteger(reps) || reps < 2 || reps > 64) return 'The runs at each size must be a whole number from 2 to 64.';
    if (state.params['programme.enabled'] === 'false' || state.params['programme.cohorts.mode'] === 'fixed') {
      return 'Could it work? sizes a planned programme: choose a scenario whose programme exists and is planned.';
    }
    return { target, by, reps, start, ny: end - start };
  }

  async function ask1(worker, job) {
    const m = await ask(worker, job);
    return m.answer;
  }

  async function go(ev) {
    ev.preventDefault();
    if (running || !state.ready) return;
    $('could-errors').textContent = '';
    const v = read();
    if (typeof v === 'string') { fail(v); return; }
    const { sets } = assignments();
    const base = { type: 'could_job', scenario: state.scenario, sets: sets.join('\n'), seed: $('seed').value.trim() };
    const jobs = [];
    for (let k = 0; k < WORLDS; k++) for (let r = 0; r < v.reps; r++) jobs.push({ k, r });
    const me = { cancelled: false };
    running = me;
    page.setBusy(true);
    $('could-run').disabled = true;
    $('could-cancel').disabled = false;
    document.body.dataset.could = 'running';
    const results = new Array(jobs.length);
    let next = 0;
    let done = 0;
    let error = null;
    progress(0, `Running 0 of ${jobs.length} worlds…`);
    const t0 = performance.now();
    // each worker takes the next job when it is free
    await Promise.all(state.workers.map(async (w, wi) => {
      while (!me.cancelled && !error && next < jobs.length) {
        const i = next++;
        const a = await ask1(wi, { ...base, k: jobs[i].k, rep: jobs[i].r });
        if (me.cancelled) return;
        if (!a || !a.ok) { error = a ? a.errors : 'a run failed'; return; }
        results[i] = `${jobs[i].k} ${jobs[i].r} ${a.per_1000} ${a.e0.map((x) => (x === null ? 'nan' : x)).join(' ')}`;
        done++;
        progress(done / jobs.length, `Running ${done} of ${jobs.length} worlds…`);
      }
    }));
    if (me.cancelled) return;
    running = null;
    page.setBusy(false);
    $('could-cancel').disabled = true;
    if (error) { fail(error); document.body.dataset.could = 'invalid'; return; }
    const ans = await ask1(0, { type: 'could_answer', target: v.target, by: v.by, start: v.start, ny: v.ny, reps: v.reps, results: results.join('\n') });
    if (!ans || !ans.ok) { fail(ans ? ans.errors : 'no answer'); return; }
    ans.target = v.target;
    ans.by = v.by;
    ans.start_year = v.start;
    ans.reps = v.reps;
    ans.scenario = state.scenario;
    ans.overrides = sets;
    ans.seed = $('seed').value.trim();
    ans.ms = performance.now() - t0;
    state.could = ans;
    progress(1, `Done: ${jobs.length} worlds in ${(ans.ms / 1000).toFixed(1)} s.`);
    show(ans);
    document.body.dataset.could = 'done';
  }

  function cancel() {
    if (!running) return;
    running.cancelled = true;
    running = null;
    $('could-cancel').disabled = true;
    page.restart();
    progress(0, 'Cancelled. Restarting the simulator…');
    document.body.dataset.could = 'cancelled';
  }

  function worldName(w) {
    if (w.margin !== null) return `planner's margin ${w.margin}`;
    return w.world === 'without' ? (plain() ? 'without the organs' : 'without the programme') : 'perfect supply (the ceiling)';
  }

  function show(a) {
    $('could-results').hidden = false;
    $('could-answer').textContent = plain() ? a.answer.text_plain : a.answer.text;
    const t = $('could-table');
    t.textContent = '';
    const cap = document.createElement('caption');
    cap.className = 'sr';
    cap.textContent = `Life expectancy in ${a.by} at each size of programme`;
    const hr = document.createElement('tr');
    for (const h of ['programme', plain() ? 'people created for their organs per 1,000 births' : 'donors created per 1,000 births',
      `life expectancy in ${a.by}`, '95% interval']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      hr.append(th);
    }
    t.append(cap, hr);
    for (const w of a.worlds) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = worldName(w);
      tr.append(th);
      for (const x of [num(w.donors_per_1000_births, 1), num(w.life_expectancy, 2),
        `${num(w.ci95_low, 2)} to ${num(w.ci95_high, 2)}`]) {
        const td = document.createElement('td');
        td.textContent = x;
        tr.append(td);
      }
      t.append(tr);
    }
    draw(a);
    const el = $('could-json');
    if (el.href.startsWith('blob:')) URL.revokeObjectURL(el.href);
    el.href = URL.createObjectURL(new Blob([`${JSON.stringify(a, null, 2)}\n`], { type: 'application/json' }));
  }

  // Life expectancy in the year asked against donors per 1,000 births (a
  // log scale), its 95% interval, and the target, the world without the
  // programme and perfect supply as lines across.
  function draw(a) {
    if (plot) plot.destroy();
    const box = $('could-chart');
    box.textContent = '';
    const rungs = a.worlds.filter((w) => w.margin !== null);
    const without = a.worlds[0].life_expectancy;
    const ceiling = a.worlds[a.worlds.length - 1].life_expectancy;
    const x = rungs.map((w) => w.donors_per_1000_births);
    const flat = (v) => x.map(() => v);
    const data = [x, rungs.map((w) => w.life_expectancy), rungs.map((w) => w.ci95_low), rungs.map((w) => w.ci95_high),
      flat(a.target), flat(ceiling), flat(without)];
    const width = Math.max(280, box.clientWidth || 600);
    const xl = plain() ? 'people created for their organs per 1,000 births' : 'donors created per 1,000 births';
    const desc = document.createElement('p');
    desc.className = 'sr';
    desc.id = 'could-chart-desc';
    desc.textContent = `Life expectancy in ${a.by} against ${xl}: ` +
      rungs.map((w) => `${num(w.donors_per_1000_births, 0)}: ${num(w.life_expectancy, 2)}`).join('; ') +
      `. The target is ${a.target}; without the programme ${num(without, 2)}; at perfect supply ${num(ceiling, 2)}.`;
    const div = document.createElement('div');
    div.className = 'chart';
    div.setAttribute('role', 'img');
    div.setAttribute('aria-label', `Life expectancy in ${a.by} against the programme's size`);
    div.setAttribute('aria-describedby', desc.id);
    box.append(div, desc);
    plot = new uPlot({
      width, height: width < 500 ? 240 : 320,
      scales: { x: { time: false, distr: 3 } },
      axes: [{ label: `${xl} (log scale)`, values: (u, v) => v.map((t) => num(t, 0)) },
        { label: `life expectancy in ${a.by}`, size: 60, values: (u, v) => v.map((t) => num(t, 1)) }],
      series: [{ label: xl, value: (u, v) => num(v, 1) },
        { label: 'mean', stroke: '#1f4e79', width: 2.5, points: { show: true, size: 7 }, value: (u, v) => num(v, 2) },
        { label: '95% interval, low', stroke: '#1f4e79', width: 1, dash: [2, 3], value: (u, v) => num(v, 2) },
        { label: '95% interval, high', stroke: '#1f4e79', width: 1, dash: [2, 3], value: (u, v) => num(v, 2) },
        { label: `the target, ${a.target}`, stroke: '#7a2a2a', width: 1.5, dash: [6, 4], points: { show: false }, value: (u, v) => num(v, 2) },
        { label: 'perfect supply', stroke: '#2f9e8f', width: 1.5, points: { show: false }, value: (u, v) => num(v, 2) },
        { label: plain() ? 'without the organs' : 'without the programme', stroke: '#888', width: 1.5, points: { show: false }, value: (u, v) => num(v, 2) }],
    }, data, div);
  }

  $('could-form').addEventListener('submit', go);
  $('could-cancel').addEventListener('click', cancel);
  return {
    ready(ok) { $('could-run').disabled = !ok || !!running; },
    redraw() { if (state.could) show(state.could); },
    resize() { if (plot) { const w = Math.max(280, $('could-chart').clientWidth || 600); plot.setSize({ width: w, height: w < 500 ? 240 : 320 }); } },
  };
}
