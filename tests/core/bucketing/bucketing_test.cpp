// Bucketing beyond GrowthBook's conformance cases: non-ASCII text, JavaScript's parseInt and string
// splitting in the query-string override, edge cases of getBucketRanges, and no allocation.
//
// Expected values come from two independent sources:
//  - the published FNV-1a 32-bit test vectors (isthe.com/chongo/tech/comp/fnv: "" -> 0x811c9dc5,
//    "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968);
//  - GrowthBook's own JavaScript SDK running in node 20: `npm i @growthbook/growthbook` (1.8.0) in
//    a scratch folder /tmp/gb, then
//      const u = require("/tmp/gb/node_modules/@growthbook/growthbook/dist/cjs/util.js");
//      u.hash(seed, value, version); u.inNamespace(id, ns); u.getQueryStringOverride(id, url, n);
//      u.getBucketRanges(n, coverage, weights); u.getEqualWeights(n)
//    (the deep path bypasses the package's "exports" map; these helpers are not re-exported) and
//    printing each result with JSON.stringify, which writes the shortest round-tripping decimal,
//    so the literals below are the very doubles V8 produced.

#include "stageline/bucketing/bucketing.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "bucketing/bucketing_fnv.hpp"
#include "counting_allocator.hpp"

namespace {

std::uint32_t fnv_of(std::string_view text) {
  stageline::bucketing_internal::Fnv1a32 fnv;
  fnv.add_utf8(text);
  return fnv.value();
}

}  // namespace

TEST_CASE("FNV-1a matches the published 32-bit test vectors") {
  CHECK(fnv_of("") == 0x811c9dc5u);
  CHECK(fnv_of("a") == 0xe40c292cu);
  CHECK(fnv_of("foobar") == 0xbf9cf968u);
}

TEST_CASE("FNV-1a reads UTF-8 as JavaScript's UTF-16 code units") {
  // U+00E9 is one unit 0x00E9 (not the bytes C3 A9); U+1F600 is the two units D83D DE00.
  stageline::bucketing_internal::Fnv1a32 by_units;
  by_units.add_unit(0x00E9);
  CHECK(fnv_of("\xC3\xA9") == by_units.value());
  stageline::bucketing_internal::Fnv1a32 pair;
  pair.add_unit(0xD83D);
  pair.add_unit(0xDE00);
  CHECK(fnv_of("\xF0\x9F\x98\x80") == pair.value());
}

TEST_CASE("hash of non-ASCII text equals GrowthBook's") {
  struct Case {
    const char* seed;
    const char* value;
    double version;
    double expected;
  };
  // node: u.hash(seed, value, version)
  const Case cases[] = {
      {"", u8"é", 1, 0.94},
      {"", u8"é", 2, 0.8917},
      {u8"café", u8"user-ü", 1, 0.786},
      {u8"café", u8"user-ü", 2, 0.8339},
      {"exp", u8"用户123", 1, 0.063},
      {"exp", u8"用户123", 2, 0.8505},
      {u8"種子", "value", 1, 0.628},
      {u8"種子", "value", 2, 0.4788},
      {"", u8"😀", 1, 0.472},
      {"", u8"😀", 2, 0.4971},
      {u8"seed🚀", u8"a😀b", 1, 0.757},
      {u8"seed🚀", u8"a😀b", 2, 0.5522},
      {u8"ünïcødé", u8"Grüße, 世界 👋🏽", 1, 0.892},
      {u8"ünïcødé", u8"Grüße, 世界 👋🏽", 2, 0.9153},
  };
  for (const auto& c : cases) {
    INFO("hash(" << c.seed << ", " << c.value << ", " << c.version << ")");
    const auto actual = stageline::hash(c.seed, c.value, c.version);
    REQUIRE(actual.has_value());
    CHECK(*actual == c.expected);
  }
}

TEST_CASE("hash versions other than exactly 1 and 2 are unknown") {
  // node: u.hash("a", "b", 1.5) === null; the SDK compares with ===.
  CHECK_FALSE(stageline::hash("a", "b", 1.5).has_value());
  CHECK_FALSE(stageline::hash("a", "b", 0).has_value());
  CHECK_FALSE(stageline::hash("a", "b", 3).has_value());
  CHECK_FALSE(stageline::hash("a", "b", std::numeric_limits<double>::quiet_NaN()).has_value());
  CHECK(stageline::hash("a", "b", 2.0).has_value());
}

