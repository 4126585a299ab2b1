// Recursive-descent parser for JavaScript regular expressions in V8's non-unicode mode, following
// ECMA-262 Annex B.1.2 (the web-compatibility grammar V8 implements). Recursion happens only per
// group, and group nesting is capped, so the parser's stack depth is bounded.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/ascii.hpp"
#include "regex/regex_syntax.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline::regex_internal {
namespace {

constexpr std::uint32_t kLargestCount = kUnbounded - 1;  // `{n}` counts saturate here

bool is_decimal_digit(char32_t c) { return c >= u'0' && c <= u'9'; }
bool is_octal_digit(char16_t c) { return c >= u'0' && c <= u'7'; }
bool is_ascii_letter(char32_t c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }

void add_range(std::vector<std::uint16_t>& ranges, std::uint16_t first, std::uint16_t last) {
  ranges.push_back(first);
  ranges.push_back(last);
}

// `\d \w \s` and their complements `\D \W \S`, as JavaScript defines them without the `u` flag.
std::vector<std::uint16_t> class_escape_ranges(char16_t letter) {
  std::vector<std::uint16_t> set;
  switch (letter) {
    case u'd':
    case u'D':
      add_range(set, u'0', u'9');
      break;
    case u'w':
    case u'W':
      add_range(set, u'0', u'9');
      add_range(set, u'A', u'Z');
      add_range(set, u'_', u'_');
      add_range(set, u'a', u'z');
      break;
    default:  // s, S: WhiteSpace and LineTerminator
      add_range(set, 0x0009, 0x000d);
      add_range(set, 0x0020, 0x0020);
      add_range(set, 0x00a0, 0x00a0);
      add_range(set, 0x1680, 0x1680);
      add_range(set, 0x2000, 0x200a);
      add_range(set, 0x2028, 0x2029);
      add_range(set, 0x202f, 0x202f);
      add_range(set, 0x205f, 0x205f);
      add_range(set, 0x3000, 0x3000);
      add_range(set, 0xfeff, 0xfeff);
      break;
  }
  if (letter == u'd' || letter == u'w' || letter == u's') return set;
  std::vector<std::uint16_t> complement;
  std::uint32_t next = 0;
  for (std::size_t i = 0; i < set.size(); i += 2) {
    if (set[i] > next) add_range(complement, static_cast<std::uint16_t>(next), set[i] - 1);
    next = set[i + 1] + 1u;
  }
  if (next <= 0xffff) add_range(complement, static_cast<std::uint16_t>(next), 0xffff);
  return complement;
}

bool is_class_escape_letter(char16_t c) {
  return c == u'd' || c == u'D' || c == u'w' || c == u'W' || c == u's' || c == u'S';
}

Node code_unit_node(char16_t unit) {
  Node node;
  node.kind = NodeKind::kCodeUnit;
  node.code_unit = static_cast<std::uint16_t>(unit);
  return node;
}

Node leaf(NodeKind kind) {
  Node node;
  node.kind = kind;
  return node;
}

// One element of a character class: a single code unit, or a set from `\d`-style escapes.
struct ClassAtom {
  bool is_set = false;
  std::uint16_t unit = 0;
  std::vector<std::uint16_t> set;
};

class Parser {
 public:
  Parser(const std::u16string& pattern, std::size_t max_nesting)
      : pattern_(pattern), max_nesting_(max_nesting) {
    count_groups();
  }

  Node parse() {
    Node root = parse_disjunction(0);
    if (!at_end()) fail(pos_, "unmatched ')'");  // parse_disjunction stops only at `)` or the end
    return root;
  }

 private:
  [[noreturn]] void fail(std::size_t offset, const std::string& what) const {
    throw Error(error_code::kInvalidRegex, "",
                "invalid regular expression at offset " + std::to_string(offset) + ": " + what);
  }

  [[noreturn]] void unsupported(std::size_t offset, const std::string& construct) const {
    fail(offset, construct +
                     " is not supported: it needs backtracking, which this linear-time engine "
                     "rules out");
  }

