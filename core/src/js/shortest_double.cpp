// Steele & White's free-format digit generation in the form of Burger & Dybvig ("Printing
// Floating-Point Numbers Quickly and Accurately", 1996), on exact big integers: v = r / s, and the
// double's rounding interval is (r - m_minus) / s .. (r + m_plus) / s. Digits come out one at a
// time until the digits so far (rounded down or up) fall inside the interval, which gives the
// fewest digits; the last one is then rounded to the closer candidate. No tables: the big integers
// cost a few hundred word operations per digit, which is still far less than printing with printf
// at every precision and reading each back.

#include "js/shortest_double.hpp"

#include <cstdint>
#include <cstring>

#include "js/bignum.hpp"

namespace stageline::number {
namespace {

constexpr std::uint64_t kHiddenBit = std::uint64_t{1} << 52;
// The binary exponent of the significand's unit when subnormal.
constexpr int kDenormalExponent = -1074;

// Decimal exponent estimate: ceil(log10(v)) or one less (Burger & Dybvig's "estimate"), from the
// position of the leading bit. 0.30102999566398114 is log10(2) rounded down; the -1e-10 keeps exact
// powers of ten from being estimated one too high.
int estimate_exponent(int leading_bit_position) noexcept {
  const double estimate = leading_bit_position * 0.30102999566398114 - 1e-10;
  const int truncated = static_cast<int>(estimate);
  return truncated + (estimate > truncated ? 1 : 0);
}

}  // namespace

ShortestDigits shortest_digits(double value) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const int biased_exponent = static_cast<int>(bits >> 52);
  std::uint64_t significand = bits & (kHiddenBit - 1);
  int exponent = kDenormalExponent;
  if (biased_exponent != 0) {
    significand |= kHiddenBit;
    exponent = biased_exponent - 1075;
  }
  // Round-half-even: a decimal exactly on the interval's end reads back as this double only when
  // its significand is even.
  const bool ends_included = significand % 2 == 0;
  // At a power of two (not the smallest normal, whose lower neighbour is subnormal and as close as
  // the upper one) the gap below is half the gap above: scale everything by 2 once more so that
  // m_minus can be half of m_plus.
  const bool narrower_below = significand == kHiddenBit && biased_exponent > 1;

  Bignum r(significand);
  Bignum s(1);
  Bignum m_plus(1);
  r.shift_left(narrower_below ? 2 : 1);
  s.shift_left(narrower_below ? 2 : 1);
  if (exponent >= 0) {
    r.shift_left(static_cast<unsigned>(exponent));
    m_plus.shift_left(static_cast<unsigned>(exponent));
  } else {
    s.shift_left(static_cast<unsigned>(-exponent));
  }
  Bignum m_minus = m_plus;
  if (narrower_below) m_plus.shift_left(1);

  int leading_bit = exponent;
  for (std::uint64_t rest = significand >> 1; rest != 0; rest >>= 1) ++leading_bit;
  int k = estimate_exponent(leading_bit);
  if (k >= 0) {
    s.multiply_pow10(static_cast<unsigned>(k));
  } else {
    const auto scale = static_cast<unsigned>(-k);
    r.multiply_pow10(scale);
    m_plus.multiply_pow10(scale);
    m_minus.multiply_pow10(scale);
  }
  // The estimate may be one too low: fix it so that the upper end of the interval is below 10^k
  // (or at it, when the end itself is excluded).
  Bignum upper = r;
  upper.add(m_plus);
  const int upper_vs_s = compare(upper, s);
  if (upper_vs_s > 0 || (ends_included && upper_vs_s == 0)) {
    s.multiply_add(10, 0);
    ++k;
  }

  ShortestDigits out{};
  out.exponent = k;
  for (;;) {
    r.multiply_add(10, 0);
    m_plus.multiply_add(10, 0);
    m_minus.multiply_add(10, 0);
    unsigned digit = r.subtract_multiples(s);
    // Stopping with this digit leaves r/s behind: fine when that is within the gap below.
    const int low_vs = compare(r, m_minus);
    const bool round_down_ok = low_vs < 0 || (ends_included && low_vs == 0);
    // Stopping with digit + 1 overshoots by (s - r)/s: fine when that is within the gap above.
    upper = r;
    upper.add(m_plus);
    const int high_vs = compare(upper, s);
    const bool round_up_ok = high_vs > 0 || (ends_included && high_vs == 0);
    if (!round_down_ok && !round_up_ok && out.count + 1 < kMaxShortestDigits) {
      out.digits[out.count++] = static_cast<char>('0' + digit);
      continue;
    }
    if (round_up_ok) {
      bool up = !round_down_ok;
      if (round_down_ok) {
        // Both candidates read back: take the closer one, the even one on a tie.
        Bignum twice_r = r;
        twice_r.shift_left(1);
        const int half_vs = compare(twice_r, s);
        up = half_vs > 0 || (half_vs == 0 && digit % 2 == 1);
      }
      if (up) ++digit;
    }
    out.digits[out.count++] = static_cast<char>('0' + digit);
    break;
  }
  while (out.count > 1 && out.digits[out.count - 1] == '0') --out.count;
  return out;
}

}  // namespace stageline::number
