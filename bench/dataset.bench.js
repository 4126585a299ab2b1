// Dataset benchmark: the same CSV text of 1,000,000 synthetic order lines (100,000 customers) through
// Stageline (module start-up + sl.loadTransactions + dataset.rfm) and through DuckDB-WASM's blocking
// Node build (start-up + read_csv + the equivalent GROUP BY), end to end, in one Node process.
// Both must give the same per-customer last purchase, frequency and monetary value.
//
//   node bench/dataset.bench.js [lines] [customers] [runs]
//
// Each run starts a fresh instance of each engine (start-up included); the median run is shown.

import { createRequire } from 'node:module';
import path from 'node:path';

import { loadModule } from '../web/src/load.js';
import { createDatasetApi } from '../web/src/datasets/dataset.js';

const require = createRequire(import.meta.url);
const LINES = Number(process.argv[2] ?? 1_000_000);
const CUSTOMERS = Number(process.argv[3] ?? 100_000);
const RUNS = Number(process.argv[4] ?? 3);
const AT = Date.parse('2025-01-01T00:00:00Z');

/** Deterministic order lines: 1–4 lines per order, ~2% cancellations ("C" + order id, negative), ~1% guest lines. */
function generateCsv(lines, customers) {
  let seed = 20240601;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const start = Date.parse('2023-01-01T00:00:00Z');
  const span = 2 * 365 * 86400;
  const out = ['customer_id,order_id,timestamp,amount'];
  let order = 0;
  while (out.length <= lines) {
    order += 1;
    const guest = random() < 0.01;
    const customer = guest ? '' : `cust${Math.floor(random() * customers)}`;
    const cancelled = random() < 0.02;
    const id = `${cancelled ? 'C' : ''}${order}`;
    const time = new Date(start + Math.floor(random() * span) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const lineCount = 1 + Math.floor(random() * 4);
    for (let i = 0; i < lineCount && out.length <= lines; i++) {
      const cents = 100 + Math.floor(random() * 20000);
      out.push(`${customer},${id},${time},${cancelled ? '-' : ''}${(cents / 100).toFixed(2)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

async function runStageline(text) {
  const started = performance.now();
  const module = await loadModule();
  const sl = createDatasetApi(module);
  const loaded = performance.now();
  const heapAtStart = module.HEAP8.length;
  const dataset = sl.loadTransactions(text, { customerId: 'customer_id', orderId: 'order_id', timestamp: 'timestamp', amount: 'amount' });
  const ingested = performance.now();
  const rfm = dataset.rfm({ at: AT });
  const finished = performance.now();
  const heapBytes = module.HEAP8.length;
  const result = { rows: dataset.rowCount, customers: rfm.customerIds.length, ids: rfm.customerIds, last: rfm.lastPurchase, frequency: rfm.frequency, monetary: rfm.monetary };
  dataset.dispose();
  return { ...result, heapAtStart, heapBytes, startup: loaded - started, load: ingested - loaded, rfm: finished - ingested, total: finished - started };
}

const SQL = `
WITH lines AS (
  SELECT * FROM read_csv('tx.csv', header = true,
    columns = {'customer_id': 'VARCHAR', 'order_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', 'amount': 'DOUBLE'})
), orders AS (
  SELECT customer_id, order_id, min(timestamp) AS t,
         sum(CASE WHEN starts_with(order_id, 'C') THEN -abs(amount) ELSE amount END) AS a
  FROM lines WHERE customer_id IS NOT NULL AND customer_id <> '' AND amount <> 0
  GROUP BY customer_id, order_id
)
SELECT customer_id,
       epoch_ms(max(t) FILTER (WHERE a >= 0)) AS last_purchase,
       count(*) FILTER (WHERE a >= 0) AS frequency,
       sum(a) AS monetary
FROM orders WHERE t <= epoch_ms(${AT}::BIGINT)
GROUP BY customer_id HAVING count(*) FILTER (WHERE a >= 0) > 0`;

async function runDuckDb(text) {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const started = performance.now();
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  const connection = db.connect();
  const loaded = performance.now();
  db.registerFileText('tx.csv', text);
  const table = connection.query(SQL);
  const ids = table.getChild('customer_id').toArray();
  const last = Float64Array.from(table.getChild('last_purchase').toArray(), Number);
  const frequency = Float64Array.from(table.getChild('frequency').toArray(), Number);
  const monetary = Float64Array.from(table.getChild('monetary').toArray(), Number);
  const finished = performance.now();
  const version = db.getVersion();
  connection.close();
  return { version, customers: ids.length, ids, last, frequency, monetary, startup: loaded - started, query: finished - loaded, total: finished - started };
}

function compare(a, b) {
  const index = new Map();
  for (let i = 0; i < b.ids.length; i++) index.set(b.ids[i], i);
  let mismatches = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const j = index.get(a.ids[i]);
    const same = j !== undefined && a.last[i] === b.last[j] && a.frequency[i] === b.frequency[j]
      && Math.abs(a.monetary[i] - b.monetary[j]) <= 1e-9 * Math.max(1, Math.abs(a.monetary[i]));
    if (!same && mismatches++ < 5) {
      console.log('mismatch', a.ids[i], [a.last[i], a.frequency[i], a.monetary[i]], j === undefined ? 'missing' : [b.last[j], b.frequency[j], b.monetary[j]]);
    }
  }
  return mismatches + Math.abs(a.ids.length - b.ids.length);
}

const text = generateCsv(LINES, CUSTOMERS);
console.log(`input: ${LINES.toLocaleString('en')} lines, ${CUSTOMERS.toLocaleString('en')} customers, ${(text.length / 1e6).toFixed(1)} MB of CSV`);
const median = (runs, key) => [...runs].sort((a, b) => a[key] - b[key])[Math.floor(runs.length / 2)];
const oursRuns = [];
const duckRuns = [];
for (let run = 0; run < RUNS; run++) {
  oursRuns.push(await runStageline(text));
  duckRuns.push(await runDuckDb(text));
}
const ours = median(oursRuns, 'total');
const duck = median(duckRuns, 'total');
const mismatches = compare(ours, duck);
console.log(`agreement: ${ours.customers} customers (Stageline) vs ${duck.customers} (DuckDB), ${mismatches} mismatches`);
const ms = (x) => `${x.toFixed(0)} ms`;
console.log(`runs (total ms): Stageline ${oursRuns.map((r) => r.total.toFixed(0)).join(', ')}; DuckDB ${duckRuns.map((r) => r.total.toFixed(0)).join(', ')}`);
console.log(`Stageline (median): start-up ${ms(ours.startup)}, load ${ms(ours.load)}, rfm ${ms(ours.rfm)}, total ${ms(ours.total)}; WASM heap ${(ours.heapAtStart / 2 ** 20).toFixed(1)} MiB at start, ${(ours.heapBytes / 2 ** 20).toFixed(1)} MiB after load + rfm`);
console.log(`DuckDB-WASM ${duck.version} (median): start-up ${ms(duck.startup)}, read_csv + GROUP BY + fetch ${ms(duck.query)}, total ${ms(duck.total)}`);
console.log(`end to end: Stageline is ${(duck.total / ours.total).toFixed(2)}x faster; without start-up ${(duck.query / (ours.load + ours.rfm)).toFixed(2)}x`);
if (mismatches > 0) process.exitCode = 1;
