// A tiny static file server for the browser tests: serves the repository root on 127.0.0.1 at a
// random port, with the MIME types module scripts and WebAssembly streaming need, and a strict
// Content-Security-Policy on HTML pages (no eval: the module is built with DYNAMIC_EXECUTION=0).

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

const PAGE_POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";

// What a bundler or dev server does for the runtime's one bare import (web/src/storage/indexeddb.js).
const BARE_IMPORTS = { idb: '/node_modules/idb/build/index.js' };
const BARE_IMPORT = /(\bfrom\s*|\bimport\s*)(['"])([^'"./][^'"]*)\2/g;

function resolveBareImports(source) {
  return source.replace(BARE_IMPORT, (whole, keyword, quote, name) => (
    BARE_IMPORTS[name] ? `${keyword}${quote}${BARE_IMPORTS[name]}${quote}` : whole));
}

/**
 * Starts serving `root`; resolves to { url, close() }. `routes` maps a path to a
 * (request, response) handler (e.g. a collector) answering instead of a file.
 */
export async function startStaticServer(root, { routes = {} } = {}) {
  const rootDir = resolve(root);
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (Object.hasOwn(routes, pathname)) {
      await routes[pathname](request, response);
      return;
    }
    const file = resolve(rootDir, `.${pathname}`);
    if (file !== rootDir && !file.startsWith(rootDir + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      let body = await readFile(file);
      if (extname(file) === '.js') body = resolveBareImports(body.toString('utf8'));
      const type = MIME_TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      if (extname(file) === '.html') headers['content-security-policy'] = PAGE_POLICY;
      response.writeHead(200, headers).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections();
      server.close(resolveClose);
    }),
  };
}