TEST_CASE("in_namespace with non-ASCII ids and values equals GrowthBook's") {
  // node: u.inNamespace(value, [id, start, end]); the namespace hash u.hash("__" + id, value, 1) is
  // 0.772 for ("ns-é", "ü") and 0.588 for ("名前", "😀").
  CHECK(stageline::hash(u8"__ns-é", u8"ü", 1) == 0.772);
  CHECK_FALSE(stageline::in_namespace(u8"ü", {u8"ns-é", 0, 0.5}));
  CHECK(stageline::in_namespace(u8"ü", {u8"ns-é", 0.5, 1}));
  CHECK(stageline::hash(u8"__名前", u8"😀", 1) == 0.588);
  CHECK_FALSE(stageline::in_namespace(u8"😀", {u8"名前", 0, 0.3}));
  CHECK(stageline::in_namespace(u8"😀", {u8"名前", 0.3, 1}));
  // Ranges are half-open: a slice ending exactly at the hash excludes it.
  CHECK_FALSE(stageline::in_namespace(u8"😀", {u8"名前", 0, 0.588}));
  CHECK(stageline::in_namespace(u8"😀", {u8"名前", 0.588, 0.589}));
}

TEST_CASE("query-string override follows the SDK's string handling") {
  struct Case {
    const char* url;
    std::optional<int> expected;
  };
  // node: u.getQueryStringOverride("my-test", url, 2)
  const Case cases[] = {
      {"http://x.com?my%2Dtest=1", std::nullopt},  // keys are not percent-decoded
      {"http://x.com?my-test=%31", std::nullopt},  // nor values
      {"http://x.com?my-test=%201", std::nullopt},
      {"http://x.com#frag?my-test=1", 1},            // '?' is found even after '#'
      {"http://x.com?a=1?my-test=1", std::nullopt},  // only up to the second '?'
      {"my-test=1?my-test=1", 1},
      {"?my-test=1", 1},
      {"http://x.com?my-test=1=0", 1},  // kv.split("=", 2) drops what follows a second '='
      {"http://x.com?my-test==1", std::nullopt},
      {"http://x.com?my-test", std::nullopt},                // parseInt(undefined)
      {"http://x.com?my-test=1&my-test=0", 1},               // the first occurrence wins...
      {"http://x.com?my-test=foo&my-test=1", std::nullopt},  // ...even when it is not a number
      {"http://x.com?My-Test=1", std::nullopt},
      {"http://x.com?&&my-test=1&&", 1},
      // parseInt: leading JavaScript whitespace, a sign, "0x", and trailing junk.
      {"http://x.com?my-test=+1", 1},
      {"http://x.com?my-test= 1", 1},
      {"http://x.com?my-test=\u3000\u00a01", 1},
      {"http://x.com?my-test=\ufeff1", 1},
      {"http://x.com?my-test=\u180e1", std::nullopt},  // no longer a space since Unicode 6.3
      {"http://x.com?my-test=\u200b1", std::nullopt},  // zero width space is not Zs
      {"http://x.com?my-test=0x1", 1},
      {"http://x.com?my-test=0X1F", std::nullopt},  // 31
      {"http://x.com?my-test=0x", std::nullopt},
      {"http://x.com?my-test=-0", 0},
      {"http://x.com?my-test=-0x0", 0},
      {"http://x.com?my-test=1abc", 1},
      {"http://x.com?my-test=1e5", 1},
      {"http://x.com?my-test=1+2", 1},
      {"http://x.com?my-test=0001", 1},
      {"http://x.com?my-test=99999999999999999999999", std::nullopt},
      // replace(/#.*/, ""): '.' stops at LF, CR, U+2028 and U+2029 but not at U+0085, and the
      // line terminator left behind is whitespace to parseInt.
      {"http://x.com?#\nmy-test=1", std::nullopt},
      {"http://x.com?a=1#b&my-test=0\n&my-test=1", 1},
      {"http://x.com?my-test=#x\r1", 1},
      {"http://x.com?my-test=#x\u20281", 1},
      {"http://x.com?my-test=#x\u00851", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    CHECK(stageline::get_query_string_override("my-test", c.url, 2) == c.expected);
  }
  // node: u.getQueryStringOverride("tëst", "http://x.com?tëst=1", 2) === 1
  CHECK(stageline::get_query_string_override(u8"tëst", u8"http://x.com?tëst=1", 2) == 1);
  // An empty id matches an empty key: "?=1" -> 1, "?#" -> null (no '='), "?a&=0" -> 0.
  CHECK(stageline::get_query_string_override("", "http://x.com?=1", 2) == 1);
  CHECK(stageline::get_query_string_override("", "http://x.com?#", 2) == std::nullopt);
  CHECK(stageline::get_query_string_override("", "http://x.com?a&=0", 2) == 0);
  // numVariations -1 and 0 admit nothing; 1 admits 0.
  CHECK(stageline::get_query_string_override("t", "http://x?t=0", -1) == std::nullopt);
  CHECK(stageline::get_query_string_override("t", "http://x?t=0", 0) == std::nullopt);
  CHECK(stageline::get_query_string_override("t", "http://x?t=0", 1) == 0);
}

namespace {

struct Range {
  double start;
  double end;
};

void check_ranges(const std::vector<stageline::VariationRange>& actual,
                  const std::vector<Range>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("range " << i);
    CHECK(actual[i].start == expected[i].start);
    CHECK(actual[i].end == expected[i].end);
  }
}

}  // namespace

