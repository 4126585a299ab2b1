// RuleSet::compile: reads the rules config once into the immutable form decide() walks, checking
// every reference (slots, stages, presets) so that a typo is an error now rather than a rule that
// silently never applies.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "json/config_reader.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"
#include "stageline/rules/rules.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {
namespace {

constexpr std::string_view kConfigMembers[] = {"stageModel", "slots", "rules", "description"};
constexpr std::string_view kSlotMembers[] = {"default", "description"};
constexpr std::string_view kRuleMembers[] = {"id",           "slot",       "description", "priority", "when",
                                             "stages",       "schedule",   "variants",    "payload",  "experiment",
                                             "frequencyCap", "cooldownDays", "group",     "holdout"};
constexpr std::string_view kVariantMembers[] = {"id", "payload", "weight"};
constexpr std::string_view kExperimentMembers[] = {"key",         "hashAttribute", "fallbackAttribute", "seed",
                                                   "hashVersion", "coverage",      "namespace"};
constexpr std::string_view kScheduleMembers[] = {"start", "end"};
constexpr std::string_view kCapMembers[] = {"max", "windowDays"};

// A decision scans its slot's rules, and duplicate ids are found by scanning, so both counts are
// bounded to keep compile and decide times predictable on configs nobody meant to be that big.
constexpr std::size_t kMaxRules = 10'000;
constexpr std::size_t kMaxSlots = 1'000;

/// Errors inside an embedded stage model name their place in the rules config.
Error with_prefix(const Error& error, std::string_view prefix) {
  const std::string path = error.path().empty() ? std::string(prefix) : std::string(prefix) + "." + error.path();
  return Error(error.code(), path, error.message());
}

std::optional<StageModel> compile_stage_model(const Json& config) {
  const auto it = config.find("stageModel");
  if (it == config.end()) return std::nullopt;
  try {
    if (it->is_string()) return StageModel::preset(it->get_ref<const std::string&>());
    config::expect_object(*it, "");
    const auto preset = it->find("preset");
    if (preset != it->end()) {
      static constexpr std::string_view kPresetMembers[] = {"preset", "params"};
      config::reject_unknown_members(*it, "", kPresetMembers);
      if (!preset->is_string()) config::fail_expected("preset", "a preset name", *preset);
      const auto params = it->find("params");
      return StageModel::preset(preset->get_ref<const std::string&>(),
                                params == it->end() ? Json::object() : config::expect_object(*params, "params"));
    }
    return StageModel::compile(*it);
  } catch (const Error& error) {
    if (error.code() == std::string_view(error_code::kNotFound)) {
      // An unknown preset: a config error, at the path of the name.
      throw Error(error_code::kInvalidConfig, it->is_string() ? "stageModel" : "stageModel.preset", error.message());
    }
    throw with_prefix(error, "stageModel");
  }
}

std::optional<TimestampMs> schedule_bound(const Json& schedule, std::string_view key, const std::string& path) {
  const auto it = schedule.find(key);
  if (it == schedule.end()) return std::nullopt;
  const auto time = timestamp_from_json(*it);
  if (!time) {
    throw Error(error_code::kInvalidConfig, join_path(path, key),
                expected_but_got("an ISO 8601 date or time, or epoch milliseconds", *it));
  }
  return time;
}

void read_schedule(const Json& rule, const std::string& path, Rule& out) {
  const auto it = rule.find("schedule");
  if (it == rule.end()) return;
  const std::string schedule_path = join_path(path, "schedule");
  config::expect_object(*it, schedule_path);
  config::reject_unknown_members(*it, schedule_path, kScheduleMembers);
  out.start = schedule_bound(*it, "start", schedule_path);
  out.end = schedule_bound(*it, "end", schedule_path);
  if (out.start && out.end && *out.end <= *out.start) {
    throw Error(error_code::kInvalidConfig, join_path(schedule_path, "end"), "must be after schedule.start");
  }
}

void read_when(const Json& rule, const std::string& path, Rule& out) {
  const auto it = rule.find("when");
  if (it == rule.end()) return;
  const std::string when_path = join_path(path, "when");
  config::expect_object(*it, when_path);
  const auto logic = it->find("jsonLogic");
  if (logic != it->end() && it->size() == 1) {
    out.json_logic = JsonLogicRule::compile(*logic);
    out.json_logic->require_known_operators(join_path(when_path, "jsonLogic"));
    out.clause_paths.push_back(join_path(when_path, "jsonLogic"));
    out.clause_texts.push_back(write_json(*logic));
    return;
  }
  // One Condition per top-level member: their conjunction is the condition, and a failure names
  // the member that failed.
  for (const auto& member : it->items()) {
    Json single = Json::object();
    single[member.key()] = member.value();
    ConditionOptions options;
    options.path_prefix = when_path;
    out.clauses.push_back(Condition::compile(single, options));
    out.clause_paths.push_back(join_path(when_path, member.key()));
    out.clause_texts.push_back(write_json(single));
  }
}

void read_stages(const Json& rule, const std::string& path, const std::optional<StageModel>& model, Rule& out) {
  const auto it = rule.find("stages");
  if (it == rule.end()) return;
  const std::string stages_path = join_path(path, "stages");
  config::expect_array(*it, stages_path);
  if (!model) throw Error(error_code::kInvalidConfig, stages_path, "names stages, but the config has no stageModel");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const Json& name = (*it)[i];
    if (!name.is_string()) config::fail_expected(join_path(stages_path, i), "a stage id", name);
    const auto index = model->index_of(name.get_ref<const std::string&>());
    if (!index) {
      std::string known;
      for (const auto& stage : model->stages()) known.append(known.empty() ? "" : ", ").append(stage.id);
      throw Error(error_code::kInvalidConfig, join_path(stages_path, i),
                  "unknown stage " + write_json(name) + " (the stage model has " + known + ")");
    }
    out.stages.push_back(*index);
  }
}

