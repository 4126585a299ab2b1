// Decimal text to the nearest double in three steps, each exact, the cheapest that applies:
// - Clinger's fast path: up to 15 digits and |exponent| <= 22, one IEEE multiplication or division
//   of two exact doubles is already correctly rounded;
// - up to 19 digits (a uint64 w) and |exponent| <= 27: w x 10^E = w x 5^E x 2^E, and 5^27 < 2^64,
//   so one 64x64-bit product or one 128/64-bit quotient (with its remainder) gives 64 significant
//   bits and whether anything non-zero lies below them: the common JSON number stops here;
// - otherwise big integers: D x 10^E exactly for E >= 0; for E < 0, D shifted left far enough
//   that the quotient by 10^-E keeps 65 bits, divided by 10^9 at a time (the remainders, non-zero
//   or not, are the sticky bit).
// Each ends in one rounding of 64 bits + sticky to the double (subnormals included).
//
// Only the first kMaxDigits significant digits take part, plus a sticky digit 1 when any dropped
// digit is not zero. That is exact: every halfway point between two doubles has at most 767
// significant digits, so none lies strictly between the truncated value and the full one.

#include "js/decimal_to_double.hpp"

#include <cstddef>
#include <cstring>
#include <limits>

#include "common/ascii.hpp"
#include "js/bignum.hpp"

