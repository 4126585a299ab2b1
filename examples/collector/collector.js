#!/usr/bin/env node
// A tiny reference collector for the browser runtime's sync (web/src/tracker/sync.js): plain node:http, no
// framework. Appends each event to an NDJSON file once, however often it arrives (the runtime
// resends until acknowledged, and beacons repeat what a later POST sends again), honours erasure
// requests by removing the customer's events, and acknowledges the ids it has durably stored.
//
//   node examples/collector/collector.js --port 8787 --file events.ndjson [--origin https://shop.example]
//
// Protocol: POST a body {"batch": [entry, ...]} (any content type: beacons send text/plain);
// answers 200 {"acknowledged": [id, ...], "rejected": [{index, message}]}.
// entry: {id, kind: "event", customerId, type, timestamp, value?, properties?, anonymousId?}
//      | {id, kind: "erasure", customerIds: [...], requestedAt}

import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const MAX_BODY_BYTES = 1 << 20;

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error(`body larger than ${MAX_BODY_BYTES} bytes`), { status: 413 }));
        request.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Why `entry` cannot be stored, or null. */
function entryProblem(entry) {
  if (entry === null || typeof entry !== 'object') return 'expected an object';
  if (typeof entry.id !== 'string' || entry.id.length === 0) return 'id: expected a non-empty string';
  if (entry.kind === 'event') {
    if (typeof entry.customerId !== 'string') return 'customerId: expected a string';
    if (typeof entry.type !== 'string' || entry.type.length === 0) return 'type: expected a non-empty string';
    if (typeof entry.timestamp !== 'string' || Number.isNaN(Date.parse(entry.timestamp))) return 'timestamp: expected an ISO-8601 string';
    return null;
  }
  if (entry.kind === 'erasure') {
    if (!Array.isArray(entry.customerIds) || !entry.customerIds.every((id) => typeof id === 'string')) {
      return 'customerIds: expected an array of strings';
    }
    return null;
  }
  return `kind: expected "event" or "erasure", got ${JSON.stringify(entry.kind)}`;
}

/**
 * A collector writing to `file` (NDJSON: one stored event per line, erasure records too).
 * Returns { handle(request, response), lines() }; `origin` is sent as Access-Control-Allow-Origin.
 */
export function createCollector({ file, origin = '*' }) {
  const seen = new Set();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() !== '') seen.add(JSON.parse(line).id);
    }
  }

  const lines = () => (existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line))
    : []);

  function store(entry, receivedAt) {
    if (seen.has(entry.id)) return;  // a retry or a beacon's copy: already stored once
    if (entry.kind === 'erasure') {
      const erase = new Set(entry.customerIds);
      const kept = lines().filter((line) => line.kind !== 'event'
        || (!erase.has(line.customerId) && !erase.has(line.anonymousId)));
      writeFileSync(file, kept.map((line) => `${JSON.stringify(line)}\n`).join(''));
    }
    appendFileSync(file, `${JSON.stringify({ ...entry, receivedAt })}\n`);
    seen.add(entry.id);
  }

  async function handle(request, response) {
    const cors = { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST' };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { ...cors, allow: 'POST' }).end();
      return;
    }
    let batch;
    try {
      batch = JSON.parse(await readBody(request))?.batch;
      if (!Array.isArray(batch)) throw Object.assign(new Error('expected a body {"batch": [...]}'), { status: 400 });
    } catch (error) {
      response.writeHead(error.status ?? 400, { ...cors, 'content-type': 'application/json' })
        .end(JSON.stringify({ error: error.message }));
      return;
    }
    const acknowledged = [];
    const rejected = [];
    const receivedAt = new Date().toISOString();
    batch.forEach((entry, index) => {
      const problem = entryProblem(entry);
      if (problem !== null) {
        rejected.push({ index, message: `batch[${index}].${problem}` });
        return;
      }
      store(entry, receivedAt);
      acknowledged.push(entry.id);
    });
    response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ acknowledged, rejected }));
  }

  return { handle, lines };
}

function main(argv) {
  const option = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
  };
  const port = Number(option('port', '8787'));
  const collector = createCollector({ file: option('file', 'events.ndjson'), origin: option('origin', '*') });
  createServer((request, response) => {
    collector.handle(request, response).catch((error) => {
      response.writeHead(500).end(String(error?.message ?? error));
    });
  }).listen(port, '127.0.0.1', () => console.log(`collector listening on http://127.0.0.1:${port}/`));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
