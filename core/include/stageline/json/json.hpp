#pragma once
/// JSON as the core sees it: nlohmann's ordered_json (key order matters, because GrowthBook compares
/// objects by their JSON.stringify text), parsed with documented limits.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stageline {

using Json = nlohmann::ordered_json;

/// Limits applied to every JSON text handed to the core (configs, conditions, attributes).
struct JsonLimits {
  std::size_t max_bytes = 16u << 20;  ///< 16 MiB of text
  std::size_t max_depth = 64;         ///< nesting of arrays/objects
};

/// Parses `text`; throws Error(invalid_json) with line/column, or Error(limit_exceeded).
Json parse_json(std::string_view text, const JsonLimits& limits = {});

/// The JSON text of `value`, compact, members in insertion order: what nlohmann's dump() gives,
/// except that numbers are written as JavaScript writes them (shortest round-trip digits, so 1.0 is
/// "1"; integers exactly; non-finite as null) and each byte that does not begin well-formed UTF-8
/// becomes U+FFFD instead of an exception. Stageline's own writer, so that the WebAssembly module
/// carries no printf.
std::string write_json(const Json& value);

/// Appends a JSON-path segment: join_path("stages", 2) == "stages[2]",
/// join_path("a", "$and") == "a.$and", join_path("", "when") == "when".
std::string join_path(const std::string& parent, std::size_t index);
std::string join_path(const std::string& parent, std::string_view key);

/// "expected <expected>, got <value or type>" for error messages: scalars are shown (up to 80
/// characters), arrays and objects by their type name.
std::string expected_but_got(std::string_view expected, const Json& got);

/// A short human name of a JSON value's type for error messages ("an object", "a string", ...).
const char* json_type_name(const Json& value);

}  // namespace stageline
