// JavaScript semantics checked against tables printed by V8 (node 20): for each input the
// expected value is what `Number(s)`, `String(n)`, `a < b` ..., `s.toLowerCase()`,
// `JSON.stringify(v)` and `String(v)` returned there.

#include "values/js_semantics.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "stageline/json/json.hpp"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool same_number(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

std::string number_text(double value) {
  char text[stageline::js::kNumberTextCapacity];
  return std::string(text, stageline::js::number_to_string(value, text));
}

std::string stringify_value(const stageline::Json& json) {
  std::string out;
  stageline::js::StringSink sink(out);
  stageline::js::emit_stringify(stageline::ValueRef::of(json), sink);
  return out;
}

}  // namespace

TEST_CASE("StringToNumber matches V8's Number(string)") {
  struct Row {
    const char* text;
    double expected;
  };
  const Row rows[] = {
      {"", 0.0},
      {" ", 0.0},
      {" 12 ", 12.0},
      {"0x1f", 31.0},
      {"0X1F", 31.0},
      {"1e3", 1000.0},
      {"abc", kNaN},
      {"12abc", kNaN},
      {"1_000", kNaN},
      {".5", 0.50000000000000000},
      {"5.", 5.0},
      {".", kNaN},
      {"+5", 5.0},
      {"-5", -5.0},
      {"-0x10", kNaN},
      {"0b101", 5.0},
      {"0o17", 15.0},
      {"0B11", 3.0},
      {"0b", kNaN},
      {"0x", kNaN},
      {"0x1g", kNaN},
      {"0o8", kNaN},
      {"Infinity", kInf},
      {"-Infinity", -kInf},
      {"+Infinity", kInf},
      {"infinity", kNaN},
      {"INFINITY", kNaN},
      {"1e", kNaN},
      {"1e+", kNaN},
      {"1e-7", 9.9999999999999995e-8},
      {"\t\n 42 \u00a0", 42.0},
      {"\u2003 7 \u3000", 7.0},
      {"\ufeff3", 3.0},
      {"\u2028-1\u2029", -1.0},
      {"\u180e1", kNaN},
      {"00012", 12.0},
      {"-.5e1", -5.0},
      {"1.7976931348623159e308", kInf},
      {"5e-324", 4.9406564584124654e-324},
      {"2e-324", 0.0},
      {"0x1fffffffffffff", 9007199254740991.0},
      {"0x20000000000001", 9007199254740992.0},
      {"0x20000000000003", 9007199254740996.0},
      {"0b111111111111111111111111111111111111111111111111111111111111", 1.1529215046068470e+18},
      {"0o777777777777777777777777777777", 1.2379400392853803e+27},
      {"9007199254740993", 9007199254740992.0},
      {"1,2", kNaN},
      {"NaN", kNaN},
      {"--5", kNaN},
      {"0.1e-1", 0.010000000000000000},
      {"123456789012345678901234567890", 1.2345678901234568e+29},
      {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000",
       kInf},
      {"0."
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000001",
       1.0000000000000001e-301},
      {"1e1000", kInf},
      {"-0", -0.0},
      {"0.0000001", 9.9999999999999995e-8},
      {"1 2", kNaN},
      {"\u0661\u0662", kNaN},
  };
  for (const Row& row : rows) {
    INFO("Number(\"" << row.text << "\")");
    CHECK(same_number(stageline::js::string_to_number(row.text), row.expected));
  }
}

TEST_CASE("StringToNumber of literals longer than the parse buffer") {
  // Number("9".repeat(900)) === Infinity; Number("1." + "0".repeat(850) + "1") === 1;
  // Number("0.5" + "0".repeat(900) + "1e-323") === 5e-324
  CHECK(stageline::js::string_to_number(std::string(900, '9')) == kInf);
  CHECK(stageline::js::string_to_number("1." + std::string(850, '0') + "1") == 1.0);
  CHECK(stageline::js::string_to_number("0.5" + std::string(900, '0') + "1e-323") == 5e-324);
}

