// Embind bindings for the buy-till-you-die models (core/include/stageline/predictive/btyd.hpp). Columns cross
// as typed arrays (one copy each way); parameters as a Float64Array in the model's order; every
// call returns {value} or {error} through guard_value. Reshaping (numbers vs arrays, defaults,
// option objects) is web/src/predictive/btyd.js's job.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "predictive/btyd_summary_value.hpp"
#include "stageline/common/error.hpp"
#include "stageline/predictive/btyd.hpp"

namespace stageline::wasm {
namespace {

using emscripten::val;

/// Copies `array` and checks it has `size` entries.
std::vector<double> column(const val& array, std::size_t size, const char* name) {
  std::vector<double> out = copy_typed_array<double>(array);
  if (out.size() != size) {
    throw Error(error_code::kInvalidArgument, name,
                "expected " + std::to_string(size) + " values (one per customer), got " + std::to_string(out.size()));
  }
  return out;
}

val fit_info(const btyd::FitInfo& info, const std::vector<double>& params) {
  val out = val::object();
  out.set("params", to_typed_array(params));
  out.set("logLikelihood", info.log_likelihood);
  out.set("iterations", info.iterations);
  out.set("converged", info.converged);
  out.set("customers", static_cast<double>(info.customers));
  return out;
}

val fit_bgnbd_binding(const val& frequency, const val& recency, const val& T) {
  return guard_value([&] {
    const std::vector<double> x = copy_typed_array<double>(frequency);
    const std::vector<double> tx = column(recency, x.size(), "recency"), age = column(T, x.size(), "T");
    const btyd::BgNbdFit fit = btyd::fit_bgnbd({x.data(), tx.data(), age.data(), x.size()});
    return fit_info(fit.info, {fit.params.r, fit.params.alpha, fit.params.a, fit.params.b});
  });
}

val fit_pareto_nbd_binding(const val& frequency, const val& recency, const val& T) {
  return guard_value([&] {
    const std::vector<double> x = copy_typed_array<double>(frequency);
    const std::vector<double> tx = column(recency, x.size(), "recency"), age = column(T, x.size(), "T");
    const btyd::ParetoNbdFit fit = btyd::fit_pareto_nbd({x.data(), tx.data(), age.data(), x.size()});
    return fit_info(fit.info, {fit.params.r, fit.params.alpha, fit.params.s, fit.params.beta});
  });
}

val fit_gamma_gamma_binding(const val& frequency, const val& monetary) {
  return guard_value([&] {
    const std::vector<double> x = copy_typed_array<double>(frequency);
    const std::vector<double> m = column(monetary, x.size(), "monetary");
    const btyd::GammaGammaFit fit = btyd::fit_gamma_gamma({x.data(), m.data(), x.size()});
    return fit_info(fit.info, {fit.params.p, fit.params.q, fit.params.v});
  });
}

/// Applies `per_row(i)` over n rows of equally long columns (web/src/predictive/btyd.js broadcasts scalars).
template <typename PerRow>
val per_customer(std::size_t n, PerRow&& per_row) {
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = per_row(i);
  return to_typed_array(out);
}

btyd::BgNbdParams bgnbd(const std::vector<double>& p) { return {p.at(0), p.at(1), p.at(2), p.at(3)}; }
btyd::ParetoNbdParams pareto(const std::vector<double>& p) { return {p.at(0), p.at(1), p.at(2), p.at(3)}; }
btyd::GammaGammaParams gamma_gamma(const std::vector<double>& p) { return {p.at(0), p.at(1), p.at(2)}; }

/// model: "bgnbd" | "pareto"; what: "pAlive" | "expectedPurchases".
val transaction_model_binding(const std::string& model, const std::string& what, const val& params, const val& t,
                              const val& frequency, const val& recency, const val& T) {
  return guard_value([&] {
    const std::vector<double> p = copy_typed_array<double>(params);
    const std::vector<double> x = copy_typed_array<double>(frequency);
    const std::vector<double> tx = column(recency, x.size(), "recency"), age = column(T, x.size(), "T");
    const std::vector<double> horizon = what == "pAlive" ? std::vector<double>(x.size(), 0.0) : column(t, x.size(), "t");
    const bool bg = model == "bgnbd";
    const bool alive = what == "pAlive";
    return per_customer(x.size(), [&](std::size_t i) {
      if (bg) {
        return alive ? btyd::bgnbd_p_alive(bgnbd(p), x[i], tx[i], age[i])
                     : btyd::bgnbd_expected_purchases(bgnbd(p), horizon[i], x[i], tx[i], age[i]);
      }
      return alive ? btyd::pareto_nbd_p_alive(pareto(p), x[i], tx[i], age[i])
                   : btyd::pareto_nbd_expected_purchases(pareto(p), horizon[i], x[i], tx[i], age[i]);
    });
  });
}

val expected_spend_binding(const val& params, const val& frequency, const val& monetary) {
  return guard_value([&] {
    const btyd::GammaGammaParams g = gamma_gamma(copy_typed_array<double>(params));
    const std::vector<double> x = copy_typed_array<double>(frequency);
    const std::vector<double> m = column(monetary, x.size(), "monetary");
    return per_customer(x.size(), [&](std::size_t i) { return btyd::gamma_gamma_expected_spend(g, x[i], m[i]); });
  });
}

val clv_binding(const std::string& model, const val& model_params, const val& spend_params, const val& frequency,
                const val& recency, const val& T, const val& monetary, int months, double discount_rate,
                const std::string& period) {
  return guard_value([&] {
    const std::vector<double> p = copy_typed_array<double>(model_params);
    const btyd::GammaGammaParams g = gamma_gamma(copy_typed_array<double>(spend_params));
    const std::vector<double> x = copy_typed_array<double>(frequency);
    const std::vector<double> tx = column(recency, x.size(), "recency"), age = column(T, x.size(), "T");
    const std::vector<double> m = column(monetary, x.size(), "monetary");
    const btyd::ClvOptions options{months, discount_rate, btyd::parse_period(period, "period")};
    const bool bg = model == "bgnbd";
    return per_customer(x.size(), [&](std::size_t i) {
      return bg ? btyd::bgnbd_clv(bgnbd(p), g, x[i], tx[i], age[i], m[i], options)
                : btyd::pareto_nbd_clv(pareto(p), g, x[i], tx[i], age[i], m[i], options);
    });
  });
}

/// amounts null = no monetary column; calibration_end NaN = no calibration/holdout split.
val summarize_binding(const val& customers, double customer_count, const val& timestamps, const val& amounts,
                      const std::string& period, double observation_end, double calibration_end) {
  return guard_value([&] {
    const std::vector<std::uint32_t> c = copy_typed_array<std::uint32_t>(customers);
    const std::vector<double> times = column(timestamps, c.size(), "timestamps");
    const bool has_amounts = !amounts.isNull() && !amounts.isUndefined();
    const std::vector<double> money = has_amounts ? column(amounts, c.size(), "amounts") : std::vector<double>();
    if (!(customer_count >= 0 && customer_count <= 4294967295.0)) {
      throw Error(error_code::kInvalidArgument, "customerIds", "expected at most 2^32 - 1 customers");
    }
    const btyd::TransactionColumns tx{c.data(), times.data(), has_amounts ? money.data() : nullptr, c.size(),
                                      static_cast<std::uint32_t>(customer_count)};
    return summary_value(tx, btyd::parse_period(period, "period"), observation_end, calibration_end);
  });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_btyd) {
  emscripten::function("btydFitBGNBD", &stageline::wasm::fit_bgnbd_binding);
  emscripten::function("btydFitParetoNBD", &stageline::wasm::fit_pareto_nbd_binding);
  emscripten::function("btydFitGammaGamma", &stageline::wasm::fit_gamma_gamma_binding);
  emscripten::function("btydTransactionModel", &stageline::wasm::transaction_model_binding);
  emscripten::function("btydExpectedSpend", &stageline::wasm::expected_spend_binding);
  emscripten::function("btydCustomerLifetimeValue", &stageline::wasm::clv_binding);
  emscripten::function("btydSummarize", &stageline::wasm::summarize_binding);
}
