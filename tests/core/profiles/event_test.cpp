#include "stageline/profiles/event.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "stageline/common/error.hpp"

using stageline::Error;
using stageline::Event;
using stageline::event_from_json;
using stageline::event_kind;
using stageline::EventKind;
using stageline::Json;

namespace {

// The full what() of the Error that parsing `text` throws ("" when it does not throw).
std::string error_of(const Json& event, const std::string& path = "events[3]") {
  try {
    event_from_json(event, path);
  } catch (const Error& e) {
    CHECK(e.code() == "invalid_argument");
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("event_from_json reads every member") {
  const Event event = event_from_json(Json::parse(R"({"customerId": "c1", "type": "purchase",
      "timestamp": "2025-03-01T10:00:00Z", "value": 49.9, "properties": {"sku": "A1"}})"),
                                      "e");
  CHECK(event.customer_id == "c1");
  CHECK(event.type == "purchase");
  CHECK(event.timestamp == 1740823200000);  // Date.parse("2025-03-01T10:00:00Z")
  REQUIRE(event.value.has_value());
  CHECK(*event.value == 49.9);
  CHECK(event.properties == Json{{"sku", "A1"}});
}

TEST_CASE("event_from_json defaults, numeric ids and epoch-ms timestamps") {
  const Event event =
      event_from_json(Json::parse(R"({"customerId": 42, "type": "visit", "timestamp": 5})"), "e");
  CHECK(event.customer_id == "42");  // String(42)
  CHECK(event.timestamp == 5);
  CHECK_FALSE(event.value.has_value());
  CHECK(event.properties.is_null());
  // String(1e21) === "1e+21" and String(0.5) === "0.5" in JavaScript.
  CHECK(event_from_json(Json::parse(R"({"customerId": 1e21, "type": "t", "timestamp": 0})"), "e")
            .customer_id == "1e+21");
  CHECK(event_from_json(Json::parse(R"({"customerId": 0.5, "type": "t", "timestamp": 0})"), "e")
            .customer_id == "0.5");
  const Event nulls =
      event_from_json(Json::parse(R"({"customerId": "c", "type": "t", "timestamp": 0, "value": null,
                      "properties": null})"),
                      "e");
  CHECK_FALSE(nulls.value.has_value());
  CHECK(nulls.properties.is_null());
}

TEST_CASE("event_from_json errors name the path and what was expected") {
  CHECK(
      error_of(Json::parse(R"({"customerId": "c", "type": "visit", "timestamp": "yesterday"})")) ==
      "events[3].timestamp: expected an ISO-8601 string or epoch milliseconds, got \"yesterday\"");
  CHECK(error_of(Json::parse(R"({"customerId": "c", "type": "visit", "timestamp": true})")) ==
        "events[3].timestamp: expected an ISO-8601 string or epoch milliseconds, got true");
  CHECK(error_of(Json::parse(R"({"customerId": "c", "type": "", "timestamp": 0})")) ==
        "events[3].type: expected a non-empty string, got \"\"");
  CHECK(error_of(Json::parse(R"({"customerId": "c", "timestamp": 0})")) ==
        "events[3].type: is required (a non-empty string)");
  CHECK(error_of(Json::parse(R"({"customerId": "", "type": "t", "timestamp": 0})")) ==
        "events[3].customerId: expected a non-empty string or a number, got \"\"");
  CHECK(error_of(Json::parse(R"({"customerId": [1], "type": "t", "timestamp": 0})")) ==
        "events[3].customerId: expected a non-empty string or a number, got an array");
  CHECK(
      error_of(Json::parse(R"({"customerId": "c", "type": "t", "timestamp": 0, "value": "5"})")) ==
      "events[3].value: expected a finite number, got \"5\"");
  CHECK(error_of(Json{{"customerId", "c"}, {"type", "t"}, {"timestamp", 0}, {"value", INFINITY}})
            .rfind("events[3].value: expected a finite number", 0) == 0);
  CHECK(error_of(
            Json::parse(R"({"customerId": "c", "type": "t", "timestamp": 0, "properties": 1})")) ==
        "events[3].properties: expected an object, got 1");
  CHECK(error_of(Json::parse(R"({"customerId": "c", "type": "t", "timestamp": 0, "valeu": 1})")) ==
        "events[3].valeu: unknown member (expected customerId, type, timestamp, value or "
        "properties)");
  CHECK(error_of(Json::array()) == "events[3]: expected an event object, got an array");
}

TEST_CASE("event_kind maps the documented vocabulary") {
  CHECK(event_kind("visit") == EventKind::kSessionStart);
  CHECK(event_kind("page") == EventKind::kSessionStart);
  CHECK(event_kind("page_view") == EventKind::kSessionStart);
  CHECK(event_kind("session_start") == EventKind::kSessionStart);
  CHECK(event_kind("signup") == EventKind::kSignup);
  CHECK(event_kind("purchase") == EventKind::kPurchase);
  CHECK(event_kind("order") == EventKind::kPurchase);
  CHECK(event_kind("refund") == EventKind::kRefund);
  CHECK(event_kind("return") == EventKind::kRefund);
  CHECK(event_kind("ticket") == EventKind::kTicketOpened);
  CHECK(event_kind("ticket_opened") == EventKind::kTicketOpened);
  CHECK(event_kind("ticket_closed") == EventKind::kTicketClosed);
  CHECK(event_kind("ticket_resolved") == EventKind::kTicketClosed);
  CHECK(event_kind("nps") == EventKind::kNps);
  CHECK(event_kind("csat") == EventKind::kCsat);
  CHECK(event_kind("ces") == EventKind::kCes);
  CHECK(event_kind("survey") == EventKind::kSurvey);
  CHECK(event_kind("referral") == EventKind::kReferral);
  CHECK(event_kind("cancel") == EventKind::kCancel);
  CHECK(event_kind("churn") == EventKind::kCancel);
  CHECK(event_kind("identify") == EventKind::kIdentify);
  CHECK(event_kind("Purchase") == EventKind::kOther);  // types are case-sensitive
  CHECK(event_kind("add_to_cart") == EventKind::kOther);
}
