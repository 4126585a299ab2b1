// JsonLogic rules against json-logic-js 2.0.5. Every expected value in kCases was obtained by
// running json-logic-js's jsonLogic.apply(rule, data) in node (the installed
// node_modules/json-logic-js), rendered as JSON extended with undefined, NaN, Infinity, -Infinity
// and -0; "throws" marks rules the reference throws on. An empty data text means no data
// (undefined).

#include "stageline/jsonlogic/json_logic.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "js/js_text.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json.hpp"

namespace {

using stageline::Json;
using stageline::JsonLogicRule;

// The same rendering the expected values were written with (see the header comment).
std::string show(const Json& value) {
  switch (value.type()) {
    case Json::value_t::discarded:
      return "undefined";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      const double number = value.get<double>();
      if (number == 0 && std::signbit(number)) return "-0";
      if (std::isnan(number)) return "NaN";
      if (std::isinf(number)) return number > 0 ? "Infinity" : "-Infinity";
      char text[stageline::js::kNumberTextCapacity];
      return std::string(text, stageline::js::number_to_string(number, text));
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.size(); ++i) out += (i ? "," : "") + show(value[i]);
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& member : value.items()) {
        out += (first ? "" : ",") + Json(member.key()).dump() + ":" + show(member.value());
        first = false;
      }
      return out + "}";
    }
    default:
      return value.dump();
  }
}

struct Case {
  const char* rule;
  const char* data;
  const char* expected;
};

