// Cohort retention matrices on the four-customer shop, cell by cell by hand.

#include "stageline/metrics/cohorts.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "four_customer_shop.hpp"
#include "stageline/common/error.hpp"
#include "stageline/datasets/dataset_loader.hpp"

using namespace stageline;

namespace {

Dataset shop() { return testing::four_customer_shop(); }

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
