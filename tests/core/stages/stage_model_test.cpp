// Stage models: compile errors with paths, preset behaviour on hand-built profiles, priorities,
// parameters, minimum dwell and explanations. Expected stages are read off the preset definitions
// in the README by hand.

#include "stageline/stages/stage_model.hpp"

#include <catch2/catch.hpp>

#include "stageline/common/error.hpp"

using stageline::Error;
using stageline::Json;
using stageline::JsonAttributes;
using stageline::StageModel;
using Catch::Matchers::Contains;

namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kJune1 = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

std::string stage_of(const StageModel& model, const Json& profile, std::int64_t at = kJune1) {
  return model.stages()[model.classify_index(JsonAttributes(profile), at)].id;
}

Error compile_error(const Json& config, const Json& params = Json::object()) {
  try {
    StageModel::compile(config, params);
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected a compile error");
  return Error("", "", "");
}

const Json kVisitor = {{"events", 1}, {"orders", 0}, {"signedUpAt", nullptr}, {"daysSinceLastSeen", 2}};
const Json kSignedUp = {{"orders", 0}, {"signedUpAt", kJune1 - 12 * kDay}, {"daysSinceLastSeen", 3}};
const Json kNewBuyer = {{"orders", 1}, {"signedUpAt", kJune1 - 12 * kDay}, {"firstOrderAt", kJune1 - 7 * kDay},
                        {"daysSinceLastSeen", 1}};
const Json kRepeatBuyer = {{"orders", 3}, {"firstOrderAt", kJune1 - 61 * kDay}, {"daysSinceLastSeen", 5}};
const Json kPromoter = {{"orders", 2}, {"firstOrderAt", kJune1 - 152 * kDay}, {"lastNps", 10}, {"daysSinceLastSeen", 5}};
const Json kLapsedPromoter = {{"orders", 2}, {"firstOrderAt", kJune1 - 300 * kDay}, {"lastNps", 10},
                              {"daysSinceLastSeen", 100}};
const Json kCancelled = {{"orders", 1}, {"firstOrderAt", kJune1 - 300 * kDay}, {"cancelledAt", kJune1 - kDay},
                         {"daysSinceLastSeen", 1}};

}  // namespace

TEST_CASE("classic preset places customers in the furthest stage they qualify for") {
  const StageModel classic = StageModel::preset("classic");
  CHECK(stage_of(classic, kVisitor) == "awareness");
  CHECK(stage_of(classic, kSignedUp) == "acquisition");
  CHECK(stage_of(classic, kNewBuyer) == "onboarding");
  CHECK(stage_of(classic, kRepeatBuyer) == "retention");
  CHECK(stage_of(classic, kPromoter) == "advocacy");
  CHECK(stage_of(classic, kLapsedPromoter) == "churned");
  CHECK(stage_of(classic, kCancelled) == "churned");
  // The onboarding window is relative to the evaluation time: 30 days later the new buyer is retained.
  CHECK(stage_of(classic, kNewBuyer, kJune1 + 30 * kDay) == "retention");
}

TEST_CASE("parameters override thresholds, and unknown ones are errors") {
  const StageModel patient = StageModel::preset("classic", {{"churnDays", 120}});
  CHECK(stage_of(patient, kLapsedPromoter) == "advocacy");
  CHECK(patient.params()["churnDays"] == 120);

  try {
    StageModel::preset("classic", {{"churnDay", 120}});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.path() == "churnDay");
    CHECK(e.code() == "invalid_config");
  }
  try {
    StageModel::preset("classic", {{"churnDays", "soon"}});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.path() == "churnDays");
    CHECK_THAT(e.message(), Contains("a number"));
  }
}

TEST_CASE("every preset compiles and has the documented stages") {
  CHECK(StageModel::preset_names() == std::vector<std::string>{"classic", "journey", "funnel", "full"});
  const auto ids = [](const StageModel& model) {
    std::vector<std::string> out;
    for (const auto& stage : model.stages()) out.push_back(stage.id);
    return out;
  };
  CHECK(ids(StageModel::preset("classic")) ==
        std::vector<std::string>{"awareness", "acquisition", "onboarding", "retention", "advocacy", "churned"});
  CHECK(ids(StageModel::preset("journey")) ==
        std::vector<std::string>{"awareness", "consideration", "purchase", "onboarding", "retention", "advocacy"});
  CHECK(ids(StageModel::preset("funnel")) == std::vector<std::string>{"awareness", "engagement", "evaluation",
                                                                      "purchase", "support_experience", "bonding"});
  CHECK(ids(StageModel::preset("full")) ==
        std::vector<std::string>{"awareness", "acquisition", "onboarding", "engagement", "retention", "growth",
                                 "advocacy", "at_risk", "churn"});
  CHECK_THROWS_WITH(StageModel::preset("fancy"), Contains("unknown stage model preset \"fancy\""));
}

