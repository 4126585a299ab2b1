// Embind bindings for conditions: GrowthBook's evalCondition and compiled condition handles.
// JSON crosses the boundary as text; web/src/conditions/condition.js does the JSON.stringify and the
// friendly API (options, errors, disposal).

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <string>
#include <utility>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/json/json.hpp"
#include "stageline/values/value.hpp"

namespace stageline::wasm {
namespace {

/// Saved groups arrive as JSON text; "" means none were given.
Json parse_saved_groups(const std::string& saved_groups_json) {
  return saved_groups_json.empty() ? Json() : parse_json(saved_groups_json);
}

/// A condition compiled once and tested against many attribute documents. Owned by JS: the
/// wrapper calls delete() from dispose().
class CompiledCondition {
 public:
  explicit CompiledCondition(Condition condition) : condition_(std::move(condition)) {}

  /// 1 when the attributes match, 0 when not, -1 on error (then lastError() says why). An int
  /// rather than a {value}/{error} object because this is the per-profile call.
  int test(const std::string& attributes_json, double at_ms) {
    bool matched = false;
    const bool ok = guard(
        [&] {
          const TimestampMs at = to_time(at_ms);
          const Json attributes = parse_json(attributes_json);
          matched = condition_.matches(JsonAttributes(attributes), at);
        },
        last_error_);
    return ok ? (matched ? 1 : 0) : -1;
  }

  /// {code, path, message} of the last failed test().
  emscripten::val lastError() const { return to_val(last_error_); }

  /// The attribute paths the condition reads, in first-use order.
  emscripten::val attributePaths() const {
    emscripten::val paths = emscripten::val::array();
    for (const std::string& path : condition_.attribute_paths()) paths.call<void>("push", path);
    return paths;
  }

 private:
  Condition condition_;
  ErrorInfo last_error_;
};

/// {value: boolean} or {error}: GrowthBook's evalCondition (lenient), compiled on every call; the
/// wrapper uses it for conditions too large to keep in its cache of compiled conditions.
emscripten::val eval_condition_binding(const std::string& attributes_json,
                                       const std::string& condition_json,
                                       const std::string& saved_groups_json, double at_ms) {
  return guard_value([&] {
    const TimestampMs at = to_time(at_ms);
    const Json attributes = parse_json(attributes_json);
    const Json condition = parse_json(condition_json);
    const Json saved_groups = parse_saved_groups(saved_groups_json);
    ConditionOptions options;
    options.strict = false;
    options.saved_groups = saved_groups_json.empty() ? nullptr : &saved_groups;
    return Condition::compile(condition, options).matches(JsonAttributes(attributes), at);
  });
}

// Compiling conditions and registering the bindings run once: optimized for size.
STAGELINE_COLD_CODE_BEGIN

/// {value: CompiledCondition} or {error}. Strict mode reports unknown operators, bad regexes and
/// mistyped operands with their JSON path; lenient mode evaluates them to false like GrowthBook.
emscripten::val compile_condition_binding(const std::string& condition_json,
                                          const std::string& saved_groups_json, bool strict) {
  return guard_value([&] {
    const Json condition = parse_json(condition_json);
    const Json saved_groups = parse_saved_groups(saved_groups_json);
    ConditionOptions options;
    options.strict = strict;
    options.saved_groups = saved_groups_json.empty() ? nullptr : &saved_groups;
    return CompiledCondition(Condition::compile(condition, options));
  });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_condition) {
  using stageline::wasm::CompiledCondition;
  emscripten::class_<CompiledCondition>("CompiledCondition")
      .function("test", &CompiledCondition::test)
      .function("lastError", &CompiledCondition::lastError)
      .function("attributePaths", &CompiledCondition::attributePaths);
  emscripten::function("evalCondition", &stageline::wasm::eval_condition_binding);
  emscripten::function("compileCondition", &stageline::wasm::compile_condition_binding);
}

STAGELINE_COLD_CODE_END
