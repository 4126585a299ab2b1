// Instantiates an Emscripten module of web/dist/ (load.js: the full one, load_lean.js: the lean
// one). The glue is built for web and worker only (its own Node path needs CommonJS globals and
// fetch() of file paths), so in Node the wrapper reads the .wasm bytes itself and hands them over
// as `wasmBinary`.

import { StagelineError } from './errors.js';

function isNode() {
  return typeof process === 'object' && process !== null && Boolean(process.versions?.node);
}

async function moduleArguments(options, wasmFileUrl) {
  if (options.wasmBinary !== undefined) return { wasmBinary: options.wasmBinary };
  if (options.wasmUrl === undefined && isNode()) {
    const { readFile } = await import('node:fs/promises');
    return { wasmBinary: await readFile(wasmFileUrl) };
  }
  const wasmUrl = options.wasmUrl === undefined ? wasmFileUrl : new URL(options.wasmUrl, import.meta.url);
  return { locateFile: (file) => (file.endsWith('.wasm') ? wasmUrl.href : new URL(file, wasmUrl).href) };
}

/**
 * In Node, STAGELINE_WASM_MODULE may name the glue of another build of the module (its .wasm lies
 * beside it under the same name), e.g. build/wasm/wasm/stageline-safe-heap.js from
 * `scripts/build --safe-heap`, so that the whole Node test suite can run against that build.
 * Browsers and bundles always load ../dist/.
 */
async function moduleFactory(factory, options) {
  const glue = isNode() ? process.env.STAGELINE_WASM_MODULE : undefined;
  if (!glue || options.wasmBinary !== undefined || options.wasmUrl !== undefined) {
    return { factory, options };
  }
  // A glue built with -sASSERTIONS verifies that it runs in a browser or worker (typeof window
  // == 'object'); this test-only path lets Node pass that check. Nothing in Stageline reads window.
  globalThis.window ??= globalThis;
  const { pathToFileURL } = await import('node:url');
  const { readFile } = await import('node:fs/promises');
  const glueUrl = pathToFileURL(glue);
  const { default: otherFactory } = await import(glueUrl.href);
  const wasmBinary = await readFile(new URL(glueUrl.href.replace(/\.m?js$/, '.wasm')));
  return { factory: otherFactory, options: { wasmBinary } };
}

/**
 * Instantiates a module from its Emscripten `factory` and the URL of its .wasm file: a fresh
 * instance with its own heap. Rejects with StagelineError("load_failed").
 */
export async function instantiateModule(factory, wasmFileUrl, options = {}) {
  try {
    const { factory: chosen, options: effective } = await moduleFactory(factory, options);
    return await chosen(await moduleArguments(effective, wasmFileUrl));
  } catch (cause) {
    const error = new StagelineError('load_failed', '', `could not load the Stageline WebAssembly module: ${cause?.message ?? cause}`);
    error.cause = cause;
    throw error;
  }
}
