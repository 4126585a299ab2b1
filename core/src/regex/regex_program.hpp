#pragma once
// The compiled form of a Regex: a Thompson NFA as a flat instruction array. Program counter 0 is
// the entry; the program ends with kMatch.

#include <cstdint>

#include "stageline/regex/regex.hpp"

namespace stageline {
namespace regex_internal {

enum class Op : std::uint8_t {
  kCodeUnit,         // consume `code_unit` (already canonicalized under the `i` flag)
  kAnyButNewline,    // `.`: consume anything but \n \r U+2028 U+2029
  kClass,            // consume a code unit in class_ranges_[x .. x + 2y) (or not, when `negated`)
  kLineStart,        // `^`: assert nothing precedes
  kLineEnd,          // `$`: assert nothing follows
  kWordBoundary,     // `\b`
  kNotWordBoundary,  // `\B`
  kJump,             // continue at x
  kSplit,            // continue at both x and y
  kMatch,
};

}  // namespace regex_internal

struct Regex::Instruction {
  regex_internal::Op op = regex_internal::Op::kMatch;
  bool negated = false;
  std::uint16_t code_unit = 0;
  std::uint32_t x = 0;
  std::uint32_t y = 0;
};

}  // namespace stageline
