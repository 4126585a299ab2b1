// GrowthBook's getQueryStringOverride, reproducing its string handling step by step:
//
//   const search = url.split("?")[1];                  // between the first and second '?'
//   search.replace(/#.*/, "")                          // '.' stops at a line terminator
//     .split("&").map((kv) => kv.split("=", 2))        // a value ends at a second '='
//     .filter(([k]) => k === id).map(([, v]) => parseInt(v));
//   match[0] >= 0 && match[0] < numVariations ? match[0] : null
//
// The text after the anchor's removal is a head and a tail of `search`, walked in place.

#include <cstdint>
#include <optional>
#include <string_view>

#include "js/js_text.hpp"
#include "stageline/bucketing/bucketing.hpp"

namespace stageline {
namespace {

// Two adjacent pieces read as one text. The join always falls between whole characters (before
// the '#' that was removed, at a line terminator), so code points are decoded within one piece.
class JoinedText {
 public:
  JoinedText(std::string_view head, std::string_view tail) : head_(head), tail_(tail) {}

  std::size_t size() const { return head_.size() + tail_.size(); }
  char operator[](std::size_t i) const {
    return i < head_.size() ? head_[i] : tail_[i - head_.size()];
  }

  /// The characters [begin, end) as a JoinedText.
  JoinedText slice(std::size_t begin, std::size_t end) const {
    const auto piece = [begin, end](std::string_view text, std::size_t offset) {
      const std::size_t from = begin < offset ? 0 : begin - offset;
      const std::size_t to = end < offset ? 0 : end - offset;
      return from >= to || from >= text.size() ? std::string_view() : text.substr(from, to - from);
    };
    return {piece(head_, 0), piece(tail_, head_.size())};
  }

  /// Position of the first `c` in [from, end), or `end`.
  std::size_t find(char c, std::size_t from, std::size_t end) const {
    while (from < end && (*this)[from] != c) ++from;
    return from;
  }

  /// Decodes the code point at `i` and advances `i` past it.
  char32_t decode(std::size_t& i) const {
    if (i < head_.size()) return js::decode_utf8(head_, i);
    std::size_t in_tail = i - head_.size();
    const char32_t code_point = js::decode_utf8(tail_, in_tail);
    i = head_.size() + in_tail;
    return code_point;
  }

  bool equals(std::string_view other) const {
    if (other.size() != size()) return false;
    return head_ == other.substr(0, head_.size()) && tail_ == other.substr(head_.size());
  }

 private:
  std::string_view head_;
  std::string_view tail_;
};


int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// parseInt(text) without a radix, reduced to what the override needs: nullopt for NaN, otherwise
// whether the result is negative (and non-zero) and its magnitude, saturated far above any
// variation count.
struct ParsedInt {
  bool negative = false;
  std::uint64_t magnitude = 0;
};

std::optional<ParsedInt> js_parse_int(const JoinedText& text) {
  constexpr std::uint64_t kSaturated = std::uint64_t{1} << 40;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t next = i;
    if (!js::is_space(text.decode(next))) break;
    i = next;
  }
  ParsedInt result;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    result.negative = text[i] == '-';
    ++i;
  }
  int radix = 10;
  if (i + 1 < text.size() && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
    radix = 16;
    i += 2;
  }
  const std::size_t digits_start = i;
  for (; i < text.size() && digit_value(text[i]) < radix; ++i) {
    result.magnitude = result.magnitude * radix + digit_value(text[i]);
    if (result.magnitude > kSaturated) result.magnitude = kSaturated;
  }
  if (i == digits_start) return std::nullopt;
  return result;
}

// Where the line terminator ending `/#.*/`'s match starts, searching from `from`: LF, CR, or
// U+2028/U+2029 (E2 80 A8/A9).
std::size_t find_line_terminator(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') return i;
    if (text.substr(i, 3) == "\xE2\x80\xA8" || text.substr(i, 3) == "\xE2\x80\xA9") return i;
  }
  return text.size();
}

}  // namespace

std::optional<int> get_query_string_override(std::string_view id, std::string_view url,
                                             int num_variations) noexcept {
  const std::size_t question = url.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view search = url.substr(question + 1);
  search = search.substr(0, search.find('?'));
  if (search.empty()) return std::nullopt;

  const std::size_t anchor = search.find('#');
  const JoinedText query = anchor == std::string_view::npos
                               ? JoinedText(search, {})
                               : JoinedText(search.substr(0, anchor),
                                            search.substr(find_line_terminator(search, anchor)));

  for (std::size_t pair_start = 0; pair_start <= query.size();) {
    const std::size_t pair_end = query.find('&', pair_start, query.size());
    const std::size_t key_end = query.find('=', pair_start, pair_end);
    if (query.slice(pair_start, key_end).equals(id)) {
      if (key_end == pair_end) return std::nullopt;  // no '=': parseInt(undefined) is NaN
      const auto parsed =
          js_parse_int(query.slice(key_end + 1, query.find('=', key_end + 1, pair_end)));
      if (!parsed || (parsed->negative && parsed->magnitude != 0)) return std::nullopt;
      if (parsed->magnitude >=
          static_cast<std::uint64_t>(num_variations < 0 ? 0 : num_variations)) {
        return std::nullopt;
      }
      return static_cast<int>(parsed->magnitude);  // -0 is 0
    }
    pair_start = pair_end + 1;
  }
  return std::nullopt;
}

}  // namespace stageline
