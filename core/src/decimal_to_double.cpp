// Decimal text to the nearest double in two steps. Clinger's fast path: up to 2^53 significand and
// |exponent| <= 22, one IEEE multiplication or division of two exact doubles is already correctly
// rounded. Otherwise exact big-integer division: the value is D x 10^E as the fraction
// numerator / denominator, aligned so that it lies in [1, 2); 64 quotient bits and a sticky bit
// for the remainder then round once to the double (subnormals included).
//
// Only the first kMaxDigits significant digits take part, plus a sticky digit 1 when any dropped
// digit is not zero. That is exact: every halfway point between two doubles has at most 767
// significant digits, so none lies strictly between the truncated value and the full one.

#include "decimal_to_double.hpp"

#include <cstddef>
#include <cstring>
#include <limits>

#include "ascii.hpp"
#include "bignum.hpp"

namespace stageline::number {
namespace {

constexpr std::size_t kMaxDigits = 780;
constexpr std::int64_t kExponentLimit = 1'000'000'000;  // written exponents saturate here, far out of range

// Significant digits (no leading zeros; trailing zeros dropped into the exponent) and the exponent
// E such that the literal's magnitude is digits x 10^E.
struct Decimal {
  char digits[kMaxDigits + 1];
  std::size_t count = 0;
  std::int64_t exponent = 0;
  bool negative = false;
};

void read_decimal(std::string_view text, Decimal& out) noexcept {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) out.negative = text[i++] == '-';
  bool after_point = false;
  bool dropped_nonzero = false;
  std::int64_t dropped_integer_digits = 0;
  std::int64_t kept_fraction_digits = 0;
  std::size_t trailing_zeros = 0;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    const char c = text[i];
    if (c == '.') {
      after_point = true;
      continue;
    }
    if (out.count == 0 && c == '0') {
      if (after_point) --out.exponent;  // leading zeros after the point scale the value down
      continue;
    }
    if (out.count < kMaxDigits) {
      out.digits[out.count++] = c;
      trailing_zeros = c == '0' ? trailing_zeros + 1 : 0;
      if (after_point) ++kept_fraction_digits;
    } else {
      dropped_nonzero = dropped_nonzero || c != '0';
      if (!after_point) ++dropped_integer_digits;
    }
  }
  std::int64_t written = 0;
  if (i < text.size()) {
    ++i;
    const bool negative_exponent = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    for (; i < text.size(); ++i) {
      if (written < kExponentLimit) written = written * 10 + (text[i] - '0');
    }
    if (negative_exponent) written = -written;
  }
  out.exponent += written + dropped_integer_digits - kept_fraction_digits;
  if (dropped_nonzero) {
    out.digits[out.count++] = '1';
    --out.exponent;
  } else {
    out.count -= trailing_zeros;
    out.exponent += static_cast<std::int64_t>(trailing_zeros);
  }
}

double with_sign(double magnitude, bool negative) noexcept { return negative ? -magnitude : magnitude; }

// Clinger: both operands exact, so the one rounding of the operation is the only one.
bool fast_path(const Decimal& d, double& out) noexcept {
  if (d.count > 15 || d.exponent < -22 || d.exponent > 22) return false;
  std::uint64_t significand = 0;
  for (std::size_t i = 0; i < d.count; ++i) significand = significand * 10 + static_cast<unsigned>(d.digits[i] - '0');
  double power = 1;
  for (std::int64_t e = d.exponent < 0 ? -d.exponent : d.exponent; e > 0; --e) power *= 10;
  const auto value = static_cast<double>(significand);
  out = d.exponent < 0 ? value / power : value * power;
  return true;
}

