#pragma once
/// What frequency caps and cooldowns count: per customer, the recent exposures to (and dismissals
/// of) each rule. Only the window the rule set can look back over is kept, so a history stays as
/// small as its caps (the browser runtime persists it next to the profile).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/time/timestamp.hpp"

namespace stageline {

class ExposureLog {
 public:
  enum class Kind : std::uint8_t { kExposure, kDismissal };

  struct Entry {
    std::uint32_t rule = 0;     ///< index into the rule set's rules
    std::uint32_t variant = 0;  ///< index into that rule's variants
    TimestampMs at = 0;
    Kind kind = Kind::kExposure;
  };
  /// One customer's entries, in the order recorded.
  using History = std::vector<Entry>;

  /// The customer's history, or nullptr when nothing was recorded for them.
  const History* find(std::string_view customer_id) const;

  /// Appends `entry` and forgets the customer's entries older than `entry.at - horizon_ms`.
  void record(std::string_view customer_id, const Entry& entry, TimestampMs horizon_ms);

  /// Replaces the customer's history (restoring a persisted one).
  void replace(std::string_view customer_id, History history);

  /// Forgets the customer entirely.
  void erase(std::string_view customer_id);

  std::size_t customer_count() const { return histories_.size(); }

  /// Entries of `kind` for `rule` at or after `since` (and not after `at`, so that replaying an
  /// earlier moment ignores what came later).
  static std::uint32_t count(const History& history, std::uint32_t rule, Kind kind, TimestampMs since,
                             TimestampMs at) noexcept;

 private:
  std::map<std::string, History, std::less<>> histories_;
};

}  // namespace stageline
