// Rules configs: compiled, then every slot decided for an anonymous visitor, the reasons written,
// a dismissal and the exposure history saved and restored.
// Input: rules config ␞ customer id ␞ at.
// Invariants: decide_all() gives one decision per slot; a saved exposure history restores into a
// fresh engine unchanged (what the browser runtime does on every reload).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "stageline/rules/decision_attributes.hpp"
#include "stageline/rules/rule_engine.hpp"
#include "stageline/rules/rules.hpp"

using namespace stageline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 3);
  const std::optional<Json> config = fuzz::parse(parts[0]);
  if (!config) return 0;
  std::optional<RuleSet> rules;
  if (!fuzz::accepted([&] { rules = RuleSet::compile(*config); })) return 0;

  RuleEngine engine(*rules);
  const Json context = complete_page_context(Json::object());
  DecisionRequest request;
  request.customer_id = parts[1];
  request.context = &context;
  request.at = fuzz::time_from(parts[2], 1'767'225'600'000);

  const std::vector<Decision>& decisions = engine.decide_all(request);
  FUZZ_CHECK(decisions.size() == rules->slots().size());
  for (const Decision& decision : decisions) static_cast<void>(rules->reason(decision));
  for (std::size_t slot = 0; slot < rules->slots().size(); ++slot) {
    const Decision& decision = engine.decide(slot, request);
    static_cast<void>(rules->reason(decision));
    if (decision.rule) engine.dismiss(request.customer_id, *decision.rule, request.at);
  }

  const Json history = engine.exposures_json(request.customer_id);
  RuleEngine restored(*rules);
  FUZZ_CHECK(restored.restore_exposures(request.customer_id, parse_json(history.dump())) == 0);
  FUZZ_CHECK(restored.exposures_json(request.customer_id) == history);
  return 0;
}
