// Personalization rules through the built WebAssembly module. Experiment assignments are checked
// against GrowthBook's own SDK (@growthbook/growthbook) evaluating the same rules as features;
// everything else is worked out by hand from the rule definitions (comments show the reasoning).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GrowthBookClient } from '@growthbook/growthbook';
import Ajv2020 from 'ajv/dist/2020.js';

import { init, StagelineError } from '../../../web/src/index.js';
import { assertStagelineError } from '../assert_error.js';

let sl;
before(async () => {
  sl = await init();
});

const DAY = 86_400_000;
const nov1 = Date.parse('2026-11-01T00:00:00Z');

const shopRules = {
  stageModel: 'classic',
  slots: {
    home_hero: { default: { headline: 'Welcome to the shop' } },
    checkout_offer: { default: null },
  },
  rules: [
    { id: 'returning_buyer', slot: 'home_hero', priority: 10, when: { orders: { $gte: 2 } }, payload: { headline: 'Welcome back' } },
    { id: 'first_order', slot: 'home_hero', priority: 5, stages: ['awareness', 'acquisition'], payload: { headline: '10% off your first order' } },
    {
      id: 'free_shipping', slot: 'checkout_offer', when: { 'context.path': { $regex: '^/checkout' } },
      frequencyCap: { max: 2, windowDays: 7 }, payload: { text: 'Free shipping today' },
    },
  ],
};

