// The core's number conversions (core/src/js/shortest_double.cpp, decimal_to_double.cpp) against
// glibc, whose strtod rounds correctly for any length and whose printf prints exact digits.
// Input: any bytes, read three ways.
// Invariants:
// - a decimal literal built from the bytes (sign, leading zeros, digits, point, exponent) reads
//   as strtod reads it, through number::decimal_to_double and js::string_to_number alike;
// - hex digits built from the bytes read as strtod reads "0x..." (binary digits of the same bits
//   too), rounded half to even;
// - the first 8 bytes as a double: its shortest digits read back exactly (strtod), are no more
//   than the first printf precision that reads back, and js::number_to_string's text reads back
//   through js::string_to_number.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fuzz_support.hpp"
#include "js/decimal_to_double.hpp"
#include "js/js_text.hpp"
#include "js/shortest_double.hpp"

using namespace stageline;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Byte 0: flags; byte 1: where the point goes; bytes 2-3: the exponent; the rest: digits.
std::string decimal_literal(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return "0";
  const std::uint8_t flags = data[0];
  std::string text;
  if (flags & 1) text += '-';
  if (flags & 2) text.append(flags >> 5, '0');  // leading zeros
  std::string digits;
  for (std::size_t i = 4; i < size; ++i) digits += static_cast<char>('0' + data[i] % 10);
  if (digits.empty()) digits = "0";
  if (flags & 4) {
    const std::size_t point = data[1] % (digits.size() + 1);
    digits.insert(point, ".");
    if (point == 0) digits.insert(0, "0");
    if (digits.back() == '.') digits += '0';
  }
  text += digits;
  if (flags & 8) {
    const auto exponent = static_cast<std::int16_t>(data[2] | (data[3] << 8));
    // Mostly within the double range; sometimes anywhere in ±32767.
    const int written = (flags & 16) ? exponent : exponent % 400;
    text += 'e' + std::to_string(written);
  }
  return text;
}

void check_decimal(const std::string& text) {
  const double expected = std::strtod(text.c_str(), nullptr);
  FUZZ_CHECK(same_bits(number::decimal_to_double(text), expected));
  FUZZ_CHECK(same_bits(js::string_to_number(text), expected));
}

void check_hex(const std::uint8_t* data, std::size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  std::string binary;
  for (std::size_t i = 0; i < size && i < 300; ++i) {
    hex += kHex[data[i] >> 4];
    hex += kHex[data[i] & 15];
    for (int bit = 7; bit >= 0; --bit) binary += static_cast<char>('0' + ((data[i] >> bit) & 1));
  }
  if (hex.empty()) return;
  const double expected = std::strtod(("0x" + hex).c_str(), nullptr);
  FUZZ_CHECK(same_bits(number::radix_integer_to_double(hex, 4), expected));
  FUZZ_CHECK(same_bits(number::radix_integer_to_double(binary, 1), expected));
  FUZZ_CHECK(same_bits(js::string_to_number("0x" + hex), expected));
}

void check_shortest(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return;
  double value;
  std::memcpy(&value, data, sizeof value);
  if (std::isnan(value)) return;
  char text[js::kNumberTextCapacity];
  const std::string js_text(text, js::number_to_string(value, text));
  FUZZ_CHECK(js::string_to_number(js_text) == value);
  value = std::fabs(value);
  if (value == 0 || std::isinf(value)) return;
  const number::ShortestDigits shortest = number::shortest_digits(value);
  FUZZ_CHECK(shortest.count >= 1 && shortest.count <= number::kMaxShortestDigits);
  FUZZ_CHECK(shortest.digits[0] != '0' && shortest.digits[shortest.count - 1] != '0');
  char written[64];
  std::snprintf(written, sizeof written, "0.%.*se%d", static_cast<int>(shortest.count),
                shortest.digits, shortest.exponent);
  FUZZ_CHECK(std::strtod(written, nullptr) == value);
  int precision = 1;
  for (; precision < 17; ++precision) {
    std::snprintf(written, sizeof written, "%.*e", precision - 1, value);
    if (std::strtod(written, nullptr) == value) break;
  }
  FUZZ_CHECK(static_cast<int>(shortest.count) <= precision);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_decimal(decimal_literal(data, size));
  check_hex(data, size);
  check_shortest(data, size);
  return 0;
}
