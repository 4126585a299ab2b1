// The JavaScript coercions json-logic-js relies on, over Json values (a discarded Json is
// undefined). Built on the shared helpers in js_semantics.hpp.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "common/ascii.hpp"
#include "jsonlogic/json_logic_nodes.hpp"
#include "stageline/values/value.hpp"
#include "values/js_semantics.hpp"

namespace stageline::json_logic {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ValueRef view(const Json& value) {
  return value.is_discarded() ? ValueRef::undefined() : ValueRef::of(value);
}

bool is_compound(const Json& value) { return value.is_array() || value.is_object(); }


// The longest prefix of `s` that is a StrDecimalLiteral, as parseFloat reads it.
std::string_view decimal_prefix(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (s.substr(i, 8) == "Infinity") return s.substr(0, i + 8);
  std::size_t digits = 0;
  while (i < s.size() && ascii::is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    std::size_t j = i + 1;
    std::size_t fraction = 0;
    while (j < s.size() && ascii::is_digit(s[j])) ++j, ++fraction;
    if (digits + fraction > 0) i = j, digits += fraction;
  }
  if (digits == 0) return {};
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    const std::size_t exponent_start = j;
    while (j < s.size() && ascii::is_digit(s[j])) ++j;
    if (j > exponent_start) i = j;
  }
  return s.substr(0, i);
}

// A primitive after ToPrimitive: arrays and objects become their String() text.
Json to_primitive(const Json& value) {
  return is_compound(value) ? Json(to_js_string(value)) : value;
}

}  // namespace

std::string to_js_string(const Json& value) {
  std::string out;
  js::StringSink sink(out);
  js::emit_to_string(view(value), sink);
  return out;
}

double to_js_number(const Json& value) {
  // Arrays go through their text so that undefined elements (from merge or map) join as "".
  if (value.is_array()) return js::string_to_number(to_js_string(value));
  return js::to_number(view(value));
}

bool to_js_boolean(const Json& value) { return js::to_boolean(view(value)); }

bool truthy(const Json& value) {
  if (value.is_array() && value.empty()) return false;
  return to_js_boolean(value);
}

double parse_float(const Json& value) {
  if (value.is_number()) {
    const double number = value.get<double>();
    return number == 0 ? 0.0 : number;  // String(-0) is "0"
  }
  const std::string text = to_js_string(value);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t next = start;
    if (!js::is_space(js::decode_utf8(text, next))) break;
    start = next;
  }
  const std::string_view prefix = decimal_prefix(std::string_view(text).substr(start));
  return prefix.empty() ? kNaN : js::string_to_number(prefix);
}

std::size_t utf16_length(const std::string& text) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) units += js::decode_utf8(text, i) > 0xFFFF ? 2 : 1;
  return units;
}

namespace {

double to_integer_or_infinity(double number) {
  if (std::isnan(number) || number == 0) return 0;
  return std::isinf(number) ? number : std::trunc(number);
}

std::u16string to_utf16(const std::string& text) {
  std::u16string units;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = js::decode_utf8(text, i);
    if (cp > 0xFFFF) {
      units.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      units.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      units.push_back(static_cast<char16_t>(cp));
    }
  }
  return units;
}

// Pairs are rejoined; a lone surrogate left by slicing a pair becomes U+FFFD, since the UTF-8
// strings Json holds cannot carry it.
std::string from_utf16(const std::u16string& units, std::size_t begin, std::size_t end) {
  std::string text;
  char buffer[4];
  for (std::size_t i = begin; i < end; ++i) {
    char32_t cp = units[i];
    const bool high = cp >= 0xD800 && cp <= 0xDBFF;
    if (high && i + 1 < end && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    text.append(buffer, js::encode_utf8(cp, buffer));
  }
  return text;
}

}  // namespace

