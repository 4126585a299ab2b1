// The module layering (docs/architecture.md): the repository keeps it, and the check catches a
// lower module reaching a higher one in each layer, a cycle, and a module folder without a README.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkModules, parseUses } from '../../../scripts/check-modules.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('every include and import in the repository stays within its module\'s Uses line', () => {
  assert.deepEqual(checkModules(root), []);
});

test('a Uses line lists module names, or "nothing"', () => {
  assert.deepEqual(parseUses('# x\n\nOwns y.\n\nUses: json, `values`, time.\n', 'x'), ['json', 'values', 'time']);
  assert.deepEqual(parseUses('Uses: nothing\n', 'x'), []);
  assert.throws(() => parseUses('# x\n', 'core/src/x/README.md'), /core\/src\/x\/README.md: no "Uses:" line/);
});

/** A scratch repository from { path: contents }. */
function scratch(t, files) {
  const dir = mkdtempSync(join(tmpdir(), 'stageline-modules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  return dir;
}

const lowAndHigh = {
  'core/src/common/README.md': 'Uses: nothing\n',
  'core/src/low/README.md': 'Uses: nothing\n',
  'core/src/high/README.md': 'Uses: low\n',
  'core/src/high/high.cpp': '#include "stageline/low/low.hpp"\n#include "low/internal.hpp"\n#include "stageline/common/error.hpp"\n',
  'web/src/high/high.js': "import { low } from '../low/low.js';\nimport { x } from '../common/errors.js';\n",
};

test('a higher module may use a lower one it lists, and common', (t) => {
  assert.deepEqual(checkModules(scratch(t, lowAndHigh)), []);
});

test('a lower module that includes or imports a higher one is named, in each layer', (t) => {
  const dir = scratch(t, {
    ...lowAndHigh,
    'core/src/low/low.cpp': '#include "stageline/high/high.hpp"\n',
    'core/include/stageline/low/low.hpp': '#include "high/internal.hpp"\n',
    'wasm/low/low_bindings.cpp': '#include "high/high_handle.hpp"\n',
    'web/src/low/low.js': "export { high } from '../high/high.js';\nconst later = await import('../high/high.js');\n",
  });
  const problems = checkModules(dir);
  assert.equal(problems.length, 5, problems.join('\n'));
  for (const file of ['core/src/low/low.cpp', 'core/include/stageline/low/low.hpp', 'wasm/low/low_bindings.cpp', 'web/src/low/low.js']) {
    assert.ok(problems.some((p) => p.startsWith(`${file}: module low `) && p.includes('of module high')), file);
  }
});

test('a cycle among the Uses lines, an unknown module and a folder without a README are reported', (t) => {
  const dir = scratch(t, {
    'core/src/a/README.md': 'Uses: b\n',
    'core/src/b/README.md': 'Uses: a, nowhere\n',
    'core/src/c/c.cpp': '',
    'web/src/w/w.js': '',
  });
  const problems = checkModules(dir);
  assert.ok(problems.some((p) => /cycle: (a -> b -> a|b -> a -> b)/.test(p)), problems.join('\n'));
  assert.ok(problems.includes('b: uses unknown module "nowhere"'));
  assert.ok(problems.some((p) => p.startsWith('core/src/c/: no README.md')));
  assert.ok(problems.some((p) => p.startsWith('web/src/w/: not a core module')));
});
