#include "stageline/profiles/traits.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "json/config_reader.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "stageline/values/profile_fields.hpp"

namespace stageline {
// Compiling the traits config runs once: optimized for size (stageline/cold_code.hpp).
STAGELINE_COLD_CODE_BEGIN

namespace {

constexpr std::pair<std::string_view, TraitAggregate> kAggregates[] = {
    {"count", TraitAggregate::kCount}, {"sum", TraitAggregate::kSum},
    {"min", TraitAggregate::kMin},     {"max", TraitAggregate::kMax},
    {"last", TraitAggregate::kLast},   {"pAlive", TraitAggregate::kPAlive},
};

constexpr std::string_view kTraitMembers[] = {"name", "aggregate", "event", "property",
                                              "windowDays"};
constexpr std::string_view kPAliveMembers[] = {"name", "aggregate", "model", "period"};
constexpr std::string_view kBgNbdMembers[] = {"r", "alpha", "a", "b"};
constexpr const char* kPeriodNames[] = {"D", "W", "M"};

// {"model": {"r", "alpha", "a", "b"}, "period": "D" | "W" | "M"} of a pAlive trait.
void compile_p_alive(const Json& object, const std::string& path, TraitDefinition& trait) {
  config::reject_unknown_members(object, path, kPAliveMembers);
  const auto model = object.find("model");
  const std::string model_path = join_path(path, "model");
  if (model == object.end()) throw Error(error_code::kInvalidConfig, model_path, "is required (a fitted BG/NBD model's r, alpha, a, b)");
  config::expect_object(*model, model_path);
  double params[4];
  for (std::size_t i = 0; i < 4; ++i) {
    const auto it = model->find(kBgNbdMembers[i]);
    const std::string param_path = join_path(model_path, kBgNbdMembers[i]);
    if (it == model->end() || !it->is_number() || !(it->get<double>() > 0) || !std::isfinite(it->get<double>())) {
      config::fail_expected(param_path, "a positive number", it == model->end() ? Json() : *it);
    }
    params[i] = it->get<double>();
  }
  trait.p_alive_model = {params[0], params[1], params[2], params[3]};
  const std::string period = config::string_member(object, "period", path, "D");
  if (period.size() != 1 || std::string_view("DWM").find(period[0]) == std::string_view::npos) {
    config::fail_expected(join_path(path, "period"), "\"D\", \"W\" or \"M\"", object["period"]);
  }
  trait.p_alive_period = period == "D" ? btyd::Period::kDay : period == "W" ? btyd::Period::kWeek : btyd::Period::kMonth;
}
constexpr std::string_view kConfigMembers[] = {"traits"};
constexpr double kMaxWindowDays = 100'000;

std::string_view aggregate_name(TraitAggregate aggregate) {
  for (const auto& [name, candidate] : kAggregates) {
    if (candidate == aggregate) return name;
  }
  return {};
}

TraitDefinition compile_trait(const Json& object, const std::string& path) {
  config::expect_object(object, path);
  const auto aggregate_member = object.find("aggregate");
  const bool p_alive = aggregate_member != object.end() && *aggregate_member == "pAlive";
  if (!p_alive) config::reject_unknown_members(object, path, kTraitMembers);
  TraitDefinition trait;
  trait.name = config::string_member(object, "name", path);
  const std::string name_path = join_path(path, "name");
  if (trait.name.empty() || trait.name.find('.') != std::string::npos) {
    config::fail_expected(name_path, "a non-empty name without '.'", object["name"]);
  }
  if (profile_field_by_name(trait.name) != ProfileField::kNone || trait.name == "state") {
    throw Error(error_code::kInvalidConfig, name_path,
                "\"" + trait.name + "\" is a built-in profile field; choose another name");
  }

  const std::string aggregate = config::string_member(object, "aggregate", path);
  const auto found = std::find_if(std::begin(kAggregates), std::end(kAggregates),
                                  [&](const auto& entry) { return entry.first == aggregate; });
  if (found == std::end(kAggregates)) {
    config::fail_expected(join_path(path, "aggregate"), "one of count, sum, min, max, last, pAlive",
                          object["aggregate"]);
  }
  trait.aggregate = found->second;
  if (trait.aggregate == TraitAggregate::kPAlive) {
    compile_p_alive(object, path, trait);
    return trait;
  }

  trait.event_type = config::string_member(object, "event", path);
  if (trait.event_type.empty()) {
    config::fail_expected(join_path(path, "event"), "a non-empty event type", object["event"]);
  }

  const auto property = object.find("property");
  if (property != object.end()) {
    if (trait.aggregate == TraitAggregate::kCount) {
      throw Error(error_code::kInvalidConfig, join_path(path, "property"),
                  "count takes no property (it counts events)");
    }
    trait.property = config::string_member(object, "property", path);
    if (trait.property.empty()) {
      config::fail_expected(join_path(path, "property"), "\"value\" or a properties key",
                            *property);
    }
    if (trait.property == "value") trait.property.clear();
  }

  const auto window = object.find("windowDays");
  if (window != object.end()) {
    const bool integral = window->is_number() && std::isfinite(window->get<double>()) &&
                          std::floor(window->get<double>()) == window->get<double>();
    if (!integral || window->get<double>() < 1 || window->get<double>() > kMaxWindowDays) {
      config::fail_expected(join_path(path, "windowDays"), "an integer from 1 to 100000", *window);
    }
    trait.window_days = static_cast<std::int64_t>(window->get<double>());
  }
  return trait;
}

[[noreturn]] void fail_state(const std::string& path, std::string_view expected, const Json& got) {
  std::string message = "expected ";
  message.append(expected).append(", got ").append(write_json(got).substr(0, 80));
  throw Error(error_code::kInvalidArgument, path, message);
}

}  // namespace

TraitsConfig TraitsConfig::compile(const Json& config) {
  TraitsConfig compiled;
  if (config.is_null()) return compiled;
  config::expect_object(config, "");
  config::reject_unknown_members(config, "", kConfigMembers);
  const auto list = config.find("traits");
  if (list == config.end()) return compiled;
  config::expect_array(*list, "traits");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = join_path("traits", i);
    TraitDefinition trait = compile_trait((*list)[i], path);
    if (compiled.index_of(trait.name)) {
      throw Error(error_code::kInvalidConfig, join_path(path, "name"),
                  "duplicate trait name \"" + trait.name + "\"");
    }
    compiled.traits_.push_back(std::move(trait));
  }
  return compiled;
}

