#include "stageline/profiles/profile.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "profiles/profile_json.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"

namespace stageline {
namespace {

constexpr TimestampMs kSessionGapMs = 30 * 60 * 1000;

// The properties member "metric" of a survey event as a score kind, or kOther.
EventKind survey_metric(const Json* properties) noexcept {
  if (properties == nullptr) return EventKind::kOther;
  const auto metric = properties->find("metric");
  if (metric == properties->end() || !metric->is_string()) return EventKind::kOther;
  const auto& name = metric->get_ref<const std::string&>();
  if (name == "nps") return EventKind::kNps;
  if (name == "csat") return EventKind::kCsat;
  if (name == "ces") return EventKind::kCes;
  return EventKind::kOther;
}

// The number a trait aggregates from an event, or nullopt when the event carries none.
std::optional<double> trait_input(const TraitDefinition& trait, const EventView& event) noexcept {
  if (trait.aggregate == TraitAggregate::kCount) return 0.0;
  if (trait.property.empty()) {
    return event.has_value ? std::optional<double>(event.value) : std::nullopt;
  }
  if (event.properties == nullptr) return std::nullopt;
  const auto member = event.properties->find(trait.property);
  if (member == event.properties->end() || !member->is_number()) return std::nullopt;
  const double value = member->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

bool same_score(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

ProfileSchema::ProfileSchema(TraitsConfig traits) : traits_(std::move(traits)) {
  for (const TraitDefinition& trait : traits_.traits()) {
    trait_types_.push_back(types_.intern(trait.event_type));
  }
}

Profile::Profile(std::string customer_id, TraitsConfig traits)
    : Profile(std::move(customer_id), std::make_shared<ProfileSchema>(std::move(traits))) {}

Profile::Profile(std::string customer_id, std::shared_ptr<ProfileSchema> schema)
    : customer_id_(std::move(customer_id)),
      schema_(std::move(schema)),
      trait_states_(schema_->traits().size()) {}

void Profile::apply(const Event& event) {
  EventView view;
  view.type = schema_->types().intern(event.type);
  view.timestamp = event.timestamp;
  view.has_value = event.value.has_value();
  view.value = event.value.value_or(0.0);
  view.properties = event.properties.is_object() ? &event.properties : nullptr;
  apply(view);
}

void Profile::apply(const EventView& event) {
  const TimestampMs t = event.timestamp;
  const EventKind kind = schema_->types().kind(event.type);
  const double value = event.has_value ? event.value : 0.0;

  // Sessions compare with the latest earlier event, so this runs before lastSeen moves.
  if (kind == EventKind::kSessionStart &&
      (last_seen_ == kUnknown || t - last_seen_ >= kSessionGapMs)) {
    ++sessions_;
  }
  ++events_;
  first_seen_ = first_seen_ == kUnknown ? t : std::min(first_seen_, t);
  last_seen_ = std::max(last_seen_, t);
  mark_active_day(utc_day(t));

  auto count = std::find_if(counts_.begin(), counts_.end(),
                            [&](const auto& entry) { return entry.first == event.type; });
  if (count == counts_.end()) {
    counts_.emplace_back(event.type, 1);
  } else {
    ++count->second;
  }

  switch (kind) {
    case EventKind::kSessionStart:
      last_reactivation_at_ = std::max(last_reactivation_at_, t);
      break;
    case EventKind::kSignup:
      signed_up_at_ = signed_up_at_ == kUnknown ? t : std::min(signed_up_at_, t);
      break;
    case EventKind::kPurchase:
      ++orders_;
      revenue_ += value;
      first_order_at_ = first_order_at_ == kUnknown ? t : std::min(first_order_at_, t);
      last_order_at_ = std::max(last_order_at_, t);
      last_reactivation_at_ = std::max(last_reactivation_at_, t);
      break;
    case EventKind::kRefund:
      revenue_ -= value;
      break;
    case EventKind::kTicketOpened:
      ++tickets_;
      ++open_tickets_;
      break;
    case EventKind::kTicketClosed:
      if (open_tickets_ > 0) --open_tickets_;
      break;
    case EventKind::kNps:
    case EventKind::kCsat:
    case EventKind::kCes:
    case EventKind::kSurvey: {
      const EventKind metric = kind == EventKind::kSurvey ? survey_metric(event.properties) : kind;
      if (!event.has_value) break;
      if (metric == EventKind::kNps) apply_score(t, value, last_nps_at_, last_nps_);
      if (metric == EventKind::kCsat) apply_score(t, value, last_csat_at_, last_csat_);
      if (metric == EventKind::kCes) apply_score(t, value, last_ces_at_, last_ces_);
      break;
    }
    case EventKind::kReferral:
      ++referrals_;
      break;
    case EventKind::kCancel:
      last_cancel_at_ = std::max(last_cancel_at_, t);
      break;
    case EventKind::kIdentify:
      if (event.properties != nullptr && !event.properties->empty()) {
        if (!traits_.is_object()) traits_ = Json::object();
        for (const auto& item : event.properties->items()) traits_[item.key()] = item.value();
      }
      break;
    case EventKind::kOther:
      break;
  }

  const auto& traits = schema_->traits().traits();
  for (std::size_t i = 0; i < traits.size(); ++i) {
    if (schema_->trait_type(i) != event.type) continue;
    if (const auto input = trait_input(traits[i], event))
      trait_states_[i].add(traits[i], t, *input);
  }
}

void Profile::apply_score(TimestampMs timestamp, double score, TimestampMs& score_at,
                          double& last_score) {
  // The latest by timestamp wins; on a tie, the one applied later.
  if (std::isnan(last_score) || timestamp >= score_at) {
    score_at = timestamp;
    last_score = score;
  }
}

void Profile::mark_active_day(std::int64_t day) {
  const std::int64_t index = day >= 0 ? day / 64 : -((-day + 63) / 64);
  const auto bit = std::uint64_t{1} << static_cast<unsigned>(day - index * 64);
  auto word = active_day_words_.end();
  if (!active_day_words_.empty() && active_day_words_.back().index == index) {
    word = active_day_words_.end() - 1;  // the common case: events in time order
  } else {
    word = std::lower_bound(active_day_words_.begin(), active_day_words_.end(), index,
                            [](const ActiveDayWord& w, std::int64_t i) { return w.index < i; });
    if (word == active_day_words_.end() || word->index != index) {
      word = active_day_words_.insert(word, ActiveDayWord{index, 0});
    }
  }
  if ((word->bits & bit) == 0) {
    word->bits |= bit;
    ++active_days_;
  }
}

ValueRef Profile::field(ProfileField field, TimestampMs at) const noexcept {
  const auto timestamp = [](TimestampMs t) {
    return t == kUnknown ? ValueRef::null() : ValueRef::number(static_cast<double>(t));
  };
  const auto days_since = [at](TimestampMs t) {
    return t == kUnknown ? ValueRef::null()
                         : ValueRef::number(static_cast<double>(at - t) / kMsPerDay);
  };
  const auto score = [](double s) {
    return std::isnan(s) ? ValueRef::null() : ValueRef::number(s);
  };
  const auto number = [](auto n) { return ValueRef::number(static_cast<double>(n)); };
  switch (field) {
    case ProfileField::kCustomerId:
      return ValueRef::string(customer_id_);
    case ProfileField::kFirstSeen:
      return timestamp(first_seen_);
    case ProfileField::kLastSeen:
      return timestamp(last_seen_);
    case ProfileField::kTenureDays:
      return days_since(first_seen_);
    case ProfileField::kDaysSinceLastSeen:
      return days_since(last_seen_);
    case ProfileField::kEvents:
      return number(events_);
    case ProfileField::kActiveDays:
      return number(active_days_);
    case ProfileField::kSessions:
      return number(sessions_);
    case ProfileField::kSignedUpAt:
      return timestamp(signed_up_at_);
    case ProfileField::kOrders:
      return number(orders_);
    case ProfileField::kRevenue:
      return number(revenue_);
    case ProfileField::kFirstOrderAt:
      return timestamp(first_order_at_);
    case ProfileField::kLastOrderAt:
      return timestamp(last_order_at_);
    case ProfileField::kDaysSinceLastOrder:
      return days_since(last_order_at_);
    case ProfileField::kAverageOrderValue:
      return orders_ == 0 ? ValueRef::null() : number(revenue_ / orders_);
    case ProfileField::kLastNps:
      return score(last_nps_);
    case ProfileField::kLastCsat:
      return score(last_csat_);
    case ProfileField::kLastCes:
      return score(last_ces_);
    case ProfileField::kTickets:
      return number(tickets_);
    case ProfileField::kOpenTickets:
      return number(open_tickets_);
    case ProfileField::kReferrals:
      return number(referrals_);
    case ProfileField::kCancelledAt: {
      // A purchase or session strictly after the latest cancel means the customer came back.
      const bool reactivated =
          last_reactivation_at_ != kUnknown && last_reactivation_at_ > last_cancel_at_;
      return last_cancel_at_ == kUnknown || reactivated ? ValueRef::null()
                                                        : timestamp(last_cancel_at_);
    }
    case ProfileField::kNone:
    case ProfileField::kCounts:
    case ProfileField::kTraits:
    case ProfileField::kStage:
      break;
  }
  return ValueRef::undefined();
}

std::uint32_t Profile::count_of(std::string_view type) const noexcept {
  const auto id = schema_->types().find(type);
  if (!id) return 0;
  for (const auto& [type_id, count] : counts_) {
    if (type_id == *id) return count;
  }
  return 0;
}

std::optional<double> Profile::trait_value(std::size_t index, TimestampMs at) const noexcept {
  const TraitDefinition& trait = schema_->traits().traits()[index];
  if (trait.aggregate == TraitAggregate::kPAlive) return p_alive(trait, at);
  return trait_states_[index].value(trait, at);
}

std::optional<double> Profile::p_alive(const TraitDefinition& trait, TimestampMs at) const noexcept {
  if (orders_ == 0 || first_order_at_ == kUnknown) return std::nullopt;
  constexpr double kDaysPerPeriod[] = {1.0, 7.0, 30.436875};
  const double period_ms = kDaysPerPeriod[static_cast<int>(trait.p_alive_period)] * static_cast<double>(kMsPerDay);
  const double recency = static_cast<double>(last_order_at_ - first_order_at_) / period_ms;
  // Evaluated before the last order (a replay), the customer's age is at least its recency.
  const double age = std::max(recency, static_cast<double>(at - first_order_at_) / period_ms);
  return btyd::bgnbd_p_alive(trait.p_alive_model, static_cast<double>(orders_ - 1), recency, age);
}

// Serializing, restoring and merging run once per save, restore or identify: optimized for size.
STAGELINE_COLD_CODE_BEGIN

Json Profile::to_json(TimestampMs at) const {
  Json out = Json::object();
  for (auto f = static_cast<std::uint8_t>(ProfileField::kCustomerId);
       f <= static_cast<std::uint8_t>(ProfileField::kTraits); ++f) {
    const auto field_id = static_cast<ProfileField>(f);
    const std::string name(profile_field_name(field_id));
    if (field_id == ProfileField::kCounts) {
      Json counts = Json::object();
      for (const auto& [type, count] : counts_) counts[schema_->types().name(type)] = count;
      out[name] = std::move(counts);
    } else if (field_id == ProfileField::kTraits) {
      out[name] = traits_.is_object() ? traits_ : Json::object();
    } else {
      out[name] = profile_json::scalar(field(field_id, at));
    }
  }
  const auto& traits = schema_->traits().traits();
  for (std::size_t i = 0; i < traits.size(); ++i) {
    const auto value = trait_value(i, at);
    out[traits[i].name] = value ? profile_json::scalar(ValueRef::number(*value)) : Json(nullptr);
  }
  out["state"] = state_json();
  return out;
}

Json Profile::state_json() const {
  Json active = Json::array();
  for (const ActiveDayWord& word : active_day_words_) {
    active.push_back(Json::array({word.index, profile_json::hex64(word.bits)}));
  }
  const auto timestamp = [](TimestampMs t) { return t == kUnknown ? Json(nullptr) : Json(t); };
  Json traits = Json::object();
  for (std::size_t i = 0; i < trait_states_.size(); ++i) {
    traits[schema_->traits().traits()[i].name] = trait_states_[i].to_json();
  }
  return Json{{"activeDays", std::move(active)},
              {"lastNpsAt", timestamp(last_nps_at_)},
              {"lastCsatAt", timestamp(last_csat_at_)},
              {"lastCesAt", timestamp(last_ces_at_)},
              {"lastCancelAt", timestamp(last_cancel_at_)},
              {"lastReactivationAt", timestamp(last_reactivation_at_)},
              {"traits", std::move(traits)}};
}

STAGELINE_COLD_CODE_END

std::uint32_t Profile::days_in(const std::vector<ActiveDayWord>& words) noexcept {
  std::uint32_t days = 0;
  for (const ActiveDayWord& word : words) {
    for (std::uint64_t bits = word.bits; bits != 0; bits &= bits - 1) ++days;
  }
  return days;
}

STAGELINE_COLD_CODE_BEGIN

Profile Profile::from_json(const Json& json, const TraitsConfig& traits, const std::string& path) {
  return from_json(json, std::make_shared<ProfileSchema>(traits), path);
}

Profile Profile::from_json(const Json& json, std::shared_ptr<ProfileSchema> schema,
                           const std::string& path) {
  using profile_json::Reader;
  const Reader top(json, path);
  const auto& trait_defs = schema->traits();
  top.reject_unknown([&](std::string_view key) {
    const ProfileField f = profile_field_by_name(key);
    return (f != ProfileField::kNone && f != ProfileField::kStage) || key == "state" ||
           trait_defs.index_of(key).has_value();
  });

  Profile profile(top.customer_id("customerId"), schema);
  profile.first_seen_ = top.timestamp("firstSeen", kUnknown);
  profile.last_seen_ = top.timestamp("lastSeen", kUnknown);
  profile.events_ = top.count("events", std::numeric_limits<std::uint64_t>::max());
  profile.sessions_ = static_cast<std::uint32_t>(top.count("sessions"));
  profile.signed_up_at_ = top.timestamp("signedUpAt", kUnknown);
  profile.orders_ = static_cast<std::uint32_t>(top.count("orders"));
  profile.revenue_ = top.number("revenue", 0.0);
  profile.first_order_at_ = top.timestamp("firstOrderAt", kUnknown);
  profile.last_order_at_ = top.timestamp("lastOrderAt", kUnknown);
  profile.last_nps_ = top.number_or_null("lastNps", kNoScore);
  profile.last_csat_ = top.number_or_null("lastCsat", kNoScore);
  profile.last_ces_ = top.number_or_null("lastCes", kNoScore);
  profile.tickets_ = static_cast<std::uint32_t>(top.count("tickets"));
  profile.open_tickets_ = static_cast<std::uint32_t>(top.count("openTickets"));
  profile.referrals_ = static_cast<std::uint32_t>(top.count("referrals"));
  profile.active_days_ = static_cast<std::uint32_t>(top.count("activeDays"));
  for (const char* derived :
       {"tenureDays", "daysSinceLastSeen", "daysSinceLastOrder", "averageOrderValue"}) {
    top.number_or_null(derived, 0.0);  // outputs: recomputed, but still type-checked
  }
  for (const TraitDefinition& trait : trait_defs.traits()) top.number_or_null(trait.name, 0.0);

  for (const auto& [type, count] : top.counts("counts")) {
    profile.counts_.emplace_back(schema->types().intern(type), count);
  }
  profile.traits_ = top.object_or_null("traits");
  if (profile.traits_.empty()) profile.traits_ = nullptr;  // {} and null both mean no traits yet
  const TimestampMs cancelled_at = top.timestamp("cancelledAt", kUnknown);

  const auto state_it = json.find("state");
  if (state_it == json.end() || state_it->is_null()) {
    profile.last_cancel_at_ = cancelled_at;
    return profile;
  }
  const Reader state(*state_it, join_path(path, "state"));
  state.reject_unknown([](std::string_view key) {
    return key == "activeDays" || key == "lastNpsAt" || key == "lastCsatAt" || key == "lastCesAt" ||
           key == "lastCancelAt" || key == "lastReactivationAt" || key == "traits";
  });
  profile.last_nps_at_ = state.timestamp("lastNpsAt", kUnknown);
  profile.last_csat_at_ = state.timestamp("lastCsatAt", kUnknown);
  profile.last_ces_at_ = state.timestamp("lastCesAt", kUnknown);
  profile.last_cancel_at_ =
      state.has("lastCancelAt") ? state.timestamp("lastCancelAt", kUnknown) : cancelled_at;
  profile.last_reactivation_at_ = state.timestamp("lastReactivationAt", kUnknown);

  if (state.has("activeDays")) {
    std::int64_t previous_index = 0;
    std::uint32_t days = 0;
    for (const auto& [index, bits] : state.active_day_words("activeDays")) {
      if (!profile.active_day_words_.empty() && index <= previous_index) {
        throw Error(error_code::kInvalidArgument, join_path(path, "state.activeDays"),
                    "expected word indices in ascending order");
      }
      previous_index = index;
      profile.active_day_words_.push_back(ActiveDayWord{index, bits});
      for (std::uint64_t b = bits; b != 0; b &= b - 1) ++days;
    }
    // A profile first restored from a hand-written one (activeDays stated, no bitmap) keeps
    // counting on top of the stated days, so the count may exceed the bitmap, never fall short.
    if (!top.has("activeDays")) {
      profile.active_days_ = days;
    } else if (profile.active_days_ < days) {
      throw Error(error_code::kInvalidArgument, join_path(path, "activeDays"),
                  "expected at least " + std::to_string(days) + " (the days in state.activeDays), got " +
                      std::to_string(profile.active_days_));
    }
  }

  if (state.has("traits")) {
    const std::string traits_path = join_path(path, "state.traits");
    const Json& saved = state.object_or_null("traits");
    for (const auto& item : saved.items()) {
      const auto index = trait_defs.index_of(item.key());
      if (!index) {
        throw Error(error_code::kInvalidArgument, join_path(traits_path, item.key()),
                    "unknown computed trait (not in the traits config)");
      }
      profile.trait_states_[*index] =
          TraitState::from_json(item.value(), join_path(traits_path, item.key()));
    }
  }
  return profile;
}

void Profile::merge(const Profile& other) {
  const auto& mine = schema_->traits().traits();
  const auto& theirs = other.schema_->traits().traits();
  const bool same_traits =
      mine.size() == theirs.size() &&
      std::equal(mine.begin(), mine.end(), theirs.begin(), [](const auto& a, const auto& b) {
        return a.name == b.name && a.aggregate == b.aggregate && a.event_type == b.event_type &&
               a.property == b.property && a.window_days == b.window_days;
      });
  if (!same_traits) {
    throw Error(error_code::kInvalidArgument, "",
                "cannot merge profiles with different computed traits configs");
  }

  const auto earliest = [](TimestampMs a, TimestampMs b) {
    return a == kUnknown ? b : b == kUnknown ? a : std::min(a, b);
  };
  events_ += other.events_;
  first_seen_ = earliest(first_seen_, other.first_seen_);
  last_seen_ = std::max(last_seen_, other.last_seen_);
  sessions_ += other.sessions_;
  signed_up_at_ = earliest(signed_up_at_, other.signed_up_at_);
  orders_ += other.orders_;
  revenue_ += other.revenue_;
  first_order_at_ = earliest(first_order_at_, other.first_order_at_);
  last_order_at_ = std::max(last_order_at_, other.last_order_at_);
  tickets_ += other.tickets_;
  open_tickets_ += other.open_tickets_;
  referrals_ += other.referrals_;
  // apply_score keeps the later score; on a tie `other`'s wins, as if applied after this one's.
  if (!std::isnan(other.last_nps_)) apply_score(other.last_nps_at_, other.last_nps_, last_nps_at_, last_nps_);
  if (!std::isnan(other.last_csat_)) apply_score(other.last_csat_at_, other.last_csat_, last_csat_at_, last_csat_);
  if (!std::isnan(other.last_ces_)) apply_score(other.last_ces_at_, other.last_ces_, last_ces_at_, last_ces_);
  last_cancel_at_ = std::max(last_cancel_at_, other.last_cancel_at_);
  last_reactivation_at_ = std::max(last_reactivation_at_, other.last_reactivation_at_);

  // Union of the two sorted sparse bitmaps, recounting the days. Days a hand-written profile
  // stated without a bitmap (see from_json) cannot be told apart, so they are added as they are.
  const std::uint32_t stated_days = (active_days_ - days_in(active_day_words_)) +
                                    (other.active_days_ - days_in(other.active_day_words_));
  std::vector<ActiveDayWord> words;
  words.reserve(active_day_words_.size() + other.active_day_words_.size());
  auto a = active_day_words_.cbegin();
  auto b = other.active_day_words_.cbegin();
  while (a != active_day_words_.cend() || b != other.active_day_words_.cend()) {
    if (b == other.active_day_words_.cend() || (a != active_day_words_.cend() && a->index < b->index)) {
      words.push_back(*a++);
    } else if (a == active_day_words_.cend() || b->index < a->index) {
      words.push_back(*b++);
    } else {
      words.push_back(ActiveDayWord{a->index, a->bits | b->bits});
      ++a;
      ++b;
    }
  }
  active_day_words_ = std::move(words);
  active_days_ = days_in(active_day_words_) + stated_days;

  for (const auto& [type, count] : other.counts_) {
    const EventTypeTable::Id id = schema_->types().intern(other.schema_->types().name(type));
    auto entry = std::find_if(counts_.begin(), counts_.end(),
                              [&](const auto& item) { return item.first == id; });
    if (entry == counts_.end()) {
      counts_.emplace_back(id, count);
    } else {
      entry->second += count;
    }
  }

  if (other.traits_.is_object()) {
    // As if other's identify events came first: its keys in its order, this profile's values on top.
    Json traits = other.traits_;
    if (traits_.is_object()) {
      for (const auto& item : traits_.items()) traits[item.key()] = item.value();
    }
    traits_ = std::move(traits);
  }
  for (std::size_t i = 0; i < trait_states_.size(); ++i) {
    trait_states_[i].merge(mine[i], other.trait_states_[i]);
  }
}

bool Profile::operator==(const Profile& other) const {
  if (counts_.size() != other.counts_.size()) return false;
  for (const auto& [type, count] : counts_) {
    if (other.count_of(schema_->types().name(type)) != count) return false;
  }
  if (active_day_words_.size() != other.active_day_words_.size()) return false;
  for (std::size_t i = 0; i < active_day_words_.size(); ++i) {
    if (active_day_words_[i].index != other.active_day_words_[i].index ||
        active_day_words_[i].bits != other.active_day_words_[i].bits) {
      return false;
    }
  }
  return customer_id_ == other.customer_id_ && events_ == other.events_ &&
         first_seen_ == other.first_seen_ && last_seen_ == other.last_seen_ &&
         sessions_ == other.sessions_ && signed_up_at_ == other.signed_up_at_ &&
         orders_ == other.orders_ && revenue_ == other.revenue_ &&
         first_order_at_ == other.first_order_at_ && last_order_at_ == other.last_order_at_ &&
         tickets_ == other.tickets_ && open_tickets_ == other.open_tickets_ &&
         referrals_ == other.referrals_ && same_score(last_nps_, other.last_nps_) &&
         same_score(last_csat_, other.last_csat_) && same_score(last_ces_, other.last_ces_) &&
         last_nps_at_ == other.last_nps_at_ && last_csat_at_ == other.last_csat_at_ &&
         last_ces_at_ == other.last_ces_at_ && last_cancel_at_ == other.last_cancel_at_ &&
         last_reactivation_at_ == other.last_reactivation_at_ &&
         active_days_ == other.active_days_ && traits_ == other.traits_ &&
         trait_states_ == other.trait_states_;
}

STAGELINE_COLD_CODE_END

}  // namespace stageline
