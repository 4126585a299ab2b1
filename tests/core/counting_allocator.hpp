#pragma once
// Replaces the global operator new/delete of a test executable with malloc/free wrappers that count
// allocations, so a test can prove a hot path allocates nothing:
//
//   const long before = stageline::testing::allocations();
//   ... hot path ...
//   CHECK(stageline::testing::allocations() == before);
//
// Include it from exactly one source file per test executable (the replacements are definitions).
// The nothrow forms are replaced too: Catch allocates with them, and under AddressSanitizer a
// block from ASan's own operator new freed by this free() would be reported as a mismatch.

#include <atomic>
#include <cstdlib>
#include <new>

namespace stageline::testing {

inline std::atomic<long> allocation_counter{0};

/// Heap allocations made through operator new so far in this executable.
inline long allocations() { return allocation_counter.load(std::memory_order_relaxed); }

}  // namespace stageline::testing

// The malloc-based operator new pairs with free() consistently; tell ASan not to flag it.
extern "C" const char* __asan_default_options() { return "alloc_dealloc_mismatch=0"; }

void* operator new(std::size_t size) {
  stageline::testing::allocation_counter.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  stageline::testing::allocation_counter.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
