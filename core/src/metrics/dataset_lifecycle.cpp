#include "stageline/metrics/dataset_lifecycle.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>

#include "json/config_reader.hpp"
#include "metrics/survey_tally.hpp"
#include "stageline/common/error.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/stages/lifecycle.hpp"

namespace stageline {
namespace {

// The events one dataset gives profiles, as columns ready for ProfileBuilder::add_columns.
struct EventColumns {
  std::vector<std::string_view> customer_ids;
  std::vector<std::string_view> types;
  std::vector<double> timestamps;
  std::vector<double> values;
};

EventColumns event_columns(const Dataset& d, std::optional<TimestampMs> after,
                           std::optional<TimestampMs> until) {
  struct Item {
    TimestampMs time;
    std::uint32_t customer;
    std::string_view type;
    double value;
  };
  const auto in_range = [&](TimestampMs t) {
    return (!after || t > *after) && (!until || t <= *until);
  };
  std::vector<Item> items;
  if (d.kind() == DatasetKind::kTransactions) {
    const Dataset::Orders& orders = d.orders();
    for (std::size_t i = 0; i < orders.size(); ++i) {
      if (!in_range(orders.time[i])) continue;
      const bool purchase = orders.is_purchase(i);
      items.push_back({orders.time[i], orders.customer[i], purchase ? "purchase" : "refund",
                       purchase ? orders.amount[i] : -orders.amount[i]});
    }
  } else {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t row = 0; row < d.row_count(); ++row) {
      const std::uint32_t customer = d.customer()[row];
      if (customer == Dataset::kGuest || !in_range(d.timestamp()[row])) continue;
      const std::string_view type = d.types()[d.type()[row]];
      const EventKind kind = event_kind(type);
      const bool survey =
          kind == EventKind::kNps || kind == EventKind::kCsat || kind == EventKind::kCes;
      double value = survey && !d.score().empty() ? d.score()[row]
                                                  : (d.amount().empty() ? kNaN : d.amount()[row]);
      items.push_back({d.timestamp()[row], customer, type, value});
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.time < b.time; });
  EventColumns columns;
  for (const Item& item : items) {
    columns.customer_ids.push_back(d.customer_ids()[item.customer]);
    columns.types.push_back(item.type);
    columns.timestamps.push_back(static_cast<double>(item.time));
    columns.values.push_back(item.value);
  }
  return columns;
}

void add_events(ProfileBuilder& builder, const Dataset& d, std::optional<TimestampMs> after,
                std::optional<TimestampMs> until) {
  const EventColumns columns = event_columns(d, after, until);
  builder.add_columns(columns.customer_ids, columns.types, columns.timestamps.data(),
                      columns.values.data(), columns.customer_ids.size());
}

Json stage_ids(const StageModel& model) {
  Json ids = Json::array();
  for (const StageDefinition& stage : model.stages()) ids.push_back(stage.id);
  return ids;
}

// Minimum dwell needs each customer's history: with it in the model, the stage at `at` is where
// the customer's timeline stands at `at` (replayed day by day, O(customers × days)); without it,
// the conditions at `at` decide, in one allocation-free pass.
std::vector<std::uint16_t> stages_at(const ProfileBuilder& builder, const StageModel& model, TimestampMs at) {
  const bool dwells = std::any_of(model.stages().begin(), model.stages().end(),
                                  [](const StageDefinition& stage) { return stage.min_dwell_days > 0; });
  if (!dwells) return classify_all(builder, model, at);
  std::vector<std::uint16_t> stages;
  stages.reserve(builder.size());
  for (const Profile& profile : builder.profiles()) {
    const std::vector<StageSpan> spans = stage_timeline(builder, profile.customer_id(), model, at);
    stages.push_back(static_cast<std::uint16_t>(spans.empty() ? model.default_index() : spans.back().stage_index));
  }
  return stages;
}

}  // namespace

ProfileBuilder profiles_from_dataset(const Dataset& dataset, std::optional<TimestampMs> until) {
  ProfileBuilder builder;
  add_events(builder, dataset, std::nullopt, until);
  return builder;
}

Json stage_distribution(const Dataset& dataset, const StageModel& model, TimestampMs at) {
  const ProfileBuilder builder = profiles_from_dataset(dataset, at);
  const std::vector<std::uint16_t> stages = stages_at(builder, model, at);
  std::vector<std::size_t> counts(model.stages().size(), 0);
  Json ids = Json::array();
  for (std::size_t i = 0; i < stages.size(); ++i) {
    ++counts[stages[i]];
    ids.push_back(builder.profiles()[i].customer_id());
  }
  return Json{{"at", at},
              {"stages", stage_ids(model)},
              {"counts", counts},
              {"customerIds", ids},
              {"stageIndex", stages}};
}

