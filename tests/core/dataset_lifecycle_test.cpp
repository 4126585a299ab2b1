// Stage distribution, transition matrix and PostHog lifecycle of the four-customer shop, by hand.

#include "stageline/dataset_lifecycle.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "stageline/dataset_loader.hpp"
#include "stageline/error.hpp"

using namespace stageline;

namespace {

// a: Jan 5 (100), Feb 10 (50), Mar 3 (30)   b: Jan 20 (40), Mar 15 (60)
// c: Feb 2 (20), Feb 20 (10)                 d: Mar 9 (80), return Mar 20 (−30)   guest: Feb 1
// (500)
Dataset shop() {
  DatasetLoader loader(IngestOptions::from_json({{"customerId", "customer"},
                                                 {"timestamp", "time"},
                                                 {"amount", "amount"},
                                                 {"orderId", "order"}},
                                                DatasetKind::kTransactions));
  loader.feed_csv(
      "customer,time,amount,order\n"
      "a,2024-01-05,100,o1\nb,2024-01-20,40,o2\n,2024-02-01,500,o3\nc,2024-02-02,20,o4\na,2024-02-"
      "10,50,o5\n"
      "c,2024-02-20,10,o6\na,2024-03-03,30,o7\nd,2024-03-09,80,o8\nb,2024-03-15,60,o9\nd,2024-03-"
      "20,30,C8\n",
      true);
  return loader.finish();
}

// Later stages win: lapsed (30+ days since the last order) over repeat (2+ orders) over customer.
StageModel model() {
  return StageModel::compile(Json::parse(R"({
    "default": "prospect",
    "stages": [ { "id": "prospect" },
                { "id": "customer", "when": { "orders": { "$gte": 1 } } },
                { "id": "repeat", "when": { "orders": { "$gte": 2 } } },
                { "id": "lapsed", "when": { "daysSinceLastOrder": { "$gte": 30 } } } ] })"));
}

TimestampMs at(const char* iso) { return *parse_timestamp(iso); }

}  // namespace

TEST_CASE("dataset lifecycle: stages at a date") {
  const Json r = stage_distribution(shop(), model(), at("2024-02-15"));
  // By Feb 15: a has 2 orders (last Feb 10) → repeat; b 1 (Jan 20, 26 days) → customer; c 1 →
  // customer; d has no event yet and is not counted.
  CHECK(r["customerIds"] == Json({"a", "b", "c"}));
  CHECK(r["stageIndex"] == Json({2, 1, 1}));
  CHECK(r["counts"] == Json({0, 2, 1, 0}));
}

TEST_CASE("dataset lifecycle: transitions between two dates") {
  const Json r = stage_transitions(shop(), model(), at("2024-02-15"), at("2024-04-01"));
  // On Apr 1: a 3 orders, last Mar 3 (29 days) → repeat; b 2 orders, last Mar 15 → repeat;
  // c last ordered Feb 20 (41 days) → lapsed; d 1 order (the return is no order) Mar 9 → customer.
  // Rows: prospect, customer, repeat, lapsed, not seen yet; columns: stage on Apr 1.
  CHECK(r["matrix"] ==
        Json({{0, 0, 0, 0}, {0, 0, 1, 1}, {0, 0, 1, 0}, {0, 0, 0, 0}, {0, 1, 0, 0}}));
  CHECK_THROWS_AS(stage_transitions(shop(), model(), at("2024-04-01"), at("2024-02-15")), Error);
}

TEST_CASE("dataset lifecycle: PostHog lifecycle per month") {
  const Json r = posthog_lifecycle(shop(), LifecycleOptions::from_json({{"period", "M"}}));
  // Active months: a Jan Feb Mar; b Jan Mar; c Feb; d Mar (the guest is nobody).
  CHECK(r["periods"] == Json({"2024-01", "2024-02", "2024-03"}));
  CHECK(r["new"] == Json({2, 1, 1}));           // a, b | c | d
  CHECK(r["returning"] == Json({0, 1, 1}));     // - | a | a
  CHECK(r["resurrecting"] == Json({0, 0, 1}));  // b in March after a quiet February
  CHECK(r["dormant"] == Json({0, 1, 1}));       // - | b | c
}
