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
  /** Compiles a stage model: a preset name or a config object, with parameter overrides. Dispose it. */
  stageModel(presetOrConfig: StagePreset | StageModelConfig, params?: { [name: string]: number | string | boolean }): StageModel;
  /** GrowthBook's hash: FNV-1a over UTF-16 code units; version 1 or 2, else null. In [0, 1). */
  hash(seed: string, value: string, version: number): number | null;
  /** GrowthBook's bucket ranges for `numVariations` at `coverage` (0..1) with optional weights. */
  getBucketRanges(numVariations: number, coverage?: number | null, weights?: number[] | null): [number, number][];
  /** The index of the range containing `n`, or -1. */
  chooseVariation(n: number, ranges: [number, number][]): number;
  /** Whether `hashValue` falls in the namespace slice `[id, start, end]`. */
  inNamespace(hashValue: string, namespace: [string, number, number]): boolean;
  /** `n` equal weights summing to 1. */
  getEqualWeights(n: number): number[];
  /** The variation forced by `?key=n` in `url` (QA override), or null. */
  getQueryStringOverride(key: string, url: string, numVariations: number): number | null;
  /** The names of the shipped stage-model presets. */
  readonly stagePresets: readonly StagePreset[];
  /** A builder of customer profiles held inside the WebAssembly heap. Dispose it. */
  profileBuilder(traits?: TraitsConfig | null): ProfileBuilder;
  /**
   * json-logic-js 2.0.5's `jsonLogic.apply(rule, data)`. Like the reference, the result can be
   * undefined (e.g. `{"and": []}`) or a non-finite number.
   */
  applyJsonLogic(rule: JsonValue, data?: JsonValue): JsonValue | undefined;
  /** Compiles a personalization rules config (see the README and web/rules.schema.json). Dispose it. */
  rules(config: RulesConfig): RulesEngine;

  // ----- Buy-till-you-die (docs/predictive.md) -----
  /** Maximum-likelihood BG/NBD fit (lifetimes' BetaGeoFitter likelihood). */
  fitBGNBD(data: RfmInput): BgNbdFit;
  /** Maximum-likelihood Pareto/NBD fit (lifetimes' ParetoNBDFitter likelihood). */
  fitParetoNBD(data: RfmInput): ParetoNbdFit;
  /** Gamma-Gamma spend fit over the rows with frequency > 0 (their monetary must be > 0). */
  fitGammaGamma(data: { frequency: NumberColumn; monetary: NumberColumn }): GammaGammaFit;
  /** lifetimes' customer_lifetime_value; returns one value per customer. */
  customerLifetimeValue(options: ClvOptions): Float64Array;
  /**
   * lifetimes' per-customer summary over typed transaction columns (what dataset.summary() uses):
   * customerCodes[i] indexes customerIds; times in epoch ms.
   */
  summarizeTransactions(
    customerCodes: Uint32Array | ArrayLike<number>,
    customerIds: ArrayLike<string>,
    timestampsMs: Float64Array | ArrayLike<number>,
    amounts: Float64Array | ArrayLike<number> | null,
    options: SummaryOptions,
  ): CustomerSummary;
}

/** A time: epoch milliseconds, a Date, or an ISO-8601 string (no zone = UTC). Default: now. */
export type TimeInput = number | Date | string;

export type StagePreset = 'classic' | 'journey' | 'funnel' | 'full';
export const STAGE_PRESETS: readonly StagePreset[];

export interface StageConfig {
  id: string;
  label?: string;
  description?: string;
  color?: string;
  /** Stages are tried from the highest priority down; default: the stage's position. */
  priority?: number;
  /** Once entered, stay at least this many days. */
  minDwellDays?: number;
  /** Required for every stage but the default. `{"$param": "name"}` inserts a parameter. */
  when?: Condition;
}

export interface StageModelConfig {
  name?: string;
  description?: string;
  params?: { [name: string]: number | string | boolean };
  default: string;
  stages: StageConfig[];
}

export interface StageInfo {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly color: string;
  readonly priority: number;
  readonly minDwellDays: number;
}

export interface ClauseResult {
  /** JSON path of the clause in the model config, e.g. "stages[3].when.$and[0].orders.$gte". */
  path: string;
  attribute: string;
  op: string;
  expected: JsonValue;
  actual: JsonValue;
  held: boolean;
}

export interface Classification {
  stage: string;
  stageIndex: number;
  /** "stages[3].when", "default" or "minDwell". */
  rule: string;
  /** The stages tried, highest priority first, up to the one that matched. */
  explanation: { stage: string; matched: boolean; clauses: ClauseResult[] }[];
}

