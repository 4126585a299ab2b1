// Main-thread long tasks while the dashboard loads 1,000,000 rows, in Debian's Chromium through
// playwright-core: what the worker design buys. The CSV (events of the bundled synthetic shop,
// examples/data/shop-generator.js, cut to exactly N rows) goes through the page's real path: the
// file picker (setInputFiles), the column-mapping step, "Load and analyze", until the results are
// shown. A PerformanceObserver('longtask') on the page's main thread records every task over 50 ms
// from just before the file is picked until the page is ready (the pause while this script clicks
// "Load" is left out of the time, not of the observation). The peer, in the same page and run: the
// same file read and parsed on the main thread by a plain split-based parser that only counts rows
// and customers and sums purchase values — far less work than the dashboard does, so its long
// tasks are a lower bound for doing the work without a worker.
//
//   node bench/dashboard_longtasks.bench.js [rows] [runs]
//
// The issue's target: no main-thread long task over 100 ms. Each run uses a fresh page.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { generateShop, toCsv } from '../examples/data/shop-generator.js';
import { startStaticServer } from '../examples/static_server.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);
const TARGET_MS = 100;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Events CSV of the synthetic shop with exactly `rows` data rows (whole customers, the last one cut). */
function eventsCsv(rows) {
  let customers = Math.ceil(rows / 18);
  for (;;) {
    const text = toCsv(generateShop({ customers }));
    let end = text.indexOf('\n') + 1;  // after the header
    let count = 0;
    while (count < rows && end !== 0 && end < text.length) {
      end = text.indexOf('\n', end) + 1;
      count++;
    }
    if (count === rows) return text.slice(0, end);
    customers = Math.ceil(customers * 1.2);
  }
}

/** Installs the long-task observer and a recorder of the page's state changes; returns nothing. */
function observe() {
  globalThis.bench = { longTasks: [], states: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) globalThis.bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask' });
  const record = () => globalThis.bench.states.push({ at: performance.now(), state: document.body.dataset.state, status: document.getElementById('status').textContent });
  new MutationObserver(record).observe(document.body, { attributes: true, attributeFilter: ['data-state'], subtree: false });
  new MutationObserver(record).observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true });
}

/** The long tasks between two page times, and their summary. */
function summarise(longTasks, from, to) {
  const inside = longTasks.filter((task) => task.start >= from && task.start <= to);
  const longest = inside.reduce((max, task) => Math.max(max, task.duration), 0);
  return { count: inside.length, longest, over: inside.filter((task) => task.duration > TARGET_MS).length, tasks: inside };
}

async function dashboardRun(browser, url, file) {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, serviceWorkers: 'block' });
  try {
    await page.goto(`${url}/examples/dashboard/`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    await page.evaluate(observe);
    const start = await page.evaluate(() => performance.now());
    await page.setInputFiles('#file', file);
    await page.waitForFunction(() => document.body.dataset.state === 'mapping', null, { timeout: 120_000 });
    const mapped = await page.evaluate(() => globalThis.bench.states.find((s) => s.state === 'mapping').at);
    const clicked = await page.evaluate(() => {
      const at = performance.now();
      document.getElementById('load').click();
      return at;
    });
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 600_000 });
    const { states, longTasks, summary } = await page.evaluate(() => ({
      ...globalThis.bench, summary: document.getElementById('summary').textContent }));
    const ready = states.findLast((s) => s.state === 'ready' || s.state === 'error');
    if (ready.state === 'error') throw new Error(`the dashboard failed: ${ready.status}`);
    return { time: (mapped - start) + (ready.at - clicked), summary, states, clicked, ...summarise(longTasks, start, ready.at + 1000) };
  } finally {
    await page.close();
  }
}

