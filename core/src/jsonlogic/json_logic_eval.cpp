// Applying a compiled JsonLogic rule: a port of json-logic-js 2.0.5's apply() and operations.
// Values read from the data or from the rule are borrowed rather than copied; that also gives
// arrays and objects JavaScript's identity semantics for == and === (the same node is the same
// object; a freshly built array equals nothing).

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "jsonlogic/json_logic_nodes.hpp"
#include "stageline/common/error.hpp"
#include "stageline/jsonlogic/json_logic.hpp"

namespace stageline::json_logic {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const Json& undefined_json() {
  static const Json kUndefined(Json::value_t::discarded);
  return kUndefined;
}

/// A result: either a node of the data or of the rule (borrowed), or a value built here (owned).
class Value {
 public:
  static Value borrow(const Json& json) {
    Value value;
    value.ref_ = &json;
    return value;
  }
  static Value own(Json json) {
    Value value;
    value.owned_ = std::move(json);
    return value;
  }
  static Value undefined() { return own(JsonLogicRule::undefined()); }

  const Json& get() const { return ref_ != nullptr ? *ref_ : owned_; }
  Json take() && { return ref_ != nullptr ? *ref_ : std::move(owned_); }
  const Json* node() const { return ref_; }

 private:
  const Json* ref_ = nullptr;
  Json owned_;
};

/// The evaluated operands of one operation: up to four live on the stack, so that typical rules
/// evaluate without allocating for their operand lists.
class Operands {
 public:
  Operands(const std::vector<Node>& args, const Json& data,
           Value (*evaluate)(const Node&, const Json&)) {
    count_ = args.size();
    if (count_ > kInline) {
      heap_.reserve(count_);
      for (const Node& arg : args) heap_.push_back(evaluate(arg, data));
      first_ = heap_.data();
    } else {
      for (std::size_t i = 0; i < count_; ++i) inline_[i] = evaluate(args[i], data);
      first_ = inline_;
    }
  }
  Operands(const Operands&) = delete;
  Operands& operator=(const Operands&) = delete;

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  Value* begin() const { return first_; }
  Value* end() const { return first_ + count_; }
  Value& operator[](std::size_t i) const { return first_[i]; }
  Value& front() const { return first_[0]; }

