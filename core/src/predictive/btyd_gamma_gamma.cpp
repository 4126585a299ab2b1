// Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Hardie's note 025) with lifetimes'
// GammaGammaFitter likelihood and a BFGS fit (analytic gradient) on log-parameters over collapsed rows.

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "predictive/btyd_bfgs.hpp"
#include "predictive/btyd_objectives.hpp"
#include "predictive/btyd_rows.hpp"
#include "predictive/btyd_special.hpp"
#include "stageline/predictive/btyd.hpp"

namespace stageline::btyd {

GammaGammaObjective::GammaGammaObjective(const CompressedSpend& data)
    : data_(data), x_weight_(data.x_values.size()), x_m_(data.rows.size()), log_sum_(data.x_values.size()),
      inverse_sum_(data.x_values.size()) {
  for (std::size_t k = 0; k < data.rows.size(); ++k) {
    const CompressedSpend::Row& row = data.rows[k];
    const double x = data.x_values[row.x];
    x_weight_[row.x] += row.weight;
    x_m_[k] = x * row.m;
    weighted_x_log_m_ += row.weight * x * std::log(row.m);
    weighted_log_m_ += row.weight * std::log(row.m);
  }
}

double GammaGammaObjective::operator()(const std::array<double, 3>& log_params) {
  std::array<double, 3> unused;
  return value_and_gradient(log_params, unused);
}

// Per customer, l = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(xm+v),
//   dl/dp = x (psi(px+q) - psi(px) + ln m + ln x - ln(xm+v))
//   dl/dq = psi(px+q) - psi(q) + ln v - ln(xm+v)
//   dl/dv = q/v - (px+q) / (xm+v)
// The ln m terms are linear in p, so their sums are taken once; the row-dependent ln(xm+v) and
// 1/(xm+v) are summed per distinct x, and everything else is per distinct x with its count.
double GammaGammaObjective::value_and_gradient(const std::array<double, 3>& log_params,
                                               std::array<double, 3>& gradient) {
  const double p = std::exp(log_params[0]), q = std::exp(log_params[1]), v = std::exp(log_params[2]);
  std::fill(log_sum_.begin(), log_sum_.end(), 0.0);
  std::fill(inverse_sum_.begin(), inverse_sum_.end(), 0.0);
  for (std::size_t k = 0; k < data_.rows.size(); ++k) {
    const CompressedSpend::Row& row = data_.rows[k];
    const double spend_plus_v = x_m_[k] + v;
    log_sum_[row.x] += row.weight * std::log(spend_plus_v);
    inverse_sum_[row.x] += row.weight / spend_plus_v;
  }
  const double n = data_.total_weight, log_v = std::log(v);
  double value = n * (q * log_v - std::lgamma(q)) + p * weighted_x_log_m_ - weighted_log_m_;
  double d_p = weighted_x_log_m_, d_q = n * (log_v - digamma(q)), d_v = n * q / v;
  for (std::size_t i = 0; i < data_.x_values.size(); ++i) {
    const double x = data_.x_values[i], w = x_weight_[i], px = p * x, log_x = std::log(x);
    const double psi_pxq = digamma(px + q);
    value += w * (std::lgamma(px + q) - std::lgamma(px) + px * log_x) - (px + q) * log_sum_[i];
    d_p += x * (w * (psi_pxq - digamma(px) + log_x) - log_sum_[i]);
    d_q += w * psi_pxq - log_sum_[i];
    d_v -= (px + q) * inverse_sum_[i];
  }
  gradient = {-p * d_p / n, -q * d_q / n, -v * d_v / n};
  return -value / n;
}

double gamma_gamma_log_likelihood(const GammaGammaParams& g, double x, double m) {
  const double px = g.p * x;
  return std::lgamma(px + g.q) - std::lgamma(px) - std::lgamma(g.q) + g.q * std::log(g.v) + (px - 1) * std::log(m) +
         px * std::log(x) - (px + g.q) * std::log(x * m + g.v);
}

double gamma_gamma_expected_spend(const GammaGammaParams& g, double x, double m) {
  // lifetimes' weighted form: (1 - w) * population mean + w * m, w = p x / (p x + q - 1).
  const double individual_weight = g.p * x / (g.p * x + g.q - 1);
  const double population_mean = g.v * g.p / (g.q - 1);
  return (1 - individual_weight) * population_mean + individual_weight * m;
}

GammaGammaFit fit_gamma_gamma(const SpendColumns& data, const FitOptions& options) {
  const CompressedSpend rows = compress_spend(data);
  GammaGammaObjective objective(rows);
  const MinimizeResult<3> found =
      minimize_smooth<3>(objective, {0.0, 0.0, 0.0}, bfgs_options(options), nelder_mead_options(options));

  GammaGammaFit fit;
  fit.params = {std::exp(found.x[0]), std::exp(found.x[1]), std::exp(found.x[2])};
  double log_likelihood = 0;
  for (const CompressedSpend::Row& row : rows.rows) {
    log_likelihood += row.weight * gamma_gamma_log_likelihood(fit.params, rows.x_values[row.x], row.m);
  }
  fit.info = {log_likelihood, found.iterations, found.converged, static_cast<std::size_t>(rows.total_weight)};
  return fit;
}

}  // namespace stageline::btyd
