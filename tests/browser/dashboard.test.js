// The dashboard example (examples/dashboard) in Debian's Chromium through playwright-core, served by
// the examples' server under its strict CSP: it opens with the sample shop, then a small CSV of
// order lines written here is uploaded through the file picker, its guessed columns checked and
// loaded. The KPI cards must equal the library's results for the same text computed here in Node
// (init() + loadTransactions + kpis), the journey map (Sankey) and cohort heatmap must draw, and
// nothing may log an error or violate the CSP. Screenshots go to test-output/dashboard/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { init } from '../../web/src/index.js';
import { startStaticServer } from './static_server.js';

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

/** Pixels of a chart's canvas that are not transparent. */
const paintedPixels = (id) => page.evaluate((chartId) => {
  const canvas = document.querySelector(`#${chartId} canvas`);
  if (!canvas) return 0;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  return painted;
}, id);

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
  assert.deepEqual(Object.keys(cards).sort(), ['activeCustomers', 'averageOrderValue', 'churnRate', 'clv', 'repeatCustomerRate', 'retentionRate']);
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
    assert.ok(await paintedPixels(id) > 1000, `${id} is drawn`);
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
