// The examples' service worker: after the first visit the index, the dashboard and the storefront
// work offline. It keeps every file the pages need (their HTML, CSS and modules, web/src, the
// WebAssembly glue and .wasm, idb and ECharts, the dashboard's worker and the sample generator) in
// a cache named after a hash of their contents, answers those from the cache first, and leaves every
// other request to the network. The list and the hash come from the server (sw-manifest.js, see
// precache.js); when a file changes the manifest changes, the browser installs this worker anew, and
// the new worker fills a new cache and deletes the old one. It lives at the examples' root so that
// its scope (/examples/) covers all three pages and the dashboard's worker.

/* global STAGELINE_PRECACHE */
importScripts('./sw-manifest.js');

const CACHE_PREFIX = 'stageline-examples-';
const CACHE_NAME = `${CACHE_PREFIX}${STAGELINE_PRECACHE.version}`;
const PRECACHED = new Set(STAGELINE_PRECACHE.urls.map((path) => new URL(path, self.location.href).href));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE_NAME);
    // 'reload': straight from the server, never a stale HTTP-cache copy.
    await cache.addAll(STAGELINE_PRECACHE.urls.map((path) => new Request(path, { cache: 'reload' })));
    // A new version takes over at once (open pages keep the files they already loaded).
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

/** The precached URL a request is for, or null. Pages are matched without their query (?now=…). */
function precachedUrl(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  if (request.mode === 'navigate') url.search = '';
  url.hash = '';
  return PRECACHED.has(url.href) ? url.href : null;
}

self.addEventListener('fetch', (event) => {
  const url = precachedUrl(event.request);
  if (url === null) return;  // the network, as without a worker
  event.respondWith((async () => {
    const cached = await (await caches.open(CACHE_NAME)).match(url);
    return cached ?? fetch(event.request);
  })());
});
