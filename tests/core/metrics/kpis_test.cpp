// Per-period KPIs and survey scores on tiny datasets, every expected value worked out by hand from
// the definitions in kpis.hpp / the README's "Datasets and metrics" (the arithmetic is in the comments).

#include "stageline/metrics/kpis.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "stageline/common/error.hpp"
#include "stageline/datasets/dataset_loader.hpp"
#include "stageline/metrics/estimates.hpp"
#include "stageline/metrics/period.hpp"

using namespace stageline;

namespace {

Dataset load(const std::string& csv, const Json& mapping, DatasetKind kind) {
  DatasetLoader loader(IngestOptions::from_json(mapping, kind));
  loader.feed_csv(csv, true);
  return loader.finish();
}

// a: Jan 5 (100), Feb 10 (50), Mar 3 (30)   b: Jan 20 (40), Mar 15 (60)
// c: Feb 2 (20), Feb 20 (10)                 d: Mar 9 (80), return Mar 20 (−30)
// a guest: Feb 1 (500), not in any per-customer metric.
const std::string kShop =
    "customer,time,amount,order\n"
    "a,2024-01-05,100,o1\n"
    "b,2024-01-20,40,o2\n"
    ",2024-02-01,500,o3\n"
    "c,2024-02-02,20,o4\n"
    "a,2024-02-10,50,o5\n"
    "c,2024-02-20,10,o6\n"
    "a,2024-03-03,30,o7\n"
    "d,2024-03-09,80,o8\n"
    "b,2024-03-15,60,o9\n"
    "d,2024-03-20,30,C8\n";
const Json kShopMapping = {
    {"customerId", "customer"}, {"timestamp", "time"}, {"amount", "amount"}, {"orderId", "order"}};

void check_series(const Json& series, std::initializer_list<double> expected) {
  REQUIRE(series.size() == expected.size());
  std::size_t i = 0;
  for (const double x : expected) {
    INFO("index " << i);
    if (std::isnan(x))
      CHECK(series[i].is_null());
    else
      CHECK(series[i].get<double>() == Approx(x));
    ++i;
  }
}

constexpr double null = NAN;

}  // namespace

TEST_CASE("periods: numbering, starts and labels") {
  const TimestampMs t = *parse_timestamp("2024-03-06T15:00:00Z");  // a Wednesday
  CHECK(period_label(period_index(t, Period::kDay), Period::kDay) == "2024-03-06");
  CHECK(period_label(period_index(t, Period::kWeek), Period::kWeek) == "2024-03-04");  // its Monday
  CHECK(period_start(period_index(t, Period::kWeek), Period::kWeek) ==
        *parse_timestamp("2024-03-04"));
  CHECK(period_label(period_index(t, Period::kMonth), Period::kMonth) == "2024-03");
  CHECK(period_label(period_index(t, Period::kQuarter), Period::kQuarter) == "2024-Q1");
  CHECK(period_label(period_index(t, Period::kYear), Period::kYear) == "2024");
  CHECK(period_index(*parse_timestamp("2024-01-01"), Period::kMonth) -
            period_index(*parse_timestamp("2023-12-31"), Period::kMonth) ==
        1);
  CHECK(period_start(period_index(*parse_timestamp("1969-12-31"), Period::kMonth),
                     Period::kMonth) == *parse_timestamp("1969-12-01"));
  CHECK(period_label(period_index(*parse_timestamp("1969-12-31"), Period::kWeek), Period::kWeek) ==
        "1969-12-29");
}

