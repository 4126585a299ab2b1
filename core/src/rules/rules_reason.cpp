// RuleSet::reason: a decision's verdicts in words, for people reading logs and debug panels.

#include <cmath>
#include <string>

#include "stageline/common/cold_code.hpp"
#include "stageline/rules/rules.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {
namespace {

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string days(TimestampMs ms) {
  const double value = static_cast<double>(ms) / static_cast<double>(kMsPerDay);
  return write_json(Json(value)) + (value == 1.0 ? " day" : " days");
}

}  // namespace

std::string RuleSet::reason(const Decision& decision) const {
  std::string chosen;
  std::string passed_over;
  for (const RuleVerdict& verdict : decision.verdicts) {
    const Rule& rule = rules_[verdict.rule];
    std::string why;
    switch (verdict.outcome) {
      case RuleOutcome::kChosen: {
        chosen = "rule " + in_quotes(rule.id) + " chose variant " + in_quotes(rule.variants[decision.variant].id);
        if (decision.forced) {
          chosen += " (forced for experiment " + in_quotes(rule.experiment->key) + ")";
        } else if (decision.in_experiment) {
          chosen += " (experiment " + in_quotes(rule.experiment->key) + ", variation " + std::to_string(decision.variant) + ")";
        }
        continue;
      }
      case RuleOutcome::kStage: {
        why = "stage not in [";
        for (std::size_t i = 0; i < rule.stages.size(); ++i) {
          why += (i == 0 ? "" : ", ") + stage_model_->stages()[rule.stages[i]].id;
        }
        why += "]";
        break;
      }
      case RuleOutcome::kSchedule:
        why = "out of schedule";
        if (rule.start) why += " (starts " + format_timestamp(*rule.start);
        if (rule.end) why += std::string(rule.start ? ", ends " : " (ends ") + format_timestamp(*rule.end);
        why += ")";
        break;
      case RuleOutcome::kCondition: {
        const auto clause = static_cast<std::size_t>(verdict.detail);
        why = "condition failed at " + rule.clause_paths[clause] + " " + rule.clause_texts[clause];
        break;
      }
      case RuleOutcome::kCapped:
        why = "capped (" + std::to_string(rule.cap_max) + " exposures within " + days(rule.cap_window_ms) + ")";
        break;
      case RuleOutcome::kCooldown:
        why = "cooling down (dismissed within " + days(rule.cooldown_ms) + ")";
        break;
      case RuleOutcome::kHoldout: {
        const std::string percent = write_json(Json(std::round(rule.holdout * 10000) / 100));
        chosen = "held out by rule " + in_quotes(rule.id) + " (" + percent + "% holdout), showing the default";
        continue;
      }
      case RuleOutcome::kNoHashAttribute:
        why = "no value for the hash attribute " +
              in_quotes(rule.experiment ? rule.experiment->hash_attribute.dotted : default_hash_attribute_.dotted);
        break;
      case RuleOutcome::kNamespace:
        why = "outside namespace " + in_quotes(*rule.experiment->namespace_id);
        break;
      case RuleOutcome::kCoverage:
        why = "not in the experiment's coverage";
        break;
      case RuleOutcome::kGroup:
        why = "group " + in_quotes(groups_[*rule.group]) + " taken by slot " +
              in_quotes(slots_[static_cast<std::size_t>(verdict.detail)].id);
        break;
    }
    passed_over += (passed_over.empty() ? "" : "; ") + in_quotes(rule.id) + ": " + why;
  }
  if (chosen.empty()) chosen = decision.verdicts.empty() ? "no rules for this slot, showing the default" : "no rule applied, showing the default";
  return passed_over.empty() ? chosen : chosen + "; passed over " + passed_over;
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
