#include "stageline/stages/lifecycle.hpp"

#include <algorithm>
#include <string>

#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/profiles/profile_attributes.hpp"

namespace stageline {
namespace {

// Tracks the current stay and closes it when the stage changes.
class TimelineRecorder {
 public:
  explicit TimelineRecorder(const StageModel& model) : model_(model) {}

  void observe(const Profile& profile, TimestampMs at) {
    const ProfileAttributes attributes(profile, at);
    if (spans_.empty()) {
      spans_.push_back({model_.classify_index(attributes, at), at, std::nullopt});
      return;
    }
    StageSpan& current = spans_.back();
    const std::size_t stage =
        model_.classify_index(attributes, at, PreviousStage{current.stage_index, current.entered_at});
    if (stage != current.stage_index) {
      current.left_at = at;
      spans_.push_back({stage, at, std::nullopt});
    }
  }

  std::vector<StageSpan> take() { return std::move(spans_); }

 private:
  const StageModel& model_;
  std::vector<StageSpan> spans_;
};

TimestampMs next_midnight_after(TimestampMs t) { return (utc_day(t) + 1) * kMsPerDay; }

// Sets `field` to the days from `since_field`'s timestamp to `at`, when that is a timestamp.
void refresh_days_since(Json& profile, const char* field, const char* since_field, TimestampMs at) {
  const auto since = profile.find(since_field);
  if (since == profile.end()) return;
  if (const auto timestamp = timestamp_from_json(*since)) {
    profile[field] = static_cast<double>(at - *timestamp) / static_cast<double>(kMsPerDay);
  }
}

}  // namespace

std::vector<std::uint16_t> classify_all(const ProfileBuilder& builder, const StageModel& model, TimestampMs at) {
  std::vector<std::uint16_t> stages;
  stages.reserve(builder.size());
  builder.for_each_attributes(at, [&](const Profile&, const Attributes& attributes) {
    stages.push_back(static_cast<std::uint16_t>(model.classify_index(attributes, at)));
  });
  return stages;
}

std::size_t count_matching(const ProfileBuilder& builder, const Condition& condition, TimestampMs at) {
  return builder.count([&](const Attributes& attributes) { return condition.matches(attributes, at); }, at);
}

std::vector<StageSpan> replay_timeline(const StageModel& model, std::vector<Event> events,
                                       const TraitsConfig& traits, TimestampMs until, std::int64_t max_days) {
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.timestamp < b.timestamp; });
  events.erase(std::find_if(events.begin(), events.end(), [&](const Event& e) { return e.timestamp > until; }),
               events.end());
  if (events.empty()) return {};
  if (utc_day(until) - utc_day(events.front().timestamp) > max_days) {
    throw Error(error_code::kLimitExceeded, "",
                "a stage timeline may span at most " + std::to_string(max_days) + " days");
  }

  Profile profile(events.front().customer_id, traits);
  TimelineRecorder recorder(model);
  for (std::size_t i = 0; i < events.size(); ++i) {
    profile.apply(events[i]);
    // Several events at the same instant are one observation.
    if (i + 1 < events.size() && events[i + 1].timestamp == events[i].timestamp) continue;
    recorder.observe(profile, events[i].timestamp);
    const TimestampMs quiet_until = i + 1 < events.size() ? events[i + 1].timestamp : until;
    for (TimestampMs midnight = next_midnight_after(events[i].timestamp); midnight < quiet_until;
         midnight += kMsPerDay) {
      recorder.observe(profile, midnight);
    }
  }
  if (until > events.back().timestamp) recorder.observe(profile, until);
  return recorder.take();
}

Classification classify_profile_json(const StageModel& model, const Json& profile, TimestampMs at,
                                     const std::optional<PreviousStage>& previous) {
  if (!profile.is_object()) {
    throw Error(error_code::kInvalidArgument, "profile", expected_but_got("an object", profile));
  }
  Json refreshed = profile;
  refresh_days_since(refreshed, "tenureDays", "firstSeen", at);
  refresh_days_since(refreshed, "daysSinceLastSeen", "lastSeen", at);
  refresh_days_since(refreshed, "daysSinceLastOrder", "lastOrderAt", at);
  return model.classify(JsonAttributes(refreshed), at, previous);
}

// Building result JSON: optimized for size (stageline/cold_code.hpp).
STAGELINE_COLD_CODE_BEGIN

Json classification_json(const StageModel& model, const Classification& classification) {
  Json explanation = Json::array();
  for (const auto& tried : classification.explanation) {
    Json clauses = Json::array();
    for (const auto& clause : tried.clauses) {
      clauses.push_back({{"path", clause.path},
                         {"attribute", clause.attribute},
                         {"op", clause.op},
                         {"expected", clause.expected},
                         {"actual", clause.actual},
                         {"held", clause.held}});
    }
    explanation.push_back({{"stage", tried.stage}, {"matched", tried.matched}, {"clauses", std::move(clauses)}});
  }
  return {{"stage", model.stages()[classification.stage_index].id},
          {"stageIndex", classification.stage_index},
          {"rule", classification.rule},
          {"explanation", std::move(explanation)}};
}

Json timeline_json(const StageModel& model, const std::vector<StageSpan>& spans) {
  Json timeline = Json::array();
  for (const auto& span : spans) {
    timeline.push_back({{"stage", model.stages()[span.stage_index].id},
                        {"enteredAt", format_timestamp(span.entered_at)},
                        {"leftAt", span.left_at ? Json(format_timestamp(*span.left_at)) : Json()}});
  }
  return timeline;
}

STAGELINE_COLD_CODE_END

std::vector<StageSpan> stage_timeline(const ProfileBuilder& builder, std::string_view customer_id,
                                      const StageModel& model, TimestampMs until) {
  return replay_timeline(model, builder.events_of(customer_id), builder.schema().traits(), until);
}

}  // namespace stageline
