#pragma once
// Reading one input value of a dataset row: numbers (optionally with a decimal comma) and
// timestamps in the formats of IngestOptions::timestamp_format. Internal to the loader.

#include <optional>
#include <string_view>

#include "stageline/datasets/dataset_loader.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

/// `text` without leading and trailing spaces and tabs.
std::string_view trim_blanks(std::string_view text) noexcept;

/// A finite decimal number from text (JavaScript's Number() syntax; "" is not a number), with ','
/// read as the decimal point when `decimal_comma`; nullopt otherwise.
std::optional<double> parse_number_text(std::string_view text, bool decimal_comma) noexcept;

/// A timestamp from text or a number in `format`; nullopt when it cannot be read.
std::optional<TimestampMs> parse_timestamp_value(const FieldValue& value,
                                                 TimestampFormat format) noexcept;

/// What `format` accepts, for messages ("an ISO-8601 timestamp or epoch milliseconds", ...).
const char* timestamp_format_expectation(TimestampFormat format) noexcept;

}  // namespace stageline
