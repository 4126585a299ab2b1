#pragma once
/// Personalization rules: per slot (a placement on a page), an ordered list of rules that pick a
/// variant and its payload for one customer, now, offline and deterministically, with the reason.
///
/// Config (JSON; the schema ships as web/rules.schema.json):
///   { "stageModel": "classic" | {"preset": "full", "params": {...}} | { ...stage model... },
///     "slots": { "home_hero": { "default": <payload>, "description": "..." }, ... },
///     "rules": [ { "id": "vip_hero", "slot": "home_hero", "priority": 20,
///                  "when": { ...condition... } | { "jsonLogic": { ...rule... } },
///                  "stages": ["engaged", "loyal"],
///                  "schedule": { "start": "2026-11-01", "end": "2026-12-01T00:00:00Z" },
///                  "variants": [ { "id": "gold", "payload": {...}, "weight": 0.5 }, ... ],
///                  "experiment": { "key": "hero-test", "hashAttribute": "customerId",
///                                  "fallbackAttribute": "context.deviceId", "seed": "hero",
///                                  "hashVersion": 2, "coverage": 1, "namespace": ["ns", 0, 0.5] },
///                  "frequencyCap": { "max": 3, "windowDays": 7 }, "cooldownDays": 2,
///                  "group": "promo", "holdout": 0.1 }, ... ] }
/// A rule applies when its stage list, schedule, condition, cap, cooldown, holdout and experiment
/// coverage all admit the customer; the highest-priority applicable rule of a slot wins (ties: the
/// order in the config), and a slot with no applicable rule shows its default.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/bucketing/bucketing.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/json/json.hpp"
#include "stageline/jsonlogic/json_logic.hpp"
#include "stageline/rules/exposure_log.hpp"
#include "stageline/stages/stage_model.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

/// Why a rule did or did not decide a slot. Stable numbers: the JS wrapper maps them to names.
enum class RuleOutcome : std::uint8_t {
  kChosen = 0,
  kStage = 1,           ///< the customer's stage is not in the rule's `stages`
  kSchedule = 2,        ///< `at` is outside [schedule.start, schedule.end)
  kCondition = 3,       ///< a clause of `when` failed (detail: its index in clause_paths)
  kCapped = 4,          ///< frequencyCap.max exposures within the window already
  kCooldown = 5,        ///< dismissed less than cooldownDays ago
  kHoldout = 6,         ///< in the holdout: the slot shows its default, lower rules are not tried
  kNoHashAttribute = 7, ///< neither hashAttribute nor fallbackAttribute has a value
  kNamespace = 8,       ///< outside the experiment's namespace slice
  kCoverage = 9,        ///< hashed outside every variation's range (coverage below 1)
  kGroup = 10,          ///< its mutual-exclusion group was taken by another slot (decide_all)
};
std::string_view rule_outcome_name(RuleOutcome outcome) noexcept;

struct RuleVariant {
  std::string id;
  Json payload;
};

struct RuleExperiment {
  std::string key;
  std::string seed;
  AttributePath hash_attribute{"customerId"};
  std::optional<AttributePath> fallback_attribute;
  int hash_version = 1;
  std::vector<VariationRange> ranges;  ///< from coverage and weights, as GrowthBook computes them
  std::optional<std::string> namespace_id;
  double namespace_start = 0.0;
  double namespace_end = 1.0;
};

/// One compiled rule. `clauses` are the top-level members of `when` compiled one by one (their AND
/// is the condition), so a failed decision can name the clause that failed without re-evaluating.
struct Rule {
  std::string id;
  std::size_t slot = 0;
  double priority = 0;
  std::vector<std::size_t> stages;  ///< stage indexes into the rule set's model; empty = any
  std::optional<TimestampMs> start;
  std::optional<TimestampMs> end;
  std::vector<Condition> clauses;
  std::vector<std::string> clause_paths;   ///< "rules[3].when.orders", one per clause
  std::vector<std::string> clause_texts;   ///< `{"orders":{"$gte":2}}`, one per clause
  /// When `when` is {"jsonLogic": ...}: unknown operators are compile errors; where json-logic-js
  /// throws while evaluating, the condition fails (so no decision throws).
  std::optional<JsonLogicRule> json_logic;
  std::vector<RuleVariant> variants;
  std::optional<RuleExperiment> experiment;  ///< present when there is more than one variant too
  std::uint32_t cap_max = 0;                 ///< 0 = no frequency cap
  TimestampMs cap_window_ms = 0;
  TimestampMs cooldown_ms = 0;               ///< 0 = dismissals do not pause the rule
  std::optional<std::size_t> group;          ///< index into RuleSet::groups()
  double holdout = 0.0;
  std::string holdout_seed;  ///< "holdout:" + id, the hash seed of the holdout draw
};

