// The pAlive trait: BG/NBD P(alive) from a profile's orders, checked against the closed form of
// Fader, Hardie & Lee (2005), eq. (11), written out here independently:
//   P(alive | x, tₓ, T) = 1 / (1 + a / (b + x − 1) · ((α + T) / (α + tₓ))^(r + x))  for x > 0, else 1.

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "stageline/common/error.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/profiles/profile_attributes.hpp"
#include "stageline/profiles/traits.hpp"
#include "stageline/stages/stage_model.hpp"

using stageline::Json;
using stageline::kMsPerDay;

namespace {

// CDNOW's published BG/NBD estimates (weeks).
constexpr double r = 0.243, alpha = 4.414, a = 0.793, b = 2.426;

double closed_form(double x, double tx, double T) {
  if (x == 0) return 1.0;
  return 1.0 / (1.0 + a / (b + x - 1) * std::pow((alpha + T) / (alpha + tx), r + x));
}

stageline::TraitsConfig p_alive_traits(const char* period) {
  return stageline::TraitsConfig::compile(Json{{"traits",
                                                {{{"name", "pAlive"},
                                                  {"aggregate", "pAlive"},
                                                  {"model", {{"r", r}, {"alpha", alpha}, {"a", a}, {"b", b}}},
                                                  {"period", period}}}}});
}

void order(stageline::Profile& profile, stageline::TimestampMs at) {
  profile.apply(stageline::event_from_json(Json{{"customerId", "c"}, {"type", "purchase"}, {"timestamp", at}, {"value", 10}},
                                           "event"));
}

}  // namespace

TEST_CASE("pAlive follows BG/NBD's closed form from the profile's orders") {
  stageline::Profile profile("c", p_alive_traits("W"));
  const stageline::TimestampMs start = 1'700'000'000'000;
  const stageline::TimestampMs week = 7 * kMsPerDay;
  CHECK_FALSE(profile.trait_value(0, start).has_value());  // no orders: null
  order(profile, start);
  CHECK(*profile.trait_value(0, start + 10 * week) == Approx(1.0));  // x = 0
  order(profile, start + 10 * week);
  order(profile, start + 20 * week);
  // x = 2, tₓ = 20 weeks; T = 40 weeks at week 40, 100 at week 100.
  CHECK(*profile.trait_value(0, start + 40 * week) == Approx(closed_form(2, 20, 40)).epsilon(1e-12));
  CHECK(*profile.trait_value(0, start + 100 * week) == Approx(closed_form(2, 20, 100)).epsilon(1e-12));
  CHECK(closed_form(2, 20, 100) < closed_form(2, 20, 40));
  // Seen through ProfileAttributes by name, as conditions see it.
  const stageline::ProfileAttributes attributes(profile, start + 40 * week);
  CHECK(attributes.resolve(stageline::AttributePath("pAlive")).as_number() == Approx(closed_form(2, 20, 40)));
}

TEST_CASE("pAlive round-trips its config and rejects bad models with paths") {
  const Json config = p_alive_traits("M").to_json();
  CHECK(config["traits"][0] == Json::parse(R"({"name": "pAlive", "aggregate": "pAlive",
      "model": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, "period": "M"})"));
  CHECK_THROWS_WITH(stageline::TraitsConfig::compile(Json::parse(
                        R"({"traits": [{"name": "p", "aggregate": "pAlive", "model": {"r": 1, "alpha": 1, "a": 1}}]})")),
                    Catch::Contains("traits[0].model.b"));
  CHECK_THROWS_WITH(stageline::TraitsConfig::compile(Json::parse(
                        R"({"traits": [{"name": "p", "aggregate": "pAlive", "event": "x", "model": {}}]})")),
                    Catch::Contains("traits[0].event"));
}

TEST_CASE("the full preset's at_risk uses pAlive when the trait is there") {
  const stageline::StageModel full = stageline::StageModel::preset("full");
  const auto stage_of = [&](const stageline::Profile& profile, stageline::TimestampMs at) {
    return full.stages()[full.classify_index(stageline::ProfileAttributes(profile, at), at)].id;
  };
  const stageline::TimestampMs start = 1'700'000'000'000;
  // Six orders 2 days apart, then silence: 30 days after the last order the customer is still
  // recent (not at risk by days: atRiskDays 45), but for a customer who bought every other day
  // P(alive) (daily periods: x = 5, tₓ = 10, T = 40) is low.
  stageline::Profile with_trait("c", p_alive_traits("D"));
  stageline::Profile without_trait("c");
  for (int i = 0; i < 6; ++i) {
    order(with_trait, start + i * 2 * kMsPerDay);
    order(without_trait, start + i * 2 * kMsPerDay);
  }
  const stageline::TimestampMs at = start + 40 * kMsPerDay;
  REQUIRE(closed_form(5, 10, 40) < 0.3);  // 0.0217, below the preset's atRiskPAlive
  CHECK(stage_of(with_trait, at) == "at_risk");
  CHECK(stage_of(without_trait, at) != "at_risk");
}
