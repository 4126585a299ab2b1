#include "stageline/json/json_time.hpp"

#include <cstdint>
#include <string>

#include "time/timestamp_internal.hpp"

namespace stageline {

std::optional<TimestampMs> timestamp_from_json(const Json& value) noexcept {
  if (value.is_number_integer()) {
    // Integers beyond 2^53 are out of range anyway; compare exactly before converting.
    if (value.is_number_unsigned()) {
      const auto u = value.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(kMaxTimestampMs)) return std::nullopt;
      return static_cast<TimestampMs>(u);
    }
    const auto i = value.get<std::int64_t>();
    if (i > kMaxTimestampMs || i < -kMaxTimestampMs) return std::nullopt;
    return i;
  }
  if (value.is_number_float()) return timestamp_from_number(value.get<double>());
  if (value.is_string()) return parse_timestamp(value.get_ref<const std::string&>());
  return std::nullopt;
}

}  // namespace stageline