TEST_CASE("journey, funnel and full presets on hand-built profiles") {
  const StageModel journey = StageModel::preset("journey");
  CHECK(stage_of(journey, {{"sessions", 1}, {"orders", 0}}) == "awareness");
  CHECK(stage_of(journey, {{"sessions", 2}, {"orders", 0}}) == "consideration");
  CHECK(stage_of(journey, {{"sessions", 1}, {"counts", {{"add_to_cart", 1}}}}) == "consideration");
  CHECK(stage_of(journey, {{"orders", 1}, {"firstOrderAt", kJune1 - 2 * kDay}}) == "purchase");
  CHECK(stage_of(journey, {{"orders", 1}, {"firstOrderAt", kJune1 - 10 * kDay}}) == "onboarding");
  CHECK(stage_of(journey, {{"orders", 1}, {"firstOrderAt", kJune1 - 40 * kDay}}) == "retention");
  CHECK(stage_of(journey, {{"orders", 1}, {"firstOrderAt", kJune1 - 40 * kDay}, {"referrals", 2}}) == "advocacy");

  const StageModel funnel = StageModel::preset("funnel");
  CHECK(stage_of(funnel, {{"sessions", 1}}) == "awareness");
  CHECK(stage_of(funnel, {{"sessions", 3}}) == "engagement");
  CHECK(stage_of(funnel, {{"sessions", 3}, {"counts", {{"pricing_view", 1}}}}) == "evaluation");
  CHECK(stage_of(funnel, {{"orders", 1}}) == "purchase");
  CHECK(stage_of(funnel, {{"orders", 4}}) == "bonding");
  // support_experience has priority 10: an open ticket outranks bonding.
  CHECK(stage_of(funnel, {{"orders", 4}, {"openTickets", 1}}) == "support_experience");

  const StageModel full = StageModel::preset("full");
  CHECK(stage_of(full, kVisitor) == "awareness");
  CHECK(stage_of(full, {{"signedUpAt", kJune1 - 60 * kDay}, {"orders", 0}, {"daysSinceLastSeen", 20}}) ==
        "acquisition");
  CHECK(stage_of(full, {{"signedUpAt", kJune1 - 5 * kDay}, {"orders", 0}, {"daysSinceLastSeen", 1}}) ==
        "onboarding");
  CHECK(stage_of(full, {{"signedUpAt", kJune1 - 60 * kDay}, {"activeDays", 3}, {"daysSinceLastSeen", 14}}) ==
        "engagement");
  CHECK(stage_of(full, {{"orders", 2}, {"firstOrderAt", kJune1 - 60 * kDay}, {"daysSinceLastSeen", 20}}) ==
        "retention");
  CHECK(stage_of(full, {{"orders", 2}, {"revenue", 650.5}, {"daysSinceLastSeen", 20}}) == "growth");
  CHECK(stage_of(full, {{"orders", 2}, {"lastNps", 9}, {"daysSinceLastSeen", 20}}) == "advocacy");
  CHECK(stage_of(full, {{"orders", 2}, {"lastNps", 9}, {"daysSinceLastSeen", 45}}) == "at_risk");
  CHECK(stage_of(full, {{"orders", 2}, {"lastNps", 5}, {"daysSinceLastSeen", 1}}) == "at_risk");
  CHECK(stage_of(full, {{"orders", 2}, {"lastNps", 9}, {"daysSinceLastSeen", 90}}) == "churn");
}

