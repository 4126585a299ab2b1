// JavaScript's Number::toString and StringToNumber, without allocating.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "common/ascii.hpp"
#include "js/decimal_to_double.hpp"
#include "js/js_text.hpp"
#include "js/shortest_double.hpp"

namespace stageline::js {
namespace {

constexpr double kTwoTo53 = 9007199254740992.0;

std::size_t append(char* out, std::size_t at, const char* text, std::size_t length) noexcept {
  std::memcpy(out + at, text, length);
  return at + length;
}

std::string_view trim_js_space(std::string_view text) noexcept {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t next = begin;
    if (!is_space(decode_utf8(text, next))) break;
    begin = next;
  }
  std::size_t end = text.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    std::size_t next = start;
    if (!is_space(decode_utf8(text, next))) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

// 0x / 0o / 0b integers; NaN unless every digit is one of the radix.
double radix_integer(std::string_view digits, int bits_per_digit) noexcept {
  if (digits.empty()) return NAN;
  for (char c : digits) {
    const int v = ascii::hex_digit_value(c);
    if (v < 0 || v >= (1 << bits_per_digit)) return NAN;
  }
  return number::radix_integer_to_double(digits, bits_per_digit);
}

// Decimal digits of an unsigned integer (below 2^53 here: always room in the buffer).
std::size_t append_integer(char (&out)[kNumberTextCapacity], std::size_t at, std::uint64_t value) noexcept {
  return static_cast<std::size_t>(std::to_chars(out + at, out + kNumberTextCapacity, value).ptr - out);
}

// StrDecimalLiteral: [+-] (digits [. digits] | . digits) [e [+-] digits], or [+-]Infinity.
bool is_decimal_literal(std::string_view s) noexcept {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (s.substr(i) == "Infinity") return true;
  std::size_t mantissa_digits = 0;
  while (i < s.size() && ascii::is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && ascii::is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < s.size() && ascii::is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

bool is_space(char32_t cp) noexcept {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::size_t number_to_string(double value, char (&out)[kNumberTextCapacity]) noexcept {
  if (std::isnan(value)) return append(out, 0, "NaN", 3);
  if (value == 0) return append(out, 0, "0", 1);
  std::size_t size = 0;
  if (value < 0) {
    out[size++] = '-';
    value = -value;
  }
  if (std::isinf(value)) return append(out, size, "Infinity", 8);
  if (value < kTwoTo53 && value == std::floor(value)) {
    return append_integer(out, size, static_cast<std::uint64_t>(value));
  }
  const number::ShortestDigits shortest = number::shortest_digits(value);
  const char* digits = shortest.digits;
  const std::size_t k = shortest.count;
  const int n = shortest.exponent;
  const int ki = static_cast<int>(k);
  if (ki <= n && n <= 21) {
    size = append(out, size, digits, k);
    for (int z = 0; z < n - ki; ++z) out[size++] = '0';
  } else if (0 < n && n <= 21) {
    size = append(out, size, digits, static_cast<std::size_t>(n));
    out[size++] = '.';
    size = append(out, size, digits + n, k - static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    size = append(out, size, "0.", 2);
    for (int z = 0; z < -n; ++z) out[size++] = '0';
    size = append(out, size, digits, k);
  } else {
    out[size++] = digits[0];
    if (k > 1) {
      out[size++] = '.';
      size = append(out, size, digits + 1, k - 1);
    }
    out[size++] = 'e';
    out[size++] = n - 1 < 0 ? '-' : '+';
    size = append_integer(out, size, static_cast<std::uint64_t>(n - 1 < 0 ? 1 - n : n - 1));
  }
  return size;
}

double string_to_number(std::string_view text) noexcept {
  const std::string_view s = trim_js_space(text);
  if (s.empty()) return 0.0;
  if (s.size() > 2 && s[0] == '0') {
    switch (s[1]) {
      case 'x':
      case 'X':
        return radix_integer(s.substr(2), 4);
      case 'o':
      case 'O':
        return radix_integer(s.substr(2), 3);
      case 'b':
      case 'B':
        return radix_integer(s.substr(2), 1);
      default:
        break;
    }
  }
  if (!is_decimal_literal(s)) return NAN;
  const bool negative = s[0] == '-';
  const std::string_view unsigned_part = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  if (unsigned_part == "Infinity") return negative ? -INFINITY : INFINITY;
  return number::decimal_to_double(s);
}

}  // namespace stageline::js
