#pragma once
// Typed access to JSON config members with errors that name the JSON path and what was expected.

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "stageline/error.hpp"
#include "stageline/json.hpp"
#include "stageline/timestamp.hpp"

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

/// A member that must be a string (or absent when `fallback` is given).
inline std::string string_member(const Json& object, std::string_view key, const std::string& path,
                                 const char* fallback = nullptr) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (fallback != nullptr) return fallback;
    throw Error(error_code::kInvalidConfig, join_path(path, key), "is required (a string)");
  }
  if (!it->is_string()) fail_expected(join_path(path, key), "a string", *it);
  return it->get<std::string>();
}

/// An optional finite number member, >= `minimum`.
inline double number_member(const Json& object, std::string_view key, const std::string& path,
                            double fallback, double minimum) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number()) fail_expected(join_path(path, key), "a number", *it);
  const double value = it->get<double>();
  if (!(value >= minimum)) {
    throw Error(error_code::kInvalidConfig, join_path(path, key),
                "expected a number >= " + Json(minimum).dump() + ", got " + it->dump());
  }
  return value;
}

/// An optional time member (ISO 8601 text or epoch ms; null = absent), named by `key` in errors.
inline std::optional<TimestampMs> time_member(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::nullopt;
  const auto time = timestamp_from_json(*found);
  if (!time) {
    throw Error(error_code::kInvalidConfig, key, expected_but_got("an ISO-8601 string or epoch milliseconds", *found));
  }
  return time;
}

// Options objects (ingest mappings, metric options): an absent or null member takes the default,
// and errors name the key alone, as the options are flat.

inline std::string string_option(const Json& options, const char* key, const std::string& fallback) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_string()) fail_expected(key, "a string", *found);
  return found->get<std::string>();
}

inline bool bool_option(const Json& options, const char* key, bool fallback) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_boolean()) fail_expected(key, "true or false", *found);
  return found->get<bool>();
}

/// A number >= `minimum`.
inline double number_option(const Json& options, const char* key, double fallback, double minimum) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_number() || found->get<double>() < minimum)
    fail_expected(key, "a number ≥ " + Json(minimum).dump(), *found);
  return found->get<double>();
}

/// A whole number >= 0; 4e9 and above mean "no limit" (SIZE_MAX).
inline std::size_t count_option(const Json& options, const char* key, std::size_t fallback) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_number() || found->get<double>() < 0 ||
      std::floor(found->get<double>()) != found->get<double>()) {
    fail_expected(key, "a whole number ≥ 0", *found);
  }
  const double value = found->get<double>();
  return value >= 4e9 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(value);
}

/// Rejects members not in `allowed`, so that typos ("whn") are errors rather than silently ignored.
template <std::size_t N>
void reject_unknown_members(const Json& object, const std::string& path,
                            const std::string_view (&allowed)[N]) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const auto& name : allowed) known = known || item.key() == name;
    if (!known) {
      std::string list;
      for (const auto& name : allowed) list.append(list.empty() ? "" : ", ").append(name);
      throw Error(error_code::kInvalidConfig, join_path(path, item.key()),
                  "unknown member (expected one of " + list + ")");
    }
  }
}

}  // namespace stageline::config
