// GrowthBook feature payloads evaluated in WebAssembly exactly as GrowthBook's JavaScript SDK
// evaluates them, over the Embind bindings of wasm/growthbook/growthbook_bindings.cpp. Results are GrowthBook's
// FeatureResult and Result objects (plain objects, parsed from the JSON text the core writes).

import { unwrap } from '../common/errors.js';
import { live, OwnedHandle } from '../common/handle.js';
import { toJsonText } from '../common/json_text.js';

/** GrowthBook takes forced feature values as a Map; a plain object is accepted too. */
function forcedFeaturesText(values) {
  const object = values instanceof Map ? Object.fromEntries(values) : values ?? {};
  return toJsonText(object, 'forced feature values');
}

/**
 * A GrowthBook payload compiled for one user (sl.growthbook(payload, attributes, options)).
 * Method names and results follow GrowthBook's GrowthBook class; setters are synchronous. Holds
 * WebAssembly memory until dispose().
 */
export class GrowthBookEvaluator extends OwnedHandle {
  constructor(handle) {
    super(handle, 'GrowthBook evaluator');
  }

  /** GrowthBook's evalFeature(key): {value, on, off, source, ruleId, experiment?, experimentResult?}. */
  evalFeature(key) {
    return JSON.parse(unwrap(this[live]().evalFeature(String(key))));
  }

  /** True when the feature's value is truthy. */
  isOn(key) {
    return this.evalFeature(key).on;
  }

  /** False when the feature's value is truthy. */
  isOff(key) {
    return this.evalFeature(key).off;
  }

  /** The feature's value, or `fallback` when it is null (as GrowthBook's getFeatureValue). */
  getFeatureValue(key, fallback) {
    const { value } = this.evalFeature(key);
    return value === null ? fallback : value;
  }

  /** GrowthBook's run(experiment): its Result ({value, variationId, inExperiment, hashUsed, ...}). */
  run(experiment) {
    return JSON.parse(unwrap(this[live]().run(toJsonText(experiment, 'experiment'))));
  }

  setAttributes(attributes) {
    unwrap(this[live]().setAttributes(toJsonText(attributes ?? {}, 'attributes')));
  }

  setURL(url) {
    this[live]().setURL(String(url ?? ''));
  }

  /** {experimentKey: variation index}. */
  setForcedVariations(variations) {
    unwrap(this[live]().setForcedVariations(toJsonText(variations ?? {}, 'forced variations')));
  }

  /** A Map (or object) of feature key → value; those features evaluate to it (source "override"). */
  setForcedFeatures(values) {
    unwrap(this[live]().setForcedFeatures(forcedFeaturesText(values)));
  }

  setEnabled(enabled) {
    this[live]().setEnabled(Boolean(enabled));
  }

  setQaMode(qaMode) {
    this[live]().setQaMode(Boolean(qaMode));
  }

  /**
   * Turns sticky bucketing on with these documents ({"attr||value": doc}, GrowthBook's
   * stickyBucketAssignmentDocs; `{}` for none yet).
   */
  setStickyBucketAssignmentDocs(docs) {
    unwrap(this[live]().setStickyBucketAssignmentDocs(toJsonText(docs ?? {}, 'sticky bucket documents')));
  }

  /**
   * Turns sticky bucketing on with those of `docs` (an array of stored documents) that a GrowthBook
   * StickyBucketService would load for this user: the documents of its hash and fallback attributes.
   */
  loadStickyBucketAssignmentDocs(docs) {
    unwrap(this[live]().loadStickyBucketAssignmentDocs(toJsonText(docs, 'sticky bucket documents')));
  }

  /** The user's sticky-bucket documents, including assignments made since: persist these. */
  getStickyBucketAssignmentDocs() {
    return JSON.parse(this[live]().stickyBucketAssignmentDocs());
  }

  /** {attribute: value} of every hash and fallback attribute the payload's experiments use. */
  getStickyBucketAttributes() {
    return JSON.parse(this[live]().stickyBucketAttributes());
  }
}

export function createGrowthBookApi(module) {
  return {
    /**
     * Compiles a GrowthBook payload ({features, savedGroups?, contextualBandits?}) for a user.
     * Options: url, forcedVariations, forcedFeatures (Map or object), enabled, qaMode, and
     * stickyBucketAssignmentDocs (turns sticky bucketing on). Dispose the result.
     */
    growthbook(payload, attributes = {}, options = {}) {
      const handle = unwrap(module.createGrowthBook(toJsonText(payload, 'payload'), toJsonText(attributes ?? {}, 'attributes')));
      const evaluator = new GrowthBookEvaluator(handle);
      try {
        if (options.url !== undefined) evaluator.setURL(options.url);
        if (options.forcedVariations !== undefined) evaluator.setForcedVariations(options.forcedVariations);
        if (options.forcedFeatures !== undefined) evaluator.setForcedFeatures(options.forcedFeatures);
        if (options.enabled !== undefined) evaluator.setEnabled(options.enabled);
        if (options.qaMode !== undefined) evaluator.setQaMode(options.qaMode);
        if (options.stickyBucketAssignmentDocs !== undefined) {
          evaluator.setStickyBucketAssignmentDocs(options.stickyBucketAssignmentDocs);
        }
      } catch (error) {
        evaluator.dispose();
        throw error;
      }
      return evaluator;
    },
  };
}