 private:
  static constexpr std::size_t kInline = 4;
  Value inline_[kInline];
  std::vector<Value> heap_;
  Value* first_ = nullptr;
  std::size_t count_ = 0;
};

bool same_node(const Value& a, const Value& b) {
  return a.node() != nullptr && a.node() == b.node();
}

bool is_nullish(const Json& value) { return value.is_null() || value.is_discarded(); }

bool is_empty_string(const Json& value) {
  return value.is_string() && value.get_ref<const std::string&>().empty();
}

// True for what apply() treats as an operation or evaluates element-wise.
bool is_rule_like(const Json& value) {
  return value.is_array() || (value.is_object() && value.size() == 1);
}

// data[key] for one path segment; undefined when absent.
Value property(const Value& base, const PathSegment& segment) {
  const Json& value = base.get();
  if (value.is_object()) {
    const auto it = value.find(segment.key);
    return it == value.end() ? Value::undefined() : Value::borrow(*it);
  }
  if (value.is_array()) {
    if (segment.is_index && segment.index < value.size())
      return Value::borrow(value[segment.index]);
    if (segment.key == "length") return Value::own(static_cast<double>(value.size()));
    return Value::undefined();
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    const std::size_t length = utf16_length(text);
    if (segment.is_index && segment.index < length)
      return Value::own(substr(text, segment.index, true, 1));
    if (segment.key == "length") return Value::own(static_cast<double>(length));
  }
  return Value::undefined();
}

// The walk of operations.var once the path is known.
Value lookup(const Json& data, const std::vector<PathSegment>& segments, Value not_found) {
  Value current = Value::borrow(data);
  for (const PathSegment& segment : segments) {
    if (is_nullish(current.get())) return not_found;
    Value next = property(current, segment);
    if (next.get().is_discarded()) return not_found;
    current = std::move(next);
  }
  return current;
}

Value lookup_dynamic(const Json& data, const Json& name, Value not_found) {
  if (is_nullish(name) || is_empty_string(name)) return Value::borrow(data);
  return lookup(data, split_path(to_js_string(name)), std::move(not_found));
}

Value eval(const Node& node, const Json& data);

Value eval_arg(const Node& node, std::size_t i, const Json& data) {
  return i < node.args.size() ? eval(node.args[i], data) : Value::undefined();
}

// jsonLogic.apply({"var": key}, data), for a key that is itself data (missing, missing_some).
bool key_is_missing(const Json& key, const Json& data, const std::string& path) {
  if (is_rule_like(key)) {
    Json rule = Json::object();
    rule["var"] = key;
    const Node node = compile_node(rule, path, 0);  // outlives `found`, which may borrow from it
    const Value found = eval(node, data);
    return found.get().is_null() || is_empty_string(found.get());
  }
  const Value found = lookup_dynamic(data, key, Value::own(nullptr));
  return found.get().is_null() || is_empty_string(found.get());
}

template <typename Values>
Json missing_keys(const Values& values, const Json& data, const std::string& path) {
  Json missing = Json::array();
  auto check = [&](const Json& key) {
    if (key_is_missing(key, data, path)) missing.push_back(key);
  };
  if (!values.empty() && values.front().get().is_array()) {
    for (const Json& key : values.front().get()) check(key);
  } else {
    for (const Value& key : values) check(key.get());
  }
  return missing;
}

Json missing_some(const Json& need, const Json& options, const Json& data,
                  const std::string& path) {
  Json missing;
  const bool plain_array =
      options.is_array() && std::none_of(options.begin(), options.end(), is_rule_like);
  if (plain_array || !is_rule_like(options)) {
    std::vector<Value> keys;
    if (plain_array) {
      for (const Json& key : options) keys.push_back(Value::borrow(key));
    } else {
      keys.push_back(Value::borrow(options));
    }
    missing = missing_keys(keys, data, path);
  } else {
    Json rule = Json::object();
    rule["missing"] = options;
    missing = eval(compile_node(rule, path, 0), data).take();
  }
  double length = kNaN;
  if (is_nullish(options)) {
    throw Error(error_code::kInvalidConfig, path,
                "missing_some needs an array of keys (JavaScript: cannot read 'length' of " +
                    to_js_string(options) + ")");
  } else if (options.is_array()) {
    length = static_cast<double>(options.size());
  } else if (options.is_string()) {
    length = static_cast<double>(utf16_length(options.get_ref<const std::string&>()));
  } else if (options.is_object() && options.contains("length")) {
    length = to_js_number(options["length"]);
  }
  const Order order = compare(Json(length - static_cast<double>(missing.size())), need);
  if (order == Order::kGreater || order == Order::kEqual) return Json::array();
  return missing;
}

Json in(const Value& needle, const Json& haystack, const std::string& path) {
  if (!to_js_boolean(haystack)) return false;
  if (haystack.is_string()) {
    return haystack.get_ref<const std::string&>().find(to_js_string(needle.get())) !=
           std::string::npos;
  }
  if (haystack.is_array()) {
    for (const Json& element : haystack) {
      if (strict_equal(needle.get(), element, needle.node() == &element)) return true;
    }
    return false;
  }
  if (haystack.is_object() && haystack.contains("indexOf")) {
    throw Error(error_code::kInvalidConfig, path,
                "\"in\" on an object whose indexOf is not a function");
  }
  return false;
}

Json cat(const Operands& values) {
  std::string text;
  for (const Value& value : values) {
    if (!is_nullish(value.get())) text += to_js_string(value.get());
  }
  return text;
}

Json substr_operation(const Json& source, const Json& start, const Json& end) {
  const std::string text = to_js_string(source);
  if (compare(end, Json(0.0)) == Order::kLess) {
    // JavaScript has no negative substr length; json-logic-js emulates PHP's by trimming.
    const std::string rest = substr(text, to_js_number(start), false, 0);
    const double length = static_cast<double>(utf16_length(rest));
    double count;
    if (end.is_number()) {
      count = length + end.get<double>();
    } else {  // `temp.length + end` concatenates when end is a string, array or object
      count = to_js_number(Json(to_js_string(Json(length)) + to_js_string(end)));
    }
    return substr(rest, 0, true, count);
  }
  return substr(text, to_js_number(start), !end.is_discarded(), to_js_number(end));
}

Json min_max(const Operands& values, bool is_min) {
  double result =
      is_min ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  bool nan = false;
  for (const Value& value : values) {
    const double x = to_js_number(value.get());
    if (std::isnan(x)) {
      nan = true;
    } else if (is_min ? (x < result || (x == 0 && result == 0 && std::signbit(x)))
                      : (x > result || (x == 0 && result == 0 && !std::signbit(x)))) {
      result = x;
    }
  }
  return nan ? kNaN : result;
}

Json merge(const Operands& values) {
  Json merged = Json::array();
  for (Value& value : values) {
    Json part = std::move(value).take();
    if (part.is_array()) {
      for (Json& element : part) merged.push_back(std::move(element));
    } else {
      merged.push_back(std::move(part));
    }
  }
  return merged;
}

// The operations that evaluate every operand first.
Value eval_operation(const Node& node, const Json& data) {
  const Operands values(node.args, data, &eval);
  auto at = [&](std::size_t i) -> const Json& {
    return i < values.size() ? values[i].get() : undefined_json();
  };
  auto same = [&](std::size_t i, std::size_t j) {
    return i < values.size() && j < values.size() && same_node(values[i], values[j]);
  };
  auto order = [&](std::size_t i, std::size_t j) { return compare(at(i), at(j)); };
  auto less = [&](std::size_t i, std::size_t j, bool or_equal) {
    const Order o = order(i, j);
    return o == Order::kLess || (or_equal && o == Order::kEqual);
  };
  switch (node.op) {
    case Op::kLooseEqual:
      return Value::own(loose_equal(at(0), at(1), same(0, 1)));
    case Op::kStrictEqual:
      return Value::own(strict_equal(at(0), at(1), same(0, 1)));
    case Op::kLooseNotEqual:
      return Value::own(!loose_equal(at(0), at(1), same(0, 1)));
    case Op::kStrictNotEqual:
      return Value::own(!strict_equal(at(0), at(1), same(0, 1)));
    case Op::kGreater:
      return Value::own(order(0, 1) == Order::kGreater);
    case Op::kGreaterEqual: {
      const Order o = order(0, 1);
      return Value::own(o == Order::kGreater || o == Order::kEqual);
    }
    case Op::kLess:
    case Op::kLessEqual: {
      const bool or_equal = node.op == Op::kLessEqual;
      if (at(2).is_discarded()) return Value::own(less(0, 1, or_equal));
      return Value::own(less(0, 1, or_equal) && less(1, 2, or_equal));
    }
    case Op::kTruthy:
      return Value::own(truthy(at(0)));
    case Op::kNot:
      return Value::own(!truthy(at(0)));
    case Op::kModulo:
      return Value::own(std::fmod(to_js_number(at(0)), to_js_number(at(1))));
    case Op::kLog:
      // The core does no I/O: log passes its argument through without printing it.
      return values.empty() ? Value::undefined() : std::move(values.front());
    case Op::kIn:
      return Value::own(in(values.empty() ? Value::undefined() : values[0], at(1), node.path));
    case Op::kCat:
      return Value::own(cat(values));
    case Op::kSubstr:
      return Value::own(substr_operation(at(0), at(1), at(2)));
    case Op::kAdd: {
      double sum = 0;
      for (const Value& value : values) sum = parse_float(Json(sum)) + parse_float(value.get());
      return Value::own(sum);
    }
    case Op::kMultiply: {
      if (values.empty()) {
        throw Error(error_code::kInvalidConfig, node.path,
                    "\"*\" needs at least one operand (JavaScript: reduce of empty array with no "
                    "initial value)");
      }
      if (values.size() == 1) return std::move(values.front());
      Json product = at(0);
      for (std::size_t i = 1; i < values.size(); ++i)
        product = parse_float(product) * parse_float(at(i));
      return Value::own(std::move(product));
    }
    case Op::kSubtract:
      if (at(1).is_discarded()) return Value::own(-to_js_number(at(0)));
      return Value::own(to_js_number(at(0)) - to_js_number(at(1)));
    case Op::kDivide:
      return Value::own(to_js_number(at(0)) / to_js_number(at(1)));
    case Op::kMin:
      return Value::own(min_max(values, true));
    case Op::kMax:
      return Value::own(min_max(values, false));
    case Op::kMerge:
      return Value::own(merge(values));
    case Op::kMissing:
      return Value::own(missing_keys(values, data, node.path));
    case Op::kMissingSome:
      return Value::own(missing_some(at(0), at(1), data, node.path));
    default:
      throw Error(error_code::kUnknownOperator, node.path,
                  "unrecognized operation \"" + node.literal.get<std::string>() + "\"");
  }
}

Value eval_var(const Node& node, const Json& data) {
  // Operands are evaluated in order, as apply() does before calling operations.var.
  const Value name =
      node.var_mode == VarMode::kDynamic ? eval(node.args.front(), data) : Value::undefined();
  Value not_found = eval_arg(node, 1, data);
  for (std::size_t i = 2; i < node.args.size(); ++i) eval(node.args[i], data);
  if (not_found.get().is_discarded()) not_found = Value::own(nullptr);
  switch (node.var_mode) {
    case VarMode::kWholeData:
      return Value::borrow(data);
    case VarMode::kStaticPath:
      return lookup(data, node.segments, std::move(not_found));
    case VarMode::kDynamic:
      break;
  }
  return lookup_dynamic(data, name.get(), std::move(not_found));
}

enum class Quantifier { kAll, kNone, kSome };

Value eval_quantifier(const Node& node, const Json& data, Quantifier quantifier) {
  const Value scoped = eval_arg(node, 0, data);
  const Json& items = scoped.get();
  if (!items.is_array() || items.empty()) return Value::own(quantifier == Quantifier::kNone);
  for (const Json& item : items) {
    const bool t = truthy(eval_arg(node, 1, item).get());
    if (quantifier == Quantifier::kAll && !t) return Value::own(false);
    if (quantifier == Quantifier::kNone && t) return Value::own(false);
    if (quantifier == Quantifier::kSome && t) return Value::own(true);
  }
  return Value::own(quantifier != Quantifier::kSome);
}

Value eval(const Node& node, const Json& data) {
  switch (node.op) {
    case Op::kLiteral:
      return Value::borrow(node.literal);
    case Op::kArray: {
      Json array = Json::array();
      for (const Node& arg : node.args) array.push_back(eval(arg, data).take());
      return Value::own(std::move(array));
    }
    case Op::kVar:
      return eval_var(node, data);
    case Op::kIf: {
      const std::size_t n = node.args.size();
      std::size_t i = 0;
      for (; i + 1 < n; i += 2) {
        if (truthy(eval(node.args[i], data).get())) return eval(node.args[i + 1], data);
      }
      return i + 1 == n ? eval(node.args[i], data) : Value::own(nullptr);
    }
    case Op::kAnd:
    case Op::kOr: {
      const bool stop_when = node.op == Op::kOr;
      Value current = Value::undefined();
      for (const Node& arg : node.args) {
        current = eval(arg, data);
        if (truthy(current.get()) == stop_when) return current;
      }
      return current;
    }
    case Op::kFilter:
    case Op::kMap: {
      const Value scoped = eval_arg(node, 0, data);
      Json out = Json::array();
      if (!scoped.get().is_array()) return Value::own(std::move(out));
      for (const Json& item : scoped.get()) {
        Value result = eval_arg(node, 1, item);
        if (node.op == Op::kMap) {
          out.push_back(std::move(result).take());
        } else if (truthy(result.get())) {
          out.push_back(item);
        }
      }
      return Value::own(std::move(out));
    }
    case Op::kReduce: {
      const Value scoped = eval_arg(node, 0, data);
      Json accumulator = node.args.size() > 2 ? eval(node.args[2], data).take() : Json(nullptr);
      if (!scoped.get().is_array()) return Value::own(std::move(accumulator));
      for (const Json& item : scoped.get()) {
        Json scope = Json::object();
        scope["current"] = item;
        scope["accumulator"] = std::move(accumulator);
        accumulator = eval_arg(node, 1, scope).take();
      }
      return Value::own(std::move(accumulator));
    }
    case Op::kAll:
      return eval_quantifier(node, data, Quantifier::kAll);
    case Op::kNone:
      return eval_quantifier(node, data, Quantifier::kNone);
    case Op::kSome:
      return eval_quantifier(node, data, Quantifier::kSome);
    default:
      return eval_operation(node, data);
  }
}

}  // namespace
}  // namespace stageline::json_logic

namespace stageline {

Json JsonLogicRule::apply(const Json& data) const { return json_logic::eval(*root_, data).take(); }

}  // namespace stageline
