#pragma once
// Timestamp helpers shared by the event and profile sources (not public API).

#include <optional>

#include "stageline/timestamp.hpp"

namespace stageline {

/// Epoch milliseconds from a JavaScript number, as `new Date(ms)` reads it: truncated toward zero,
/// nullopt when not finite or outside Date's range of ±8.64e15 ms.
std::optional<TimestampMs> timestamp_from_number(double ms) noexcept;

}  // namespace stageline
