// lifetimes' summary_data_from_transaction_data and calibration_and_holdout_data over plain
// columns: transactions are grouped by customer with a counting sort (O(n)), then each customer's
// few (period, amount) pairs are sorted and merged per period.

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "stageline/common/error.hpp"
#include "stageline/predictive/btyd.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline::btyd {
namespace {

// JavaScript's Date range; times outside it are refused rather than wrapped.
constexpr double kMaxAbsTimestampMs = 8.64e15;

std::string indexed(const char* column, std::size_t row) { return std::string(column) + "[" + std::to_string(row) + "]"; }

double checked_time(double ms, const std::string& path) {
  if (!std::isfinite(ms) || std::fabs(ms) > kMaxAbsTimestampMs) {
    throw Error(error_code::kInvalidArgument, path, "expected a finite time in epoch milliseconds");
  }
  return ms;
}

struct PeriodAmount {
  std::int64_t period;
  double amount;
  bool operator<(const PeriodAmount& other) const { return period < other.period; }
};

/// Transactions passing `keep`, grouped by customer: entries[offsets[c] .. offsets[c + 1]).
struct Grouped {
  std::vector<std::size_t> offsets;
  std::vector<PeriodAmount> entries;
};

template <typename Keep>
Grouped group_by_customer(const TransactionColumns& tx, Period period, Keep&& keep) {
  Grouped grouped;
  grouped.offsets.assign(static_cast<std::size_t>(tx.customer_count) + 1, 0);
  std::vector<std::int64_t> periods(tx.size);
  std::vector<char> kept(tx.size, 0);
  for (std::size_t i = 0; i < tx.size; ++i) {
    if (tx.customer[i] >= tx.customer_count) {
      throw Error(error_code::kInvalidArgument, indexed("customers", i),
                  "expected a customer index below " + std::to_string(tx.customer_count));
    }
    const double ms = checked_time(tx.timestamp_ms[i], indexed("timestamps", i));
    if (tx.amount != nullptr && !std::isfinite(tx.amount[i])) {
      throw Error(error_code::kInvalidArgument, indexed("amounts", i), "expected a finite amount");
    }
    periods[i] = period_ordinal(ms, period);
    if (!keep(ms, periods[i])) continue;
    kept[i] = 1;
    ++grouped.offsets[tx.customer[i] + 1];
  }
  for (std::size_t c = 1; c < grouped.offsets.size(); ++c) grouped.offsets[c] += grouped.offsets[c - 1];
  grouped.entries.resize(grouped.offsets.back());
  std::vector<std::size_t> cursor(grouped.offsets.begin(), grouped.offsets.end() - 1);
  for (std::size_t i = 0; i < tx.size; ++i) {
    if (!kept[i]) continue;
    grouped.entries[cursor[tx.customer[i]]++] = {periods[i], tx.amount != nullptr ? tx.amount[i] : 0.0};
  }
  return grouped;
}

Summary summarize_grouped(Grouped& grouped, std::int64_t end_period) {
  Summary out;
  const std::size_t customers = grouped.offsets.size() - 1;
  for (std::size_t c = 0; c < customers; ++c) {
    const auto begin = grouped.entries.begin() + static_cast<std::ptrdiff_t>(grouped.offsets[c]);
    const auto end = grouped.entries.begin() + static_cast<std::ptrdiff_t>(grouped.offsets[c + 1]);
    if (begin == end) continue;
    std::sort(begin, end);
    const std::int64_t first = begin->period;
    std::int64_t last = first;
    double repeat_periods = 0;
    double repeat_total = 0;
    for (auto it = begin; it != end; ++it) {
      if (it->period != first) repeat_total += it->amount;  // the first period's total is excluded
      if (it->period != last) {
        ++repeat_periods;
        last = it->period;
      }
    }
    out.customer.push_back(static_cast<std::uint32_t>(c));
    out.frequency.push_back(repeat_periods);
    out.recency.push_back(static_cast<double>(last - first));
    out.T.push_back(static_cast<double>(end_period - first));
    out.monetary.push_back(repeat_periods > 0 ? repeat_total / repeat_periods : 0.0);
  }
  return out;
}

void check_columns(const TransactionColumns& tx) {
  if (tx.size > 0 && (tx.customer == nullptr || tx.timestamp_ms == nullptr)) {
    throw Error(error_code::kInvalidArgument, "", "customer and timestamp columns are required");
  }
}

}  // namespace

