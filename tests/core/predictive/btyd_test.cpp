// Buy-till-you-die: summaries checked against values worked out by hand from lifetimes'
// definitions; likelihoods, P(alive) and expectations against independent derivations evaluated
// in long double (closed-form mixture components, numerical integrals); fits against parameters
// they were simulated from, within 4 standard errors of the observed Fisher information.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "btyd_simulate.hpp"
#include "stageline/common/error.hpp"
#include "stageline/predictive/btyd.hpp"
#include "stageline/time/timestamp.hpp"

using namespace stageline;
using namespace stageline::btyd;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

double ms(const char* iso) { return static_cast<double>(*parse_timestamp(iso)); }

/// Composite Simpson's rule in long double.
long double simpson(const std::function<long double(long double)>& f, long double lo, long double hi, int intervals) {
  const long double h = (hi - lo) / intervals;
  long double sum = f(lo) + f(hi);
  for (int i = 1; i < intervals; ++i) sum += f(lo + i * h) * (i % 2 == 1 ? 4 : 2);
  return sum * h / 3;
}

long double lgammal_(long double x) { return std::lgamma(x); }

// ----- BG/NBD, independently: the likelihood as a mixture of "alive at T" and "dropped out
// after the x-th repeat purchase", each a Gamma moment times a Beta moment (FHL 2005, eq. 3-6).
struct BgNbdParts {
  long double alive, dead;
};
BgNbdParts bgnbd_parts(const BgNbdParams& p, long double x, long double tx, long double T) {
  const long double log_beta_ab = lgammal_(p.a) + lgammal_(p.b) - lgammal_(p.a + p.b);
  const long double gamma_part = lgammal_(p.r + x) - lgammal_(p.r) + p.r * std::log((long double)p.alpha);
  // E[(1-p)^x] = B(a, b + x) / B(a, b);  E[p (1-p)^(x-1)] = B(a + 1, b + x - 1) / B(a, b).
  const long double alive = std::exp(gamma_part - (p.r + x) * std::log(p.alpha + T) + lgammal_(p.a) +
                                     lgammal_(p.b + x) - lgammal_(p.a + p.b + x) - log_beta_ab);
  long double dead = 0;
  if (x > 0) {
    dead = std::exp(gamma_part - (p.r + x) * std::log(p.alpha + tx) + lgammal_(p.a + 1) + lgammal_(p.b + x - 1) -
                    lgammal_(p.a + p.b + x) - log_beta_ab);
  }
  return {alive, dead};
}

/// E[Y(t) | x, tx, T] = P(alive) E[(1 - e^{-lambda p t}) / p] over the alive posterior
/// lambda ~ Gamma(r + x, alpha + T), p ~ Beta(a, b + x); lambda integrated in closed form, p
/// numerically after p = v^(1/a) (which absorbs p^(a-1)) and v = w^4.
long double bgnbd_expected_by_integral(const BgNbdParams& p, long double t, long double x, long double tx, long double T) {
  const BgNbdParts parts = bgnbd_parts(p, x, tx, T);
  const long double p_alive = parts.alive / (parts.alive + parts.dead);
  const long double c = p.alpha + T, k = p.r + x;
  // v = w^4 as well, to resolve the integrand's fast change near p = 0 when t is large.
  auto g = [&](long double w) -> long double {
    const long double q = std::pow(w, 4.0L / p.a);
    const long double purchases = q == 0 ? k * t / c : (1 - std::pow(1 + q * t / c, -k)) / q;
    return std::pow(1 - q, p.b + x - 1) * purchases * 4 * w * w * w;
  };
  const long double log_beta = lgammal_(p.a) + lgammal_(p.b + x) - lgammal_(p.a + p.b + x);
  return p_alive * simpson(g, 0, 1, 200000) / p.a / std::exp(log_beta);
}

