// JavaScript conversions of attribute values: ToNumber, ToBoolean, String(), JSON.stringify,
// getType and getPath.

#include "values/js_semantics.hpp"

#include <cmath>
#include <cstdint>
#include <limits>


namespace stageline::js {
namespace {

// An array index as JavaScript orders own property keys: canonical decimal below 2^32 - 1.
bool array_index(std::string_view key, std::uint32_t& index) noexcept {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return false;
  std::uint64_t value = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value >= 0xFFFFFFFFull) return false;
  index = static_cast<std::uint32_t>(value);
  return true;
}

bool emit_number(double value, TextSink& sink) {
  char text[kNumberTextCapacity];
  return sink.append({text, number_to_string(value, text)});
}

bool emit_member(const std::string& key, const Json& value, bool& first, TextSink& sink) {
  if (!first && !sink.append(",")) return false;
  first = false;
  return emit_quoted(key, sink) && sink.append(":") && emit_stringify(ValueRef::of(value), sink);
}

// Members in JavaScript's property order: array-index keys ascending, then the rest as inserted.
// The index keys are found by repeated scans rather than sorted into a buffer, to stay
// allocation-free; objects in conditions and attributes are small.
bool emit_object(const Json& object, TextSink& sink) {
  if (!sink.append("{")) return false;
  bool first = true;
  std::uint64_t floor = 0;  // next index key must be >= floor
  while (true) {
    const Json::object_t::value_type* smallest = nullptr;
    std::uint32_t smallest_index = 0;
    for (const auto& member : *object.get_ptr<const Json::object_t*>()) {
      std::uint32_t index = 0;
      if (array_index(member.first, index) && index >= floor &&
          (smallest == nullptr || index < smallest_index)) {
        smallest = &member;
        smallest_index = index;
      }
    }
    if (smallest == nullptr) break;
    if (!emit_member(smallest->first, smallest->second, first, sink)) return false;
    floor = static_cast<std::uint64_t>(smallest_index) + 1;
  }
  for (const auto& member : *object.get_ptr<const Json::object_t*>()) {
    std::uint32_t index = 0;
    if (array_index(member.first, index)) continue;
    if (!emit_member(member.first, member.second, first, sink)) return false;
  }
  return sink.append("}");
}

}  // namespace

double to_number(ValueRef value) noexcept {
  switch (value.kind()) {
    case ValueKind::kUndefined:
      return std::numeric_limits<double>::quiet_NaN();
    case ValueKind::kNull:
      return 0.0;
    case ValueKind::kBoolean:
      return value.as_bool() ? 1.0 : 0.0;
    case ValueKind::kNumber:
      return value.as_number();
    case ValueKind::kString:
      return string_to_number(value.as_string());
    case ValueKind::kArray: {
      // ToPrimitive gives the joined text: "" for [], the element's text for one element, and
      // text with a comma (never numeric) for more.
      const Json& array = *value.json();
      if (array.empty()) return 0.0;
      if (array.size() > 1) return std::numeric_limits<double>::quiet_NaN();
      const ValueRef element = ValueRef::of(array.front());
      switch (element.kind()) {
        case ValueKind::kNull:
          return 0.0;  // joins as ""
        case ValueKind::kBoolean:
          return std::numeric_limits<double>::quiet_NaN();  // "true"
        default:
          return to_number(element);  // a number's text reads back as the same number
      }
    }
    case ValueKind::kObject:
      return std::numeric_limits<double>::quiet_NaN();  // "[object Object]"
  }
  return std::numeric_limits<double>::quiet_NaN();
}

bool to_boolean(ValueRef value) noexcept {
  switch (value.kind()) {
    case ValueKind::kUndefined:
    case ValueKind::kNull:
      return false;
    case ValueKind::kBoolean:
      return value.as_bool();
    case ValueKind::kNumber:
      return value.as_number() != 0 && !std::isnan(value.as_number());
    case ValueKind::kString:
      return !value.as_string().empty();
    case ValueKind::kArray:
    case ValueKind::kObject:
      return true;
  }
  return false;
}

bool emit_to_string(ValueRef value, TextSink& sink) {
  switch (value.kind()) {
    case ValueKind::kUndefined:
      return sink.append("undefined");
    case ValueKind::kNull:
      return sink.append("null");
    case ValueKind::kBoolean:
      return sink.append(value.as_bool() ? "true" : "false");
    case ValueKind::kNumber:
      return emit_number(value.as_number(), sink);
    case ValueKind::kString:
      return sink.append(value.as_string());
    case ValueKind::kArray: {
      bool first = true;
      for (const Json& element : *value.json()) {
        if (!first && !sink.append(",")) return false;
        first = false;
        const ValueRef item = ValueRef::of(element);
        if (!item.is_nullish() && !emit_to_string(item, sink)) return false;
      }
      return true;
    }
    case ValueKind::kObject:
      return sink.append("[object Object]");
  }
  return true;
}

bool emit_stringify(ValueRef value, TextSink& sink) {
  switch (value.kind()) {
    case ValueKind::kUndefined:
      return true;
    case ValueKind::kNull:
      return sink.append("null");
    case ValueKind::kBoolean:
      return sink.append(value.as_bool() ? "true" : "false");
    case ValueKind::kNumber:
      return std::isfinite(value.as_number()) ? emit_number(value.as_number(), sink)
                                              : sink.append("null");
    case ValueKind::kString:
      return emit_quoted(value.as_string(), sink);
    case ValueKind::kArray: {
      if (!sink.append("[")) return false;
      bool first = true;
      for (const Json& element : *value.json()) {
        if (!first && !sink.append(",")) return false;
        first = false;
        if (!emit_stringify(ValueRef::of(element), sink)) return false;
      }
      return sink.append("]");
    }
    case ValueKind::kObject:
      return emit_object(*value.json(), sink);
  }
  return true;
}

std::string stringify(const Json& value) {
  std::string out;
  StringSink sink(out);
  emit_stringify(ValueRef::of(value), sink);
  return out;
}

std::string to_string(const Json& value) {
  std::string out;
  StringSink sink(out);
  emit_to_string(ValueRef::of(value), sink);
  return out;
}

std::string_view type_name(ValueRef value) noexcept {
  switch (value.kind()) {
    case ValueKind::kUndefined:
      return "undefined";
    case ValueKind::kNull:
      return "null";
    case ValueKind::kBoolean:
      return "boolean";
    case ValueKind::kNumber:
      return "number";
    case ValueKind::kString:
      return "string";
    case ValueKind::kArray:
      return "array";
    case ValueKind::kObject:
      return "object";
  }
  return "undefined";
}

ValueRef get_path(ValueRef root, const std::vector<std::string>& segments, std::size_t first) noexcept {
  ValueRef current = root;
  for (std::size_t i = first; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (current.kind() == ValueKind::kObject) {
      const Json& object = *current.json();
      const auto it = object.find(segment);
      if (it == object.end()) return ValueRef::undefined();
      current = ValueRef::of(*it);
    } else if (current.kind() == ValueKind::kArray) {
      const Json& array = *current.json();
      std::uint32_t index = 0;
      if (segment == "length") {
        current = ValueRef::number(static_cast<double>(array.size()));
      } else if (array_index(segment, index) && index < array.size()) {
        current = ValueRef::of(array[index]);
      } else {
        return ValueRef::undefined();
      }
    } else {
      return ValueRef::undefined();  // `parts[i] in current` needs an object
    }
  }
  return current;
}

}  // namespace stageline::js
