// Typed access to JSON config members (config_reader.hpp): one out-of-line copy of each reader.

#include "json/config_reader.hpp"

#include <cmath>
#include <limits>

#include "stageline/common/cold_code.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline::config {

std::string string_member(const Json& object, std::string_view key, const std::string& path, const char* fallback) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (fallback != nullptr) return fallback;
    throw Error(error_code::kInvalidConfig, join_path(path, key), "is required (a string)");
  }
  if (!it->is_string()) fail_expected(join_path(path, key), "a string", *it);
  return it->get<std::string>();
}

double number_member(const Json& object, std::string_view key, const std::string& path, double fallback,
                     double minimum) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_number()) fail_expected(join_path(path, key), "a number", *it);
  const double value = it->get<double>();
  if (!(value >= minimum)) {
    throw Error(error_code::kInvalidConfig, join_path(path, key),
                "expected a number >= " + write_json(Json(minimum)) + ", got " + write_json(*it));
  }
  return value;
}

std::optional<TimestampMs> time_member(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::nullopt;
  const auto time = timestamp_from_json(*found);
  if (!time) {
    throw Error(error_code::kInvalidConfig, key, expected_but_got("an ISO-8601 string or epoch milliseconds", *found));
  }
  return time;
}

void reject_unknown_members(const Json& object, const std::string& path, const std::string_view* allowed,
                            std::size_t count) {
  const std::string_view* const end = allowed + count;
  for (const auto& item : object.items()) {
    bool known = false;
    for (const std::string_view* name = allowed; name != end; ++name) known = known || item.key() == *name;
    if (!known) {
      std::string list;
      for (const std::string_view* name = allowed; name != end; ++name) list.append(list.empty() ? "" : ", ").append(*name);
      throw Error(error_code::kInvalidConfig, join_path(path, item.key()), "unknown member (expected one of " + list + ")");
    }
  }
}

std::string string_option(const Json& options, const char* key, const std::string& fallback) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_string()) fail_expected(key, "a string", *found);
  return found->get<std::string>();
}

bool bool_option(const Json& options, const char* key, bool fallback) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_boolean()) fail_expected(key, "true or false", *found);
  return found->get<bool>();
}

double number_option(const Json& options, const char* key, double fallback, double minimum) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_number() || found->get<double>() < minimum)
    fail_expected(key, "a number ≥ " + write_json(Json(minimum)), *found);
  return found->get<double>();
}

std::size_t count_option(const Json& options, const char* key, std::size_t fallback) {
  const auto found = options.find(key);
  if (found == options.end() || found->is_null()) return fallback;
  if (!found->is_number() || found->get<double>() < 0 ||
      std::floor(found->get<double>()) != found->get<double>()) {
    fail_expected(key, "a whole number ≥ 0", *found);
  }
  const double value = found->get<double>();
  return value >= 4e9 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(value);
}

}  // namespace stageline::config

STAGELINE_COLD_CODE_END
