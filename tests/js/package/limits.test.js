// Times outside JavaScript's Date range are refused at the binding boundary (wasm/common/convert.hpp)
// with a clear error, rather than converted to an integer (undefined behaviour in C++ for values
// beyond ±2^63, and beyond ±8.64e15 ms no Date exists). The module keeps working afterwards.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init } from '../../../web/src/index.js';
import { assertStagelineError } from '../assert_error.js';

let sl;
before(async () => {
  sl = await init();
});

const assertAtRefused = (fn) => assertStagelineError(fn, 'invalid_argument', 'at', /Date range/);
const assertLimit = (fn, path) => assertStagelineError(fn, 'limit_exceeded', path);

test('evaluation times beyond ±8.64e15 ms are invalid_argument', () => {
  assertAtRefused(() => sl.evalCondition({ t: 1 }, { t: { $withinLastDays: 3 } }, null, { at: 1e300 }));
  assertAtRefused(() => sl.evalCondition({ t: 1 }, { t: 1 }, null, { at: -8.64e15 - 1 }));
  const condition = sl.compileCondition({ t: { $olderThanDays: 1 } });
  assertAtRefused(() => condition.test({ t: 0 }, { at: 2 ** 63 }));
  // The limits themselves are valid times (new Date(8.64e15) is the last one).
  assert.equal(condition.test({ t: 0 }, { at: 8.64e15 }), true);
  assert.equal(condition.test({ t: 0 }, { at: -8.64e15 }), false);
  condition.dispose();
  const model = sl.stageModel('classic');
  assertAtRefused(() => model.classify({ orders: 1 }, 9e15));
  model.dispose();
  assert.equal(sl.evalCondition({ n: 2 }, { n: { $gt: 1 } }), true);
});

test('a dataset over maxRows is refused at the row that passes it; what is loaded keeps working', () => {
  const mapping = { customerId: 'c', timestamp: 't', amount: 'a' };
  const rows = (n) => ['c,t,a', ...Array.from({ length: n }, (_, i) => `u${i % 7},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i + 1}`)].join('\n');
  const kept = sl.loadTransactions(rows(10), mapping);
  // 11 data rows against maxRows 10: the 11th is file row 12 (the header is row 1).
  assertLimit(() => sl.loadTransactions(rows(11), { ...mapping, maxRows: 10 }), 'row 12');
  assertLimit(() => sl.loadTransactions(rows(11), { ...mapping, maxRows: 10, chunkSize: 16 }), 'row 12');
  assert.equal(sl.loadTransactions(rows(10), { ...mapping, maxRows: 10 }).rowCount, 10);
  // The dataset loaded before is intact: revenue 1 + 2 + ... + 10 = 55.
  assert.equal(kept.rowCount, 10);
  assert.deepEqual(kept.kpis({ period: 'Y' }).metrics.revenue, [55]);
  kept.dispose();
});

test('an unclosed quote is refused where its record starts instead of swallowing the file', () => {
  const mapping = { customerId: 'c', timestamp: 't', amount: 'a', maxRecordBytes: 256 };
  const lines = ['c,t,a', 'x,2024-01-01,1', '"y,2024-01-02,2'];
  for (let i = 0; i < 100; i += 1) lines.push('z,2024-01-03,3');
  assertLimit(() => sl.loadTransactions(lines.join('\n'), { ...mapping, chunkSize: 64 }), 'line 3');
  assertLimit(() => sl.loadTransactions(lines.join('\n'), mapping), 'line 3');
  assertLimit(() => sl.loadEvents('c,t,e\n' + 'x'.repeat(300) + ',2024-01-01,visit\n', { customerId: 'c', timestamp: 't', type: 'e', maxRecordBytes: 256 }), 'line 2');
  assertLimit(() => sl.loadTransactions(`${Array.from({ length: 1025 }, (_, i) => `k${i}`).join(',')}\n`, { customerId: 'k0', timestamp: 'k1', amount: 'k2' }), 'header');
});

test('a rules config over 10,000 rules or 1,000 slots is refused; the module keeps working', () => {
  const slots = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`s${i}`, {}]));
  assertLimit(() => sl.rules({ slots }), 'slots');
  const rules = Array.from({ length: 10001 }, (_, i) => ({ id: `r${i}`, slot: 's0', payload: i }));
  assertLimit(() => sl.rules({ slots: { s0: {} }, rules }), 'rules');
  const engine = sl.rules({ slots: { s0: { default: 'd' } }, rules: rules.slice(0, 2) });
  // r0 and r1 both apply with priority 0; the first listed wins.
  assert.equal(engine.decide('s0', { customerId: 'c' }).payload, 0);
  engine.dispose();
});
