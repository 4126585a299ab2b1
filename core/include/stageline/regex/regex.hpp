#pragma once
/// A regular-expression engine with JavaScript syntax and guaranteed linear-time matching.
///
/// Why not std::regex: it backtracks (exponential time on patterns like `(a+)+$` against
/// attacker-controlled strings), recurses per character (stack overflow on long inputs), and its
/// ECMAScript flavour differs from V8's in details. This engine compiles the pattern to an NFA and
/// simulates it breadth-first (Thompson/Pike), so a match costs O(pattern size x input length)
/// steps whatever the input. The price: backreferences and lookaround are rejected at compile time.
///
/// Matching runs over the UTF-16 code units of the input (decoded from UTF-8 on the fly; invalid
/// UTF-8 decodes to U+FFFD as TextDecoder does), as a JavaScript RegExp without the `u` flag does:
/// an astral character is two code units, so `.` matches half of an emoji.
///
/// Syntax is V8's non-unicode mode including the Annex-B leniencies (a lone `{`, `}` or `]` is a
/// literal, `\q` means `q`, `\c` before a non-letter is a literal backslash, `\8` is `8`, `\1` with
/// no group 1 is the octal escape U+0001, `\u{41}` is `u` repeated 41 times, ...).
///
/// Not supported, rejected with invalid_regex: backreferences (`\1` when the pattern has a group 1,
/// `\k<name>`), lookahead `(?=` `(?!` and lookbehind `(?<=` `(?<!`: they cannot be matched without
/// backtracking. Group names accept ASCII identifier characters and any non-ASCII character,
/// written literally or as `\u` escapes (V8 additionally requires non-ASCII ones to be identifier
/// letters).
///
/// Case-insensitive matching (the `i` flag) implements ECMAScript's non-unicode Canonicalize: two
/// code units match when their single-code-unit String.prototype.toUpperCase forms are equal, and a
/// non-ASCII code unit never maps to an ASCII one (so `ſ` U+017F does not match `s`, nor the Kelvin
/// sign `k`). The table covers the whole Basic Multilingual Plane as of Unicode 17 (it includes
/// ASCII, Latin-1, Latin Extended-A/B, Greek, Cyrillic, Armenian, Georgian, Cherokee, Glagolitic,
/// fullwidth Latin, ...); it was generated from and cross-checked against V8 (see
/// core/src/regex/regex_case_table.cpp). Astral letters (e.g. Deseret) are surrogate pairs in
/// non-unicode mode and so never fold, as in V8.
///
/// Error offsets are counted in UTF-16 code units of the pattern, as JavaScript counts them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stageline {

struct RegexLimits {
  std::size_t max_pattern_length = 1000;  ///< UTF-16 code units of pattern text
  std::size_t max_program_size = 10000;   ///< compiled NFA instructions (counted repeats expand)
};

class Regex {
 public:
  /// Groups may nest this deep; deeper nesting is Error(limit_exceeded). It bounds the parser's
  /// recursion, so a pattern of 10,000 `(` is an error rather than a stack overflow.
  static constexpr std::size_t kMaxGroupNesting = 64;

  /// Compiles a JavaScript-syntax pattern. Throws Error(invalid_regex) naming the offset and what
  /// was expected, or Error(limit_exceeded) when the pattern, its group nesting or its compiled
  /// program (where `x{n}` costs n copies of `x`) exceeds a limit. `ignore_case` is the `i` flag.
  static Regex compile(std::string_view pattern, bool ignore_case = false,
                       const RegexLimits& limits = {});

  /// RegExp.prototype.test semantics: true if the pattern matches anywhere in `utf8_text`.
  /// Allocates nothing (scratch space is sized at compile time), so a Regex must not be used
  /// from two threads at once.
  bool search(std::string_view utf8_text) const;

  /// The pattern text as given to compile().
  const std::string& pattern() const { return pattern_; }

  ~Regex();
  Regex(const Regex& other);
  Regex(Regex&& other) noexcept;
  Regex& operator=(const Regex& other);
  Regex& operator=(Regex&& other) noexcept;

  // Implementation detail: one NFA instruction (defined in core/src/regex/regex_program.hpp).
  struct Instruction;

 private:
  Regex();
  std::string pattern_;
  bool ignore_case_ = false;
  bool anchored_at_start_ = false;  // every alternative begins with `^`: only position 0 can match
  std::vector<Instruction> program_;
  std::vector<std::uint16_t> class_ranges_;  // [first, last] code-unit pairs of character classes
  mutable std::vector<std::uint32_t> scratch_;  // two sparse sets of thread program counters
};

}  // namespace stageline
