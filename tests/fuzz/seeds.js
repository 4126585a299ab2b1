#!/usr/bin/env node
// Writes the fuzz targets' seed corpora into a build folder (never into the repository):
//   node tests/fuzz/seeds.js <out dir>     → <out dir>/<target>/<n>
// Seeds come from the test fixtures (string literals of tests/core/<module>/*_test.cpp, grouped per source
// line, which is how the case tables are written; tests/core/<module>/*.json) and, when present, GrowthBook's
// conformance suite in ../shared (skipped with a message when absent). A seed is the target's parts
// joined by 0x1E, the format tests/fuzz/fuzz_support.hpp splits. A target without an entry in
// SEEDS below starts from an empty corpus.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEPARATOR = Buffer.from([0x1e]);

/** Decodes the body of a C++ string literal (escapes as C++ reads them) to UTF-8 bytes. */
function decodeCString(body) {
  const bytes = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c === undefined ? '' : String.fromCodePoint(body.codePointAt(i))));
      if (body.codePointAt(i) > 0xffff) i++;
      continue;
    }
    const e = body[++i];
    const simple = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, "'": 39, '?': 63, a: 7, b: 8, f: 12, v: 11 };
    if (e in simple) bytes.push(simple[e]);
    else if (e === 'x') {
      const hex = /^[0-9a-fA-F]+/.exec(body.slice(i + 1))[0];
      bytes.push(parseInt(hex, 16) & 0xff);
      i += hex.length;
    } else if (e === 'u' || e === 'U') {
      const length = e === 'u' ? 4 : 8;
      bytes.push(...Buffer.from(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + length), 16))));
      i += length;
    } else if (/[0-7]/.test(e)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i))[0];
      bytes.push(parseInt(octal, 8) & 0xff);
      i += octal.length - 1;
    }
  }
  return Buffer.from(bytes);
}

/** The string literals of a C++ file as [line, bytes], in order (raw strings included). */
function cppLiterals(file) {
  const text = readFileSync(file, 'utf8');
  const literals = [];
  const pattern = /R"([^(\s]*)\(([\s\S]*?)\)\1"|"((?:[^"\\\n]|\\.)*)"|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].startsWith('//') || match[0].startsWith("'")) continue;
    const line = text.slice(0, match.index).split('\n').length;
    literals.push([line, match[2] !== undefined ? Buffer.from(match[2]) : decodeCString(match[3])]);
  }
  return literals;
}

/** The C++ test files, tests/core/<module>/*_test.cpp. */
function testFiles() {
  const dir = join(root, 'tests', 'core');
  return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory())
    .flatMap((entry) => readdirSync(join(dir, entry.name)).filter((name) => name.endsWith('_test.cpp')).map((name) => join(dir, entry.name, name)));
}

/** Literals of one test file grouped by the line they start on: the rows of its case tables. */
function rows(testName) {
  const file = testFiles().find((path) => path.endsWith(`/${testName}.cpp`));
  const byLine = new Map();
  for (const [line, bytes] of cppLiterals(file)) {
    if (!byLine.has(line)) byLine.set(line, []);
    byLine.get(line).push(bytes);
  }
  return [...byLine.values()];
}

