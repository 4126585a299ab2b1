// Datasets through the built WebAssembly module: loading CSV / NDJSON / columns, issues, strict
// mode, KPIs and RFM. Expected values are worked out by hand from the definitions in
// the README's "Datasets and metrics" (comments show the arithmetic) or recomputed independently in plain JS.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { init, Dataset } from '../../../web/src/index.js';
import { assertStagelineError } from '../assert_error.js';

let sl;
before(async () => {
  sl = await init();
});

// a: Jan 5 (100), Feb 10 (50), Mar 3 (30)   b: Jan 20 (40), Mar 15 (60)
// c: Feb 2 (20), Feb 20 (10)                 d: Mar 9 (80), return Mar 20 (−30)   guest: Feb 1 (500)
const SHOP = [
  'customer,time,amount,order',
  'a,2024-01-05,100,o1', 'b,2024-01-20,40,o2', ',2024-02-01,500,o3', 'c,2024-02-02,20,o4',
  'a,2024-02-10,50,o5', 'c,2024-02-20,10,o6', 'a,2024-03-03,30,o7', 'd,2024-03-09,80,o8',
  'b,2024-03-15,60,o9', 'd,2024-03-20,30,C8', '',
].join('\r\n');
const SHOP_MAPPING = { customerId: 'customer', timestamp: 'time', amount: 'amount', orderId: 'order' };

