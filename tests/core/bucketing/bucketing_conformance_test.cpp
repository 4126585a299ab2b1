// GrowthBook's cross-SDK conformance cases for bucketing (sections hash, getBucketRange,
// chooseVariation, inNamespace, getEqualWeights, getQueryStringOverride).
//
// Comparisons follow GrowthBook's own json.test.ts: hashes, variation indexes and overrides must be
// equal; bucket ranges and equal weights are compared after `Math.floor(n * 1e8) / 1e8` is applied
// to both sides.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stageline/bucketing/bucketing.hpp"
#include "stageline/json/json.hpp"

namespace {

using stageline::Json;

constexpr const char* kCasesPath = STAGELINE_SHARED_DIR "/conformance/growthbook-cases.json";

// GrowthBook's test helper `round`.
double round_down_8(double n) { return std::floor(n * 1e8) / 1e8; }

bool same_rounded(const std::vector<double>& actual, const Json& expected) {
  if (actual.size() != expected.size()) return false;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (round_down_8(actual[i]) != round_down_8(expected.at(i).get<double>())) return false;
  }
  return true;
}

std::vector<double> flatten(const std::vector<stageline::VariationRange>& ranges) {
  std::vector<double> values;
  for (const auto& range : ranges) {
    values.push_back(range.start);
    values.push_back(range.end);
  }
  return values;
}

std::vector<stageline::VariationRange> ranges_of(const Json& json) {
  std::vector<stageline::VariationRange> ranges;
  for (const auto& range : json)
    ranges.push_back({range.at(0).get<double>(), range.at(1).get<double>()});
  return ranges;
}

std::string dump_ranges(const std::vector<stageline::VariationRange>& ranges) {
  Json json = Json::array();
  for (const auto& range : ranges) json.push_back({range.start, range.end});
  return json.dump();
}

// Runs one section: `check` returns "" when a case passes, or what was produced instead.
void run_section(const Json* suite, const char* section, std::size_t expected_count,
                 const std::function<std::string(const Json&)>& name_of,
                 const std::function<std::string(const Json&)>& check) {
  if (suite == nullptr) {
    std::cout << section << ": skipped (" << kCasesPath << " not found)" << std::endl;
    return;
  }
  const Json& cases = suite->at(section);
  int passed = 0;
  std::vector<std::string> failures;
  for (const auto& test_case : cases) {
    std::string problem;
    try {
      problem = check(test_case);
    } catch (const std::exception& e) {
      problem = std::string("threw: ") + e.what();
    }
    if (problem.empty()) {
      ++passed;
    } else {
      failures.push_back(name_of(test_case) + " (got " + problem + ")");
    }
  }
  std::cout << section << ": " << passed << " passed, " << failures.size() << " failed"
            << std::endl;
  for (const auto& failure : failures) std::cout << "  FAILED: " << failure << std::endl;
  CHECK(failures.empty());
  CHECK(cases.size() == expected_count);
}

std::optional<Json> load_suite() {
  std::ifstream file(kCasesPath, std::ios::binary);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  stageline::JsonLimits limits;
  limits.max_depth = 256;  // feature and run cases nest deeply
  return stageline::parse_json(text.str(), limits);
}

std::string first_as_name(const Json& test_case) { return test_case.at(0).get<std::string>(); }

}  // namespace

TEST_CASE("GrowthBook bucketing conformance cases") {
  const std::optional<Json> loaded = load_suite();
  const Json* suite = loaded ? &*loaded : nullptr;

  // [seed, value, version, expected | null]
  run_section(
      suite, "hash", 15,
      [](const Json& c) {
        return "hash(`" + c.at(0).get<std::string>() + "`, `" + c.at(1).get<std::string>() + "`, " +
               c.at(2).dump() + ")";
      },
      [](const Json& c) -> std::string {
        const auto actual = stageline::hash(c.at(0).get<std::string>(), c.at(1).get<std::string>(),
                                            c.at(2).get<double>());
        const Json& expected = c.at(3);
        if (expected.is_null() ? !actual : (actual && *actual == expected.get<double>())) return "";
        return actual ? Json(*actual).dump() : "null";
      });

  // [name, [numVariations, coverage, weights | null], expected ranges]
  run_section(suite, "getBucketRange", 13, first_as_name, [](const Json& c) -> std::string {
    const Json& args = c.at(1);
    const int n = args.at(0).get<int>();
    const double coverage = args.at(1).get<double>();
    const auto ranges =
        args.at(2).is_null()
            ? stageline::get_bucket_ranges(n, coverage)
            : stageline::get_bucket_ranges(n, coverage, args.at(2).get<std::vector<double>>());
    std::vector<double> expected;
    for (const auto& range : c.at(2)) {
      expected.push_back(range.at(0).get<double>());
      expected.push_back(range.at(1).get<double>());
    }
    return same_rounded(flatten(ranges), Json(expected)) ? "" : dump_ranges(ranges);
  });

  // [name, hash, ranges, expected index]
  run_section(suite, "chooseVariation", 13, first_as_name, [](const Json& c) -> std::string {
    const int actual = stageline::choose_variation(c.at(1).get<double>(), ranges_of(c.at(2)));
    return actual == c.at(3).get<int>() ? "" : std::to_string(actual);
  });

  // [name, hash value, [namespace id, start, end], expected]
  run_section(suite, "inNamespace", 16, first_as_name, [](const Json& c) -> std::string {
    const std::string id = c.at(2).at(0).get<std::string>();
    const stageline::Namespace slice{id, c.at(2).at(1).get<double>(), c.at(2).at(2).get<double>()};
    const bool actual = stageline::in_namespace(c.at(1).get<std::string>(), slice);
    return actual == c.at(3).get<bool>() ? "" : (actual ? "true" : "false");
  });

  // [n, expected weights]
  run_section(
      suite, "getEqualWeights", 6,
      [](const Json& c) { return "getEqualWeights(" + c.at(0).dump() + ")"; },
      [](const Json& c) -> std::string {
        const auto weights = stageline::get_equal_weights(c.at(0).get<int>());
        return same_rounded(weights, c.at(1)) ? "" : Json(weights).dump();
      });

  // [name, experiment id, url, numVariations, expected | null]
  run_section(suite, "getQueryStringOverride", 16, first_as_name, [](const Json& c) -> std::string {
    const auto actual = stageline::get_query_string_override(
        c.at(1).get<std::string>(), c.at(2).get<std::string>(), c.at(3).get<int>());
    const Json& expected = c.at(4);
    if (expected.is_null() ? !actual : (actual && *actual == expected.get<int>())) return "";
    return actual ? std::to_string(*actual) : "null";
  });
}
