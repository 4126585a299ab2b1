// write_json: JSON text of a Json tree (parse_json's counterpart, json_parse.cpp).

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "js/js_text.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/json/json.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {
namespace {

template <typename Integer>
void write_integer(Integer value, js::TextSink& sink) {
  char text[24];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  sink.append({text, static_cast<std::size_t>(end - text)});
}

void write_value(const Json& value, js::TextSink& sink) {
  switch (value.type()) {
    case Json::value_t::boolean:
      sink.append(value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      write_integer(value.get<std::int64_t>(), sink);
      return;
    case Json::value_t::number_unsigned:
      write_integer(value.get<std::uint64_t>(), sink);
      return;
    case Json::value_t::number_float: {
      const double number = value.get<double>();
      if (!std::isfinite(number)) {
        sink.append("null");
        return;
      }
      char text[js::kNumberTextCapacity];
      sink.append({text, js::number_to_string(number, text)});
      return;
    }
    case Json::value_t::string:
      js::emit_quoted(value.get_ref<const std::string&>(), sink);
      return;
    case Json::value_t::array: {
      sink.append("[");
      bool first = true;
      for (const Json& element : value) {
        if (!first) sink.append(",");
        first = false;
        write_value(element, sink);
      }
      sink.append("]");
      return;
    }
    case Json::value_t::object: {
      sink.append("{");
      bool first = true;
      for (const auto& [key, member] : *value.get_ptr<const Json::object_t*>()) {
        if (!first) sink.append(",");
        first = false;
        js::emit_quoted(key, sink);
        sink.append(":");
        write_value(member, sink);
      }
      sink.append("}");
      return;
    }
    default:  // null, and the binary and discarded kinds parse_json never makes
      sink.append("null");
      return;
  }
}

}  // namespace

std::string write_json(const Json& value) {
  std::string text;
  js::StringSink sink(text);
  write_value(value, sink);
  return text;
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
