#pragma once
/// Buy-till-you-die models: the per-customer summary of Python `lifetimes`
/// (summary_data_from_transaction_data, calibration_and_holdout_data) and maximum-likelihood fits
/// of BG/NBD, Pareto/NBD and Gamma-Gamma with P(alive), conditional expected purchases, expected
/// spend and discounted CLV, with lifetimes' definitions and likelihoods (docs/predictive.md).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace stageline::btyd {

// ---------------------------------------------------------------------------------------------
// Summary

/// The unit recency and T are counted in: pandas' to_period('D' | 'W' | 'M') ordinals in UTC
/// (weeks run Monday to Sunday, as pandas' W-SUN).
enum class Period { kDay, kWeek, kMonth };

/// 'D', 'W' or 'M'; anything else is an invalid_argument Error at `path`.
Period parse_period(std::string_view text, const char* path);

/// The period ordinal of an epoch-ms time (days, Monday-weeks or months since 1970-01).
std::int64_t period_ordinal(double timestamp_ms, Period period);

/// Plain transaction columns in any order. `amount` may be null (monetary values are then 0).
struct TransactionColumns {
  const std::uint32_t* customer = nullptr;  ///< customer index in [0, customer_count)
  const double* timestamp_ms = nullptr;     ///< epoch milliseconds
  const double* amount = nullptr;
  std::size_t size = 0;
  std::uint32_t customer_count = 0;
};

/// One row per customer with at least one purchase in a period up to the observation end's
/// period, ascending by customer index; all values in units of the period.
struct Summary {
  std::vector<std::uint32_t> customer;
  std::vector<double> frequency;  ///< purchase periods after the first
  std::vector<double> recency;    ///< last purchase period minus first
  std::vector<double> T;          ///< observation end's period minus first purchase period
  std::vector<double> monetary;   ///< mean of the repeat periods' totals; 0 when frequency is 0
};

/// lifetimes' summary_data_from_transaction_data: purchases in the same period are one purchase
/// (amounts summed); transactions in periods after the observation end's are ignored, so a
/// customer whose first purchase is after it does not appear. Errors (invalid_argument, with
/// `path` "timestamps[i]", "amounts[i]" or "customers[i]") for non-finite values or indices.
Summary summarize(const TransactionColumns& transactions, Period period, double observation_end_ms);

/// lifetimes' calibration_and_holdout_data, one row per customer of the calibration summary.
struct CalibrationHoldout {
  Summary calibration;  ///< summarize() over transactions at or before calibration_end_ms
  std::vector<double> frequency_holdout;  ///< distinct periods with purchases in the holdout
  std::vector<double> monetary_holdout;   ///< mean raw transaction amount in the holdout, or 0
  double duration_holdout = 0;            ///< observation end's period minus calibration end's
};

/// Calibration: time <= calibration_end_ms (raw times, as lifetimes compares them). Holdout:
/// calibration_end_ms < time <= observation_end_ms. Requires calibration end <= observation end.
CalibrationHoldout calibration_and_holdout(const TransactionColumns& transactions, Period period,
                                           double calibration_end_ms, double observation_end_ms);

// ---------------------------------------------------------------------------------------------
// Model inputs and fits

/// Per-customer (frequency x, recency t_x, age T) columns, e.g. a Summary's.
struct RfmColumns {
  const double* frequency = nullptr;
  const double* recency = nullptr;
  const double* T = nullptr;
  std::size_t size = 0;
};

/// Per-customer (frequency, mean repeat-purchase value) columns for Gamma-Gamma.
struct SpendColumns {
  const double* frequency = nullptr;
  const double* monetary = nullptr;
  std::size_t size = 0;
};

/// Optimizer limits. BG/NBD and Gamma-Gamma: BFGS with the analytic gradient on log-parameters
/// from a fixed start (all parameters 1, in time units scaled so that the largest T is 1, as
/// lifetimes scales), falling back to Nelder-Mead from BFGS's best point if BFGS does not
/// converge. Pareto/NBD: Nelder-Mead from that start, restarted from its best point until a
/// restart no longer improves.
struct FitOptions {
  int max_iterations = 20000;          ///< optimizer iterations, BFGS's and Nelder-Mead's together
  double gradient_tolerance = 1e-9;    ///< BFGS: max |d/d log-parameter| of the mean negative log-likelihood
  double parameter_tolerance = 1e-8;   ///< Nelder-Mead: simplex diameter in log-parameters
  double value_tolerance = 1e-12;      ///< Nelder-Mead: spread of mean negative log-likelihoods
};

