// Stage models and profile builders through the built WebAssembly module and the public JS entry
// point. Expected stages, counts and dates are worked out by hand from the preset definitions in the
// README (the comments show the reasoning) or computed independently in plain JS from the events.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { init, StageModel, ProfileBuilder } from '../../../web/src/index.js';
import { generateShop } from '../../../examples/data/shop-generator.js';
import { assertStagelineError } from '../assert_error.js';

let sl;
before(async () => {
  sl = await init();
});

const DAY = 86_400_000;
const june1 = Date.parse('2024-06-01T00:00:00Z');

describe('stageModel', () => {
  test('presets expose their stages in lifecycle order', () => {
    assert.deepEqual(sl.stagePresets, ['classic', 'journey', 'funnel', 'full']);
    const full = sl.stageModel('full');
    assert.ok(full instanceof StageModel);
    assert.deepEqual(full.stages.map((s) => s.id),
      ['awareness', 'acquisition', 'onboarding', 'engagement', 'retention', 'growth', 'advocacy', 'at_risk', 'churn']);
    assert.equal(full.defaultStage, 'awareness');
    assert.equal(full.params.churnDays, 90);
    assert.equal(full.config.stages.length, 9);
    full.dispose();
  });

  test('classify returns the stage, the deciding rule and an explanation', () => {
    const classic = sl.stageModel('classic', { churnDays: 120 });
    // Ordered twice, first order 61 days before June 1, seen 100 days ago: with churnDays 120 this
    // is retention (not churned); with the default 90 it would be churned.
    const profile = { orders: 2, firstOrderAt: june1 - 61 * DAY, lastSeen: june1 - 100 * DAY };
    const result = classic.classify(profile, june1);
    assert.equal(result.stage, 'retention');
    assert.equal(result.rule, 'stages[3].when');
    assert.deepEqual(result.explanation.map((e) => [e.stage, e.matched]),
      [['churned', false], ['advocacy', false], ['retention', true]]);
    // daysSinceLastSeen is recomputed from lastSeen at `at`: exactly 100 days.
    const churnClause = result.explanation[0].clauses.find((c) => c.attribute === 'daysSinceLastSeen');
    assert.equal(churnClause.actual, 100);
    assert.equal(churnClause.expected, 120);
    assert.equal(churnClause.held, false);
    const strict = sl.stageModel('classic');
    assert.equal(strict.classify(profile, june1).stage, 'churned');
    assert.equal(strict.classify({}, june1).rule, 'default');
    classic.dispose();
    strict.dispose();
  });

  test('minimum dwell through `previous`', () => {
    const model = sl.stageModel({
      default: 'cold',
      stages: [{ id: 'cold' }, { id: 'hot', when: { score: { $gte: 10 } }, minDwellDays: 7 }],
    });
    const cooled = { score: 1 };
    assert.equal(model.classify(cooled, june1, { stage: 'hot', enteredAt: june1 - 3 * DAY }).stage, 'hot');
    assert.equal(model.classify(cooled, june1, { stage: 'hot', enteredAt: june1 - 3 * DAY }).rule, 'minDwell');
    assert.equal(model.classify(cooled, june1, { stage: 'hot', enteredAt: '2024-05-01' }).stage, 'cold');
    assertStagelineError(() => model.classify(cooled, june1, { stage: 'warm', enteredAt: 0 }), 'invalid_argument', 'previous.stage');
    model.dispose();
  });

  test('config errors are StagelineErrors naming the JSON path', () => {
    assertStagelineError(() => sl.stageModel({ default: 'a', stages: [{ id: 'a' }, { id: 'b', when: { $and: [{ x: 1 }, { y: { $gtee: 1 } }] } }] }),
      'unknown_operator', 'stages[1].when.$and[1].y');
    assertStagelineError(() => sl.stageModel('classic', { churnDay: 3 }), 'invalid_config', 'churnDay');
    assertStagelineError(() => sl.stageModel('fancy'), 'not_found', '');
    assertStagelineError(() => sl.stageModel({ default: 'z', stages: [{ id: 'a' }] }), 'invalid_config', 'default');
    assertStagelineError(() => sl.stageModel([]), 'invalid_argument');
    const model = sl.stageModel('full');
    model.dispose();
    assertStagelineError(() => model.classify({}, june1), 'disposed');
    model.dispose();  // twice is fine
  });
});