  bool at_end() const { return pos_ >= pattern_.size(); }
  bool looking_at(char16_t c, std::size_t ahead = 0) const {
    return pos_ + ahead < pattern_.size() && pattern_[pos_ + ahead] == c;
  }
  bool has_ahead(std::size_t ahead) const { return pos_ + ahead < pattern_.size(); }
  char16_t ahead(std::size_t n) const { return pattern_[pos_ + n]; }

  // Like V8, decides up front whether `\N` can be a backreference and whether `\k` is one: both
  // depend on groups that may appear later in the pattern.
  void count_groups() {
    bool in_class = false;
    for (std::size_t i = 0; i < pattern_.size(); ++i) {
      const char16_t c = pattern_[i];
      if (c == u'\\') {
        ++i;
      } else if (in_class) {
        in_class = c != u']';
      } else if (c == u'[') {
        in_class = true;
      } else if (c == u'(') {
        const bool special = i + 1 < pattern_.size() && pattern_[i + 1] == u'?';
        const bool named = special && i + 3 < pattern_.size() && pattern_[i + 2] == u'<' &&
                           pattern_[i + 3] != u'=' && pattern_[i + 3] != u'!';
        if (!special || named) ++capture_count_;
        has_named_groups_ = has_named_groups_ || named;
      }
    }
  }

  Node parse_disjunction(std::size_t depth) {
    Node alternation;
    alternation.kind = NodeKind::kAlternation;
    alternation.children.push_back(parse_alternative(depth));
    while (looking_at(u'|')) {
      ++pos_;
      alternation.children.push_back(parse_alternative(depth));
    }
    if (alternation.children.size() == 1) return std::move(alternation.children.front());
    return alternation;
  }

  Node parse_alternative(std::size_t depth) {
    Node sequence;
    sequence.kind = NodeKind::kSequence;
    while (!at_end() && pattern_[pos_] != u'|' && pattern_[pos_] != u')') {
      parse_term(depth, sequence.children);
    }
    if (sequence.children.empty()) return leaf(NodeKind::kEmpty);
    if (sequence.children.size() == 1) return std::move(sequence.children.front());
    return sequence;
  }

  void parse_term(std::size_t depth, std::vector<Node>& terms) {
    Node atom;
    bool quantifiable = true;
    const char16_t c = pattern_[pos_];
    switch (c) {
      case u'^':
      case u'$':
        ++pos_;
        atom = leaf(c == u'^' ? NodeKind::kLineStart : NodeKind::kLineEnd);
        quantifiable = false;
        break;
      case u'*':
      case u'+':
      case u'?':
        fail(pos_, "nothing to repeat");
      case u'{': {
        std::uint32_t min = 0;
        std::uint32_t max = 0;
        const std::size_t brace = pos_;
        if (parse_braced_quantifier(min, max)) fail(brace, "nothing to repeat");
        ++pos_;  // Annex B: a `{` that does not start a quantifier is a literal
        atom = code_unit_node(c);
        break;
      }
      case u'(':
        atom = parse_group(depth);
        break;
      case u'[':
        atom = parse_class();
        break;
      case u'.':
        ++pos_;
        atom = leaf(NodeKind::kAnyButNewline);
        break;
      case u'\\':
        atom = parse_atom_escape(quantifiable);
        break;
      default:  // including a lone `]` or `}` (Annex B)
        ++pos_;
        atom = code_unit_node(c);
        break;
    }
    const std::size_t quantifier_start = pos_;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    if (parse_quantifier(min, max)) {
      if (!quantifiable) fail(quantifier_start, "nothing to repeat");
      if (looking_at(u'?')) ++pos_;  // lazy: changes which match is found, not whether one is
      Node repeat;
      repeat.kind = NodeKind::kRepeat;
      repeat.min = min;
      repeat.max = max;
      repeat.children.push_back(std::move(atom));
      atom = std::move(repeat);
    }
    terms.push_back(std::move(atom));
  }

