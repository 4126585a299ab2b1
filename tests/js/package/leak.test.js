// Memory over a long session: every kind of handle created and disposed 10,000 times (and a rules
// engine deciding many times), tracker sessions and datasets too, must leave the WebAssembly heap
// where it was. Measured with sl.memoryStats(): usedBytes (bytes in live allocations, dlmalloc's
// mallinfo) must come back to its level after a warm-up round (within 4 KiB, less than one byte
// per round), the memory itself (heapBytes) must stop growing, and no handle may stay live.
// On the JavaScript side a closed tracker must leave no timer, listener or channel behind.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { init } from '../../../web/src/index.js';

let sl;
before(async () => {
  sl = await init();
});

const AT = Date.parse('2026-03-01T00:00:00Z');
const RULES = {
  stageModel: 'classic',
  slots: { hero: { default: { text: 'hi' } }, offer: {} },
  rules: [
    { id: 'vip', slot: 'hero', priority: 2, when: { orders: { $gte: 2 } }, payload: { text: 'vip' } },
    { id: 'exp', slot: 'hero', variants: [{ id: 'a', payload: 1 }, { id: 'b', payload: 2 }] },
    { id: 'cap', slot: 'offer', when: { 'context.path': { $regex: '^/shop' } }, frequencyCap: { max: 2, windowDays: 7 },
      group: 'promo', payload: 'x' },
  ],
};
const EVENTS = [
  { customerId: 'c1', type: 'signup', timestamp: '2026-01-01T10:00:00Z' },
  { customerId: 'c1', type: 'purchase', timestamp: '2026-01-02', value: 20 },
  { customerId: 'c2', type: 'visit', timestamp: '2026-02-01' },
];

/** One round: each handle type created, used and disposed. `i` varies the inputs. */
function round(i) {
  const condition = sl.compileCondition({ orders: { $gte: i % 5 }, email: { $regex: `@x${i % 7}\\.com$` } });
  condition.test({ orders: 3, email: 'a@x1.com' });
  condition.dispose();
  sl.evalCondition({ n: i }, { n: { $lt: i % 300 } });  // a cache of compiled conditions, bounded
  const model = sl.stageModel('full', { churnDays: 60 + (i % 3) });
  model.classify({ orders: 1, firstOrderAt: AT - 86_400_000 }, AT);
  model.dispose();
  const builder = sl.profileBuilder({ traits: [{ name: 'orders30d', aggregate: 'count', event: 'purchase', windowDays: 30 }] });
  builder.add(EVENTS);
  builder.profile('c1', AT);
  const engine = sl.rules(RULES);
  for (let k = 0; k < 5; k++) {
    engine.decideAll({ builder, customerId: `c${k % 3}`, context: { url: `https://s.example/shop?k=${k}` }, at: AT + k });
  }
  engine.decide('hero', { customerId: `anon-${i}`, at: AT }).reason;
  engine.dispose();
  builder.dispose();
  const customer = sl.customerProfile(`p${i}`);
  customer.apply({ customerId: `p${i}`, type: 'purchase', timestamp: AT, value: 5 });
  customer.dispose();
}

test('creating and disposing handles 10,000 times returns the heap to its level', () => {
  for (let i = 0; i < 1_000; i++) round(i);  // warm-up: caches fill, Embind registers its types
  const before = sl.memoryStats();
  for (let i = 1_000; i < 11_000; i++) round(i);
  const after = sl.memoryStats();
  console.log(`heap: ${before.heapBytes} → ${after.heapBytes} bytes; in use: ${before.usedBytes} → ${after.usedBytes} bytes`);
  assert.equal(after.heapBytes, before.heapBytes, 'the WebAssembly memory grew');
  // Live: the 256 conditions evalCondition's cache holds (CACHE_CAPACITY in web/src/conditions/condition.js;
  // 300 distinct conditions keep it full), nothing else.
  assert.equal(after.liveHandles, 256);
  assert.equal(after.emvalHandles, before.emvalHandles);
  // The cache of evalCondition holds a different 256 of the 300 conditions at each point, so the
  // level moves by a few hundred bytes; a leak of one byte per round would add 10,000.
  assert.ok(after.usedBytes <= before.usedBytes + 4096, `in use: ${before.usedBytes} → ${after.usedBytes}`);
});

test('a rules engine deciding 200,000 times keeps its memory', () => {
  const builder = sl.profileBuilder();
  builder.add(EVENTS);
  const engine = sl.rules(RULES);
  const decide = (i) => engine.decideAll({ builder, customerId: `c${i % 50}`, context: { url: `https://s.example/shop/${i % 20}` }, at: AT + i * 60_000 });
  for (let i = 0; i < 20_000; i++) decide(i);  // 14 simulated days: histories span their 7-day horizon
  const before = sl.memoryStats();
  for (let i = 20_000; i < 220_000; i++) decide(i);
  const after = sl.memoryStats();
  engine.dispose();
  builder.dispose();
  assert.equal(after.heapBytes, before.heapBytes);
  // Exposure histories keep only the cap window (7 days): later decisions replace older entries.
  assert.ok(after.usedBytes <= before.usedBytes + 64 * 1024, `${before.usedBytes} → ${after.usedBytes}`);
});