// ----- Pareto/NBD, independently: L = E[lambda^x mu/(lambda+mu) e^{-(lambda+mu) tx}]
//        + E[lambda^(x+1)/(lambda+mu) e^{-(lambda+mu) T}], with 1/(lambda+mu) = int_0^inf
// e^{-(lambda+mu) u} du turning each into a 1-D integral of Gamma moments (no 2F1).
struct ParetoParts {
  long double died, alive;
};
ParetoParts pareto_parts(const ParetoNbdParams& p, long double x, long double tx, long double T) {
  const long double lead = lgammal_(p.r + x) - lgammal_(p.r) + p.r * std::log((long double)p.alpha) +
                           p.s * std::log((long double)p.beta);
  const long double scale = std::max(p.alpha, p.beta) + tx;
  auto integral = [&](long double start, long double lambda_power, long double mu_power) {
    // u = scale * (e^y - 1): the integrand's power-law tail becomes exponential in y.
    auto f = [&](long double y) {
      const long double u = scale * std::expm1(y);
      return std::pow(p.alpha + start + u, -lambda_power) * std::pow(p.beta + start + u, -mu_power) * scale * std::exp(y);
    };
    return simpson(f, 0, 120, 240000);
  };
  const long double died = std::exp(lead) * p.s * integral(tx, p.r + x, p.s + 1);
  const long double alive_part = std::exp(lead) * (p.r + x) * integral(T, p.r + x + 1, p.s);
  return {died, alive_part};
}

// ----- Hessian of a total log-likelihood in log-parameters, for standard errors.
template <std::size_t N>
std::array<double, N> standard_errors(const std::function<double(const std::array<double, N>&)>& ll,
                                      const std::array<double, N>& at) {
  const double h = 1e-4;
  std::array<std::array<double, N>, N> hessian{};
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = i; j < N; ++j) {
      auto shifted = [&](double di, double dj) {
        auto p = at;
        p[i] += di;
        p[j] += dj;
        return ll(p);
      };
      hessian[i][j] = hessian[j][i] =
          (shifted(h, h) - shifted(h, -h) - shifted(-h, h) + shifted(-h, -h)) / (4 * h * h);
    }
  }
  // Invert -H by Gauss-Jordan.
  std::array<std::array<double, 2 * N>, N> m{};
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < N; ++j) m[i][j] = -hessian[i][j];
    m[i][N + i] = 1;
  }
  for (std::size_t col = 0; col < N; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < N; ++row) {
      if (std::fabs(m[row][col]) > std::fabs(m[pivot][col])) pivot = row;
    }
    std::swap(m[col], m[pivot]);
    const double d = m[col][col];
    for (auto& v : m[col]) v /= d;
    for (std::size_t row = 0; row < N; ++row) {
      if (row == col) continue;
      const double factor = m[row][col];
      for (std::size_t k = 0; k < 2 * N; ++k) m[row][k] -= factor * m[col][k];
    }
  }
  std::array<double, N> se{};
  for (std::size_t i = 0; i < N; ++i) se[i] = std::sqrt(m[i][N + i]);
  return se;
}

template <std::size_t N>
void check_recovered(const std::array<double, N>& fitted, const std::array<double, N>& truth,
                     const std::array<double, N>& se, const char* const* names) {
  for (std::size_t i = 0; i < N; ++i) {
    INFO(names[i] << ": fitted " << fitted[i] << ", true " << truth[i] << ", SE(log) " << se[i]);
    CHECK(std::fabs(std::log(fitted[i]) - std::log(truth[i])) <= 4 * se[i]);
    CHECK(se[i] < 0.2);  // the sample is large enough for the check to mean something
  }
}

}  // namespace

