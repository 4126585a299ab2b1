#include "stageline/profiles/event.hpp"

#include <cmath>
#include <utility>

#include "js/js_text.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"

namespace stageline {
namespace {

constexpr std::string_view kEventMembers[] = {"customerId", "type", "timestamp", "value",
                                              "properties"};

[[noreturn]] void fail_event(const std::string& path, std::string_view expected, const Json& got) {
  throw Error(error_code::kInvalidArgument, path, expected_but_got(expected, got));
}

const Json& required_member(const Json& object, std::string_view key, const std::string& path,
                            std::string_view expected) {
  const auto it = object.find(key);
  if (it == object.end()) {
    throw Error(error_code::kInvalidArgument, join_path(path, key),
                "is required (" + std::string(expected) + ")");
  }
  return *it;
}

std::string customer_id_from_json(const Json& value, const std::string& path) {
  constexpr std::string_view kExpected = "a non-empty string or a number";
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().empty()) fail_event(path, kExpected, value);
    return value.get<std::string>();
  }
  if (value.is_number() && std::isfinite(value.get<double>())) {
    char text[js::kNumberTextCapacity];
    return std::string(text, js::number_to_string(value.get<double>(), text));
  }
  fail_event(path, kExpected, value);
}

}  // namespace

EventKind event_kind(std::string_view type) noexcept {
  constexpr std::pair<std::string_view, EventKind> kKinds[] = {
      {"visit", EventKind::kSessionStart},
      {"page", EventKind::kSessionStart},
      {"page_view", EventKind::kSessionStart},
      {"session_start", EventKind::kSessionStart},
      {"signup", EventKind::kSignup},
      {"purchase", EventKind::kPurchase},
      {"order", EventKind::kPurchase},
      {"refund", EventKind::kRefund},
      {"return", EventKind::kRefund},
      {"ticket", EventKind::kTicketOpened},
      {"ticket_opened", EventKind::kTicketOpened},
      {"ticket_closed", EventKind::kTicketClosed},
      {"ticket_resolved", EventKind::kTicketClosed},
      {"nps", EventKind::kNps},
      {"csat", EventKind::kCsat},
      {"ces", EventKind::kCes},
      {"survey", EventKind::kSurvey},
      {"referral", EventKind::kReferral},
      {"cancel", EventKind::kCancel},
      {"churn", EventKind::kCancel},
      {"identify", EventKind::kIdentify},
  };
  for (const auto& [name, kind] : kKinds) {
    if (name == type) return kind;
  }
  return EventKind::kOther;
}

Event event_from_json(const Json& object, const std::string& path) {
  if (!object.is_object()) fail_event(path, "an event object", object);
  for (const auto& item : object.items()) {
    bool known = false;
    for (const auto name : kEventMembers) known = known || item.key() == name;
    if (!known) {
      throw Error(error_code::kInvalidArgument, join_path(path, item.key()),
                  "unknown member (expected customerId, type, timestamp, value or properties)");
    }
  }
  Event event;
  event.customer_id = customer_id_from_json(
      required_member(object, "customerId", path, "a non-empty string or a number"),
      join_path(path, "customerId"));

  const Json& type = required_member(object, "type", path, "a non-empty string");
  if (!type.is_string() || type.get_ref<const std::string&>().empty()) {
    fail_event(join_path(path, "type"), "a non-empty string", type);
  }
  event.type = type.get<std::string>();

  constexpr std::string_view kTimestampExpected = "an ISO-8601 string or epoch milliseconds";
  const Json& timestamp = required_member(object, "timestamp", path, kTimestampExpected);
  const auto parsed = timestamp_from_json(timestamp);
  if (!parsed) fail_event(join_path(path, "timestamp"), kTimestampExpected, timestamp);
  event.timestamp = *parsed;

  const auto value = object.find("value");
  if (value != object.end() && !value->is_null()) {
    if (!value->is_number() || !std::isfinite(value->get<double>())) {
      fail_event(join_path(path, "value"), "a finite number", *value);
    }
    event.value = value->get<double>();
  }

  const auto properties = object.find("properties");
  if (properties != object.end() && !properties->is_null()) {
    if (!properties->is_object())
      fail_event(join_path(path, "properties"), "an object", *properties);
    event.properties = *properties;
  }
  return event;
}

}  // namespace stageline
