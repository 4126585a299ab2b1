// Profile::merge: an anonymous visitor's history folded into the customer they identified as.
// The reference is the definition: one profile built from both event streams.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "profile_clock.hpp"
#include "stageline/common/error.hpp"
#include "stageline/profiles/profile.hpp"

using stageline::Error;
using stageline::Event;
using stageline::Json;
using stageline::kMsPerDay;
using stageline::Profile;
using stageline::TimestampMs;
using stageline::TraitsConfig;

using namespace stageline::testing;

namespace {

const TraitsConfig& traits_config() {
  static const TraitsConfig config = TraitsConfig::compile(Json::parse(R"({"traits": [
      {"name": "orders3d", "aggregate": "count", "event": "purchase", "windowDays": 3},
      {"name": "spend", "aggregate": "sum", "event": "purchase"},
      {"name": "maxPurchase", "aggregate": "max", "event": "purchase"},
      {"name": "lastPurchase", "aggregate": "last", "event": "purchase"}]})"));
  return config;
}

Profile build(const std::string& id, const std::vector<Event>& events) {
  Profile profile(id, traits_config());
  for (const Event& e : events) profile.apply(e);
  return profile;
}

// Before signing in: browsing, a cart, a first purchase, a survey, a cancel.
std::vector<Event> anonymous_history() {
  return {
      event("visit", at(0, 9)),
      event("page_view", at(0, 9, 5)),
      event("add_to_cart", at(0, 9, 10)),
      event("purchase", at(0, 9, 12), 30.0),
      event("nps", at(1, 8), 6.0),
      event("visit", at(70, 8)),  // day 70: another 64-day word of the active-day bitmap
      event("ticket", at(70, 8, 10)),
      event("cancel", at(70, 8, 20)),
      event("identify", at(70, 8, 30), std::nullopt, {{"locale", "nl"}}),
  };
}

// After signing in (the first event is hours after the anonymous history's last).
std::vector<Event> known_history() {
  return {
      event("visit", at(70, 14)),  // a session 5+ hours later: reactivates after the cancel
      event("purchase", at(70, 14, 5), 20.0),
      event("purchase", at(71, 10), 50.0),
      event("csat", at(71, 11), 4.0),
      event("nps", at(72, 9), 9.0),
      event("referral", at(72, 10)),
      event("refund", at(72, 11), 5.0),
      event("identify", at(72, 12), std::nullopt, {{"plan", "pro"}}),
  };
}

}  // namespace

TEST_CASE("merging equals one profile built from both streams when the histories do not overlap") {
  std::vector<Event> everything = anonymous_history();
  for (const Event& e : known_history()) everything.push_back(e);
  const Profile expected = build("known", everything);

  Profile known = build("known", known_history());
  known.merge(build("anon-1", anonymous_history()));
  CHECK(known == expected);
  CHECK(known.customer_id() == "known");

  // Values by hand from the two streams.
  const Json json = known.to_json(at(72, 13));
  CHECK(json["events"] == 17);
  CHECK(json["orders"] == 3);
  CHECK(json["revenue"] == 95.0);  // 30 + 20 + 50 - 5
  CHECK(json["sessions"] == 3);    // day 0, day 70 08:00, day 70 14:00
  CHECK(json["activeDays"] == 5);  // days 0, 1, 70, 71, 72
  CHECK(json["firstSeen"] == at(0, 9));
  CHECK(json["lastSeen"] == at(72, 12));
  CHECK(json["firstOrderAt"] == at(0, 9, 12));
  CHECK(json["lastNps"] == 9.0);
  CHECK(json["lastCsat"] == 4.0);
  CHECK(json["tickets"] == 1);
  CHECK(json["cancelledAt"].is_null());  // the visit at 70 14:00 came after the cancel
  CHECK(json["counts"]["visit"] == 3);
  CHECK(json["counts"]["purchase"] == 3);
  CHECK(json["counts"]["add_to_cart"] == 1);
  CHECK(json["traits"] == Json{{"locale", "nl"}, {"plan", "pro"}});
  CHECK(json["orders3d"] == 2);  // the window of days 70..72 holds the purchases of days 70, 71
  CHECK(json["spend"] == 100.0);
  CHECK(json["maxPurchase"] == 50.0);
  CHECK(json["lastPurchase"] == 50.0);
}

