// Conditions through the built WebAssembly module and the public JS entry point (web/src/index.js).
// Expected values come from GrowthBook's cross-SDK conformance suite (../shared, skipped when
// absent), from GrowthBook's own evalCondition (the npm package) run on the same inputs, or are
// worked out by hand in the comments.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evalCondition as growthbookEvalCondition } from '@growthbook/growthbook';

import { init, StagelineError, CompiledCondition } from '../../../web/src/index.js';
import { loadModule } from '../../../web/src/load.js';

const casesPath = fileURLToPath(new URL('../../../../shared/conformance/growthbook-cases.json', import.meta.url));
const cases = existsSync(casesPath) ? JSON.parse(readFileSync(casesPath, 'utf8')).evalCondition : null;

let sl;
let rawModule;
before(async () => {
  sl = await init();
  rawModule = await loadModule();
});

function assertStagelineError(fn, code, path = '') {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof StagelineError, `expected a StagelineError, got ${error}`);
    assert.ok(error instanceof Error);
    assert.equal(error.code, code, error.message);
    assert.equal(error.path, path);
    return true;
  });
}

describe('GrowthBook conformance (evalCondition section)', () => {
  test('every case through sl.evalCondition', { skip: cases ? false : `no conformance file at ${casesPath}` }, () => {
    const failures = [];
    for (const [name, condition, attributes, expected, savedGroups] of cases) {
      let actual;
      try {
        actual = sl.evalCondition(attributes, condition, savedGroups);
      } catch (error) {
        actual = error;
      }
      if (actual !== expected) failures.push(`${name}: expected ${expected}, got ${actual}`);
    }
    console.log(`evalCondition (wasm): ${cases.length - failures.length} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
  });

  test('every case through the uncached evalCondition binding', { skip: cases ? false : 'no conformance file' }, () => {
    let failed = 0;
    for (const [name, condition, attributes, expected, savedGroups] of cases) {
      const result = rawModule.evalCondition(
        JSON.stringify(attributes), JSON.stringify(condition), savedGroups ? JSON.stringify(savedGroups) : '', 0);
      if (result.value !== expected) {
        failed += 1;
        console.log(`  ${name}: expected ${expected}, got ${JSON.stringify(result)}`);
      }
    }
    console.log(`evalCondition (wasm binding, uncached): ${cases.length - failed} passed, ${failed} failed`);
    assert.equal(failed, 0);
  });
});

describe('agreement with GrowthBook evalCondition (npm @growthbook/growthbook)', () => {
  const conditions = [
    { country: { $in: ['NL', 'BE'] } },
    { age: { $gte: 18, $lt: 65 } },
    { $or: [{ plan: 'pro' }, { seats: { $gt: 10 } }] },
    { $nor: [{ churned: true }] },
    { email: { $regex: '@example\\.(com|org)$' } },
    { tags: { $elemMatch: { $eq: 'beta' } } },
    { tags: { $size: 2 } },
    { version: { $vgte: '2.10.0' } },
    { 'address.city': { $exists: true } },
    { $not: { age: { $type: 'string' } } },
    { seats: '10' },
    { age: { $gt: '9' } },
  ];
  const people = [
    { country: 'NL', age: 30, plan: 'free', seats: 3, churned: false, email: 'a@example.com', tags: ['beta', 'x'], version: '2.9.9' },
    { country: 'DE', age: 70, plan: 'pro', seats: 12, churned: true, email: 'b@example.net', tags: ['alpha'], version: '2.10.0', address: { city: 'Berlin' } },
    { country: 'BE', age: '17', seats: '10', email: 'c@example.org', tags: [], version: '10.0.0', address: {} },
    {},
  ];

  test('same verdict for every condition × attributes pair', () => {
    for (const condition of conditions) {
      for (const attributes of people) {
        const expected = growthbookEvalCondition(attributes, condition);
        assert.equal(sl.evalCondition(attributes, condition), expected, `${JSON.stringify(condition)} on ${JSON.stringify(attributes)}`);
      }
    }
  });

  test('same verdicts after the compiled-condition cache has evicted entries', () => {
    // 600 distinct conditions (more than the cache holds), then the first ones again.
    const condition = (i) => ({ n: { $gt: i } });
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 600; i += 1) {
        const attributes = { n: 300 };
        assert.equal(sl.evalCondition(attributes, condition(i)), growthbookEvalCondition(attributes, condition(i)));
      }
    }
  });

  test('saved groups: $inGroup / $notInGroup', () => {
    const groups = { admins: [1, 2, 3] };
    for (const id of [1, 4]) {
      for (const condition of [{ id: { $inGroup: 'admins' } }, { id: { $notInGroup: 'admins' } }]) {
        assert.equal(sl.evalCondition({ id }, condition, groups), growthbookEvalCondition({ id }, condition, groups));
      }
    }
  });
});

describe('compiled conditions', () => {
  test('strict compile names the unknown operator and its JSON path', () => {
    assertStagelineError(() => sl.compileCondition({ $and: [{}, { a: { $gtee: 1 } }] }), 'unknown_operator', '$and[1].a');
    try {
      sl.compileCondition({ $and: [{}, { a: { $gtee: 1 } }] });
    } catch (error) {
      assert.match(error.message, /^\$and\[1\]\.a: .*\$gtee/);
      assert.equal(error.name, 'StagelineError');
    }
  });

  test('lenient compile and evalCondition treat an unknown operator as false (GrowthBook)', () => {
    const condition = { a: { $gtee: 1 } };
    const compiled = sl.compileCondition(condition, undefined, { strict: false });
    assert.equal(compiled.test({ a: 5 }), false);
    compiled.dispose();
    assert.equal(sl.evalCondition({ a: 5 }, condition), false);
  });

  test('test() answers, attributePaths lists what is read, dispose() ends the handle', () => {
    const compiled = sl.compileCondition({ $and: [{ 'father.age': { $gt: 65 } }, { name: 'santa' }] });
    assert.ok(compiled instanceof CompiledCondition);
    assert.equal(compiled.test({ name: 'santa', father: { age: 70 } }), true);  // 70 > 65, name equal
    assert.equal(compiled.test({ name: 'santa', father: { age: 65 } }), false); // 65 > 65 is false
    assert.equal(compiled.test({ father: { age: 70 } }), false);                // name undefined
    assert.deepEqual(compiled.attributePaths, ['father.age', 'name']);
    assert.equal(compiled.disposed, false);
    compiled.dispose();
    assert.equal(compiled.disposed, true);
    compiled.dispose();  // idempotent
    assertStagelineError(() => compiled.test({}), 'disposed');
    assertStagelineError(() => compiled.attributePaths, 'disposed');
  });

  test('Symbol.dispose disposes', () => {
    const compiled = sl.compileCondition({ a: 1 });
    compiled[Symbol.dispose]();
    assertStagelineError(() => compiled.test({ a: 1 }), 'disposed');
  });

  test('saved groups are bound at compile time; strict mode rejects an unknown group', () => {
    const compiled = sl.compileCondition({ id: { $inGroup: 'g' } }, { g: ['x'] });
    assert.equal(compiled.test({ id: 'x' }), true);
    assert.equal(compiled.test({ id: 'y' }), false);
    compiled.dispose();
    assertStagelineError(() => sl.compileCondition({ id: { $inGroup: 'missing' } }, {}), 'not_found', 'id.$inGroup');
  });

  test('options.at is the evaluation time of relative-time operators', () => {
    // Last seen 2024-01-10; at 2024-01-15 that is 5 days ago (within 7), at 2024-01-20 it is 10.
    const compiled = sl.compileCondition({ lastSeen: { $withinLastDays: 7 } });
    const attributes = { lastSeen: '2024-01-10T00:00:00Z' };
    assert.equal(compiled.test(attributes, { at: Date.UTC(2024, 0, 15) }), true);
    assert.equal(compiled.test(attributes, { at: new Date(Date.UTC(2024, 0, 20)) }), false);
    assertStagelineError(() => compiled.test(attributes, { at: NaN }), 'invalid_argument');
    compiled.dispose();
    const old = { lastSeen: { $olderThanDays: 7 } };
    assert.equal(sl.evalCondition(attributes, old, undefined, { at: Date.UTC(2024, 0, 20) }), true);
    assert.equal(sl.evalCondition(attributes, old, undefined, { at: Date.UTC(2024, 0, 15) }), false);
  });
});

describe('hostile input leaves the instance working', () => {
  const stillAnswers = () => {
    assert.equal(sl.evalCondition({ a: 2 }, { a: { $gt: 1 } }), true);
    assert.equal(sl.evalCondition({ a: 0 }, { a: { $gt: 1 } }), false);
  };

  test('malformed JSON text at the binding is an invalid_json error, not a crash', () => {
    const result = rawModule.evalCondition('{"a":', '{}', '', 0);
    assert.equal(result.error.code, 'invalid_json');
    assert.equal(result.value, undefined);
    const compiled = rawModule.compileCondition('{"a": [1, }', '', true);
    assert.equal(compiled.error.code, 'invalid_json');
    const handle = rawModule.compileCondition('{"a":1}', '', true).value;
    assert.equal(handle.test('not json', 0), -1);
    assert.equal(handle.lastError().code, 'invalid_json');
    assert.equal(handle.test('{"a":1}', 0), 1);
    handle.delete();
    assert.equal(rawModule.evalCondition('{"a":1}', '{"a":1}', '', 0).value, true);
  });

  test('values that are not JSON are invalid_argument', () => {
    const cyclic = {};
    cyclic.self = cyclic;
    assertStagelineError(() => sl.evalCondition(cyclic, {}), 'invalid_argument');
    assertStagelineError(() => sl.evalCondition({}, undefined), 'invalid_argument');
    assertStagelineError(() => sl.compileCondition({ a: 1n }), 'invalid_argument');
    assertStagelineError(() => sl.compileCondition({ a: 1 }, undefined, { strict: 'yes' }), 'invalid_argument');
    stillAnswers();
  });

  test('10,000-deep nesting is refused (limit_exceeded)', () => {
    let deep = 1;
    for (let i = 0; i < 10_000; i += 1) deep = { a: deep };
    assertStagelineError(() => sl.evalCondition(deep, { a: 1 }), 'limit_exceeded');
    assertStagelineError(() => sl.evalCondition({}, deep), 'limit_exceeded');
    assertStagelineError(() => sl.compileCondition(deep), 'limit_exceeded');
    const deepText = '['.repeat(10_000) + ']'.repeat(10_000);
    assert.equal(rawModule.evalCondition(deepText, '{}', '', 0).error.code, 'limit_exceeded');
    stillAnswers();
  });

  test('a 100 MB string is refused (limit_exceeded)', () => {
    const huge = 'x'.repeat(100 * 1024 * 1024);
    assertStagelineError(() => sl.evalCondition({ name: huge }, { name: 'x' }), 'limit_exceeded');
    assertStagelineError(() => sl.compileCondition({ name: huge }), 'limit_exceeded');
    stillAnswers();
  });

  test('a 17 MB text inside the module is refused by the core limit', () => {
    // Below the wrapper's UTF-16 check only because each "é" is 1 code unit but 2 UTF-8 bytes.
    const text = JSON.stringify({ name: 'é'.repeat(9 * 1024 * 1024) });
    assert.equal(rawModule.evalCondition(text, '{}', '', 0).error.code, 'limit_exceeded');
    assertStagelineError(() => sl.evalCondition({ name: 'é'.repeat(9 * 1024 * 1024) }, {}), 'limit_exceeded');
    stillAnswers();
  });
});
