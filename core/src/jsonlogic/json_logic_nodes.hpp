#pragma once
// The compiled form of a JsonLogic rule and the JavaScript coercions its operations use.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "stageline/json/json.hpp"

namespace stageline::json_logic {

enum class Op : std::uint8_t {
  kLiteral,  // a scalar, or an object that is not an operation (not exactly one key)
  kArray,    // an array of rules, evaluated element by element
  kVar,
  kIf,
  kAnd,
  kOr,
  kFilter,
  kMap,
  kReduce,
  kAll,
  kNone,
  kSome,
  kLooseEqual,
  kStrictEqual,
  kLooseNotEqual,
  kStrictNotEqual,
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
  kTruthy,
  kNot,
  kModulo,
  kLog,
  kIn,
  kCat,
  kSubstr,
  kAdd,
  kMultiply,
  kSubtract,
  kDivide,
  kMin,
  kMax,
  kMerge,
  kMissing,
  kMissingSome,
  kUnknown,
};

/// One step of a var path, with its array index parsed when it is a canonical one.
struct PathSegment {
  std::string key;
  bool is_index = false;
  std::uint32_t index = 0;
};

/// How a var node finds its path.
enum class VarMode : std::uint8_t {
  kWholeData,   // no argument, "" or null: the data itself
  kStaticPath,  // a literal path, split at compile time
  kDynamic,     // computed at evaluation time
};

struct Node {
  Op op = Op::kLiteral;
  std::string path;  // JSON path of this node in the rule, for errors
  Json literal;      // kLiteral's value; kUnknown's operator name
  std::vector<Node> args;
  VarMode var_mode = VarMode::kDynamic;
  std::vector<PathSegment> segments;  // kVar with kStaticPath
};

/// Compiles `rule` found at `path`, `depth` levels below the root.
Node compile_node(const Json& rule, const std::string& path, int depth);

/// Splits String(a) on "." like String.prototype.split.
std::vector<PathSegment> split_path(const std::string& dotted);

/// ToString, with undefined as "undefined" and arrays joined (undefined/null elements empty).
std::string to_js_string(const Json& value);
/// ToNumber (undefined is NaN; arrays through their text).
double to_js_number(const Json& value);
/// JsonLogic's truthy(): [] is false, otherwise ToBoolean.
bool truthy(const Json& value);
/// ToBoolean.
bool to_js_boolean(const Json& value);
/// parseFloat(value).
double parse_float(const Json& value);
/// The length of a string in UTF-16 code units.
std::size_t utf16_length(const std::string& text);
/// String.prototype.substr(start, length) with length absent when `has_length` is false.
std::string substr(const std::string& text, double start, bool has_length, double length);

enum class Order : std::uint8_t { kLess, kEqual, kGreater, kUnordered };
/// JavaScript's relational comparison after ToPrimitive: strings by UTF-16 units, else numbers
/// (kUnordered when either is NaN).
Order compare(const Json& a, const Json& b);

/// `a === b`. Arrays and objects are equal only when they are the same node (`same_node`).
bool strict_equal(const Json& a, const Json& b, bool same_node);
/// `a == b`, with the same identity rule for two arrays/objects.
bool loose_equal(const Json& a, const Json& b, bool same_node);

}  // namespace stageline::json_logic
