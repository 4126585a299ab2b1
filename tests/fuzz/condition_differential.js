#!/usr/bin/env node
// Differential fuzz of the condition engine: random conditions and attributes through Stageline's
// sl.evalCondition (the WASM module, lenient = GrowthBook's semantics) and GrowthBook's own
// evalCondition (@growthbook/growthbook), which must agree on every case.
//
//   node tests/fuzz/condition_differential.js [--cases N] [--seed S]     (default 200000, seed 1)
//
// tests/js/conditions/condition_differential.test.js runs a bounded, fixed-seed version of the same loop.
//
// The generator leaves out what differs on purpose (the README's "Hardening", "Deliberate differences"):
// Stageline's own operators ($notRegex, $withinLastDays, $olderThanDays, $after, $before), regexes
// that need backtracking (backreferences, lookaround), and GrowthBook 1.8's `$savedGroup` and
// object-typed saved groups, which are newer than the conformance spec Stageline implements.

import { fileURLToPath } from 'node:url';
import { evalCondition as growthbookEvalCondition } from '@growthbook/growthbook';

import { mulberry32 } from '../../examples/data/shop-generator.js';

const KEYS = ['a', 'b', 'n', 's', 'arr', 'obj', 'v', 'ü'];
const PATHS = [...KEYS, 'obj.a', 'obj.n', 'arr.0', 'arr.1', 'obj.arr', 'missing', 'obj.missing.x', 'arr.length'];
const STRINGS = ['', 'a', 'A', 'abc', 'ABC', '5', '10', ' 5 ', '0x5', '1e3', '-0', 'true', 'null', 'é', 'É',
  'ß', '😀', '1.2.3', '1.2.10', 'v1.2.3-beta.1', '1.2.3+build', '01.2', 'NL', 'nl', '[object Object]', 'a.b',
  '/x/', 'Infinity', 'NaN'];
const NUMBERS = [0, 1, -1, 5, 10, 2.5, -0.5, 1e21, 1e-7, 123456789012, 0.1, 3];
const PATTERNS = ['^a', 'a$', 'b+', '^[a-c]+$', '\\d', '^\\s*5\\s*$', '.', '^$', 'é', 'ß', 'a|b', '(ab)+',
  '[^a]', '\\w+\\.\\w+', '^1\\.2', 'x/y', '[', '(', 'a{2,}', '\\bA', '😀', '^.$', '(?:a|b)c?', '\\u00e9',
  '[\\u0000-\\u001f]', '^(a+)+$', 'A', '^[A-Z]{2}$', 'nul{1,3}', '\\/'];
const COMPARISONS = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte'];
const VERSIONS = ['$veq', '$vne', '$vlt', '$vlte', '$vgt', '$vgte'];
const TYPES = ['string', 'number', 'boolean', 'array', 'object', 'null', 'undefined', 'x'];
const SAVED_GROUPS = { g1: ['a', 5, 'NL'], g2: [], g3: [true, null, '10'] };

/** A generator of random JSON values, conditions and attributes driven by one seeded PRNG. */
export class CaseGenerator {
  #random;

  constructor(seed) {
    this.#random = mulberry32(seed);
  }

  #int(n) {
    return Math.floor(this.#random() * n);
  }

  #pick(list) {
    return list[this.#int(list.length)];
  }

