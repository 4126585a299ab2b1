#pragma once
/// Calendar periods for per-period metrics: UTC days, ISO weeks (Monday to Sunday), months,
/// quarters and years, numbered consecutively so that "the previous period" is index − 1.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/time/timestamp.hpp"

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

/// Consecutive periods first .. first + count - 1.
struct PeriodSpan {
  std::int64_t first = 0;
  std::size_t count = 0;
};

/// The periods a per-period metric reports: from the one holding `from` (default: the earliest of
/// `times`) to the one holding `to` (default: the latest); none when the data is empty and no
/// bound is given, or when `to` comes before `from`. Throws Error(limit_exceeded) at "period"
/// beyond 36,600 periods (a century of days), so a bad bound cannot ask for billions of rows.
PeriodSpan period_span(const std::vector<TimestampMs>& times, Period period,
                       std::optional<TimestampMs> from, std::optional<TimestampMs> to);

}  // namespace stageline
