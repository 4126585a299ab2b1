// Types of the lean entry point (`stageline/lean`, web/src/lean.js): the full API without the
// batch ProfileBuilder, applyJsonLogic, datasets, BTYD models and the GrowthBook evaluator.
// `Tracker` is a type here: the lean entry imports the tracker's code when createTracker() is
// first called.
import type { InitOptions, Stageline } from './index.js';

export {
  StagelineError, CompiledCondition, CustomerProfile, StageModel, STAGE_PRESETS, RulesEngine, renderPayload,
} from './index.js';
export type * from './index.js';

/** The lean module's API: what web/src/lean.js returns (no batch, dataset, BTYD or GrowthBook parts). */
export type StagelineLean = Omit<Stageline, 'profileBuilder' | 'applyJsonLogic' | 'loadTransactions' | 'loadEvents' |
  'fitBGNBD' | 'fitParetoNBD' | 'fitGammaGamma' | 'customerLifetimeValue' | 'summarizeTransactions' | 'growthbook'>;

/** Loads a lean module instance (its own memory) and returns its API. */
export function init(options?: InitOptions): Promise<StagelineLean>;
