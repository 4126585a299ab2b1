#include "stageline/bucketing/bucketing.hpp"

#include <cstdint>

#include "bucketing/bucketing_fnv.hpp"

namespace stageline {
namespace {

// Decimal text of an unsigned 32-bit number, as JavaScript's `n + ""` writes it, into `out`
// (10 bytes room); returns the length.
std::size_t write_decimal(std::uint32_t n, char* out) noexcept {
  char reversed[10];
  std::size_t length = 0;
  do {
    reversed[length++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  for (std::size_t i = 0; i < length; ++i) out[i] = reversed[length - 1 - i];
  return length;
}

// hash(seed, value, 1) with the seed given in two pieces, so that namespaces ("__" + id) need no
// concatenation.
double hash_v1(std::string_view value, std::string_view seed_head, std::string_view seed_tail) {
  bucketing_internal::Fnv1a32 fnv;
  fnv.add_utf8(value);
  fnv.add_utf8(seed_head);
  fnv.add_utf8(seed_tail);
  return static_cast<double>(fnv.value() % 1000) / 1000;
}

double hash_v2(std::string_view seed, std::string_view value) {
  bucketing_internal::Fnv1a32 first;
  first.add_utf8(seed);
  first.add_utf8(value);
  char digits[10];
  bucketing_internal::Fnv1a32 second;
  second.add_utf8({digits, write_decimal(first.value(), digits)});
  return static_cast<double>(second.value() % 10000) / 10000;
}

// The body of getBucketRanges, with `weights` null when the caller gave none.
std::vector<VariationRange> bucket_ranges(int num_variations, std::optional<double> coverage,
                                          const std::vector<double>* weights) {
  // Written as the SDK's two comparisons so that NaN coverage passes through unclamped.
  double clamped = coverage.value_or(1.0);
  if (clamped < 0) {
    clamped = 0;
  } else if (clamped > 1) {
    clamped = 1;
  }

  const std::vector<double> equal = get_equal_weights(num_variations);
  const std::vector<double>* chosen = weights != nullptr ? weights : &equal;
  if (num_variations < 0 || chosen->size() != static_cast<std::size_t>(num_variations)) {
    chosen = &equal;
  }
  // Summed left to right from 0, as Array.prototype.reduce does; NaN passes both tests.
  double total = 0;
  for (const double w : *chosen) total += w;
  if (total < 0.99 || total > 1.01) chosen = &equal;

  std::vector<VariationRange> ranges;
  ranges.reserve(chosen->size());
  double cumulative = 0;
  for (const double w : *chosen) {
    const double start = cumulative;
    cumulative += w;
    ranges.push_back({start, start + clamped * w});
  }
  return ranges;
}

}  // namespace

std::optional<double> hash(std::string_view seed, std::string_view value, double version) noexcept {
  if (version == 2) return hash_v2(seed, value);
  if (version == 1) return hash_v1(value, seed, {});
  return std::nullopt;
}

std::vector<double> get_equal_weights(int n) {
  if (n <= 0) return {};
  return std::vector<double>(static_cast<std::size_t>(n), 1.0 / n);
}

std::vector<VariationRange> get_bucket_ranges(int num_variations, std::optional<double> coverage,
                                              const std::vector<double>& weights) {
  return bucket_ranges(num_variations, coverage, &weights);
}

std::vector<VariationRange> get_bucket_ranges(int num_variations, std::optional<double> coverage) {
  return bucket_ranges(num_variations, coverage, nullptr);
}

int choose_variation(double n, const std::vector<VariationRange>& ranges) noexcept {
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (n >= ranges[i].start && n < ranges[i].end) return static_cast<int>(i);
  }
  return -1;
}

bool in_namespace(std::string_view hash_value, const Namespace& slice) noexcept {
  const double n = hash_v1(hash_value, "__", slice.id);
  return n >= slice.start && n < slice.end;
}

}  // namespace stageline
