// The full module (web/dist/stageline.{js,wasm}); web/src/load_lean.js loads the lean one.

import createStagelineModule from '../dist/stageline.js';
import { instantiateModule } from './module_loader.js';

const wasmFileUrl = new URL('../dist/stageline.wasm', import.meta.url);

/** Loads a fresh instance of the full module (its own heap). Rejects with StagelineError("load_failed"). */
export function loadModule(options = {}) {
  return instantiateModule(createStagelineModule, wasmFileUrl, options);
}