Json stage_transitions(const Dataset& dataset, const StageModel& model, TimestampMs from,
                       TimestampMs to) {
  if (from > to) throw Error(error_code::kInvalidArgument, "from", "must not be after `to`");
  ProfileBuilder builder = profiles_from_dataset(dataset, from);
  const std::vector<std::uint16_t> before = stages_at(builder, model, from);
  add_events(builder, dataset, from, to);
  const std::vector<std::uint16_t> after = stages_at(builder, model, to);
  const std::size_t stages = model.stages().size();
  std::vector<std::vector<std::size_t>> matrix(stages + 1, std::vector<std::size_t>(stages, 0));
  // The builder keeps customers in first-seen order, so those known at `from` come first.
  for (std::size_t i = 0; i < after.size(); ++i)
    ++matrix[i < before.size() ? before[i] : stages][after[i]];
  return Json{{"from", from}, {"to", to}, {"stages", stage_ids(model)}, {"matrix", matrix}};
}

namespace {

Json median_and_mean(std::vector<double>& days) {
  if (days.empty()) return Json{{"medianDays", nullptr}, {"meanDays", nullptr}};
  std::sort(days.begin(), days.end());
  const std::size_t n = days.size();
  const double median = n % 2 == 1 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2;
  double sum = 0;
  for (const double d : days) sum += d;
  return Json{{"medianDays", median}, {"meanDays", sum / static_cast<double>(n)}};
}

}  // namespace

Json stage_flow(const Dataset& dataset, const StageModel& model, TimestampMs until) {
  const ProfileBuilder builder = profiles_from_dataset(dataset, until);
  const std::size_t stages = model.stages().size();
  std::vector<std::vector<double>> completed_days(stages);
  std::vector<std::size_t> open_stays(stages, 0), reached(stages, 0), reached_next(stages, 0);
  std::vector<std::optional<TimestampMs>> first_entry(stages);
  for (const Profile& profile : builder) {
    const std::vector<StageSpan> spans = stage_timeline(builder, profile.customer_id(), model, until);
    std::fill(first_entry.begin(), first_entry.end(), std::nullopt);
    for (const StageSpan& span : spans) {
      if (span.left_at) {
        completed_days[span.stage_index].push_back(static_cast<double>(*span.left_at - span.entered_at) /
                                                   static_cast<double>(kMsPerDay));
      } else {
        ++open_stays[span.stage_index];
      }
      if (!first_entry[span.stage_index]) first_entry[span.stage_index] = span.entered_at;
    }
    for (std::size_t i = 0; i < stages; ++i) {
      if (!first_entry[i]) continue;
      ++reached[i];
      if (i + 1 >= stages) continue;
      // Reached the next stage after first entering this one: any stay in it starting then or later.
      for (const StageSpan& span : spans) {
        if (span.stage_index == i + 1 && span.entered_at >= *first_entry[i]) {
          ++reached_next[i];
          break;
        }
      }
    }
  }
  Json time_in_stage = Json::array();
  Json funnel = Json::array();
  for (std::size_t i = 0; i < stages; ++i) {
    const std::string& id = model.stages()[i].id;
    Json stay = Json{{"stage", id}, {"completedStays", completed_days[i].size()}};
    stay.update(median_and_mean(completed_days[i]));
    stay["openStays"] = open_stays[i];
    time_in_stage.push_back(std::move(stay));
    const bool last = i + 1 >= stages;
    funnel.push_back(Json{{"stage", id},
                          {"reached", reached[i]},
                          {"next", last ? Json() : Json(model.stages()[i + 1].id)},
                          {"reachedNext", last ? Json() : Json(reached_next[i])},
                          {"conversion", last || reached[i] == 0 ? Json()
                                                                 : Json(static_cast<double>(reached_next[i]) /
                                                                        static_cast<double>(reached[i]))}});
  }
  return Json{{"until", until}, {"stages", stage_ids(model)}, {"timeInStage", time_in_stage}, {"funnel", funnel}};
}

