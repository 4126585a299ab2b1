#pragma once
/// Lifecycle views of a Dataset: stage distribution at a date and the transition matrix between
/// two dates (any StageModel, through a ProfileBuilder fed with the dataset's events), and the
/// PostHog-style lifecycle per period.
///
/// Events fed to profiles: an events dataset gives each row of an identified customer as
/// {type, timestamp, value}, value = score for nps/csat/ces rows, else amount; a transactions
/// dataset gives each order as `purchase` (net amount ≥ 0, value = amount) or `refund`
/// (value = −amount). Events are applied in time order; a profile at `at` sees events up to `at`.
/// Classification is by the model's conditions at `at`; a model with minDwellDays classifies by
/// each customer's stage timeline instead (stage_timeline, dwell honoured), which costs a replay
/// per customer (O(customers × days)).
///
/// PostHog lifecycle, with "active in p" = the customer has any row in period p:
///   new           active in p, and p is the customer's first active period
///   returning     active in p and in p − 1
///   resurrecting  active in p, not in p − 1, but in some earlier period
///   dormant       active in p − 1, not in p (PostHog shows it as a negative count)

#include <cstdint>
#include <optional>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"
#include "stageline/metrics/period.hpp"
#include "stageline/profiles/profile_builder.hpp"
#include "stageline/stages/stage_model.hpp"

namespace stageline {

/// A ProfileBuilder with the dataset's events up to `until` (all when nullopt), in time order.
ProfileBuilder profiles_from_dataset(const Dataset& dataset, std::optional<TimestampMs> until);

/// {at, stages: [id], counts: [n], customerIds: [id], stageIndex: [i]} of the customers with an
/// event up to `at`.
Json stage_distribution(const Dataset& dataset, const StageModel& model, TimestampMs at);

/// {from, to, stages: [id], matrix: rows = stage at `from` plus a last row for customers not seen
/// yet at `from`, columns = stage at `to`}. `from` must not be after `to`.
Json stage_transitions(const Dataset& dataset, const StageModel& model, TimestampMs from,
                       TimestampMs to);

/// Time in stage and the stage-to-stage funnel, from every customer's stage timeline up to `until`
/// (stage_timeline: re-evaluated after each event and at each UTC midnight, minimum dwell honoured):
///   {until, stages: [id],
///    timeInStage: [{stage, completedStays, medianDays, meanDays, openStays}] — over completed
///      stays only (a stay still open at `until` would understate its length; they are counted in
///      openStays); median/mean null without completed stays,
///    funnel: [{stage, reached, next, reachedNext, conversion}] — in lifecycle order: `reached`
///      customers ever entered the stage, `reachedNext` of them later entered the next stage in
///      the model's order; conversion = reachedNext / reached (null when nobody reached it; the
///      last stage has next null)}.
/// Replays each customer day by day: O(customers × days), seconds for 100,000 customers.
Json stage_flow(const Dataset& dataset, const StageModel& model, TimestampMs until);

/// NPS, CSAT and CES per stage: {stages: [id], cx: {nps|csat|ces|cesHigh: {n, value, low, high},
/// one entry per stage}}. An answer counts for the stage its customer was in just before
/// answering (an NPS of 10 that itself makes the customer an advocate counts for the stage it was
/// given in); an answer that is the customer's first event counts for the default stage. Answers
/// of guests and outside [from, to] are left out. Estimates as in compute_kpis (kpis.hpp).
Json cx_by_stage(const Dataset& dataset, const StageModel& model, std::optional<TimestampMs> from,
                 std::optional<TimestampMs> to);

struct LifecycleOptions {
  Period period = Period::kMonth;
  std::optional<TimestampMs> from;
  std::optional<TimestampMs> to;
  /// Keys period (D W M Q Y), from, to.
  static LifecycleOptions from_json(const Json& options);
};

/// {period, periods: [label], start: [ms], new: [n], returning, resurrecting, dormant}.
Json posthog_lifecycle(const Dataset& dataset, const LifecycleOptions& options);

}  // namespace stageline