  bool parse_quantifier(std::uint32_t& min, std::uint32_t& max) {
    if (at_end()) return false;
    switch (pattern_[pos_]) {
      case u'*':
        ++pos_;
        min = 0;
        max = kUnbounded;
        return true;
      case u'+':
        ++pos_;
        min = 1;
        max = kUnbounded;
        return true;
      case u'?':
        ++pos_;
        min = 0;
        max = 1;
        return true;
      case u'{':
        return parse_braced_quantifier(min, max);
      default:
        return false;
    }
  }

  // `{n}`, `{n,}` or `{n,m}`; leaves pos_ unchanged and returns false for anything else.
  bool parse_braced_quantifier(std::uint32_t& min, std::uint32_t& max) {
    const std::size_t brace = pos_;
    ++pos_;
    if (!has_ahead(0) || !is_decimal_digit(ahead(0))) return restore(brace);
    min = parse_count();
    max = min;
    if (looking_at(u',')) {
      ++pos_;
      if (looking_at(u'}')) {
        max = kUnbounded;
      } else if (has_ahead(0) && is_decimal_digit(ahead(0))) {
        max = parse_count();
      } else {
        return restore(brace);
      }
    }
    if (!looking_at(u'}')) return restore(brace);
    ++pos_;
    if (min > max) fail(brace, "numbers out of order in {} quantifier");
    return true;
  }

  bool restore(std::size_t position) {
    pos_ = position;
    return false;
  }

  std::uint32_t parse_count() {
    std::uint64_t value = 0;
    while (has_ahead(0) && is_decimal_digit(ahead(0))) {
      value = std::min<std::uint64_t>(value * 10 + (ahead(0) - u'0'), kLargestCount);
      ++pos_;
    }
    return static_cast<std::uint32_t>(value);
  }

  Node parse_group(std::size_t depth) {
    const std::size_t open = pos_;
    if (depth + 1 > max_nesting_) {
      throw Error(error_code::kLimitExceeded, "",
                  "regular expression groups nest more than " + std::to_string(max_nesting_) +
                      " deep at offset " + std::to_string(open));
    }
    ++pos_;
    if (looking_at(u'?')) {
      if (looking_at(u':', 1)) {
        pos_ += 2;
      } else if (looking_at(u'=', 1) || looking_at(u'!', 1)) {
        unsupported(open, "lookahead (?= or (?!");
      } else if (looking_at(u'<', 1) && (looking_at(u'=', 2) || looking_at(u'!', 2))) {
        unsupported(open, "lookbehind (?<= or (?<!");
      } else if (looking_at(u'<', 1)) {
        pos_ += 2;
        parse_group_name();
      } else {
        fail(open, "invalid group");
      }
    }
    Node body = parse_disjunction(depth + 1);
    if (!looking_at(u')')) fail(open, "unterminated group");
    ++pos_;
    return body;
  }

  // After `(?<`: an identifier and `>`. Named groups capture like plain ones; only the name's
  // syntax and uniqueness matter here.
  void parse_group_name() {
    const std::size_t start = pos_;
    const std::u32string name = scan_group_name();
    if (std::find(group_names_.begin(), group_names_.end(), name) != group_names_.end()) {
      fail(start, "duplicate capture group name");
    }
    group_names_.push_back(name);
  }

  std::u32string scan_group_name() {
    const std::size_t start = pos_;
    std::u32string name;
    while (!at_end() && ahead(0) != u'>') {
      const std::size_t char_start = pos_;
      const char32_t c = scan_group_name_char();
      const bool start_char = is_ascii_letter(c) || c == u'$' || c == u'_' || c >= 0x80;
      if (!(start_char || (!name.empty() && is_decimal_digit(c)))) {
        fail(char_start, "invalid capture group name");
      }
      name.push_back(c);
    }
    if (at_end() || name.empty()) fail(start, "invalid capture group name");
    ++pos_;
    return name;
  }

