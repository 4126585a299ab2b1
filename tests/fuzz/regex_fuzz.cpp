// The regex engine: a pattern compiled with and without the i flag and searched in a subject.
// Input: pattern ␞ subject.
// Invariants: a match of the whole subject as a literal pattern is found (when the subject has no
// metacharacters); searching twice gives the same answer (scratch space is reset between runs).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_support.hpp"
#include "stageline/regex/regex.hpp"

using namespace stageline;

namespace {

bool is_plain_ascii_literal(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool word = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == ' ';
    if (!word) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 2);
  for (const bool ignore_case : {false, true}) {
    std::optional<Regex> regex;
    if (!fuzz::accepted([&] { regex = Regex::compile(parts[0], ignore_case); })) continue;
    const bool found = regex->search(parts[1]);
    FUZZ_CHECK(regex->search(parts[1]) == found);
    const Regex copy = *regex;
    FUZZ_CHECK(copy.search(parts[1]) == found);
  }
  if (is_plain_ascii_literal(parts[1]) && parts[1].size() <= 1000) {
    FUZZ_CHECK(Regex::compile(parts[1]).search(parts[1]));
    FUZZ_CHECK(Regex::compile(parts[1], true).search(parts[1]));
  }
  return 0;
}
