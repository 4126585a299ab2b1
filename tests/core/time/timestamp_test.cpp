#include "stageline/json/json_time.hpp"
#include "stageline/time/timestamp.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>

using stageline::format_timestamp;
using stageline::Json;
using stageline::parse_timestamp;
using stageline::timestamp_from_json;
using stageline::TimestampMs;
using stageline::utc_day;

// Expected values come from V8: `TZ=UTC node -e 'console.log(Date.parse("..."))'` (Node 20) and
// `new Date(ms).toISOString()`. TZ=UTC because JavaScript reads a date-time without a zone as local
// time, while Stageline always reads it as UTC (deterministic wherever the code runs).

TEST_CASE("parse_timestamp agrees with V8's Date.parse on ISO-8601 forms") {
  const std::pair<const char*, TimestampMs> cases[] = {
      {"2024-02-29", 1709164800000},
      {"2023-01-01T24:00:00Z", 1672617600000},
      {"2023-01-01T10:00:00.1234Z", 1672567200123},
      {"2023-01-01T10:00:00.1Z", 1672567200100},
      {"2023-01-01 10:00:00Z", 1672567200000},
      {"2023-01-01T10:00+0530", 1672547400000},
      {"2023-01-01T10:00:00+05:30", 1672547400000},
      {"2023-01-01T10:00:00-23:59", 1672653540000},
      {"+275760-09-13T00:00:00.000Z", 8640000000000000},
      {"-000001-01-01T00:00:00Z", -62198755200000},
      {"0000-01-01", -62167219200000},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2023-01-01t10:00:00z", 1672567200000},
      {"2023-01-01T10:00:00.999999Z", 1672567200999},
      {"2025-03-01T10:00:00Z", 1740823200000},
      {"1900-03-01", -2203891200000},
      {"2000-02-29T12:30", 951827400000},
      {"2100-12-31T23:59:59.999Z", 4133980799999},
      {"2023-06-15T08:45:30-07:00", 1686843930000},
      {"2023-01-01T10:00", 1672567200000},
      {"2023-01-01T10:00:00", 1672567200000},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    const auto parsed = parse_timestamp(text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == expected);
  }
}

TEST_CASE("parse_timestamp reads decimal epoch milliseconds") {
  CHECK(parse_timestamp("0") == TimestampMs{0});
  CHECK(parse_timestamp("1700000000123") == TimestampMs{1700000000123});
  CHECK(parse_timestamp("-1") == TimestampMs{-1});
  CHECK(parse_timestamp("2023") == TimestampMs{2023});  // digits only: milliseconds, not a year
  CHECK(parse_timestamp("8640000000000000") == TimestampMs{8640000000000000});
  CHECK_FALSE(parse_timestamp("8640000000000001"));
  CHECK_FALSE(parse_timestamp("12345678901234567"));
  CHECK_FALSE(parse_timestamp("-"));
  CHECK_FALSE(parse_timestamp("1.5"));
  CHECK_FALSE(parse_timestamp("12a"));
}

TEST_CASE("parse_timestamp rejects impossible dates, out-of-range fields and junk") {
  // V8 returns NaN for all of these except "2023-02-29", which its legacy fallback parser rolls
  // over to March 1st; Stageline rejects impossible dates instead of guessing.
  const char* rejected[] = {
      "",
      "yesterday",
      "2023-02-29",
      "2023-13-01",
      "2023-00-10",
      "2023-04-31",
      "2023-01-00",
      "1900-02-29",
      "2023-01-01T24:00:01Z",
      "2023-01-01T10:00:60Z",
      "2023-01-01T10:60Z",
      "2023-01-01T25:00Z",
      "2023-01-01T10:00:00.Z",
      "2023-01-01T10:00:00+24:00",
      "2023-01-01T10:00:00+05:60",
      "+275760-09-13T00:00:00.001Z",
      "-000000-01-01T00:00:00Z",
      "2023-01-01T10Z",
      "2023-01-01T10:00:00Zjunk",
      "2023-01-01 ",
      "2023-1-01",
      "2023-01-01T1:00",
      "2023-01-01T10:00:00+0",
      "2023/01/01",
      " 2023-01-01",
  };
  for (const char* text : rejected) {
    INFO(text);
    CHECK_FALSE(parse_timestamp(text).has_value());
  }
}

TEST_CASE("timestamp_from_json takes numbers as epoch ms and strings as parse_timestamp") {
  CHECK(timestamp_from_json(Json(1700000000123)) == TimestampMs{1700000000123});
  CHECK(timestamp_from_json(Json(-5)) == TimestampMs{-5});
  // new Date(1.9).getTime() === 1 and new Date(-1.9).getTime() === -1 (TimeClip truncates).
  CHECK(timestamp_from_json(Json(1.9)) == TimestampMs{1});
  CHECK(timestamp_from_json(Json(-1.9)) == TimestampMs{-1});
  CHECK(timestamp_from_json(Json(8.64e15)) == TimestampMs{8640000000000000});
  CHECK_FALSE(timestamp_from_json(Json(8.64e15 + 2)));
  CHECK_FALSE(timestamp_from_json(Json(std::uint64_t{18446744073709551615u})));
  CHECK(timestamp_from_json(Json("2025-03-01T10:00:00Z")) == TimestampMs{1740823200000});
  CHECK_FALSE(timestamp_from_json(Json(nullptr)));
  CHECK_FALSE(timestamp_from_json(Json(true)));
  CHECK_FALSE(timestamp_from_json(Json::array()));
}

TEST_CASE("format_timestamp matches Date.prototype.toISOString") {
  const std::pair<TimestampMs, const char*> cases[] = {
      {0, "1970-01-01T00:00:00.000Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {1700000000123, "2023-11-14T22:13:20.123Z"},
      {-62198755200000, "-000001-01-01T00:00:00.000Z"},
      {253402300800000, "+010000-01-01T00:00:00.000Z"},
      {-62135596800001, "0000-12-31T23:59:59.999Z"},
      {8640000000000000, "+275760-09-13T00:00:00.000Z"},
      {-8640000000000000, "-271821-04-20T00:00:00.000Z"},
      {951782400000, "2000-02-29T00:00:00.000Z"},
      {-2208988800001, "1899-12-31T23:59:59.999Z"},
  };
  for (const auto& [ms, expected] : cases) {
    INFO(ms);
    CHECK(format_timestamp(ms) == expected);
    CHECK(parse_timestamp(expected) == ms);  // and the text reads back to the same instant
  }
}

TEST_CASE("utc_day floors toward negative infinity") {
  // Math.floor(ms / 86400000) in JavaScript.
  CHECK(utc_day(0) == 0);
  CHECK(utc_day(-1) == -1);
  CHECK(utc_day(-86400000) == -1);
  CHECK(utc_day(-86400001) == -2);
  CHECK(utc_day(86399999) == 0);
  CHECK(utc_day(1709164800000) == 19782);
}
