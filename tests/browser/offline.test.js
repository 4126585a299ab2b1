// Offline use of the examples (examples/sw.js) in Debian's Chromium through playwright-core: after
// one online visit of the dashboard the service worker controls the page and holds every file of
// the three pages; then the server is stopped and the browser put offline, and the dashboard must
// render the sample shop with the same KPI figures as online and the storefront (never opened
// online) must start and follow a visitor through a sign-up. A second test edits a precached file
// in a copy of the examples and checks the worker moves to a new cache and deletes the old one.
// Expected files and version come from examples/precache.js run here in Node on the same files;
// expected storefront texts are copied from examples/shop/rules.js (as in shop.test.js).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { precacheManifest } from '../../examples/precache.js';
import { BARE_IMPORTS } from '../../examples/static_server.js';
import { startStaticServer } from './static_server.js';
import { paintedPixels } from './canvas.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const chromiumPath = process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const CACHE_NAME = /^stageline-examples-[0-9a-f]{16}$/;

let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS });
});

after(async () => {
  await browser?.close();
});

/** A fresh context (its own service workers and caches) collecting page errors and CSP violations. */
async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-GB' });
  await context.addInitScript(() => {
    globalThis.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => globalThis.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => { if (['error', 'warning'].includes(message.type())) problems.push(`console: ${message.text()}`); });
  return { context, page, problems };
}

async function waitFor(page, state) {
  await page.waitForFunction((s) => [s, 'error'].includes(document.body.dataset.state), state, { timeout: 30_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), state, await page.textContent('#status'));
}

/** Resolves once a service worker controls the page (it claims open pages when it activates). */
function controlled(page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller === null) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    return navigator.serviceWorker.controller.scriptURL;
  });
}

/** The page's caches: name → the URL paths it holds, sorted. */
function cacheContents(page) {
  return page.evaluate(async () => {
    const contents = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      contents[name] = (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
    }
    return contents;
  });
}

/** The KPI cards as shown: id → { value (data-value), shown text, detail text }. */
const kpiCards = (page) => page.$$eval('#kpis .kpi', (items) => Object.fromEntries(items.map((li) => [li.dataset.kpi, {
  value: li.dataset.value, shown: li.querySelector('.kpi-value').textContent, detail: li.querySelector('.kpi-detail').textContent }])));


test('after one online visit, the dashboard and the storefront work with the server gone', async () => {
  const server = await startStaticServer(repoRoot);
  const { context, page, problems } = await freshPage();
  let serverClosed = false;
  try {
    await page.goto(`${server.url}/examples/dashboard/`);
    await waitFor(page, 'ready');
    const online = { summary: await page.textContent('#summary'), cards: await kpiCards(page) };
    assert.match(online.summary, /^sample shop/);
    assert.ok(Object.keys(online.cards).length >= 6);

    assert.equal(await controlled(page), `${server.url}/examples/sw.js`);
    const manifest = await precacheManifest(repoRoot, BARE_IMPORTS);
    assert.deepEqual(await cacheContents(page), { [`stageline-examples-${manifest.version}`]: manifest.urls });
    for (const needed of ['/examples/shop/', '/examples/dashboard/worker.js', '/examples/data/shop-generator.js', '/web/dist/stageline.wasm',
      '/web/src/tracker/storage/indexeddb.js', '/node_modules/idb/build/index.js', '/node_modules/echarts/dist/echarts.esm.min.mjs',
      '/web/dist/stageline-lean.min.js', '/web/dist/stageline-lean-tracker.min.js', '/web/dist/stageline-lean.wasm']) {
      assert.ok(manifest.urls.includes(needed), `${needed} is kept for offline use`);
    }

    await server.close();
    serverClosed = true;
    await context.setOffline(true);

    // The dashboard again: same sample, same figures, charts drawn.
    const fromWorker = [];
    page.on('response', (response) => fromWorker.push(response.fromServiceWorker()));
    await page.reload();
    await waitFor(page, 'ready');
    assert.equal(await page.textContent('#summary'), online.summary);
    assert.deepEqual(await kpiCards(page), online.cards);
    for (const id of ['chart-stages', 'chart-funnel', 'chart-sankey', 'chart-cohorts', 'chart-rfm']) {
      assert.ok(await paintedPixels(page, id) > 1000, `${id} is drawn offline`);
    }
    assert.ok(fromWorker.length > 0 && fromWorker.every(Boolean), 'every response came from the service worker');

    // The storefront, never opened online: a new visitor, then a sign-up (texts from rules.js).
    await page.goto(`${server.url}/examples/shop/?now=2026-03-02T12:00:00Z`);
    await waitFor(page, 'ready');
    assert.equal(await page.getAttribute('#stage-badge', 'data-stage'), 'awareness');
    assert.equal(await page.textContent('#hero-headline'), '15% off your first order');
    for (const action of ['visit', 'signup']) {
      const before = Number(await page.getAttribute('body', 'data-actions'));
      await page.click(`.simulator button[data-action="${action}"]`);
      await page.waitForFunction((n) => Number(document.body.dataset.actions) > n, before, { timeout: 20_000 });
    }
    assert.equal(await page.getAttribute('#stage-badge', 'data-stage'), 'onboarding');
    assert.equal(await page.textContent('#hero-headline'), 'Get the most out of your gear');
    assert.equal(await page.textContent('#offer'), 'Your WELCOME15 code is waiting: 15% off your first order');

    // And the index page.
    await page.goto(`${server.url}/examples/`);
    assert.equal(await page.textContent('h1'), 'Stageline examples');

    assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    if (!serverClosed) await server.close();
  }
});

test('an edited file gives a new cache, and the old one is deleted', async () => {
  // A copy of examples/ to edit, beside links to the rest of the repository.
  const root = await mkdtemp(join(tmpdir(), 'stageline-offline-'));
  await cp(join(repoRoot, 'examples'), join(root, 'examples'), { recursive: true });
  await symlink(join(repoRoot, 'web'), join(root, 'web'));
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  const server = await startStaticServer(root);
  const { context, page, problems } = await freshPage();
  try {
    await page.goto(`${server.url}/examples/shop/`);
    await waitFor(page, 'ready');
    await controlled(page);
    const first = await precacheManifest(root, BARE_IMPORTS);
    assert.deepEqual(Object.keys(await cacheContents(page)), [`stageline-examples-${first.version}`]);

    await appendFile(join(root, 'examples', 'shop', 'shop.css'), '\n/* edited */\n');
    const second = await precacheManifest(root, BARE_IMPORTS);
    assert.notEqual(second.version, first.version);
    assert.deepEqual(second.urls, first.urls);

    // What a navigation does (here asked for directly): the browser fetches sw.js and the manifest it imports, sees a change
    // and installs the new worker, which takes over and cleans up.
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      await registration.update();
      await changed;
    });
    // The page changes controller when the new worker becomes active, before its activate event
    // (which deletes the old cache) has run.
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      while (registration.active.state !== 'activated') {
        await new Promise((resolve) => registration.active.addEventListener('statechange', resolve, { once: true }));
      }
    });
    const contents = await cacheContents(page);
    assert.deepEqual(Object.keys(contents), [`stageline-examples-${second.version}`]);
    assert.match(Object.keys(contents)[0], CACHE_NAME);

    // The edited file is what the page gets now.
    await page.reload();
    await waitFor(page, 'ready');
    const css = await page.evaluate(async () => (await fetch('/examples/shop/shop.css')).text());
    assert.match(css, /\/\* edited \*\/\n$/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
