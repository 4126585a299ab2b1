#pragma once
/// RFM: recency, frequency and monetary value per customer at a reference time, 1–5 quintile
/// scores and named segments.
///
///   recency    days (fractional) from the customer's last purchase to `at`
///   frequency  purchases (orders with net amount ≥ 0) up to `at`
///   monetary   net amount of all the customer's orders up to `at` (returns subtract)
/// Customers without a purchase up to `at` have no recency and are left out (counted).
///
/// Scores, for n customers: F = 1 + ⌊5 × #(customers with a smaller frequency) / n⌋, M likewise,
/// and R = 1 + ⌊5 × #(customers with a larger recency) / n⌋ (recent is good). Equal values always
/// get equal scores and the result does not depend on input order; with many ties a score may be
/// skipped (if 60% bought once they all get F = 1 and the next F is 4).
///
/// Segments: the first rule (in order) whose R, F and M ranges hold names the customer; none =
/// "Other". Default rules (M 1–5 throughout), a partition of the R × F grid:
///   Champions R5 F4–5 · Loyal Customers R3–4 F4–5 · Potential Loyalist R4–5 F2–3 ·
///   New Customers R5 F1 · Promising R4 F1 · Need Attention R3 F3 · About To Sleep R3 F1–2 ·
///   Can't Lose Them R1–2 F5 · At Risk R1–2 F3–4 · Hibernating R2 F1–2 · Lost R1 F1–2

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

struct RfmSegmentRule {
  std::string name;
  int r_min = 1, r_max = 5, f_min = 1, f_max = 5, m_min = 1, m_max = 5;
};

/// The eleven default segments above, in rule order.
std::vector<RfmSegmentRule> default_rfm_segments();

struct RfmOptions {
  /// Reference time; default: the next UTC midnight after the dataset's last row.
  std::optional<TimestampMs> at;
  std::vector<RfmSegmentRule> segments = default_rfm_segments();

  /// Keys `at` (ISO string or epoch ms) and `segments` ([{name, r: [min, max], f: [...], m:
  /// [...]}], missing ranges = 1–5; replaces the default rules).
  static RfmOptions from_json(const Json& options);
};

inline constexpr std::uint8_t kNoSegment = 0xFF;

struct RfmResult {
  TimestampMs at = 0;
  std::vector<std::uint32_t> customer;  ///< dataset customer codes, in customer order
  std::vector<double> last_purchase;    ///< epoch ms
  std::vector<double> recency_days;
  std::vector<double> frequency;
  std::vector<double> monetary;
  std::vector<std::uint8_t> r, f, m;
  std::vector<std::uint8_t> segment;  ///< index into the rules, kNoSegment for "Other"
  std::size_t customers_without_purchase = 0;
};

RfmResult compute_rfm(const Dataset& dataset, const RfmOptions& options);

/// The 1–5 quintile score of each value: 1 + ⌊5 × #(values ranked below it) / n⌋, where "below"
/// means smaller (`higher_is_better`) or larger.
std::vector<std::uint8_t> quintile_scores(const std::vector<double>& values, bool higher_is_better);

}  // namespace stageline
