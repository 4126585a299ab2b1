#include "datasets/ndjson_row.hpp"

#include "common/ascii.hpp"
#include "common/utf8.hpp"
#include "datasets/dataset_values.hpp"

namespace stageline {
namespace {

// Nested values deeper than this go to the full parser, which enforces the 64-level limit of
// parse_json with its own wording; rows of real data are nowhere near it.
constexpr int kMaxFastDepth = 32;

// JSON's grammar over [p, end), advancing p; each scanner returns false where the text is not
// what it expects (or is something the fast path leaves to the full parser).
struct Cursor {
  const char* p;
  const char* end;

  bool at_end() const noexcept { return p == end; }
  bool next_is(char c) const noexcept { return p != end && *p == c; }
  void skip_whitespace() noexcept {
    while (p != end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  }
  bool consume(char c) noexcept {
    if (!next_is(c)) return false;
    ++p;
    return true;
  }
  bool consume_word(std::string_view word) noexcept {
    if (static_cast<std::size_t>(end - p) < word.size() || std::string_view(p, word.size()) != word)
      return false;
    p += word.size();
    return true;
  }
};

// One UTF-8 sequence whose lead byte (>= 0x80) is at c.p, well-formed as JSON requires.
bool scan_utf8_sequence(Cursor& c) noexcept {
  const std::size_t length = utf8::sequence_length(c.p, c.end);
  c.p += length;
  return length != 0;
}

// A string at c.p (its opening quote); with `out`, appends its unescaped text.
bool scan_string(Cursor& c, std::string* out) {
  ++c.p;
  const char* run = c.p;  // the start of the text not yet appended
  while (!c.at_end()) {
    const auto ch = static_cast<unsigned char>(*c.p);
    if (ch == '"') {
      if (out != nullptr) out->append(run, static_cast<std::size_t>(c.p - run));
      ++c.p;
      return true;
    }
    if (ch < 0x20) return false;  // control characters must be escaped
    if (ch == '\\') {
      if (c.end - c.p < 2) return false;
      char unescaped = 0;
      switch (c.p[1]) {
        case '"': unescaped = '"'; break;
        case '\\': unescaped = '\\'; break;
        case '/': unescaped = '/'; break;
        case 'b': unescaped = '\b'; break;
        case 'f': unescaped = '\f'; break;
        case 'n': unescaped = '\n'; break;
        case 'r': unescaped = '\r'; break;
        case 't': unescaped = '\t'; break;
        default: return false;  // \u (surrogate pairs and their errors) and invalid escapes
      }
      if (out != nullptr) out->append(run, static_cast<std::size_t>(c.p - run)).push_back(unescaped);
      c.p += 2;
      run = c.p;
    } else if (ch >= 0x80) {
      if (!scan_utf8_sequence(c)) return false;
    } else {
      ++c.p;
    }
  }
  return false;  // unterminated
}

// A number at c.p; with `out`, its value, the double nlohmann would give: integers are read as
// integers there, so "-0" is +0. Skipped numbers are range-checked too, as the parser refuses
// numbers beyond a double wherever they are.
bool scan_number(Cursor& c, double* out) {
  const char* start = c.p;
  c.consume('-');
  const char* integer_start = c.p;
  if (c.consume('0')) {
  } else if (!c.at_end() && *c.p >= '1' && *c.p <= '9') {
    while (!c.at_end() && ascii::is_digit(*c.p)) ++c.p;
  } else {
    return false;
  }
  const bool long_integer_part = c.p - integer_start > 300;
  bool integral = true;
  bool exponent = false;
  if (c.consume('.')) {
    integral = false;
    if (c.at_end() || !ascii::is_digit(*c.p)) return false;
    while (!c.at_end() && ascii::is_digit(*c.p)) ++c.p;
  }
  if (c.next_is('e') || c.next_is('E')) {
    integral = false;
    exponent = true;
    ++c.p;
    if (!c.consume('+')) c.consume('-');
    if (c.at_end() || !ascii::is_digit(*c.p)) return false;
    while (!c.at_end() && ascii::is_digit(*c.p)) ++c.p;
  }
  if (out == nullptr && !exponent && !long_integer_part) return true;  // cannot overflow
  const auto number = parse_number_text(std::string_view(start, static_cast<std::size_t>(c.p - start)), false);
  if (!number) return false;  // beyond a double: the full parser reports the overflow
  if (out != nullptr) *out = integral ? *number + 0.0 : *number;
  return true;
}

// Any value at c.p, validated and skipped; `depth` counts the arrays and objects around it.
bool skip_value(Cursor& c, int depth) {
  c.skip_whitespace();
  if (c.at_end()) return false;
  const char opener = *c.p;
  if (opener == '"') return scan_string(c, nullptr);
  if (opener == 't') return c.consume_word("true");
  if (opener == 'f') return c.consume_word("false");
  if (opener == 'n') return c.consume_word("null");
  if (opener != '{' && opener != '[') return scan_number(c, nullptr);
  if (depth >= kMaxFastDepth) return false;
  const char closer = opener == '{' ? '}' : ']';
  ++c.p;
  c.skip_whitespace();
  if (c.consume(closer)) return true;
  for (;;) {
    if (opener == '{') {
      c.skip_whitespace();
      if (!c.next_is('"') || !scan_string(c, nullptr)) return false;
      c.skip_whitespace();
      if (!c.consume(':')) return false;
    }
    if (!skip_value(c, depth + 1)) return false;
    c.skip_whitespace();
    if (c.consume(closer)) return true;
    if (!c.consume(',')) return false;
  }
}

}  // namespace

bool NdjsonRowReader::read(std::string_view line, const std::string (&columns)[kFieldCount],
                           FieldValue (&values)[kFieldCount]) {
  for (FieldValue& value : values) value = FieldValue{};
  Cursor c{line.data(), line.data() + line.size()};
  c.skip_whitespace();
  if (!c.consume('{')) return false;
  c.skip_whitespace();
  if (!c.consume('}')) {
    for (;;) {
      c.skip_whitespace();
      key_.clear();
      if (!c.next_is('"') || !scan_string(c, &key_)) return false;
      c.skip_whitespace();
      if (!c.consume(':')) return false;
      c.skip_whitespace();
      if (c.at_end()) return false;

      // A column may be mapped to several fields; a repeated member overwrites, as in the parser.
      std::size_t first = kFieldCount;
      for (std::size_t f = 0; f < kFieldCount && first == kFieldCount; ++f) {
        if (!columns[f].empty() && columns[f] == key_) first = f;
      }
      if (first == kFieldCount) {
        if (!skip_value(c, 1)) return false;
      } else {
        FieldValue value;
        if (c.next_is('"')) {
          std::string& text = text_[first];
          text.clear();
          if (!scan_string(c, &text)) return false;
          value = FieldValue{FieldValue::Kind::kText, text, 0};
        } else if (c.next_is('n')) {
          if (!c.consume_word("null")) return false;
        } else if (c.next_is('-') || ascii::is_digit(*c.p)) {
          value.kind = FieldValue::Kind::kNumber;
          if (!scan_number(c, &value.number)) return false;
        } else {
          return false;  // a boolean, array or object: the full parser words the issue
        }
        for (std::size_t f = first; f < kFieldCount; ++f) {
          if (columns[f] == key_) values[f] = value;
        }
      }
      c.skip_whitespace();
      if (c.consume('}')) break;
      if (!c.consume(',')) return false;
    }
  }
  c.skip_whitespace();
  return c.at_end();
}

}  // namespace stageline
