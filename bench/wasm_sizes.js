#!/usr/bin/env node
// What the bytes of a WebAssembly module are: section sizes, and the code section per function
// (body sizes read from the binary, names from Emscripten's --emit-symbol-map file or the name
// section), grouped into the parts of Stageline they belong to. A twiggy-like "top" for a module
// built without debug information.
//
//   node bench/wasm_sizes.js [module.wasm] [--top N]     (default build/wasm/wasm/stageline.wasm)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'data count', 'tag'];

/** A cursor over the module's bytes with LEB128 readers. */
class Reader {
  constructor(bytes, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
  }

  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes[this.offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }

  name() {
    const length = this.u32();
    const text = this.bytes.subarray(this.offset, this.offset + length).toString('utf8');
    this.offset += length;
    return text;
  }
}

/** {sections: [{name, size}], bodies: [{index, size}], names: Map<index, name>, importedFunctions}. */
export function readModule(bytes) {
  const reader = new Reader(bytes, 8);
  const sections = [];
  const bodies = [];
  const names = new Map();
  let importedFunctions = 0;
  while (reader.offset < bytes.length) {
    const id = bytes[reader.offset++];
    const size = reader.u32();
    const start = reader.offset;
    const body = new Reader(bytes, start);
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      name = `custom "${body.name()}"`;
      if (name === 'custom "name"') {
        while (body.offset < start + size) {
          const subsection = bytes[body.offset++];
          const length = body.u32();
          const end = body.offset + length;
          if (subsection === 1) {
            for (let count = body.u32(); count > 0; count--) names.set(body.u32(), body.name());
          }
          body.offset = end;
        }
      }
    } else if (id === 2) {
      for (let count = body.u32(); count > 0; count--) {
        body.name();
        body.name();
        const kind = bytes[body.offset++];
        if (kind === 0) {
          importedFunctions++;
          body.u32();
        } else if (kind === 1) {
          body.offset++;
          const flags = body.u32();
          body.u32();
          if (flags & 1) body.u32();
        } else if (kind === 2) {
          const flags = body.u32();
          body.u32();
          if (flags & 1) body.u32();
        } else if (kind === 3) {
          body.offset += 2;
        } else if (kind === 4) {
          body.offset++;
          body.u32();
        }
      }
    } else if (id === 10) {
      const count = body.u32();
      for (let i = 0; i < count; i++) {
        const bodySize = body.u32();
        bodies.push({ index: importedFunctions + i, size: bodySize });
        body.offset += bodySize;
      }
    }
    sections.push({ name, size });
    reader.offset = start + size;
  }
  return { sections, bodies, names, importedFunctions };
}

/** index → name from Emscripten's --emit-symbol-map output ("index:name" per line), demangled. */
function symbolMap(path) {
  const names = new Map();
  if (!existsSync(path)) return names;
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const mangled = lines.map((line) => line.slice(line.indexOf(':') + 1));
  let demangled = mangled;
  try {
    demangled = execFileSync('llvm-cxxfilt-14', { input: mangled.join('\n'), maxBuffer: 64 << 20 }).toString().split('\n');
  } catch {
    // Mangled names still group well enough.
  }
  // Emscripten writes characters outside [A-Za-z0-9_:] of names as \hh escapes.
  const unescape = (name) => name.replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  lines.forEach((line, i) => names.set(Number(line.slice(0, line.indexOf(':'))), unescape(demangled[i] || mangled[i])));
  return names;
}

/** The function's qualified name without its parameter list (so argument types do not count). */
function head(name) {
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '<') depth++;
    else if (name[i] === '>') depth--;
    else if (name[i] === '(' && depth === 0 && i > 0 && !name.startsWith('(anonymous', i)) return name.slice(0, i);
  }
  return name;
}

/** The part of Stageline (or of the runtime) a function belongs to, from its demangled name. */
export function partOf(fullName) {
  const name = head(fullName).replace(/\bstageline::/g, '');
  const rules = [
    [/json_logic|JsonLogic/, 'JsonLogic'],
    [/Regex|regex|canonicalize|case_table/, 'regex engine'],
    [/nlohmann/, 'nlohmann::json (parsing, dumping, tree)'],
    [/RuleSet|RuleEngine|Rule\b|rules|Decision|decide|ExposureLog|exposure|page_context|url_query|query|RuleEngineHandle/, 'rules + decisions'],
    [/Condition|condition|Matcher|js::|js_semantics|stringify|version_order/, 'conditions + JS semantics'],
    [/StageModel|stage_|lifecycle|timeline|classif|substitute_params|preset/, 'stage models + lifecycle'],
    [/Profile|profile|Trait|trait|Event|event/, 'profiles + traits + events'],
    [/bucket|Bucket|fnv|hash_|Variation|in_namespace|query_string_override/, 'bucketing'],
    [/emscripten|embind|Embind|wasm::|_EmVal|EmVal|BindingType|val::/, 'Embind bindings'],
    [/timestamp|utc_day|civil/, 'timestamps'],
    [/^(std::|void std::|.*std::__2::)|libc\+\+|__cxa|operator new|operator delete/, 'C++ standard library'],
    [/^(dlmalloc|dlfree|malloc|free|realloc|sbrk|emscripten_builtin|memcpy|memset|memmove|strlen|printf|vfprintf|fmt_|__)/, 'libc + malloc'],
  ];
  for (const [pattern, part] of rules) if (pattern.test(name)) return part;
  return 'other';
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv.slice(2).find((a) => a.endsWith('.wasm')) ?? 'build/wasm/wasm/stageline.wasm';
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex === -1 ? 25 : Number(process.argv[topIndex + 1]);
  const bytes = readFileSync(path);
  const module = readModule(bytes);
  const names = module.names.size > 0 ? module.names : symbolMap(path.replace(/\.wasm$/, '.js.symbols'));
  console.log(`${path}: ${bytes.length} bytes`);
  console.log('\n| section | KiB | share |\n|---|---:|---:|');
  for (const { name, size } of [...module.sections].sort((a, b) => b.size - a.size)) {
    console.log(`| ${name} | ${kb(size)} | ${(100 * size / bytes.length).toFixed(1)}% |`);
  }
  const code = module.bodies.reduce((sum, body) => sum + body.size, 0);
  const parts = new Map();
  for (const body of module.bodies) {
    const part = partOf(names.get(body.index) ?? '');
    parts.set(part, (parts.get(part) ?? 0) + body.size);
  }
  console.log(`\ncode section by part (${module.bodies.length} functions${names.size ? '' : ', no names: build with --emit-symbol-map'}):`);
  console.log('\n| part | KiB | share of code |\n|---|---:|---:|');
  for (const [part, size] of [...parts].sort((a, b) => b[1] - a[1])) {
    console.log(`| ${part} | ${kb(size)} | ${(100 * size / code).toFixed(1)}% |`);
  }
  console.log(`\nlargest ${top} functions:\n\n| bytes | function |\n|---:|---|`);
  for (const body of [...module.bodies].sort((a, b) => b.size - a.size).slice(0, top)) {
    const name = names.get(body.index) ?? `#${body.index}`;
    console.log(`| ${body.size} | ${name.length > 110 ? `${name.slice(0, 107)}...` : name} |`);
  }
}
