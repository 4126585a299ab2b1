// Conditions (GrowthBook style): a condition, attributes, saved groups and a time, compiled strict
// and lenient and evaluated with matches() and explain().
// Input: condition ␞ attributes ␞ saved groups ␞ at (epoch ms).
// Invariants: explain() agrees with matches(); a condition the strict compiler accepts evaluates
// the same when compiled leniently (lenient mode differs only where strict mode reports errors).

#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_support.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/values/value.hpp"

using namespace stageline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 4);
  const std::optional<Json> condition = fuzz::parse(parts[0]);
  if (!condition) return 0;
  const Json attributes_json = fuzz::parse(parts[1]).value_or(Json::object());
  const std::optional<Json> saved_groups = fuzz::parse(parts[2]);
  const TimestampMs at = fuzz::time_from(parts[3], 1'767'225'600'000);
  const JsonAttributes attributes(attributes_json);

  ConditionOptions options;
  options.saved_groups = saved_groups ? &*saved_groups : nullptr;
  options.strict = false;
  std::optional<Condition> lenient;
  fuzz::accepted([&] { lenient = Condition::compile(*condition, options); });
  options.strict = true;
  std::optional<Condition> strict;
  fuzz::accepted([&] { strict = Condition::compile(*condition, options); });
  if (strict) FUZZ_CHECK(lenient.has_value());

  if (lenient) {
    const bool matched = lenient->matches(attributes, at);
    FUZZ_CHECK(lenient->explain(attributes, at).matched == matched);
    if (strict) {
      FUZZ_CHECK(strict->matches(attributes, at) == matched);
      FUZZ_CHECK(strict->explain(attributes, at).matched == matched);
    }
  }
  return 0;
}
