// The fits' optimizer: digamma against closed forms, the objectives' analytic gradients against
// central finite differences of their values, BFGS on a function with a known minimum, its
// Nelder-Mead fallback, BFGS fits against Nelder-Mead run on the same likelihood, and a whole
// BFGS run allocating nothing once the objective is built.

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "btyd_simulate.hpp"
#include "counting_allocator.hpp"
#include "predictive/btyd_bfgs.hpp"
#include "predictive/btyd_objectives.hpp"
#include "predictive/btyd_rows.hpp"
#include "predictive/btyd_special.hpp"
#include "stageline/predictive/btyd.hpp"

using namespace stageline::btyd;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr double kEulerGamma = 0.57721566490153286061;

/// Central differences of objective(x) with step h in each coordinate.
template <std::size_t N, typename Objective>
std::array<double, N> central_differences(Objective& objective, const std::array<double, N>& x,
                                          double h) {
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    auto up = x, down = x;
    up[i] += h;
    down[i] -= h;
    out[i] = (objective(up) - objective(down)) / (2 * h);
  }
  return out;
}

template <std::size_t N, typename Objective>
void check_gradient(Objective& objective, const std::array<double, N>& at) {
  std::array<double, N> analytic{};
  const double value = objective.value_and_gradient(at, analytic);
  CHECK(value == objective(at));
  const std::array<double, N> numeric = central_differences<N>(objective, at, 1e-5);
  for (std::size_t i = 0; i < N; ++i) {
    INFO("component " << i << " at log-parameters (" << at[0] << ", " << at[1]
                      << ", ...): analytic " << analytic[i] << ", central difference "
                      << numeric[i]);
    // Central differences at h = 1e-5 are good to about h^2 f''' + eps f / h, well under 1e-8 here.
    CHECK_THAT(analytic[i], WithinAbs(numeric[i], 1e-8 + 1e-6 * std::fabs(numeric[i])));
  }
}

/// Rosenbrock's function (minimum 0 at (1, 1)) with its gradient.
struct Rosenbrock {
  int evaluations = 0;
  double value_and_gradient(const std::array<double, 2>& x, std::array<double, 2>& g) {
    ++evaluations;
    g = {-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0])};
    return (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]);
  }
  double operator()(const std::array<double, 2>& x) {
    std::array<double, 2> g;
    return value_and_gradient(x, g);
  }
};

/// A quadratic bowl at (2, -1) whose reported gradient points the wrong way, so no line search
/// along -gradient can decrease it: BFGS must fail and the Nelder-Mead fallback must find it.
struct MisleadingGradient {
  double value_and_gradient(const std::array<double, 2>& x, std::array<double, 2>& g) {
    g = {-2 * (x[0] - 2), -2 * (x[1] + 1)};
    return (*this)(x);
  }
  double operator()(const std::array<double, 2>& x) const {
    return (x[0] - 2) * (x[0] - 2) + (x[1] + 1) * (x[1] + 1);
  }
};

}  // namespace

TEST_CASE("digamma matches its closed forms", "[btyd][special]") {
  CHECK_THAT(digamma(1.0), WithinRel(-kEulerGamma, 1e-14));
  CHECK_THAT(digamma(0.5), WithinRel(-kEulerGamma - 2 * std::log(2.0), 1e-14));
  // psi(n) = H_(n-1) - gamma for whole n; psi(x + 1) = psi(x) + 1/x.
  double harmonic = 0;
  for (int k = 1; k < 40; ++k) harmonic += 1.0 / k;
  CHECK_THAT(digamma(40.0), WithinRel(harmonic - kEulerGamma, 1e-14));
  CHECK_THAT(digamma(0.01), WithinRel(digamma(1.01) - 1 / 0.01, 1e-13));
  CHECK_THAT(digamma(1e6), WithinRel(std::log(1e6) - 0.5e-6, 1e-14));
}