// The stage attribute in `when` ({"stage": "loyal"}, {"stage": {"$in": [...]}}) is checked too:
// a misspelt stage would otherwise make the rule silently never apply.
void check_stage_literals(const Json& when, const std::string& when_path, const std::optional<StageModel>& model) {
  const auto stage = when.find("stage");
  if (stage == when.end() || !model) return;
  const auto check = [&](const Json& value, const std::string& path) {
    if (value.is_string() && !model->index_of(value.get_ref<const std::string&>())) {
      throw Error(error_code::kInvalidConfig, path, "unknown stage " + write_json(value));
    }
  };
  const std::string stage_path = join_path(when_path, "stage");
  check(*stage, stage_path);
  if (!stage->is_object()) return;
  for (const char* op : {"$eq", "$ne"}) {
    const auto it = stage->find(op);
    if (it != stage->end()) check(*it, join_path(stage_path, op));
  }
  for (const char* op : {"$in", "$nin"}) {
    const auto it = stage->find(op);
    if (it == stage->end() || !it->is_array()) continue;
    for (std::size_t i = 0; i < it->size(); ++i) check((*it)[i], join_path(join_path(stage_path, op), i));
  }
}

std::vector<double> read_variants(const Json& rule, const std::string& path, Rule& out) {
  const auto variants = rule.find("variants");
  const auto payload = rule.find("payload");
  std::vector<double> weights;
  if (variants != rule.end() && payload != rule.end()) {
    throw Error(error_code::kInvalidConfig, join_path(path, "payload"), "give either payload or variants, not both");
  }
  if (variants == rule.end()) {
    if (payload == rule.end()) {
      throw Error(error_code::kInvalidConfig, path, "needs a payload or variants");
    }
    out.variants.push_back({out.id, *payload});
    return weights;
  }
  const std::string variants_path = join_path(path, "variants");
  config::expect_array(*variants, variants_path);
  if (variants->empty()) throw Error(error_code::kInvalidConfig, variants_path, "expected at least one variant");
  std::size_t weighted = 0;
  for (std::size_t i = 0; i < variants->size(); ++i) {
    const std::string variant_path = join_path(variants_path, i);
    const Json& variant = config::expect_object((*variants)[i], variant_path);
    config::reject_unknown_members(variant, variant_path, kVariantMembers);
    RuleVariant compiled;
    compiled.id = config::string_member(variant, "id", variant_path);
    for (const RuleVariant& earlier : out.variants) {
      if (earlier.id == compiled.id) {
        throw Error(error_code::kInvalidConfig, join_path(variant_path, "id"), "duplicate variant id \"" + compiled.id + "\"");
      }
    }
    const auto variant_payload = variant.find("payload");
    compiled.payload = variant_payload == variant.end() ? Json() : *variant_payload;
    if (variant.contains("weight")) {
      ++weighted;
      weights.push_back(config::number_member(variant, "weight", variant_path, 0, 0));
    }
    out.variants.push_back(std::move(compiled));
  }
  if (weighted != 0 && weighted != variants->size()) {
    throw Error(error_code::kInvalidConfig, variants_path, "give a weight to every variant or to none");
  }
  if (weighted != 0) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (total < 0.99 || total > 1.01) {
      throw Error(error_code::kInvalidConfig, variants_path,
                  "weights must add up to 1 (they add up to " + write_json(Json(total)) + ")");
    }
  }
  return weights;
}

