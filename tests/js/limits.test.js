// Times outside JavaScript's Date range are refused at the binding boundary (wasm/convert.hpp)
// with a clear error, rather than converted to an integer (undefined behaviour in C++ for values
// beyond ±2^63, and beyond ±8.64e15 ms no Date exists). The module keeps working afterwards.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init, StagelineError } from '../../web/src/index.js';

let sl;
before(async () => {
  sl = await init();
});

function assertAtRefused(fn) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof StagelineError, String(error));
    assert.equal(error.code, 'invalid_argument');
    assert.equal(error.path, 'at');
    assert.match(error.message, /Date range/);
    return true;
  });
}

test('evaluation times beyond ±8.64e15 ms are invalid_argument', () => {
  assertAtRefused(() => sl.evalCondition({ t: 1 }, { t: { $withinLastDays: 3 } }, null, { at: 1e300 }));
  assertAtRefused(() => sl.evalCondition({ t: 1 }, { t: 1 }, null, { at: -8.64e15 - 1 }));
  const condition = sl.compileCondition({ t: { $olderThanDays: 1 } });
  assertAtRefused(() => condition.test({ t: 0 }, { at: 2 ** 63 }));
  // The limits themselves are valid times (new Date(8.64e15) is the last one).
  assert.equal(condition.test({ t: 0 }, { at: 8.64e15 }), true);
  assert.equal(condition.test({ t: 0 }, { at: -8.64e15 }), false);
  condition.dispose();
  const model = sl.stageModel('classic');
  assertAtRefused(() => model.classify({ orders: 1 }, 9e15));
  model.dispose();
  assert.equal(sl.evalCondition({ n: 2 }, { n: { $gt: 1 } }), true);
});
