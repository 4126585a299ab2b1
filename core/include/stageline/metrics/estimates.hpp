#pragma once
/// Survey scores as estimates with 95% confidence intervals: NPS, proportions (CSAT, CES 5-7)
/// and means (CES). Empty samples give no value (nullopt), never 0.

#include <cstddef>
#include <optional>

namespace stageline {

/// The normal quantile for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

struct Estimate {
  std::size_t n = 0;
  std::optional<double> value;
  std::optional<double> low;  ///< 95% interval
  std::optional<double> high;
};

/// NPS = 100 × (promoters − detractors) / n, n = promoters + passives + detractors. Interval:
/// Wald (normal) on the mean of the per-response score +1 / 0 / −1, whose variance is
/// (P + D)/n − ((P − D)/n)²: 100 × (mean ± z·sqrt(variance / n)).
Estimate nps_estimate(std::size_t promoters, std::size_t passives, std::size_t detractors) noexcept;

/// 100 × successes / n with the Wilson score interval (in percent).
Estimate percent_estimate(std::size_t successes, std::size_t n) noexcept;

/// The mean of n values given their sum and sum of squares, with the normal interval
/// mean ± z·s/√n (s the sample standard deviation, n − 1 in the denominator; no interval for n <
/// 2).
Estimate mean_estimate(double sum, double sum_of_squares, std::size_t n) noexcept;

}  // namespace stageline
