// GrowthBook payload evaluation beyond the conformance suite: non-ASCII hash attributes (expected
// values computed by @growthbook/growthbook 1.8.0 on the same payload), GrowthBook's semantics
// that Stageline's own conditions would change, sticky buckets across evaluators, the user-context
// setters, and errors that name their JSON path.

#include <catch2/catch.hpp>
#include <string>

#include "stageline/common/error.hpp"
#include "stageline/growthbook/growthbook.hpp"

namespace {

using stageline::GrowthBookEvaluator;
using stageline::GrowthBookPayload;
using stageline::GrowthBookSource;
using stageline::GrowthBookUser;
using stageline::Json;

GrowthBookUser user_with(Json attributes) {
  GrowthBookUser user;
  user.attributes = std::move(attributes);
  return user;
}

// The Error's path, or "no error".
template <typename Work>
std::string error_path(Work&& work) {
  try {
    work();
  } catch (const stageline::Error& e) {
    return e.path();
  }
  return "no error";
}

}  // namespace

TEST_CASE("non-ASCII hash attributes and seeds bucket as GrowthBook's JavaScript SDK does") {
  const GrowthBookPayload payload = GrowthBookPayload::compile(Json::parse(R"({"features": {
    "ünïcode": {"defaultValue": "off", "rules": [{"variations": ["a", "b", "c"], "hashAttribute": "name",
                "seed": "søren", "hashVersion": 2}]},
    "rollout": {"defaultValue": 0, "rules": [{"force": 1, "coverage": 0.5, "hashAttribute": "name", "seed": "日本"}]}}})"));
  // name, variation, bucket, rollout value: as @growthbook/growthbook 1.8.0 evaluates them.
  const struct {
    const char* name;
    const char* variation;
    double bucket;
    int rollout;
  } expected[] = {{"Zoë", "c", 0.7776, 1}, {"😀 emoji", "a", 0.3044, 0}, {"日本語", "c", 0.8096, 0}, {"ﬀ", "a", 0.1068, 0}};
  for (const auto& want : expected) {
    GrowthBookEvaluator evaluator(payload, user_with({{"name", want.name}}));
    const auto result = evaluator.eval_feature("ünïcode");
    CAPTURE(want.name);
    REQUIRE(result.source == GrowthBookSource::kExperiment);
    CHECK(*result.value == want.variation);
    CHECK(result.experiment_result->bucket == want.bucket);
    CHECK(*evaluator.eval_feature("rollout").value == want.rollout);
  }
}

TEST_CASE("Stageline's own operators are unknown operators in GrowthBook payloads") {
  // GrowthBook fails a clause with an unknown operator; $withinLastDays would hold in Stageline.
  const GrowthBookPayload payload = GrowthBookPayload::compile(Json::parse(R"({"features": {
    "f": {"defaultValue": "default", "rules": [{"force": "recent", "condition": {"t": {"$withinLastDays": 30}}},
                                               {"force": "not-regex", "condition": {"s": {"$notRegex": "x"}}}]}}})"));
  GrowthBookEvaluator evaluator(payload, user_with({{"t", 0}, {"s", "abc"}}));
  CHECK(*evaluator.eval_feature("f").value == "default");
}

