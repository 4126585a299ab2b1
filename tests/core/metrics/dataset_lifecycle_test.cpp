// Stage distribution, transition matrix and PostHog lifecycle of the four-customer shop, by hand.

#include "stageline/metrics/dataset_lifecycle.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "four_customer_shop.hpp"
#include "stageline/common/error.hpp"
#include "stageline/datasets/dataset_loader.hpp"

using namespace stageline;

namespace {

Dataset shop() { return testing::four_customer_shop(); }

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

TEST_CASE("dataset lifecycle: time in stage and the stage funnel") {
  // Timelines to Mar 31 (lapsed = 30 days after the last order, dated to that midnight; 2024 is a
  // leap year, so Feb 20 + 30 days = Mar 21):
  //   a: customer Jan 5 → lapsed Feb 4 → repeat Feb 10 (open; Mar 3 + 30 is after Mar 31)
  //   b: customer Jan 20 → lapsed Feb 19 → repeat Mar 15 (open)
  //   c: customer Feb 2 → repeat Feb 20 → lapsed Mar 21 (open)
  //   d: customer Mar 9 (open; the Mar 20 return is not an order)
  const Json r = stage_flow(shop(), model(), at("2024-03-31T23:59:59Z"));
  const Json& stays = r["timeInStage"];
  // customer: completed 30 (a), 30 (b), 18 (c) days → median 30, mean 26; d still there.
  CHECK(stays[1] == Json::parse(R"({"stage": "customer", "completedStays": 3, "medianDays": 30.0, "meanDays": 26.0, "openStays": 1})"));
  // repeat: c's 30 days (Feb 20 → Mar 21: 9 + 21); a and b still there.
  CHECK(stays[2] == Json::parse(R"({"stage": "repeat", "completedStays": 1, "medianDays": 30.0, "meanDays": 30.0, "openStays": 2})"));
  // lapsed: a 6 days (Feb 4 → 10), b 25 days (Feb 19 → Mar 15: 10 + 15) → median = mean = 15.5;
  // c still there.
  CHECK(stays[3] == Json::parse(R"({"stage": "lapsed", "completedStays": 2, "medianDays": 15.5, "meanDays": 15.5, "openStays": 1})"));
  CHECK(stays[0]["medianDays"].is_null());

  const Json& funnel = r["funnel"];
  // Nobody was ever a prospect (each timeline starts at a first order).
  CHECK(funnel[0] == Json::parse(R"({"stage": "prospect", "reached": 0, "next": "customer", "reachedNext": 0, "conversion": null})"));
  // All four were customers; a, b, c became repeat afterwards.
  CHECK(funnel[1] == Json::parse(R"({"stage": "customer", "reached": 4, "next": "repeat", "reachedNext": 3, "conversion": 0.75})"));
  // Of a, b, c (repeat), only c lapsed after first becoming repeat (a and b lapsed before).
  CHECK(funnel[2]["reached"] == 3);
  CHECK(funnel[2]["reachedNext"] == 1);
  CHECK(funnel[2]["conversion"].get<double>() == Approx(1.0 / 3));
  CHECK(funnel[3] == Json::parse(R"({"stage": "lapsed", "reached": 3, "next": null, "reachedNext": null, "conversion": null})"));
}

TEST_CASE("dataset lifecycle: CX by the stage each answer was given in") {
  DatasetLoader loader(IngestOptions::from_json({{"customerId", "customer"},
                                                 {"timestamp", "time"},
                                                 {"type", "type"},
                                                 {"amount", "amount"},
                                                 {"score", "score"}},
                                                DatasetKind::kEvents));
  // x: a purchase (customer), then NPS 10 → counts for "customer".
  // y: NPS 3 as the first event → the default stage "prospect"; two purchases (repeat); CSAT 5 and
  //    CES 6 → "repeat". A guest's NPS 9 is left out.
  loader.feed_csv(
      "customer,time,type,amount,score\n"
      "x,2024-01-01,purchase,20,\nx,2024-01-05,nps,,10\n"
      "y,2024-01-02,nps,,3\ny,2024-01-03,purchase,10,\ny,2024-01-04,purchase,15,\n"
      "y,2024-01-06,csat,,5\ny,2024-01-07,ces,,6\n,2024-01-08,nps,,9\n",
      true);
  const Json r = cx_by_stage(loader.finish(), model(), std::nullopt, std::nullopt);
  const Json& cx = r["cx"];
  // NPS per stage: prospect one detractor (−100), customer one promoter (+100), none in repeat.
  CHECK(cx["nps"]["n"] == Json::parse("[1, 1, 0, 0]"));
  CHECK(cx["nps"]["value"] == Json::parse("[-100.0, 100.0, null, null]"));
  // CSAT 5 in repeat: 100% satisfied; CES 6 in repeat: mean 6, 100% high (5–7).
  CHECK(cx["csat"]["n"] == Json::parse("[0, 0, 1, 0]"));
  CHECK(cx["csat"]["value"][2] == 100.0);
  CHECK(cx["ces"]["value"][2] == 6.0);
  CHECK(cx["cesHigh"]["value"][2] == 100.0);
}

TEST_CASE("dataset lifecycle: stages and transitions honour minimum dwell") {
  // "recent" holds while the last order is at most 3 days old, and once entered lasts 10 days.
  const StageModel dwelling = StageModel::compile(Json::parse(R"({
    "default": "idle",
    "stages": [ { "id": "idle" },
                { "id": "recent", "when": { "daysSinceLastOrder": { "$lte": 3 } }, "minDwellDays": 10 } ] })"));
  DatasetLoader loader(IngestOptions::from_json(
      {{"customerId", "customer"}, {"timestamp", "time"}, {"amount", "amount"}}, DatasetKind::kTransactions));
  loader.feed_csv("customer,time,amount\na,2024-01-01,10\nb,2024-01-05,20\n", true);
  const Dataset d = loader.finish();

  // Jan 6 noon: a's order is 5.5 days old, so the conditions alone say idle, but a entered recent
  // on Jan 1, less than 10 days before; b's order is 1.5 days old. Both are recent.
  const Json on6 = stage_distribution(d, dwelling, at("2024-01-06T12:00:00Z"));
  CHECK(on6["customerIds"] == Json({"a", "b"}));
  CHECK(on6["counts"] == Json({0, 2}));
  // Jan 12 noon: a's stay ended on Jan 11 (10 days), b's lasts until Jan 15.
  const Json on12 = stage_distribution(d, dwelling, at("2024-01-12T12:00:00Z"));
  CHECK(on12["stageIndex"] == Json({0, 1}));

  const Json moves = stage_transitions(d, dwelling, at("2024-01-06T12:00:00Z"), at("2024-01-12T12:00:00Z"));
  // Rows: recent at Jan 6 → a to idle, b stays; nobody idle at Jan 6; nobody new.
  CHECK(moves["matrix"] == Json({{0, 0}, {1, 1}, {0, 0}}));
}
