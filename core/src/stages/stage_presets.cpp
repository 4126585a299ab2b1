// The four stage models that appear in customer-lifecycle practice, shipped as presets. Their
// conditions are documented in the README ("Stage model presets"); keep the two in step.
//
// Conventions shared by the presets: a customer is "acquired" once they signed up or ordered;
// thresholds are named parameters so a user can override them without editing conditions; stages
// are listed in lifecycle order and, by default, a later stage wins when several match.
// GrowthBook semantics to mind: a missing attribute reads as null and null < 10 is true in
// JavaScript, so `$lt`/`$lte` on a field that may be null needs `"$exists": true` beside it.

#include <string_view>

#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/stages/stage_model.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline {
namespace {

constexpr std::string_view kClassic = R"json({
  "name": "classic",
  "description": "Awareness, acquisition, onboarding, retention, advocacy, plus churned.",
  "params": {"onboardingDays": 30, "churnDays": 90, "advocateNps": 9, "advocateReferrals": 1},
  "default": "awareness",
  "stages": [
    {"id": "awareness", "label": "Awareness", "color": "#56B4E9",
     "description": "Seen, but has neither signed up nor ordered."},
    {"id": "acquisition", "label": "Acquisition", "color": "#0072B2",
     "description": "Signed up or ordered.",
     "when": {"$or": [{"signedUpAt": {"$exists": true}}, {"orders": {"$gte": 1}}]}},
    {"id": "onboarding", "label": "Onboarding", "color": "#009E73",
     "description": "First order within the last onboardingDays days.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"firstOrderAt": {"$withinLastDays": {"$param": "onboardingDays"}}}]}},
    {"id": "retention", "label": "Retention", "color": "#F0E442",
     "description": "Ordered, and the first order is older than onboardingDays days.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"firstOrderAt": {"$olderThanDays": {"$param": "onboardingDays"}}}]}},
    {"id": "advocacy", "label": "Advocacy", "color": "#CC79A7",
     "description": "Ordered, and last NPS >= advocateNps or referrals >= advocateReferrals.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"$or": [{"lastNps": {"$gte": {"$param": "advocateNps"}}},
                                {"referrals": {"$gte": {"$param": "advocateReferrals"}}}]}]}},
    {"id": "churned", "label": "Churned", "color": "#999999",
     "description": "Cancelled, or acquired and not seen for churnDays days.",
     "when": {"$or": [{"cancelledAt": {"$exists": true}},
                      {"$and": [{"$or": [{"signedUpAt": {"$exists": true}}, {"orders": {"$gte": 1}}]},
                                {"daysSinceLastSeen": {"$gte": {"$param": "churnDays"}}}]}]}}
  ]
})json";

constexpr std::string_view kJourney = R"json({
  "name": "journey",
  "description": "Awareness, consideration, purchase, onboarding, retention, advocacy.",
  "params": {"considerationSessions": 2, "purchaseDays": 7, "onboardingDays": 30,
             "advocateNps": 9, "advocateReferrals": 1},
  "default": "awareness",
  "stages": [
    {"id": "awareness", "label": "Awareness", "color": "#56B4E9",
     "description": "A visitor who has not yet shown buying intent."},
    {"id": "consideration", "label": "Consideration", "color": "#0072B2",
     "description": "Came back (sessions >= considerationSessions), signed up, or added to cart; no order yet.",
     "when": {"$or": [{"sessions": {"$gte": {"$param": "considerationSessions"}}},
                      {"signedUpAt": {"$exists": true}},
                      {"counts.add_to_cart": {"$gte": 1}}]}},
    {"id": "purchase", "label": "Purchase", "color": "#E69F00",
     "description": "First order within the last purchaseDays days.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"firstOrderAt": {"$withinLastDays": {"$param": "purchaseDays"}}}]}},
    {"id": "onboarding", "label": "Onboarding", "color": "#009E73",
     "description": "First order between purchaseDays and onboardingDays days ago.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"firstOrderAt": {"$olderThanDays": {"$param": "purchaseDays"}}},
                       {"firstOrderAt": {"$withinLastDays": {"$param": "onboardingDays"}}}]}},
    {"id": "retention", "label": "Retention", "color": "#F0E442",
     "description": "First order older than onboardingDays days.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"firstOrderAt": {"$olderThanDays": {"$param": "onboardingDays"}}}]}},
    {"id": "advocacy", "label": "Advocacy", "color": "#CC79A7",
     "description": "Ordered, and last NPS >= advocateNps or referrals >= advocateReferrals.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"$or": [{"lastNps": {"$gte": {"$param": "advocateNps"}}},
                                {"referrals": {"$gte": {"$param": "advocateReferrals"}}}]}]}}
  ]
})json";