/** The peer: the same file parsed on the main thread, then a line of results shown. */
async function mainThreadRun(browser, url, file) {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, serviceWorkers: 'block' });
  try {
    // The dashboard's page (its CSP, its scripts idle after the sample), plus an input for the peer.
    await page.goto(`${url}/examples/dashboard/`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    await page.evaluate(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'peer-file' });
      input.addEventListener('change', async () => {
        const text = await input.files[0].text();
        const lines = text.split('\n');
        const header = lines[0].split(',');
        const [id, type, value] = ['customer_id', 'type', 'value'].map((name) => header.indexOf(name));
        const perCustomer = new Map();
        let rows = 0;
        let revenue = 0;
        for (let i = 1; i < lines.length; i++) {
          if (lines[i] === '') continue;
          const fields = lines[i].split(',');
          rows++;
          perCustomer.set(fields[id], (perCustomer.get(fields[id]) ?? 0) + 1);
          if (fields[type] === 'purchase') revenue += Number(fields[value]);
        }
        document.getElementById('summary').textContent = `${rows} rows, ${perCustomer.size} customers, revenue ${revenue.toFixed(2)}`;
        globalThis.bench.done = performance.now();
      });
      document.body.append(input);
    });
    await page.evaluate(observe);
    const start = await page.evaluate(() => performance.now());
    await page.setInputFiles('#peer-file', file);
    await page.waitForFunction(() => globalThis.bench.done !== undefined, null, { timeout: 600_000 });
    const { longTasks, done, summary } = await page.evaluate(() => ({ ...globalThis.bench, summary: document.getElementById('summary').textContent }));
    return { time: done - start, summary, ...summarise(longTasks, start, done + 1000) };
  } finally {
    await page.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

const dir = await mkdtemp(join(tmpdir(), 'stageline-longtasks-'));
const server = await startStaticServer(repoRoot);
const browser = await chromium.launch({
  executablePath: process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const csv = eventsCsv(ROWS);
  const file = join(dir, 'events.csv');
  await writeFile(file, csv);
  console.log(`${ROWS.toLocaleString('en')} event rows (${(csv.length / 1e6).toFixed(1)} MB), ${RUNS} run(s) each, Chromium ${browser.version()}`);
  // Long tasks are wall-clock: on a busy machine a short task that loses its core looks long.
  console.log(`load average at start: ${loadavg()[0].toFixed(1)} (this machine has ${availableParallelism()} cores)`);

  const worker = [];
  const peer = [];
  for (let run = 0; run < RUNS; run++) {
    worker.push(await dashboardRun(browser, server.url, file));
    peer.push(await mainThreadRun(browser, server.url, file));
    const w = worker.at(-1);
    const p = peer.at(-1);
    console.log(`run ${run + 1}: dashboard (worker) ${ms(w.time)}, ${w.count} long tasks, longest ${ms(w.longest)}`
      + ` [${w.tasks.map((t) => `${t.duration.toFixed(0)}@${(t.start - w.clicked).toFixed(0)}`).join(' ')}]`
      + ` | main-thread parse ${ms(p.time)}, ${p.count} long tasks, longest ${ms(p.longest)}`);
  }
  console.log(`dashboard: ${worker[0].summary}`);
  console.log(`peer:      ${peer[0].summary}`);
  const row = (name, runs) => `${name.padEnd(34)} ${ms(median(runs.map((r) => r.time))).padStart(9)} ${String(median(runs.map((r) => r.count))).padStart(11)}`
    + ` ${ms(median(runs.map((r) => r.longest))).padStart(9)} ${String(median(runs.map((r) => r.over))).padStart(9)}`;
  console.log(`\nmedians of ${RUNS} run(s)                   load time  long tasks   longest  > ${TARGET_MS} ms`);
  console.log(row('dashboard (WASM in a worker)', worker));
  console.log(row('plain JS parse on the main thread', peer));
  const wl = median(worker.map((r) => r.longest));
  const pl = median(peer.map((r) => r.longest));
  // A task under 50 ms is no long task: the dashboard may have none to compare with.
  console.log(wl > 0 ? `\nlongest main-thread task, main-thread parse / dashboard: ${(pl / wl).toFixed(1)}x`
    : `\nlongest main-thread task: main-thread parse ${ms(pl)}, dashboard none over 50 ms (at least ${(pl / 50).toFixed(1)}x shorter)`);
  console.log(`load average at end: ${loadavg()[0].toFixed(1)}`);
  console.log(`target (no long task over ${TARGET_MS} ms while loading): ${worker.every((r) => r.over === 0) ? 'met' : 'NOT met'} in ${RUNS} run(s)`);
  // State changes of the last dashboard run, for finding what a long task belongs to.
  if (process.env.BENCH_VERBOSE) for (const s of worker.at(-1).states) console.log(`  ${(s.at - worker.at(-1).clicked).toFixed(0)} ms ${s.state}: ${s.status}`);
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
