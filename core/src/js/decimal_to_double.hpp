#pragma once
// Text to the nearest double (round-half-even), for any length: decimal literals (JSON numbers and
// JavaScript's StrUnsignedDecimalLiteral) and binary/octal/hex integers. Over- and underflow give
// ±Infinity and ±0, and tiny values round to subnormals.

#include <cstdint>
#include <string_view>

namespace stageline::number {

/// `text` must be [+-] (digits [. [digits]] | . digits) [(e|E) [+-] digits], already checked
/// by the caller (JSON's and JavaScript's grammars are both subsets).
double decimal_to_double(std::string_view text) noexcept;

/// `digits` are base 2^bits_per_digit (1, 3 or 4) digits, already checked, at least one.
double radix_integer_to_double(std::string_view digits, int bits_per_digit) noexcept;

/// The double nearest to significand x 2^(exponent - 63) where bit 63 of `significand` is set,
/// and `sticky` says that non-zero bits below it were dropped (so a tie is not one).
double round_to_double(std::uint64_t significand, long exponent, bool sticky) noexcept;

}  // namespace stageline::number
