// Proves that evaluating a compiled GrowthBook payload allocates nothing: force rules with
// conditions and rollouts, filters, prerequisites, namespaces and experiment rules, for string and
// number hash attributes (sticky bucketing, which writes documents, is left out).

#include <catch2/catch.hpp>

#include "counting_allocator.hpp"
#include "stageline/growthbook/growthbook.hpp"

TEST_CASE("evaluating GrowthBook features allocates nothing") {
  using stageline::Json;
  const auto payload = stageline::GrowthBookPayload::compile(Json::parse(R"({"features": {
    "parent": {"defaultValue": "green", "rules": [{"force": "red", "condition": {"country": "CA"}}]},
    "child": {"defaultValue": 0, "rules": [
      {"parentConditions": [{"id": "parent", "condition": {"value": "green"}, "gate": true}]},
      {"force": 1, "condition": {"plan": {"$in": ["pro", "team"]}, "email": {"$regex": "@example\\.com$"}}},
      {"force": 2, "coverage": 0.5, "hashVersion": 2, "filters": [{"seed": "s", "ranges": [[0, 0.8]]}]},
      {"variations": [3, 4, 5], "key": "exp", "namespace": ["ns", 0, 1], "weights": [0.2, 0.3, 0.5]}]}}})"));
  stageline::GrowthBookUser user;
  user.attributes = Json::parse(R"({"id": "user-1", "country": "US", "plan": "free", "email": "a@b.c"})");
  stageline::GrowthBookEvaluator by_text(payload, user);
  user.attributes["id"] = 12345;
  stageline::GrowthBookEvaluator by_number(payload, user);
  by_text.eval_feature("child");
  by_number.eval_feature("child");

  const long before = stageline::testing::allocations();
  int on = 0;
  for (int i = 0; i < 100; ++i) {
    on += by_text.eval_feature("child").on() ? 1 : 0;
    on += by_number.eval_feature("child").on() ? 1 : 0;
    on += by_text.eval_feature("unknown").on() ? 1 : 0;
  }
  CHECK(stageline::testing::allocations() == before);
  CHECK(on == 200);  // every path ends in a truthy value (1..5) for both users
}
