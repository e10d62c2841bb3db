// SPDX-License-Identifier: MIT
//
// worker.js - the Web Worker that holds the simulator.  At build time it is
// put after the Emscripten module (hailsham.js, with the WebAssembly inside
// it) and the two are bundled into the page as one text, started from a
// Blob, so that the page opens from disk as well as from a server.
//
// Messages in:  {type: "check", id, scenario, sets}   the scenario's values
//               {type: "run", id, scenario, sets, seed, world}
//               {type: "donors", id, query, max}   the last run's donors
//               {type: "chronicle", id, donor, plain}   one donor's life
//               {type: "could_job", id, scenario, sets, seed, k, rep}
//                 world k of could-it-work's ladder, replication rep
//               {type: "could_answer", id, target, by, start, ny, reps, results}
//                 world 0: the scenario's; 1: the same without the programme
// Messages out: {type: "ready", info, fields}
//               {type: "progress", world, year, done}  (from hsweb.c)
//               {type: "checked" | "result", id, answer}
/* global createHailsham */
'use strict';

let mod = null;
const waiting = [];

function call(name, types, args) {
  return JSON.parse(mod.ccall(name, 'string', types, args) || 'null');
}

// A small run before any the page asks for: the browser compiles the
// simulator's busiest functions again, optimised, once they have run a
// while, and the page's first run then starts with them (BENCHMARKS.md).
let warmed = false;
function warm() {
  if (warmed) return;
  warmed = true;
  globalThis.hsweb_quiet = true;
  call('hsweb_run', ['string', 'string', 'string', 'number'], ['canon', 'scenario.scale=0.001', '1', 0]);
  globalThis.hsweb_quiet = false;
}

function handle(m) {
  if (m.type === 'check') {
    const answer = call('hsweb_check', ['string', 'string'], [m.scenario, m.sets]);
    postMessage({ type: 'checked', id: m.id, answer });
    setTimeout(warm, 0);   // after the page has its answer
  } else if (m.type === 'donors') {
    const answer = call('hsweb_donors', ['string', 'number'], [m.query, m.max]);
    postMessage({ type: 'found', id: m.id, answer });
  } else if (m.type === 'chronicle') {
    const answer = call('hsweb_chronicle', ['string', 'number'], [m.donor, m.plain ? 1 : 0]);
    postMessage({ type: 'told', id: m.id, answer });
  } else if (m.type === 'could_job') {
    const answer = call('hsweb_could_job', ['string', 'string', 'string', 'number', 'number'],
      [m.scenario, m.sets, m.seed, m.k, m.rep]);
    postMessage({ type: 'result', id: m.id, answer });
  } else if (m.type === 'could_answer') {
    const answer = call('hsweb_could_answer', ['number', 'number', 'number', 'number', 'number', 'string'],
      [m.target, m.by, m.start, m.ny, m.reps, m.results]);
    postMessage({ type: 'result', id: m.id, answer });
  } else if (m.type === 'run') {
    const answer = call('hsweb_run', ['string', 'string', 'string', 'number'],
      [m.scenario, m.sets, m.seed, m.world]);
    postMessage({ type: 'result', id: m.id, answer });
  }
}

self.onmessage = (e) => {
  if (e.data.type === 'keys') {
    createHailsham().then((M) => {
      mod = M;
      const fields = {};
      for (const k of e.data.keys) fields[k] = call('hsweb_field', ['string'], [k]);
      postMessage({ type: 'ready', info: call('hsweb_info', [], []), fields });
      while (waiting.length) handle(waiting.shift());
      // the first worker warms up once it has given the page the
      // scenario's values, the second at once
      if (!e.data.keys.length) warm();
    }, (err) => postMessage({ type: 'failed', message: String(err) }));
    return;
  }
  if (mod) handle(e.data);
  else waiting.push(e.data);
};
