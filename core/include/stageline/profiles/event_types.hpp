#pragma once
/// Interned event types: each distinct type name gets a small id once, so profiles count events by
/// id and per-event work needs neither string comparisons nor allocations.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/common/string_index.hpp"
#include "stageline/profiles/event.hpp"

namespace stageline {

class EventTypeTable {
 public:
  using Id = std::uint32_t;

  /// The id of `type`, adding it (and deciding its EventKind) when new.
  Id intern(std::string_view type);
  /// The id of `type` if it was interned; allocates nothing.
  std::optional<Id> find(std::string_view type) const noexcept;

  const std::string& name(Id id) const { return names_[id]; }
  EventKind kind(Id id) const { return kinds_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::vector<EventKind> kinds_;
  StringIndex index_;
};

}  // namespace stageline
