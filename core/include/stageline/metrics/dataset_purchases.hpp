#pragma once
/// A dataset's purchases as the transaction rows of the buy-till-you-die summary (btyd.hpp): one
/// row per order of an identified customer whose net amount is not negative (returns and
/// cancellations have already netted out of their order; an order that is only a return is not a
/// purchase), at the order's time.

#include <cstdint>
#include <vector>

#include "stageline/metrics/dataset.hpp"
#include "stageline/predictive/btyd.hpp"

namespace stageline {

struct PurchaseColumns {
  std::vector<std::uint32_t> customer;  ///< customer code (index into the dataset's customer ids)
  std::vector<double> timestamp_ms;
  std::vector<double> amount;
  std::uint32_t customer_count = 0;

  /// A view for btyd::summarize; valid while this object lives.
  btyd::TransactionColumns view() const {
    return {customer.data(), timestamp_ms.data(), amount.data(), customer.size(), customer_count};
  }
};

PurchaseColumns purchase_columns(const Dataset& dataset);

}  // namespace stageline
