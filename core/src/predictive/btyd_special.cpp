// Special functions for the buy-till-you-die models: digamma for the likelihood gradients, and
// 2F1 as lifetimes evaluates it through scipy.special.hyp2f1, for the arguments the BG/NBD and
// Pareto/NBD formulas produce (real parameters, 0 <= z < 1), returned in log space so that large
// frequencies do not overflow.

#include "predictive/btyd_special.hpp"

#include <cmath>

namespace stageline::btyd {
namespace {

constexpr int kMaxSeriesTerms = 1'000'000;
constexpr double kRescaleAbove = 1e250;

/// The power series sum_n (a)_n (b)_n / ((c)_n n!) z^n, rescaled as it grows.
SignedLog series(double a, double b, double c, double z) {
  double sum = 1.0;
  double term = 1.0;
  double log_scale = 0.0;
  for (int n = 0; n < kMaxSeriesTerms; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
    sum += term;
    if (std::fabs(term) <= 1e-17 * std::fabs(sum) && n > 2) break;
    if (term == 0.0) break;
    if (std::fabs(sum) > kRescaleAbove) {
      sum /= kRescaleAbove;
      term /= kRescaleAbove;
      log_scale += std::log(kRescaleAbove);
    }
  }
  if (sum == 0.0) return {};
  return {std::log(std::fabs(sum)) + log_scale, sum > 0 ? 1 : -1};
}

bool is_non_positive_integer(double x) { return x <= 0 && x == std::floor(x); }

/// log|Gamma(x)| and its sign; sign 0 when x is a pole (so 1/Gamma(x) is 0).
SignedLog log_gamma(double x) {
  if (is_non_positive_integer(x)) return {INFINITY, 0};
  const double log_abs = std::lgamma(x);
  int sign = 1;
  if (x < 0 && static_cast<long long>(std::floor(x)) % 2 != 0) sign = -1;
  return {log_abs, sign};
}

/// Gamma(num1) Gamma(num2) / (Gamma(den1) Gamma(den2)) in log space; zero if a denominator is a
/// pole.
SignedLog gamma_ratio(double num1, double num2, double den1, double den2) {
  const SignedLog g1 = log_gamma(num1), g2 = log_gamma(num2), g3 = log_gamma(den1),
                  g4 = log_gamma(den2);
  if (g3.sign == 0 || g4.sign == 0) return {};
  return {g1.log_abs + g2.log_abs - g3.log_abs - g4.log_abs, g1.sign * g2.sign * g3.sign * g4.sign};
}

SignedLog times(SignedLog x, SignedLog y) {
  if (x.sign == 0 || y.sign == 0) return {};
  return {x.log_abs + y.log_abs, x.sign * y.sign};
}

/// The 1 - z transformation cancels catastrophically when c - a - b is near an integer, and breaks
/// down when |c - a - b| is large (its series then have huge parameters and its Gamma ratios
/// overflow: BG/NBD fits with a and b near 10^6 reach that). The power series, whose terms are all
/// positive for the positive parameters BG/NBD and Pareto/NBD produce, is summed instead: slower
/// near z = 1, never inaccurate.
bool transformable(double d) { return std::fabs(d - std::round(d)) >= 1e-3 && std::fabs(d) <= 50; }

SignedLog add(SignedLog x, SignedLog y) {
  if (x.sign == 0) return y;
  if (y.sign == 0) return x;
  const double high = x.log_abs > y.log_abs ? x.log_abs : y.log_abs;
  const double sum = x.sign * std::exp(x.log_abs - high) + y.sign * std::exp(y.log_abs - high);
  if (sum == 0.0) return {};
  return {high + std::log(std::fabs(sum)), sum > 0 ? 1 : -1};
}

}  // namespace

double digamma(double x) {
  double shifted = 0;
  while (x < 10) {
    shifted -= 1 / x;
    x += 1;
  }
  // ln x - 1/(2x) - sum_k B_2k / (2k x^2k), k = 1..6.
  const double f = 1 / (x * x);
  const double series =
      f *
      (1.0 / 12 -
       f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760))))));
  return shifted + std::log(x) - 0.5 / x - series;
}

Hyp2f1::Hyp2f1(double a, double b, double c)
    : a_(a), b_(b), c_(c), d_(c - a - b), transformable_(transformable(d_)) {
  if (transformable_) {
    first_ratio_ = gamma_ratio(c, d_, c - a, c - b);
    second_ratio_ = gamma_ratio(c, -d_, a, b);
  }
}

SignedLog Hyp2f1::operator()(double z) const {
  if (z == 0.0) return {0.0, 1};
  if (z <= 0.75 || !transformable_) return series(a_, b_, c_, z);
  const double w = 1.0 - z;
  const SignedLog first = times(first_ratio_, series(a_, b_, 1.0 - d_, w));
  SignedLog second = times(second_ratio_, series(c_ - a_, c_ - b_, 1.0 + d_, w));
  second.log_abs += d_ * std::log(w);
  return add(first, second);
}

SignedLog hyp2f1(double a, double b, double c, double z) {
  if (z <= 0.75 || !transformable(c - a - b))
    return z == 0.0 ? SignedLog{0.0, 1} : series(a, b, c, z);
  return Hyp2f1(a, b, c)(z);
}

}  // namespace stageline::btyd