// ------------------------------------------------------------------------------------------
TEST_CASE("summarize follows lifetimes' definitions (worked by hand)", "[btyd][summary]") {
  // Customer 0: Mon 2024-01-01 10:00 $10 and 15:00 $5, Wed 01-03 $20, Wed 01-10 $30.
  // Customer 1: first purchase after the observation end: excluded.
  // Customer 2: Sun 2024-01-07 $7 and Mon 01-08 $8.
  const std::vector<std::uint32_t> customer = {0, 2, 0, 1, 0, 0, 2};
  const std::vector<double> time = {ms("2024-01-10"), ms("2024-01-07"), ms("2024-01-01T10:00:00Z"),
                                    ms("2024-01-20"), ms("2024-01-03"), ms("2024-01-01T15:00:00Z"), ms("2024-01-08")};
  const std::vector<double> amount = {30, 7, 10, 99, 20, 5, 8};
  const TransactionColumns tx{customer.data(), time.data(), amount.data(), customer.size(), 3};
  const double end = ms("2024-01-15T12:00:00Z");

  SECTION("days") {
    const Summary s = summarize(tx, Period::kDay, end);
    REQUIRE(s.customer == std::vector<std::uint32_t>{0, 2});
    CHECK(s.frequency == std::vector<double>{2, 1});  // periods 01-01, 01-03, 01-10; 01-07, 01-08
    CHECK(s.recency == std::vector<double>{9, 1});
    CHECK(s.T == std::vector<double>{14, 8});
    CHECK(s.monetary == std::vector<double>{25, 8});  // (20 + 30) / 2; the first day's $15 excluded
  }
  SECTION("Monday weeks") {
    const Summary s = summarize(tx, Period::kWeek, end);
    // Customer 1's Saturday 01-20 is in the observation end's week (Mon 01-15 .. Sun 01-21), and
    // lifetimes keeps every transaction whose period is at or before the end's period.
    REQUIRE(s.customer == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(s.frequency == std::vector<double>{1, 0, 1});  // Sun 01-07 and Mon 01-08 are different weeks
    CHECK(s.recency == std::vector<double>{1, 0, 1});
    CHECK(s.T == std::vector<double>{2, 0, 2});  // customer 2 first bought in the week of Mon 01-01
    CHECK(s.monetary == std::vector<double>{30, 0, 8});
  }
  SECTION("months") {
    const Summary s = summarize(tx, Period::kMonth, end);
    CHECK(s.frequency == std::vector<double>{0, 0, 0});
    CHECK(s.T == std::vector<double>{0, 0, 0});
    CHECK(s.monetary == std::vector<double>{0, 0, 0});
    CHECK(period_ordinal(ms("1970-01-31T23:59:59Z"), Period::kMonth) == 0);
    CHECK(period_ordinal(ms("1969-12-31T23:59:59Z"), Period::kMonth) == -1);
    CHECK(period_ordinal(ms("1969-12-29"), Period::kWeek) == 0);  // a Monday
    CHECK(period_ordinal(ms("1969-12-28"), Period::kWeek) == -1);
  }
  SECTION("calibration and holdout") {
    const CalibrationHoldout c = calibration_and_holdout(tx, Period::kDay, ms("2024-01-07"), end);
    // Calibration is time <= 2024-01-07T00:00: customer 2's Sunday purchase is in it.
    REQUIRE(c.calibration.customer == std::vector<std::uint32_t>{0, 2});
    CHECK(c.calibration.frequency == std::vector<double>{1, 0});
    CHECK(c.calibration.recency == std::vector<double>{2, 0});
    CHECK(c.calibration.T == std::vector<double>{6, 0});
    CHECK(c.calibration.monetary == std::vector<double>{20, 0});
    CHECK(c.frequency_holdout == std::vector<double>{1, 1});
    CHECK(c.monetary_holdout == std::vector<double>{30, 8});
    CHECK(c.duration_holdout == 8);
  }
  SECTION("bad input names the row") {
    std::vector<double> bad_time = time;
    bad_time[4] = NAN;
    const TransactionColumns bad{customer.data(), bad_time.data(), amount.data(), customer.size(), 3};
    try {
      summarize(bad, Period::kDay, end);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.path() == "timestamps[4]");
    }
    CHECK_THROWS_AS(summarize({customer.data(), time.data(), amount.data(), customer.size(), 2}, Period::kDay, end), Error);
    CHECK_THROWS_AS(parse_period("Q", "period"), Error);
  }
}

