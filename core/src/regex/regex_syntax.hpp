#pragma once
// The syntax tree of a JavaScript regular expression, as produced by regex_parser.cpp and turned
// into an NFA program by regex.cpp.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace stageline::regex_internal {

enum class NodeKind {
  kEmpty,
  kCodeUnit,
  kAnyButNewline,
  kClass,
  kLineStart,
  kLineEnd,
  kWordBoundary,
  kNotWordBoundary,
  kSequence,
  kAlternation,
  kRepeat,
};

inline constexpr std::uint32_t kUnbounded = std::numeric_limits<std::uint32_t>::max();

struct Node {
  NodeKind kind = NodeKind::kEmpty;
  std::uint16_t code_unit = 0;        // kCodeUnit
  std::vector<std::uint16_t> ranges;  // kClass: sorted, disjoint [first, last] pairs
  bool negated = false;               // kClass: `[^...]`
  std::uint32_t min = 0;              // kRepeat
  std::uint32_t max = 0;              // kRepeat; kUnbounded for `*`, `+`, `{n,}`
  std::vector<Node> children;         // kSequence, kAlternation; kRepeat has exactly one
};

// Parses `pattern` (UTF-16 code units) in V8's non-unicode mode. Throws Error(invalid_regex) with
// the offset of the problem, or Error(limit_exceeded) when groups nest deeper than `max_nesting`.
Node parse_regex(const std::u16string& pattern, std::size_t max_nesting);

// Sorts and merges [first, last] pairs in place.
void normalize_ranges(std::vector<std::uint16_t>& ranges);

}  // namespace stageline::regex_internal
