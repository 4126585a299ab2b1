#pragma once
// The fits' objectives: mean negative log-likelihoods over collapsed rows as functions of the
// log-parameters, with their analytic gradients (derived in docs/predictive.md) for BFGS. Each
// object sizes its tables once, so an evaluation allocates nothing. Not public API; declared here
// so that tests can check the gradients against finite differences.

#include <algorithm>
#include <array>
#include <vector>

#include "btyd_bfgs.hpp"
#include "btyd_nelder_mead.hpp"
#include "btyd_rows.hpp"
#include "stageline/btyd.hpp"

namespace stageline::btyd {

/// The fits' optimizer settings from the public options.
inline BfgsOptions bfgs_options(const FitOptions& options) {
  BfgsOptions out;
  out.max_iterations = std::min(out.max_iterations, options.max_iterations);
  out.gradient_tolerance = options.gradient_tolerance;
  return out;
}
inline MinimizeOptions nelder_mead_options(const FitOptions& options) {
  MinimizeOptions out;
  out.max_iterations = options.max_iterations;
  out.x_tolerance = options.parameter_tolerance;
  out.value_tolerance = options.value_tolerance;
  return out;
}

/// BG/NBD over (x, tx, T) rows in time scaled by `time_scale`; log-parameters (r, alpha, a, b).
class BgNbdObjective {
 public:
  BgNbdObjective(const CompressedRfm& data, double time_scale);

  /// Mean negative log-likelihood at exp(log_params), and its gradient in log_params.
  double value_and_gradient(const std::array<double, 4>& log_params,
                            std::array<double, 4>& gradient);
  double operator()(const std::array<double, 4>& log_params);

 private:
  const CompressedRfm& data_;
  std::vector<double> x_weight_;  ///< customers per distinct x
  std::vector<double> scaled_times_;
  std::vector<double> log_alpha_plus_time_;
  std::vector<double> inverse_alpha_plus_time_;
  std::vector<double> log_b_plus_x_minus_1_;
  std::vector<double> inverse_b_plus_x_minus_1_;
};

/// Gamma-Gamma over (x, m) rows; log-parameters (p, q, v).
class GammaGammaObjective {
 public:
  explicit GammaGammaObjective(const CompressedSpend& data);

  double value_and_gradient(const std::array<double, 3>& log_params,
                            std::array<double, 3>& gradient);
  double operator()(const std::array<double, 3>& log_params);

 private:
  const CompressedSpend& data_;
  std::vector<double> x_weight_;     ///< customers per distinct x
  std::vector<double> x_m_;          ///< x * m per row
  std::vector<double> log_sum_;      ///< per distinct x: sum over its customers of ln(x m + v)
  std::vector<double> inverse_sum_;  ///< per distinct x: sum over its customers of 1 / (x m + v)
  double weighted_x_log_m_ = 0;      ///< sum over customers of x ln m
  double weighted_log_m_ = 0;        ///< sum over customers of ln m
};

}  // namespace stageline::btyd
