#include "stageline/profiles/traits.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "stageline/common/error.hpp"

using stageline::Error;
using stageline::Json;
using stageline::kMsPerDay;
using stageline::TimestampMs;
using stageline::TraitAggregate;
using stageline::TraitDefinition;
using stageline::TraitsConfig;
using stageline::TraitState;

namespace {

constexpr TimestampMs kHour = 3'600'000;
// 2025-03-01T00:00:00Z (Date.parse in node), a UTC midnight; day N below is kDay0 + N days.
constexpr TimestampMs kDay0 = 1740787200000;
constexpr TimestampMs day(int n, int hour = 12) { return kDay0 + n * kMsPerDay + hour * kHour; }

std::string compile_error(const char* config) {
  try {
    TraitsConfig::compile(Json::parse(config));
  } catch (const Error& e) {
    CHECK(e.code() == "invalid_config");
    return e.what();
  }
  return "";
}

TraitDefinition trait(TraitAggregate aggregate, std::int64_t window_days) {
  TraitDefinition t;
  t.name = "t";
  t.aggregate = aggregate;
  t.event_type = "purchase";
  t.window_days = window_days;
  return t;
}

}  // namespace

TEST_CASE("TraitsConfig compiles definitions with defaults") {
  const TraitsConfig config = TraitsConfig::compile(Json::parse(R"({"traits": [
      {"name": "purchases30d", "aggregate": "count", "event": "purchase", "windowDays": 30},
      {"name": "spend", "aggregate": "sum", "event": "purchase"},
      {"name": "lastSeats", "aggregate": "last", "event": "plan_change", "property": "seats"},
      {"name": "maxValue", "aggregate": "max", "event": "purchase", "property": "value"}]})"));
  REQUIRE(config.size() == 4);
  CHECK(config.traits()[0].window_days == 30);
  CHECK(config.traits()[1].window_days == 0);
  CHECK(config.traits()[1].property.empty());
  CHECK(config.traits()[2].property == "seats");
  CHECK(config.traits()[3].property.empty());  // "value" is the event value
  CHECK(config.index_of("lastSeats") == std::size_t{2});
  CHECK_FALSE(config.index_of("nope"));
  CHECK(TraitsConfig::compile(config.to_json()).to_json() == config.to_json());
  CHECK(TraitsConfig::compile(Json()).empty());
  CHECK(TraitsConfig::compile(Json::object()).empty());
}

TEST_CASE("TraitsConfig errors name the path") {
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "count", "event": "x"},
                                     {"name": "b", "aggregate": "avg", "event": "x"}]})") ==
        "traits[1].aggregate: expected one of count, sum, min, max, last, pAlive, got \"avg\"");
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "count", "event": "x"},
                                     {"name": "a", "aggregate": "sum", "event": "x"}]})") ==
        "traits[1].name: duplicate trait name \"a\"");
  CHECK(compile_error(R"({"traits": [{"name": "orders", "aggregate": "count", "event": "x"}]})") ==
        "traits[0].name: \"orders\" is a built-in profile field; choose another name");
  CHECK(compile_error(R"({"traits": [{"name": "state", "aggregate": "count", "event": "x"}]})") ==
        "traits[0].name: \"state\" is a built-in profile field; choose another name");
  CHECK(compile_error(R"({"traits": [{"name": "a.b", "aggregate": "count", "event": "x"}]})") ==
        "traits[0].name: expected a non-empty name without '.', got \"a.b\"");
  CHECK(compile_error(R"({"traits": [{"aggregate": "count", "event": "x"}]})") ==
        "traits[0].name: is required (a string)");
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "sum", "event": "x",
                                      "windowDays": 1.5}]})") ==
        "traits[0].windowDays: expected an integer from 1 to 100000, got 1.5");
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "sum", "event": "x",
                                      "windowDays": 0}]})") ==
        "traits[0].windowDays: expected an integer from 1 to 100000, got 0");
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "count", "event": "x",
                                      "property": "v"}]})") ==
        "traits[0].property: count takes no property (it counts events)");
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "count", "event": "x",
                                      "window": 3}]})") ==
        "traits[0].window: unknown member (expected one of name, aggregate, event, property, "
        "windowDays)");
  CHECK(compile_error(R"({"traits": {}})") == "traits: expected an array, got an object");
  CHECK(compile_error(R"({"traits": [{"name": "a", "aggregate": "count", "event": ""}]})") ==
        "traits[0].event: expected a non-empty event type, got \"\"");
}

