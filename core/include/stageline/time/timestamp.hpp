#pragma once
/// Timestamps: milliseconds since the Unix epoch (UTC), as in JavaScript's Date.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stageline {

/// Milliseconds since 1970-01-01T00:00:00Z.
using TimestampMs = std::int64_t;

inline constexpr TimestampMs kMsPerDay = 86'400'000;

/// JavaScript's Date range (ECMA-262 TimeClip): 100,000,000 days either side of the epoch.
inline constexpr TimestampMs kMaxTimestampMs = 8'640'000'000'000'000;

/// Parses ISO-8601 `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with optional `Z` or `±HH:MM`
/// (a space may replace `T`; no zone means UTC), or a decimal string of epoch milliseconds.
/// Returns nullopt for anything else, including impossible dates (2023-02-30). Never allocates.
std::optional<TimestampMs> parse_timestamp(std::string_view text) noexcept;

/// Formats as `YYYY-MM-DDTHH:MM:SS.sssZ` (JavaScript's Date.prototype.toISOString).
std::string format_timestamp(TimestampMs ms);

/// Days since the epoch of the UTC calendar day containing `ms` (floor, also for negative ms).
std::int64_t utc_day(TimestampMs ms) noexcept;

/// Months since 1970-01 of the UTC calendar month containing `ms` (year * 12 + month - 1, shifted so
/// that January 1970 is 0): pandas' monthly period ordinal.
std::int64_t utc_month(TimestampMs ms) noexcept;

}  // namespace stageline
