// Binary search in the generated case table (regex_case_table.cpp).

#include <algorithm>

#include "regex/regex_case_table.hpp"

namespace stageline::regex_internal {

std::uint16_t canonicalize_non_ascii(std::uint16_t unit) {
  const CaseMapping* end = kCanonicalizeTable + kCanonicalizeTableSize;
  const CaseMapping* found = std::lower_bound(
      kCanonicalizeTable, end, unit,
      [](const CaseMapping& mapping, std::uint16_t key) { return mapping.from < key; });
  return found != end && found->from == unit ? found->to : unit;
}

}  // namespace stageline::regex_internal
