#pragma once
/// Calendar periods for per-period metrics: UTC days, ISO weeks (Monday to Sunday), months,
/// quarters and years, numbered consecutively so that "the previous period" is index − 1.

#include <cstdint>
#include <string>
#include <string_view>

#include "stageline/timestamp.hpp"

namespace stageline {

enum class Period : std::uint8_t { kDay, kWeek, kMonth, kQuarter, kYear };

/// "D", "W", "M", "Q" or "Y"; throws Error(invalid_config) naming `path` otherwise.
Period parse_period(std::string_view text, const std::string& path);

/// The number of the period containing `ms` (consecutive periods have consecutive numbers).
std::int64_t period_index(TimestampMs ms, Period period) noexcept;

/// The first millisecond of period `index`.
TimestampMs period_start(std::int64_t index, Period period) noexcept;

/// A readable name: "2024-03-05" (D), "2024-03-04" (W: its Monday), "2024-03" (M), "2024-Q1",
/// "2024" (Y).
std::string period_label(std::int64_t index, Period period);

}  // namespace stageline
