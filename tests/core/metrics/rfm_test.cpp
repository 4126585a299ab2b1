// RFM values, quintile scores and segments on a four-customer shop, worked out by hand.

#include "stageline/metrics/rfm.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "four_customer_shop.hpp"
#include "stageline/common/error.hpp"
#include "stageline/datasets/dataset_loader.hpp"

using namespace stageline;

namespace {

Dataset shop() { return testing::four_customer_shop(); }

std::vector<std::string> segment_names(const RfmResult& result, const RfmOptions& options) {
  std::vector<std::string> names;
  for (const auto s : result.segment)
    names.push_back(s == kNoSegment ? "Other" : options.segments[s].name);
  return names;
}

using Scores = std::vector<std::uint8_t>;

}  // namespace

TEST_CASE("rfm: values, scores and default segments at 2024-04-01") {
  const Dataset d = shop();
  RfmOptions options = RfmOptions::from_json({{"at", "2024-04-01"}});
  const RfmResult r = compute_rfm(d, options);
  REQUIRE(r.customer.size() == 4);  // customer order a, b, c, d; the guest is not a customer
  // Last purchases Mar 3, Mar 15, Feb 20, Mar 9 (d's later return is not a purchase). Days to Apr
  // 1: 29, 17, 41 (Feb 20 → Mar 1 is 10 days in 2024), 23.
  CHECK(r.recency_days == std::vector<double>{29, 17, 41, 23});
  CHECK(r.frequency == std::vector<double>{3, 2, 2, 1});
  CHECK(r.monetary == std::vector<double>{180, 100, 30, 50});  // d: 80 − 30
  // R = 1 + ⌊5 × #(larger recency) / 4⌋: a 1+⌊5/4⌋ = 2, b 1+⌊15/4⌋ = 4, c 1, d 1+⌊10/4⌋ = 3.
  CHECK(r.r == Scores{2, 4, 1, 3});
  // F = 1 + ⌊5 × #(smaller frequency) / 4⌋: a 1+⌊15/4⌋ = 4, b and c 1+⌊5/4⌋ = 2 (tied), d 1.
  CHECK(r.f == Scores{4, 2, 2, 1});
  // M: a 1+⌊15/4⌋ = 4, b 1+⌊10/4⌋ = 3, c 1, d 1+⌊5/4⌋ = 2.
  CHECK(r.m == Scores{4, 3, 1, 2});
  // a R2 F4 → At Risk (R1–2 F3–4); b R4 F2 → Potential Loyalist; c R1 F2 → Lost; d R3 F1 → About To
  // Sleep.
  CHECK(segment_names(r, options) ==
        std::vector<std::string>{"At Risk", "Potential Loyalist", "Lost", "About To Sleep"});
}

TEST_CASE("rfm: an earlier reference time sees fewer orders; default time; custom rules") {
  const Dataset d = shop();
  const RfmResult early = compute_rfm(d, RfmOptions::from_json({{"at", "2024-03-10"}}));
  // Up to Mar 10: b only has Jan 20 (50 days back), d has Mar 9 and not yet the return.
  CHECK(early.recency_days == std::vector<double>{7, 50, 19, 1});
  CHECK(early.frequency == std::vector<double>{3, 1, 2, 1});
  CHECK(early.monetary == std::vector<double>{180, 40, 30, 80});
  const RfmResult latest = compute_rfm(d, RfmOptions{});
  CHECK(latest.at == *parse_timestamp("2024-03-21"));  // midnight after the last row (Mar 20)
  RfmOptions custom = RfmOptions::from_json(
      {{"at", "2024-04-01"},
       {"segments", {{{"name", "Big"}, {"m", {4, 5}}}, {{"name", "Small"}, {"m", {1, 1}}}}}});
  const RfmResult r = compute_rfm(d, custom);
  CHECK(segment_names(r, custom) == std::vector<std::string>{"Big", "Other", "Small", "Other"});
}

TEST_CASE("rfm: quintile ties and option errors") {
  // {1,1,1,2,3}: 1 has 0 below → 1; 2 has 3 below → 1+⌊15/5⌋ = 4; 3 has 4 below → 5.
  CHECK(quintile_scores({1, 2, 1, 3, 1}, true) == Scores{1, 4, 1, 5, 1});
  // Lower is better: 10 has one larger value → 1+⌊5/3⌋ = 2; 20 → 1.
  CHECK(quintile_scores({10, 20, 10}, false) == Scores{2, 1, 2});
  CHECK(quintile_scores({}, true).empty());
  const auto error_of = [](const Json& options) {
    try {
      RfmOptions::from_json(options);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of({{"segments", {{{"name", "x"}, {"r", {0, 5}}}}}}) ==
        "segments[0].r: expected 1 ≤ min ≤ max ≤ 5");
  CHECK(error_of({{"segments", {{{"r", {1, 5}}}}}}) ==
        "segments[0].name: expected the segment's name");
  CHECK(error_of({{"at", "soon"}}) ==
        "at: expected an ISO-8601 string or epoch milliseconds, got \"soon\"");
}
