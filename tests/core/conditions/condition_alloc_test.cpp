// Proves that Condition::matches() allocates nothing: global operator new is replaced by a counting
// one, and many evaluations over a JsonAttributes must leave the count unchanged.
//
// Every operator runs, including the ones that look at the attribute's JavaScript text
// (String(), JSON.stringify, ToNumber of arrays, versions, lowercasing): those texts are compared
// piece by piece as they are produced, never built.

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "counting_allocator.hpp"
#include "stageline/conditions/condition.hpp"

TEST_CASE("matches() performs no allocation") {
  using stageline::Json;
  const Json condition = Json::parse(R"({
    "$and": [
      {"age": {"$gte": 18, "$lt": "65", "$ne": 40}},
      {"$or": [{"country": {"$ini": ["us", "ca"]}}, {"tags": {"$in": ["vip"]}}]},
      {"tags": {"$all": ["vip", "beta"], "$size": {"$gt": 1}, "$elemMatch": {"$regex": "^b"}}},
      {"tags": ["vip", "beta", "new"]},
      {"profile": {"plan": "pro", "seats": 5}},
      {"profile.seats": "5"},
      {"profile.seats": {"$type": "number", "$exists": true}},
      {"orders": {"$elemMatch": {"total": {"$gt": 10}, "sku": {"$regexi": "^ab"}}}},
      {"scores": 7},
      {"scores": {"$gt": 6, "$regex": "^7$"}},
      {"version": {"$vgte": "1.2.0", "$vlt": "10.0.0-beta"}},
      {"name": {"$regex": "^Ann", "$notRegex": "Bob"}},
      {"lastSeen": {"$withinLastDays": 7}},
      {"signedUpAt": {"$olderThanDays": 30, "$after": "2020-01-01", "$before": 1893456000000}},
      {"tags": {"$alli": ["VIP"]}},
      {"missing": null},
      {"$nor": [{"age": {"$lt": 0}}, {"flag": false}]},
      {"$not": {"country": {"$nin": ["US"]}}}
    ]
  })");
  const Json attributes = Json::parse(R"({
    "age": 30, "country": "US", "tags": ["vip", "beta", "new"],
    "profile": {"plan": "pro", "seats": 5}, "orders": [{"total": 5, "sku": "x"}, {"total": 25, "sku": "ABC-1"}],
    "scores": [7], "version": "2.0.1", "name": "Ann Smith", "flag": true,
    "lastSeen": "2024-03-08T09:30:00Z", "signedUpAt": 1600000000000
  })");
  const stageline::Condition compiled = stageline::Condition::compile(condition);
  const stageline::JsonAttributes view(attributes);
  const stageline::TimestampMs at = 1'710'072'000'000;  // 2024-03-10T12:00:00Z
  REQUIRE(compiled.matches(view, at));  // warm-up, and every clause is evaluated to the end

  const long before = stageline::testing::allocations();
  bool all = true;
  for (int i = 0; i < 10000; ++i) all = compiled.matches(view, at) && all;
  const long allocations = stageline::testing::allocations() - before;
  CHECK(all);
  CHECK(allocations == 0);
}
