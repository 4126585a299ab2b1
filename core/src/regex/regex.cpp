// Regex::compile: checks limits, parses (regex_parser.cpp) and lowers the syntax tree to a flat
// Thompson NFA program. Matching lives in regex_matcher.cpp.

#include "stageline/regex/regex.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "regex/regex_case_table.hpp"
#include "regex/regex_program.hpp"
#include "regex/regex_syntax.hpp"
#include "regex/regex_utf16.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"

namespace stageline {
// Compiling a pattern runs once: optimized for size (stageline/cold_code.hpp); matching is regex_matcher.cpp.
STAGELINE_COLD_CODE_BEGIN

namespace {

using regex_internal::kUnbounded;
using regex_internal::Node;
using regex_internal::NodeKind;
using regex_internal::Op;

// Instructions `node` compiles to, saturating at `cap` so that nested counted repetitions
// (`(?:(?:a{1000}){1000}){1000}`) are measured without overflow and rejected before any of the
// program is built.
std::uint64_t program_size(const Node& node, std::uint64_t cap) {
  const auto capped = [cap](std::uint64_t size) { return std::min(size, cap); };
  switch (node.kind) {
    case NodeKind::kEmpty:
      return 0;
    case NodeKind::kSequence:
    case NodeKind::kAlternation: {
      std::uint64_t total =
          node.kind == NodeKind::kAlternation ? 2 * (node.children.size() - 1) : 0;
      for (const Node& child : node.children) total = capped(total + program_size(child, cap));
      return total;
    }
    case NodeKind::kRepeat: {
      const std::uint64_t body = program_size(node.children.front(), cap);
      const std::uint64_t required = capped(node.min * body);
      if (node.max == kUnbounded) return capped(required + body + 2);
      return capped(required + capped(std::uint64_t{node.max - node.min} * (body + 1)));
    }
    default:
      return 1;
  }
}

// Whether every match must start at position 0 (each alternative begins with `^`).
bool anchored_at_start(const Node& node) {
  switch (node.kind) {
    case NodeKind::kLineStart:
      return true;
    case NodeKind::kSequence:
      return anchored_at_start(node.children.front());
    case NodeKind::kAlternation:
      return std::all_of(node.children.begin(), node.children.end(),
                         [](const Node& child) { return anchored_at_start(child); });
    case NodeKind::kRepeat:
      return node.min > 0 && anchored_at_start(node.children.front());
    default:
      return false;
  }
}

// Class ranges as the `i` flag sees them. A code unit c then matches when canonicalize(c) lies in
// the folded set: the folded set holds every member and every member's canonical form, and since
// canonicalize is idempotent, canonicalize(c) is in it exactly when some member m has
// canonicalize(m) == canonicalize(c) -- ECMAScript's CharacterSetMatcher rule.
std::vector<std::uint16_t> fold_case(const std::vector<std::uint16_t>& ranges) {
  std::vector<std::uint16_t> folded = ranges;
  std::size_t range = 0;
  for (std::size_t i = 0; i < regex_internal::kCanonicalizeTableSize; ++i) {
    const regex_internal::CaseMapping& mapping = regex_internal::kCanonicalizeTable[i];
    while (range < ranges.size() && ranges[range + 1] < mapping.from) range += 2;
    if (range == ranges.size()) break;
    if (ranges[range] <= mapping.from) {
      folded.push_back(mapping.to);
      folded.push_back(mapping.to);
    }
  }
  regex_internal::normalize_ranges(folded);
  return folded;
}

class ProgramBuilder {
 public:
  ProgramBuilder(bool ignore_case, std::vector<Regex::Instruction>& program,
                 std::vector<std::uint16_t>& class_ranges)
      : ignore_case_(ignore_case), program_(program), class_ranges_(class_ranges) {}

  void emit(const Node& node) {
    switch (node.kind) {
      case NodeKind::kEmpty:
        return;
      case NodeKind::kCodeUnit: {
        Regex::Instruction& instruction = append(Op::kCodeUnit);
        instruction.code_unit =
            ignore_case_ ? regex_internal::canonicalize(node.code_unit) : node.code_unit;
        return;
      }
      case NodeKind::kAnyButNewline:
        append(Op::kAnyButNewline);
        return;
      case NodeKind::kClass:
        emit_class(node);
        return;
      case NodeKind::kLineStart:
        append(Op::kLineStart);
        return;
      case NodeKind::kLineEnd:
        append(Op::kLineEnd);
        return;
      case NodeKind::kWordBoundary:
        append(Op::kWordBoundary);
        return;
      case NodeKind::kNotWordBoundary:
        append(Op::kNotWordBoundary);
        return;
      case NodeKind::kSequence:
        for (const Node& child : node.children) emit(child);
        return;
      case NodeKind::kAlternation:
        emit_alternation(node);
        return;
      case NodeKind::kRepeat:
        emit_repeat(node);
        return;
    }
  }

  Regex::Instruction& append(Op op) {
    program_.emplace_back();
    program_.back().op = op;
    return program_.back();
  }

