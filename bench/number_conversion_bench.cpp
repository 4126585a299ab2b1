// Number conversions before/after in one run: the former code paths (printf at precisions 1..17
// with a strtod read-back for the shortest digits; strtod on a terminated copy for text) against
// js::number_to_string and js::string_to_number, on the same doubles and their texts (100,000 of
// each of three kinds). The ratio is before / after: above 1, the new code is faster.
// Meant for the WebAssembly build, where "before" is musl's printf/strtod as the module had them:
//
//   emcc -O3 -std=c++17 -sSINGLE_FILE -sALLOW_MEMORY_GROWTH -Icore/include -Icore/src
//     bench/number_conversion_bench.cpp core/src/js/js_number.cpp core/src/js/shortest_double.cpp
//     core/src/js/decimal_to_double.cpp core/src/js/js_text.cpp
//     -o build/number_conversion_bench.cjs && node build/number_conversion_bench.cjs
//
// and natively (glibc) with g++ instead of emcc. Prints ns per conversion and the ratios.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "js/js_text.hpp"

namespace {

// The former shortest_digits of core/src/js/js_number.cpp: the first printf precision that reads back.
std::size_t printf_shortest(double value, char (&digits)[24], int& n) {
  char text[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*e", precision - 1, value);
    if (precision == 17 || std::strtod(text, nullptr) == value) break;
  }
  std::size_t k = 0;
  const char* p = text;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  n = std::atoi(p + 1) + 1;
  while (k > 1 && digits[k - 1] == '0') --k;
  return k;
}

// The former parse_decimal for literals under 800 characters: strtod on a terminated copy.
double strtod_copy(const std::string& text) {
  char buffer[800];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  return std::strtod(buffer, nullptr);
}

template <typename F>
double nanoseconds_per(std::size_t count, F&& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(count);
}

}  // namespace

// 100,000 doubles of one kind: 0 any finite positive bit pattern (exponents anywhere in the
// range), 1 prices (a few digits), 2 results of arithmetic (16-17 digits, moderate exponents).
std::vector<double> doubles_of_kind(int kind) {
  std::mt19937_64 random(42);
  std::vector<double> values;
  while (values.size() < 100000) {
    double value;
    if (kind == 0) {
      const std::uint64_t bits = random() & 0x7FFFFFFFFFFFFFFFu;
      std::memcpy(&value, &bits, sizeof value);
    } else if (kind == 1) {
      value = static_cast<double>(random() % 100000) / 100.0 + 0.01;
    } else {
      value = static_cast<double>(random() % 1000000) / 7.0 + 0.5;
    }
    if (value > 0 && value <= 1.7976931348623157e308) values.push_back(value);
  }
  return values;
}

int main() {
  const char* const kinds[] = {"any bit pattern", "prices (<= 7 digits)",
                               "arithmetic (16-17 digits)"};
  for (int kind = 0; kind < 3; ++kind) {
    const std::vector<double> values = doubles_of_kind(kind);
    std::vector<std::string> texts;
    for (const double value : values) {
      char text[stageline::js::kNumberTextCapacity];
      texts.emplace_back(text, stageline::js::number_to_string(value, text));
    }
    volatile std::size_t sink = 0;
    const double before_print = nanoseconds_per(values.size(), [&] {
      char digits[24];
      int n = 0;
      for (const double value : values) sink = sink + printf_shortest(value, digits, n);
    });
    const double after_print = nanoseconds_per(values.size(), [&] {
      char text[stageline::js::kNumberTextCapacity];
      for (const double value : values) sink = sink + stageline::js::number_to_string(value, text);
    });
    volatile double total = 0;
    const double before_parse = nanoseconds_per(texts.size(), [&] {
      for (const std::string& text : texts) total = total + strtod_copy(text);
    });
    const double after_parse = nanoseconds_per(texts.size(), [&] {
      for (const std::string& text : texts) total = total + stageline::js::string_to_number(text);
    });
    std::printf(
        "%-26s to text: printf loop %6.0f ns, number_to_string %5.0f ns (%4.1fx)   "
        "to number: strtod %5.0f ns, string_to_number %5.0f ns (%4.2fx)\n",
        kinds[kind], before_print, after_print, before_print / after_print, before_parse,
        after_parse, before_parse / after_parse);
  }
  return 0;
}
