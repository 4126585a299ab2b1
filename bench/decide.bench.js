// Decision benchmark: the same 100 rules over 10 slots and the same 10,000 synthetic customers, in
// one Node process, through
//   - Stageline `engine.decide(slot, …)` called once per decision from JS (profiles held in a
//     ProfileBuilder in the WASM heap, the page context passed per call),
//   - Stageline `engine.decideAll(…)` once per customer (10 decisions per call),
//   - GrowthBook's JS SDK (`GrowthBookClient.evalFeature`, one feature per slot whose rules are
//     the slot's rules in priority order: force rules with conditions, and experiment rules).
// Both must pick the same payload for every decision. Prints µs per decision (median and p99 of
// individually timed calls) and the ratios.
//
// With --lean, Stageline runs in the lean module a page loads (web/src/lean.js, built for size off
// the decision path): each customer is a live profile (sl.customerProfile(), as the browser
// runtime's visitor) fed the same events, and decide() reads it in place.
//
//   node bench/decide.bench.js [--customers 10000] [--lean]

import { GrowthBookClient } from '@growthbook/growthbook';
import { mulberry32 } from '../examples/data/shop-generator.js';

const customers = Number(process.argv[process.argv.indexOf('--customers') + 1]) || 10_000;
const lean = process.argv.includes('--lean');
const { init } = await import(lean ? '../web/src/lean.js' : '../web/src/index.js');
const SLOTS = 10;
const RULES_PER_SLOT = 10;
const AT = Date.parse('2026-11-01T12:00:00Z');

const rand = mulberry32(2026);  // deterministic: every run builds the same data
const pick = (list) => list[Math.floor(rand() * list.length)];

const PLANS = ['free', 'basic', 'pro', 'team'];
const COUNTRIES = ['NL', 'BE', 'DE', 'FR', 'US', 'GB'];
const DEVICES = ['mobile', 'desktop', 'tablet'];

// --- rules: per slot, 10 rules in priority order; 7 targeted force rules, 3 experiments --------
function randomCondition() {
  const clauses = [
    () => ({ orders: { $gte: 1 + Math.floor(rand() * 6) } }),
    () => ({ revenue: { $gt: Math.round(rand() * 400) } }),
    () => ({ 'traits.plan': { $in: [pick(PLANS), pick(PLANS)] } }),
    () => ({ 'context.device': pick(DEVICES) }),
    () => ({ 'context.country': { $in: [pick(COUNTRIES), pick(COUNTRIES)] } }),
  ];
  const condition = {};
  const n = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < n; i++) Object.assign(condition, pick(clauses)());
  return condition;
}

const slots = {};
const rules = [];
const features = {};
for (let s = 0; s < SLOTS; s++) {
  const slot = `slot_${s}`;
  slots[slot] = { default: `${slot}:default` };
  const gbRules = [];
  for (let r = 0; r < RULES_PER_SLOT; r++) {
    const id = `${slot}_rule_${r}`;
    const priority = RULES_PER_SLOT - r;
    const condition = randomCondition();
    if (r % 3 === 1) {
      const variations = [`${id}:a`, `${id}:b`, `${id}:c`];
      const coverage = 0.5 + Math.round(rand() * 50) / 100;
      rules.push({
        id, slot, priority, when: condition,
        variants: variations.map((payload, i) => ({ id: 'abc'[i], payload, weight: [0.5, 0.25, 0.25][i] })),
        experiment: { key: id, coverage, hashAttribute: 'customerId', hashVersion: 2 },
      });
      gbRules.push({ condition, key: id, variations, weights: [0.5, 0.25, 0.25], coverage, hashAttribute: 'customerId', hashVersion: 2 });
    } else {
      rules.push({ id, slot, priority, when: condition, payload: `${id}:on` });
      gbRules.push({ condition, force: `${id}:on` });
    }
  }
  features[slot] = { defaultValue: `${slot}:default`, rules: gbRules };
}

// --- customers: events for Stageline's profiles, the same attributes as objects for GrowthBook ---
const events = { customerId: [], type: [], timestamp: [], value: [] };
const identifies = [];
const people = [];
for (let c = 0; c < customers; c++) {
  const customerId = `customer-${c}`;
  const orders = Math.floor(rand() * 8);
  let revenue = 0;
  for (let o = 0; o < orders; o++) {
    const value = Math.round(rand() * 12000) / 100;
    revenue += value;
    events.customerId.push(customerId);
    events.type.push('purchase');
    events.timestamp.push(AT - Math.floor(rand() * 300) * 86_400_000);
    events.value.push(value);
  }
  const plan = pick(PLANS);
  identifies.push({ customerId, type: 'identify', timestamp: AT - 400 * 86_400_000, properties: { plan } });
  const context = { device: pick(DEVICES), country: pick(COUNTRIES), url: 'https://shop.example/' };
  people.push({ customerId, context, attributes: { customerId, orders, revenue, traits: { plan }, context } });
}

