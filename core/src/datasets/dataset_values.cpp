#include "datasets/dataset_values.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "js/js_text.hpp"
#include "time/timestamp_internal.hpp"

namespace stageline {
namespace {

constexpr std::size_t kMaxNumberText = 64;

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

// 1 or 2 digits at text[i], advancing i.
bool read_small(std::string_view text, std::size_t& i, std::size_t max_digits,
                unsigned& out) noexcept {
  std::size_t count = 0;
  out = 0;
  while (i < text.size() && count < max_digits && text[i] >= '0' && text[i] <= '9') {
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
    ++i;
    ++count;
  }
  return count > 0;
}

// "M/D/YYYY[ H:MM[:SS]]" (or D/M/YYYY; '/', '.' or '-' between the date parts) rewritten as
// ISO-8601 and read by parse_timestamp, so validation (2023-02-30) stays in one place.
std::optional<TimestampMs> parse_numeric_date(std::string_view text, bool month_first) noexcept {
  std::size_t i = 0;
  unsigned first = 0;
  unsigned second = 0;
  unsigned year = 0;
  if (!read_small(text, i, 2, first) || i >= text.size()) return std::nullopt;
  const char separator = text[i];
  if (separator != '/' && separator != '.' && separator != '-') return std::nullopt;
  ++i;
  if (!read_small(text, i, 2, second) || i >= text.size() || text[i] != separator)
    return std::nullopt;
  ++i;
  const std::size_t year_begin = i;
  if (!read_small(text, i, 4, year) || i - year_begin != 4) return std::nullopt;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second_of_minute = 0;
  if (i < text.size()) {
    if (text[i] != ' ' && text[i] != 'T') return std::nullopt;
    ++i;
    if (!read_small(text, i, 2, hour) || i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    const std::size_t minute_begin = i;
    if (!read_small(text, i, 2, minute) || i - minute_begin != 2) return std::nullopt;
    if (i < text.size()) {
      if (text[i] != ':') return std::nullopt;
      ++i;
      const std::size_t second_begin = i;
      if (!read_small(text, i, 2, second_of_minute) || i - second_begin != 2 || i != text.size()) {
        return std::nullopt;
      }
    }
  }
  const unsigned month = month_first ? first : second;
  const unsigned day = month_first ? second : first;
  char iso[32];
  const int length = std::snprintf(iso, sizeof iso, "%04u-%02u-%02uT%02u:%02u:%02u", year, month,
                                   day, hour, minute, second_of_minute);
  if (length <= 0 || month > 12 || day > 31 || hour > 23 || minute > 59 || second_of_minute > 59) {
    return std::nullopt;
  }
  return parse_timestamp(std::string_view(iso, static_cast<std::size_t>(length)));
}

std::optional<TimestampMs> from_epoch(double number, TimestampFormat format) noexcept {
  if (format == TimestampFormat::kEpochSeconds) number *= 1000;
  return timestamp_from_number(number);
}

// Plain decimals ("-12.50") with at most 15 significant digits and 22 decimals, as most CSV
// amounts are: the digits form an exactly representable integer and 10^decimals is exact, so one
// IEEE division gives the correctly rounded value, the same double strtod would (Clinger's fast
// path). Anything else returns nullopt and takes the general path.
std::optional<double> parse_plain_decimal(std::string_view text, char point) noexcept {
  constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  std::uint64_t digits = 0;
  std::size_t digit_count = 0;
  std::size_t decimals = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
      if (digits != 0) ++digit_count;
      if (seen_point) ++decimals;
    } else if (c == point && !seen_point) {
      seen_point = true;
    } else {
      return std::nullopt;
    }
  }
  const std::size_t integer_digits =
      text.size() - (negative ? 1 : 0) - (seen_point ? 1 : 0) - decimals;
  if (digit_count > 15 || decimals > 22 || (integer_digits == 0 && decimals == 0))
    return std::nullopt;
  const double value = static_cast<double>(digits) / kPowersOfTen[decimals];
  return negative ? -value : value;
}

}  // namespace

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<double> parse_number_text(std::string_view text, bool decimal_comma) noexcept {
  text = trim_blanks(text);
  if (text.empty()) return std::nullopt;
  if (const auto plain = parse_plain_decimal(text, decimal_comma ? ',' : '.')) return plain;
  double number = 0;
  if (decimal_comma) {
    if (text.size() > kMaxNumberText) return std::nullopt;
    char copy[kMaxNumberText];
    for (std::size_t i = 0; i < text.size(); ++i) copy[i] = text[i] == ',' ? '.' : text[i];
    number = js::string_to_number(std::string_view(copy, text.size()));
  } else {
    number = js::string_to_number(text);
  }
  if (!std::isfinite(number)) return std::nullopt;
  return number;
}

std::optional<TimestampMs> parse_timestamp_value(const FieldValue& value,
                                                 TimestampFormat format) noexcept {
  if (value.kind == FieldValue::Kind::kNumber) {
    if (format == TimestampFormat::kMonthDayYear || format == TimestampFormat::kDayMonthYear)
      return std::nullopt;
    return from_epoch(value.number, format);
  }
  if (value.kind != FieldValue::Kind::kText) return std::nullopt;
  const std::string_view text = trim_blanks(value.text);
  switch (format) {
    case TimestampFormat::kAuto:
      return parse_timestamp(text);
    case TimestampFormat::kEpochMs:
    case TimestampFormat::kEpochSeconds: {
      const auto number = parse_number_text(text, false);
      if (!number) return std::nullopt;
      return from_epoch(*number, format);
    }
    case TimestampFormat::kMonthDayYear:
      return parse_numeric_date(text, true);
    case TimestampFormat::kDayMonthYear:
      return parse_numeric_date(text, false);
  }
  return std::nullopt;
}

const char* timestamp_format_expectation(TimestampFormat format) noexcept {
  switch (format) {
    case TimestampFormat::kAuto:
      return "an ISO-8601 timestamp or epoch milliseconds";
    case TimestampFormat::kEpochMs:
      return "epoch milliseconds";
    case TimestampFormat::kEpochSeconds:
      return "epoch seconds";
    case TimestampFormat::kMonthDayYear:
      return "a date M/D/YYYY with optional H:MM[:SS]";
    case TimestampFormat::kDayMonthYear:
      return "a date D/M/YYYY with optional H:MM[:SS]";
  }
  return "a timestamp";
}

}  // namespace stageline
