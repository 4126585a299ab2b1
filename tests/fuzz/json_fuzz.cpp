// JSON parsing with limits: any text under the default limits and under tight ones taken from the
// input, plus the error-message helpers on what was parsed.
// Input: max depth (decimal) ␞ JSON text.
// Invariants: an accepted document is no deeper than the limit and survives dump() → parse and
// write_json() → parse (the writer the core uses: JavaScript number text, so number kinds may
// change but values may not), and
// parse_json (core/src/json/json_parse.cpp) agrees with nlohmann's own parser, the one it replaced:
// both accept or both reject every text within the depth limit, and accepted trees are the same,
// number kinds included (dump() writes an unsigned 1 as "1" and a double 1 as "1.0").

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_support.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json.hpp"

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

void check_against_nlohmann(std::string_view text) {
  std::optional<Json> ours;
  bool too_deep = false;
  try {
    ours = parse_json(text);
  } catch (const Error& error) {
    too_deep = error.code() == error_code::kLimitExceeded;
  }
  if (too_deep) return;  // nlohmann has no depth limit
  // The one deliberate difference: nlohmann's lexer takes a NUL byte for the end of the input and
  // ignores whatever follows ("{}\0garbage" parses); a NUL is never valid JSON outside a \u escape,
  // and dropping what follows it silently is what parse_json must not do.
  if (text.find('\0') != std::string_view::npos) {
    FUZZ_CHECK(!ours.has_value());
    return;
  }
  const Json theirs = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(ours.has_value() == !theirs.is_discarded());
  if (ours) FUZZ_CHECK(ours->dump() == theirs.dump());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 2);
  check_against_nlohmann(parts[1]);
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
    FUZZ_CHECK(parse_json(write_json(*json), applied) == *json);
    static_cast<void>(expected_but_got("a thing", *json));
    static_cast<void>(json_type_name(*json));
  }
  return 0;
}