Json cx_by_stage(const Dataset& dataset, const StageModel& model, std::optional<TimestampMs> from,
                 std::optional<TimestampMs> to) {
  const SurveyRows surveys(dataset);
  std::vector<std::vector<std::size_t>> answers_of(dataset.customer_count());
  TimestampMs until = std::numeric_limits<TimestampMs>::min();
  for (std::size_t row = 0; row < dataset.row_count(); ++row) {
    const TimestampMs t = dataset.timestamp()[row];
    if (!surveys.is_survey(row) || dataset.customer()[row] == Dataset::kGuest || (from && t < *from) || (to && t > *to)) {
      continue;
    }
    answers_of[dataset.customer()[row]].push_back(row);
    until = std::max(until, t);
  }
  std::vector<ScoreTally> tallies(model.stages().size());
  if (until != std::numeric_limits<TimestampMs>::min()) {
    const ProfileBuilder builder = profiles_from_dataset(dataset, until);
    for (std::uint32_t customer = 0; customer < answers_of.size(); ++customer) {
      if (answers_of[customer].empty()) continue;
      const std::vector<StageSpan> spans =
          stage_timeline(builder, dataset.customer_ids()[customer], model, until);
      for (const std::size_t row : answers_of[customer]) {
        const TimestampMs before = dataset.timestamp()[row] - 1;
        std::size_t stage = model.default_index();
        for (const StageSpan& span : spans) {
          if (span.entered_at <= before && (!span.left_at || before < *span.left_at)) stage = span.stage_index;
        }
        tallies[stage].add(surveys.kind(row), dataset.score()[row]);
      }
    }
  }
  return Json{{"stages", stage_ids(model)}, {"cx", cx_json(tallies)}};
}

LifecycleOptions LifecycleOptions::from_json(const Json& options) {
  if (!options.is_object())
    throw Error(error_code::kInvalidConfig, "", expected_but_got("an options object", options));
  LifecycleOptions result;
  for (const auto& [key, value] : options.items()) {
    if (key == "period") {
      if (!value.is_string())
        throw Error(error_code::kInvalidConfig, "period",
                    expected_but_got("one of D, W, M, Q, Y", value));
      result.period = parse_period(value.get<std::string>(), "period");
    } else if (key != "from" && key != "to") {
      throw Error(error_code::kInvalidConfig, key, "unknown option (expected period, from or to)");
    }
  }
  result.from = config::time_member(options, "from");
  result.to = config::time_member(options, "to");
  return result;
}

Json posthog_lifecycle(const Dataset& d, const LifecycleOptions& o) {
  const Period period = o.period;
  const PeriodSpan span = period_span(d.timestamp(), period, o.from, o.to);
  const std::int64_t first = span.first;
  const std::int64_t last = span.first + static_cast<std::int64_t>(span.count) - 1;
  const std::size_t n = span.count;

  // Each customer's active periods, sorted and distinct.
  std::vector<std::pair<std::uint32_t, std::int64_t>> activity;
  activity.reserve(d.row_count());
  for (std::size_t row = 0; row < d.row_count(); ++row) {
    if (d.customer()[row] != Dataset::kGuest)
      activity.emplace_back(d.customer()[row], period_index(d.timestamp()[row], period));
  }
  std::sort(activity.begin(), activity.end());
  activity.erase(std::unique(activity.begin(), activity.end()), activity.end());

  std::vector<std::size_t> fresh(n), returning(n), resurrecting(n), dormant(n);
  const auto slot = [&](std::int64_t p) {
    return p < first || p > last ? SIZE_MAX : static_cast<std::size_t>(p - first);
  };
  for (std::size_t i = 0; i < activity.size(); ++i) {
    const auto [customer, p] = activity[i];
    const bool first_of_customer = i == 0 || activity[i - 1].first != customer;
    const bool last_of_customer = i + 1 == activity.size() || activity[i + 1].first != customer;
    const std::size_t s = slot(p);
    if (s != SIZE_MAX) {
      if (first_of_customer)
        ++fresh[s];
      else if (activity[i - 1].second == p - 1)
        ++returning[s];
      else
        ++resurrecting[s];
    }
    // Dormant in the period after this one, unless the next active period follows directly.
    const bool next_follows = !last_of_customer && activity[i + 1].second == p + 1;
    const std::size_t next = slot(p + 1);
    if (!next_follows && next != SIZE_MAX) ++dormant[next];
  }
  Json labels = Json::array(), starts = Json::array();
  for (std::size_t k = 0; k < n; ++k) {
    labels.push_back(period_label(first + static_cast<std::int64_t>(k), period));
    starts.push_back(period_start(first + static_cast<std::int64_t>(k), period));
  }
  static constexpr const char* kPeriodNames[] = {"D", "W", "M", "Q", "Y"};
  return Json{{"period", kPeriodNames[static_cast<int>(period)]},
              {"periods", labels},
              {"start", starts},
              {"new", fresh},
              {"returning", returning},
              {"resurrecting", resurrecting},
              {"dormant", dormant}};
}

}  // namespace stageline