TEST_CASE("windowed sum covers whole UTC days (atDay - windowDays, atDay]") {
  const TraitDefinition sum7 = trait(TraitAggregate::kSum, 7);
  TraitState state;
  state.add(sum7, day(0, 1), 10);
  state.add(sum7, day(2), 5);
  state.add(sum7, day(2, 23), 1);
  state.add(sum7, day(6), 4);
  // Days 0..6 are in the window at any time of day 6.
  CHECK(*state.value(sum7, day(6, 23)) == 20);
  CHECK(*state.value(sum7, day(6, 0)) == 20);
  state.add(sum7, day(8), 100);
  CHECK(*state.value(sum7, day(7)) == 10);   // days 1..7
  CHECK(*state.value(sum7, day(8)) == 110);  // days 2..8
  CHECK(*state.value(sum7, day(9)) == 104);  // days 3..9
  CHECK(*state.value(sum7, day(14)) == 100);
  CHECK(*state.value(sum7, day(15)) == 0);
  // Out of order but inside the newest event's window (day 3 > 8 - 7): counted.
  state.add(sum7, day(3), 7);
  CHECK(*state.value(sum7, day(9)) == 111);
  // Outside it (day 1 <= 8 - 7): it can never be in a window at or after day 8.
  state.add(sum7, day(1), 1000);
  CHECK(*state.value(sum7, day(9)) == 111);
}

TEST_CASE("windowed count, min, max and last") {
  const TraitDefinition count3 = trait(TraitAggregate::kCount, 3);
  const TraitDefinition min3 = trait(TraitAggregate::kMin, 3);
  const TraitDefinition max3 = trait(TraitAggregate::kMax, 3);
  const TraitDefinition last3 = trait(TraitAggregate::kLast, 3);
  TraitState count, min, max, last;
  const auto add = [&](TimestampMs t, double v) {
    count.add(count3, t, 0);
    min.add(min3, t, v);
    max.add(max3, t, v);
    last.add(last3, t, v);
  };
  add(day(0), 5);
  add(day(1, 10), 2);
  add(day(1, 9), 9);  // earlier in the day, applied later: not the last
  add(day(2), 7);
  CHECK(*count.value(count3, day(2)) == 4);
  CHECK(*min.value(min3, day(2)) == 2);
  CHECK(*max.value(max3, day(2)) == 9);
  CHECK(*last.value(last3, day(2)) == 7);
  CHECK(*last.value(last3, day(1, 23)) == 2);  // days -1..1: latest is day 1 at 10:00
  CHECK(*count.value(count3, day(3)) == 3);    // days 1..3
  CHECK(*min.value(min3, day(3)) == 2);
  CHECK(*max.value(max3, day(4)) == 7);  // days 2..4
  CHECK(*count.value(count3, day(5)) == 0);
  CHECK_FALSE(min.value(min3, day(5)).has_value());
  CHECK_FALSE(max.value(max3, day(5)).has_value());
  CHECK_FALSE(last.value(last3, day(5)).has_value());
  // A tie on timestamp: the event applied later wins.
  add(day(2), 8);
  CHECK(*last.value(last3, day(2)) == 8);
}

TEST_CASE("all-time aggregates ignore days") {
  const TraitDefinition sum = trait(TraitAggregate::kSum, 0);
  const TraitDefinition last = trait(TraitAggregate::kLast, 0);
  TraitState sums, lasts;
  for (int i = 0; i < 400; ++i) {
    sums.add(sum, day(i), 1);
    lasts.add(last, day(i), i);
  }
  lasts.add(last, day(10), -1);  // older than the last: ignored by last
  CHECK(*sums.value(sum, day(1000)) == 400);
  CHECK(*sums.value(sum, 0) == 400);
  CHECK(*lasts.value(last, day(1000)) == 399);
  CHECK(TraitState().value(sum, 0) == 0.0);
}

TEST_CASE("a long run of days keeps exactly the window") {
  const TraitDefinition count30 = trait(TraitAggregate::kCount, 30);
  TraitState state;
  for (int i = 0; i < 1000; ++i) {
    state.add(count30, day(i, 1), 0);
    state.add(count30, day(i, 2), 0);
  }
  CHECK(*state.value(count30, day(999)) == 60);
  CHECK(*state.value(count30, day(1010)) == 38);  // days 981..999
  CHECK(state.to_json().size() == 30);            // one bucket per day in the window
}

TEST_CASE("TraitState JSON round trip and errors") {
  const TraitDefinition max5 = trait(TraitAggregate::kMax, 5);
  TraitState state;
  state.add(max5, day(0), 3.25);
  state.add(max5, day(2), -1);
  const Json json = state.to_json();
  CHECK(json ==
        Json::parse("[[20148, 1, 3.25, 3.25, 3.25, " + std::to_string(day(0)) +
                    ", 3.25], [20150, 1, -1, -1, -1, " + std::to_string(day(2)) + ", -1]]"));
  CHECK(TraitState::from_json(json, "p") == state);
  try {
    TraitState::from_json(Json::parse("[[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]]"), "p");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "p[1][0]: expected days in ascending order, got 1");
  }
  CHECK_THROWS_WITH(TraitState::from_json(Json::parse("[[1, -1, 1, 1, 1, 1, 1]]"), "p"),
                    "p[0][1]: expected an integer, got -1");
  CHECK_THROWS_WITH(TraitState::from_json(Json::parse("[[1, 1, 1]]"), "p"),
                    "p[0]: expected [day, count, sum, min, max, lastAt, last], got [1,1,1]");
}
