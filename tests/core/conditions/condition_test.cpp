// Conditions beyond the GrowthBook suite: strict-mode errors, lifecycle operators, explanations,
// JavaScript coercion corner cases and the depth limit.

#include "stageline/conditions/condition.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "stageline/common/error.hpp"

namespace {

using stageline::Condition;
using stageline::ConditionOptions;
using stageline::Json;
using stageline::JsonAttributes;

// 2024-03-10T12:00:00Z: 19723 days to 2024-01-01 (1704067200 s / 86400), + 31 + 29 + 9 days,
// + 12 h; node's Date.parse agrees (1710072000000).
constexpr stageline::TimestampMs kAt = 1'710'072'000'000;
constexpr stageline::TimestampMs kDay = 86'400'000;

ConditionOptions strict_at(const std::string& prefix) {
  ConditionOptions options;
  options.path_prefix = prefix;
  return options;
}

ConditionOptions lenient() {
  ConditionOptions options;
  options.strict = false;
  return options;
}

bool matches(const char* condition, const char* attributes, stageline::TimestampMs at = kAt) {
  const Json document = Json::parse(attributes);
  return Condition::compile(Json::parse(condition)).matches(JsonAttributes(document), at);
}

struct StrictError {
  const char* condition;
  const char* code;
  const char* path;
  const char* message;
};

}  // namespace

TEST_CASE("strict mode names the JSON path and what was expected") {
  const StrictError cases[] = {
      {R"({"$and": [{"age": {"$gte": 1}}, {"age": {"$gtee": 5}}]})", "unknown_operator",
       "stages[2].when.$and[1].age", R"(unknown operator "$gtee")"},
      {R"({"country": {"$in": "US"}})", "invalid_config", "stages[2].when.country.$in",
       R"($in needs an array, got "US")"},
      {R"({"tags": {"$all": 3}})", "invalid_config", "stages[2].when.tags.$all",
       "$all needs an array, got 3"},
      {R"({"$and": {"a": 1}})", "invalid_config", "stages[2].when.$and",
       "$and needs an array of condition objects, got an object"},
      {R"({"$or": [{"a": 1}, 5]})", "invalid_config", "stages[2].when.$or[1]",
       "expected a condition object, got 5"},
      {R"([{"a": 1}])", "invalid_config", "stages[2].when",
       "expected a condition object, got an array"},
      {R"({"$not": "x"})", "invalid_config", "stages[2].when.$not",
       R"(expected a condition object, got "x")"},
      {R"({"id": {"$inGroup": "vips"}})", "not_found", "stages[2].when.id.$inGroup",
       R"(unknown saved group "vips")"},
      {R"({"seen": {"$withinLastDays": -1}})", "invalid_config",
       "stages[2].when.seen.$withinLastDays",
       "$withinLastDays needs a non-negative number of days, got -1"},
      {R"({"seen": {"$olderThanDays": "30"}})", "invalid_config",
       "stages[2].when.seen.$olderThanDays",
       R"($olderThanDays needs a non-negative number of days, got "30")"},
      {R"({"at": {"$after": "yesterday"}})", "invalid_timestamp", "stages[2].when.at.$after",
       R"($after needs an ISO-8601 date-time or epoch milliseconds, got "yesterday")"},
      {R"({"$gt": 5})", "invalid_config", "stages[2].when.$gt",
       R"(operator "$gt" must be applied to an attribute, e.g. {"age": {"$gt": ...}})"},
      {R"({"age": {"$gt": 1, "max": 5}})", "invalid_config", "stages[2].when.age",
       "mixes operators and plain keys (an object with plain keys is compared as a whole value)"},
      {R"({"a": {"$type": "int"}})", "invalid_config", "stages[2].when.a.$type",
       R"($type needs one of "string", "number", "boolean", "array", "null", "undefined", "object", got "int")"},
      {R"({"a": {"$eq": [1]}})", "invalid_config", "stages[2].when.a.$eq",
       "$eq needs a string, number, boolean or null (to compare arrays or objects, write them as "
       "the bare "
       "value), got an array"},
      {R"({"a": {"$lt": null}})", "invalid_config", "stages[2].when.a.$lt",
       "$lt needs a number or a string, got null"},
      {R"({"a": {"$exists": 1}})", "invalid_config", "stages[2].when.a.$exists",
       "$exists needs true or false, got 1"},
      {R"({"a": {"$regex": 5}})", "invalid_config", "stages[2].when.a.$regex",
       "$regex needs a string (a JavaScript regular expression), got 5"},
      {R"({"a": {"$elemMatch": [1]}})", "invalid_config", "stages[2].when.a.$elemMatch",
       "$elemMatch needs an object (a condition or operators), got an array"},
      {R"({"a": {"$not": {"$elemMatch": {"b": {"$foo": 1}}}}})", "unknown_operator",
       "stages[2].when.a.$not.$elemMatch.b", R"(unknown operator "$foo")"},
  };
  for (const StrictError& expected : cases) {
    INFO(expected.condition);
    const Json condition = Json::parse(expected.condition);
    try {
      Condition::compile(condition, strict_at("stages[2].when"));
      FAIL("compiled without error");
    } catch (const stageline::Error& e) {
      CHECK(e.code() == expected.code);
      CHECK(e.path() == expected.path);
      CHECK(e.message() == expected.message);
      CHECK(std::string(e.what()) == std::string(expected.path) + ": " + expected.message);
    }
    // Lenient mode accepts every one of them (GrowthBook never throws on these).
    CHECK_NOTHROW(Condition::compile(condition, lenient()));
  }
}

