// The package as users get it: `npm pack`, install the tarball into a scratch project without any
// registry access, import "stageline" there and evaluate a condition.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let scratch;
let packed;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stageline-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repoRoot });
  [packed] = JSON.parse(stdout);
});

after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('the tarball holds the wrapper, the built module and the types, and no sources', () => {
  const files = packed.files.map((file) => file.path).sort();
  for (const required of ['package.json', 'web/index.d.ts', 'web/src/index.js', 'web/dist/stageline.js', 'web/dist/stageline.wasm']) {
    assert.ok(files.includes(required), `${required} missing from ${files.join(', ')}`);
  }
  const stray = files.filter((file) => !(file === 'package.json' || /^README/i.test(file) || /^LICEN[CS]E/i.test(file) || file.startsWith('web/')));
  assert.deepEqual(stray, []);
});

test('installed from the tarball, `import "stageline"` evaluates conditions', async () => {
  const project = join(scratch, 'project');
  await run('mkdir', ['-p', project]);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  await run('npm', ['install', join(scratch, packed.filename), '--no-save', '--offline', '--no-audit', '--no-fund'], { cwd: project });
  await writeFile(join(project, 'check.js'), `
    import { init, StagelineError } from 'stageline';
    const sl = await init();
    let error;
    try { sl.compileCondition({ a: { $gtee: 1 } }); } catch (e) { error = e; }
    console.log(JSON.stringify({
      match: sl.evalCondition({ plan: 'pro', seats: 12 }, { $or: [{ plan: 'enterprise' }, { seats: { $gte: 10 } }] }),
      miss: sl.evalCondition({ plan: 'free', seats: 2 }, { $or: [{ plan: 'enterprise' }, { seats: { $gte: 10 } }] }),
      error: { typed: error instanceof StagelineError, code: error.code, path: error.path },
    }));
  `);
  const { stdout } = await run(process.execPath, ['check.js'], { cwd: project });
  // seats 12 >= 10 satisfies the $or; plan "free" and 2 seats satisfy neither branch.
  assert.deepEqual(JSON.parse(stdout), { match: true, miss: false, error: { typed: true, code: 'unknown_operator', path: 'a' } });
});
