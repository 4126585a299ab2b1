// Personalization rules over the Embind bindings of wasm/rules/rules_bindings.cpp. A decision comes back
// from C++ as numbers in a buffer read through the heap; names and payloads (deep-frozen, parsed
// once from the compiled config) are looked up here, so no JSON crosses the boundary per decision
// except the page context and the reason text.

import { errorFromBinding, StagelineError, unwrap } from '../common/errors.js';
import { handleKind, live, OwnedHandle } from '../common/handle.js';
import { toJsonText } from '../common/json_text.js';
import { evaluationTime } from '../common/time.js';

/** Names of stageline::RuleOutcome, by number. */
const OUTCOMES = Object.freeze([
  'chosen', 'stage', 'schedule', 'condition', 'capped', 'cooldown', 'holdout', 'noHashAttribute', 'namespace',
  'coverage', 'group',
]);

function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** The JSON text of a context, or '' for none. */
function contextText(context) {
  return context === undefined || context === null ? '' : toJsonText(context, 'context');
}

const reasonOf = Symbol('reasonOf');

// Stage arguments of the decide bindings (RuleEngineHandle::kClassifyStage, kStageSetByName).
const CLASSIFY_STAGE = -1;
const STAGE_SET_BY_NAME = -2;

/**
 * What a slot shows: {slot, ruleId (null for the default), variant ("default" for the default),
 * payload, stage, experiment?}, plus `reason` (text) and `skipped` ([{ruleId, why}] for every rule
 * passed over), which are worked out when first read — most callers only need the payload.
 */
export class Decision {
  #engine;
  #block;  // the decision's numbers, as wasm/rules/rules_bindings.cpp writes them
  #meta;
  #reason;

  constructor(engine, meta, block, stage) {
    this.#engine = engine;
    this.#meta = meta;
    this.#block = block;
    const slot = meta.slots[block[0]];
    this.slot = slot.id;
    this.ruleId = null;
    this.variant = 'default';
    this.payload = slot.default;
    this.stage = stage;
    const ruleIndex = block[1];
    if (ruleIndex >= 0) {
      const rule = meta.rules[ruleIndex];
      const variantIndex = block[2];
      const variant = rule.variants[variantIndex];
      this.ruleId = rule.id;
      this.variant = variant.id;
      this.payload = variant.payload;
      if (rule.experiment !== null) {
        const flags = block[3];
        this.experiment = { key: rule.experiment, variationId: variantIndex, inExperiment: (flags & 1) !== 0, hashValue: block[4], forced: (flags & 2) !== 0 };
      }
    }
  }

  /** Why this variant: the chosen rule, and why each higher-priority rule was passed over. */
  get reason() {
    this.#reason ??= this.#engine[reasonOf](this.#block);
    return this.#reason;
  }

