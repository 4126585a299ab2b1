#include "stageline/profiles/profile.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "profile_clock.hpp"
#include "stageline/common/error.hpp"
#include "stageline/profiles/profile_attributes.hpp"

using stageline::AttributePath;
using stageline::Error;
using stageline::Event;
using stageline::Json;
using stageline::kMsPerDay;
using stageline::Profile;
using stageline::ProfileAttributes;
using stageline::TimestampMs;
using stageline::TraitsConfig;
using stageline::ValueKind;
using stageline::ValueRef;

using namespace stageline::testing;

namespace {

const TraitsConfig& traits_config() {
  static const TraitsConfig config = TraitsConfig::compile(Json::parse(R"({"traits": [
      {"name": "orders3d", "aggregate": "count", "event": "order", "windowDays": 3},
      {"name": "maxPurchase", "aggregate": "max", "event": "purchase"},
      {"name": "lastSeats", "aggregate": "last", "event": "identify", "property": "seats"}]})"));
  return config;
}

// A customer touching every built-in field, with a few events out of time order.
std::vector<Event> story() {
  return {
      event("visit", at(0, 10)),          // session 1
      event("page_view", at(0, 10, 20)),  // 20 minutes later: same session
      event("signup", at(0, 10, 25)),
      event("add_to_cart", at(1, 8, 59)),
      event("purchase", at(1, 9), 50.0),
      event("page", at(1, 9, 10)),    // 11 minutes after add_to_cart/purchase
      event("visit", at(4, 12)),      // session 2
      event("order", at(4, 12, 30)),  // no value: revenue + 0
      event("refund", at(5, 8), 20.0),
      event("ticket", at(5, 9)),
      event("ticket_opened", at(5, 10)),
      event("ticket_closed", at(6, 10)),
      event("nps", at(6, 11), 9.0),
      event("survey", at(5, 12), 6.0, {{"metric", "nps"}}),  // older: lastNps stays 9
      event("csat", at(6, 12), 4.0),
      event("survey", at(6, 13), 5.0, {{"metric", "ces"}}),
      event("referral", at(7, 9)),
      event("cancel", at(8, 9)),
      event("identify", at(8, 10), std::nullopt,
            {{"plan", "pro"}, {"seats", 3}, {"address", {{"city", "Utrecht"}}}}),
      event("identify", at(8, 11), std::nullopt, {{"plan", "team"}}),
  };
}

Profile story_profile() {
  Profile profile("c1", traits_config());
  for (const Event& e : story()) profile.apply(e);
  return profile;
}

}  // namespace