TEST_CASE("BG/NBD closed forms match an independent derivation", "[btyd][bgnbd]") {
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};  // FHL 2005's CDNOW estimates
  for (const auto& [x, tx, T] : std::vector<std::array<double, 3>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 29.43, 38.86}, {1, 1.71, 20}}) {
    const BgNbdParts parts = bgnbd_parts(p, x, tx, T);
    CHECK_THAT(bgnbd_log_likelihood(p, x, tx, T), WithinRel(static_cast<double>(std::log(parts.alive + parts.dead)), 1e-12));
    CHECK_THAT(bgnbd_p_alive(p, x, tx, T), WithinRel(static_cast<double>(parts.alive / (parts.alive + parts.dead)), 1e-12));
  }
  CHECK(bgnbd_p_alive(p, 0, 0, 50) == 1.0);
  CHECK(bgnbd_expected_purchases(p, 0, 3, 10, 20) == 0.0);

  // a > 1 so the p-integral's Beta(a, b + x) weight is integrable after the substitution; t = 520
  // puts 2F1's argument above 0.75 (the 1 - z transformation), the others below.
  const BgNbdParams q{0.5, 6.0, 1.7, 3.1};
  for (const auto& [t, x, tx, T] : std::vector<std::array<double, 4>>{
           {10, 0, 0, 38}, {39, 2, 30.43, 38.86}, {520, 2, 30.43, 38.86}, {52, 12, 34.43, 38.57}, {4000, 1, 3, 5}}) {
    INFO("t=" << t << " x=" << x);
    CHECK_THAT(bgnbd_expected_purchases(q, t, x, tx, T),
               WithinRel(static_cast<double>(bgnbd_expected_by_integral(q, t, x, tx, T)), 1e-7));
  }
}

TEST_CASE("BG/NBD expected purchases stay finite when a and b are huge", "[btyd][bgnbd]") {
  // Fits on data without spread in dropout drive a and b towards infinity with a/(a + b) fixed
  // (seen: a 2.8e6, b 8.0e6 on the synthetic shop). Then 2F1's 1 - z transformation overflowed for
  // z > 0.75 (t = 200 here) and CLV came back infinite. In that limit the answer converges, so
  // scaling a and b tenfold must change it only slightly; it must also grow with t.
  const BgNbdParams big{0.8375, 9.7466, 2.8e5, 8.0e5};
  const BgNbdParams bigger{0.8375, 9.7466, 2.8e6, 8.0e6};
  double previous = 0;
  for (const double t : {30.0, 52.0, 200.0, 1000.0}) {
    INFO("t=" << t);
    const double e = bgnbd_expected_purchases(bigger, t, 5, 25, 40);
    CHECK(std::isfinite(e));
    CHECK(e > previous);
    CHECK_THAT(e, WithinRel(bgnbd_expected_purchases(big, t, 5, 25, 40), 1e-3));
    previous = e;
  }
}

TEST_CASE("Pareto/NBD closed forms match an independent derivation", "[btyd][pareto]") {
  const ParetoNbdParams lifetimes_cdnow{0.553, 10.58, 0.606, 11.67};  // alpha < beta
  const ParetoNbdParams swapped{1.4, 12.0, 1.1, 3.5};                 // alpha > beta
  for (const ParetoNbdParams& p : {lifetimes_cdnow, swapped}) {
    for (const auto& [x, tx, T] : std::vector<std::array<double, 3>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {10, 34.14, 38.86}, {1, 38.0, 38.0}}) {
      INFO("alpha=" << p.alpha << " x=" << x << " tx=" << tx);
      const ParetoParts parts = pareto_parts(p, x, tx, T);
      const long double total = parts.died + parts.alive;
      CHECK_THAT(pareto_nbd_log_likelihood(p, x, tx, T), WithinRel(static_cast<double>(std::log(total)), 1e-9));
      // Alive part in closed form: E[lambda^x e^{-lambda T}] E[e^{-mu T}].
      const long double alive = std::exp(lgammal_(p.r + x) - lgammal_(p.r) + p.r * std::log((long double)p.alpha) -
                                         (p.r + x) * std::log(p.alpha + T) + p.s * std::log(p.beta / (p.beta + T)));
      const long double p_alive = alive / total;
      CHECK_THAT(pareto_nbd_p_alive(p, x, tx, T), WithinRel(static_cast<double>(p_alive), 1e-9));
      // E[Y(t)] = P(alive) E[lambda] E[(1 - e^{-mu t}) / mu] under the alive posterior
      // lambda ~ Gamma(r + x, alpha + T), mu ~ Gamma(s, beta + T); the last is int_0^t E[e^{-mu u}] du.
      const double t = 26;
      const long double lifetime = simpson([&](long double u) { return std::pow((p.beta + T) / (p.beta + T + u), (long double)p.s); }, 0, t, 20000);
      CHECK_THAT(pareto_nbd_expected_purchases(p, t, x, tx, T),
                 WithinRel(static_cast<double>(p_alive * (p.r + x) / (p.alpha + T) * lifetime), 1e-8));
    }
  }
}