TEST_CASE("BG/NBD objective gradient matches central differences", "[btyd][gradient]") {
  const auto sim = testing::simulate_bgnbd({0.25, 4.0, 0.8, 2.5}, 3000, 20, 40, 7);
  const CompressedRfm rows =
      compress_rfm({sim.frequency.data(), sim.recency.data(), sim.T.data(), sim.frequency.size()});
  BgNbdObjective objective(rows, 1.0 / rows.max_T);
  for (const std::array<double, 4>& at : std::vector<std::array<double, 4>>{
           {0, 0, 0, 0}, {-1.4, -2.3, -0.2, 0.9}, {0.7, 1.5, 1.2, -0.5}, {-3, 2, -2, 3}}) {
    check_gradient<4>(objective, at);
  }
}

TEST_CASE("Gamma-Gamma objective gradient matches central differences", "[btyd][gradient]") {
  const auto sim = testing::simulate_gamma_gamma({6.25, 3.74, 15.44}, 3000, 2.0, 8);
  const CompressedSpend rows =
      compress_spend({sim.frequency.data(), sim.monetary.data(), sim.frequency.size()});
  GammaGammaObjective objective(rows);
  for (const std::array<double, 3>& at : std::vector<std::array<double, 3>>{
           {0, 0, 0}, {1.8, 1.3, 2.7}, {-1, 2.5, 0.5}, {3, -0.5, 4}}) {
    check_gradient<3>(objective, at);
  }
}

TEST_CASE("Pareto/NBD objective equals the per-customer likelihood summed", "[btyd][pareto]") {
  // The objective shares each 2F1 between customers with the same (x, tx) or (x, T) and each
  // Gamma-function ratio between customers with the same x; the sum must not change.
  const auto sim = testing::simulate_pareto_nbd({0.55, 10.5, 0.6, 11.7}, 3000, 20, 40, 11);
  std::vector<double> tx = sim.recency, T = sim.T;
  for (std::size_t i = 0; i < T.size(); ++i) {  // whole weeks, so that customers share times
    T[i] = std::floor(T[i]);
    tx[i] = std::min(std::floor(tx[i]), T[i]);
  }
  const CompressedRfm rows = compress_rfm({sim.frequency.data(), tx.data(), T.data(), T.size()});
  const double scale = 1.0 / rows.max_T;
  ParetoNbdObjective objective(rows, scale);
  for (const std::array<double, 4>& at : std::vector<std::array<double, 4>>{
           {0, 0, 0, 0}, {-0.6, -1.3, -0.5, -1.2}, {0.4, -2.5, 0.2, 1.5}, {-1, 1.5, 1, -2}}) {
    const ParetoNbdParams p{std::exp(at[0]), std::exp(at[1]), std::exp(at[2]), std::exp(at[3])};
    double sum = 0;
    for (std::size_t i = 0; i < T.size(); ++i) {
      sum += pareto_nbd_log_likelihood(p, sim.frequency[i], tx[i] * scale, T[i] * scale);
    }
    INFO("at alpha " << p.alpha << ", beta " << p.beta);
    CHECK_THAT(objective(at), WithinRel(-sum / static_cast<double>(T.size()), 1e-12));
  }
}

TEST_CASE("BFGS finds Rosenbrock's minimum; Nelder-Mead takes over when BFGS fails",
          "[btyd][bfgs]") {
  Rosenbrock rosenbrock;
  const MinimizeResult<2> found = bfgs<2>(rosenbrock, {-1.2, 1.0}, BfgsOptions{});
  REQUIRE(found.converged);
  CHECK_THAT(found.x[0], WithinAbs(1.0, 1e-8));
  CHECK_THAT(found.x[1], WithinAbs(1.0, 1e-8));
  CHECK(found.iterations < 100);

  MisleadingGradient misleading;
  const MinimizeResult<2> quasi_newton = bfgs<2>(misleading, {0.0, 0.0}, BfgsOptions{});
  CHECK_FALSE(quasi_newton.converged);
  const MinimizeResult<2> rescued =
      minimize_smooth<2>(misleading, {0.0, 0.0}, BfgsOptions{}, MinimizeOptions{});
  REQUIRE(rescued.converged);
  CHECK_THAT(rescued.x[0], WithinAbs(2.0, 1e-6));
  CHECK_THAT(rescued.x[1], WithinAbs(-1.0, 1e-6));
}

