#pragma once
// A profile builder owned by JS (web/src/datasets/profile_builder.js). Declared here, not inside
// profile_bindings.cpp, because other bindings (rules) read customers' profiles from it.

#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/profiles/profile_builder.hpp"
#include "stageline/profiles/traits.hpp"
#include "stageline/stages/lifecycle.hpp"
#include "stages/stage_model_handle.hpp"

namespace stageline::wasm {

/// Dictionary-encoded strings: a JSON array of distinct strings and one code per row.
inline std::vector<std::string_view> decode_dictionary(const Json& dictionary, const std::vector<std::uint32_t>& codes,
                                     const char* column) {
  std::vector<std::string_view> rows(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] >= dictionary.size() || !dictionary[codes[i]].is_string()) {
      throw Error(error_code::kInvalidArgument, std::string(column) + "[" + std::to_string(i) + "]",
                  "expected a string");
    }
    rows[i] = dictionary[codes[i]].get_ref<const std::string&>();
  }
  return rows;
}

class ProfileBuilderHandle {
 public:
  explicit ProfileBuilderHandle(TraitsConfig traits) : builder_(std::move(traits)) {}

  /// {value: number of customers} or {error}.
  emscripten::val addJson(const std::string& events_json) {
    return guard_value([&] {
      builder_.add_json(parse_json(events_json), "events");
      return builder_.size();
    });
  }

  emscripten::val addColumns(const std::string& id_dictionary_json, const emscripten::val& id_codes,
                             const std::string& type_dictionary_json, const emscripten::val& type_codes,
                             const emscripten::val& timestamps, const emscripten::val& values) {
    return guard_value([&] {
      const Json id_dictionary = parse_json(id_dictionary_json);
      const Json type_dictionary = parse_json(type_dictionary_json);
      const auto ids = decode_dictionary(id_dictionary, copy_typed_array<std::uint32_t>(id_codes), "customerId");
      const auto types = decode_dictionary(type_dictionary, copy_typed_array<std::uint32_t>(type_codes), "type");
      const auto times = copy_typed_array<double>(timestamps);
      const std::vector<double> amounts = values.isNull() ? std::vector<double>() : copy_typed_array<double>(values);
      if (times.size() != ids.size() || types.size() != ids.size() || (!amounts.empty() && amounts.size() != ids.size())) {
        throw Error(error_code::kInvalidArgument, "", "all columns must have the same length");
      }
      builder_.add_columns(ids, types, times.data(), amounts.empty() ? nullptr : amounts.data(), ids.size());
      return builder_.size();
    });
  }

  /// {value: profile JSON text, or null for an unknown customer} or {error}.
  emscripten::val profile(const std::string& customer_id, double at_ms) const {
    return guard_value([&] {
      if (builder_.find(customer_id) == nullptr) return emscripten::val::null();
      return emscripten::val(write_json(builder_.profile_json(customer_id, to_time(at_ms))));
    });
  }

  std::size_t size() const { return builder_.size(); }
  std::size_t eventCount() const { return builder_.event_count(); }

  /// Customer ids in the builder's order (the order of classifyAll's result), as JSON text.
  std::string customerIds() const {
    Json ids = Json::array();
    for (const auto& profile : builder_) ids.push_back(profile.customer_id());
    return write_json(ids);
  }

  /// {value: number of matching customers} or {error}; the condition is compiled strictly.
  emscripten::val count(const std::string& condition_json, double at_ms) const {
    return guard_value([&] {
      const Condition condition = Condition::compile(parse_json(condition_json));
      return count_matching(builder_, condition, to_time(at_ms));
    });
  }

  /// {value: Uint16Array of stage indices in customer order} or {error}.
  emscripten::val classifyAll(const StageModelHandle& model, double at_ms) const {
    return guard_value([&] { return to_typed_array(classify_all(builder_, model.model(), to_time(at_ms))); });
  }

  /// {value: timeline JSON text} or {error}.
  emscripten::val timeline(const std::string& customer_id, const StageModelHandle& model, double until_ms) const {
    return guard_value([&] {
      return write_json(timeline_json(model.model(), stage_timeline(builder_, customer_id, model.model(), to_time(until_ms, "until"))));
    });
  }

  const ProfileBuilder& builder() const { return builder_; }

 private:
  ProfileBuilder builder_;
};

}  // namespace stageline::wasm
