// BG/NBD (Fader, Hardie & Lee 2005): lifetimes' BetaGeoFitter likelihood, P(alive) and
// conditional expectation, and a BFGS fit (analytic gradient) on log-parameters over collapsed rows.

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

BgNbdObjective::BgNbdObjective(const CompressedRfm& data, double time_scale)
    : data_(data), x_weight_(data.x_values.size()), scaled_times_(data.times.size()),
      log_alpha_plus_time_(data.times.size()), inverse_alpha_plus_time_(data.times.size()),
      log_b_plus_x_minus_1_(data.x_values.size()), inverse_b_plus_x_minus_1_(data.x_values.size()) {
  for (std::size_t j = 0; j < data.times.size(); ++j) scaled_times_[j] = data.times[j] * time_scale;
  for (const CompressedRfm::Row& row : data.rows) x_weight_[row.x] += row.weight;
}

double BgNbdObjective::operator()(const std::array<double, 4>& log_params) {
  std::array<double, 4> unused;
  return value_and_gradient(log_params, unused);
}

// Per customer, l = lnG(r+x) - lnG(r) + r ln(alpha) + lnG(a+b) + lnG(b+x) - lnG(b) - lnG(a+b+x)
// + ln(e^A3 + [x>0] e^A4), A3 = -(r+x) ln(alpha+T), A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+tx).
// With w3 = e^A3 / (e^A3 + e^A4) and w4 = 1 - w3 (0 when x = 0), psi the digamma function:
//   dl/dr     = psi(r+x) - psi(r) + ln(alpha) - w3 ln(alpha+T) - w4 ln(alpha+tx)
//   dl/dalpha = r/alpha - (r+x) (w3 / (alpha+T) + w4 / (alpha+tx))
//   dl/da     = psi(a+b) - psi(a+b+x) + w4 / a
//   dl/db     = psi(a+b) + psi(b+x) - psi(b) - psi(a+b+x) - w4 / (b+x-1)
// The terms in x alone are summed once per distinct x with its customer count; the rest per row.
// d/d(ln theta) = theta d/d(theta).
double BgNbdObjective::value_and_gradient(const std::array<double, 4>& log_params, std::array<double, 4>& gradient) {
  const double r = std::exp(log_params[0]), alpha = std::exp(log_params[1]);
  const double a = std::exp(log_params[2]), b = std::exp(log_params[3]);
  for (std::size_t j = 0; j < scaled_times_.size(); ++j) {
    log_alpha_plus_time_[j] = std::log(alpha + scaled_times_[j]);
    inverse_alpha_plus_time_[j] = 1 / (alpha + scaled_times_[j]);
  }
  const double n = data_.total_weight;
  const double lgamma_r = std::lgamma(r), psi_ab = digamma(a + b);
  double value = n * (r * std::log(alpha) + std::lgamma(a + b) - std::lgamma(b));
  double d_r = n * (std::log(alpha) - digamma(r)), d_alpha = n * r / alpha;
  double d_a = n * psi_ab, d_b = n * (psi_ab - digamma(b));
  for (std::size_t i = 0; i < data_.x_values.size(); ++i) {
    const double x = data_.x_values[i], w = x_weight_[i];
    const double psi_abx = digamma(a + b + x);
    value += w * (std::lgamma(r + x) - lgamma_r + std::lgamma(b + x) - std::lgamma(a + b + x));
    d_r += w * digamma(r + x);
    d_a -= w * psi_abx;
    d_b += w * (digamma(b + x) - psi_abx);
    const double b_plus_x_minus_1 = b + std::max(x, 1.0) - 1.0;
    log_b_plus_x_minus_1_[i] = std::log(b_plus_x_minus_1);
    inverse_b_plus_x_minus_1_[i] = 1 / b_plus_x_minus_1;
  }

  const double log_a = std::log(a);
  double tails = 0, log_ages = 0, inverse_ages = 0, dead = 0, dead_over_b = 0;
  LogOfProduct log1p_terms;
  for (const CompressedRfm::Row& row : data_.rows) {
    const double x = data_.x_values[row.x], c = row.weight, rx = r + x;
    const double log_T = log_alpha_plus_time_[row.T], inverse_T = inverse_alpha_plus_time_[row.T];
    const double a3 = -rx * log_T;
    if (x == 0) {
      tails += c * a3;
      log_ages += c * log_T;
      inverse_ages += c * rx * inverse_T;
      continue;
    }
    const double log_tx = log_alpha_plus_time_[row.tx], inverse_tx = inverse_alpha_plus_time_[row.tx];
    const double a4 = log_a - log_b_plus_x_minus_1_[row.x] - rx * log_tx;
    // log(e^a3 + e^a4) and the weights from one exp, without losing the smaller weight.
    const double e = std::exp(-std::fabs(a4 - a3)), share = 1 / (1 + e);
    const double w4 = a4 > a3 ? share : e * share, w3 = a4 > a3 ? e * share : share;
    tails += c * std::max(a3, a4);
    if (c == 1) {
      log1p_terms.multiply(1 + e);  // daily data: nearly every row is one customer
    } else {
      tails += c * std::log1p(e);
    }
    log_ages += c * (w3 * log_T + w4 * log_tx);
    inverse_ages += c * rx * (w3 * inverse_T + w4 * inverse_tx);
    dead += c * w4;
    dead_over_b += c * w4 * inverse_b_plus_x_minus_1_[row.x];
  }
  value += tails + log1p_terms.log();
  d_r -= log_ages;
  d_alpha -= inverse_ages;
  d_a += dead / a;
  d_b -= dead_over_b;
  gradient = {-r * d_r / n, -alpha * d_alpha / n, -a * d_a / n, -b * d_b / n};
  return -value / n;
}

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
  const MinimizeResult<4> found =
      minimize_smooth<4>(objective, {0.0, 0.0, 0.0, 0.0}, bfgs_options(options), nelder_mead_options(options));

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
