#pragma once
/// Conversions every binding shares: JS numbers to evaluation times, and bulk data in and out as
/// typed arrays (one bulk copy each way, never a live heap view that memory growth would detach).

#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "stageline/common/error.hpp"

namespace stageline::wasm {

/// A JS time in epoch ms (a stageline::TimestampMs). Anything outside JavaScript's Date range (±8.64e15 ms, ECMAScript
/// TimeClip) is refused rather than converted: the core assumes times in that range, and casting
/// a larger double to an integer is undefined behaviour.
inline std::int64_t to_time(double ms, const char* name = "at") {
  constexpr double kMaxTimeMs = 8.64e15;
  if (!(std::fabs(ms) <= kMaxTimeMs)) {
    throw Error(error_code::kInvalidArgument, name,
                "expected a finite number of milliseconds within JavaScript's Date range (±8.64e15)");
  }
  return static_cast<std::int64_t>(std::floor(ms));
}

/// Copies a JS typed array (or array of numbers) into a vector with one `set`.
template <typename T>
std::vector<T> copy_typed_array(const emscripten::val& array) {
  std::vector<T> out(array["length"].as<std::size_t>());
  emscripten::val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return out;
}

/// A JS typed array holding a copy of `values`.
template <typename T>
emscripten::val to_typed_array(const std::vector<T>& values) {
  return emscripten::val(emscripten::typed_memory_view(values.size(), values.data())).call<emscripten::val>("slice");
}

}  // namespace stageline::wasm
