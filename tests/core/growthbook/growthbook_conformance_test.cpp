// GrowthBook's cross-SDK conformance cases (spec 0.8.0: the feature, run and stickyBucket
// sections) run through GrowthBookEvaluator. Expected values are GrowthBook's own; results are
// compared as JSON values (object key order aside, numbers by value, as JavaScript's deep equality).

#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "stageline/growthbook/growthbook.hpp"
#include "stageline/json/json.hpp"

namespace {

using stageline::Json;

constexpr const char* kCasesPath = STAGELINE_SHARED_DIR "/conformance/growthbook-cases.json";

// Deep equality as JavaScript's test runners see parsed JSON: objects as unordered maps, numbers
// by value whether written as 1 or 1.0.
bool same_json(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& item : a.items()) {
      const auto it = b.find(item.key());
      if (it == b.end() || !same_json(item.value(), *it)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

const Json& member_or(const Json& object, const char* key, const Json& fallback) {
  const auto it = object.find(key);
  return it == object.end() ? fallback : *it;
}

// The payload part of a case's context.
stageline::GrowthBookPayload payload_of(const Json& context) {
  Json payload = Json::object();
  for (const char* key : {"features", "savedGroups", "contextualBandits"}) {
    const auto it = context.find(key);
    if (it != context.end()) payload[key] = *it;
  }
  return stageline::GrowthBookPayload::compile(payload);
}

// The user part of a case's context.
stageline::GrowthBookUser user_of(const Json& context) {
  stageline::GrowthBookUser user;
  const Json empty = Json::object();
  user.attributes = member_or(context, "attributes", empty);
  user.forced_variations = member_or(context, "forcedVariations", empty);
  user.url = member_or(context, "url", Json("")).get<std::string>();
  user.enabled = member_or(context, "enabled", Json(true)).get<bool>();
  user.qa_mode = member_or(context, "qaMode", Json(false)).get<bool>();
  return user;
}

struct Tally {
  std::string section;
  int passed = 0;
  std::vector<std::string> failures;

  void check(const std::string& name, bool ok, const std::string& detail) {
    if (ok) {
      ++passed;
    } else {
      failures.push_back(name + ": " + detail);
    }
  }

  void report(std::size_t total) const {
    std::cout << section << ": " << passed << " passed, " << failures.size() << " failed" << std::endl;
    for (const auto& failure : failures) std::cout << "  FAILED: " << failure << std::endl;
    CHECK(failures.empty());
    CHECK(passed == static_cast<int>(total));
  }
};

template <typename Run>
void run_case(Tally& tally, const std::string& name, Run&& run) {
  try {
    run();
  } catch (const std::exception& e) {
    tally.check(name, false, std::string("threw: ") + e.what());
  }
}

Json load_suite() {
  std::ifstream file(kCasesPath, std::ios::binary);
  if (!file) return nullptr;
  std::stringstream text;
  text << file.rdbuf();
  stageline::JsonLimits limits;
  limits.max_depth = 256;
  return stageline::parse_json(text.str(), limits);
}

}  // namespace

TEST_CASE("GrowthBook feature, run and stickyBucket conformance cases") {
  const Json suite = load_suite();
  if (suite.is_null()) {
    std::cout << "growthbook: skipped (" << kCasesPath << " not found)" << std::endl;
    return;
  }

  Tally features{"feature"};
  for (const Json& test_case : suite.at("feature")) {
    // [name, context, featureKey, expected FeatureResult]
    const std::string name = test_case.at(0).get<std::string>();
    run_case(features, name, [&] {
      stageline::GrowthBookEvaluator evaluator(payload_of(test_case.at(1)), user_of(test_case.at(1)));
      const Json result = evaluator.eval_feature(test_case.at(2).get<std::string>()).to_json();
      features.check(name, same_json(result, test_case.at(3)), "got " + result.dump());
    });
  }
  features.report(suite.at("feature").size());

  Tally runs{"run"};
  for (const Json& test_case : suite.at("run")) {
    // [name, context, experiment, expected value, inExperiment, hashUsed]
    const std::string name = test_case.at(0).get<std::string>();
    run_case(runs, name, [&] {
      const stageline::GrowthBookPayload payload = payload_of(test_case.at(1));
      stageline::GrowthBookEvaluator evaluator(payload, user_of(test_case.at(1)));
      const auto experiment = stageline::GrowthBookExperiment::compile(test_case.at(2), payload);
      const Json result = evaluator.run(experiment).to_json();
      const bool ok = same_json(member_or(result, "value", Json()), test_case.at(3)) &&
                      result.at("inExperiment") == test_case.at(4) && result.at("hashUsed") == test_case.at(5);
      runs.check(name, ok, "got " + result.dump());
    });
  }
  runs.report(suite.at("run").size());

  Tally sticky{"stickyBucket"};
  for (const Json& test_case : suite.at("stickyBucket")) {
    // [name, context, stored documents, featureKey, expected experimentResult or null,
    //  expected documents after the evaluation]
    const std::string name = test_case.at(0).get<std::string>();
    run_case(sticky, name, [&] {
      stageline::GrowthBookEvaluator evaluator(payload_of(test_case.at(1)), user_of(test_case.at(1)));
      // What a StickyBucketService holding the stored documents loads for this user.
      evaluator.load_sticky_bucket_assignment_docs(test_case.at(2));
      const stageline::GrowthBookFeatureResult result = evaluator.eval_feature(test_case.at(3).get<std::string>());
      const Json experiment_result = result.experiment_result ? result.experiment_result->to_json() : Json();
      const bool ok = same_json(experiment_result, test_case.at(4)) &&
                      same_json(evaluator.sticky_bucket_assignment_docs(), test_case.at(5));
      sticky.check(name, ok, "got " + experiment_result.dump() + " and documents " +
                                 evaluator.sticky_bucket_assignment_docs().dump());
    });
  }
  sticky.report(suite.at("stickyBucket").size());
}
