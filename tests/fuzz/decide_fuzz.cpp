// The decision path: one rich rules config (stage model, schedules, caps, cooldowns, experiments,
// namespaces, holdouts, groups, context regexes, JsonLogic) and a random visitor: stored profile,
// page context, time, customer id, stage name and a stored exposure history.
// Input: profile ␞ context ␞ at ␞ customer id ␞ stage id ␞ exposure history.
// Invariants: decide() on one slot agrees with decide_all() where no group is contended, and the
// reason of every decision can be written.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/rules/decision_attributes.hpp"
#include "stageline/rules/rule_engine.hpp"
#include "stageline/rules/rules.hpp"

using namespace stageline;

namespace {

const RuleSet& rule_set() {
  static const RuleSet rules = RuleSet::compile(parse_json(R"({
    "stageModel": "classic",
    "slots": {"hero": {"default": {"headline": "Welcome"}}, "offer": {}, "banner": {"default": "none"}},
    "rules": [
      {"id": "vip", "slot": "hero", "priority": 20, "when": {"orders": {"$gte": 2}, "revenue": {"$gt": 100}},
       "payload": {"headline": "Welcome back"}},
      {"id": "first", "slot": "hero", "priority": 5, "stages": ["awareness", "acquisition"],
       "variants": [{"id": "ten", "payload": {"off": 10}, "weight": 0.5}, {"id": "ship", "payload": {"ship": 0}, "weight": 0.5}],
       "experiment": {"key": "first-order", "hashVersion": 2, "coverage": 0.9, "fallbackAttribute": "context.deviceId"}},
      {"id": "checkout", "slot": "offer", "when": {"context.path": {"$regex": "^/check(out)?"}, "context.utm.source": {"$ne": "mail"}},
       "schedule": {"start": "2026-11-27", "end": "2026-12-01"}, "frequencyCap": {"max": 2, "windowDays": 7},
       "cooldownDays": 3, "group": "promo", "holdout": 0.1, "payload": {"text": "Free shipping"}},
      {"id": "logic", "slot": "offer", "priority": -1, "group": "promo",
       "when": {"jsonLogic": {"and": [{">=": [{"var": "orders"}, 1]}, {"in": ["NL", {"var": "context.query.c"}]}]}},
       "payload": 3},
      {"id": "ns", "slot": "banner", "variants": [{"id": "a", "payload": 1}, {"id": "b", "payload": 2}],
       "experiment": {"key": "banner", "namespace": ["space", 0.2, 0.7], "hashAttribute": "traits.plan"}},
      {"id": "night", "slot": "banner", "priority": 1, "group": "promo",
       "when": {"context.hour": {"$gte": 22}, "lastSeen": {"$withinLastDays": 2}, "stage": {"$in": ["churned", "retention"]}},
       "cooldownDays": 1, "payload": "late"}
    ]})"));
  return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 6);
  const RuleSet& rules = rule_set();
  RuleEngine engine(rules);

  std::optional<Profile> profile;
  if (const std::optional<Json> json = fuzz::parse(parts[0])) {
    fuzz::accepted([&] { profile = Profile::from_json(*json, TraitsConfig()); });
  }
  std::optional<Json> context;
  if (const std::optional<Json> json = fuzz::parse(parts[1])) {
    fuzz::accepted([&] { context = complete_page_context(*json); });
  }
  if (!context) context = complete_page_context(Json::object());
  if (const std::optional<Json> history = fuzz::parse(parts[5])) {
    fuzz::accepted([&] { engine.restore_exposures(parts[3], *history); });
  }

  DecisionRequest request;
  request.profile = profile ? &*profile : nullptr;
  request.customer_id = parts[3];
  if (!parts[4].empty()) request.stage = parts[4];
  request.context = &*context;
  request.at = fuzz::time_from(parts[2], 1'764'547'200'000);
  request.record_exposure = false;

  std::vector<Decision> all;
  if (!fuzz::accepted([&] { all = engine.decide_all(request); })) return 0;  // an unknown stage id
  for (const Decision& decision : all) static_cast<void>(rules.reason(decision));
  // Only "hero" has no grouped rule, so its decision cannot depend on the other slots.
  const Decision& hero = engine.decide(0, request);
  FUZZ_CHECK(hero.rule == all[0].rule && hero.variant == all[0].variant);
  request.record_exposure = true;
  for (std::size_t slot = 0; slot < rules.slots().size(); ++slot) {
    static_cast<void>(rules.reason(engine.decide(slot, request)));
  }
  static_cast<void>(engine.exposures_json(request.customer_id).dump());
  return 0;
}
