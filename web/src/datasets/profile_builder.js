// Profile builders over the Embind bindings of wasm/datasets/profile_builder_bindings.cpp. Profiles stay in the
// WASM heap; bulk loads cross the boundary as typed arrays plus string dictionaries, never one
// JSON object per row.

import { StagelineError, unwrap } from '../common/errors.js';
import { live, OwnedHandle } from '../common/handle.js';
import { toJsonText } from '../common/json_text.js';
import { StageModel } from '../stages/stage_model.js';
import { evaluationTime, timestampMs } from '../common/time.js';

/** Dictionary-encodes a column of strings: distinct values (as JSON text) + one code per row. */
function encodeStrings(column, name) {
  const codes = new Uint32Array(column.length);
  const index = new Map();
  const distinct = [];
  for (let i = 0; i < column.length; i++) {
    let value = column[i];
    if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
    if (typeof value !== 'string') {
      throw new StagelineError('invalid_argument', `${name}[${i}]`, `expected a string, got ${value === null ? 'null' : typeof value}`);
    }
    let code = index.get(value);
    if (code === undefined) {
      code = distinct.length;
      index.set(value, code);
      distinct.push(value);
    }
    codes[i] = code;
  }
  return { dictionary: JSON.stringify(distinct), codes };
}

function toFloat64(column, name, convert) {
  if (column instanceof Float64Array) return column;
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) {
    out[i] = convert(column[i]);
    if (Number.isNaN(out[i]) && column[i] !== null && column[i] !== undefined && !Number.isNaN(column[i])) {
      throw new StagelineError('invalid_argument', `${name}[${i}]`, `cannot read ${JSON.stringify(column[i])} as a ${name === 'timestamp' ? 'timestamp' : 'number'}`);
    }
  }
  return out;
}

function modelHandle(model) {
  if (!(model instanceof StageModel)) {
    throw new StagelineError('invalid_argument', '', 'expected a stage model from sl.stageModel()');
  }
  return model[live]();
}

/** Customer profiles built incrementally from events. Holds C++ memory until dispose(). */
export class ProfileBuilder extends OwnedHandle {
  constructor(handle) {
    super(handle, 'profile builder');
  }

  /** Adds one event or an array of events ({customerId, type, timestamp, value?, properties?}). */
  add(events) {
    unwrap(this[live]().addJson(toJsonText(events, 'events')));
    return this;
  }

  /**
   * Adds events given as columns of equal length: customerId and type (arrays of strings),
   * timestamp (Float64Array or array of epoch ms / Date / ISO strings), value (optional; NaN,
   * null or undefined = none). Every row is validated before any is applied.
   */
  addColumns({ customerId, type, timestamp, value }) {
    if (!customerId || !type || !timestamp) {
      throw new StagelineError('invalid_argument', '', 'addColumns needs customerId, type and timestamp columns');
    }
    const n = customerId.length;
    for (const [name, column] of [['type', type], ['timestamp', timestamp], ['value', value]]) {
      if (column !== undefined && column !== null && column.length !== n) {
        throw new StagelineError('invalid_argument', name, `has ${column.length} rows, customerId has ${n}`);
      }
    }
    const ids = encodeStrings(customerId, 'customerId');
    const types = encodeStrings(type, 'type');
    const times = toFloat64(timestamp, 'timestamp', timestampMs);
    const values = value === undefined || value === null ? null
      : toFloat64(value, 'value', (v) => (v === null || v === undefined ? NaN : Number(v)));
    unwrap(this[live]().addColumns(ids.dictionary, ids.codes, types.dictionary, types.codes, times, values));
    return this;
  }

  /** The customer's profile as a plain object at `at` (default now), or null when unknown. */
  profile(customerId, at) {
    const text = unwrap(this[live]().profile(String(customerId), evaluationTime(at)));
    return text === null ? null : JSON.parse(text);
  }

  /** Number of customers. */
  get size() {
    return this[live]().size();
  }

  /** Number of events added. */
  get eventCount() {
    return this[live]().eventCount();
  }

  /** Customer ids in the builder's order (first seen first). */
  customerIds() {
    return JSON.parse(this[live]().customerIds());
  }

  /** Number of customers matching a condition (compiled strictly) at `at`, in one call. */
  count(condition, at) {
    return unwrap(this[live]().count(toJsonText(condition, 'condition'), evaluationTime(at)));
  }

  /**
   * Every customer's stage at `at`: {customerIds, stages (ids), stageIndex (Uint16Array),
   * distribution ({stageId: count}, in lifecycle order)}.
   */
  classifyAll(model, at) {
    const stageIndex = unwrap(this[live]().classifyAll(modelHandle(model), evaluationTime(at)));
    const ids = model.stages.map((stage) => stage.id);
    const tally = new Array(ids.length).fill(0);
    const stages = new Array(stageIndex.length);
    for (let i = 0; i < stageIndex.length; i++) {
      stages[i] = ids[stageIndex[i]];
      tally[stageIndex[i]]++;
    }
    const distribution = Object.fromEntries(ids.map((id, i) => [id, tally[i]]));
    return { customerIds: this.customerIds(), stages, stageIndex, distribution };
  }

  /** The customer's stage timeline up to `until` (default now): [{stage, enteredAt, leftAt}]. */
  timeline(customerId, model, until) {
    return JSON.parse(unwrap(this[live]().timeline(String(customerId), modelHandle(model), evaluationTime(until, 'until'))));
  }
}

/** The profile-builder functions of one module instance. */
export function createProfileBuilderApi(module) {
  /** sl.profileBuilder(traitsConfig?) */
  function profileBuilder(traitsConfig) {
    const traitsText = traitsConfig === undefined || traitsConfig === null ? '' : toJsonText(traitsConfig, 'traits');
    return new ProfileBuilder(unwrap(module.createProfileBuilder(traitsText)));
  }
  return { profileBuilder };
}
