#pragma once
/// Stage classification over many customers and over time: the batch and replay operations that
/// join profiles (profile_builder.hpp) and stage models (stage_model.hpp).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile_builder.hpp"
#include "stageline/profiles/traits.hpp"
#include "stageline/stages/stage_model.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

/// The stage index of every customer of `builder` at `at`, in the builder's customer order.
/// One pass, no allocation per customer.
std::vector<std::uint16_t> classify_all(const ProfileBuilder& builder, const StageModel& model, TimestampMs at);

/// Number of customers of `builder` matching `condition` at `at`.
std::size_t count_matching(const ProfileBuilder& builder, const Condition& condition, TimestampMs at);

/// One stay in a stage. `left_at` is empty for the stage the customer is still in at `until`.
struct StageSpan {
  std::size_t stage_index = 0;
  TimestampMs entered_at = 0;
  std::optional<TimestampMs> left_at;
};

/// Replays a customer's events (any order; they are applied in time order) through a fresh
/// profile and returns the stage timeline up to `until`. The stage is re-evaluated after every
/// event and at every UTC midnight between events and up to `until`, so moves driven by time alone
/// (no activity for 90 days → churn) are dated to the first midnight at which they hold. Minimum
/// dwell times are honoured. Events after `until` are ignored; an empty event list gives no spans.
/// Throws Error(limit_exceeded) when the replay would span more than `max_days` days.
std::vector<StageSpan> replay_timeline(const StageModel& model, std::vector<Event> events,
                                       const TraitsConfig& traits, TimestampMs until,
                                       std::int64_t max_days = 36'600);

/// Classifies a profile given as JSON (as ProfileBuilder::profile_json returns it, or any object of
/// attributes). The time-relative fields tenureDays, daysSinceLastSeen and daysSinceLastOrder are
/// recomputed at `at` from firstSeen, lastSeen and lastOrderAt when those are timestamps, so a
/// profile saved yesterday classifies correctly today.
Classification classify_profile_json(const StageModel& model, const Json& profile, TimestampMs at,
                                     const std::optional<PreviousStage>& previous = std::nullopt);

/// {stage, stageIndex, rule, explanation: [{stage, matched, clauses: [{path, attribute, op,
/// expected, actual, held}]}]} for the JS API.
Json classification_json(const StageModel& model, const Classification& classification);

/// [{stage, enteredAt, leftAt}] (ISO-8601 strings; leftAt null for the current stay).
Json timeline_json(const StageModel& model, const std::vector<StageSpan>& spans);

/// The timeline of one customer of `builder` (see replay_timeline); empty when unknown.
std::vector<StageSpan> stage_timeline(const ProfileBuilder& builder, std::string_view customer_id,
                                      const StageModel& model, TimestampMs until);

}  // namespace stageline
