#pragma once
/// ProfileBuilder: many customers' profiles built from events, plus a compact log of the events
/// for replaying stage timelines later.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/common/string_index.hpp"
#include "stageline/json/json.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/profiles/profile_attributes.hpp"
#include "stageline/profiles/traits.hpp"
#include "stageline/time/timestamp.hpp"

namespace stageline {

class ProfileBuilder {
 public:
  explicit ProfileBuilder(TraitsConfig traits = {});

  /// Applies one event to its customer's profile (created on first sight) and logs it.
  void add(const Event& event);

  /// Adds an array of event objects or a single one (see event_from_json). All are parsed before
  /// any is applied, so an error (naming e.g. `events[3].timestamp`) leaves the builder unchanged.
  void add_json(const Json& events_or_event, const std::string& path);

  /// Adds `n` events given as columns (the bulk path from typed arrays): customer ids, types,
  /// epoch-ms timestamps, and values (NaN = none; `values` may be null). Every row is validated
  /// before any is applied; a bad one throws Error(invalid_argument) naming `row N`.
  void add_columns(const std::vector<std::string_view>& customer_ids,
                   const std::vector<std::string_view>& types, const double* timestamps_ms,
                   const double* values, std::size_t n);

  /// Number of customers.
  std::size_t size() const { return profiles_.size(); }
  /// Number of events logged.
  std::size_t event_count() const { return log_.size(); }

  /// The customer's profile, or nullptr. Allocates nothing.
  const Profile* find(std::string_view customer_id) const noexcept;

  /// Profile::to_json of one customer at `at`; throws Error(not_found) for an unknown id.
  Json profile_json(std::string_view customer_id, TimestampMs at) const;

  /// All profiles in the order their customers first appeared.
  const std::vector<Profile>& profiles() const { return profiles_; }
  std::vector<Profile>::const_iterator begin() const { return profiles_.begin(); }
  std::vector<Profile>::const_iterator end() const { return profiles_.end(); }

  /// Calls f(profile, attributes) for every profile, in insertion order, with a ProfileAttributes
  /// viewing it at `at`. Allocates nothing itself.
  template <class F>
  void for_each_attributes(TimestampMs at, F&& f) const {
    for (const Profile& profile : profiles_) {
      const ProfileAttributes attributes(profile, at);
      f(profile, static_cast<const Attributes&>(attributes));
    }
  }

  /// How many profiles satisfy predicate(const Attributes&) at `at` (e.g. a Condition's matches).
  template <class F>
  std::size_t count(const F& predicate, TimestampMs at) const {
    std::size_t matching = 0;
    for_each_attributes(at, [&](const Profile&, const Attributes& attributes) {
      if (predicate(attributes)) ++matching;
    });
    return matching;
  }

  /// One customer's events sorted by timestamp (stable: ties keep arrival order); empty for an
  /// unknown id.
  std::vector<Event> events_of(std::string_view customer_id) const;

  const ProfileSchema& schema() const { return *schema_; }

 private:
  // One logged event: 32 bytes, properties kept apart and only when non-empty.
  struct LoggedEvent {
    TimestampMs timestamp;
    double value;  // NaN = none
    std::uint32_t customer;
    EventTypeTable::Id type;
    std::uint32_t properties;  // index into properties_, or kNoProperties
    std::uint32_t next;        // the same customer's next logged event, or kEndOfList
  };
  static constexpr std::uint32_t kNoProperties = 0xFFFFFFFF;
  static constexpr std::uint32_t kEndOfList = 0xFFFFFFFF;

  std::uint32_t customer_index(std::string_view customer_id);
  void append(std::uint32_t customer, const EventView& event, const Json* properties);

  std::shared_ptr<ProfileSchema> schema_;
  std::vector<Profile> profiles_;
  StringIndex index_;                       // customer id -> position in profiles_
  std::vector<std::uint32_t> first_event_;  // per customer: head and tail of its event list
  std::vector<std::uint32_t> last_event_;
  std::vector<LoggedEvent> log_;
  std::vector<Json> properties_;
};

}  // namespace stageline
