// Pareto/NBD (Schmittlein, Morrison & Colombo 1987) as lifetimes' ParetoNBDFitter evaluates it:
// the likelihood in the 2F1 form of Hardie's note 009 (eqs. 18-20), P(alive) (eq. 36-37) and the
// conditional expectation (eq. 41), with a Nelder-Mead fit on log-parameters over collapsed rows.

#include <array>
#include <cmath>
#include <vector>

#include "btyd_nelder_mead.hpp"
#include "btyd_objectives.hpp"
#include "btyd_rows.hpp"
#include "btyd_special.hpp"
#include "stageline/btyd.hpp"

namespace stageline::btyd {
namespace {

/// log A_0 (note 009, eqs. 19-20): the 2F1 is taken on the side of min(alpha, beta) that keeps
/// its argument |alpha - beta| / (max(alpha, beta) + t) in [0, 1).
double log_a0(const ParetoNbdParams& p, double x, double tx, double T) {
  const bool alpha_smaller = p.alpha < p.beta;
  const double high = alpha_smaller ? p.beta : p.alpha;
  const double low = alpha_smaller ? p.alpha : p.beta;
  const double second = alpha_smaller ? p.r + x : p.s + 1;
  const double rsx = p.r + p.s + x;
  const double q1 = high + tx, q2 = high + T;
  const double u = hyp2f1(rsx, second, rsx + 1, (high - low) / q1).log_abs - rsx * std::log(q1);
  const double v = hyp2f1(rsx, second, rsx + 1, (high - low) / q2).log_abs - rsx * std::log(q2);
  if (!(u > v)) return -INFINITY;  // tx == T: the dead-between-tx-and-T term is empty
  return u + std::log(-std::expm1(v - u));
}

/// Mean negative log-likelihood over collapsed rows in scaled time.
class ParetoNbdObjective {
 public:
  ParetoNbdObjective(const CompressedRfm& data, double time_scale) : data_(data), scaled_times_(data.times.size()) {
    for (std::size_t j = 0; j < data.times.size(); ++j) scaled_times_[j] = data.times[j] * time_scale;
  }

  double operator()(const std::array<double, 4>& log_params) const {
    const ParetoNbdParams p{std::exp(log_params[0]), std::exp(log_params[1]), std::exp(log_params[2]),
                            std::exp(log_params[3])};
    double sum = 0;
    for (const CompressedRfm::Row& row : data_.rows) {
      sum += row.weight *
             pareto_nbd_log_likelihood(p, data_.x_values[row.x], scaled_times_[row.tx], scaled_times_[row.T]);
    }
    return -sum / data_.total_weight;
  }

 private:
  const CompressedRfm& data_;
  std::vector<double> scaled_times_;
};

}  // namespace

double pareto_nbd_log_likelihood(const ParetoNbdParams& p, double x, double tx, double T) {
  const double a1 = std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  const double alive = -(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  const double died = std::log(p.s) + log_a0(p, x, tx, T) - std::log(p.r + p.s + x);
  return a1 + log_add_exp(alive, died);
}

double pareto_nbd_p_alive(const ParetoNbdParams& p, double x, double tx, double T) {
  const double log_odds_dead = std::log(p.s) - std::log(p.r + p.s + x) + (p.r + x) * std::log(p.alpha + T) +
                               p.s * std::log(p.beta + T) + log_a0(p, x, tx, T);
  return 1.0 / (1.0 + std::exp(log_odds_dead));
}

double pareto_nbd_expected_purchases(const ParetoNbdParams& p, double t, double x, double tx, double T) {
  if (t <= 0) return 0.0;
  const double log_alive_part = std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha) +
                                p.s * std::log(p.beta) - (p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  const double log_rate = std::log(p.r + x) + std::log(p.beta + T) - std::log(p.alpha + T);
  // (1 - ((beta + T) / (beta + T + t))^(s - 1)) / (s - 1), whose limit at s = 1 is log((beta + T + t) / (beta + T)).
  const double log_ratio = -std::log1p(t / (p.beta + T));
  const double s1 = p.s - 1.0;
  const double lifetime_factor = std::fabs(s1) < 1e-12 ? -log_ratio : -std::expm1(s1 * log_ratio) / s1;
  return std::exp(log_alive_part + log_rate - pareto_nbd_log_likelihood(p, x, tx, T)) * lifetime_factor;
}

ParetoNbdFit fit_pareto_nbd(const RfmColumns& data, const FitOptions& options) {
  const CompressedRfm rows = compress_rfm(data);
  const double time_scale = 1.0 / rows.max_T;
  const ParetoNbdObjective objective(rows, time_scale);
  const MinimizeResult<4> found = minimize<4>(objective, {0.0, 0.0, 0.0, 0.0}, nelder_mead_options(options));

  ParetoNbdFit fit;
  fit.params = {std::exp(found.x[0]), std::exp(found.x[1]) / time_scale, std::exp(found.x[2]),
                std::exp(found.x[3]) / time_scale};
  double log_likelihood = 0;
  for (const CompressedRfm::Row& row : rows.rows) {
    log_likelihood +=
        row.weight * pareto_nbd_log_likelihood(fit.params, rows.x_values[row.x], rows.times[row.tx], rows.times[row.T]);
  }
  fit.info = {log_likelihood, found.iterations, found.converged, data.size};
  return fit;
}

}  // namespace stageline::btyd
