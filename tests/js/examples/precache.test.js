// examples/precache.js: which files the examples' service worker keeps for offline use, on a small
// tree written here whose reachable files are listed by hand, and when the version changes (an
// edit of a kept file) or stays (an edit of a file no page reaches). Also the server's
// /examples/sw-manifest.js answering with that manifest as a classic script.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { precacheManifest, PRECACHE_PAGES } from '../../../examples/precache.js';
import { BARE_IMPORTS, startStaticServer } from '../../../examples/static_server.js';

const FILES = {
  'examples/index.html': '<link rel="stylesheet" href="site.css"><a href="app/">app</a><a href="https://example.com/x.js">out</a>'
    + '<script type="module" src="sw-register.js"></script>',
  'examples/site.css': 'body { background: url("img/bg.svg"); }',
  'examples/img/bg.svg': '<svg/>',
  'examples/sw-register.js': "navigator.serviceWorker.register(new URL('./sw.js', import.meta.url));",
  'examples/sw.js': "importScripts('./sw-manifest.js');",
  'examples/app/index.html': '<link rel="icon" href="../favicon.svg"><script type="module" src="main.js"></script><a href="#top">top</a>',
  'examples/app/main.js': [
    '// e.g. import { x } from \'./missing.js\' — a comment naming no file',
    "import {\n  a,\n  b,\n} from './lib/a.js';",
    "import 'lib-side-effect';",
    "export { c } from '../shared/c.js';",
    "const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });",
    "const chart = await import('echarts');",
    "const fs = await import('node:fs/promises');",
    'const computed = await import(somewhere);',
    "import './lib/min.js';",
  ].join('\n'),
  'examples/app/lib/min.js': 'import{x as y}from"./min-dep.js";export*from"./min-star.js";console.log(y);',
  'examples/app/lib/min-dep.js': 'export const x=1;',
  'examples/app/lib/min-star.js': 'export const z=2;',
  'examples/app/lib/a.js': "import { openDB } from 'idb';\nexport const a = 1, b = 2;",
  'examples/app/worker.js': "const storage = await import('./storage.js');\nconst wasm = new URL('../../web/dist/m.wasm', import.meta.url);",
  'examples/app/storage.js': 'export {};',
  'examples/shared/c.js': 'export const c = 3;',
  'examples/unused.js': 'export const unused = true;',
  'web/dist/m.wasm': 'wasm bytes',
  'node_modules/idb/build/index.js': "export function openDB() {}\nimport('./not-followed.js');",
  'node_modules/echarts/dist/echarts.esm.min.mjs': 'export const init = () => {};',
};

// By hand: from examples/index.html and examples/app/index.html (examples/shop/ does not exist;
// lib/min.js is written as a minifier writes, without spaces around its import and export);
// favicon.svg is linked but missing, so left out; idb and echarts through the server's mapping.
const EXPECTED = [
  '/examples/', '/examples/app/', '/examples/app/lib/a.js', '/examples/app/lib/min-dep.js', '/examples/app/lib/min-star.js',
  '/examples/app/lib/min.js', '/examples/app/main.js', '/examples/app/storage.js',
  '/examples/app/worker.js', '/examples/img/bg.svg', '/examples/shared/c.js', '/examples/site.css', '/examples/sw-register.js',
  '/examples/sw.js', '/node_modules/echarts/dist/echarts.esm.min.mjs', '/node_modules/idb/build/index.js', '/web/dist/m.wasm',
];

async function tree(t) {
  const root = await mkdtemp(join(tmpdir(), 'stageline-precache-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const PAGES = ['/examples/', '/examples/app/', '/examples/shop/'];

test('keeps the pages and everything they link to or import, transitively, and nothing else', async (t) => {
  const root = await tree(t);
  const manifest = await precacheManifest(root, BARE_IMPORTS, PAGES);
  assert.deepEqual(manifest.urls, EXPECTED);
  assert.match(manifest.version, /^[0-9a-f]{16}$/);
});

test('the version follows the kept files\' contents only', async (t) => {
  const root = await tree(t);
  const first = await precacheManifest(root, BARE_IMPORTS, PAGES);
  assert.deepEqual(await precacheManifest(root, BARE_IMPORTS, PAGES), first, 'same files, same manifest');

  await appendFile(join(root, 'examples/unused.js'), '\n// edited');
  assert.equal((await precacheManifest(root, BARE_IMPORTS, PAGES)).version, first.version, 'a file no page reaches');

  await appendFile(join(root, 'web/dist/m.wasm'), '!');
  const second = await precacheManifest(root, BARE_IMPORTS, PAGES);
  assert.notEqual(second.version, first.version, 'the .wasm changed');
  assert.deepEqual(second.urls, first.urls);
});

test('the examples\' real pages: the three pages, the runtime, the worker, the WASM and the mapped packages', async () => {
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const { urls } = await precacheManifest(repoRoot, BARE_IMPORTS);
  for (const page of PRECACHE_PAGES) assert.ok(urls.includes(page), page);
  for (const file of ['/examples/sw.js', '/examples/sw-register.js', '/examples/dashboard/worker.js', '/examples/data/shop-generator.js',
    '/web/src/index.js', '/web/src/tracker/storage/indexeddb.js', '/web/dist/stageline.js', '/web/dist/stageline.wasm',
    BARE_IMPORTS.idb, BARE_IMPORTS.echarts,
    // The storefront's lean bundle, the tracker file it imports on the first createTracker() and its module.
    '/web/dist/stageline-lean.min.js', '/web/dist/stageline-lean-tracker.min.js', '/web/dist/stageline-lean.wasm']) {
    assert.ok(urls.includes(file), file);
  }
  // The lean sources and unbundled glue (inside the bundle), source maps and Node's CLI are no page's business.
  assert.ok(!urls.some((url) => ['/web/src/lean.js', '/web/dist/stageline-lean.js'].includes(url) || url.endsWith('.map')
    || url.startsWith('/examples/cli/')), urls.join(', '));
});

test('the server answers /examples/sw-manifest.js with the manifest as a script', async (t) => {
  const root = await tree(t);
  const server = await startStaticServer(root);
  t.after(() => server.close());
  const response = await fetch(`${server.url}/examples/sw-manifest.js`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const body = await response.text();
  const self = {};
  new Function('self', body)(self);
  // From the examples' pages; /examples/ links to app/, so the same files as above.
  assert.deepEqual(self.STAGELINE_PRECACHE, await precacheManifest(root, BARE_IMPORTS));
  assert.deepEqual(self.STAGELINE_PRECACHE.urls, EXPECTED);
  assert.equal((await fetch(`${server.url}/examples/sw-manifest.js`, { method: 'POST' })).status, 405);
});
