// Evaluating a compiled condition: GrowthBook's mongrule.ts semantics, allocation-free.

#include <cmath>
#include <string>

#include "conditions/condition_nodes.hpp"
#include "values/js_semantics.hpp"

namespace stageline::condition_detail {
namespace {

// String() of a value that is not an array or object never needs more room than a number's text
// or its own storage; arrays and objects are rendered into this much stack before falling back to
// the heap (only $regex on an array attribute whose text exceeds it allocates).
constexpr std::size_t kRegexTextCapacity = 1024;

bool to_string_equals(const ValueRef& value, std::string_view expected, bool lowercase) {
  js::EqualsSink equals(expected);
  if (lowercase) {
    js::LowercaseSink lower(equals);
    js::emit_to_string(value, lower);
  } else {
    js::emit_to_string(value, equals);
  }
  return equals.equal();
}

// `actual === expected` for a primitive literal operand (an array or object operand is a fresh
// object, identical to nothing).
bool strict_equals(const ValueRef& actual, const Literal& expected) {
  if (expected.is_object || actual.kind() != expected.kind) return false;
  switch (actual.kind()) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kBoolean:
      return actual.as_bool() == (expected.number != 0);
    case ValueKind::kNumber:
      return actual.as_number() == expected.number;
    case ValueKind::kString:
      return actual.as_string() == expected.text;
    default:
      return false;
  }
}

// Array.prototype.includes (SameValueZero; JSON has no NaN, so === suffices) or, for $ini/$nini,
// `caseFold(actual) === caseFold(expected)` with the list pre-lowered.
bool list_includes(const std::vector<Literal>& list, const ValueRef& value, bool insensitive) {
  for (const Literal& candidate : list) {
    if (insensitive && value.kind() == ValueKind::kString && candidate.kind == ValueKind::kString) {
      if (to_string_equals(value, candidate.text, true)) return true;
    } else if (strict_equals(value, candidate)) {
      return true;
    }
  }
  return false;
}

// isIn: an array attribute matches when any of its elements is in the list.
bool is_in(const std::vector<Literal>& list, const ValueRef& actual, bool insensitive) {
  if (actual.kind() == ValueKind::kArray) {
    for (const Json& element : *actual.json()) {
      if (list_includes(list, ValueRef::of(element), insensitive)) return true;
    }
    return false;
  }
  return list_includes(list, actual, insensitive);
}

enum class Order { kLess, kEqual, kGreater, kUnordered };

// The Abstract Relational Comparison behind `actual < expected` and friends: after ToPrimitive
// (arrays and objects become their String() text), two strings compare by UTF-16 code units and
// anything else compares as numbers, NaN being unordered.
Order relational_order_generic(const ValueRef& actual, const Literal& expected) {
  const bool actual_is_text = actual.kind() == ValueKind::kString ||
                              actual.kind() == ValueKind::kArray ||
                              actual.kind() == ValueKind::kObject;
  if (actual_is_text && (expected.kind == ValueKind::kString || expected.is_object)) {
    js::CompareSink compare(expected.text);
    js::emit_to_string(actual, compare);
    const int result = compare.result();
    return result < 0 ? Order::kLess : result > 0 ? Order::kGreater : Order::kEqual;
  }
  const double left = js::to_number(actual);
  double right = expected.number;
  if (expected.kind == ValueKind::kString || expected.is_object)
    right = js::string_to_number(expected.text);
  if (expected.kind == ValueKind::kNull) right = 0.0;
  if (std::isnan(left) || std::isnan(right)) return Order::kUnordered;
  return left < right ? Order::kLess : left > right ? Order::kGreater : Order::kEqual;
}

// Number against number literal, by far the most common comparison, skips ToPrimitive and
// ToNumber; the result is the same as the generic path's (NaN is unordered either way).
inline Order relational_order(const ValueRef& actual, const Literal& expected) {
  if (actual.kind() == ValueKind::kNumber && expected.kind == ValueKind::kNumber) {
    const double left = actual.as_number();
    const double right = expected.number;
    if (left < right) return Order::kLess;
    if (left > right) return Order::kGreater;
    return left == right ? Order::kEqual : Order::kUnordered;
  }
  return relational_order_generic(actual, expected);
}

int version_order(const ValueRef& actual, const std::string& expected_padded) {
  js::CompareSink compare(expected_padded);
  emit_padded_version(actual, compare);
  return compare.result();
}

bool regex_test(const Regex& regex, const ValueRef& actual) {
  if (actual.kind() == ValueKind::kString) return regex.search(actual.as_string());
  char buffer[kRegexTextCapacity];
  js::BufferSink text(buffer, sizeof buffer);
  js::emit_to_string(actual, text);
  if (!text.overflowed()) return regex.search(text.text());
  std::string long_text;
  js::StringSink collect(long_text);
  js::emit_to_string(actual, collect);
  return regex.search(long_text);
}

// An attribute as a point in time: epoch milliseconds, or text parse_timestamp accepts.
bool attribute_time(const ValueRef& actual, double& ms) {
  if (actual.kind() == ValueKind::kNumber) {
    ms = actual.as_number();
    return std::isfinite(ms);
  }
  if (actual.kind() == ValueKind::kString) {
    const auto parsed = parse_timestamp(actual.as_string());
    if (!parsed) return false;
    ms = static_cast<double>(*parsed);
    return true;
  }
  return false;
}

bool elem_match(const Clause& clause, const ValueRef& actual, TimestampMs at) {
  if (actual.kind() != ValueKind::kArray) return false;
  for (const Json& element : *actual.json()) {
    const ValueRef item = ValueRef::of(element);
    // `(actual[i] ?? null) !== null && check(actual[i])`: GrowthBook skips null elements only
    // (since sdk-js 1.x; 0, "" and false are tested like any other element).
    if (item.is_nullish()) continue;
    const bool held = clause.inner ? eval_matcher(*clause.inner, item, at)
                                   : eval_node(*clause.element_condition, Root{nullptr, item}, at);
    if (held) return true;
  }
  return false;
}

// isInAll: every wanted matcher is met by some element.
bool all_match(const Clause& clause, const ValueRef& actual, TimestampMs at) {
  if (actual.kind() != ValueKind::kArray) return false;
  for (const Matcher& wanted : clause.all) {
    bool found = false;
    for (const Json& element : *actual.json()) {
      if (eval_matcher(wanted, ValueRef::of(element), at)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

// A Matcher with numeric_comparisons against a number attribute, or null (`is_null`, with
// `actual` 0): the operators' JavaScript meaning there. Null is === to no number but compares as
// 0 (ToNumber(null)); NaN compares false and unequal.
bool numeric_comparisons_hold(const std::vector<Clause>& clauses, double actual, bool is_null) {
  for (const Clause& clause : clauses) {
    const double expected = clause.literal.number;
    bool held = false;
    switch (clause.op) {
      case Op::kEq:
        held = !is_null && actual == expected;
        break;
      case Op::kNe:
        held = is_null || actual != expected;
        break;
      case Op::kLt:
        held = actual < expected;
        break;
      case Op::kLte:
        held = actual <= expected;
        break;
      case Op::kGt:
        held = actual > expected;
        break;
      case Op::kGte:
        held = actual >= expected;
        break;
      default:
        break;
    }
    if (!held) return false;
  }
  return true;
}

}  // namespace

ValueRef lookup(const Root& root, const AttributePath& path) {
  ValueRef value = root.attributes != nullptr ? root.attributes->resolve(path)
                                              : js::get_path(root.element, path.segments);
  if (value.kind() == ValueKind::kUndefined) value = ValueRef::null();
  return value;
}

bool eval_clause(const Clause& clause, const ValueRef& actual, TimestampMs at) {
  switch (clause.op) {
    case Op::kEq:
      return strict_equals(actual, clause.literal);
    case Op::kNe:
      return !strict_equals(actual, clause.literal);
    case Op::kLt:
      return relational_order(actual, clause.literal) == Order::kLess;
    case Op::kGt:
      return relational_order(actual, clause.literal) == Order::kGreater;
    case Op::kLte: {
      const Order order = relational_order(actual, clause.literal);
      return order == Order::kLess || order == Order::kEqual;
    }
    case Op::kGte: {
      const Order order = relational_order(actual, clause.literal);
      return order == Order::kGreater || order == Order::kEqual;
    }
    case Op::kExists:
      return clause.flag ? !actual.is_nullish() : actual.is_nullish();
    case Op::kIn:
    case Op::kInGroup:
      return is_in(clause.list, actual, false);
    case Op::kNin:
    case Op::kNotInGroup:
      return !is_in(clause.list, actual, false);
    case Op::kIni:
      return is_in(clause.list, actual, true);
    case Op::kNini:
      return !is_in(clause.list, actual, true);
    case Op::kAll:
    case Op::kAlli:
      return all_match(clause, actual, at);
    case Op::kNot:
      return !eval_matcher(*clause.inner, actual, at);
    case Op::kSize:
      return actual.kind() == ValueKind::kArray &&
             eval_matcher(*clause.inner,
                          ValueRef::number(static_cast<double>(actual.json()->size())), at);
    case Op::kElemMatch:
      return elem_match(clause, actual, at);
    case Op::kRegex:
    case Op::kRegexi:
      return regex_test(*clause.regex, actual);
    case Op::kNotRegex:
      return !regex_test(*clause.regex, actual);
    case Op::kType:
      return js::type_name(actual) == clause.text;
    case Op::kVeq:
      return version_order(actual, clause.text) == 0;
    case Op::kVne:
      return version_order(actual, clause.text) != 0;
    case Op::kVgt:
      return version_order(actual, clause.text) > 0;
    case Op::kVgte:
      return version_order(actual, clause.text) >= 0;
    case Op::kVlt:
      return version_order(actual, clause.text) < 0;
    case Op::kVlte:
      return version_order(actual, clause.text) <= 0;
    case Op::kWithinLastDays: {
      double t = 0;
      const double now = static_cast<double>(at);
      return attribute_time(actual, t) && now - clause.number * kMsPerDay <= t && t <= now;
    }
    case Op::kOlderThanDays: {
      double t = 0;
      return attribute_time(actual, t) && t < static_cast<double>(at) - clause.number * kMsPerDay;
    }
    case Op::kAfter: {
      double t = 0;
      return attribute_time(actual, t) && t > clause.number;
    }
    case Op::kBefore: {
      double t = 0;
      return attribute_time(actual, t) && t < clause.number;
    }
    case Op::kFalse:
      return false;
  }
  return false;
}

bool eval_matcher(const Matcher& matcher, const ValueRef& value, TimestampMs at) {
  switch (matcher.kind) {
    case Matcher::Kind::kString:
      return to_string_equals(value, matcher.text, matcher.insensitive);
    case Matcher::Kind::kNumber:
      return js::to_number(value) == matcher.number;  // `value * 1`
    case Matcher::Kind::kBoolean:
      return value.kind() != ValueKind::kNull && js::to_boolean(value) == matcher.boolean;
    case Matcher::Kind::kNull:
      return value.kind() == ValueKind::kNull;
    case Matcher::Kind::kStringify: {
      if (value.kind() == ValueKind::kUndefined) return false;  // JSON.stringify gives undefined
      js::EqualsSink equals(matcher.text);
      js::emit_stringify(value, equals);
      return equals.equal();
    }
    case Matcher::Kind::kOperators:
      if (matcher.numeric_comparisons && value.kind() == ValueKind::kNumber) {
        return numeric_comparisons_hold(matcher.clauses, value.as_number(), false);
      }
      for (const Clause& clause : matcher.clauses) {
        if (!eval_clause(clause, value, at)) return false;
      }
      return true;
    case Matcher::Kind::kFalse:
      return false;
  }
  return false;
}

namespace {

// A kPath entry: the attribute's value against its matcher. The common `{attribute: {$gte: 2}}`
// on a number attribute (or a missing one, which reads as null) is decided here, without the
// calls through eval_matcher and eval_clause.
inline bool path_holds(const Entry& entry, const Root& root, TimestampMs at) {
  const ValueRef value = lookup(root, *entry.path);
  if (entry.matcher.numeric_comparisons) {
    if (value.kind() == ValueKind::kNumber) {
      return numeric_comparisons_hold(entry.matcher.clauses, value.as_number(), false);
    }
    if (value.kind() == ValueKind::kNull) {
      return numeric_comparisons_hold(entry.matcher.clauses, 0.0, true);
    }
  }
  return eval_matcher(entry.matcher, value, at);
}

// eval_node on an operand of $and, $or or $nor. Such operands are usually a single path entry,
// which is decided without another level of recursion.
inline bool child_holds(const Condition::Node& child, const Root& root, TimestampMs at) {
  if (child.entries.size() == 1 && child.entries.front().kind == Entry::Kind::kPath) {
    return path_holds(child.entries.front(), root, at);
  }
  return eval_node(child, root, at);
}

}  // namespace

bool eval_node(const Condition::Node& node, const Root& root, TimestampMs at) {
  for (const Entry& entry : node.entries) {
    switch (entry.kind) {
      case Entry::Kind::kOr:
      case Entry::Kind::kNor: {
        bool any = entry.children.empty();  // evalOr: an empty $or passes
        for (const Condition::Node& child : entry.children) {
          if (child_holds(child, root, at)) {
            any = true;
            break;
          }
        }
        if (any == (entry.kind == Entry::Kind::kNor)) return false;
        break;
      }
      case Entry::Kind::kAnd:
        for (const Condition::Node& child : entry.children) {
          if (!child_holds(child, root, at)) return false;
        }
        break;
      case Entry::Kind::kNot:
        if (eval_node(entry.children.front(), root, at)) return false;
        break;
      case Entry::Kind::kPath:
        if (!path_holds(entry, root, at)) return false;
        break;
      case Entry::Kind::kFalse:
        return false;
    }
  }
  return true;
}

}  // namespace stageline::condition_detail
