// Text in JavaScript's terms: UTF-16 ordering, toLowerCase, and the sinks that consume text.

#include "js/js_text.hpp"

#include <algorithm>
#include <cstring>

#include "common/utf8.hpp"

namespace stageline::js {
namespace {

bool is_lead_byte(unsigned char byte) noexcept { return (byte & 0xC0) != 0x80; }

// Orders two bytes found at the same position after an equal prefix (so both start a character or
// both continue one). UTF-8 byte order is code-point order, which differs from UTF-16 code-unit
// order only between supplementary characters (surrogate pairs, D800-DFFF) and U+E000-U+FFFF.
int order_first_difference(unsigned char a, unsigned char b) noexcept {
  if (is_lead_byte(a) && is_lead_byte(b)) {
    const bool a_supplementary = a >= 0xF0;
    const bool b_supplementary = b >= 0xF0;
    const bool a_high_bmp = a == 0xEE || a == 0xEF;
    const bool b_high_bmp = b == 0xEE || b == 0xEF;
    if (a_supplementary && b_high_bmp) return -1;
    if (b_supplementary && a_high_bmp) return 1;
  }
  return a < b ? -1 : 1;
}

// Simple (one-to-one) lowercase mappings of the scripts we cover.
char32_t lower_code_point(char32_t cp) noexcept {
  const auto pair_even = [cp](char32_t first, char32_t last) {  // upper at even offsets
    return cp >= first && cp <= last && (cp - first) % 2 == 0;
  };
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (pair_even(0x100, 0x12F) || pair_even(0x132, 0x137) || pair_even(0x139, 0x148) ||
      pair_even(0x14A, 0x177) || pair_even(0x179, 0x17E)) {
    return cp + 1;
  }
  if (cp == 0x178) return 0xFF;
  if (cp == 0x1C4 || cp == 0x1C7 || cp == 0x1CA || cp == 0x1F1) return cp + 2;
  if (cp == 0x1C5 || cp == 0x1C8 || cp == 0x1CB || cp == 0x1F2) return cp + 1;
  if (pair_even(0x1CD, 0x1DC) || pair_even(0x1DE, 0x1EF) || pair_even(0x1F8, 0x21F) ||
      pair_even(0x222, 0x233)) {
    return cp + 1;
  }
  if (cp == 0x386) return 0x3AC;
  if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
  if (cp == 0x38C) return 0x3CC;
  if (cp == 0x38E || cp == 0x38F) return cp + 63;
  if ((cp >= 0x391 && cp <= 0x3A1) || (cp >= 0x3A3 && cp <= 0x3AB)) return cp + 32;
  if (pair_even(0x3D8, 0x3EF)) return cp + 1;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  if (pair_even(0x460, 0x481) || pair_even(0x48A, 0x4BF)) return cp + 1;
  if (cp == 0x4C0) return 0x4CF;
  if (cp >= 0x4C1 && cp <= 0x4CE && (cp - 0x4C1) % 2 == 0) return cp + 1;
  if (pair_even(0x4D0, 0x52F)) return cp + 1;
  if (cp >= 0x531 && cp <= 0x556) return cp + 48;
  if ((cp >= 0x10A0 && cp <= 0x10C5) || cp == 0x10C7 || cp == 0x10CD) return cp + 7264;
  if (pair_even(0x1E00, 0x1E95) || pair_even(0x1EA0, 0x1EFF)) return cp + 1;
  if (cp == 0x1E9E) return 0xDF;
  if (cp == 0x2126) return 0x3C9;
  if (cp == 0x212A) return 'k';
  if (cp == 0x212B) return 0xE5;
  if (cp >= 0x2160 && cp <= 0x216F) return cp + 16;
  if (cp >= 0x24B6 && cp <= 0x24CF) return cp + 26;
  if (cp >= 0x2C00 && cp <= 0x2C2F) return cp + 48;
  if (cp >= 0xFF21 && cp <= 0xFF3A) return cp + 32;
  if (cp >= 0x10400 && cp <= 0x10427) return cp + 40;
  return cp;
}

}  // namespace

char32_t decode_utf8(std::string_view text, std::size_t& i) noexcept {
  const auto byte = [&text](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(i);
  std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if (is_lead_byte(byte(i + k))) {
      i += k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return cp;
}

std::size_t encode_utf8(char32_t cp, char* out) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

int compare_utf16(std::string_view a, std::string_view b) noexcept {
  const std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (a[i] != b[i]) {
      return order_first_difference(static_cast<unsigned char>(a[i]),
                                    static_cast<unsigned char>(b[i]));
    }
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

std::string to_lower(std::string_view text) {
  std::string out;
  StringSink collect(out);
  LowercaseSink lower(collect);
  lower.append(text);
  return out;
}

bool StringSink::append(std::string_view piece) {
  out_.append(piece);
  return true;
}

bool EqualsSink::append(std::string_view piece) {
  if (mismatch_) return false;
  if (piece.size() > expected_.size() - offset_ ||
      std::memcmp(piece.data(), expected_.data() + offset_, piece.size()) != 0) {
    mismatch_ = true;
    return false;
  }
  offset_ += piece.size();
  return true;
}

bool CompareSink::append(std::string_view piece) {
  if (decided_ != 0) return false;
  const std::string_view rest = expected_.substr(offset_);
  const std::size_t common = std::min(piece.size(), rest.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (piece[i] != rest[i]) {
      decided_ = order_first_difference(static_cast<unsigned char>(piece[i]),
                                        static_cast<unsigned char>(rest[i]));
      return false;
    }
  }
  if (piece.size() > rest.size()) {
    decided_ = 1;  // the text continues past the end of `expected`
    return false;
  }
  offset_ += piece.size();
  return true;
}

int CompareSink::result() const {
  if (decided_ != 0) return decided_;
  return offset_ < expected_.size() ? -1 : 0;
}

bool BufferSink::append(std::string_view piece) {
  if (piece.size() > capacity_ - size_) {
    overflowed_ = true;
    return false;
  }
  std::memcpy(data_ + size_, piece.data(), piece.size());
  size_ += piece.size();
  return true;
}

bool LowercaseSink::append(std::string_view piece) {
  char chunk[64];
  std::size_t size = 0;
  for (std::size_t i = 0; i < piece.size();) {
    const char32_t cp = decode_utf8(piece, i);
    if (size + 8 > sizeof chunk) {
      if (!next_.append({chunk, size})) return false;
      size = 0;
    }
    if (cp == 0x130) {  // İ lowers to i + combining dot above (SpecialCasing.txt)
      size += encode_utf8('i', chunk + size);
      size += encode_utf8(0x307, chunk + size);
    } else {
      size += encode_utf8(lower_code_point(cp), chunk + size);
    }
  }
  return size == 0 || next_.append({chunk, size});
}

bool emit_quoted(std::string_view text, TextSink& sink) {
  if (!sink.append("\"")) return false;
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    std::size_t length = 1;
    char escape[7] = {'\\', 'u', '0', '0', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15],
                      0};
    std::string_view replacement(escape, 6);
    if (c >= 0x80) {
      length = utf8::sequence_length(text.data() + i, text.data() + text.size());
      if (length != 0) {
        i += length - 1;
        continue;
      }
      length = 1;
      replacement = "\xEF\xBF\xBD";  // U+FFFD
    }
    if (!sink.append(text.substr(run, i - run))) return false;
    switch (c) {
      case '"':
        replacement = "\\\"";
        break;
      case '\\':
        replacement = "\\\\";
        break;
      case '\b':
        replacement = "\\b";
        break;
      case '\f':
        replacement = "\\f";
        break;
      case '\n':
        replacement = "\\n";
        break;
      case '\r':
        replacement = "\\r";
        break;
      case '\t':
        replacement = "\\t";
        break;
      default:
        break;
    }
    if (!sink.append(replacement)) return false;
    run = i + length;
  }
  return sink.append(text.substr(run)) && sink.append("\"");
}

}  // namespace stageline::js
