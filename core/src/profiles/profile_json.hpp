#pragma once
// Reading profile JSON (persisted or hand-written) with errors that name the JSON path, and the
// small conversions Profile::to_json needs. Internal to profile.cpp.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stageline/common/error.hpp"
#include "stageline/json/json.hpp"
#include "stageline/json/json_time.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/value.hpp"
#include "values/js_semantics.hpp"

namespace stageline::profile_json {

/// A scalar ValueRef as JSON; integral numbers within 2^53 as JSON integers ("3", not "3.0").
inline Json scalar(ValueRef value) {
  switch (value.kind()) {
    case ValueKind::kString:
      return Json(std::string(value.as_string()));
    case ValueKind::kBoolean:
      return Json(value.as_bool());
    case ValueKind::kNumber: {
      const double n = value.as_number();
      if (std::isfinite(n) && std::trunc(n) == n && std::fabs(n) <= 9007199254740992.0) {
        return Json(static_cast<std::int64_t>(n));
      }
      return std::isfinite(n) ? Json(n) : Json(nullptr);
    }
    default:
      return Json(nullptr);
  }
}

/// 64 bits as 16 lowercase hex digits (JSON numbers cannot carry 64 bits into JavaScript).
inline std::string hex64(std::uint64_t bits) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) text[static_cast<std::size_t>(i)] = kDigits[bits & 15];
  return text;
}

/// Typed member access on one JSON object; every failure names `path.member`.
class Reader {
 public:
  Reader(const Json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object.is_object()) fail(path_, "an object", object);
  }

  bool has(std::string_view key) const { return object_.find(key) != object_.end(); }

  template <class IsKnown>
  void reject_unknown(const IsKnown& is_known) const {
    for (const auto& item : object_.items()) {
      if (!is_known(item.key())) {
        throw Error(error_code::kInvalidArgument, join_path(path_, item.key()), "unknown member");
      }
    }
  }

  std::string customer_id(std::string_view key) const {
    const Json* value = find(key);
    if (value == nullptr) return "";
    if (value->is_string()) return value->get<std::string>();
    if (value->is_number() && std::isfinite(value->get<double>())) {
      char text[js::kNumberTextCapacity];
      return std::string(text, js::number_to_string(value->get<double>(), text));
    }
    fail(join_path(path_, key), "a string or a number", *value);
  }

  /// Epoch ms or an ISO-8601 string; `fallback` when missing or null.
  TimestampMs timestamp(std::string_view key, TimestampMs fallback) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    const auto parsed = timestamp_from_json(*value);
    if (!parsed)
      fail(join_path(path_, key), "epoch milliseconds, an ISO-8601 string or null", *value);
    return *parsed;
  }

  /// A non-negative integer up to `maximum`; 0 when missing.
  std::uint64_t count(std::string_view key,
                      std::uint64_t maximum = std::numeric_limits<std::uint32_t>::max()) const {
    const Json* value = find(key);
    return value == nullptr ? 0 : count_value(*value, join_path(path_, key), maximum);
  }

  double number(std::string_view key, double fallback) const {
    const Json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_number() || !std::isfinite(value->get<double>())) {
      fail(join_path(path_, key), "a finite number", *value);
    }
    return value->get<double>();
  }

  double number_or_null(std::string_view key, double fallback) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    if (!value->is_number() || !std::isfinite(value->get<double>())) {
      fail(join_path(path_, key), "a finite number or null", *value);
    }
    return value->get<double>();
  }

  /// An object (copied), or null when missing or null.
  Json object_or_null(std::string_view key) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return nullptr;
    if (!value->is_object()) fail(join_path(path_, key), "an object or null", *value);
    return *value;
  }

  /// {"<type>": count, ...} in member order.
  std::vector<std::pair<std::string, std::uint32_t>> counts(std::string_view key) const {
    std::vector<std::pair<std::string, std::uint32_t>> counts;
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return counts;
    const std::string path = join_path(path_, key);
    if (!value->is_object()) fail(path, "an object of event counts", *value);
    for (const auto& item : value->items()) {
      if (item.key().empty()) fail(path, "non-empty event types", *value);
      const auto count = count_value(item.value(), join_path(path, item.key()),
                                     std::numeric_limits<std::uint32_t>::max());
      counts.emplace_back(item.key(), static_cast<std::uint32_t>(count));
    }
    return counts;
  }

  /// [[wordIndex, "16 hex digits"], ...]
  std::vector<std::pair<std::int64_t, std::uint64_t>> active_day_words(std::string_view key) const {
    std::vector<std::pair<std::int64_t, std::uint64_t>> words;
    const Json* value = find(key);
    const std::string path = join_path(path_, key);
    if (value == nullptr || !value->is_array()) fail(path, "an array", value ? *value : Json());
    for (std::size_t i = 0; i < value->size(); ++i) {
      const Json& item = (*value)[i];
      const std::string item_path = join_path(path, i);
      if (!item.is_array() || item.size() != 2 || !item[0].is_number_integer() ||
          !item[1].is_string() || item[1].get_ref<const std::string&>().size() != 16) {
        fail(item_path, "[wordIndex, \"16 hex digits\"]", item);
      }
      std::uint64_t bits = 0;
      for (const char c : item[1].get_ref<const std::string&>()) {
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) fail(join_path(item_path, 1), "16 lowercase hex digits", item[1]);
        bits = bits << 4 | static_cast<std::uint64_t>(digit);
      }
      words.emplace_back(item[0].get<std::int64_t>(), bits);
    }
    return words;
  }

 private:
  const Json* find(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  static std::uint64_t count_value(const Json& value, const std::string& path,
                                   std::uint64_t maximum) {
    const bool ok = value.is_number() && std::trunc(value.get<double>()) == value.get<double>() &&
                    value.get<double>() >= 0 && value.get<double>() <= static_cast<double>(maximum);
    if (!ok) fail(path, "a non-negative integer", value);
    return value.is_number_unsigned() ? value.get<std::uint64_t>()
                                      : static_cast<std::uint64_t>(value.get<double>());
  }

  [[noreturn]] static void fail(const std::string& path, std::string_view expected,
                                const Json& got) {
    throw Error(error_code::kInvalidArgument, path, expected_but_got(expected, got));
  }

  const Json& object_;
  std::string path_;
};

}  // namespace stageline::profile_json
