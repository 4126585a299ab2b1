// Where in a JSON text a value is: the stage-model editor points at the place a StagelineError's
// path names ("stages[2].when.orders", as the core writes paths, or a JSON pointer
// "/stages/2/when/orders"), and at the place a JSON syntax error is. A small strict JSON parser
// that keeps every value's offsets; the values themselves are left to JSON.parse.

/** A JSON syntax error at `offset` (UTF-16 index into the text). */
export class JsonSyntaxError extends Error {
  constructor(message, offset) {
    super(message);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const describe = (text, at) => (at >= text.length ? 'the end of the text' : JSON.stringify(text[at]));

/**
 * The positions of every value in `text`: nodes {kind: 'object' | 'array' | 'scalar', start, end}
 * (end exclusive); objects have members [{key, keyStart, value}], arrays items [node]. Throws
 * JsonSyntaxError at the first character that is not JSON.
 */
export function parsePositions(text) {
  let at = 0;
  const skip = () => { while (at < text.length && WHITESPACE.has(text[at])) at++; };
  const fail = (expected) => { throw new JsonSyntaxError(`expected ${expected}, got ${describe(text, at)}`, at); };

  function string() {
    const start = at++;
    while (at < text.length) {
      const c = text[at];
      if (c === '"') {
        at++;
        return JSON.parse(text.slice(start, at));
      }
      if (c === '\\') {
        const escape = text[at + 1];
        if (escape === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6)) : !'"\\/bfnrt'.includes(escape ?? 'x')) {
          at++;
          fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits)');
        }
        at += escape === 'u' ? 6 : 2;
      } else if (c < ' ') {
        fail('a closing quote (control characters must be escaped)');
      } else {
        at++;
      }
    }
    return fail('a closing quote');
  }

  function value() {
    skip();
    const start = at;
    const c = text[at];
    if (c === '{') {
      at++;
      const members = [];
      skip();
      if (text[at] === '}') return { kind: 'object', start, end: ++at, members };
      for (;;) {
        skip();
        if (text[at] !== '"') fail('a member name in double quotes');
        const keyStart = at;
        const key = string();
        skip();
        if (text[at] !== ':') fail('":" after the member name');
        at++;
        members.push({ key, keyStart, value: value() });
        skip();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === '}') return { kind: 'object', start, end: ++at, members };
        fail('"," or "}"');
      }
    }
    if (c === '[') {
      at++;
      const items = [];
      skip();
      if (text[at] === ']') return { kind: 'array', start, end: ++at, items };
      for (;;) {
        items.push(value());
        skip();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === ']') return { kind: 'array', start, end: ++at, items };
        fail('"," or "]"');
      }
    }
    if (c === '"') {
      string();
      return { kind: 'scalar', start, end: at };
    }
    const literal = LITERALS.find((word) => text.startsWith(word, at));
    if (literal) {
      at += literal.length;
      return { kind: 'scalar', start, end: at };
    }
    NUMBER.lastIndex = at;
    if (NUMBER.test(text)) {
      at = NUMBER.lastIndex;
      return { kind: 'scalar', start, end: at };
    }
    return fail('a value (object, array, string, number, true, false or null)');
  }

  const root = value();
  skip();
  if (at < text.length) fail('the end of the text after the value');
  return root;
}

/** 1-based line and column of a UTF-16 offset (lines end at \n; a \r\n pair counts once). */
export function lineColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offsets where the line holding `offset` starts and ends (without its line break). */
export function lineRange(text, offset) {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  return { start, end };
}

// One step of a core path ("stages[2].when.a.b"): at an object, the longest member name the rest
// of the path starts with (member names may hold dots or brackets themselves); at an array, "[i]".
function stepCorePath(node, rest) {
  if (node.kind === 'array') {
    const match = /^\[(\d+)\]/.exec(rest);
    const item = match ? node.items[Number(match[1])] : undefined;
    return item ? { node: item, member: null, rest: rest.slice(match[0].length).replace(/^\./, '') } : null;
  }
  if (node.kind !== 'object') return null;
  let best = null;
  for (const member of node.members) {
    const { key } = member;
    const fits = rest === key || (rest.startsWith(key) && (rest[key.length] === '.' || rest[key.length] === '['));
    // Later duplicates win, as in JSON.parse.
    if (fits && (best === null || key.length >= best.key.length)) best = member;
  }
  return best ? { node: best.value, member: best, rest: rest.slice(best.key.length).replace(/^\./, '') } : null;
}

// One step of a JSON pointer (RFC 6901): the segments are exact.
function stepPointer(node, rest) {
  const [segment, ...others] = rest;
  if (node.kind === 'array') {
    const item = /^(0|[1-9]\d*)$/.test(segment) ? node.items[Number(segment)] : undefined;
    return item ? { node: item, member: null, rest: others } : null;
  }
  if (node.kind !== 'object') return null;
  const member = node.members.findLast((m) => m.key === segment);
  return member ? { node: member.value, member, rest: others } : null;
}

/**
 * Where `path` points in JSON `text`: {start, end, line, column, found, resolved}. start…end is the
 * deepest value the path reaches, from its member name when it is an object member; line and
 * column are start's. `found` is false when only a prefix of the path exists in the text (a
 * missing member: the place shown is its parent), `resolved` is that prefix. Throws
 * JsonSyntaxError when the text is not JSON.
 */
export function locateJsonPath(text, path) {
  const root = parsePositions(text);
  const pointer = path.startsWith('/');
  let rest = pointer ? path.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')) : path;
  const done = () => (pointer ? rest.length === 0 : rest === '');
  let node = root;
  let member = null;
  while (!done()) {
    const step = pointer ? stepPointer(node, rest) : stepCorePath(node, rest);
    if (step === null) break;
    ({ node, member, rest } = step);
  }
  const start = member ? member.keyStart : node.start;
  const remaining = pointer ? rest.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('') : rest;
  const resolved = pointer ? path.slice(0, path.length - remaining.length) : path.slice(0, path.length - remaining.length).replace(/\.$/, '');
  return { start, end: node.end, ...lineColumn(text, start), found: done(), resolved };
}
