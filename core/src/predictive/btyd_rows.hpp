#pragma once
// Model inputs collapsed to distinct (x, tx, T) rows with counts, as lifetimes fits with weights,
// plus tables of the distinct frequencies and times so that a likelihood evaluation computes each
// log(alpha + t) or lgamma(r + x) once per distinct value, not once per customer. Not public API.

#include <cstdint>
#include <vector>

#include "stageline/predictive/btyd.hpp"

namespace stageline::btyd {

struct CompressedRfm {
  struct Row {
    std::uint32_t x;   ///< index into x_values
    std::uint32_t tx;  ///< index into times
    std::uint32_t T;   ///< index into times
    double weight;     ///< customers with this (x, tx, T)
  };
  std::vector<double> x_values;  ///< distinct frequencies, ascending
  std::vector<double> times;     ///< distinct recencies and ages, ascending, in input units
  std::vector<Row> rows;
  double total_weight = 0;
  double max_T = 0;
};

/// Validates (lifetimes' _check_inputs, with row numbers in the errors) and collapses.
CompressedRfm compress_rfm(const RfmColumns& data);

/// Distinct (x, m) pairs with x > 0 and counts; rows with x == 0 are skipped.
struct CompressedSpend {
  struct Row {
    std::uint32_t x;
    double m;
    double weight;
  };
  std::vector<double> x_values;
  std::vector<Row> rows;
  double total_weight = 0;
};

CompressedSpend compress_spend(const SpendColumns& data);

}  // namespace stageline::btyd