 private:
  std::uint32_t here() const { return static_cast<std::uint32_t>(program_.size()); }

  // A repeated class is emitted once per copy; its ranges are stored once.
  void emit_class(const Node& node) {
    auto stored = stored_classes_.find(&node);
    if (stored == stored_classes_.end()) {
      const std::vector<std::uint16_t> ranges = ignore_case_ ? fold_case(node.ranges) : node.ranges;
      const auto offset = static_cast<std::uint32_t>(class_ranges_.size());
      class_ranges_.insert(class_ranges_.end(), ranges.begin(), ranges.end());
      stored =
          stored_classes_
              .emplace(&node, std::make_pair(offset, static_cast<std::uint32_t>(ranges.size() / 2)))
              .first;
    }
    Regex::Instruction& instruction = append(Op::kClass);
    instruction.negated = node.negated;
    instruction.x = stored->second.first;
    instruction.y = stored->second.second;
  }

  // split(first, next); first; jump(end); next: split(second, ...) ... last; end:
  void emit_alternation(const Node& node) {
    std::vector<std::uint32_t> jumps_to_end;
    for (std::size_t i = 0; i + 1 < node.children.size(); ++i) {
      const std::uint32_t split = here();
      append(Op::kSplit).x = split + 1;
      emit(node.children[i]);
      jumps_to_end.push_back(here());
      append(Op::kJump);
      program_[split].y = here();
    }
    emit(node.children.back());
    for (const std::uint32_t jump : jumps_to_end) program_[jump].x = here();
  }

  // x{n,m}: n copies of x, then m-n copies each preceded by a split that may skip to the end.
  // x{n,}: n copies, then loop: split(body, end); body; jump(loop).
  void emit_repeat(const Node& node) {
    const Node& body = node.children.front();
    for (std::uint32_t i = 0; i < node.min; ++i) emit(body);
    if (node.max == kUnbounded) {
      const std::uint32_t loop = here();
      append(Op::kSplit).x = loop + 1;
      emit(body);
      append(Op::kJump).x = loop;
      program_[loop].y = here();
      return;
    }
    std::vector<std::uint32_t> splits;
    for (std::uint32_t i = node.min; i < node.max; ++i) {
      const std::uint32_t split = here();
      splits.push_back(split);
      append(Op::kSplit).x = split + 1;
      emit(body);
    }
    for (const std::uint32_t split : splits) program_[split].y = here();
  }

  const bool ignore_case_;
  std::vector<Regex::Instruction>& program_;
  std::vector<std::uint16_t>& class_ranges_;
  std::map<const Node*, std::pair<std::uint32_t, std::uint32_t>> stored_classes_;
};

std::u16string to_utf16(std::string_view utf8) {
  std::u16string units;
  regex_internal::Utf16Reader reader(utf8);
  std::uint16_t unit = 0;
  while (reader.next(unit)) units.push_back(static_cast<char16_t>(unit));
  return units;
}

}  // namespace

Regex::Regex() = default;
Regex::~Regex() = default;
Regex::Regex(const Regex& other) = default;
Regex::Regex(Regex&& other) noexcept = default;
Regex& Regex::operator=(const Regex& other) = default;
Regex& Regex::operator=(Regex&& other) noexcept = default;

Regex Regex::compile(std::string_view pattern, bool ignore_case, const RegexLimits& limits) {
  const auto too_long = [&limits] {
    return Error(error_code::kLimitExceeded, "",
                 "regular expression is longer than " + std::to_string(limits.max_pattern_length) +
                     " UTF-16 code units");
  };
  // A UTF-16 code unit takes at most three UTF-8 bytes, so longer text is over the limit whatever
  // it holds; checking first avoids decoding megabytes of hostile pattern.
  if (pattern.size() / 3 > limits.max_pattern_length) throw too_long();
  const std::u16string units = to_utf16(pattern);
  if (units.size() > limits.max_pattern_length) throw too_long();
  const Node root = regex_internal::parse_regex(units, kMaxGroupNesting);

  const std::uint64_t cap = std::uint64_t{limits.max_program_size} + 1;
  const std::uint64_t size = program_size(root, cap) + 1;  // + kMatch
  if (size > limits.max_program_size) {
    throw Error(error_code::kLimitExceeded, "",
                "regular expression compiles to more than " +
                    std::to_string(limits.max_program_size) +
                    " NFA instructions (counted repetitions like x{100} are expanded)");
  }

  Regex regex;
  regex.pattern_ = std::string(pattern);
  regex.ignore_case_ = ignore_case;
  regex.anchored_at_start_ = anchored_at_start(root);
  regex.program_.reserve(size);
  ProgramBuilder builder(ignore_case, regex.program_, regex.class_ranges_);
  builder.emit(root);
  builder.append(Op::kMatch);
  // Two sparse sets (dense + sparse arrays each) and the epsilon-closure stack.
  regex.scratch_.assign(5 * regex.program_.size(), 0);
  return regex;
}

STAGELINE_COLD_CODE_END

}  // namespace stageline
