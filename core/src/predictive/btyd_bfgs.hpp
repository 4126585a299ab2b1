#pragma once
// BFGS quasi-Newton minimisation with a strong-Wolfe line search (Nocedal & Wright, Numerical
// Optimization, 2nd ed., algorithms 6.1, 3.5 and 3.6) over a fixed number of unknowns, for the
// likelihoods whose analytic gradient is known. std::array storage: an iteration allocates
// nothing. minimize_smooth() falls back to Nelder-Mead when BFGS does not converge. Not public API.
//
// The objective is a callable `double value_and_gradient(const std::array<double, N>& x,
// std::array<double, N>& gradient)`; for the fallback also `double operator()(x)`.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "predictive/btyd_nelder_mead.hpp"

namespace stageline::btyd {

struct BfgsOptions {
  int max_iterations = 200;
  double gradient_tolerance = 1e-9;  ///< converged when max |df/dx_i| is at most this
  double max_step = 10;              ///< largest change of any x_i in one line search
};

namespace detail {

template <std::size_t N>
using Vector = std::array<double, N>;

template <std::size_t N>
double dot(const Vector<N>& u, const Vector<N>& v) {
  double sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += u[i] * v[i];
  return sum;
}

template <std::size_t N>
double max_abs(const Vector<N>& v) {
  double high = 0;
  for (double value : v) high = std::max(high, std::fabs(value));
  return high;
}

template <std::size_t N>
bool all_finite(const Vector<N>& v) {
  for (double value : v) {
    if (!std::isfinite(value)) return false;
  }
  return true;
}

/// A point on the search line x + step * direction: the objective, its gradient and its slope
/// along the direction. A non-finite objective or gradient makes the point unusable.
template <std::size_t N>
struct LinePoint {
  double step = 0;
  double value = 0;
  double slope = 0;
  Vector<N> x{};
  Vector<N> gradient{};
  bool finite = true;
};

/// The minimiser of the cubic through (lo, hi) with their values and slopes, kept at least 10% of
/// the interval away from either end; bisection when the cubic has no usable minimiser or `hi`
/// is unusable (Nocedal & Wright, eq. 3.59).
template <std::size_t N>
double interpolate(const LinePoint<N>& lo, const LinePoint<N>& hi) {
  const double width = hi.step - lo.step;
  const double bisect = lo.step + 0.5 * width;
  if (!hi.finite) return bisect;
  const double d1 = lo.slope + hi.slope - 3 * (lo.value - hi.value) / (lo.step - hi.step);
  const double radicand = d1 * d1 - lo.slope * hi.slope;
  if (!(radicand >= 0)) return bisect;
  const double d2 = std::copysign(std::sqrt(radicand), width);
  const double step = hi.step - width * (hi.slope + d2 - d1) / (hi.slope - lo.slope + 2 * d2);
  const double low = std::min(lo.step, hi.step) + 0.1 * std::fabs(width);
  const double high = std::max(lo.step, hi.step) - 0.1 * std::fabs(width);
  return std::isfinite(step) && step >= low && step <= high ? step : bisect;
}

/// Strong-Wolfe line search from `start` along `direction`. Sufficient decrease also accepts
/// Hager and Zhang's approximate Wolfe condition (value within rounding of the start's and slope
/// at most (2 c1 - 1) times the start's), so the search still makes progress when the values of
/// nearby points differ only by rounding. Returns false when no acceptable point was found;
/// `accepted` then holds the best point with a lower value, if any (step 0 otherwise).
template <std::size_t N, typename Objective>
bool line_search(Objective& objective, const LinePoint<N>& from, const Vector<N>& direction,
                 double first_step, double max_step, LinePoint<N>& accepted, int& evaluations) {
  LinePoint<N> start = from;
  start.step = 0;
  constexpr double kSufficientDecrease = 1e-4, kCurvature = 0.9;
  constexpr int kMaxBracketing = 30, kMaxZoom = 40;
  const double rounding = 1e-12 * (1 + std::fabs(start.value));

  auto evaluate = [&](double step) {
    LinePoint<N> point;
    point.step = step;
    for (std::size_t i = 0; i < N; ++i) point.x[i] = start.x[i] + step * direction[i];
    point.value = objective.value_and_gradient(point.x, point.gradient);
    point.slope = dot(point.gradient, direction);
    point.finite = std::isfinite(point.value) && all_finite(point.gradient);
    ++evaluations;
    return point;
  };
  auto decreased_enough = [&](const LinePoint<N>& p) {
    if (!p.finite) return false;
    if (p.value <= start.value + kSufficientDecrease * p.step * start.slope) return true;
    return p.value <= start.value + rounding &&
           p.slope <= (2 * kSufficientDecrease - 1) * start.slope;
  };
  auto curved_enough = [&](const LinePoint<N>& p) {
    return std::fabs(p.slope) <= -kCurvature * start.slope;
  };
  accepted = start;

  // Zoom into [lo, hi], where lo decreased enough and has the lowest value seen (algorithm 3.6).
  auto zoom = [&](LinePoint<N> lo, LinePoint<N> hi) {
    for (int j = 0;
         j < kMaxZoom && std::fabs(hi.step - lo.step) > 1e-16 * std::fabs(lo.step) + 1e-300; ++j) {
      const LinePoint<N> trial = evaluate(interpolate(lo, hi));
      if (!decreased_enough(trial) || trial.value >= lo.value + rounding) {
        hi = trial;
        continue;
      }
      if (curved_enough(trial)) {
        accepted = trial;
        return true;
      }
      if (trial.slope * (hi.step - lo.step) >= 0) hi = lo;
      lo = trial;
    }
    if (lo.step > 0) accepted = lo;
    return false;
  };

  LinePoint<N> previous = start;
  double step = std::min(first_step, max_step);
  for (int i = 0; i < kMaxBracketing; ++i) {
    const LinePoint<N> trial = evaluate(step);
    if (!decreased_enough(trial) || (i > 0 && trial.value >= previous.value + rounding))
      return zoom(previous, trial);
    if (curved_enough(trial)) {
      accepted = trial;
      return true;
    }
    if (trial.slope >= 0) return zoom(trial, previous);
    previous = trial;
    if (step >= max_step) break;
    step = std::min(4 * step, max_step);
  }
  accepted = previous;
  return previous.step > 0;
}

}  // namespace detail

/// BFGS from `start` with the inverse Hessian approximation starting at the identity, scaled by
/// y's/y'y after the first step (Nocedal & Wright, eq. 6.20). Converged when max |gradient| is at
/// most options.gradient_tolerance; not converged when the budget is spent or the line search
/// fails twice in a row (once from the identity). The result holds the best point reached.
template <std::size_t N, typename Objective>
MinimizeResult<N> bfgs(Objective& objective, const std::array<double, N>& start,
                       const BfgsOptions& options) {
  using detail::dot;
  using detail::max_abs;
  detail::LinePoint<N> current;
  current.x = start;
  current.value = objective.value_and_gradient(current.x, current.gradient);
  current.finite = std::isfinite(current.value) && detail::all_finite(current.gradient);

  MinimizeResult<N> result;
  result.x = start;
  result.value = current.value;
  if (!current.finite) return result;

  std::array<std::array<double, N>, N> inverse_hessian{};
  bool identity = true;
  auto reset = [&] {
    for (std::size_t i = 0; i < N; ++i) {
      inverse_hessian[i].fill(0);
      inverse_hessian[i][i] = 1;
    }
    identity = true;
  };
  reset();

  int evaluations = 1;
  detail::LinePoint<N> next;
  int iteration = 0;
  for (; iteration < options.max_iterations; ++iteration) {
    if (max_abs(current.gradient) <= options.gradient_tolerance) {
      result.converged = true;
      break;
    }
    std::array<double, N> direction{};
    for (std::size_t i = 0; i < N; ++i) direction[i] = -dot(inverse_hessian[i], current.gradient);
    current.slope = dot(current.gradient, direction);
    if (!(current.slope < 0)) {  // not a descent direction: start the curvature model again
      reset();
      for (std::size_t i = 0; i < N; ++i) direction[i] = -current.gradient[i];
      current.slope = dot(current.gradient, direction);
    }
    const double longest = max_abs(direction);
    // From the identity the step's scale is unknown: move no x_i by more than 1 at first.
    const double first_step = identity ? std::min(1.0, 1.0 / longest) : 1.0;
    const bool found = detail::line_search(objective, current, direction, first_step,
                                           options.max_step / longest, next, evaluations);
    if (!found) {
      if (next.step > 0 && next.value < current.value) current = next;  // keep the progress made
      if (identity) break;
      reset();
      continue;
    }

    std::array<double, N> s{}, y{};
    for (std::size_t i = 0; i < N; ++i) {
      s[i] = next.x[i] - current.x[i];
      y[i] = next.gradient[i] - current.gradient[i];
    }
    const double sy = dot(s, y);
    // The update keeps the approximation positive definite only when s'y > 0 (the Wolfe curvature
    // condition guarantees it; rounding near the minimum may not), so otherwise it is skipped.
    if (sy > 1e-14 * std::sqrt(dot(s, s) * dot(y, y))) {
      if (identity) {
        const double scale = sy / dot(y, y);
        for (std::size_t i = 0; i < N; ++i) inverse_hessian[i][i] = scale;
      }
      // H <- (I - rho s y') H (I - rho y s') + rho s s', expanded with Hy = H y (H symmetric).
      const double rho = 1 / sy;
      std::array<double, N> hy{};
      for (std::size_t i = 0; i < N; ++i) hy[i] = dot(inverse_hessian[i], y);
      const double yhy = dot(y, hy);
      for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < N; ++j) {
          inverse_hessian[i][j] +=
              -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
      }
      identity = false;
    }
    current = next;
  }
  result.x = current.x;
  result.value = current.value;
  result.iterations = iteration;
  return result;
}

/// BFGS from `start`; if it does not converge, Nelder-Mead (minimize()) from the best point BFGS
/// reached, within the remaining iteration budget. Iterations count both.
template <std::size_t N, typename Objective>
MinimizeResult<N> minimize_smooth(Objective& objective, const std::array<double, N>& start,
                                  const BfgsOptions& bfgs_options,
                                  const MinimizeOptions& fallback_options) {
  const MinimizeResult<N> quasi_newton = bfgs<N>(objective, start, bfgs_options);
  if (quasi_newton.converged) return quasi_newton;
  const bool usable = std::isfinite(quasi_newton.value);
  MinimizeOptions remaining = fallback_options;
  remaining.max_iterations = std::max(1, fallback_options.max_iterations - quasi_newton.iterations);
  MinimizeResult<N> simplex = minimize<N>(objective, usable ? quasi_newton.x : start, remaining);
  simplex.iterations += quasi_newton.iterations;
  return simplex;
}

}  // namespace stageline::btyd
