// Input checks and row collapsing shared by the three fits.

#include "predictive/btyd_rows.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "stageline/common/error.hpp"

namespace stageline::btyd {
namespace {

[[noreturn]] void fail(const char* column, std::size_t row, const std::string& expected) {
  throw Error(error_code::kInvalidArgument, std::string(column) + "[" + std::to_string(row) + "]", expected);
}

double checked_frequency(const double* frequency, std::size_t i) {
  const double x = frequency[i];
  if (!std::isfinite(x) || x < 0 || x != std::floor(x) || x > 4e9) fail("frequency", i, "expected a whole number >= 0");
  return x;
}

std::uint32_t index_of(const std::vector<double>& sorted, double value) {
  return static_cast<std::uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
}

void sort_unique(std::vector<double>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

}  // namespace

CompressedRfm compress_rfm(const RfmColumns& data) {
  if (data.size == 0) throw Error(error_code::kInvalidArgument, "frequency", "expected at least one customer");
  struct Triple {
    double x, tx, T;
    bool operator<(const Triple& o) const { return std::tie(x, tx, T) < std::tie(o.x, o.tx, o.T); }
    bool operator==(const Triple& o) const { return x == o.x && tx == o.tx && T == o.T; }
  };
  std::vector<Triple> triples(data.size);
  CompressedRfm out;
  for (std::size_t i = 0; i < data.size; ++i) {
    const double x = checked_frequency(data.frequency, i);
    const double tx = data.recency[i];
    const double T = data.T[i];
    if (!std::isfinite(T) || T < 0) fail("T", i, "expected a finite age >= 0");
    if (!std::isfinite(tx) || tx < 0) fail("recency", i, "expected a finite recency >= 0");
    if (tx > T) fail("recency", i, "expected a recency at most T (" + std::to_string(T) + ")");
    if (x == 0 && tx != 0) fail("recency", i, "expected recency 0 when frequency is 0");
    triples[i] = {x, tx, T};
    out.max_T = std::max(out.max_T, T);
  }
  if (!(out.max_T > 0)) throw Error(error_code::kInvalidArgument, "T", "expected at least one age T > 0");
  std::sort(triples.begin(), triples.end());
  out.times.reserve(2 * data.size);
  for (const Triple& t : triples) {
    if (out.x_values.empty() || out.x_values.back() != t.x) out.x_values.push_back(t.x);
    out.times.push_back(t.tx);
    out.times.push_back(t.T);
  }
  sort_unique(out.times);
  for (std::size_t i = 0; i < triples.size();) {
    std::size_t j = i;
    while (j < triples.size() && triples[j] == triples[i]) ++j;
    out.rows.push_back({index_of(out.x_values, triples[i].x), index_of(out.times, triples[i].tx),
                        index_of(out.times, triples[i].T), static_cast<double>(j - i)});
    i = j;
  }
  out.total_weight = static_cast<double>(data.size);
  return out;
}

CompressedSpend compress_spend(const SpendColumns& data) {
  std::vector<std::pair<double, double>> pairs;
  pairs.reserve(data.size);
  for (std::size_t i = 0; i < data.size; ++i) {
    const double x = checked_frequency(data.frequency, i);
    if (x == 0) continue;
    const double m = data.monetary[i];
    if (!std::isfinite(m) || m <= 0) fail("monetary", i, "expected a monetary value > 0 where frequency > 0");
    pairs.emplace_back(x, m);
  }
  if (pairs.empty()) throw Error(error_code::kInvalidArgument, "frequency", "expected at least one customer with frequency > 0");
  std::sort(pairs.begin(), pairs.end());
  CompressedSpend out;
  for (const auto& pair : pairs) {
    if (out.x_values.empty() || out.x_values.back() != pair.first) out.x_values.push_back(pair.first);
  }
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    out.rows.push_back({index_of(out.x_values, pairs[i].first), pairs[i].second, static_cast<double>(j - i)});
    i = j;
  }
  out.total_weight = static_cast<double>(pairs.size());
  return out;
}

}  // namespace stageline::btyd
