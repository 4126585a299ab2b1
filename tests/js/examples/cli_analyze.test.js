// `stageline analyze` (examples/cli/stageline.js), run as a user runs it, on small files written
// here. Every expected figure is worked out by hand below from the README's definitions (KPIs,
// `full` stages, RFM scores and segments, lifetimes' summary); the BG/NBD parameters are compared
// with sl.fitBGNBD on the purchase summary written out by hand (the fit itself is checked against
// CDNOW in the btyd tests).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { init } from '../../../web/src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let dir;
let sl;

// Five customers over three months. R1003 is E's return (net amount < 0); A's March order has two lines.
const ORDERS = `customer_id,order_id,date,amount
A,1001,2025-01-05,100
B,1002,2025-01-20,40
E,1003,2025-01-25,80
E,R1003,2025-02-01,-80
A,1004,2025-02-10,50
C,1005,2025-02-14,200
B,1006,2025-03-02,60
A,1007,2025-03-15,40
A,1007,2025-03-15,30
D,1008,2025-03-20,30
`;

// By month (E = active, N = new, S = active the month before, retained = active in both):
//   Jan: A, B, E buy: E 3, N 3, orders 3, revenue 220, AOV 73.33; S = 0 → retention, churn null; nobody has 2 orders.
//   Feb: A, C buy, E returns: E 2, N 1 (C), orders 2, revenue 50 + 200 − 80 = 170, AOV 85;
//        S 3, retained 1 (A): retention (2 − 1)/3 = 33.3%, churn (3 − 1)/3 = 66.7%; repeat: A of {A, C} = 50%.
//   Mar: A (40 + 30), B, D buy: E 3, N 1 (D), orders 3, revenue 160, AOV 53.33;
//        S 2 (A, C), retained 1 (A): retention (3 − 1)/2 = 100%, churn 50%; repeat: A, B of 3 = 66.7%.
const KPI_ROWS = [
  ['2025-01', '3', '3', '3', '220.00', '73.33', '–', '–', '0.0%'],
  ['2025-02', '2', '1', '2', '170.00', '85.00', '33.3%', '66.7%', '50.0%'],
  ['2025-03', '3', '1', '3', '160.00', '53.33', '100.0%', '50.0%', '66.7%'],
];
// At 2025-03-21 (the midnight after the last row), `full` preset:
//   A (3 orders), B (2): retention; C (1 order 35 days ago, 1 active day): acquisition;
//   D (first order yesterday): onboarding; E (last seen at the return 48 days ago): at risk (≥ 45 days).
const STAGES = { awareness: 0, acquisition: 1, onboarding: 1, engagement: 0, retention: 2, growth: 0, advocacy: 0, at_risk: 1, churn: 0 };
// RFM at 2025-03-21: recency (days) A 6, B 19, C 35, D 1, E 55; frequency A 3, B 2, others 1.
//   R = 1 + ⌊5·#larger recency/5⌋: A 4, B 3, C 2, D 5, E 1;  F = 1 + ⌊5·#smaller frequency/5⌋: A 5, B 4, C, D, E 1.
//   (4,5) A and (3,4) B: Loyal Customers; (2,1) C: Hibernating; (5,1) D: New Customers; (1,1) E: Lost.
const SEGMENTS = { 'Loyal Customers': 2, Hibernating: 1, 'New Customers': 1, Lost: 1 };
// lifetimes' summary in days, observed to 2025-03-21, customers in order of first appearance (A, B, E, C, D):
//   A: purchases Jan 5, Feb 10, Mar 15 → x 2, t_x 69, T 75;  B: Jan 20, Mar 2 → x 1, t_x 41, T 60;
//   E: Jan 25 (the return is no purchase) → 0, 0, 55;  C: Feb 14 → 0, 0, 35;  D: Mar 20 → 0, 0, 1.
const SUMMARY = { frequency: [2, 1, 0, 0, 0], recency: [69, 41, 0, 0, 0], T: [75, 60, 55, 35, 1] };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stageline-analyze-'));
  sl = await init();
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name, text) {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['examples/cli/stageline.js', 'analyze', ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The whitespace-separated cells of the report's lines under `title` up to the next blank line. */
function section(stdout, title) {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(title));
  assert.ok(start >= 0, `no section "${title}" in:\n${stdout}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? undefined : end).map((line) => line.trim().split(/\s{2,}/));
}

test('prints KPIs, stages, RFM segments and BG/NBD for an orders CSV', async () => {
  const path = await file('orders.csv', ORDERS);
  const { code, stdout, stderr } = await run([path]);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const lines = stdout.split('\n');
  assert.equal(lines[0], `${path}: transactions, 10 rows read, 10 loaded, 0 rejected, 0 excluded`);
  assert.equal(lines[1], 'columns: customerId=customer_id, timestamp=date, amount=amount, orderId=order_id');
  assert.equal(lines[2], '5 customers; figures at 2025-03-21');

  const kpis = section(stdout, 'KPIs by month');
  assert.deepEqual(kpis[0], ['period', 'active', 'new', 'orders', 'revenue', 'AOV', 'retention', 'churn', 'repeat']);
  assert.deepEqual(kpis.slice(1), KPI_ROWS);

  const stages = section(stdout, 'Stages (full model), 5 customers');
  const labels = { awareness: 'Awareness', acquisition: 'Acquisition', onboarding: 'Onboarding', engagement: 'Engagement',
    retention: 'Retention', growth: 'Growth', advocacy: 'Advocacy', at_risk: 'At risk', churn: 'Churn' };
  assert.deepEqual(stages.slice(1), Object.entries(STAGES).map(([id, n]) => [labels[id], String(n), `${(20 * n).toFixed(1)}%`]));

  const segments = section(stdout, 'RFM segments, 5 customers with a purchase');
  assert.deepEqual(Object.fromEntries(segments.slice(1).map(([name, n]) => [name, Number(n)])), SEGMENTS);

  const fit = sl.fitBGNBD(SUMMARY);
  const bg = section(stdout, 'BG/NBD (period D, 5 customers)');
  assert.equal(bg[0].join('  '), `r ${fit.r.toPrecision(6)}  alpha ${fit.alpha.toPrecision(6)}  a ${fit.a.toPrecision(6)}  `
    + `b ${fit.b.toPrecision(6)}  log-likelihood ${fit.logLikelihood.toFixed(4)}${fit.converged ? '' : '  (did not converge)'}`);
});

test('--json has the same figures, and every period', async () => {
  const path = await file('orders.csv', ORDERS);
  const { code, stdout } = await run([path, '--json']);
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.equal(report.kind, 'transactions');
  assert.deepEqual(report.rows, { read: 10, loaded: 10, rejected: 0, excluded: 0, guests: 0 });
  assert.equal(report.at, '2025-03-21T00:00:00.000Z');
  assert.deepEqual(report.kpis.periods, ['2025-01', '2025-02', '2025-03']);
  assert.deepEqual(report.kpis.metrics.revenue, [220, 170, 160]);
  assert.deepEqual(report.kpis.metrics.retentionRate.map((x) => (x === null ? null : Math.round(x * 1e6) / 1e6)), [null, 0.333333, 1]);
  assert.deepEqual(report.stages.distribution, STAGES);
  assert.deepEqual(Object.fromEntries(Object.entries(report.rfm.segmentCounts).filter(([, n]) => n > 0)), SEGMENTS);
  const fit = sl.fitBGNBD(SUMMARY);
  for (const name of ['r', 'alpha', 'a', 'b', 'logLikelihood']) {
    assert.ok(Math.abs(report.bgnbd[name] - fit[name]) <= 1e-9 * Math.abs(fit[name]), `${name}: ${report.bgnbd[name]} vs ${fit[name]}`);
  }
});

test('--map names columns the guess cannot find, and --period changes the KPI periods', async () => {
  const path = await file('kunden.csv', ORDERS.replace('customer_id,order_id,date,amount', 'Kunde;Beleg;Zeitpunkt;Betrag').replaceAll(',', ';'));
  const { code, stdout, stderr } = await run([path, '--map', 'Kunde=customerId', 'Zeitpunkt=timestamp', '--map', 'Betrag=amount', 'Beleg=orderId', '--period', 'Q']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^columns: customerId=Kunde, timestamp=Zeitpunkt, amount=Betrag, orderId=Beleg$/m);
  // One quarter: all five bought, 8 purchases (A 3, B 2, C, D, E 1), revenue 220 + 170 + 160 = 550,
  // AOV 550 / 8 = 68.75; no previous quarter; repeat: A and B of 5 = 40%.
  const kpis = section(stdout, 'KPIs by quarter');
  assert.deepEqual(kpis.slice(1), [['2025-Q1', '5', '5', '8', '550.00', '68.75', '–', '–', '40.0%']]);
});

test('--model takes a stage model JSON file', async () => {
  const orders = await file('orders.csv', ORDERS);
  const model = await file('model.json', JSON.stringify({ name: 'mine', default: 'prospect', stages: [
    { id: 'prospect' }, { id: 'buyer', when: { orders: { $gte: 1 } } }, { id: 'repeat', when: { orders: { $gte: 2 } } }] }));
  const { code, stdout, stderr } = await run([orders, '--model', model, '--json']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  // A (3 orders) and B (2) repeat; C, D and E (1 order each; E's return is no order) bought once.
  assert.equal(report.stages.model, 'mine');
  assert.deepEqual(report.stages.distribution, { prospect: 0, buyer: 3, repeat: 2 });

  const broken = await file('broken.json', '{"stages": [');
  const bad = await run([orders, '--model', broken]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /broken\.json: cannot read the stage model: /);
});

test('an events NDJSON file: read as events, with the latest NPS and its interval', async () => {
  const answers = [10, 9, 8, 6, 3].map((score, i) => ({ user: `u${i}`, event: 'nps', ts: '2025-05-02T10:00:00Z', score }));
  const orders = [{ user: 'u0', event: 'purchase', ts: '2025-05-01', value: 30 }, { user: 'u0', event: 'purchase', ts: '2025-05-20', value: 50 },
    { user: 'u1', event: 'purchase', ts: '2025-04-03', value: 20 }];
  const path = await file('events.ndjson', [...orders, ...answers].map((event) => JSON.stringify(event)).join('\n'));
  const { code, stdout, stderr } = await run([path]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /: events, 8 rows read, 8 loaded, 0 rejected, 0 excluded$/m);
  assert.match(stdout, /^columns: customerId=user, timestamp=ts, type=event, amount=value, score=score$/m);
  // P = 2 (10, 9), D = 2 (6, 3), n = 5: NPS 0; v = 4/5 − 0 = 0.8; half width 100 × 1.959964 × √(0.8/5) = 78.40.
  assert.match(stdout, /^ {2}NPS {5}0\.0 \[-78\.4, 78\.4\] {2}\(n = 5, 2025-05\)$/m);
  const kpis = section(stdout, 'KPIs by month');
  assert.deepEqual(kpis.slice(1), [
    ['2025-04', '1', '1', '1', '20.00', '20.00', '–', '–', '0.0%'],
    ['2025-05', '1', '1', '2', '80.00', '40.00', '0.0%', '100.0%', '100.0%'],
  ]);
});

test('rejected rows are listed on stderr; --strict stops at the first with exit 1', async () => {
  const path = await file('bad.csv', `${ORDERS}F,1009,someday,10\n`);
  const loose = await run([path]);
  assert.equal(loose.code, 0);
  assert.match(loose.stderr, /^stageline: 1 row rejected:\n {2}row 12, column "date": /);
  assert.match(loose.stdout, /11 rows read, 10 loaded, 1 rejected, 0 excluded/);
  assert.deepEqual(section(loose.stdout, 'KPIs by month').slice(1), KPI_ROWS, 'the other rows are reported as before');

  const strict = await run([path, '--strict']);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /^stageline: row 12, column "date": /);
  assert.equal(strict.stdout, '');
});

test('bad input: exit 1 and a message naming the problem', async () => {
  const noTime = await file('no-time.csv', 'customer_id,amount\nA,10\n');
  const garbage = await file('garbage.csv', 'customer_id,date,amount\nA,never,x\nB,,\n');
  const empty = await file('empty.csv', '');
  const ordersFile = await file('orders.csv', ORDERS);
  for (const [args, message] of [
    [[noTime], /^stageline: mapping: no column for timestamp: name one with --map <column>=<field> \(columns: customer_id, amount\)\n$/],
    [[noTime, '--map', 'when=timestamp'], /^stageline: --map when=timestamp: no column "when" in the file \(columns: customer_id, amount\)\n$/],
    [[noTime, '--map', 'amount=price'], /--map amount=price: expected <column>=<field> with field one of customerId, timestamp, type/],
    [[garbage], /^stageline: .*garbage\.csv: no rows could be loaded \(first problem: row 2, column "date": /],
    [[empty], /empty\.csv: the file is empty/],
    [[join(dir, 'missing.csv')], /missing\.csv: cannot read the file: no such file/],
    [[], /no file given\nusage: stageline analyze/],
    [[noTime, '--kind', 'orders'], /--kind: expected events or transactions, got "orders"/],
    [[ordersFile, '--model', 'fancy'], /unknown stage model preset "fancy"/],
    [[noTime, '--frobnicate'], /unknown option --frobnicate/],
    [[ordersFile, '--period', 'fortnight'], /--period: expected D, W, M, Q or Y, got "fortnight"/],
    [[ordersFile, '--btyd-period', 'Q'], /--btyd-period: expected D, W or M, got "Q"/],
    [[ordersFile, '--map'], /--map needs <column>=<field> pairs/],
  ]) {
    const { code, stdout, stderr } = await run(args);
    assert.equal(code, 1, `${args.join(' ')}: ${stderr}`);
    assert.equal(stdout, '');
    assert.match(stderr, message, args.join(' '));
  }
});

test('big files report progress on stderr', async () => {
  const rows = ['customer_id,date,amount'];
  for (let i = 0; i < 100_001; i++) rows.push(`c${i % 5000},2025-01-${String(1 + (i % 28)).padStart(2, '0')},${1 + (i % 50)}`);
  const path = await file('big.csv', `${rows.join('\n')}\n`);
  const { code, stderr } = await run([path]);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /^stageline: 100,000 rows read$/m);
});
