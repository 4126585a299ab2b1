// Proves that deciding allocates nothing once warm: conditions, caps over an exposure history,
// experiments and holdouts, decide and decide_all, when exposures are not being recorded (a
// recorded exposure appends to the customer's history, which may grow it).

#include <catch2/catch.hpp>
#include <string>

#include "counting_allocator.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/rules/decision_attributes.hpp"
#include "stageline/rules/rule_engine.hpp"

TEST_CASE("deciding allocates nothing once warm") {
  using stageline::Json;
  stageline::RuleEngine engine(stageline::RuleSet::compile(Json::parse(R"({
    "stageModel": "full",
    "slots": {"hero": {"default": "plain"}, "popup": {}},
    "rules": [
      {"id": "vip", "slot": "hero", "priority": 9, "when": {"revenue": {"$gte": 100}, "context.path": {"$regex": "^/shop"}},
       "stages": ["retention", "growth"], "payload": "vip", "group": "g"},
      {"id": "test", "slot": "hero", "priority": 5, "holdout": 0.1, "frequencyCap": {"max": 100, "windowDays": 7},
       "variants": [{"id": "a"}, {"id": "b"}], "experiment": {"key": "t", "hashVersion": 2, "coverage": 0.9,
       "namespace": ["ns", 0, 0.8]}},
      {"id": "popup", "slot": "popup", "priority": 9, "group": "g", "cooldownDays": 2, "payload": "p"}]})")));
  stageline::Profile profile("c1");
  profile.apply(stageline::event_from_json(
      Json::parse(R"({"customerId": "c1", "type": "purchase", "timestamp": "2026-10-01", "value": 40})"), "event"));
  const Json context = stageline::complete_page_context(Json::parse(R"({"url": "https://a.example/shop?x=1"})"));
  stageline::DecisionRequest request;
  request.profile = &profile;
  request.customer_id = "c1";
  request.context = &context;
  request.at = *stageline::parse_timestamp("2026-11-01T12:00:00Z");
  engine.exposures().record("c1", {1, 0, request.at - 1000, stageline::ExposureLog::Kind::kExposure}, 7 * 86'400'000);
  request.record_exposure = false;
  engine.decide(0, request);  // warm-up: verdict buffers grow to their size
  engine.decide_all(request);

  const long before = stageline::testing::allocations();
  for (int i = 0; i < 100; ++i) {
    request.at += 60'000;
    engine.decide(0, request);
    engine.decide(1, request);
    engine.decide_all(request);
  }
  CHECK(stageline::testing::allocations() == before);
}
