// The offline-first runtime (sl.createTracker) in Debian's Chromium through playwright-core, on
// pages served from 127.0.0.1 under a strict CSP, syncing to the reference collector
// (examples/collector/collector.js) mounted on the same server at /collect. Expected values are
// what each test tracked; hashed ids are recomputed with node:crypto.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { createCollector } from '../../examples/collector/collector.js';
import { startStaticServer } from './static_server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const chromiumPath = process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
// Short delays so retries happen within the test's time.
const FAST_SYNC = { url: '/collect', flushDelayMs: 20, backoffBaseMs: 40, backoffMaxMs: 300, timeoutMs: 400 };

let server;
let context;
let scratch;
const collectorRoute = { handle: null, requests: 0 };

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function launch(dir) {
  return chromium.launchPersistentContext(dir, { executablePath: chromiumPath, headless: true, args: ARGS });
}

let collectors = 0;
function newCollector() {
  const collector = createCollector({ file: join(scratch, `collected-${++collectors}.ndjson`) });
  collectorRoute.handle = collector.handle;
  collectorRoute.requests = 0;
  return collector;
}

async function openRuntime(ctx, options) {
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  await loadRuntime(page, options);
  return page;
}

async function loadRuntime(page, options) {
  const response = await page.goto(`${server.url}/tests/browser/fixtures/runtime.html?options=${encodeURIComponent(JSON.stringify(options))}`);
  await page.waitForFunction(() => globalThis.runtimeReady !== undefined, null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => globalThis.runtimeReady), true);
  return response;
}

/** Records in each object store of database `name`, read with plain IndexedDB (null when the database does not exist). */
function storeCounts(page, name) {
  return page.evaluate(async (dbName) => {
    if (!(await indexedDB.databases()).some((db) => db.name === dbName)) return null;
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const counts = {};
    for (const store of db.objectStoreNames) {
      counts[store] = await new Promise((resolve) => {
        const request = db.transaction(store).objectStore(store).count();
        request.onsuccess = () => resolve(request.result);
      });
    }
    db.close();
    return counts;
  }, name);
}

const events = (collector) => collector.lines().filter((line) => line.kind === 'event');

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stageline-runtime-'));
  server = await startStaticServer(repoRoot, {
    routes: {
      '/collect': async (request, response) => {
        collectorRoute.requests += 1;
        await collectorRoute.handle(request, response);
      },
    },
  });
  context = await launch(join(scratch, 'profile'));
});