STAGELINE_COLD_CODE_END

std::optional<std::size_t> TraitsConfig::index_of(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < traits_.size(); ++i) {
    if (traits_[i].name == name) return i;
  }
  return std::nullopt;
}

STAGELINE_COLD_CODE_BEGIN

Json TraitsConfig::to_json() const {
  Json list = Json::array();
  for (const TraitDefinition& trait : traits_) {
    if (trait.aggregate == TraitAggregate::kPAlive) {
      const btyd::BgNbdParams& m = trait.p_alive_model;
      list.push_back({{"name", trait.name},
                      {"aggregate", "pAlive"},
                      {"model", {{"r", m.r}, {"alpha", m.alpha}, {"a", m.a}, {"b", m.b}}},
                      {"period", kPeriodNames[static_cast<int>(trait.p_alive_period)]}});
      continue;
    }
    Json item = {{"name", trait.name},
                 {"aggregate", aggregate_name(trait.aggregate)},
                 {"event", trait.event_type}};
    if (trait.aggregate != TraitAggregate::kCount) {
      item["property"] = trait.property.empty() ? "value" : trait.property;
    }
    if (trait.window_days > 0) item["windowDays"] = trait.window_days;
    list.push_back(std::move(item));
  }
  return Json{{"traits", std::move(list)}};
}

STAGELINE_COLD_CODE_END

void TraitState::add(const TraitDefinition& trait, TimestampMs timestamp, double value) {
  const std::int64_t day = trait.window_days > 0 ? utc_day(timestamp) : 0;
  auto position = buckets_.end();
  if (head_ == buckets_.size() || day > buckets_.back().day) {
    position = buckets_.insert(buckets_.end(), Bucket{day, 0, 0, value, value, timestamp, value});
  } else if (day == buckets_.back().day) {
    position = buckets_.end() - 1;
  } else {
    // Out of order: a day before the newest one. Outside the newest event's window it can never
    // be counted again (evaluation happens at or after the latest event), so it is dropped.
    if (day <= buckets_.back().day - trait.window_days) return;
    position =
        std::lower_bound(buckets_.begin() + head_, buckets_.end(), day,
                         [](const Bucket& bucket, std::int64_t d) { return bucket.day < d; });
    if (position->day != day) {
      position = buckets_.insert(position, Bucket{day, 0, 0, value, value, timestamp, value});
    }
  }
  Bucket& bucket = *position;
  if (bucket.count == 0) {
    bucket.min = bucket.max = bucket.last = value;
    bucket.last_at = timestamp;
  }
  ++bucket.count;
  bucket.sum += value;
  bucket.min = std::min(bucket.min, value);
  bucket.max = std::max(bucket.max, value);
  if (timestamp >= bucket.last_at) {
    bucket.last_at = timestamp;
    bucket.last = value;
  }
  if (trait.window_days > 0) prune(buckets_.back().day, trait.window_days);
}

void TraitState::merge(const TraitDefinition& trait, const TraitState& other) {
  std::vector<Bucket> merged;
  merged.reserve(buckets_.size() - head_ + other.buckets_.size() - other.head_);
  auto mine = buckets_.cbegin() + head_;
  auto theirs = other.buckets_.cbegin() + other.head_;
  while (mine != buckets_.cend() || theirs != other.buckets_.cend()) {
    if (theirs == other.buckets_.cend() || (mine != buckets_.cend() && mine->day < theirs->day)) {
      merged.push_back(*mine++);
    } else if (mine == buckets_.cend() || theirs->day < mine->day) {
      merged.push_back(*theirs++);
    } else {
      Bucket both = *mine++;
      const Bucket& add = *theirs++;
      both.count += add.count;
      both.sum += add.sum;
      both.min = std::min(both.min, add.min);
      both.max = std::max(both.max, add.max);
      if (add.last_at > both.last_at) {
        both.last_at = add.last_at;
        both.last = add.last;
      }
      merged.push_back(both);
    }
  }
  buckets_ = std::move(merged);
  head_ = 0;
  if (trait.window_days > 0 && !buckets_.empty()) prune(buckets_.back().day, trait.window_days);
}

