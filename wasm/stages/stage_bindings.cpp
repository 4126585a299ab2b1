// Embind bindings for stage models. Configs and profiles cross as JSON text; web/src/stages/stage_model.js
// does the JSON.stringify / JSON.parse and the friendly API.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/stages/lifecycle.hpp"
#include "stages/stage_model_handle.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline::wasm {
namespace {

/// {value: StageModelHandle} or {error}. `preset` names a preset ("" when `config_json` is given).
emscripten::val create_stage_model(const std::string& preset, const std::string& config_json,
                                   const std::string& params_json) {
  return guard_value([&] {
    const Json params = params_json.empty() ? Json::object() : parse_json(params_json);
    if (!preset.empty()) return StageModelHandle(StageModel::preset(preset, params), StageModel::preset_config(preset));
    Json config = parse_json(config_json);
    StageModel model = StageModel::compile(config, params);
    return StageModelHandle(std::move(model), std::move(config));
  });
}

/// {value: classification JSON text} or {error}. previous_stage < 0 means no previous stage.
emscripten::val classify(const StageModelHandle& handle, const std::string& profile_json, double at_ms,
                         int previous_stage, double previous_entered_at_ms) {
  return guard_value([&] {
    const TimestampMs at = to_time(at_ms);
    std::optional<PreviousStage> previous;
    if (previous_stage >= 0) previous = PreviousStage{static_cast<std::size_t>(previous_stage), to_time(previous_entered_at_ms, "previous.enteredAt")};
    const Json profile = parse_json(profile_json);
    return write_json(classification_json(handle.model(), classify_profile_json(handle.model(), profile, at, previous)));
  });
}

std::string describe(const StageModelHandle& handle) { return write_json(handle.model().describe()); }
std::string config(const StageModelHandle& handle) { return write_json(handle.config()); }

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_stage_model) {
  using stageline::wasm::StageModelHandle;
  emscripten::class_<StageModelHandle>("StageModelHandle")
      .function("describe", &stageline::wasm::describe)
      .function("config", &stageline::wasm::config)
      .function("classify", &stageline::wasm::classify);
  emscripten::function("createStageModel", &stageline::wasm::create_stage_model);
}

STAGELINE_COLD_CODE_END