/// How a fit ended.
struct FitInfo {
  double log_likelihood = 0;  ///< total over customers, in the input's time units
  int iterations = 0;
  bool converged = false;     ///< tolerances met before max_iterations
  std::size_t customers = 0;  ///< rows the likelihood summed over
};

struct BgNbdParams {
  double r, alpha, a, b;
};
struct ParetoNbdParams {
  double r, alpha, s, beta;
};
struct GammaGammaParams {
  double p, q, v;
};

struct BgNbdFit {
  BgNbdParams params;
  FitInfo info;
};
struct ParetoNbdFit {
  ParetoNbdParams params;
  FitInfo info;
};
struct GammaGammaFit {
  GammaGammaParams params;
  FitInfo info;
};

/// Checks (as lifetimes' _check_inputs) then fits. Errors name the column and row:
/// non-integer or negative frequency, recency < 0, recency > T, recency != 0 when frequency is 0,
/// non-finite values, no rows, or every T 0.
BgNbdFit fit_bgnbd(const RfmColumns& data, const FitOptions& options = {});
ParetoNbdFit fit_pareto_nbd(const RfmColumns& data, const FitOptions& options = {});
/// Fits on the rows with frequency > 0 (rows with frequency 0 carry no repeat-spend information
/// and are skipped, counted out of info.customers); their monetary must be > 0.
GammaGammaFit fit_gamma_gamma(const SpendColumns& data, const FitOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Per-customer quantities (x = frequency, tx = recency, T = age, all in the fit's time units)

/// BG/NBD log-likelihood of one customer (Fader, Hardie & Lee 2005, eq. 6; lifetimes' A_1..A_4).
double bgnbd_log_likelihood(const BgNbdParams& params, double x, double tx, double T);
/// P(alive | x, tx, T); 1 when x is 0 (Hardie's note 021).
double bgnbd_p_alive(const BgNbdParams& params, double x, double tx, double T);
/// E[purchases in (T, T + t] | x, tx, T] (FHL 2005, eq. 10).
double bgnbd_expected_purchases(const BgNbdParams& params, double t, double x, double tx, double T);

/// Pareto/NBD log-likelihood of one customer (Hardie's note 009, eq. 18, with its 2F1 form).
double pareto_nbd_log_likelihood(const ParetoNbdParams& params, double x, double tx, double T);
double pareto_nbd_p_alive(const ParetoNbdParams& params, double x, double tx, double T);
double pareto_nbd_expected_purchases(const ParetoNbdParams& params, double t, double x, double tx, double T);

/// Gamma-Gamma log-density of a customer's mean repeat spend m over x purchases (Hardie's note 025).
double gamma_gamma_log_likelihood(const GammaGammaParams& params, double x, double m);
/// E[mean spend | x, m] = p (v + x m) / (p x + q - 1) (note 025, eq. 5).
double gamma_gamma_expected_spend(const GammaGammaParams& params, double x, double m);

/// lifetimes' customer_lifetime_value: sum over months i = 1..months of
/// spend * (E[Y(i f)] - E[Y((i - 1) f)]) / (1 + monthly_discount_rate)^i, f = periods per month
/// (D: 30, W: 4.345, M: 1), spend = Gamma-Gamma expected spend.
struct ClvOptions {
  int months = 12;
  double monthly_discount_rate = 0.01;
  Period period = Period::kDay;  ///< the unit the model's T is in
};
double bgnbd_clv(const BgNbdParams& model, const GammaGammaParams& spend, double x, double tx, double T,
                 double m, const ClvOptions& options);
double pareto_nbd_clv(const ParetoNbdParams& model, const GammaGammaParams& spend, double x, double tx,
                      double T, double m, const ClvOptions& options);

}  // namespace stageline::btyd