TEST_CASE("kpis: monthly business metrics by hand") {
  const Dataset d = load(kShop, kShopMapping, DatasetKind::kTransactions);
  const Json r =
      compute_kpis(d, KpiOptions::from_json({{"period", "M"},
                                             {"loyaltyOrders", 3},
                                             {"margin", 0.5},
                                             {"spend", {{"2024-02", 300}, {"2024-03", 100}}}}));
  CHECK(r["periods"] == Json({"2024-01", "2024-02", "2024-03"}));
  CHECK(r["start"][1] == *parse_timestamp("2024-02-01"));
  const Json& m = r["metrics"];
  // Active: Jan {a,b}, Feb {a,c}, Mar {a,b,d}. New: Jan a,b; Feb c; Mar d. S = previous month's
  // active.
  check_series(m["activeCustomers"], {2, 2, 3});
  check_series(m["newCustomers"], {2, 1, 1});
  check_series(m["customersAtStart"], {0, 2, 2});
  // Retained (active in both months): Feb a; Mar a (c left, b skipped February).
  check_series(m["retainedCustomers"], {0, 1, 1});
  check_series(m["orders"], {2, 3, 3});        // the return is not an order
  check_series(m["revenue"], {140, 80, 140});  // Mar: 30 + 60 + 80 − 30; the guest's 500 is out
  check_series(m["retentionRate"], {null, 0.5, 1.0});  // (E − N)/S: Feb (2−1)/2, Mar (3−1)/2
  check_series(m["churnRate"], {null, 0.5, 0.5});  // (S − retained)/S: Feb (2−1)/2, Mar (2−1)/2
  // Purchases so far at the end of each month among the active: Jan a1 b1; Feb a2 c2; Mar a3 b2 d1.
  check_series(m["repeatCustomerRate"], {0, 1, 2.0 / 3});
  check_series(m["loyaltyRate"], {0, 0, 1.0 / 3});  // ≥ 3 purchases: only a in March
  check_series(m["averageOrderValue"], {70, 80.0 / 3, 140.0 / 3});
  check_series(m["purchaseFrequency"], {1, 1.5, 1});
  check_series(m["arpu"], {70, 40, 140.0 / 3});
  // CLV = AOV × frequency × (1 / churn) × margin: Feb 80/3 × 1.5 × 2 × 0.5 = 40; Mar 140/3 × 1 × 2
  // × 0.5.
  check_series(m["clv"], {null, 40, 140.0 / 3});
  check_series(m["cac"], {null, 300, 100});  // spend / new customers
  check_series(m["activationRate"], {null, null, null});
  // Change: active (2−2)/2 = 0, (3−2)/2 = 0.5; revenue (80−140)/140, (140−80)/80.
  check_series(r["change"]["activeCustomers"], {null, 0, 0.5});
  check_series(r["change"]["revenue"], {null, -60.0 / 140, 0.75});
  check_series(r["change"]["retentionRate"], {null, null, 1.0});
}

TEST_CASE("kpis: explicit range, empty periods give null rates") {
  const Dataset d = load(kShop, kShopMapping, DatasetKind::kTransactions);
  const Json r = compute_kpis(
      d, KpiOptions::from_json({{"period", "M"}, {"from", "2024-03-01"}, {"to", "2024-04-30"}}));
  CHECK(r["periods"] == Json({"2024-03", "2024-04"}));
  // March's S still comes from February (2). April: nobody active → rates over E are null.
  check_series(r["metrics"]["customersAtStart"], {2, 3});
  check_series(r["metrics"]["churnRate"], {0.5, 1.0});  // April: all 3 of March's customers gone
  check_series(r["metrics"]["averageOrderValue"], {140.0 / 3, null});
  check_series(r["metrics"]["arpu"], {140.0 / 3, null});
}