void TraitState::prune(std::int64_t newest_day, std::int64_t window_days) {
  while (head_ < buckets_.size() && buckets_[head_].day <= newest_day - window_days) ++head_;
  // Compacting only once half the vector is dead keeps pruning O(1) amortised per event.
  if (head_ > 0 && head_ * 2 >= buckets_.size()) {
    buckets_.erase(buckets_.begin(), buckets_.begin() + head_);
    head_ = 0;
  }
}

std::optional<double> TraitState::value(const TraitDefinition& trait,
                                        TimestampMs at) const noexcept {
  const bool windowed = trait.window_days > 0;
  const std::int64_t at_day = utc_day(at);
  std::uint32_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  TimestampMs last_at = 0;
  double last = 0;
  for (std::size_t i = head_; i < buckets_.size(); ++i) {
    const Bucket& bucket = buckets_[i];
    if (windowed && (bucket.day <= at_day - trait.window_days || bucket.day > at_day)) continue;
    if (bucket.count == 0) continue;
    if (count == 0) {
      min = bucket.min;
      max = bucket.max;
      last_at = bucket.last_at;
      last = bucket.last;
    }
    count += bucket.count;
    sum += bucket.sum;
    min = std::min(min, bucket.min);
    max = std::max(max, bucket.max);
    if (bucket.last_at >= last_at) {
      last_at = bucket.last_at;
      last = bucket.last;
    }
  }
  switch (trait.aggregate) {
    case TraitAggregate::kCount:
      return static_cast<double>(count);
    case TraitAggregate::kSum:
      return sum;
    case TraitAggregate::kMin:
      return count > 0 ? std::optional<double>(min) : std::nullopt;
    case TraitAggregate::kMax:
      return count > 0 ? std::optional<double>(max) : std::nullopt;
    case TraitAggregate::kLast:
      return count > 0 ? std::optional<double>(last) : std::nullopt;
    case TraitAggregate::kPAlive:  // no event state: Profile computes it from its orders
      return std::nullopt;
  }
  return std::nullopt;
}

STAGELINE_COLD_CODE_BEGIN

Json TraitState::to_json() const {
  Json list = Json::array();
  for (std::size_t i = head_; i < buckets_.size(); ++i) {
    const Bucket& b = buckets_[i];
    list.push_back(Json::array({b.day, b.count, b.sum, b.min, b.max, b.last_at, b.last}));
  }
  return list;
}

TraitState TraitState::from_json(const Json& buckets, const std::string& path) {
  if (!buckets.is_array()) fail_state(path, "an array of buckets", buckets);
  TraitState state;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const Json& item = buckets[i];
    const std::string item_path = join_path(path, i);
    constexpr std::string_view kShape = "[day, count, sum, min, max, lastAt, last]";
    if (!item.is_array() || item.size() != 7) fail_state(item_path, kShape, item);
    for (std::size_t k = 0; k < 7; ++k) {
      const bool integer_slot = k == 0 || k == 1 || k == 5;
      const bool ok = integer_slot ? item[k].is_number_integer() && (k != 1 || item[k] >= 0)
                                   : item[k].is_number() && std::isfinite(item[k].get<double>());
      if (!ok)
        fail_state(join_path(item_path, k), integer_slot ? "an integer" : "a number", item[k]);
    }
    Bucket bucket{item[0].get<std::int64_t>(), item[1].get<std::uint32_t>(),
                  item[2].get<double>(),       item[3].get<double>(),
                  item[4].get<double>(),       item[5].get<std::int64_t>(),
                  item[6].get<double>()};
    if (!state.buckets_.empty() && bucket.day <= state.buckets_.back().day) {
      fail_state(join_path(item_path, 0), "days in ascending order", item[0]);
    }
    state.buckets_.push_back(bucket);
  }
  return state;
}

STAGELINE_COLD_CODE_END

bool TraitState::operator==(const TraitState& other) const {
  if (buckets_.size() - head_ != other.buckets_.size() - other.head_) return false;
  for (std::size_t i = 0; i < buckets_.size() - head_; ++i) {
    const Bucket& a = buckets_[head_ + i];
    const Bucket& b = other.buckets_[other.head_ + i];
    if (a.day != b.day || a.count != b.count || a.sum != b.sum || a.min != b.min ||
        a.max != b.max || a.last_at != b.last_at || a.last != b.last) {
      return false;
    }
  }
  return true;
}

}  // namespace stageline
