// Computed traits and events: a traits config, a batch of events through a ProfileBuilder, then
// every profile saved and restored, and one customer's stage timeline replayed.
// Input: traits config ␞ events (an array of event objects, or one) ␞ at.
// Invariants: a compiled config reads back from its to_json(); every built profile survives
// to_json() → from_json() exactly (what the browser runtime does on every reload).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "stageline/profiles/profile_builder.hpp"
#include "stageline/profiles/traits.hpp"
#include "stageline/stages/lifecycle.hpp"
#include "stageline/stages/stage_model.hpp"

using namespace stageline;

namespace {

const StageModel& classic() {
  static const StageModel model = StageModel::preset("classic");
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 3);
  TraitsConfig traits;
  if (const std::optional<Json> config = fuzz::parse(parts[0])) {
    if (fuzz::accepted([&] { traits = TraitsConfig::compile(*config); })) {
      FUZZ_CHECK(TraitsConfig::compile(traits.to_json()).to_json() == traits.to_json());
    }
  }
  const std::optional<Json> events = fuzz::parse(parts[1]);
  if (!events) return 0;
  const TimestampMs at = fuzz::time_from(parts[2], 1'767'225'600'000);

  ProfileBuilder builder(traits);
  if (!fuzz::accepted([&] { builder.add_json(*events, "events"); })) {
    FUZZ_CHECK(builder.size() == 0 && builder.event_count() == 0);  // all or nothing
    return 0;
  }
  for (const Profile& profile : builder) {
    const Json saved = builder.profile_json(profile.customer_id(), at);
    const Profile restored = Profile::from_json(parse_json(saved.dump()), traits);
    FUZZ_CHECK(restored == profile);
  }
  if (builder.size() > 0) {
    const std::string& first = builder.profiles().front().customer_id();
    // A short span limit keeps one input fast; the limit itself is part of what is fuzzed.
    fuzz::accepted([&] {
      const auto spans = replay_timeline(classic(), builder.events_of(first), traits, at, 400);
      static_cast<void>(timeline_json(classic(), spans).dump());
    });
  }
  return 0;
}
