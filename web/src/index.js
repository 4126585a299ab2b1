// Stageline's JavaScript entry point: load the WebAssembly module, get the API.
//
//   import { init } from 'stageline';
//   const sl = await init();
//   sl.evalCondition({ country: 'NL' }, { country: { $in: ['NL', 'BE'] } });  // true

import { createBucketingApi } from './bucketing.js';
import { createConditionApi } from './condition.js';
import { createDatasetApi } from './dataset.js';
import { createJsonLogicApi } from './json_logic.js';
import { loadModule } from './load.js';
import { createProfileBuilderApi } from './profile_builder.js';
import { createStageModelApi } from './stage_model.js';

export { StagelineError } from './errors.js';
export { CompiledCondition } from './condition.js';
export { Dataset } from './dataset.js';
export { ProfileBuilder } from './profile_builder.js';
export { StageModel, STAGE_PRESETS } from './stage_model.js';

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
    ...createDatasetApi(module),
  });
}
