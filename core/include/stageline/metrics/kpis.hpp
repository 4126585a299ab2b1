#pragma once
/// Business KPIs and survey scores per calendar period over a Dataset, with period-over-period
/// change. Definitions (the README's "Datasets and metrics" has them with examples):
///
///   purchase      an order with net amount ≥ 0 of an identified customer (dataset.hpp)
///   active (A_p)  customers with at least one purchase in period p
///   new (N_p)     customers whose first purchase in the whole dataset is in p
///   S_p           A_{p−1}, the customers active in the previous period; E_p = A_p
///   retained      customers active in both p − 1 and p
///   revenue_p     net amount of all orders in p (purchases minus returns)
///   orders_p      purchases in p
///
///   retentionRate       (E − N) / S
///   churnRate           (S − retained) / S
///   repeatCustomerRate  active in p with ≥ 2 purchases so far (up to the end of p) / E
///   loyaltyRate         active in p with ≥ loyaltyOrders purchases so far / E
///   averageOrderValue   revenue / orders
///   purchaseFrequency   orders / E
///   arpu                revenue / E
///   clv                 aov × frequency × lifespan × margin, lifespan = lifespanPeriods if given,
///                       else 1 / churnRate (in periods)
///   cac                 spend_p / N
///   activationRate      customers whose first signup event is in p and who have an activation
///                       event within activationWindowDays after it / those signing up in p
///                       (events datasets; needs activationEvent)
///   NPS, CSAT, CES      from nps / csat / ces events with a score (estimates.hpp), guests included
///
/// A zero denominator gives null. change = (x_p − x_{p−1}) / |x_{p−1}| (null when either is null or
/// x_{p−1} is 0).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"
#include "stageline/metrics/period.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

struct KpiOptions {
  Period period = Period::kMonth;
  std::optional<TimestampMs>
      from;  ///< first period: the one containing `from` (default: the dataset's first row)
  std::optional<TimestampMs> to;  ///< last period: the one containing `to` (default: its last row)
  std::size_t loyalty_orders = 4;
  std::optional<double> lifespan_periods;
  double margin = 1;
  std::vector<std::pair<std::string, double>> spend;  ///< acquisition spend by period label
  std::string signup_event = "signup";
  std::string activation_event;  ///< "" = no activation rate
  double activation_window_days = 7;

  /// Keys period, from, to, loyaltyOrders, lifespanPeriods, margin, spend ({label: amount}),
  /// signupEvent, activationEvent, activationWindowDays; errors name the key.
  static KpiOptions from_json(const Json& options);
};

/// {period, periods: [label], start: [ms], metrics: {name: [value|null]}, change: {name: [...]},
///  cx: {nps|csat|ces|cesHigh: {n: [], value: [], low: [], high: []}}}. Throws
/// Error(limit_exceeded) beyond 36,600 periods.
Json compute_kpis(const Dataset& dataset, const KpiOptions& options);

}  // namespace stageline
