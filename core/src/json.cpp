#include "stageline/json.hpp"

#include <string>

#include "stageline/cold_code.hpp"
#include "stageline/error.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {
namespace {

// Line and column (1-based) of a byte offset, for parse errors people can find in an editor.
std::string describe_position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// The byte offset of the first '[' or '{' nested `max_depth` levels deep (inside that many open
// arrays and objects), or npos. Valid only as far as `text` is a valid JSON prefix, which is all
// parse_json relies on.
std::size_t first_too_deep(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (depth >= max_depth) return i;
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Json parse_json(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    throw Error(error_code::kLimitExceeded, "",
                "JSON text of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                    std::to_string(limits.max_bytes) + " bytes");
  }
  // nlohmann's parser is iterative, but everything downstream walks the tree recursively, so the
  // depth limit is enforced before any deep tree exists: by a scan rather than a parser callback,
  // which costs a call per value (under Emscripten's exception handling, a trip through JS). The
  // first error in the text wins, as if the parser itself checked the depth.
  const std::size_t too_deep = first_too_deep(text, limits.max_depth);
  const auto depth_error = [&limits] {
    return Error(error_code::kLimitExceeded, "",
                 "JSON nesting deeper than " + std::to_string(limits.max_depth) + " levels");
  };
  try {
    if (too_deep != std::string_view::npos) {
      // The text up to and including that opener: if it reads fine until it runs out, the opener
      // is real and comes before any syntax error; otherwise the syntax error comes first.
      try {
        const Json prefix = Json::parse(text.begin(), text.begin() + too_deep + 1);
        static_cast<void>(prefix);
      } catch (const Json::parse_error& e) {
        if (std::string_view(e.what()).find("unexpected end of input") == std::string_view::npos) {
          throw;
        }
      }
      throw depth_error();
    }
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 1, column 2:
    // syntax error while parsing value - ..."; keep the part after the last ':' that says why.
    const auto reason_start = what.find("- ");
    const std::string reason = reason_start == std::string::npos ? what : what.substr(reason_start + 2);
    throw Error(error_code::kInvalidJson, "",
                "invalid JSON at " + describe_position(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + reason);
  } catch (const Json::out_of_range& e) {
    // A number beyond the range of a double ("1e400"): nlohmann refuses it (JSON.parse would make
    // it Infinity, which JSON cannot write back). Its message reads "[json.exception.
    // out_of_range.406] number overflow parsing '1e400'"; keep the part after the ']'.
    const std::string what = e.what();
    const auto reason_start = what.find("] ");
    throw Error(error_code::kInvalidJson, "",
                "invalid JSON: " + (reason_start == std::string::npos ? what : what.substr(reason_start + 2)) +
                    " (beyond the range of a double)");
  }
}

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
                 ? got.dump().substr(0, 80)
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
