#pragma once
/// The built-in fields of a customer profile, by the names conditions use. Conditions bind these
/// names at compile time so that evaluating over profiles needs no string comparison.

#include <cstdint>
#include <string_view>

namespace stageline {

/// Names that are not built in (kNone) are looked up by the profile among its computed traits.
enum class ProfileField : std::uint8_t {
  kNone,               ///< not a built-in field
  kCustomerId,         ///< "customerId": string
  kFirstSeen,          ///< "firstSeen": epoch ms of the earliest event
  kLastSeen,           ///< "lastSeen": epoch ms of the latest event
  kTenureDays,         ///< "tenureDays": (at - firstSeen) in days, fractional
  kDaysSinceLastSeen,  ///< "daysSinceLastSeen": (at - lastSeen) in days, fractional
  kEvents,             ///< "events": number of events of any type
  kCounts,             ///< "counts.<type>": number of events of that type (0 when none)
  kActiveDays,         ///< "activeDays": distinct UTC days with an event
  kSessions,           ///< "sessions": visits separated by 30+ minutes of inactivity
  kSignedUpAt,         ///< "signedUpAt": epoch ms of the first signup, or null
  kOrders,             ///< "orders": purchase events
  kRevenue,            ///< "revenue": sum of purchase values minus refunds
  kFirstOrderAt,       ///< "firstOrderAt": epoch ms or null
  kLastOrderAt,        ///< "lastOrderAt": epoch ms or null
  kDaysSinceLastOrder, ///< "daysSinceLastOrder": days, or null without orders
  kAverageOrderValue,  ///< "averageOrderValue": revenue / orders, or null without orders
  kLastNps,            ///< "lastNps": last NPS score 0-10, or null
  kLastCsat,           ///< "lastCsat": last CSAT score 1-5, or null
  kLastCes,            ///< "lastCes": last CES score 1-7, or null
  kTickets,            ///< "tickets": support tickets opened
  kOpenTickets,        ///< "openTickets": opened minus closed (never negative)
  kReferrals,          ///< "referrals": referral events
  kCancelledAt,        ///< "cancelledAt": epoch ms of the last cancel not followed by activity, or null
  kTraits,             ///< "traits.<name>": traits set by identify
  kStage,              ///< "stage": the current stage id, when the caller supplies one
};

/// The field a first path segment names, or kNone. "counts" and "traits" expect a second segment.
ProfileField profile_field_by_name(std::string_view name) noexcept;

/// The name of a built-in field ("" for kNone/kComputed).
std::string_view profile_field_name(ProfileField field) noexcept;

}  // namespace stageline
