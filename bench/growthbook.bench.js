// GrowthBook payload benchmark: one payload of 10 features (targeted force rules, rollouts and
// experiments) evaluated for the same 2,000 synthetic users, in one Node process, by
//   - Stageline `sl.growthbook(...).evalFeature(key)` (the compiled payload in the WASM heap, the
//     FeatureResult crossing the boundary as JSON text),
//   - GrowthBook's JS SDK 1.8.0 (`GrowthBook#evalFeature`, attributes set once per user).
// Both must return the same FeatureResult for every evaluation. Prints µs per evaluation (median
// and p99 of individually timed calls) and the ratio.
//
//   node bench/growthbook.bench.js [--users 2000]

import { GrowthBook } from '@growthbook/growthbook';
import { isDeepStrictEqual } from 'node:util';
import { mulberry32 } from '../examples/data/shop-generator.js';
import { init } from '../web/src/index.js';

const userCount = Number(process.argv[process.argv.indexOf('--users') + 1]) || 2_000;
const rand = mulberry32(4);
const pick = (list) => list[Math.floor(rand() * list.length)];
const COUNTRIES = ['NL', 'BE', 'DE', 'FR', 'US', 'GB'];
const PLANS = ['free', 'basic', 'pro', 'team'];

const features = {};
for (let f = 0; f < 10; f++) {
  features[`feature-${f}`] = {
    defaultValue: `default-${f}`,
    rules: [
      { id: `t${f}`, condition: { country: { $in: [pick(COUNTRIES), pick(COUNTRIES)] }, plan: pick(PLANS) }, force: `targeted-${f}` },
      { id: `o${f}`, condition: { orders: { $gte: 3 } }, force: `rollout-${f}`, coverage: 0.3, hashVersion: 2 },
      { id: `e${f}`, key: `exp-${f}`, variations: ['a', 'b', 'c'], weights: [0.5, 0.25, 0.25], coverage: 0.8, hashVersion: 2,
        meta: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] },
    ],
  };
}
const payload = { features };
const users = Array.from({ length: userCount }, (_, i) => ({
  id: `user-${i}`, country: pick(COUNTRIES), plan: pick(PLANS), orders: Math.floor(rand() * 6),
}));
const keys = Object.keys(features);

function time(label, evaluateUser) {
  const samples = [];
  const results = [];
  for (const user of users) {
    const evaluate = evaluateUser(user);
    for (const key of keys) {
      const start = process.hrtime.bigint();
      const result = evaluate(key);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
      results.push(result);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { label, median: at(0.5), p99: at(0.99), results };
}

const sl = await init();
const gb = sl.growthbook(payload);
const peer = new GrowthBook({ features });
// Warm both up (JIT, caches) on the same work first.
for (let round = 0; round < 2; round++) {
  time('warm-up', (user) => (gb.setAttributes(user), (key) => gb.evalFeature(key)));
  time('warm-up', (user) => (peer.setAttributes(user), (key) => peer.evalFeature(key)));
}
const ours = time('Stageline sl.growthbook().evalFeature', (user) => (gb.setAttributes(user), (key) => gb.evalFeature(key)));
const theirs = time('GrowthBook SDK evalFeature', (user) => (peer.setAttributes(user), (key) => peer.evalFeature(key)));

let mismatches = 0;
for (let i = 0; i < ours.results.length; i++) {
  if (!isDeepStrictEqual(ours.results[i], JSON.parse(JSON.stringify(theirs.results[i])))) mismatches++;
}
console.log(`${users.length} users × ${keys.length} features, ${mismatches} mismatching results`);
for (const row of [ours, theirs]) {
  console.log(`${row.label.padEnd(40)} median ${row.median.toFixed(2)} µs   p99 ${row.p99.toFixed(2)} µs`);
}
console.log(`ratio (GrowthBook / Stageline): median ${(theirs.median / ours.median).toFixed(2)}×, p99 ${(theirs.p99 / ours.p99).toFixed(2)}×`);
gb.dispose();
peer.destroy();
if (mismatches > 0) process.exitCode = 1;