TEST_CASE("a profile built from a story has every field as defined") {
  const Profile profile = story_profile();
  const TimestampMs now = at(10);  // 2025-03-11T00:00:00Z
  const Json json = profile.to_json(now);

  CHECK(json["customerId"] == "c1");
  CHECK(json["firstSeen"] == at(0, 10));
  CHECK(json["lastSeen"] == at(8, 11));
  CHECK(json["tenureDays"].get<double>() == Approx(10.0 - 10.0 / 24));
  CHECK(json["daysSinceLastSeen"].get<double>() == Approx(2.0 - 11.0 / 24));
  CHECK(json["events"] == 20);
  CHECK(json["counts"] == Json::parse(R"({"visit": 2, "page_view": 1, "signup": 1,
      "add_to_cart": 1, "purchase": 1, "page": 1, "order": 1, "refund": 1, "ticket": 1,
      "ticket_opened": 1, "ticket_closed": 1, "nps": 1, "survey": 2, "csat": 1, "referral": 1,
      "cancel": 1, "identify": 2})"));
  CHECK(json["activeDays"] == 7);  // days 0, 1, 4, 5, 6, 7 and 8
  CHECK(json["sessions"] == 2);
  CHECK(json["signedUpAt"] == at(0, 10, 25));
  CHECK(json["orders"] == 2);
  CHECK(json["revenue"] == 30);  // 50 + 0 - 20
  CHECK(json["firstOrderAt"] == at(1, 9));
  CHECK(json["lastOrderAt"] == at(4, 12, 30));
  CHECK(json["daysSinceLastOrder"].get<double>() == Approx(6.0 - 12.5 / 24));
  CHECK(json["averageOrderValue"] == 15);
  CHECK(json["lastNps"] == 9);
  CHECK(json["lastCsat"] == 4);
  CHECK(json["lastCes"] == 5);
  CHECK(json["tickets"] == 2);
  CHECK(json["openTickets"] == 1);
  CHECK(json["referrals"] == 1);
  CHECK(json["cancelledAt"] == at(8, 9));  // nothing reactivating after it
  CHECK(json["traits"] ==
        Json::parse(R"({"plan": "team", "seats": 3, "address": {"city": "Utrecht"}})"));
  CHECK(json["orders3d"] == 0);  // the order was on day 4; days 8..10 are in the window at day 10
  CHECK(profile.to_json(at(6, 23))["orders3d"] == 1);  // days 4..6
  CHECK(json["maxPurchase"] == 50);
  CHECK(json["lastSeats"] == 3);
  CHECK(json.contains("state"));
  // Every built-in field, then the computed traits, then state; nothing else.
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"customerId",
                                         "firstSeen",
                                         "lastSeen",
                                         "tenureDays",
                                         "daysSinceLastSeen",
                                         "events",
                                         "counts",
                                         "activeDays",
                                         "sessions",
                                         "signedUpAt",
                                         "orders",
                                         "revenue",
                                         "firstOrderAt",
                                         "lastOrderAt",
                                         "daysSinceLastOrder",
                                         "averageOrderValue",
                                         "lastNps",
                                         "lastCsat",
                                         "lastCes",
                                         "tickets",
                                         "openTickets",
                                         "referrals",
                                         "cancelledAt",
                                         "traits",
                                         "orders3d",
                                         "maxPurchase",
                                         "lastSeats",
                                         "state"});
}

TEST_CASE("an empty profile has nulls and zeros") {
  const Profile profile("x");
  const Json json = profile.to_json(at(0));
  CHECK(json == Json::parse(R"({"customerId": "x", "firstSeen": null, "lastSeen": null,
      "tenureDays": null, "daysSinceLastSeen": null, "events": 0, "counts": {}, "activeDays": 0,
      "sessions": 0, "signedUpAt": null, "orders": 0, "revenue": 0, "firstOrderAt": null,
      "lastOrderAt": null, "daysSinceLastOrder": null, "averageOrderValue": null, "lastNps": null,
      "lastCsat": null, "lastCes": null, "tickets": 0, "openTickets": 0, "referrals": 0,
      "cancelledAt": null, "traits": {},
      "state": {"activeDays": [], "lastNpsAt": null, "lastCsatAt": null, "lastCesAt": null,
                "lastCancelAt": null, "lastReactivationAt": null, "traits": {}}})"));
}