double exact_path(const Decimal& d) noexcept {
  Bignum numerator;
  for (std::size_t i = 0; i < d.count;) {
    std::uint32_t chunk = 0;
    std::uint32_t scale = 1;
    for (int n = 0; n < 9 && i < d.count; ++n, ++i) {
      chunk = chunk * 10 + static_cast<std::uint32_t>(d.digits[i] - '0');
      scale *= 10;
    }
    numerator.multiply_add(scale, chunk);
  }
  Bignum denominator(1);
  if (d.exponent >= 0) {
    numerator.multiply_pow10(static_cast<unsigned>(d.exponent));
  } else {
    denominator.multiply_pow10(static_cast<unsigned>(-d.exponent));
  }
  // Align: numerator / denominator in [1, 2) times 2^binary_exponent.
  const long numerator_bits = numerator.bit_length();
  const long denominator_bits = denominator.bit_length();
  long binary_exponent = numerator_bits - denominator_bits;
  if (binary_exponent > 0) {
    denominator.shift_left(static_cast<unsigned>(binary_exponent));
  } else {
    numerator.shift_left(static_cast<unsigned>(-binary_exponent));
  }
  if (compare(numerator, denominator) < 0) {
    numerator.shift_left(1);
    --binary_exponent;
  }
  std::uint64_t significand = 0;
  for (int bit = 0; bit < 64; ++bit) {
    significand = (significand << 1) | numerator.subtract_multiples(denominator);
    numerator.shift_left(1);
  }
  return round_to_double(significand, binary_exponent, !numerator.is_zero());
}

}  // namespace

double round_to_double(std::uint64_t significand, long exponent, bool sticky) noexcept {
  if (exponent > 1023) return std::numeric_limits<double>::infinity();
  // Bits kept: 53 for normal values, fewer below 2^-1022 (subnormals), none below 2^-1075.
  const long kept = exponent >= -1022 ? 53 : exponent + 1075;
  if (kept < 0) return 0.0;
  std::uint64_t result = 0;
  if (kept == 0) {
    // [2^-1075, 2^-1074): up to the smallest subnormal unless exactly halfway (even is 0).
    result = (significand > (std::uint64_t{1} << 63) || sticky) ? 1 : 0;
  } else {
    const auto dropped = static_cast<unsigned>(64 - kept);
    const std::uint64_t half = std::uint64_t{1} << (dropped - 1);
    const std::uint64_t rest = significand & ((half << 1) - 1);
    result = significand >> dropped;
    if (rest > half || (rest == half && (sticky || result % 2 == 1))) ++result;
    // A carry out of the top bit moves into the exponent field by itself: the biased exponent
    // is added, not or-ed, and 2^53 there reads as the next binade (or Infinity past 2^1024).
    if (exponent >= -1022) result += static_cast<std::uint64_t>(exponent + 1022) << 52;
  }
  double value;
  std::memcpy(&value, &result, sizeof value);
  return value;
}

double decimal_to_double(std::string_view text) noexcept {
  Decimal d;
  read_decimal(text, d);
  if (d.count == 0) return with_sign(0.0, d.negative);
  // The value lies in [10^(magnitude - 1), 10^magnitude).
  const std::int64_t magnitude = static_cast<std::int64_t>(d.count) + d.exponent;
  if (magnitude > 310) return with_sign(std::numeric_limits<double>::infinity(), d.negative);
  if (magnitude < -324) return with_sign(0.0, d.negative);
  double value;
  if (!fast_path(d, value)) value = exact_path(d);
  return with_sign(value, d.negative);
}

double radix_integer_to_double(std::string_view digits, int bits_per_digit) noexcept {
  std::uint64_t significand = 0;
  std::int64_t bits = 0;  // significant bits read so far
  bool sticky = false;
  for (const char c : digits) {
    const int value = ascii::hex_digit_value(c);
    for (int bit = bits_per_digit - 1; bit >= 0; --bit) {
      const unsigned b = (value >> bit) & 1;
      if (bits == 0 && b == 0) continue;
      if (bits < 64) {
        significand = (significand << 1) | b;
      } else {
        sticky = sticky || b != 0;
      }
      if (bits < kExponentLimit) ++bits;
    }
  }
  if (bits == 0) return 0.0;
  if (bits < 64) significand <<= (64 - bits);
  return round_to_double(significand, static_cast<long>(bits - 1), sticky);
}

}  // namespace stageline::number
