// Turning caller values into the JSON text the bindings take, with the core's size limit checked
// before the text is copied into the WebAssembly heap.

import { StagelineError } from './errors.js';

/**
 * The core refuses JSON texts above 16 MiB (stageline::JsonLimits::max_bytes). A string of more
 * than that many UTF-16 code units has at least that many UTF-8 bytes, so it is refused here
 * without first copying it into (and permanently growing) the module's memory.
 */
export const MAX_JSON_TEXT_UNITS = 16 * 1024 * 1024;

/** JSON.stringify(value), or a StagelineError naming `what` when that is impossible or too big. */
export function toJsonText(value, what) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    // RangeError: nested too deeply for the stack, or longer than a string can be. TypeError: a
    // cycle or a BigInt, which JSON cannot represent at all.
    const code = cause instanceof RangeError ? 'limit_exceeded' : 'invalid_argument';
    throw new StagelineError(code, '', `${what} cannot be written as JSON: ${cause.message}`);
  }
  if (text === undefined) {
    throw new StagelineError('invalid_argument', '', `${what} must be a JSON value, got ${typeof value}`);
  }
  if (text.length > MAX_JSON_TEXT_UNITS) {
    throw new StagelineError('limit_exceeded', '', `${what} is larger than the 16 MiB JSON limit`);
  }
  return text;
}

/** Milliseconds since the epoch for an `at` option (a number of ms or a Date); now by default. */
export function toTimestamp(at) {
  if (at === undefined) return Date.now();
  const ms = at instanceof Date ? at.getTime() : at;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new StagelineError('invalid_argument', '', 'options.at must be a finite number of milliseconds or a valid Date');
  }
  return ms;
}