TEST_CASE("Gamma-Gamma closed forms match the posterior of nu", "[btyd][gamma]") {
  const GammaGammaParams g{6.25, 3.74, 15.44};
  for (const auto& [x, m] : std::vector<std::array<double, 2>>{{1, 11.77}, {2, 22.35}, {29, 26.26}}) {
    // x * mean ~ Gamma(p x, nu), nu ~ Gamma(q, v): the density of the mean, integrated over nu.
    const double px = g.p * x;
    const double direct = std::log(x) + (px - 1) * std::log(x * m) + g.q * std::log(g.v) + std::lgamma(px + g.q) -
                          std::lgamma(px) - std::lgamma(g.q) - (px + g.q) * std::log(g.v + x * m);
    CHECK_THAT(gamma_gamma_log_likelihood(g, x, m), WithinRel(direct, 1e-12));
    // Posterior nu ~ Gamma(q + p x, v + x m), so E[p / nu] = p (v + x m) / (q + p x - 1).
    CHECK_THAT(gamma_gamma_expected_spend(g, x, m), WithinRel(g.p * (g.v + x * m) / (g.q + px - 1), 1e-12));
  }
}

TEST_CASE("CLV is lifetimes' discounted monthly sum", "[btyd][clv]") {
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};
  const GammaGammaParams g{6.25, 3.74, 15.44};
  const double spend = gamma_gamma_expected_spend(g, 2, 22.35);
  // No discount: the monthly differences telescope to spend * E[Y(12 months)].
  ClvOptions weekly{12, 0.0, Period::kWeek};
  CHECK_THAT(bgnbd_clv(p, g, 2, 30.43, 38.86, 22.35, weekly),
             WithinRel(spend * bgnbd_expected_purchases(p, 12 * 4.345, 2, 30.43, 38.86), 1e-12));
  // One month at 1%: spend * E[Y(30 days)] / 1.01.
  ClvOptions daily{1, 0.01, Period::kDay};
  CHECK_THAT(bgnbd_clv(p, g, 2, 213, 272, 22.35, daily),
             WithinRel(spend * bgnbd_expected_purchases(p, 30, 2, 213, 272) / 1.01, 1e-12));
}

