#pragma once
/// Datasets: transactions or events loaded from CSV, NDJSON or columns, kept column-wise
/// (dictionary-encoded ids, numeric columns) for the metrics of metrics.hpp, rfm.hpp and
/// cohorts.hpp. Build one with a DatasetLoader (dataset_loader.hpp).
///
/// Transactions are order lines: customer, time, amount (or quantity × unit price) and optionally
/// an order id. Lines of one order are summed into an *order* (orders()); an order whose net
/// amount is negative is a *return* (a cancellation: negative quantities, or an order id with the
/// cancel prefix), every other order is a *purchase*. Revenue is always net: returns subtract.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stageline/common/string_dictionary.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

enum class DatasetKind : std::uint8_t { kTransactions, kEvents };

/// One rejected or excluded input row.
struct IngestIssue {
  std::size_t row = 0;   ///< CSV: record number counting the header as row 1; NDJSON: line number
  std::size_t line = 0;  ///< 1-based line on which the row starts (differs from `row` in CSV after
                         ///< quoted line breaks)
  std::string column;    ///< input column name ("" when the row as a whole is at fault)
  std::string reason;    ///< machine-readable: invalid_timestamp, invalid_number, missing_value,
                         ///< ragged_row, csv_syntax, invalid_json, out_of_range, zero_amount,
                         ///< non_product, invalid_value (NDJSON: not a string or number)
  std::string message;   ///< what was wrong and what was expected
  bool excluded =
      false;  ///< dropped by an ingest policy (zero amount, non-product line), not invalid
};

/// What loading did with every input row.
struct IngestReport {
  std::size_t rows_read = 0;      ///< data rows seen (header and blank lines not counted)
  std::size_t rows_loaded = 0;    ///< kept in the dataset (= Dataset::row_count())
  std::size_t rows_rejected = 0;  ///< invalid (an issue each)
  std::size_t rows_excluded = 0;  ///< dropped by a policy (an issue each)
  std::size_t guest_rows = 0;   ///< loaded rows without a customer id (out of per-customer metrics)
  std::size_t return_rows = 0;  ///< loaded transaction lines with a negative amount
  std::size_t issue_count = 0;  ///< = rows_rejected + rows_excluded
  std::vector<IngestIssue> issues;  ///< the first IngestOptions::max_issues issues, in input order
  std::vector<std::pair<std::string, std::size_t>> issues_by_reason;  ///< every issue counted
};

class Dataset {
 public:
  /// Customer code of rows without a customer id (guests).
  static constexpr std::uint32_t kGuest = 0xFFFFFFFF;
  /// Order / type code of rows without one.
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  /// Orders of identified customers: one per distinct order id, or one per line when no order id is
  /// mapped (events datasets: purchase/order events are purchases of their amount, refund/return
  /// events returns of it, other events are not orders). `time` is the earliest line's, `amount`
  /// the net sum of lines, `customer` the first line's. Sorted by customer, then time (then input
  /// order).
  struct Orders {
    std::vector<std::uint32_t> customer;
    std::vector<TimestampMs> time;
    std::vector<double> amount;
    std::size_t size() const noexcept { return customer.size(); }
    bool is_purchase(std::size_t i) const noexcept { return amount[i] >= 0; }
  };

  DatasetKind kind() const noexcept { return kind_; }
  std::size_t row_count() const noexcept { return timestamp_.size(); }
  /// Distinct identified customers.
  std::size_t customer_count() const noexcept { return customers_.size(); }

  /// Row columns, in input order (rejected and excluded rows are not in them).
  const StringDictionary& customer_ids() const noexcept { return customers_; }
  const std::vector<std::uint32_t>& customer() const noexcept {
    return customer_;
  }  ///< kGuest for guests
  const std::vector<TimestampMs>& timestamp() const noexcept { return timestamp_; }
  /// Line amount (quantity × unit price when those are mapped; negative for returns). Empty when
  /// no amount is mapped (events); NaN for an event row without one.
  const std::vector<double>& amount() const noexcept { return amount_; }
  const std::vector<double>& quantity() const noexcept {
    return quantity_;
  }  ///< empty when unmapped
  const std::vector<double>& unit_price() const noexcept {
    return unit_price_;
  }  ///< empty when unmapped
  const std::vector<double>& score() const noexcept {
    return score_;
  }  ///< NaN = none; empty when unmapped
  /// Order ids by code (compacted: finding a code by its text is a linear scan).
  const StringDictionary& order_ids() const noexcept { return order_ids_; }
  const std::vector<std::uint32_t>& order() const noexcept {
    return order_;
  }  ///< empty when unmapped
  const StringDictionary& types() const noexcept { return types_; }
  const std::vector<std::uint32_t>& type() const noexcept {
    return type_;
  }  ///< empty when unmapped

  /// The orders of identified customers (see Orders).
  const Orders& orders() const noexcept { return orders_; }
  /// orders() positions of each customer: orders of customer c are
  /// [order_begin()[c], order_begin()[c + 1]).
  const std::vector<std::uint32_t>& order_begin() const noexcept { return order_begin_; }

  const IngestReport& report() const noexcept { return report_; }

 private:
  friend class DatasetLoader;

  DatasetKind kind_ = DatasetKind::kTransactions;
  StringDictionary customers_;
  std::vector<std::uint32_t> customer_;
  std::vector<TimestampMs> timestamp_;
  std::vector<double> amount_;
  std::vector<double> quantity_;
  std::vector<double> unit_price_;
  std::vector<double> score_;
  StringDictionary order_ids_;
  std::vector<std::uint32_t> order_;
  StringDictionary types_;
  std::vector<std::uint32_t> type_;
  Orders orders_;
  std::vector<std::uint32_t> order_begin_;
  IngestReport report_;
};

}  // namespace stageline
