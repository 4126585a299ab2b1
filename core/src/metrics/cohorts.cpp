#include "stageline/metrics/cohorts.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "stageline/common/error.hpp"
#include "stageline/json/json_time.hpp"

namespace stageline {
namespace {

// Cells grow with the square of the cohort count: 1,500 cohorts are 1.1 million cells.
constexpr std::int64_t kMaxCohortPeriods = 1'500;

}  // namespace

CohortOptions CohortOptions::from_json(const Json& options) {
  if (!options.is_object())
    throw Error(error_code::kInvalidConfig, "", expected_but_got("an options object", options));
  CohortOptions result;
  for (const auto& [key, value] : options.items()) {
    if (key == "period") {
      if (!value.is_string())
        throw Error(error_code::kInvalidConfig, "period",
                    expected_but_got("\"D\", \"W\" or \"M\"", value));
      result.period = parse_period(value.get<std::string>(), "period");
      if (result.period != Period::kDay && result.period != Period::kWeek &&
          result.period != Period::kMonth) {
        throw Error(error_code::kInvalidConfig, "period", "expected \"D\", \"W\" or \"M\"");
      }
    } else if (key == "to") {
      if (value.is_null()) continue;
      result.to = timestamp_from_json(value);
      if (!result.to)
        throw Error(error_code::kInvalidConfig, "to",
                    expected_but_got("an ISO-8601 string or epoch milliseconds", value));
    } else {
      throw Error(error_code::kInvalidConfig, key, "unknown option (expected period or to)");
    }
  }
  return result;
}

Json compute_cohorts(const Dataset& d, const CohortOptions& options) {
  const Period period = options.period;
  const Dataset::Orders& orders = d.orders();
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  if (options.to)
    last = period_index(*options.to, period);
  else if (d.row_count() > 0)
    last = period_index(*std::max_element(d.timestamp().begin(), d.timestamp().end()), period);

  // Each customer's cohort: the period of the first purchase (orders are sorted by time).
  const std::size_t customers = d.order_begin().empty() ? 0 : d.customer_count();
  std::vector<std::int64_t> cohort_of(customers, std::numeric_limits<std::int64_t>::max());
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  for (std::size_t c = 0; c < customers; ++c) {
    for (std::size_t i = d.order_begin()[c]; i < d.order_begin()[c + 1]; ++i) {
      if (!orders.is_purchase(i)) continue;
      cohort_of[c] = period_index(orders.time[i], period);
      first = std::min(first, cohort_of[c]);
      break;
    }
  }
  const std::int64_t count = last >= first ? last - first + 1 : 0;
  if (count > kMaxCohortPeriods) {
    throw Error(error_code::kLimitExceeded, "period",
                "more than 1,500 cohorts; choose a longer period or a later start");
  }
  const auto n = static_cast<std::size_t>(count);
  // Row c holds n − c cells (k = 0 .. last − cohort), so the triangle is stored row by row.
  const std::size_t cells = n * (n + 1) / 2;
  std::vector<double> size(n), returned(cells), on_or_after(cells), revenue(cells);
  const auto cell = [n](std::size_t c, std::size_t k) {
    return c * n - c * (c - (c > 0 ? 1 : 0)) / 2 + k;
  };
  for (std::size_t c = 0; c < customers; ++c) {
    if (cohort_of[c] > last) continue;  // no purchase, or acquired after the observation end
    const auto row = static_cast<std::size_t>(cohort_of[c] - first);
    size[row] += 1;
    std::int64_t previous_k = -1;
    std::int64_t last_k = -1;
    for (std::size_t i = d.order_begin()[c]; i < d.order_begin()[c + 1]; ++i) {
      const std::int64_t k = period_index(orders.time[i], period) - cohort_of[c];
      if (k < 0 || cohort_of[c] + k > last) continue;
      revenue[cell(row, static_cast<std::size_t>(k))] += orders.amount[i];
      if (!orders.is_purchase(i)) continue;
      if (k != previous_k) returned[cell(row, static_cast<std::size_t>(k))] += 1;
      previous_k = k;
      last_k = std::max(last_k, k);
    }
    for (std::int64_t k = 0; k <= last_k; ++k)
      on_or_after[cell(row, static_cast<std::size_t>(k))] += 1;
  }

  Json labels = Json::array(), starts = Json::array(), sizes = Json::array();
  Json returned_json = Json::array(), returned_rate = Json::array(), after_json = Json::array(),
       after_rate = Json::array(), revenue_json = Json::array();
  for (std::size_t c = 0; c < n; ++c) {
    const std::int64_t p = first + static_cast<std::int64_t>(c);
    labels.push_back(period_label(p, period));
    starts.push_back(period_start(p, period));
    sizes.push_back(size[c]);
    Json r = Json::array(), rr = Json::array(), a = Json::array(), ar = Json::array(),
         v = Json::array();
    for (std::size_t k = 0; k < n - c; ++k) {
      r.push_back(returned[cell(c, k)]);
      a.push_back(on_or_after[cell(c, k)]);
      v.push_back(revenue[cell(c, k)]);
      rr.push_back(size[c] == 0 ? Json(nullptr) : Json(returned[cell(c, k)] / size[c]));
      ar.push_back(size[c] == 0 ? Json(nullptr) : Json(on_or_after[cell(c, k)] / size[c]));
    }
    returned_json.push_back(r);
    returned_rate.push_back(rr);
    after_json.push_back(a);
    after_rate.push_back(ar);
    revenue_json.push_back(v);
  }
  static constexpr const char* kPeriodNames[] = {"D", "W", "M", "Q", "Y"};
  return Json{{"period", kPeriodNames[static_cast<int>(period)]},
              {"cohorts", labels},
              {"start", starts},
              {"size", sizes},
              {"returned", returned_json},
              {"returnedRate", returned_rate},
              {"onOrAfter", after_json},
              {"onOrAfterRate", after_rate},
              {"revenue", revenue_json}};
}

}  // namespace stageline