  #chance(p) {
    return this.#random() < p;
  }

  scalar() {
    switch (this.#int(5)) {
      case 0: return this.#pick(STRINGS);
      case 1: return this.#pick(NUMBERS);
      case 2: return this.#chance(0.5);
      case 3: return null;
      default: return this.#chance(0.5) ? this.#pick(STRINGS) : this.#pick(NUMBERS);
    }
  }

  value(depth = 0) {
    const roll = this.#int(10);
    if (depth < 2 && roll === 0) return Array.from({ length: this.#int(4) }, () => this.value(depth + 1));
    if (depth < 2 && roll === 1) {
      const object = {};
      for (let i = this.#int(3); i > 0; i--) object[this.#pick(KEYS)] = this.value(depth + 1);
      return object;
    }
    return this.scalar();
  }

  attributes() {
    const attributes = {};
    for (const key of KEYS) {
      if (this.#chance(0.6)) attributes[key] = this.value();
    }
    if (this.#chance(0.7)) attributes.arr = Array.from({ length: this.#int(4) }, () => this.value(1));
    if (this.#chance(0.5)) attributes.obj = { a: this.value(1), n: this.#pick(NUMBERS), arr: [this.scalar(), this.scalar()] };
    return attributes;
  }

  /** An operand for `operator`, usually of the right type and sometimes not (lenient semantics). */
  operand(operator, depth) {
    if (this.#chance(0.08)) {
      // A wrongly typed operand. Not for $regex: GrowthBook caches compiled regexes by
      // String(operand), so [] or [null] reuse the regex of "" — the verdict depends on history.
      // Not a string or null for $elemMatch: GrowthBook iterates a string's UTF-16 units as keys
      // and throws on null, where Stageline fails the clause.
      const value = this.value(1);
      const regex = operator === '$regex' || operator === '$regexi';
      const elemMatch = operator === '$elemMatch' && (typeof value === 'string' || value === null);
      if (!regex && !elemMatch) return value;
    }
    switch (operator) {
      case '$in': case '$nin': case '$ini': case '$nini':
        return Array.from({ length: this.#int(4) }, () => this.scalar());
      case '$all': case '$alli':
        return Array.from({ length: this.#int(3) }, () => (this.#chance(0.3) ? this.fieldCondition(depth + 1) : this.scalar()));
      case '$exists': return this.#chance(0.5);
      case '$type': return this.#pick(TYPES);
      case '$regex': case '$regexi': return this.#pick(PATTERNS);
      case '$size': return this.#chance(0.6) ? this.#int(4) : this.fieldCondition(depth + 1);
      case '$elemMatch': return this.#chance(0.5) ? this.operatorObject(depth + 1) : this.condition(depth + 1);
      case '$not': return this.fieldCondition(depth + 1);
      case '$inGroup': case '$notInGroup': return this.#pick(['g1', 'g2', 'g3', 'nope']);
      default:
        if (VERSIONS.includes(operator)) return this.#pick(['1.2.3', '1.2.10', '1.2.3-beta.1', '2', 'v1.2.3', '']);
        return this.scalar();
    }
  }

  operatorObject(depth) {
    const operators = [...COMPARISONS, ...VERSIONS, '$in', '$nin', '$ini', '$nini', '$all', '$alli', '$exists', '$type',
      '$regex', '$regexi', '$size', '$elemMatch', '$not', '$inGroup', '$notInGroup', '$unknown'];
    const object = {};
    for (let i = 1 + this.#int(2); i > 0; i--) {
      let operator = this.#pick(operators);
      if (depth > 2 && ['$all', '$alli', '$size', '$elemMatch', '$not'].includes(operator)) operator = '$eq';
      object[operator] = this.operand(operator, depth);
    }
    return object;
  }

  /** What a path is compared with: a literal (equality) or an operator object. */
  fieldCondition(depth) {
    if (this.#chance(0.25)) return this.value(1);
    return this.operatorObject(depth);
  }

  condition(depth = 0) {
    const condition = {};
    for (let i = 1 + this.#int(depth === 0 ? 3 : 2); i > 0; i--) {
      const roll = this.#int(10);
      if (depth < 3 && roll === 0) condition.$or = Array.from({ length: this.#int(3) }, () => this.condition(depth + 1));
      else if (depth < 3 && roll === 1) condition.$and = Array.from({ length: this.#int(3) }, () => this.condition(depth + 1));
      else if (depth < 3 && roll === 2) condition.$nor = Array.from({ length: this.#int(3) }, () => this.condition(depth + 1));
      else if (depth < 3 && roll === 3) condition.$not = this.condition(depth + 1);
      else condition[this.#pick(PATHS)] = this.fieldCondition(depth);
    }
    return condition;
  }

  case() {
    return { condition: this.condition(), attributes: this.attributes(), savedGroups: SAVED_GROUPS };
  }
}

/** GrowthBook's verdict, with its console.error for unknown operators silenced; 'throws' if it throws. */
function growthbookVerdict(attributes, condition, savedGroups) {
  const consoleError = console.error;
  console.error = () => {};
  try {
    return growthbookEvalCondition(attributes, condition, savedGroups);
  } catch {
    return 'throws';
  } finally {
    console.error = consoleError;
  }
}

/**
 * Runs `cases` random cases from `seed` through both engines. Returns {cases, agreed,
 * mismatchCount, growthbookThrew, mismatches}: the first mismatching cases (up to `keep`) as
 * {condition, attributes, stageline, growthbook}; cases where GrowthBook throws are counted apart.
 */
export function runDifferential(sl, { cases, seed, keep = 10 }) {
  const generator = new CaseGenerator(seed);
  const mismatches = [];
  let agreed = 0;
  let mismatchCount = 0;
  let growthbookThrew = 0;
  for (let i = 0; i < cases; i++) {
    const { condition, attributes, savedGroups } = generator.case();
    const expected = growthbookVerdict(attributes, condition, savedGroups);
    if (expected === 'throws') {
      // A TypeError inside GrowthBook (e.g. {"$elemMatch": null}): no verdict to compare with.
      growthbookThrew++;
      continue;
    }
    let actual;
    try {
      actual = sl.evalCondition(attributes, condition, savedGroups);
    } catch (error) {
      actual = `throws ${error.code}: ${error.message}`;
    }
    if (actual === expected) {
      agreed++;
    } else {
      mismatchCount++;
      if (mismatches.length < keep) mismatches.push({ condition, attributes, stageline: actual, growthbook: expected });
    }
  }
  return { cases, agreed, mismatchCount, growthbookThrew, mismatches };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argument = (name, fallback) => {
    const index = process.argv.indexOf(name);
    return index === -1 ? fallback : Number(process.argv[index + 1]);
  };
  const cases = argument('--cases', 200_000);
  const seed = argument('--seed', 1);
  const { init } = await import('../../web/src/index.js');
  const sl = await init();
  const started = performance.now();
  const result = runDifferential(sl, { cases, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const mismatch of result.mismatches) console.log(JSON.stringify(mismatch));
  console.log(`condition differential (seed ${seed}): ${result.agreed} of ${cases} agree, ${result.mismatchCount} mismatches, ${result.growthbookThrew} where GrowthBook throws, ${seconds} s`);
  process.exitCode = result.mismatchCount === 0 ? 0 : 1;
}
