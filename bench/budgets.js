#!/usr/bin/env node
// Size and start-up budgets of the module a page loads, for each optimisation level.
//
//   node bench/budgets.js [--build] [--runs N]
//
// Variants: build/wasm (-O3, what scripts/build ships), build/wasm-os (-Os), build/wasm-oz (-Oz);
// --build configures and builds the missing -Os/-Oz ones (each is a full build, several minutes).
// Size: the WebAssembly module, the Emscripten glue and the ESM wrapper (every file of web/src,
// which over-counts a page that never creates a tracker), raw and gzip -9, each file compressed on
// its own as a server sends them. Start-up: a fresh Node process per run loads the module through
// the public entry point (init(), STAGELINE_WASM_MODULE pointing at the variant), compiles a rules
// config and makes the first decision; the median of the runs is reported.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const VARIANTS = [
  { name: '-O3', dir: 'build/wasm', opt: '-O3' },
  { name: '-Os', dir: 'build/wasm-os', opt: '-Os' },
  { name: '-Oz', dir: 'build/wasm-oz', opt: '-Oz' },
];
const BUDGET_GZIPPED = 150 * 1024;
const BUDGET_STARTUP_MS = 30;

const RULES = {
  stageModel: 'classic',
  slots: { hero: { default: { headline: 'Welcome' } } },
  rules: [
    { id: 'vip', slot: 'hero', priority: 10, when: { orders: { $gte: 2 } }, payload: { headline: 'Welcome back' } },
    { id: 'test', slot: 'hero', variants: [{ id: 'a', payload: 1 }, { id: 'b', payload: 2 }] },
  ],
};

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.js') ? [path] : [];
  });
}

function sizes(paths) {
  let raw = 0;
  let gzipped = 0;
  for (const path of paths) {
    const bytes = readFileSync(path);
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzipped };
}

/** Child mode: one cold start, printed as JSON. */
async function startOnce() {
  const started = performance.now();
  const { init } = await import(pathToFileURL(join(root, 'web/src/index.js')).href);
  const sl = await init();
  const loaded = performance.now();
  const engine = sl.rules(RULES);
  const decision = engine.decide('hero', { customerId: 'c1', profile: { orders: 3 }, at: Date.parse('2026-01-01') });
  const decided = performance.now();
  if (decision.ruleId !== 'vip') throw new Error(`unexpected first decision ${decision.ruleId}`);
  console.log(JSON.stringify({ instantiate: loaded - started, firstDecision: decided - loaded, total: decided - started }));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function startup(glue, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--start-once'], {
      env: { ...process.env, STAGELINE_WASM_MODULE: glue },
    });
    samples.push(JSON.parse(out.toString()));
  }
  return {
    instantiate: median(samples.map((s) => s.instantiate)),
    firstDecision: median(samples.map((s) => s.firstDecision)),
    total: median(samples.map((s) => s.total)),
  };
}

function build(variant) {
  const env = { ...process.env, NODE_PATH: `/usr/share/nodejs${process.env.NODE_PATH ? `:${process.env.NODE_PATH}` : ''}` };
  execFileSync('emcmake', ['cmake', '-S', '.', '-B', variant.dir, '-DCMAKE_BUILD_TYPE=Release', `-DSTAGELINE_WASM_OPT=${variant.opt}`,
    `-DCMAKE_CXX_FLAGS_RELEASE=${variant.opt} -DNDEBUG`], { cwd: root, env, stdio: 'ignore' });
  execFileSync('nice', ['-n', '10', 'cmake', '--build', variant.dir, '-j2', '--target', 'stageline_wasm'], { cwd: root, env, stdio: 'inherit' });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--start-once')) return startOnce();
  const runsIndex = args.indexOf('--runs');
  const runs = runsIndex === -1 ? 15 : Number(args[runsIndex + 1]);
  const wrapper = sizes(filesUnder(join(root, 'web/src')));
  const kib = (bytes) => (bytes / 1024).toFixed(1);
  const ms = (value) => value.toFixed(1);

  console.log(`wrapper JS (web/src, ${filesUnder(join(root, 'web/src')).length} files): ${kib(wrapper.raw)} KiB raw, ${kib(wrapper.gzipped)} KiB gzipped`);
  console.log(`\n| build | wasm KiB | wasm gz | glue KiB | glue gz | page total KiB | page total gz | vs 150 KiB gz | instantiate ms | first decision ms | start-up ms |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const variant of VARIANTS) {
    const glue = join(root, variant.dir, 'wasm/stageline.js');
    const wasm = join(root, variant.dir, 'wasm/stageline.wasm');
    if (!existsSync(glue) && args.includes('--build') && variant.opt !== '-O3') build(variant);
    if (!existsSync(glue)) {
      console.log(`| ${variant.name} | (not built: node bench/budgets.js --build) |`);
      continue;
    }
    const w = sizes([wasm]);
    const g = sizes([glue]);
    const totalRaw = w.raw + g.raw + wrapper.raw;
    const totalGz = w.gzipped + g.gzipped + wrapper.gzipped;
    const start = startup(glue, runs);
    console.log(`| ${variant.name} | ${kib(w.raw)} | ${kib(w.gzipped)} | ${kib(g.raw)} | ${kib(g.gzipped)} | ${kib(totalRaw)} | ` +
      `${kib(totalGz)} | ${totalGz <= BUDGET_GZIPPED ? 'within' : 'over'} | ${ms(start.instantiate)} | ${ms(start.firstDecision)} | ` +
      `${ms(start.total)}${start.total <= BUDGET_STARTUP_MS ? '' : ' (over 30)'} |`);
  }
  console.log(`\nstart-up: median of ${runs} fresh Node processes (${process.version}); instantiate = import + init(), ` +
    'first decision = sl.rules(config) + engine.decide()');
}

await main();
