#pragma once
/// A RuleSet in use: decides for customers, records their exposures and dismissals (so caps and
/// cooldowns work), resolves their stage, and holds QA overrides. One per page or worker.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/rules/exposure_log.hpp"
#include "stageline/rules/rules.hpp"

namespace stageline {

/// One decision request.
struct DecisionRequest {
  const Profile* profile = nullptr;           ///< null: an anonymous visitor (an empty profile)
  std::string_view customer_id;               ///< whose exposures count; also `customerId` when no profile
  std::optional<std::string_view> stage;      ///< given stage id; else classified with the stage model
  const Json* context = nullptr;              ///< completed page context (complete_page_context)
  TimestampMs at = 0;
  bool record_exposure = true;                ///< record the chosen rule's exposure for caps
};

class RuleEngine {
 public:
  explicit RuleEngine(RuleSet rules);

  const RuleSet& rules() const { return rules_; }

  /// Decides one slot. The result (and its verdicts) stays valid until the next decide call.
  /// Throws Error(invalid_argument) for an unknown stage id.
  const Decision& decide(std::size_t slot, const DecisionRequest& request);
  /// Decides every slot with mutual exclusion; one decision per slot, in slot order.
  const std::vector<Decision>& decide_all(const DecisionRequest& request);

  /// The stage the last decide/decide_all used (nullopt without a stage model or stage).
  std::optional<std::size_t> last_stage() const { return last_stage_; }

  /// Records that the customer dismissed what `rule` showed (starts its cooldown).
  void dismiss(std::string_view customer_id, std::size_t rule, TimestampMs at);

  /// QA: force `variation` of experiment `key` for every decision (nullopt clears it).
  void force_variation(std::string_view key, std::optional<int> variation);

  ExposureLog& exposures() { return exposures_; }
  const ExposureLog& exposures() const { return exposures_; }

  /// The customer's history as JSON: [{"rule", "variant", "at", "kind"}], oldest first.
  Json exposures_json(std::string_view customer_id) const;
  /// Restores a history written by exposures_json(). Entries naming rules or variants this rule
  /// set does not have (the config changed since) are left out and counted in the result.
  std::size_t restore_exposures(std::string_view customer_id, const Json& history);

 private:
  /// Resolves the stage and attributes of `request` and calls `decide(input)`.
  template <typename Decide>
  void with_input(const DecisionRequest& request, Decide&& decide);
  DecisionInput input_for(const DecisionRequest& request, const Attributes& attributes);
  void record(const DecisionRequest& request, const Decision& decision);

  RuleSet rules_;
  ExposureLog exposures_;
  std::vector<std::pair<std::string, int>> forced_;
  Profile anonymous_;
  Json empty_context_ = Json::object();
  Json json_logic_data_;
  std::optional<std::size_t> last_stage_;
  Decision decision_;
  std::vector<Decision> decisions_;
  std::vector<std::int32_t> scratch_;
};

}  // namespace stageline