TEST_CASE("get_bucket_ranges reproduces JavaScript's doubles") {
  // node: JSON.stringify(u.getBucketRanges(...)); exact equality, no rounding.
  check_ranges(stageline::get_bucket_ranges(3, 1.0, {0.1, 0.2, 0.7}),
               {{0, 0.1}, {0.1, 0.30000000000000004}, {0.30000000000000004, 1}});
  check_ranges(stageline::get_bucket_ranges(3, 0.7, {0.1, 0.2, 0.7}),
               {{0, 0.06999999999999999}, {0.1, 0.24}, {0.30000000000000004, 0.79}});
  check_ranges(
      stageline::get_bucket_ranges(3),
      {{0, 0.3333333333333333}, {0.3333333333333333, 0.6666666666666666}, {0.6666666666666666, 1}});
  check_ranges(stageline::get_bucket_ranges(3, 1.0, {0.333, 0.333, 0.334}),
               {{0, 0.333}, {0.333, 0.666}, {0.666, 1}});
  CHECK(stageline::get_bucket_ranges(0, 1.0).empty());
  CHECK(stageline::get_bucket_ranges(-2, 1.0).empty());
  check_ranges(stageline::get_bucket_ranges(2, 1.0, {}), {{0, 0.5}, {0.5, 1}});
  // A sum of 1.005 is within the SDK's tolerance and kept; 1.015 is not.
  check_ranges(stageline::get_bucket_ranges(2, 1.0, {0.5, 0.505}), {{0, 0.5}, {0.5, 1.005}});
  check_ranges(stageline::get_bucket_ranges(2, 1.0, {0.5, 0.515}), {{0, 0.5}, {0.5, 1}});
}

TEST_CASE("get_bucket_ranges lets NaN through as JavaScript does") {
  // node: u.getBucketRanges(2, NaN) -> [[0, NaN], [0.5, NaN]] (NaN < 0 and NaN > 1 are false);
  // u.getBucketRanges(2, 1, [NaN, 0.5]) -> [[0, NaN], [NaN, NaN]] (a NaN sum passes both tests).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto by_coverage = stageline::get_bucket_ranges(2, nan);
  REQUIRE(by_coverage.size() == 2);
  CHECK(by_coverage[0].start == 0);
  CHECK(std::isnan(by_coverage[0].end));
  CHECK(by_coverage[1].start == 0.5);
  CHECK(std::isnan(by_coverage[1].end));
  const auto by_weight = stageline::get_bucket_ranges(2, 1.0, {nan, 0.5});
  REQUIRE(by_weight.size() == 2);
  CHECK(by_weight[0].start == 0);
  CHECK(std::isnan(by_weight[0].end));
  CHECK(std::isnan(by_weight[1].start));
  CHECK(std::isnan(by_weight[1].end));
}

TEST_CASE("get_equal_weights is 1/n") {
  // node: u.getEqualWeights(7) -> seven times 0.14285714285714285
  CHECK(stageline::get_equal_weights(7) == std::vector<double>(7, 0.14285714285714285));
  CHECK(stageline::get_equal_weights(-3).empty());
}

TEST_CASE("choose_variation uses half-open ranges and skips empty ones") {
  const std::vector<stageline::VariationRange> ranges{{0, 0.25}, {0.25, 0.25}, {0.5, 0.75}};
  CHECK(stageline::choose_variation(0.25, ranges) == -1);
  CHECK(stageline::choose_variation(0.5, ranges) == 2);
  CHECK(stageline::choose_variation(0.75, ranges) == -1);
  CHECK(stageline::choose_variation(0.1, {}) == -1);
}

TEST_CASE("hashing, choosing, namespaces and overrides allocate nothing") {
  const std::vector<stageline::VariationRange> ranges = stageline::get_bucket_ranges(3, 0.9);
  const stageline::Namespace slice{u8"名前", 0.3, 1};
  const std::string long_value(4096, 'x');
  const std::string long_url =
      "https://shop.example/p?" + long_value + "=1&my-test=1#" + long_value;

  double sink = 0;
  const long before = stageline::testing::allocations();
  for (int i = 0; i < 100; ++i) {
    sink += stageline::hash(u8"seed🚀", u8"Grüße, 世界 👋🏽", 1).value_or(0);
    sink += stageline::hash("seed", long_value, 2).value_or(0);
    sink += stageline::choose_variation(0.5, ranges);
    sink += stageline::in_namespace(u8"😀", slice) ? 1 : 0;
    sink += stageline::get_query_string_override("my-test", long_url, 2).value_or(-1);
  }
  const long allocations = stageline::testing::allocations() - before;
  CHECK(allocations == 0);
  CHECK(sink > 0);
}
