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

/**
 * The origin of a function, from its demangled name without the parameter list: the runtime
 * (malloc, number parsing and formatting, libm, exception unwinding, Embind, libc++,
 * nlohmann::json's templates) or the part of Stageline. Runtime rules come first, so that e.g.
 * std::vector<stageline::Rule>::push_back counts as the standard library it is.
 */
export function partOf(fullName) {
  // Template functions demangle with their return type first ("bool nlohmann::…"); names that
  // did not demangle keep their mangled form (_ZNK8nlohmann…, _ZNSt3__2…).
  const name = head(fullName)
    .replace(/^(?:void|bool|int|char|double|float|long|long long|unsigned int|unsigned long|unsigned long long|auto) /, '')
    .replace(/^_Z\w*?\d+nlohmann.*/, 'nlohmann::').replace(/^_Z\w*?St3__2.*/, 'std::');
  const rules = [
    [/^(dlmalloc|dlfree|dlrealloc|dispose_chunk|emmalloc|malloc|free|realloc|calloc|sbrk|aligned_alloc|posix_memalign|mallinfo|emscripten_builtin|prepend_alloc|tmalloc|release_unused|internal_memalign)/, 'malloc'],
    [/^(strtod|strtof|strtol|strtoul|strtoll|strtoull|strtox|scanexp|decfloat|hexfloat|__floatscan|__intscan|__shgetc|__shlim|printf|snprintf|vsnprintf|vfprintf|fprintf|sprintf|printf_core|fmt_|pop_arg|out$|pad|sn_write|wctomb|wcrtomb|getint|fmt_fp|__fwritex|frexp|std::__2::to_chars|std::__2::__itoa|std::__2::to_string)/, 'libc number parsing / printf'],
    [/^(log|log1p|log2|log10|exp|expm1|exp2|pow|fmod|fmodl|scalbn|scalbnl|sqrt|floor|ceil|round|trunc|cbrt|sin|cos|tan|atan|atan2|lgamma|tgamma|__lgamma|__sin|__cos|__rem_pio2|__expo2|ldexp)\b/, 'libm'],
    [/^(mem|str|wmem|wcs|__stpcpy|__strchrnul|isdigit|isspace|tolower|toupper)/, 'libc strings and memory'],
    [/__cxa_|_Unwind_|__cxxabiv1|__gxx_personality|demangling|terminate|std::exception|std::bad_|std::logic_error|std::runtime_error|std::out_of_range|std::invalid_argument|std::length_error|type_info|is_equal|__dynamic_cast/, 'exceptions, RTTI, unwinding'],
    [/basic_ostream|basic_istream|basic_ios|ios_base|locale|num_put|num_get|ctype|codecvt|basic_streambuf|basic_stringbuf|basic_ostringstream|basic_stringstream/, 'libc++ iostream / locale'],
    [/^(emscripten::|_embind|embind|__embind|__getTypeName|_EmVal)|^stageline::wasm::/, 'Embind + our binding layer (wasm/)'],
    [/^nlohmann::/, 'nlohmann::json templates (parser, serializer, tree)'],
    [/^(std::|void std::|bool std::)/, 'libc++ containers, strings, algorithms'],
    [/json_logic|JsonLogic/, 'JsonLogic'],
    [/regex|Regex/, 'regex engine'],
    [/growthbook|GrowthBook/, 'GrowthBook evaluator'],
    [/btyd|Btyd/, 'BTYD models'],
    [/Dataset|dataset|csv|Csv|kpis|Kpi|cohort|Cohort|funnel|Funnel|rfm|Rfm|Ingest|stage_flow|Survey|period_label/, 'datasets and metrics'],
    [/RuleSet|RuleEngine|Rule\b|RuleExperiment|rules|Decision|decide|ExposureLog|exposure|page_context|url_query|Slot\b/, 'rules + decisions'],
    [/StageModel|StageDefinition|stage_|lifecycle|timeline|classif|substitute_params|preset/, 'stage models + lifecycle'],
    [/Condition|condition|Matcher|js::|js_semantics|js_text|js_number|stringify|version|Attributes|AttributePath|HashValue/, 'conditions + JS semantics'],
    [/ProfileBuilder|Profile|profile|Trait|trait|Event|event/, 'profiles + traits + events'],
    [/bucket|Bucket|fnv|hash|Variation|in_namespace|query_string_override/, 'bucketing'],
    [/timestamp|utc_day|civil|days\b|Cursor/, 'timestamps'],
    [/^stageline::(parse_json|json|Json|expected_but_got|Error|config)/, 'our JSON helpers, errors, config readers'],
    [/^stageline::/, 'other stageline code'],
  ];
  for (const [pattern, part] of rules) if (pattern.test(name)) return part;
  return 'other runtime';
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