std::optional<AttributePath> attribute_member(const Json& experiment, std::string_view key, const std::string& path) {
  const auto it = experiment.find(key);
  if (it == experiment.end()) return std::nullopt;
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    config::fail_expected(join_path(path, key), "an attribute path", *it);
  }
  return AttributePath(it->get<std::string>());
}

void read_experiment(const Json& rule, const std::string& path, const std::vector<double>& weights, Rule& out) {
  const auto it = rule.find("experiment");
  if (it == rule.end() && out.variants.size() < 2) return;
  const Json empty = Json::object();
  const Json& experiment = it == rule.end() ? empty : *it;
  const std::string experiment_path = join_path(path, "experiment");
  config::expect_object(experiment, experiment_path);
  config::reject_unknown_members(experiment, experiment_path, kExperimentMembers);

  RuleExperiment compiled;
  compiled.key = config::string_member(experiment, "key", experiment_path, out.id.c_str());
  compiled.seed = config::string_member(experiment, "seed", experiment_path, compiled.key.c_str());
  if (auto hash_attribute = attribute_member(experiment, "hashAttribute", experiment_path)) {
    compiled.hash_attribute = std::move(*hash_attribute);
  }
  compiled.fallback_attribute = attribute_member(experiment, "fallbackAttribute", experiment_path);
  const double version = config::number_member(experiment, "hashVersion", experiment_path, 1, 1);
  if (version != 1 && version != 2) {
    throw Error(error_code::kInvalidConfig, join_path(experiment_path, "hashVersion"), "expected 1 or 2");
  }
  compiled.hash_version = static_cast<int>(version);
  const double coverage = config::number_member(experiment, "coverage", experiment_path, 1, 0);
  if (coverage > 1) throw Error(error_code::kInvalidConfig, join_path(experiment_path, "coverage"), "expected a number in [0, 1]");
  const int n = static_cast<int>(out.variants.size());
  compiled.ranges = weights.empty() ? get_bucket_ranges(n, coverage) : get_bucket_ranges(n, coverage, weights);

  const auto ns = experiment.find("namespace");
  if (ns != experiment.end()) {
    const std::string ns_path = join_path(experiment_path, "namespace");
    if (!ns->is_array() || ns->size() != 3 || !(*ns)[0].is_string() || !(*ns)[1].is_number() || !(*ns)[2].is_number()) {
      config::fail_expected(ns_path, "[namespace id, start, end]", *ns);
    }
    compiled.namespace_id = (*ns)[0].get<std::string>();
    compiled.namespace_start = (*ns)[1].get<double>();
    compiled.namespace_end = (*ns)[2].get<double>();
    if (!(compiled.namespace_start >= 0 && compiled.namespace_start < compiled.namespace_end && compiled.namespace_end <= 1)) {
      throw Error(error_code::kInvalidConfig, ns_path, "expected 0 <= start < end <= 1");
    }
  }
  out.experiment = std::move(compiled);
}

void read_cap(const Json& rule, const std::string& path, Rule& out) {
  const auto it = rule.find("frequencyCap");
  if (it != rule.end()) {
    const std::string cap_path = join_path(path, "frequencyCap");
    config::expect_object(*it, cap_path);
    config::reject_unknown_members(*it, cap_path, kCapMembers);
    if (!it->contains("max")) throw Error(error_code::kInvalidConfig, join_path(cap_path, "max"), "is required (a whole number >= 1)");
    const double max = config::number_member(*it, "max", cap_path, 1, 1);
    if (max != std::floor(max) || max > 1e6) {
      throw Error(error_code::kInvalidConfig, join_path(cap_path, "max"), "expected a whole number from 1 to 1000000");
    }
    if (!it->contains("windowDays")) throw Error(error_code::kInvalidConfig, join_path(cap_path, "windowDays"), "is required (days > 0)");
    const double days = config::number_member(*it, "windowDays", cap_path, 0, 0);
    if (!(days > 0) || days > 3660) throw Error(error_code::kInvalidConfig, join_path(cap_path, "windowDays"), "expected days in (0, 3660]");
    out.cap_max = static_cast<std::uint32_t>(max);
    out.cap_window_ms = static_cast<TimestampMs>(days * kMsPerDay);
  }
  const double cooldown = config::number_member(rule, "cooldownDays", path, 0, 0);
  if (cooldown > 3660) throw Error(error_code::kInvalidConfig, join_path(path, "cooldownDays"), "expected at most 3660 days");
  out.cooldown_ms = static_cast<TimestampMs>(cooldown * kMsPerDay);
}

}  // namespace