  /** The rules passed over, highest priority first: [{ruleId, why}] (why: "condition", "schedule", …). */
  get skipped() {
    const skipped = [];
    for (let p = 6; p < this.#block.length; p += 3) {
      const outcome = this.#block[p + 1];
      if (outcome !== 0) skipped.push({ ruleId: this.#meta.rules[this.#block[p]].id, why: OUTCOMES[outcome] });
    }
    return skipped;
  }

  toJSON() {
    return { ...this, reason: this.reason, skipped: this.skipped };
  }
}

/** A compiled rule set in use (its exposure histories live in C++). Holds memory until dispose(). */
export class RulesEngine extends OwnedHandle {
  #module;
  #meta;
  #slotIndex = new Map();
  #ruleIndex = new Map();
  #listeners = new Set();
  #last = {};  // the texts the binding holds: {customerId, context, profile}

  constructor(module, handle) {
    super(handle, 'rules engine');
    this.#module = module;
    this.#meta = deepFreeze(JSON.parse(handle.metadata()));
    this.#meta.slots.forEach((slot, i) => this.#slotIndex.set(slot.id, i));
    this.#meta.rules.forEach((rule, i) => this.#ruleIndex.set(rule.id, i));
  }

  /** Slot ids, in config order (the order of decideAll's result). */
  get slots() {
    return this.#meta.slots.map((slot) => slot.id);
  }

  /** Rule ids, in config order. */
  get rules() {
    return this.#meta.rules.map((rule) => rule.id);
  }

  /**
   * What to show in `slot` now. `input`: {customerId, profile | builder, stage, context, at,
   * record}. `profile` is a profile object (profileBuilder().profile() or a stored one) or a live
   * profile from sl.customerProfile() / sl.restoreProfile() (its computed traits included); `builder`
   * a ProfileBuilder holding the customer; neither means an anonymous visitor. `stage` overrides
   * classification with the config's stage model. `context` is the page ({url, path, referrer,
   * device, locale, utcOffsetMinutes, ...}). `record: false` previews without recording an
   * exposure. Returns {slot, ruleId, variant, payload, experiment?, stage, reason, skipped}.
   */
  decide(slot, input = {}) {
    const index = this.#slotIndex.get(slot);
    if (index === undefined) {
      throw new StagelineError('invalid_argument', 'slot', `unknown slot ${JSON.stringify(slot)} (slots: ${this.slots.join(', ')})`);
    }
    return this.#run(false, index, input)[0];
  }

  /** One decision per slot (in slot order), honouring mutual-exclusion groups across slots. */
  decideAll(input = {}) {
    return this.#run(true, 0, input);
  }

  /**
   * Calls `callback(exposure)` for every recorded exposure — once per decision that showed a
   * rule's variant — with {customerId, slot, ruleId, variant, at, experiment?}. Returns a function
   * that unsubscribes.
   */
  onExposure(callback) {
    if (typeof callback !== 'function') throw new StagelineError('invalid_argument', 'callback', 'expected a function');
    this.#listeners.add(callback);
    return () => this.#listeners.delete(callback);
  }

  /**
   * The customer dismissed what a rule showed: starts the rule's cooldown. `what` is a decision,
   * a rule id, or a slot id (the rule last exposed in that slot to the customer).
   */
  dismiss(what, { customerId, at } = {}) {
    const customer = this.#customer(customerId, true);
    const rule = this.#dismissedRule(what, customer);
    if (this[live]().dismiss(customer, rule, evaluationTime(at)) < 0) throw errorFromBinding(this[live]().lastError());
  }

  /** QA: force `variation` (an index) of experiment `key` in every decision; null clears it. */
  forceVariation(key, variation) {
    if (typeof key !== 'string') throw new StagelineError('invalid_argument', 'key', 'expected an experiment key');
    if (variation !== null && variation !== undefined && !(Number.isInteger(variation) && variation >= 0)) {
      throw new StagelineError('invalid_argument', 'variation', 'expected a variation index or null');
    }
    this[live]().forceVariation(key, variation ?? -1);
  }

  /** The customer's exposure and dismissal history (what caps count), to persist. */
  exposures(customerId) {
    return JSON.parse(this[live]().exposures(this.#customer(customerId, true)));
  }

  /**
   * Restores a history from exposures(). Entries for rules or variants the config no longer has
   * are left out and counted: returns {restored, leftOut}.
   */
  restoreExposures(customerId, history) {
    const leftOut = unwrap(this[live]().restoreExposures(this.#customer(customerId, true), toJsonText(history, 'exposures')));
    return { restored: history.length - leftOut, leftOut };
  }

  /** Forgets the customer's exposure history. */
  forget(customerId) {
    this[live]().forget(this.#customer(customerId, true));
  }

  #customer(customerId, required) {
    if (customerId === undefined || customerId === null) {
      if (required) throw new StagelineError('invalid_argument', 'customerId', 'is required');
      return '';
    }
    if (typeof customerId === 'number' && Number.isFinite(customerId)) return String(customerId);
    if (typeof customerId !== 'string') throw new StagelineError('invalid_argument', 'customerId', 'expected a string');
    return customerId;
  }

  #dismissedRule(what, customer) {
    const id = typeof what === 'object' && what !== null ? what.ruleId : what;
    const rule = this.#ruleIndex.get(id);
    if (rule !== undefined) return rule;
    if (this.#slotIndex.has(id)) {
      const last = this.exposures(customer).filter((entry) => entry.slot === id && entry.kind === 'exposure').pop();
      if (last !== undefined) return this.#ruleIndex.get(last.rule);
      throw new StagelineError('invalid_argument', 'slot', `nothing was shown to ${JSON.stringify(customer)} in slot ${JSON.stringify(id)}`);
    }
    throw new StagelineError('invalid_argument', 'rule', `unknown rule or slot ${JSON.stringify(id)}`);
  }

  #run(all, slotIndex, input) {
    const handle = this[live]();
    const customerId = this.#customer(input.customerId, false);
    const at = evaluationTime(input.at);
    const stage = this.#stageArgument(handle, input.stage);
    const record = input.record !== false;
    // The request's texts are copied into the heap only when they differ from the last call's
    // (see wasm/rules/rules_bindings.cpp): a page decides many slots for one visitor in one context.
    const last = this.#last;
    if (customerId !== last.customerId) {
      handle.setCustomer(customerId);
      last.customerId = customerId;
    }
    const context = contextText(input.context);
    if (context !== last.context) {
      last.context = undefined;
      if (handle.setContext(context) < 0) throw errorFromBinding(handle.lastError());
      last.context = context;
    }
    let status;
    if (input.builder !== undefined && input.builder !== null) {
      if (!(input.builder instanceof OwnedHandle) || input.builder[handleKind]() !== 'profile builder') {
        throw new StagelineError('invalid_argument', 'builder', 'expected a ProfileBuilder from sl.profileBuilder()');
      }
      status = handle.decideFromBuilder(input.builder[live](), all, slotIndex, stage, at, record);
    } else if (input.profile instanceof OwnedHandle) {
      // A live profile (sl.customerProfile(), the runtime's visitor): decided on in place, with the
      // computed traits it was built with.
      if (input.profile[handleKind]() !== 'customer profile') {
        throw new StagelineError('invalid_argument', 'profile', 'expected a profile object or a profile from sl.customerProfile()');
      }
      status = handle.decideFromProfile(input.profile[live](), all, slotIndex, stage, at, record);
    } else {
      const profile = input.profile === undefined || input.profile === null ? '' : toJsonText(input.profile, 'profile');
      if (profile !== last.profile) {
        last.profile = undefined;
        if (handle.setProfile(profile) < 0) throw errorFromBinding(handle.lastError());
        last.profile = profile;
      }
      status = handle.decide(all, slotIndex, stage, at, record);
    }
    if (status < 0) throw errorFromBinding(handle.lastError());
    return this.#read(handle, customerId, at, record);
  }

  // The stage argument of the decide bindings: the model's index of a given stage id,
  // CLASSIFY_STAGE, or STAGE_SET_BY_NAME for rule sets without a model.
  #stageArgument(handle, stage) {
    if (stage === undefined || stage === null) return CLASSIFY_STAGE;
    if (typeof stage !== 'string') throw new StagelineError('invalid_argument', 'stage', 'expected a stage id');
    if (this.#meta.stages.length === 0) {
      handle.setStage(stage);
      return STAGE_SET_BY_NAME;
    }
    const index = this.#meta.stages.indexOf(stage);
    if (index < 0) {
      throw new StagelineError('invalid_argument', 'stage', `unknown stage ${JSON.stringify(stage)} (stages: ${this.#meta.stages.join(', ')})`);
    }
    return index;
  }

  // Reads the numbers wasm/rules/rules_bindings.cpp wrote (layout documented there).
  #read(handle, customerId, at, record) {
    const heap = this.#module.HEAPF64;
    let p = handle.resultAddress() / 8;
    const stageIndex = heap[p];
    const count = heap[p + 1];
    p += 2;
    const stage = stageIndex >= 0 ? this.#meta.stages[stageIndex] : null;
    const decisions = new Array(count);
    for (let d = 0; d < count; d++) {
      const end = p + 6 + 3 * heap[p + 5];
      const block = new Array(end - p);  // a plain copy: slicing the heap's typed array costs more
      for (let i = 0; i < block.length; i++) block[i] = heap[p + i];
      const decision = new Decision(this, this.#meta, block, stage);
      if (decision.ruleId !== null && record && customerId !== '' && this.#listeners.size > 0) {
        this.#emitExposure(customerId, at, decision);
      }
      decisions[d] = decision;
      p = end;
    }
    return decisions;
  }

  /** The reason text of a decision's numbers (see Decision). */
  [reasonOf](block) {
    return unwrap(this[live]().reason(block));
  }

  #emitExposure(customerId, at, decision) {
    const exposure = { customerId, slot: decision.slot, ruleId: decision.ruleId, variant: decision.variant, at };
    if (decision.experiment !== undefined) exposure.experiment = decision.experiment;
    for (const listener of this.#listeners) listener(exposure);
  }
}

/** The rules functions of one module instance. */
export function createRulesApi(module) {
  /** sl.rules(config): compiles a rules config (see the README's "Personalization rules"). */
  function rules(config) {
    return new RulesEngine(module, unwrap(module.createRuleEngine(toJsonText(config, 'rules config'))));
  }
  return { rules };
}
