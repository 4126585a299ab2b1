#pragma once
// Nelder-Mead simplex minimisation (Nelder & Mead 1965, with scipy's coefficients and stopping
// rule) over a fixed number of unknowns: std::array storage, so an iteration allocates nothing.
// Not public API.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace stageline::btyd {

template <std::size_t N>
struct MinimizeResult {
  std::array<double, N> x{};
  double value = 0;
  int iterations = 0;
  bool converged = false;
  bool stalled = false;  ///< Nelder-Mead stopped for lack of progress (MinimizeOptions::stall_*)
};

struct MinimizeOptions {
  int max_iterations = 20000;
  double x_tolerance = 1e-10;      ///< max |x_i - x_best| over the simplex
  double value_tolerance = 1e-13;  ///< max |f_i - f_best| over the simplex
  double initial_step = 0.5;       ///< simplex edge around the start
  /// A run that lowers the best value by less than stall_improvement over stall_iterations
  /// iterations stops (not converged): the simplex is crawling along a ridge towards a boundary,
  /// as BG/NBD's a and b do towards infinity on data with no heterogeneity in dropout, where it
  /// would otherwise spend the whole budget for no visible gain.
  int stall_iterations = 500;
  double stall_improvement = 1e-10;
};

namespace detail {

/// One Nelder-Mead run from `start`; stops when both tolerances hold or the budget is spent.
/// Non-finite objective values count as +infinity, so the simplex walks away from them.
template <std::size_t N, typename Objective>
MinimizeResult<N> nelder_mead_run(Objective& objective, const std::array<double, N>& start, double step,
                                  int max_iterations, const MinimizeOptions& options) {
  constexpr double kReflect = 1.0, kExpand = 2.0, kContract = 0.5, kShrink = 0.5;
  auto f = [&](const std::array<double, N>& x) {
    const double value = objective(x);
    return std::isfinite(value) ? value : INFINITY;
  };
  std::array<std::array<double, N>, N + 1> simplex{};
  std::array<double, N + 1> values{};
  simplex[0] = start;
  for (std::size_t i = 0; i < N; ++i) {
    simplex[i + 1] = start;
    simplex[i + 1][i] += step;
  }
  for (std::size_t i = 0; i <= N; ++i) values[i] = f(simplex[i]);
  std::array<std::size_t, N + 1> order{};

  MinimizeResult<N> result;
  int iteration = 0;
  double checkpoint_value = INFINITY;  // the best value stall_iterations iterations ago
  for (; iteration < max_iterations; ++iteration) {
    for (std::size_t i = 0; i <= N; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t p, std::size_t q) { return values[p] < values[q]; });
    const std::size_t best = order[0], worst = order[N], second_worst = order[N - 1];
    if (options.stall_iterations > 0 && iteration % options.stall_iterations == 0) {
      if (std::isfinite(checkpoint_value) && checkpoint_value - values[best] < options.stall_improvement) {
        result.stalled = true;
        break;
      }
      checkpoint_value = values[best];
    }

    double x_spread = 0, value_spread = 0;
    for (std::size_t i = 1; i <= N; ++i) {
      for (std::size_t k = 0; k < N; ++k) x_spread = std::max(x_spread, std::fabs(simplex[order[i]][k] - simplex[best][k]));
      value_spread = std::max(value_spread, std::fabs(values[order[i]] - values[best]));
    }
    if (x_spread <= options.x_tolerance && value_spread <= options.value_tolerance) {
      result.converged = true;
      break;
    }

    std::array<double, N> centroid{};
    for (std::size_t i = 0; i < N; ++i) {
      for (std::size_t k = 0; k < N; ++k) centroid[k] += simplex[order[i]][k] / static_cast<double>(N);
    }
    auto along = [&](double t) {
      std::array<double, N> point;
      for (std::size_t k = 0; k < N; ++k) point[k] = centroid[k] + t * (simplex[worst][k] - centroid[k]);
      return point;
    };

    const auto reflected = along(-kReflect);
    const double reflected_value = f(reflected);
    if (reflected_value < values[best]) {
      const auto expanded = along(-kReflect * kExpand);
      const double expanded_value = f(expanded);
      if (expanded_value < reflected_value) {
        simplex[worst] = expanded, values[worst] = expanded_value;
      } else {
        simplex[worst] = reflected, values[worst] = reflected_value;
      }
      continue;
    }
    if (reflected_value < values[second_worst]) {
      simplex[worst] = reflected, values[worst] = reflected_value;
      continue;
    }
    // Contract outside the simplex if the reflection beat the worst point, else inside.
    const bool outside = reflected_value < values[worst];
    const auto contracted = along(outside ? -kReflect * kContract : kContract);
    const double contracted_value = f(contracted);
    if (contracted_value < (outside ? reflected_value : values[worst])) {
      simplex[worst] = contracted, values[worst] = contracted_value;
      continue;
    }
    for (std::size_t i = 1; i <= N; ++i) {
      const std::size_t j = order[i];
      for (std::size_t k = 0; k < N; ++k) simplex[j][k] = simplex[best][k] + kShrink * (simplex[j][k] - simplex[best][k]);
      values[j] = f(simplex[j]);
    }
  }
  const std::size_t best = static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin());
  result.x = simplex[best];
  result.value = values[best];
  result.iterations = iteration;
  return result;
}

}  // namespace detail

/// Minimises `objective` (callable on std::array<double, N>) from `start`, restarting from the
/// best point with a fresh, smaller simplex until a restart improves the value by no more than
/// the value tolerance: a collapsed simplex is Nelder-Mead's usual way to stop short of a minimum.
template <std::size_t N, typename Objective>
MinimizeResult<N> minimize(Objective&& objective, const std::array<double, N>& start, const MinimizeOptions& options) {
  MinimizeResult<N> best = detail::nelder_mead_run<N>(objective, start, options.initial_step, options.max_iterations, options);
  double step = options.initial_step * 0.1;
  for (int restart = 0; restart < 20 && best.iterations < options.max_iterations; ++restart) {
    if (best.stalled) break;
    MinimizeResult<N> next =
        detail::nelder_mead_run<N>(objective, best.x, step, options.max_iterations - best.iterations, options);
    const bool improved = next.value < best.value - options.value_tolerance;
    next.iterations += best.iterations;
    if (next.value <= best.value) best = next;
    else best.iterations = next.iterations;
    if (!improved || next.stalled) break;  // a fresh simplex only helps one that collapsed
    step = std::max(step * 0.5, 1e-4);
  }
  return best;
}

}  // namespace stageline::btyd