  // One character of a group name: literal, `\uXXXX` or `\u{X...}` (V8 allows both escapes in
  // names even without the `u` flag); 0 for a malformed escape.
  char32_t scan_group_name_char() {
    const char16_t c = ahead(0);
    ++pos_;
    if (c != u'\\') return c;
    if (!looking_at(u'u')) return 0;
    ++pos_;
    char32_t value = 0;
    if (looking_at(u'{')) {
      ++pos_;
      std::size_t digits = 0;
      while (has_ahead(0) && ascii::hex_digit_value(ahead(0)) >= 0 && value <= 0x10ffff) {
        value = value * 16 + static_cast<char32_t>(ascii::hex_digit_value(ahead(0)));
        ++pos_;
        ++digits;
      }
      if (digits == 0 || value > 0x10ffff || !looking_at(u'}')) return 0;
      ++pos_;
      return value;
    }
    for (int i = 0; i < 4; ++i) {
      if (!has_ahead(0) || ascii::hex_digit_value(ahead(0)) < 0) return 0;
      value = value * 16 + static_cast<char32_t>(ascii::hex_digit_value(ahead(0)));
      ++pos_;
    }
    return value;
  }

  Node parse_atom_escape(bool& quantifiable) {
    const std::size_t backslash = pos_;
    ++pos_;
    if (at_end()) fail(backslash, "\\ at end of pattern");
    const char16_t c = ahead(0);
    if (c == u'b' || c == u'B') {
      ++pos_;
      quantifiable = false;
      return leaf(c == u'b' ? NodeKind::kWordBoundary : NodeKind::kNotWordBoundary);
    }
    if (is_class_escape_letter(c)) {
      ++pos_;
      Node node;
      node.kind = NodeKind::kClass;
      node.ranges = class_escape_ranges(c);
      return node;
    }
    if (c >= u'1' && c <= u'9') {
      const std::size_t digits = pos_;
      const std::uint32_t group = parse_count();
      if (group <= capture_count_) {
        unsupported(backslash, "backreference \\" + std::to_string(group));
      }
      pos_ = digits;  // Annex B: not a backreference, so an octal escape or an identity escape
    }
    if (c == u'k' && has_named_groups_) {
      if (!looking_at(u'<', 1)) fail(backslash, "invalid named reference");
      pos_ += 2;
      scan_group_name();
      unsupported(backslash, "named backreference \\k<...>");
    }
    return code_unit_node(parse_character_escape(backslash, false));
  }

  // The escapes `\` + c that stand for one code unit, in or out of a class. pos_ is at c.
  char16_t parse_character_escape(std::size_t backslash, bool in_class) {
    const char16_t c = ahead(0);
    switch (c) {
      case u't':
        ++pos_;
        return 0x09;
      case u'n':
        ++pos_;
        return 0x0a;
      case u'v':
        ++pos_;
        return 0x0b;
      case u'f':
        ++pos_;
        return 0x0c;
      case u'r':
        ++pos_;
        return 0x0d;
      case u'c': {
        const bool control =
            has_ahead(1) && (is_ascii_letter(ahead(1)) ||
                             (in_class && (is_decimal_digit(ahead(1)) || ahead(1) == u'_')));
        if (!control) return u'\\';  // Annex B: the backslash is literal and `c` is read next
        pos_ += 2;
        return pattern_[pos_ - 1] % 32;
      }
      case u'x':
      case u'u': {
        const std::size_t digits = c == u'x' ? 2 : 4;
        int value = 0;
        for (std::size_t i = 1; i <= digits; ++i) {
          const int digit = has_ahead(i) ? ascii::hex_digit_value(ahead(i)) : -1;
          if (digit < 0) {
            ++pos_;  // Annex B: `\x` or `\u` without its hex digits means `x` or `u`
            return c;
          }
          value = value * 16 + digit;
        }
        pos_ += digits + 1;
        return static_cast<char16_t>(value);
      }
      case u'k':
        if (in_class && has_named_groups_) fail(backslash, "invalid escape");
        ++pos_;
        return c;
      default:
        if (is_octal_digit(c)) return parse_legacy_octal();
        ++pos_;  // identity escape, including `\8`, `\9`, `\-` and non-ASCII code units
        return c;
    }
  }

