#pragma once
/// Times in JSON: a number of epoch milliseconds or an ISO-8601 string, as configs and events give them.

#include <optional>

#include "stageline/json/json.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

/// A JSON number (epoch ms, truncated as JavaScript's TimeClip) or string (as parse_timestamp);
/// nullopt otherwise.
std::optional<TimestampMs> timestamp_from_json(const Json& value) noexcept;

}  // namespace stageline
