// Tests for the linear-time JavaScript regex engine.
//
// Every expected value in kV8Cases was obtained by running V8 itself (Node 20,
// `new RegExp(pattern, flags).test(input)`); the rows were printed by a throwaway node script from
// the same (pattern, flags, input) triples. Compile-error cases were likewise confirmed to throw a
// SyntaxError in V8, and the unsupported cases to be accepted by V8 (they need backtracking).
// Expectations for the pathological inputs, which V8 itself cannot finish, follow from the
// pattern's definition and were confirmed by V8 on 20-character versions of the same inputs.

#include "stageline/regex/regex.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "counting_allocator.hpp"
#include "stageline/common/error.hpp"

namespace {

using stageline::Error;
using stageline::Regex;
namespace error_code = stageline::error_code;

struct Case {
  const char* pattern;
  bool ignore_case;
  const char* input;
  bool expected;
};

const Case kV8Cases[] = {
    {"abc", false, "xxabcxx", true},
    {"abc", false, "ab", false},
    {"", false, "", true},
    {"", false, "x", true},
    {"^abc", false, "abcd", true},
    {"^abc", false, "xabc", false},
    {"abc$", false, "xabc", true},
    {"abc$", false, "abcx", false},
    {"^$", false, "", true},
    {"^$", false, "\x0a", false},
    {"a.c", false, "abc", true},
    {"a.c", false,
     "a\x0a"
     "c",
     false},
    {"a.c", false,
     "a\x0d"
     "c",
     false},
    {"a.c", false,
     "a\xe2\x80\xa8"
     "c",
     false},
    {"a.c", false,
     "a\xc2\x85"
     "c",
     true},
    {"^.$", false, "é", true},
    {"^.$", false, "😀", false},
    {"^..$", false, "😀", true},
    {"^\\uD83D\\uDE00$", false, "😀", true},
    {"^[\\uD800-\\uDBFF]", false, "😀x", true},
    {"^😀+$", false, "😀😀", false},
    {"^😀{2}$", false, "😀😀", false},
    {"é", false, "café", true},
    {"^caf.$", false, "café", true},
    {"\\d+", false, "abc123", true},
    {"^\\d+$", false, "١٢٣", false},
    {"\\D", false, "123", false},
    {"^\\w+$", false, "A_z9", true},
    {"\\w", false, "éü", false},
    {"\\W", false, "é", true},
    {"^\\s+$", false,
     " \x09"
     "\x0a"
     "\x0b"
     "\x0c"
     "\x0d"
     "\xc2\xa0"
     "\xe1\x9a\x80"
     "\xe2\x80\x80"
     "\xe2\x80\x8a"
     "\xe2\x80\xa8"
     "\xe2\x80\xa9"
     "\xe2\x80\xaf"
     "\xe2\x81\x9f"
     "\xe3\x80\x80"
     "\xef\xbb\xbf",
     true},
    {"\\s", false, "\xe1\xa0\x8e", false},
    {"\\s", false, "\xc2\x85", false},
    {"\\S", false, " \x09", false},
    {"\\x41\\u0042", false, "AB", true},
    {"\\x4", false, "x4", true},
    {"\\u{2}", false, "uu", true},
    {"\\cJ", false, "\x0a", true},
    {"\\c*", false, "\\c", true},
    {"\\101", false, "A", true},
    {"\\8", false, "8", true},
    {"\\q\\-", false, "q-", true},
    {"a{", false, "a{", true},
    {"a{1", false, "a{1", true},
    {"x{,2}", false, "x{,2}", true},
    {"}]", false, "}]", true},
    {"\\t\\v\\f", false,
     "\x09"
     "\x0b"
     "\x0c",
     true},
    {"\\.", false, "a", false},
    {"\\/", false, "/", true},
    {"^[abc]+$", false, "cab", true},
    {"[^abc]", false, "abc", false},
    {"^[a-z0-9_-]+$", false, "my-slug_1", true},
    {"[\\d-z]", false, "-", true},
    {"[\\d-z]", false, "m", false},
    {"[\\b]", false, "\x08", true},
    {"[\\B]", false, "B", true},
    {"[\\c1]", false, "\x11", true},
    {"[\\c]", false, "\\", true},
    {"[]", false, "a", false},
    {"[^]", false, "\x0a", true},
    {"[\\s\\S]", false, "\xe2\x80\xa8", true},
    {"[^\\w]", false, "_", false},
    {"[\\W\\d]", false, "5", true},
    {"^[à-ÿ]+$", false, "éèü", true},
    {"[\\u0400-\\u04ff]", false, "Привет", true},
    {"^[😀]$", false, "😀x", false},
    {"^[😀]$", false, "😀", false},
    {"[\\]]", false, "]", true},
    {"[a\\-z]", false, "m", false},
    {"\\bcat\\b", false, "the cat sat", true},
    {"\\bcat\\b", false, "concatenate", false},
    {"\\Bcat\\B", false, "concatenate", true},
    {"\\bé", false, "café", true},
    {"\\b", false, "", false},
    {"\\B", false, "", true},
    {"a\\b", false, "aé", true},
    {"^\\b$", false, "", false},
    {"^(?:cat|dog)s?$", false, "dogs", true},
    {"^(?:cat|dog)s?$", false, "cow", false},
    {"^(a|ab)(c|bcd)(d*)$", false, "abcd", true},
    {"(?<year>\\d{4})-(?<month>\\d\\d)", false, "on 2024-05-01", true},
    {"a||b", false, "c", true},
    {"^(|a)$", false, "", true},
    {"((((a))))", false, "a", true},
    {"^a{3}$", false, "aaa", true},
    {"^a{3}$", false, "aaaa", false},
    {"^a{2,}$", false, "a", false},
    {"^a{2,3}$", false, "aaa", true},
    {"^a{0}$", false, "", true},
    {"^a{0}b$", false, "ab", false},
    {"^(?:ab){2,3}$", false, "ababab", true},
    {"^(?:ab){2,3}$", false, "abababab", false},
    {"^a*?$", false, "aaa", true},
    {"^a+?b??$", false, "aab", true},
    {"^(?:a*)*$", false, "aaa", true},
    {"^(?:a?)+$", false, "aa", true},
    {"^(?:a|b)*c$", false, "ababc", true},
    {"^(?:(?:a{2}){2}){2}$", false, "aaaaaaaa", true},
    {"^hello$", true, "HeLLo", true},
    {"^[a-z]+$", true, "ABC", true},
    {"[^a-z]", true, "ABC", false},
    {"ß", true, "ẞ", false},
    {"s", true, "ſ", false},
    {"ſ", true, "S", false},
    {"k", true,
     "\xe2\x84\xaa" /* KELVIN SIGN */ "", false},
    {"\xe2\x84\xaa" /* KELVIN SIGN */ "", true, "k", false},
    {"^σ+$", true, "ΣσςΣ", true},
    {"µ", true, "Μ", true},
    {"ÿ", true, "Ÿ", true},
    {"É", true, "é", true},
    {"^[à-þ]+$", true, "ÀÉÎ", true},
    {"ǆ", true, "ǅ", true},
    {"привет", true, "ПРИВЕТ", true},
    {"ё", true, "Ё", true},
    {"ı", true, "I", false},
    {"i", true, "İ", false},
    {"\\w", true, "ſ", false},
    {"[\\w]", true,
     "\xe2\x84\xaa" /* KELVIN SIGN */ "", false},
    {"\\W", true, "S", false},
    {"[^σ]", true, "ς", false},
    {"ꙁ", true, "Ꙁ", true},
    {"ａ", true, "Ａ", true},
    {"[Ā-ſ]", true, "s", false},
    {"\\u0101", true, "Ā", true},
    {"[\\u0130]", true, "i", false},
};

// Catch2 messages print the pattern and input of a failing row.
std::string describe(const Case& row) {
  return std::string("/") + row.pattern + "/" + (row.ignore_case ? "i" : "") + ".test(\"" +
         row.input + "\")";
}

// Compiles `pattern` and returns the Error it must throw.
Error compile_error(const std::string& pattern, const stageline::RegexLimits& limits = {}) {
  try {
    Regex::compile(pattern, false, limits);
  } catch (const Error& error) {
    return error;
  }
  FAIL("expected /" << pattern << "/ to be rejected");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("Regex matches as V8's RegExp.prototype.test does") {
  REQUIRE(sizeof(kV8Cases) / sizeof(kV8Cases[0]) >= 80);
  for (const Case& row : kV8Cases) {
    INFO(describe(row));
    CHECK(Regex::compile(row.pattern, row.ignore_case).search(row.input) == row.expected);
  }
  // NUL cannot sit in the table's C strings. V8: /\0/.test("\0") and /^a\0b$/.test("a\0b") are
  // true, /\0/.test("0") is false.
  CHECK(Regex::compile("\\0").search(std::string(1, '\0')));
  CHECK(Regex::compile("^a\\0b$").search(std::string("a\0b", 3)));
  CHECK_FALSE(Regex::compile("\\0").search("0"));
  // Group names may be written with \u escapes (V8: both true).
  CHECK(Regex::compile("(?<\\u{61}>x)y").search("xy"));
  CHECK(Regex::compile("(?<\\u0062c>x)").search("x"));
}

TEST_CASE("Regex decodes invalid UTF-8 input as TextDecoder does") {
  // Code-unit counts from node: new TextDecoder().decode(Buffer.from(bytes)).length, every unit
  // being U+FFFD.
  const Regex one = Regex::compile("^\\uFFFD$");
  const Regex two = Regex::compile("^\\uFFFD{2}$");
  const Regex three = Regex::compile("^\\uFFFD{3}$");
  const Regex four = Regex::compile("^\\uFFFD{4}$");
  CHECK(one.search("\xe2\x82"));           // truncated 3-byte sequence
  CHECK(one.search("\xf0\x9f\x98"));       // truncated 4-byte sequence
  CHECK(three.search("\xed\xa0\x80"));     // an encoded surrogate
  CHECK(two.search("\xc0\xaf"));           // overlong encoding
  CHECK(four.search("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  CHECK(Regex::compile("^a\\uFFFDb$")
            .search("a\xff"
                    "b"));
  CHECK(Regex::compile("^a\\uFFFDa$")
            .search("a\xe2\x82"
                    "a"));
  CHECK_FALSE(one.search("\xf0\x9f\x98\x80"));  // a valid emoji is two surrogates, not U+FFFD
}

TEST_CASE("Regex rejects what V8 rejects, naming the offset") {
  const char* const kSyntaxErrors[] = {
      "???***[)",
      "a**",
      "*a",
      "a|*",
      "(*)",
      "^*",
      "$+",
      "\\b*",
      "{1}",
      "a{2}{3}",
      "x{2,1}",
      "[z-a]",
      "[",
      "[a",
      "(",
      "(?:a",
      "a)",
      "\\",
      "[\\",
      "(?i:a)",
      "(?<1a>x)",
      "(?<>x)",
      "(?<a>x)(?<a>y)",
      "(?<a>x)\\k",
      "(?<a>x)[\\k]",
      "(?<a",
      "(?<a>x)(?<\\u0061>y)",
  };
  for (const char* pattern : kSyntaxErrors) {
    INFO(pattern);
    const Error error = compile_error(pattern);
    CHECK(error.code() == error_code::kInvalidRegex);
    CHECK_THAT(error.message(), Catch::Contains("at offset "));
  }
  CHECK(compile_error("???***[)").message() ==
        "invalid regular expression at offset 0: nothing to repeat");
  CHECK(compile_error("a**").message() ==
        "invalid regular expression at offset 2: nothing to repeat");
  CHECK_THAT(compile_error("x{2,1}").message(), Catch::Contains("offset 1: numbers out of order"));
  CHECK_THAT(compile_error("ab[z-a]").message(), Catch::Contains("offset 3: range out of order"));
  CHECK_THAT(compile_error("ab[cd").message(),
             Catch::Contains("offset 2: unterminated character class"));
  CHECK_THAT(compile_error("a)").message(), Catch::Contains("offset 1: unmatched ')'"));
  // Offsets count UTF-16 code units, as JavaScript does: the emoji is two.
  CHECK_THAT(compile_error("\xf0\x9f\x98\x80**").message(), Catch::Contains("offset 3:"));
}

TEST_CASE("Regex rejects backreferences and lookaround, which need backtracking") {
  // V8 accepts all of these.
  const char* const kUnsupported[] = {"(a)\\1",  "\\1(a)",  "(?=a)",         "(?!a)b",
                                      "(?<=a)b", "(?<!a)b", "(?<n>a)\\k<n>", "(?=a)*"};
  for (const char* pattern : kUnsupported) {
    INFO(pattern);
    const Error error = compile_error(pattern);
    CHECK(error.code() == error_code::kInvalidRegex);
    CHECK_THAT(error.message(),
               Catch::Contains("not supported") && Catch::Contains("backtracking"));
  }
  CHECK_THAT(compile_error("x(a)\\1").message(), Catch::Contains("offset 4: backreference \\1"));
  CHECK_THAT(compile_error("x(?<=a)").message(), Catch::Contains("offset 1: lookbehind"));
  CHECK_THAT(compile_error("(?!a)").message(), Catch::Contains("offset 0: lookahead"));
}

TEST_CASE("Regex enforces its limits") {
  SECTION("pattern length, in UTF-16 code units") {
    CHECK_NOTHROW(Regex::compile(std::string(1000, 'a')));
    CHECK(compile_error(std::string(1001, 'a')).code() == error_code::kLimitExceeded);
    stageline::RegexLimits limits;
    limits.max_pattern_length = 2;
    CHECK_NOTHROW(Regex::compile("\xf0\x9f\x98\x80", false, limits));  // 4 bytes, 2 code units
    CHECK(compile_error("\xf0\x9f\x98\x80"
                        "a",
                        limits)
              .code() == error_code::kLimitExceeded);
    CHECK(compile_error(std::string(10'000'000, 'a')).code() == error_code::kLimitExceeded);
  }
  SECTION("program size: counted repetition expands") {
    CHECK_NOTHROW(Regex::compile("a{9999}"));  // 9999 instructions + match
    CHECK(compile_error("a{10000}").code() == error_code::kLimitExceeded);
    CHECK(compile_error("(?:a{1000}){1000}").code() == error_code::kLimitExceeded);
    CHECK(compile_error("(?:(?:(?:a{1000}){1000}){1000}){1000}").code() ==
          error_code::kLimitExceeded);
    CHECK(compile_error("x{2147483648}").code() == error_code::kLimitExceeded);  // V8 accepts
    CHECK(compile_error("x{0,99999999999999999999}").code() == error_code::kLimitExceeded);
    CHECK_THAT(compile_error("a{10000}").message(), Catch::Contains("10000 NFA instructions"));
  }
  SECTION("group nesting bounds the parser's recursion") {
    const auto nested = [](std::size_t depth) {
      return std::string(depth, '(') + "a" + std::string(depth, ')');
    };
    CHECK(Regex::compile(nested(Regex::kMaxGroupNesting)).search("a"));
    CHECK(compile_error(nested(Regex::kMaxGroupNesting + 1)).code() == error_code::kLimitExceeded);
    CHECK(compile_error(std::string(10000, '(')).code() == error_code::kLimitExceeded);
    stageline::RegexLimits limits;
    limits.max_pattern_length = 100000;
    CHECK(compile_error(nested(10000), limits).code() == error_code::kLimitExceeded);
  }
}

TEST_CASE("Regex stays linear on patterns that make backtracking engines explode") {
  const std::string as(100000, 'a');
  const std::string xs(100000, 'x');
  CHECK_FALSE(Regex::compile("(a+)+$").search(as + "!"));
  CHECK(Regex::compile("(a+)+$").search(as));
  CHECK_FALSE(Regex::compile("(a|a)*b").search(as));
  CHECK(Regex::compile("(a|a)*b").search(as + "b"));
  CHECK_FALSE(Regex::compile("(x+x+)+y").search(xs));
  CHECK(Regex::compile("(x+x+)+y").search(xs + "y"));
  CHECK_FALSE(Regex::compile("^(\\w+\\s?)*$").search(std::string(50000, 'a') + " !"));
  CHECK_FALSE(Regex::compile("(?:a*)*b", true).search(as));
  CHECK(Regex::compile("a{500}b").search(as + "b"));
  CHECK_FALSE(Regex::compile("a{500}b").search(as));
}

TEST_CASE("Regex::search allocates nothing") {
  const Regex regex = Regex::compile("^(?:[a-z\xc3\xa9]+\\s?)*(caf\xc3\xa9|\\d{2,4})$", true);
  const std::string long_text = std::string(5000, 'x') + " CAF\xc3\x89";
  const std::size_t before = static_cast<std::size_t>(stageline::testing::allocations());
  const bool short_match = regex.search("un caf\xc3\xa9");
  const bool long_match = regex.search(long_text);
  const bool no_match = regex.search("\xf0\x9f\x98\x80 1");
  const std::size_t allocations = static_cast<std::size_t>(stageline::testing::allocations()) - before;
  CHECK(allocations == 0);
  CHECK(short_match);
  CHECK(long_match);
  CHECK_FALSE(no_match);
}

TEST_CASE("Regex copies and moves keep working") {
  const Regex original = Regex::compile("^b[aeiou]t$", true);
  Regex copy = original;
  CHECK(copy.pattern() == "^b[aeiou]t$");
  CHECK(copy.search("BAT"));
  CHECK(original.search("bit"));
  Regex moved = std::move(copy);
  CHECK(moved.search("bUt"));
  CHECK_FALSE(moved.search("bxt"));
  moved = Regex::compile("x");
  CHECK(moved.search("axb"));
}
