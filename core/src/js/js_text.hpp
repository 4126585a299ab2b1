#pragma once
// JavaScript's number and text semantics that need no values: Number::toString and
// StringToNumber, UTF-16 code-unit ordering of UTF-8 text, toLowerCase, JSON string quoting, and
// the sinks text is produced into piecewise without allocating.

#include <cstddef>
#include <string>
#include <string_view>

namespace stageline::js {

/// ECMAScript's StrWhiteSpaceChar (WhiteSpace, every Zs character, LineTerminator): what
/// Number(), parseInt and parseFloat skip around a number.
bool is_space(char32_t code_point) noexcept;

/// Receives text piece by piece. Pieces never split a UTF-8 sequence. append() returns false once
/// the sink knows its answer, so producers can stop early.
class TextSink {
 public:
  virtual bool append(std::string_view piece) = 0;

 protected:
  ~TextSink() = default;
};

/// Collects the text (compile time only: it allocates).
class StringSink final : public TextSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  bool append(std::string_view piece) override;

 private:
  std::string& out_;
};

/// Decides whether the text equals `expected` without storing it.
class EqualsSink final : public TextSink {
 public:
  explicit EqualsSink(std::string_view expected) : expected_(expected) {}
  bool append(std::string_view piece) override;
  bool equal() const { return !mismatch_ && offset_ == expected_.size(); }

 private:
  std::string_view expected_;
  std::size_t offset_ = 0;
  bool mismatch_ = false;
};

/// Three-way comparison of the text with `expected` in UTF-16 code-unit order (JavaScript's `<` on
/// strings), without storing it.
class CompareSink final : public TextSink {
 public:
  explicit CompareSink(std::string_view expected) : expected_(expected) {}
  bool append(std::string_view piece) override;
  /// <0, 0 or >0 as the text sorts before, equal to, or after `expected`.
  int result() const;

 private:
  std::string_view expected_;
  std::size_t offset_ = 0;
  int decided_ = 0;
};

/// Writes into a caller-provided buffer; overflowed() tells when the text did not fit.
class BufferSink final : public TextSink {
 public:
  BufferSink(char* data, std::size_t capacity) : data_(data), capacity_(capacity) {}
  bool append(std::string_view piece) override;
  bool overflowed() const { return overflowed_; }
  std::string_view text() const { return {data_, size_}; }

 private:
  char* data_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  bool overflowed_ = false;
};

/// Forwards String.prototype.toLowerCase() of the text to `next`.
class LowercaseSink final : public TextSink {
 public:
  explicit LowercaseSink(TextSink& next) : next_(next) {}
  bool append(std::string_view piece) override;

 private:
  TextSink& next_;
};

/// Room for any number_to_string result.
inline constexpr std::size_t kNumberTextCapacity = 32;

/// Number::toString(value) exactly as JavaScript: shortest round-trip digits, exponent form
/// below 1e-6 and from 1e21, "-0" as "0". Writes into `out` and returns the length.
std::size_t number_to_string(double value, char (&out)[kNumberTextCapacity]) noexcept;

/// StringToNumber: trims JavaScript white space; "" is 0; accepts decimal literals, "Infinity",
/// and unsigned 0x/0o/0b integers; anything else is NaN.
double string_to_number(std::string_view text) noexcept;

/// JSON.stringify's QuoteJSONString of UTF-8 text: quotes, and \" \\ \b \f \n \r \t or \u00xx for
/// the rest below U+0020. An ill-formed UTF-8 sequence (never in parsed JSON; possible in text
/// built elsewhere) is written as U+FFFD, so the output is always well-formed.
bool emit_quoted(std::string_view text, TextSink& sink);

/// <0, 0, >0: JavaScript's ordering of two strings (UTF-16 code units), given as UTF-8.
int compare_utf16(std::string_view a, std::string_view b) noexcept;

/// String.prototype.toLowerCase for Latin, Greek, Cyrillic, Armenian, Georgian, Glagolitic,
/// Deseret, letter-like symbols and fullwidth forms (other scripts are unchanged; final sigma is
/// always lowered to σ).
std::string to_lower(std::string_view text);

/// Decodes one UTF-8 code point at `text[i]`, advancing `i` (invalid bytes decode as U+FFFD).
char32_t decode_utf8(std::string_view text, std::size_t& i) noexcept;
/// Encodes `cp` into `out` (4 bytes room) and returns the length.
std::size_t encode_utf8(char32_t cp, char* out) noexcept;

}  // namespace stageline::js
