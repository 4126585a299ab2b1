#include "stageline/values/profile_fields.hpp"

#include <array>
#include <utility>

namespace stageline {
namespace {

constexpr std::array<std::pair<std::string_view, ProfileField>, 26> kFieldNames{{
    {"customerId", ProfileField::kCustomerId},
    {"firstSeen", ProfileField::kFirstSeen},
    {"lastSeen", ProfileField::kLastSeen},
    {"tenureDays", ProfileField::kTenureDays},
    {"daysSinceLastSeen", ProfileField::kDaysSinceLastSeen},
    {"events", ProfileField::kEvents},
    {"counts", ProfileField::kCounts},
    {"activeDays", ProfileField::kActiveDays},
    {"sessions", ProfileField::kSessions},
    {"signedUpAt", ProfileField::kSignedUpAt},
    {"orders", ProfileField::kOrders},
    {"revenue", ProfileField::kRevenue},
    {"firstOrderAt", ProfileField::kFirstOrderAt},
    {"lastOrderAt", ProfileField::kLastOrderAt},
    {"daysSinceLastOrder", ProfileField::kDaysSinceLastOrder},
    {"averageOrderValue", ProfileField::kAverageOrderValue},
    {"lastNps", ProfileField::kLastNps},
    {"lastCsat", ProfileField::kLastCsat},
    {"lastCes", ProfileField::kLastCes},
    {"tickets", ProfileField::kTickets},
    {"openTickets", ProfileField::kOpenTickets},
    {"referrals", ProfileField::kReferrals},
    {"cancelledAt", ProfileField::kCancelledAt},
    {"traits", ProfileField::kTraits},
    {"stage", ProfileField::kStage},
    {"", ProfileField::kNone},
}};

}  // namespace

ProfileField profile_field_by_name(std::string_view name) noexcept {
  if (name.empty()) return ProfileField::kNone;
  for (const auto& [field_name, field] : kFieldNames) {
    if (field_name == name) return field;
  }
  return ProfileField::kNone;
}

std::string_view profile_field_name(ProfileField field) noexcept {
  for (const auto& [field_name, candidate] : kFieldNames) {
    if (candidate == field) return field_name;
  }
  return {};
}

}  // namespace stageline
