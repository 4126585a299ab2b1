#pragma once
/// Conditions: GrowthBook-compatible MongoDB-style targeting conditions, compiled once into an
/// immutable tree and evaluated many times without allocating.
///
/// Semantics are those of GrowthBook's evalCondition (sdk-js mongrule.ts, spec 0.8.0), including
/// JavaScript's coercions: `{"n": "5"}` matches 5 because `5 + "" === "5"`, `$lt` compares two
/// strings by UTF-16 code units and anything else as numbers, objects compare by their
/// JSON.stringify text. A missing attribute is null, as GrowthBook's getPath returns it.
/// Texts of attribute values (String(), JSON.stringify, padded versions) are compared piece by
/// piece as they are produced, never built; the one exception is $regex on an array or object
/// attribute whose text exceeds 1 KiB, which is rendered on the heap.
///
/// Stageline adds lifecycle operators: `$notRegex`, `$withinLastDays: N` (at - N days <= t <= at),
/// `$olderThanDays: N` (t < at - N days), `$after` / `$before` (an ISO-8601 string or epoch ms).
/// Their attribute is epoch milliseconds or a string parse_timestamp accepts; anything else fails.

#include <memory>
#include <string>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

struct ConditionOptions {
  /// Strict (the default for Stageline configs): unknown operators, invalid regexes and wrongly
  /// typed operands are compile errors naming their JSON path. Lenient reproduces GrowthBook's
  /// evaluator: such clauses evaluate as GrowthBook's do (false for unknown operators, invalid
  /// regexes, $in without an array; `{"$and": {}}` holds because evalAnd reads an undefined
  /// length). Where GrowthBook would throw a TypeError (a null condition) the clause is false.
  bool strict = true;
  /// GrowthBook saved groups ({"groupId": [values...]}) for $inGroup / $notInGroup, bound at
  /// compile time. Unknown group ids are an error when strict, an empty group when lenient.
  const Json* saved_groups = nullptr;
  /// Stageline's lifecycle operators ($notRegex, $withinLastDays, $olderThanDays, $after,
  /// $before). Off, they are unknown operators, as GrowthBook's SDKs see them (for evaluating
  /// GrowthBook payloads exactly).
  bool extensions = true;
  /// Prefix of every JSON path in error messages and explanations (e.g. "stages[2].when").
  std::string path_prefix;
};

/// One leaf clause's outcome, for explanations ("why is this customer in this stage?").
struct ClauseResult {
  std::string path;       ///< JSON path of the clause inside the config
  std::string attribute;  ///< dotted attribute path, e.g. "daysSinceLastSeen"
  std::string op;         ///< operator, e.g. "$gte" ("$eq" for a bare value)
  Json expected;          ///< the operand as written
  Json actual;            ///< the attribute value seen (null when undefined)
  bool held = false;
};

struct Explanation {
  bool matched = false;
  std::vector<ClauseResult> clauses;  ///< every leaf clause, evaluated without short-circuit
};

class Condition {
 public:
  /// Compiles a condition object. Throws Error with the JSON path of the offending clause.
  static Condition compile(const Json& condition, const ConditionOptions& options = {});

  /// True if `attributes` satisfy the condition. `at` is the evaluation time for the relative-time
  /// operators; it is never read from a clock. Allocates nothing. A compiled regex keeps scratch
  /// space, so one Condition must not be evaluated from two threads at once (copies share it too).
  bool matches(const Attributes& attributes, TimestampMs at = 0) const;

  /// Same verdict as matches(), plus the outcome of every leaf clause. Allocates; not a hot path.
  Explanation explain(const Attributes& attributes, TimestampMs at = 0) const;

  /// The attribute paths the condition reads, in first-use order (for validation by callers).
  const std::vector<std::string>& attribute_paths() const;

  struct Node;  // implementation detail (condition.cpp)

 private:
  std::shared_ptr<const Node> root_;  // immutable once compiled, so copies share it
  std::shared_ptr<const std::vector<std::string>> attribute_paths_;
};

/// GrowthBook's evalCondition(attributes, condition, savedGroups): lenient compile + evaluate.
bool eval_condition(const Json& attributes, const Json& condition, const Json* saved_groups = nullptr);

}  // namespace stageline
