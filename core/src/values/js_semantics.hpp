#pragma once
// JavaScript's value semantics as GrowthBook's evaluator relies on them (ToString, ToNumber,
// ToBoolean, JSON.stringify, getType, property lookup), over ValueRef and without allocating: text
// is produced piecewise into a js::TextSink (js/js_text.hpp), so that comparing an attribute's text
// with a precomputed operand never builds the attribute's text.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "js/js_text.hpp"
#include "stageline/json/json.hpp"
#include "stageline/values/value.hpp"

namespace stageline::js {

/// ToNumber: null 0, undefined NaN, booleans 0/1, strings as string_to_number, arrays and objects through
/// their ToString text ([] is 0, [" 7"] is 7, [1,2] and objects are NaN).
double to_number(ValueRef value) noexcept;

/// ToBoolean (arrays and objects are truthy, "" / 0 / NaN / null / undefined are not).
bool to_boolean(ValueRef value) noexcept;

/// Produces String(value): arrays join their elements' ToString with "," (null elements empty),
/// objects are "[object Object]". Returns false if the sink stopped early.
bool emit_to_string(ValueRef value, TextSink& sink);

/// Produces JSON.stringify(value) with JavaScript's number text, string escapes and property
/// order (array-index keys ascending first). Undefined produces nothing: test is_nullish first.
bool emit_stringify(ValueRef value, TextSink& sink);

/// JSON.stringify of a compile-time operand.
std::string stringify(const Json& value);
/// String() of a compile-time operand.
std::string to_string(const Json& value);

/// GrowthBook's getType: "string", "number", "boolean", "array", "null", "undefined", "object".
std::string_view type_name(ValueRef value) noexcept;

/// GrowthBook's getPath below `root`: walks objects by key and arrays by canonical decimal index
/// (and "length"); anything else, or a missing member, is undefined. Walks the segments from
/// `first` on (a caller that resolved the leading ones itself skips them).
ValueRef get_path(ValueRef root, const std::vector<std::string>& segments, std::size_t first = 0) noexcept;

}  // namespace stageline::js