TEST_CASE("BFGS fits agree with Nelder-Mead on the same likelihood", "[btyd][bfgs]") {
  // Nelder-Mead (derivative-free, restarted to convergence) is an independent route to the
  // maximum: the two must agree to well beyond 4 significant digits.
  SECTION("BG/NBD") {
    const auto sim = testing::simulate_bgnbd({0.25, 4.0, 0.8, 2.5}, 20000, 20, 40, 20240501);
    const RfmColumns columns{sim.frequency.data(), sim.recency.data(), sim.T.data(),
                             sim.frequency.size()};
    const BgNbdFit fit = fit_bgnbd(columns);
    REQUIRE(fit.info.converged);
    CHECK(fit.info.iterations < 100);
    const CompressedRfm rows = compress_rfm(columns);
    BgNbdObjective objective(rows, 1.0 / rows.max_T);
    const MinimizeResult<4> simplex =
        minimize<4>(objective, {0, 0, 0, 0}, nelder_mead_options(FitOptions{}));
    REQUIRE(simplex.converged);
    CHECK_THAT(fit.params.r, WithinRel(std::exp(simplex.x[0]), 1e-6));
    CHECK_THAT(fit.params.alpha, WithinRel(std::exp(simplex.x[1]) * rows.max_T, 1e-6));
    CHECK_THAT(fit.params.a, WithinRel(std::exp(simplex.x[2]), 1e-6));
    CHECK_THAT(fit.params.b, WithinRel(std::exp(simplex.x[3]), 1e-6));
  }
  SECTION("Gamma-Gamma") {
    const auto sim = testing::simulate_gamma_gamma({6.25, 3.74, 15.44}, 20000, 2.0, 20240503);
    const SpendColumns columns{sim.frequency.data(), sim.monetary.data(), sim.frequency.size()};
    const GammaGammaFit fit = fit_gamma_gamma(columns);
    REQUIRE(fit.info.converged);
    CHECK(fit.info.iterations < 100);
    const CompressedSpend rows = compress_spend(columns);
    GammaGammaObjective objective(rows);
    const MinimizeResult<3> simplex =
        minimize<3>(objective, {0, 0, 0}, nelder_mead_options(FitOptions{}));
    REQUIRE(simplex.converged);
    CHECK_THAT(fit.params.p, WithinRel(std::exp(simplex.x[0]), 1e-6));
    CHECK_THAT(fit.params.q, WithinRel(std::exp(simplex.x[1]), 1e-6));
    CHECK_THAT(fit.params.v, WithinRel(std::exp(simplex.x[2]), 1e-6));
  }
}

TEST_CASE("a BFGS fit allocates nothing after the objective is built", "[btyd][bfgs]") {
  const auto bg_sim = testing::simulate_bgnbd({0.25, 4.0, 0.8, 2.5}, 5000, 20, 40, 9);
  const CompressedRfm rfm = compress_rfm(
      {bg_sim.frequency.data(), bg_sim.recency.data(), bg_sim.T.data(), bg_sim.frequency.size()});
  BgNbdObjective bgnbd(rfm, 1.0 / rfm.max_T);
  const auto gg_sim = testing::simulate_gamma_gamma({6.25, 3.74, 15.44}, 5000, 2.0, 10);
  const CompressedSpend spend =
      compress_spend({gg_sim.frequency.data(), gg_sim.monetary.data(), gg_sim.frequency.size()});
  GammaGammaObjective gamma_gamma(spend);

  const long before = stageline::testing::allocations();
  const MinimizeResult<4> bg_found = bfgs<4>(bgnbd, {0, 0, 0, 0}, BfgsOptions{});
  const MinimizeResult<3> gg_found = bfgs<3>(gamma_gamma, {0, 0, 0}, BfgsOptions{});
  const long allocations = stageline::testing::allocations() - before;
  CHECK(bg_found.converged);
  CHECK(gg_found.converged);
  CHECK(allocations == 0);
}
