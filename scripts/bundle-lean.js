#!/usr/bin/env node
// Bundles the lean entry point for pages: web/src/lean.js with the Emscripten glue it imports
// (web/dist/stageline-lean.js, built with -sEXPORT_ES6) as ONE minified ES module,
// web/dist/stageline-lean.min.js, and the tracker lean.js imports on the first createTracker() as a
// second one, web/dist/stageline-lean-tracker.min.js (with the IndexedDB storage and idb inlined).
// Each gets a linked source map (.map beside it; a page never downloads it unless its developer
// tools are open). Run by scripts/build after the WebAssembly build:
//
//   node scripts/bundle-lean.js
//
// Why two esbuild builds rather than one with --splitting: esbuild puts every module that both the
// entry and a dynamically imported file use (errors.js, handle.js, rules.js, …) into a third
// "shared" chunk that the entry imports statically, so a deciding page would fetch two files one
// after the other. Here the entry keeps those modules and exports their namespaces under one
// internal name (TRACKER_IMPORTS); the tracker file imports them from the entry, so classes such
// as StagelineError and RulesEngine stay one and the same.
//
// The entry starts with V8's explicit compile hint `//# allFunctionsCalledOnLoad` (Chrome 136+;
// a plain comment elsewhere): its functions — mostly the glue's set-up and Embind's registration,
// which run during init() — are compiled eagerly, on a background thread while the page preloads
// the file, instead of on the main thread at their first call (see docs/size.md for what it saved).
//
// Both files sit in web/dist/ beside the .wasm: the wrapper (new URL('../dist/stageline-lean.wasm',
// import.meta.url)) and the glue (new URL('stageline-lean.wasm', import.meta.url)) resolve the
// module against the bundle's own URL, which finds it there in Node and in browsers.

import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_ENTRY = join(root, 'web/src/lean.js');
const SOURCE_TRACKER = join(root, 'web/src/tracker/tracker.js');
const OUT_DIR = join(root, 'web/dist');
export const BUNDLE = join(OUT_DIR, 'stageline-lean.min.js');
export const TRACKER_BUNDLE = join(OUT_DIR, 'stageline-lean-tracker.min.js');
// The entry's export through which the tracker file reaches the modules it shares with the entry.
const TRACKER_IMPORTS = '__stagelineLeanTrackerImports';

const COMMON = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Node-only paths of web/src/module_loader.js, imported dynamically and only under Node.
  external: ['node:*'],
  minify: true,
  charset: 'utf8',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Plugin: lean.js's import('./tracker/tracker.js') becomes an import of the tracker bundle beside the entry. */
const trackerAsSeparateFile = {
  name: 'tracker-as-separate-file',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/tracker\/tracker\.js$/ }, (args) => (args.importer === SOURCE_ENTRY && args.kind === 'dynamic-import'
      ? { path: `./${basename(TRACKER_BUNDLE)}`, external: true } : undefined));
  },
};

/** The source files of a bundle of `entry` (absolute paths), without writing it. */
async function inputsOf(entry, plugins = []) {
  const { metafile } = await build({ ...COMMON, entryPoints: [entry], outdir: OUT_DIR, write: false, metafile: true, sourcemap: false, plugins });
  return new Set(Object.keys(metafile.inputs).map((input) => resolve(root, input)));
}

/** The names each module in `files` exports (esbuild's metafile of an unbundled build of each). */
async function exportNames(files) {
  const { metafile } = await build({
    entryPoints: files, format: 'esm', outdir: join(OUT_DIR, 'exports'), write: false, metafile: true, absWorkingDir: root, logLevel: 'warning',
  });
  const names = new Map();
  for (const output of Object.values(metafile.outputs)) {
    if (output.entryPoint) names.set(resolve(root, output.entryPoint), output.exports);
  }
  return names;
}

/** A stable, readable key for a shared module: its path under web/src/. */
const keyOf = (file) => relative(join(root, 'web/src'), file).split('\\').join('/');

/**
 * Builds both files; with `write` false returns their contents instead of writing them (the test
 * that the files in web/dist/ are those of the current sources compares the two). Resolves to
 * { shared: the shared modules' keys, outputs: [{ path, contents }] of both bundles and their
 * source maps (empty when written) }. The tracker file gets the shared modules' exports as
 * constants: right for their classes and functions; a shared module that exports a `let` or `var`
 * (which the tracker would see frozen at its first value) fails the build.
 */
export async function bundleLean({ write = true } = {}) {
  const entryInputs = await inputsOf(SOURCE_ENTRY, [trackerAsSeparateFile]);
  const trackerInputs = await inputsOf(SOURCE_TRACKER);
  const shared = [...trackerInputs].filter((file) => entryInputs.has(file)).sort();
  if (!shared.includes(join(root, 'web/src/common/errors.js'))) throw new Error('expected the tracker to share errors.js with the lean entry');
  for (const file of shared) {
    if (/^export\s+(?:let|var)\b/m.test(await readFile(file, 'utf8'))) {
      throw new Error(`${keyOf(file)} exports a variable: the tracker file would get a copy of its first value, not the binding`);
    }
  }
  const names = await exportNames(shared);

  // The entry: lean.js's exports, plus the namespaces of the shared modules for the tracker file.
  const entrySource = [
    `export * from ${JSON.stringify(SOURCE_ENTRY)};`,
    ...shared.map((file, i) => `import * as shared${i} from ${JSON.stringify(file)};`),
    `export const ${TRACKER_IMPORTS} = Object.freeze({ ${shared.map((file, i) => `${JSON.stringify(keyOf(file))}: shared${i}`).join(', ')} });`,
  ].join('\n');
  const entry = await build({
    ...COMMON,
    write,
    stdin: { contents: entrySource, resolveDir: join(root, 'web/src'), sourcefile: 'stageline-lean.entry.js', loader: 'js' },
    banner: { js: '//# allFunctionsCalledOnLoad' },
    outfile: BUNDLE,
    plugins: [trackerAsSeparateFile],
  });

  // The tracker: every shared module is replaced by the entry's copy of it.
  const sharedKeys = new Map(shared.map((file) => [file, keyOf(file)]));
  const fromEntry = {
    name: 'shared-modules-from-entry',
    setup(builder) {
      builder.onResolve({ filter: /^\.{1,2}\// }, (args) => {
        if (args.namespace === 'shared') return undefined;
        const file = resolve(args.resolveDir, args.path);
        return sharedKeys.has(file) ? { path: file, namespace: 'shared' } : undefined;
      });
      builder.onResolve({ filter: /^stageline-lean-entry$/ }, () => ({ path: `./${basename(BUNDLE)}`, external: true }));
      builder.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
        contents: `import { ${TRACKER_IMPORTS} } from 'stageline-lean-entry';\n` +
          `export const { ${names.get(args.path).join(', ')} } = ${TRACKER_IMPORTS}[${JSON.stringify(sharedKeys.get(args.path))}];\n`,
        loader: 'js',
      }));
    },
  };
  const tracker = await build({ ...COMMON, write, entryPoints: [SOURCE_TRACKER], outfile: TRACKER_BUNDLE, plugins: [fromEntry] });
  return { shared: shared.map(keyOf), outputs: write ? [] : [...entry.outputFiles, ...tracker.outputFiles] };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { shared } = await bundleLean();
  console.log(`${relative(root, BUNDLE)} and ${relative(root, TRACKER_BUNDLE)} (the tracker file takes ${shared.join(', ')} from the entry)`);
}
