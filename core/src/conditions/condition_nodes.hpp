#pragma once
// The compiled form of a condition: GrowthBook's evalCondition / evalConditionValue /
// evalOperatorCondition turned into a tree whose operands are converted once, at compile time.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stageline/conditions/condition.hpp"
#include "stageline/regex/regex.hpp"
#include "values/js_semantics.hpp"

namespace stageline::condition_detail {

enum class Op : std::uint8_t {
  kEq,
  kNe,
  kLt,
  kLte,
  kGt,
  kGte,
  kExists,
  kIn,
  kNin,
  kIni,
  kNini,
  kAll,
  kAlli,
  kInGroup,
  kNotInGroup,
  kNot,
  kSize,
  kElemMatch,
  kRegex,
  kRegexi,
  kNotRegex,
  kType,
  kVeq,
  kVne,
  kVgt,
  kVgte,
  kVlt,
  kVlte,
  kWithinLastDays,
  kOlderThanDays,
  kAfter,
  kBefore,
  kFalse,  ///< an unknown operator or an unusable operand in lenient mode: never holds
};

/// An operand as JavaScript compares it: arrays and objects (is_object) keep their String() text,
/// which relational operators see after ToPrimitive, and are === to nothing.
struct Literal {
  ValueKind kind = ValueKind::kNull;
  bool is_object = false;
  double number = 0.0;  ///< numbers and booleans (0/1)
  std::string text;     ///< strings (lowercased for $ini/$nini), String() of arrays and objects
};

struct Matcher;

/// One operator of an operator object, e.g. {"$gte": 18}.
struct Clause {
  Op op = Op::kFalse;
  std::string name;       ///< as written, for explanations
  std::string json_path;  ///< e.g. "stages[1].when.age.$gte"
  Json operand;           ///< as written, for explanations

  Literal literal;                 ///< $eq $ne $lt $lte $gt $gte
  std::vector<Literal> list;       ///< $in family and saved groups
  std::string text;                ///< padded version ($v*), type name ($type)
  std::optional<Regex> regex;      ///< $regex $regexi $notRegex
  std::unique_ptr<Matcher> inner;  ///< $not $size, $elemMatch on an operator object
  std::unique_ptr<Condition::Node> element_condition;  ///< $elemMatch on a condition
  std::vector<Matcher> all;  ///< $all $alli, one matcher per wanted element
  bool flag = false;         ///< $exists
  double number = 0.0;       ///< days, or the instant of $after/$before
};

/// evalConditionValue(condition, value) with the condition pre-classified.
struct Matcher {
  enum class Kind : std::uint8_t {
    kString,
    kNumber,
    kBoolean,
    kNull,
    kStringify,
    kOperators,
    kFalse
  };
  Kind kind = Kind::kFalse;
  bool insensitive = false;  ///< string comparison lowercases both sides ($alli elements)
  bool boolean = false;
  /// kOperators whose every clause is $eq $ne $lt $lte $gt or $gte against a number: a number
  /// attribute is then decided by plain double comparisons (see eval_numeric_comparisons).
  bool numeric_comparisons = false;
  double number = 0.0;
  std::string text;  ///< the string (lowercased when insensitive), or JSON.stringify text
  std::vector<Clause> clauses;
};

/// Whether `clause` compares against a number literal with ===, !==, <, <=, > or >=.
inline bool is_numeric_comparison(const Clause& clause) {
  switch (clause.op) {
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLte:
    case Op::kGt:
    case Op::kGte:
      return clause.literal.kind == ValueKind::kNumber;
    default:
      return false;
  }
}

/// One key of a condition object.
struct Entry {
  enum class Kind : std::uint8_t { kOr, kNor, kAnd, kNot, kPath, kFalse };
  Kind kind = Kind::kFalse;
  std::string key;                        ///< as written
  std::string json_path;                  ///< of the value under `key`
  std::vector<Condition::Node> children;  ///< $or $nor $and, or the one $not
  std::optional<AttributePath> path;      ///< kPath
  Matcher matcher;                        ///< kPath
  Json operand;                           ///< kPath with a bare value, for explanations
};

}  // namespace stageline::condition_detail

namespace stageline {

/// evalCondition(obj, condition): every entry must hold.
struct Condition::Node {
  std::vector<condition_detail::Entry> entries;
};

}  // namespace stageline

namespace stageline::condition_detail {

/// Where attribute paths are looked up: the caller's Attributes at the top, an array element
/// inside $elemMatch.
struct Root {
  const Attributes* attributes = nullptr;
  ValueRef element;
};

bool eval_node(const Condition::Node& node, const Root& root, TimestampMs at);
// Values are taken by reference: a ValueRef is several words, and these run once per attribute
// in batch evaluation.
bool eval_matcher(const Matcher& matcher, const ValueRef& value, TimestampMs at);
bool eval_clause(const Clause& clause, const ValueRef& actual, TimestampMs at);
/// GrowthBook's getPath, which yields null (not undefined) for anything missing.
ValueRef lookup(const Root& root, const AttributePath& path);

/// paddedVersionString(value) produced into a sink (GrowthBook's util.ts).
void emit_padded_version(ValueRef value, js::TextSink& sink);

/// Compiles `condition`; `paths` collects the top-level attribute paths in first-use order.
Condition::Node compile_root(const Json& condition, const ConditionOptions& options,
                             std::vector<std::string>& paths);

}  // namespace stageline::condition_detail