after(async () => {
  await context?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('events tracked offline reach the collector exactly once after reconnecting', async () => {
  const collector = newCollector();
  const page = await openRuntime(context, { storage: { name: 'offline' }, sync: FAST_SYNC });
  await context.setOffline(true);
  const tracked = await page.evaluate(async () => {
    const ids = [];
    for (const type of ['visit', 'signup', 'purchase', 'visit', 'page_view']) {
      ids.push((await lc.track(type, type === 'purchase' ? { value: 12.5 } : undefined)).id);
    }
    await lc.flush();
    return { ids, anonymousId: lc.anonymousId };
  });
  await sleep(300);
  assert.equal(events(collector).length, 0);
  assert.equal((await storeCounts(page, 'offline')).outbox, 5);

  await context.setOffline(false);
  await waitFor(() => events(collector).length === 5, 'five events at the collector');
  await waitFor(async () => (await storeCounts(page, 'offline')).outbox === 0, 'an empty outbox');
  await sleep(300);  // nothing more arrives
  const lines = events(collector);
  assert.deepEqual(lines.map((line) => line.id).sort(), [...tracked.ids].sort());
  assert.deepEqual(lines.map((line) => line.type), ['visit', 'signup', 'purchase', 'visit', 'page_view']);
  assert.ok(lines.every((line) => line.customerId === sha256(tracked.anonymousId)));  // hashed before sync
  assert.equal(lines[2].value, 12.5);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('profile, stage and timeline survive a reload and a browser restart', async () => {
  const dir = join(scratch, 'restart');
  let ctx = await launch(dir);
  const options = { storage: { name: 'persist' }, stageModel: 'classic' };
  let page = await openRuntime(ctx, options);
  await page.evaluate(async () => {
    await lc.track('visit');
    await lc.track('signup');
    await lc.track('purchase', { value: 30 });
    await lc.identify('c-7', { plan: 'pro' });
  });
  const snapshot = () => page.evaluate(() => {
    const { tenureDays, daysSinceLastSeen, daysSinceLastOrder, ...profile } = lc.profile();
    return { customerId: lc.customerId, stage: lc.stage(), timeline: lc.timeline(), profile,
      stagechanges: trackerEvents.filter((e) => e.type === 'stagechange').length };
  });
  const first = await snapshot();
  // classic: signup → acquisition; first order within 30 days → onboarding.
  assert.equal(first.stage.stage, 'onboarding');
  assert.deepEqual(first.timeline.map((t) => t.stage), ['awareness', 'acquisition', 'onboarding']);
  assert.equal(first.stagechanges, 2);
  assert.equal(first.profile.orders, 1);
  assert.equal(first.profile.revenue, 30);
  assert.equal(first.profile.events, 4);
  assert.deepEqual(first.profile.traits, { plan: 'pro' });

  await loadRuntime(page, options);  // reload
  assert.deepEqual(await snapshot(), { ...first, stagechanges: 0 });
  await ctx.close();

  ctx = await launch(dir);  // restart with the same profile directory
  page = await openRuntime(ctx, options);
  assert.deepEqual(await snapshot(), { ...first, stagechanges: 0 });
  await page.evaluate(() => lc.track('purchase', { value: 5 }));
  assert.equal(await page.evaluate(() => lc.profile().orders), 2);
  await ctx.close();
});

test('frequency caps persist across a reload and a browser restart', async () => {
  const dir = join(scratch, 'caps');
  const options = {
    storage: { name: 'caps' },
    rules: {
      slots: { hero: { default: { text: 'Welcome' } } },
      rules: [{ id: 'promo', slot: 'hero', payload: { text: 'Ten percent off' }, frequencyCap: { max: 2, windowDays: 7 } }],
    },
  };
  const decide = (page) => page.evaluate(async () => (await lc.decide('hero')).ruleId);
  let ctx = await launch(dir);
  let page = await openRuntime(ctx, options);
  assert.deepEqual([await decide(page)], ['promo']);
  await loadRuntime(page, options);
  assert.deepEqual([await decide(page), await decide(page)], ['promo', null]);  // the cap is 2
  await ctx.close();
  ctx = await launch(dir);
  page = await openRuntime(ctx, options);
  assert.equal(await decide(page), null);
  const held = await page.evaluate(() => lc.export());
  assert.equal(held.exposures[0].history.length, 2);
  await ctx.close();
});

test('two tabs tracking at once lose no event and count none twice', async () => {
  const collector = newCollector();
  const options = { storage: { name: 'tabs' }, sync: FAST_SYNC };
  const a = await openRuntime(context, options);
  const b = await openRuntime(context, options);
  const burst = (tab, value) => tab.evaluate(async ([tabValue, n]) => {
    await Promise.all(Array.from({ length: n }, () => lc.track('purchase', { value: tabValue })));
  }, [value, 40]);
  await Promise.all([burst(a, 1), burst(b, 2)]);

  const c = await openRuntime(context, options);
  const profile = await c.evaluate(() => lc.profile());
  assert.equal(profile.orders, 80);
  assert.equal(profile.events, 80);
  assert.equal(profile.revenue, 40 * 1 + 40 * 2);
  assert.equal((await storeCounts(c, 'tabs')).events, 80);
  // The other tabs follow through BroadcastChannel.
  await waitFor(async () => (await a.evaluate(() => lc.profile().orders)) === 80, 'tab a to see 80 orders');
  await waitFor(() => events(collector).length === 80, '80 events at the collector');
  await waitFor(async () => (await storeCounts(c, 'tabs')).outbox === 0, 'an empty outbox');
  await sleep(300);
  assert.equal(new Set(events(collector).map((line) => line.id)).size, 80);
  assert.equal(events(collector).length, 80);
  for (const tab of [a, b, c]) await tab.close();
});

test('collector 500s and timeouts: retried with backoff, nothing lost, nothing duplicated', async () => {
  const collector = newCollector();
  let calls = 0;
  collectorRoute.handle = async (request, response) => {
    calls += 1;
    if (calls <= 2) {
      response.writeHead(500).end();
    } else if (calls === 3) {
      // Stores the batch but never answers: the page times out and sends it again.
      await collector.handle(request, { writeHead: () => ({ end() {} }) });
    } else {
      await collector.handle(request, response);
    }
  };
  const page = await openRuntime(context, { storage: { name: 'flaky' }, sync: { ...FAST_SYNC, batchSize: 4 } });
  const ids = await page.evaluate(async () => {
    const tracked = [];
    for (let i = 0; i < 10; i++) tracked.push((await lc.track('step', { n: i })).id);
    return tracked;
  });
  await waitFor(() => events(collector).length === 10, 'ten events at the collector');
  await waitFor(async () => (await storeCounts(page, 'flaky')).outbox === 0, 'an empty outbox');
  await sleep(300);
  const lines = events(collector);
  assert.deepEqual(lines.map((line) => line.id).sort(), [...ids].sort());
  assert.deepEqual(lines.map((line) => line.properties.n).sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const failures = await page.evaluate(() => trackerEvents.filter((e) => e.type === 'error').map((e) => e.detail));
  assert.ok(failures.filter((f) => /HTTP 500/.test(f.message)).length >= 2, JSON.stringify(failures));
  assert.ok(failures.some((f) => /no answer within 400 ms/.test(f.message)), JSON.stringify(failures));
  assert.ok(failures.every((f) => f.code === 'sync_failed' && f.retryInMs > 0));
  await page.close();
});

test("consent 'required': nothing stored or sent before consent; forget() leaves nothing", async () => {
  const collector = newCollector();
  const page = await openRuntime(context, { consent: 'required', storage: { name: 'consent' }, sync: FAST_SYNC });
  assert.equal(await page.evaluate(async () => [await lc.track('visit'), await lc.track('purchase', { value: 3 })].join()), ',');
  await sleep(200);
  assert.equal(await storeCounts(page, 'consent'), null);  // no database at all
  assert.equal(await page.evaluate(() => [lc.storage, lc.consent].join()), 'none,pending');
  assert.equal(collectorRoute.requests, 0);

  const anonymousId = await page.evaluate(async () => {
    await lc.grantConsent();
    await lc.track('visit');
    await lc.track('purchase', { value: 3 });
    return lc.anonymousId;
  });
  await waitFor(() => events(collector).length === 2, 'two events at the collector');

  await page.evaluate(() => lc.forget());
  // The collector erased the visitor's events and keeps the erasure record; locally nothing is left.
  await waitFor(() => collector.lines().length === 1 && collector.lines()[0].kind === 'erasure', 'the erasure');
  assert.deepEqual(collector.lines()[0].customerIds, [sha256(anonymousId)]);
  await waitFor(async () => (await storeCounts(page, 'consent')).outbox === 0, 'the erasure to be acknowledged');
  assert.deepEqual(await storeCounts(page, 'consent'), { events: 0, exposures: 0, meta: 0, outbox: 0, profiles: 0 });
  // The database stays open (empty) to deliver the erasure; consent is pending again.
  assert.equal(await page.evaluate(() => [lc.storage, lc.consent, lc.profile().events].join()), 'indexeddb,pending,0');
  assert.equal(await page.evaluate(() => lc.track('visit')), null);

  // Without sync, forget() deletes the database itself.
  await loadRuntime(page, { consent: 'required', storage: { name: 'consent-local' } });
  await page.evaluate(async () => {
    await lc.grantConsent();
    await lc.track('visit');
  });
  assert.equal((await storeCounts(page, 'consent-local')).profiles, 1);
  const exported = await page.evaluate(() => lc.export());
  assert.deepEqual(exported.events.map((r) => r.event.type), ['visit']);
  assert.equal(exported.profiles[0].profile.events, 1);
  await page.evaluate(() => lc.forget());
  assert.equal(await storeCounts(page, 'consent-local'), null);
  await page.close();
});

test('a page under a strict CSP (no unsafe-eval) loads and runs the runtime', async () => {
  const page = await context.newPage();
  const response = await loadRuntime(page, { storage: { name: 'csp' } });
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy, /unsafe-eval'[^]*unsafe-eval|'unsafe-eval'/);
  const result = await page.evaluate(async () => {
    await lc.track('signup');
    return { stage: lc.stage().stage, storage: lc.storage, violations: cspViolations };
  });
  assert.deepEqual(result, { stage: 'acquisition', storage: 'indexeddb', violations: [] });
  await page.close();
});

test('corrupted records are reported and skipped; without IndexedDB the fallback is reported', async () => {
  const page = await openRuntime(context, { storage: { name: 'corrupt' } });
  await page.evaluate(() => lc.track('purchase', { value: 9 }));
  // Overwrite the profile record with one from a "newer" build.
  await page.evaluate(async () => {
    const key = lc.anonymousId;
    const db = await new Promise((resolve) => { const r = indexedDB.open('corrupt'); r.onsuccess = () => resolve(r.result); });
    await new Promise((resolve) => {
      const tx = db.transaction('profiles', 'readwrite');
      tx.objectStore('profiles').put({ key, v: 99, something: 'else' });
      tx.oncomplete = resolve;
    });
    db.close();
  });
  await loadRuntime(page, { storage: { name: 'corrupt' } });
  const after = await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const errors = trackerEvents.filter((e) => e.type === 'error').map((e) => e.detail);
    await lc.track('visit');
    return { errors, events: lc.profile().events };
  });
  assert.equal(after.errors.length, 1);
  assert.equal(after.errors[0].code, 'corrupt_record');
  assert.equal(after.errors[0].store, 'profiles');
  assert.match(after.errors[0].message, /expected record version 1, got 99/);
  assert.equal(after.events, 1);  // a fresh profile replaced the unreadable one

  // A database of a newer schema version cannot be opened: memory, reported.
  await page.evaluate(async () => {
    await new Promise((resolve) => { const r = indexedDB.open('future', 99); r.onsuccess = () => { r.result.close(); resolve(); }; });
  });
  await loadRuntime(page, { storage: { name: 'future' } });
  const future = await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { storage: lc.storage, errors: trackerEvents.filter((e) => e.type === 'error').map((e) => e.detail) };
  });
  assert.equal(future.storage, 'memory');
  assert.equal(future.errors[0].code, 'storage_unavailable');
  assert.match(future.errors[0].message, /VersionError/);

  // No IndexedDB at all (as in some private modes).
  const bare = await context.newPage();
  await bare.addInitScript(() => { Object.defineProperty(globalThis, 'indexedDB', { get() { throw new Error('disabled'); } }); });
  await loadRuntime(bare, { storage: { name: 'none' } });
  const none = await bare.evaluate(async () => {
    await lc.track('signup');
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { storage: lc.storage, stage: lc.stage().stage, codes: trackerEvents.filter((e) => e.type === 'error').map((e) => e.detail.code) };
  });
  assert.deepEqual(none, { storage: 'memory', stage: 'acquisition', codes: ['storage_unavailable'] });
  await page.close();
  await bare.close();
});

test('a module Web Worker tracks into the same database the page restores', async () => {
  const page = await openRuntime(context, { storage: { name: 'worker-db' } });
  const fromWorker = await page.evaluate(() => new Promise((resolve) => {
    const worker = new Worker('./runtime_worker.js', { type: 'module' });
    worker.onmessage = ({ data }) => { worker.terminate(); resolve(data); };
    worker.onerror = (e) => resolve({ failure: e.message });
    worker.postMessage({ options: { storage: { name: 'worker-db' } }, track: ['visit', 'signup', 'purchase'] });
  }));
  assert.equal(fromWorker.failure, undefined, fromWorker.failure);
  assert.equal(fromWorker.storage, 'indexeddb');
  assert.equal(fromWorker.events, 3);
  assert.equal(fromWorker.stage, 'onboarding');
  await loadRuntime(page, { storage: { name: 'worker-db' } });
  assert.deepEqual(await page.evaluate(() => [lc.anonymousId, lc.profile().events, lc.stage().stage]),
    [fromWorker.anonymousId, 3, 'onboarding']);
  await page.close();
});

test('a module SharedWorker serves one tracker to two tabs; a page restores what it stored', async () => {
  const options = { storage: { name: 'shared-db' } };
  const ask = (page, track) => page.evaluate(({ options: trackerOptions, track: types }) => new Promise((resolve) => {
    globalThis.sharedTracker ??= new SharedWorker('./runtime_shared_worker.js', { type: 'module', name: 'tracker' });
    const { port } = globalThis.sharedTracker;
    port.onmessage = ({ data }) => resolve(data);
    globalThis.sharedTracker.onerror = (e) => resolve({ failure: e.message ?? 'SharedWorker error' });
    port.postMessage({ options: trackerOptions, track: types });
  }), { options, track });
  const first = await openRuntime(context, { storage: { backend: 'memory' } });
  const second = await openRuntime(context, { storage: { backend: 'memory' } });
  const a = await ask(first, ['visit']);
  assert.equal(a.failure, undefined, a.failure);
  assert.equal(a.storage, 'indexeddb');
  const b = await ask(second, ['signup', 'purchase']);
  // One tracker: the second tab's answer counts the first tab's visit too (visit, signup, purchase).
  assert.deepEqual([b.events, b.stage, b.anonymousId], [3, 'onboarding', a.anonymousId]);
  assert.equal((await ask(first, [])).events, 3);
  await second.close();
  await loadRuntime(first, options);
  assert.deepEqual(await first.evaluate(() => [lc.anonymousId, lc.profile().events, lc.stage().stage]),
    [a.anonymousId, 3, 'onboarding']);
  await first.close();
});

test('renderPayload inserts payloads as text, HTML only through a sanitizer', async () => {
  const page = await openRuntime(context, { storage: { backend: 'memory' } });
  const result = await page.evaluate(() => {
    const slot = document.getElementById('slot');
    renderPayload(slot, '<img src=x onerror="window.pwned = 1">');
    const asText = { text: slot.textContent, children: slot.children.length };
    let refused = null;
    try {
      renderPayload(slot, { html: '<b>hi</b>' });
    } catch (error) {
      refused = error.message;
    }
    renderPayload(slot, { html: '<b>hi</b><script>x()</script>' }, { sanitize: (html) => html.replace(/<script>.*<\/script>/, '') });
    return { asText, refused, sanitized: slot.innerHTML, pwned: globalThis.pwned ?? null };
  });
  assert.deepEqual(result.asText, { text: '<img src=x onerror="window.pwned = 1">', children: 0 });
  assert.match(result.refused, /needs options\.sanitize/);
  assert.equal(result.sanitized, '<b>hi</b>');
  assert.equal(result.pwned, null);
  await page.close();
});

test('a page hidden before its send beacons the unsent events; the next visit resends them and the collector keeps one copy', async () => {
  const collector = newCollector();
  // A flush delay far beyond the test: only the beacon can send before the page goes away.
  const slow = { storage: { name: 'beacon' }, sync: { ...FAST_SYNC, flushDelayMs: 600_000 } };
  const page = await openRuntime(context, slow);
  const ids = await page.evaluate(async () => {
    const tracked = [];
    for (const type of ['visit', 'signup', 'purchase']) tracked.push((await lc.track(type)).id);
    return tracked;
  });
  await waitFor(async () => (await storeCounts(page, 'beacon')).outbox === 3, 'three entries in the outbox');
  assert.equal(collectorRoute.requests, 0);

  await page.goto('about:blank');  // pagehide: the tracker hands its unsent entries to sendBeacon
  await waitFor(() => events(collector).length === 3, 'the beacon at the collector');
  assert.equal(collectorRoute.requests, 1);
  assert.deepEqual(events(collector).map((line) => line.id), ids);

  // A beacon has no answer, so the entries stayed in the outbox: the next visit sends them again.
  await loadRuntime(page, { ...slow, sync: FAST_SYNC });
  await waitFor(async () => (await storeCounts(page, 'beacon')).outbox === 0, 'an empty outbox after the resend');
  assert.ok(collectorRoute.requests >= 2, `${collectorRoute.requests} requests`);
  assert.deepEqual(events(collector).map((line) => line.id), ids);  // the copies were dropped by id
  assert.deepEqual(page.problems, []);
  await page.close();
});
