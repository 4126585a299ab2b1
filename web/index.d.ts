// Hand-written types for the "stageline" package (web/src/index.js). Checked by tests/types.

/** Any value JSON.stringify can write. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A GrowthBook-style targeting condition, e.g. `{ country: { $in: ["NL", "BE"] } }`. */
export type Condition = { [attributeOrOperator: string]: JsonValue };

/** Attribute values a condition is tested against (nested objects are reached with "a.b" paths). */
export type Attributes = { [attribute: string]: JsonValue | undefined };

/** GrowthBook saved groups for `$inGroup` / `$notInGroup`: group id → member values. */
export type SavedGroups = { [groupId: string]: JsonValue[] };

/** Machine-readable failure categories. */
export type StagelineErrorCode =
  | 'invalid_json'
  | 'invalid_config'
  | 'unknown_operator'
  | 'invalid_regex'
  | 'invalid_timestamp'
  | 'invalid_argument'
  | 'limit_exceeded'
  | 'not_found'
  | 'disposed'
  | 'load_failed'
  | 'out_of_memory'
  | 'internal_error';

/**
 * Every error Stageline throws. `message` is `"<path>: <what went wrong>"` (or just the second part
 * when the problem concerns the whole input).
 */
export class StagelineError extends Error {
  constructor(code: StagelineErrorCode | string, path: string, message: string);
  readonly name: 'StagelineError';
  /** The failure category, e.g. "unknown_operator". */
  readonly code: StagelineErrorCode | string;
  /** JSON path of the offending part of the input, e.g. "$and[1].a"; "" for the input as a whole. */
  readonly path: string;
}

/** When relative-time operators ($withinLastDays, $olderThanDays) are evaluated. */
export interface EvaluationOptions {
  /** Evaluation time as epoch milliseconds or a Date. Default: Date.now(). */
  at?: number | Date;
}

export interface CompileOptions {
  /**
   * Strict (default): unknown operators, invalid regexes, wrongly typed operands and unknown saved
   * groups throw a StagelineError naming their JSON path. Lenient (`false`): such clauses evaluate
   * to false, exactly as GrowthBook's evalCondition does.
   */
  strict?: boolean;
}

/**
 * A condition compiled once for many tests. It holds memory inside the WebAssembly module:
 * call `dispose()` (or use `using`) when done; it is not freed by garbage collection.
 */
export class CompiledCondition implements Disposable {
  private constructor();
  /** True if `attributes` satisfy the condition. Throws StagelineError("disposed") after dispose(). */
  test(attributes: Attributes, options?: EvaluationOptions): boolean;
  /** The dotted attribute paths the condition reads, in first-use order. */
  readonly attributePaths: string[];
  /** True once dispose() has run. */
  readonly disposed: boolean;
  /** Frees the compiled condition. Calling it again does nothing; any other use then throws. */
  dispose(): void;
  /** Same as dispose(), for `using compiled = sl.compileCondition(...)`. */
  [Symbol.dispose](): void;
}

/** The API of one loaded module instance. */
export interface Stageline {
  /**
   * GrowthBook's `evalCondition(attributes, condition, savedGroups)` with its lenient semantics:
   * an unknown operator or invalid regex makes its clause false. Recently used conditions are
   * kept compiled (keyed by their JSON text), so calling this in a loop is cheap.
   */
  evalCondition(attributes: Attributes, condition: Condition, savedGroups?: SavedGroups | null, options?: EvaluationOptions): boolean;
  /** Compiles a condition (strict unless `options.strict === false`). Dispose the result. */
  compileCondition(condition: Condition, savedGroups?: SavedGroups | null, options?: CompileOptions): CompiledCondition;
}

export interface InitOptions {
  /** The bytes of stageline.wasm, when the caller has them already (skips reading or fetching). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to fetch stageline.wasm from (default: web/dist/stageline.wasm beside the wrapper). */
  wasmUrl?: string | URL;
}

/**
 * Loads a module instance and returns its API. In Node the .wasm file is read from disk; in
 * browsers and workers it is fetched. Rejects with StagelineError("load_failed").
 */
export function init(options?: InitOptions): Promise<Stageline>;
