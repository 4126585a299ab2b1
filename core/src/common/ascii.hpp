#pragma once
// ASCII character classes the core's text readers share (JSON, NDJSON rows, JavaScript number
// text, regex escapes, URL percent-escapes). Any code unit type: char (signed or not), char16_t.

namespace stageline::ascii {

constexpr bool is_digit(char32_t c) noexcept { return c >= U'0' && c <= U'9'; }

/// 0-15 for a hex digit (either case), -1 otherwise.
constexpr int hex_digit_value(char32_t c) noexcept {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'a' && c <= U'f') return static_cast<int>(c - U'a' + 10);
  if (c >= U'A' && c <= U'F') return static_cast<int>(c - U'A' + 10);
  return -1;
}

}  // namespace stageline::ascii
