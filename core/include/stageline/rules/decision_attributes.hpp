#pragma once
/// What a personalization rule's `when` sees: the customer's profile attributes (with their stage)
/// at the top level, and the page context under `context.` — url, path, query parameters, UTM
/// tags, referrer, device, locale and the visitor's local time of day.

#include <cstdint>
#include <optional>
#include <string_view>

#include "stageline/json/json.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

/// Completes a page context given by the caller (a JSON object; null means empty) with what can be
/// derived from it, never overriding a member the caller set:
///   from `url`: `host`, `path`, `query` (first value of each parameter, percent- and '+'-decoded)
///   and `utm` ({source, medium, campaign, term, content} from the utm_* parameters).
/// `utcOffsetMinutes` (the visitor's offset from UTC, e.g. 60 for CET) must be a number between
/// -1440 and 1440 if given.
/// Throws Error(invalid_argument) naming the path ("context.url") of a wrongly typed member.
Json complete_page_context(const Json& context);

/// Attributes of one decision. `context` must be a completed context; `customer_id` stands in for
/// the profile's `customerId` when the visitor has no stored profile yet (an anonymous id).
/// `context.hour` (0–23) and `context.dayOfWeek` (0 = Sunday) are the visitor's local time at
/// `at`, using `context.utcOffsetMinutes` (UTC when absent), unless the context sets them.
/// Resolving allocates nothing.
class DecisionAttributes final : public Attributes {
 public:
  DecisionAttributes(const Attributes& profile, const Json& context, TimestampMs at,
                     std::string_view customer_id = {});

  ValueRef resolve(const AttributePath& path) const override;

 private:
  const Attributes& profile_;
  const Json& context_;
  std::string_view customer_id_;
  double local_hour_ = 0;
  double local_day_of_week_ = 0;
};

}  // namespace stageline
