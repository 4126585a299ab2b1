// The dashboard example (examples/dashboard) in Debian's Chromium through playwright-core, served by
// the examples' server under its strict CSP: it opens with the sample shop, then a small CSV of
// order lines written here is uploaded through the file picker, its guessed columns checked and
// loaded. The KPI cards must equal the library's results for the same text computed here in Node
// (init() + loadTransactions + kpis), the journey map (Sankey) and cohort heatmap must draw, and
// nothing may log an error or violate the CSP. Then the stage-model editor (library errors shown at
// the failing line, JSON syntax errors, an edited model's stage counts counted from the generator's
// events) and the activation and CAC cards (against kpis() in Node on the sample, and by hand on a
// ten-event file). Screenshots go to test-output/dashboard/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { guessColumns, init } from '../../web/src/index.js';
import { acquisitionSpend, generateShop, toCsv } from '../../examples/data/shop-generator.js';
import { startStaticServer } from './static_server.js';
import { paintedPixels } from './canvas.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shots = fileURLToPath(new URL('../../test-output/dashboard/', import.meta.url));
const chromiumPath = process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// Order lines of 6 customers over four months (two lines in order A1; a cancellation C9 of D's).
const FIXTURE = `Invoice,Customer ID,Order Date,Qty,Unit Price
A1,alice,2024-01-03T10:00:00Z,2,10.00
A1,alice,2024-01-03T10:00:00Z,1,5.50
A2,alice,2024-02-10T09:00:00Z,1,40.00
A3,alice,2024-04-02T12:00:00Z,3,12.00
B1,bob,2024-01-15T08:00:00Z,1,99.90
B2,bob,2024-03-20T08:00:00Z,1,20.00
B3,bob,2024-04-25T08:00:00Z,2,15.00
K1,carol,2024-02-02T14:00:00Z,1,60.00
K2,carol,2024-02-20T14:00:00Z,1,35.00
K3,carol,2024-04-11T14:00:00Z,4,7.25
D1,dave,2024-03-05T16:00:00Z,5,8.00
C9,dave,2024-03-09T16:00:00Z,-1,8.00
D2,dave,2024-04-18T16:00:00Z,1,44.00
E1,erin,2024-04-08T11:00:00Z,1,150.00
F1,frank,2024-01-28T10:00:00Z,1,25.00
F2,frank,2024-04-29T10:00:00Z,2,25.00
`;
const MAPPING = { customerId: 'Customer ID', timestamp: 'Order Date', quantity: 'Qty', unitPrice: 'Unit Price', orderId: 'Invoice' };

let server;
let browser;
let page;
const problems = [];

