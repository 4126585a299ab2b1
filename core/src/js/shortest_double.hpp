#pragma once
// The shortest decimal digits that read back as a double, as JavaScript's Number::toString picks
// them (ECMAScript 2024 §6.1.6.1.20 with its note): the fewest significant digits k such that the
// decimal rounds to the double, and among the k-digit candidates the one closest to it (the even
// one on a tie). A double reads back from any decimal within half a unit in the last place on
// either side, the ends included when its significand is even (round-half-even); at a power of two
// the gap below is half the gap above.

#include <cstddef>

namespace stageline::number {

/// At most 17 significant digits are ever needed.
inline constexpr std::size_t kMaxShortestDigits = 17;

struct ShortestDigits {
  char digits[kMaxShortestDigits];  // '1'-'9' first, no trailing zeros
  std::size_t count;
  int exponent;  // value = 0.d1d2...dk x 10^exponent (ECMAScript's n)
};

/// `value` must be finite and > 0.
ShortestDigits shortest_digits(double value) noexcept;

}  // namespace stageline::number
