#pragma once
/// What every fuzz target shares.
///
/// Input format: one fuzz input carries several texts (a condition and its attributes, a pattern
/// and its subject, ...) separated by the byte 0x1E (ASCII record separator, which no valid JSON
/// text contains unescaped). tests/fuzz/seeds.js writes seed inputs in the same format.
///
/// The rule every target enforces: the core may reject input only with stageline::Error, the
/// documented error the binding guard turns into {code, path, message}. Any other exception
/// (an nlohmann type_error, std::out_of_range, ...) escapes the target and libFuzzer reports it:
/// in the WebAssembly module it would surface as an unexplained `internal_error`. Crashes,
/// sanitizer reports, timeouts and failed FUZZ_CHECKs are findings as well.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "stageline/common/error.hpp"
#include "stageline/json/json.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline::fuzz {

inline constexpr char kPartSeparator = '\x1e';

/// The largest |time| a caller can pass: JavaScript's Date range (ECMAScript TimeClip), which the
/// bindings enforce (wasm/common/convert.hpp) and the core assumes.
inline constexpr TimestampMs kMaxTime = 8'640'000'000'000'000;

/// Exactly `count` parts of the input (missing ones are empty; the last takes the rest).
inline std::vector<std::string_view> split_parts(const std::uint8_t* data, std::size_t size, std::size_t count) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  parts.reserve(count);
  while (parts.size() + 1 < count) {
    const std::size_t end = rest.find(kPartSeparator);
    if (end == std::string_view::npos) break;
    parts.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  parts.push_back(rest);
  parts.resize(count);
  return parts;
}

/// The JSON value of `text`, or nullopt when parse_json rejects it (with stageline::Error).
inline std::optional<Json> parse(std::string_view text) {
  try {
    return parse_json(text);
  } catch (const Error&) {
    return std::nullopt;
  }
}

/// An evaluation time from a decimal text, clamped to the Date range; `fallback` when not a number.
inline TimestampMs time_from(std::string_view text, TimestampMs fallback) {
  long long value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc()) return fallback;
  if (value > kMaxTime) return kMaxTime;
  if (value < -kMaxTime) return -kMaxTime;
  return value;
}

/// Runs `work`; a stageline::Error is an accepted outcome (returns false), anything else escapes.
template <typename Work>
bool accepted(Work&& work) {
  try {
    work();
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace stageline::fuzz

/// An invariant of the code under test; a violation is a finding (abort, so libFuzzer saves it).
#define FUZZ_CHECK(condition)                                                                      \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)