// clang-format off
const Case kCases[] = {
    {R"({"==":[1,1]})", R"(null)", R"(true)"},
    {R"({"==":[1,"1"]})", R"(null)", R"(true)"},
    {R"({"==":[0,false]})", R"(null)", R"(true)"},
    {R"({"==":[null,{"var":"nope"}]})", R"({})", R"(true)"},
    {R"({"==":[[1],"1"]})", R"(null)", R"(true)"},
    {R"({"==":[[],0]})", R"(null)", R"(true)"},
    {R"({"==":["",0]})", R"(null)", R"(true)"},
    {R"({"==":[null,0]})", R"(null)", R"(false)"},
    {R"({"==":[true,"1"]})", R"(null)", R"(true)"},
    {R"({"==":[{"var":"a"},{"var":"a"}]})", R"({"a":[1]})", R"(true)"},
    {R"({"==":[[1],[1]]})", R"(null)", R"(false)"},
    {R"({"==":[{"var":"o"},"[object Object]"]})", R"({"o":{"x":1}})", R"(true)"},
    {R"({"===":[1,"1"]})", R"(null)", R"(false)"},
    {R"({"===":[1,1]})", R"(null)", R"(true)"},
    {R"({"!=":[1,"2"]})", R"(null)", R"(true)"},
    {R"({"!==":[1,"1"]})", R"(null)", R"(true)"},
    {R"({"===":[{"var":"a"},{"var":"a"}]})", R"({"a":{"b":1}})", R"(true)"},
    {R"({"==":[]})", R"(null)", R"(true)"},
    {R"({"===":[{"/":[0,0]},{"/":[0,0]}]})", R"(null)", R"(false)"},
    {R"({"<":[1,2]})", R"(null)", R"(true)"},
    {R"({"<":["10","9"]})", R"(null)", R"(true)"},
    {R"({"<":["10",9]})", R"(null)", R"(false)"},
    {R"({"<":[1,2,3]})", R"(null)", R"(true)"},
    {R"({"<":[1,1,3]})", R"(null)", R"(false)"},
    {R"({"<=":[1,1,3]})", R"(null)", R"(true)"},
    {R"({"<=":[null,0]})", R"(null)", R"(true)"},
    {R"({">":["b","a"]})", R"(null)", R"(true)"},
    {R"({">=":["a","a"]})", R"(null)", R"(true)"},
    {R"({"<":["abc","abd"]})", R"(null)", R"(true)"},
    {R"({"<":[[2],10]})", R"(null)", R"(true)"},
    {R"({"<":[[2],"10"]})", R"(null)", R"(false)"},
    {R"({">":[1,"x"]})", R"(null)", R"(false)"},
    {R"({"<=":[1,"x"]})", R"(null)", R"(false)"},
    {R"({"<":[{"var":"u"},1]})", R"({})", R"(true)"},
    {R"({"<":["😀","￿"]})", R"(null)", R"(true)"},
    {R"({"<":[1,5,{"and":[]}]})", R"(null)", R"(true)"},
    {R"({"!!":[[]]})", R"(null)", R"(false)"},
    {R"({"!!":[[0]]})", R"(null)", R"(true)"},
    {R"({"!!":["0"]})", R"(null)", R"(true)"},
    {R"({"!":[""]})", R"(null)", R"(true)"},
    {R"({"!":[]})", R"(null)", R"(true)"},
    {R"({"!!":{"var":"o"}})", R"({"o":{}})", R"(true)"},
    {R"({"!":[0]})", R"(null)", R"(true)"},
    {R"({"if":[true,"yes","no"]})", R"(null)", R"("yes")"},
    {R"({"if":[[],"yes","no"]})", R"(null)", R"("no")"},
    {R"({"if":[false,1,false,2,3]})", R"(null)", R"(3)"},
    {R"({"if":[false,1,true,2,3]})", R"(null)", R"(2)"},
    {R"({"if":[false,1]})", R"(null)", R"(null)"},
    {R"({"if":[]})", R"(null)", R"(null)"},
    {R"({"if":"single"})", R"(null)", R"("single")"},
    {R"({"?:":[0,"a","b"]})", R"(null)", R"("b")"},
    {R"({"if":[false,1,false,2]})", R"(null)", R"(null)"},
    {R"({"and":[1,"a",0,"b"]})", R"(null)", R"(0)"},
    {R"({"and":[1,"a"]})", R"(null)", R"("a")"},
    {R"({"and":[]})", R"(null)", R"(undefined)"},
    {R"({"or":[0,"","x","y"]})", R"(null)", R"("x")"},
    {R"({"or":[0,[],""]})", R"(null)", R"("")"},
    {R"({"or":[]})", R"(null)", R"(undefined)"},
    {R"({"+":[1,"2"," 3.5abc"]})", R"(null)", R"(6.5)"},
    {R"({"+":[]})", R"(null)", R"(0)"},
    {R"({"+":["x"]})", R"(null)", R"(NaN)"},
    {R"({"+":["Infinity",1]})", R"(null)", R"(Infinity)"},
    {R"({"+":[[1,2],".5"]})", R"(null)", R"(1.5)"},
    {R"({"+":["1e3","-1e-1"]})", R"(null)", R"(999.9)"},
    {R"({"+":[true]})", R"(null)", R"(NaN)"},
    {R"({"*":[2,"3"]})", R"(null)", R"(6)"},
    {R"({"*":["3"]})", R"(null)", R"("3")"},
    {R"({"*":[-1,0,5]})", R"(null)", R"(0)"},
    {R"({"*":[]})", R"(null)", R"(throws)"},
    {R"({"-":[5]})", R"(null)", R"(-5)"},
    {R"({"-":["5","2"]})", R"(null)", R"(3)"},
    {R"({"-":[0]})", R"(null)", R"(-0)"},
    {R"({"-":[]})", R"(null)", R"(NaN)"},
    {R"({"-":[[3],true]})", R"(null)", R"(2)"},
    {R"({"/":[1,0]})", R"(null)", R"(Infinity)"},
    {R"({"/":[-1,0]})", R"(null)", R"(-Infinity)"},
    {R"({"/":["6","3"]})", R"(null)", R"(2)"},
    {R"({"%":[7,3]})", R"(null)", R"(1)"},
    {R"({"%":[-7,3]})", R"(null)", R"(-1)"},
    {R"({"%":[7,0]})", R"(null)", R"(NaN)"},
    {R"({"%":["7.5",2]})", R"(null)", R"(1.5)"},
    {R"({"min":[3,"1",2]})", R"(null)", R"(1)"},
    {R"({"min":[]})", R"(null)", R"(Infinity)"},
    {R"({"max":[]})", R"(null)", R"(-Infinity)"},
    {R"({"max":[1,"x"]})", R"(null)", R"(NaN)"},
    {R"({"min":[0,{"-":[0]}]})", R"(null)", R"(-0)"},
    {R"({"max":[{"-":[0]},0]})", R"(null)", R"(0)"},
    {R"({"max":[[5],null]})", R"(null)", R"(5)"},
    {R"({"cat":["a",1,null,true,[1,[2,null]],{"var":"o"}]})", R"({"o":{}})", R"("a1true1,2,[object Object]")"},
    {R"({"cat":[]})", R"(null)", R"("")"},
    {R"({"cat":[0.1,1e+21,1e-7]})", R"(null)", R"("0.11e+211e-7")"},
    {R"({"in":["Spring","Springfield"]})", R"(null)", R"(true)"},
    {R"({"in":[1,"10"]})", R"(null)", R"(true)"},
    {R"({"in":["x",null]})", R"(null)", R"(false)"},
    {R"({"in":["a",["a","b"]]})", R"(null)", R"(true)"},
    {R"({"in":["1",[1,2]]})", R"(null)", R"(false)"},
    {R"({"in":[1,5]})", R"(null)", R"(false)"},
    {R"({"in":[{"var":"a.0"},{"var":"a"}]})", R"({"a":[[1]]})", R"(true)"},
    {R"({"in":["a",{"var":"o"}]})", R"({"o":{"a":1}})", R"(false)"},
    {R"({"in":["",""]})", R"(null)", R"(false)"},
    {R"({"substr":["jsonlogic",4]})", R"(null)", R"("logic")"},
    {R"({"substr":["jsonlogic",-5]})", R"(null)", R"("logic")"},
    {R"({"substr":["jsonlogic",1,3]})", R"(null)", R"("son")"},
    {R"({"substr":["jsonlogic",4,-2]})", R"(null)", R"("log")"},
    {R"({"substr":["jsonlogic",4,"-2"]})", R"(null)", R"("")"},
    {R"({"substr":[12345,1,2]})", R"(null)", R"("23")"},
    {R"({"substr":["héllo",1,2]})", R"(null)", R"("él")"},
    {R"({"substr":["abc","x","2"]})", R"(null)", R"("ab")"},
    {R"({"substr":["abc",-99,2]})", R"(null)", R"("ab")"},
    {R"({"var":"a"})", R"({"a":1})", R"(1)"},
    {R"({"var":["a"]})", R"({"a":1})", R"(1)"},
    {R"({"var":"a.b.c"})", R"({"a":{"b":{"c":"deep"}}})", R"("deep")"},
    {R"({"var":"a.1"})", R"({"a":[10,20]})", R"(20)"},
    {R"({"var":1})", R"(["x","y"])", R"("y")"},
    {R"({"var":"z"})", R"({"a":1})", R"(null)"},
    {R"({"var":["z","dflt"]})", R"({"a":1})", R"("dflt")"},
    {R"({"var":["a","dflt"]})", R"({"a":null})", R"(null)"},
    {R"({"var":""})", R"({"a":1})", R"({"a":1})"},
    {R"({"var":null})", R"(7)", R"(7)"},
    {R"({"var":[]})", R"("whole")", R"("whole")"},
    {R"({"var":"a.length"})", R"({"a":[1,2,3]})", R"(3)"},
    {R"({"var":"s.1"})", R"({"s":"abc"})", R"("b")"},
    {R"({"var":"s.length"})", R"({"s":"héllo"})", R"(5)"},
    {R"({"var":"a.01"})", R"({"a":[1,2]})", R"(null)"},
    {R"({"var":"a.b"})", R"({"a":null})", R"(null)"},
    {R"({"var":{"cat":["a",".","b"]}})", R"({"a":{"b":5}})", R"(5)"},
    {R"({"var":"x"})", R"()", R"(null)"},
    {R"({"var":""})", R"()", R"(undefined)"},
    {R"({"var":1.5})", R"({"1":{"5":"dots"}})", R"("dots")"},
    {R"({"var":"a."})", R"({"a":{"":"empty key"}})", R"("empty key")"},
    {R"({"var":["z",{"var":"a"}]})", R"({"a":[1]})", R"([1])"},
    {R"({"missing":["a","b"]})", R"({"a":1})", R"(["b"])"},
    {R"({"missing":["a","b"]})", R"({"a":"","b":null})", R"(["a","b"])"},
    {R"({"missing":[["a","c"]]})", R"({"a":1})", R"(["c"])"},
    {R"({"missing":{"merge":["a",["b","c"]]}})", R"({"b":0})", R"(["a","c"])"},
    {R"({"missing":[]})", R"({})", R"([])"},
    {R"({"missing":[[["nope","dflt"]]]})", R"({})", R"([])"},
    {R"({"missing":[[["nope"]],"x"]})", R"({"x":1})", R"([["nope"]])"},
    {R"({"missing":"x.y"})", R"({"x":{"y":false}})", R"([])"},
    {R"({"missing_some":[1,["a","b","c"]]})", R"({"a":1})", R"([])"},
    {R"({"missing_some":[2,["a","b","c"]]})", R"({"a":1})", R"(["b","c"])"},
    {R"({"missing_some":[0,[]]})", R"({})", R"([])"},
    {R"({"missing_some":["2",["a","b"]]})", R"({"a":1,"b":2})", R"([])"},
    {R"({"missing_some":[1,null]})", R"({})", R"(throws)"},
    {R"({"merge":[[1,2],3,[[4]]]})", R"(null)", R"([1,2,3,[4]])"},
    {R"({"merge":[]})", R"(null)", R"([])"},
    {R"({"merge":[{"and":[]}]})", R"(null)", R"([undefined])"},
    {R"({"merge":[{"var":"a"},{"var":"b"}]})", R"({"a":[1],"b":"x"})", R"([1,"x"])"},
    {R"({"map":[{"var":"xs"},{"*":[{"var":""},2]}]})", R"({"xs":[1,2,3]})", R"([2,4,6])"},
    {R"({"map":[5,1]})", R"(null)", R"([])"},
    {R"({"map":[[1,2]]})", R"(null)", R"([undefined,undefined])"},
    {R"({"filter":[{"var":"xs"},{"%":[{"var":""},2]}]})", R"({"xs":[1,2,3]})", R"([1,3])"},
    {R"({"filter":["abc",true]})", R"(null)", R"([])"},
    {R"({"reduce":[{"var":"xs"},{"+":[{"var":"current"},{"var":"accumulator"}]},0]})", R"({"xs":[1,2,3]})", R"(6)"},
    {R"({"reduce":[{"var":"xs"},{"+":[{"var":"current"},{"var":"accumulator"}]}]})", R"({"xs":[1,2]})", R"(NaN)"},
    {R"({"reduce":[7,1,"init"]})", R"(null)", R"("init")"},
    {R"({"reduce":[[],1]})", R"(null)", R"(null)"},
    {R"({"all":[[1,2],{">":[{"var":""},0]}]})", R"(null)", R"(true)"},
    {R"({"all":[[],true]})", R"(null)", R"(false)"},
    {R"({"all":[[1,0],{"var":""}]})", R"(null)", R"(false)"},
    {R"({"none":[[],true]})", R"(null)", R"(true)"},
    {R"({"none":[[0,""],{"var":""}]})", R"(null)", R"(true)"},
    {R"({"none":[[0,1],{"var":""}]})", R"(null)", R"(false)"},
    {R"({"some":[[0,1],{"var":""}]})", R"(null)", R"(true)"},
    {R"({"some":[[],true]})", R"(null)", R"(false)"},
    {R"({"some":["ab",true]})", R"(null)", R"(false)"},
    {R"({"some":[{"var":"items"},{">=":[{"var":"qty"},2]}]})", R"({"items":[{"qty":1},{"qty":2}]})", R"(true)"},
    {R"("plain")", R"(null)", R"("plain")"},
    {R"([1,{"var":"a"}])", R"({"a":2})", R"([1,2])"},
    {R"({"a":1,"b":2})", R"(null)", R"({"a":1,"b":2})"},
    {R"({})", R"(null)", R"({})"},
    {R"({"log":"logged"})", R"(null)", R"("logged")"},
    {R"({"log":[]})", R"(null)", R"(undefined)"},
    {R"({"bogus":[1]})", R"(null)", R"(throws)"},
    {R"({"and":[true,{"andd":1}]})", R"(null)", R"(throws)"},
    {R"({"if":[true,1,{"bogus":1}]})", R"(null)", R"(1)"},
    {R"({"var.length":["a"]})", R"(null)", R"(throws)"},
};
// clang-format on

