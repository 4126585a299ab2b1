#pragma once
// Survey scores of a dataset tallied into NPS / CSAT / CES estimates; shared by the per-period
// KPIs (kpis.cpp) and CX by stage (dataset_lifecycle.cpp).

#include <cmath>
#include <cstddef>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"
#include "stageline/metrics/estimates.hpp"
#include "stageline/profiles/event.hpp"

namespace stageline {

/// Which rows are surveys: a score and an nps / csat / ces event type.
class SurveyRows {
 public:
  explicit SurveyRows(const Dataset& dataset) : dataset_(dataset) {
    for (std::uint32_t t = 0; t < dataset.types().size(); ++t) kind_of_type_.push_back(event_kind(dataset.types()[t]));
  }

  bool is_survey(std::size_t row) const {
    if (dataset_.score().empty() || dataset_.type().empty() || std::isnan(dataset_.score()[row]) ||
        dataset_.type()[row] == Dataset::kNone) {
      return false;
    }
    const EventKind kind = kind_of_type_[dataset_.type()[row]];
    return kind == EventKind::kNps || kind == EventKind::kCsat || kind == EventKind::kCes;
  }

  EventKind kind(std::size_t row) const { return kind_of_type_[dataset_.type()[row]]; }

 private:
  const Dataset& dataset_;
  std::vector<EventKind> kind_of_type_;
};

/// Counts of one group of survey answers (a period, a stage).
struct ScoreTally {
  std::size_t promoters = 0, passives = 0, detractors = 0;  // nps
  std::size_t csat_n = 0, csat_satisfied = 0;
  std::size_t ces_n = 0, ces_high = 0;
  double ces_sum = 0, ces_sum_of_squares = 0;

  /// NPS 9–10 promoter, 7–8 passive, 0–6 detractor; CSAT 4–5 satisfied; CES 5–7 high.
  void add(EventKind kind, double score) {
    switch (kind) {
      case EventKind::kNps:
        ++(score >= 9 ? promoters : score >= 7 ? passives : detractors);
        break;
      case EventKind::kCsat:
        ++csat_n;
        if (score >= 4) ++csat_satisfied;
        break;
      default:  // ces
        ++ces_n;
        if (score >= 5) ++ces_high;
        ces_sum += score;
        ces_sum_of_squares += score * score;
        break;
    }
  }

  Estimate nps() const { return nps_estimate(promoters, passives, detractors); }
  Estimate csat() const { return percent_estimate(csat_satisfied, csat_n); }
  Estimate ces() const { return mean_estimate(ces_sum, ces_sum_of_squares, ces_n); }
  Estimate ces_high_share() const { return percent_estimate(ces_high, ces_n); }
};

/// {n: [], value: [], low: [], high: []} of a series of estimates (null where there is no value).
inline Json estimates_json(const std::vector<Estimate>& estimates) {
  Json n = Json::array(), value = Json::array(), low = Json::array(), high = Json::array();
  const auto optional_json = [](const std::optional<double>& x) { return x ? Json(*x) : Json(nullptr); };
  for (const Estimate& e : estimates) {
    n.push_back(e.n);
    value.push_back(optional_json(e.value));
    low.push_back(optional_json(e.low));
    high.push_back(optional_json(e.high));
  }
  return Json{{"n", n}, {"value", value}, {"low", low}, {"high", high}};
}

/// {nps, csat, ces, cesHigh} series of one tally per group.
inline Json cx_json(const std::vector<ScoreTally>& tallies) {
  std::vector<Estimate> nps, csat, ces, ces_high;
  for (const ScoreTally& t : tallies) {
    nps.push_back(t.nps());
    csat.push_back(t.csat());
    ces.push_back(t.ces());
    ces_high.push_back(t.ces_high_share());
  }
  return Json{{"nps", estimates_json(nps)}, {"csat", estimates_json(csat)}, {"ces", estimates_json(ces)},
              {"cesHigh", estimates_json(ces_high)}};
}

}  // namespace stageline
