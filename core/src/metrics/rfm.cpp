#include "stageline/metrics/rfm.hpp"

#include <algorithm>
#include <cmath>

#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"

namespace stageline {
namespace {

void read_range(const Json& rule, const char* key, const std::string& path, int& low, int& high) {
  const auto found = rule.find(key);
  if (found == rule.end()) return;
  const std::string where = join_path(path, key);
  if (!found->is_array() || found->size() != 2 || !(*found)[0].is_number_integer() ||
      !(*found)[1].is_number_integer()) {
    throw Error(error_code::kInvalidConfig, where,
                expected_but_got("[min, max] with whole scores 1-5", *found));
  }
  low = (*found)[0].get<int>();
  high = (*found)[1].get<int>();
  if (low < 1 || high > 5 || low > high)
    throw Error(error_code::kInvalidConfig, where, "expected 1 ≤ min ≤ max ≤ 5");
}

}  // namespace

std::vector<RfmSegmentRule> default_rfm_segments() {
  return {
      {"Champions", 5, 5, 4, 5, 1, 5},
      {"Loyal Customers", 3, 4, 4, 5, 1, 5},
      {"Potential Loyalist", 4, 5, 2, 3, 1, 5},
      {"New Customers", 5, 5, 1, 1, 1, 5},
      {"Promising", 4, 4, 1, 1, 1, 5},
      {"Need Attention", 3, 3, 3, 3, 1, 5},
      {"About To Sleep", 3, 3, 1, 2, 1, 5},
      {"Can't Lose Them", 1, 2, 5, 5, 1, 5},
      {"At Risk", 1, 2, 3, 4, 1, 5},
      {"Hibernating", 2, 2, 1, 2, 1, 5},
      {"Lost", 1, 1, 1, 2, 1, 5},
  };
}

RfmOptions RfmOptions::from_json(const Json& options) {
  if (!options.is_object())
    throw Error(error_code::kInvalidConfig, "", expected_but_got("an options object", options));
  RfmOptions result;
  for (const auto& [key, value] : options.items()) {
    if (key == "at") {
      if (value.is_null()) continue;
      result.at = timestamp_from_json(value);
      if (!result.at)
        throw Error(error_code::kInvalidConfig, "at",
                    expected_but_got("an ISO-8601 string or epoch milliseconds", value));
    } else if (key == "segments") {
      if (!value.is_array() || value.empty() || value.size() >= kNoSegment) {
        throw Error(error_code::kInvalidConfig, "segments",
                    expected_but_got("an array of 1 to 254 rules", value));
      }
      result.segments.clear();
      for (std::size_t i = 0; i < value.size(); ++i) {
        const Json& rule = value[i];
        const std::string path = join_path("segments", i);
        if (!rule.is_object())
          throw Error(error_code::kInvalidConfig, path,
                      expected_but_got("a rule {name, r, f, m}", rule));
        for (const auto& [member, ignored] : rule.items()) {
          if (member != "name" && member != "r" && member != "f" && member != "m") {
            throw Error(error_code::kInvalidConfig, join_path(path, member),
                        "unknown member (expected name, r, f, m)");
          }
        }
        RfmSegmentRule parsed;
        const auto name = rule.find("name");
        if (name == rule.end() || !name->is_string()) {
          throw Error(error_code::kInvalidConfig, join_path(path, "name"),
                      "expected the segment's name");
        }
        parsed.name = name->get<std::string>();
        read_range(rule, "r", path, parsed.r_min, parsed.r_max);
        read_range(rule, "f", path, parsed.f_min, parsed.f_max);
        read_range(rule, "m", path, parsed.m_min, parsed.m_max);
        result.segments.push_back(std::move(parsed));
      }
    } else {
      throw Error(error_code::kInvalidConfig, key, "unknown option (expected at or segments)");
    }
  }
  return result;
}

std::vector<std::uint8_t> quintile_scores(const std::vector<double>& values, bool higher_is_better) {
  // One sort of (value, position), then each run of equal values gets the score of the number of
  // values ranked below it: those before the run (ascending) or after it (lower is better).
  const std::size_t n = values.size();
  std::vector<std::pair<double, std::uint32_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {values[i], static_cast<std::uint32_t>(i)};
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::uint8_t> scores(n);
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && sorted[end].first == sorted[begin].first) ++end;
    const std::size_t below = higher_is_better ? begin : n - end;
    const auto score = static_cast<std::uint8_t>(1 + (5 * below) / n);
    for (std::size_t i = begin; i < end; ++i) scores[sorted[i].second] = score;
    begin = end;
  }
  return scores;
}

RfmResult compute_rfm(const Dataset& d, const RfmOptions& options) {
  RfmResult result;
  if (options.at) {
    result.at = *options.at;
  } else if (d.row_count() > 0) {
    const TimestampMs latest = *std::max_element(d.timestamp().begin(), d.timestamp().end());
    result.at = (utc_day(latest) + 1) * kMsPerDay;
  }
  const Dataset::Orders& orders = d.orders();
  const std::size_t customers = d.order_begin().empty() ? 0 : d.customer_count();
  result.customers_without_purchase = d.customer_count() - customers;
  for (std::size_t c = 0; c < customers; ++c) {
    std::size_t purchases = 0;
    double net = 0;
    TimestampMs last = 0;
    // Orders are sorted by time within a customer: stop at the first one after `at`.
    for (std::size_t i = d.order_begin()[c];
         i < d.order_begin()[c + 1] && orders.time[i] <= result.at; ++i) {
      net += orders.amount[i];
      if (orders.is_purchase(i)) {
        ++purchases;
        last = orders.time[i];
      }
    }
    if (purchases == 0) {
      ++result.customers_without_purchase;
      continue;
    }
    result.customer.push_back(static_cast<std::uint32_t>(c));
    result.last_purchase.push_back(static_cast<double>(last));
    result.recency_days.push_back(static_cast<double>(result.at - last) /
                                  static_cast<double>(kMsPerDay));
    result.frequency.push_back(static_cast<double>(purchases));
    result.monetary.push_back(net);
  }
  result.r = quintile_scores(result.recency_days, false);
  result.f = quintile_scores(result.frequency, true);
  result.m = quintile_scores(result.monetary, true);
  result.segment.assign(result.customer.size(), kNoSegment);
  for (std::size_t i = 0; i < result.customer.size(); ++i) {
    for (std::size_t s = 0; s < options.segments.size(); ++s) {
      const RfmSegmentRule& rule = options.segments[s];
      if (result.r[i] >= rule.r_min && result.r[i] <= rule.r_max && result.f[i] >= rule.f_min &&
          result.f[i] <= rule.f_max && result.m[i] >= rule.m_min && result.m[i] <= rule.m_max) {
        result.segment[i] = static_cast<std::uint8_t>(s);
        break;
      }
    }
  }
  return result;
}

}  // namespace stageline
