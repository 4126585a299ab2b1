#!/usr/bin/env node
// Checks the module layering (docs/architecture.md): every source file in a module folder of
// core/src/, core/include/stageline/, wasm/ or web/src/ may include or import only its own module,
// the modules its core/src/<module>/README.md lists on its `Uses:` line, and `common`; the `Uses`
// lines must form no cycle. A web-only module (web/src/tracker/) states its `Uses:` in its own
// README.md. Exits 1 and names each offending include when a lower module reaches a higher one.
//
//   node scripts/check-modules.js            (from anywhere in the repository)

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `Uses:` line of a module README: the module names it lists ("nothing" for none). */
export function parseUses(readmeText, readmePath) {
  const line = readmeText.split('\n').find((l) => /^Uses:/.test(l));
  if (line === undefined) throw new Error(`${readmePath}: no "Uses:" line`);
  const list = line.replace(/^Uses:\s*/, '').replace(/\.$/, '').trim();
  if (list === 'nothing') return [];
  return list.split(',').map((name) => name.trim().replace(/`/g, '')).filter(Boolean);
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const subdirs = (dir) => (existsSync(dir) ? readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()) : []);

/** Reads every module's Uses: core modules from core/src/<m>/README.md, web-only ones from web/src/<m>/README.md. */
export function readModules(root) {
  const modules = new Map();
  const problems = [];
  for (const name of subdirs(join(root, 'core/src'))) {
    const readme = join(root, 'core/src', name, 'README.md');
    if (!existsSync(readme)) { problems.push(`core/src/${name}/: no README.md saying what the module owns and what it uses`); continue; }
    modules.set(name, { uses: parseUses(readFileSync(readme, 'utf8'), relative(root, readme)), core: true });
  }
  for (const name of subdirs(join(root, 'web/src'))) {
    if (modules.has(name)) continue;
    const readme = join(root, 'web/src', name, 'README.md');
    if (!existsSync(readme)) { problems.push(`web/src/${name}/: not a core module and no README.md with a "Uses:" line`); continue; }
    modules.set(name, { uses: parseUses(readFileSync(readme, 'utf8'), relative(root, readme)), core: false });
  }
  for (const [name, { uses }] of modules) {
    for (const used of uses) if (!modules.has(used)) problems.push(`${name}: uses unknown module "${used}"`);
  }
  return { modules, problems };
}

/** A cycle among the Uses lines, as a list of names, or null. */
export function findCycle(modules) {
  const state = new Map();
  const stack = [];
  const visit = (name) => {
    state.set(name, 'open');
    stack.push(name);
    for (const used of modules.get(name)?.uses ?? []) {
      if (state.get(used) === 'open') return [...stack.slice(stack.indexOf(used)), used];
      if (!state.has(used)) { const cycle = visit(used); if (cycle) return cycle; }
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of modules.keys()) {
    if (!state.has(name)) { const cycle = visit(name); if (cycle) return cycle; }
  }
  return null;
}

const CPP_INCLUDE = /^\s*#\s*include\s+"([^"]+)"/gm;
const JS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.\.?\/[^'"]+)['"]/g;

/** The module a C++ include names ("stageline/<m>/x.hpp" or "<m>/x.hpp"), or null. */
function includedModule(spec) {
  const parts = spec.split('/');
  if (parts[0] === 'stageline' && parts.length > 2) return parts[1];
  return parts.length > 1 ? parts[0] : null;
}

/** Every include/import that crosses to a module the file's module may not use. */
export function checkModules(root) {
  const { modules, problems } = readModules(root);
  const cycle = findCycle(modules);
  if (cycle) problems.push(`the Uses lines form a cycle: ${cycle.join(' -> ')}`);
  const allowed = (owner, target) => target === owner || target === 'common' || (modules.get(owner)?.uses ?? []).includes(target);
  const layers = [
    { base: 'core/src', cpp: true },
    { base: 'core/include/stageline', cpp: true },
    { base: 'wasm', cpp: true },
    { base: 'web/src', cpp: false },
  ];
  for (const { base, cpp } of layers) {
    const baseDir = join(root, base);
    for (const file of walk(baseDir)) {
      const parts = relative(baseDir, file).split(sep);
      if (parts.length < 2) continue;  // files at a layer's top (entry points, CMakeLists.txt) may use any module
      const owner = parts[0];
      const where = relative(root, file);
      if (!modules.has(owner)) { problems.push(`${where}: in ${base}/${owner}/, which is not a module`); continue; }
      const text = readFileSync(file, 'utf8');
      if (cpp && /\.(cpp|hpp)$/.test(file)) {
        for (const [, spec] of text.matchAll(CPP_INCLUDE)) {
          const target = includedModule(spec);
          if (target !== null && modules.has(target) && !allowed(owner, target)) {
            problems.push(`${where}: module ${owner} includes "${spec}" of module ${target}, which ${owner}'s Uses line does not list`);
          }
        }
      } else if (!cpp && file.endsWith('.js')) {
        for (const [, spec] of text.matchAll(JS_IMPORT)) {
          const targetParts = relative(baseDir, resolve(dirname(file), spec)).split(sep);
          if (targetParts[0] === '..') continue;  // outside web/src (web/dist, the glue)
          const target = targetParts.length > 1 ? targetParts[0] : null;
          if (target === null) { problems.push(`${where}: module ${owner} imports the entry point "${spec}"`); continue; }
          if (!allowed(owner, target)) {
            problems.push(`${where}: module ${owner} imports "${spec}" of module ${target}, which ${owner}'s Uses line does not list`);
          }
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkModules(root);
  for (const problem of problems) console.error(problem);
  if (problems.length) {
    console.error(`check-modules: ${problems.length} problem(s); the allowed dependencies are in docs/architecture.md`);
    process.exit(1);
  }
  console.log('check-modules: every include and import stays within its module\'s Uses line');
}
