// Buy-till-you-die in WASM from Node on 100,000 synthetic customers (about 1M transactions):
// lifetimes' summary, BG/NBD fit, Gamma-Gamma fit and 12-month CLV, each timed in this run.
// There is no JavaScript peer for these models (the reference, Python lifetimes, cannot run here),
// so the figures are absolute times against the target (BG/NBD fit under 1 s).
//
//   node bench/btyd.bench.js [customers]

import { performance } from 'node:perf_hooks';

import { init } from '../web/src/index.js';
import { seededRandom, simulateBgNbdPurchases, spendSampler } from '../tests/js/predictive/btyd_simulate.js';

const customers = Number(process.argv[2] ?? 100_000);
const DAY = 86_400_000;
const start = Date.UTC(2023, 0, 1);
const observationEnd = Date.UTC(2024, 11, 31);

// Daily purchase rates around 1/40 and drop-out after ~1 in 12 purchases give ~10 transactions
// per customer over acquisition dates spread through the first year.
const random = seededRandom(2024);
const process_ = { r: 2, alpha: 50, a: 1.5, b: 18 };
const horizonDays = (observationEnd - start) / DAY;
const spend = spendSampler({ p: 6, q: 4, v: 150 }, random);
const simulated = simulateBgNbdPurchases(process_, customers, horizonDays - 365, horizonDays, random);
let rows = 0;
for (const c of simulated) rows += c.times.length;
const codes = new Uint32Array(rows);
const timestamps = new Float64Array(rows);
const amounts = new Float64Array(rows);
const ids = new Array(customers);
let k = 0;
simulated.forEach((c, i) => {
  ids[i] = `c${i}`;
  const first = observationEnd - c.T * DAY;
  const nu = spend.customerRate();
  for (const t of c.times) {
    codes[k] = i;
    timestamps[k] = first + t * DAY;
    amounts[k] = Math.round(spend.amount(nu) * 100) / 100;
    k++;
  }
});

function time(label, run) {
  const began = performance.now();
  const result = run();
  const ms = performance.now() - began;
  console.log(`${label.padEnd(34)} ${ms.toFixed(1).padStart(9)} ms`);
  return { result, ms };
}

const { result: sl } = await (async () => {
  const began = performance.now();
  const module = await init();
  console.log(`${'module start-up'.padEnd(34)} ${(performance.now() - began).toFixed(1).padStart(9)} ms`);
  return { result: module };
})();
console.log(`${customers} customers, ${rows} transactions`);

const summary = time('summary (period D)', () => sl.summarizeTransactions(codes, ids, timestamps, amounts, { period: 'D', observationEnd }));
const bg = time('BG/NBD fit', () => sl.fitBGNBD(summary.result));
const gg = time('Gamma-Gamma fit', () => sl.fitGammaGamma(summary.result));
const clv = time('CLV, 12 months (BG/NBD + GG)', () =>
  sl.customerLifetimeValue({ transactionModel: bg.result, spendModel: gg.result, ...summary.result, months: 12, discountRate: 0.01, period: 'D' }),
);
const total = summary.ms + bg.ms + gg.ms + clv.ms;
console.log(`${'total (summary + fits + CLV)'.padEnd(34)} ${total.toFixed(1).padStart(9)} ms`);
const { r, alpha, a, b, iterations, converged } = bg.result;
console.log(`BG/NBD: r=${r.toFixed(4)} alpha=${alpha.toFixed(3)} a=${a.toFixed(4)} b=${b.toFixed(3)} (simulated from r=2 alpha=50 a=1.5 b=18), ${iterations} iterations, converged=${converged}`);
console.log(`Gamma-Gamma: p=${gg.result.p.toFixed(3)} q=${gg.result.q.toFixed(3)} v=${gg.result.v.toFixed(2)} over ${gg.result.customers} repeat customers`);
let clvSum = 0;
for (const value of clv.result) clvSum += value;
console.log(`mean 12-month CLV ${(clvSum / clv.result.length).toFixed(2)}`);
console.log(`BG/NBD fit vs the 1 s target: ${(bg.ms / 1000).toFixed(2)}x of budget`);
