// Pareto/NBD (Schmittlein, Morrison & Colombo 1987) as lifetimes' ParetoNBDFitter evaluates it:
// the likelihood in the 2F1 form of Hardie's note 009 (eqs. 18-20), P(alive) (eq. 36-37) and the
// conditional expectation (eq. 41), with a Nelder-Mead fit on log-parameters over collapsed rows
// that evaluates each 2F1 once per distinct (frequency, time) pair.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "predictive/btyd_nelder_mead.hpp"
#include "predictive/btyd_objectives.hpp"
#include "predictive/btyd_rows.hpp"
#include "predictive/btyd_special.hpp"
#include "stageline/predictive/btyd.hpp"

namespace stageline::btyd {
namespace {

/// log A_0 = log(side(tx) - side(T)); -inf when tx == T (the dead-between-tx-and-T term is empty).
double log_a0_from_sides(double at_tx, double at_T) {
  if (!(at_tx > at_T)) return -INFINITY;
  return at_tx + std::log(-std::expm1(at_T - at_tx));
}

double log_a0(const ParetoNbdParams& p, double x, double tx, double T) {
  const A0Side side(p, x);
  return log_a0_from_sides(side(tx), side(T));
}

std::uint64_t pair_key(std::uint32_t x, std::uint32_t time) {
  return (std::uint64_t{x} << 32) | time;
}

}  // namespace

ParetoNbdObjective::ParetoNbdObjective(const CompressedRfm& data, double time_scale)
    : data_(data),
      scaled_times_(data.times.size()),
      row_pair_tx_(data.rows.size()),
      row_pair_T_(data.rows.size()),
      a0_sides_(data.x_values.size()),
      log_alpha_plus_time_(data.times.size()),
      log_beta_plus_time_(data.times.size()),
      x_terms_(data.x_values.size()),
      log_rsx_(data.x_values.size()) {
  for (std::size_t j = 0; j < data.times.size(); ++j) scaled_times_[j] = data.times[j] * time_scale;
  std::vector<std::uint64_t> keys;
  keys.reserve(2 * data.rows.size());
  for (const CompressedRfm::Row& row : data.rows) {
    keys.push_back(pair_key(row.x, row.tx));
    keys.push_back(pair_key(row.x, row.T));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  auto index_of = [&](std::uint64_t key) {
    return static_cast<std::uint32_t>(std::lower_bound(keys.begin(), keys.end(), key) -
                                      keys.begin());
  };
  for (std::size_t k = 0; k < data.rows.size(); ++k) {
    row_pair_tx_[k] = index_of(pair_key(data.rows[k].x, data.rows[k].tx));
    row_pair_T_[k] = index_of(pair_key(data.rows[k].x, data.rows[k].T));
  }
  pair_x_.resize(keys.size());
  pair_time_.resize(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    pair_x_[i] = static_cast<std::uint32_t>(keys[i] >> 32);
    pair_time_[i] = static_cast<std::uint32_t>(keys[i] & 0xffffffffu);
  }
  pair_sides_.resize(keys.size());
}

// pareto_nbd_log_likelihood() summed over the rows, with every part that depends on the customer
// only through x, t or (x, t) computed once per distinct value: the 2F1 sides of A_0 (two per
// customer otherwise) once per distinct (x, tx) or (x, T).
double ParetoNbdObjective::operator()(const std::array<double, 4>& log_params) {
  const ParetoNbdParams p{std::exp(log_params[0]), std::exp(log_params[1]), std::exp(log_params[2]),
                          std::exp(log_params[3])};
  for (std::size_t i = 0; i < data_.x_values.size(); ++i)
    a0_sides_[i] = A0Side(p, data_.x_values[i]);
  for (std::size_t i = 0; i < pair_sides_.size(); ++i)
    pair_sides_[i] = a0_sides_[pair_x_[i]](scaled_times_[pair_time_[i]]);
  for (std::size_t j = 0; j < scaled_times_.size(); ++j) {
    log_alpha_plus_time_[j] = std::log(p.alpha + scaled_times_[j]);
    log_beta_plus_time_[j] = std::log(p.beta + scaled_times_[j]);
  }
  const double lead = -std::lgamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  for (std::size_t i = 0; i < data_.x_values.size(); ++i) {
    x_terms_[i] = std::lgamma(p.r + data_.x_values[i]) + lead;
    log_rsx_[i] = std::log(p.r + p.s + data_.x_values[i]);
  }
  const double log_s = std::log(p.s);
  double sum = 0;
  for (std::size_t k = 0; k < data_.rows.size(); ++k) {
    const CompressedRfm::Row& row = data_.rows[k];
    const double x = data_.x_values[row.x];
    const double alive =
        -(p.r + x) * log_alpha_plus_time_[row.T] - p.s * log_beta_plus_time_[row.T];
    const double died =
        log_s + log_a0_from_sides(pair_sides_[row_pair_tx_[k]], pair_sides_[row_pair_T_[k]]) -
        log_rsx_[row.x];
    sum += row.weight * (x_terms_[row.x] + log_add_exp(alive, died));
  }
  return -sum / data_.total_weight;
}

double pareto_nbd_log_likelihood(const ParetoNbdParams& p, double x, double tx, double T) {
  const double a1 =
      std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  const double alive = -(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  const double died = std::log(p.s) + log_a0(p, x, tx, T) - std::log(p.r + p.s + x);
  return a1 + log_add_exp(alive, died);
}

double pareto_nbd_p_alive(const ParetoNbdParams& p, double x, double tx, double T) {
  const double log_odds_dead = std::log(p.s) - std::log(p.r + p.s + x) +
                               (p.r + x) * std::log(p.alpha + T) + p.s * std::log(p.beta + T) +
                               log_a0(p, x, tx, T);
  return 1.0 / (1.0 + std::exp(log_odds_dead));
}

double pareto_nbd_expected_purchases(const ParetoNbdParams& p, double t, double x, double tx,
                                     double T) {
  if (t <= 0) return 0.0;
  const double log_alive_part = std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha) +
                                p.s * std::log(p.beta) - (p.r + x) * std::log(p.alpha + T) -
                                p.s * std::log(p.beta + T);
  const double log_rate = std::log(p.r + x) + std::log(p.beta + T) - std::log(p.alpha + T);
  // (1 - ((beta + T) / (beta + T + t))^(s - 1)) / (s - 1), whose limit at s = 1 is log((beta + T +
  // t) / (beta + T)).
  const double log_ratio = -std::log1p(t / (p.beta + T));
  const double s1 = p.s - 1.0;
  const double lifetime_factor =
      std::fabs(s1) < 1e-12 ? -log_ratio : -std::expm1(s1 * log_ratio) / s1;
  return std::exp(log_alive_part + log_rate - pareto_nbd_log_likelihood(p, x, tx, T)) *
         lifetime_factor;
}

ParetoNbdFit fit_pareto_nbd(const RfmColumns& data, const FitOptions& options) {
  const CompressedRfm rows = compress_rfm(data);
  const double time_scale = 1.0 / rows.max_T;
  ParetoNbdObjective objective(rows, time_scale);
  const MinimizeResult<4> found =
      minimize<4>(objective, {0.0, 0.0, 0.0, 0.0}, nelder_mead_options(options));

  ParetoNbdFit fit;
  fit.params = {std::exp(found.x[0]), std::exp(found.x[1]) / time_scale, std::exp(found.x[2]),
                std::exp(found.x[3]) / time_scale};
  double log_likelihood = 0;
  for (const CompressedRfm::Row& row : rows.rows) {
    log_likelihood += row.weight * pareto_nbd_log_likelihood(fit.params, rows.x_values[row.x],
                                                             rows.times[row.tx], rows.times[row.T]);
  }
  fit.info = {log_likelihood, found.iterations, found.converged, data.size};
  return fit;
}

}  // namespace stageline::btyd
