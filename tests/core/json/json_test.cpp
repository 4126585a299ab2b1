// parse_json: the one entry for JSON text handed to the core.

#include "stageline/json/json.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "stageline/common/error.hpp"

namespace {

stageline::Error parse_error(const std::string& text) {
  try {
    stageline::parse_json(text);
  } catch (const stageline::Error& error) {
    return error;
  }
  FAIL("parsed: " << text);
  return stageline::Error("", "", "");
}

}  // namespace

// Found by every fuzz target that reads JSON (tests/fuzz): a number beyond the range of a double
// escaped as nlohmann's out_of_range exception, which the binding guard could only report as an
// unexplained internal_error. 1.7976931348623157e308 is the largest double; 1e309 is beyond it.
TEST_CASE("numbers beyond the range of a double are invalid JSON, named") {
  for (const char* text : {"1e400", "[1, -1e999]", R"({"a": {"b": 5e521}})", "1e309"}) {
    const stageline::Error error = parse_error(text);
    CHECK(error.code() == stageline::error_code::kInvalidJson);
    CHECK(error.path().empty());
    CHECK_THAT(error.message(), Catch::Contains("number overflow") && Catch::Contains("beyond the range of a double"));
  }
  CHECK(stageline::parse_json("1.7976931348623157e308").get<double>() == 1.7976931348623157e308);
  CHECK(stageline::parse_json("-1e308").get<double>() == -1e308);
}

TEST_CASE("the nesting limit and syntax errors are reported as before") {
  CHECK(parse_error(std::string(65, '[') + std::string(65, ']')).code() == stageline::error_code::kLimitExceeded);
  CHECK(parse_error("{\"a\": }").code() == stageline::error_code::kInvalidJson);
  CHECK(stageline::parse_json(std::string(64, '[') + std::string(64, ']')).is_array());
}

// parse_json is Stageline's own reader (core/src/json/json_parse.cpp); nlohmann's parser, which it
// replaced, is the oracle: the same verdict on every text, and the same tree (dump() shows the
// number kinds: an unsigned 1 is "1", a double 1 is "1.0"). The fuzz target json_fuzz checks the
// same on generated texts.
TEST_CASE("parse_json agrees with nlohmann's parser") {
  const std::vector<std::string> texts = {
      "null", "true", "false", "0", "-0", "1", "-1", "0.5", "-0.0", "1e2", "1E+2", "1e-2", "123.456e-7",
      "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
      "9223372036854775808", "1e-400", "4.9e-324", "0.1", "2.2250738585072014e-308",
      "\"\"", "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", "\"\\u0000\"", "\"\\u00e9\\u20AC\"",
      "\"\\uD83D\\uDE00\"", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"", "[]", "{}", "[1,[2,[3]]]",
      "{\"b\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"a\":3}", " \t\r\n[ 1 , 2 ] \n", "\xEF\xBB\xBF{\"x\":1}",
      "{\"a\":{\"b\":[true,false,null,\"s\",1.5,-2]}}",
      // rejected by both
      "", " ", "nul", "True", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "[1,]",
      "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "{'a':1}", "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12\"",
      "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"",
      "\"\xF4\x90\x80\x80\"", "\"\xFF\"", "[1]x", "1 2", "{\"a\":1}}", "\xEF\xBB", "1e400", "-1e400",
      "[1e309]", "\x01", "[\"a\"\x01]"};
  for (const std::string& text : texts) {
    INFO("text: " << text);
    const stageline::Json theirs = stageline::Json::parse(text, nullptr, /*allow_exceptions=*/false);
    std::optional<stageline::Json> ours;
    try {
      ours = stageline::parse_json(text);
    } catch (const stageline::Error& error) {
      CHECK(error.code() == stageline::error_code::kInvalidJson);
    }
    REQUIRE(ours.has_value() == !theirs.is_discarded());
    if (ours) CHECK(ours->dump() == theirs.dump());
  }
}

TEST_CASE("parse_json: number kinds, escapes and duplicate members, by hand") {
  using stageline::Json;
  using stageline::parse_json;
  CHECK(parse_json("18446744073709551615").get<std::uint64_t>() == UINT64_MAX);
  CHECK(parse_json("18446744073709551615").is_number_unsigned());
  CHECK(parse_json("-9223372036854775808").get<std::int64_t>() == INT64_MIN);
  CHECK(parse_json("18446744073709551616").is_number_float());
  CHECK(parse_json("18446744073709551616").get<double>() == 18446744073709551616.0);
  CHECK(parse_json("-3").get<std::int64_t>() == -3);
  CHECK(parse_json("2.5e1").get<double>() == 25.0);
  CHECK(parse_json("\"\\uD83D\\uDE00\"").get<std::string>() == "\xF0\x9F\x98\x80");  // U+1F600
  CHECK(parse_json("\"\\u00e9\"").get<std::string>() == "\xC3\xA9");                 // U+00E9
  const Json object = parse_json(R"({"a": 1, "b": 2, "a": 3})");
  CHECK(object.dump() == R"({"a":3,"b":2})");  // the last value, in the first place (JSON.parse too)
}

