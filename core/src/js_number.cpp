// JavaScript's Number::toString and StringToNumber, without allocating.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ascii.hpp"
#include "js_semantics.hpp"

namespace stageline::js {
namespace {

constexpr double kTwoTo53 = 9007199254740992.0;

// Shortest decimal digits that read back as `value` (> 0, finite): the digits without a point,
// and the exponent n such that value = 0.d1d2...dk x 10^n (ECMAScript's Number::toString "n").
// Tries 1..17 significant digits; printf rounds correctly, so the first precision that round-trips
// is the one JavaScript picks (the closest k-digit decimal).
std::size_t shortest_digits(double value, char (&digits)[24], int& n) noexcept {
  char text[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*e", precision - 1, value);
    if (precision == 17 || std::strtod(text, nullptr) == value) break;
  }
  // text is "d.ddde±XX" (or "de±XX").
  std::size_t k = 0;
  const char* p = text;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  n = std::atoi(p + 1) + 1;
  while (k > 1 && digits[k - 1] == '0') --k;
  return k;
}

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

// 0x / 0o / 0b integers. Hex text goes to strtod's correctly rounded hex parser; octal and binary
// are first regrouped into hex digits so that long inputs round correctly too.
double radix_integer(std::string_view digits, int bits_per_digit) noexcept {
  if (digits.empty()) return NAN;
  for (char c : digits) {
    const int v = ascii::hex_digit_value(c);
    if (v < 0 || v >= (1 << bits_per_digit)) return NAN;
  }
  char hex[520] = "0x";
  std::size_t size = 2;
  if (bits_per_digit == 4) {
    if (digits.size() + 3 > sizeof hex) return NAN;  // beyond 2^2068: Infinity either way
    size = append(hex, size, digits.data(), digits.size());
  } else {
    const std::size_t total_bits = digits.size() * static_cast<std::size_t>(bits_per_digit);
    if (total_bits / 4 + 4 > sizeof hex) return INFINITY;  // over 2^2000: beyond double range
    unsigned accumulator = 0;
    std::size_t pending = (4 - total_bits % 4) % 4;  // leading zero bits pad to whole hex digits
    for (char c : digits) {
      const int v = ascii::hex_digit_value(c);
      for (int bit = bits_per_digit - 1; bit >= 0; --bit) {
        accumulator = (accumulator << 1) | ((v >> bit) & 1);
        if (++pending == 4) {
          hex[size++] = "0123456789abcdef"[accumulator];
          accumulator = 0;
          pending = 0;
        }
      }
    }
  }
  hex[size] = '\0';
  return std::strtod(hex, nullptr);
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

// strtod needs a terminated copy. Literals too long for the buffer keep their first 700
// significant digits plus a sticky 1 standing for any non-zero digits dropped, and the decimal
// exponent is adjusted, which rounds like the full text in all but contrived halfway cases.
double parse_decimal(std::string_view s) noexcept {
  char buffer[800];
  if (s.size() < sizeof buffer) {
    std::memcpy(buffer, s.data(), s.size());
    buffer[s.size()] = '\0';
    return std::strtod(buffer, nullptr);
  }
  std::size_t i = 0;
  std::size_t size = 0;
  if (s[i] == '+' || s[i] == '-') buffer[size++] = s[i++];
  long exponent_shift = 0;  // value = kept digits x 10^(exponent_shift + written exponent)
  std::size_t kept = 0;
  bool sticky = false;
  bool seen_point = false;
  bool leading = true;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      seen_point = true;
      continue;
    }
    if (leading && s[i] == '0') {
      if (seen_point) --exponent_shift;
      continue;
    }
    leading = false;
    if (kept < 700) {
      buffer[size++] = s[i];
      ++kept;
      if (seen_point) --exponent_shift;
    } else {
      sticky = sticky || s[i] != '0';
      if (!seen_point) ++exponent_shift;
    }
  }
  if (kept == 0) buffer[size++] = '0';
  if (sticky) {
    buffer[size++] = '1';
    --exponent_shift;
  }
  long exponent = 0;
  if (i < s.size()) {
    std::size_t j = i + 1;
    const bool negative_exponent = j < s.size() && s[j] == '-';
    if (j < s.size() && (s[j] == '-' || s[j] == '+')) ++j;
    for (; j < s.size(); ++j) {
      if (exponent < 100'000'000)
        exponent = exponent * 10 + (s[j] - '0');  // saturates far out of range
    }
    if (negative_exponent) exponent = -exponent;
  }
  std::snprintf(buffer + size, sizeof buffer - size, "e%ld", exponent + exponent_shift);
  return std::strtod(buffer, nullptr);
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
    char integer[24];
    const int length = std::snprintf(integer, sizeof integer, "%.0f", value);
    return append(out, size, integer, static_cast<std::size_t>(length));
  }
  char digits[24];
  int n = 0;
  const std::size_t k = shortest_digits(value, digits, n);
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
    char exponent[8];
    const int length =
        std::snprintf(exponent, sizeof exponent, "e%c%d", n - 1 < 0 ? '-' : '+', std::abs(n - 1));
    size = append(out, size, exponent, static_cast<std::size_t>(length));
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
  return parse_decimal(s);
}

}  // namespace stageline::js
