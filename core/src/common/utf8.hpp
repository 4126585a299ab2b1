#pragma once
// Well-formed UTF-8 as RFC 3629 defines it (no overlong forms, no encoded surrogates, nothing above
// U+10FFFF), which JSON text must be: shared by the JSON reader (json_parse.cpp) and the fast
// NDJSON row reader (ndjson_row.cpp), so the two accept exactly the same strings.

#include <cstddef>

namespace stageline::utf8 {

/// The length (2-4) of the well-formed multi-byte sequence whose lead byte (>= 0x80) is at `p`,
/// or 0 when it is not one; never reads at or beyond `end`.
inline std::size_t sequence_length(const char* p, const char* end) noexcept {
  const auto byte = [p](std::size_t k) { return static_cast<unsigned char>(p[k]); };
  const unsigned char lead = byte(0);
  std::size_t continuation = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the first continuation byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation = 1;
  } else if (lead == 0xE0) {
    continuation = 2, low = 0xA0;
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    continuation = 2;
  } else if (lead == 0xED) {
    continuation = 2, high = 0x9F;
  } else if (lead == 0xF0) {
    continuation = 3, low = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    continuation = 3;
  } else if (lead == 0xF4) {
    continuation = 3, high = 0x8F;
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) <= continuation || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k <= continuation; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  }
  return continuation + 1;
}

}  // namespace stageline::utf8
