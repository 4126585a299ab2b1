#pragma once
// A compiled stage model owned by JS (deleted from web/src/stages/stage_model.js's dispose()), keeping the
// config it was compiled from so JS can show it.

#include <utility>

#include "stageline/json/json.hpp"
#include "stageline/stages/stage_model.hpp"

namespace stageline::wasm {

class StageModelHandle {
 public:
  StageModelHandle(StageModel model, Json config) : model_(std::move(model)), config_(std::move(config)) {}
  const StageModel& model() const { return model_; }
  const Json& config() const { return config_; }

 private:
  StageModel model_;
  Json config_;
};

}  // namespace stageline::wasm
