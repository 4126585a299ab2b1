// parse_json: a strict RFC 8259 reader that builds the same tree nlohmann's parser would (same
// number kinds, same handling of duplicate members, a leading UTF-8 byte-order mark skipped), with
// the depth limit checked as it descends and errors that say where and what was expected.
//
// Why not nlohmann's own parser: it is the largest template in the WebAssembly module (its parser,
// lexer and callback machinery are ~30 KB of code, docs/size.md) for text that is read once per
// config; this reader is a few KB. tests/core/json/json_test.cpp and tests/fuzz/json_fuzz.cpp check it
// against nlohmann's parser, value for value.

#include "stageline/json/json.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "common/ascii.hpp"
#include "common/utf8.hpp"
#include "js/decimal_to_double.hpp"
#include "js/js_text.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {
namespace {

// Line and column (1-based, columns in characters) of a byte offset, for errors people can find in
// an editor.
std::string describe_position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // UTF-8 continuation bytes belong to the character before
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// What stands at `offset`, quoted, for "expected X, got Y".
std::string describe_byte(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return "the end of the text";
  const auto byte = static_cast<unsigned char>(text[offset]);
  if (byte < 0x20 || byte >= 0x7F) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
  }
  if (byte == '"') return "'\"'";
  return std::string("\"") + static_cast<char>(byte) + "\"";
}

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Json document() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;  // as nlohmann (and JSON.parse of a file) do
    Json root = value(0);
    skip_whitespace();
    if (at_ < text_.size()) fail_expected("the end of the text after the value");
    return root;
  }

 private:
  // Recursion depth is bounded by limits_.max_depth (checked before descending).
  Json value(std::size_t depth) {
    skip_whitespace();
    if (at_ >= text_.size()) fail_expected("a value (object, array, string, number, true, false or null)");
    switch (text_[at_]) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return Json(string());
      case 't': return literal("true", Json(true));
      case 'f': return literal("false", Json(false));
      case 'n': return literal("null", Json(nullptr));
      default:
        if (text_[at_] == '-' || ascii::is_digit(text_[at_])) return number();
        fail_expected("a value (object, array, string, number, true, false or null)");
    }
  }

  void enter(std::size_t depth) {
    if (depth >= limits_.max_depth) {
      throw Error(error_code::kLimitExceeded, "",
                  "JSON nesting deeper than " + std::to_string(limits_.max_depth) + " levels at " +
                      describe_position(text_, at_));
    }
    ++at_;
  }

  Json object(std::size_t depth) {
    enter(depth);
    Json result = Json::object();
    skip_whitespace();
    if (consume('}')) return result;
    for (;;) {
      skip_whitespace();
      if (at_ >= text_.size() || text_[at_] != '"') fail_expected("a member name in double quotes");
      std::string key = string();
      skip_whitespace();
      if (!consume(':')) fail_expected("\":\" after the member name");
      // operator[]: a repeated name keeps its first place and takes the last value, as in
      // nlohmann's parser and JSON.parse.
      result[std::move(key)] = value(depth + 1);
      skip_whitespace();
      if (consume('}')) return result;
      if (!consume(',')) fail_expected("\",\" or \"}\"");
    }
  }

  Json array(std::size_t depth) {
    enter(depth);
    Json result = Json::array();
    auto& items = result.get_ref<Json::array_t&>();
    skip_whitespace();
    if (consume(']')) return result;
    for (;;) {
      items.push_back(value(depth + 1));
      skip_whitespace();
      if (consume(']')) return result;
      if (!consume(',')) fail_expected("\",\" or \"]\"");
    }
  }

  Json literal(std::string_view word, Json result) {
    if (text_.substr(at_, word.size()) != word) {
      fail_expected("a value (object, array, string, number, true, false or null)");
    }
    at_ += word.size();
    return result;
  }

  // At the opening quote; returns the decoded text and leaves at_ after the closing quote.
  std::string string() {
    const std::size_t start = at_++;
    std::string out;
    for (;;) {
      // Copy the run up to the next quote, escape or byte that needs checking in one piece.
      std::size_t run = at_;
      while (run < text_.size()) {
        const auto byte = static_cast<unsigned char>(text_[run]);
        if (byte == '"' || byte == '\\' || byte < 0x20 || byte >= 0x80) break;
        ++run;
      }
      out.append(text_, at_, run - at_);
      at_ = run;
      if (at_ >= text_.size()) fail_at(start, "a string that is never closed: expected a closing quote before the end of the text");
      const auto byte = static_cast<unsigned char>(text_[at_]);
      if (byte == '"') {
        ++at_;
        return out;
      }
      if (byte == '\\') {
        escape(out);
      } else if (byte < 0x20) {
        fail_expected("a closing quote (control characters must be escaped, e.g. \\n)");
      } else {
        const std::size_t length = utf8::sequence_length(text_.data() + at_, text_.data() + text_.size());
        if (length == 0) fail_expected("valid UTF-8 in the string");
        out.append(text_, at_, length);
        at_ += length;
      }
    }
  }

  void escape(std::string& out) {
    const std::size_t start = at_;
    const char kind = at_ + 1 < text_.size() ? text_[at_ + 1] : '\0';
    at_ += 2;
    switch (kind) {
      case '"': out += '"'; return;
      case '\\': out += '\\'; return;
      case '/': out += '/'; return;
      case 'b': out += '\b'; return;
      case 'f': out += '\f'; return;
      case 'n': out += '\n'; return;
      case 'r': out += '\r'; return;
      case 't': out += '\t'; return;
      case 'u': break;
      default:
        at_ = start + 1;
        fail_expected("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits)");
    }
    std::uint32_t code_point = hex4(start);
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      fail_at(start, "a lone low surrogate \\u" + std::string(text_.substr(start + 2, 4)) +
                         ": \\uDC00-\\uDFFF must follow a \\uD800-\\uDBFF escape");
    }
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (text_.substr(at_, 2) != "\\u") {
        fail_at(start, "expected a \\uDC00-\\uDFFF escape after the high surrogate \\u" +
                           std::string(text_.substr(start + 2, 4)));
      }
      const std::size_t low_start = at_;
      at_ += 2;
      const std::uint32_t low = hex4(low_start);
      if (low < 0xDC00 || low > 0xDFFF) {
        fail_at(low_start, "expected a \\uDC00-\\uDFFF escape after the high surrogate \\u" +
                               std::string(text_.substr(start + 2, 4)));
      }
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    }
    char encoded[4];
    out.append(encoded, js::encode_utf8(code_point, encoded));
  }

  // The four hex digits after "\u" (at_ is just past the 'u'); `escape_start` is the backslash.
  std::uint32_t hex4(std::size_t escape_start) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = at_ < text_.size() ? ascii::hex_digit_value(text_[at_]) : -1;
      if (digit < 0) fail_at(escape_start, "expected \\u and four hex digits");
      value = value * 16 + static_cast<std::uint32_t>(digit);
      ++at_;
    }
    return value;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as nlohmann reads it: an integer that fits is an
  // unsigned (no sign) or signed (with '-') integer, anything else a double.
  Json number() {
    const std::size_t start = at_;
    const bool negative = consume('-');
    if (at_ >= text_.size() || !ascii::is_digit(text_[at_])) fail_expected("a digit");
    if (!consume('0')) {
      while (at_ < text_.size() && ascii::is_digit(text_[at_])) ++at_;
    }
    bool integer = true;
    if (consume('.')) {
      integer = false;
      if (at_ >= text_.size() || !ascii::is_digit(text_[at_])) fail_expected("a digit after the decimal point");
      while (at_ < text_.size() && ascii::is_digit(text_[at_])) ++at_;
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      integer = false;
      ++at_;
      if (!consume('+')) consume('-');
      if (at_ >= text_.size() || !ascii::is_digit(text_[at_])) fail_expected("a digit in the exponent");
      while (at_ < text_.size() && ascii::is_digit(text_[at_])) ++at_;
    }
    const std::string_view token = text_.substr(start, at_ - start);
    if (integer) {
      std::uint64_t magnitude = 0;
      bool fits = true;
      for (const char c : token.substr(negative ? 1 : 0)) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) {
          fits = false;
          break;
        }
        magnitude = magnitude * 10 + digit;
      }
      if (fits && !negative) return Json(magnitude);
      if (fits && magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
        return Json(magnitude == static_cast<std::uint64_t>(INT64_MAX) + 1
                        ? INT64_MIN
                        : -static_cast<std::int64_t>(magnitude));
      }
    }
    const double value = number::decimal_to_double(token);
    if (!std::isfinite(value)) {
      fail_at(start, "number overflow parsing '" + std::string(token) +
                         "' (beyond the range of a double, ±1.8e308)");
    }
    return Json(value);
  }

  void skip_whitespace() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
      ++at_;
    }
  }

  bool consume(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  [[noreturn]] void fail_expected(const std::string& expected) const {
    fail_at(at_, "expected " + expected + ", got " + describe_byte(text_, at_));
  }

  [[noreturn]] void fail_at(std::size_t offset, const std::string& reason) const {
    throw Error(error_code::kInvalidJson, "", "invalid JSON at " + describe_position(text_, offset) + ": " + reason);
  }

  std::string_view text_;
  const JsonLimits& limits_;
  std::size_t at_ = 0;
};

}  // namespace

Json parse_json(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    throw Error(error_code::kLimitExceeded, "",
                "JSON text of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                    std::to_string(limits.max_bytes) + " bytes");
  }
  return Parser(text, limits).document();
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
