// Stageline's lean entry point for pages that personalize: the same API as index.js for
// conditions, rules, stage models, customer profiles, bucketing and the tracker, over the lean
// module (web/dist/stageline-lean.{js,wasm}), which leaves out the batch ProfileBuilder and
// applyJsonLogic (rules can still use JsonLogic conditions).
//
//   import { init } from 'stageline/lean';
//   const sl = await init();

import { createBucketingApi } from './bucketing.js';
import { createConditionApi } from './condition.js';
import { createCustomerProfileApi } from './customer_profile.js';
import { createDebugStatsApi } from './debug_stats.js';
import { loadLeanModule } from './load_lean.js';
import { createRulesApi } from './rules.js';
import { createStageModelApi } from './stage_model.js';
import { createTrackerApi } from './tracker.js';

export { StagelineError } from './errors.js';
export { CompiledCondition } from './condition.js';
export { CustomerProfile } from './customer_profile.js';
export { StageModel, STAGE_PRESETS } from './stage_model.js';
export { RulesEngine } from './rules.js';
export { Tracker } from './tracker.js';
export { renderPayload } from './render.js';

/** Loads a lean module instance (its own memory) and returns its API. */
export async function init(options = {}) {
  const module = await loadLeanModule(options);
  return Object.freeze({
    ...createConditionApi(module),
    ...createBucketingApi(module),
    ...createStageModelApi(module),
    ...createRulesApi(module),
    ...createCustomerProfileApi(module),
    ...createTrackerApi(module),
    ...createDebugStatsApi(module),
  });
}
