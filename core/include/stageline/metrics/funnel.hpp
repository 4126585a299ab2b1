#pragma once
/// Event funnels over an events Dataset: how many customers did step 1, then step 2, ... within a
/// conversion window starting at step 1.
///
///   ordered (default)  a customer reaches step k when events of steps 1..k occur in this order
///                      (equal times count in input order), each a distinct event, all within
///                      windowDays of a step-1 event; the latest such step-1 event is the start
///   any                a customer reaches k steps when k distinct step types occur within some
///                      windowDays-long stretch, in any order
///   conversion         reached(k) / reached(1) from the start and reached(k) / reached(k − 1)
///                      from the previous step (null when the denominator is 0)
///   time to convert    per converting customer, at the first completion: the time from its start
///                      (ordered) or from the stretch's first step event (any) to the last step;
///                      median (the mean of the middle two for an even count) and mean, in ms
/// Guest rows (no customer id) are not in funnels.

#include <optional>
#include <string>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

struct FunnelOptions {
  std::vector<std::string> steps;
  double window_days = 14;
  bool any_order = false;
  std::optional<TimestampMs> from;  ///< events before are ignored
  std::optional<TimestampMs> to;    ///< events after are ignored

  /// Keys steps (array of 1 to 32 event types), windowDays, order ("ordered" or "any"), from, to.
  static FunnelOptions from_json(const Json& options);
};

/// {order, windowDays, steps: [{type, customers, conversionFromStart, conversionFromPrevious}],
///  converted, medianTimeToConvertMs, meanTimeToConvertMs}. Throws for datasets without types.
Json compute_funnel(const Dataset& dataset, const FunnelOptions& options);

}  // namespace stageline
