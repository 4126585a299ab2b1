#pragma once
/// A regular-expression engine with JavaScript syntax and guaranteed linear-time matching.
///
/// Why not std::regex: it backtracks (exponential time on patterns like `(a+)+$` against
/// attacker-controlled strings), recurses per character (stack overflow on long inputs), and its
/// ECMAScript flavour differs from V8's in details. This engine compiles the pattern to an NFA and
/// simulates it breadth-first (Thompson/Pike), so a match costs O(pattern size x input length)
/// steps whatever the input. The price: backreferences and lookaround are rejected at compile time.
///
/// Matching runs over the UTF-16 code units of the input (decoded from UTF-8 on the fly), as a
/// JavaScript RegExp without the `u` flag does.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stageline {

struct RegexLimits {
  std::size_t max_pattern_length = 1000;  ///< characters of pattern text
  std::size_t max_program_size = 10000;   ///< compiled NFA instructions (counted repeats expand)
};

class Regex {
 public:
  /// Compiles a JavaScript-syntax pattern. Throws Error(invalid_regex) naming the offset and what
  /// was expected, or Error(limit_exceeded). `ignore_case` is the `i` flag.
  static Regex compile(std::string_view pattern, bool ignore_case = false, const RegexLimits& limits = {});

  /// RegExp.prototype.test semantics: true if the pattern matches anywhere in `utf8_text`.
  /// Allocates nothing (scratch space is sized at compile time), so a Regex must not be used
  /// from two threads at once.
  bool search(std::string_view utf8_text) const;

  const std::string& pattern() const { return pattern_; }

  // Implementation detail: the compiled program (public so the compiler can build it).
  struct Instruction;

 private:
  Regex() = default;
  std::string pattern_;
  std::vector<Instruction> program_;
  mutable std::vector<std::uint32_t> scratch_;  // two sparse sets of thread program counters
};

}  // namespace stageline
