#pragma once
// Timestamp helpers shared by the event and profile sources (not public API).

#include <cstdint>
#include <optional>

#include "stageline/time/timestamp.hpp"

namespace stageline {

/// Epoch milliseconds from a JavaScript number, as `new Date(ms)` reads it: truncated toward zero,
/// nullopt when not finite or outside Date's range of ±8.64e15 ms.
std::optional<TimestampMs> timestamp_from_number(double ms) noexcept;

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31).
std::int64_t days_from_date(std::int64_t year, unsigned month, unsigned day) noexcept;

/// The proleptic Gregorian date of a day number (the inverse of days_from_date).
void date_from_days(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) noexcept;

}  // namespace stageline
