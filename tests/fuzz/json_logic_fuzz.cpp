// JsonLogic: a rule compiled and applied to data. Input: rule ␞ data (empty data = undefined).
// Invariant: applying is deterministic (the compiled tree is immutable).

#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_support.hpp"
#include "stageline/jsonlogic/json_logic.hpp"

using namespace stageline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 2);
  const std::optional<Json> rule_json = fuzz::parse(parts[0]);
  if (!rule_json) return 0;
  const Json document = parts[1].empty() ? JsonLogicRule::undefined() : fuzz::parse(parts[1]).value_or(Json());

  std::optional<JsonLogicRule> rule;
  if (!fuzz::accepted([&] { rule = JsonLogicRule::compile(*rule_json); })) return 0;
  std::optional<Json> first;
  fuzz::accepted([&] { first = rule->apply(document); });
  if (first) {
    const Json second = rule->apply(document);
    // Compare as text: NaN results are not equal to themselves as values.
    FUZZ_CHECK(first->is_discarded() == second.is_discarded());
    if (!first->is_discarded()) FUZZ_CHECK(first->dump() == second.dump());
  }
  return 0;
}