// ---- tracker sessions ---------------------------------------------------------------------------

const TRACKER_RULES = {
  stageModel: 'classic',
  slots: { hero: { default: { text: 'hi' } }, offer: {} },
  rules: [
    { id: 'promo', slot: 'hero', frequencyCap: { max: 2, windowDays: 7 }, payload: { text: 'promo' } },
    { id: 'buyer', slot: 'offer', when: { orders: { $gte: 1 } }, payload: 'x' },
  ],
};
const TRAITS = { traits: [{ name: 'orders30d', aggregate: 'count', event: 'purchase', windowDays: 30 }] };

/**
 * One tracker session in the in-memory backend Node uses: created, tracking, deciding,
 * identifying, then forgotten (every other round) and closed. The variants cover a tracker owning
 * its model and rules engine, one sharing a page's engine and model, and one with computed traits
 * and sync on (its collector is never reached: the flush timer is pending when it closes).
 */
async function trackerSession(i, shared) {
  let now = AT + i * 60_000;
  const variant = i % 3;
  const options = {
    storage: { backend: 'memory', maxEvents: 4 },
    now: () => now,
    ...(variant === 0 ? { stageModel: 'classic', rules: TRACKER_RULES } : {}),
    ...(variant === 1 ? { stageModel: shared.model, rules: shared.engine } : {}),
    ...(variant === 2 ? { traits: TRAITS, sync: { url: 'http://127.0.0.1:9/collect', flushDelayMs: 60_000 } } : {}),
  };
  const lc = await sl.createTracker(options);
  lc.addEventListener('stagechange', () => {});
  await lc.page({ path: `/p/${i % 10}` });
  await lc.track('purchase', { value: 5 + (i % 7), sku: `s${i % 4}` });
  now += 1000;
  if (variant !== 2) {
    await lc.decide('hero', { url: 'https://s.example/' });
    await lc.decideAll();
  }
  await lc.identify(`c${i % 20}`, { plan: 'pro' });
  await lc.track('visit');
  if (i % 2 === 1) await lc.forget();
  await lc.close();
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
const TRACKER_ROUNDS = 10_000;

test(`${TRACKER_ROUNDS.toLocaleString('en')} tracker sessions return the heap to its level and leave no timer`, async () => {
  const liveBefore = sl.memoryStats().liveHandles;  // evalCondition's cache, from the first test
  const shared = { model: sl.stageModel('classic'), engine: sl.rules(TRACKER_RULES) };
  const timersBefore = timers();
  for (let i = 0; i < 300; i++) await trackerSession(i, shared);  // warm-up
  await new Promise((resolve) => setTimeout(resolve, 5));  // early-event dispatches (setTimeout 0) run
  const before = sl.memoryStats();
  const started = performance.now();
  for (let i = 300; i < 300 + TRACKER_ROUNDS; i++) await trackerSession(i, shared);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const after = sl.memoryStats();
  console.log(`tracker sessions: ${((performance.now() - started) / TRACKER_ROUNDS).toFixed(3)} ms each; ` +
    `in use ${before.usedBytes} → ${after.usedBytes} bytes; heap ${before.heapBytes} → ${after.heapBytes}`);
  assert.equal(after.heapBytes, before.heapBytes, 'the WebAssembly memory grew');
  assert.ok(after.usedBytes <= before.usedBytes + 4096, `in use: ${before.usedBytes} → ${after.usedBytes}`);
  assert.equal(after.liveHandles, liveBefore + 2, 'only the shared model and engine are added');
  assert.equal(after.emvalHandles, before.emvalHandles);
  assert.equal(timers(), timersBefore, 'a closed tracker left a timer behind');
  // The shared engine holds no exposure history for the closed trackers' visitors (storage has it).
  for (let k = 0; k < 20; k++) assert.deepEqual(shared.engine.exposures(`c${k}`), []);
  shared.engine.dispose();
  shared.model.dispose();
  assert.equal(sl.memoryStats().liveHandles, liveBefore);
});

test('a closed tracker stops hearing the exposures of a shared engine', async () => {
  const engine = sl.rules(TRACKER_RULES);
  const lc = await sl.createTracker({ rules: engine, storage: { backend: 'memory' }, now: () => AT });
  let heard = 0;
  lc.addEventListener('exposure', () => heard++);
  await lc.decide('hero');
  assert.equal(heard, 1);
  await lc.close();
  engine.decide('hero', { customerId: 'someone-else', at: AT });
  assert.equal(heard, 1);
  engine.dispose();
});

/** A collector on 127.0.0.1 acknowledging every entry it receives (or failing with 503). */
async function startCollector(status = 200) {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const batch = JSON.parse(body).batch;
      received.push(...batch);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ acknowledged: status === 200 ? batch.map((entry) => entry.id) : [] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/collect`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('trackers syncing to a collector (acknowledged, or failing with retries pending) leave no timer after close', async () => {
  const good = await startCollector(200);
  const failing = await startCollector(503);
  const timersBefore = timers();
  const before = sl.memoryStats();
  for (let i = 0; i < 200; i++) {
    const collector = i % 2 === 0 ? good : failing;
    const lc = await sl.createTracker({ storage: { backend: 'memory' }, sync: { url: collector.url, flushDelayMs: 0, backoffBaseMs: 60_000 } });
    await lc.track('visit');
    await lc.track('purchase', { value: 3 });
    await lc.flush();  // good: acknowledged; failing: a retry scheduled a minute later
    if (i % 4 === 1) await lc.forget();
    await lc.close();
  }
  // Every event reached the good collector (two per tracker) and the failing one was retried no more.
  assert.equal(good.received.filter((entry) => entry.kind === 'event').length, 200);
  assert.equal(timers(), timersBefore, 'a closed tracker left a timer behind');
  assert.equal(sl.memoryStats().liveHandles, before.liveHandles);
  await good.close();
  await failing.close();
});

// ---- datasets ----------------------------------------------------------------------------------

const SHOP_CSV = [
  'customer,time,amount,order',
  'a,2024-01-05,100,o1', 'b,2024-01-20,40,o2', ',2024-02-01,500,o3', 'c,2024-02-02,20,o4',
  'a,2024-02-10,50,o5', 'c,2024-02-20,10,o6', 'a,2024-03-03,30,o7', 'd,2024-03-09,80,o8',
  'b,2024-03-15,60,o9', 'd,2024-03-20,30,C8', 'e,2024-03-21,0,o10', 'f,bad,5,o11', '',
].join('\n');
const EVENTS_NDJSON = [
  { u: 'a', t: 'view', at: '2024-01-01', s: null }, { u: 'a', t: 'cart', at: '2024-01-02' },
  { u: 'a', t: 'buy', at: '2024-01-03', amount: 20 }, { u: 'b', t: 'view', at: '2024-01-05' },
  { u: 'b', t: 'nps', at: '2024-02-01', s: 9 }, { u: 'c', t: 'view', at: '2024-02-10' },
  { u: 'c', t: 'nps', at: '2024-02-11', s: 3 },
].map((row) => JSON.stringify(row)).join('\n');

/**
 * Load a small CSV and NDJSON, compute every metric the page asks for, dispose. Every 100th round
 * also fits BG/NBD (its optimiser takes ~40 ms on these five customers, which are few and
 * degenerate for the model; the fit holds no WASM memory between calls, so 100 fits suffice).
 */
function datasetRound(i, model) {
  const shop = sl.loadTransactions(SHOP_CSV, { customerId: 'customer', timestamp: 'time', amount: 'amount', orderId: 'order' });
  shop.issues;
  shop.kpis({ period: 'M' });
  shop.rfm({ at: '2024-04-01' });
  shop.cohorts({ period: 'M' });
  shop.lifecycle({ period: 'M' });
  shop.stages(model, '2024-04-01');
  const summary = shop.summary({ period: 'D', observationEnd: '2024-04-01' });
  if (i % 100 === 0) {
    const fit = sl.fitBGNBD(summary);
    fit.pAlive(summary.frequency, summary.recency, summary.T);
  }
  shop.dispose();
  const events = sl.loadEvents(EVENTS_NDJSON, { customerId: 'u', type: 't', timestamp: 'at', amount: 'amount', score: 's' });
  events.funnel({ steps: ['view', 'cart', 'buy'], windowDays: 7 + (i % 3) });
  events.kpis({ period: 'W' });
  events.stageFlow(model, '2024-03-01');
  events.dispose();
  try {
    sl.loadTransactions(SHOP_CSV, { customerId: 'customer', timestamp: 'time', amount: 'amount', strict: true });
  } catch {
    // strict: the bad row throws, and the loader's memory must still be freed
  }
}

const DATASET_ROUNDS = 5_000;  // ~7 ms a round on the shared CI machine: 5,000 fit in ~30 s

test(`${DATASET_ROUNDS.toLocaleString('en')} dataset rounds (CSV + NDJSON, metrics, fit) return the heap to its level`, () => {
  const liveBefore = sl.memoryStats().liveHandles;
  const model = sl.stageModel('classic');
  for (let i = 0; i < 200; i++) datasetRound(i, model);
  const before = sl.memoryStats();
  const started = performance.now();
  for (let i = 200; i < 200 + DATASET_ROUNDS; i++) datasetRound(i, model);
  const after = sl.memoryStats();
  console.log(`dataset rounds: ${((performance.now() - started) / DATASET_ROUNDS).toFixed(3)} ms each; ` +
    `in use ${before.usedBytes} → ${after.usedBytes} bytes; heap ${before.heapBytes} → ${after.heapBytes}`);
  assert.equal(after.heapBytes, before.heapBytes, 'the WebAssembly memory grew');
  assert.ok(after.usedBytes <= before.usedBytes + 4096, `in use: ${before.usedBytes} → ${after.usedBytes}`);
  assert.equal(after.liveHandles, liveBefore + 1, 'only the model is added');
  assert.equal(after.emvalHandles, before.emvalHandles);
  model.dispose();
});
