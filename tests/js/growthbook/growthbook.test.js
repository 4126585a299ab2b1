// sl.growthbook through the WASM module: GrowthBook's cross-SDK conformance suite (feature, run
// and stickyBucket sections of ../shared; skipped with a message when the file is absent), and the
// same payloads evaluated live by GrowthBook's own SDK (@growthbook/growthbook) for comparison.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { GrowthBook, StickyBucketService } from '@growthbook/growthbook';

import { init, StagelineError } from '../../../web/src/index.js';

const casesPath = fileURLToPath(new URL('../../../../shared/conformance/growthbook-cases.json', import.meta.url));
const suite = existsSync(casesPath) ? JSON.parse(readFileSync(casesPath, 'utf8')) : null;

let sl;
before(async () => {
  sl = await init();
});

// The payload and user parts of a conformance case's context.
function payloadOf(context) {
  const payload = {};
  for (const key of ['features', 'savedGroups', 'contextualBandits']) {
    if (key in context) payload[key] = context[key];
  }
  return payload;
}

function evaluatorOf(context) {
  const { url, forcedVariations, enabled, qaMode } = context;
  return sl.growthbook(payloadOf(context), context.attributes ?? {}, { url, forcedVariations, enabled, qaMode });
}

const sections = {
  // [name, context, featureKey, expected FeatureResult]
  feature: ([, context, key, expected]) => {
    const gb = evaluatorOf(context);
    try {
      assert.deepEqual(gb.evalFeature(key), expected);
    } finally {
      gb.dispose();
    }
  },
  // [name, context, experiment, expected value, inExperiment, hashUsed]
  run: ([, context, experiment, value, inExperiment, hashUsed]) => {
    const gb = evaluatorOf(context);
    try {
      const result = gb.run(experiment);
      assert.deepEqual([result.value, result.inExperiment, result.hashUsed], [value, inExperiment, hashUsed]);
    } finally {
      gb.dispose();
    }
  },
  // [name, context, stored documents, featureKey, expected experimentResult or null, expected documents]
  stickyBucket: ([, context, stored, key, expectedResult, expectedDocs]) => {
    const gb = evaluatorOf(context);
    try {
      gb.loadStickyBucketAssignmentDocs(stored);
      assert.deepEqual(gb.evalFeature(key).experimentResult ?? null, expectedResult);
      assert.deepEqual(gb.getStickyBucketAssignmentDocs(), expectedDocs);
    } finally {
      gb.dispose();
    }
  },
};

