#include "stageline/stages/stage_model.hpp"

#include <algorithm>
#include <numeric>

#include "json/config_reader.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"

namespace stageline {
// Compiling a model runs once per model: optimized for size (stageline/cold_code.hpp).
STAGELINE_COLD_CODE_BEGIN

namespace {

constexpr std::size_t kMaxStages = 64;
constexpr std::size_t kMaxParamDepth = 64;

// Replaces every {"$param": "name"} inside a condition by the parameter's value, so the condition
// compiler only ever sees literal operands.
Json substitute_params(const Json& node, const Json& params, const std::string& path, std::size_t depth) {
  if (depth > kMaxParamDepth) {
    throw Error(error_code::kLimitExceeded, path, "condition nested deeper than 64 levels");
  }
  if (node.is_object()) {
    const auto param = node.find("$param");
    if (param != node.end()) {
      if (node.size() != 1 || !param->is_string()) {
        throw Error(error_code::kInvalidConfig, path,
                    "expected {\"$param\": \"<parameter name>\"} and nothing else");
      }
      const auto value = params.find(param->get<std::string>());
      if (value == params.end()) {
        std::string known;
        for (const auto& item : params.items()) known.append(known.empty() ? "" : ", ").append(item.key());
        throw Error(error_code::kInvalidConfig, join_path(path, "$param"),
                    "unknown parameter \"" + param->get<std::string>() + "\" (known: " + known + ")");
      }
      return *value;
    }
    Json result = Json::object();
    for (const auto& item : node.items()) {
      result[item.key()] = substitute_params(item.value(), params, join_path(path, item.key()), depth + 1);
    }
    return result;
  }
  if (node.is_array()) {
    Json result = Json::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      result.push_back(substitute_params(node[i], params, join_path(path, i), depth + 1));
    }
    return result;
  }
  return node;
}

Json merge_params(const Json& config, const Json& overrides) {
  Json params = Json::object();
  const auto declared = config.find("params");
  if (declared != config.end()) {
    config::expect_object(*declared, "params");
    for (const auto& item : declared->items()) {
      if (!item.value().is_number() && !item.value().is_string() && !item.value().is_boolean()) {
        config::fail_expected(join_path("params", item.key()), "a number, string or boolean", item.value());
      }
      params[item.key()] = item.value();
    }
  }
  if (!overrides.is_null()) {
    config::expect_object(overrides, "(params argument)");
    for (const auto& item : overrides.items()) {
      const auto target = params.find(item.key());
      if (target == params.end()) {
        throw Error(error_code::kInvalidConfig, item.key(),
                    "unknown parameter for this stage model (declare it under \"params\")");
      }
      if (target->type() != item.value().type() && !(target->is_number() && item.value().is_number())) {
        config::fail_expected(item.key(), json_type_name(*target), item.value());
      }
      *target = item.value();
    }
  }
  return params;
}

}  // namespace

