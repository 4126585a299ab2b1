#!/usr/bin/env node
// Size and start-up budgets of the module a page loads, for each optimisation level.
//
//   node bench/budgets.js [--build] [--runs N]
//
// Variants: build/wasm (-O3, what scripts/build ships), build/wasm-os (-Os), build/wasm-oz (-Oz);
// --build configures and builds the missing -Os/-Oz ones (each is a full build, several minutes).
// Modules: the full one (web/src/index.js) and the lean one (web/src/lean.js) of each build.
// Size: the WebAssembly module, the Emscripten glue and the ESM wrapper files the entry imports
// statically, raw and gzip -9, each file compressed on its own as a server sends them.
// Start-up: a fresh Node process per run loads the module through the public entry point
// (init(), STAGELINE_WASM_MODULE pointing at the variant), compiles a rules config and makes the
// first decision; the median of the runs is reported.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

const MODULES = [
  { name: 'full', entry: 'web/src/index.js', glue: 'stageline' },
  { name: 'lean', entry: 'web/src/lean.js', glue: 'stageline-lean' },
];

/**
 * The wrapper files a page loads for `entry`: its static relative imports, transitively. Dynamic
 * imports (the IndexedDB storage, loaded when a tracker is created) are left out.
 */
function staticImports(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+\.js)'/gm)) {
    const target = resolve(dirname(entry), match[1]);
    if (target.includes(`${join('web', 'dist')}`)) continue;  // the glue is counted apart
    staticImports(target, seen);
  }
  return seen;
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

/** Child mode: one cold start of `entry`, printed as JSON. */
async function startOnce(entry) {
  const started = performance.now();
  const { init } = await import(pathToFileURL(join(root, entry)).href);
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

function startup(entry, glue, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--start-once', entry], {
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
  execFileSync('nice', ['-n', '10', 'cmake', '--build', variant.dir, '-j2', '--target', 'stageline_wasm', 'stageline_lean_wasm'],
    { cwd: root, env, stdio: 'inherit' });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--start-once')) return startOnce(args[args.indexOf('--start-once') + 1]);
  const runsIndex = args.indexOf('--runs');
  const runs = runsIndex === -1 ? 15 : Number(args[runsIndex + 1]);
  const kib = (bytes) => (bytes / 1024).toFixed(1);
  const ms = (value) => value.toFixed(1);

  const wrappers = new Map();
  for (const module of MODULES) {
    const files = [...staticImports(join(root, module.entry))];
    wrappers.set(module.name, sizes(files));
    const w = wrappers.get(module.name);
    console.log(`wrapper JS of ${module.entry} (${files.length} files, static imports): ${kib(w.raw)} KiB raw, ${kib(w.gzipped)} KiB gzipped`);
  }
  console.log('\n| build | module | wasm KiB | wasm gz | glue KiB | glue gz | page KiB | page gz | 150 KiB gz budget | instantiate ms | first decision ms | start-up ms |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const variant of VARIANTS) {
    if (!existsSync(join(root, variant.dir, 'wasm/stageline-lean.js')) && args.includes('--build') && variant.opt !== '-O3') build(variant);
    for (const module of MODULES) {
      const glue = join(root, variant.dir, `wasm/${module.glue}.js`);
      const wasm = join(root, variant.dir, `wasm/${module.glue}.wasm`);
      if (!existsSync(glue)) {
        console.log(`| ${variant.name} | ${module.name} | (not built: node bench/budgets.js --build) |`);
        continue;
      }
      const w = sizes([wasm]);
      const g = sizes([glue]);
      const wrapper = wrappers.get(module.name);
      const pageRaw = w.raw + g.raw + wrapper.raw;
      const pageGz = w.gzipped + g.gzipped + wrapper.gzipped;
      const start = startup(module.entry, glue, runs);
      console.log(`| ${variant.name} | ${module.name} | ${kib(w.raw)} | ${kib(w.gzipped)} | ${kib(g.raw)} | ${kib(g.gzipped)} | ` +
        `${kib(pageRaw)} | ${kib(pageGz)} | ${pageGz <= BUDGET_GZIPPED ? 'within' : `over by ${kib(pageGz - BUDGET_GZIPPED)}`} | ` +
        `${ms(start.instantiate)} | ${ms(start.firstDecision)} | ${ms(start.total)}${start.total <= BUDGET_STARTUP_MS ? '' : ' (over 30)'} |`);
    }
  }
  console.log(`\nstart-up: median of ${runs} fresh Node processes (${process.version}); instantiate = import + init(), ` +
    'first decision = sl.rules(config) + engine.decide()');
}

await main();
