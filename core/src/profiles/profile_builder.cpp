#include "stageline/profiles/profile_builder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "stageline/common/error.hpp"
#include "time/timestamp_internal.hpp"

namespace stageline {
namespace {

[[noreturn]] void fail_row(std::size_t row, const std::string& message) {
  throw Error(error_code::kInvalidArgument, "row " + std::to_string(row), message);
}

}  // namespace

ProfileBuilder::ProfileBuilder(TraitsConfig traits)
    : schema_(std::make_shared<ProfileSchema>(std::move(traits))) {}

const Profile* ProfileBuilder::find(std::string_view customer_id) const noexcept {
  const auto index = index_.find(customer_id, [this](std::uint32_t i) -> std::string_view {
    return profiles_[i].customer_id();
  });
  return index ? &profiles_[*index] : nullptr;
}

std::uint32_t ProfileBuilder::customer_index(std::string_view customer_id) {
  const auto existing = index_.find(customer_id, [this](std::uint32_t i) -> std::string_view {
    return profiles_[i].customer_id();
  });
  if (existing) return *existing;
  if (profiles_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw Error(error_code::kLimitExceeded, "", "more than 4294967294 customers");
  }
  const auto index = static_cast<std::uint32_t>(profiles_.size());
  profiles_.emplace_back(std::string(customer_id), schema_);
  first_event_.push_back(kEndOfList);
  last_event_.push_back(kEndOfList);
  index_.insert(customer_id, index);
  return index;
}

void ProfileBuilder::append(std::uint32_t customer, const EventView& event,
                            const Json* properties) {
  if (log_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw Error(error_code::kLimitExceeded, "", "more than 4294967294 events");
  }
  const auto position = static_cast<std::uint32_t>(log_.size());
  LoggedEvent logged{
      event.timestamp, event.has_value ? event.value : std::numeric_limits<double>::quiet_NaN(),
      customer,        event.type,
      kNoProperties,   kEndOfList};
  if (properties != nullptr && properties->is_object() && !properties->empty()) {
    logged.properties = static_cast<std::uint32_t>(properties_.size());
    properties_.push_back(*properties);
  }
  log_.push_back(logged);
  if (first_event_[customer] == kEndOfList) {
    first_event_[customer] = position;
  } else {
    log_[last_event_[customer]].next = position;
  }
  last_event_[customer] = position;
  EventView view = event;
  view.properties = logged.properties == kNoProperties ? nullptr : properties;
  profiles_[customer].apply(view);
}

void ProfileBuilder::add(const Event& event) {
  if (event.customer_id.empty()) {
    throw Error(error_code::kInvalidArgument, "customerId", "expected a non-empty customer id");
  }
  if (event.type.empty())
    throw Error(error_code::kInvalidArgument, "type", "expected a non-empty type");
  if (event.value && !std::isfinite(*event.value)) {
    throw Error(error_code::kInvalidArgument, "value", "expected a finite number");
  }
  EventView view;
  view.type = schema_->types().intern(event.type);
  view.timestamp = event.timestamp;
  view.has_value = event.value.has_value();
  view.value = event.value.value_or(0.0);
  append(customer_index(event.customer_id), view, &event.properties);
}

void ProfileBuilder::add_json(const Json& events_or_event, const std::string& path) {
  std::vector<Event> events;
  if (events_or_event.is_array()) {
    events.reserve(events_or_event.size());
    for (std::size_t i = 0; i < events_or_event.size(); ++i) {
      events.push_back(event_from_json(events_or_event[i], join_path(path, i)));
    }
  } else {
    events.push_back(event_from_json(events_or_event, path));
  }
  for (const Event& event : events) add(event);
}

void ProfileBuilder::add_columns(const std::vector<std::string_view>& customer_ids,
                                 const std::vector<std::string_view>& types,
                                 const double* timestamps_ms, const double* values, std::size_t n) {
  if (customer_ids.size() < n || types.size() < n || (n > 0 && timestamps_ms == nullptr)) {
    throw Error(error_code::kInvalidArgument, "",
                "columns hold fewer than " + std::to_string(n) + " rows");
  }
  for (std::size_t row = 0; row < n; ++row) {
    if (customer_ids[row].empty()) fail_row(row, "customerId: expected a non-empty string");
    if (types[row].empty()) fail_row(row, "type: expected a non-empty string");
    if (!timestamp_from_number(timestamps_ms[row])) {
      fail_row(row, "timestamp: expected epoch milliseconds within JavaScript's Date range, got " +
                        write_json(Json(timestamps_ms[row])));
    }
    if (values != nullptr && std::isinf(values[row])) {
      fail_row(row, "value: expected a finite number or NaN (no value)");
    }
  }
  log_.reserve(log_.size() + n);
  for (std::size_t row = 0; row < n; ++row) {
    EventView view;
    view.type = schema_->types().intern(types[row]);
    view.timestamp = *timestamp_from_number(timestamps_ms[row]);
    view.has_value = values != nullptr && !std::isnan(values[row]);
    view.value = view.has_value ? values[row] : 0.0;
    append(customer_index(customer_ids[row]), view, nullptr);
  }
}

Json ProfileBuilder::profile_json(std::string_view customer_id, TimestampMs at) const {
  const Profile* profile = find(customer_id);
  if (profile == nullptr) {
    throw Error(error_code::kNotFound, "", "unknown customer \"" + std::string(customer_id) + "\"");
  }
  return profile->to_json(at);
}

std::vector<Event> ProfileBuilder::events_of(std::string_view customer_id) const {
  std::vector<Event> events;
  const Profile* profile = find(customer_id);
  if (profile == nullptr) return events;
  const auto customer = static_cast<std::size_t>(profile - profiles_.data());
  for (std::uint32_t i = first_event_[customer]; i != kEndOfList; i = log_[i].next) {
    const LoggedEvent& logged = log_[i];
    Event event;
    event.customer_id = profile->customer_id();
    event.type = schema_->types().name(logged.type);
    event.timestamp = logged.timestamp;
    if (!std::isnan(logged.value)) event.value = logged.value;
    if (logged.properties != kNoProperties) event.properties = properties_[logged.properties];
    events.push_back(std::move(event));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.timestamp < b.timestamp; });
  return events;
}

}  // namespace stageline
