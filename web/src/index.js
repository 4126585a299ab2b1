// Stageline's JavaScript entry point: load the WebAssembly module, get the API.
//
//   import { init } from 'stageline';
//   const sl = await init();
//   sl.evalCondition({ country: 'NL' }, { country: { $in: ['NL', 'BE'] } });  // true

import { createBtydApi } from './predictive/btyd.js';
import { createBucketingApi } from './bucketing/bucketing.js';
import { createConditionApi } from './conditions/condition.js';
import { createCustomerProfileApi } from './profiles/customer_profile.js';
import { createDatasetApi } from './datasets/dataset.js';
import { createGrowthBookApi } from './growthbook/growthbook.js';
import { createDebugStatsApi } from './common/debug_stats.js';
import { createJsonLogicApi } from './jsonlogic/json_logic.js';
import { loadModule } from './load.js';
import { createProfileBuilderApi } from './datasets/profile_builder.js';
import { createRulesApi } from './rules/rules.js';
import { createStageModelApi } from './stages/stage_model.js';
import { createTrackerApi } from './tracker/tracker.js';

export { StagelineError } from './common/errors.js';
export { CompiledCondition } from './conditions/condition.js';
export { CustomerProfile } from './profiles/customer_profile.js';
export { Dataset } from './datasets/dataset.js';
export { GrowthBookEvaluator } from './growthbook/growthbook.js';
export { ProfileBuilder } from './datasets/profile_builder.js';
export { StageModel, STAGE_PRESETS } from './stages/stage_model.js';
export { RulesEngine } from './rules/rules.js';
export { Tracker } from './tracker/tracker.js';
export { renderPayload } from './rules/render.js';
export { DATASET_FIELDS, guessColumns } from './datasets/columns.js';

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
