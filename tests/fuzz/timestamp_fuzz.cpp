// Timestamps: parse_timestamp on any text, as strings and as JSON values.
// Input: the text.
// Invariants: an accepted time is within the Date range and formats to an ISO string that parses
// back to the same time; its UTC day contains it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "stageline/json/json_time.hpp"
#include "stageline/time/timestamp.hpp"

using namespace stageline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const std::optional<TimestampMs> ms = parse_timestamp(text)) {
    FUZZ_CHECK(*ms >= -fuzz::kMaxTime && *ms <= fuzz::kMaxTime);
    const std::string iso = format_timestamp(*ms);
    FUZZ_CHECK(parse_timestamp(iso) == ms);
    const std::int64_t day = utc_day(*ms);
    FUZZ_CHECK(day * kMsPerDay <= *ms && *ms < (day + 1) * kMsPerDay);
  }
  if (const std::optional<Json> json = fuzz::parse(text)) {
    if (const std::optional<TimestampMs> ms = timestamp_from_json(*json)) {
      FUZZ_CHECK(*ms >= -fuzz::kMaxTime && *ms <= fuzz::kMaxTime);
    }
  }
  return 0;
}
