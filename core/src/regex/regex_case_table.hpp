#pragma once
// JavaScript's non-unicode ignoreCase canonicalization (ECMA-262 Canonicalize with
// rer.[[IgnoreCase]] true and no `u` flag), used by the regex compiler and matcher.

#include <cstddef>
#include <cstdint>

namespace stageline::regex_internal {

struct CaseMapping {
  std::uint16_t from;
  std::uint16_t to;
};

// Every BMP code unit whose canonical form differs from itself, sorted by `from`.
extern const CaseMapping kCanonicalizeTable[];
extern const std::size_t kCanonicalizeTableSize;

// Looks `unit` up in kCanonicalizeTable; for code units outside ASCII.
std::uint16_t canonicalize_non_ascii(std::uint16_t unit);

// The form in which the `i` flag compares `unit`. Idempotent: canonicalize(canonicalize(c)) ==
// canonicalize(c), which the class folding in the compiler relies on.
inline std::uint16_t canonicalize(std::uint16_t unit) {
  if (unit < 0x80) return unit >= u'a' && unit <= u'z' ? unit - (u'a' - u'A') : unit;
  return canonicalize_non_ascii(unit);
}

}  // namespace stageline::regex_internal
