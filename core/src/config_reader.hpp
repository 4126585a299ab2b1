#pragma once
// Typed access to JSON config members with errors that name the JSON path and what was expected.

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