TEST_CASE("strict mode reports invalid regular expressions with the engine's message") {
  try {
    Condition::compile(Json::parse(R"({"name": {"$regex": "(unclosed"}})"), strict_at("when"));
    FAIL("compiled without error");
  } catch (const stageline::Error& e) {
    CHECK(e.code() == "invalid_regex");
    CHECK(e.path() == "when.name.$regex");
    CHECK(e.message().rfind("invalid regular expression /(unclosed/: ", 0) == 0);
    CHECK(e.message().size() > std::string("invalid regular expression /(unclosed/: ").size());
  }
}

TEST_CASE("lenient mode fails the clauses GrowthBook fails") {
  // Expected values from GrowthBook's evalCondition under node (npm @growthbook/growthbook).
  const Json empty = Json::object();
  const Json one = Json::parse(R"({"a": 1, "name": "hello", "id": 1})");
  const auto eval = [](const Json& attributes, const char* condition) {
    return stageline::eval_condition(attributes, Json::parse(condition));
  };
  CHECK_FALSE(eval(one, R"({"name": {"$regx": "hello"}})"));
  CHECK(eval(one, R"({"name": {"$not": {"$regx": "hello"}}})"));
  CHECK_FALSE(eval(one, R"({"name": {"$regex": "(unclosed"}})"));
  CHECK_FALSE(eval(one, R"({"a": {"$in": 1}})"));
  CHECK_FALSE(eval(one, R"({"a": {"$nin": 1}})"));
  CHECK(eval(empty, R"({"$and": {"a": 1}})"));  // evalAnd over an object: no iterations
  CHECK(eval(empty, R"({"$or": {"a": 1}})"));   // evalOr: `!undefined` holds
  CHECK_FALSE(eval(empty, R"({"$nor": {"a": 1}})"));
  CHECK(eval(empty, R"({"$or": [{"a": 1}, 5]})"));  // evalCondition(obj, 5) has no entries
  CHECK_FALSE(eval(empty, R"({"$not": 5})"));
  CHECK(eval(Json::parse(R"({"0": 1, "1": 2})"), R"({"$and": [[1, 2]]})"));
  CHECK_FALSE(eval(one, R"({"id": {"$inGroup": "vips"}})"));
  CHECK(eval(one, R"({"id": {"$notInGroup": "vips"}})"));
  CHECK_FALSE(eval(one, R"({"a": {"$eq": [1]}})"));
  CHECK(eval(one, R"({"a": {"$ne": [1]}})"));
}

TEST_CASE("JavaScript coercion corner cases agree with GrowthBook under V8") {
  std::ifstream file(STAGELINE_SOURCE_DIR "/tests/core/conditions/condition_coercion_cases.json",
                     std::ios::binary);
  REQUIRE(file);
  std::stringstream text;
  text << file.rdbuf();
  const Json suite = Json::parse(text.str());
  int checked = 0;
  for (const Json& row : suite.at("cases")) {
    INFO("condition " << row[0].dump() << " attributes " << row[1].dump());
    CHECK(stageline::eval_condition(row[1], row[0]) == row[2].get<bool>());
    ++checked;
  }
  CHECK(checked > 2000);
}

TEST_CASE("$withinLastDays holds from `at` minus N days up to `at`, inclusive") {
  const char* condition = R"({"lastSeen": {"$withinLastDays": 7}})";
  CHECK(matches(condition, R"({"lastSeen": "2024-03-03T12:00:00Z"})"));  // exactly 7 days
  CHECK(matches(condition, R"({"lastSeen": "2024-03-10T12:00:00Z"})"));  // now
  CHECK_FALSE(matches(condition, R"({"lastSeen": "2024-03-03T11:59:00Z"})"));
  CHECK_FALSE(matches(condition, R"({"lastSeen": "2024-03-10T12:01:00Z"})"));  // in the future
  CHECK(matches(condition, (R"({"lastSeen": )" + std::to_string(kAt - 7 * kDay) + "}").c_str()));
  CHECK_FALSE(
      matches(condition, (R"({"lastSeen": )" + std::to_string(kAt - 7 * kDay - 1) + "}").c_str()));
  CHECK_FALSE(matches(condition, R"({})"));
  CHECK_FALSE(matches(condition, R"({"lastSeen": "last tuesday"})"));
  CHECK_FALSE(matches(condition, R"({"lastSeen": true})"));
  CHECK(matches(R"({"lastSeen": {"$withinLastDays": 0.5}})",
                R"({"lastSeen": "2024-03-10T00:00:00Z"})"));
  CHECK_FALSE(matches(R"({"lastSeen": {"$withinLastDays": 0.5}})",
                      R"({"lastSeen": "2024-03-09T23:59:00Z"})"));
}

TEST_CASE("$olderThanDays holds strictly before `at` minus N days") {
  const char* condition = R"({"lastOrderAt": {"$olderThanDays": 30}})";
  // 2024-02-09T12:00Z is exactly 30 days before `at` (20 days to Feb 29, then 10).
  CHECK_FALSE(matches(condition, R"({"lastOrderAt": "2024-02-09T12:00:00Z"})"));
  CHECK(matches(condition, R"({"lastOrderAt": "2024-02-09T11:59:00Z"})"));
  CHECK(matches(condition,
                (R"({"lastOrderAt": )" + std::to_string(kAt - 30 * kDay - 1) + "}").c_str()));
  CHECK_FALSE(
      matches(condition, (R"({"lastOrderAt": )" + std::to_string(kAt - 30 * kDay) + "}").c_str()));
  CHECK_FALSE(matches(condition, R"({})"));
  CHECK_FALSE(matches(condition, R"({"lastOrderAt": null})"));
  CHECK_FALSE(matches(condition, R"({"lastOrderAt": "soon"})"));
}

TEST_CASE("$after and $before compare with an absolute instant") {
  // 2024-01-01T00:00:00Z is 1704067200000 ms (19723 days).
  CHECK(matches(R"({"signedUpAt": {"$after": "2024-01-01"}})", R"({"signedUpAt": 1704067200001})"));
  CHECK_FALSE(matches(R"({"signedUpAt": {"$after": "2024-01-01"}})",
                      R"({"signedUpAt": "2024-01-01T00:00:00Z"})"));
  CHECK(matches(R"({"signedUpAt": {"$before": 1704067200000}})",
                R"({"signedUpAt": "2023-12-31T23:59:00Z"})"));
  CHECK_FALSE(
      matches(R"({"signedUpAt": {"$before": 1704067200000}})", R"({"signedUpAt": 1704067200000})"));
  CHECK(matches(R"({"t": {"$after": "2023-01-01", "$before": "2024-01-01"}})",
                R"({"t": "2023-06-15"})"));
  CHECK_FALSE(matches(R"({"t": {"$after": "2023-01-01"}})", R"({})"));
  // The evaluation time plays no part.
  CHECK(matches(R"({"t": {"$after": "2023-01-01"}})", R"({"t": "2023-06-15"})", 0));
}

TEST_CASE("$notRegex is the negation of $regex") {
  const char* condition = R"({"email": {"$notRegex": "@example\\.com$"}})";
  CHECK(matches(condition, R"({"email": "ann@shop.io"})"));
  CHECK_FALSE(matches(condition, R"({"email": "bob@example.com"})"));
  CHECK(matches(condition, R"({})"));  // String(null) is "null", which the pattern misses
}

TEST_CASE("explain reports every leaf clause with its path and the overall verdict") {
  const Json condition = Json::parse(
      R"({"$and": [{"age": {"$gte": 18, "$lt": 65}}, {"country": {"$in": ["US", "CA"]}}], "plan": "pro",
          "$not": {"banned": true}})");
  const Json attributes = Json::parse(R"({"age": 70, "country": "US", "plan": "pro"})");
  const Condition compiled = Condition::compile(condition, strict_at("when"));
  const JsonAttributes view(attributes);
  const stageline::Explanation explanation = compiled.explain(view, kAt);
  CHECK_FALSE(explanation.matched);
  CHECK(explanation.matched == compiled.matches(view, kAt));
  REQUIRE(explanation.clauses.size() == 5);
  const auto& c = explanation.clauses;
  CHECK(c[0].path == "when.$and[0].age.$gte");
  CHECK(c[0].attribute == "age");
  CHECK(c[0].op == "$gte");
  CHECK(c[0].expected == Json(18));
  CHECK(c[0].actual == Json(70));
  CHECK(c[0].held);
  CHECK(c[1].path == "when.$and[0].age.$lt");
  CHECK_FALSE(c[1].held);  // the reason
  CHECK(c[2].path == "when.$and[1].country.$in");
  CHECK(c[2].expected == Json::parse(R"(["US", "CA"])"));
  CHECK(c[2].actual == Json("US"));
  CHECK(c[2].held);
  CHECK(c[3].path == "when.plan");
  CHECK(c[3].op == "$eq");
  CHECK(c[3].expected == Json("pro"));
  CHECK(c[3].held);
  CHECK(c[4].path == "when.$not.banned");
  CHECK(c[4].attribute == "banned");
  CHECK(c[4].actual.is_null());  // missing
  CHECK_FALSE(c[4].held);

  const Json younger = Json::parse(R"({"age": 30, "country": "CA", "plan": "pro"})");
  CHECK(compiled.explain(JsonAttributes(younger), kAt).matched);
  CHECK(compiled.attribute_paths() == std::vector<std::string>{"age", "country", "plan", "banned"});
}

TEST_CASE("a condition nested deeper than 64 levels is rejected in both modes") {
  // k nested "$not" objects make k + 1 levels.
  const auto nested = [](int k) {
    Json condition = Json::object();
    for (int i = 0; i < k; ++i) condition = Json{{"$not", condition}};
    return condition;
  };
  CHECK_NOTHROW(Condition::compile(nested(63)));
  CHECK_NOTHROW(Condition::compile(nested(63), lenient()));
  for (const ConditionOptions& options : {strict_at("when"), lenient()}) {
    try {
      Condition::compile(nested(64), options);
      FAIL("compiled a 65-level condition");
    } catch (const stageline::Error& e) {
      CHECK(e.code() == "limit_exceeded");
    }
  }
  // Operands count too: an array literal 70 levels deep.
  Json deep = Json::array();
  for (int i = 0; i < 70; ++i) deep = Json::array({deep});
  CHECK_THROWS_AS(Condition::compile(Json{{"tags", deep}}), stageline::Error);
  // 63 $not levels evaluate: the innermost {} holds, so 63 negations give false.
  const Json empty = Json::object();
  CHECK_FALSE(Condition::compile(nested(63)).matches(JsonAttributes(empty)));
}

TEST_CASE("saved groups are bound at compile time") {
  const Json groups = Json::parse(R"({"vips": [1, "2"], "broken": "x"})");
  ConditionOptions options;
  options.saved_groups = &groups;
  const Condition in_group =
      Condition::compile(Json::parse(R"({"id": {"$inGroup": "vips"}})"), options);
  CHECK(in_group.matches(JsonAttributes(Json::parse(R"({"id": "2"})"))));
  CHECK_FALSE(in_group.matches(JsonAttributes(Json::parse(R"({"id": 2})"))));  // === is typed
  CHECK(in_group.matches(JsonAttributes(Json::parse(R"({"id": [5, 1]})"))));   // array intersects
  try {
    Condition::compile(Json::parse(R"({"id": {"$inGroup": "broken"}})"), options);
    FAIL("accepted a non-array group");
  } catch (const stageline::Error& e) {
    CHECK(e.path() == "id.$inGroup");
    CHECK(e.message() == R"(saved group "broken" is a string, expected an array)");
  }
}

// Found by the differential fuzz against GrowthBook 1.8.0's evalCondition
// (tests/fuzz/condition_differential.js). Expected values follow from its mongrule.ts: elemMatch
// skips nullish elements only (`(actual[i] ?? null) !== null`), and a non-object operand is
// handed to evalCondition, where Object.entries(5) and Object.entries(true) are empty (the
// element condition holds) and an array's entries are its indexes; each was confirmed by running
// GrowthBook's evalCondition on the same input.
TEST_CASE("$elemMatch tests falsy elements and reads non-object operands as GrowthBook does") {
  const auto eval = [](const char* condition, const char* attributes) {
    return stageline::eval_condition(Json::parse(attributes), Json::parse(condition));
  };
  CHECK(eval(R"({"arr": {"$elemMatch": {"$lte": null}}})", R"({"arr": [0]})"));  // 0 <= null
  CHECK(eval(R"({"arr": {"$elemMatch": {"$eq": false}}})", R"({"arr": [false]})"));
  CHECK(eval(R"({"arr": {"$elemMatch": {"$eq": ""}}})", R"({"arr": [""]})"));
  CHECK_FALSE(eval(R"({"arr": {"$elemMatch": {"$exists": false}}})", R"({"arr": [null]})"));
  CHECK(eval(R"({"arr": {"$elemMatch": 5}})", R"({"arr": [1]})"));
  CHECK_FALSE(eval(R"({"arr": {"$elemMatch": 5}})", R"({"arr": [null]})"));
  CHECK_FALSE(eval(R"({"arr": {"$elemMatch": 5}})", R"({"arr": []})"));
  CHECK(eval(R"({"arr": {"$elemMatch": true}})", R"({"arr": [0]})"));
  CHECK(eval(R"({"arr": {"$elemMatch": [1]}})", R"({"arr": [[1]]})"));
  CHECK_FALSE(eval(R"({"arr": {"$elemMatch": [1]}})", R"({"arr": [[2]]})"));
  CHECK_FALSE(eval(R"({"arr": {"$elemMatch": null}})", R"({"arr": [1]})"));  // GrowthBook throws
  // Strict configs still refuse what is not a condition object.
  CHECK_THROWS_AS(Condition::compile(Json::parse(R"({"arr": {"$elemMatch": 5}})")), stageline::Error);
}