RuleSet RuleSet::compile(const Json& config) {
  config::expect_object(config, "");
  config::reject_unknown_members(config, "", kConfigMembers);
  RuleSet set;
  set.stage_model_ = compile_stage_model(config);

  const auto slots = config.find("slots");
  if (slots == config.end()) throw Error(error_code::kInvalidConfig, "slots", "is required (an object of slots)");
  config::expect_object(*slots, "slots");
  if (slots->size() > kMaxSlots) {
    throw Error(error_code::kLimitExceeded, "slots",
                std::to_string(slots->size()) + " slots; at most " + std::to_string(kMaxSlots));
  }
  for (const auto& slot : slots->items()) {
    const std::string path = join_path("slots", slot.key());
    config::expect_object(slot.value(), path);
    config::reject_unknown_members(slot.value(), path, kSlotMembers);
    const auto default_payload = slot.value().find("default");
    set.slots_.push_back({slot.key(), default_payload == slot.value().end() ? Json() : *default_payload, {}});
  }

  const auto rules = config.find("rules");
  const Json no_rules = Json::array();
  const Json& rule_list = rules == config.end() ? no_rules : config::expect_array(*rules, "rules");
  if (rule_list.size() > kMaxRules) {
    throw Error(error_code::kLimitExceeded, "rules",
                std::to_string(rule_list.size()) + " rules; at most " + std::to_string(kMaxRules));
  }
  for (std::size_t i = 0; i < rule_list.size(); ++i) {
    const std::string path = join_path("rules", i);
    const Json& rule = config::expect_object(rule_list[i], path);
    config::reject_unknown_members(rule, path, kRuleMembers);
    Rule compiled;
    compiled.id = config::string_member(rule, "id", path);
    if (compiled.id.empty()) throw Error(error_code::kInvalidConfig, join_path(path, "id"), "must not be empty");
    if (set.rule_index(compiled.id)) {
      throw Error(error_code::kInvalidConfig, join_path(path, "id"), "duplicate rule id \"" + compiled.id + "\"");
    }
    const std::string slot_id = config::string_member(rule, "slot", path);
    const auto slot = set.slot_index(slot_id);
    if (!slot) throw Error(error_code::kInvalidConfig, join_path(path, "slot"), "unknown slot \"" + slot_id + "\" (not in slots)");
    compiled.slot = *slot;
    compiled.priority = config::number_member(rule, "priority", path, 0, -1e15);
    read_stages(rule, path, set.stage_model_, compiled);
    read_schedule(rule, path, compiled);
    read_when(rule, path, compiled);
    if (const auto when = rule.find("when"); when != rule.end()) check_stage_literals(*when, join_path(path, "when"), set.stage_model_);
    const std::vector<double> weights = read_variants(rule, path, compiled);
    read_experiment(rule, path, weights, compiled);
    read_cap(rule, path, compiled);
    compiled.holdout = config::number_member(rule, "holdout", path, 0, 0);
    compiled.holdout_seed = "holdout:" + compiled.id;
    if (compiled.holdout >= 1) throw Error(error_code::kInvalidConfig, join_path(path, "holdout"), "expected a fraction in [0, 1)");
    if (rule.contains("group")) {
      const std::string group = config::string_member(rule, "group", path);
      auto found = std::find(set.groups_.begin(), set.groups_.end(), group);
      if (found == set.groups_.end()) found = set.groups_.insert(set.groups_.end(), group);
      compiled.group = static_cast<std::size_t>(found - set.groups_.begin());
    }
    set.uses_json_logic_ = set.uses_json_logic_ || compiled.json_logic.has_value();
    set.history_horizon_ms_ = std::max({set.history_horizon_ms_, compiled.cap_window_ms, compiled.cooldown_ms});
    set.rules_.push_back(std::move(compiled));
  }

  // Highest priority first; ties keep the config order (stable sort).
  std::vector<std::size_t> order(set.rules_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return set.rules_[a].priority > set.rules_[b].priority; });
  for (const std::size_t rule : order) set.slots_[set.rules_[rule].slot].rules.push_back(rule);
  // Across slots: priority, then slot order, then config order.
  set.global_order_ = order;
  std::stable_sort(set.global_order_.begin(), set.global_order_.end(), [&](std::size_t a, std::size_t b) {
    const Rule& x = set.rules_[a];
    const Rule& y = set.rules_[b];
    if (x.priority != y.priority) return x.priority > y.priority;
    return x.slot < y.slot;
  });
  return set;
}

std::optional<std::size_t> RuleSet::slot_index(std::string_view slot_id) const {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].id == slot_id) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> RuleSet::rule_index(std::string_view rule_id) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == rule_id) return i;
  }
  return std::nullopt;
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
