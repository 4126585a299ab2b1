// evalFeature: forced values, prerequisites (with cycle detection), filters, force rules with their
// rollouts, and experiment rules (with contextual-bandit leaves), in GrowthBook's order.

#include "growthbook/growthbook_model.hpp"
#include "stageline/common/error.hpp"
#include "values/js_semantics.hpp"

namespace stageline::growthbook_detail {
namespace {

/// `{value: parentResult.value}`, what a prerequisite's condition is evaluated against, without
/// building it.
class ParentValue final : public Attributes {
 public:
  explicit ParentValue(const Json* value) : value_(value) {}

  ValueRef resolve(const AttributePath& path) const override {
    if (path.segments.empty() || path.segments[0] != "value") return ValueRef::undefined();
    const ValueRef value = value_ != nullptr ? ValueRef::of(*value_) : ValueRef::null();
    return js::get_path(value, path.segments, 1);
  }

 private:
  const Json* value_;
};

GrowthBookFeatureResult feature_result(const Json* value, GrowthBookSource source, std::string_view rule_id = {}) {
  GrowthBookFeatureResult out;
  out.value = value;
  out.source = source;
  out.rule_id = rule_id;
  return out;
}

/// Pops the feature an evaluation pushed, on every way out.
class StackEntry {
 public:
  StackEntry(std::vector<std::uint32_t>& stack, std::uint32_t feature) : stack_(stack) { stack_.push_back(feature); }
  ~StackEntry() { stack_.pop_back(); }
  StackEntry(const StackEntry&) = delete;
  StackEntry& operator=(const StackEntry&) = delete;

 private:
  std::vector<std::uint32_t>& stack_;
};

}  // namespace

Evaluation::Prerequisites Evaluation::prerequisites(const std::vector<ParentCondition>& parents, bool& gate_failed) {
  for (const ParentCondition& parent : parents) {
    const GrowthBookFeatureResult parent_result = feature(parent.id);
    if (parent_result.source == GrowthBookSource::kCyclicPrerequisite) return Prerequisites::kCyclic;
    if (!parent.condition.matches(ParentValue(parent_result.value))) {
      gate_failed = parent.gate;
      return Prerequisites::kFail;
    }
  }
  return Prerequisites::kPass;
}

const BanditLeaf* Evaluation::bandit_leaf(const Experiment& experiment) const {
  if (!experiment.bandit) return nullptr;
  for (const BanditLeaf& leaf : experiment.bandit->leaves) {
    if (condition_passes(leaf.condition)) return &leaf;
  }
  return &experiment.bandit->fallback;
}

GrowthBookFeatureResult Evaluation::feature(std::string_view key) {
  const std::optional<std::uint32_t> index = payload_.find(key);
  std::vector<std::uint32_t>& stack = evaluator_.stack_;
  // A feature already being evaluated further up is a prerequisite cycle (only known features
  // have prerequisites, so only they are ever on the stack).
  if (index && std::find(stack.begin(), stack.end(), *index) != stack.end()) {
    return feature_result(nullptr, GrowthBookSource::kCyclicPrerequisite);
  }
  if (stack.size() >= kMaxPrerequisiteDepth) {
    throw Error(error_code::kLimitExceeded, join_path("features", key),
                "prerequisites nested deeper than " + std::to_string(kMaxPrerequisiteDepth) + " features");
  }
  const auto forced = user_.forced_feature_values.find(key);
  if (forced != user_.forced_feature_values.end()) return feature_result(&*forced, GrowthBookSource::kOverride);
  if (!index) return feature_result(nullptr, GrowthBookSource::kUnknownFeature);

  const StackEntry entry(stack, *index);
  const Feature& feature = payload_.features[*index];
  for (const Rule& rule : feature.rules) {
    if (!rule.parent_conditions.empty()) {
      bool gate_failed = false;
      const Prerequisites verdict = prerequisites(rule.parent_conditions, gate_failed);
      if (verdict == Prerequisites::kCyclic) return feature_result(nullptr, GrowthBookSource::kCyclicPrerequisite);
      if (verdict == Prerequisites::kFail) {
        if (gate_failed) return feature_result(nullptr, GrowthBookSource::kPrerequisite);
        continue;
      }
    }
    if (rule.has_filters && filtered_out(rule.filters)) continue;
    if (rule.force != nullptr) {
      if (rule.condition && !condition_passes(*rule.condition)) continue;
      if (!included_in_rollout(rule)) continue;
      return feature_result(rule.force, GrowthBookSource::kForce, rule.id);
    }
    if (!rule.experiment) continue;
    const Experiment& experiment = *rule.experiment;
    GrowthBookExperimentResult result = run(experiment, std::string_view(feature.key), bandit_leaf(experiment));
    if (result.in_experiment && !result.passthrough()) {
      GrowthBookFeatureResult out = feature_result(result.value(), GrowthBookSource::kExperiment, rule.id);
      out.experiment_result = result;
      return out;
    }
  }
  return feature_result(feature.default_value, GrowthBookSource::kDefaultValue);
}

}  // namespace stageline::growthbook_detail