/** A compiled stage model. Holds WebAssembly memory: dispose() it (or `using`). */
export class StageModel implements Disposable {
  private constructor();
  readonly name: string;
  /** Stages in lifecycle order. */
  readonly stages: readonly StageInfo[];
  readonly defaultStage: string;
  readonly params: { readonly [name: string]: number | string | boolean };
  /** The config the model was compiled from (the full definition, for presets). */
  readonly config: StageModelConfig;
  /**
   * Classifies a profile (from ProfileBuilder.profile, or any attribute object) at `at`.
   * tenureDays / daysSinceLastSeen / daysSinceLastOrder are recomputed at `at`.
   */
  classify(profile: Attributes, at?: TimeInput, previous?: { stage: string; enteredAt: TimeInput } | null): Classification;
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface TraitConfig {
  name: string;
  aggregate: 'count' | 'sum' | 'min' | 'max' | 'last';
  event: string;
  /** "value" (default) or a key of the event's properties. */
  property?: string;
  /** Trailing window in days (whole UTC days); all time when absent. */
  windowDays?: number;
}
/** BG/NBD P(alive) from the profile's orders, with a fitted model (e.g. sl.fitBGNBD's result). */
export interface PAliveTraitConfig {
  name: string;
  aggregate: 'pAlive';
  model: { r: number; alpha: number; a: number; b: number };
  /** The model's time unit (default "D"). */
  period?: 'D' | 'W' | 'M';
}
export interface TraitsConfig {
  traits: (TraitConfig | PAliveTraitConfig)[];
}

export interface LifecycleEvent {
  customerId: string | number;
  type: string;
  timestamp: TimeInput;
  value?: number;
  properties?: { [key: string]: JsonValue };
}

/** A customer profile as plain data (see the README for every field). */
export interface Profile {
  customerId: string;
  firstSeen: number | null;
  lastSeen: number | null;
  tenureDays: number | null;
  daysSinceLastSeen: number | null;
  events: number;
  counts: { [type: string]: number };
  activeDays: number;
  sessions: number;
  signedUpAt: number | null;
  orders: number;
  revenue: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  daysSinceLastOrder: number | null;
  averageOrderValue: number | null;
  lastNps: number | null;
  lastCsat: number | null;
  lastCes: number | null;
  tickets: number;
  openTickets: number;
  referrals: number;
  cancelledAt: number | null;
  traits: { [key: string]: JsonValue };
  /** What restores the exact aggregates; computed traits appear at the top level by name. */
  state: JsonValue;
  [computedTrait: string]: JsonValue | undefined;
}

export interface EventColumns {
  customerId: ArrayLike<string | number>;
  type: ArrayLike<string>;
  /** Epoch ms (Float64Array is fastest), Dates or ISO strings. */
  timestamp: Float64Array | ArrayLike<TimeInput>;
  /** NaN / null / undefined = no value. */
  value?: Float64Array | ArrayLike<number | null | undefined> | null;
}

/** Customer profiles inside the WebAssembly heap. Holds memory: dispose() it (or `using`). */
export class ProfileBuilder implements Disposable {
  private constructor();
  /** Adds one event or several; all are validated before any is applied. */
  add(events: LifecycleEvent | LifecycleEvent[]): this;
  /** Bulk path: columns of equal length, crossing into WebAssembly as typed arrays. */
  addColumns(columns: EventColumns): this;
  /** The profile at `at` (default now), or null for an unknown customer. */
  profile(customerId: string | number, at?: TimeInput): Profile | null;
  readonly size: number;
  readonly eventCount: number;
  /** Customer ids in the builder's order (first seen first). */
  customerIds(): string[];
  /** Customers matching a condition (compiled strictly) at `at`, counted in one call. */
  count(condition: Condition, at?: TimeInput): number;
  /** Every customer's stage at `at`. */
  classifyAll(model: StageModel, at?: TimeInput): {
    customerIds: string[];
    stages: string[];
    stageIndex: Uint16Array;
    distribution: { [stageId: string]: number };
  };
  /** The customer's stage timeline up to `until` (default now); leftAt null for the current stay. */
  timeline(customerId: string | number, model: StageModel, until?: TimeInput): { stage: string; enteredAt: string; leftAt: string | null }[];
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Where the .wasm comes from: give at most one of the three (default: fetched, or read in Node, from web/dist/). */
export interface InitOptions {
  /** The bytes of stageline.wasm, when the caller has them already (skips reading or fetching). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * The response for the .wasm, or a promise of it, when the page fetches it itself: e.g. a
   * `fetch()` started beside the `import()` of the wrapper, so that the download and compile overlap
   * the import (the README's embedding example), or a response from Cache Storage. Compiled as it
   * streams when served as application/wasm. A failed response rejects init() with "load_failed".
   */
  wasmResponse?: Response | PromiseLike<Response>;
  /** Where to fetch stageline.wasm from (default: web/dist/stageline.wasm beside the wrapper). */
  wasmUrl?: string | URL;
}

/**
 * Loads a module instance and returns its API. In Node the .wasm file is read from disk; in
 * browsers and workers it is fetched. Rejects with StagelineError("load_failed").
 */
export function init(options?: InitOptions): Promise<Stageline>;

/** A personalization rules config; web/rules.schema.json is its JSON Schema. */
export interface RulesConfig {
  /** A preset name, a preset with parameter overrides, or a stage model config. */
  stageModel?: StagePreset | { preset: StagePreset; params?: { [name: string]: number | string | boolean } } | StageModelConfig;
  /** Placements, in the order decideAll returns them; `default` is the payload when no rule applies. */
  slots: { [slotId: string]: { default?: JsonValue; description?: string } };
  rules?: RuleConfig[];
  description?: string;
}

export interface RuleConfig {
  id: string;
  slot: string;
  description?: string;
  /** Higher first; ties keep config order. Default 0. */
  priority?: number;
  /** A condition over the profile (top level), `stage`, and the page context (`context.*`), or {jsonLogic: rule}. */
  when?: Condition | { jsonLogic: JsonValue };
  /** The rule applies only in these stages of the config's stage model. */
  stages?: string[];
  /** Active in [start, end). */
  schedule?: { start?: TimeInput; end?: TimeInput };
  /** The payload of the rule's single variant (its id is the rule id). */
  payload?: JsonValue;
  /** Several variants: an experiment buckets customers into them. */
  variants?: { id: string; payload?: JsonValue; weight?: number }[];
  experiment?: {
    key?: string;
    hashAttribute?: string;
    fallbackAttribute?: string;
    seed?: string;
    hashVersion?: 1 | 2;
    coverage?: number;
    namespace?: [string, number, number];
  };
  /** At most `max` exposures per customer within any `windowDays` days. */
  frequencyCap?: { max: number; windowDays: number };
  /** Days the rule pauses for a customer after they dismissed it. */
  cooldownDays?: number;
  /** Mutual-exclusion group: in decideAll, one rule per group across slots. */
  group?: string;
  /** Fraction of customers (by hash of customerId) who see the slot's default instead. */
  holdout?: number;
}

/** The page a decision is made for. Members are free-form; these are derived when absent. */
export interface PageContext {
  url?: string;
  path?: string;
  host?: string;
  referrer?: string;
  device?: string;
  locale?: string;
  /** The visitor's offset from UTC in minutes (60 for CET); `context.hour` and `context.dayOfWeek` use it. */
  utcOffsetMinutes?: number;
  query?: { [name: string]: string };
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  [member: string]: JsonValue | undefined;
}

export interface DecisionInput {
  /** Whose profile, exposures and experiment bucket; also the anonymous id of a visitor. */
  customerId?: string;
  /** A stored profile (profileBuilder().profile() or a runtime's), or a live one from sl.customerProfile() (its computed traits included) … */
  profile?: Profile | CustomerProfile | { [field: string]: JsonValue };
  /** … or a builder holding the customer. Neither: an anonymous visitor. */
  builder?: ProfileBuilder;
  /** The stage, instead of classifying with the config's stage model. */
  stage?: string;
  context?: PageContext;
  at?: TimeInput;
  /** false: a preview that records no exposure. Default true. */
  record?: boolean;
}

export type RuleOutcome = 'stage' | 'schedule' | 'condition' | 'capped' | 'cooldown' | 'holdout' | 'noHashAttribute' | 'namespace' | 'coverage' | 'group';

export class Decision {
  readonly slot: string;
  /** null when the slot shows its default. */
  readonly ruleId: string | null;
  /** "default" for the slot's default. */
  readonly variant: string;
  readonly payload: JsonValue;
  readonly stage: string | null;
  readonly experiment?: { key: string; variationId: number; inExperiment: boolean; hashValue: number; forced: boolean };
  /** Why: the chosen rule and why each higher-priority rule was passed over. */
  readonly reason: string;
  readonly skipped: { ruleId: string; why: RuleOutcome }[];
  toJSON(): object;
}

export interface Exposure {
  customerId: string;
  slot: string;
  ruleId: string;
  variant: string;
  at: number;
  experiment?: Decision['experiment'];
}

export interface ExposureRecord {
  rule: string;
  slot: string;
  variant?: string;
  at: number;
  kind: 'exposure' | 'dismissal';
}

export class RulesEngine implements Disposable {
  readonly slots: string[];
  readonly rules: string[];
  decide(slot: string, input?: DecisionInput): Decision;
  decideAll(input?: DecisionInput): Decision[];
  /** Returns an unsubscribe function. */
  onExposure(callback: (exposure: Exposure) => void): () => void;
  dismiss(what: Decision | string, options: { customerId: string; at?: TimeInput }): void;
  forceVariation(experimentKey: string, variation: number | null): void;
  exposures(customerId: string): ExposureRecord[];
  restoreExposures(customerId: string, history: ExposureRecord[]): { restored: number; leftOut: number };
  forget(customerId: string): void;
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

// ---- Offline-first runtime (the README's "Offline-first browser runtime") ------------------------------------------------

/** One customer's profile on its own in the WebAssembly heap. Dispose it. */
export class CustomerProfile implements Disposable {
  private constructor();
  readonly customerId: string;
  /** Number of events the aggregates hold. */
  readonly eventCount: number;
  /** Applies events (customerId defaults to this profile's); all are validated before any is applied. */
  apply(events: Omit<LifecycleEvent, 'customerId'> & { customerId?: string | number } | (Omit<LifecycleEvent, 'customerId'> & { customerId?: string | number })[]): this;
  /** The profile at `at` (default now), with the `state` that restoreProfile() needs. */
  profile(at?: TimeInput): Profile;
  /** Folds another profile's aggregates into this one, keeping this customer id (see the README's "Offline-first browser runtime"). */
  merge(other: CustomerProfile): this;
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

export type ConsentMode = 'required' | 'granted';
export type ConsentState = 'pending' | 'granted' | 'revoked';
export type StorageKind = 'indexeddb' | 'memory' | 'none';

export interface TrackerOptions {
  /** A stage model handle, a preset name or a config (default 'classic'). */
  stageModel?: StageModel | StagePreset | StageModelConfig;
  /** Parameter overrides when stageModel is a preset name or config. */
  stageParams?: { [name: string]: number | string | boolean };
  /**
   * A rules engine (sl.rules(config)) or a config the tracker compiles (and disposes at close);
   * needed by decide(), decideAll() and dismiss(). Its stage model, if any, must have the tracker's stages.
   */
  rules?: RulesEngine | RulesConfig | null;
  /** Computed traits of the visitor's profile. */
  traits?: TraitsConfig | null;
  storage?: {
    /** IndexedDB database name (default 'stageline'). */
    name?: string;
    /** 'auto' (default): IndexedDB, else memory with an 'error' event; 'indexeddb': fail without it; 'memory'. */
    backend?: 'auto' | 'indexeddb' | 'memory';
    /** Raw events kept in the local log (default 1000); the profile keeps every count regardless. */
    maxEvents?: number;
  };
  sync?: {
    /** Collector URL; without it nothing is sent. */
    url: string;
    batchSize?: number;
    flushDelayMs?: number;
    timeoutMs?: number;
    backoffBaseMs?: number;
    backoffMaxMs?: number;
    /** sendBeacon of the unsent outbox when the page is hidden (default true). */
    beacon?: boolean;
    /**
     * Unsent entries the outbox keeps (default 10000): beyond it the oldest events are dropped,
     * counted in export().meta ('outbox' record) and reported as an `outbox_full` error event.
     */
    maxOutbox?: number;
    /** SHA-256 customer and anonymous ids before sending (default true). */
    hashIdentifiers?: boolean;
    hashSalt?: string;
  } | null;
  /** 'required': nothing stored or sent until grantConsent(). Default 'granted'. */
  consent?: ConsentMode;
  /** The clock (epoch ms), for tests and replays. */
  now?: () => number;
}

export interface TrackerStage {
  stage: string;
  enteredAt: number;
  rule: string;
  reason: string;
}

export interface StageChange {
  from: string;
  to: string;
  at: number;
  rule: string;
  /** The rule and the clauses of the new stage that held, e.g. "stages[2].when: orders $gte 1 (was 1)". */
  reason: string;
  /** 'event', 'identify' or 'time' (a time-driven move noticed at page load). */
  cause: 'event' | 'identify' | 'time';
  customerId: string;
  /** Set when another tab made the transition. */
  source?: 'other-tab';
}

export interface TrackerError {
  code: 'storage_unavailable' | 'corrupt_record' | 'sync_failed' | 'storage_failed' | 'outbox_full';
  message: string;
  store?: string;
  key?: JsonValue;
  attempt?: number;
  retryInMs?: number;
  /** outbox_full: entries dropped now, dropped so far (stored), and the cap. */
  dropped?: number;
  droppedTotal?: number;
  maxOutbox?: number;
}

export interface TrackerEventMap {
  stagechange: CustomEvent<StageChange>;
  exposure: CustomEvent<Exposure>;
  sync: CustomEvent<{ sent: number; acknowledged: number }>;
  error: CustomEvent<TrackerError>;
}

export class Tracker extends EventTarget {
  private constructor();
  readonly storage: StorageKind;
  readonly consent: ConsentState;
  readonly anonymousId: string;
  readonly customerId: string | null;
  addEventListener<K extends keyof TrackerEventMap>(type: K, listener: (event: TrackerEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  /** props.value becomes the event's value, other members its properties. Null when consent is missing. */
  track(type: string, props?: { value?: number; [property: string]: JsonValue | undefined }): Promise<{ id: string } | null>;
  identify(customerId: string | number, traits?: { [key: string]: JsonValue }): Promise<{ id: string } | null>;
  page(context?: { [key: string]: JsonValue }): Promise<{ id: string } | null>;
  stage(): TrackerStage;
  profile(): Profile;
  timeline(): { stage: string; enteredAt: number; leftAt: number | null; rule: string }[];
  /** The engine's decision for this visitor (profile, stage, context); exposures persist for caps. */
  decide(slot: string, context?: PageContext): Promise<Decision>;
  decideAll(context?: PageContext): Promise<Decision[]>;
  /** The visitor dismissed a decision, rule or slot: starts its cooldown (persisted). */
  dismiss(what: Decision | string): Promise<void>;
  grantConsent(): Promise<void>;
  revokeConsent(): Promise<void>;
  forget(): Promise<void>;
  export(): Promise<{ [key: string]: JsonValue }>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface Stageline {
  /** An empty profile for one customer. Dispose it. */
  customerProfile(customerId: string | number, traits?: TraitsConfig | null): CustomerProfile;
  /** A profile restored from what profile() returned (object or JSON text). Dispose it. */
  restoreProfile(profile: Profile | string, traits?: TraitsConfig | null): CustomerProfile;
  /** The offline-first runtime: resolves once the visitor is restored. */
  createTracker(options?: TrackerOptions): Promise<Tracker>;
}

/** Renders a decision payload as text ({ html } only through options.sanitize). */
export function renderPayload<E extends { textContent: string | null; innerHTML: string }>(
  element: E, payload: string | number | { text: string } | { html: string } | null | undefined,
  options?: { sanitize?: (html: string) => string }): E;
// ----- Buy-till-you-die -----

/** A column of numbers: typed arrays cross into WebAssembly as one copy. */
export type NumberColumn = Float64Array | ArrayLike<number>;
/** A per-customer argument: a number (the method returns a number) or a column (a Float64Array). */
export type PerCustomer = number | NumberColumn;

/** Frequency (repeat purchase periods), recency and age T per customer, in one time unit. */
export interface RfmInput {
  frequency: NumberColumn;
  recency: NumberColumn;
  T: NumberColumn;
}

interface FitStatus {
  /** Total log-likelihood over the customers, in the input's time units. */
  logLikelihood: number;
  /** Optimizer iterations: BFGS's (plus Nelder-Mead's if BFGS did not converge) for BG/NBD and Gamma-Gamma, Nelder-Mead's over all restarts for Pareto/NBD. */
  iterations: number;
  /** True when the optimizer met its tolerances. */
  converged: boolean;
  /** Rows the likelihood summed over. */
  customers: number;
}

interface TransactionModelFit extends FitStatus {
  readonly model: 'bgnbd' | 'pareto';
  pAlive(x: number, tx: number, T: number): number;
  pAlive(x: PerCustomer, tx: PerCustomer, T: PerCustomer): number | Float64Array;
  /** Expected purchases in the next t time units given the history (x, tx, T). */
  expectedPurchases(t: number, x: number, tx: number, T: number): number;
  expectedPurchases(t: PerCustomer, x: PerCustomer, tx: PerCustomer, T: PerCustomer): number | Float64Array;
}

export interface BgNbdFit extends TransactionModelFit {
  readonly model: 'bgnbd';
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface ParetoNbdFit extends TransactionModelFit {
  readonly model: 'pareto';
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export interface GammaGammaFit extends FitStatus {
  p: number;
  q: number;
  v: number;
  /** E[mean spend | x, m] = p (v + x m) / (p x + q - 1). */
  expectedSpend(x: number, m: number): number;
  expectedSpend(x: PerCustomer, m: PerCustomer): number | Float64Array;
}

export interface ClvOptions extends RfmInput {
  transactionModel: BgNbdFit | ParetoNbdFit;
  spendModel: GammaGammaFit;
  monetary: NumberColumn;
  /** Horizon in months (default 12). */
  months?: number;
  /** Monthly discount rate (default 0.01). */
  discountRate?: number;
  /** The unit T is in: periods per month D = 30, W = 4.345, M = 1 (default "D"). */
  period?: 'D' | 'W' | 'M';
}

export interface SummaryOptions {
  /** Period units (default "D"): UTC days, Monday-to-Sunday weeks, calendar months. */
  period?: 'D' | 'W' | 'M';
  observationEnd: TimeInput;
  /** With it, the columns describe the calibration period and holdout columns are added. */
  calibrationEnd?: TimeInput;
}

export interface CustomerSummary {
  customerIds: string[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetary: Float64Array;
  /** With calibrationEnd: distinct holdout periods with purchases. */
  frequencyHoldout?: Float64Array;
  /** With calibrationEnd: mean raw holdout transaction amount (0 if none). */
  monetaryHoldout?: Float64Array;
  /** With calibrationEnd: observation end's period minus calibration end's. */
  durationHoldout?: number;
}

// ---- Datasets (web/src/datasets/dataset.js; definitions in the README's "Datasets and metrics") ----

/** Column names of the input (CSV header names, NDJSON member names or column-object keys) plus ingest options. */
export interface DatasetMapping {
  customerId: string;
  timestamp: string;
  /** Line amount; transactions need it or quantity and unitPrice. */
  amount?: string;
  quantity?: string;
  unitPrice?: string;
  orderId?: string;
  /** Event type; required by loadEvents. */
  type?: string;
  /** Survey score (nps 0–10, csat 1–5, ces 1–7 by the event type). */
  score?: string;
  /** Product code, for excludeProducts. */
  product?: string;
  /** Input text format; "auto" (default) reads text starting with "{" as NDJSON. */
  format?: 'auto' | 'csv' | 'ndjson';
  /** CSV delimiter: "auto" (default: the most frequent of , ; TAB | in the header) or one character. */
  delimiter?: string;
  /** Read "12,50" as 12.5. Default false. */
  decimalComma?: boolean;
  /** Default "auto": ISO-8601 (no zone = UTC), date-only, or integer epoch ms. */
  timestampFormat?: 'auto' | 'epoch_ms' | 'epoch_s' | 'mdy' | 'dmy';
  /** Order ids starting with it are cancellations whose lines count negative. Default "C"; "" = none. */
  cancelPrefix?: string;
  /** Lines with amount 0: "exclude" (default; reported as issues) or "keep". */
  zeroAmount?: 'exclude' | 'keep';
  /** Product codes of non-product lines (postage, fees) to exclude (reported as issues). */
  excludeProducts?: string[];
  /** Throw a StagelineError at the first invalid row (path `row N, column "name"`). Default false. */
  strict?: boolean;
  /** Issues kept in `issues` (all are counted in `report`). Default 10000. */
  maxIssues?: number;
  /** Rows between onProgress calls. Default 100000. */
  progressEvery?: number;
  /** Data rows a dataset may hold; one more throws `limit_exceeded` at `row N`. Default 20,000,000. */
  maxRows?: number;
  /** CSV header columns read; more throws `limit_exceeded` at `header`. Default 1024. */
  maxColumns?: number;
  /** Bytes per CSV record or NDJSON line; a longer one throws `limit_exceeded` at `line N`. Default 1 MiB. */
  maxRecordBytes?: number;
  /** Called with the number of rows read so far. */
  onProgress?: (rowsRead: number) => void;
  /** UTF-16 code units of text handed to the module per call. Default 1 Mi (1,048,576). */
  chunkSize?: number;
}

/** Typed columns: arrays (strings, numbers, Dates, null = none) or typed arrays (NaN = none), keyed by column name. */
export type DatasetColumns = { [column: string]: ArrayLike<string | number | Date | null | undefined> };

export interface IngestIssue {
  /** CSV: record number with the header as row 1; NDJSON: line number. */
  row: number;
  /** Line on which the row starts. */
  line: number;
  /** Input column name; "" for the row as a whole. */
  column: string;
  reason: 'invalid_timestamp' | 'invalid_number' | 'missing_value' | 'ragged_row' | 'csv_syntax' | 'invalid_json'
    | 'invalid_value' | 'out_of_range' | 'zero_amount' | 'non_product';
  message: string;
  /** Dropped by a policy (zero amount, non-product line) rather than invalid. */
  excluded: boolean;
}

export interface IngestReport {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsExcluded: number;
  guestRows: number;
  returnRows: number;
  issueCount: number;
  issuesByReason: { [reason: string]: number };
  issues: IngestIssue[];
}

export type PeriodName = 'D' | 'W' | 'M' | 'Q' | 'Y';

export interface KpiOptions {
  period?: PeriodName;
  from?: TimeInput;
  to?: TimeInput;
  /** Purchases so far that make an active customer loyal. Default 4. */
  loyaltyOrders?: number;
  /** Customer lifespan in periods for CLV; default 1 / churnRate of the period. */
  lifespanPeriods?: number;
  /** Gross margin applied to CLV. Default 1. */
  margin?: number;
  /** Acquisition spend by period label ("2024-03"), for CAC. */
  spend?: { [periodLabel: string]: number };
  signupEvent?: string;
  /** Event type that counts as activation; no activation rate without it. */
  activationEvent?: string;
  activationWindowDays?: number;
}

export type KpiName = 'customersAtStart' | 'activeCustomers' | 'newCustomers' | 'retainedCustomers' | 'orders' | 'revenue'
  | 'retentionRate' | 'churnRate' | 'repeatCustomerRate' | 'loyaltyRate' | 'averageOrderValue' | 'purchaseFrequency'
  | 'arpu' | 'clv' | 'cac' | 'activationRate';

/** Per period: sample size, estimate and 95% interval (null without data). */
export interface EstimateSeries {
  n: number[];
  value: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
}

export interface KpiResult {
  period: PeriodName;
  periods: string[];
  /** Epoch ms of each period's start. */
  start: number[];
  metrics: { [name in KpiName]: (number | null)[] };
  /** (x_p − x_{p−1}) / |x_{p−1}|, null when undefined. */
  change: { [name in KpiName]: (number | null)[] };
  cx: { nps: EstimateSeries; csat: EstimateSeries; ces: EstimateSeries; cesHigh: EstimateSeries };
}

export interface RfmSegmentRule {
  name: string;
  /** [min, max] scores, 1–5; missing = [1, 5]. */
  r?: [number, number];
  f?: [number, number];
  m?: [number, number];
}

export interface RfmOptions {
  /** Reference time; default the UTC midnight after the dataset's last row. */
  at?: TimeInput;
  /** Replaces the eleven default segment rules; the first matching rule wins. */
  segments?: RfmSegmentRule[];
}

export interface RfmResult {
  at: number;
  customerIds: string[];
  /** Epoch ms. */
  lastPurchase: Float64Array;
  recencyDays: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Segment name per customer ("Other" when no rule matches). */
  segments: string[];
  segmentCounts: { [segment: string]: number };
  customersWithoutPurchase: number;
}

export interface CohortOptions {
  period?: 'D' | 'W' | 'M';
  /** End of observation (whole periods); default the dataset's last row. */
  to?: TimeInput;
}

/** Row c holds cells k = 0 .. (last period − cohort c): shorter rows for younger cohorts. */
export interface CohortResult {
  period: 'D' | 'W' | 'M';
  cohorts: string[];
  start: number[];
  size: number[];
  returned: number[][];
  returnedRate: (number | null)[][];
  onOrAfter: number[][];
  onOrAfterRate: (number | null)[][];
  revenue: number[][];
}

export interface FunnelOptions {
  /** Event types, 1 to 32. */
  steps: string[];
  /** Conversion window from the first step. Default 14. */
  windowDays?: number;
  order?: 'ordered' | 'any';
  from?: TimeInput;
  to?: TimeInput;
}

export interface FunnelResult {
  order: 'ordered' | 'any';
  windowDays: number;
  /** In "any" order, step k counts customers who did k of the steps. */
  steps: { type: string; customers: number; conversionFromStart: number | null; conversionFromPrevious: number | null }[];
  converted: number;
  medianTimeToConvertMs: number | null;
  meanTimeToConvertMs: number | null;
}

export interface StageDistribution {
  at: number;
  stages: string[];
  counts: number[];
  distribution: { [stageId: string]: number };
  customerIds: string[];
  stageIndex: Uint16Array;
}

export interface TransitionMatrix {
  from: number;
  to: number;
  stages: string[];
  /** Rows: stage at `from`, plus a last row for customers not seen yet; columns: stage at `to`. */
  matrix: number[][];
}

export interface LifecycleOptions {
  period?: PeriodName;
  from?: TimeInput;
  to?: TimeInput;
}

export interface LifecycleResult {
  period: PeriodName;
  periods: string[];
  start: number[];
  new: number[];
  returning: number[];
  resurrecting: number[];
  /** Active in the previous period, not in this one (PostHog plots it negative). */
  dormant: number[];
}

/** Transactions or events held column-wise in the WebAssembly heap. Dispose it. */
export class Dataset implements Disposable {
  private constructor();
  readonly rowCount: number;
  readonly customerCount: number;
  readonly report: IngestReport;
  /** The first maxIssues rejected or excluded rows. */
  readonly issues: IngestIssue[];
  kpis(options?: KpiOptions): KpiResult;
  /** lifetimes' per-customer summary of the dataset's purchases, for the BTYD fits. */
  summary(options: SummaryOptions): CustomerSummary;
  rfm(options?: RfmOptions): RfmResult;
  cohorts(options?: CohortOptions): CohortResult;
  funnel(options: FunnelOptions): FunnelResult;
  /** Stage of every customer seen up to `at` (default now). */
  stages(model: StageModel, at?: TimeInput): StageDistribution;
  transitions(model: StageModel, from: TimeInput, to: TimeInput): TransitionMatrix;
  /** NPS, CSAT, CES per stage, each answer counted for the stage it was given in. */
  cxByStage(model: StageModel, options?: { from?: TimeInput; to?: TimeInput }): {
    stages: string[];
    cx: { [score in 'nps' | 'csat' | 'ces' | 'cesHigh']: { n: number[]; value: (number | null)[]; low: (number | null)[]; high: (number | null)[] } };
  };
  /** Time in stage (completed stays) and the stage-to-stage funnel, from timelines up to `until`. */
  stageFlow(model: StageModel, until?: TimeInput): {
    until: number;
    stages: string[];
    timeInStage: { stage: string; completedStays: number; medianDays: number | null; meanDays: number | null; openStays: number }[];
    funnel: { stage: string; reached: number; next: string | null; reachedNext: number | null; conversion: number | null }[];
  };
  lifecycle(options?: LifecycleOptions): LifecycleResult;
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface Stageline {
  /** Order lines from CSV text, NDJSON text or columns. */
  loadTransactions(input: string | DatasetColumns, mapping: DatasetMapping): Dataset;
  /** Events from CSV text, NDJSON text or columns. */
  loadEvents(input: string | DatasetColumns, mapping: DatasetMapping): Dataset;
}

// ---- GrowthBook payloads (the README's "GrowthBook payloads") -------------------------------------------------

/** A GrowthBook SDK payload: what GrowthBook's API or CDN serves (features; experiments are ignored). */
export interface GrowthBookPayload {
  features?: { [key: string]: GrowthBookFeature };
  savedGroups?: { [groupId: string]: JsonValue[] };
  contextualBandits?: { [ref: string]: { banditVersion?: number; contexts?: { leafId: number; condition?: Condition; weights: number[] }[] } };
  /** Ignored, as other members are. */
  dateUpdated?: string;
  experiments?: JsonValue[];
}

export interface GrowthBookFeature {
  defaultValue?: JsonValue;
  rules?: { [field: string]: JsonValue }[];
}

/** GrowthBook's Experiment, for run() (urlPatterns, url, groups and include are not supported). */
export interface GrowthBookExperiment {
  key: string;
  variations: JsonValue[];
  [field: string]: JsonValue | undefined;
}

/** A sticky-bucket document ("attributeName||attributeValue" keys it). */
export interface StickyAssignmentsDocument {
  attributeName: string;
  attributeValue: string;
  assignments: { [experimentKeyAndBucketVersion: string]: string };
}

/** GrowthBook's Result. */
export interface GrowthBookResult {
  key: string;
  featureId: string | null;
  inExperiment: boolean;
  hashUsed: boolean;
  variationId: number;
  /** Absent only for an experiment without variations. */
  value?: JsonValue;
  hashAttribute: string;
  hashValue: JsonValue;
  stickyBucketUsed: boolean;
  name?: string;
  bucket?: number;
  passthrough?: boolean;
  leafId?: number;
  variationWeights?: number[];
  banditVersion?: number;
}

/** GrowthBook's FeatureResult. */
export interface GrowthBookFeatureResult {
  value: JsonValue;
  on: boolean;
  off: boolean;
  source: 'unknownFeature' | 'defaultValue' | 'force' | 'override' | 'experiment' | 'prerequisite' | 'cyclicPrerequisite';
  ruleId: string;
  experiment?: GrowthBookExperiment;
  experimentResult?: GrowthBookResult;
}

export interface GrowthBookOptions {
  url?: string;
  forcedVariations?: { [experimentKey: string]: number };
  forcedFeatures?: Map<string, JsonValue> | { [featureKey: string]: JsonValue };
  enabled?: boolean;
  qaMode?: boolean;
  /** Turns sticky bucketing on ({} when the user has none yet). */
  stickyBucketAssignmentDocs?: { [attributeKey: string]: StickyAssignmentsDocument };
}

/** A GrowthBook payload compiled for one user. Dispose it. */
export class GrowthBookEvaluator implements Disposable {
  private constructor();
  evalFeature(key: string): GrowthBookFeatureResult;
  isOn(key: string): boolean;
  isOff(key: string): boolean;
  getFeatureValue<T extends JsonValue>(key: string, fallback: T): JsonValue;
  run(experiment: GrowthBookExperiment): GrowthBookResult;
  setAttributes(attributes: Attributes): void;
  setURL(url: string): void;
  setForcedVariations(variations: { [experimentKey: string]: number }): void;
  setForcedFeatures(values: Map<string, JsonValue> | { [featureKey: string]: JsonValue }): void;
  setEnabled(enabled: boolean): void;
  setQaMode(qaMode: boolean): void;
  setStickyBucketAssignmentDocs(docs: { [attributeKey: string]: StickyAssignmentsDocument }): void;
  /** Keeps the documents a StickyBucketService would load for this user. */
  loadStickyBucketAssignmentDocs(docs: StickyAssignmentsDocument[]): void;
  getStickyBucketAssignmentDocs(): { [attributeKey: string]: StickyAssignmentsDocument };
  getStickyBucketAttributes(): { [attribute: string]: string };
  readonly disposed: boolean;
  dispose(): void;
  [Symbol.dispose](): void;
}

export interface Stageline {
  /** Evaluates a GrowthBook payload as GrowthBook's JavaScript SDK 1.8.0 does. Dispose the result. */
  growthbook(payload: GrowthBookPayload, attributes?: Attributes, options?: GrowthBookOptions): GrowthBookEvaluator;
}

// ---- Memory statistics (the README's "Hardening") ----

/** The WebAssembly heap of one module instance. */
export interface MemoryStats {
  /** Size of the WebAssembly memory in bytes (it grows, never shrinks). */
  heapBytes: number;
  /** Bytes in live allocations: returns to its level once handles are disposed. */
  usedBytes: number;
  /** Bytes free inside the heap the allocator has claimed (reused before the memory grows). */
  freeBytes: number;
  /** Handles (conditions, models, builders, engines, profiles, datasets, evaluators) created and not yet disposed. */
  liveHandles: number;
  /** JavaScript values the C++ side holds through Embind (`emscripten::val`); steady when nothing leaks. */
  emvalHandles: number;
}

export interface Stageline {
  /** Memory statistics of this module instance, for long-running pages and leak checks. */
  memoryStats(): MemoryStats;
}

// ---- Column guessing (web/src/datasets/columns.js: the guesser of `stageline analyze` and the dashboard) ----

export type DatasetField = 'customerId' | 'timestamp' | 'type' | 'amount' | 'quantity' | 'unitPrice' | 'orderId' | 'score' | 'product';

/** The fields sl.loadEvents / sl.loadTransactions map columns to. */
export const DATASET_FIELDS: readonly DatasetField[];

/**
 * Guesses { field: column } from column names ("Customer ID" → customerId, "Invoice" → orderId, …).
 * `given` entries are kept; `kind` defaults to events when a type column is found, else transactions.
 */
export function guessColumns(
  columns: readonly string[],
  options?: { given?: Partial<Record<DatasetField, string>>; kind?: 'events' | 'transactions' },
): { mapping: Partial<Record<DatasetField, string>>; kind: 'events' | 'transactions' };
