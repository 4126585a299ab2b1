#include "stageline/metrics/kpis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "json/config_reader.hpp"
#include "metrics/survey_tally.hpp"
#include "stageline/common/error.hpp"
#include "stageline/metrics/estimates.hpp"
#include "stageline/profiles/event.hpp"

namespace stageline {
namespace {

using config::number_option;
using config::string_option;

Json ratio(double numerator, double denominator) {
  if (denominator == 0 || !std::isfinite(numerator / denominator)) return nullptr;
  return numerator / denominator;
}

Json change_of(const Json& series) {
  Json change = Json::array();
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (i == 0 || series[i].is_null() || series[i - 1].is_null() ||
        series[i - 1].get<double>() == 0) {
      change.push_back(nullptr);
    } else {
      const double before = series[i - 1].get<double>();
      change.push_back((series[i].get<double>() - before) / std::fabs(before));
    }
  }
  return change;
}

}  // namespace

KpiOptions KpiOptions::from_json(const Json& options) {
  if (!options.is_object())
    throw Error(error_code::kInvalidConfig, "", expected_but_got("an options object", options));
  static constexpr const char* kKeys[] = {
      "period", "from",  "to",          "loyaltyOrders",   "lifespanPeriods",
      "margin", "spend", "signupEvent", "activationEvent", "activationWindowDays"};
  for (const auto& [key, value] : options.items()) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      throw Error(error_code::kInvalidConfig, key,
                  "unknown option (expected period, from, to, loyaltyOrders, lifespanPeriods, "
                  "margin, spend, signupEvent, activationEvent or activationWindowDays)");
    }
  }
  KpiOptions result;
  result.period = parse_period(string_option(options, "period", "M"), "period");
  result.from = config::time_member(options, "from");
  result.to = config::time_member(options, "to");
  result.loyalty_orders = static_cast<std::size_t>(number_option(options, "loyaltyOrders", 4, 1));
  if (const auto found = options.find("lifespanPeriods");
      found != options.end() && !found->is_null()) {
    result.lifespan_periods = number_option(options, "lifespanPeriods", 0, 0);
  }
  result.margin = number_option(options, "margin", 1, 0);
  if (const auto spend = options.find("spend"); spend != options.end() && !spend->is_null()) {
    if (!spend->is_object())
      throw Error(error_code::kInvalidConfig, "spend",
                  expected_but_got("an object {periodLabel: amount}", *spend));
    for (const auto& [label, amount] : spend->items()) {
      if (!amount.is_number())
        throw Error(error_code::kInvalidConfig, join_path("spend", label),
                    expected_but_got("a number", amount));
      result.spend.emplace_back(label, amount.get<double>());
    }
  }
  result.signup_event = string_option(options, "signupEvent", "signup");
  result.activation_event = string_option(options, "activationEvent", "");
  result.activation_window_days = number_option(options, "activationWindowDays", 7, 0);
  return result;
}

