// The public face of conditions: compile, match, explain.

#include "stageline/conditions/condition.hpp"

#include "conditions/condition_nodes.hpp"
#include "stageline/common/cold_code.hpp"

namespace stageline {
// Compiling and explaining run once per condition or on request: optimized for size (stageline/cold_code.hpp).
STAGELINE_COLD_CODE_BEGIN

namespace {

using condition_detail::Entry;
using condition_detail::Matcher;
using condition_detail::Root;

Json to_json(ValueRef value) {
  switch (value.kind()) {
    case ValueKind::kUndefined:
    case ValueKind::kNull:
      return nullptr;
    case ValueKind::kBoolean:
      return value.as_bool();
    case ValueKind::kNumber:
      return value.as_number();
    case ValueKind::kString:
      return std::string(value.as_string());
    case ValueKind::kArray:
    case ValueKind::kObject:
      return *value.json();
  }
  return nullptr;
}

// Every leaf clause, without short-circuiting, so an explanation shows all the reasons at once.
void explain_node(const Condition::Node& node, const Root& root, TimestampMs at,
                  std::vector<ClauseResult>& out) {
  for (const Entry& entry : node.entries) {
    switch (entry.kind) {
      case Entry::Kind::kOr:
      case Entry::Kind::kNor:
      case Entry::Kind::kAnd:
      case Entry::Kind::kNot:
        for (const Condition::Node& child : entry.children) explain_node(child, root, at, out);
        break;
      case Entry::Kind::kPath: {
        const ValueRef value = condition_detail::lookup(root, *entry.path);
        if (entry.matcher.kind == Matcher::Kind::kOperators) {
          for (const auto& clause : entry.matcher.clauses) {
            out.push_back({clause.json_path, entry.key, clause.name, clause.operand, to_json(value),
                           condition_detail::eval_clause(clause, value, at)});
          }
        } else {
          out.push_back({entry.json_path, entry.key, "$eq", entry.operand, to_json(value),
                         condition_detail::eval_matcher(entry.matcher, value, at)});
        }
        break;
      }
      case Entry::Kind::kFalse:  // a malformed logical clause in lenient mode
        out.push_back({entry.json_path, "", entry.key, entry.operand, nullptr, false});
        break;
    }
  }
}

}  // namespace

Condition Condition::compile(const Json& condition, const ConditionOptions& options) {
  auto paths = std::make_shared<std::vector<std::string>>();
  Condition compiled;
  compiled.root_ =
      std::make_shared<const Node>(condition_detail::compile_root(condition, options, *paths));
  compiled.attribute_paths_ = std::move(paths);
  return compiled;
}

STAGELINE_COLD_CODE_END

bool Condition::matches(const Attributes& attributes, TimestampMs at) const {
  return condition_detail::eval_node(*root_, Root{&attributes, {}}, at);
}

STAGELINE_COLD_CODE_BEGIN

Explanation Condition::explain(const Attributes& attributes, TimestampMs at) const {
  Explanation explanation;
  explanation.matched = matches(attributes, at);
  explain_node(*root_, Root{&attributes, {}}, at, explanation.clauses);
  return explanation;
}

STAGELINE_COLD_CODE_END

const std::vector<std::string>& Condition::attribute_paths() const { return *attribute_paths_; }

bool eval_condition(const Json& attributes, const Json& condition, const Json* saved_groups) {
  ConditionOptions options;
  options.strict = false;
  options.saved_groups = saved_groups;
  return Condition::compile(condition, options).matches(JsonAttributes(attributes));
}

}  // namespace stageline