TEST_CASE("merging is the same whichever side holds which history") {
  Profile anonymous_into_known = build("c", known_history());
  anonymous_into_known.merge(build("c", anonymous_history()));
  Profile known_into_anonymous = build("c", anonymous_history());
  known_into_anonymous.merge(build("c", known_history()));
  // Identical but for key order in traits and counts (each side's own keys come first or last).
  Json one = anonymous_into_known.to_json(at(80));
  Json other = known_into_anonymous.to_json(at(80));
  for (const char* unordered : {"traits", "counts"}) {
    CHECK(nlohmann::json(one[unordered]) == nlohmann::json(other[unordered]));
    one.erase(unordered);
    other.erase(unordered);
  }
  CHECK(one == other);
}

TEST_CASE("merging survives persisting both sides as JSON") {
  const Profile known = Profile::from_json(
      Json::parse(build("known", known_history()).to_json(at(80)).dump()), traits_config());
  const Profile anonymous = Profile::from_json(
      Json::parse(build("anon", anonymous_history()).to_json(at(80)).dump()), traits_config());
  Profile merged = known;
  merged.merge(anonymous);
  Profile direct = build("known", known_history());
  direct.merge(build("anon", anonymous_history()));
  CHECK(merged == direct);
}

TEST_CASE("sessions and openTickets add; this profile's identify traits win on a shared key") {
  // Both histories start a session within 30 minutes of each other: one stream would count one.
  Profile a = build("a", {event("visit", at(3, 10)), event("ticket", at(3, 10, 1)),
                          event("identify", at(3, 10, 2), std::nullopt, {{"plan", "free"}})});
  const Profile b = build("b", {event("visit", at(3, 10, 10)), event("ticket_closed", at(3, 10, 11)),
                                event("identify", at(3, 10, 12), std::nullopt,
                                      {{"plan", "pro"}, {"seats", 2}})});
  a.merge(b);
  const Json json = a.to_json(at(4));
  CHECK(json["sessions"] == 2);
  CHECK(json["openTickets"] == 1);  // b's close had nothing open in b
  CHECK(json["traits"] == Json{{"plan", "free"}, {"seats", 2}});
  CHECK(json["activeDays"] == 1);
}

TEST_CASE("windowed traits keep only the days in the newest day's window") {
  // orders3d at day 10 covers days 8, 9, 10. a: days 1 and 2 (both live in a); b: days 8 and 10.
  Profile a = build("a", {event("purchase", at(1), 1.0), event("purchase", at(2), 2.0)});
  const Profile b = build("b", {event("purchase", at(8), 4.0), event("purchase", at(10), 8.0),
                                event("purchase", at(10, 1), 16.0)});
  a.merge(b);
  const Json json = a.to_json(at(10, 12));
  CHECK(json["orders3d"] == 3);
  CHECK(json["spend"] == 31.0);
  CHECK(json["lastPurchase"] == 16.0);
  CHECK(json["state"]["traits"]["orders3d"].size() == 2);  // days 8 and 10; a's days dropped
}

TEST_CASE("merging into an empty profile copies the other's aggregates") {
  Profile empty("known", traits_config());
  const Profile anonymous = build("anon", anonymous_history());
  empty.merge(anonymous);
  Json expected = anonymous.to_json(at(80));
  expected["customerId"] = "known";
  CHECK(empty.to_json(at(80)) == expected);
}

TEST_CASE("profiles with different computed traits cannot be merged") {
  Profile a("a", traits_config());
  const Profile b("b", TraitsConfig{});
  CHECK_THROWS_MATCHES(a.merge(b), Error,
                       Catch::Matchers::Predicate<Error>([](const Error& e) {
                         return e.code() == "invalid_argument";
                       }));
}
