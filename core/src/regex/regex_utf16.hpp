#pragma once
// Reads UTF-8 text as the UTF-16 code units a JavaScript string of the same text would hold.

#include <cstdint>
#include <string_view>

namespace stageline::regex_internal {

// Decodes on the fly without allocating. Ill-formed input follows the WHATWG Encoding Standard
// (what TextDecoder does): each maximal ill-formed subsequence becomes one U+FFFD.
class Utf16Reader {
 public:
  explicit Utf16Reader(std::string_view utf8)
      : next_(reinterpret_cast<const unsigned char*>(utf8.data())), end_(next_ + utf8.size()) {}

  /// Stores the next code unit and returns true, or returns false at the end of the text.
  bool next(std::uint16_t& unit) {
    if (pending_low_surrogate_ != 0) {
      unit = pending_low_surrogate_;
      pending_low_surrogate_ = 0;
      return true;
    }
    if (next_ == end_) return false;
    const std::uint32_t code_point = decode_code_point();
    if (code_point < 0x10000) {
      unit = static_cast<std::uint16_t>(code_point);
    } else {
      unit = static_cast<std::uint16_t>(0xd800 + ((code_point - 0x10000) >> 10));
      pending_low_surrogate_ =
          static_cast<std::uint16_t>(0xdc00 + ((code_point - 0x10000) & 0x3ff));
    }
    return true;
  }

 private:
  static constexpr std::uint32_t kReplacement = 0xfffd;

  std::uint32_t decode_code_point() {
    const unsigned lead = *next_++;
    if (lead < 0x80) return lead;
    std::uint32_t code_point = 0;
    int continuation_bytes = 0;
    unsigned lower = 0x80;
    unsigned upper = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      continuation_bytes = 1;
      code_point = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      continuation_bytes = 2;
      code_point = lead & 0x0f;
      if (lead == 0xe0) lower = 0xa0;  // overlong
      if (lead == 0xed) upper = 0x9f;  // surrogate code points
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      continuation_bytes = 3;
      code_point = lead & 0x07;
      if (lead == 0xf0) lower = 0x90;  // overlong
      if (lead == 0xf4) upper = 0x8f;  // beyond U+10FFFF
    } else {
      return kReplacement;
    }
    for (int i = 0; i < continuation_bytes; ++i) {
      if (next_ == end_ || *next_ < lower || *next_ > upper) return kReplacement;  // not consumed
      code_point = (code_point << 6) | (*next_++ & 0x3f);
      lower = 0x80;
      upper = 0xbf;
    }
    return code_point;
  }

  const unsigned char* next_;
  const unsigned char* end_;
  std::uint16_t pending_low_surrogate_ = 0;
};

}  // namespace stageline::regex_internal
