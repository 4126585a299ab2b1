#pragma once
/// Retention by acquisition cohort over a Dataset's purchases.
///
///   cohort of a customer   the period (D, W or M) of their first purchase
///   returned[c][k]         cohort-c customers with a purchase in period c + k (k = 0: everyone)
///   onOrAfter[c][k]        cohort-c customers with a purchase in period c + k or later
///   revenue[c][k]          net amount of cohort-c customers' orders in period c + k
///   rates                  the counts divided by the cohort's size
/// Periods after the last observed one (the one containing `to`, default the dataset's last row)
/// have no cell: row c is shorter than row c − 1 by one (not yet observed is not the same as 0).
/// Returns before a customer's first purchase are not in any cell.

#include <optional>

#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"
#include "stageline/metrics/period.hpp"

namespace stageline {

struct CohortOptions {
  Period period = Period::kMonth;  ///< D, W or M
  std::optional<TimestampMs> to;   ///< end of observation

  /// Keys period ("D", "W", "M"; default "M") and to.
  static CohortOptions from_json(const Json& options);
};

/// {period, cohorts: [label], start: [ms], size: [n], returned, returnedRate, onOrAfter,
///  onOrAfterRate, revenue: [[cell|null] per cohort]} with row c holding k = 0 .. last − c.
Json compute_cohorts(const Dataset& dataset, const CohortOptions& options);

}  // namespace stageline
