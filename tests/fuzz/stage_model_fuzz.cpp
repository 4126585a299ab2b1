// Stage models: a config (or a preset by name) with parameter overrides, then a profile JSON
// classified at a time, with and without a previous stage.
// Input: config or preset name ␞ params ␞ profile ␞ at ␞ previous stage index.
// Invariants: classify() and classify_index() agree; describe() works on every compiled model.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "stageline/stages/lifecycle.hpp"
#include "stageline/stages/stage_model.hpp"

using namespace stageline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 5);
  const Json params = fuzz::parse(parts[1]).value_or(Json::object());
  std::optional<StageModel> model;
  const bool compiled = fuzz::accepted([&] {
    if (const std::optional<Json> config = fuzz::parse(parts[0])) {
      model = StageModel::compile(*config, params);
    } else {
      model = StageModel::preset(parts[0], params);
    }
  });
  if (!compiled) return 0;
  static_cast<void>(model->describe().dump());

  const Json profile = fuzz::parse(parts[2]).value_or(Json::object());
  const TimestampMs at = fuzz::time_from(parts[3], 1'767'225'600'000);
  std::optional<PreviousStage> previous;
  std::size_t previous_index = 0;
  if (std::from_chars(parts[4].data(), parts[4].data() + parts[4].size(), previous_index).ec == std::errc() &&
      previous_index < model->stages().size()) {
    previous = PreviousStage{previous_index, at - 3 * kMsPerDay};
  }

  std::optional<Classification> classification;
  if (!fuzz::accepted([&] { classification = classify_profile_json(*model, profile, at, previous); })) return 0;
  static_cast<void>(classification_json(*model, *classification).dump());
  FUZZ_CHECK(classification->stage_index < model->stages().size());
  if (profile.is_object() && !previous) {
    // classify_profile_json recomputes the relative fields; with none present the raw attributes
    // are what classify() saw, so the allocation-free path must agree.
    const bool has_relative = profile.contains("tenureDays") || profile.contains("daysSinceLastSeen") ||
                              profile.contains("daysSinceLastOrder") || profile.contains("firstSeen") ||
                              profile.contains("lastSeen") || profile.contains("lastOrderAt");
    if (!has_relative) {
      FUZZ_CHECK(model->classify_index(JsonAttributes(profile), at) == classification->stage_index);
    }
  }
  return 0;
}
