// The lean personalization module (web/src/lean.js over web/dist/stageline-lean.*): the same
// answers as the full module for conditions, stage models, customer profiles and rules, and no
// batch ProfileBuilder or applyJsonLogic.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init as initLean, StagelineError } from '../../web/src/lean.js';
import { loadLeanModule } from '../../web/src/load_lean.js';

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
  engine.dispose();
  assert.ok(sl.memoryStats().usedBytes > 0);
});

test('the lean module leaves out the batch ProfileBuilder and applyJsonLogic', async () => {
  assert.equal(sl.profileBuilder, undefined);
  assert.equal(sl.applyJsonLogic, undefined);
  const module = await loadLeanModule();
  assert.equal(typeof module.createRuleEngine, 'function');
  assert.equal(module.createProfileBuilder, undefined);
  assert.equal(module.applyJsonLogic, undefined);
  assert.ok(new StagelineError('x', '', 'y') instanceof Error);
});
