// JSON parsing with limits: any text under the default limits and under tight ones taken from the
// input, plus the error-message helpers on what was parsed.
// Input: max depth (decimal) ␞ JSON text.
// Invariants: an accepted document is no deeper than the limit and survives dump() → parse.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_support.hpp"
#include "stageline/json.hpp"

using namespace stageline;

namespace {

std::size_t depth_of(const Json& value) {
  std::size_t deepest = 0;
  if (value.is_structured()) {
    for (const Json& member : value) deepest = std::max(deepest, depth_of(member));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 2);
  JsonLimits limits;
  std::size_t depth = 0;
  if (std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), depth).ec == std::errc()) {
    limits.max_depth = depth % 80;
  }
  for (const JsonLimits& applied : {JsonLimits{}, limits}) {
    std::optional<Json> json;
    if (!fuzz::accepted([&] { json = parse_json(parts[1], applied); })) continue;
    FUZZ_CHECK(depth_of(*json) <= applied.max_depth);
    FUZZ_CHECK(parse_json(json->dump(), applied) == *json);
    static_cast<void>(expected_but_got("a thing", *json));
    static_cast<void>(json_type_name(*json));
  }
  return 0;
}
