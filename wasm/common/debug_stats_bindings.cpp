// Embind binding for memory statistics of the module's heap: what long-running pages (and the leak
// tests) watch to see that disposing handles really returns their memory.

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

namespace stageline::wasm {
namespace {

/// {usedBytes, freeBytes}: bytes in allocated blocks, and bytes free inside the heap the
/// allocator has claimed (dlmalloc's mallinfo uordblks / fordblks).
emscripten::val heap_stats() {
  const struct mallinfo info = mallinfo();
  emscripten::val stats = emscripten::val::object();
  stats.set("usedBytes", static_cast<double>(info.uordblks));
  stats.set("freeBytes", static_cast<double>(info.fordblks));
  return stats;
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_debug_stats) {
  emscripten::function("heapStats", &stageline::wasm::heap_stats);
}