TEST_CASE("forced feature values, forced variations, QA mode and a disabled context") {
  const GrowthBookPayload payload = GrowthBookPayload::compile(Json::parse(R"({"features": {
    "feature": {"defaultValue": 0, "rules": [{"variations": [10, 11, 12]}]}}})"));
  GrowthBookEvaluator evaluator(payload, user_with({{"id", "123"}}));
  // "empty experiment rule - c" of the conformance suite: id 123 hashes to 0.863, variation 2.
  CHECK(*evaluator.eval_feature("feature").value == 12);

  evaluator.set_qa_mode(true);
  CHECK(evaluator.eval_feature("feature").source == GrowthBookSource::kDefaultValue);
  evaluator.set_forced_variations({{"feature", 1}});  // forcing wins over QA mode (run step 4 before 12)
  auto forced = evaluator.eval_feature("feature");
  CHECK(*forced.value == 11);
  CHECK_FALSE(forced.experiment_result->hash_used);
  evaluator.set_forced_variations(Json::object());
  evaluator.set_qa_mode(false);

  evaluator.set_url("https://shop.example/?feature=0");
  CHECK(*evaluator.eval_feature("feature").value == 10);
  evaluator.set_url("");

  evaluator.set_enabled(false);
  CHECK(evaluator.eval_feature("feature").source == GrowthBookSource::kDefaultValue);
  evaluator.set_enabled(true);

  evaluator.set_forced_feature_values({{"feature", "forced"}, {"absent", true}});
  const auto overridden = evaluator.eval_feature("feature");
  CHECK(overridden.source == GrowthBookSource::kOverride);
  CHECK(*overridden.value == "forced");
  CHECK(evaluator.eval_feature("absent").on());
}

TEST_CASE("a sticky bucket keeps a user's variation after the weights change") {
  const Json rule = Json::parse(R"({"key": "e", "variations": ["a", "b"], "meta": [{"key": "a"}, {"key": "b"}],
                                    "hashAttribute": "id", "fallbackAttribute": "deviceId"})");
  Json first_rule = rule;
  first_rule["weights"] = {0, 1};  // everybody gets "b"
  Json second_rule = rule;
  second_rule["weights"] = {1, 0};  // everybody new gets "a"
  const auto payload = [](const Json& r) { return GrowthBookPayload::compile({{"features", {{"f", {{"rules", {r}}}}}}}); };

  GrowthBookEvaluator first(payload(first_rule), user_with({{"deviceId", "d1"}}));
  first.set_sticky_bucket_assignment_docs(Json::object());
  CHECK(*first.eval_feature("f").value == "b");
  // Without an id, the fallback attribute names the document.
  const Json docs = first.sticky_bucket_assignment_docs();
  CHECK(docs == Json::parse(R"({"deviceId||d1": {"attributeName": "deviceId", "attributeValue": "d1",
                                                  "assignments": {"e__0": "b"}}})"));

  GrowthBookEvaluator later(payload(second_rule), user_with({{"deviceId", "d1"}}));
  later.set_sticky_bucket_assignment_docs(docs);
  const auto sticky = later.eval_feature("f");
  CHECK(*sticky.value == "b");
  CHECK(sticky.experiment_result->sticky_bucket_used);

  GrowthBookEvaluator stranger(payload(second_rule), user_with({{"deviceId", "d2"}}));
  stranger.set_sticky_bucket_assignment_docs(docs);
  CHECK(*stranger.eval_feature("f").value == "a");

  // What a StickyBucketService would load: the documents of the user's hash and fallback attributes.
  CHECK(later.sticky_bucket_attributes() == Json::parse(R"({"id": "", "deviceId": "d1"})"));
}

TEST_CASE("results are GrowthBook's FeatureResult and Result objects") {
  const GrowthBookPayload payload = GrowthBookPayload::compile(Json::parse(R"({"features": {
    "f": {"rules": [{"id": "r1", "key": "e", "variations": [false, true], "meta": [{"key": "off", "name": "Off"},
          {"key": "on", "name": "On"}], "hashVersion": 2, "ranges": [[0, 0.5], [0.5, 1]], "foo": "ignored"}]}}})"));
  GrowthBookEvaluator evaluator(payload, user_with({{"id", 7}}));
  const Json result = evaluator.eval_feature("f").to_json();
  // Key order as getFeatureResult / getExperimentResult build them; the hash value keeps its type.
  const Json& experiment_result = result.at("experimentResult");
  CHECK(result.at("ruleId") == "r1");
  CHECK(result.at("experiment") == Json::parse(R"({"variations": [false, true], "key": "e",
        "meta": [{"key": "off", "name": "Off"}, {"key": "on", "name": "On"}], "ranges": [[0, 0.5], [0.5, 1]],
        "hashVersion": 2})"));
  CHECK(experiment_result.at("hashValue") == 7);
  CHECK(experiment_result.at("featureId") == "f");
  const int variation = experiment_result.at("variationId").get<int>();
  CHECK(experiment_result.at("key") == (variation == 0 ? "off" : "on"));
  CHECK(experiment_result.at("name") == (variation == 0 ? "Off" : "On"));
  CHECK(result.at("value") == (variation == 1));
  CHECK(result.at("on") == (variation == 1));
  // bucket in [0, 0.5) is variation 0.
  CHECK((experiment_result.at("bucket").get<double>() < 0.5) == (variation == 0));
}

