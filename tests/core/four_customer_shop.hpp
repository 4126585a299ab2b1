#pragma once
// The four-customer shop the dataset metric tests work out by hand:
//   a: Jan 5 (100), Feb 10 (50), Mar 3 (30)   b: Jan 20 (40), Mar 15 (60)
//   c: Feb 2 (20), Feb 20 (10)                 d: Mar 9 (80), return Mar 20 (−30)   guest: Feb 1 (500)

#include "stageline/datasets/dataset_loader.hpp"

namespace stageline::testing {

inline Dataset four_customer_shop() {
  DatasetLoader loader(IngestOptions::from_json({{"customerId", "customer"},
                                                 {"timestamp", "time"},
                                                 {"amount", "amount"},
                                                 {"orderId", "order"}},
                                                DatasetKind::kTransactions));
  loader.feed_csv(
      "customer,time,amount,order\n"
      "a,2024-01-05,100,o1\nb,2024-01-20,40,o2\n,2024-02-01,500,o3\nc,2024-02-02,20,o4\na,2024-02-"
      "10,50,o5\n"
      "c,2024-02-20,10,o6\na,2024-03-03,30,o7\nd,2024-03-09,80,o8\nb,2024-03-15,60,o9\nd,2024-03-"
      "20,30,C8\n",
      true);
  return loader.finish();
}

}  // namespace stageline::testing
