// The one error type the wrapper throws. Errors raised in C++ arrive from the bindings as plain
// {code, path, message} objects (wasm/common/guard.hpp) and are turned into StagelineErrors here, so
// callers never see the bare numbers Emscripten would otherwise surface for C++ exceptions.

/** A failure reported by Stageline, with a machine-readable `code` and the JSON `path` it concerns. */
export class StagelineError extends Error {
  /**
   * @param {string} code e.g. "unknown_operator", "invalid_json", "disposed"
   * @param {string} path JSON path of the offending part of the input ("" for the whole input)
   * @param {string} message what was wrong; `.message` is prefixed with the path, as in C++ what()
   */
  constructor(code, path, message) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'StagelineError';
    this.code = code;
    this.path = path;
  }
}

/** Turns a binding's {code, path, message} into a StagelineError. */
export function errorFromBinding(info) {
  return new StagelineError(String(info.code), String(info.path), String(info.message));
}

/** Unwraps a binding's {value} / {error} result. */
export function unwrap(result) {
  if (result.error !== undefined) throw errorFromBinding(result.error);
  return result.value;
}
