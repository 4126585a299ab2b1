#pragma once
// Times and events for the profile tests: days counted from a UTC midnight, so expected day
// buckets and windows can be worked out by hand.

#include <optional>
#include <utility>

#include "stageline/json/json.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline::testing {

inline constexpr TimestampMs kMinute = 60'000;
inline constexpr TimestampMs kHour = 60 * kMinute;
// 2025-03-01T00:00:00Z: Date.parse("2025-03-01T00:00:00Z") in node. A UTC midnight.
inline constexpr TimestampMs kDay0 = 1740787200000;

/// Day `day` after kDay0 at hour:minute UTC.
constexpr TimestampMs at(int day, int hour = 0, int minute = 0) {
  return kDay0 + day * kMsPerDay + hour * kHour + minute * kMinute;
}

/// An event of customer "c1" (profiles take the customer from themselves, not from the event).
inline Event event(const char* type, TimestampMs timestamp, std::optional<double> value = std::nullopt,
                   Json properties = nullptr) {
  return Event{"c1", type, timestamp, value, std::move(properties)};
}

}  // namespace stageline::testing
