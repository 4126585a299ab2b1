// Embind bindings for one customer's profile on its own (the browser runtime's visitor): built
// event by event, persisted as JSON text with its restorable state, restored, and merged.
// web/src/customer_profile.js does the JSON.stringify / JSON.parse and the friendly API.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "guard.hpp"
#include "stageline/event.hpp"
#include "stageline/profile.hpp"
#include "stageline/traits.hpp"

namespace stageline::wasm {
namespace {

TraitsConfig traits_from(const std::string& traits_json) {
  return traits_json.empty() ? TraitsConfig() : TraitsConfig::compile(parse_json(traits_json));
}

class CustomerProfileHandle {
 public:
  explicit CustomerProfileHandle(Profile profile) : profile_(std::move(profile)) {}

  /// Applies an event object or an array of them, all parsed before any is applied (an error
  /// names e.g. `events[2].timestamp` and leaves the profile unchanged). {value: events} or {error}.
  emscripten::val apply(const std::string& events_json) {
    return guard_value([&] {
      const Json parsed = parse_json(events_json);
      std::vector<Event> events;
      if (parsed.is_array()) {
        events.reserve(parsed.size());
        for (std::size_t i = 0; i < parsed.size(); ++i) events.push_back(event_from_json(parsed[i], join_path("events", i)));
      } else {
        events.push_back(event_from_json(parsed, "events"));
      }
      for (const Event& event : events) profile_.apply(event);
      return static_cast<double>(profile_.events());
    });
  }

  /// {value: the profile's JSON text at `at_ms`, state included} or {error}.
  emscripten::val profile(double at_ms) const {
    return guard_value([&] { return profile_.to_json(to_time(at_ms)).dump(); });
  }

  /// Folds `other` into this profile (Profile::merge). {value: events} or {error}.
  emscripten::val merge(const CustomerProfileHandle& other) {
    return guard_value([&] {
      profile_.merge(other.profile_);
      return static_cast<double>(profile_.events());
    });
  }

  std::string customerId() const { return profile_.customer_id(); }
  double events() const { return static_cast<double>(profile_.events()); }

 private:
  Profile profile_;
};

/// {value: an empty CustomerProfileHandle} or {error}; traits_json "" means no computed traits.
emscripten::val create_customer_profile(const std::string& customer_id, const std::string& traits_json) {
  return guard_value([&] {
    if (customer_id.empty()) throw Error(error_code::kInvalidArgument, "customerId", "expected a non-empty string");
    return CustomerProfileHandle(Profile(customer_id, traits_from(traits_json)));
  });
}

/// {value: CustomerProfileHandle restored from profile JSON text} or {error naming the path}.
emscripten::val restore_customer_profile(const std::string& profile_json, const std::string& traits_json) {
  return guard_value([&] { return CustomerProfileHandle(Profile::from_json(parse_json(profile_json), traits_from(traits_json))); });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_customer_profile) {
  using stageline::wasm::CustomerProfileHandle;
  emscripten::class_<CustomerProfileHandle>("CustomerProfileHandle")
      .function("apply", &CustomerProfileHandle::apply)
      .function("profile", &CustomerProfileHandle::profile)
      .function("merge", &CustomerProfileHandle::merge)
      .function("customerId", &CustomerProfileHandle::customerId)
      .function("events", &CustomerProfileHandle::events);
  emscripten::function("createCustomerProfile", &stageline::wasm::create_customer_profile);
  emscripten::function("restoreCustomerProfile", &stageline::wasm::restore_customer_profile);
}
