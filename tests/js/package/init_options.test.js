// Where init() takes the .wasm from: its own file (read in Node), the bytes (`wasmBinary`), or a
// response the page fetched itself (`wasmResponse`, a Response or a promise of one, streamed when
// served as application/wasm); and a clear "load_failed" for a response that cannot be used,
// for both entries (the full module and the lean bundle).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { init as initFull, StagelineError } from '../../../web/src/index.js';
import { init as initLean, StagelineError as LeanStagelineError } from 'stageline/lean';

const ENTRIES = [
  { name: 'full', init: initFull, StagelineError, wasm: new URL('../../../web/dist/stageline.wasm', import.meta.url) },
  { name: 'lean', init: initLean, StagelineError: LeanStagelineError, wasm: new URL('../../../web/dist/stageline-lean.wasm', import.meta.url) },
];

// orders 3 >= 2: the "vip" rule applies; with orders 1 the slot's default does.
const RULES = {
  slots: { hero: { default: { headline: 'Welcome' } } },
  rules: [{ id: 'vip', slot: 'hero', when: { orders: { $gte: 2 } }, payload: { headline: 'Welcome back' } }],
};

/** A module instance decides: the proof that it was instantiated from the bytes it was given. */
function assertDecides(sl) {
  const engine = sl.rules(RULES);
  assert.equal(engine.decide('hero', { customerId: 'c1', profile: { orders: 3 } }).ruleId, 'vip');
  assert.equal(engine.decide('hero', { customerId: 'c1', profile: { orders: 1 } }).ruleId, null);
  engine.dispose();
}

/** The entry's init(options) rejects with load_failed and a message matching `message`. */
async function assertLoadFails(entry, options, message) {
  await assert.rejects(entry.init(options), (error) => {
    assert.ok(error instanceof entry.StagelineError, `expected a StagelineError, got ${error}`);
    assert.equal(error.code, 'load_failed');
    assert.match(error.message, message);
    return true;
  });
}

for (const entry of ENTRIES) {
  test(`${entry.name}: init() takes the .wasm as bytes, as a response streamed or read whole, and as a promise of one`, async () => {
    const bytes = await readFile(entry.wasm);
    assertDecides(await entry.init({ wasmBinary: bytes }));
    const wasmType = { headers: { 'content-type': 'application/wasm' } };
    assertDecides(await entry.init({ wasmResponse: new Response(bytes, wasmType) }));
    // Any other type is read whole (a server that does not know .wasm).
    assertDecides(await entry.init({ wasmResponse: new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }) }));
    assertDecides(await entry.init({ wasmResponse: Promise.resolve(new Response(bytes, wasmType)) }));
  });

  test(`${entry.name}: a response init() cannot use rejects with load_failed, saying why`, async () => {
    const notFound = new Response('not found', { status: 404 });
    await assertLoadFails(entry, { wasmResponse: notFound }, /HTTP status 404/);
    await assertLoadFails(entry, { wasmResponse: Promise.reject(new Error('offline')) }, /offline/);
    await assertLoadFails(entry, { wasmResponse: new Response('<html>', { headers: { 'content-type': 'text/html' } }) }, /WebAssembly/);
    await assertLoadFails(entry, { wasmResponse: 'stageline.wasm' }, /must be a Response/);
    const bytes = await readFile(entry.wasm);
    await assertLoadFails(entry, { wasmBinary: bytes, wasmResponse: new Response(bytes) }, /give one of wasmBinary, wasmResponse, wasmUrl/);
  });
}