TEST_CASE("parse_json errors say where and what was expected") {
  const auto message = [](const std::string& text) { return parse_error(text).message(); };
  CHECK(message("{\"a\": }") == "invalid JSON at line 1, column 7: expected a value (object, array, string, number, true, false or null), got \"}\"");
  CHECK(message("{\n  \"a\": 1\n  \"b\": 2\n}") == "invalid JSON at line 3, column 3: expected \",\" or \"}\", got '\"'");
  CHECK(message("[1, 2") == "invalid JSON at line 1, column 6: expected \",\" or \"]\", got the end of the text");
  CHECK(message("\"caf\xC3\xA9\" x") == "invalid JSON at line 1, column 8: expected the end of the text after the value, got \"x\"");
  CHECK(message("\"abc") == "invalid JSON at line 1, column 1: a string that is never closed: expected a closing quote before the end of the text");
  CHECK(message("\"\\uDC00\"") == "invalid JSON at line 1, column 2: a lone low surrogate \\uDC00: \\uDC00-\\uDFFF must follow a \\uD800-\\uDBFF escape");
  const stageline::Error deep = parse_error(std::string(65, '[') + std::string(65, ']'));
  CHECK(deep.message() == "JSON nesting deeper than 64 levels at line 1, column 65");
}

// Found by json_fuzz's comparison with nlohmann: its lexer takes a NUL byte for the end of the
// input, so "{...}\0<anything>" parsed and the rest was silently dropped. A NUL is not JSON.
TEST_CASE("a NUL byte is an error, not the end of the text") {
  const std::string text("{\"state\":{\"clock\":1}}\0{\"more\":2}", 32);
  CHECK(parse_error(text).message() == "invalid JSON at line 1, column 22: expected the end of the text after the value, got byte 0x00");
  CHECK(parse_error(std::string("[1,\0 2]", 7)).code() == stageline::error_code::kInvalidJson);
}

// write_json: expected texts written out by hand from JSON's grammar and JavaScript's number text
// (Number::toString: 1e21 is "1e+21", 1e-7 is "1e-7", a double 2 is "2", -0 is "0").
TEST_CASE("write_json writes compact JSON with JavaScript's number text") {
  using stageline::Json;
  using stageline::write_json;
  const Json value = stageline::parse_json(
      R"({"b": 1, "a": [true, false, null, -2, 1.5, 0.1, 1e21, 1e-7, 2.0, -0.0], "2": {}, "1": [],)"
      R"( "s": "q\"b\\s/\n\t\u0001\u001f\u00e9"})");
  CHECK(write_json(value) ==
        "{\"b\":1,\"a\":[true,false,null,-2,1.5,0.1,1e+21,1e-7,2,0],\"2\":{},\"1\":[],"
        "\"s\":\"q\\\"b\\\\s/\\n\\t\\u0001\\u001f\xC3\xA9\"}");
  CHECK(write_json(Json(std::numeric_limits<std::uint64_t>::max())) == "18446744073709551615");
  CHECK(write_json(Json(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
  CHECK(write_json(Json(std::numeric_limits<double>::quiet_NaN())) == "null");
  CHECK(write_json(Json(-std::numeric_limits<double>::infinity())) == "null");
  CHECK(write_json(Json(5e-324)) == "5e-324");
  CHECK(write_json(Json(123456789012345680000.0)) == "123456789012345680000");
}

TEST_CASE("write_json replaces bytes that do not begin well-formed UTF-8") {
  using stageline::Json;
  using stageline::write_json;
  const std::string replacement = "\xEF\xBF\xBD";
  CHECK(write_json(Json(std::string("a\xC3"))) == "\"a" + replacement + "\"");
  // An encoded surrogate (ED A0 80) is three bytes none of which begins a well-formed sequence.
  CHECK(write_json(Json(std::string("\xED\xA0\x80z"))) == "\"" + replacement + replacement + replacement + "z\"");
  CHECK(write_json(Json(std::string("\xF0\x9F\x98\x80"))) == "\"\xF0\x9F\x98\x80\"");
}

TEST_CASE("write_json's text parses back to the same tree") {
  for (const char* text : {"null", "[1,-1,0.5,1e300,-4.9e-324,18446744073709551615,-9223372036854775808]",
                           R"({"a":{"b":[true,false,null,"s\u0000\"",1.5,-2]},"c":"\u00e9\u20AC"})",
                           R"({"a":1,"b":2,"a":3})", "[[],{},[[]],{\"\":{}}]"}) {
    const stageline::Json value = stageline::parse_json(text);
    CHECK(stageline::parse_json(stageline::write_json(value)) == value);
  }
}
