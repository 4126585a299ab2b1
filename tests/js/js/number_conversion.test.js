// The core's own number conversions (core/src/js/shortest_double.cpp, decimal_to_double.cpp) against
// V8, the reference implementation of JavaScript's rules: String(x) for doubles and Number(s) for
// text, through the built WebAssembly module. Values cross in bulk, one JsonLogic call per batch:
//   {"map": [{"var": "xs"}, {"cat": [{"var": ""}]}]}  String(x) of every number (Number::toString),
//     the numbers themselves read by the core's JSON reader from JSON.stringify's text;
//   {"map": [{"var": "ss"}, {"-": [{"var": ""}]}]}    -Number(s) of every string (StringToNumber);
//   {"map": [{"var": "xs"}, {"var": ""}]}             the numbers of a raw JSON text of literals.
// Inputs come from a fixed seed, so a failure reproduces.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';

import { init } from '../../../web/src/index.js';
import { loadModule } from '../../../web/src/load.js';
import { unwrap } from '../../../web/src/common/errors.js';

let sl;
let rawModule;
before(async () => {
  sl = await init();
  rawModule = await loadModule();
});

/** mulberry32: a small seeded generator of uint32s. */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    u32: next,
    below: (n) => next() % n,
    chance: (p) => next() / 2 ** 32 < p,
    pick: (list) => list[next() % list.length],
  };
}

const view = new DataView(new ArrayBuffer(8));

function fromBits(high, low) {
  view.setUint32(0, high);
  view.setUint32(4, low);
  return view.getFloat64(0);
}

function bitsOf(x) {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** Doubles of every kind: random bit patterns, subnormals, powers of two and their neighbours. */
function randomDoubles(count, random) {
  const out = [];
  const specials = [0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** -1022, Number.MAX_VALUE, 2 ** 53,
    2 ** 53 - 1, 1e21, 1e21 - 65536, 1e-7, 1e-6, 0.1, 1 / 3, 123e-20, 2 ** 63, 2 ** 64];
  out.push(...specials);
  while (out.length < count) {
    const kind = random.below(6);
    let x;
    if (kind <= 1) {
      x = fromBits(random.u32(), random.u32());  // any bit pattern
    } else if (kind === 2) {
      x = fromBits(random.u32() & 0x800fffff, random.u32());  // subnormal
    } else if (kind === 3) {
      // a power of two or one of its neighbours (the asymmetric gap)
      const e = random.below(2098) - 1074;
      view.setFloat64(0, 2 ** e);
      const bits = view.getBigUint64(0) + BigInt(random.below(3)) - 1n;
      view.setBigUint64(0, bits < 0n ? 0n : bits);
      x = view.getFloat64(0);
    } else if (kind === 4) {
      x = random.u32() * 2 ** random.below(40);  // integers, some beyond 2^53
    } else {
      x = random.u32() / 10 ** random.below(25);  // short decimals
    }
    if (!Number.isFinite(x)) continue;
    out.push(random.chance(0.5) ? -x : x);
  }
  return out;
}

function digits(random, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + random.below(10));
  return s;
}

function digitCount(random) {
  const r = random.below(10);
  if (r < 5) return 1 + random.below(20);
  if (r < 8) return 1 + random.below(40);
  return 1 + random.below(900);
}

/** A decimal literal: JSON's grammar, or with `jsOnly` the extras of StrDecimalLiteral. */
function randomDecimal(random, jsOnly) {
  let s = random.chance(0.3) ? '-' : '';
  if (jsOnly && random.chance(0.1)) s = '+';
  const leadingZeros = random.chance(0.2) ? '0'.repeat(random.below(30)) : '';
  let integer = digits(random, digitCount(random));
  if (!jsOnly) integer = integer.replace(/^0+(?=\d)/, '');
  const fraction = random.chance(0.6) ? digits(random, digitCount(random)) : '';
  if (jsOnly && random.chance(0.05)) s += `.${fraction || '5'}`;
  else if (jsOnly && random.chance(0.05)) s += `${integer}.`;
  else s += fraction ? `${jsOnly ? leadingZeros : ''}${integer}.${fraction}` : integer;
  if (random.chance(0.7)) {
    const size = random.chance(0.5) ? 30 : random.chance(0.5) ? 400 : 100000;
    s += random.pick(['e', 'E']) + random.pick(['', '+', '-']) + String(random.below(size));
  }
  return s;
}

