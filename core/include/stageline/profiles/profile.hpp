#pragma once
/// Customer profiles: a compact aggregate per customer, updated in O(1) per event (see event.hpp
/// for what each event type does), read by conditions through ProfileAttributes and persisted as
/// JSON by to_json()/from_json().

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/event_types.hpp"
#include "stageline/profiles/traits.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/profile_fields.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

/// What the profiles of one builder share: the event-type interning table and the computed traits
/// (with each trait's event type interned once). Not thread-safe: interning mutates it.
class ProfileSchema {
 public:
  explicit ProfileSchema(TraitsConfig traits = {});

  EventTypeTable& types() { return types_; }
  const EventTypeTable& types() const { return types_; }
  const TraitsConfig& traits() const { return traits_; }
  /// The interned event type of trait `i`.
  EventTypeTable::Id trait_type(std::size_t i) const { return trait_types_[i]; }

 private:
  EventTypeTable types_;
  TraitsConfig traits_;
  std::vector<EventTypeTable::Id> trait_types_;
};

/// An event whose type is already interned: what bulk paths apply without building an Event.
struct EventView {
  EventTypeTable::Id type = 0;
  TimestampMs timestamp = 0;
  bool has_value = false;
  double value = 0;                  ///< meaningful when has_value
  const Json* properties = nullptr;  ///< an object, or nullptr
};

class Profile {
 public:
  /// An empty profile with its own schema (a standalone customer, e.g. in the browser runtime).
  explicit Profile(std::string customer_id, TraitsConfig traits = {});
  /// An empty profile sharing `schema` with others (a ProfileBuilder's customers).
  Profile(std::string customer_id, std::shared_ptr<ProfileSchema> schema);

  /// Applies one event (its customer_id is not checked). Allocates only for a type this customer
  /// has not had before, for identify properties, and for trait buckets of new days.
  void apply(const Event& event);
  /// Same, for an event whose type was interned in this profile's schema.
  void apply(const EventView& event);

  /// Every built-in field by its profile_fields.hpp name (timestamps as epoch-ms numbers, null when
  /// unknown; derived fields computed at `at`), `counts`, `traits`, the computed traits by name,
  /// and `state`: what from_json() needs to restore the exact aggregates (the active-day bitmap,
  /// trait buckets, score and cancel clocks).
  Json to_json(TimestampMs at) const;

  /// Restores a profile written by to_json(), or reads a hand-written partial one: missing fields
  /// take their defaults, derived fields (tenureDays, ...) and computed trait values are ignored
  /// (they are recomputed; traits come back from `state`). A profile without `state` keeps the
  /// activeDays it states and counts each later active day on top. Throws Error(invalid_argument)
  /// naming the JSON path below `path` of a wrongly typed or unknown member.
  static Profile from_json(const Json& json, const TraitsConfig& traits,
                           const std::string& path = "");
  static Profile from_json(const Json& json, std::shared_ptr<ProfileSchema> schema,
                           const std::string& path = "");

  /// A built-in scalar field at `at` (not kCounts, kTraits or kStage, which are undefined here).
  /// Allocates nothing; the string of customerId points into this profile.
  ValueRef field(ProfileField field, TimestampMs at) const noexcept;
  /// Events of `type` (0 when none). Allocates nothing.
  std::uint32_t count_of(std::string_view type) const noexcept;
  /// Computed trait `index` (of schema().traits()) at `at`; nullopt means null.
  std::optional<double> trait_value(std::size_t index, TimestampMs at) const noexcept;

  const std::string& customer_id() const { return customer_id_; }
  std::uint64_t events() const { return events_; }
  /// Traits merged from identify events (an object, or null before any).
  const Json& traits() const { return traits_; }
  const ProfileSchema& schema() const { return *schema_; }

  /// Folds `other`'s aggregates into this profile, keeping this customer id: what identifying an
  /// anonymous visitor does with the history gathered before. The result equals one profile
  /// built from both event streams for every field but three: `sessions` add (a session of one
  /// history is not continued by the other's events), `openTickets` add (a close in one history
  /// cannot close a ticket opened in the other), and identify `traits` take this profile's value
  /// where both have a key (keys in the order of `other`'s first, as if its identifies came first). Active days are the exact union of both day bitmaps; computed
  /// traits merge day bucket by day bucket. Throws Error(invalid_argument) when the two
  /// profiles' computed traits differ (they cannot be merged exactly).
  void merge(const Profile& other);

  /// Same customer and identical aggregates, including the restorable state.
  bool operator==(const Profile& other) const;

 private:
  /// A pAlive trait's value (traits.hpp) from this profile's orders.
  std::optional<double> p_alive(const TraitDefinition& trait, TimestampMs at) const noexcept;
  static constexpr TimestampMs kUnknown = std::numeric_limits<TimestampMs>::min();
  static constexpr double kNoScore = std::numeric_limits<double>::quiet_NaN();

  void mark_active_day(std::int64_t day);
  void apply_score(TimestampMs timestamp, double score, TimestampMs& score_at, double& last_score);
  Json state_json() const;

  std::string customer_id_;
  std::shared_ptr<ProfileSchema> schema_;

  std::uint64_t events_ = 0;
  TimestampMs first_seen_ = kUnknown;
  TimestampMs last_seen_ = kUnknown;  // also the session clock (events are assumed in order)
  std::uint32_t sessions_ = 0;
  TimestampMs signed_up_at_ = kUnknown;
  std::uint32_t orders_ = 0;
  double revenue_ = 0;
  TimestampMs first_order_at_ = kUnknown;
  TimestampMs last_order_at_ = kUnknown;
  std::uint32_t tickets_ = 0;
  std::uint32_t open_tickets_ = 0;
  std::uint32_t referrals_ = 0;
  double last_nps_ = kNoScore;
  double last_csat_ = kNoScore;
  double last_ces_ = kNoScore;
  TimestampMs last_nps_at_ = kUnknown;
  TimestampMs last_csat_at_ = kUnknown;
  TimestampMs last_ces_at_ = kUnknown;
  TimestampMs last_cancel_at_ = kUnknown;        // the latest cancel, even when reactivated since
  TimestampMs last_reactivation_at_ = kUnknown;  // the latest purchase or session-type event

  // Distinct active days as a sparse bitmap: bit b of the word with index w is UTC day 64w + b.
  // Sparse so that a stray timestamp decades away costs one word, not a bitmap spanning the gap.
  struct ActiveDayWord {
    std::int64_t index;
    std::uint64_t bits;
  };
  std::uint32_t active_days_ = 0;                // >= the days in the bitmap (see from_json)
  std::vector<ActiveDayWord> active_day_words_;  // ascending by index
  static std::uint32_t days_in(const std::vector<ActiveDayWord>& words) noexcept;

  std::vector<std::pair<EventTypeTable::Id, std::uint32_t>> counts_;  // first-seen order
  Json traits_;
  std::vector<TraitState> trait_states_;  // one per schema trait
};

}  // namespace stageline
