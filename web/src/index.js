// Stageline's JavaScript entry point: load the WebAssembly module, get the API.
//
//   import { init } from 'stageline';
//   const sl = await init();
//   sl.evalCondition({ country: 'NL' }, { country: { $in: ['NL', 'BE'] } });  // true

import { createBtydApi } from './btyd.js';
import { createBucketingApi } from './bucketing.js';
import { createConditionApi } from './condition.js';
import { createCustomerProfileApi } from './customer_profile.js';
import { createDatasetApi } from './dataset.js';
import { createGrowthBookApi } from './growthbook.js';
import { createDebugStatsApi } from './debug_stats.js';
import { createJsonLogicApi } from './json_logic.js';
import { loadModule } from './load.js';
import { createProfileBuilderApi } from './profile_builder.js';
import { createRulesApi } from './rules.js';
import { createStageModelApi } from './stage_model.js';
import { createTrackerApi } from './tracker.js';

export { StagelineError } from './errors.js';
export { CompiledCondition } from './condition.js';
export { CustomerProfile } from './customer_profile.js';
export { Dataset } from './dataset.js';
export { GrowthBookEvaluator } from './growthbook.js';
export { ProfileBuilder } from './profile_builder.js';
export { StageModel, STAGE_PRESETS } from './stage_model.js';
export { RulesEngine } from './rules.js';
export { Tracker } from './tracker.js';
export { renderPayload } from './render.js';
export { DATASET_FIELDS, guessColumns } from './columns.js';

/**
 * Loads a module instance and returns its API. Each call makes an independent instance with its
 * own memory; one per page or worker is the normal use.
 */
export async function init(options = {}) {
  const module = await loadModule(options);
  return Object.freeze({
    ...createConditionApi(module),
    ...createBucketingApi(module),
    ...createStageModelApi(module),
    ...createProfileBuilderApi(module),
    ...createJsonLogicApi(module),
    ...createRulesApi(module),
    ...createCustomerProfileApi(module),
    ...createTrackerApi(module),
    ...createBtydApi(module),
    ...createDatasetApi(module),
    ...createGrowthBookApi(module),
    ...createDebugStatsApi(module),
  });
}
