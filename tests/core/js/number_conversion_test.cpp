// Number conversions without printf/strtod (core/src/js/shortest_double.cpp, decimal_to_double.cpp)
// and through JavaScript's Number::toString / StringToNumber (js_number.cpp).
// Expected values: bit patterns from the IEEE 754 layout by hand (sign | 11-bit biased exponent |
// 52-bit fraction) where the value is a power of two or a neighbour of one; decimal texts of
// halfway points computed here from their definition by schoolbook halving; everything else
// as V8 (node 20) prints or reads it, `String(x)` and `Number(s)`; and glibc's correctly rounded
// strtod / printf natively as a peer for the randomized checks.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "counting_allocator.hpp"
#include "js/decimal_to_double.hpp"
#include "js/js_text.hpp"
#include "js/shortest_double.hpp"

namespace {

using stageline::number::decimal_to_double;
using stageline::number::radix_integer_to_double;
using stageline::number::shortest_digits;

double from_bits(std::uint64_t bits) {
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::uint64_t to_bits(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

std::string to_js_string(double value) {
  char text[stageline::js::kNumberTextCapacity];
  return std::string(text, stageline::js::number_to_string(value, text));
}

std::uint64_t parsed_bits(const std::string& text) { return to_bits(decimal_to_double(text)); }

// m x 2^exponent written out exactly in decimal, from the definition: the digits of m, halved
// |exponent| times (each halving of a decimal fraction adds at most one digit) or doubled.
std::string exact_decimal(std::uint64_t m, int exponent) {
  std::string digits = std::to_string(m);  // integer digits
  std::size_t point = digits.size();       // digits[0..point) integer part
  for (; exponent > 0; --exponent) {
    int carry = 0;
    for (std::size_t i = digits.size(); i-- > 0;) {
      const int d = (digits[i] - '0') * 2 + carry;
      digits[i] = static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
    if (carry != 0) {
      digits.insert(digits.begin(), static_cast<char>('0' + carry));
      ++point;
    }
  }
  for (; exponent < 0; ++exponent) {
    int remainder = 0;
    for (char& c : digits) {
      const int d = remainder * 10 + (c - '0');
      c = static_cast<char>('0' + d / 2);
      remainder = d % 2;
    }
    if (remainder != 0) digits.push_back('5');
  }
  return "0" + digits.substr(0, point) + "." + digits.substr(point) + "0";
}

}  // namespace

TEST_CASE("decimal text reads as the double IEEE round-half-even gives") {
  // Smallest subnormal 2^-1074 = 0x0000000000000001 (4.94065645841246544e-324); half of it,
  // 2^-1075 = 2.47032822920623272088e-324, is the halfway point to 0.
  CHECK(parsed_bits("5e-324") == 0x0000000000000001u);
  CHECK(parsed_bits("4.9406564584124654e-324") == 0x0000000000000001u);
  CHECK(parsed_bits("2.4703282292062328e-324") == 0x0000000000000001u);  // just above halfway
  CHECK(parsed_bits("2.4703282292062327e-324") == 0x0000000000000000u);  // just below
  CHECK(parsed_bits("1e-400") == 0x0000000000000000u);
  CHECK(parsed_bits("-1e-400") == 0x8000000000000000u);
  // Smallest normal 2^-1022 = 0x0010000000000000 = 2.2250738585072014e-308; the largest subnormal
  // below it, (2^52 - 1) x 2^-1074 = 0x000FFFFFFFFFFFFF = 2.2250738585072009e-308. The famous
  // 2.2250738585072011e-308 lies below their midpoint 2.22507385850720113605e-308.
  CHECK(parsed_bits("2.2250738585072011e-308") == 0x000FFFFFFFFFFFFFu);
  CHECK(parsed_bits("2.2250738585072012e-308") == 0x0010000000000000u);
  CHECK(parsed_bits("2.2250738585072014e-308") == 0x0010000000000000u);
  // Largest finite (2 - 2^-52) x 2^1023 = 0x7FEFFFFFFFFFFFFF = 1.7976931348623157e308; the
  // halfway point to 2^1024 is 1.797693134862315807937e308, and everything from it on overflows.
  CHECK(parsed_bits("1.7976931348623157e308") == 0x7FEFFFFFFFFFFFFFu);
  CHECK(parsed_bits("1.7976931348623158e308") == 0x7FEFFFFFFFFFFFFFu);
  CHECK(parsed_bits("1.7976931348623159e308") == 0x7FF0000000000000u);
  CHECK(parsed_bits("-1e309") == 0xFFF0000000000000u);
  // 2^1023 = 0x7FE0000000000000 = 8.98846567431158e307 (V8 prints it with these 15 digits).
  CHECK(parsed_bits("8.98846567431158e307") == 0x7FE0000000000000u);
  // 1e23 is exactly halfway between 0x44B52D02C7E14AF6 and ...AF7 (V8: Number("1e23")); even wins.
  CHECK(parsed_bits("1e23") == 0x44B52D02C7E14AF6u);
  // 2^53 + 1 is halfway between 2^53 (0x4340000000000000) and 2^53 + 2: even; 2^53 + 3 between
  // 2^53 + 2 and 2^53 + 4 (fraction ...2, even) goes up.
  CHECK(parsed_bits("9007199254740993") == 0x4340000000000000u);
  CHECK(parsed_bits("9007199254740995") == 0x4340000000000002u);
  // 1 + 2^-53 exactly (2^-53 = 1.1102230246251565404236316680908203125e-16): halfway between 1
  // (0x3FF0000000000000) and 1 + 2^-52: ties to even 1; one more in the last place rounds up.
  CHECK(parsed_bits("1.00000000000000011102230246251565404236316680908203125") ==
        0x3FF0000000000000u);
  CHECK(parsed_bits("1.00000000000000011102230246251565404236316680908203124") ==
        0x3FF0000000000000u);
  CHECK(parsed_bits("1.00000000000000011102230246251565404236316680908203126") ==
        0x3FF0000000000001u);
  // V8: Number("0.1"), Number("0.3333333333333333"), Number("1e-7"), Number("1e21").
  CHECK(parsed_bits("0.1") == 0x3FB999999999999Au);
  CHECK(parsed_bits("0.3333333333333333") == 0x3FD5555555555555u);
  CHECK(parsed_bits("1e-7") == 0x3E7AD7F29ABCAF48u);
  CHECK(parsed_bits("1e21") == 0x444B1AE4D6E2EF50u);
  CHECK(parsed_bits("123456789012345678901234567890") == 0x45F8EE90FF6C373Eu);
  CHECK(parsed_bits("4.35679469e-315") == 0x00000000348F9526u);  // a subnormal, V8
  CHECK(parsed_bits("-0") == 0x8000000000000000u);
  CHECK(parsed_bits("0.000e5") == 0x0000000000000000u);
  CHECK(parsed_bits(".5") == 0x3FE0000000000000u);
  CHECK(parsed_bits("5.") == 0x4014000000000000u);
  CHECK(parsed_bits("1e1000000000000") == 0x7FF0000000000000u);  // exponents saturate
  CHECK(parsed_bits("0e1000000000000") == 0x0000000000000000u);
}

TEST_CASE("16 to 19 digits with small exponents (the 64-bit path) round half to even") {
  // In [2^52, 2^53) doubles are the integers (2^52 = 0x4330000000000000, fraction = value - 2^52):
  // n + 0.5 is a tie and goes to the even integer.
  CHECK(parsed_bits("4503599627370496.5") == 0x4330000000000000u);
  CHECK(parsed_bits("4503599627370497.5") == 0x4330000000000002u);
  CHECK(parsed_bits("4503599627370497.4999") == 0x4330000000000001u);
  CHECK(parsed_bits("45035996273704975e-1") == 0x4330000000000002u);
  // In [2^63, 2^64) the spacing is 2^11 = 2048: 2^63 + 1024 is a tie (to 2^63, 0x43E0000000000000),
  // 2^63 + 1025 is past it; 9223372036854775808 = 2^63.
  CHECK(parsed_bits("9223372036854776832") == 0x43E0000000000000u);
  CHECK(parsed_bits("9223372036854776833") == 0x43E0000000000001u);
  CHECK(parsed_bits("9223372036854775808000e-3") == 0x43E0000000000000u);
  // 2^-24 = 5.9604644775390625e-8 exactly (17 digits, exponent -24; biased exponent 999 = 0x3E7).
  CHECK(parsed_bits("5.9604644775390625e-8") == 0x3E70000000000000u);
  // 2^64 = 18446744073709551616 (20 digits: the big-integer path), biased exponent 1087 = 0x43F.
  CHECK(parsed_bits("18446744073709551616") == 0x43F0000000000000u);
  CHECK(parsed_bits("1.8446744073709551616e19") == 0x43F0000000000000u);
}

TEST_CASE("long decimal literals round as their full text") {
  // 0.5 x 10^-323 + a 1 after 900 zeros: above 2^-1075 (2.47e-324), so 2^-1074.
  CHECK(parsed_bits("0.5" + std::string(900, '0') + "1e-323") == 0x0000000000000001u);
  CHECK(parsed_bits(std::string(900, '9')) == 0x7FF0000000000000u);
  CHECK(parsed_bits("1." + std::string(850, '0') + "1") == 0x3FF0000000000000u);
  // 10^308 written with 309 digits, and 1 preceded by a long run of zeros after the point.
  CHECK(parsed_bits("1" + std::string(308, '0')) == to_bits(1e308));
  CHECK(parsed_bits("0." + std::string(2000, '0') + "1e2005") == 0x40C3880000000000u);  // 10^4

  // Exact halfway points between neighbouring doubles, written in full (up to 767 significant
  // digits): they tie to the even neighbour; any non-zero digit after them, however far, rounds
  // up, and a 9-run just below them rounds down.
  struct Neighbours {
    std::uint64_t low_bits;  // the even or odd lower neighbour
    std::uint64_t m;         // halfway point = m x 2^exponent (m odd)
    int exponent;
  };
  const Neighbours cases[] = {
      {0x0000000000000000u, 1, -1075},                             // 0 .. 2^-1074
      {0x0000000000000001u, 3, -1075},                             // 2^-1074 .. 2^-1073
      {0x000FFFFFFFFFFFFFu, (std::uint64_t{1} << 53) - 1, -1075},  // largest subnormal .. 2^-1022
      {0x0010000000000000u, (std::uint64_t{1} << 53) + 1, -1075},  // 2^-1022 .. next
      {0x001FFFFFFFFFFFFFu, (std::uint64_t{1} << 54) - 1, -1075},  // up to 2^-1021
      {0x3FF0000000000000u, (std::uint64_t{1} << 53) + 1, -53},    // 1 .. 1 + 2^-52
      {0x4340000000000000u, (std::uint64_t{1} << 53) + 1, 0},      // 2^53 .. 2^53 + 2
      {0x7FEFFFFFFFFFFFFEu, (std::uint64_t{1} << 54) - 3, 970},    // just below the largest
  };
  for (const Neighbours& c : cases) {
    const std::string half = exact_decimal(c.m, c.exponent);
    INFO(half);
    const std::uint64_t even = c.low_bits % 2 == 0 ? c.low_bits : c.low_bits + 1;
    CHECK(parsed_bits(half) == even);
    CHECK(parsed_bits(half + std::string(100, '0') + "1") == c.low_bits + 1);
    // Just below: the last non-zero digit of the halfway text less one, then nines.
    std::string below = half;
    const std::size_t last = below.find_last_not_of(".0");
    below[last] = static_cast<char>(below[last] - 1);
    CHECK(parsed_bits(below + std::string(200, '9')) == c.low_bits);
  }
}

TEST_CASE("binary, octal and hex integers round half to even") {
  CHECK(to_bits(radix_integer_to_double("1fffffffffffff", 4)) == 0x433FFFFFFFFFFFFFu);  // 2^53 - 1
  CHECK(to_bits(radix_integer_to_double("20000000000001", 4)) ==
        0x4340000000000000u);  // 2^53 + 1: tie
  CHECK(to_bits(radix_integer_to_double("20000000000003", 4)) == 0x4340000000000002u);  // tie, up
  // 2^117 + 2^64 + 1: the unit in the last place is 2^65, so just above halfway: up to 2^117 +
  // 2^65.
  CHECK(to_bits(radix_integer_to_double("200000000000010000000000000001", 4)) ==
        0x4740000000000001u);
  CHECK(to_bits(radix_integer_to_double(std::string(54, '1'), 1)) ==
        0x4350000000000000u);  // -> 2^54
  CHECK(to_bits(radix_integer_to_double("7777777777777777777", 3)) ==
        0x4380000000000000u);  // -> 2^57
  CHECK(to_bits(radix_integer_to_double("000000", 3)) == 0x0000000000000000u);
  // The largest finite (2^53 - 1) x 2^971 is 53 ones then 971 zeros; the halfway point to 2^1024,
  // (2^54 - 1) x 2^970, is 54 ones then 970 zeros and rounds away from the odd largest finite.
  CHECK(to_bits(radix_integer_to_double(std::string(53, '1') + std::string(971, '0'), 1)) ==
        0x7FEFFFFFFFFFFFFFu);
  CHECK(to_bits(radix_integer_to_double(std::string(54, '1') + std::string(970, '0'), 1)) ==
        0x7FF0000000000000u);
  CHECK(to_bits(radix_integer_to_double(std::string(300, 'f'), 4)) == 0x7FF0000000000000u);
}

TEST_CASE("long radix integers through StringToNumber (V8: Number(s))") {
  using stageline::js::string_to_number;
  // Leading zeros do not count: Number("0x" + "0".repeat(600) + "1") === 1, and likewise "0b".
  CHECK(to_bits(string_to_number("0x" + std::string(600, '0') + "1")) == 0x3FF0000000000000u);
  CHECK(to_bits(string_to_number("0b" + std::string(3000, '0') + "1")) == 0x3FF0000000000000u);
  CHECK(to_bits(string_to_number("0o" + std::string(3000, '0') + "17")) ==
        0x402E000000000000u);  // 15
  // Number("0x" + "f".repeat(600)) === Infinity; a digit outside the radix is NaN.
  CHECK(to_bits(string_to_number("0x" + std::string(600, 'f'))) == 0x7FF0000000000000u);
  CHECK(std::isnan(string_to_number("0b102")));
  CHECK(std::isnan(string_to_number("0x")));
}

TEST_CASE("shortest digits: fewest that read back, the closest among them") {
  // The smallest subnormal reads back from anything in (2^-1075, 3 x 2^-1075) = (2.47e-324,
  // 7.41e-324): one digit, 5 x 10^-324 (0.5 x 10^-323).
  const auto tiny = shortest_digits(from_bits(0x0000000000000001u));
  CHECK(std::string(tiny.digits, tiny.count) == "5");
  CHECK(tiny.exponent == -323);
  const auto tenth = shortest_digits(0.1);
  CHECK(std::string(tenth.digits, tenth.count) == "1");
  CHECK(tenth.exponent == 0);
  const auto big = shortest_digits(from_bits(0x7FEFFFFFFFFFFFFFu));
  CHECK(std::string(big.digits, big.count) == "17976931348623157");
  CHECK(big.exponent == 309);
}

TEST_CASE("Number::toString prints what V8's String(x) prints") {
  CHECK(to_js_string(from_bits(0x0000000000000001u)) == "5e-324");
  CHECK(to_js_string(from_bits(0x0000000000000006u)) == "3e-323");
  CHECK(to_js_string(from_bits(0x000FFFFFFFFFFFFFu)) == "2.225073858507201e-308");
  CHECK(to_js_string(from_bits(0x0010000000000000u)) == "2.2250738585072014e-308");
  CHECK(to_js_string(from_bits(0x0020000000000000u)) == "4.450147717014403e-308");
  CHECK(to_js_string(from_bits(0x00000000348F9526u)) == "4.35679469e-315");
  CHECK(to_js_string(from_bits(0x4340000000000000u)) == "9007199254740992");
  CHECK(to_js_string(from_bits(0x7FEFFFFFFFFFFFFFu)) == "1.7976931348623157e+308");
  CHECK(to_js_string(from_bits(0x7FE0000000000000u)) == "8.98846567431158e+307");
  CHECK(to_js_string(from_bits(0xFE41EB2D66005835u)) == "-1.5e+300");
  CHECK(to_js_string(from_bits(0x43E0000000000000u)) == "9223372036854776000");   // 2^63
  CHECK(to_js_string(from_bits(0x43F0000000000000u)) == "18446744073709552000");  // 2^64
  CHECK(to_js_string(from_bits(0x44B52D02C7E14AF6u)) == "1e+23");  // the even neighbour of 1e23
  CHECK(to_js_string(0.1) == "0.1");
  CHECK(to_js_string(1.0 / 3.0) == "0.3333333333333333");
  // The format switches: 21 integer digits, and 6 zeros after the point.
  CHECK(to_js_string(1e21) == "1e+21");
  CHECK(to_js_string(123456789012345678901.0) == "123456789012345680000");
  CHECK(to_js_string(1e-7) == "1e-7");
  CHECK(to_js_string(1e-6) == "0.000001");
  CHECK(to_js_string(0.000001234) == "0.000001234");
  CHECK(to_js_string(1.23e-18) == "1.23e-18");
  CHECK(to_js_string(from_bits(0x3EB0000000000000u)) == "9.5367431640625e-7");  // 2^-20
  CHECK(to_js_string(-0.0) == "0");
  CHECK(to_js_string(-123.0) == "-123");
}

TEST_CASE("at powers of two the narrower gap below is used, as V8 does") {
  // The former printf loop took the closest 16-digit decimal, which lies below these powers of
  // two outside their (half-as-wide) lower gap, and went on to 17 digits; a 16-digit decimal above
  // them is within the gap above and reads back (V8: String(2 ** -1017) etc.).
  CHECK(to_js_string(from_bits(0x0060000000000000u)) == "7.120236347223045e-307");  // 2^-1017
  CHECK(to_js_string(from_bits(0x0100000000000000u)) == "7.291122019556398e-304");  // 2^-1007
  CHECK(to_js_string(from_bits(0x0420000000000000u)) == "8.209073602596753e-289");  // 2^-957
  CHECK(std::strtod("7.120236347223045e-307", nullptr) == from_bits(0x0060000000000000u));
}

TEST_CASE("randomized against glibc's correctly rounded strtod and printf") {
  std::mt19937_64 random(20261124);
  char text[64];
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t bits = random() & 0x7FFFFFFFFFFFFFFFu;
    const double value = from_bits(bits);
    if (!(value > 0) || value > std::numeric_limits<double>::max()) continue;
    const auto shortest = shortest_digits(value);
    std::snprintf(text, sizeof text, "0.%.*se%d", static_cast<int>(shortest.count), shortest.digits,
                  shortest.exponent);
    INFO(text);
    REQUIRE(std::strtod(text, nullptr) == value);
    // No more digits than the first printf precision that reads back.
    int precision = 1;
    for (; precision < 17; ++precision) {
      std::snprintf(text, sizeof text, "%.*e", precision - 1, value);
      if (std::strtod(text, nullptr) == value) break;
    }
    REQUIRE(static_cast<int>(shortest.count) <= precision);
    // And read back by our own parser from printf's 25-digit rounding.
    std::snprintf(text, sizeof text, "%.24e", value);
    REQUIRE(decimal_to_double(text) == std::strtod(text, nullptr));
  }
}

TEST_CASE("conversions allocate nothing, even on the big-integer paths") {
  // Built before counting: the texts themselves are std::strings.
  const std::string long_literal = "0.5" + std::string(900, '0') + "1e-323";
  const std::string long_hex = "0x" + std::string(600, 'f');
  const double values[] = {from_bits(0x0000000000000001u),
                           from_bits(0x0060000000000000u),
                           from_bits(0x7FEFFFFFFFFFFFFFu),
                           0.1,
                           1.0 / 3.0,
                           1e21,
                           123.0};
  const long before = stageline::testing::allocations();
  double sum = 0;
  for (const double value : values) sum += static_cast<double>(to_bits(value) != 0);
  char text[stageline::js::kNumberTextCapacity];
  for (const double value : values)
    sum += static_cast<double>(stageline::js::number_to_string(value, text));
  sum += stageline::js::string_to_number(long_literal);
  sum += stageline::js::string_to_number(long_hex);
  sum += stageline::js::string_to_number("1.7976931348623157e308");
  sum += decimal_to_double("2.4703282292062328e-324");
  CHECK(stageline::testing::allocations() == before);
  CHECK(sum != 0);
}
