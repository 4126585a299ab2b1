#pragma once
/// Events: what customers did, and the vocabulary that gives built-in profile fields their meaning.
///
/// An event is `{customerId, type, timestamp, value?, properties?}`. Every event counts towards
/// `events`, `counts.<type>`, `firstSeen` (earliest), `lastSeen` (latest) and `activeDays`
/// (distinct UTC calendar days; exact whatever order events arrive in). These types mean more:
///
///   visit, page, page_view, session_start: a new session (`sessions`++) when 30 minutes or more
///       after the latest earlier event of the customer (or when it is the first event)
///   signup: `signedUpAt` = the earliest signup
///   purchase, order: `orders`++, `revenue` += value (none = 0), `firstOrderAt`, `lastOrderAt`
///   refund, return: `revenue` -= value (none = 0)
///   ticket, ticket_opened: `tickets`++, `openTickets`++
///   ticket_closed, ticket_resolved: `openTickets`-- (never below 0)
///   nps, csat, ces with value = score: `lastNps` / `lastCsat` / `lastCes` = the score of the
///       latest such event by timestamp (on a tie, the one applied later)
///   survey with `properties.metric` "nps", "csat" or "ces" and value = score: the same
///   referral: `referrals`++
///   cancel, churn: `cancelledAt` = the latest cancel, cleared by any purchase/order or
///       session-type event later by timestamp (the customer came back)
///   identify: `properties` are merged into `traits` (shallow; the later arrival wins)
///
/// Sessions are counted as events arrive and assume they arrive in time order (the usual case for
/// event streams and sorted exports); every other field is independent of arrival order, except
/// `openTickets` (a close before its open is lost) and `traits` (the last identify applied wins).
/// Survey events without a value carry no score and leave lastNps/lastCsat/lastCes unchanged.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stageline/json/json.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

struct Event {
  std::string customer_id;
  std::string type;
  TimestampMs timestamp = 0;
  std::optional<double> value;  ///< finite when present
  Json properties;              ///< an object, or null when the event has none
};

/// The built-in meaning of an event type (see the table above), decided once per distinct type so
/// that applying an event switches on it instead of comparing strings.
enum class EventKind : std::uint8_t {
  kOther,
  kSessionStart,  ///< visit, page, page_view, session_start
  kSignup,
  kPurchase,      ///< purchase, order
  kRefund,        ///< refund, return
  kTicketOpened,  ///< ticket, ticket_opened
  kTicketClosed,  ///< ticket_closed, ticket_resolved
  kNps,
  kCsat,
  kCes,
  kSurvey,  ///< a score whose metric is named by properties.metric
  kReferral,
  kCancel,  ///< cancel, churn
  kIdentify,
};

/// The kind of an event type name (kOther for types without a built-in meaning).
EventKind event_kind(std::string_view type) noexcept;

/// Parses one event object. `path` names it in errors, e.g. "events[3]" gives
/// `events[3].timestamp: expected an ISO-8601 string or epoch milliseconds, got "yesterday"`.
/// customerId may be a non-empty string or a number (converted to its JavaScript decimal string,
/// so 42 and "42" are the same customer); type must be a non-empty string; timestamp an ISO-8601
/// string or epoch milliseconds; value, when present and not null, a finite number; properties,
/// when present and not null, an object. Other members are rejected, so typos fail loudly.
Event event_from_json(const Json& object, const std::string& path);

}  // namespace stageline