constexpr std::string_view kFunnel = R"json({
  "name": "funnel",
  "description": "Awareness, engagement, evaluation, purchase, support experience, bonding.",
  "params": {"engagedSessions": 2, "bondingOrders": 3, "advocateNps": 9},
  "default": "awareness",
  "stages": [
    {"id": "awareness", "label": "Awareness", "color": "#56B4E9",
     "description": "A first-time visitor."},
    {"id": "engagement", "label": "Engagement", "color": "#0072B2",
     "description": "Came back (sessions >= engagedSessions) or signed up.",
     "when": {"$or": [{"sessions": {"$gte": {"$param": "engagedSessions"}}},
                      {"signedUpAt": {"$exists": true}}]}},
    {"id": "evaluation", "label": "Evaluation", "color": "#E69F00",
     "description": "Showed buying intent: added to cart, started a trial or viewed pricing.",
     "when": {"$or": [{"counts.add_to_cart": {"$gte": 1}}, {"counts.trial_start": {"$gte": 1}},
                      {"counts.pricing_view": {"$gte": 1}}]}},
    {"id": "purchase", "label": "Purchase", "color": "#009E73",
     "description": "Ordered at least once.",
     "when": {"orders": {"$gte": 1}}},
    {"id": "support_experience", "label": "Support experience", "color": "#D55E00",
     "description": "A customer with an open support ticket (wins over bonding while it is open).",
     "priority": 10,
     "when": {"$and": [{"orders": {"$gte": 1}}, {"openTickets": {"$gte": 1}}]}},
    {"id": "bonding", "label": "Bonding", "color": "#CC79A7",
     "description": "orders >= bondingOrders, or ordered with last NPS >= advocateNps, or referred someone.",
     "when": {"$or": [{"orders": {"$gte": {"$param": "bondingOrders"}}},
                      {"$and": [{"orders": {"$gte": 1}},
                                {"$or": [{"lastNps": {"$gte": {"$param": "advocateNps"}}},
                                         {"referrals": {"$gte": 1}}]}]}]}}
  ]
})json";

