// Embind bindings for GrowthBook-compatible experiment bucketing (core/include/stageline/bucketing/bucketing.hpp).
// Plain numbers and strings in; ranges cross as flat Float64Arrays [start0, end0, start1, end1, ...]
// that web/src/bucketing/bucketing.js reshapes into GrowthBook's [[start, end], ...].

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "common/convert.hpp"
#include "stageline/bucketing/bucketing.hpp"

namespace stageline::wasm {
namespace {

emscripten::val flat_ranges(const std::vector<VariationRange>& ranges) {
  std::vector<double> flat;
  flat.reserve(ranges.size() * 2);
  for (const auto& range : ranges) {
    flat.push_back(range.start);
    flat.push_back(range.end);
  }
  return to_typed_array(flat);
}

/// The hash in [0, 1), or null for an unsupported version.
emscripten::val hash_binding(const std::string& seed, const std::string& value, double version) {
  const auto result = hash(seed, value, version);
  return result ? emscripten::val(*result) : emscripten::val::null();
}

emscripten::val equal_weights_binding(int n) {
  return to_typed_array(get_equal_weights(n));
}

/// `has_coverage` false = GrowthBook's default coverage; `weights` null = equal weights.
emscripten::val bucket_ranges_binding(int num_variations, bool has_coverage, double coverage, const emscripten::val& weights) {
  const std::optional<double> cover = has_coverage ? std::optional<double>(coverage) : std::nullopt;
  if (weights.isNull() || weights.isUndefined()) return flat_ranges(get_bucket_ranges(num_variations, cover));
  return flat_ranges(get_bucket_ranges(num_variations, cover, copy_typed_array<double>(weights)));
}

int choose_variation_binding(double n, const emscripten::val& flat) {
  const std::vector<double> bounds = copy_typed_array<double>(flat);
  std::vector<VariationRange> ranges(bounds.size() / 2);
  for (std::size_t i = 0; i < ranges.size(); ++i) ranges[i] = {bounds[2 * i], bounds[2 * i + 1]};
  return choose_variation(n, ranges);
}

bool in_namespace_binding(const std::string& hash_value, const std::string& id, double start, double end) {
  return in_namespace(hash_value, Namespace{id, start, end});
}

/// The forced variation, or null.
emscripten::val query_string_override_binding(const std::string& id, const std::string& url, int num_variations) {
  const auto forced = get_query_string_override(id, url, num_variations);
  return forced ? emscripten::val(*forced) : emscripten::val::null();
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_bucketing) {
  emscripten::function("hash", &stageline::wasm::hash_binding);
  emscripten::function("getEqualWeights", &stageline::wasm::equal_weights_binding);
  emscripten::function("getBucketRanges", &stageline::wasm::bucket_ranges_binding);
  emscripten::function("chooseVariation", &stageline::wasm::choose_variation_binding);
  emscripten::function("inNamespace", &stageline::wasm::in_namespace_binding);
  emscripten::function("getQueryStringOverride", &stageline::wasm::query_string_override_binding);
}
