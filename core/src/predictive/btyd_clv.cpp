// lifetimes' customer_lifetime_value: monthly steps of the model's cumulative conditional
// expectation, each month's purchases valued at the Gamma-Gamma expected spend and discounted.

#include <cmath>
#include <string>

#include "stageline/common/error.hpp"
#include "stageline/predictive/btyd.hpp"

namespace stageline::btyd {
namespace {

/// Periods per month as lifetimes counts them.
double periods_per_month(Period period) {
  switch (period) {
    case Period::kDay:
      return 30.0;
    case Period::kWeek:
      return 4.345;
    case Period::kMonth:
      return 1.0;
  }
  return 30.0;
}

template <typename ExpectedPurchases>
double discounted_value(ExpectedPurchases&& expected, double spend, const ClvOptions& options) {
  if (options.months < 0) throw Error(error_code::kInvalidArgument, "months", "expected a whole number of months >= 0");
  if (!(options.monthly_discount_rate > -1)) {
    throw Error(error_code::kInvalidArgument, "discountRate", "expected a monthly discount rate > -1");
  }
  const double factor = periods_per_month(options.period);
  double value = 0;
  double previous = 0;  // E[Y(0)] = 0
  for (int month = 1; month <= options.months; ++month) {
    const double cumulative = expected(month * factor);
    value += spend * (cumulative - previous) / std::pow(1 + options.monthly_discount_rate, month);
    previous = cumulative;
  }
  return value;
}

}  // namespace

double bgnbd_clv(const BgNbdParams& model, const GammaGammaParams& spend, double x, double tx, double T, double m,
                 const ClvOptions& options) {
  return discounted_value([&](double t) { return bgnbd_expected_purchases(model, t, x, tx, T); },
                          gamma_gamma_expected_spend(spend, x, m), options);
}

double pareto_nbd_clv(const ParetoNbdParams& model, const GammaGammaParams& spend, double x, double tx, double T,
                      double m, const ClvOptions& options) {
  return discounted_value([&](double t) { return pareto_nbd_expected_purchases(model, t, x, tx, T); },
                          gamma_gamma_expected_spend(spend, x, m), options);
}

}  // namespace stageline::btyd
