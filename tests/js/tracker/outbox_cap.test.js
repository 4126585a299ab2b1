// The outbox's cap (sync.maxOutbox, web/src/tracker/tracker.js #putOutbox): while the collector cannot be
// reached the outbox keeps the newest maxOutbox entries; the oldest events are dropped, each drop
// counted in the meta record 'outbox' and reported as an `outbox_full` error event; an erasure
// request is never dropped. Offline is navigator.onLine === false (Node has no navigator: one is
// defined for this file's process). Expected values follow from the events each test tracks.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init, StagelineError } from '../../../web/src/index.js';

let sl;
before(async () => {
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: false }, configurable: true });
  sl = await init();
});
after(() => {
  delete globalThis.navigator;
});

const AT = Date.parse('2025-05-01T00:00:00Z');
const SYNC = { url: 'http://127.0.0.1:9/collect', maxOutbox: 3, hashIdentifiers: false };

test('offline, the outbox keeps the newest maxOutbox events and counts and reports every drop', async () => {
  let now = AT;
  const lc = await sl.createTracker({ storage: { backend: 'memory' }, sync: SYNC, now: () => now });
  const reports = [];
  lc.addEventListener('error', (e) => reports.push(e.detail));
  for (const type of ['a', 'b', 'c', 'd', 'e']) {
    await lc.track(type);
    now += 1000;
  }
  await new Promise((resolve) => setImmediate(resolve));
  const held = await lc.export();
  // Five events into three places: a and b dropped, c d e kept in order.
  assert.deepEqual(held.outbox.map((r) => r.body.type), ['c', 'd', 'e']);
  assert.deepEqual(reports.map((r) => [r.code, r.dropped, r.droppedTotal, r.maxOutbox]),
    [['outbox_full', 1, 1, 3], ['outbox_full', 1, 2, 3]]);
  assert.match(reports[0].message, /sync\.maxOutbox/);
  const counter = held.meta.find((r) => r.key === 'outbox');
  assert.equal(counter.dropped, 2);
  assert.equal(counter.lastDroppedAt, AT + 4000);  // the time of e, whose arrival dropped b
  // The profile counts all five: only the copies waiting for the collector were dropped.
  assert.equal(lc.profile().events, 5);
  await lc.close();
});

test('an erasure request is never dropped; the events after it are', async () => {
  let now = AT;
  const lc = await sl.createTracker({ storage: { backend: 'memory' }, sync: SYNC, now: () => now });
  await lc.track('before');
  await lc.forget();  // leaves one outbox entry: the erasure request
  for (const type of ['a', 'b', 'c', 'd']) {
    await lc.track(type);
    now += 1000;
  }
  const held = await lc.export();
  // Erasure + a b c d = 5 entries for 3 places: a and b go, the erasure stays first.
  assert.deepEqual(held.outbox.map((r) => r.kind === 'erasure' ? 'erasure' : r.body.type), ['erasure', 'c', 'd']);
  assert.equal(held.meta.find((r) => r.key === 'outbox').dropped, 2);
  await lc.close();
});

test('sync.maxOutbox must be a whole number >= 1', async () => {
  const live = sl.memoryStats().liveHandles;
  await assert.rejects(sl.createTracker({ storage: { backend: 'memory' }, sync: { ...SYNC, maxOutbox: 0 } }),
    (e) => e instanceof StagelineError && e.code === 'invalid_argument' && e.path === 'sync.maxOutbox');
  assert.equal(sl.memoryStats().liveHandles, live, 'the failed createTracker freed what it made');
});
