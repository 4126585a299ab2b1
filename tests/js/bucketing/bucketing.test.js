// GrowthBook's bucketing helpers through the WASM module, against GrowthBook's cross-SDK
// conformance suite (../shared; each section skips with a message when the file is absent) and
// against GrowthBook's own JS implementation on non-ASCII inputs.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { init } from '../../../web/src/index.js';

const casesPath = fileURLToPath(new URL('../../../../shared/conformance/growthbook-cases.json', import.meta.url));
const suite = existsSync(casesPath) ? JSON.parse(readFileSync(casesPath, 'utf8')) : null;

let sl;
before(async () => {
  sl = await init();
});

// GrowthBook's own test compares floats after flooring to 8 decimals.
const round = (x) => Math.floor(x * 1e8) / 1e8;
const roundAll = (value) => (Array.isArray(value) ? value.map(roundAll) : typeof value === 'number' ? round(value) : value);

const sections = {
  hash: ([seed, value, version, expected]) => [sl.hash(seed, value, version), expected],
  getBucketRange: ([, [n, coverage, weights], expected]) => [roundAll(sl.getBucketRanges(n, coverage, weights)), roundAll(expected)],
  chooseVariation: ([, n, ranges, expected]) => [sl.chooseVariation(n, ranges), expected],
  inNamespace: ([, id, namespace, expected]) => [sl.inNamespace(id, namespace), expected],
  getEqualWeights: ([n, expected]) => [roundAll(sl.getEqualWeights(n)), roundAll(expected)],
  getQueryStringOverride: ([, key, url, n, expected]) => [sl.getQueryStringOverride(key, url, n), expected],
};

for (const [section, run] of Object.entries(sections)) {
  test(`GrowthBook conformance: ${section} (wasm)`, (t) => {
    if (suite === null) {
      console.log(`${section} (wasm): skipped (${casesPath} not found)`);
      t.skip('conformance file absent');
      return;
    }
    const failures = [];
    for (const testCase of suite[section]) {
      const [actual, expected] = run(testCase);
      try {
        assert.deepEqual(actual, expected);
      } catch {
        failures.push(`${JSON.stringify(testCase).slice(0, 120)} → ${JSON.stringify(actual)}`);
      }
    }
    console.log(`${section} (wasm): ${suite[section].length - failures.length} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
  });
}

test('hashing runs over UTF-16 code units, as GrowthBook in JavaScript', async () => {
  // GrowthBook's package exports these helpers only from its util module (not from its exports
  // map), so the reference implementation is loaded by file path.
  const util = await import(new URL('../../../node_modules/@growthbook/growthbook/dist/esm/util.mjs', import.meta.url).href);
  for (const value of ['zoë', 'Müller', '用户-42', '👋🏽 hi', 'e\u0301']) {
    for (const version of [1, 2]) {
      assert.equal(sl.hash('exp-1', value, version), util.hash('exp-1', value, version), `${value} v${version}`);
    }
    assert.equal(sl.inNamespace(value, ['ns', 0.2, 0.7]), util.inNamespace(value, ['ns', 0.2, 0.7]), value);
  }
  assert.equal(sl.hash('s', 'v', 3), null);
  assert.deepEqual(roundAll(sl.getBucketRanges(3, 0.5, [0.2, 0.3, 0.5])), roundAll(util.getBucketRanges(3, 0.5, [0.2, 0.3, 0.5])));
  assert.equal(sl.chooseVariation(0.4, [[0, 0.3], [0.3, 0.6]]), util.chooseVariation(0.4, [[0, 0.3], [0.3, 0.6]]));
  const url = 'https://shop.example/?exp-1=1&x=%20';
  assert.equal(sl.getQueryStringOverride('exp-1', url, 2), util.getQueryStringOverride('exp-1', url, 2));
});
