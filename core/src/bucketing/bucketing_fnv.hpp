#pragma once
// FNV-1a over the UTF-16 code units of a JavaScript string, which is what GrowthBook's hashFnv32a
// computes: its `hval += (hval << 1) + (hval << 4) + ...` is a multiplication by the 32-bit FNV
// prime 16777619 (1 + 2 + 16 + 128 + 256 + 2^24) carried out in exact doubles and reduced modulo
// 2^32 by the next `^=` and the final `>>> 0`.

#include <cstdint>
#include <string_view>

#include "js/js_text.hpp"

namespace stageline::bucketing_internal {

class Fnv1a32 {
 public:
  /// Feeds `utf8` as the UTF-16 code units JavaScript would hold for it, decoding on the fly
  /// (astral characters are two units; ill-formed bytes are U+FFFD, as everywhere in the core).
  void add_utf8(std::string_view utf8) noexcept {
    std::size_t i = 0;
    while (i < utf8.size()) {
      const unsigned char byte = static_cast<unsigned char>(utf8[i]);
      if (byte < 0x80) {  // the common case, without the decoder
        add_unit(byte);
        ++i;
        continue;
      }
      char32_t code_point = js::decode_utf8(utf8, i);
      if (code_point > 0x10FFFF) code_point = 0xFFFD;
      if (code_point < 0x10000) {
        add_unit(static_cast<std::uint16_t>(code_point));
      } else {
        add_unit(static_cast<std::uint16_t>(0xD800 + ((code_point - 0x10000) >> 10)));
        add_unit(static_cast<std::uint16_t>(0xDC00 + ((code_point - 0x10000) & 0x3FF)));
      }
    }
  }

  void add_unit(std::uint16_t unit) noexcept { state_ = (state_ ^ unit) * kPrime; }

  std::uint32_t value() const noexcept { return state_; }

 private:
  static constexpr std::uint32_t kOffsetBasis = 0x811C9DC5;
  static constexpr std::uint32_t kPrime = 16777619;
  std::uint32_t state_ = kOffsetBasis;
};

}  // namespace stageline::bucketing_internal