TEST_CASE("Number::toString matches V8's String(number)") {
  struct Row {
    double value;
    const char* expected;
  };
  const Row rows[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.0, "-1"},
      {0.10000000000000001, "0.1"},
      {0.30000000000000004, "0.30000000000000004"},
      {0.33333333333333331, "0.3333333333333333"},
      {0.66666666666666663, "0.6666666666666666"},
      {123456789.0, "123456789"},
      {1.0000000000000000e+21, "1e+21"},
      {1.0000000000000000e+20, "100000000000000000000"},
      {1.2345678901234568e+20, "123456789012345680000"},
      {1.4999999999999999e-7, "1.5e-7"},
      {9.9999999999999995e-7, "0.000001"},
      {0.0000012345000000000000, "0.0000012345"},
      {9.9999999999999995e-8, "1e-7"},
      {4.9406564584124654e-324, "5e-324"},
      {1.7976931348623157e+308, "1.7976931348623157e+308"},
      {9007199254740992.0, "9007199254740992"},
      {9007199254740994.0, "9007199254740994"},
      {1.8446744073709552e+19, "18446744073709552000"},
      {4.3499999999999996, "4.35"},
      {0.0000012345678901234561, "0.000001234567890123456"},
      {100.0, "100"},
      {1.0000000000000000e+100, "1e+100"},
      {-1.5000000000000000e-10, "-1.5e-10"},
      {25.0, "25"},
      {1234.5678000000000, "1234.5678"},
      {9.9999999999999992e+22, "1e+23"},
      {1.2300000000000000e-18, "1.23e-18"},
      {0.0000011999999999999999, "0.0000012"},
      {9.9999999999999995e-7, "0.000001"},
      {9.9999999999999987e+20, "999999999999999900000"},
      {4.9999999999999998e-7, "5e-7"},
      {1.7976931348623157e-300, "1.7976931348623157e-300"},
      {kNaN, "NaN"},
      {kInf, "Infinity"},
      {-kInf, "-Infinity"},
  };
  for (const Row& row : rows) CHECK(number_text(row.value) == row.expected);
}

TEST_CASE("ToNumber of attribute values goes through ToPrimitive") {
  using stageline::Json;
  using stageline::ValueRef;
  // Number(null) 0, Number([]) 0, Number([" 7 "]) 7, Number([[3]]) 3, Number([1,2]) NaN,
  // Number([null]) 0, Number([true]) NaN, Number({}) NaN, Number(undefined) NaN.
  CHECK(stageline::js::to_number(ValueRef::null()) == 0.0);
  const Json empty = Json::array();
  CHECK(stageline::js::to_number(ValueRef::of(empty)) == 0.0);
  const Json padded = Json::parse(R"([" 7 "])");
  CHECK(stageline::js::to_number(ValueRef::of(padded)) == 7.0);
  const Json nested = Json::parse("[[3]]");
  CHECK(stageline::js::to_number(ValueRef::of(nested)) == 3.0);
  const Json pair = Json::parse("[1,2]");
  CHECK(std::isnan(stageline::js::to_number(ValueRef::of(pair))));
  const Json null_element = Json::parse("[null]");
  CHECK(stageline::js::to_number(ValueRef::of(null_element)) == 0.0);
  const Json true_element = Json::parse("[true]");
  CHECK(std::isnan(stageline::js::to_number(ValueRef::of(true_element))));
  const Json object = Json::object();
  CHECK(std::isnan(stageline::js::to_number(ValueRef::of(object))));
  CHECK(std::isnan(stageline::js::to_number(ValueRef::undefined())));
}

TEST_CASE("String ordering follows UTF-16 code units") {
  struct Row {
    const char* a;
    const char* b;
    int expected;
  };
  const Row rows[] = {
      {"a", "b", -1},
      {"a", "a", 0},
      {"", "a", -1},
      {"ab", "a", 1},
      {"\uffff", "\U0001f600", 1},
      {"\ue000", "\U00010000", 1},
      {"\ud7ff", "\U00010000", -1},
      {"Z", "a", -1},
      {"\u00e9", "z", 1},
  };
  for (const Row& row : rows) {
    const int result = stageline::js::compare_utf16(row.a, row.b);
    CHECK((result < 0 ? -1 : result > 0 ? 1 : 0) == row.expected);
    stageline::js::CompareSink sink(row.b);
    sink.append(row.a);
    CHECK((sink.result() < 0 ? -1 : sink.result() > 0 ? 1 : 0) == row.expected);
  }
}

