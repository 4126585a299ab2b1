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

let installing;
/** A scratch project with the tarball installed (once, for every test that needs it). */
function installed() {
  installing ??= (async () => {
    const project = join(scratch, 'project');
    await run('mkdir', ['-p', project]);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await run('npm', ['install', join(scratch, packed.filename), '--no-save', '--offline', '--no-audit', '--no-fund'], { cwd: project });
    return project;
  })();
  return installing;
}

// The CLI (bin "stageline") and the sample-shop generator its demo uses are the only files outside web/.
const CLI_FILES = ['examples/cli/analyze.js', 'examples/cli/stageline.js', 'examples/data/shop-generator.js'];

test('the tarball holds the wrapper, the built module, the types and the CLI, and no sources', () => {
  const files = packed.files.map((file) => file.path).sort();
  for (const required of ['package.json', 'web/index.d.ts', 'web/src/index.js', 'web/dist/stageline.js', 'web/dist/stageline.wasm',
    'web/lean.d.ts', 'web/dist/stageline-lean.min.js', 'web/dist/stageline-lean-tracker.min.js', 'web/dist/stageline-lean.wasm', ...CLI_FILES]) {
    assert.ok(files.includes(required), `${required} missing from ${files.join(', ')}`);
  }
  const stray = files.filter((file) => !(file === 'package.json' || /^README/i.test(file) || /^LICEN[CS]E/i.test(file) || file.startsWith('web/')
    || CLI_FILES.includes(file)));
  assert.deepEqual(stray, []);
});

test('installed from the tarball, `import "stageline"` evaluates conditions', async () => {
  const project = await installed();
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

  // The CLI through its bin: two customers, A buys on Jan 5 and Feb 10 (100 + 50), B on Jan 20 (40).
  await writeFile(join(project, 'orders.csv'), 'customer_id,date,amount\nA,2025-01-05,100\nB,2025-01-20,40\nA,2025-02-10,50\n');
  const cli = await run('npx', ['--offline', '--no-install', 'stageline', 'analyze', 'orders.csv', '--json'], { cwd: project });
  const report = JSON.parse(cli.stdout);
  assert.deepEqual(report.rows, { read: 3, loaded: 3, rejected: 0, excluded: 0, guests: 0 });
  assert.deepEqual(report.kpis.periods, ['2025-01', '2025-02']);
  assert.deepEqual(report.kpis.metrics.revenue, [140, 50]);
});

test('installed from the tarball, `import "stageline/lean"` is the bundle, and it decides and tracks', async () => {
  const project = await installed();
  await writeFile(join(project, 'lean.js'), `
    import { init, StagelineError } from 'stageline/lean';
    const sl = await init();
    const engine = sl.rules({
      slots: { hero: { default: 'plain' } },
      rules: [{ id: 'buyer', slot: 'hero', when: { orders: { $gte: 1 } }, payload: 'thanks' }],
    });
    const tracker = await sl.createTracker({ rules: engine, storage: { backend: 'memory' } });
    const before = (await tracker.decide('hero')).payload;
    await tracker.track('purchase', { value: 20 });
    const after = (await tracker.decide('hero')).payload;
    let error;
    try { sl.rules({ rules: 1 }); } catch (e) { error = e; }
    await tracker.close();
    console.log(JSON.stringify({ entry: import.meta.resolve('stageline/lean'), before, after, typed: error instanceof StagelineError }));
  `);
  const { stdout } = await run(process.execPath, ['lean.js'], { cwd: project });
  const result = JSON.parse(stdout);
  assert.match(result.entry, /\/node_modules\/stageline\/web\/dist\/stageline-lean\.min\.js$/);
  // No order yet: the default; one purchase makes orders 1 >= 1.
  assert.deepEqual({ ...result, entry: undefined }, { entry: undefined, before: 'plain', after: 'thanks', typed: true });
});
