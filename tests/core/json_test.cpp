// parse_json: the one entry for JSON text handed to the core.

#include "stageline/json.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "stageline/error.hpp"

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