std::string substr(const std::string& text, double start, bool has_length, double length) {
  const std::u16string units = to_utf16(text);
  const double size = static_cast<double>(units.size());
  double first = to_integer_or_infinity(start);
  if (first < 0) first = std::max(size + first, 0.0);
  first = std::min(first, size);
  double count = has_length ? to_integer_or_infinity(length) : size;
  count = std::min(std::max(count, 0.0), size);
  const double last = std::min(first + count, size);
  if (last <= first) return {};
  return from_utf16(units, static_cast<std::size_t>(first), static_cast<std::size_t>(last));
}

Order compare(const Json& a, const Json& b) {
  // After ToPrimitive, arrays and objects are strings; two strings compare as text.
  const bool a_text = a.is_string() || is_compound(a);
  const bool b_text = b.is_string() || is_compound(b);
  if (a_text && b_text) {
    int order;
    if (a.is_string() && b.is_string()) {
      order = js::compare_utf16(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
    } else {
      order = js::compare_utf16(to_primitive(a).get_ref<const std::string&>(),
                                to_primitive(b).get_ref<const std::string&>());
    }
    return order < 0 ? Order::kLess : order > 0 ? Order::kGreater : Order::kEqual;
  }
  const double x = to_js_number(a);
  const double y = to_js_number(b);
  if (std::isnan(x) || std::isnan(y)) return Order::kUnordered;
  return x < y ? Order::kLess : x > y ? Order::kGreater : Order::kEqual;
}

namespace {

enum class Kind { kUndefined, kNull, kBoolean, kNumber, kString, kObject };

Kind kind_of(const Json& value) {
  if (value.is_discarded()) return Kind::kUndefined;
  if (value.is_null()) return Kind::kNull;
  if (value.is_boolean()) return Kind::kBoolean;
  if (value.is_number()) return Kind::kNumber;
  if (value.is_string()) return Kind::kString;
  return Kind::kObject;
}

}  // namespace

bool strict_equal(const Json& a, const Json& b, bool same_node) {
  const Kind kind = kind_of(a);
  if (kind != kind_of(b)) return false;
  switch (kind) {
    case Kind::kUndefined:
    case Kind::kNull:
      return true;
    case Kind::kBoolean:
      return a.get<bool>() == b.get<bool>();
    case Kind::kNumber:
      return a.get<double>() == b.get<double>();
    case Kind::kString:
      return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    case Kind::kObject:
      return same_node;
  }
  return false;
}

bool loose_equal(const Json& a, const Json& b, bool same_node) {
  const Kind x = kind_of(a);
  const Kind y = kind_of(b);
  if (x == y) return strict_equal(a, b, same_node);
  const bool x_nullish = x == Kind::kUndefined || x == Kind::kNull;
  const bool y_nullish = y == Kind::kUndefined || y == Kind::kNull;
  if (x_nullish || y_nullish) return x_nullish && y_nullish;
  if (x == Kind::kNumber && y == Kind::kString) return a.get<double>() == to_js_number(b);
  if (x == Kind::kString && y == Kind::kNumber) return to_js_number(a) == b.get<double>();
  if (x == Kind::kBoolean) return loose_equal(Json(to_js_number(a)), b, false);
  if (y == Kind::kBoolean) return loose_equal(a, Json(to_js_number(b)), false);
  if (x == Kind::kObject) return loose_equal(Json(to_js_string(a)), b, false);
  if (y == Kind::kObject) return loose_equal(a, Json(to_js_string(b)), false);
  return false;
}

std::vector<PathSegment> split_path(const std::string& dotted) {
  std::vector<PathSegment> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted.find('.', start);
    PathSegment segment;
    segment.key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    // Canonical array indices only: "1" but not "01", "1.0" or "+1".
    const std::string& key = segment.key;
    if (!key.empty() && key.size() <= 10 && (key == "0" || key[0] != '0')) {
      std::uint64_t index = 0;
      bool digits = true;
      for (char c : key) {
        if (!ascii::is_digit(c)) {
          digits = false;
          break;
        }
        index = index * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (digits && index < 0xFFFFFFFFull) {
        segment.is_index = true;
        segment.index = static_cast<std::uint32_t>(index);
      }
    }
    segments.push_back(std::move(segment));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

}  // namespace stageline::json_logic