TEST_CASE("fits recover simulated parameters", "[btyd][fit]") {
  SECTION("BG/NBD") {
    const BgNbdParams truth{0.25, 4.0, 0.8, 2.5};
    const auto sim = testing::simulate_bgnbd(truth, 20000, 20, 40, 20240501);
    const BgNbdFit fit = fit_bgnbd({sim.frequency.data(), sim.recency.data(), sim.T.data(), sim.frequency.size()});
    REQUIRE(fit.info.converged);
    auto ll = [&](const std::array<double, 4>& l) {
      const BgNbdParams q{std::exp(l[0]), std::exp(l[1]), std::exp(l[2]), std::exp(l[3])};
      double sum = 0;
      for (std::size_t i = 0; i < sim.T.size(); ++i) sum += bgnbd_log_likelihood(q, sim.frequency[i], sim.recency[i], sim.T[i]);
      return sum;
    };
    const std::array<double, 4> fitted{fit.params.r, fit.params.alpha, fit.params.a, fit.params.b};
    const std::array<double, 4> log_fitted{std::log(fitted[0]), std::log(fitted[1]), std::log(fitted[2]), std::log(fitted[3])};
    CHECK_THAT(fit.info.log_likelihood, WithinRel(ll(log_fitted), 1e-10));
    CHECK(fit.info.log_likelihood >= ll({std::log(truth.r), std::log(truth.alpha), std::log(truth.a), std::log(truth.b)}));
    const char* names[] = {"r", "alpha", "a", "b"};
    check_recovered<4>(fitted, {truth.r, truth.alpha, truth.a, truth.b}, standard_errors<4>(ll, log_fitted), names);
  }
  SECTION("Pareto/NBD") {
    const ParetoNbdParams truth{0.55, 10.5, 0.6, 11.7};
    const auto sim = testing::simulate_pareto_nbd(truth, 8000, 20, 40, 20240502);
    const ParetoNbdFit fit = fit_pareto_nbd({sim.frequency.data(), sim.recency.data(), sim.T.data(), sim.frequency.size()});
    REQUIRE(fit.info.converged);
    auto ll = [&](const std::array<double, 4>& l) {
      const ParetoNbdParams q{std::exp(l[0]), std::exp(l[1]), std::exp(l[2]), std::exp(l[3])};
      double sum = 0;
      for (std::size_t i = 0; i < sim.T.size(); ++i) sum += pareto_nbd_log_likelihood(q, sim.frequency[i], sim.recency[i], sim.T[i]);
      return sum;
    };
    const std::array<double, 4> fitted{fit.params.r, fit.params.alpha, fit.params.s, fit.params.beta};
    const std::array<double, 4> log_fitted{std::log(fitted[0]), std::log(fitted[1]), std::log(fitted[2]), std::log(fitted[3])};
    CHECK(fit.info.log_likelihood >= ll({std::log(truth.r), std::log(truth.alpha), std::log(truth.s), std::log(truth.beta)}));
    const char* names[] = {"r", "alpha", "s", "beta"};
    // Pareto/NBD's s and beta are weakly identified over a 20-40 week window; SEs say how weakly.
    const auto se = standard_errors<4>(ll, log_fitted);
    for (std::size_t i = 0; i < 4; ++i) {
      INFO(names[i] << ": fitted " << fitted[i] << " SE(log) " << se[i]);
      CHECK(std::fabs(std::log(fitted[i]) - std::log(std::array<double, 4>{truth.r, truth.alpha, truth.s, truth.beta}[i])) <= 4 * se[i]);
    }
  }
  SECTION("Gamma-Gamma") {
    const GammaGammaParams truth{6.25, 3.74, 15.44};
    const auto sim = testing::simulate_gamma_gamma(truth, 20000, 2.0, 20240503);
    const GammaGammaFit fit = fit_gamma_gamma({sim.frequency.data(), sim.monetary.data(), sim.frequency.size()});
    REQUIRE(fit.info.converged);
    auto ll = [&](const std::array<double, 3>& l) {
      const GammaGammaParams q{std::exp(l[0]), std::exp(l[1]), std::exp(l[2])};
      double sum = 0;
      for (std::size_t i = 0; i < sim.frequency.size(); ++i) sum += gamma_gamma_log_likelihood(q, sim.frequency[i], sim.monetary[i]);
      return sum;
    };
    const std::array<double, 3> fitted{fit.params.p, fit.params.q, fit.params.v};
    const std::array<double, 3> log_fitted{std::log(fitted[0]), std::log(fitted[1]), std::log(fitted[2])};
    CHECK_THAT(fit.info.log_likelihood, WithinRel(ll(log_fitted), 1e-10));
    const char* names[] = {"p", "q", "v"};
    check_recovered<3>(fitted, {truth.p, truth.q, truth.v}, standard_errors<3>(ll, log_fitted), names);
  }
}

TEST_CASE("fit inputs are checked with row numbers", "[btyd][fit]") {
  const std::vector<double> x = {1, 0, 2}, tx = {3, 0, 5}, T = {10, 10, 4};
  try {
    fit_bgnbd({x.data(), tx.data(), T.data(), 3});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.path() == "recency[2]");
  }
  const std::vector<double> fractional = {1.5, 0, 2};
  CHECK_THROWS_AS(fit_pareto_nbd({fractional.data(), tx.data(), T.data(), 3}), Error);
  const std::vector<double> m = {10, 0, -1};
  try {
    fit_gamma_gamma({x.data(), m.data(), 3});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.path() == "monetary[2]");
  }
}

