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

export class OwnedHandle {
  #handle;
  #what;

  /** @param handle the Embind object; @param what e.g. "stage model", for the disposed error. */
  constructor(handle, what) {
    this.#handle = handle;
    this.#what = what;
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
