// Compiling a condition: validates it (strict) or reproduces GrowthBook's fallbacks (lenient), and
// converts every operand once.

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "conditions/condition_nodes.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"
#include "values/js_semantics.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline::condition_detail {
namespace {

constexpr std::size_t kMaxDepth = 64;

constexpr std::array<std::pair<std::string_view, Op>, 32> kOperators{{
    {"$eq", Op::kEq},
    {"$ne", Op::kNe},
    {"$lt", Op::kLt},
    {"$lte", Op::kLte},
    {"$gt", Op::kGt},
    {"$gte", Op::kGte},
    {"$exists", Op::kExists},
    {"$in", Op::kIn},
    {"$nin", Op::kNin},
    {"$ini", Op::kIni},
    {"$nini", Op::kNini},
    {"$all", Op::kAll},
    {"$alli", Op::kAlli},
    {"$inGroup", Op::kInGroup},
    {"$notInGroup", Op::kNotInGroup},
    {"$not", Op::kNot},
    {"$size", Op::kSize},
    {"$elemMatch", Op::kElemMatch},
    {"$regex", Op::kRegex},
    {"$regexi", Op::kRegexi},
    {"$notRegex", Op::kNotRegex},
    {"$type", Op::kType},
    {"$veq", Op::kVeq},
    {"$vne", Op::kVne},
    {"$vgt", Op::kVgt},
    {"$vgte", Op::kVgte},
    {"$vlt", Op::kVlt},
    {"$vlte", Op::kVlte},
    {"$withinLastDays", Op::kWithinLastDays},
    {"$olderThanDays", Op::kOlderThanDays},
    {"$after", Op::kAfter},
    {"$before", Op::kBefore},
}};

constexpr std::array<std::string_view, 7> kTypeNames{"string", "number",    "boolean", "array",
                                                     "null",   "undefined", "object"};

// Stageline's own operators, which GrowthBook does not have.
bool is_extension(Op op) {
  return op == Op::kNotRegex || op == Op::kWithinLastDays || op == Op::kOlderThanDays ||
         op == Op::kAfter || op == Op::kBefore;
}

const Op* find_operator(std::string_view name) {
  for (const auto& [operator_name, op] : kOperators) {
    if (operator_name == name) return &op;
  }
  return nullptr;
}

// What a value is, for messages: scalars as written (shortened), containers by type.
std::string describe(const Json& value) {
  if (value.is_structured()) return json_type_name(value);
  std::string text = write_json(value);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

bool is_operator_object(const Json& value) {
  if (!value.is_object() || value.empty()) return false;
  for (const auto& item : value.items()) {
    if (item.key().empty() || item.key()[0] != '$') return false;
  }
  return true;
}

bool has_operator_key(const Json& value) {
  for (const auto& item : value.items()) {
    if (!item.key().empty() && item.key()[0] == '$') return true;
  }
  return false;
}

// The whole tree is measured iteratively first, so that compiling (and everything that walks
// operands recursively) never recurses deeper than the limit.
void check_depth(const Json& condition, const std::string& path) {
  std::vector<std::pair<const Json*, std::size_t>> pending{{&condition, 1}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (!value->is_structured()) continue;
    if (depth > kMaxDepth) {
      throw Error(error_code::kLimitExceeded, path,
                  "condition nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    for (const Json& child : *value) pending.emplace_back(&child, depth + 1);
  }
}

Literal make_literal(const Json& value, bool lowercase) {
  Literal literal;
  const ValueRef ref = ValueRef::of(value);
  literal.kind = ref.kind();
  switch (ref.kind()) {
    case ValueKind::kBoolean:
      literal.number = ref.as_bool() ? 1.0 : 0.0;
      break;
    case ValueKind::kNumber:
      literal.number = ref.as_number();
      break;
    case ValueKind::kString:
      literal.text = lowercase ? js::to_lower(ref.as_string()) : std::string(ref.as_string());
      break;
    case ValueKind::kArray:
    case ValueKind::kObject:
      literal.is_object = true;
      literal.text = js::to_string(value);
      break;
    default:
      break;
  }
  return literal;
}

class Compiler {
 public:
  Compiler(const ConditionOptions& options, std::vector<std::string>& paths)
      : options_(options), paths_(paths) {}

  // evalCondition's object: logical keys, or attribute paths. `top` is false below $elemMatch,
  // where paths are relative to array elements rather than attributes.
  Condition::Node node(const Json& condition, const std::string& path, bool top) {
    Condition::Node node;
    if (condition.is_object()) {
      for (const auto& item : condition.items()) {
        node.entries.push_back(entry(item.key(), item.value(), join_path(path, item.key()), top));
      }
      return node;
    }
    reject(error_code::kInvalidConfig, path,
           "expected a condition object, got " + describe(condition));
    // Lenient: what Object.entries(condition) makes of it. Numbers and booleans have no entries
    // (the condition holds); an array's entries are its indexes. Null throws a TypeError in
    // GrowthBook and strings iterate their UTF-16 units; both count as a failed clause here.
    if (condition.is_number() || condition.is_boolean()) return node;
    if (condition.is_array()) {
      for (std::size_t i = 0; i < condition.size(); ++i) {
        const std::string key = std::to_string(i);
        node.entries.push_back(entry(key, condition[i], join_path(path, i), top));
      }
      return node;
    }
    Entry entry;
    entry.json_path = path;
    entry.operand = condition;
    node.entries.push_back(std::move(entry));
    return node;
  }

 private:
  // A problem that strict mode reports and lenient mode turns into a clause that never holds.
  void reject(const char* code, const std::string& path, const std::string& message) const {
    if (options_.strict) throw Error(code, path, message);
  }

  Entry entry(const std::string& key, const Json& value, const std::string& path, bool top) {
    Entry entry;
    entry.key = key;
    entry.json_path = path;
    if (key == "$or" || key == "$nor" || key == "$and") {
      if (!value.is_array()) {
        reject(error_code::kInvalidConfig, path,
               key + " needs an array of condition objects, got " + describe(value));
        entry.operand = value;
        // Lenient: evalOr/evalAnd read `conditions.length`, undefined for objects, numbers and
        // booleans, so $or and $and hold and $nor fails; null and strings count as failed clauses.
        if (!value.is_null() && !value.is_string() && key != "$nor") entry.kind = Entry::Kind::kAnd;
        return entry;
      }
      entry.kind = key == "$or"    ? Entry::Kind::kOr
                   : key == "$nor" ? Entry::Kind::kNor
                                   : Entry::Kind::kAnd;
      for (std::size_t i = 0; i < value.size(); ++i) {
        entry.children.push_back(node(value[i], join_path(path, i), top));
      }
      return entry;
    }
    if (key == "$not") {
      entry.kind = Entry::Kind::kNot;
      entry.children.push_back(node(value, path, top));
      return entry;
    }
    if (find_operator(key) != nullptr) {
      // GrowthBook reads it as an attribute named "$gt"; a Stageline config means a mistake.
      reject(error_code::kInvalidConfig, path,
             "operator \"" + key + "\" must be applied to an attribute, e.g. {\"age\": {\"" + key +
                 "\": ...}}");
    }
    entry.kind = Entry::Kind::kPath;
    entry.path.emplace(key);
    entry.operand = value;
    if (top && std::find(paths_.begin(), paths_.end(), key) == paths_.end()) paths_.push_back(key);
    entry.matcher = matcher(value, path, false);
    return entry;
  }

  // evalConditionValue's condition.
  Matcher matcher(const Json& value, const std::string& path, bool insensitive) {
    Matcher matcher;
    matcher.insensitive = insensitive;
    if (value.is_string()) {
      matcher.kind = Matcher::Kind::kString;
      matcher.text = insensitive ? js::to_lower(value.get_ref<const std::string&>())
                                 : value.get<std::string>();
    } else if (value.is_number()) {
      matcher.kind = Matcher::Kind::kNumber;
      matcher.number = value.get<double>();
    } else if (value.is_boolean()) {
      matcher.kind = Matcher::Kind::kBoolean;
      matcher.boolean = value.get<bool>();
    } else if (value.is_null()) {
      matcher.kind = Matcher::Kind::kNull;
    } else if (!is_operator_object(value)) {
      if (value.is_object() && has_operator_key(value)) {
        reject(error_code::kInvalidConfig, path,
               "mixes operators and plain keys (an object with plain keys is compared as a whole "
               "value)");
      }
      matcher.kind = Matcher::Kind::kStringify;
      matcher.text = js::stringify(value);
    } else {
      matcher.kind = Matcher::Kind::kOperators;
      for (const auto& item : value.items()) {
        matcher.clauses.push_back(
            clause(item.key(), item.value(), join_path(path, item.key()), path));
      }
      matcher.numeric_comparisons =
          std::all_of(matcher.clauses.begin(), matcher.clauses.end(), is_numeric_comparison);
    }
    return matcher;
  }

  Clause clause(const std::string& name, const Json& operand, const std::string& path,
                const std::string& attribute_path) {
    Clause clause;
    clause.name = name;
    clause.json_path = path;
    clause.operand = operand;
    const Op* op = find_operator(name);
    if (op != nullptr && !options_.extensions && is_extension(*op)) op = nullptr;
    if (op == nullptr) {
      reject(error_code::kUnknownOperator, attribute_path, "unknown operator \"" + name + "\"");
      return clause;  // kFalse: GrowthBook logs and fails the clause
    }
    const auto needs = [&](bool ok, const std::string& what,
                           const char* code = error_code::kInvalidConfig) {
      if (!ok) reject(code, path, name + " needs " + what + ", got " + describe(operand));
      return ok;
    };
    switch (*op) {
      case Op::kEq:
      case Op::kNe:
        // `actual === [..]` compares identity, so GrowthBook never matches an array operand; the
        // lenient clause keeps it and equals nothing, as there.
        needs(!operand.is_structured(),
              "a string, number, boolean or null (to compare arrays or objects, write them as the "
              "bare value)");
        break;
      case Op::kLt:
      case Op::kLte:
      case Op::kGt:
      case Op::kGte:
        needs(operand.is_number() || operand.is_string(), "a number or a string");
        break;
      case Op::kExists:
        needs(operand.is_boolean(), "true or false");
        clause.flag = js::to_boolean(ValueRef::of(operand));
        break;
      case Op::kIn:
      case Op::kNin:
      case Op::kIni:
      case Op::kNini:
        if (!needs(operand.is_array(), "an array")) return clause;
        for (const Json& element : operand) {
          clause.list.push_back(make_literal(element, *op == Op::kIni || *op == Op::kNini));
        }
        break;
      case Op::kAll:
      case Op::kAlli:
        if (!needs(operand.is_array(), "an array")) return clause;
        for (std::size_t i = 0; i < operand.size(); ++i) {
          clause.all.push_back(matcher(operand[i], join_path(path, i), *op == Op::kAlli));
        }
        break;
      case Op::kInGroup:
      case Op::kNotInGroup:
        bind_saved_group(clause, operand, path);
        break;
      case Op::kNot:
      case Op::kSize:
        if (*op == Op::kSize)
          needs(operand.is_number() || is_operator_object(operand),
                "a number or an operator object");
        clause.inner = std::make_unique<Matcher>(matcher(operand, path, false));
        break;
      case Op::kElemMatch:
        // Lenient: GrowthBook hands any other operand to evalCondition as a condition, which
        // node() reads as Object.entries does (5 and true hold for every element); null throws
        // a TypeError there and fails the clause here.
        if (!needs(operand.is_object(), "an object (a condition or operators)") && operand.is_null()) {
          return clause;
        }
        if (is_operator_object(operand)) {
          clause.inner = std::make_unique<Matcher>(matcher(operand, path, false));
        } else {
          clause.element_condition = std::make_unique<Condition::Node>(node(operand, path, false));
        }
        break;
      case Op::kRegex:
      case Op::kRegexi:
      case Op::kNotRegex:
        if (!needs(operand.is_string(), "a string (a JavaScript regular expression)"))
          return clause;
        try {
          clause.regex.emplace(
              Regex::compile(operand.get_ref<const std::string&>(), *op == Op::kRegexi));
        } catch (const Error& e) {
          reject(e.code().c_str(), path,
                 "invalid regular expression /" + operand.get<std::string>() + "/: " + e.what());
          return clause;  // GrowthBook catches the SyntaxError and fails the clause
        }
        break;
      case Op::kType: {
        const bool known = operand.is_string() &&
                           std::find(kTypeNames.begin(), kTypeNames.end(),
                                     operand.get_ref<const std::string&>()) != kTypeNames.end();
        needs(known,
              "one of \"string\", \"number\", \"boolean\", \"array\", \"null\", \"undefined\", "
              "\"object\"");
        if (!operand.is_string()) return clause;  // getType(...) === 5 is never true
        clause.text = operand.get<std::string>();
        break;
      }
      case Op::kVeq:
      case Op::kVne:
      case Op::kVgt:
      case Op::kVgte:
      case Op::kVlt:
      case Op::kVlte: {
        needs(operand.is_string() || operand.is_number(), "a version string");
        js::StringSink padded(clause.text);
        emit_padded_version(ValueRef::of(operand), padded);
        break;
      }
      case Op::kWithinLastDays:
      case Op::kOlderThanDays:
        if (!needs(operand.is_number() && std::isfinite(operand.get<double>()) &&
                       operand.get<double>() >= 0,
                   "a non-negative number of days")) {
          return clause;
        }
        clause.number = operand.get<double>();
        break;
      case Op::kAfter:
      case Op::kBefore: {
        const auto instant = timestamp_from_json(operand);
        if (!needs(instant.has_value(), "an ISO-8601 date-time or epoch milliseconds",
                   error_code::kInvalidTimestamp)) {
          return clause;
        }
        clause.number = static_cast<double>(*instant);
        break;
      }
      case Op::kFalse:
        return clause;
    }
    clause.literal = make_literal(operand, false);
    clause.op = *op;
    return clause;
  }

  // savedGroups[id] || []; strict mode insists that the group exists and is an array.
  void bind_saved_group(Clause& clause, const Json& operand, const std::string& path) {
    if (options_.strict && !operand.is_string()) {
      throw Error(error_code::kInvalidConfig, path,
                  clause.name + " needs a saved group id (a string), got " + describe(operand));
    }
    const std::string id =
        operand.is_string() ? operand.get<std::string>() : js::to_string(operand);
    const Json* groups = options_.saved_groups;
    const Json* group = nullptr;
    if (groups != nullptr && groups->is_object()) {
      const auto it = groups->find(id);
      if (it != groups->end()) group = &*it;
    }
    if (group == nullptr) {
      reject(error_code::kNotFound, path, "unknown saved group \"" + id + "\"");
      return;  // an empty group: $inGroup fails, $notInGroup holds
    }
    if (!group->is_array()) {
      reject(error_code::kInvalidConfig, path,
             "saved group \"" + id + "\" is " + json_type_name(*group) + ", expected an array");
      return;
    }
    for (const Json& member : *group) clause.list.push_back(make_literal(member, false));
  }

  const ConditionOptions& options_;
  std::vector<std::string>& paths_;
};

}  // namespace

Condition::Node compile_root(const Json& condition, const ConditionOptions& options,
                             std::vector<std::string>& paths) {
  check_depth(condition, options.path_prefix);
  return Compiler(options, paths).node(condition, options.path_prefix, true);
}

}  // namespace stageline::condition_detail

STAGELINE_COLD_CODE_END