// The published CDNOW estimates and lifetimes' documented per-customer values, when the
// 2357-customer CDNOW summary (columns ID,x,t_x,T,zbar as in lifetimes'
// datasets/cdnow_customers_summary_with_transactions.csv) is named by STAGELINE_CDNOW_CSV. The
// file cannot be shipped with Stageline, so by default this is skipped (docs/predictive.md says
// where to get it).
TEST_CASE("CDNOW: published estimates and lifetimes' documented per-customer values", "[btyd][cdnow]") {
  const char* path = std::getenv("STAGELINE_CDNOW_CSV");
  if (path == nullptr || !std::ifstream(path)) {
    WARN("CDNOW check skipped: set STAGELINE_CDNOW_CSV to the CDNOW summary CSV (ID,x,t_x,T,zbar)");
    return;
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<double> x, tx, T, m;
  std::vector<long> ids;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream fields(line);
    std::string id, a, b, c, d;
    std::getline(fields, id, ',');
    std::getline(fields, a, ',');
    std::getline(fields, b, ',');
    std::getline(fields, c, ',');
    std::getline(fields, d, ',');
    ids.push_back(std::stol(id));
    x.push_back(std::stod(a));
    tx.push_back(std::stod(b));
    T.push_back(std::stod(c));
    m.push_back(d.empty() ? 0.0 : std::stod(d));
  }
  REQUIRE(x.size() == 2357);
  auto row_of = [&](long id) {
    const auto found = std::find(ids.begin(), ids.end(), id);
    REQUIRE(found != ids.end());
    return static_cast<std::size_t>(found - ids.begin());
  };
  auto three_digits = [](double value, double published) {
    INFO(value << " vs " << published);
    CHECK(std::fabs(value - published) <= 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(published))) - 2));
  };

  // Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4; lifetimes'
  // Quickstart prints its own fit to six decimals: 0.242593, 4.413532, 0.792886, 2.425752.
  const BgNbdFit bg = fit_bgnbd({x.data(), tx.data(), T.data(), x.size()});
  three_digits(bg.params.r, 0.243);
  three_digits(bg.params.alpha, 4.41);
  three_digits(bg.params.a, 0.793);
  three_digits(bg.params.b, 2.43);
  three_digits(bg.info.log_likelihood, -9582.4);
  CHECK_THAT(bg.params.r, WithinRel(0.242593, 5e-6));
  CHECK_THAT(bg.params.alpha, WithinRel(4.413532, 5e-6));
  CHECK_THAT(bg.params.a, WithinRel(0.792886, 5e-6));
  CHECK_THAT(bg.params.b, WithinRel(2.425752, 5e-6));

  // lifetimes' ParetoNBDFitter: r 0.5534, alpha 10.5802, s 0.6061, beta 11.6562. The likelihood is
  // flat along a ridge in (s, beta): our maximum is at least as high as at lifetimes' estimates.
  const ParetoNbdFit pareto = fit_pareto_nbd({x.data(), tx.data(), T.data(), x.size()});
  three_digits(pareto.params.r, 0.553);
  three_digits(pareto.params.alpha, 10.6);
  three_digits(pareto.params.s, 0.606);
  three_digits(pareto.params.beta, 11.7);
  double lifetimes_log_likelihood = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    lifetimes_log_likelihood += pareto_nbd_log_likelihood({0.5534, 10.5802, 0.6061, 11.6562}, x[i], tx[i], T[i]);
  }
  CHECK(pareto.info.log_likelihood >= lifetimes_log_likelihood);

  // Hardie's note 025 and lifetimes (946 repeat customers): p 6.25, q 3.74, v 15.44 (lifetimes 15.45).
  const GammaGammaFit gg = fit_gamma_gamma({x.data(), m.data(), x.size()});
  CHECK(gg.info.customers == 946);
  three_digits(gg.params.p, 6.25);
  three_digits(gg.params.q, 3.74);
  three_digits(gg.params.v, 15.4);

  // FHL 2005 / Hardie's spreadsheet, as lifetimes tests it: E[Y(39) | x 2, tx 30.43, T 38.86] = 1.226.
  CHECK_THAT(bgnbd_expected_purchases(bg.params, 39, 2, 30.43, 38.86), WithinAbs(1.226, 5e-4));

  // lifetimes' Quickstart (docs/Quickstart.md), printed to six decimals; the tolerance of 2 parts
  // per million covers the small differences between its optimizer's stopping point and ours.
  const double ppm = 2e-6;
  // Ranking customers: conditional expected purchases in the next week (t = 1).
  for (const auto& [id, expected] : std::vector<std::pair<long, double>>{
           {509, 0.424877}, {841, 0.474738}, {1981, 0.486526}, {157, 0.662396}, {1516, 0.710623}}) {
    const std::size_t i = row_of(id);
    INFO("customer " << id);
    CHECK_THAT(bgnbd_expected_purchases(bg.params, 1, x[i], tx[i], T[i]), WithinRel(expected, ppm));
  }
  // Gamma-Gamma conditional expected average profit (customer 3 has no repeat purchase: the
  // population mean).
  for (const auto& [id, expected] : std::vector<std::pair<long, double>>{
           {1, 24.658619}, {2, 18.911489}, {3, 35.170981}, {6, 71.462843}, {9, 27.282408}}) {
    const std::size_t i = row_of(id);
    INFO("customer " << id);
    CHECK_THAT(gamma_gamma_expected_spend(gg.params, x[i], m[i]), WithinRel(expected, ppm));
  }
  double spend_sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) spend_sum += gamma_gamma_expected_spend(gg.params, x[i], m[i]);
  CHECK_THAT(spend_sum / static_cast<double>(x.size()), WithinRel(35.2529588256, ppm));
  // customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01) with lifetimes' default
  // freq='D' (30 periods per month step) applied to these weekly data, as the Quickstart does.
  const ClvOptions quickstart_clv{12, 0.01, Period::kDay};
  for (const auto& [id, expected] : std::vector<std::pair<long, double>>{
           {1, 140.096211}, {2, 18.943467}, {3, 38.180574}, {6, 1003.868107}, {7, 28.109683}, {9, 167.418216}}) {
    const std::size_t i = row_of(id);
    INFO("customer " << id);
    CHECK_THAT(bgnbd_clv(bg.params, gg.params, x[i], tx[i], T[i], m[i], quickstart_clv), WithinRel(expected, ppm));
  }
}