TEST_CASE("payloads of the wrong shape are errors naming the JSON path") {
  const auto compile = [](const char* text) { return [text] { GrowthBookPayload::compile(Json::parse(text)); }; };
  CHECK(error_path(compile("[]")) == "");
  CHECK(error_path(compile(R"({"features": []})")) == "features");
  CHECK(error_path(compile(R"({"features": {"f": 1}})")) == "features.f");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": {}}}})")) == "features.f.rules");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [3]}}})")) == "features.f.rules[0]");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [{"force": 1, "coverage": "0.5"}]}}})")) ==
        "features.f.rules[0].coverage");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [{"force": 1, "filters": [{"ranges": [[0, 1]]}]}]}}})")) ==
        "features.f.rules[0].filters[0].seed");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [{"force": 1, "range": [0]}]}}})")) ==
        "features.f.rules[0].range");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [{"variations": [1, 2], "meta": [{}]}]}}})")) ==
        "features.f.rules[0].meta");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [{"variations": [1, 2], "namespace": ["n", 0]}]}}})")) ==
        "features.f.rules[0].namespace");
  CHECK(error_path(compile(R"({"features": {"f": {"rules": [{"parentConditions": [{"condition": {}}]}]}}})")) ==
        "features.f.rules[0].parentConditions[0].id");
  CHECK(error_path(compile(R"({"savedGroups": []})")) == "savedGroups");

  const GrowthBookPayload empty = GrowthBookPayload::compile(Json::object());
  CHECK(error_path([&] { stageline::GrowthBookExperiment::compile(Json::parse(R"({"variations": [0, 1]})"), empty); }) == "key");
  CHECK(error_path([&] {
          stageline::GrowthBookExperiment::compile(Json::parse(R"({"key": "k", "variations": [0, 1], "urlPatterns": []})"), empty);
        }) == "urlPatterns");
  CHECK(error_path([&] {
          stageline::GrowthBookExperiment::compile(Json::parse(R"({"key": "k", "variations": [0, 1], "force": 0.5})"), empty);
        }) == "force");

  GrowthBookEvaluator evaluator(empty, GrowthBookUser());
  CHECK(error_path([&] { evaluator.set_attributes(Json::array()); }) == "attributes");
  CHECK(error_path([&] { evaluator.set_forced_variations({{"e", "1"}}); }) == "forcedVariations.e");
  CHECK(error_path([&] { evaluator.set_sticky_bucket_assignment_docs({{"id||1", {{"attributeName", "id"}}}}); }) ==
        "stickyBucketAssignmentDocs.id||1.attributeValue");
}

TEST_CASE("prerequisite chains deeper than the limit are an error, not a stack overflow") {
  Json features = Json::object();
  for (int i = 0; i < 200; ++i) {
    Json rule = {{"parentConditions", {{{"id", "f" + std::to_string(i + 1)}, {"condition", {{"value", true}}}}}}};
    features["f" + std::to_string(i)] = {{"defaultValue", true}, {"rules", {rule}}};
  }
  GrowthBookEvaluator evaluator(GrowthBookPayload::compile({{"features", features}}), GrowthBookUser());
  CHECK(*evaluator.eval_feature("f150").value == true);  // a chain of 50 is fine
  CHECK(error_path([&] { evaluator.eval_feature("f0"); }) == "features.f128");
}
