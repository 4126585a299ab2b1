// GrowthBook's cross-SDK conformance cases (evalCondition section) run through eval_condition.

#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "stageline/conditions/condition.hpp"
#include "stageline/json/json.hpp"

namespace {

constexpr const char* kCasesPath = STAGELINE_SHARED_DIR "/conformance/growthbook-cases.json";

}  // namespace

TEST_CASE("GrowthBook evalCondition conformance cases") {
  std::ifstream file(kCasesPath, std::ios::binary);
  if (!file) {
    std::cout << "evalCondition: skipped (" << kCasesPath << " not found)" << std::endl;
    return;
  }
  std::stringstream text;
  text << file.rdbuf();
  stageline::JsonLimits limits;
  limits.max_depth = 256;  // the whole suite nests deeper than one condition may
  const stageline::Json suite = stageline::parse_json(text.str(), limits);
  const stageline::Json& cases = suite.at("evalCondition");

  int passed = 0;
  std::vector<std::string> failures;
  for (const auto& test_case : cases) {
    // [name, condition, attributes, expected, savedGroups?]
    const std::string name = test_case.at(0).get<std::string>();
    const stageline::Json* saved_groups = test_case.size() > 4 ? &test_case.at(4) : nullptr;
    bool result = false;
    try {
      result = stageline::eval_condition(test_case.at(2), test_case.at(1), saved_groups);
    } catch (const std::exception& e) {
      failures.push_back(name + " (threw: " + e.what() + ")");
      continue;
    }
    if (result == test_case.at(3).get<bool>()) {
      ++passed;
    } else {
      failures.push_back(name + " (expected " + test_case.at(3).dump() + ")");
    }
  }
  std::cout << "evalCondition: " << passed << " passed, " << failures.size() << " failed"
            << std::endl;
  for (const auto& failure : failures) std::cout << "  FAILED: " << failure << std::endl;
  CHECK(failures.empty());
  CHECK(passed == static_cast<int>(cases.size()));
}
