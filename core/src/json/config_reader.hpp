#pragma once
// Typed access to JSON config members with errors that name the JSON path and what was expected.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "stageline/common/error.hpp"
#include "stageline/json/json.hpp"
#include "stageline/json/json_time.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline::config {

[[noreturn]] inline void fail_expected(const std::string& path, std::string_view expected, const Json& got) {
  throw Error(error_code::kInvalidConfig, path, expected_but_got(expected, got));
}

inline const Json& expect_object(const Json& value, const std::string& path) {
  if (!value.is_object()) fail_expected(path, "an object", value);
  return value;
}

inline const Json& expect_array(const Json& value, const std::string& path) {
  if (!value.is_array()) fail_expected(path, "an array", value);
  return value;
}

// The readers below run once per config, never per evaluation: they live in config_reader.cpp so
// that each config reader calls them instead of carrying an inlined copy (WebAssembly size).

/// A member that must be a string (or absent when `fallback` is given).
std::string string_member(const Json& object, std::string_view key, const std::string& path,
                          const char* fallback = nullptr);

/// An optional finite number member, >= `minimum`.
double number_member(const Json& object, std::string_view key, const std::string& path, double fallback,
                     double minimum);

/// An optional time member (ISO 8601 text or epoch ms; null = absent), named by `key` in errors.
std::optional<TimestampMs> time_member(const Json& object, const char* key);

/// Rejects members not among the `count` names at `allowed`.
void reject_unknown_members(const Json& object, const std::string& path, const std::string_view* allowed,
                            std::size_t count);

// Options objects (ingest mappings, metric options): an absent or null member takes the default,
// and errors name the key alone, as the options are flat.

std::string string_option(const Json& options, const char* key, const std::string& fallback);
bool bool_option(const Json& options, const char* key, bool fallback);
/// A number >= `minimum`.
double number_option(const Json& options, const char* key, double fallback, double minimum);
/// A whole number >= 0; 4e9 and above mean "no limit" (SIZE_MAX).
std::size_t count_option(const Json& options, const char* key, std::size_t fallback);

/// Rejects members not in `allowed`, so that typos ("whn") are errors rather than silently ignored.
template <std::size_t N>
void reject_unknown_members(const Json& object, const std::string& path, const std::string_view (&allowed)[N]) {
  reject_unknown_members(object, path, allowed, N);
}

}  // namespace stageline::config
