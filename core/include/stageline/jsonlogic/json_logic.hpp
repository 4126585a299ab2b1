#pragma once
/// JsonLogic (jsonlogic.com) rules, evaluated with the exact results of the reference
/// implementation json-logic-js 2.0.5, including its JavaScript coercions (loose ==, relational <,
/// parseFloat in
/// +, String() in cat). A rule is compiled once (operators resolved, var paths split, literals
/// converted) and applied to many data documents.
///
/// JavaScript values that JSON lacks are carried in Json as follows: `undefined` is a discarded
/// Json (JsonLogicRule::undefined()), NaN, Infinity and -0 are number_float values.

#include <memory>
#include <string>

#include "stageline/json/json.hpp"

namespace stageline {

namespace json_logic {
struct Node;
}  // namespace json_logic

/// An immutable compiled JsonLogic rule; cheap to copy (the tree is shared).
class JsonLogicRule {
 public:
  /// Rules nesting deeper than this are refused with Error(limit_exceeded).
  static constexpr int kMaxDepth = 64;

  /// Compiles `rule`. Unknown operators compile to a node that throws Error(unknown_operator) with
  /// its JSON path when it is evaluated, because the reference only fails on branches it reaches.
  static JsonLogicRule compile(const Json& rule);

  /// jsonLogic.apply(rule, data). Pass undefined() for absent data. Throws Error where the
  /// reference throws (unknown operators, "*" without arguments, missing_some without options,
  /// "in" on an object with its own indexOf key).
  Json apply(const Json& data) const;

  /// Throws Error(unknown_operator) naming the first operator the reference does not know, on any
  /// branch (apply() fails only on the branches it reaches): for configs that must fail when they
  /// are compiled, such as rules. `path` prefixes the JSON path in the error.
  void require_known_operators(const std::string& path) const;

  /// The Json standing for JavaScript's undefined (a discarded value).
  static Json undefined() { return Json(Json::value_t::discarded); }

 private:
  explicit JsonLogicRule(std::shared_ptr<const json_logic::Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const json_logic::Node> root_;
};

}  // namespace stageline
