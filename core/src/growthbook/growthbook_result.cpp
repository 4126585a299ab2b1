// GrowthBook's FeatureResult and Result objects (getFeatureResult, getExperimentResult), with the
// same keys in the same order, built from the compact results evaluation returns.

#include <cmath>
#include <cstdint>

#include "growthbook/growthbook_model.hpp"
#include "values/js_semantics.hpp"

namespace stageline {
namespace {

using growthbook_detail::Experiment;
using growthbook_detail::VariationMeta;

const VariationMeta* meta_of(const Experiment& experiment, int variation) {
  const auto index = static_cast<std::size_t>(variation);
  return index < experiment.meta.size() ? &experiment.meta[index] : nullptr;
}

Json to_json(ValueRef value) {
  switch (value.kind()) {
    case ValueKind::kString:
      return std::string(value.as_string());
    case ValueKind::kNumber:
      return value.as_number();
    case ValueKind::kBoolean:
      return value.as_bool();
    case ValueKind::kArray:
    case ValueKind::kObject:
      return *value.json();
    case ValueKind::kNull:
    case ValueKind::kUndefined:
      break;
  }
  return nullptr;
}

// A number as JSON, integral values as integers (so the text reads "-1", as JavaScript writes it).
Json number_json(double value) {
  if (value >= -9007199254740991.0 && value <= 9007199254740991.0 && value == std::trunc(value)) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

}  // namespace

const char* to_string(GrowthBookSource source) noexcept {
  switch (source) {
    case GrowthBookSource::kUnknownFeature:
      return "unknownFeature";
    case GrowthBookSource::kDefaultValue:
      return "defaultValue";
    case GrowthBookSource::kForce:
      return "force";
    case GrowthBookSource::kOverride:
      return "override";
    case GrowthBookSource::kExperiment:
      return "experiment";
    case GrowthBookSource::kPrerequisite:
      return "prerequisite";
    case GrowthBookSource::kCyclicPrerequisite:
      return "cyclicPrerequisite";
  }
  return "unknownFeature";
}

const Json* GrowthBookExperimentResult::value() const {
  const auto index = static_cast<std::size_t>(variation_id);
  return index < experiment->variation_count ? &(*experiment->variations)[index] : nullptr;
}

bool GrowthBookExperimentResult::passthrough() const {
  const VariationMeta* meta = meta_of(*experiment, variation_id);
  return meta != nullptr && meta->passthrough;
}

Json GrowthBookExperimentResult::to_json() const {
  const VariationMeta* meta = meta_of(*experiment, variation_id);
  Json out = Json::object();
  out["key"] = meta != nullptr && meta->key && !meta->key->empty() ? *meta->key : std::to_string(variation_id);
  out["featureId"] = feature_id ? Json(std::string(*feature_id)) : Json(nullptr);
  out["inExperiment"] = in_experiment;
  out["hashUsed"] = hash_used;
  out["variationId"] = variation_id;
  if (const Json* variation = value()) out["value"] = *variation;  // undefined is left out, as JSON.stringify does
  out["hashAttribute"] = std::string(hash_attribute);
  out["hashValue"] = stageline::to_json(hash_value);
  out["stickyBucketUsed"] = sticky_bucket_used;
  if (meta != nullptr && meta->name) out["name"] = *meta->name;
  if (bucket) out["bucket"] = *bucket;
  if (meta != nullptr && meta->passthrough) out["passthrough"] = true;
  if (bandit != nullptr && hash_used && in_experiment) {
    out["leafId"] = number_json(bandit->leaf_id);
    out["variationWeights"] = bandit->variation_weights;
    if (bandit->bandit_version) out["banditVersion"] = number_json(*bandit->bandit_version);
  }
  return out;
}

bool GrowthBookFeatureResult::on() const { return value != nullptr && js::to_boolean(ValueRef::of(*value)); }

Json GrowthBookFeatureResult::to_json() const {
  Json out = Json::object();
  out["value"] = value != nullptr ? *value : Json(nullptr);
  out["on"] = on();
  out["off"] = off();
  out["source"] = to_string(source);
  out["ruleId"] = std::string(rule_id);
  if (experiment_result) {
    const GrowthBookExperimentResult& result = *experiment_result;
    Json experiment = result.experiment->json;
    if (const growthbook_detail::BanditLeaf* leaf = result.bandit) {
      if (leaf->replaces_weights) experiment["weights"] = leaf->variation_weights;
      if (result.hash_used && result.in_experiment) {
        Json context = {{"leafId", number_json(leaf->leaf_id)}, {"variationWeights", leaf->variation_weights}};
        if (leaf->bandit_version) context["banditVersion"] = number_json(*leaf->bandit_version);
        experiment["contextualBandit"] = std::move(context);
      }
    }
    out["experiment"] = std::move(experiment);
    out["experimentResult"] = result.to_json();
  }
  return out;
}

}  // namespace stageline
