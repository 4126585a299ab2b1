// RuleSet::decide / decide_all: the per-request path. Walks a slot's rules from the highest
// priority down, recording why each was passed over; allocates nothing once the decision's
// verdict buffer has grown to the longest slot.

#include <array>
#include <string>

#include "jsonlogic/json_logic_nodes.hpp"
#include "stageline/common/error.hpp"
#include "stageline/rules/rules.hpp"
#include "values/js_semantics.hpp"

namespace stageline {
namespace {

// GrowthBook's hash attribute: the attribute's String() unless it is falsy (then the fallback
// attribute's, else none). Text up to the buffer's size is made without allocating.
class HashValue {
 public:
  HashValue(const Attributes& attributes, const AttributePath& attribute, const RuleExperiment* experiment) {
    if (!read(attributes, attribute) && experiment != nullptr && experiment->fallback_attribute) {
      read(attributes, *experiment->fallback_attribute);
    }
  }
  bool empty() const { return text_.empty(); }
  std::string_view text() const { return text_; }

 private:
  bool read(const Attributes& attributes, const AttributePath& path) {
    const ValueRef value = attributes.resolve(path);
    if (!js::to_boolean(value)) return false;
    if (value.kind() == ValueKind::kString) {
      text_ = value.as_string();
      return true;
    }
    js::BufferSink sink(buffer_.data(), buffer_.size());
    js::emit_to_string(value, sink);
    if (!sink.overflowed()) {
      text_ = sink.text();
    } else {  // a long array or object as the hash attribute: rare enough to allocate for
      js::StringSink long_sink(long_text_);
      js::emit_to_string(value, long_sink);
      text_ = long_text_;
    }
    return !text_.empty();
  }

