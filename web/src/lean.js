// Stageline's lean entry point for pages that personalize: the same API as index.js for
// conditions, rules, stage models, customer profiles, bucketing and the tracker, over the lean
// module (web/dist/stageline-lean.{js,wasm}), which leaves out the batch ProfileBuilder,
// applyJsonLogic, datasets, BTYD models and the GrowthBook evaluator (rules can still use
// JsonLogic conditions).
//
//   import { init } from 'stageline/lean';
//   const sl = await init();
//
// The tracker (with its storage, sync, consent and tab-channel code, half of the wrapper) is
// imported when a page first calls createTracker(), which is asynchronous anyway, so pages that
// only decide never load it.
//
// The package exports this entry bundled and minified with its glue (`stageline/lean` →
// web/dist/stageline-lean.min.js, the tracker in stageline-lean-tracker.min.js; built by
// scripts/bundle-lean.js), so what is written here ships as one file.

import { createBucketingApi } from './bucketing/bucketing.js';
import { createConditionApi } from './conditions/condition.js';
import { createCustomerProfileApi } from './profiles/customer_profile.js';
import { createDebugStatsApi } from './common/debug_stats.js';
import { StagelineError } from './common/errors.js';
import { loadLeanModule } from './load_lean.js';
import { createRulesApi } from './rules/rules.js';
import { createStageModelApi } from './stages/stage_model.js';

export { StagelineError } from './common/errors.js';
export { CompiledCondition } from './conditions/condition.js';
export { CustomerProfile } from './profiles/customer_profile.js';
export { StageModel, STAGE_PRESETS } from './stages/stage_model.js';
export { RulesEngine } from './rules/rules.js';
export { renderPayload } from './rules/render.js';

/** The tracker API of `module`, its code imported on the first call. */
function lazyTrackerApi(module) {
  let api;
  return {
    /** sl.createTracker(options): as in index.js (the Tracker class is then in './tracker/tracker.js'). */
    async createTracker(options = {}) {
      api ??= import('./tracker/tracker.js').then(({ createTrackerApi }) => createTrackerApi(module), (cause) => {
        api = undefined;  // a later call tries again (the page may have been offline)
        const error = new StagelineError('load_failed', '', `could not load the Stageline tracker: ${cause?.message ?? cause}`);
        error.cause = cause;
        throw error;
      });
      return (await api).createTracker(options);
    },
  };
}

/** Loads a lean module instance (its own memory) and returns its API. */
export async function init(options = {}) {
  const module = await loadLeanModule(options);
  return Object.freeze({
    ...createConditionApi(module),
    ...createBucketingApi(module),
    ...createStageModelApi(module),
    ...createRulesApi(module),
    ...createCustomerProfileApi(module),
    ...lazyTrackerApi(module),
    ...createDebugStatsApi(module),
  });
}
