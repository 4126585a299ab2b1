#pragma once
// One customer's profile owned by JS (web/src/profiles/customer_profile.js, the browser runtime's visitor).
// Declared here, not inside customer_profile_bindings.cpp, because the rules bindings decide on it
// directly: its computed traits are then known, and no profile JSON crosses per decision.

#include <emscripten/val.h>

#include <string>
#include <utility>
#include <vector>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile.hpp"

namespace stageline::wasm {

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
    return guard_value([&] { return write_json(profile_.to_json(to_time(at_ms))); });
  }

  /// Folds `other` into this profile (Profile::merge). {value: events} or {error}.
  STAGELINE_COLD_FUNCTION
  emscripten::val merge(const CustomerProfileHandle& other) {
    return guard_value([&] {
      profile_.merge(other.profile_);
      return static_cast<double>(profile_.events());
    });
  }

  std::string customerId() const { return profile_.customer_id(); }
  /// The live profile, for bindings that read it (rules decide on it without a JSON round trip).
  const Profile& get() const { return profile_; }
  double events() const { return static_cast<double>(profile_.events()); }

 private:
  Profile profile_;
};

}  // namespace stageline::wasm
