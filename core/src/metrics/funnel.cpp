#include "stageline/metrics/funnel.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>

#include "json/config_reader.hpp"
#include "stageline/common/error.hpp"

namespace stageline {
namespace {

constexpr std::size_t kMaxSteps = 32;
constexpr TimestampMs kNever = std::numeric_limits<TimestampMs>::min();

// One event of a customer that stands for one or more steps.
struct StepEvent {
  TimestampMs time;
  const std::vector<std::size_t>* steps;
};

// Steps completed in order, and the time from start to completion of the first completion.
struct Progress {
  std::size_t reached = 0;
  std::optional<TimestampMs> time_to_convert;
};

Progress ordered_progress(const std::vector<StepEvent>& events, std::size_t steps,
                          TimestampMs window, std::vector<TimestampMs>& best) {
  best.assign(steps, kNever);  // best[j]: latest start of a chain completing steps 0..j in time
  Progress progress;
  for (const auto& [time, matching_steps] : events) {
    // Later steps first, so one event never advances two steps at once.
    for (auto it = matching_steps->rbegin(); it != matching_steps->rend(); ++it) {
      const std::size_t j = *it;
      if (j == 0) {
        best[0] = time;
      } else if (best[j - 1] != kNever && time - best[j - 1] <= window) {
        best[j] = std::max(best[j], best[j - 1]);
        if (j + 1 == steps && !progress.time_to_convert)
          progress.time_to_convert = time - best[j - 1];
      }
    }
  }
  for (std::size_t j = 0; j < steps; ++j) {
    if (best[j] != kNever) progress.reached = j + 1;
  }
  return progress;
}

Progress any_order_progress(const std::vector<StepEvent>& events, std::size_t steps,
                            TimestampMs window, std::vector<std::size_t>& counts) {
  counts.assign(steps, 0);
  Progress progress;
  std::size_t distinct = 0;
  std::size_t right = 0;
  for (std::size_t left = 0; left < events.size(); ++left) {
    while (right < events.size() && events[right].time - events[left].time <= window) {
      for (const std::size_t j : *events[right].steps) {
        if (counts[j]++ == 0) ++distinct;
      }
      ++right;
      progress.reached = std::max(progress.reached, distinct);
      if (distinct == steps && !progress.time_to_convert)
        progress.time_to_convert = events[right - 1].time - events[left].time;
    }
    for (const std::size_t j : *events[left].steps) {
      if (--counts[j] == 0) --distinct;
    }
  }
  return progress;
}

}  // namespace

FunnelOptions FunnelOptions::from_json(const Json& options) {
  if (!options.is_object())
    throw Error(error_code::kInvalidConfig, "", expected_but_got("an options object", options));
  FunnelOptions result;
  for (const auto& [key, value] : options.items()) {
    if (key != "steps" && key != "windowDays" && key != "order" && key != "from" && key != "to") {
      throw Error(error_code::kInvalidConfig, key,
                  "unknown option (expected steps, windowDays, order, from or to)");
    }
  }
  const auto steps = options.find("steps");
  if (steps == options.end() || !steps->is_array() || steps->empty() || steps->size() > kMaxSteps) {
    throw Error(error_code::kInvalidConfig, "steps", "expected an array of 1 to 32 event types");
  }
  for (std::size_t i = 0; i < steps->size(); ++i) {
    if (!(*steps)[i].is_string())
      throw Error(error_code::kInvalidConfig, join_path("steps", i),
                  expected_but_got("an event type", (*steps)[i]));
    result.steps.push_back((*steps)[i].get<std::string>());
  }
  if (const auto window = options.find("windowDays");
      window != options.end() && !window->is_null()) {
    if (!window->is_number() || window->get<double>() < 0)
      throw Error(error_code::kInvalidConfig, "windowDays",
                  expected_but_got("a number of days ≥ 0", *window));
    result.window_days = window->get<double>();
  }
  if (const auto order = options.find("order"); order != options.end() && !order->is_null()) {
    if (*order != "ordered" && *order != "any")
      throw Error(error_code::kInvalidConfig, "order", "expected \"ordered\" or \"any\"");
    result.any_order = *order == "any";
  }
  if (result.any_order) {
    for (std::size_t i = 0; i < result.steps.size(); ++i) {
      if (std::find(result.steps.begin(), result.steps.begin() + static_cast<std::ptrdiff_t>(i),
                    result.steps[i]) != result.steps.begin() + static_cast<std::ptrdiff_t>(i)) {
        throw Error(error_code::kInvalidConfig, join_path("steps", i),
                    "a step type may appear only once in an any-order funnel");
      }
    }
  }
  result.from = config::time_member(options, "from");
  result.to = config::time_member(options, "to");
  return result;
}

Json compute_funnel(const Dataset& d, const FunnelOptions& o) {
  if (d.type().empty())
    throw Error(error_code::kInvalidArgument, "",
                "funnels need event types (sl.loadEvents with a type column)");
  const std::size_t steps = o.steps.size();
  // The steps each event type stands for (a type may be several steps of an ordered funnel).
  std::vector<std::vector<std::size_t>> steps_of_type(d.types().size());
  for (std::size_t j = 0; j < steps; ++j) {
    if (const auto type = d.types().find(o.steps[j])) steps_of_type[*type].push_back(j);
  }
  // Step events grouped by customer (counting sort), then in time order within each.
  const std::size_t customers = d.customer_count();
  std::vector<std::uint32_t> begin(customers + 1, 0);
  const auto relevant = [&](std::size_t row) {
    const std::uint32_t type = d.type()[row];
    const TimestampMs t = d.timestamp()[row];
    return d.customer()[row] != Dataset::kGuest && type != Dataset::kNone &&
           !steps_of_type[type].empty() && (!o.from || t >= *o.from) && (!o.to || t <= *o.to);
  };
  for (std::size_t row = 0; row < d.row_count(); ++row) {
    if (relevant(row)) ++begin[d.customer()[row] + 1];
  }
  std::partial_sum(begin.begin(), begin.end(), begin.begin());
  std::vector<std::uint32_t> rows(begin.back());
  {
    std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
    for (std::size_t row = 0; row < d.row_count(); ++row) {
      if (relevant(row)) rows[next[d.customer()[row]]++] = static_cast<std::uint32_t>(row);
    }
  }
  const auto window = static_cast<TimestampMs>(o.window_days * static_cast<double>(kMsPerDay));
  std::vector<std::size_t> reached(steps + 1, 0);  // reached[k]: customers completing ≥ k steps
  std::vector<double> times;
  std::vector<StepEvent> events;
  std::vector<TimestampMs> best;
  std::vector<std::size_t> counts;
  for (std::size_t c = 0; c < customers; ++c) {
    if (begin[c] == begin[c + 1]) continue;
    const auto first = rows.begin() + begin[c];
    const auto last = rows.begin() + begin[c + 1];
    std::stable_sort(first, last, [&](std::uint32_t a, std::uint32_t b) {
      return d.timestamp()[a] < d.timestamp()[b];
    });
    events.clear();
    for (auto it = first; it != last; ++it)
      events.push_back({d.timestamp()[*it], &steps_of_type[d.type()[*it]]});
    const Progress progress = o.any_order ? any_order_progress(events, steps, window, counts)
                                          : ordered_progress(events, steps, window, best);
    for (std::size_t k = 1; k <= progress.reached; ++k) ++reached[k];
    if (progress.reached == steps && progress.time_to_convert)
      times.push_back(static_cast<double>(*progress.time_to_convert));
  }

  Json steps_json = Json::array();
  for (std::size_t j = 0; j < steps; ++j) {
    const double count = static_cast<double>(reached[j + 1]);
    const double start = static_cast<double>(reached[1]);
    const double previous = j == 0 ? count : static_cast<double>(reached[j]);
    steps_json.push_back(
        {{"type", o.steps[j]},
         {"customers", reached[j + 1]},
         {"conversionFromStart", start == 0 ? Json(nullptr) : Json(count / start)},
         {"conversionFromPrevious", previous == 0 ? Json(nullptr) : Json(count / previous)}});
  }
  Json median = nullptr;
  Json mean = nullptr;
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    const std::size_t n = times.size();
    median = n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    mean = std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(n);
  }
  return Json{{"order", o.any_order ? "any" : "ordered"},
              {"windowDays", o.window_days},
              {"steps", steps_json},
              {"converted", reached[steps]},
              {"medianTimeToConvertMs", median},
              {"meanTimeToConvertMs", mean}};
}

}  // namespace stageline
