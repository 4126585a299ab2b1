// Embind bindings for JsonLogic rules (core/include/stageline/jsonlogic/json_logic.hpp). The rule and data
// cross as JSON text; the result crosses as a JS value built here, because JsonLogic results can
// be undefined, NaN, Infinity or -0, which JSON text cannot carry.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "common/guard.hpp"
#include "stageline/json/json.hpp"
#include "stageline/jsonlogic/json_logic.hpp"

namespace stageline::wasm {
namespace {

/// The JS value of a result (a discarded Json is undefined). Depth is bounded by the rule's and
/// the data's, both limited to 64.
emscripten::val to_js(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return emscripten::val::null();
    case Json::value_t::boolean:
      return emscripten::val(value.get<bool>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return emscripten::val(value.get<double>());
    case Json::value_t::string:
      return emscripten::val(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      emscripten::val array = emscripten::val::array();
      for (const Json& element : value) array.call<void>("push", to_js(element));
      return array;
    }
    case Json::value_t::object: {
      emscripten::val object = emscripten::val::object();
      for (const auto& member : value.items()) object.set(member.key(), to_js(member.value()));
      return object;
    }
    default:
      return emscripten::val::undefined();
  }
}

/// {value} or {error}: jsonLogic.apply(rule, data); `has_data` false means data is undefined.
emscripten::val apply_json_logic_binding(const std::string& rule_json, const std::string& data_json,
                                         bool has_data) {
  return guard_value([&] {
    const Json rule = parse_json(rule_json);
    const Json data = has_data ? parse_json(data_json) : JsonLogicRule::undefined();
    return to_js(JsonLogicRule::compile(rule).apply(data));
  });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_json_logic) {
  emscripten::function("applyJsonLogic", &stageline::wasm::apply_json_logic_binding);
}