Json compute_kpis(const Dataset& d, const KpiOptions& o) {
  const Dataset::Orders& orders = d.orders();
  const Period period = o.period;
  const SurveyRows surveys(d);

  // The periods: from the first to the last row of the dataset, unless given.
  const PeriodSpan span = period_span(d.timestamp(), period, o.from, o.to);
  const std::int64_t first = span.first;
  const std::int64_t last = span.first + static_cast<std::int64_t>(span.count) - 1;
  const std::size_t periods = span.count;

  // Slot 0 is the period before the first (for S of the first period); slot k is period first + k
  // − 1.
  const auto slot = [&](std::int64_t p) -> std::size_t {
    return p < first - 1 || p > last ? SIZE_MAX : static_cast<std::size_t>(p - (first - 1));
  };
  std::vector<double> active(periods + 1), fresh(periods + 1), retained(periods + 1),
      purchases(periods + 1), revenue(periods + 1), repeat(periods + 1), loyal(periods + 1);
  for (std::size_t c = 0; c < d.customer_count() && periods > 0; ++c) {
    const std::size_t begin = d.order_begin()[c];
    const std::size_t end = d.order_begin()[c + 1];
    std::size_t so_far = 0;  // purchases up to the end of the current period
    std::int64_t previous = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = begin; i < end;) {
      const std::int64_t p = period_index(orders.time[i], period);
      std::size_t in_period = 0;
      double net = 0;
      for (; i < end && period_index(orders.time[i], period) == p; ++i) {
        net += orders.amount[i];
        if (orders.is_purchase(i)) ++in_period;
      }
      const std::size_t s = slot(p);
      if (s != SIZE_MAX) revenue[s] += net;
      if (in_period == 0) continue;
      so_far += in_period;
      if (s != SIZE_MAX) {
        purchases[s] += static_cast<double>(in_period);
        active[s] += 1;
        if (previous == std::numeric_limits<std::int64_t>::min()) fresh[s] += 1;
        if (previous == p - 1) retained[s] += 1;
        if (so_far >= 2) repeat[s] += 1;
        if (so_far >= o.loyalty_orders) loyal[s] += 1;
      }
      previous = p;
    }
  }

  // Activation: first signup per customer, then an activation event within the window.
  std::vector<double> signups(periods + 1), activated(periods + 1);
  if (!o.activation_event.empty()) {
    if (d.type().empty()) {
      throw Error(error_code::kInvalidConfig, "activationEvent",
                  "needs a dataset with event types (sl.loadEvents with a type column)");
    }
    const auto signup_type = d.types().find(o.signup_event);
    const auto activation_type = d.types().find(o.activation_event);
    std::vector<TimestampMs> signed_up(d.customer_count(), std::numeric_limits<TimestampMs>::max());
    std::vector<char> did_activate(d.customer_count(), 0);
    const auto window =
        static_cast<TimestampMs>(o.activation_window_days * static_cast<double>(kMsPerDay));
    for (std::size_t row = 0; signup_type && row < d.row_count(); ++row) {
      const std::uint32_t c = d.customer()[row];
      if (c != Dataset::kGuest && d.type()[row] == *signup_type)
        signed_up[c] = std::min(signed_up[c], d.timestamp()[row]);
    }
    for (std::size_t row = 0; activation_type && row < d.row_count(); ++row) {
      const std::uint32_t c = d.customer()[row];
      if (c == Dataset::kGuest || d.type()[row] != *activation_type ||
          signed_up[c] == std::numeric_limits<TimestampMs>::max())
        continue;
      const TimestampMs t = d.timestamp()[row];
      if (t >= signed_up[c] && t - signed_up[c] <= window) did_activate[c] = 1;
    }
    for (std::size_t c = 0; c < d.customer_count(); ++c) {
      if (signed_up[c] == std::numeric_limits<TimestampMs>::max()) continue;
      const std::size_t s = slot(period_index(signed_up[c], period));
      if (s == SIZE_MAX || s == 0) continue;
      signups[s] += 1;
      activated[s] += did_activate[c];
    }
  }

  // Survey scores (guests included: a score is not a per-customer metric).
  std::vector<ScoreTally> scores(periods + 1);
  for (std::size_t row = 0; row < d.row_count() && periods > 0; ++row) {
    if (!surveys.is_survey(row)) continue;
    const std::size_t s = slot(period_index(d.timestamp()[row], period));
    if (s == SIZE_MAX || s == 0) continue;
    scores[s].add(surveys.kind(row), d.score()[row]);
  }

  std::vector<std::pair<std::string, double>> spend = o.spend;
  Json labels = Json::array(), starts = Json::array();
  Json metrics = Json::object();
  const char* kNames[] = {"customersAtStart",
                          "activeCustomers",
                          "newCustomers",
                          "retainedCustomers",
                          "orders",
                          "revenue",
                          "retentionRate",
                          "churnRate",
                          "repeatCustomerRate",
                          "loyaltyRate",
                          "averageOrderValue",
                          "purchaseFrequency",
                          "arpu",
                          "clv",
                          "cac",
                          "activationRate"};
  for (const char* name : kNames) metrics[name] = Json::array();
  for (std::size_t k = 1; k <= periods; ++k) {
    const std::int64_t p = first + static_cast<std::int64_t>(k) - 1;
    const std::string label = period_label(p, period);
    labels.push_back(label);
    starts.push_back(period_start(p, period));
    const double S = active[k - 1], E = active[k], N = fresh[k];
    metrics["customersAtStart"].push_back(S);
    metrics["activeCustomers"].push_back(E);
    metrics["newCustomers"].push_back(N);
    metrics["retainedCustomers"].push_back(retained[k]);
    metrics["orders"].push_back(purchases[k]);
    metrics["revenue"].push_back(revenue[k]);
    metrics["retentionRate"].push_back(ratio(E - N, S));
    const Json churn = ratio(S - retained[k], S);
    metrics["churnRate"].push_back(churn);
    metrics["repeatCustomerRate"].push_back(ratio(repeat[k], E));
    metrics["loyaltyRate"].push_back(ratio(loyal[k], E));
    const Json aov = ratio(revenue[k], purchases[k]);
    metrics["averageOrderValue"].push_back(aov);
    const Json frequency = ratio(purchases[k], E);
    metrics["purchaseFrequency"].push_back(frequency);
    metrics["arpu"].push_back(ratio(revenue[k], E));
    std::optional<double> lifespan = o.lifespan_periods;
    if (!lifespan && !churn.is_null() && churn.get<double>() > 0)
      lifespan = 1 / churn.get<double>();
    metrics["clv"].push_back(
        aov.is_null() || frequency.is_null() || !lifespan
            ? Json(nullptr)
            : Json(aov.get<double>() * frequency.get<double>() * *lifespan * o.margin));
    const auto spent = std::find_if(spend.begin(), spend.end(),
                                    [&](const auto& entry) { return entry.first == label; });
    if (spent != spend.end()) {
      metrics["cac"].push_back(ratio(spent->second, N));
      spend.erase(spent);
    } else {
      metrics["cac"].push_back(nullptr);
    }
    metrics["activationRate"].push_back(ratio(activated[k], signups[k]));
  }
  if (!spend.empty()) {
    throw Error(error_code::kInvalidConfig, join_path("spend", spend.front().first),
                "no such period between from and to (labels look like \"" +
                    period_label(first, period) + "\")");
  }
  Json change = Json::object();
  for (const auto& [name, series] : metrics.items()) change[name] = change_of(series);
  static constexpr const char* kPeriodNames[] = {"D", "W", "M", "Q", "Y"};
  return Json{{"period", kPeriodNames[static_cast<int>(period)]},
              {"periods", labels},
              {"start", starts},
              {"metrics", metrics},
              {"change", change},
              {"cx", cx_json(std::vector<ScoreTally>(scores.begin() + 1, scores.begin() + 1 + periods))}};
}

}  // namespace stageline
