#pragma once
// Special functions for the buy-till-you-die likelihoods, in log space (not public API).

#include <cmath>

namespace stageline::btyd {

/// A real number as sign * exp(log_abs); sign 0 means exactly zero.
struct SignedLog {
  double log_abs = -INFINITY;
  int sign = 0;
  double value() const { return sign == 0 ? 0.0 : sign * std::exp(log_abs); }
};

/// log(exp(a) + exp(b)) without overflow; -inf + -inf is -inf.
inline double log_add_exp(double a, double b) {
  const double high = a > b ? a : b;
  if (high == -INFINITY) return -INFINITY;
  return high + std::log1p(std::exp(-std::fabs(a - b)));
}

/// Sum of the logarithms of factors in [1, 2], taken as the logarithm of their running product
/// once every 512 factors (the product stays below 2^512): one log call per 512 factors instead of
/// one per factor, at a rounding error of about 512 ulps of the product per log.
class LogOfProduct {
 public:
  void multiply(double factor) {
    product_ *= factor;
    if (++pending_ == 512) {
      sum_ += std::log(product_);
      product_ = 1;
      pending_ = 0;
    }
  }
  double log() const { return sum_ + std::log(product_); }

 private:
  double product_ = 1;
  double sum_ = 0;
  int pending_ = 0;
};

/// The digamma function psi(x) = d/dx lnGamma(x) for x > 0: the recurrence psi(x) = psi(x + 1) -
/// 1/x up to x >= 10, then the asymptotic series through x^-12 (truncation error below 1e-15).
double digamma(double x);

/// Gauss's hypergeometric 2F1(a, b; c; z) for real a, b, c (c not a non-positive integer) and
/// 0 <= z < 1: its power series for z <= 0.75, else the linear transformation to 1 - z
/// (Abramowitz & Stegun 15.3.6) unless c - a - b is within 1e-3 of an integer or above 50 in
/// magnitude, where that transformation cancels catastrophically or overflows and the series is
/// summed instead (up to 10^6 terms).
SignedLog hyp2f1(double a, double b, double c, double z);

/// hyp2f1 for fixed (a, b, c) at many z: the transformation's Gamma-function ratios (eight lgamma
/// calls) are computed once, so each z costs only its series.
class Hyp2f1 {
 public:
  Hyp2f1() = default;
  Hyp2f1(double a, double b, double c);
  SignedLog operator()(double z) const;

 private:
  double a_ = 0, b_ = 0, c_ = 1, d_ = 1;
  bool transformable_ = false;
  SignedLog first_ratio_;   ///< Gamma(c) Gamma(d) / (Gamma(c - a) Gamma(c - b)), d = c - a - b
  SignedLog second_ratio_;  ///< Gamma(c) Gamma(-d) / (Gamma(a) Gamma(b))
};

}  // namespace stageline::btyd
