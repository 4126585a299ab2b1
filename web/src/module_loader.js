// Instantiates an Emscripten module of web/dist/ (load.js: the full one, load_lean.js: the lean
// one). The glue is built for web and worker only (its own Node path needs CommonJS globals and
// fetch() of file paths), so in Node the wrapper reads the .wasm bytes itself and hands them over
// as `wasmBinary`. A page may also hand over the .wasm response it started fetching itself
// (`wasmResponse`), which goes to the glue through its instantiateWasm hook.

import { StagelineError } from './common/errors.js';

function isNode() {
  return typeof process === 'object' && process !== null && Boolean(process.versions?.node);
}

const WASM_SOURCES = ['wasmBinary', 'wasmResponse', 'wasmUrl'];

/** The response `source` resolves to, instantiated with the glue's `imports` ({instance, module}). */
async function instantiateResponse(source, imports) {
  const response = await source;
  if (typeof response?.arrayBuffer !== 'function' || typeof response.ok !== 'boolean') {
    throw new TypeError('wasmResponse must be a Response (e.g. from fetch()) or a promise of one');
  }
  if (!response.ok) {
    throw new Error(`the .wasm response has HTTP status ${response.status}${response.url ? ` (${response.url})` : ''}`);
  }
  // Compiling while the bytes stream in needs the server's application/wasm type; any other
  // type is read whole first, as the glue itself falls back to.
  const type = response.headers?.get('content-type') ?? '';
  if (typeof WebAssembly.instantiateStreaming === 'function' && /^application\/wasm\s*(;|$)/i.test(type)) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

/**
 * The glue's arguments for `options` ({args, failed}). `failed` is set for a `wasmResponse`: the
 * glue's instantiateWasm hook has no way to report a failure, so the hook's failure rejects
 * `failed`, which instantiateModule races against the glue's own promise.
 */
async function moduleArguments(options, wasmFileUrl) {
  const given = WASM_SOURCES.filter((name) => options[name] !== undefined);
  if (given.length > 1) throw new TypeError(`give one of ${WASM_SOURCES.join(', ')}, not ${given.join(' and ')}`);
  if (options.wasmBinary !== undefined) return { args: { wasmBinary: options.wasmBinary } };
  if (options.wasmResponse !== undefined) {
    let reportFailure;
    const failed = new Promise((resolve, reject) => { reportFailure = reject; });
    const instantiateWasm = (imports, receiveInstance) => {
      instantiateResponse(options.wasmResponse, imports)
        .then(({ instance, module }) => receiveInstance(instance, module))
        .catch(reportFailure);
      return {};  // the exports arrive through receiveInstance
    };
    return { args: { instantiateWasm }, failed };
  }
  if (options.wasmUrl === undefined && isNode()) {
    const { readFile } = await import('node:fs/promises');
    return { args: { wasmBinary: await readFile(wasmFileUrl) } };
  }
  const wasmUrl = options.wasmUrl === undefined ? wasmFileUrl : new URL(options.wasmUrl, import.meta.url);
  return { args: { locateFile: (file) => (file.endsWith('.wasm') ? wasmUrl.href : new URL(file, wasmUrl).href) } };
}

/**
 * In Node, STAGELINE_WASM_MODULE may name the glue of another build of the module (its .wasm lies
 * beside it under the same name), e.g. build/wasm/wasm/stageline-safe-heap.js from
 * `scripts/build --safe-heap`, so that the whole Node test suite can run against that build.
 * Browsers and bundles always load ../dist/.
 */
async function moduleFactory(factory, options) {
  const glue = isNode() ? process.env.STAGELINE_WASM_MODULE : undefined;
  if (!glue || WASM_SOURCES.some((name) => options[name] !== undefined)) {
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
    const { args, failed } = await moduleArguments(effective, wasmFileUrl);
    return await (failed ? Promise.race([chosen(args), failed]) : chosen(args));
  } catch (cause) {
    const error = new StagelineError('load_failed', '', `could not load the Stageline WebAssembly module: ${cause?.message ?? cause}`);
    error.cause = cause;
    throw error;
  }
}
