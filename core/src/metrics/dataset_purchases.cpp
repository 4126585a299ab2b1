#include "stageline/metrics/dataset_purchases.hpp"

namespace stageline {

PurchaseColumns purchase_columns(const Dataset& dataset) {
  const Dataset::Orders& orders = dataset.orders();
  PurchaseColumns out;
  out.customer_count = static_cast<std::uint32_t>(dataset.customer_count());
  out.customer.reserve(orders.size());
  out.timestamp_ms.reserve(orders.size());
  out.amount.reserve(orders.size());
  for (std::size_t i = 0; i < orders.size(); ++i) {
    if (!orders.is_purchase(i)) continue;
    out.customer.push_back(orders.customer[i]);
    out.timestamp_ms.push_back(static_cast<double>(orders.time[i]));
    out.amount.push_back(orders.amount[i]);
  }
  return out;
}

}  // namespace stageline