  std::array<char, 128> buffer_{};
  std::string long_text_;
  std::string_view text_;
};

std::optional<int> forced_variation(const RuleExperiment& experiment, const DecisionInput& input, int variations) {
  if (input.forced_variations != nullptr) {
    for (const auto& [key, variation] : *input.forced_variations) {
      if (key == experiment.key && variation >= 0 && variation < variations) return variation;
    }
  }
  if (!input.url.empty()) return get_query_string_override(experiment.key, input.url, variations);
  return std::nullopt;
}

bool in_stage_list(const Rule& rule, const std::optional<std::size_t>& stage) {
  if (rule.stages.empty()) return true;
  if (!stage) return false;
  for (const std::size_t allowed : rule.stages) {
    if (allowed == *stage) return true;
  }
  return false;
}

void reset(Decision& decision, std::size_t slot) {
  decision.slot = slot;
  decision.rule.reset();
  decision.variant = 0;
  decision.in_experiment = false;
  decision.forced = false;
  decision.hash_value = 0.0;
  decision.verdicts.clear();
}

}  // namespace

std::string_view rule_outcome_name(RuleOutcome outcome) noexcept {
  switch (outcome) {
    case RuleOutcome::kChosen: return "chosen";
    case RuleOutcome::kStage: return "stage";
    case RuleOutcome::kSchedule: return "schedule";
    case RuleOutcome::kCondition: return "condition";
    case RuleOutcome::kCapped: return "capped";
    case RuleOutcome::kCooldown: return "cooldown";
    case RuleOutcome::kHoldout: return "holdout";
    case RuleOutcome::kNoHashAttribute: return "noHashAttribute";
    case RuleOutcome::kNamespace: return "namespace";
    case RuleOutcome::kCoverage: return "coverage";
    case RuleOutcome::kGroup: return "group";
  }
  return "unknown";
}

RuleOutcome RuleSet::try_rule(const Rule& rule, const DecisionInput& input, Decision& decision,
                              std::int32_t& detail) const {
  if (!in_stage_list(rule, input.stage)) return RuleOutcome::kStage;
  if ((rule.start && input.at < *rule.start) || (rule.end && input.at >= *rule.end)) return RuleOutcome::kSchedule;

  for (std::size_t i = 0; i < rule.clauses.size(); ++i) {
    if (!rule.clauses[i].matches(*input.attributes, input.at)) {
      detail = static_cast<std::int32_t>(i);
      return RuleOutcome::kCondition;
    }
  }
  if (rule.json_logic) {
    if (input.json_logic_data == nullptr) {
      throw Error(error_code::kInvalidArgument, "", "rule \"" + rule.id + "\" uses JsonLogic but no data was given");
    }
    // Where json-logic-js throws ("*" without arguments, missing_some without options, ...) the
    // condition fails: one rule must not make every decision of the page throw.
    bool held = false;
    try {
      held = json_logic::truthy(rule.json_logic->apply(*input.json_logic_data));
    } catch (const Error&) {
      held = false;
    }
    if (!held) {
      detail = 0;
      return RuleOutcome::kCondition;
    }
  }

  const auto rule_number = static_cast<std::uint32_t>(&rule - rules_.data());
  if (input.exposures != nullptr) {
    if (rule.cap_max != 0 &&
        ExposureLog::count(*input.exposures, rule_number, ExposureLog::Kind::kExposure,
                           input.at - rule.cap_window_ms + 1, input.at) >= rule.cap_max) {
      return RuleOutcome::kCapped;
    }
    if (rule.cooldown_ms != 0 &&
        ExposureLog::count(*input.exposures, rule_number, ExposureLog::Kind::kDismissal,
                           input.at - rule.cooldown_ms + 1, input.at) != 0) {
      return RuleOutcome::kCooldown;
    }
  }

  const RuleExperiment* experiment = rule.experiment ? &*rule.experiment : nullptr;
  if (experiment == nullptr && rule.holdout == 0.0) return RuleOutcome::kChosen;

  const int variations = static_cast<int>(rule.variants.size());
  if (experiment != nullptr) {
    if (const auto forced = forced_variation(*experiment, input, variations)) {
      decision.variant = static_cast<std::size_t>(*forced);
      decision.forced = true;
      return RuleOutcome::kChosen;  // QA overrides bypass holdout and bucketing, as in GrowthBook
    }
  }
  const HashValue hash_value(*input.attributes,
                             experiment == nullptr ? default_hash_attribute_ : experiment->hash_attribute, experiment);
  if (hash_value.empty()) return RuleOutcome::kNoHashAttribute;
  if (rule.holdout > 0.0) {
    const double held = *hash(rule.holdout_seed, hash_value.text(), 2);
    if (held < rule.holdout) return RuleOutcome::kHoldout;
  }
  if (experiment == nullptr) return RuleOutcome::kChosen;
  if (experiment->namespace_id &&
      !in_namespace(hash_value.text(), {*experiment->namespace_id, experiment->namespace_start, experiment->namespace_end})) {
    return RuleOutcome::kNamespace;
  }
  const double n = *hash(experiment->seed, hash_value.text(), experiment->hash_version);
  const int variation = choose_variation(n, experiment->ranges);
  if (variation < 0) return RuleOutcome::kCoverage;
  decision.variant = static_cast<std::size_t>(variation);
  decision.in_experiment = true;
  decision.hash_value = n;
  return RuleOutcome::kChosen;
}

void RuleSet::decide(std::size_t slot, const DecisionInput& input, Decision& decision,
                     const std::vector<std::int32_t>* taken_groups) const {
  reset(decision, slot);
  for (const std::size_t index : slots_.at(slot).rules) {
    const Rule& rule = rules_[index];
    RuleVerdict verdict{static_cast<std::uint32_t>(index), RuleOutcome::kChosen, -1};
    if (rule.group && taken_groups != nullptr && (*taken_groups)[*rule.group] >= 0) {
      verdict.outcome = RuleOutcome::kGroup;
      verdict.detail = (*taken_groups)[*rule.group];
    } else {
      verdict.outcome = try_rule(rule, input, decision, verdict.detail);
    }
    decision.verdicts.push_back(verdict);
    if (verdict.outcome == RuleOutcome::kChosen) {
      decision.rule = index;
      return;
    }
    if (verdict.outcome == RuleOutcome::kHoldout) return;  // the default, lower rules not tried
  }
}

void RuleSet::decide_all(const DecisionInput& input, std::vector<Decision>& decisions,
                         std::vector<std::int32_t>& scratch) const {
  // scratch: one owner slot per group (-1 = free), then one "decided" flag per slot.
  const std::size_t groups = groups_.size();
  scratch.assign(groups + slots_.size(), -1);
  decisions.resize(slots_.size());
  for (std::size_t slot = 0; slot < slots_.size(); ++slot) reset(decisions[slot], slot);

  for (const std::size_t index : global_order_) {
    const Rule& rule = rules_[index];
    if (scratch[groups + rule.slot] >= 0) continue;
    Decision& decision = decisions[rule.slot];
    RuleVerdict verdict{static_cast<std::uint32_t>(index), RuleOutcome::kChosen, -1};
    if (rule.group && scratch[*rule.group] >= 0) {
      verdict.outcome = RuleOutcome::kGroup;
      verdict.detail = scratch[*rule.group];
    } else {
      verdict.outcome = try_rule(rule, input, decision, verdict.detail);
    }
    decision.verdicts.push_back(verdict);
    if (verdict.outcome == RuleOutcome::kChosen) {
      decision.rule = index;
      scratch[groups + rule.slot] = 1;
      if (rule.group) scratch[*rule.group] = static_cast<std::int32_t>(rule.slot);
    } else if (verdict.outcome == RuleOutcome::kHoldout) {
      scratch[groups + rule.slot] = 1;
    }
  }
}

}  // namespace stageline
