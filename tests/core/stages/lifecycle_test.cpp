// Batch classification and stage timelines over real profiles built from events. Expected stages
// and dates are worked out by hand from the classic preset's definition (see README).

#include "stageline/stages/lifecycle.hpp"

#include <catch2/catch.hpp>

#include "stageline/common/error.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/time/timestamp.hpp"

using namespace stageline;

namespace {

TimestampMs at(const char* iso) { return *parse_timestamp(iso); }

Event event(const char* customer, const char* type, const char* when, std::optional<double> value = {}) {
  return Event{customer, type, at(when), value, Json()};
}

std::string stage_id(const StageModel& model, std::size_t index) { return model.stages()[index].id; }

}  // namespace

TEST_CASE("a customer's classic timeline, including moves driven by time alone") {
  const StageModel classic = StageModel::preset("classic");
  const std::vector<Event> events = {
      event("c1", "purchase", "2024-01-05T12:00:00Z", 50.0),  // out of order on purpose
      event("c1", "visit", "2024-01-01T10:00:00Z"),
      event("c1", "signup", "2024-01-02T10:00:00Z"),
  };
  const auto spans = replay_timeline(classic, events, TraitsConfig(), at("2024-06-01T00:00:00Z"));
  REQUIRE(spans.size() == 5);
  CHECK(stage_id(classic, spans[0].stage_index) == "awareness");
  CHECK(spans[0].entered_at == at("2024-01-01T10:00:00Z"));
  CHECK(spans[0].left_at == at("2024-01-02T10:00:00Z"));
  CHECK(stage_id(classic, spans[1].stage_index) == "acquisition");
  CHECK(stage_id(classic, spans[2].stage_index) == "onboarding");
  CHECK(spans[2].entered_at == at("2024-01-05T12:00:00Z"));
  // First order older than 30 days: first true at the midnight after 2024-02-04T12:00.
  CHECK(stage_id(classic, spans[3].stage_index) == "retention");
  CHECK(spans[3].entered_at == at("2024-02-05T00:00:00Z"));
  // 90 days without being seen after 2024-01-05T12:00 is 2024-04-04T12:00 (2024 is a leap year).
  CHECK(stage_id(classic, spans[4].stage_index) == "churned");
  CHECK(spans[4].entered_at == at("2024-04-05T00:00:00Z"));
  CHECK_FALSE(spans[4].left_at.has_value());
}

TEST_CASE("timelines honour minimum dwell and ignore events after `until`") {
  const StageModel model = StageModel::compile(Json::parse(R"({
      "default": "browsing",
      "stages": [{"id": "browsing"},
                 {"id": "buyer", "when": {"daysSinceLastOrder": {"$exists": true, "$lte": 2}},
                  "minDwellDays": 10}]})"));
  const std::vector<Event> events = {event("c", "visit", "2024-03-01T00:00:00Z"),
                                     event("c", "purchase", "2024-03-02T00:00:00Z", 10.0),
                                     event("c", "purchase", "2024-05-01T00:00:00Z", 10.0)};
  const auto spans = replay_timeline(model, events, TraitsConfig(), at("2024-03-20T00:00:00Z"));
  REQUIRE(spans.size() == 3);
  CHECK(spans[1].entered_at == at("2024-03-02T00:00:00Z"));
  // Without the dwell the buyer would leave 2 days after the order; the dwell keeps them 10 days.
  CHECK(spans[1].left_at == at("2024-03-12T00:00:00Z"));
  CHECK(stage_id(model, spans[2].stage_index) == "browsing");
}

TEST_CASE("classify_all and count_matching over a builder agree with single classification") {
  ProfileBuilder builder;
  builder.add(event("a", "visit", "2024-05-01T00:00:00Z"));
  builder.add(event("b", "signup", "2024-05-01T00:00:00Z"));
  builder.add(event("c", "purchase", "2024-05-20T00:00:00Z", 30.0));
  builder.add(event("d", "purchase", "2024-01-02T00:00:00Z", 30.0));
  builder.add(event("d", "nps", "2024-05-25T00:00:00Z", 10.0));
  const StageModel classic = StageModel::preset("classic");
  const TimestampMs june1 = at("2024-06-01T00:00:00Z");
  const auto stages = classify_all(builder, classic, june1);
  REQUIRE(stages.size() == 4);
  CHECK(stage_id(classic, stages[0]) == "awareness");
  CHECK(stage_id(classic, stages[1]) == "acquisition");
  CHECK(stage_id(classic, stages[2]) == "onboarding");
  CHECK(stage_id(classic, stages[3]) == "advocacy");

  const Condition buyers = Condition::compile(Json::parse(R"({"orders": {"$gte": 1}})"));
  CHECK(count_matching(builder, buyers, june1) == 2);
  const Condition recent = Condition::compile(Json::parse(R"({"lastSeen": {"$withinLastDays": 10}})"));
  // Seen in [May 22, June 1]: only d (NPS on May 25); c was last seen May 20, 12 days before.
  CHECK(count_matching(builder, recent, june1) == 1);
}

TEST_CASE("classifying a saved profile recomputes its time-relative fields at the new time") {
  ProfileBuilder builder;
  builder.add(event("c", "signup", "2024-01-01T00:00:00Z"));
  builder.add(event("c", "purchase", "2024-01-02T00:00:00Z", 20.0));
  const StageModel classic = StageModel::preset("classic");
  const Json saved = builder.profile_json("c", at("2024-01-10T00:00:00Z"));
  CHECK(saved["daysSinceLastSeen"] == 8);
  const Json early = classification_json(classic, classify_profile_json(classic, saved, at("2024-01-10T00:00:00Z")));
  CHECK(early["stage"] == "onboarding");
  CHECK(early["rule"] == "stages[2].when");
  // 100 days after the last sighting the same saved object is churned, not onboarding.
  const Json later = classification_json(classic, classify_profile_json(classic, saved, at("2024-04-11T00:00:00Z")));
  CHECK(later["stage"] == "churned");
  CHECK(later["explanation"][0]["stage"] == "churned");
  CHECK(later["explanation"][0]["matched"] == true);

  CHECK_THROWS_AS(classify_profile_json(classic, Json::array(), 0), stageline::Error);
  const auto spans = stage_timeline(builder, "c", classic, at("2024-01-03T00:00:00Z"));
  const Json timeline = timeline_json(classic, spans);
  REQUIRE(timeline.size() == 2);
  CHECK(timeline[0] == Json{{"stage", "acquisition"}, {"enteredAt", "2024-01-01T00:00:00.000Z"},
                            {"leftAt", "2024-01-02T00:00:00.000Z"}});
  CHECK(timeline[1]["leftAt"].is_null());
}
