// The built module in a real browser (Debian's chromium through playwright-core): loaded by a page
// and by a module Web Worker, both under a CSP without 'unsafe-eval', from a local static server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { init } from '../../web/src/index.js';
import { rulesScenario } from './fixtures/scenario.js';
import { startStaticServer } from './static_server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const chromiumPath = process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium';

// Worked out by hand from the conditions in fixtures/scenario.js.
const expected = {
  inList: true,
  notInList: false,
  nested: true,
  compiledTrue: true,
  compiledFalse: false,
  error: { isStagelineError: true, code: 'unknown_operator', path: '$and[1].a' },
};

let server;

// Decisions must be the same in Chromium as in Node (where they are checked against GrowthBook and
// by hand in tests/js/rules/rules.test.js).
before(async () => {
  expected.decisions = rulesScenario(await init());
  assert.equal(new Set(expected.decisions).size > 3, true, 'the scenario exercises several outcomes');
});
let context;
let profileDir;

before(async () => {
  server = await startStaticServer(repoRoot);
  profileDir = await mkdtemp(join(tmpdir(), 'stageline-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

async function resultsOf(pagePath) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  try {
    await page.goto(`${server.url}/${pagePath}`);
    await page.waitForFunction(() => globalThis.stagelineResults !== undefined, null, { timeout: 20_000 });
    const results = await page.evaluate(() => globalThis.stagelineResults);
    assert.equal(results.failure, undefined, results.failure);
    assert.deepEqual(problems, []);
    return results;
  } finally {
    await page.close();
  }
}

test('a page imports web/src/index.js and evaluates conditions', async () => {
  assert.deepEqual(await resultsOf('tests/browser/fixtures/page.html'), expected);
});

test('a module Web Worker does the same', async () => {
  assert.deepEqual(await resultsOf('tests/browser/fixtures/worker.html'), { ...expected, inWorker: true });
});

test('the lean bundle (`stageline/lean`) finds its .wasm and decides the same, in a page and in a module worker', async () => {
  assert.deepEqual(await resultsOf('tests/browser/fixtures/page.html?entry=lean-bundle'), expected);
  assert.deepEqual(await resultsOf('tests/browser/fixtures/worker.html?entry=lean-bundle'), { ...expected, inWorker: true });
});

test('init({ wasmResponse }) over the page\'s or the worker\'s own fetch() decides the same, for both modules', async () => {
  for (const entry of ['full', 'lean-bundle']) {
    assert.deepEqual(await resultsOf(`tests/browser/fixtures/page.html?entry=${entry}&wasm=response`), expected, entry);
    assert.deepEqual(await resultsOf(`tests/browser/fixtures/worker.html?entry=${entry}&wasm=response`), { ...expected, inWorker: true }, entry);
  }
});
