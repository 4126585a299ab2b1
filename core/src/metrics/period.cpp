#include "stageline/metrics/period.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "stageline/common/error.hpp"
#include "time/timestamp_internal.hpp"

namespace stageline {
namespace {

// Floor division (periods before 1970 have negative numbers).
std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// 1970-01-01 was a Thursday: day + 3 counts from the Monday before it.
constexpr std::int64_t kDaysFromMonday = 3;

}  // namespace

Period parse_period(std::string_view text, const std::string& path) {
  if (text == "D") return Period::kDay;
  if (text == "W") return Period::kWeek;
  if (text == "M") return Period::kMonth;
  if (text == "Q") return Period::kQuarter;
  if (text == "Y") return Period::kYear;
  throw Error(error_code::kInvalidConfig, path,
              "expected one of \"D\", \"W\", \"M\", \"Q\", \"Y\"");
}

std::int64_t period_index(TimestampMs ms, Period period) noexcept {
  const std::int64_t day = utc_day(ms);
  if (period == Period::kDay) return day;
  if (period == Period::kWeek) return floor_div(day + kDaysFromMonday, 7);
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day_of_month = 0;
  date_from_days(day, year, month, day_of_month);
  if (period == Period::kMonth) return year * 12 + (month - 1);
  if (period == Period::kQuarter) return year * 4 + (month - 1) / 3;
  return year;
}

TimestampMs period_start(std::int64_t index, Period period) noexcept {
  switch (period) {
    case Period::kDay:
      return index * kMsPerDay;
    case Period::kWeek:
      return (index * 7 - kDaysFromMonday) * kMsPerDay;
    case Period::kMonth:
      return days_from_date(floor_div(index, 12),
                            static_cast<unsigned>(index - floor_div(index, 12) * 12) + 1, 1) *
             kMsPerDay;
    case Period::kQuarter:
      return days_from_date(floor_div(index, 4),
                            static_cast<unsigned>(index - floor_div(index, 4) * 4) * 3 + 1, 1) *
             kMsPerDay;
    case Period::kYear:
      return days_from_date(index, 1, 1) * kMsPerDay;
  }
  return 0;
}

std::string period_label(std::int64_t index, Period period) {
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  date_from_days(utc_day(period_start(index, period)), year, month, day);
  char text[40];
  const long long y = static_cast<long long>(year);
  switch (period) {
    case Period::kDay:
    case Period::kWeek:
      std::snprintf(text, sizeof text, "%04lld-%02u-%02u", y, month, day);
      break;
    case Period::kMonth:
      std::snprintf(text, sizeof text, "%04lld-%02u", y, month);
      break;
    case Period::kQuarter:
      std::snprintf(text, sizeof text, "%04lld-Q%u", y, (month - 1) / 3 + 1);
      break;
    case Period::kYear:
      std::snprintf(text, sizeof text, "%04lld", y);
      break;
  }
  return text;
}

PeriodSpan period_span(const std::vector<TimestampMs>& times, Period period,
                       std::optional<TimestampMs> from, std::optional<TimestampMs> to) {
  constexpr std::int64_t kMaxPeriods = 36'600;
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  if (!times.empty() && (!from || !to)) {
    const auto [earliest, latest] = std::minmax_element(times.begin(), times.end());
    first = period_index(*earliest, period);
    last = period_index(*latest, period);
  }
  if (from) first = period_index(*from, period);
  if (to) last = period_index(*to, period);
  if (last < first) return {first, 0};
  if (last - first >= kMaxPeriods) {
    throw Error(error_code::kLimitExceeded, "period",
                "more than 36,600 periods between from and to; choose a longer period");
  }
  return {first, static_cast<std::size_t>(last - first + 1)};
}

}  // namespace stageline
