// Memory over a long session: every kind of handle created and disposed 10,000 times (and a rules
// engine deciding many times) must leave the WebAssembly heap where it was. Measured with
// sl.memoryStats(): usedBytes (bytes in live allocations, dlmalloc's mallinfo) must come back to
// its level after a warm-up round (within 4 KiB, less than one byte per round), and the memory
// itself (heapBytes) must stop growing.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init } from '../../web/src/index.js';

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
