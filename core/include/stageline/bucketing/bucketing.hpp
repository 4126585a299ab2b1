#pragma once
/// Experiment bucketing as GrowthBook does it (sdk-js util.ts, spec 0.8.0), so that a customer put
/// in a variation here lands in the same variation in any GrowthBook SDK: the FNV-1a hashes (over
/// the UTF-16 code units a JavaScript string of the same text holds), bucket ranges from coverage
/// and weights, variation choice, namespaces and the `?experimentId=N` URL override.
///
/// Arithmetic is IEEE double exactly as V8 performs it, so results are bit-identical to the
/// JavaScript SDK's. Text arguments are UTF-8; ill-formed bytes read as U+FFFD. Only the functions
/// returning a vector allocate.

#include <optional>
#include <string_view>
#include <vector>

namespace stageline {

/// The part [start, end) of the unit interval whose hashes get one variation.
struct VariationRange {
  double start = 0.0;
  double end = 0.0;
};

/// A GrowthBook namespace slice `[id, start, end]`: experiments sharing a namespace id with
/// disjoint slices never share users.
struct Namespace {
  std::string_view id;
  double start = 0.0;
  double end = 0.0;
};

/// GrowthBook's hash(seed, value, version), a number in [0, 1).
/// Version 1 (the original, slightly biased one): (fnv1a32(value + seed) % 1000) / 1000.
/// Version 2: (fnv1a32(decimal text of fnv1a32(seed + value)) % 10000) / 10000.
/// `version` is a JavaScript number; any other value than exactly 1 or 2 gives nullopt, as the SDK
/// returns null for an unknown hash version.
std::optional<double> hash(std::string_view seed, std::string_view value, double version) noexcept;

/// `n` weights of 1/n each (empty when n <= 0), used when an experiment names no valid weights.
std::vector<double> get_equal_weights(int n);

/// GrowthBook's getBucketRanges(numVariations, coverage, weights): one range per variation, the
/// i-th starting at the sum of the weights before it and covering `coverage` of its weight.
/// Coverage below 0 or above 1 is clamped (absent means 1; NaN passes through, as in JavaScript).
/// Weights of the wrong length, or whose sum is outside [0.99, 1.01], are replaced by equal ones.
std::vector<VariationRange> get_bucket_ranges(int num_variations, std::optional<double> coverage,
                                              const std::vector<double>& weights);
/// The same with equal weights (GrowthBook's `weights` argument left undefined).
std::vector<VariationRange> get_bucket_ranges(int num_variations,
                                              std::optional<double> coverage = std::nullopt);

/// Index of the first range with start <= n < end, or -1 when `n` falls in none (the user is not
/// covered by the experiment).
int choose_variation(double n, const std::vector<VariationRange>& ranges) noexcept;

/// True if the user whose hash attribute is `hash_value` falls in the namespace slice: the
/// version-1 hash with seed "__" + id lies in [start, end).
bool in_namespace(std::string_view hash_value, const Namespace& slice) noexcept;

/// GrowthBook's getQueryStringOverride(id, url, numVariations): the variation forced by `id=N` in
/// the query string of `url`, or nullopt (the SDK's null) when absent or out of [0,
/// num_variations).
///
/// Reproduces the SDK's own string handling, which is not a URL parser: the query is the text
/// between the first and second '?', a '#' cuts it up to the next line break, pairs split on '&'
/// and '=' (a value ends at a second '='), the first pair whose raw key equals `id` wins, and its
/// value is read by JavaScript's parseInt (leading whitespace, sign, "0x" hex, trailing junk
/// ignored). Nothing is percent-decoded: `my%2Dtest=1` does not name `my-test`.
std::optional<int> get_query_string_override(std::string_view id, std::string_view url,
                                             int num_variations) noexcept;

}  // namespace stageline
