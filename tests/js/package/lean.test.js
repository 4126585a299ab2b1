// The lean personalization module as the package exports it (`stageline/lean`: the minified
// bundle web/dist/stageline-lean.min.js over web/dist/stageline-lean.wasm; the sources with
// `node --conditions=stageline-source --test tests/js/package/lean.test.js`): the same answers as the full
// module for conditions, stage models, customer profiles, rules and the tracker, and no batch
// ProfileBuilder, applyJsonLogic, datasets, BTYD models or GrowthBook evaluator — in the API or in
// the WebAssembly module.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init as initLean, StagelineError } from 'stageline/lean';
import { loadLeanModule } from '../../../web/src/load_lean.js';

let sl;
before(async () => {
  sl = await initLean();
});

test('conditions, stage models, customer profiles and rules work in the lean module', () => {
  assert.equal(sl.evalCondition({ country: 'NL', age: 31 }, { country: { $in: ['NL', 'BE'] }, age: { $gte: 18 } }), true);
  assert.equal(sl.evalCondition({ country: 'DE' }, { country: { $in: ['NL', 'BE'] } }), false);
  // classic: orders >= 1 with the first order 5 days before `at` is onboarding (within 30 days).
  const at = Date.parse('2026-03-10T00:00:00Z');
  const model = sl.stageModel('classic');
  assert.equal(model.classify({ orders: 1, firstOrderAt: at - 5 * 86_400_000, lastSeen: at }, at).stage, 'onboarding');
  model.dispose();
  const customer = sl.customerProfile('c1');
  customer.apply({ customerId: 'c1', type: 'purchase', timestamp: '2026-03-01', value: 20 });
  customer.apply({ customerId: 'c1', type: 'purchase', timestamp: '2026-03-02', value: 30 });
  const profile = customer.profile(at);
  assert.equal(profile.orders, 2);
  assert.equal(profile.revenue, 50);
  customer.dispose();
  // vip needs orders >= 2 (this profile has 2); a JsonLogic rule still compiles in the lean module.
  const engine = sl.rules({
    slots: { hero: { default: 'plain' } },
    rules: [
      { id: 'vip', slot: 'hero', priority: 2, when: { orders: { $gte: 2 } }, payload: 'vip' },
      { id: 'logic', slot: 'hero', priority: 1, when: { jsonLogic: { '>=': [{ var: 'orders' }, 1] } }, payload: 'one' },
    ],
  });
  assert.equal(engine.decide('hero', { customerId: 'c1', profile, at }).ruleId, 'vip');
  assert.equal(engine.decide('hero', { customerId: 'c2', profile: { orders: 1 }, at }).ruleId, 'logic');
  assert.equal(engine.decide('hero', { customerId: 'c3', at }).payload, 'plain');
  // The lean entry has no ProfileBuilder; another handle passed as one is rejected by name.
  const classic = sl.stageModel('classic');
  assert.throws(() => engine.decide('hero', { customerId: 'c1', builder: classic, at }),
    (error) => error instanceof StagelineError && error.code === 'invalid_argument' && error.path === 'builder');
  classic.dispose();
  engine.dispose();
  assert.ok(sl.memoryStats().usedBytes > 0);
});

test('the lean module leaves out the batch, dataset, BTYD and GrowthBook parts', async (t) => {
  if (process.env.STAGELINE_WASM_MODULE) {
    // The test hook loads another module (the full safe-heap one) in place of the lean module.
    t.skip('STAGELINE_WASM_MODULE replaces the lean module with another build');
    return;
  }
  for (const name of ['profileBuilder', 'applyJsonLogic', 'loadTransactions', 'loadEvents', 'fitBGNBD', 'growthbook']) {
    assert.equal(sl[name], undefined, name);
  }
  const module = await loadLeanModule();
  assert.equal(typeof module.createRuleEngine, 'function');
  assert.equal(typeof module.createCustomerProfile, 'function');
  for (const binding of ['createProfileBuilder', 'applyJsonLogic', 'createDatasetLoader', 'btydFitBGNBD', 'createGrowthBook']) {
    assert.equal(module[binding], undefined, binding);
  }
  assert.ok(new StagelineError('x', '', 'y') instanceof Error);
});

test('the tracker, imported on first use, tracks and decides in the lean module', async () => {
  let now = Date.parse('2026-03-01T10:00:00Z');
  const engine = sl.rules({
    stageModel: 'classic',
    slots: { hero: { default: 'plain' } },
    rules: [{ id: 'buyer', slot: 'hero', when: { orders: { $gte: 1 } }, payload: 'thanks' }],
  });
  const [first, second] = await Promise.all([
    sl.createTracker({ stageModel: 'classic', rules: engine, storage: { backend: 'memory' }, now: () => now }),
    sl.createTracker({ storage: { backend: 'memory' }, now: () => now }),
  ]);
  assert.equal(first.stage().stage, 'awareness');
  assert.equal((await first.decide('hero')).payload, 'plain');
  await first.track('purchase', { value: 25 });
  now += 60_000;
  // One purchase: orders 1 and revenue 25; classic calls a first order within 30 days onboarding.
  assert.equal(first.profile().orders, 1);
  assert.equal(first.profile().revenue, 25);
  assert.equal(first.stage().stage, 'onboarding');
  assert.equal((await first.decide('hero')).payload, 'thanks');
  assert.equal(second.profile().events, 0);
  await first.close();
  await second.close();
  engine.dispose();
});
