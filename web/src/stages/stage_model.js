// Stage models over the Embind bindings of wasm/stages/stage_bindings.cpp.

import { StagelineError, unwrap } from '../common/errors.js';
import { live, OwnedHandle } from '../common/handle.js';
import { toJsonText } from '../common/json_text.js';
import { evaluationTime } from '../common/time.js';

export const STAGE_PRESETS = Object.freeze(['classic', 'journey', 'funnel', 'full']);

/** A compiled stage model. Holds C++ memory until dispose(). */
export class StageModel extends OwnedHandle {
  constructor(handle) {
    super(handle, 'stage model');
    const described = JSON.parse(handle.describe());
    /** The model's name ("classic", or the config's name). */
    this.name = described.name;
    /** Stage metadata in lifecycle order: {id, label, description, color, priority, minDwellDays}. */
    this.stages = Object.freeze(described.stages.map((stage) => Object.freeze(stage)));
    /** The id of the default stage. */
    this.defaultStage = described.default;
    /** Effective parameters (defaults merged with overrides). */
    this.params = Object.freeze(described.params);
    Object.freeze(this);
  }

  /** The config JSON the model was compiled from (a preset's full definition for presets). */
  get config() {
    return JSON.parse(this[live]().config());
  }

  /**
   * Classifies a profile (as profileBuilder().profile() returns it, or any attribute object) at
   * `at` (default now). `previous` ({stage, enteredAt}) enables minimum-dwell decisions.
   * Returns {stage, stageIndex, rule, explanation}.
   */
  classify(profile, at, previous) {
    let previousIndex = -1;
    let previousEnteredAt = 0;
    if (previous !== undefined && previous !== null) {
      previousIndex = this.stages.findIndex((stage) => stage.id === previous.stage);
      if (previousIndex < 0) {
        throw new StagelineError('invalid_argument', 'previous.stage', `unknown stage "${previous.stage}"`);
      }
      previousEnteredAt = evaluationTime(previous.enteredAt, 'previous.enteredAt');
    }
    const text = unwrap(
      this[live]().classify(toJsonText(profile, 'profile'), evaluationTime(at), previousIndex, previousEnteredAt),
    );
    return JSON.parse(text);
  }
}

/** The stage-model functions of one module instance. */
export function createStageModelApi(module) {
  /** sl.stageModel('classic' | config, params?) */
  function stageModel(presetOrConfig, params) {
    const paramsText = params === undefined || params === null ? '' : toJsonText(params, 'params');
    if (typeof presetOrConfig === 'string') {
      return new StageModel(unwrap(module.createStageModel(presetOrConfig, '', paramsText)));
    }
    if (presetOrConfig === null || typeof presetOrConfig !== 'object' || Array.isArray(presetOrConfig)) {
      throw new StagelineError('invalid_argument', '', 'expected a preset name or a stage model config object');
    }
    return new StageModel(unwrap(module.createStageModel('', toJsonText(presetOrConfig, 'stage model'), paramsText)));
  }
  return { stageModel, stagePresets: STAGE_PRESETS };
}
