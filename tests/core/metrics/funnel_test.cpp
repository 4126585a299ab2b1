// Ordered and any-order funnels on five customers, worked out by hand.

#include "stageline/metrics/funnel.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "stageline/common/error.hpp"
#include "stageline/datasets/dataset_loader.hpp"

using namespace stageline;

namespace {

constexpr double kDay = 86'400'000;

// u1 view, cart, buy on Jan 1-3. u2 view Jan 1, buy Jan 2, cart Jan 3. u3 cart Jan 1, view Jan 2.
// u4 view Jan 1, view Jan 18, cart Jan 20, buy Jan 22. u5 buy only. A guest views.
Dataset shop_events() {
  DatasetLoader loader(IngestOptions::from_json(
      {{"customerId", "u"}, {"type", "e"}, {"timestamp", "t"}}, DatasetKind::kEvents));
  loader.feed_csv(
      "u,e,t\n"
      "u1,view,2024-01-01\nu1,cart,2024-01-02\nu1,buy,2024-01-03\n"
      "u2,view,2024-01-01\nu2,buy,2024-01-02\nu2,cart,2024-01-03\n"
      "u3,cart,2024-01-01\nu3,view,2024-01-02\n"
      "u4,buy,2024-01-22\nu4,cart,2024-01-20\nu4,view,2024-01-18\nu4,view,2024-01-01\n"  // out of
                                                                                         // order on
                                                                                         // purpose
      "u5,buy,2024-01-05\n"
      ",view,2024-01-05\n",
      true);
  return loader.finish();
}

}  // namespace

TEST_CASE("funnel: ordered, 7-day window") {
  const Json r = compute_funnel(
      shop_events(),
      FunnelOptions::from_json({{"steps", {"view", "cart", "buy"}}, {"windowDays", 7}}));
  // view: u1-u4 (4). cart after view within 7 days: u1, u2 (Jan 3), u4 (Jan 20, 2 days after the
  // Jan 18 view); u3's cart came before its view. buy after that: u1, u4 (u2 bought before the
  // cart).
  CHECK(r["steps"][0]["customers"] == 4);
  CHECK(r["steps"][1]["customers"] == 3);
  CHECK(r["steps"][2]["customers"] == 2);
  CHECK(r["steps"][1]["conversionFromStart"] == 0.75);
  CHECK(r["steps"][2]["conversionFromStart"] == 0.5);
  CHECK(r["steps"][2]["conversionFromPrevious"].get<double>() == Approx(2.0 / 3));
  CHECK(r["converted"] == 2);
  // Times: u1 Jan 1 → Jan 3 = 2 days; u4 Jan 18 → Jan 22 = 4 days. Median and mean 3 days.
  CHECK(r["medianTimeToConvertMs"] == 3 * kDay);
  CHECK(r["meanTimeToConvertMs"] == 3 * kDay);
}

TEST_CASE("funnel: any order, and a window too short") {
  const Dataset d = shop_events();
  const Json r = compute_funnel(
      d, FunnelOptions::from_json(
             {{"steps", {"view", "cart", "buy"}}, {"windowDays", 7}, {"order", "any"}}));
  // Distinct step types within 7 days: u1 3, u2 3, u3 2, u4 3 (Jan 18-22), u5 1.
  CHECK(r["steps"][0]["customers"] == 5);
  CHECK(r["steps"][1]["customers"] == 4);
  CHECK(r["steps"][2]["customers"] == 3);
  // Times 2, 2 and 4 days: median 2 days, mean 8/3 days.
  CHECK(r["medianTimeToConvertMs"] == 2 * kDay);
  CHECK(r["meanTimeToConvertMs"].get<double>() == Approx(8 * kDay / 3));
  const Json tight = compute_funnel(
      d, FunnelOptions::from_json({{"steps", {"view", "cart", "buy"}}, {"windowDays", 1}}));
  // Within one day: u1's cart (1 day after view) counts, its buy (2 days) does not; u4's cart is 2
  // days later.
  CHECK(tight["steps"][1]["customers"] == 1);
  CHECK(tight["converted"] == 0);
  CHECK(tight["medianTimeToConvertMs"].is_null());
}

TEST_CASE("funnel: option errors") {
  const auto error_of = [](const Json& options) {
    try {
      FunnelOptions::from_json(options);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of({{"steps", Json::array()}}) == "steps: expected an array of 1 to 32 event types");
  CHECK(error_of({{"steps", {"a", "a"}}, {"order", "any"}}) ==
        "steps[1]: a step type may appear only once in an any-order funnel");
  CHECK(error_of({{"steps", {"a"}}, {"order", "random"}}) ==
        "order: expected \"ordered\" or \"any\"");
}
