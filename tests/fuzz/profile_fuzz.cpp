// Stored profiles (what the browser runtime reads back from IndexedDB, which other code or an old
// build may have written): restored, saved again, merged, and updated with an event.
// Input: profile JSON ␞ second profile JSON ␞ event JSON ␞ at.
// Invariants: a restored profile survives to_json() → from_json() exactly; merging never loses
// events.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_support.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/profiles/profile_attributes.hpp"
#include "stageline/profiles/traits.hpp"

using namespace stageline;

namespace {

const TraitsConfig& traits() {
  static const TraitsConfig config = TraitsConfig::compile(parse_json(R"({"traits": [
      {"name": "orders30d", "aggregate": "count", "event": "purchase", "windowDays": 30},
      {"name": "spend", "aggregate": "sum", "event": "purchase"},
      {"name": "seats", "aggregate": "last", "event": "subscribe", "property": "seats"}]})"));
  return config;
}

std::optional<Profile> restore(std::string_view text) {
  const std::optional<Json> json = fuzz::parse(text);
  if (!json) return std::nullopt;
  std::optional<Profile> profile;
  fuzz::accepted([&] { profile = Profile::from_json(*json, traits(), "profile"); });
  return profile;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 4);
  std::optional<Profile> profile = restore(parts[0]);
  if (!profile) return 0;
  const TimestampMs at = fuzz::time_from(parts[3], 1'767'225'600'000);

  const Json saved = profile->to_json(at);
  FUZZ_CHECK(Profile::from_json(parse_json(saved.dump()), traits()) == *profile);
  const ProfileAttributes attributes(*profile, at);
  static_cast<void>(attributes.resolve(AttributePath("daysSinceLastSeen")));

  if (std::optional<Profile> other = restore(parts[1])) {
    const std::uint64_t events = profile->events() + other->events();
    if (fuzz::accepted([&] { profile->merge(*other); })) FUZZ_CHECK(profile->events() == events);
  }
  if (const std::optional<Json> event_json = fuzz::parse(parts[2])) {
    fuzz::accepted([&] { profile->apply(event_from_json(*event_json, "event")); });
  }
  static_cast<void>(profile->to_json(at).dump());
  return 0;
}
