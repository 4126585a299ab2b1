// The differential fuzz of the condition engine, bounded: 20,000 random conditions and attribute
// documents (fixed seed) through sl.evalCondition and GrowthBook's own evalCondition, which is the
// reference here — every verdict must be the same. `npm run fuzz` runs a longer version
// (tests/fuzz/condition_differential.js); what the generator leaves out on purpose is listed there
// and in the README's "Hardening".

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init } from '../../../web/src/index.js';
import { runDifferential } from '../../fuzz/condition_differential.js';

let sl;
before(async () => {
  sl = await init();
});

test('20,000 random conditions give GrowthBook evalCondition\'s verdict', () => {
  const result = runDifferential(sl, { cases: 20_000, seed: 20_240_601 });
  console.log(`condition differential: ${result.agreed} agree, ${result.mismatchCount} mismatches, ` +
              `${result.growthbookThrew} where GrowthBook throws`);
  assert.deepEqual(result.mismatches, []);
  assert.equal(result.agreed + result.growthbookThrew, result.cases);
  // The generator must reach GrowthBook's verdicts both ways, or agreement would mean little.
  assert.ok(result.growthbookThrew < result.cases / 20);
});
