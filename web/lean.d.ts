// Types of the lean entry point (`stageline/lean`, web/src/lean.js): the full API without the
// batch ProfileBuilder and applyJsonLogic.
import type { InitOptions, Stageline } from './index.js';

export {
  StagelineError, CompiledCondition, CustomerProfile, StageModel, STAGE_PRESETS, RulesEngine, Tracker, renderPayload,
} from './index.js';
export type * from './index.js';

/** The lean module's API. */
export type StagelineLean = Omit<Stageline, 'profileBuilder' | 'applyJsonLogic'>;

/** Loads a lean module instance (its own memory) and returns its API. */
export function init(options?: InitOptions): Promise<StagelineLean>;