TEST_CASE("a BG/NBD fit on data without dropout heterogeneity recovers r, alpha and the mean p", "[btyd][fit]") {
  // Every customer drops out with the same p = 0.25 (Beta(a, b) with a, b → ∞, a/(a+b) = 0.25):
  // the likelihood has no maximum, only a ridge along which a and b grow together. The fit must
  // go far out along it and land where the data say. (When BFGS gives up on such a ridge,
  // Nelder-Mead's stall rule ends the crawl: tests/js/predictive/btyd.test.js, on the sample shop.)
  const BgNbdParams truth{0.6, 4.0, 2.5e6, 7.5e6};
  const auto sim = testing::simulate_bgnbd(truth, 20000, 40, 80, 20261123);
  const BgNbdFit fit = fit_bgnbd({sim.frequency.data(), sim.recency.data(), sim.T.data(), sim.frequency.size()});
  INFO("a " << fit.params.a << " b " << fit.params.b << " iterations " << fit.info.iterations);
  CHECK(fit.info.iterations < 5000);
  CHECK(fit.params.a > 100);  // far out on the ridge: heterogeneity in p is negligible
  CHECK_THAT(fit.params.a / (fit.params.a + fit.params.b), WithinAbs(0.25, 0.02));
  CHECK_THAT(fit.params.r, WithinRel(0.6, 0.1));
  CHECK_THAT(fit.params.alpha, WithinRel(4.0, 0.15));
}