function assertClose(actual, expected, message) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message}: ${actual} ≠ ${expected}`);
}

describe('loadTransactions', () => {
  test('CSV text: counts, guests, returns, no issues', () => {
    const shop = sl.loadTransactions(SHOP, SHOP_MAPPING);
    assert.ok(shop instanceof Dataset);
    assert.equal(shop.rowCount, 10);
    assert.equal(shop.customerCount, 4);
    assert.deepEqual(shop.issues, []);
    assert.equal(shop.report.guestRows, 1);
    assert.equal(shop.report.returnRows, 1);
    shop.dispose();
    assert.equal(shop.disposed, true);
    assertStagelineError(() => shop.rowCount, 'disposed');
  });

  test('dirty CSV: every rejected or excluded row is an issue with row and column', () => {
    const text = '\uFEFFid;when;amount\n'
      + 'x;2024-01-01;"1,5"\n'        // row 2: decimal comma (decimalComma: true)
      + 'y;someday;2\n'               // row 3: bad time
      + 'z;2024-01-02\n'              // row 4: ragged
      + 'w;2024-01-03;0\n'            // row 5: zero amount, excluded
      + 'v;2024-01-04;"3\n';          // row 6: unterminated quote
    const data = sl.loadTransactions(text, { customerId: 'id', timestamp: 'when', amount: 'amount', decimalComma: true });
    assert.equal(data.rowCount, 1);
    assert.deepEqual(data.issues.map((i) => [i.row, i.column, i.reason, i.excluded]), [
      [3, 'when', 'invalid_timestamp', false],
      [4, 'amount', 'ragged_row', false],
      [5, 'amount', 'zero_amount', true],
      [6, 'amount', 'csv_syntax', false],
    ]);
    assert.equal(data.issues[0].message, 'expected an ISO-8601 timestamp or epoch milliseconds, got "someday"');
    assert.equal(data.report.rowsRead, 5);
    assert.deepEqual(data.report.issuesByReason, { invalid_timestamp: 1, ragged_row: 1, zero_amount: 1, csv_syntax: 1 });
    data.dispose();
    assertStagelineError(() => sl.loadTransactions(text, { customerId: 'id', timestamp: 'when', amount: 'amount', strict: true }),
      'invalid_argument', 'row 2, column "amount"');  // "1,5" is not a number without decimalComma
    assertStagelineError(() => sl.loadTransactions(text, { customerId: 'id', timestamp: 'date', amount: 'amount' }),
      'invalid_config', 'timestamp');
    assertStagelineError(() => sl.loadTransactions(text, { customerId: 'id', timestamp: 'when' }), 'invalid_config', 'amount');
  });

  test('chunked text (quoted line breaks across chunks) gives the same dataset', () => {
    const rows = ['id,t,amount,note'];
    for (let i = 0; i < 500; i++) rows.push(`c${i % 37},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i + 1},"multi\nline ""${i}"""`);
    const text = rows.join('\n');
    const mapping = { customerId: 'id', timestamp: 't', amount: 'amount' };
    const whole = sl.loadTransactions(text, mapping);
    const chunked = sl.loadTransactions(text, { ...mapping, chunkSize: 1024 });
    assert.equal(whole.rowCount, 500);
    assert.equal(chunked.rowCount, 500);
    assert.deepEqual(chunked.rfm(), whole.rfm());
    whole.dispose();
    chunked.dispose();
  });

  test('NDJSON and columns give the same RFM as CSV', () => {
    const csv = sl.loadTransactions(SHOP, SHOP_MAPPING);
    const lines = SHOP.trim().split('\r\n').slice(1).map((line) => {
      const [customer, time, amount, order] = line.split(',');
      return { customer: customer || null, time, amount: Number(amount), order };
    });
    const ndjson = sl.loadTransactions(lines.map((o) => JSON.stringify(o)).join('\n'), SHOP_MAPPING);
    const columns = sl.loadTransactions({
      customer: lines.map((o) => o.customer),
      time: lines.map((o) => new Date(`${o.time}T00:00:00Z`)),
      amount: Float64Array.from(lines, (o) => o.amount),
      order: lines.map((o) => o.order),
    }, SHOP_MAPPING);
    const at = '2024-04-01';
    assert.deepEqual(ndjson.rfm({ at }), csv.rfm({ at }));
    assert.deepEqual(columns.rfm({ at }), csv.rfm({ at }));
    assert.equal(columns.report.guestRows, 1);
    for (const d of [csv, ndjson, columns]) d.dispose();
  });

  test('progress callback every progressEvery rows', () => {
    const seen = [];
    const d = sl.loadTransactions(SHOP, { ...SHOP_MAPPING, progressEvery: 4, onProgress: (rows) => seen.push(rows) });
    assert.deepEqual(seen, [4, 8]);
    d.dispose();
    // A callback that throws stops the load with its own error.
    assert.throws(() => sl.loadTransactions(SHOP, { ...SHOP_MAPPING, progressEvery: 1, onProgress: () => { throw new RangeError('stop'); } }),
      (error) => error instanceof RangeError && error.message === 'stop');
    const after = sl.loadTransactions(SHOP, SHOP_MAPPING);  // the module still works
    assert.equal(after.rowCount, 10);
    after.dispose();
  });
});

describe('metrics', () => {
  test('rfm: values, scores and segments by hand', () => {
    const shop = sl.loadTransactions(SHOP, SHOP_MAPPING);
    const r = shop.rfm({ at: '2024-04-01' });
    assert.deepEqual(r.customerIds, ['a', 'b', 'c', 'd']);
    // Days from the last purchase to Apr 1: Mar 3 → 29, Mar 15 → 17, Feb 20 → 41, Mar 9 → 23.
    assert.deepEqual([...r.recencyDays], [29, 17, 41, 23]);
    assert.deepEqual([...r.frequency], [3, 2, 2, 1]);
    assert.deepEqual([...r.monetary], [180, 100, 30, 50]);
    assert.ok(r.r instanceof Uint8Array);
    assert.deepEqual([...r.r], [2, 4, 1, 3]);
    assert.deepEqual([...r.f], [4, 2, 2, 1]);
    assert.deepEqual([...r.m], [4, 3, 1, 2]);
    assert.deepEqual(r.segments, ['At Risk', 'Potential Loyalist', 'Lost', 'About To Sleep']);
    assert.equal(r.segmentCounts['At Risk'], 1);
    assert.equal(r.segmentCounts.Champions, 0);
    assert.equal(r.lastPurchase[0], Date.parse('2024-03-03T00:00:00Z'));
    shop.dispose();
  });

  test('kpis: monthly retention, churn, AOV, CAC by hand', () => {
    const shop = sl.loadTransactions(SHOP, SHOP_MAPPING);
    const k = shop.kpis({ period: 'M', spend: { '2024-02': 300 } });
    assert.deepEqual(k.periods, ['2024-01', '2024-02', '2024-03']);
    const m = k.metrics;
    assert.deepEqual(m.activeCustomers, [2, 2, 3]);
    assert.deepEqual(m.retentionRate, [null, 0.5, 1]);   // (E − N)/S: Jan S = 0 → null
    assert.deepEqual(m.churnRate, [null, 0.5, 0.5]);
    assert.deepEqual(m.revenue, [140, 80, 140]);
    assert.deepEqual(m.cac, [null, 300, null]);
    assertClose(m.averageOrderValue[1], 80 / 3, 'AOV Feb');
    assertClose(k.change.revenue[2], 0.75, 'revenue change Mar');
    assertStagelineError(() => shop.kpis({ period: 'fortnight' }), 'invalid_config', 'period');
    shop.dispose();
  });

  test('kpis: NPS with the Wald interval from events', () => {
    const events = [10, 9, 8, 6, 3].map((s, i) => JSON.stringify({ u: `u${i}`, t: 'nps', at: '2024-05-02', s })).join('\n');
    const d = sl.loadEvents(events, { customerId: 'u', type: 't', timestamp: 'at', score: 's' });
    const nps = d.kpis({ period: 'M' }).cx.nps;
    // P = 2, D = 2, n = 5: NPS 0; variance (2 + 2)/5 = 0.8; half width 100 × 1.959964 × sqrt(0.8/5).
    assert.deepEqual(nps.n, [5]);
    assertClose(nps.value[0], 0, 'NPS');
    assertClose(nps.high[0], 100 * 1.959963984540054 * Math.sqrt(0.8 / 5), 'NPS high');
    d.dispose();
  });

  test('rfm frequency / monetary / last purchase match a plain JS aggregation of random data', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows = ['cust,ts,amt,inv'];
    const expected = new Map();
    const start = Date.parse('2023-01-01T00:00:00Z');
    for (let i = 0; i < 3000; i++) {
      const customer = `k${Math.floor(random() * 200)}`;
      const ts = start + Math.floor(random() * 365 * 86400) * 1000;
      const amount = Math.round(random() * 10000) / 100 + 0.01;
      rows.push(`${customer},${new Date(ts).toISOString()},${amount},i${i}`);
      const e = expected.get(customer) ?? { frequency: 0, monetary: 0, last: -Infinity };
      e.frequency += 1;
      e.monetary += amount;
      e.last = Math.max(e.last, ts);
      expected.set(customer, e);
    }
    const d = sl.loadTransactions(rows.join('\n'), { customerId: 'cust', timestamp: 'ts', amount: 'amt', orderId: 'inv' });
    const r = d.rfm({ at: '2024-06-01' });
    assert.equal(r.customerIds.length, expected.size);
    r.customerIds.forEach((id, i) => {
      const e = expected.get(id);
      assert.equal(r.frequency[i], e.frequency, id);
      assertClose(r.monetary[i], e.monetary, id);
      assert.equal(r.lastPurchase[i], e.last, id);
    });
    d.dispose();
  });

  test('cohorts: monthly matrix by hand', () => {
    const shop = sl.loadTransactions(SHOP, SHOP_MAPPING);
    const c = shop.cohorts({ period: 'M' });
    // Cohorts: January {a, b}, February {c}, March {d}. January: Feb a only, Mar a and b.
    assert.deepEqual(c.cohorts, ['2024-01', '2024-02', '2024-03']);
    assert.deepEqual(c.returned, [[2, 1, 2], [1, 0], [1]]);
    assert.deepEqual(c.onOrAfter, [[2, 2, 2], [1, 0], [1]]);
    assert.deepEqual(c.revenue, [[140, 50, 90], [30, 0], [50]]);
    assertStagelineError(() => shop.cohorts({ period: 'Y' }), 'invalid_config', 'period');
    shop.dispose();
  });

  test('funnel: ordered and any-order by hand', () => {
    const csv = 'u,e,t\nu1,view,2024-01-01\nu1,cart,2024-01-02\nu1,buy,2024-01-03\n'
      + 'u2,view,2024-01-01\nu2,buy,2024-01-02\nu2,cart,2024-01-03\nu3,cart,2024-01-01\nu3,view,2024-01-02\n';
    const d = sl.loadEvents(csv, { customerId: 'u', type: 'e', timestamp: 't' });
    // Ordered: view u1 u2 u3; cart after view u1 u2; buy after cart u1 (u2 bought before its cart).
    const ordered = d.funnel({ steps: ['view', 'cart', 'buy'], windowDays: 7 });
    assert.deepEqual(ordered.steps.map((s) => s.customers), [3, 2, 1]);
    assert.equal(ordered.medianTimeToConvertMs, 2 * 86_400_000);
    // Any order: u1 and u2 did all three within 2 days, u3 two of them.
    const any = d.funnel({ steps: ['view', 'cart', 'buy'], windowDays: 7, order: 'any' });
    assert.deepEqual(any.steps.map((s) => s.customers), [3, 3, 2]);
    assertStagelineError(() => d.funnel({ steps: [] }), 'invalid_config', 'steps');
    d.dispose();
  });

  test('stages, transitions and PostHog lifecycle by hand', () => {
    const shop = sl.loadTransactions(SHOP, SHOP_MAPPING);
    const model = sl.stageModel({
      default: 'prospect',
      stages: [{ id: 'prospect' }, { id: 'customer', when: { orders: { $gte: 1 } } },
        { id: 'repeat', when: { orders: { $gte: 2 } } }, { id: 'lapsed', when: { daysSinceLastOrder: { $gte: 30 } } }],
    });
    // Feb 15: a repeat (2 orders), b and c customers, d not seen yet.
    const s = shop.stages(model, '2024-02-15');
    assert.deepEqual(s.customerIds, ['a', 'b', 'c']);
    assert.deepEqual(s.distribution, { prospect: 0, customer: 2, repeat: 1, lapsed: 0 });
    // Apr 1: a repeat, b repeat, c lapsed (41 days), d customer (its return is no order).
    const t = shop.transitions(model, '2024-02-15', '2024-04-01');
    assert.deepEqual(t.matrix, [[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 0]]);
    const l = shop.lifecycle({ period: 'M' });
    assert.deepEqual([l.new, l.returning, l.resurrecting, l.dormant], [[2, 1, 1], [0, 1, 1], [0, 0, 1], [0, 1, 1]]);
    // Timelines to Mar 31 (leap year): a customer Jan 5 → lapsed Feb 4 → repeat Feb 10; b customer
    // Jan 20 → lapsed Feb 19 → repeat Mar 15; c customer Feb 2 → repeat Feb 20 → lapsed Mar 21;
    // d customer Mar 9. Completed customer stays 30, 30, 18 days; a, b, c reached repeat after.
    const flow = shop.stageFlow(model, '2024-03-31T23:59:59Z');
    assert.deepEqual(flow.timeInStage[1], { stage: 'customer', completedStays: 3, medianDays: 30, meanDays: 26, openStays: 1 });
    assert.deepEqual(flow.timeInStage[3], { stage: 'lapsed', completedStays: 2, medianDays: 15.5, meanDays: 15.5, openStays: 1 });
    assert.deepEqual(flow.funnel[1], { stage: 'customer', reached: 4, next: 'repeat', reachedNext: 3, conversion: 0.75 });
    model.dispose();
    shop.dispose();
  });
});

describe('summary (lifetimes) of a dataset', () => {
  test('weekly frequency, recency, T and monetary by hand', () => {
    // Weeks are Monday–Sunday (UTC). Observation end Sun 2026-03-29 → its week starts Mon 03-23.
    //   a: Mon 03-02 (20), Wed 03-04 (10, same week: one purchase of 30), Tue 03-10 (40),
    //      order A9 on Thu 03-19 (25) with its return on 03-20 (−25): net 0, still a purchase (≥ 0)
    //      → periods 03-02, 03-09, 03-16: frequency 2, recency 2, T 3, monetary (40 + 0) / 2 = 20
    //   b: Fri 03-27 (15) → frequency 0, recency 0, T 0, monetary 0
    //   c: an order that is only a return (−10) is not a purchase → c is absent
    const text = [
      'customer,order,when,amount',
      'a,A1,2026-03-02,20',
      'a,A2,2026-03-04,10',
      'a,A3,2026-03-10,40',
      'a,A9,2026-03-19,25',
      'a,A9,2026-03-20,-25',
      'b,B1,2026-03-27,15',
      'c,C1,2026-03-12,-10',
    ].join('\n');
    const data = sl.loadTransactions(text, { customerId: 'customer', orderId: 'order', timestamp: 'when', amount: 'amount' });
    const s = data.summary({ period: 'W', observationEnd: '2026-03-29' });
    assert.deepEqual(s.customerIds, ['a', 'b']);
    assert.deepEqual([...s.frequency], [2, 0]);
    assert.deepEqual([...s.recency], [2, 0]);
    assert.deepEqual([...s.T], [3, 0]);
    assert.deepEqual([...s.monetary], [20, 0]);
    data.dispose();
  });
});

describe('CX by stage', () => {
  test('each answer counts for the stage it was given in', () => {
    // x: purchase (customer) then NPS 10 → customer; y: NPS 3 first (→ default prospect), two
    // purchases (repeat), CSAT 5 → repeat.
    const events = [
      { customer: 'x', time: '2024-01-01', type: 'purchase', amount: 20 },
      { customer: 'x', time: '2024-01-05', type: 'nps', score: 10 },
      { customer: 'y', time: '2024-01-02', type: 'nps', score: 3 },
      { customer: 'y', time: '2024-01-03', type: 'purchase', amount: 10 },
      { customer: 'y', time: '2024-01-04', type: 'purchase', amount: 15 },
      { customer: 'y', time: '2024-01-06', type: 'csat', score: 5 },
    ].map((e) => JSON.stringify(e)).join('\n');
    const data = sl.loadEvents(events, { customerId: 'customer', timestamp: 'time', type: 'type', amount: 'amount', score: 'score' });
    const model = sl.stageModel({
      default: 'prospect',
      stages: [{ id: 'prospect' }, { id: 'customer', when: { orders: { $gte: 1 } } }, { id: 'repeat', when: { orders: { $gte: 2 } } }],
    });
    const r = data.cxByStage(model);
    assert.deepEqual(r.stages, ['prospect', 'customer', 'repeat']);
    assert.deepEqual(r.cx.nps.n, [1, 1, 0]);
    assert.deepEqual(r.cx.nps.value, [-100, 100, null]);
    assert.deepEqual(r.cx.csat.value, [null, null, 100]);
    // Up to Jan 4 only y's NPS is in range.
    assert.deepEqual(data.cxByStage(model, { to: '2024-01-04' }).cx.nps.n, [1, 0, 0]);
    model.dispose();
    data.dispose();
  });
});