TEST_CASE("kpis: option errors name the key") {
  const Dataset d = load(kShop, kShopMapping, DatasetKind::kTransactions);
  const auto error_of = [&](const Json& options) {
    try {
      compute_kpis(d, KpiOptions::from_json(options));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of({{"period", "X"}}) == "period: expected one of \"D\", \"W\", \"M\", \"Q\", \"Y\"");
  CHECK(error_of({{"spend", {{"2024-13", 5}}}}) ==
        "spend.2024-13: no such period between from and to (labels look like \"2024-01\")");
  CHECK(error_of({{"activationEvent", "x"}})
            .rfind("activationEvent: needs a dataset with event types", 0) == 0);
  CHECK(error_of({{"perod", "M"}}).rfind("perod: unknown option", 0) == 0);
}

TEST_CASE("kpis: NPS, CSAT, CES with intervals, and activation, from events") {
  const std::string events =
      "user,type,time,score\n"
      "u1,nps,2024-01-03,10\n"
      "u2,nps,2024-01-04,9\n"
      "u3,nps,2024-01-05,8\n"
      "u4,nps,2024-01-06,6\n"
      ",nps,2024-01-07,3\n"  // anonymous answers count
      "u1,csat,2024-01-08,5\n"
      "u2,csat,2024-01-08,4\n"
      "u3,csat,2024-01-08,2\n"
      "u4,csat,2024-01-08,5\n"
      "u1,ces,2024-01-09,7\n"
      "u2,ces,2024-01-09,5\n"
      "u3,ces,2024-01-09,3\n"
      "u1,signup,2024-01-01,\n"
      "u1,activate,2024-01-05,\n"  // 4 days after signup: activated
      "u2,signup,2024-01-10,\n"
      "u2,activate,2024-01-20,\n"  // 10 days: too late for a 7-day window
      "u3,signup,2024-02-01,\n";
  const Dataset d = load(
      events, {{"customerId", "user"}, {"type", "type"}, {"timestamp", "time"}, {"score", "score"}},
      DatasetKind::kEvents);
  const Json r =
      compute_kpis(d, KpiOptions::from_json({{"period", "M"}, {"activationEvent", "activate"}}));
  CHECK(r["periods"] == Json({"2024-01", "2024-02"}));
  // NPS January: P = 2 (10, 9), passive 1 (8), D = 2 (6, 3), n = 5 → 100 × (2 − 2)/5 = 0.
  // Score variance (2 + 2)/5 − 0² = 0.8, SE = sqrt(0.8 / 5) = 0.4, half width 100 × 1.959964 × 0.4
  // = 78.39856.
  const Json& nps = r["cx"]["nps"];
  CHECK(nps["n"] == Json({5, 0}));
  CHECK(nps["value"][0].get<double>() == Approx(0).margin(1e-12));
  CHECK(nps["low"][0].get<double>() == Approx(-78.39855938));
  CHECK(nps["high"][0].get<double>() == Approx(78.39855938));
  CHECK(nps["value"][1].is_null());  // no answers in February: null, not 0
  // CSAT: 3 of 4 answers are 4–5 → 75%. Wilson, n = 4, p = 0.75, z² = 3.841459:
  // centre (0.75 + 0.480182)/1.960365 = 0.627527, half 0.999795 × sqrt(0.046875 + 0.060023) =
  // 0.326886.
  const Json& csat = r["cx"]["csat"];
  CHECK(csat["value"][0].get<double>() == Approx(75));
  CHECK(csat["low"][0].get<double>() == Approx(30.0641842582));
  CHECK(csat["high"][0].get<double>() == Approx(95.4412739190));
  // CES: 7, 5, 3 → mean 5, s = sqrt((4 + 0 + 4)/2) = 2, half 1.959964 × 2/sqrt(3) = 2.263171.
  const Json& ces = r["cx"]["ces"];
  CHECK(ces["value"][0].get<double>() == Approx(5));
  CHECK(ces["low"][0].get<double>() == Approx(2.7368285318));
  CHECK(ces["high"][0].get<double>() == Approx(7.2631714682));
  // CES 5–7: 2 of 3 → 66.67%, Wilson [20.766, 93.851].
  CHECK(r["cx"]["cesHigh"]["value"][0].get<double>() == Approx(200.0 / 3));
  CHECK(r["cx"]["cesHigh"]["low"][0].get<double>() == Approx(20.7659600802));
  // Activation: January signups u1 (activated), u2 (too late) → 1/2; February u3 → 0/1.
  check_series(r["metrics"]["activationRate"], {0.5, 0});
}

TEST_CASE("estimates: edge cases") {
  CHECK_FALSE(nps_estimate(0, 0, 0).value);
  const Estimate all_promoters =
      nps_estimate(4, 0, 0);  // variance 1 − 1 = 0: a zero-width interval
  CHECK(*all_promoters.value == 100);
  CHECK(*all_promoters.low == 100);
  const Estimate one = mean_estimate(4, 16, 1);
  CHECK(*one.value == 4);
  CHECK_FALSE(one.low);  // no interval from one answer
  CHECK_FALSE(percent_estimate(0, 0).value);
  CHECK(*percent_estimate(0, 10).low == 0);
}
