#include "stageline/metrics/estimates.hpp"

#include <algorithm>
#include <cmath>

namespace stageline {

Estimate nps_estimate(std::size_t promoters, std::size_t passives,
                      std::size_t detractors) noexcept {
  Estimate e;
  e.n = promoters + passives + detractors;
  if (e.n == 0) return e;
  const double n = static_cast<double>(e.n);
  const double mean = (static_cast<double>(promoters) - static_cast<double>(detractors)) / n;
  const double variance = std::max(
      0.0, (static_cast<double>(promoters) + static_cast<double>(detractors)) / n - mean * mean);
  const double half = kZ95 * std::sqrt(variance / n);
  e.value = 100 * mean;
  e.low = 100 * (mean - half);
  e.high = 100 * (mean + half);
  return e;
}

Estimate percent_estimate(std::size_t successes, std::size_t n) noexcept {
  Estimate e;
  e.n = n;
  if (n == 0) return e;
  const double count = static_cast<double>(n);
  const double p = static_cast<double>(successes) / count;
  const double z2 = kZ95 * kZ95;
  const double denominator = 1 + z2 / count;
  const double center = (p + z2 / (2 * count)) / denominator;
  const double half =
      kZ95 / denominator * std::sqrt(p * (1 - p) / count + z2 / (4 * count * count));
  e.value = 100 * p;
  e.low = 100 * (center - half);
  e.high = 100 * (center + half);
  return e;
}

Estimate mean_estimate(double sum, double sum_of_squares, std::size_t n) noexcept {
  Estimate e;
  e.n = n;
  if (n == 0) return e;
  const double count = static_cast<double>(n);
  const double mean = sum / count;
  e.value = mean;
  if (n < 2) return e;
  const double variance = std::max(0.0, (sum_of_squares - count * mean * mean) / (count - 1));
  const double half = kZ95 * std::sqrt(variance / count);
  e.low = mean - half;
  e.high = mean + half;
  return e;
}

}  // namespace stageline
