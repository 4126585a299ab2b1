#include "stageline/profiles/profile_builder.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/common/error.hpp"
#include "stageline/conditions/condition.hpp"

using stageline::AttributePath;
using stageline::Attributes;
using stageline::Condition;
using stageline::Error;
using stageline::Event;
using stageline::Json;
using stageline::Profile;
using stageline::ProfileBuilder;
using stageline::TimestampMs;
using stageline::TraitsConfig;

namespace {

// 2025-03-01T00:00:00Z (Date.parse in node).
constexpr TimestampMs kDay0 = 1740787200000;
constexpr TimestampMs kDay = 86'400'000;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("add_json builds profiles keyed by customer, in first-seen order") {
  ProfileBuilder builder;
  builder.add_json(Json::parse(R"([
      {"customerId": "b", "type": "visit", "timestamp": "2025-03-01T10:00:00Z"},
      {"customerId": "a", "type": "purchase", "timestamp": "2025-03-02", "value": 49.9},
      {"customerId": "b", "type": "purchase", "timestamp": 1740960000000, "value": 10},
      {"customerId": 7, "type": "signup", "timestamp": "2025-03-01"}])"),
                   "events");
  builder.add_json(Json::parse(R"({"customerId": "7", "type": "visit", "timestamp": 0})"), "event");
  REQUIRE(builder.size() == 3);
  CHECK(builder.event_count() == 5);
  std::vector<std::string> ids;
  for (const Profile& profile : builder) ids.push_back(profile.customer_id());
  CHECK(ids == std::vector<std::string>{"b", "a", "7"});
  REQUIRE(builder.find("a") != nullptr);
  CHECK(builder.find("a")->events() == 1);
  CHECK(builder.find("7")->events() == 2);  // 7 and "7" are one customer
  CHECK(builder.find("c") == nullptr);
  const Json b = builder.profile_json("b", kDay0 + 3 * kDay);
  CHECK(b["orders"] == 1);
  CHECK(b["revenue"] == 10);
  CHECK(b["sessions"] == 1);
  CHECK(b["firstSeen"] == 1740823200000);  // Date.parse("2025-03-01T10:00:00Z")
  CHECK(b["lastSeen"] == 1740960000000);
  CHECK(error_of([&] { builder.profile_json("zz", 0); }) == "unknown customer \"zz\"");
}

TEST_CASE("add_json errors name the event's path and change nothing") {
  ProfileBuilder builder;
  const Json events = Json::parse(R"([
      {"customerId": "a", "type": "visit", "timestamp": 0},
      {"customerId": "a", "type": "visit", "timestamp": 1},
      {"customerId": "a", "type": "visit", "timestamp": 2},
      {"customerId": "a", "type": "visit", "timestamp": "yesterday"}])");
  CHECK(
      error_of([&] { builder.add_json(events, "events"); }) ==
      "events[3].timestamp: expected an ISO-8601 string or epoch milliseconds, got \"yesterday\"");
  CHECK(builder.size() == 0);
  CHECK(builder.event_count() == 0);
  CHECK(error_of([&] { builder.add_json(Json("x"), "event"); }) ==
        "event: expected an event object, got \"x\"");
}

TEST_CASE("add_columns equals add, event by event") {
  const TraitsConfig traits = TraitsConfig::compile(Json::parse(R"({"traits": [
      {"name": "spend7d", "aggregate": "sum", "event": "purchase", "windowDays": 7}]})"));
  const std::vector<std::string> id_text = {"a", "b", "a", "c", "b", "a", "a"};
  const std::vector<std::string> type_text = {"visit",    "visit",  "purchase", "signup",
                                              "purchase", "refund", "visit"};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> timestamps = {kDay0,
                                          kDay0 + 5,
                                          kDay0 + 3600e3,
                                          kDay0 + 2 * kDay,
                                          kDay0 + 3 * kDay + 0.9,
                                          kDay0 + 4 * kDay,
                                          kDay0 + 9 * kDay};
  const std::vector<double> values = {nan, nan, 25.5, nan, 10, 5, nan};

  ProfileBuilder by_event(traits);
  for (std::size_t i = 0; i < id_text.size(); ++i) {
    Event event{id_text[i], type_text[i], static_cast<TimestampMs>(timestamps[i]), std::nullopt,
                nullptr};
    if (!std::isnan(values[i])) event.value = values[i];
    by_event.add(event);
  }
  ProfileBuilder by_column(traits);
  const std::vector<std::string_view> ids(id_text.begin(), id_text.end());
  const std::vector<std::string_view> types(type_text.begin(), type_text.end());
  by_column.add_columns(ids, types, timestamps.data(), values.data(), ids.size());

  REQUIRE(by_column.size() == by_event.size());
  for (std::size_t i = 0; i < by_event.size(); ++i) {
    CHECK(by_column.profiles()[i] == by_event.profiles()[i]);
    for (const TimestampMs at : {kDay0 + 4 * kDay, kDay0 + 20 * kDay}) {
      CHECK(by_column.profiles()[i].to_json(at) == by_event.profiles()[i].to_json(at));
    }
  }
  // Hand-computed: a has visit, purchase 25.5, refund 5, visit 9 days later (a new session).
  const Json a = by_column.profile_json("a", kDay0 + 4 * kDay);
  CHECK(a["revenue"] == 20.5);
  CHECK(a["sessions"] == 2);
  CHECK(a["spend7d"] == 25.5);
  CHECK(by_column.profile_json("b", kDay0 + 4 * kDay)["lastOrderAt"] == kDay0 + 3 * kDay);
  CHECK(by_column.profile_json("a", kDay0 + 20 * kDay)["spend7d"] == 0);

  ProfileBuilder no_values;
  no_values.add_columns(ids, types, timestamps.data(), nullptr, ids.size());
  CHECK(no_values.profile_json("a", 0)["revenue"] == 0);
}