describe('profileBuilder', () => {
  test('builds profiles from events and classifies them', () => {
    const people = sl.profileBuilder();
    assert.ok(people instanceof ProfileBuilder);
    people.add([
      { customerId: 'c1', type: 'signup', timestamp: '2025-03-01T10:00:00Z' },
      { customerId: 'c1', type: 'purchase', timestamp: '2025-03-02', value: 49.9 },
      { customerId: 'c2', type: 'visit', timestamp: Date.parse('2025-03-05T00:00:00Z') },
    ]);
    assert.equal(people.size, 2);
    assert.equal(people.eventCount, 3);
    const at = Date.parse('2025-03-10T00:00:00Z');
    const c1 = people.profile('c1', at);
    assert.equal(c1.orders, 1);
    assert.equal(c1.revenue, 49.9);
    assert.equal(c1.firstSeen, Date.parse('2025-03-01T10:00:00Z'));
    assert.equal(c1.daysSinceLastSeen, 8);  // last seen 2025-03-02T00:00Z
    assert.deepEqual(c1.counts, { signup: 1, purchase: 1 });
    assert.equal(people.profile('nobody', at), null);

    // The README's embedding example: signed up within 30 days, 2 active days → onboarding.
    const full = sl.stageModel('full', { churnDays: 120 });
    const result = full.classify(c1, at);
    assert.equal(result.stage, 'onboarding');
    assert.equal(result.rule, 'stages[2].when');

    const all = people.classifyAll(full, at);
    assert.deepEqual(all.customerIds, ['c1', 'c2']);
    assert.deepEqual(all.stages, ['onboarding', 'awareness']);
    assert.ok(all.stageIndex instanceof Uint16Array);
    assert.equal(all.distribution.onboarding, 1);
    assert.equal(all.distribution.awareness, 1);
    assert.equal(all.distribution.churn, 0);

    assert.equal(people.count({ orders: { $gte: 1 } }, at), 1);
    assert.equal(people.count({ lastSeen: { $withinLastDays: 6 } }, at), 1);  // only c2 (5 days)
    assertStagelineError(() => people.count({ orders: { $gtee: 1 } }, at), 'unknown_operator', 'orders');
    full.dispose();
    people.dispose();
    assertStagelineError(() => people.size, 'disposed');
  });

  test('timeline dates time-driven moves to the day', () => {
    const classic = sl.stageModel('classic');
    const people = sl.profileBuilder().add([
      { customerId: 'c', type: 'visit', timestamp: '2024-01-01T10:00:00Z' },
      { customerId: 'c', type: 'signup', timestamp: '2024-01-02T10:00:00Z' },
      { customerId: 'c', type: 'purchase', timestamp: '2024-01-05T12:00:00Z', value: 50 },
    ]);
    // Onboarding ends at the first midnight more than 30 days after the first order (Feb 5); 90
    // quiet days after Jan 5 12:00 is Apr 4 12:00 (leap year), churn is dated the next midnight.
    assert.deepEqual(people.timeline('c', classic, '2024-06-01'), [
      { stage: 'awareness', enteredAt: '2024-01-01T10:00:00.000Z', leftAt: '2024-01-02T10:00:00.000Z' },
      { stage: 'acquisition', enteredAt: '2024-01-02T10:00:00.000Z', leftAt: '2024-01-05T12:00:00.000Z' },
      { stage: 'onboarding', enteredAt: '2024-01-05T12:00:00.000Z', leftAt: '2024-02-05T00:00:00.000Z' },
      { stage: 'retention', enteredAt: '2024-02-05T00:00:00.000Z', leftAt: '2024-04-05T00:00:00.000Z' },
      { stage: 'churned', enteredAt: '2024-04-05T00:00:00.000Z', leftAt: null },
    ]);
    classic.dispose();
    people.dispose();
  });

  test('addColumns equals add, and its counts match a plain-JS recount of the events', () => {
    const shop = generateShop({ customers: 300, seed: 3 });
    const byColumns = sl.profileBuilder().addColumns(shop);
    const events = shop.customerId.map((customerId, i) => ({
      customerId, type: shop.type[i], timestamp: shop.timestamp[i],
      ...(Number.isNaN(shop.value[i]) ? {} : { value: shop.value[i] }),
    }));
    const byEvents = sl.profileBuilder().add(events);
    assert.equal(byColumns.size, 300);
    assert.equal(byColumns.eventCount, events.length);
    // Independent recount in JS: orders and revenue per customer.
    const orders = new Map();
    const revenue = new Map();
    for (const e of events) {
      if (e.type === 'purchase') {
        orders.set(e.customerId, (orders.get(e.customerId) ?? 0) + 1);
        revenue.set(e.customerId, (revenue.get(e.customerId) ?? 0) + e.value);
      }
      if (e.type === 'refund') revenue.set(e.customerId, (revenue.get(e.customerId) ?? 0) - e.value);
    }
    let buyers = 0;
    for (const id of byColumns.customerIds()) {
      const a = byColumns.profile(id, shop.end);
      assert.deepEqual(a, byEvents.profile(id, shop.end));
      assert.equal(a.orders, orders.get(id) ?? 0);
      assert.ok(Math.abs(a.revenue - (revenue.get(id) ?? 0)) < 1e-6);
      if ((orders.get(id) ?? 0) >= 2) buyers++;
    }
    assert.equal(byColumns.count({ orders: { $gte: 2 } }, shop.end), buyers);
    byColumns.dispose();
    byEvents.dispose();
  });

  test('bad rows are errors naming the row or column', () => {
    const people = sl.profileBuilder();
    assertStagelineError(() => people.add([{ customerId: 'a', type: 'visit', timestamp: 'yesterday' }]), 'invalid_argument', 'events[0].timestamp');
    assertStagelineError(() => people.addColumns({ customerId: ['a', null], type: ['visit', 'visit'], timestamp: [0, 0] }),
      'invalid_argument', 'customerId[1]');
    assertStagelineError(() => people.addColumns({ customerId: ['a'], type: ['visit', 'visit'], timestamp: [0] }), 'invalid_argument', 'type');
    assertStagelineError(() => people.addColumns({ customerId: ['a'], type: ['visit'], timestamp: ['soon'] }), 'invalid_argument', 'timestamp[0]');
    assert.equal(people.size, 0);  // nothing half-applied
    people.dispose();
  });
});

