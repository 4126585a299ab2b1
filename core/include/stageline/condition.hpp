#pragma once
/// Conditions: GrowthBook-compatible MongoDB-style targeting conditions, compiled once into an
/// immutable tree and evaluated many times without allocating.

#include <memory>
#include <string>
#include <vector>

#include "stageline/json.hpp"
#include "stageline/timestamp.hpp"
#include "stageline/value.hpp"

namespace stageline {

struct ConditionOptions {
  /// Strict (the default for Stageline configs): unknown operators, invalid regexes and wrongly
  /// typed operands are compile errors naming their JSON path. Lenient reproduces GrowthBook's
  /// evaluator exactly: such clauses simply evaluate to false.
  bool strict = true;
  /// GrowthBook saved groups ({"groupId": [values...]}) for $inGroup / $notInGroup, bound at
  /// compile time. Unknown group ids are an error when strict, an empty group when lenient.
  const Json* saved_groups = nullptr;
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
  /// operators; it is never read from a clock. Allocates nothing.
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
