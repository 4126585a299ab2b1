#include "stageline/time/timestamp.hpp"

#include <cmath>
#include <cstddef>
#include <string>

#include "time/timestamp_internal.hpp"

namespace stageline {
namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
// (http://howardhinnant.github.io/date_algorithms.html)
constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);  // [0, 399]
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Hinnant's civil_from_days, the inverse of days_from_civil.
constexpr CivilDate civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);  // [0, 146096]
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) /
      365;  // [0, 399]
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;  // [0, 11]
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const std::int64_t year =
      static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

constexpr bool is_leap_year(std::int64_t year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t year, unsigned month) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(11017).year == 2000 && civil_from_days(11017).month == 3);

// A forward-only reader over the text; every method returns false rather than throwing.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool accept_either(char a, char b) { return accept(a) || accept(b); }

  // Exactly `count` decimal digits.
  bool digits(std::size_t count, std::int64_t& out) {
    if (text_.size() - pos_ < count) return false;
    std::int64_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    out = value;
    return true;
  }

  // One or more digits; the first three are milliseconds, the rest are truncated (as V8 does).
  bool fraction_ms(std::int64_t& out) {
    std::size_t count = 0;
    std::int64_t ms = 0;
    while (peek() >= '0' && peek() <= '9') {
      if (count < 3) ms = ms * 10 + (peek() - '0');
      ++count;
      ++pos_;
    }
    for (std::size_t i = count; i < 3; ++i) ms *= 10;
    out = ms;
    return count > 0;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// `YYYY` or an expanded year `±YYYYYY` (toISOString's form outside 0000-9999; "-000000" is
// invalid).
bool parse_year(Cursor& cursor, std::int64_t& year) {
  const bool negative = cursor.peek() == '-';
  if (cursor.accept('+') || cursor.accept('-')) {
    if (!cursor.digits(6, year)) return false;
    if (negative && year == 0) return false;
    if (negative) year = -year;
    return true;
  }
  return cursor.digits(4, year);
}

// `Z`, `±HH:MM` or `±HHMM`, as minutes east of UTC; no zone at all means UTC.
bool parse_zone(Cursor& cursor, std::int64_t& offset_minutes) {
  offset_minutes = 0;
  if (cursor.at_end() || cursor.accept_either('Z', 'z')) return true;
  const char sign = cursor.peek();
  if (!cursor.accept('+') && !cursor.accept('-')) return false;
  std::int64_t hours = 0;
  std::int64_t minutes = 0;
  if (!cursor.digits(2, hours)) return false;
  cursor.accept(':');
  if (!cursor.digits(2, minutes) || hours > 23 || minutes > 59) return false;
  offset_minutes = (hours * 60 + minutes) * (sign == '-' ? -1 : 1);
  return true;
}

std::optional<TimestampMs> parse_iso(std::string_view text) noexcept {
  Cursor cursor(text);
  std::int64_t year = 0;
  std::int64_t month = 0;
  std::int64_t day = 0;
  if (!parse_year(cursor, year) || !cursor.accept('-') || !cursor.digits(2, month) ||
      !cursor.accept('-') || !cursor.digits(2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  std::int64_t hour = 0;
  std::int64_t minute = 0;
  std::int64_t second = 0;
  std::int64_t millisecond = 0;
  std::int64_t offset_minutes = 0;
  if (!cursor.at_end()) {
    if (!cursor.accept('T') && !cursor.accept('t') && !cursor.accept(' ')) return std::nullopt;
    if (!cursor.digits(2, hour) || !cursor.accept(':') || !cursor.digits(2, minute)) {
      return std::nullopt;
    }
    if (cursor.accept(':')) {
      if (!cursor.digits(2, second)) return std::nullopt;
      if (cursor.accept('.') && !cursor.fraction_ms(millisecond)) return std::nullopt;
    }
    if (!parse_zone(cursor, offset_minutes) || !cursor.at_end()) return std::nullopt;
    // 24:00 (exactly) is the end of the day, which ECMAScript and V8 accept.
    const bool end_of_day = hour == 24 && minute == 0 && second == 0 && millisecond == 0;
    if ((hour > 23 && !end_of_day) || minute > 59 || second > 59) return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const TimestampMs ms =
      days * kMsPerDay + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millisecond;
  if (ms > kMaxTimestampMs || ms < -kMaxTimestampMs) return std::nullopt;
  return ms;
}

// An optional '-' and 1-16 digits: epoch milliseconds written as text.
std::optional<TimestampMs> parse_epoch_ms(std::string_view text) noexcept {
  std::size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const std::size_t digit_count = text.size() - i;
  if (digit_count == 0 || digit_count > 16) return std::nullopt;
  TimestampMs value = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  if (value > kMaxTimestampMs) return std::nullopt;
  return text[0] == '-' ? -value : value;
}

void append_padded(std::string& out, std::int64_t value, int width) {
  char buffer[24];
  int length = 0;
  do {
    buffer[length++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = length; i < width; ++i) out.push_back('0');
  while (length > 0) out.push_back(buffer[--length]);
}

}  // namespace

std::optional<TimestampMs> timestamp_from_number(double ms) noexcept {
  if (!std::isfinite(ms)) return std::nullopt;
  const double truncated = std::trunc(ms);  // ECMAScript TimeClip truncates toward zero
  if (std::fabs(truncated) > static_cast<double>(kMaxTimestampMs)) return std::nullopt;
  return static_cast<TimestampMs>(truncated);
}

std::optional<TimestampMs> parse_timestamp(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  // Every ISO form has a '-' after the year digits; epoch milliseconds are digits only.
  const bool iso = text.size() >= 10 && (text[4] == '-' || text[0] == '+' ||
                                         (text[0] == '-' && text.size() > 7 && text[7] == '-'));
  return iso ? parse_iso(text) : parse_epoch_ms(text);
}

std::string format_timestamp(TimestampMs ms) {
  const std::int64_t days = utc_day(ms);
  const std::int64_t ms_of_day = ms - days * kMsPerDay;
  const CivilDate date = civil_from_days(days);
  std::string out;
  out.reserve(27);
  if (date.year < 0) {
    out.push_back('-');
    append_padded(out, -date.year, 6);
  } else if (date.year > 9999) {
    out.push_back('+');
    append_padded(out, date.year, 6);
  } else {
    append_padded(out, date.year, 4);
  }
  out.push_back('-');
  append_padded(out, date.month, 2);
  out.push_back('-');
  append_padded(out, date.day, 2);
  out.push_back('T');
  append_padded(out, ms_of_day / 3'600'000, 2);
  out.push_back(':');
  append_padded(out, ms_of_day / 60'000 % 60, 2);
  out.push_back(':');
  append_padded(out, ms_of_day / 1000 % 60, 2);
  out.push_back('.');
  append_padded(out, ms_of_day % 1000, 3);
  out.push_back('Z');
  return out;
}

std::int64_t utc_day(TimestampMs ms) noexcept {
  const std::int64_t quotient = ms / kMsPerDay;  // truncates toward zero; floor it
  return ms % kMsPerDay < 0 ? quotient - 1 : quotient;
}

std::int64_t utc_month(TimestampMs ms) noexcept {
  const CivilDate date = civil_from_days(utc_day(ms));
  return (date.year - 1970) * 12 + static_cast<std::int64_t>(date.month) - 1;
}

std::int64_t days_from_date(std::int64_t year, unsigned month, unsigned day) noexcept {
  return days_from_civil(year, month, day);
}

void date_from_days(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) noexcept {
  const CivilDate date = civil_from_days(days);
  year = date.year;
  month = date.month;
  day = date.day;
}

}  // namespace stageline
