// Compiling a JsonLogic rule: operators resolved to Op once, var paths split once, literals kept
// as Json so that evaluation only walks the tree.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "jsonlogic/json_logic_nodes.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/jsonlogic/json_logic.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline::json_logic {
namespace {

struct OperatorName {
  std::string_view name;
  Op op;
};

// json-logic-js 2.0.5's operators: the ones apply() handles itself, then its `operations` table.
constexpr OperatorName kOperators[] = {
    {"var", Op::kVar},
    {"if", Op::kIf},
    {"?:", Op::kIf},
    {"and", Op::kAnd},
    {"or", Op::kOr},
    {"filter", Op::kFilter},
    {"map", Op::kMap},
    {"reduce", Op::kReduce},
    {"all", Op::kAll},
    {"none", Op::kNone},
    {"some", Op::kSome},
    {"==", Op::kLooseEqual},
    {"===", Op::kStrictEqual},
    {"!=", Op::kLooseNotEqual},
    {"!==", Op::kStrictNotEqual},
    {">", Op::kGreater},
    {">=", Op::kGreaterEqual},
    {"<", Op::kLess},
    {"<=", Op::kLessEqual},
    {"!!", Op::kTruthy},
    {"!", Op::kNot},
    {"%", Op::kModulo},
    {"log", Op::kLog},
    {"in", Op::kIn},
    {"cat", Op::kCat},
    {"substr", Op::kSubstr},
    {"+", Op::kAdd},
    {"*", Op::kMultiply},
    {"-", Op::kSubtract},
    {"/", Op::kDivide},
    {"min", Op::kMin},
    {"max", Op::kMax},
    {"merge", Op::kMerge},
    {"missing", Op::kMissing},
    {"missing_some", Op::kMissingSome},
};

Op find_operator(std::string_view name) {
  for (const OperatorName& entry : kOperators) {
    if (entry.name == name) return entry.op;
  }
  return Op::kUnknown;
}

// The var argument decides at compile time whether the path is fixed.
void resolve_var(Node& node) {
  if (node.args.empty()) {
    node.var_mode = VarMode::kWholeData;
    return;
  }
  const Node& first = node.args.front();
  if (first.op != Op::kLiteral) return;  // computed: kDynamic
  const Json& name = first.literal;
  if (name.is_null() || (name.is_string() && name.get_ref<const std::string&>().empty())) {
    node.var_mode = VarMode::kWholeData;
    return;
  }
  node.var_mode = VarMode::kStaticPath;
  node.segments = split_path(to_js_string(name));
}

}  // namespace

Node compile_node(const Json& rule, const std::string& path, int depth) {
  if (depth > JsonLogicRule::kMaxDepth) {
    throw Error(
        error_code::kLimitExceeded, path,
        "the rule nests deeper than " + std::to_string(JsonLogicRule::kMaxDepth) + " levels");
  }
  Node node;
  node.path = path;
  if (rule.is_array()) {
    node.op = Op::kArray;
    node.args.reserve(rule.size());
    for (std::size_t i = 0; i < rule.size(); ++i) {
      node.args.push_back(compile_node(rule[i], join_path(path, i), depth + 1));
    }
    // An array of literals is built once. apply() makes a fresh array each time, but no rule can
    // compare two evaluations of the same array node, so borrowing it is indistinguishable.
    const bool constant = std::all_of(node.args.begin(), node.args.end(),
                                      [](const Node& arg) { return arg.op == Op::kLiteral; });
    if (constant) {
      node.literal = Json::array();
      for (Node& arg : node.args) node.literal.push_back(std::move(arg.literal));
      node.args.clear();
      node.op = Op::kLiteral;
    }
    return node;
  }
  if (!rule.is_object() || rule.size() != 1) {
    node.op = Op::kLiteral;
    node.literal = rule;
    return node;
  }
  const auto member = rule.begin();
  const std::string& name = member.key();
  const Json& values = member.value();
  node.op = find_operator(name);
  if (node.op == Op::kUnknown) node.literal = name;
  const std::string operands_path = join_path(path, std::string_view(name));
  if (values.is_array()) {
    node.args.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      // Depth counts JSON nesting, so the operand array is a level of its own.
      node.args.push_back(compile_node(values[i], join_path(operands_path, i), depth + 2));
    }
  } else {
    node.args.push_back(compile_node(values, operands_path, depth + 1));
  }
  if (node.op == Op::kVar) resolve_var(node);
  return node;
}

}  // namespace stageline::json_logic

namespace stageline {

JsonLogicRule JsonLogicRule::compile(const Json& rule) {
  return JsonLogicRule(
      std::make_shared<const json_logic::Node>(json_logic::compile_node(rule, "", 0)));
}

namespace {

const json_logic::Node* first_unknown(const json_logic::Node& node) {
  if (node.op == json_logic::Op::kUnknown) return &node;
  for (const json_logic::Node& arg : node.args) {
    if (const json_logic::Node* found = first_unknown(arg)) return found;
  }
  return nullptr;
}

}  // namespace

void JsonLogicRule::require_known_operators(const std::string& path) const {
  const json_logic::Node* unknown = first_unknown(*root_);
  if (unknown == nullptr) return;
  const std::string& inner = unknown->path;
  const std::string full = inner.empty() ? path : inner.front() == '[' || path.empty() ? path + inner : path + "." + inner;
  throw Error(error_code::kUnknownOperator, full,
              "unrecognized operation \"" + unknown->literal.get<std::string>() + "\"");
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
