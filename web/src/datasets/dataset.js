// Datasets over the Embind bindings of wasm/datasets/dataset_bindings.cpp: transactions or events loaded
// from CSV text, NDJSON text or columns into the WASM heap, and metrics computed there. Text is
// handed over in chunks cut at line ends (each byte crosses once); results come back as plain
// objects and typed arrays (copies).

import { summaryOptions, summaryResult } from '../predictive/btyd.js';
import { StagelineError, unwrap } from '../common/errors.js';
import { live, OwnedHandle } from '../common/handle.js';
import { toJsonText } from '../common/json_text.js';
import { StageModel } from '../stages/stage_model.js';
import { evaluationTime, timestampMs } from '../common/time.js';

/** Field indices of core/include/stageline/datasets/dataset_loader.hpp (enum class Field). */
const FIELDS = ['customerId', 'timestamp', 'amount', 'quantity', 'unitPrice', 'orderId', 'type', 'score', 'product'];
/** Mapping keys handled here rather than in C++. */
const JS_ONLY = new Set(['format', 'onProgress', 'chunkSize']);
const DEFAULT_CHUNK = 1 << 20;

function firstContentCharacter(text) {
  for (let i = 0; i < text.length && i < 4096; i++) {
    const c = text[i];
    if (c !== '\uFEFF' && c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') return c;
  }
  return '';
}

/**
 * Feeds `text` in chunks that end at a line break (CSV records cut by a quoted break are carried
 * over in C++), each encoded to UTF-8 into one reused buffer and copied into the heap once.
 */
function feedText(loader, text, feed, chunkSize, checkCallback) {
  loader.setSizeHint(text.length);
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(chunkSize * 3 + 4);  // UTF-8 needs at most 3 bytes per UTF-16 unit
  let start = 0;
  do {
    let end = Math.min(text.length, start + chunkSize);
    if (end < text.length) {
      const lineEnd = text.lastIndexOf('\n', end - 1);
      if (lineEnd >= start) end = lineEnd + 1;
      else {
        const next = text.indexOf('\n', end);
        end = next === -1 ? text.length : next + 1;
      }
    }
    const chunk = text.slice(start, end);
    const bytes = chunk.length * 3 <= buffer.length
      ? buffer.subarray(0, encoder.encodeInto(chunk, buffer).written)
      : encoder.encode(chunk);  // one line longer than the chunk size
    unwrap(feed.call(loader, bytes, end === text.length));
    checkCallback();
    start = end;
  } while (start < text.length);
}

function isNumericColumn(column) {
  if (ArrayBuffer.isView(column)) return true;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null || v === undefined) continue;
    return typeof v === 'number' || v instanceof Date;
  }
  return true;
}

/** One mapped input column as the binding wants it: numbers (NaN = none) or a string dictionary. */
function encodeColumn(column, field, name) {
  if (isNumericColumn(column)) {
    const numbers = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (v === null || v === undefined) numbers[i] = NaN;
      else if (typeof v === 'number') numbers[i] = v;
      else if (v instanceof Date) numbers[i] = v.getTime();
      else if (typeof v === 'bigint') numbers[i] = Number(v);
      else throw new StagelineError('invalid_argument', `${name}[${i}]`, `expected a number like the column's first value, got ${typeof v}`);
    }
    return { field, numbers };
  }
  const codes = new Uint32Array(column.length);
  const index = new Map();
  const distinct = [];
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null || v === undefined) {
      codes[i] = 0xFFFFFFFF;
      continue;
    }
    const text = v instanceof Date ? v.toISOString() : String(v);
    let code = index.get(text);
    if (code === undefined) {
      code = distinct.length;
      index.set(text, code);
      distinct.push(text);
    }
    codes[i] = code;
  }
  return { field, dictionary: JSON.stringify(distinct), codes };
}

function feedColumns(loader, input, options) {
  const columns = [];
  let rows;
  FIELDS.forEach((key, field) => {
    const name = options[key];
    if (name === undefined || name === null) return;
    const column = input[name];
    if (column === undefined) throw new StagelineError('invalid_config', key, `no column "${name}" in the input`);
    if (typeof column.length !== 'number') throw new StagelineError('invalid_argument', name, 'expected an array or typed array');
    if (rows === undefined) rows = column.length;
    else if (column.length !== rows) throw new StagelineError('invalid_argument', name, `has ${column.length} rows, other columns ${rows}`);
    columns.push(encodeColumn(column, field, name));
  });
  unwrap(loader.addColumns(columns, rows ?? 0));
}

