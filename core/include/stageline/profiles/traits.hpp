#pragma once
/// Computed traits: per-customer aggregates of one event type, declared in JSON and kept up to date
/// in O(1) amortised per event without keeping the events.
///
/// Config: {"traits": [{"name": "purchases30d", "aggregate": "count", "event": "purchase",
///                       "windowDays": 30}, ...]}
///   aggregate   count | sum | min | max | last (last = the value with the latest timestamp; on a
///               tie the event applied later wins)
///   event       the event type aggregated
///   property    "value" (the default) aggregates the event's value; any other name aggregates
///               that member of the event's properties. Only finite JSON numbers count: an event
///               without one is skipped by sum/min/max/last. count counts every event of the type
///               and takes no property.
///   windowDays  optional positive integer; absent = all time.
///
/// Windows have UTC-day granularity: evaluated at time `at`, a window of N days covers the UTC
/// calendar days (day(at) − N, day(at)], i.e. the day of `at` and the N − 1 days before it, whole.
/// Each customer keeps one bucket (count, sum, min, max, last) per day that had events inside the
/// window of the latest event seen; older buckets are dropped as time advances. So a windowed trait
/// is exact when evaluated at or after the latest event applied (as stage classification and
/// timeline replay do); an event older than the window of the latest event is ignored.
///
/// With no events in the window, count and sum are 0, and min, max and last are null.
///
/// One trait is not an aggregate of events but a prediction from the profile's orders:
///   {"name": "pAlive", "aggregate": "pAlive", "model": {"r", "alpha", "a", "b"}, "period": "W"}
/// is the BG/NBD probability that the customer is still "alive" at `at` (btyd::bgnbd_p_alive),
/// with a fitted model's parameters (sl.fitBGNBD on a summary in the same period) and x = orders
/// − 1, tₓ = lastOrderAt − firstOrderAt, T = at − firstOrderAt in periods (D = day, W = 7 days, M =
/// 30.436875 days). null without orders. Unlike the summary, several orders in one period count
/// separately. Stage conditions can use it (the `full` preset's at_risk does when present).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/predictive/btyd.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

enum class TraitAggregate : std::uint8_t { kCount, kSum, kMin, kMax, kLast, kPAlive };

struct TraitDefinition {
  std::string name;
  TraitAggregate aggregate = TraitAggregate::kCount;
  std::string event_type;
  std::string property;          ///< empty = the event's value
  std::int64_t window_days = 0;  ///< 0 = all time
  btyd::BgNbdParams p_alive_model{};  ///< kPAlive only
  btyd::Period p_alive_period = btyd::Period::kDay;  ///< kPAlive only
};

/// A compiled, immutable list of computed traits.
class TraitsConfig {
 public:
  TraitsConfig() = default;

  /// Compiles {"traits": [...]} (null or {} mean none). Throws Error(invalid_config) naming the
  /// path, e.g. `traits[1].aggregate: expected one of count, sum, min, max, last, got "avg"`.
  /// Names must be unique, non-empty, free of '.', and must not be built-in profile field names.
  static TraitsConfig compile(const Json& config);

  const std::vector<TraitDefinition>& traits() const { return traits_; }
  std::size_t size() const { return traits_.size(); }
  bool empty() const { return traits_.empty(); }
  /// Position of the trait called `name`, or nullopt. Allocates nothing.
  std::optional<std::size_t> index_of(std::string_view name) const noexcept;
  /// The config as JSON, in the form compile() reads.
  Json to_json() const;

 private:
  std::vector<TraitDefinition> traits_;
};

/// One customer's accumulated state for one trait.
class TraitState {
 public:
  /// Aggregates over one UTC day (or over all time for traits without a window).
  struct Bucket {
    std::int64_t day = 0;
    std::uint32_t count = 0;
    double sum = 0;
    double min = 0;
    double max = 0;
    TimestampMs last_at = 0;
    double last = 0;
  };

  /// Adds one event at `timestamp` carrying `value` (ignored by count).
  void add(const TraitDefinition& trait, TimestampMs timestamp, double value);

  /// The trait's value at `at`: a number, or nullopt (null) for min/max/last without events.
  std::optional<double> value(const TraitDefinition& trait, TimestampMs at) const noexcept;

  /// Folds `other`'s buckets into this state (both for `trait`): buckets of the same day combine,
  /// and a windowed trait then drops the days outside the window of the newest day, exactly as if
  /// both states' events had been added to one.
  void merge(const TraitDefinition& trait, const TraitState& other);

  /// Buckets as [[day, count, sum, min, max, lastAt, last], ...], for persisting profiles.
  Json to_json() const;
  /// Restores what to_json() wrote; errors name `path`.
  static TraitState from_json(const Json& buckets, const std::string& path);

  bool operator==(const TraitState& other) const;

 private:
  void prune(std::int64_t newest_day, std::int64_t window_days);

  std::vector<Bucket> buckets_;  // live buckets are [head_, end), ascending by day
  std::uint32_t head_ = 0;
};

}  // namespace stageline