StageModel StageModel::compile(const Json& config, const Json& params) {
  static constexpr std::string_view kModelMembers[] = {"name", "description", "params", "default", "stages"};
  static constexpr std::string_view kStageMembers[] = {"id",   "label",    "description", "color",
                                                      "when", "priority", "minDwellDays"};
  config::expect_object(config, "");
  config::reject_unknown_members(config, "", kModelMembers);

  StageModel model;
  model.name_ = config::string_member(config, "name", "", "custom");
  model.params_ = merge_params(config, params);

  const auto stages_it = config.find("stages");
  if (stages_it == config.end()) throw Error(error_code::kInvalidConfig, "stages", "is required (an array of stages)");
  const Json& stages = config::expect_array(*stages_it, "stages");
  if (stages.empty()) throw Error(error_code::kInvalidConfig, "stages", "expected at least one stage");
  if (stages.size() > kMaxStages) {
    throw Error(error_code::kLimitExceeded, "stages", "more than 64 stages");
  }

  for (std::size_t i = 0; i < stages.size(); ++i) {
    const std::string path = join_path("stages", i);
    const Json& stage = config::expect_object(stages[i], path);
    config::reject_unknown_members(stage, path, kStageMembers);
    StageDefinition definition;
    definition.id = config::string_member(stage, "id", path);
    if (definition.id.empty()) throw Error(error_code::kInvalidConfig, join_path(path, "id"), "must not be empty");
    if (model.index_of(definition.id)) {
      throw Error(error_code::kInvalidConfig, join_path(path, "id"), "duplicate stage id \"" + definition.id + "\"");
    }
    definition.label = config::string_member(stage, "label", path, "");
    if (definition.label.empty()) definition.label = definition.id;
    definition.description = config::string_member(stage, "description", path, "");
    definition.color = config::string_member(stage, "color", path, "");
    definition.priority = config::number_member(stage, "priority", path, static_cast<double>(i), -1e9);
    definition.min_dwell_days = config::number_member(stage, "minDwellDays", path, 0, 0);
    const auto when = stage.find("when");
    if (when != stage.end()) {
      definition.when_path = join_path(path, "when");
      ConditionOptions options;
      options.path_prefix = definition.when_path;
      definition.when = Condition::compile(substitute_params(*when, model.params_, definition.when_path, 0), options);
    }
    model.stages_.push_back(std::move(definition));
  }

  const auto default_it = config.find("default");
  if (default_it == config.end()) throw Error(error_code::kInvalidConfig, "default", "is required (a stage id)");
  if (!default_it->is_string()) config::fail_expected("default", "a stage id", *default_it);
  const auto default_index = model.index_of(default_it->get<std::string>());
  if (!default_index) {
    throw Error(error_code::kInvalidConfig, "default",
                "unknown stage \"" + default_it->get<std::string>() + "\" (not among stages[].id)");
  }
  model.default_index_ = *default_index;
  for (std::size_t i = 0; i < model.stages_.size(); ++i) {
    if (!model.stages_[i].when && i != model.default_index_) {
      throw Error(error_code::kInvalidConfig, join_path("stages", i),
                  "needs a \"when\" condition (only the default stage may omit it)");
    }
  }

  model.evaluation_order_.resize(model.stages_.size());
  std::iota(model.evaluation_order_.begin(), model.evaluation_order_.end(), 0);
  // Highest priority first; among equal priorities the later-listed (further) stage first.
  std::stable_sort(model.evaluation_order_.begin(), model.evaluation_order_.end(),
                   [&](std::size_t a, std::size_t b) {
                     const double pa = model.stages_[a].priority;
                     const double pb = model.stages_[b].priority;
                     return pa != pb ? pa > pb : a > b;
                   });
  return model;
}

STAGELINE_COLD_CODE_END

std::optional<std::size_t> StageModel::index_of(std::string_view stage_id) const {
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    if (stages_[i].id == stage_id) return i;
  }
  return std::nullopt;
}

std::size_t StageModel::classify_index(const Attributes& attributes, TimestampMs at) const {
  for (const std::size_t index : evaluation_order_) {
    const auto& when = stages_[index].when;
    if (when && when->matches(attributes, at)) return index;
  }
  return default_index_;
}

std::size_t StageModel::classify_index(const Attributes& attributes, TimestampMs at,
                                       const PreviousStage& previous) const {
  if (previous.stage_index < stages_.size()) {
    const double dwell_ms = stages_[previous.stage_index].min_dwell_days * static_cast<double>(kMsPerDay);
    if (static_cast<double>(at - previous.entered_at) < dwell_ms) return previous.stage_index;
  }
  return classify_index(attributes, at);
}

Classification StageModel::classify(const Attributes& attributes, TimestampMs at,
                                    const std::optional<PreviousStage>& previous) const {
  Classification result;
  if (previous && previous->stage_index < stages_.size()) {
    const auto& kept = stages_[previous->stage_index];
    const double dwell_ms = kept.min_dwell_days * static_cast<double>(kMsPerDay);
    if (static_cast<double>(at - previous->entered_at) < dwell_ms) {
      result.stage_index = previous->stage_index;
      result.rule = "minDwell";
      return result;
    }
  }
  for (const std::size_t index : evaluation_order_) {
    const auto& stage = stages_[index];
    if (!stage.when) continue;
    Explanation explanation = stage.when->explain(attributes, at);
    result.explanation.push_back({stage.id, explanation.matched, std::move(explanation.clauses)});
    if (result.explanation.back().matched) {
      result.stage_index = index;
      result.rule = stage.when_path;
      return result;
    }
  }
  result.stage_index = default_index_;
  result.rule = "default";
  return result;
}

STAGELINE_COLD_CODE_BEGIN

Json StageModel::describe() const {
  Json stages = Json::array();
  for (const auto& stage : stages_) {
    stages.push_back({{"id", stage.id},
                      {"label", stage.label},
                      {"description", stage.description},
                      {"color", stage.color},
                      {"priority", stage.priority},
                      {"minDwellDays", stage.min_dwell_days}});
  }
  return {{"name", name_}, {"default", stages_[default_index_].id}, {"params", params_}, {"stages", stages}};
}

STAGELINE_COLD_CODE_END

}  // namespace stageline
