// The one lifetime rule every handle (compiled condition, stage model, profile builder) follows:
// it owns a C++ object inside the WebAssembly heap, which garbage collection never frees, so it
// is freed by dispose() (or `using`), and any use afterwards throws StagelineError("disposed").

import { StagelineError } from './errors.js';

const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/** Module-internal accessor of the live Embind object (a symbol, so it stays off the public API). */
export const live = Symbol('live');

/**
 * Module-internal accessor of what a handle is ("profile builder", …): lets a wrapper check the
 * kind of handle it is given without importing that handle's class (and its file, for the lean entry).
 */
export const handleKind = Symbol('handle kind');

/**
 * Live (not yet disposed) handles per module instance, keyed by the prototype every Embind object
 * of that instance inherits from (Embind's ClassHandle.prototype, one per instance), so that
 * sl.memoryStats() can say whether a page disposes what it creates.
 */
const liveCounts = new WeakMap();

function embindRoot(object) {
  let prototype = Object.getPrototypeOf(object);
  while (prototype !== null && Object.getPrototypeOf(prototype) !== Object.prototype) prototype = Object.getPrototypeOf(prototype);
  return prototype;
}

/** Handles created through the module instance whose Embind class `embindClass` is, and not yet disposed. */
export function liveHandleCount(embindClass) {
  return liveCounts.get(embindRoot(embindClass.prototype)) ?? 0;
}

export class OwnedHandle {
  #handle;
  #what;
  #root;

  /** @param handle the Embind object; @param what e.g. "stage model", for the disposed error. */
  constructor(handle, what) {
    this.#handle = handle;
    this.#what = what;
    this.#root = embindRoot(handle);
    liveCounts.set(this.#root, (liveCounts.get(this.#root) ?? 0) + 1);
  }

  /** True once dispose() has run. */
  get disposed() {
    return this.#handle === null;
  }

  /** Frees the C++ object. Safe to call twice; any other use afterwards throws ("disposed"). */
  dispose() {
    if (this.#handle === null) return;
    this.#handle.delete();
    this.#handle = null;
    liveCounts.set(this.#root, liveCounts.get(this.#root) - 1);
  }

  [handleKind]() {
    return this.#what;
  }

  [disposeSymbol]() {
    this.dispose();
  }

  /** The Embind object, or StagelineError("disposed"). */
  [live]() {
    if (this.#handle === null) throw new StagelineError('disposed', '', `this ${this.#what} has been disposed`);
    return this.#handle;
  }
}
