// Regex::search: breadth-first simulation of the NFA (Thompson / Pike VM without captures). The
// set of live program counters advances one UTF-16 code unit at a time; each counter enters a set
// at most once per position, so the work is O(program size) per code unit, and the only memory
// used is the scratch space allocated by compile().

#include <cstdint>
#include <utility>

#include "regex/regex_case_table.hpp"
#include "regex/regex_program.hpp"
#include "regex/regex_utf16.hpp"
#include "stageline/regex/regex.hpp"

namespace stageline {
namespace {

using regex_internal::Op;

constexpr std::int32_t kNoCodeUnit = -1;  // before the start or after the end of the text

// A set of program counters with O(1) insert, membership and clear (Briggs & Torczon), over two
// caller-provided arrays of program-size length. Neither array needs initializing.
class ThreadSet {
 public:
  ThreadSet(std::uint32_t* dense, std::uint32_t* sparse) : dense_(dense), sparse_(sparse) {}

  bool contains(std::uint32_t pc) const {
    const std::uint32_t slot = sparse_[pc];
    return slot < size_ && dense_[slot] == pc;
  }
  void insert(std::uint32_t pc) {
    sparse_[pc] = size_;
    dense_[size_++] = pc;
  }
  void clear() { size_ = 0; }
  std::uint32_t size() const { return size_; }
  std::uint32_t operator[](std::uint32_t slot) const { return dense_[slot]; }

 private:
  std::uint32_t* dense_;
  std::uint32_t* sparse_;
  std::uint32_t size_ = 0;
};

bool is_word_character(std::int32_t unit) {
  return (unit >= 'a' && unit <= 'z') || (unit >= 'A' && unit <= 'Z') ||
         (unit >= '0' && unit <= '9') || unit == '_';
}

bool is_line_terminator(std::uint16_t unit) {
  return unit == 0x0a || unit == 0x0d || unit == 0x2028 || unit == 0x2029;
}

bool in_ranges(const std::uint16_t* ranges, std::uint32_t count, std::uint16_t unit) {
  std::uint32_t low = 0;
  std::uint32_t high = count;
  while (low < high) {  // first range whose last code unit is >= unit
    const std::uint32_t mid = low + (high - low) / 2;
    if (ranges[2 * mid + 1] < unit) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low < count && ranges[2 * low] <= unit;
}

class Simulation {
 public:
  Simulation(const Regex::Instruction* program, std::uint32_t* closure_stack)
      : program_(program), stack_(closure_stack) {}

  // Adds `start` and everything reachable from it without consuming input to `threads`, at the
  // position between code units `before` and `after`. Returns true when that reaches kMatch.
  bool add_closure(ThreadSet& threads, std::uint32_t start, std::int32_t before,
                   std::int32_t after) {
    if (threads.contains(start)) return false;
    threads.insert(start);
    std::uint32_t depth = 0;
    stack_[depth++] = start;
    while (depth > 0) {
      const std::uint32_t pc = stack_[--depth];
      const Regex::Instruction& instruction = program_[pc];
      switch (instruction.op) {
        case Op::kMatch:
          return true;
        case Op::kJump:
          push(threads, instruction.x, depth);
          break;
        case Op::kSplit:
          push(threads, instruction.y, depth);
          push(threads, instruction.x, depth);
          break;
        case Op::kLineStart:
          if (before == kNoCodeUnit) push(threads, pc + 1, depth);
          break;
        case Op::kLineEnd:
          if (after == kNoCodeUnit) push(threads, pc + 1, depth);
          break;
        case Op::kWordBoundary:
        case Op::kNotWordBoundary: {
          const bool boundary = is_word_character(before) != is_word_character(after);
          if (boundary == (instruction.op == Op::kWordBoundary)) push(threads, pc + 1, depth);
          break;
        }
        default:  // consuming instructions wait in the set for the next code unit
          break;
      }
    }
    return false;
  }

 private:
  // Each counter is pushed only when first inserted, so the stack never exceeds program size.
  void push(ThreadSet& threads, std::uint32_t pc, std::uint32_t& depth) {
    if (threads.contains(pc)) return;
    threads.insert(pc);
    stack_[depth++] = pc;
  }

  const Regex::Instruction* program_;
  std::uint32_t* stack_;
};

}  // namespace

bool Regex::search(std::string_view utf8_text) const {
  const auto size = static_cast<std::uint32_t>(program_.size());
  std::uint32_t* scratch = scratch_.data();
  ThreadSet current(scratch, scratch + size);
  ThreadSet next(scratch + 2 * size, scratch + 3 * size);
  Simulation simulation(program_.data(), scratch + 4 * size);
  const std::uint16_t* ranges = class_ranges_.data();

  regex_internal::Utf16Reader reader(utf8_text);
  std::uint16_t unit = 0;
  std::int32_t before = kNoCodeUnit;
  std::int32_t after = reader.next(unit) ? unit : kNoCodeUnit;
  bool at_start = true;
  while (true) {
    // A new attempt starts at every position (at position 0 only, when anchored by `^`).
    if ((at_start || !anchored_at_start_) && simulation.add_closure(current, 0, before, after)) {
      return true;
    }
    if (after == kNoCodeUnit || (current.size() == 0 && anchored_at_start_)) return false;
    const auto consumed = static_cast<std::uint16_t>(after);
    const std::uint16_t compared = ignore_case_ ? regex_internal::canonicalize(consumed) : consumed;
    before = after;
    after = reader.next(unit) ? unit : kNoCodeUnit;
    next.clear();
    for (std::uint32_t slot = 0; slot < current.size(); ++slot) {
      const std::uint32_t pc = current[slot];
      const Instruction& instruction = program_[pc];
      bool advances = false;
      switch (instruction.op) {
        case regex_internal::Op::kCodeUnit:
          advances = instruction.code_unit == compared;
          break;
        case regex_internal::Op::kAnyButNewline:
          advances = !is_line_terminator(consumed);
          break;
        case regex_internal::Op::kClass:
          advances =
              in_ranges(ranges + instruction.x, instruction.y, compared) != instruction.negated;
          break;
        default:
          break;
      }
      if (advances && simulation.add_closure(next, pc + 1, before, after)) return true;
    }
    std::swap(current, next);
    at_start = false;
  }
}

}  // namespace stageline
