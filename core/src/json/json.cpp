// JSON paths and the JSON parts of error messages (parse_json is in json_parse.cpp).

#include "stageline/json/json.hpp"

#include <string>

#include "stageline/common/cold_code.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {

std::string join_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path;
  path.reserve(parent.size() + 1 + key.size());
  path.append(parent).append(".").append(key);
  return path;
}

std::string expected_but_got(std::string_view expected, const Json& got) {
  std::string message = "expected ";
  message.append(expected).append(", got ");
  message += got.is_string() || got.is_number() || got.is_boolean() || got.is_null()
                 ? write_json(got).substr(0, 80)
                 : std::string(json_type_name(got));
  return message;
}

const char* json_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
