// What the examples' service worker (sw.js) keeps for offline use, worked out on the server from
// the files themselves: starting at the three pages, every local file their HTML links to and,
// transitively, every module their scripts import (static and dynamic imports, `new URL('…',
// import.meta.url)` for workers and the .wasm), with bare imports resolved as the server maps them
// (idb, echarts: single-file bundles, kept as leaves). The version is a hash of all those files'
// contents, so any edit gives the worker a new cache name and the browser a new worker to install.
//
//   const { version, urls } = await precacheManifest(repoRoot, BARE_IMPORTS);

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/** The pages, as URL paths (a directory URL is served by its index.html). */
export const PRECACHE_PAGES = ['/examples/', '/examples/dashboard/', '/examples/shop/'];

// Only literal specifiers are followed: computed ones (Node-only paths in web/src/module_loader.js)
// are not the browser's business. Minified modules (web/dist/stageline-lean*.min.js) write
// `import{a as b}from"./x.js"` and `export*from"./x.js"`, without spaces.
const MODULE_REFERENCES = [
  /\b(?:import|export)(?=[\s{*])[^'";]*?\bfrom\s*(['"])([^'"]+)\1/g,
  /\bimport\s*(['"])([^'"]+)\1/g,
  /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
  /\bnew\s+URL\s*\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g,
];
const HTML_REFERENCES = [/\b(?:href|src)\s*=\s*(["'])([^"'#]+)\1/g];
const CSS_REFERENCES = [/\burl\(\s*(['"]?)([^'")]+)\1\s*\)/g];

function referencesIn(text, patterns) {
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[2]));
}

/** The file a URL path names under `rootDir` (a directory's index.html), or null outside it. */
function fileOf(rootDir, urlPath) {
  const file = resolve(rootDir, `.${decodeURIComponent(urlPath)}`);
  if (file !== rootDir && !file.startsWith(rootDir + sep)) return null;
  return urlPath.endsWith('/') ? resolve(file, 'index.html') : file;
}

async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Walks the pages' references under `rootDir`; `bareImports` maps bare module names to URL paths
 * (the server's mapping). Resolves to { version, urls } with the URL paths sorted. A reference to a
 * file that does not exist (e.g. an example in a comment) is left out rather than failing the
 * worker's install.
 */
export async function precacheManifest(rootDir, bareImports, pages = PRECACHE_PAGES) {
  const root = resolve(rootDir);
  const contents = new Map();  // URL path → file bytes
  const pending = [...pages];
  while (pending.length > 0) {
    const urlPath = pending.pop();
    if (contents.has(urlPath)) continue;
    const file = fileOf(root, urlPath);
    if (file === null || !(await isFile(file))) continue;
    const bytes = await readFile(file);
    contents.set(urlPath, bytes);
    const type = extname(file);
    const isModule = type === '.js';
    const patterns = type === '.html' ? HTML_REFERENCES : type === '.css' ? CSS_REFERENCES : isModule ? MODULE_REFERENCES : null;
    if (patterns === null) continue;
    const base = new URL(urlPath, 'http://origin');
    for (const reference of referencesIn(bytes.toString('utf8'), patterns)) {
      // In HTML and CSS a plain name is relative; in a module it is bare (a package).
      const relative = isModule ? /^\.{0,2}\//.test(reference) : !/^[a-z][a-z0-9+.-]*:/i.test(reference);
      if (isModule && Object.hasOwn(bareImports, reference)) {
        pending.push(bareImports[reference]);
      } else if (relative) {
        const target = new URL(reference, base);
        if (target.origin === base.origin) pending.push(target.pathname);
      }
    }
  }
  const urls = [...contents.keys()].sort();
  const hash = createHash('sha256');
  for (const urlPath of urls) hash.update(`${urlPath}\0${contents.get(urlPath).length}\0`).update(contents.get(urlPath));
  return { version: hash.digest('hex').slice(0, 16), urls };
}