describe('sl.rules', () => {
  test('decides per slot with the payload, the stage and the reason', () => {
    const engine = sl.rules(shopRules);
    assert.deepEqual(engine.slots, ['home_hero', 'checkout_offer']);
    const builder = sl.profileBuilder();
    // Two orders: orders >= 2 holds, so returning_buyer (priority 10) wins; the classic model puts
    // a customer whose first order is 20 days old in onboarding.
    builder.add([
      { customerId: 'c1', type: 'purchase', timestamp: '2026-10-12', value: 30 },
      { customerId: 'c1', type: 'purchase', timestamp: '2026-10-20', value: 45 },
    ]);
    const decision = engine.decide('home_hero', { builder, customerId: 'c1', at: nov1 });
    assert.equal(decision.slot, 'home_hero');
    assert.equal(decision.ruleId, 'returning_buyer');
    assert.equal(decision.variant, 'returning_buyer');
    assert.deepEqual(decision.payload, { headline: 'Welcome back' });
    assert.equal(decision.stage, 'onboarding');
    assert.equal(decision.reason, "rule 'returning_buyer' chose variant 'returning_buyer'");
    assert.deepEqual(decision.skipped, []);
    assert.ok(Object.isFrozen(decision.payload), 'payloads are shared, so they are frozen');

    // An anonymous visitor: no orders (returning_buyer fails), stage awareness (first_order applies).
    const anonymous = engine.decide('home_hero', { customerId: 'visitor-9', at: nov1 });
    assert.equal(anonymous.ruleId, 'first_order');
    assert.equal(anonymous.stage, 'awareness');
    assert.deepEqual(anonymous.skipped, [{ ruleId: 'returning_buyer', why: 'condition' }]);
    assert.equal(
      anonymous.reason,
      "rule 'first_order' chose variant 'first_order'; passed over 'returning_buyer': condition failed at " +
        'rules[0].when.orders {"orders":{"$gte":2}}',
    );
    // JSON.stringify includes the lazily computed reason and skipped list.
    const json = JSON.parse(JSON.stringify(anonymous));
    assert.equal(json.reason, anonymous.reason);
    assert.deepEqual(json.skipped, anonymous.skipped);

    // A stored profile object works as well as a builder.
    const fromProfile = engine.decide('home_hero', { profile: builder.profile('c1', nov1), customerId: 'c1', at: nov1 });
    assert.equal(fromProfile.ruleId, 'returning_buyer');
    // Any other handle (here a stage model) or a plain object is not a builder.
    const model = sl.stageModel('classic');
    for (const notBuilder of [model, { add() {} }]) {
      assert.throws(() => engine.decide('home_hero', { builder: notBuilder, customerId: 'c1', at: nov1 }),
        (error) => error instanceof StagelineError && error.code === 'invalid_argument' && error.path === 'builder');
    }
    model.dispose();
    engine.dispose();
    builder.dispose();
  });

  test('frequency caps count recorded exposures; onExposure fires once per decision', () => {
    const engine = sl.rules(shopRules);
    const seen = [];
    const unsubscribe = engine.onExposure((exposure) => seen.push(exposure));
    const context = { url: 'https://shop.example/checkout?step=2' };
    const decide = (at) => engine.decide('checkout_offer', { customerId: 'c7', context, at }).ruleId;
    // Cap 2 per 7 days: day 0 and day 1 show the offer; day 2 is capped (default, null payload).
    assert.equal(decide(nov1), 'free_shipping');
    assert.equal(decide(nov1 + DAY), 'free_shipping');
    const capped = engine.decide('checkout_offer', { customerId: 'c7', context, at: nov1 + 2 * DAY });
    assert.equal(capped.ruleId, null);
    assert.equal(capped.payload, null);
    assert.deepEqual(capped.skipped, [{ ruleId: 'free_shipping', why: 'capped' }]);
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[0], { customerId: 'c7', slot: 'checkout_offer', ruleId: 'free_shipping', variant: 'free_shipping', at: nov1 });
    // A preview does not record.
    engine.decide('checkout_offer', { customerId: 'c8', context, at: nov1, record: false });
    assert.deepEqual(engine.exposures('c8'), []);
    unsubscribe();
    decide(nov1 + 9 * DAY);
    assert.equal(seen.length, 2);

    // The history keeps only what caps can still count: by day 9 the day-0 and day-1 exposures
    // are older than the longest window (7 days), so the day-9 one is left. It persists and
    // restores into a fresh engine (a page reload).
    const history = engine.exposures('c7');
    assert.deepEqual(history, [{ rule: 'free_shipping', slot: 'checkout_offer', variant: 'free_shipping', at: nov1 + 9 * DAY, kind: 'exposure' }]);
    const reloaded = sl.rules(shopRules);
    assert.deepEqual(reloaded.restoreExposures('c7', history), { restored: 1, leftOut: 0 });
    // Day 10: one exposure (day 9) in the window, so one more is allowed, then capped.
    assert.equal(reloaded.decide('checkout_offer', { customerId: 'c7', context, at: nov1 + 10 * DAY }).ruleId, 'free_shipping');
    assert.equal(reloaded.decide('checkout_offer', { customerId: 'c7', context, at: nov1 + 10 * DAY }).ruleId, null);
    engine.dispose();
    reloaded.dispose();
  });

  test('dismissing starts the cooldown', () => {
    const engine = sl.rules({
      slots: { popup: {} },
      rules: [{ id: 'newsletter', slot: 'popup', cooldownDays: 3, payload: 'Subscribe?' }],
    });
    const shown = engine.decide('popup', { customerId: 'c1', at: nov1 });
    engine.dismiss(shown, { customerId: 'c1', at: nov1 + 1000 });
    assert.equal(engine.decide('popup', { customerId: 'c1', at: nov1 + DAY }).ruleId, null);
    assert.equal(engine.decide('popup', { customerId: 'c1', at: nov1 + 1000 + 3 * DAY }).ruleId, 'newsletter');
    // By slot id: the rule last shown in that slot.
    engine.dismiss('popup', { customerId: 'c1', at: nov1 + 4 * DAY });
    assert.deepEqual(engine.decide('popup', { customerId: 'c1', at: nov1 + 5 * DAY }).skipped, [{ ruleId: 'newsletter', why: 'cooldown' }]);
    assertStagelineError(() => engine.dismiss('popup', { customerId: 'nobody', at: nov1 }), 'invalid_argument', 'slot');
    engine.dispose();
  });

  test('decideAll honours mutual-exclusion groups', () => {
    const engine = sl.rules({
      slots: { hero: { default: 'plain' }, sidebar: { default: 'plain' } },
      rules: [
        { id: 'hero_sale', slot: 'hero', priority: 2, group: 'sale', payload: 'sale' },
        { id: 'sidebar_sale', slot: 'sidebar', priority: 3, group: 'sale', payload: 'sale' },
      ],
    });
    const [hero, sidebar] = engine.decideAll({ customerId: 'c1', at: nov1 });
    assert.equal(sidebar.ruleId, 'sidebar_sale');
    assert.equal(hero.ruleId, null);
    assert.deepEqual(hero.skipped, [{ ruleId: 'hero_sale', why: 'group' }]);
    assert.match(hero.reason, /group 'sale' taken by slot 'sidebar'/);
    engine.dispose();
  });

  test('experiments assign the same variation as GrowthBook, and QA overrides force one', () => {
    const experimentRule = {
      id: 'hero_test', slot: 'hero',
      variants: [{ id: 'control', payload: 'c', weight: 0.5 }, { id: 'bold', payload: 'b', weight: 0.3 }, { id: 'calm', payload: 'm', weight: 0.2 }],
      experiment: { key: 'hero-exp', coverage: 0.8, hashVersion: 2, hashAttribute: 'customerId', fallbackAttribute: 'context.deviceId' },
    };
    const engine = sl.rules({ slots: { hero: { default: 'default' } }, rules: [experimentRule] });
    const client = new GrowthBookClient().initSync({
      payload: {
        features: {
          hero: {
            defaultValue: 'default',
            rules: [{ key: 'hero-exp', variations: ['c', 'b', 'm'], weights: [0.5, 0.3, 0.2], coverage: 0.8, hashVersion: 2, hashAttribute: 'customerId', fallbackAttribute: 'deviceId' }],
          },
        },
      },
    });
    const ids = [];
    for (let i = 0; i < 500; i++) ids.push(`user-${i}`);
    ids.push('ünïcødé-🙂', '42', 'a'.repeat(300));
    let inExperiment = 0;
    for (const customerId of ids) {
      const ours = engine.decide('hero', { customerId, at: nov1, record: false });
      const theirs = client.evalFeature('hero', { attributes: { customerId } });
      assert.equal(ours.payload, theirs.value, customerId);
      if (theirs.source === 'experiment') {
        inExperiment++;
        assert.equal(ours.experiment.variationId, theirs.experimentResult.variationId);
        assert.equal(ours.experiment.hashValue, theirs.experimentResult.bucket);
        assert.equal(ours.experiment.inExperiment, true);
      }
    }
    assert.ok(inExperiment > 350 && inExperiment < 450, `80% coverage of ${ids.length}: ${inExperiment}`);
    // No customer id: the fallback attribute is hashed instead, so the visitor lands where a
    // GrowthBook user with that value as hash attribute lands. (GrowthBook itself uses
    // fallbackAttribute only with sticky bucketing; Stageline always does.)
    const byDevice = engine.decide('hero', { context: { deviceId: 'device-77' }, at: nov1, record: false });
    const gbByDevice = client.evalFeature('hero', { attributes: { customerId: 'device-77' } });
    assert.equal(byDevice.payload, gbByDevice.value);

    // QA: ?hero-exp=2 in the page URL, or forceVariation().
    const forced = engine.decide('hero', { customerId: 'user-1', context: { url: 'https://x.example/?hero-exp=2' }, at: nov1 });
    assert.equal(forced.variant, 'calm');
    assert.equal(forced.experiment.forced, true);
    engine.forceVariation('hero-exp', 1);
    assert.equal(engine.decide('hero', { customerId: 'user-1', at: nov1 }).variant, 'bold');
    engine.forceVariation('hero-exp', null);
    engine.dispose();
  });

  test('page context: url parts, UTM tags and local time of day', () => {
    const engine = sl.rules({
      slots: { banner: {} },
      rules: [
        { id: 'newsletter_evening', slot: 'banner', when: { 'context.utm.source': 'newsletter', 'context.hour': { $gte: 18 } }, payload: 1 },
      ],
    });
    const context = { url: 'https://shop.example/?utm_source=newsletter', utcOffsetMinutes: 60 };
    // 17:30Z is 18:30 at UTC+1.
    assert.equal(engine.decide('banner', { context, at: '2026-11-01T17:30:00Z' }).ruleId, 'newsletter_evening');
    assert.equal(engine.decide('banner', { context, at: '2026-11-01T16:30:00Z' }).ruleId, null);
    engine.dispose();
  });

  test('JsonLogic is accepted as a rule condition', () => {
    const engine = sl.rules({
      slots: { hero: {} },
      rules: [{ id: 'logic', slot: 'hero', when: { jsonLogic: { in: [{ var: 'context.locale' }, ['nl-NL', 'nl-BE']] } }, payload: 'hallo' }],
    });
    assert.equal(engine.decide('hero', { context: { locale: 'nl-BE' }, at: nov1 }).payload, 'hallo');
    assert.equal(engine.decide('hero', { context: { locale: 'en-GB' }, at: nov1 }).ruleId, null);
    engine.dispose();
  });

  test('bad configs and inputs are StagelineErrors naming the path', () => {
    assertStagelineError(() => sl.rules({ slots: { a: {} }, rules: [{ id: 'x', slot: 'b', payload: 1 }] }), 'invalid_config', 'rules[0].slot', /unknown slot "b"/);
    assertStagelineError(() => sl.rules({ stageModel: 'classic', slots: { a: {} }, rules: [{ id: 'x', slot: 'a', stages: ['vip'], payload: 1 }] }),
      'invalid_config', 'rules[0].stages[0]', /unknown stage "vip"/);
    assertStagelineError(() => sl.rules({ stageModel: 'classik', slots: {} }), 'invalid_config', 'stageModel');
    assertStagelineError(() => sl.rules({ slots: { a: {} }, rules: [{ id: 'x', slot: 'a', payload: 1, when: { orders: { $gte: 1, $nope: 2 } } }] }),
      'unknown_operator', 'rules[0].when.orders');
    const engine = sl.rules(shopRules);
    assertStagelineError(() => engine.decide('nowhere', {}), 'invalid_argument', 'slot');
    assertStagelineError(() => engine.decide('home_hero', { stage: 'vip' }), 'invalid_argument', 'stage');
    assertStagelineError(() => engine.decide('home_hero', { context: { url: 42 } }), 'invalid_argument', 'context.url');
    assertStagelineError(() => engine.decide('home_hero', { at: 'soon' }), 'invalid_argument', 'at');
    // The engine still works after errors.
    assert.equal(engine.decide('home_hero', { customerId: 'z', context: { url: '/' }, at: nov1 }).ruleId, 'first_order');
    engine.dispose();
    assertStagelineError(() => engine.decide('home_hero', {}), 'disposed');
  });
});