namespace stageline::number {
namespace {

constexpr std::size_t kMaxDigits = 780;
// Written exponents saturate here, far out of any double's range.
constexpr std::int64_t kExponentLimit = 1'000'000'000;

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

double with_sign(double magnitude, bool negative) noexcept {
  return negative ? -magnitude : magnitude;
}

// Clinger: both operands exact, so the one rounding of the operation is the only one.
bool fast_path(const Decimal& d, double& out) noexcept {
  if (d.count > 15 || d.exponent < -22 || d.exponent > 22) return false;
  std::uint64_t significand = 0;
  for (std::size_t i = 0; i < d.count; ++i)
    significand = significand * 10 + static_cast<unsigned>(d.digits[i] - '0');
  double power = 1;
  for (std::int64_t e = d.exponent < 0 ? -d.exponent : d.exponent; e > 0; --e) power *= 10;
  const auto value = static_cast<double>(significand);
  out = d.exponent < 0 ? value / power : value * power;
  return true;
}

// Unsigned 128-bit arithmetic from 64-bit halves (portable C++17 has no 128-bit integer).
struct Wide {
  std::uint64_t high;
  std::uint64_t low;
};

int leading_zeros(std::uint64_t v) noexcept {
  int n = 0;
  for (int step = 32; step > 0; step /= 2) {
    if (v >> (64 - step) == 0) {
      v <<= step;
      n += step;
    }
  }
  return n;
}

Wide multiply(std::uint64_t a, std::uint64_t b) noexcept {
  const std::uint64_t a_low = a & 0xFFFFFFFFu;
  const std::uint64_t a_high = a >> 32;
  const std::uint64_t b_low = b & 0xFFFFFFFFu;
  const std::uint64_t b_high = b >> 32;
  const std::uint64_t low_low = a_low * b_low;
  const std::uint64_t high_low = a_high * b_low;
  const std::uint64_t low_high = a_low * b_high;
  const std::uint64_t middle =
      (low_low >> 32) + (high_low & 0xFFFFFFFFu) + (low_high & 0xFFFFFFFFu);
  return {a_high * b_high + (high_low >> 32) + (low_high >> 32) + (middle >> 32),
          (middle << 32) | (low_low & 0xFFFFFFFFu)};
}

// (high x 2^64) / divisor for high < divisor: Knuth's algorithm D on 32-bit digits ("divlu",
// Hacker's Delight 9-3); the remainder goes to `remainder`.
std::uint64_t divide_shifted(std::uint64_t high, std::uint64_t divisor,
                             std::uint64_t& remainder) noexcept {
  constexpr std::uint64_t kBase = std::uint64_t{1} << 32;
  const int shift = leading_zeros(divisor);
  divisor <<= shift;
  const std::uint64_t divisor_high = divisor >> 32;
  const std::uint64_t divisor_low = divisor & 0xFFFFFFFFu;
  const std::uint64_t numerator = high << shift;  // the low word is 0, so nothing shifts in
  std::uint64_t q1 = numerator / divisor_high;
  std::uint64_t rest = numerator - q1 * divisor_high;
  while (q1 >= kBase || q1 * divisor_low > (rest << 32)) {
    --q1;
    rest += divisor_high;
    if (rest >= kBase) break;
  }
  // Modulo 2^64, as the algorithm intends.
  const std::uint64_t partial = (numerator << 32) - q1 * divisor;
  std::uint64_t q0 = partial / divisor_high;
  rest = partial - q0 * divisor_high;
  while (q0 >= kBase || q0 * divisor_low > (rest << 32)) {
    --q0;
    rest += divisor_high;
    if (rest >= kBase) break;
  }
  remainder = ((partial << 32) - q0 * divisor) >> shift;
  return (q1 << 32) | q0;
}

// The nearest double to (high x 2^64 + low) x 2^binary_exponent, plus `sticky` below it.
double round_wide(Wide value, long binary_exponent, bool sticky) noexcept {
  if (value.high == 0) {
    const int zeros = leading_zeros(value.low);
    return round_to_double(value.low << zeros, binary_exponent + 63 - zeros, sticky);
  }
  const int zeros = leading_zeros(value.high);
  const std::uint64_t top =
      zeros == 0 ? value.high : (value.high << zeros) | (value.low >> (64 - zeros));
  sticky = sticky || (value.low << zeros) != 0;
  return round_to_double(top, binary_exponent + 127 - zeros, sticky);
}

// Up to 19 digits and |exponent| <= 27, exactly: see the top of the file.
bool sixty_four_bit_path(const Decimal& d, double& out) noexcept {
  constexpr long kMaxPowerOfFive = 27;  // 5^27 < 2^64 <= 5^28
  if (d.count > 19 || d.exponent < -kMaxPowerOfFive || d.exponent > kMaxPowerOfFive) return false;
  std::uint64_t significand = 0;
  for (std::size_t i = 0; i < d.count; ++i)
    significand = significand * 10 + static_cast<unsigned>(d.digits[i] - '0');
  const long e = static_cast<long>(d.exponent);
  std::uint64_t power_of_five = 1;
  for (long i = e < 0 ? -e : e; i > 0; --i) power_of_five *= 5;
  if (e >= 0) {
    out = round_wide(multiply(significand, power_of_five), e, false);
    return true;
  }
  // w / 5^k x 2^-k with w normalized to bit 63: the quotient of w x 2^64 has 64 to 128 bits.
  const int shift = leading_zeros(significand);
  const std::uint64_t normalized = significand << shift;
  const std::uint64_t quotient_high = normalized / power_of_five;
  std::uint64_t remainder = 0;
  const std::uint64_t quotient_low =
      divide_shifted(normalized % power_of_five, power_of_five, remainder);
  out = round_wide({quotient_high, quotient_low}, e - 64 - shift, remainder != 0);
  return true;
}

double exact_path(const Decimal& d) noexcept {
  Bignum value;
  for (std::size_t i = 0; i < d.count;) {
    std::uint32_t chunk = 0;
    std::uint32_t scale = 1;
    for (int n = 0; n < 9 && i < d.count; ++n, ++i) {
      chunk = chunk * 10 + static_cast<std::uint32_t>(d.digits[i] - '0');
      scale *= 10;
    }
    value.multiply_add(scale, chunk);
  }
  long binary_exponent = 0;  // the double is value x 2^binary_exponent
  bool sticky = false;
  if (d.exponent >= 0) {
    value.multiply_pow10(static_cast<unsigned>(d.exponent));
  } else {
    // Shift left so that the quotient by 10^k keeps at least 65 bits: 10^k has at most
    // floor(k x 3.322) + 1 bits (log2(10) < 3.322).
    const auto k = static_cast<unsigned>(-d.exponent);
    const long wanted = 65 + static_cast<long>(k) * 3322 / 1000 + 1;
    const long shift = wanted - static_cast<long>(value.bit_length());
    if (shift > 0) {
      value.shift_left(static_cast<unsigned>(shift));
      binary_exponent -= shift;
    }
    // floor(floor(v / a) / b) = floor(v / ab), and the quotient is exact only if every step was.
    unsigned rest = k;
    for (; rest >= 9; rest -= 9) sticky = value.divide(1'000'000'000u) != 0 || sticky;
    std::uint32_t last = 1;
    for (; rest > 0; --rest) last *= 10;
    if (last != 1) sticky = value.divide(last) != 0 || sticky;
  }
  const unsigned bits = value.bit_length();
  if (bits <= 64) {
    const std::uint64_t top = value.bits_from(0) << (64 - bits);
    return round_to_double(top, binary_exponent + static_cast<long>(bits) - 1, sticky);
  }
  const unsigned start = bits - 64;
  sticky = sticky || value.any_bit_below(start);
  return round_to_double(value.bits_from(start), binary_exponent + static_cast<long>(bits) - 1,
                         sticky);
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
  if (!fast_path(d, value) && !sixty_four_bit_path(d, value)) value = exact_path(d);
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
