#pragma once
// lifetimes-style summaries as the JS object web/src/predictive/btyd.js reads, shared by the btyd bindings
// (transactions given as columns) and the dataset bindings (a dataset's purchases).

#include <emscripten/val.h>

#include <cmath>

#include "common/convert.hpp"
#include "stageline/predictive/btyd.hpp"

namespace stageline::wasm {

/// {customer, frequency, recency, T, monetary} typed arrays, plus {frequencyHoldout,
/// monetaryHoldout, durationHoldout} when `calibration_end_ms` is not NaN.
inline emscripten::val summary_value(const btyd::TransactionColumns& transactions, btyd::Period period,
                                     double observation_end_ms, double calibration_end_ms) {
  const auto columns = [](const btyd::Summary& s) {
    emscripten::val out = emscripten::val::object();
    out.set("customer", to_typed_array(s.customer));
    out.set("frequency", to_typed_array(s.frequency));
    out.set("recency", to_typed_array(s.recency));
    out.set("T", to_typed_array(s.T));
    out.set("monetary", to_typed_array(s.monetary));
    return out;
  };
  if (std::isnan(calibration_end_ms)) return columns(btyd::summarize(transactions, period, observation_end_ms));
  const btyd::CalibrationHoldout split =
      btyd::calibration_and_holdout(transactions, period, calibration_end_ms, observation_end_ms);
  emscripten::val out = columns(split.calibration);
  out.set("frequencyHoldout", to_typed_array(split.frequency_holdout));
  out.set("monetaryHoldout", to_typed_array(split.monetary_holdout));
  out.set("durationHoldout", split.duration_holdout);
  return out;
}

}  // namespace stageline::wasm
