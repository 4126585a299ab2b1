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

/// Gauss's hypergeometric 2F1(a, b; c; z) for real a, b, c (c not a non-positive integer) and
/// 0 <= z < 1: its power series for z <= 0.75, else the linear transformation to 1 - z
/// (Abramowitz & Stegun 15.3.6) unless c - a - b is within 1e-3 of an integer, where that
/// transformation cancels catastrophically and the series is summed instead (up to 10^6 terms).
SignedLog hyp2f1(double a, double b, double c, double z);

}  // namespace stageline::btyd
