#include "stageline/profiles/event_types.hpp"

namespace stageline {

EventTypeTable::Id EventTypeTable::intern(std::string_view type) {
  if (const auto existing = find(type)) return *existing;
  const auto id = static_cast<Id>(names_.size());
  names_.emplace_back(type);
  kinds_.push_back(event_kind(type));
  index_.insert(type, id);
  return id;
}

std::optional<EventTypeTable::Id> EventTypeTable::find(std::string_view type) const noexcept {
  return index_.find(type, [this](std::uint32_t id) -> std::string_view { return names_[id]; });
}

}  // namespace stageline
