#pragma once
/// Lifecycle views of a Dataset: stage distribution at a date and the transition matrix between
/// two dates (any StageModel, through a ProfileBuilder fed with the dataset's events), and the
/// PostHog-style lifecycle per period.
///
/// Events fed to profiles: an events dataset gives each row of an identified customer as
/// {type, timestamp, value}, value = score for nps/csat/ces rows, else amount; a transactions
/// dataset gives each order as `purchase` (net amount ≥ 0, value = amount) or `refund`
/// (value = −amount). Events are applied in time order; a profile at `at` sees events up to `at`.
/// Classification is by the model's conditions at `at` (no minimum-dwell history).
///
/// PostHog lifecycle, with "active in p" = the customer has any row in period p:
///   new           active in p, and p is the customer's first active period
///   returning     active in p and in p − 1
///   resurrecting  active in p, not in p − 1, but in some earlier period
///   dormant       active in p − 1, not in p (PostHog shows it as a negative count)

#include <cstdint>
#include <optional>
#include <vector>

#include "stageline/dataset.hpp"
#include "stageline/json.hpp"
#include "stageline/period.hpp"
#include "stageline/profile_builder.hpp"
#include "stageline/stage_model.hpp"

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
