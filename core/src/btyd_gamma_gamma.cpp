// Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Hardie's note 025) with lifetimes'
// GammaGammaFitter likelihood and a Nelder-Mead fit on log-parameters over collapsed rows.

#include <array>
#include <cmath>
#include <vector>

#include "btyd_nelder_mead.hpp"
#include "btyd_rows.hpp"
#include "stageline/btyd.hpp"

namespace stageline::btyd {
namespace {

/// Mean negative log-likelihood. The (p x - 1) log m terms are linear in p, so their weighted
/// sums are taken once; an evaluation computes lgamma once per distinct x and one log per row.
class GammaGammaObjective {
 public:
  explicit GammaGammaObjective(const CompressedSpend& data) : data_(data), x_terms_(data.x_values.size()) {
    for (const CompressedSpend::Row& row : data.rows) {
      const double x = data.x_values[row.x];
      weighted_x_log_m_ += row.weight * x * std::log(row.m);
      weighted_log_m_ += row.weight * std::log(row.m);
    }
  }

  double operator()(const std::array<double, 3>& log_params) {
    const double p = std::exp(log_params[0]), q = std::exp(log_params[1]), v = std::exp(log_params[2]);
    for (std::size_t i = 0; i < data_.x_values.size(); ++i) {
      const double x = data_.x_values[i];
      x_terms_[i] = std::lgamma(p * x + q) - std::lgamma(p * x) + p * x * std::log(x);
    }
    double sum = data_.total_weight * (q * std::log(v) - std::lgamma(q)) + p * weighted_x_log_m_ - weighted_log_m_;
    for (const CompressedSpend::Row& row : data_.rows) {
      const double x = data_.x_values[row.x];
      sum += row.weight * (x_terms_[row.x] - (p * x + q) * std::log(x * row.m + v));
    }
    return -sum / data_.total_weight;
  }

 private:
  const CompressedSpend& data_;
  std::vector<double> x_terms_;
  double weighted_x_log_m_ = 0;
  double weighted_log_m_ = 0;
};

}  // namespace

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
  MinimizeOptions minimize_options;
  minimize_options.max_iterations = options.max_iterations;
  minimize_options.x_tolerance = options.parameter_tolerance;
  minimize_options.value_tolerance = options.value_tolerance;
  const MinimizeResult<3> found = minimize<3>(objective, {0.0, 0.0, 0.0}, minimize_options);

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