TEST_CASE("classify explains each stage tried, highest priority first") {
  const StageModel classic = StageModel::preset("classic");
  const auto result = classic.classify(JsonAttributes(kRepeatBuyer), kJune1);
  CHECK(classic.stages()[result.stage_index].id == "retention");
  CHECK(result.rule == "stages[3].when");
  REQUIRE(result.explanation.size() == 3);
  CHECK(result.explanation[0].stage == "churned");
  CHECK_FALSE(result.explanation[0].matched);
  CHECK(result.explanation[1].stage == "advocacy");
  CHECK_FALSE(result.explanation[1].matched);
  CHECK(result.explanation[2].stage == "retention");
  CHECK(result.explanation[2].matched);
  // retention's clauses: orders >= 1 held (actual 3), firstOrderAt older than 30 days held.
  REQUIRE(result.explanation[2].clauses.size() == 2);
  CHECK(result.explanation[2].clauses[0].attribute == "orders");
  CHECK(result.explanation[2].clauses[0].actual == 3);
  CHECK(result.explanation[2].clauses[0].held);
  CHECK(result.explanation[2].clauses[1].op == "$olderThanDays");

  const auto visitor = classic.classify(JsonAttributes(kVisitor), kJune1);
  CHECK(visitor.rule == "default");
  CHECK(classic.stages()[visitor.stage_index].id == "awareness");
  CHECK(visitor.explanation.size() == 5);  // every stage with a condition was tried
}

TEST_CASE("minimum dwell keeps a customer in a stage they just entered") {
  const Json config = Json::parse(R"({
    "default": "cold",
    "stages": [
      {"id": "cold"},
      {"id": "hot", "when": {"score": {"$gte": 10}}, "minDwellDays": 7}
    ]})");
  const StageModel model = StageModel::compile(config);
  const Json cooled = {{"score", 2}};
  const stageline::PreviousStage entered_hot{1, kJune1 - 3 * kDay};
  CHECK(model.classify_index(JsonAttributes(cooled), kJune1, entered_hot) == 1);
  CHECK(model.classify(JsonAttributes(cooled), kJune1, entered_hot).rule == "minDwell");
  const stageline::PreviousStage long_ago{1, kJune1 - 8 * kDay};
  CHECK(model.classify_index(JsonAttributes(cooled), kJune1, long_ago) == 0);
}

TEST_CASE("stage model errors name the JSON path and what was expected") {
  CHECK(compile_error(Json::array()).message() == "expected an object, got an array");
  CHECK(compile_error({{"default", "a"}}).path() == "stages");
  CHECK(compile_error({{"default", "a"}, {"stages", Json::array()}}).message() == "expected at least one stage");

  const Error unknown_default = compile_error({{"default", "b"}, {"stages", {{{"id", "a"}}}}});
  CHECK(unknown_default.path() == "default");
  CHECK_THAT(unknown_default.message(), Contains("unknown stage \"b\""));

  const Error duplicate = compile_error({{"default", "a"}, {"stages", {{{"id", "a"}}, {{"id", "a"}, {"when", Json::object()}}}}});
  CHECK(duplicate.path() == "stages[1].id");

  const Error no_when = compile_error({{"default", "a"}, {"stages", {{{"id", "a"}}, {{"id", "b"}}}}});
  CHECK(no_when.path() == "stages[1]");

  const Error typo = compile_error({{"default", "a"}, {"stages", {{{"id", "a"}, {"whn", Json::object()}}}}});
  CHECK(typo.path() == "stages[0].whn");
  CHECK_THAT(typo.message(), Contains("unknown member"));

  const Error bad_operator = compile_error(Json::parse(R"({"default": "a", "stages": [
      {"id": "a"}, {"id": "b"},
      {"id": "c", "when": {"$and": [{"orders": {"$gte": 1}}, {"orders": {"$gtee": 2}}]}}]})"));
  CHECK(bad_operator.code() == "unknown_operator");
  CHECK_THAT(bad_operator.path(), Catch::Matchers::StartsWith("stages[2].when.$and[1]"));
  CHECK_THAT(bad_operator.message(), Contains("$gtee"));

  const Error bad_param = compile_error(Json::parse(R"({"default": "a", "params": {"n": 1}, "stages": [
      {"id": "a"}, {"id": "b", "when": {"orders": {"$gte": {"$param": "m"}}}}]})"));
  CHECK(bad_param.path() == "stages[1].when.orders.$gte.$param");
  CHECK_THAT(bad_param.message(), Contains("unknown parameter \"m\""));
}

TEST_CASE("describe lists stage metadata and effective parameters") {
  const Json described = StageModel::preset("classic", {{"churnDays", 60}}).describe();
  CHECK(described["name"] == "classic");
  CHECK(described["default"] == "awareness");
  CHECK(described["params"]["churnDays"] == 60);
  CHECK(described["stages"][5]["id"] == "churned");
  CHECK(described["stages"][5]["label"] == "Churned");
  CHECK(described["stages"][5]["color"] == "#999999");
}