before(async () => {
  await mkdir(shots, { recursive: true });
  server = await startStaticServer(repoRoot);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
  await context.addInitScript(() => {
    globalThis.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => globalThis.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function waitFor(state) {
  await page.waitForFunction((s) => [s, 'error'].includes(document.body.dataset.state), state, { timeout: 20_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), state, await page.textContent('#status'));
}


test('dashboard: sample, then an uploaded CSV whose KPIs equal the library computed in Node', async () => {
  await page.goto(`${server.url}/examples/dashboard/`);
  await waitFor('ready');
  assert.match(await page.textContent('#summary'), /^sample shop/);
  assert.ok(await page.locator('#kpis [data-kpi="nps"]').count(), 'the sample has NPS surveys');
  await page.screenshot({ path: `${shots}sample.png`, fullPage: true });

  await page.setInputFiles('#file', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(FIXTURE) });
  await waitFor('mapping');
  const guessed = await page.$$eval('#mapping-fields select', (selects) => Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.dataset.field, s.value])));
  assert.deepEqual(guessed, MAPPING);
  assert.equal(await page.inputValue('#kind'), 'transactions');
  assert.equal(await page.locator('#preview tbody tr').count(), 6);
  assert.deepEqual(await page.$$eval('#preview tbody tr:first-child td', (tds) => tds.map((td) => td.textContent)),
    ['A1', 'alice', '2024-01-03T10:00:00Z', '2', '10.00']);
  await page.click('#load');
  await waitFor('ready');
  assert.match(await page.textContent('#summary'), /^orders\.csv: transactions, 16 rows read, 16 loaded; 6 customers/);

  // The same text through the library in Node.
  const sl = await init();
  const dataset = sl.loadTransactions(FIXTURE, MAPPING);
  const kpis = dataset.kpis({ period: 'M' });
  const p = kpis.periods.length - 1;
  assert.equal(kpis.periods[p], '2024-04');
  assert.equal(await page.textContent('#kpi-period'), '— 2024-04, monthly');
  const cards = await page.$$eval('#kpis .kpi', (items) => Object.fromEntries(items.map((li) => [li.dataset.kpi, {
    value: li.dataset.value, shown: li.querySelector('.kpi-value').textContent, detail: li.querySelector('.kpi-detail').textContent }])));
  assert.deepEqual(Object.keys(cards).sort(),
    ['activationRate', 'activeCustomers', 'averageOrderValue', 'cac', 'churnRate', 'clv', 'repeatCustomerRate', 'retentionRate']);
  // Order lines have no signups, and no spend was given: both cards say why they are empty.
  assert.equal(cards.activationRate.shown, '–');
  assert.match(cards.activationRate.detail, /needs an events file with signup events/);
  assert.equal(cards.cac.shown, '–');
  assert.match(cards.cac.detail, /enter acquisition spend per month to see CAC/);
  for (const [id, card] of Object.entries(cards)) {
    const expected = kpis.metrics[id][p];
    assert.equal(card.value === '' ? null : Number(card.value), expected, id);
  }
  // By hand for April (README definitions): all 6 active, erin new; active in March (S): bob and
  // dave, both back → retention (6 − 1) / 2 = 250%, churn 0; ≥ 2 purchases so far: all but erin
  // (dave's C9 is a return, not an order) → 5/6; revenue 36 + 30 + 29 + 44 + 150 + 50 = 339 over 6 orders.
  assert.equal(cards.activeCustomers.shown, '6');
  assert.equal(cards.retentionRate.shown, '250.0%');
  assert.equal(cards.churnRate.shown, '0.0%');
  assert.equal(cards.repeatCustomerRate.shown, '83.3%');
  assert.equal(cards.averageOrderValue.shown, '56.50');
  const change = kpis.change.averageOrderValue[p];
  assert.match(cards.averageOrderValue.detail, new RegExp(`${(100 * change).toFixed(1).replace('-', '')}% vs previous period`));
  dataset.dispose();

  // Charts drew something.
  for (const id of ['chart-sankey', 'chart-cohorts', 'chart-stages', 'chart-funnel', 'chart-rfm']) {
    assert.ok(await paintedPixels(page, id) > 1000, `${id} is drawn`);
  }
  assert.equal(await page.locator('#customers tbody tr').count(), 6);

  // Search narrows the table.
  await page.fill('#search', 'carol');
  assert.equal(await page.locator('#customers tbody tr').count(), 1);
  await page.fill('#search', '');
  await page.screenshot({ path: `${shots}uploaded.png`, fullPage: true });

  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
  assert.deepEqual(problems, []);
});

/** The KPI cards as {id: {value, shown, detail}}. */
const readCards = () => page.$$eval('#kpis .kpi', (items) => Object.fromEntries(items.map((li) => [li.dataset.kpi, {
  value: li.dataset.value === '' ? null : Number(li.dataset.value), shown: li.querySelector('.kpi-value').textContent,
  detail: li.querySelector('.kpi-detail').textContent }])));

const stageCounts = async () => JSON.parse(await page.getAttribute('#chart-stages', 'data-counts'));

/** Waits until the stage chart was redrawn (its data-counts changed from `before`). */
const countsChange = (before) => page.waitForFunction((b) => document.getElementById('chart-stages').dataset.counts !== b, before);

// The sample as the worker makes it, loaded here through the library (same generator, same guesses).
async function sampleInNode(sl) {
  const shop = generateShop({ customers: 5000 });
  const text = toCsv(shop);
  const { mapping } = guessColumns(text.slice(0, text.indexOf('\n')).split(','));
  return { shop, dataset: sl.loadEvents(text, mapping) };
}