/** A date-like option (ISO string, Date, epoch ms) as epoch ms, for JSON. */
function timeOption(value, name) {
  if (value === undefined || value === null) return undefined;
  const ms = timestampMs(value);
  if (!Number.isFinite(ms)) throw new StagelineError('invalid_argument', name, 'expected epoch milliseconds, a Date or an ISO-8601 string');
  return ms;
}

function modelHandle(model) {
  if (!(model instanceof StageModel)) throw new StagelineError('invalid_argument', 'model', 'expected a stage model from sl.stageModel()');
  return model[live]();
}

/** Options with `from` / `to` as epoch ms, as JSON text. */
function rangeOptionsText(options) {
  const { from, to, ...rest } = options;
  return toJsonText({ ...rest, from: timeOption(from, 'from'), to: timeOption(to, 'to') }, 'options');
}

/** Transactions or events held in the WASM heap, column-wise. Holds C++ memory until dispose(). */
export class Dataset extends OwnedHandle {
  #report;

  constructor(handle) {
    super(handle, 'dataset');
  }

  /** Rows loaded (rejected and excluded rows are not counted here; see report). */
  get rowCount() {
    return this[live]().rowCount();
  }

  /** Distinct identified customers (guest rows have none). */
  get customerCount() {
    return this[live]().customerCount();
  }

  /** What loading did: counts of rows read, loaded, rejected, excluded, guests, returns, issues. */
  get report() {
    this.#report ??= JSON.parse(this[live]().report());
    return this.#report;
  }

  /** Rejected or excluded rows: [{row, line, column, reason, message, excluded}] (the first maxIssues). */
  get issues() {
    return this.report.issues;
  }

  /** Business KPIs and NPS/CSAT/CES per period (see the README's "Datasets and metrics"). */
  kpis(options = {}) {
    return JSON.parse(unwrap(this[live]().kpis(rangeOptionsText(options))));
  }

  /** Retention matrices by acquisition cohort: { period: 'D' | 'W' | 'M', to? }. */
  cohorts(options = {}) {
    return JSON.parse(unwrap(this[live]().cohorts(rangeOptionsText(options))));
  }

  /** An event funnel: { steps: [type, ...], windowDays = 14, order = 'ordered' | 'any', from?, to? }. */
  funnel(options) {
    if (options === null || typeof options !== 'object') throw new StagelineError('invalid_config', 'steps', 'expected { steps: [eventType, ...] }');
    return JSON.parse(unwrap(this[live]().funnel(rangeOptionsText(options))));
  }

  /** Stage of every customer seen up to `at` (default now) under `model`, with counts per stage. */
  stages(model, at) {
    const raw = JSON.parse(unwrap(this[live]().stages(modelHandle(model), evaluationTime(at))));
    raw.distribution = Object.fromEntries(raw.stages.map((id, i) => [id, raw.counts[i]]));
    raw.stageIndex = Uint16Array.from(raw.stageIndex);
    return raw;
  }

  /** Stage-to-stage matrix between two dates: rows = stage at `from` (last row: not seen yet), columns = stage at `to`. */
  transitions(model, from, to) {
    if (from === undefined || to === undefined) throw new StagelineError('invalid_argument', from === undefined ? 'from' : 'to', 'expected a time');
    return JSON.parse(unwrap(this[live]().transitions(modelHandle(model), evaluationTime(from, 'from'), evaluationTime(to, 'to'))));
  }

  /**
   * Time in stage (median / mean days of completed stays) and the stage-to-stage funnel (share of
   * customers who reached a stage and later the next one), from every customer's stage timeline up
   * to `until` (default now).
   */
  stageFlow(model, until) {
    return JSON.parse(unwrap(this[live]().stageFlow(modelHandle(model), evaluationTime(until, 'until'))));
  }

  /**
   * NPS, CSAT and CES (n, value, 95% interval) per stage of `model`: each answer counts for the
   * stage its customer was in just before answering. `options`: {from, to}.
   */
  cxByStage(model, options = {}) {
    const from = timeOption(options.from, 'from');
    const to = timeOption(options.to, 'to');
    return JSON.parse(unwrap(this[live]().cxByStage(modelHandle(model), from ?? NaN, to ?? NaN)));
  }