TEST_CASE("add_columns validates every row before applying any") {
  ProfileBuilder builder;
  const std::vector<std::string_view> ids = {"a", "b", ""};
  const std::vector<std::string_view> types = {"visit", "", "visit"};
  const double timestamps[] = {0, 1, 2};
  const double bad_timestamps[] = {0, std::numeric_limits<double>::infinity(), 2};
  const double values[] = {0, std::numeric_limits<double>::infinity(), 0};
  const std::vector<std::string_view> good_ids = {"a", "b", "c"};
  const std::vector<std::string_view> good_types = {"visit", "visit", "visit"};
  CHECK(error_of([&] { builder.add_columns(good_ids, types, timestamps, nullptr, 3); }) ==
        "row 1: type: expected a non-empty string");
  CHECK(error_of([&] { builder.add_columns(ids, good_types, timestamps, nullptr, 3); }) ==
        "row 2: customerId: expected a non-empty string");
  CHECK(error_of([&] { builder.add_columns(good_ids, good_types, bad_timestamps, nullptr, 3); }) ==
        "row 1: timestamp: expected epoch milliseconds within JavaScript's Date range, got null");
  CHECK(error_of([&] { builder.add_columns(good_ids, good_types, timestamps, values, 3); }) ==
        "row 1: value: expected a finite number or NaN (no value)");
  CHECK(error_of([&] { builder.add_columns(good_ids, good_types, timestamps, nullptr, 4); }) ==
        "columns hold fewer than 4 rows");
  CHECK(builder.size() == 0);
  CHECK(builder.event_count() == 0);
}

TEST_CASE("events_of returns one customer's events sorted by timestamp, stably") {
  ProfileBuilder builder;
  builder.add_json(Json::parse(R"([
      {"customerId": "a", "type": "third", "timestamp": 30},
      {"customerId": "b", "type": "other", "timestamp": 1},
      {"customerId": "a", "type": "first", "timestamp": 10, "value": 2.5},
      {"customerId": "a", "type": "second-a", "timestamp": 20, "properties": {"k": 1}},
      {"customerId": "a", "type": "second-b", "timestamp": 20, "properties": {}}])"),
                   "events");
  const std::vector<Event> events = builder.events_of("a");
  REQUIRE(events.size() == 4);
  CHECK(events[0].type == "first");
  CHECK(events[0].value == 2.5);
  CHECK(events[1].type == "second-a");
  CHECK(events[1].properties == Json{{"k", 1}});
  CHECK(events[2].type == "second-b");
  CHECK(events[2].properties.is_null());  // empty properties are not stored
  CHECK(events[3].type == "third");
  CHECK_FALSE(events[3].value.has_value());
  for (const Event& e : events) CHECK(e.customer_id == "a");
  CHECK(builder.events_of("nobody").empty());
  // Replaying the sorted events rebuilds the same aggregates (counts list types in first-seen
  // order, which the replay changes, so the profiles are compared rather than their JSON text).
  Profile replayed("a", TraitsConfig{});
  for (const Event& e : events) replayed.apply(e);
  CHECK(replayed == *builder.find("a"));
}

TEST_CASE("count and for_each_attributes evaluate conditions over every profile") {
  ProfileBuilder builder;
  for (int i = 0; i < 100; ++i) {
    const std::string id = "c" + std::to_string(i);
    builder.add(Event{id, "visit", kDay0 + i * kDay, std::nullopt, nullptr});
    for (int k = 0; k < i % 4; ++k) {
      builder.add(Event{id, "purchase", kDay0 + i * kDay + k, 10.0, nullptr});
    }
  }
  // i % 4 == 3 → 25 customers with 3 orders; i % 4 >= 2 → 50 with at least 2.
  const Condition repeat = Condition::compile(Json::parse(R"({"orders": {"$gte": 2}})"));
  const TimestampMs at = kDay0 + 100 * kDay;
  CHECK(builder.count([&](const Attributes& a) { return repeat.matches(a, at); }, at) == 50);
  const Condition three =
      Condition::compile(Json::parse(R"({"counts.purchase": 3, "revenue": 30})"));
  CHECK(builder.count([&](const Attributes& a) { return three.matches(a, at); }, at) == 25);
  // Seen within the last 10 days at day 100: customers 90..99.
  const Condition recent =
      Condition::compile(Json::parse(R"({"lastSeen": {"$withinLastDays": 10}})"));
  CHECK(builder.count([&](const Attributes& a) { return recent.matches(a, at); }, at) == 10);
  const AttributePath orders("orders");
  double total = 0;
  builder.for_each_attributes(
      at, [&](const Profile&, const Attributes& a) { total += a.resolve(orders).as_number(); });
  CHECK(total == 25 * (0 + 1 + 2 + 3));
}
