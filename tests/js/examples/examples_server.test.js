// `npm start`'s server (examples/server.js), run as a user runs it: the URL it prints, the MIME
// types and Content-Security-Policy it answers with, the pages' links all resolving, nothing
// outside the repository or in dot-directories served, a clean exit on Ctrl-C (SIGINT) and SIGTERM,
// and clear errors for bad arguments. Expected headers are written out here by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const EXPECTED_POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
  + "worker-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Starts examples/server.js with `args` (killed when test `t` ends); `ready` resolves once it printed its URL. */
function startServer(t, args) {
  const child = spawn(process.execPath, ['examples/server.js', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => { output.stdout += chunk; });
  child.stderr.on('data', (chunk) => { output.stderr += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const ready = new Promise((resolve, reject) => {
    const look = () => {
      // The last line: printed after the signal handlers are installed.
      const match = /Stageline examples: (http:\/\/\S+)\/examples\/[^]*Press Ctrl-C to stop\./.exec(output.stdout);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', look);
    exited.then(({ code }) => reject(new Error(`server exited with ${code}: ${output.stderr}`)));
  });
  return { child, output, exited, ready };
}

/** A raw GET (no URL normalisation, no redirects followed). */
function get(base, path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Local href/src targets of an HTML file, resolved against its URL path. */
async function localLinks(file, urlPath) {
  const html = await readFile(new URL(file, new URL('../../../', import.meta.url)), 'utf8');
  const targets = [...html.matchAll(/\b(?:href|src)="([^"#]+)"/g)].map((match) => match[1]);
  return targets.filter((target) => !/^[a-z]+:/.test(target)).map((target) => new URL(target, `http://x${urlPath}`).pathname);
}

test('serves the examples with the right types and a strict CSP, and stops cleanly on Ctrl-C', async (t) => {
  const server = startServer(t, ['--port', '0']);
  const base = await server.ready;
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(server.output.stdout, /storefront: {2}http:\/\/127\.0\.0\.1:\d+\/examples\/shop\//);

  const root = await get(base, '/');
  assert.equal(root.status, 302);
  assert.equal(root.headers.location, '/examples/');
  const bare = await get(base, '/examples');
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.location, '/examples/');

  const index = await get(base, '/examples/');
  assert.equal(index.status, 200);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['content-security-policy'], EXPECTED_POLICY);
  assert.match(index.body, /href="shop\/"/);
  const shop = await get(base, '/examples/shop/');
  assert.equal(shop.headers['content-security-policy'], EXPECTED_POLICY);

  const types = {
    '/web/dist/stageline.wasm': 'application/wasm',
    '/web/src/index.js': 'text/javascript; charset=utf-8',
    '/examples/shop/shop.css': 'text/css; charset=utf-8',
    '/examples/shop/img/pack.svg': 'image/svg+xml',
    '/package.json': 'application/json; charset=utf-8',
  };
  for (const [path, type] of Object.entries(types)) {
    const response = await get(base, path, 'HEAD');
    assert.equal(response.status, 200, path);
    assert.equal(response.headers['content-type'], type, path);
    assert.equal(response.headers['content-security-policy'], undefined, `${path}: CSP is for pages`);
  }

  // The runtime's bare `import('idb')` is pointed at node_modules, as a bundler would.
  const storage = await get(base, '/web/src/tracker/storage/indexeddb.js');
  assert.match(storage.body, /import\('\/node_modules\/idb\/build\/index\.js'\)|from '\/node_modules\/idb\/build\/index\.js'/);
  assert.doesNotMatch(storage.body, /(from|import)\s*\(?\s*'idb'/);
  assert.equal((await get(base, '/node_modules/idb/build/index.js', 'HEAD')).status, 200);

  for (const [file, urlPath] of [['examples/index.html', '/examples/'], ['examples/shop/index.html', '/examples/shop/']]) {
    for (const link of await localLinks(file, urlPath)) {
      assert.equal((await get(base, link, 'HEAD')).status, 200, `${file} links to ${link}`);
    }
  }

  assert.equal((await get(base, '/.git/HEAD')).status, 404);
  assert.equal((await get(base, '/%2e%2e/%2e%2e/etc/passwd')).status, 404);
  assert.equal((await get(base, '/examples/missing.html')).status, 404);
  assert.equal((await get(base, '/favicon.ico')).status, 204, 'no icon, no console error');
  assert.equal((await get(base, '/examples/index.html', 'POST')).status, 405);
  assert.equal((await get(base, '/%E0%A4%A')).status, 400);

  server.child.kill('SIGINT');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  assert.match(server.output.stdout, /stopped/);
});

test('SIGTERM also exits 0', async (t) => {
  const server = startServer(t, ['--port', '0']);
  await server.ready;
  server.child.kill('SIGTERM');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});

test('a busy port falls back to a free one and says so', async (t) => {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const busy = blocker.address().port;
  try {
    const server = startServer(t, ['--port', String(busy)]);
    const base = await server.ready;
    assert.notEqual(new URL(base).port, String(busy));
    assert.match(server.output.stderr, new RegExp(`port ${busy} is in use; using a free port instead`));
    assert.equal((await get(base, '/examples/', 'HEAD')).status, 200);
    server.child.kill('SIGINT');
    assert.equal((await server.exited).code, 0);
  } finally {
    blocker.close();
  }
});

test('bad arguments exit 1 with a message naming them', async (t) => {
  for (const [args, message] of [
    [['--port', 'eighty'], /--port: expected a port number from 0 to 65535, got "eighty"/],
    [['--port', '70000'], /--port: expected a port number from 0 to 65535, got "70000"/],
    [['--verbose'], /unknown argument "--verbose"/],
  ]) {
    const server = startServer(t, args);
    await assert.rejects(server.ready);
    assert.equal((await server.exited).code, 1, args.join(' '));
    assert.match(server.output.stderr, message);
  }
});
