// The one way the Node tests check a thrown StagelineError.

import assert from 'node:assert/strict';

import { StagelineError } from '../../web/src/index.js';

/**
 * Asserts that `fn` throws a StagelineError with `code`, and with `path` and a message matching
 * `message` (a RegExp) when those are given.
 */
export function assertStagelineError(fn, code, path, message) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof StagelineError, `expected a StagelineError, got ${error}`);
    assert.equal(error.code, code, error.message);
    if (path !== undefined) assert.equal(error.path, path, error.message);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}
