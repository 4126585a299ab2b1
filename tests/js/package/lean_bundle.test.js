// The bundled lean entry (scripts/bundle-lean.js): web/dist/stageline-lean.min.js is one file a
// page fetches (no static imports: the glue is inside), it imports the tracker file only
// dynamically, the tracker file takes the modules it shares with the entry from the entry (one
// StagelineError, one StageModel class), nothing in either evaluates strings as code (the pages'
// CSP has no 'unsafe-eval'), and both are what the current sources bundle to.
// Import records come from esbuild's own parser (a metafile of the built file), not from regexps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

import * as bundled from 'stageline/lean';
import * as sources from '../../../web/src/lean.js';
import { bundleLean, BUNDLE, TRACKER_BUNDLE } from '../../../scripts/bundle-lean.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The import records of a built file: [{ path, kind }] as esbuild parses them. */
async function importsOf(file) {
  const { metafile } = await build({
    entryPoints: [file], bundle: true, write: false, metafile: true, format: 'esm', logLevel: 'silent', outdir: dirname(file),
    plugins: [{ name: 'all-external', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: args.path, external: true })) }],
  });
  return metafile.inputs[relative(root, file)].imports.map(({ path, kind }) => ({ path, kind }));
}

test('`stageline/lean` resolves to the bundle, which has the sources\' exports', () => {
  assert.equal(import.meta.resolve('stageline/lean'), new URL('../../../web/dist/stageline-lean.min.js', import.meta.url).href);
  const internal = '__stagelineLeanTrackerImports';
  assert.deepEqual(Object.keys(bundled).filter((name) => name !== internal).sort(), Object.keys(sources).sort());
  assert.deepEqual(Object.keys(bundled[internal]).sort(),
    ['common/errors.js', 'common/handle.js', 'common/json_text.js', 'common/time.js', 'profiles/customer_profile.js', 'rules/rules.js', 'stages/stage_model.js']);
});

test('the entry is one file: the tracker file and Node\'s built-ins are imported dynamically, nothing statically', async () => {
  // web/src/module_loader.js's Node paths (node:fs/promises, node:url) and lean.js's tracker.
  const entryImports = await importsOf(BUNDLE);
  assert.deepEqual(new Set(entryImports.map(({ path, kind }) => `${kind} ${path}`)),
    new Set(['dynamic-import node:fs/promises', 'dynamic-import node:url', `dynamic-import ./${basename(TRACKER_BUNDLE)}`]));
  // One import statement per shared module, all of the entry (the same module record).
  const trackerImports = await importsOf(TRACKER_BUNDLE);
  assert.ok(trackerImports.length > 0);
  assert.deepEqual(new Set(trackerImports.map(({ path, kind }) => `${kind} ${path}`)), new Set([`import-statement ./${basename(BUNDLE)}`]));
});

test('neither file evaluates strings as code (no eval, no Function constructor); source maps linked, the entry\'s compile hint first', async () => {
  for (const file of [BUNDLE, TRACKER_BUNDLE]) {
    const text = await readFile(file, 'utf8');
    assert.doesNotMatch(text, /(?<![\w$.])eval\s*\(/, file);
    assert.doesNotMatch(text, /(?<![\w$.])(?:new\s+)?Function\s*\(/, file);
    assert.match(text, new RegExp(`\\n//# sourceMappingURL=${basename(file)}\\.map\\n$`), `${file} links its source map`);
  }
  // V8's compile hint must be the file's first line to count.
  assert.ok((await readFile(BUNDLE, 'utf8')).startsWith('//# allFunctionsCalledOnLoad\n'));
});

test('the tracker file uses the entry\'s classes: a stage model from sl.stageModel() is the page\'s, errors are StagelineErrors', async () => {
  const sl = await bundled.init();
  const model = sl.stageModel('classic');
  const tracker = await sl.createTracker({ stageModel: model, storage: { backend: 'memory' } });
  // A StageModel of the entry is borrowed, not compiled again from a spec, so the tracker's
  // close() leaves it alone (web/src/tracker/tracker.js: owns = !(spec instanceof StageModel)).
  assert.equal(tracker.stage().stage, 'awareness');
  assert.throws(() => tracker.track(''), (error) => error instanceof bundled.StagelineError && error.code === 'invalid_argument'
    && error.path === 'type' && error.name === 'StagelineError');
  await tracker.close();
  assert.equal(model.disposed, false);
  assert.equal(model.classify({ orders: 0 }, Date.parse('2026-01-01')).stage, 'awareness');
  model.dispose();
});

test('web/dist holds what the current sources bundle to (else run scripts/build)', async () => {
  const { outputs } = await bundleLean({ write: false });
  assert.equal(outputs.length, 4);
  for (const { path, contents } of outputs) {
    assert.ok(Buffer.from(contents).equals(await readFile(path)), `${relative(root, path)} is stale: run scripts/build`);
  }
});
