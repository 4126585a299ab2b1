// Restoring a returning visitor at page load in Chromium: a visitor with 10,000 past events is
// tracked into IndexedDB once, then the page is loaded again and again and sl.createTracker() is
// timed inside the page (IndexedDB open + visitor and profile records read + WASM restore +
// stage classification; WASM module loading, which any Stageline page pays, is not included).
//
// With --lean, every round loads the page twice, interleaved: with the full module and with the lean
// one (web/src/lean.js, built for size off the decision path), and both medians are printed.
//
//   node bench/runtime_restore.bench.js [loads=25] [--lean]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startStaticServer } from '../tests/browser/static_server.js';

const EVENTS = 10_000;
const loads = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 25);
const modules = process.argv.includes('--lean') ? ['full', 'lean'] : ['full'];
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'stageline-bench-'));
const server = await startStaticServer(repoRoot);
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function run(page, query) {
  await page.goto(`${server.url}/bench/fixtures/restore.html${query}`);
  await page.waitForFunction(() => globalThis.benchResult !== undefined, null, { timeout: 600_000 });
  const result = await page.evaluate(() => globalThis.benchResult);
  if (result.failure) throw new Error(result.failure);
  return result;
}

try {
  const page = await context.newPage();
  const seeding = Date.now();
  const seeded = await run(page, `?seed=${EVENTS}`);
  console.log(`seeded ${seeded.seeded} events (stage ${seeded.stage}) in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  const times = Object.fromEntries(modules.map((module) => [module, []]));
  let last;
  for (let i = 0; i < loads; i++) {
    for (const module of modules) {
      last = await run(page, module === 'lean' ? '?lean=1' : '');
      if (last.events !== EVENTS) throw new Error(`restored ${last.events} events, expected ${EVENTS}`);
      times[module].push(last.ms);
    }
  }
  console.log(`restore of a ${EVENTS}-event visitor (${last.storage}, profile JSON ${last.profileBytes} B, stage ${last.stage}), ${loads} page loads:`);
  for (const module of modules) {
    const sorted = [...times[module]].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`  ${module} module, createTracker(): median ${median.toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms, ` +
      `max ${sorted.at(-1).toFixed(2)} ms (first load ${times[module][0].toFixed(2)} ms)`);
  }
} finally {
  await context.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