function tryJson(bytes) {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Every literal of every C++ test that is a JSON text, parsed. */
function testJsonValues() {
  const values = [];
  for (const file of testFiles()) {
    for (const [, bytes] of cppLiterals(file)) {
      const value = tryJson(bytes);
      if (value !== undefined && typeof value === 'object' && value !== null) values.push(value);
    }
  }
  return values;
}

function conformance() {
  const file = join(root, '..', 'shared', 'conformance', 'growthbook-cases.json');
  if (!existsSync(file)) {
    console.log(`seeds: ${file} is absent; seeding without GrowthBook's conformance cases`);
    return null;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const pick = (list, i) => (list.length === 0 ? undefined : list[i % list.length]);

const testValues = testJsonValues();
const cases = conformance();
const profiles = testValues.filter((v) => isObject(v) && ('customerId' in v || 'orders' in v || 'firstSeen' in v));
const eventLists = testValues.filter((v) => Array.isArray(v) && v.some((e) => isObject(e) && 'type' in e));
const events = [...eventLists.flat().filter((e) => isObject(e) && 'type' in e),
  ...testValues.filter((v) => isObject(v) && 'type' in v && 'timestamp' in v)];
const contexts = testValues.filter((v) => isObject(v) && ('url' in v || 'path' in v || 'utcOffsetMinutes' in v));
const times = ['1767225600000', '1764547200000', '0', '-8640000000000000', '8640000000000000', '1798761599999'];
const presets = ['classic', 'journey', 'funnel', 'full'];

// Each target: a function returning its seeds as arrays of parts (strings or Buffers).
const SEEDS = {
  condition_fuzz() {
    const seeds = [];
    for (const [, condition, attributes, , savedGroups] of cases?.evalCondition ?? []) {
      seeds.push([text(condition), text(attributes), text(savedGroups)]);
    }
    const coercion = JSON.parse(readFileSync(join(root, 'tests', 'core', 'conditions', 'condition_coercion_cases.json'), 'utf8'));
    for (const [condition, attributes] of coercion.cases) seeds.push([text(condition), text(attributes)]);
    for (const row of [...rows('condition_test'), ...rows('condition_alloc_test')]) {
      const values = row.map(tryJson).filter(isObject);
      if (values.length > 0) seeds.push([text(values[0]), text(values[1] ?? {}), '', pick(times, seeds.length)]);
    }
    return seeds;
  },
  json_logic_fuzz() {
    return rows('json_logic_test').filter((row) => tryJson(row[0]) !== undefined).map((row) => [row[0], row[1] ?? '']);
  },
  stage_model_fuzz() {
    const models = [...presets, ...testValues.filter((v) => isObject(v) && Array.isArray(v.stages)).map(text)];
    return models.flatMap((model, i) =>
      [0, 1, 2].map((j) => [model, '', text(pick(profiles, i * 3 + j) ?? {}), pick(times, i + j), String(j)]));
  },
  traits_fuzz() {
    const configs = testValues.filter((v) => isObject(v) && 'traits' in v);
    return configs.flatMap((config, i) => [[text(config), text(pick(eventLists, i) ?? []), pick(times, i)]]);
  },
  profile_fuzz() {
    return profiles.map((profile, i) => [text(profile), text(pick(profiles, i + 1)), text(pick(events, i) ?? {}), pick(times, i)]);
  },
  rules_fuzz() {
    return testValues.filter((v) => isObject(v) && ('rules' in v || 'slots' in v))
      .map((config, i) => [text(config), `c${i}`, pick(times, i)]);
  },
  decide_fuzz() {
    const stages = ['', 'awareness', 'retention', 'churned', 'nope'];
    return profiles.flatMap((profile, i) => stages.map((stage, j) => [
      text(profile), text(pick(contexts, i + j) ?? { url: 'https://shop.example/checkout?utm_source=ads&c=NL', hour: 23 }),
      pick(times, i + j), `c${i}`, stage, j % 2 ? '[]' : '']));
  },
  timestamp_fuzz() {
    return rows('timestamp_test').flat().map((bytes) => [bytes]);
  },
  regex_fuzz() {
    return rows('regex_test').filter((row) => row.length >= 2).map((row) => [row[0], row[1]]);
  },
  json_fuzz() {
    return testValues.map((value, i) => [String(i % 70), text(value)]);
  },
  ndjson_row_fuzz() {
    return [
      '{"c":"u1","t":"2024-01-05T10:00:00Z","a":12.5}',
      '  { "c" : "Zoë \\"x\\"" , "t" : 1704448800000 , "a" : -0 , "x" : {"deep": [1, {"y": null}, "z"]} }  ',
      '{"c":"😀","t":"2024-01-05","a":-12.50E-1,"a":7,"p":[true,false,null,1e308]}',
      '{"c":"\\u00e9","t":"2024-01-05","a":true}',
    ].map((line) => [line]);
  },
  number_conversion_fuzz() {
    // A double's 8 bytes (little-endian) first, then digit bytes: boundary values, and long literals.
    const values = [5e-324, 2 ** -1022, 2 ** -1017, 2.2250738585072011e-308, Number.MAX_VALUE, 1e23, 0.1, 2 ** 53, 1 / 3];
    return values.flatMap((value, i) => [24, 800].map((length) => {
      const bytes = Buffer.alloc(8 + length);
      bytes.writeDoubleLE(value, 0);
      for (let j = 8; j < bytes.length; j++) bytes[j] = (j * 7 + i) % 256;
      return [bytes];
    }));
  },
  dataset_ingest_fuzz() {
    const csv = [
      'customer,time,amount,order\na,2024-01-05,100,o1\nb,2024-01-20,40,o2\n,2024-02-01,500,o3\nd,2024-03-20,30,C8\n',
      '\uFEFFcustomer;time;amount;order\r\n"a ""x""",2024-01-05T10:00:00Z,"1,5",o1\r\n"b\nc",1710000000000,-3,o2\r\n',
      'customer,time,amount,order\na,yesterday,x,o1\nb,2024-01-20\n"unterminated,2024-01-01,1,o3\n',
    ];
    const ndjson = '{"customer":"a","time":"2024-01-05","amount":10,"order":"o1"}\n\n{"customer":null,"time":5}\n{bad\n';
    return [...csv, ndjson].flatMap((body) => [[body, '0'], [body, String(body.length >> 1)], [body, '17']]);
  },
};

const out = process.argv[2];
if (!out) {
  console.error('usage: node tests/fuzz/seeds.js <out dir>');
  process.exit(2);
}
for (const [target, make] of Object.entries(SEEDS)) {
  const folder = join(out, target);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  let written = 0;
  for (const parts of make()) {
    const bytes = Buffer.concat(parts.flatMap((part, i) => [...(i ? [SEPARATOR] : []), Buffer.from(part)]));
    const name = createHash('sha1').update(bytes).digest('hex');
    writeFileSync(join(folder, name), bytes);
    written++;
  }
  console.log(`seeds: ${target}: ${written} seeds`);
}