TEST_CASE("activeDays counts distinct UTC days whatever the arrival order") {
  Profile profile("c");
  // Days 100, 3, 100, 64, 63, -1, 3 and 0 (two at 23:59 and 00:00 of adjacent days), far apart
  // on purpose: across 64-day words of the bitmap and before the epoch.
  const TimestampMs times[] = {at(100, 5),     at(3),          at(100, 23, 59), at(64),
                               at(63, 23, 59), at(-1, 23, 59), at(3, 12),       at(0, 0)};
  for (const TimestampMs t : times) profile.apply(Event{"c", "x", t - kDay0, {}, nullptr});
  // Distinct days relative to the epoch: 100, 3, 64, 63, -1, 0 → 6.
  CHECK(profile.to_json(0)["activeDays"] == 6);
  Profile far("c");
  far.apply(Event{"c", "x", 0, {}, nullptr});
  far.apply(Event{"c", "x", 8'000'000'000'000'000, {}, nullptr});  // year 255,479: one more word
  far.apply(Event{"c", "x", -8'000'000'000'000'000, {}, nullptr});
  CHECK(far.to_json(0)["activeDays"] == 3);
  CHECK(far.to_json(0)["state"]["activeDays"].size() == 3);
}

TEST_CASE("sessions start on session-type events 30+ minutes after the previous event") {
  Profile profile("c");
  profile.apply(event("purchase", at(0, 10)));           // not a session type: no session
  profile.apply(event("visit", at(0, 10, 29)));          // 29 minutes: same session... none started
  profile.apply(event("page", at(0, 10, 59)));           // 30 minutes after 10:29: session 1
  profile.apply(event("visit", at(0, 11, 28)));          // 29 minutes: no
  profile.apply(event("add_to_cart", at(0, 12)));        // keeps the customer active
  profile.apply(event("session_start", at(0, 12, 29)));  // 29 minutes after add_to_cart: no
  profile.apply(event("page_view", at(1)));              // session 2
  CHECK(profile.to_json(at(2))["sessions"] == 2);
  Profile first("c");
  first.apply(event("visit", at(0)));  // the very first event starts a session
  CHECK(first.to_json(at(0))["sessions"] == 1);
}

TEST_CASE("cancelledAt is cleared by a later purchase or session, by timestamp") {
  Profile profile("c");
  profile.apply(event("cancel", at(5)));
  CHECK(profile.to_json(at(9))["cancelledAt"] == at(5));
  profile.apply(event("visit", at(4)));  // before the cancel: still cancelled
  CHECK(profile.to_json(at(9))["cancelledAt"] == at(5));
  profile.apply(event("support_chat", at(6)));  // not a reactivation
  CHECK(profile.to_json(at(9))["cancelledAt"] == at(5));
  profile.apply(event("order", at(7)));  // came back
  CHECK(profile.to_json(at(9))["cancelledAt"].is_null());
  profile.apply(event("churn", at(6, 12)));  // arrives late, but precedes the order
  CHECK(profile.to_json(at(9))["cancelledAt"].is_null());
  profile.apply(event("churn", at(8)));
  CHECK(profile.to_json(at(9))["cancelledAt"] == at(8));
}

TEST_CASE("scores, tickets and signups follow the vocabulary") {
  Profile profile("c");
  profile.apply(event("ticket_closed", at(0)));  // nothing open: stays at 0
  profile.apply(event("ticket_resolved", at(0)));
  profile.apply(event("ticket", at(1)));
  CHECK(profile.to_json(at(2))["openTickets"] == 1);
  profile.apply(event("survey", at(1), 3.0, {{"metric", "csat"}}));
  profile.apply(event("survey", at(2), 7.0, {{"metric", "other"}}));  // unknown metric: ignored
  profile.apply(event("survey", at(2), 2.0));                         // no metric: ignored
  profile.apply(event("csat", at(3)));                                // no score: ignored
  profile.apply(event("ces", at(2), 6.0));
  profile.apply(event("ces", at(1), 1.0));  // older: ignored
  profile.apply(event("signup", at(4)));
  profile.apply(event("signup", at(3)));  // earliest wins
  profile.apply(event("return", at(4), 5.0));
  const Json json = profile.to_json(at(5));
  CHECK(json["lastCsat"] == 3);
  CHECK(json["lastCes"] == 6);
  CHECK(json["lastNps"].is_null());
  CHECK(json["signedUpAt"] == at(3));
  CHECK(json["revenue"] == -5);
  CHECK(json["averageOrderValue"].is_null());
  CHECK(json["daysSinceLastOrder"].is_null());
}

TEST_CASE("to_json / from_json round-trips exactly") {
  const Profile original = story_profile();
  const Json json = original.to_json(at(10));
  const Profile restored = Profile::from_json(json, traits_config());
  CHECK(restored == original);
  CHECK(restored.to_json(at(10)) == json);
  // Through text, as the browser runtime persists it.
  const Profile reparsed = Profile::from_json(Json::parse(json.dump()), traits_config());
  CHECK(reparsed == original);
  // Both continue identically: same sessions, active days, trait windows and scores.
  Profile a = original;
  Profile b = reparsed;
  for (Profile* p : {&a, &b}) {
    p->apply(event("order", at(9, 12)));
    p->apply(event("visit", at(9, 13)));
    p->apply(event("nps", at(7), 2.0));  // newer than the nps of day 6, older than the last event
    p->apply(event("identify", at(9, 14), std::nullopt, {{"seats", 5}}));
  }
  CHECK(a == b);
  CHECK(a.to_json(at(10)) == b.to_json(at(10)));
  CHECK(a.to_json(at(10))["orders3d"] == 1);
  CHECK(a.to_json(at(10))["lastNps"] == 2);
  CHECK(a.to_json(at(10))["cancelledAt"].is_null());  // the visit on day 9 reactivated
  CHECK(a.to_json(at(10))["activeDays"] == 8);        // day 9 is new
}

TEST_CASE("from_json accepts a hand-written partial profile") {
  const Profile profile = Profile::from_json(
      Json::parse(R"({"customerId": 7, "orders": 3, "revenue": 120.5, "lastSeen": "2025-03-01",
                      "counts": {"purchase": 3}, "traits": {"plan": "pro"}, "activeDays": 4,
                      "cancelledAt": 1000, "tenureDays": 12.5})"),
      TraitsConfig{});
  const Json json = profile.to_json(at(1));
  CHECK(json["customerId"] == "7");
  CHECK(json["orders"] == 3);
  CHECK(json["revenue"] == 120.5);
  CHECK(json["averageOrderValue"].get<double>() == Approx(120.5 / 3));
  CHECK(json["lastSeen"] == kDay0);
  CHECK(json["daysSinceLastSeen"] == 1);
  CHECK(json["firstSeen"].is_null());
  CHECK(json["events"] == 0);
  CHECK(json["counts"] == Json{{"purchase", 3}});
  CHECK(json["activeDays"] == 4);
  CHECK(json["cancelledAt"] == 1000);
  CHECK(json["traits"] == Json{{"plan", "pro"}});
  CHECK(json["tenureDays"].is_null());  // derived from firstSeen, not read
  // Later events add on top of the stated aggregates.
  Profile grown = profile;
  grown.apply(event("purchase", at(1), 10.0));
  CHECK(grown.to_json(at(1))["activeDays"] == 5);
  CHECK(grown.to_json(at(1))["counts"]["purchase"] == 4);
  CHECK(grown.to_json(at(1))["cancelledAt"].is_null());
}

TEST_CASE("from_json reports wrong types with the JSON path") {
  const auto error_of = [](const char* text) -> std::string {
    try {
      Profile::from_json(Json::parse(text), traits_config(), "profiles[2]");
    } catch (const Error& e) {
      CHECK(e.code() == "invalid_argument");
      return e.what();
    }
    return "";
  };
  CHECK(error_of(R"({"orders": "3"})") ==
        "profiles[2].orders: expected a non-negative integer, got \"3\"");
  CHECK(error_of(R"({"orders": -1})") ==
        "profiles[2].orders: expected a non-negative integer, got -1");
  CHECK(error_of(R"({"revenue": null})") ==
        "profiles[2].revenue: expected a finite number, got null");
  CHECK(error_of(R"({"lastSeen": "soon"})") ==
        "profiles[2].lastSeen: expected epoch milliseconds, an ISO-8601 string or null, got "
        "\"soon\"");
  CHECK(error_of(R"({"counts": {"visit": 1.5}})") ==
        "profiles[2].counts.visit: expected a non-negative integer, got 1.5");
  CHECK(error_of(R"({"traits": []})") ==
        "profiles[2].traits: expected an object or null, got an array");
  CHECK(error_of(R"({"ordres": 1})") == "profiles[2].ordres: unknown member");
  CHECK(error_of(R"({"lastNps": true})") ==
        "profiles[2].lastNps: expected a finite number or null, got true");
  CHECK(error_of(R"({"orders3d": "x"})") ==
        "profiles[2].orders3d: expected a finite number or null, got \"x\"");
  CHECK(error_of(R"({"state": {"activeDays": [[0, "xyz"]]}})") ==
        "profiles[2].state.activeDays[0]: expected [wordIndex, \"16 hex digits\"], got an array");
  CHECK(error_of(R"({"activeDays": 0, "state": {"activeDays": [[0, "0000000000000003"]]}})") ==
        "profiles[2].activeDays: expected at least 2 (the days in state.activeDays), got 0");
  CHECK(error_of(R"({"state": {"traits": {"nope": []}}})") ==
        "profiles[2].state.traits.nope: unknown computed trait (not in the traits config)");
  CHECK(error_of(R"({"state": {"traits": {"orders3d": [[1, 1]]}}})") ==
        "profiles[2].state.traits.orders3d[0]: expected [day, count, sum, min, max, lastAt, last], "
        "got [1,1]");
  CHECK(error_of(R"({"state": {"clock": 1}})") == "profiles[2].state.clock: unknown member");
  CHECK(error_of(R"([])") == "profiles[2]: expected an object, got an array");
}

TEST_CASE("ProfileAttributes resolves built-ins, counts, traits, stage and computed traits") {
  const Profile profile = story_profile();
  const ProfileAttributes attributes(profile, at(10), std::string_view("retention"));
  const ProfileAttributes no_stage(profile, at(10));
  const auto number = [&](const char* path) {
    const ValueRef value = attributes.resolve(AttributePath(path));
    REQUIRE(value.kind() == ValueKind::kNumber);
    return value.as_number();
  };
  const auto kind = [&](const ProfileAttributes& a, const char* path) {
    return a.resolve(AttributePath(path)).kind();
  };
  CHECK(number("orders") == 2);
  CHECK(number("revenue") == 30);
  CHECK(number("firstSeen") == static_cast<double>(at(0, 10)));
  CHECK(number("daysSinceLastSeen") == Approx(2.0 - 11.0 / 24));
  CHECK(number("averageOrderValue") == 15);
  CHECK(number("counts.visit") == 2);
  CHECK(number("counts.never_seen") == 0);
  CHECK(number("orders3d") == 0);
  CHECK(number("maxPurchase") == 50);
  CHECK(number("traits.seats") == 3);
  CHECK(number("sessions") == 2);
  CHECK(number("lastNps") == 9);
  CHECK(number("cancelledAt") == static_cast<double>(at(8, 9)));

  const ValueRef id = attributes.resolve(AttributePath("customerId"));
  REQUIRE(id.kind() == ValueKind::kString);
  CHECK(id.as_string() == "c1");
  const ValueRef city = attributes.resolve(AttributePath("traits.address.city"));
  REQUIRE(city.kind() == ValueKind::kString);
  CHECK(city.as_string() == "Utrecht");
  const ValueRef stage = attributes.resolve(AttributePath("stage"));
  REQUIRE(stage.kind() == ValueKind::kString);
  CHECK(stage.as_string() == "retention");
  CHECK(kind(attributes, "traits") == ValueKind::kObject);
  CHECK(kind(attributes, "traits.address") == ValueKind::kObject);

  CHECK(kind(no_stage, "stage") == ValueKind::kUndefined);
  CHECK(kind(attributes, "traits.missing") == ValueKind::kUndefined);
  CHECK(kind(attributes, "traits.address.city.length") == ValueKind::kUndefined);
  CHECK(kind(attributes, "counts") == ValueKind::kUndefined);
  CHECK(kind(attributes, "counts.visit.x") == ValueKind::kUndefined);
  CHECK(kind(attributes, "orders.x") == ValueKind::kUndefined);
  CHECK(kind(attributes, "unknownTrait") == ValueKind::kUndefined);
  CHECK(kind(attributes, "maxPurchase.x") == ValueKind::kUndefined);
  CHECK(kind(attributes, "") == ValueKind::kUndefined);

  const Profile empty("e", traits_config());
  const ProfileAttributes blank(empty, at(0));
  CHECK(kind(blank, "lastSeen") == ValueKind::kNull);
  CHECK(kind(blank, "daysSinceLastSeen") == ValueKind::kNull);
  CHECK(kind(blank, "averageOrderValue") == ValueKind::kNull);
  CHECK(kind(blank, "maxPurchase") == ValueKind::kNull);  // max of nothing
  CHECK(kind(blank, "orders3d") == ValueKind::kNumber);   // a count of nothing is 0
  CHECK(kind(blank, "traits") == ValueKind::kObject);
  CHECK(kind(blank, "traits.plan") == ValueKind::kUndefined);
}

TEST_CASE("ProfileAttributes walks arrays in identify traits by index") {
  Profile profile("c");
  profile.apply(
      event("identify", at(0), std::nullopt, Json::parse(R"({"tags": ["a", {"k": 2}]})")));
  const ProfileAttributes attributes(profile, at(0));
  CHECK(attributes.resolve(AttributePath("traits.tags.0")).as_string() == "a");
  CHECK(attributes.resolve(AttributePath("traits.tags.1.k")).as_number() == 2);
  CHECK(attributes.resolve(AttributePath("traits.tags.length")).as_number() == 2);
  CHECK(attributes.resolve(AttributePath("traits.tags.01")).kind() == ValueKind::kUndefined);
  CHECK(attributes.resolve(AttributePath("traits.tags.2")).kind() == ValueKind::kUndefined);
}

// Found by tests/fuzz/profile_fuzz.cpp: a hand-written profile stating activeDays without the
// bitmap could be restored, but what it saved could not be restored again ("expected 0 (the days
// in state.activeDays), got 4"), so the browser runtime would have dropped it as corrupt on the
// next reload. The stated days now carry over: 4 stated + 1 new day (2026-01-05) = 5, and merging
// adds stated days to the union of the bitmaps (4 + 1 stated elsewhere + 2 distinct days = 7).
TEST_CASE("a profile with stated activeDays survives save and restore, events and merges") {
  const TraitsConfig none;
  stageline::Profile stated = stageline::Profile::from_json(Json::parse(R"({"customerId": "c", "activeDays": 4})"), none);
  const Json saved = stated.to_json(0);
  CHECK(saved["activeDays"] == 4);
  CHECK(stageline::Profile::from_json(saved, none) == stated);

  stated.apply(stageline::event_from_json(
      Json::parse(R"({"customerId": "c", "type": "visit", "timestamp": "2026-01-05T10:00:00Z"})"), "event"));
  const Json after_event = stated.to_json(0);
  CHECK(after_event["activeDays"] == 5);
  const stageline::Profile reloaded = stageline::Profile::from_json(after_event, none);
  CHECK(reloaded == stated);

  stageline::Profile other = stageline::Profile::from_json(Json::parse(R"({"customerId": "o", "activeDays": 1})"), none);
  other.apply(stageline::event_from_json(
      Json::parse(R"({"customerId": "o", "type": "visit", "timestamp": "2026-01-05T18:00:00Z"})"), "event"));
  other.apply(stageline::event_from_json(
      Json::parse(R"({"customerId": "o", "type": "visit", "timestamp": "2026-01-06T09:00:00Z"})"), "event"));
  stated.merge(other);
  CHECK(stated.to_json(0)["activeDays"] == 7);
  CHECK(stageline::Profile::from_json(stated.to_json(0), none) == stated);
}
