// The stage-model editor's path → text mapper (examples/dashboard/json_locate.js). Lines and
// columns are counted by hand in the texts below; which texts are JSON is checked against
// JSON.parse (the peer).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { JsonSyntaxError, lineColumn, lineRange, locateJsonPath, parsePositions } from '../../../examples/dashboard/json_locate.js';

const MODEL = [
  '{', //                                                          line 1
  '  "name": "mine",', //                                          line 2
  '  "params": { "days": 30 },', //                                line 3
  '  "stages": [', //                                              line 4
  '    { "id": "new" },', //                                       line 5
  '    { "id": "buyer",', //                                       line 6
  '      "when": { "orders": { "$gtee": 1 } } },', //              line 7: "orders" at column 17
  '    { "id": "a.b", "when": { "x.y": { "$gt": 0 } } }', //       line 8: "x.y" at column 30, "$gt" at 39
  '  ]', //                                                        line 9
  '}', //                                                          line 10
].join('\n');

const at = (path, text = MODEL) => {
  const place = locateJsonPath(text, path);
  return { ...place, text: text.slice(place.start, place.end) };
};

test('a core path (stages[1].when.orders) and the same JSON pointer find the member', () => {
  for (const path of ['stages[1].when.orders', '/stages/1/when/orders']) {
    const place = at(path);
    assert.equal(place.found, true, path);
    assert.equal(place.resolved, path);
    assert.deepEqual([place.line, place.column], [7, 17], path);
    assert.equal(place.text, '"orders": { "$gtee": 1 }', path);
  }
  // An array item has no member name: it starts at its own brace.
  const item = at('stages[2]');
  assert.deepEqual([item.line, item.column], [8, 5]);
  assert.equal(item.text, '{ "id": "a.b", "when": { "x.y": { "$gt": 0 } } }');
});

test('member names holding dots are matched whole (the core joins with "." without quoting)', () => {
  const place = at('stages[2].when.x.y.$gt');
  assert.equal(place.found, true);
  assert.deepEqual([place.line, place.column], [8, 39]);
  assert.equal(place.text, '"$gt": 0');
  assert.deepEqual([at('/stages/2/when/x.y').line, at('/stages/2/when/x.y').column], [8, 30]);
});

test('a member that is not there: the deepest existing parent, found false', () => {
  const place = at('params.churnDays');
  assert.equal(place.found, false);
  assert.equal(place.resolved, 'params');
  assert.deepEqual([place.line, place.column], [3, 3]);
  assert.equal(place.text, '"params": { "days": 30 }');
  const past = at('stages[7].when');
  assert.equal(past.found, false);
  assert.equal(past.resolved, 'stages');
  assert.equal(past.line, 4);
  const pointer = at('/stages/9');
  assert.equal(pointer.resolved, '/stages');
  // The empty path is the whole document.
  assert.deepEqual([at('').line, at('').column, at('').found, at('').end], [1, 1, true, MODEL.length]);
});

test('duplicate member names: the last one, as JSON.parse keeps', () => {
  const text = '{"a": 1,\n "a": {"b": 2}}';
  assert.deepEqual([at('a.b', text).line, at('a.b', text).column], [2, 8]);
});

test('syntax errors carry the offset of the first character that is not JSON', () => {
  const cases = [
    // [text, offset, line, column, message]
    ['{"a": 1,}', 8, 1, 9, 'expected a member name in double quotes, got "}"'],
    ['{\n  "a": 1\n  "b": 2\n}', 13, 3, 3, 'expected "," or "}", got "\\""'],
    ['[1, 2', 5, 1, 6, 'expected "," or "]", got the end of the text'],
    ['{"a": tru}', 6, 1, 7, 'expected a value (object, array, string, number, true, false or null), got "t"'],
    ['{"a": "x\ny"}', 8, 1, 9, 'expected a closing quote (control characters must be escaped), got "\\n"'],
    ['{"a": "\\q"}', 8, 1, 9, 'expected an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits), got "q"'],
    ['{} {}', 3, 1, 4, 'expected the end of the text after the value, got "{"'],
    ['', 0, 1, 1, 'expected a value (object, array, string, number, true, false or null), got the end of the text'],
  ];
  for (const [text, offset, line, column, message] of cases) {
    assert.throws(() => parsePositions(text), (error) => {
      assert.ok(error instanceof JsonSyntaxError, text);
      assert.equal(error.offset, offset, text);
      assert.equal(error.message, message, text);
      assert.deepEqual(lineColumn(text, error.offset), { line, column }, text);
      return true;
    });
  }
});

test('accepts exactly what JSON.parse accepts', () => {
  const texts = ['0', '-0.5e+3', '01', '1.', '.5', '+1', '"\\u00e9\\n"', '"\\u00g0"', '[]', '[1,]', '{}', '{"a":[{"b":null}]}',
    ' \t\r\n true ', 'True', 'nul', '"a"b', '{"a" 1}', '{a: 1}', "{'a': 1}", '[1 2]', '"\u2028"', '-', '1e', '[-1.25E-2, false]'];
  for (const text of texts) {
    let expected = true;
    try { JSON.parse(text); } catch { expected = false; }
    let actual = true;
    try { parsePositions(text); } catch (error) { assert.ok(error instanceof JsonSyntaxError); actual = false; }
    assert.equal(actual, expected, JSON.stringify(text));
  }
});

test('line and column with CRLF line ends; the line around an offset', () => {
  const text = '{\r\n  "a": 1\r\n}';
  assert.deepEqual(lineColumn(text, text.indexOf('"a"')), { line: 2, column: 3 });
  assert.deepEqual(lineRange(text, text.indexOf('"a"')), { start: 3, end: 11 });
  assert.equal(text.slice(3, 11), '  "a": 1');
  assert.deepEqual(lineRange('x', 0), { start: 0, end: 1 });
});
