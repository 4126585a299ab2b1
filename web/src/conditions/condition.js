// Conditions: GrowthBook's evalCondition and compiled condition handles over the Embind bindings
// of wasm/conditions/condition_bindings.cpp.

import { StagelineError, errorFromBinding, unwrap } from '../common/errors.js';
import { live, OwnedHandle } from '../common/handle.js';
import { toJsonText, toTimestamp } from '../common/json_text.js';

/**
 * evalCondition keeps the compiled form of recently used conditions. Compiling (parsing the
 * condition text, building the tree, compiling every $regex) costs several times more than one
 * evaluation, and GrowthBook-style callers evaluate the same few conditions for every user, often
 * rebuilding the condition object each time, so the key is the condition's JSON text (plus the
 * saved groups' text) rather than object identity. The cache is bounded so that callers generating
 * conditions on the fly cannot grow the WebAssembly heap without limit: the least recently used
 * entry is evicted and its C++ object deleted. Very large conditions are evaluated uncached.
 */
const CACHE_CAPACITY = 256;
const CACHE_MAX_KEY_UNITS = 64 * 1024;

// The core's own limits on a JSON text (stageline::JsonLimits): UTF-8 bytes and nesting depth.
const CORE_MAX_JSON_BYTES = 16 * 1024 * 1024;
const CORE_MAX_JSON_DEPTH = 64;

/**
 * Whether the core could refuse `text` (valid JSON from JSON.stringify) for its size or depth:
 * a cheap, conservative test (every '{' and '[' counted as nesting, every unit as 3 UTF-8 bytes).
 */
function mayExceedCoreLimits(text) {
  if (text.length * 3 > CORE_MAX_JSON_BYTES) return true;
  let openers = 0;
  for (const opener of ['{', '[']) {
    for (let i = text.indexOf(opener); i !== -1; i = text.indexOf(opener, i + 1)) {
      openers += 1;
      if (openers >= CORE_MAX_JSON_DEPTH) return true;
    }
  }
  return false;
}

const hasEnumerableOwn = Object.prototype.propertyIsEnumerable;

/**
 * The JSON text the core needs to test `attributes`: only the top-level members named by the first
 * segment of an attribute path the condition reads. GrowthBook's getPath never looks elsewhere, so
 * the verdict is the same, and parsing a few members in WebAssembly is much cheaper than parsing a
 * whole profile. `fullText` (JSON.stringify of all of it, already made so that values JSON cannot
 * hold are refused exactly as before) is sent instead whenever projecting could differ: for
 * anything but a plain object without toJSON, and when the core might refuse the full text.
 */
function projectedText(attributes, fullText, topKeys) {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return fullText;
  const proto = Object.getPrototypeOf(attributes);
  if ((proto !== Object.prototype && proto !== null) || typeof attributes.toJSON === 'function') return fullText;
  if (mayExceedCoreLimits(fullText)) return fullText;
  const projection = Object.create(null);  // so that a "__proto__" key stays an ordinary member
  for (const key of topKeys) {
    // JSON.stringify writes own enumerable members only; absent ones stay absent.
    if (hasEnumerableOwn.call(attributes, key)) projection[key] = attributes[key];
  }
  const text = JSON.stringify(projection);
  return text.length < fullText.length ? text : fullText;
}

/** A condition compiled once, tested many times. Holds C++ memory until dispose(). */
export class CompiledCondition extends OwnedHandle {
  #topKeys = null;  // distinct first segments of attributePaths, fetched on first test()

  constructor(handle) {
    super(handle, 'compiled condition');
  }

  /** True if the attributes satisfy the condition. `options.at`: evaluation time (default now). */
  test(attributes, options = {}) {
    const handle = this[live]();
    const fullText = toJsonText(attributes, 'attributes');
    const at = toTimestamp(options.at);
    this.#topKeys ??= [...new Set(handle.attributePaths().map((path) => path.split('.')[0]))];
    const verdict = handle.test(projectedText(attributes, fullText, this.#topKeys), at);
    if (verdict < 0) throw errorFromBinding(handle.lastError());
    return verdict === 1;
  }

  /** The dotted attribute paths the condition reads, in first-use order. */
  get attributePaths() {
    return this[live]().attributePaths();
  }
}

function savedGroupsText(savedGroups) {
  return savedGroups === undefined || savedGroups === null ? '' : toJsonText(savedGroups, 'savedGroups');
}

/** The condition functions of one module instance. */
export function createConditionApi(module) {
  const cache = new Map();  // key → CompiledCondition (lenient); Map order = least recent first

  function cachedCondition(conditionText, groupsText) {
    // JSON.stringify escapes U+0000, so the separator cannot occur inside either text.
    const key = `${groupsText}\u0000${conditionText}`;
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const compiled = new CompiledCondition(unwrap(module.compileCondition(conditionText, groupsText, false)));
    if (cache.size >= CACHE_CAPACITY) {
      const [oldestKey, oldest] = cache.entries().next().value;
      cache.delete(oldestKey);
      oldest.dispose();
    }
    cache.set(key, compiled);
    return compiled;
  }

  /** GrowthBook's evalCondition(attributes, condition, savedGroups), with its lenient semantics. */
  function evalCondition(attributes, condition, savedGroups, options = {}) {
    const conditionText = toJsonText(condition, 'condition');
    const groupsText = savedGroupsText(savedGroups);
    if (conditionText.length + groupsText.length > CACHE_MAX_KEY_UNITS) {
      const attributesText = toJsonText(attributes, 'attributes');
      return unwrap(module.evalCondition(attributesText, conditionText, groupsText, toTimestamp(options.at)));
    }
    return cachedCondition(conditionText, groupsText).test(attributes, options);
  }

  /** Compiles a condition (strict by default) into a handle; dispose() it when done. */
  function compileCondition(condition, savedGroups, options = {}) {
    const strict = options.strict ?? true;
    if (typeof strict !== 'boolean') {
      throw new StagelineError('invalid_argument', '', 'options.strict must be a boolean');
    }
    const conditionText = toJsonText(condition, 'condition');
    return new CompiledCondition(unwrap(module.compileCondition(conditionText, savedGroupsText(savedGroups), strict)));
  }

  return { evalCondition, compileCondition };
}