struct Slot {
  std::string id;
  Json default_payload;
  std::vector<std::size_t> rules;  ///< indexes into RuleSet::rules(), highest priority first
};

/// What a decision looks at, besides the rule set.
struct DecisionInput {
  const Attributes* attributes = nullptr;  ///< profile + stage + context (see DecisionAttributes)
  std::optional<std::size_t> stage;        ///< the customer's stage index, if known
  TimestampMs at = 0;
  const ExposureLog::History* exposures = nullptr;  ///< for caps and cooldowns; null = none yet
  std::string_view url;                             ///< for `?experimentKey=N` QA overrides
  /// Experiment key → forced variation index (QA overrides set through the API).
  const std::vector<std::pair<std::string, int>>* forced_variations = nullptr;
  /// Lazily built JSON view of everything the attributes hold, for JsonLogic conditions only.
  const Json* json_logic_data = nullptr;
};

struct RuleVerdict {
  std::uint32_t rule = 0;
  RuleOutcome outcome = RuleOutcome::kChosen;
  std::int32_t detail = -1;  ///< kCondition: failed clause index; kGroup: slot that took it
};

struct Decision {
  std::size_t slot = 0;
  std::optional<std::size_t> rule;  ///< nullopt: the slot's default
  std::size_t variant = 0;
  bool in_experiment = false;
  bool forced = false;              ///< variation forced by URL or API (QA)
  double hash_value = 0.0;          ///< the experiment's bucketing hash, in [0, 1)
  std::vector<RuleVerdict> verdicts;  ///< every rule tried, in order; reused across decisions
};

/// An immutable compiled rule set. Compile once; decide many times.
class RuleSet {
 public:
  /// Compiles `config`. Throws Error(invalid_config) naming the JSON path of the problem, including
  /// references to unknown slots, stages or presets.
  static RuleSet compile(const Json& config);

  const std::vector<Slot>& slots() const { return slots_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::vector<std::string>& groups() const { return groups_; }
  const std::optional<StageModel>& stage_model() const { return stage_model_; }
  std::optional<std::size_t> slot_index(std::string_view slot_id) const;
  std::optional<std::size_t> rule_index(std::string_view rule_id) const;
  /// True if some rule's `when` is JsonLogic (its data must be materialized as JSON).
  bool uses_json_logic() const { return uses_json_logic_; }
  /// The longest cap window or cooldown: older exposure history can be forgotten.
  TimestampMs history_horizon_ms() const { return history_horizon_ms_; }

  /// Decides one slot into `decision` (whose verdict buffer is reused: no allocation once warm).
  /// `taken_groups`, when given, holds one flag per group: rules of a taken group are skipped.
  void decide(std::size_t slot, const DecisionInput& input, Decision& decision,
              const std::vector<std::int32_t>* taken_groups = nullptr) const;

  /// Decides every slot, honouring mutual-exclusion groups: rules are tried across slots from
  /// the highest priority down (ties: slot order, then config order), so the most important rule
  /// claims a group first. `decisions` is resized to one per slot, in slot order.
  void decide_all(const DecisionInput& input, std::vector<Decision>& decisions,
                  std::vector<std::int32_t>& taken_groups) const;

  /// "chosen 'vip_hero' (variant 'gold'); not 'flash_sale': out of schedule (...)" — the
  /// decision's verdicts in words.
  std::string reason(const Decision& decision) const;

 private:
  RuleOutcome try_rule(const Rule& rule, const DecisionInput& input, Decision& decision,
                       std::int32_t& detail) const;

  std::optional<StageModel> stage_model_;
  std::vector<Slot> slots_;
  std::vector<Rule> rules_;
  std::vector<std::string> groups_;
  std::vector<std::size_t> global_order_;  ///< every rule, for decide_all
  AttributePath default_hash_attribute_{"customerId"};  ///< for holdouts without an experiment
  bool uses_json_logic_ = false;
  TimestampMs history_horizon_ms_ = 0;
};

}  // namespace stageline