Period parse_period(std::string_view text, const char* path) {
  if (text == "D") return Period::kDay;
  if (text == "W") return Period::kWeek;
  if (text == "M") return Period::kMonth;
  throw Error(error_code::kInvalidArgument, path, "expected \"D\", \"W\" or \"M\", got \"" + std::string(text) + "\"");
}

std::int64_t period_ordinal(double timestamp_ms, Period period) {
  const auto ms = static_cast<TimestampMs>(std::floor(timestamp_ms));
  const std::int64_t day = utc_day(ms);
  switch (period) {
    case Period::kDay:
      return day;
    case Period::kWeek: {
      // 1970-01-01 was a Thursday: day + 3 counts from Monday 1969-12-29, floored to whole weeks.
      const std::int64_t shifted = day + 3;
      return shifted >= 0 ? shifted / 7 : -((-shifted + 6) / 7);
    }
    case Period::kMonth:
      return utc_month(ms);
  }
  return day;
}

Summary summarize(const TransactionColumns& transactions, Period period, double observation_end_ms) {
  check_columns(transactions);
  const std::int64_t end_period = period_ordinal(checked_time(observation_end_ms, "observationEnd"), period);
  Grouped grouped =
      group_by_customer(transactions, period, [end_period](double, std::int64_t p) { return p <= end_period; });
  return summarize_grouped(grouped, end_period);
}

CalibrationHoldout calibration_and_holdout(const TransactionColumns& transactions, Period period,
                                           double calibration_end_ms, double observation_end_ms) {
  check_columns(transactions);
  checked_time(calibration_end_ms, "calibrationEnd");
  checked_time(observation_end_ms, "observationEnd");
  if (calibration_end_ms > observation_end_ms) {
    throw Error(error_code::kInvalidArgument, "calibrationEnd", "expected a time at or before observationEnd");
  }
  const std::int64_t calibration_period = period_ordinal(calibration_end_ms, period);
  Grouped calibration = group_by_customer(transactions, period, [&](double ms, std::int64_t) {
    return ms <= calibration_end_ms;  // lifetimes filters on raw times, then summarizes
  });
  CalibrationHoldout out;
  out.calibration = summarize_grouped(calibration, calibration_period);
  out.duration_holdout = static_cast<double>(period_ordinal(observation_end_ms, period) - calibration_period);

  Grouped holdout = group_by_customer(transactions, period, [&](double ms, std::int64_t) {
    return ms > calibration_end_ms && ms <= observation_end_ms;
  });
  const std::size_t rows = out.calibration.customer.size();
  out.frequency_holdout.assign(rows, 0.0);
  out.monetary_holdout.assign(rows, 0.0);
  for (std::size_t row = 0; row < rows; ++row) {
    const std::uint32_t c = out.calibration.customer[row];
    const auto begin = holdout.entries.begin() + static_cast<std::ptrdiff_t>(holdout.offsets[c]);
    const auto end = holdout.entries.begin() + static_cast<std::ptrdiff_t>(holdout.offsets[c + 1]);
    if (begin == end) continue;
    std::sort(begin, end);
    double periods = 0;
    double total = 0;
    for (auto it = begin; it != end; ++it) {
      if (it == begin || it->period != (it - 1)->period) ++periods;
      total += it->amount;
    }
    out.frequency_holdout[row] = periods;
    // lifetimes averages the holdout's raw transactions here, not per-period totals.
    out.monetary_holdout[row] = total / static_cast<double>(end - begin);
  }
  return out;
}

}  // namespace stageline::btyd