  // Annex B LegacyOctalEscapeSequence: up to three octal digits, at most \377.
  char16_t parse_legacy_octal() {
    int value = ahead(0) - u'0';
    ++pos_;
    if (has_ahead(0) && is_octal_digit(ahead(0))) {
      value = value * 8 + (ahead(0) - u'0');
      ++pos_;
      if (value < 32 && has_ahead(0) && is_octal_digit(ahead(0))) {
        value = value * 8 + (ahead(0) - u'0');
        ++pos_;
      }
    }
    return static_cast<char16_t>(value);
  }

  Node parse_class() {
    const std::size_t open = pos_;
    ++pos_;
    Node node;
    node.kind = NodeKind::kClass;
    if (looking_at(u'^')) {
      node.negated = true;
      ++pos_;
    }
    while (true) {
      if (at_end()) fail(open, "unterminated character class");
      if (ahead(0) == u']') {
        ++pos_;
        break;
      }
      const std::size_t atom_start = pos_;
      ClassAtom first = parse_class_atom();
      if (looking_at(u'-') && has_ahead(1) && ahead(1) != u']') {
        ++pos_;
        ClassAtom last = parse_class_atom();
        if (first.is_set || last.is_set) {  // Annex B: `[\d-z]` is \d, `-` and `z`
          add_class_atom(node.ranges, first);
          add_range(node.ranges, u'-', u'-');
          add_class_atom(node.ranges, last);
        } else if (first.unit > last.unit) {
          fail(atom_start, "range out of order in character class");
        } else {
          add_range(node.ranges, first.unit, last.unit);
        }
      } else {
        add_class_atom(node.ranges, first);
      }
    }
    normalize_ranges(node.ranges);
    return node;
  }

  static void add_class_atom(std::vector<std::uint16_t>& ranges, const ClassAtom& atom) {
    if (atom.is_set) {
      ranges.insert(ranges.end(), atom.set.begin(), atom.set.end());
    } else {
      add_range(ranges, atom.unit, atom.unit);
    }
  }

  ClassAtom parse_class_atom() {
    ClassAtom atom;
    if (ahead(0) != u'\\') {
      atom.unit = ahead(0);
      ++pos_;
      return atom;
    }
    const std::size_t backslash = pos_;
    ++pos_;
    if (at_end()) fail(backslash, "\\ at end of pattern");
    const char16_t c = ahead(0);
    if (is_class_escape_letter(c)) {
      ++pos_;
      atom.is_set = true;
      atom.set = class_escape_ranges(c);
    } else if (c == u'b') {
      ++pos_;
      atom.unit = 0x08;  // backspace inside a class
    } else {
      atom.unit = parse_character_escape(backslash, true);  // `\B` is `B`, `\-` is `-`
    }
    return atom;
  }

  const std::u16string& pattern_;
  const std::size_t max_nesting_;
  std::size_t pos_ = 0;
  std::uint32_t capture_count_ = 0;
  bool has_named_groups_ = false;
  std::vector<std::u32string> group_names_;
};

}  // namespace

void normalize_ranges(std::vector<std::uint16_t>& ranges) {
  std::vector<std::pair<std::uint16_t, std::uint16_t>> pairs;
  pairs.reserve(ranges.size() / 2);
  for (std::size_t i = 0; i + 1 < ranges.size(); i += 2)
    pairs.emplace_back(ranges[i], ranges[i + 1]);
  std::sort(pairs.begin(), pairs.end());
  ranges.clear();
  for (const auto& [first, last] : pairs) {
    if (!ranges.empty() && first <= ranges.back() + 1u) {
      ranges.back() = std::max(ranges.back(), last);
    } else {
      add_range(ranges, first, last);
    }
  }
}

Node parse_regex(const std::u16string& pattern, std::size_t max_nesting) {
  return Parser(pattern, max_nesting).parse();
}

}  // namespace stageline::regex_internal

STAGELINE_COLD_CODE_END
