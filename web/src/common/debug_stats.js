// Memory statistics of the module instance (wasm/common/debug_stats_bindings.cpp): for pages that run
// for a long time and want to see that disposed handles gave their memory back.

import { liveHandleCount } from './handle.js';

/** The debug-statistics functions of one module instance. */
export function createDebugStatsApi(module) {
  return {
    /**
     * {heapBytes, usedBytes, freeBytes, liveHandles, emvalHandles}: the WebAssembly memory's size
     * (it only grows), the bytes in live allocations, the bytes free inside the claimed heap, the
     * Stageline handles created and not yet disposed, and the JS values C++ still holds through
     * Embind (emscripten::val handles; a few are Embind's own).
     */
    memoryStats() {
      const { usedBytes, freeBytes } = module.heapStats();
      return {
        heapBytes: module.HEAPU8.length,
        usedBytes,
        freeBytes,
        liveHandles: liveHandleCount(module.StageModelHandle),
        emvalHandles: module.count_emval_handles(),
      };
    },
  };
}
