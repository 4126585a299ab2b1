// Memory statistics of the module instance (wasm/debug_stats_bindings.cpp): for pages that run
// for a long time and want to see that disposed handles gave their memory back.

/** The debug-statistics functions of one module instance. */
export function createDebugStatsApi(module) {
  return {
    /**
     * {heapBytes, usedBytes, freeBytes}: the WebAssembly memory's size (it only grows), the bytes
     * in live allocations, and the bytes free inside the claimed heap.
     */
    memoryStats() {
      const { usedBytes, freeBytes } = module.heapStats();
      return { heapBytes: module.HEAPU8.length, usedBytes, freeBytes };
    },
  };
}
