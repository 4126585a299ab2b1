// GrowthBook's paddedVersionString, produced piecewise so that comparing versions allocates
// nothing.

#include "conditions/condition_nodes.hpp"
#include "values/js_semantics.hpp"

namespace stageline::condition_detail {
namespace {

bool is_line_terminator_at(std::string_view text, std::size_t i) {
  if (text[i] == '\n' || text[i] == '\r') return true;
  // U+2028 / U+2029 (E2 80 A8 / E2 80 A9): `.` does not match them either.
  return text.compare(i, 3, "\xE2\x80\xA8") == 0 || text.compare(i, 3, "\xE2\x80\xA9") == 0;
}

// input.replace(/(^v|\+.*$)/g, ""): a leading "v", and everything from the first "+" that has no
// line terminator after it.
std::string_view strip_prefix_and_build(std::string_view text) {
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  std::size_t cut = text.size();
  for (std::size_t i = text.size(); i-- > 0;) {
    if (is_line_terminator_at(text, i)) break;
    if (text[i] == '+') cut = i;
  }
  return text.substr(0, cut);
}

bool all_digits(std::string_view part) {
  if (part.empty()) return false;
  for (char c : part) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void emit_padded_text(std::string_view input, js::TextSink& sink) {
  const std::string_view text = strip_prefix_and_build(input);
  std::size_t parts = 1;
  for (char c : text) parts += (c == '-' || c == '.') ? 1 : 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '-' && text[i] != '.') continue;
    const std::string_view part = text.substr(start, i - start);
    if (start > 0 && !sink.append("-")) return;
    // padStart(5, " ") for numeric parts, so that " 9" < "10" as strings.
    if (all_digits(part) && part.size() < 5 &&
        !sink.append(std::string_view("     ", 5 - part.size())))
      return;
    if (!sink.append(part)) return;
    start = i + 1;
  }
  // Plain "x.y.z" gets a "~" part, which sorts after every pre-release tag.
  if (parts == 3) sink.append("-~");
}

}  // namespace

void emit_padded_version(ValueRef value, js::TextSink& sink) {
  if (value.kind() == ValueKind::kNumber) {
    char text[js::kNumberTextCapacity];
    emit_padded_text({text, js::number_to_string(value.as_number(), text)}, sink);
    return;
  }
  if (value.kind() != ValueKind::kString || value.as_string().empty()) {
    emit_padded_text("0", sink);
    return;
  }
  emit_padded_text(value.as_string(), sink);
}

}  // namespace stageline::condition_detail
