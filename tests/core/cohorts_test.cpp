// Cohort retention matrices on the four-customer shop, cell by cell by hand.

#include "stageline/cohorts.hpp"

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

}  // namespace

TEST_CASE("cohorts: monthly matrix by hand") {
  const Json r = compute_cohorts(shop(), CohortOptions::from_json({{"period", "M"}}));
  // Cohorts by first purchase: January {a, b}, February {c}, March {d}; observed up to March.
  CHECK(r["cohorts"] == Json({"2024-01", "2024-02", "2024-03"}));
  CHECK(r["size"] == Json({2, 1, 1}));
  // January: k0 a,b; k1 (Feb) a; k2 (Mar) a,b. February: k0 c; k1 nobody. March: k0 d.
  CHECK(r["returned"] == Json({{2, 1, 2}, {1, 0}, {1}}));
  CHECK(r["returnedRate"] == Json({{1.0, 0.5, 1.0}, {1.0, 0.0}, {1.0}}));
  // On or after k: b skipped February but bought in March, so counts for k1.
  CHECK(r["onOrAfter"] == Json({{2, 2, 2}, {1, 0}, {1}}));
  // Revenue: January cohort 100+40, 50, 30+60; February 20+10, 0; March 80 − 30.
  CHECK(r["revenue"] == Json({{140.0, 50.0, 90.0}, {30.0, 0.0}, {50.0}}));
}

TEST_CASE("cohorts: observation end and options") {
  const Json r =
      compute_cohorts(shop(), CohortOptions::from_json({{"period", "M"}, {"to", "2024-02-15"}}));
  // Whole periods up to February; d (first purchase in March) is in no cohort yet.
  CHECK(r["cohorts"] == Json({"2024-01", "2024-02"}));
  CHECK(r["returned"] == Json({{2, 1}, {1}}));
  CHECK(r["revenue"] == Json({{140.0, 50.0}, {30.0}}));
  const Json weekly = compute_cohorts(shop(), CohortOptions::from_json({{"period", "W"}}));
  CHECK(weekly["cohorts"][0] == "2024-01-01");  // Monday of the week of Jan 5
  CHECK(weekly["size"][0] == 1);
  try {
    CohortOptions::from_json({{"period", "Q"}});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "period: expected \"D\", \"W\" or \"M\"");
  }
}
