// A small dependency-free static file server for the examples and the browser tests: serves a
// directory (the repository root) with the MIME types module scripts and WebAssembly streaming
// need, and a strict Content-Security-Policy on HTML pages — no inline scripts or styles, no eval
// (the module is built with DYNAMIC_EXECUTION=0), WebAssembly compilation allowed.
//
//   const server = await startStaticServer(repoRoot, { port: 8080 });
//   console.log(server.url); … await server.close();

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// What a bundler or dev server does for bare imports: the runtime's one (idb, in
// web/src/storage/indexeddb.js) and the dashboard's charting library (ECharts' ESM build, no eval).
const BARE_IMPORTS = {
  idb: '/node_modules/idb/build/index.js',
  echarts: '/node_modules/echarts/dist/echarts.esm.min.mjs',
};
const BARE_IMPORT = /(\bfrom\s*|\bimport\s*)(['"])([^'"./][^'"]*)\2/g;

function resolveBareImports(source) {
  return source.replace(BARE_IMPORT, (whole, keyword, quote, name) => (
    BARE_IMPORTS[name] ? `${keyword}${quote}${BARE_IMPORTS[name]}${quote}` : whole));
}

/** Dot-files and dot-directories (.git, .env, …) are never served. */
function hidden(pathname) {
  return pathname.split('/').some((segment) => segment.startsWith('.') && segment.length > 0);
}

/**
 * Starts serving `root`; resolves to { url, port, close() }. `routes` maps a path to a
 * (request, response) handler (e.g. a collector) answering instead of a file. A directory is
 * served by its index.html (redirected to the trailing-slash URL first, so relative links work).
 * `port` 0 (the default) picks a free one; `host` defaults to 127.0.0.1 (this machine only).
 */
export async function startStaticServer(root, { routes = {}, port = 0, host = '127.0.0.1' } = {}) {
  const rootDir = resolve(root);
  const server = createServer(async (request, response) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (Object.hasOwn(routes, pathname)) {
      await routes[pathname](request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let file = resolve(rootDir, `.${pathname}`);
    if ((file !== rootDir && !file.startsWith(rootDir + sep)) || hidden(pathname)) {
      response.writeHead(404).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) {
        if (!pathname.endsWith('/')) {
          response.writeHead(301, { location: `${pathname}/` }).end();
          return;
        }
        file = resolve(file, 'index.html');
      }
      let body = await readFile(file);
      if (extname(file) === '.js') body = resolveBareImports(body.toString('utf8'));
      const headers = {
        'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      };
      if (extname(file) === '.html') headers['content-security-policy'] = PAGE_POLICY;
      response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
    } catch {
      // Browsers ask every origin for /favicon.ico; "no icon" keeps pages without one free of
      // console errors (pages with an icon link to it).
      response.writeHead(pathname === '/favicon.ico' ? 204 : 404).end();
    }
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const { port: boundPort } = server.address();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${boundPort}`,
    port: boundPort,
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections();
      server.close(resolveClose);
    }),
  };
}
