// Number conversions before/after in one run: the former code paths (printf at precisions 1..17
// with a strtod read-back for the shortest digits; strtod on a terminated copy for text) against
// js::number_to_string and js::string_to_number, on the same 200,000 doubles and their texts.
// Meant for the WebAssembly build, where "before" is musl's printf/strtod as the module had them:
//
//   emcc -O3 -std=c++17 -Icore/include -Icore/src -I/usr/include/nlohmann/.. bench/number_conversion_bench.cpp \
//     core/src/js_number.cpp core/src/shortest_double.cpp core/src/decimal_to_double.cpp core/src/js_text.cpp \
//     -o build/number_conversion_bench.js && node build/number_conversion_bench.js
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

#include "js_semantics.hpp"

namespace {

// The former shortest_digits of core/src/js_number.cpp: the first printf precision that reads back.
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

int main() {
  std::mt19937_64 random(42);
  std::vector<double> values;
  while (values.size() < 200000) {
    double value;
    switch (values.size() % 3) {
      case 0: {  // any finite positive double
        const std::uint64_t bits = random() & 0x7FFFFFFFFFFFFFFFu;
        std::memcpy(&value, &bits, sizeof value);
        break;
      }
      case 1:  // prices and rates: a few digits
        value = static_cast<double>(random() % 100000) / 100.0 + 0.01;
        break;
      default:  // values from arithmetic: 16-17 digits
        value = static_cast<double>(random() % 1000000) / 7.0 + 0.5;
        break;
    }
    if (value > 0 && value <= 1.7976931348623157e308) values.push_back(value);
  }
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
  double total = 0;
  const double before_parse = nanoseconds_per(texts.size(), [&] {
    for (const std::string& text : texts) total += strtod_copy(text);
  });
  const double after_parse = nanoseconds_per(texts.size(), [&] {
    for (const std::string& text : texts) total += stageline::js::string_to_number(text);
  });
  std::printf("number to text: printf loop %.0f ns, number_to_string %.0f ns: %.1fx faster\n", before_print,
              after_print, before_print / after_print);
  std::printf("text to number: strtod %.0f ns, string_to_number %.0f ns: %.2fx\n", before_parse, after_parse,
              before_parse / after_parse);
  std::printf("(checksums %zu %g)\n", static_cast<std::size_t>(sink), total);
  return 0;
}