test('stage-model editor: errors point at the failing line and the page keeps working; an edited model re-classifies', async () => {
  problems.length = 0;
  await page.goto(`${server.url}/examples/dashboard/`);
  await waitFor('ready');
  const sl = await init();
  assert.equal(await page.isVisible('#model-editor'), false, 'the editor starts closed');
  await page.click('#edit-model');
  assert.equal(await page.getAttribute('#edit-model', 'aria-expanded'), 'true');
  assert.equal(await page.isVisible('#model-json'), true);
  // Prefilled with the preset's JSON as the library gives it.
  const full = sl.stageModel('full').config;
  assert.deepEqual(JSON.parse(await page.inputValue('#model-json')), full);
  const fullCounts = await stageCounts();

  // 1. An unknown operator in stages[2].when: the library's path and message, the line selected.
  const broken = structuredClone(full);
  broken.stages[2].when = { orders: { $gtee: 1 } };
  const brokenText = JSON.stringify(broken, null, 2);
  const lines = brokenText.split('\n');
  // JSON.stringify puts `"orders": {` on the line before `"$gtee": 1`.
  const ordersLine = lines.findIndex((line) => line.trim() === '"$gtee": 1') - 1;
  assert.equal(lines[ordersLine].trim(), '"orders": {');
  const lineStart = lines.slice(0, ordersLine).reduce((sum, line) => sum + line.length + 1, 0);
  await page.fill('#model-json', brokenText);
  await page.click('#apply-model');
  await page.waitForFunction(() => document.getElementById('model-error').textContent !== '');
  assert.equal(await page.getAttribute('#model-error', 'data-path'), 'stages[2].when.orders');
  assert.equal(await page.textContent('#model-error'),
    `Not applied: stages[2].when.orders: unknown operator "$gtee" (line ${ordersLine + 1})`);
  assert.equal(await page.getAttribute('#model-json', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#model-error', 'aria-live'), 'assertive');
  assert.deepEqual(await page.$eval('#model-json', (t) => [t.selectionStart, t.selectionEnd, document.activeElement === t]),
    [lineStart, lineStart + lines[ordersLine].length, true]);
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
  assert.deepEqual(await stageCounts(), fullCounts, 'the model shown is unchanged');
  await page.screenshot({ path: `${shots}editor-error.png`, fullPage: true });

  // 2. A JSON syntax error: line and column; the comma after line 3 removed makes line 4 the error.
  const fullText = JSON.stringify(full, null, 2);
  const fullLines = fullText.split('\n');
  assert.ok(fullLines[2].endsWith(','));
  fullLines[2] = fullLines[2].slice(0, -1);
  await page.fill('#model-json', fullLines.join('\n'));
  await page.click('#apply-model');
  const column = fullLines[3].length - fullLines[3].trimStart().length + 1;
  assert.equal(await page.textContent('#model-error'), `JSON syntax error at line 4, column ${column}: expected "," or "}", got "\\""`);
  assert.equal(await page.getAttribute('#model-error', 'data-path'), '');

  // A required member that is missing: the error names it and the closest place in the text.
  await page.fill('#model-json', '{\n  "default": "a"\n}');
  await page.click('#apply-model');
  await page.waitForFunction(() => document.getElementById('model-error').dataset.path === 'stages');
  assert.equal(await page.textContent('#model-error'), 'Not applied: stages: is required (an array of stages) '
    + '(line 1: stages is not in the text; the nearest part that is: the top level)');

  // 3. The page still works: another preset re-classifies and clears the error.
  await page.selectOption('#preset', 'classic');
  await countsChange(JSON.stringify(fullCounts));
  assert.deepEqual(Object.keys(await stageCounts()), sl.stageModel('classic').stages.map((s) => s.id));
  assert.equal(await page.textContent('#model-error'), '');
  assert.equal(await page.getAttribute('#model-json', 'aria-invalid'), 'false');
  assert.deepEqual(JSON.parse(await page.inputValue('#model-json')), sl.stageModel('classic').config);

  // 4. A valid edited model: visitor / buyer (≥ 1 order) / repeat buyer (≥ 2 orders). Its counts
  // come straight from the generator's events: customers with 0, 1 and ≥ 2 purchase events.
  const mine = { name: 'buyers', default: 'visitor', stages: [
    { id: 'visitor', label: 'Visitor' },
    { id: 'buyer', label: 'Buyer', when: { orders: { $gte: 1 } } },
    { id: 'repeat', label: 'Repeat buyer', when: { orders: { $gte: 2 } } },
  ] };
  const { shop, dataset } = await sampleInNode(sl);
  const purchases = new Map();
  shop.customerId.forEach((id, i) => purchases.set(id, (purchases.get(id) ?? 0) + (shop.type[i] === 'purchase' ? 1 : 0)));
  const expected = { visitor: 0, buyer: 0, repeat: 0 };
  for (const n of purchases.values()) expected[n === 0 ? 'visitor' : n === 1 ? 'buyer' : 'repeat']++;
  assert.equal(expected.visitor + expected.buyer + expected.repeat, 5000);
  // …and the library agrees on the same data.
  const at = dataset.rfm().at;
  assert.deepEqual(Array.from(dataset.stages(sl.stageModel(mine), at).counts), [expected.visitor, expected.buyer, expected.repeat]);
  dataset.dispose();

  const classicCounts = JSON.stringify(await stageCounts());
  await page.fill('#model-json', JSON.stringify(mine, null, 2));
  await page.click('#apply-model');
  await countsChange(classicCounts);
  await page.screenshot({ path: `${shots}editor-applied.png`, fullPage: true });
  assert.deepEqual(await stageCounts(), expected);
  assert.equal(await page.textContent('#model-error'), '');
  assert.equal(await page.inputValue('#preset'), 'edited');
  assert.match(await page.textContent('#preset option[value="edited"]'), /edited: buyers/);
  assert.deepEqual(await page.$$eval('#cx-stages tbody th', (ths) => ths.map((th) => th.textContent)), ['Visitor', 'Buyer', 'Repeat buyer']);
  assert.ok(await paintedPixels(page, 'chart-sankey') > 1000, 'the journey map redrew');
  // The customer table shows the new stages.
  const tableStages = new Set(await page.$$eval('#customers tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent)));
  assert.ok([...tableStages].every((label) => ['Buyer', 'Repeat buyer'].includes(label)), [...tableStages].join());

  // Back to the preset the edit started from (classic).
  await page.click('#reset-model');
  await countsChange(JSON.stringify(expected));
  assert.equal(JSON.stringify(await stageCounts()), classicCounts);
  assert.equal(await page.inputValue('#preset'), 'classic');
  assert.equal(await page.locator('#preset option[value="edited"]').count(), 0);
  assert.deepEqual(JSON.parse(await page.inputValue('#model-json')), sl.stageModel('classic').config);
  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
  assert.deepEqual(problems, []);
});

test('activation and CAC cards on the sample equal the library\'s kpis with the same settings', async () => {
  problems.length = 0;
  await page.goto(`${server.url}/examples/dashboard/`);
  await waitFor('ready');
  const sl = await init();
  const { shop, dataset } = await sampleInNode(sl);
  const spend = Object.fromEntries(acquisitionSpend(shop).map(({ period, spend: amount }) => [period, amount]));
  const kpis = dataset.kpis({ period: 'M', activationEvent: 'purchase', activationWindowDays: 7, spend });
  const p = kpis.periods.length - 1;
  assert.equal(kpis.periods[p], '2025-06');
  let cards = await readCards();
  assert.equal(cards.activationRate.value, kpis.metrics.activationRate[p]);
  assert.equal(cards.activationRate.shown, `${(100 * kpis.metrics.activationRate[p]).toFixed(1)}%`);
  assert.match(cards.activationRate.detail, /"purchase" within 7 days of signing up/);
  assert.equal(cards.cac.value, kpis.metrics.cac[p]);
  // CAC is spend / new customers (README): check the library's figure against the definition.
  assert.equal(kpis.metrics.cac[p], spend['2025-06'] / kpis.metrics.newCustomers[p]);
  assert.match(cards.cac.detail, new RegExp(`spend ${spend['2025-06'].toFixed(2)} / ${kpis.metrics.newCustomers[p]} new customers, 2025-06`));
  assert.match(cards.cac.detail, new RegExp(`${Math.abs(100 * kpis.change.cac[p]).toFixed(1)}% vs previous period`));
  assert.equal((await page.inputValue('#spend')).split('\n')[0], 'period,spend');
  assert.equal(await page.inputValue('#activation-event'), 'purchase');
  assert.ok((await page.$$eval('#event-types option', (os) => os.map((o) => o.value))).includes('add_to_cart'));

  // Other settings: add_to_cart within 3 days; spend for May 2025 only, plus a month before the data.
  await page.click('#kpi-settings summary');
  await page.fill('#activation-event', 'add_to_cart');
  await page.fill('#activation-days', '3');
  await page.fill('#spend', 'period,spend\n2025-05,1000\n2023-01,5\n');
  const before = JSON.stringify(await readCards());
  await page.click('#apply-kpis');
  await page.waitForFunction((b) => JSON.stringify([...document.querySelectorAll('#kpis .kpi')].map((li) => li.dataset.value)) !== b,
    JSON.stringify(Object.values(JSON.parse(before)).map((c) => (c.value === null ? '' : String(c.value)))));
  const other = dataset.kpis({ period: 'M', activationEvent: 'add_to_cart', activationWindowDays: 3, spend: { '2025-05': 1000 } });
  cards = await readCards();
  assert.equal(cards.activationRate.value, other.metrics.activationRate[p]);
  assert.equal(cards.activationRate.shown.length > 0, true);
  assert.equal(cards.cac.value, other.metrics.cac[p - 1]);
  assert.equal(cards.cac.value, 1000 / other.metrics.newCustomers[p - 1]);
  assert.match(cards.cac.detail, /2025-05/);
  assert.equal(await page.textContent('#spend-note'), 'Spend for 2023-01 is outside the data\'s months (2024-01 to 2025-06) and not used.');

  // A bad spend line: an inline error naming line and column; the cards stay.
  const shown = JSON.stringify(await readCards());
  await page.fill('#spend', 'period,spend\n2025-05,1000\n2025-06,lots\n');
  await page.click('#apply-kpis');
  assert.equal(await page.textContent('#settings-error'),
    'Not applied: spend line 3, column spend: expected an amount ≥ 0 (digits, optional decimals), got "lots"');
  assert.equal(await page.getAttribute('#spend', 'aria-invalid'), 'true');
  assert.deepEqual(await page.$eval('#spend', (t) => t.value.slice(t.selectionStart, t.selectionEnd)), '2025-06,lots');
  assert.equal(JSON.stringify(await readCards()), shown);
  await page.screenshot({ path: `${shots}kpi-settings.png`, fullPage: true });
  dataset.dispose();
  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
  assert.deepEqual(problems, []);
});

// Five customers' events over two months, for activation (signup → purchase within 7 days) and CAC.
const EVENTS = `customer_id,type,timestamp,value
a,signup,2024-01-02T10:00:00Z,
a,purchase,2024-01-05T10:00:00Z,30
b,signup,2024-01-10T10:00:00Z,
b,purchase,2024-01-25T10:00:00Z,40
c,signup,2024-01-20T10:00:00Z,
d,signup,2024-02-01T10:00:00Z,
d,purchase,2024-02-03T10:00:00Z,25
e,signup,2024-02-10T10:00:00Z,
e,purchase,2024-02-14T10:00:00Z,60
a,purchase,2024-02-20T10:00:00Z,35
`;

test('activation and CAC cards on a tiny events file equal a hand computation and the library', async () => {
  problems.length = 0;
  await page.setInputFiles('#file', { name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(EVENTS) });
  await waitFor('mapping');
  assert.equal(await page.inputValue('#kind'), 'events');
  await page.click('#load');
  await waitFor('ready');
  // A new file starts without spend; its purchase events make "purchase" the activation event.
  assert.equal(await page.inputValue('#spend'), '');
  assert.equal(await page.inputValue('#activation-event'), 'purchase');
  assert.deepEqual(await page.$$eval('#event-types option', (os) => os.map((o) => o.value)), ['purchase', 'signup']);
  let cards = await readCards();
  // By hand (README definitions), February: d and e sign up and buy 2 and 4 days later → 2/2 = 100%.
  // January: a (3 days: activated), b (15 days: not), c (never) → 1/3; change (1 − 1/3) / (1/3) = +200%.
  assert.equal(cards.activationRate.value, 1);
  assert.equal(cards.activationRate.shown, '100.0%');
  assert.match(cards.activationRate.detail, /▲ \+200\.0% vs previous period/);
  assert.equal(cards.cac.shown, '–');

  await page.fill('#spend', '2024-01,300\n2024-02,500');
  await page.click('#apply-kpis');
  await page.waitForFunction(() => document.querySelector('#kpis [data-kpi="cac"]').dataset.value !== '');
  cards = await readCards();
  // New customers (first purchase in the month): January a, b; February d, e (a's is a repeat).
  // CAC January 300 / 2 = 150, February 500 / 2 = 250: +66.7%.
  assert.equal(cards.cac.value, 250);
  assert.equal(cards.cac.shown, '250.00');
  assert.match(cards.cac.detail, /spend 500\.00 \/ 2 new customers, 2024-02 · ▲ \+66\.7% vs previous period/);

  // The library on the same text agrees.
  const sl = await init();
  const dataset = sl.loadEvents(EVENTS, guessColumns(['customer_id', 'type', 'timestamp', 'value']).mapping);
  const kpis = dataset.kpis({ period: 'M', activationEvent: 'purchase', activationWindowDays: 7, spend: { '2024-01': 300, '2024-02': 500 } });
  assert.deepEqual(kpis.periods, ['2024-01', '2024-02']);
  assert.deepEqual(kpis.metrics.activationRate, [1 / 3, 1]);
  assert.deepEqual(kpis.metrics.cac, [150, 250]);
  dataset.dispose();
  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
  assert.deepEqual(problems, []);
});