describe('web/rules.schema.json', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../web/rules.schema.json', import.meta.url), 'utf8'));
  const validate = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);

  test('accepts the configs the engine compiles', () => {
    for (const config of [shopRules, { slots: {} }, {
      stageModel: { preset: 'full', params: { churnDays: 60 } },
      slots: { a: { default: 1, description: 'x' } },
      rules: [{
        id: 'r', slot: 'a', priority: 1, stages: ['growth'], schedule: { start: '2026-11-01', end: 1798761600000 },
        variants: [{ id: 'x', payload: 1, weight: 0.5 }, { id: 'y', weight: 0.5 }],
        experiment: { key: 'k', hashAttribute: 'customerId', fallbackAttribute: 'context.deviceId', seed: 's', hashVersion: 2, coverage: 0.5, namespace: ['ns', 0, 0.5] },
        frequencyCap: { max: 3, windowDays: 7 }, cooldownDays: 2, group: 'g', holdout: 0.1, when: { jsonLogic: { '==': [1, 1] } },
      }],
    }]) {
      assert.ok(validate(config), JSON.stringify(validate.errors));
      sl.rules(config).dispose();
    }
  });

  test('rejects what the engine rejects for its shape', () => {
    const bad = [
      { slots: { a: {} }, rules: [{ id: 'r', slot: 'a' }] },  // neither payload nor variants
      { slots: { a: {} }, rules: [{ id: 'r', slot: 'a', payload: 1, whn: {} }] },
      { slots: { a: {} }, rules: [{ id: 'r', slot: 'a', payload: 1, frequencyCap: { windowDays: 7 } }] },
      { slots: { a: {} }, rules: [{ id: 'r', slot: 'a', payload: 1, holdout: 1 }] },
      { stageModel: 'classik', slots: {} },
    ];
    for (const config of bad) {
      assert.equal(validate(config), false, JSON.stringify(config));
      assert.throws(() => sl.rules(config), StagelineError);
    }
  });
});
