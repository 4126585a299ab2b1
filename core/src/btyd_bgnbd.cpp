// BG/NBD (Fader, Hardie & Lee 2005): lifetimes' BetaGeoFitter likelihood, P(alive) and
// conditional expectation, and a Nelder-Mead fit on log-parameters over collapsed rows.

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "btyd_nelder_mead.hpp"
#include "btyd_rows.hpp"
#include "btyd_special.hpp"
#include "stageline/btyd.hpp"

namespace stageline::btyd {
namespace {

/// Mean negative log-likelihood over collapsed rows in scaled time; the per-value tables are
/// members sized once, so evaluating allocates nothing.
class BgNbdObjective {
 public:
  BgNbdObjective(const CompressedRfm& data, double time_scale)
      : data_(data), scaled_times_(data.times.size()), log_alpha_plus_time_(data.times.size()),
        x_terms_(data.x_values.size()), log_b_plus_x_minus_1_(data.x_values.size()) {
    for (std::size_t j = 0; j < data.times.size(); ++j) scaled_times_[j] = data.times[j] * time_scale;
  }

  double operator()(const std::array<double, 4>& log_params) {
    const double r = std::exp(log_params[0]), alpha = std::exp(log_params[1]);
    const double a = std::exp(log_params[2]), b = std::exp(log_params[3]);
    for (std::size_t j = 0; j < scaled_times_.size(); ++j) log_alpha_plus_time_[j] = std::log(alpha + scaled_times_[j]);
    const double lgamma_r = std::lgamma(r);
    for (std::size_t i = 0; i < data_.x_values.size(); ++i) {
      const double x = data_.x_values[i];
      x_terms_[i] = std::lgamma(r + x) - lgamma_r + std::lgamma(b + x) - std::lgamma(a + b + x);
      log_b_plus_x_minus_1_[i] = std::log(b + std::max(x, 1.0) - 1.0);
    }
    const double log_a = std::log(a);
    double sum = data_.total_weight * (r * std::log(alpha) + std::lgamma(a + b) - std::lgamma(b));
    for (const CompressedRfm::Row& row : data_.rows) {
      const double x = data_.x_values[row.x];
      const double a3 = -(r + x) * log_alpha_plus_time_[row.T];
      double tail = a3;
      if (x > 0) tail = log_add_exp(a3, log_a - log_b_plus_x_minus_1_[row.x] - (r + x) * log_alpha_plus_time_[row.tx]);
      sum += row.weight * (x_terms_[row.x] + tail);
    }
    return -sum / data_.total_weight;
  }

 private:
  const CompressedRfm& data_;
  std::vector<double> scaled_times_;
  std::vector<double> log_alpha_plus_time_;
  std::vector<double> x_terms_;
  std::vector<double> log_b_plus_x_minus_1_;
};

}  // namespace

double bgnbd_log_likelihood(const BgNbdParams& p, double x, double tx, double T) {
  const double a1 = std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha);
  const double a2 = std::lgamma(p.a + p.b) + std::lgamma(p.b + x) - std::lgamma(p.b) - std::lgamma(p.a + p.b + x);
  const double a3 = -(p.r + x) * std::log(p.alpha + T);
  if (x <= 0) return a1 + a2 + a3;
  const double a4 = std::log(p.a) - std::log(p.b + x - 1) - (p.r + x) * std::log(p.alpha + tx);
  return a1 + a2 + log_add_exp(a3, a4);
}

double bgnbd_p_alive(const BgNbdParams& p, double x, double tx, double T) {
  if (x <= 0) return 1.0;
  const double log_odds_dead = (p.r + x) * std::log((p.alpha + T) / (p.alpha + tx)) + std::log(p.a / (p.b + x - 1));
  return 1.0 / (1.0 + std::exp(log_odds_dead));
}

double bgnbd_expected_purchases(const BgNbdParams& p, double t, double x, double tx, double T) {
  if (t <= 0) return 0.0;
  const double A = p.r + x, B = p.b + x, C = p.a + p.b + x - 1;
  const double z = t / (p.alpha + T + t);
  // 2F1(A, B; C; z) (1 - z)^A with (1 - z) = (alpha + T) / (alpha + T + t).
  SignedLog h = hyp2f1(A, B, C, z);
  h.log_abs -= A * std::log1p(t / (p.alpha + T));
  const double numerator = (p.a + p.b + x - 1) / (p.a - 1) * (1.0 - h.value());
  const double denominator =
      1.0 + (x > 0 ? p.a / (p.b + x - 1) * std::exp(A * std::log((p.alpha + T) / (p.alpha + tx))) : 0.0);
  return numerator / denominator;
}

BgNbdFit fit_bgnbd(const RfmColumns& data, const FitOptions& options) {
  const CompressedRfm rows = compress_rfm(data);
  const double time_scale = 1.0 / rows.max_T;
  BgNbdObjective objective(rows, time_scale);
  MinimizeOptions minimize_options;
  minimize_options.max_iterations = options.max_iterations;
  minimize_options.x_tolerance = options.parameter_tolerance;
  minimize_options.value_tolerance = options.value_tolerance;
  const MinimizeResult<4> found = minimize<4>(objective, {0.0, 0.0, 0.0, 0.0}, minimize_options);

  BgNbdFit fit;
  fit.params = {std::exp(found.x[0]), std::exp(found.x[1]) / time_scale, std::exp(found.x[2]), std::exp(found.x[3])};
  double log_likelihood = 0;
  for (const CompressedRfm::Row& row : rows.rows) {
    log_likelihood += row.weight * bgnbd_log_likelihood(fit.params, rows.x_values[row.x], rows.times[row.tx], rows.times[row.T]);
  }
  fit.info = {log_likelihood, found.iterations, found.converged, data.size};
  return fit;
}

}  // namespace stageline::btyd
