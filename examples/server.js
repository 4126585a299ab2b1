#!/usr/bin/env node
// Serves the Stageline examples on this machine and prints where: what `npm start` runs after
// building. Stops cleanly (exit 0) on Ctrl-C or SIGTERM.
//
//   node examples/server.js [--port 8080] [--host 127.0.0.1]
//
// The whole repository is served (the pages import web/src and web/dist directly, without a
// bundler), so it listens on 127.0.0.1 unless told otherwise. A busy port falls back to a free one.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static_server.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const USAGE = 'usage: node examples/server.js [--port <0-65535>] [--host <address>]';

function parseArgs(args) {
  const options = { port: process.env.PORT ?? '8080', host: '127.0.0.1' };
  for (let i = 0; i < args.length; i++) {
    const [name, value] = [args[i], args[i + 1]];
    if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (name === '--port' && value !== undefined) {
      options.port = value;
      i++;
    } else if (name === '--host' && value !== undefined) {
      options.host = value;
      i++;
    } else {
      throw new Error(`unknown argument ${JSON.stringify(name)}\n${USAGE}`);
    }
  }
  const port = /^\d{1,5}$/.test(options.port) ? Number(options.port) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new Error(`--port: expected a port number from 0 to 65535, got ${JSON.stringify(options.port)}`);
  }
  return { ...options, port };
}

/** "/" goes to the examples' index page. */
function toExamples(request, response) {
  response.writeHead(302, { location: '/examples/' }).end();
}

async function listen({ port, host }) {
  const routes = { '/': toExamples };
  try {
    return await startStaticServer(repoRoot, { port, host, routes });
  } catch (error) {
    if (error.code !== 'EADDRINUSE' || port === 0) throw error;
    console.error(`port ${port} is in use; using a free port instead`);
    return startStaticServer(repoRoot, { port: 0, host, routes });
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(new URL('../web/dist/stageline.wasm', import.meta.url))) {
    console.error('web/dist/stageline.wasm is missing: run `npm run build` (or `npm start`, which builds first)');
  }
  const server = await listen(options);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    console.log('\nstopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log([
    `Stageline examples: ${server.url}/examples/`,
    `  dashboard:   ${server.url}/examples/dashboard/`,
    `  storefront:  ${server.url}/examples/shop/`,
    'Press Ctrl-C to stop.',
  ].join('\n'));
}

main().catch((error) => {
  console.error(`examples server: ${error.message}`);
  process.exit(1);
});