for (const [section, check] of Object.entries(sections)) {
  test(`GrowthBook conformance: ${section} (wasm)`, (t) => {
    if (suite === null) {
      console.log(`${section} (wasm): skipped (${casesPath} not found)`);
      t.skip('conformance file absent');
      return;
    }
    const failures = [];
    for (const testCase of suite[section]) {
      try {
        check(testCase);
      } catch (error) {
        failures.push(`${testCase[0]}: ${error.message.slice(0, 300)}`);
      }
    }
    console.log(`${section} (wasm): ${suite[section].length - failures.length} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
  });
}

/** A StickyBucketService keeping documents in memory, for GrowthBook's SDK. */
class MemoryStickyBuckets extends StickyBucketService {
  docs = new Map();
  async getAssignments(name, value) {
    return this.docs.get(`${name}||${value}`) ?? null;
  }
  async saveAssignments(doc) {
    this.docs.set(`${doc.attributeName}||${doc.attributeValue}`, doc);
  }
}

// A payload using most of what evalFeature reads, evaluated for many users by both.
const payload = {
  savedGroups: { beta: ['u3', 'u7', 'ü-5'] },
  contextualBandits: { cb: { banditVersion: 2, contexts: [{ leafId: 4, condition: { plan: 'pro' }, weights: [0.1, 0.9] }] } },
  features: {
    parent: { defaultValue: 'on', rules: [{ condition: { country: 'CA' }, force: 'off' }] },
    banner: {
      defaultValue: 'plain',
      rules: [
        { id: 'gate', parentConditions: [{ id: 'parent', condition: { value: 'on' }, gate: true }] },
        { id: 'beta', condition: { id: { $inGroup: 'beta' } }, force: 'beta' },
        { id: 'rollout', force: 'rolled', coverage: 0.3, hashVersion: 2, seed: 'r' },
        { id: 'holdout', key: 'holdout', variations: ['held', 'x'], hashVersion: 2, ranges: [[0, 0.1], [0.1, 1]], meta: [{}, { passthrough: true }] },
        { id: 'exp', key: 'banner-exp', variations: ['a', 'b', 'c'], weights: [0.2, 0.3, 0.5], coverage: 0.9,
          namespace: ['ns', 0, 0.9], meta: [{ key: 'va' }, { key: 'vb', name: 'B' }, { key: 'vc' }], hashAttribute: 'id',
          fallbackAttribute: 'device', filters: [{ seed: 'f', ranges: [[0, 0.95]] }] },
      ],
    },
    bandit: { defaultValue: 0, rules: [{ key: 'cb-exp', contextualVariations: [1, 2], contextualBanditRef: 'cb', hashVersion: 2 }] },
  },
};

function users() {
  const out = [];
  for (let i = 0; i < 300; ++i) {
    out.push({
      id: i % 17 === 0 ? '' : i % 5 === 0 ? i : `u${i}`,
      device: `d${i % 40}`,
      country: ['NL', 'CA', 'US'][i % 3],
      plan: i % 4 === 0 ? 'pro' : 'free',
    });
  }
  out.push({ id: 'ü-5' }, { id: '👋🏽' }, { device: 'd-only' });
  return out;
}

test('the same features as GrowthBook\'s SDK, for 303 users', () => {
  const gb = sl.growthbook(payload, {});
  const sources = new Set();
  try {
    for (const attributes of users()) {
      gb.setAttributes(attributes);
      const peer = new GrowthBook({ ...payload, attributes });
      for (const key of ['banner', 'bandit', 'parent', 'missing']) {
        const expected = JSON.parse(JSON.stringify(peer.evalFeature(key)));
        const actual = gb.evalFeature(key);
        assert.deepEqual(actual, expected, `${key} for ${JSON.stringify(attributes)}`);
        sources.add(`${key}:${actual.source}:${actual.ruleId}`);
      }
      const experiment = { key: 'run-exp', variations: [0, 1, 2], coverage: 0.8, hashVersion: 2 };
      assert.deepEqual(gb.run(experiment), JSON.parse(JSON.stringify(peer.run(experiment))));
      peer.destroy();
    }
  } finally {
    gb.dispose();
  }
  // Every rule was the deciding one for some user, so the comparison covered each path.
  for (const path of ['banner:prerequisite:', 'banner:force:beta', 'banner:force:rollout', 'banner:experiment:holdout',
    'banner:experiment:exp', 'banner:defaultValue:', 'bandit:experiment:', 'missing:unknownFeature:']) {
    assert.ok(sources.has(path), `no user reached ${path}`);
  }
});

test('sticky buckets written as GrowthBook\'s SDK writes them, then reused after the weights change', async () => {
  const first = { features: { f: { defaultValue: 0, rules: [{ key: 'e', variations: [1, 2, 3], hashAttribute: 'id', fallbackAttribute: 'device', meta: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] }] } } };
  const second = structuredClone(first);
  second.features.f.rules[0].weights = [1, 0, 0];
  for (const attributes of [{ device: 'd1' }, { id: 'u2', device: 'd1' }, { id: 'u9' }]) {
    const service = new MemoryStickyBuckets();
    const peer = new GrowthBook({ ...first, attributes, stickyBucketService: service });
    await peer.refreshStickyBuckets();
    const gb = sl.growthbook(first, attributes, { stickyBucketAssignmentDocs: {} });
    assert.deepEqual(gb.evalFeature('f'), JSON.parse(JSON.stringify(peer.evalFeature('f'))));
    assert.deepEqual(gb.getStickyBucketAssignmentDocs(), JSON.parse(JSON.stringify(peer.getStickyBucketAssignmentDocs())));
    const docs = gb.getStickyBucketAssignmentDocs();
    gb.dispose();

    const peerLater = new GrowthBook({ ...second, attributes, stickyBucketService: service });
    await peerLater.refreshStickyBuckets();
    const later = sl.growthbook(second, attributes);
    later.loadStickyBucketAssignmentDocs(Object.values(docs));
    const result = later.evalFeature('f');
    assert.deepEqual(result, JSON.parse(JSON.stringify(peerLater.evalFeature('f'))));
    assert.equal(result.experimentResult.stickyBucketUsed, true);
    later.dispose();
    peer.destroy();
    peerLater.destroy();
  }
});

test('payloads and user contexts of the wrong shape throw StagelineError with the JSON path', () => {
  const error = (work) => {
    try {
      work();
    } catch (e) {
      assert.ok(e instanceof StagelineError);
      return `${e.code} ${e.path}`;
    }
    return 'no error';
  };
  assert.equal(error(() => sl.growthbook({ features: { f: { rules: [{ force: 1, coverage: '1' }] } } })), 'invalid_config features.f.rules[0].coverage');
  assert.equal(error(() => sl.growthbook({ features: [] })), 'invalid_config features');
  assert.equal(error(() => sl.growthbook({}, [])), 'invalid_argument attributes');
  assert.equal(error(() => sl.growthbook({}, {}, { forcedVariations: { e: 'x' } })), 'invalid_argument forcedVariations.e');
  const gb = sl.growthbook({});
  assert.equal(error(() => gb.run({ key: 'k', variations: [0, 1], urlPatterns: [] })), 'invalid_config urlPatterns');
  gb.dispose();
  assert.equal(error(() => gb.evalFeature('f')), 'disposed ');
});

test('forced features, URL overrides and QA mode', () => {
  const gb = sl.growthbook({ features: { f: { defaultValue: 'd', rules: [{ key: 'e', variations: ['x', 'y'] }] } } }, { id: '1' });
  try {
    gb.setQaMode(true);
    assert.equal(gb.getFeatureValue('f', 'fallback'), 'd');
    gb.setURL('https://shop.example/page?e=1');
    assert.equal(gb.evalFeature('f').value, 'y');
    gb.setForcedFeatures(new Map([['f', null], ['g', 7]]));
    assert.equal(gb.evalFeature('f').source, 'override');
    assert.equal(gb.getFeatureValue('f', 'fallback'), 'fallback');
    assert.equal(gb.isOn('g'), true);
  } finally {
    gb.dispose();
  }
});
