#pragma once
// The fits' objectives: mean negative log-likelihoods over collapsed rows as functions of the
// log-parameters, with analytic gradients (derived in docs/predictive.md) for BFGS where they are
// tractable (BG/NBD, Gamma-Gamma). Each object sizes its tables once, so an evaluation allocates
// nothing. Not public API; declared here so that tests can check them against finite differences
// and per-customer sums.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "predictive/btyd_bfgs.hpp"
#include "predictive/btyd_nelder_mead.hpp"
#include "predictive/btyd_rows.hpp"
#include "predictive/btyd_special.hpp"
#include "stageline/predictive/btyd.hpp"

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

/// One side of Pareto/NBD's log A_0 (note 009, eqs. 19-20) for a customer with x repeat
/// purchases, as a function of t: log(2F1(r+s+x, c; r+s+x+1; z) / (m+t)^(r+s+x)) with
/// m = max(alpha, beta), z = |alpha - beta| / (m + t) and c = r+x if alpha < beta else s+1
/// (the side that keeps z in [0, 1)).
class A0Side {
 public:
  A0Side() = default;
  A0Side(const ParetoNbdParams& p, double x)
      : high_(std::max(p.alpha, p.beta)),
        difference_(std::fabs(p.alpha - p.beta)),
        rsx_(p.r + p.s + x),
        hyp2f1_(rsx_, p.alpha < p.beta ? p.r + x : p.s + 1, rsx_ + 1) {}

  double operator()(double t) const {
    const double q = high_ + t;
    return hyp2f1_(difference_ / q).log_abs - rsx_ * std::log(q);
  }

 private:
  double high_ = 0, difference_ = 0, rsx_ = 0;
  Hyp2f1 hyp2f1_;
};

/// Pareto/NBD over (x, tx, T) rows in time scaled by `time_scale`; log-parameters (r, alpha, s,
/// beta). Value only (its derivatives run through 2F1 in every parameter): for Nelder-Mead.
class ParetoNbdObjective {
 public:
  ParetoNbdObjective(const CompressedRfm& data, double time_scale);

  /// Mean negative log-likelihood at exp(log_params).
  double operator()(const std::array<double, 4>& log_params);

 private:
  const CompressedRfm& data_;
  std::vector<double> scaled_times_;
  std::vector<std::uint32_t>
      pair_x_;  ///< distinct (x, time) pairs among the rows' (x, tx) and (x, T)
  std::vector<std::uint32_t> pair_time_;
  std::vector<std::uint32_t> row_pair_tx_;  ///< per row: its (x, tx) pair
  std::vector<std::uint32_t> row_pair_T_;   ///< per row: its (x, T) pair
  std::vector<A0Side> a0_sides_;            ///< per distinct x
  std::vector<double> pair_sides_;          ///< per pair: one side of log A_0
  std::vector<double> log_alpha_plus_time_;
  std::vector<double> log_beta_plus_time_;
  std::vector<double> x_terms_;  ///< lnG(r+x) - lnG(r) + r ln(alpha) + s ln(beta)
  std::vector<double> log_rsx_;  ///< ln(r+s+x)
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