TEST_CASE("toLowerCase matches V8 for the covered scripts") {
  struct Row {
    const char* text;
    const char* expected;
  };
  const Row rows[] = {
      {"ABC", "abc"},
      {"\u00c0\u00c9\u00ce\u00d5\u00dc", "\u00e0\u00e9\u00ee\u00f5\u00fc"},
      {"\u0100\u0102\u0104\u0106", "\u0101\u0103\u0105\u0107"},
      {"\u0178\u0179\u017b\u017d", "\u00ff\u017a\u017c\u017e"},
      {"\u0391\u0392\u0393\u0394\u0386\u0388\u0389\u038a\u038c\u038e\u038f",
       "\u03b1\u03b2\u03b3\u03b4\u03ac\u03ad\u03ae\u03af\u03cc\u03cd\u03ce"},
      {"\u0414\u0416\u0429\u0401\u0402", "\u0434\u0436\u0449\u0451\u0452"},
      {"\u0531\u0532\u0556", "\u0561\u0562\u0586"},
      {"\u01c4\u01c5\u01c6\u01c7", "\u01c6\u01c6\u01c6\u01c9"},
      {"\u1e9e", "\u00df"},
      {"\u03a9K\u00c5", "\u03c9k\u00e5"},
      {"\uff21\uff22\uff23", "\uff41\uff42\uff43"},
      {"\u2160\u216b", "\u2170\u217b"},
      {"\u24b6\u24cf", "\u24d0\u24e9"},
      {"\u0130", "i\u0307"},
      {"\U00010400", "\U00010428"},
      {"Stra\u00dfe", "stra\u00dfe"},
      {"\u01c4", "\u01c6"},
  };
  for (const Row& row : rows) CHECK(stageline::js::to_lower(row.text) == row.expected);
}

TEST_CASE("JSON.stringify text, including property order and escapes") {
  struct Row {
    const char* json;
    const char* expected;
  };
  const Row rows[] = {
      {R"([1,"a",null,true])", "[1,\"a\",null,true]"},
      {R"({"b":1,"a":[1.5,1e+21,1e-7]})", "{\"b\":1,\"a\":[1.5,1e+21,1e-7]}"},
      {R"({"2":1,"b":2,"1":3,"01":4,"4294967295":5,"4294967294":6})",
       "{\"1\":3,\"2\":1,\"4294967294\":6,\"b\":2,\"01\":4,\"4294967295\":5}"},
      {R"("q\"\\\b\f\n\r\t\u0001\u001f/\u00e9")",
       "\"q\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/\u00e9\""},
      {R"({})", "{}"},
      {R"([])", "[]"},
      {R"([[[]]])", "[[[]]]"},
      {R"({"a":{"b":{}}})", "{\"a\":{\"b\":{}}}"},
      {R"(100000000000000000000)", "100000000000000000000"},
      {R"(-0.0)", "0"},
      {R"(0.1)", "0.1"},
  };
  for (const Row& row : rows) {
    const stageline::Json value = stageline::Json::parse(row.json);
    CHECK(stringify_value(value) == row.expected);
    CHECK(stageline::js::stringify(value) == row.expected);
    stageline::js::EqualsSink equals(row.expected);
    stageline::js::emit_stringify(stageline::ValueRef::of(value), equals);
    CHECK(equals.equal());
  }
}

TEST_CASE("String() of arrays and objects") {
  struct Row {
    const char* json;
    const char* expected;
  };
  const Row rows[] = {
      {R"([1,[2,[3,null]],"x",true,{}])", "1,2,3,,x,true,[object Object]"},
      {R"([null])", ""},
      {R"([])", ""},
      {R"({"a":1})", "[object Object]"},
      {R"([[],[]])", ","},
      {R"([1e+21,0.000001,0])", "1e+21,0.000001,0"},
  };
  for (const Row& row : rows)
    CHECK(stageline::js::to_string(stageline::Json::parse(row.json)) == row.expected);
}

TEST_CASE("getPath walks objects, array indexes and array length") {
  using stageline::Json;
  using stageline::ValueKind;
  using stageline::ValueRef;
  const Json doc = Json::parse(R"({"a": {"b": [10, {"c": "x"}]}, "s": "str", "n": null})");
  const auto at = [&doc](std::vector<std::string> segments) {
    return stageline::js::get_path(ValueRef::of(doc), segments);
  };
  CHECK(at({"a", "b", "0"}).as_number() == 10);
  CHECK(at({"a", "b", "1", "c"}).as_string() == "x");
  CHECK(at({"a", "b", "length"}).as_number() == 2);  // `"length" in []` is true in JavaScript
  CHECK(at({"a", "b", "01"}).kind() == ValueKind::kUndefined);  // not a canonical index
  CHECK(at({"a", "b", "2"}).kind() == ValueKind::kUndefined);
  CHECK(at({"s", "length"}).kind() == ValueKind::kUndefined);  // strings are not objects
  CHECK(at({"n", "x"}).kind() == ValueKind::kUndefined);
  CHECK(at({"n"}).kind() == ValueKind::kNull);
  CHECK(at({"missing"}).kind() == ValueKind::kUndefined);
}
