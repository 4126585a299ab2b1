#pragma once
/// Conditions read profiles through ProfileAttributes: one profile seen at evaluation time `at`.

#include <optional>
#include <string_view>

#include "stageline/profiles/profile.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

/// Resolves attribute paths against a profile without allocating:
///   built-in fields by name (timestamps as epoch-ms numbers, null when unknown; derived fields
///   such as daysSinceLastSeen computed at `at`); `counts.<type>` (0 for types never seen);
///   `traits.<key>[.<key>...]` walks the identify traits (objects by key, arrays by index);
///   `stage` is the stage given here (undefined without one); any other single-segment name is the
///   computed trait of that name. Everything else, including members of numbers, is undefined.
/// The profile (and the stage text) must outlive this view and the ValueRefs it returns.
class ProfileAttributes final : public Attributes {
 public:
  ProfileAttributes(const Profile& profile, TimestampMs at,
                    std::optional<std::string_view> stage = std::nullopt) noexcept
      : profile_(profile), at_(at), stage_(stage) {}

  ValueRef resolve(const AttributePath& path) const override;

  const Profile& profile() const { return profile_; }
  TimestampMs at() const { return at_; }

 private:
  const Profile& profile_;
  TimestampMs at_;
  std::optional<std::string_view> stage_;
};

}  // namespace stageline