describe('pAlive trait', () => {
  test('BG/NBD P(alive) from the profile, by the closed form, and the full preset uses it', () => {
    // CDNOW's published estimates in days for the test; closed form of FHL (2005), eq. (11).
    const model = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const closedForm = (x, tx, T) => 1 / (1 + (model.a / (model.b + x - 1)) * ((model.alpha + T) / (model.alpha + tx)) ** (model.r + x));
    const builder = sl.profileBuilder({ traits: [{ name: 'pAlive', aggregate: 'pAlive', model, period: 'D' }] });
    // Six orders two days apart from June 1: x = 5, tₓ = 10 days; at June 1 + 40 days, T = 40.
    builder.add(Array.from({ length: 6 }, (_, i) => ({ customerId: 'c', type: 'purchase', timestamp: june1 + i * 2 * DAY, value: 10 })));
    const at = june1 + 40 * DAY;
    assert.ok(Math.abs(builder.profile('c', at).pAlive - closedForm(5, 10, 40)) < 1e-12);
    // 30 days without an order is not at risk by days (45), but P(alive) 0.02 < 0.3 is.
    const full = sl.stageModel('full');
    assert.equal(full.classify(builder.profile('c', at), at).stage, 'at_risk');
    full.dispose();
    builder.dispose();
  });
});