constexpr std::string_view kFull = R"json({
  "name": "full",
  "description": "Awareness, acquisition, onboarding, engagement, retention, growth, advocacy, at risk, churn.",
  "params": {"onboardingDays": 30, "engagedActiveDays": 3, "engagedRecencyDays": 14,
             "retentionOrders": 2, "growthOrders": 5, "growthRevenue": 500,
             "advocateNps": 9, "advocateReferrals": 1,
             "atRiskDays": 45, "atRiskNps": 6, "atRiskOpenTickets": 2, "atRiskPAlive": 0.3, "churnDays": 90},
  "default": "awareness",
  "stages": [
    {"id": "awareness", "label": "Awareness", "color": "#56B4E9",
     "description": "Seen, but has neither signed up nor ordered."},
    {"id": "acquisition", "label": "Acquisition", "color": "#0072B2",
     "description": "Signed up or ordered.",
     "when": {"$or": [{"signedUpAt": {"$exists": true}}, {"orders": {"$gte": 1}}]}},
    {"id": "onboarding", "label": "Onboarding", "color": "#009E73",
     "description": "Signed up or first ordered within the last onboardingDays days.",
     "when": {"$or": [{"signedUpAt": {"$withinLastDays": {"$param": "onboardingDays"}}},
                      {"firstOrderAt": {"$withinLastDays": {"$param": "onboardingDays"}}}]}},
    {"id": "engagement", "label": "Engagement", "color": "#E69F00",
     "description": "Acquired, active on >= engagedActiveDays days and seen within engagedRecencyDays days.",
     "when": {"$and": [{"$or": [{"signedUpAt": {"$exists": true}}, {"orders": {"$gte": 1}}]},
                       {"activeDays": {"$gte": {"$param": "engagedActiveDays"}}},
                       {"daysSinceLastSeen": {"$lte": {"$param": "engagedRecencyDays"}}}]}},
    {"id": "retention", "label": "Retention", "color": "#F0E442",
     "description": "A repeat customer: orders >= retentionOrders.",
     "when": {"orders": {"$gte": {"$param": "retentionOrders"}}}},
    {"id": "growth", "label": "Growth", "color": "#8C6BB1",
     "description": "Spending more: orders >= growthOrders or revenue >= growthRevenue.",
     "when": {"$or": [{"orders": {"$gte": {"$param": "growthOrders"}}},
                      {"revenue": {"$gte": {"$param": "growthRevenue"}}}]}},
    {"id": "advocacy", "label": "Advocacy", "color": "#CC79A7",
     "description": "Ordered, and last NPS >= advocateNps or referrals >= advocateReferrals.",
     "when": {"$and": [{"orders": {"$gte": 1}},
                       {"$or": [{"lastNps": {"$gte": {"$param": "advocateNps"}}},
                                {"referrals": {"$gte": {"$param": "advocateReferrals"}}}]}]}},
    {"id": "at_risk", "label": "At risk", "color": "#D55E00",
     "description": "Acquired, and not seen for atRiskDays days, or last NPS <= atRiskNps, or openTickets >= atRiskOpenTickets, or (with a pAlive trait) P(alive) < atRiskPAlive.",
     "when": {"$and": [{"$or": [{"signedUpAt": {"$exists": true}}, {"orders": {"$gte": 1}}]},
                       {"$or": [{"daysSinceLastSeen": {"$gte": {"$param": "atRiskDays"}}},
                                {"lastNps": {"$exists": true, "$lte": {"$param": "atRiskNps"}}},
                                {"openTickets": {"$gte": {"$param": "atRiskOpenTickets"}}},
                                {"pAlive": {"$type": "number", "$lt": {"$param": "atRiskPAlive"}}}]}]}},
    {"id": "churn", "label": "Churn", "color": "#999999",
     "description": "Cancelled, or acquired and not seen for churnDays days.",
     "when": {"$or": [{"cancelledAt": {"$exists": true}},
                      {"$and": [{"$or": [{"signedUpAt": {"$exists": true}}, {"orders": {"$gte": 1}}]},
                                {"daysSinceLastSeen": {"$gte": {"$param": "churnDays"}}}]}]}}
  ]
})json";

constexpr std::pair<std::string_view, std::string_view> kPresets[] = {
    {"classic", kClassic}, {"journey", kJourney}, {"funnel", kFunnel}, {"full", kFull}};

}  // namespace

std::vector<std::string> StageModel::preset_names() {
  std::vector<std::string> names;
  for (const auto& [name, text] : kPresets) names.emplace_back(name);
  return names;
}

Json StageModel::preset_config(std::string_view name) {
  for (const auto& [preset_name, text] : kPresets) {
    if (preset_name == name) return parse_json(text);
  }
  throw Error(error_code::kNotFound, "", "unknown stage model preset \"" + std::string(name) +
                                             "\" (expected classic, journey, funnel or full)");
}

StageModel StageModel::preset(std::string_view name, const Json& params) {
  return compile(preset_config(name), params);
}

}  // namespace stageline

STAGELINE_COLD_CODE_END