/** Digits written out at or near a double: 17 to 21 significant digits, or its exact halfway point. */
function nearDouble(random) {
  const x = Math.abs(fromBits(random.u32() & 0x7fffffff, random.u32()));
  if (!Number.isFinite(x) || x === 0) return '1';
  if (random.chance(0.5)) return x.toPrecision(17 + random.below(5));
  // Halfway to the next double, exactly: (2m + 1) x 2^(e - 1) written with BigInt.
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  let m = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (biased !== 0) {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  const twice = 2n * m + 1n;
  let text;
  if (e - 1 >= 0) {
    text = (twice << BigInt(e - 1)).toString();
  } else {
    const scaled = (twice * 5n ** BigInt(1 - e)).toString().padStart(2 - e, '0');
    text = `${scaled.slice(0, scaled.length - (1 - e))}.${scaled.slice(scaled.length - (1 - e))}`;
  }
  const tail = random.below(3);
  return tail === 0 ? text : tail === 1 ? `${text}${'0'.repeat(random.below(50))}1` : text.replace(/5$/, '4999999999');
}

function randomNumericString(random) {
  const kind = random.below(10);
  if (kind < 5) return randomDecimal(random, true);
  if (kind < 7) return nearDouble(random);
  if (kind < 9) {
    const prefix = random.pick(['0x', '0X', '0o', '0O', '0b', '0B']);
    const alphabet = { x: '0123456789abcdefABCDEF', o: '01234567', b: '01' }[prefix[1].toLowerCase()];
    let s = prefix;
    const n = random.chance(0.8) ? 1 + random.below(70) : 1 + random.below(1200);
    for (let i = 0; i < n; i++) s += alphabet[random.below(alphabet.length)];
    if (random.chance(0.02)) s += random.pick(['g', '2', '9', '.', ' x']);
    return s;
  }
  const odd = ['', ' ', '.', '.5', '5.', '-.5e-3', '1e', 'e5', 'Infinity', '-Infinity', '+Infinity', 'infinity', '0x',
    '0b', '1_0', ' 12 ', '\t-0\n', '\u00a0\u20281.5\ufeff', '-0', '0.0e+0', '00012', '1e+', '1.2.3', '0x1g', '0b102',
    '- 1', '+-1', '1e5.5', '0x-1', '١٢'];
  return random.pick(odd);
}

/**
 * Runs `inputs` through the module `batch` at a time (`run(slice)` returns the module's outputs
 * in order) and asserts that `mismatch(input, output)` finds nothing (it returns a description of
 * a disagreement, or null); the first ten disagreements are shown.
 */
function assertAgreesInBatches(inputs, batch, run, mismatch) {
  let mismatches = 0;
  const shown = [];
  for (let start = 0; start < inputs.length; start += batch) {
    const slice = inputs.slice(start, start + batch);
    const outputs = run(slice);
    assert.equal(outputs.length, slice.length);
    slice.forEach((input, i) => {
      const problem = mismatch(input, outputs[i]);
      if (problem === null) return;
      mismatches++;
      if (shown.length < 10) shown.push(problem);
    });
  }
  assert.equal(mismatches, 0, shown.join('\n'));
}

test('String(x) for 120,000 doubles, and their JSON.stringify text read back', () => {
  const random = generator(20261124);
  const xs = randomDoubles(120000, random);
  const rule = { map: [{ var: 'xs' }, { cat: [{ var: '' }] }] };
  assertAgreesInBatches(xs, 20000, (slice) => sl.applyJsonLogic(rule, { xs: slice }),
    (x, text) => (text === String(x) ? null : `${bitsOf(x)}: got ${text}, V8 ${String(x)}`));
});

test('Number(s) for 60,000 numeric strings', () => {
  const random = generator(8);
  const strings = [];
  while (strings.length < 60000) strings.push(randomNumericString(random));
  const rule = { map: [{ var: 'ss' }, { '-': [{ var: '' }] }] };
  assertAgreesInBatches(strings, 10000, (slice) => sl.applyJsonLogic(rule, { ss: slice }), (s, negated) => {
    const expected = -Number(s);
    return Object.is(negated, expected) ? null : `${JSON.stringify(s.slice(0, 80))}: got ${-negated}, V8 ${-expected}`;
  });
});

test('JSON number literals read as JSON.parse reads them (50,000 literals, raw text)', () => {
  const random = generator(1024);
  const literals = [];
  while (literals.length < 50000) {
    const literal = random.chance(0.7) ? randomDecimal(random, false) : nearDouble(random);
    if (Number.isFinite(Number(literal))) literals.push(literal);  // overflow is an error by design
  }
  const rule = JSON.stringify({ map: [{ var: 'xs' }, { var: '' }] });
  assertAgreesInBatches(literals, 10000, (slice) => unwrap(rawModule.applyJsonLogic(rule, `{"xs":[${slice.join(',')}]}`, true)),
    (literal, value) => {
      const expected = JSON.parse(literal);
      // An integer token that fits 64 bits is kept as an integer, so "-0" is 0 (not -0) there.
      const same = expected === 0 ? value === 0 : Object.is(value, expected);
      return same ? null : `${literal.slice(0, 80)}: got ${value}, V8 ${expected}`;
    });
});

test('a JSON number beyond the double range is an error naming where it is', () => {
  const result = rawModule.applyJsonLogic('{"var":"x"}', `{"x": 1${'0'.repeat(400)}}`, true);
  assert.equal(result.error.code, 'invalid_json');
  assert.match(result.error.message, /line 1, column 7: number overflow/);
});
