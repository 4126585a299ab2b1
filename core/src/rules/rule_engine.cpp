#include "stageline/rules/rule_engine.hpp"

#include <algorithm>
#include <utility>

#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"
#include "stageline/profiles/profile_attributes.hpp"
#include "stageline/rules/decision_attributes.hpp"

namespace stageline {
namespace {

constexpr std::string_view kExposureKinds[] = {"exposure", "dismissal"};

std::string_view stage_name(const RuleSet& rules, std::optional<std::size_t> stage) {
  if (!stage || !rules.stage_model()) return {};
  return rules.stage_model()->stages()[*stage].id;
}

}  // namespace

RuleEngine::RuleEngine(RuleSet rules) : rules_(std::move(rules)), anonymous_("") {}

DecisionInput RuleEngine::input_for(const DecisionRequest& request, const Attributes& attributes) {
  DecisionInput input;
  input.attributes = &attributes;
  input.stage = last_stage_;
  input.at = request.at;
  input.exposures = request.customer_id.empty() ? nullptr : exposures_.find(request.customer_id);
  if (request.context != nullptr) {
    const auto url = request.context->find("url");
    if (url != request.context->end() && url->is_string()) input.url = url->get_ref<const std::string&>();
  }
  input.forced_variations = forced_.empty() ? nullptr : &forced_;
  if (rules_.uses_json_logic()) {
    // JsonLogic reads plain JSON data: the profile's JSON, its stage and the context.
    const Profile& profile = request.profile != nullptr ? *request.profile : anonymous_;
    json_logic_data_ = profile.to_json(request.at);
    if (request.profile == nullptr && !request.customer_id.empty()) json_logic_data_["customerId"] = request.customer_id;
    if (last_stage_) json_logic_data_["stage"] = stage_name(rules_, last_stage_);
    json_logic_data_["context"] = request.context != nullptr ? *request.context : empty_context_;
    input.json_logic_data = &json_logic_data_;
  }
  return input;
}

namespace {

// The stage a request is decided in: the given one (checked), else the model's classification.
std::optional<std::size_t> resolve_stage(const RuleSet& rules, const DecisionRequest& request, const Profile& profile) {
  const auto& model = rules.stage_model();
  if (request.stage) {
    if (!model) return std::nullopt;
    const auto index = model->index_of(*request.stage);
    if (!index) throw Error(error_code::kInvalidArgument, "stage", "unknown stage \"" + std::string(*request.stage) + "\"");
    return index;
  }
  if (!model) return std::nullopt;
  return model->classify_index(ProfileAttributes(profile, request.at), request.at);
}

}  // namespace

template <typename Decide>
void RuleEngine::with_input(const DecisionRequest& request, Decide&& decide) {
  const Profile& profile = request.profile != nullptr ? *request.profile : anonymous_;
  last_stage_ = resolve_stage(rules_, request, profile);
  const std::string_view stage = request.stage ? *request.stage : stage_name(rules_, last_stage_);
  const ProfileAttributes profile_attributes(profile, request.at,
                                             last_stage_ || request.stage ? std::optional<std::string_view>(stage) : std::nullopt);
  const DecisionAttributes attributes(profile_attributes, request.context != nullptr ? *request.context : empty_context_,
                                      request.at, request.customer_id);
  decide(input_for(request, attributes));
}

const Decision& RuleEngine::decide(std::size_t slot, const DecisionRequest& request) {
  if (slot >= rules_.slots().size()) throw Error(error_code::kInvalidArgument, "slot", "no such slot");
  with_input(request, [&](const DecisionInput& input) { rules_.decide(slot, input, decision_); });
  record(request, decision_);
  return decision_;
}

const std::vector<Decision>& RuleEngine::decide_all(const DecisionRequest& request) {
  with_input(request, [&](const DecisionInput& input) { rules_.decide_all(input, decisions_, scratch_); });
  for (const Decision& decision : decisions_) record(request, decision);
  return decisions_;
}

void RuleEngine::record(const DecisionRequest& request, const Decision& decision) {
  if (!request.record_exposure || !decision.rule || request.customer_id.empty()) return;
  exposures_.record(request.customer_id,
                    {static_cast<std::uint32_t>(*decision.rule), static_cast<std::uint32_t>(decision.variant), request.at,
                     ExposureLog::Kind::kExposure},
                    rules_.history_horizon_ms());
}

void RuleEngine::dismiss(std::string_view customer_id, std::size_t rule, TimestampMs at) {
  if (rule >= rules_.rules().size()) throw Error(error_code::kInvalidArgument, "rule", "no such rule");
  exposures_.record(customer_id, {static_cast<std::uint32_t>(rule), 0, at, ExposureLog::Kind::kDismissal},
                    rules_.history_horizon_ms());
}

void RuleEngine::force_variation(std::string_view key, std::optional<int> variation) {
  forced_.erase(std::remove_if(forced_.begin(), forced_.end(), [&](const auto& entry) { return entry.first == key; }),
                forced_.end());
  if (variation) forced_.emplace_back(std::string(key), *variation);
}

// Saving and restoring exposure history runs once per page: optimized for size (stageline/cold_code.hpp).
STAGELINE_COLD_CODE_BEGIN

Json RuleEngine::exposures_json(std::string_view customer_id) const {
  Json history = Json::array();
  const ExposureLog::History* entries = exposures_.find(customer_id);
  if (entries == nullptr) return history;
  for (const ExposureLog::Entry& entry : *entries) {
    const Rule& rule = rules_.rules()[entry.rule];
    Json item = Json::object();
    item["rule"] = rule.id;
    item["slot"] = rules_.slots()[rule.slot].id;
    if (entry.kind == ExposureLog::Kind::kExposure) item["variant"] = rule.variants[entry.variant].id;
    item["at"] = entry.at;
    item["kind"] = kExposureKinds[static_cast<int>(entry.kind)];
    history.push_back(std::move(item));
  }
  return history;
}

std::size_t RuleEngine::restore_exposures(std::string_view customer_id, const Json& history) {
  if (!history.is_array()) throw Error(error_code::kInvalidArgument, "exposures", expected_but_got("an array", history));
  ExposureLog::History entries;
  std::size_t left_out = 0;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const std::string path = join_path("exposures", i);
    const Json& item = history[i];
    if (!item.is_object()) throw Error(error_code::kInvalidArgument, path, expected_but_got("an object", item));
    const auto rule_id = item.find("rule");
    const auto kind = item.find("kind");
    const auto at = item.find("at");
    if (rule_id == item.end() || !rule_id->is_string()) {
      throw Error(error_code::kInvalidArgument, join_path(path, "rule"), "expected a rule id");
    }
    const auto time = at == item.end() ? std::nullopt : timestamp_from_json(*at);
    if (!time) throw Error(error_code::kInvalidArgument, join_path(path, "at"), "expected epoch milliseconds or an ISO time");
    ExposureLog::Entry entry;
    entry.at = *time;
    if (kind == item.end() || *kind == kExposureKinds[0]) {
      entry.kind = ExposureLog::Kind::kExposure;
    } else if (*kind == kExposureKinds[1]) {
      entry.kind = ExposureLog::Kind::kDismissal;
    } else {
      throw Error(error_code::kInvalidArgument, join_path(path, "kind"), "expected \"exposure\" or \"dismissal\"");
    }
    const auto rule = rules_.rule_index(rule_id->get_ref<const std::string&>());
    if (!rule) {
      ++left_out;
      continue;
    }
    entry.rule = static_cast<std::uint32_t>(*rule);
    if (entry.kind == ExposureLog::Kind::kExposure) {
      const auto variant = item.find("variant");
      const auto& variants = rules_.rules()[*rule].variants;
      const auto found = variant == item.end() || !variant->is_string()
                             ? variants.end()
                             : std::find_if(variants.begin(), variants.end(),
                                            [&](const RuleVariant& v) { return v.id == variant->get_ref<const std::string&>(); });
      if (found == variants.end()) {
        ++left_out;
        continue;
      }
      entry.variant = static_cast<std::uint32_t>(found - variants.begin());
    }
    entries.push_back(entry);
  }
  exposures_.replace(customer_id, std::move(entries));
  return left_out;
}

STAGELINE_COLD_CODE_END

}  // namespace stageline
