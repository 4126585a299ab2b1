// The lean personalization module (web/dist/stageline-lean.{js,wasm}, see wasm/CMakeLists.txt).

import createStagelineModule from '../dist/stageline-lean.js';
import { instantiateModule } from './module_loader.js';

const wasmFileUrl = new URL('../dist/stageline-lean.wasm', import.meta.url);

/** Loads a fresh instance of the lean module (its own heap). Rejects with StagelineError("load_failed"). */
export function loadLeanModule(options = {}) {
  return instantiateModule(createStagelineModule, wasmFileUrl, options);
}