const sl = await init();
// Where decide() reads each customer's profile: a ProfileBuilder holding all of them, or (--lean)
// one live profile per customer.
let builder = null;
const profiles = new Map();
if (lean) {
  for (const identify of identifies) profiles.set(identify.customerId, sl.customerProfile(identify.customerId)).get(identify.customerId).apply(identify);
  events.customerId.forEach((customerId, i) => {
    profiles.get(customerId).apply({ type: events.type[i], timestamp: events.timestamp[i], value: events.value[i] });
  });
} else {
  builder = sl.profileBuilder();
  builder.add(identifies);
  builder.addColumns({ ...events, timestamp: Float64Array.from(events.timestamp), value: Float64Array.from(events.value) });
}
const engine = sl.rules({ slots, rules });
const client = new GrowthBookClient().initSync({ payload: { features } });

// Revenue sums in the profile are doubles added in event order, as here, so conditions agree.
const slotIds = Object.keys(slots);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function timed(name, decisionsPerCall, calls) {
  const samples = new Float64Array(calls.length);
  const results = new Array(calls.length);
  for (let i = 0; i < calls.length; i++) {
    const t0 = process.hrtime.bigint();
    results[i] = calls[i]();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000 / decisionsPerCall;
  }
  samples.sort();
  return { name, median: percentile(samples, 0.5), p99: percentile(samples, 0.99), results };
}

// The request object is written out per call, as a page would, in both modes alike.
function stagelineDecideCalls() {
  const calls = [];
  for (const person of people) {
    const { customerId, context } = person;
    const profile = profiles.get(customerId);
    for (const slot of slotIds) {
      calls.push(lean
        ? () => engine.decide(slot, { profile, customerId, context, at: AT, record: false }).payload
        : () => engine.decide(slot, { builder, customerId, context, at: AT, record: false }).payload);
    }
  }
  return calls;
}
function stagelineDecideAllCalls() {
  return people.map(({ customerId, context }) => {
    const profile = profiles.get(customerId);
    return lean
      ? () => engine.decideAll({ profile, customerId, context, at: AT, record: false }).map((d) => d.payload)
      : () => engine.decideAll({ builder, customerId, context, at: AT, record: false }).map((d) => d.payload);
  });
}
function growthBookCalls() {
  const calls = [];
  for (const person of people) {
    const user = { attributes: person.attributes };
    for (const slot of slotIds) calls.push(() => client.evalFeature(slot, user).value);
  }
  return calls;
}

// Warm up every path (JIT, caches), then measure.
for (const make of [stagelineDecideCalls, stagelineDecideAllCalls, growthBookCalls]) make().slice(0, 20_000).forEach((f) => f());
const gb = timed('GrowthBook evalFeature (JS, per decision)', 1, growthBookCalls());
const one = timed('Stageline decide (WASM, one call per decision)', 1, stagelineDecideCalls());
const all = timed('Stageline decideAll (WASM, one call per customer)', SLOTS, stagelineDecideAllCalls());

// Every decision must agree.
const allFlat = all.results.flat();
let mismatches = 0;
for (let i = 0; i < gb.results.length; i++) {
  if (gb.results[i] !== one.results[i] || gb.results[i] !== allFlat[i]) mismatches++;
}
const defaults = gb.results.filter((value) => value.endsWith(':default')).length;
const experiments = gb.results.filter((value) => /:[abc]$/.test(value)).length;

console.log(`${customers} customers × ${SLOTS} slots = ${gb.results.length} decisions; ${rules.length} rules ` +
  `(${defaults} defaults, ${experiments} experiment variations); mismatches: ${mismatches}`);
console.log('| engine | median µs/decision | p99 µs/decision | median vs GrowthBook |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of [gb, one, all]) {
  console.log(`| ${row.name} | ${row.median.toFixed(2)} | ${row.p99.toFixed(2)} | ${(gb.median / row.median).toFixed(2)}× |`);
}
engine.dispose();
builder?.dispose();
for (const profile of profiles.values()) profile.dispose();
if (mismatches !== 0) process.exitCode = 1;
