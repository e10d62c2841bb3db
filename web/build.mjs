// SPDX-License-Identifier: MIT
//
// build.mjs - bundle the page's script (main.js, uPlot, and the worker with
// the simulator inside it) into OUTDIR/app.js and OUTDIR/app.css.
//
//     node build.mjs OUTDIR WORKER.txt
//
// WORKER.txt is the worker's whole source (scripts/build-web.sh makes it);
// main.js imports it as text under the name 'hailsham-worker'.
import * as esbuild from 'esbuild';
import path from 'node:path';

const [outdir, worker] = process.argv.slice(2);
if (!outdir || !worker) {
  console.error('usage: node build.mjs OUTDIR WORKER.txt');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
await esbuild.build({
  entryPoints: { app: path.join(here, 'main.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir,
  loader: { '.txt': 'text' },
  logLevel: 'warning',
  plugins: [{
    name: 'hailsham-worker',
    setup(b) {
      b.onResolve({ filter: /^hailsham-worker$/ }, () => ({ path: path.resolve(worker) }));
    },
  }],
});
