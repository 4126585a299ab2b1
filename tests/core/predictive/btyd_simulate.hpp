#pragma once
// Seeded simulations of the BG/NBD, Pareto/NBD and Gamma-Gamma generative processes, for
// parameter-recovery tests. Each follows the model's story directly, not its likelihood.

#include <cstdint>
#include <random>
#include <vector>

#include "stageline/predictive/btyd.hpp"

namespace stageline::btyd::testing {

struct SimulatedCustomers {
  std::vector<double> frequency, recency, T, monetary;
};

inline double gamma_draw(std::mt19937_64& rng, double shape, double rate) {
  return std::gamma_distribution<double>(shape, 1.0 / rate)(rng);
}

/// Ages T uniform in [t_min, t_max]; purchases at Poisson(lambda) times; after each repeat
/// purchase the customer drops out with probability p (Fader, Hardie & Lee 2005, section 3).
inline SimulatedCustomers simulate_bgnbd(const BgNbdParams& params, std::size_t n, double t_min, double t_max,
                                         std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  SimulatedCustomers out;
  for (std::size_t i = 0; i < n; ++i) {
    const double lambda = gamma_draw(rng, params.r, params.alpha);
    const double g1 = gamma_draw(rng, params.a, 1.0), g2 = gamma_draw(rng, params.b, 1.0);
    const double p = g1 / (g1 + g2);
    const double T = t_min + (t_max - t_min) * uniform(rng);
    double t = 0, tx = 0, x = 0;
    for (;;) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > T) break;
      ++x;
      tx = t;
      if (uniform(rng) < p) break;
    }
    out.frequency.push_back(x);
    out.recency.push_back(tx);
    out.T.push_back(T);
  }
  return out;
}

/// Lifetime tau ~ Exponential(mu); purchases at Poisson(lambda) times while alive (SMC 1987).
inline SimulatedCustomers simulate_pareto_nbd(const ParetoNbdParams& params, std::size_t n, double t_min,
                                              double t_max, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  SimulatedCustomers out;
  for (std::size_t i = 0; i < n; ++i) {
    const double lambda = gamma_draw(rng, params.r, params.alpha);
    const double mu = gamma_draw(rng, params.s, params.beta);
    const double T = t_min + (t_max - t_min) * uniform(rng);
    const double end = std::min(T, std::exponential_distribution<double>(mu)(rng));
    double t = 0, tx = 0, x = 0;
    for (;;) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > end) break;
      ++x;
      tx = t;
    }
    out.frequency.push_back(x);
    out.recency.push_back(tx);
    out.T.push_back(T);
  }
  return out;
}

/// Each customer's spend rate nu ~ Gamma(q, v); each of x transactions ~ Gamma(p, nu); monetary =
/// their mean (Hardie's note 025). Frequencies are 1 + Poisson(mean_extra).
inline SimulatedCustomers simulate_gamma_gamma(const GammaGammaParams& params, std::size_t n, double mean_extra,
                                               std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  SimulatedCustomers out;
  for (std::size_t i = 0; i < n; ++i) {
    const double nu = gamma_draw(rng, params.q, params.v);
    const int x = 1 + std::poisson_distribution<int>(mean_extra)(rng);
    double total = 0;
    for (int k = 0; k < x; ++k) total += gamma_draw(rng, params.p, nu);
    out.frequency.push_back(x);
    out.monetary.push_back(total / x);
  }
  return out;
}

}  // namespace stageline::btyd::testing