  /** PostHog-style lifecycle per period: { period = 'M', from?, to? } → new / returning / resurrecting / dormant. */
  lifecycle(options = {}) {
    return JSON.parse(unwrap(this[live]().lifecycle(rangeOptionsText(options))));
  }

  /**
   * lifetimes' per-customer summary of the dataset's purchases (orders with a net amount >= 0):
   * {customerIds, frequency, recency, T, monetary} in units of `period` ("D", "W", "M"), plus
   * holdout columns with `calibrationEnd`. Feeds sl.fitBGNBD / fitParetoNBD / fitGammaGamma.
   */
  summary(options = {}) {
    const { unit, observationEnd, calibrationEnd } = summaryOptions(options);
    const raw = unwrap(this[live]().summary(unit, observationEnd, calibrationEnd));
    return summaryResult(raw, JSON.parse(raw.customerIds));
  }

  /** RFM values, 1–5 scores and segments per customer at `options.at` (default: the day after the last row). */
  rfm(options = {}) {
    const { at, ...rest } = options;
    const raw = unwrap(this[live]().rfm(toJsonText({ ...rest, at: timeOption(at, 'at') }, 'options')));
    const segmentNames = JSON.parse(raw.segmentNames);
    const segments = new Array(raw.segment.length);
    const counts = Object.fromEntries([...segmentNames, 'Other'].map((name) => [name, 0]));
    for (let i = 0; i < raw.segment.length; i++) {
      segments[i] = raw.segment[i] === 0xFF ? 'Other' : segmentNames[raw.segment[i]];
      counts[segments[i]]++;
    }
    return {
      at: raw.at,
      customerIds: JSON.parse(raw.customerIds),
      lastPurchase: raw.lastPurchase,
      recencyDays: raw.recencyDays,
      frequency: raw.frequency,
      monetary: raw.monetary,
      r: raw.r,
      f: raw.f,
      m: raw.m,
      segments,
      segmentCounts: counts,
      customersWithoutPurchase: raw.customersWithoutPurchase,
    };
  }
}

/** The dataset functions of one module instance. */
export function createDatasetApi(module) {
  function load(kind, input, mapping) {
    if (mapping === null || typeof mapping !== 'object') {
      throw new StagelineError('invalid_config', '', 'expected a mapping object such as { customerId: "id", timestamp: "date", amount: "total" }');
    }
    const options = {};
    for (const [key, value] of Object.entries(mapping)) if (!JS_ONLY.has(key)) options[key] = value;
    const { onProgress, chunkSize = DEFAULT_CHUNK } = mapping;
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new StagelineError('invalid_config', 'onProgress', 'expected a function(rowsRead)');
    }
    let callbackError;
    const progress = onProgress === undefined ? undefined : (rows) => {
      try {
        onProgress(rows);
      } catch (error) {
        callbackError ??= error;
      }
    };
    const loader = unwrap(module.createDatasetLoader(kind, toJsonText(options, 'mapping'), progress));
    // A throwing onProgress cannot unwind through C++; its error stops the load after the chunk.
    const checkCallback = () => {
      if (callbackError !== undefined) throw callbackError;
    };
    try {
      if (typeof input === 'string') {
        const format = mapping.format ?? 'auto';
        if (!['auto', 'csv', 'ndjson'].includes(format)) throw new StagelineError('invalid_config', 'format', 'expected "auto", "csv" or "ndjson"');
        const ndjson = format === 'ndjson' || (format === 'auto' && firstContentCharacter(input) === '{');
        feedText(loader, input, ndjson ? loader.feedNdjson : loader.feedCsv, Math.max(1024, chunkSize), checkCallback);
      } else if (input !== null && typeof input === 'object') {
        feedColumns(loader, input, options);
      } else {
        throw new StagelineError('invalid_argument', '', 'expected CSV or NDJSON text, or an object of columns');
      }
      checkCallback();
      return new Dataset(unwrap(loader.finish()));
    } finally {
      loader.delete();
    }
  }

  /** sl.loadTransactions(input, mapping): order lines (customerId, timestamp, amount or quantity × unitPrice, orderId?). */
  function loadTransactions(input, mapping) {
    return load('transactions', input, mapping);
  }

  /** sl.loadEvents(input, mapping): events (customerId, timestamp, type, amount?, score?). */
  function loadEvents(input, mapping) {
    return load('events', input, mapping);
  }

  return { loadTransactions, loadEvents };
}
