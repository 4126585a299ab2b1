// Times outside JavaScript's Date range are refused at the binding boundary (wasm/convert.hpp)
// with a clear error, rather than converted to an integer (undefined behaviour in C++ for values
// beyond ±2^63, and beyond ±8.64e15 ms no Date exists). The module keeps working afterwards.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init, StagelineError } from '../../web/src/index.js';

let sl;
before(async () => {
  sl = await init();
});

function assertAtRefused(fn) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof StagelineError, String(error));
    assert.equal(error.code, 'invalid_argument');
    assert.equal(error.path, 'at');
    assert.match(error.message, /Date range/);
    return true;
  });
}

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

// ---- what happens at the limit: a clear error, the page keeps working, nothing loaded is lost ----

const SHOP_MAPPING = { customerId: 'customer', timestamp: 'time', amount: 'amount' };
// Six valid rows (a: 10 + 20, b: 30, c: 40 + 50 + 60) and one row with a bad time.
const SIX_ROWS = ['customer,time,amount', 'a,2024-01-01,10', 'b,2024-01-02,30', 'a,2024-01-03,20',
  'c,2024-01-04,40', 'c,2024-01-05,50', 'x,not a time,1', 'c,2024-01-06,60'].join('\n');

test('dataset rows beyond maxRows: limit_exceeded naming the row; earlier datasets and the heap are intact', () => {
  const kept = sl.loadTransactions(SIX_ROWS, SHOP_MAPPING);  // loaded before the failing load
  const keptRevenue = kept.kpis({ period: 'M' }).metrics.revenue;
  const before = sl.memoryStats();
  assert.throws(() => sl.loadTransactions(SIX_ROWS, { ...SHOP_MAPPING, maxRows: 4 }), (error) => {
    assert.ok(error instanceof StagelineError, String(error));
    assert.equal(error.code, 'limit_exceeded');
    assert.equal(error.path, 'maxRows');
    // The fifth valid record, c,2024-01-05: CSV row 6 (rows count the header as row 1, README
    // "Rows and issues"), on line 6, would be the dataset's fifth row.
    assert.match(error.message, /row 6 \(line 6\) would be row 5 of the dataset, beyond maxRows \(4\)/);
    return true;
  });
  const after = sl.memoryStats();
  assert.equal(after.liveHandles, before.liveHandles);
  assert.equal(after.usedBytes, before.usedBytes, 'the failed load freed what it had read');
  // The rejected row does not count: six valid rows fit in maxRows 6, the bad one is an issue.
  const exact = sl.loadTransactions(SIX_ROWS, { ...SHOP_MAPPING, maxRows: 6 });
  assert.equal(exact.rowCount, 6);
  assert.equal(exact.report.rowsRejected, 1);
  assert.deepEqual(exact.kpis({ period: 'M' }).metrics.revenue, [210]);  // 10 + 30 + 20 + 40 + 50 + 60
  // Columns and NDJSON input stop at the same limit.
  assert.throws(() => sl.loadTransactions({ customer: ['a', 'b', 'c'], time: [1, 2, 3], amount: [1, 1, 1] },
    { ...SHOP_MAPPING, maxRows: 2 }), (e) => e.code === 'limit_exceeded' && /row 3 \(line 3\)/.test(e.message));
  const ndjson = ['{"u":"a","t":1,"v":1}', '{"u":"b","t":2,"v":1}'].join('\n');
  assert.throws(() => sl.loadTransactions(ndjson, { customerId: 'u', timestamp: 't', amount: 'v', maxRows: 1 }),
    (e) => e.code === 'limit_exceeded' && e.path === 'maxRows');
  assert.throws(() => sl.loadTransactions(SIX_ROWS, { ...SHOP_MAPPING, maxRows: -1 }), (e) => e.code === 'invalid_config' && e.path === 'maxRows');
  // The dataset loaded before is untouched and the module keeps working.
  assert.deepEqual(kept.kpis({ period: 'M' }).metrics.revenue, keptRevenue);
  assert.deepEqual(keptRevenue, [210]);
  assert.equal(sl.evalCondition({ n: 2 }, { n: { $gt: 1 } }), true);
  kept.dispose();
  exact.dispose();
});

test('rules per engine: 10,000 compile, 10,001 are limit_exceeded at "rules"; the engine in use keeps deciding', () => {
  const slots = { hero: { default: 'd' } };
  const rules = (n) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, slot: 'hero', priority: i, when: { 'context.n': { $eq: i } }, payload: i }));
  const engine = sl.rules({ slots, rules: rules(10_000) });
  assert.equal(engine.decide('hero', { customerId: 'c', context: { n: 9_999 }, at: 0 }).ruleId, 'r9999');
  assert.throws(() => sl.rules({ slots, rules: rules(10_001) }), (error) => {
    assert.ok(error instanceof StagelineError, String(error));
    assert.equal(error.code, 'limit_exceeded');
    assert.equal(error.path, 'rules');
    assert.match(error.message, /10001 rules, more than 10000 per rule set/);
    return true;
  });
  assert.equal(engine.decide('hero', { customerId: 'c', context: { n: 7 }, at: 0 }).ruleId, 'r7');
  engine.dispose();
});
