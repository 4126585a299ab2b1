// Proves that reading profiles allocates nothing: ProfileAttributes::resolve over every kind of
// path, ProfileBuilder::count with a compiled condition, and find() by string_view. Global
// operator new is replaced by a counting one (as in condition_alloc_test.cpp).

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "counting_allocator.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/profiles/profile_builder.hpp"

TEST_CASE("resolving profile attributes and counting allocate nothing") {
  using stageline::Json;
  const auto traits = stageline::TraitsConfig::compile(Json::parse(R"({"traits": [
      {"name": "spend30d", "aggregate": "sum", "event": "purchase", "windowDays": 30}]})"));
  stageline::ProfileBuilder builder(traits);
  builder.add_json(Json::parse(R"([
      {"customerId": "a", "type": "visit", "timestamp": "2025-03-01T10:00:00Z"},
      {"customerId": "a", "type": "purchase", "timestamp": "2025-03-02", "value": 40},
      {"customerId": "a", "type": "identify", "timestamp": "2025-03-02",
       "properties": {"plan": "pro", "tags": ["x", "y"]}},
      {"customerId": "b", "type": "visit", "timestamp": "2025-03-03"}])"),
                   "events");
  const std::vector<stageline::AttributePath> paths = {
      stageline::AttributePath("orders"),       stageline::AttributePath("customerId"),
      stageline::AttributePath("counts.visit"), stageline::AttributePath("counts.none"),
      stageline::AttributePath("traits.plan"),  stageline::AttributePath("traits.tags.1"),
      stageline::AttributePath("traits"),       stageline::AttributePath("spend30d"),
      stageline::AttributePath("tenureDays"),   stageline::AttributePath("stage"),
      stageline::AttributePath("unknown.path"), stageline::AttributePath("lastNps")};
  const auto condition = stageline::Condition::compile(Json::parse(
      R"({"orders": {"$gte": 1}, "traits.plan": "pro", "spend30d": {"$gt": 10},
          "lastSeen": {"$withinLastDays": 30}, "counts.visit": 1})"));
  const stageline::TimestampMs at = 1741000000000;
  std::size_t matched = 0;
  double sink = 0;
  // Warm up once: the first call may initialise function-local statics.
  builder.for_each_attributes(at, [&](const stageline::Profile&, const stageline::Attributes& a) {
    for (const auto& path : paths) sink += static_cast<double>(a.resolve(path).kind());
  });
  const long before = stageline::testing::allocations();
  for (int round = 0; round < 100; ++round) {
    builder.for_each_attributes(
        at, [&](const stageline::Profile& p, const stageline::Attributes& a) {
          for (const auto& path : paths) sink += static_cast<double>(a.resolve(path).kind());
          const stageline::ProfileAttributes staged(p, at, std::string_view("retention"));
          sink += static_cast<double>(staged.resolve(paths[9]).as_string().size());
        });
    matched +=
        builder.count([&](const stageline::Attributes& a) { return condition.matches(a, at); }, at);
    sink += builder.find("b") != nullptr ? 1 : 0;
  }
  CHECK(stageline::testing::allocations() == before);
  CHECK(matched == 100);
  CHECK(sink > 0);
}