std::string run(const Case& c) {
  const Json rule = stageline::parse_json(c.rule);
  const std::string data_text = c.data;
  const Json data =
      data_text.empty() ? JsonLogicRule::undefined() : stageline::parse_json(data_text);
  try {
    return show(JsonLogicRule::compile(rule).apply(data));
  } catch (const stageline::Error&) {
    return "throws";
  }
}

}  // namespace

TEST_CASE("json_logic: results equal json-logic-js 2.0.5") {
  for (const Case& c : kCases) {
    INFO("rule " << c.rule << " data " << c.data);
    CHECK(run(c) == c.expected);
  }
}

TEST_CASE("json_logic: a compiled rule is reused across data") {
  const JsonLogicRule rule = JsonLogicRule::compile(
      stageline::parse_json(R"({"if":[{"<":[{"var":"age"},18]},"minor","adult"]})"));
  CHECK(rule.apply(stageline::parse_json(R"({"age":12})")) == "minor");
  CHECK(rule.apply(stageline::parse_json(R"({"age":40})")) == "adult");
  CHECK(rule.apply(stageline::parse_json(R"({"age":"17"})")) == "minor");  // "17" < 18 numerically
}

TEST_CASE("json_logic: unknown operators throw with their JSON path when reached") {
  const JsonLogicRule rule =
      JsonLogicRule::compile(stageline::parse_json(R"({"and":[true,{"andd":1}]})"));
  try {
    rule.apply(Json::object());
    FAIL("expected an error");
  } catch (const stageline::Error& e) {
    CHECK(e.code() == stageline::error_code::kUnknownOperator);
    CHECK(e.path() == "and[1]");
    CHECK(std::string(e.what()) == R"(and[1]: unrecognized operation "andd")");
  }
  // The reference never looks at an untaken branch, so neither does apply().
  const JsonLogicRule lazy =
      JsonLogicRule::compile(stageline::parse_json(R"({"or":[1,{"nope":[]}]})"));
  CHECK(lazy.apply(Json()) == 1);
}

TEST_CASE("json_logic: errors of the reference keep their path") {
  try {
    JsonLogicRule::compile(stageline::parse_json(R"({"if":[true,{"*":[]}]})")).apply(Json());
    FAIL("expected an error");
  } catch (const stageline::Error& e) {
    CHECK(e.code() == stageline::error_code::kInvalidConfig);
    CHECK(e.path() == "if[1]");
  }
}

TEST_CASE("json_logic: rules nesting deeper than 64 levels are refused at compile time") {
  auto nested = [](int levels) {
    Json rule = 1;
    for (int i = 0; i < levels; ++i) rule = Json{{"!!", Json::array({rule})}};
    return rule;
  };
  // Each {"!!":[x]} is an operator level plus an array level below it.
  CHECK(JsonLogicRule::compile(nested(32)).apply(Json()) == true);
  try {
    JsonLogicRule::compile(nested(40));
    FAIL("expected an error");
  } catch (const stageline::Error& e) {
    CHECK(e.code() == stageline::error_code::kLimitExceeded);
    CHECK(e.path().rfind("!![0]", 0) == 0);
  }
}
