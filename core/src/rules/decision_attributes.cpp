#include "stageline/rules/decision_attributes.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/ascii.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"
#include "values/js_semantics.hpp"

namespace stageline {
// Reading a page context runs once per context (the bindings cache it): optimized for size (stageline/cold_code.hpp).
STAGELINE_COLD_CODE_BEGIN

namespace {

constexpr std::string_view kUtmTags[] = {"source", "medium", "campaign", "term", "content"};

// application/x-www-form-urlencoded decoding, as URLSearchParams does it: '+' is a space, %XX a
// byte; a malformed escape stays as written.
std::string decode_query_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && ascii::hex_digit_value(text[i + 1]) >= 0 && ascii::hex_digit_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(ascii::hex_digit_value(text[i + 1]) * 16 + ascii::hex_digit_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct UrlParts {
  std::string_view host;
  std::string_view path;
  std::string_view query;  // without '?'
};

// scheme://host[:port]/path?query#fragment, or a relative "/path?query".
UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const std::size_t hash = url.find('#');
  if (hash != std::string_view::npos) url = url.substr(0, hash);
  const std::size_t question = url.find('?');
  if (question != std::string_view::npos) {
    parts.query = url.substr(question + 1);
    url = url.substr(0, question);
  }
  const std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    url = url.substr(scheme_end + 3);
    const std::size_t path_start = url.find('/');
    parts.host = url.substr(0, path_start);
    url = path_start == std::string_view::npos ? std::string_view("/") : url.substr(path_start);
  }
  parts.path = url.empty() ? std::string_view("/") : url;
  return parts;
}

Json query_object(std::string_view query) {
  Json params = Json::object();
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string key = decode_query_component(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? std::string() : decode_query_component(pair.substr(eq + 1));
    if (!params.contains(key)) params[key] = value;  // the first value wins, as URLSearchParams.get
  }
  return params;
}

// Real offsets lie between -12:00 and +14:00; anything beyond a day is a mistake.
constexpr double kMaxUtcOffsetMinutes = 1440;

void expect_member_type(const Json& context, std::string_view key, bool (Json::*is_type)() const noexcept,
                        std::string_view expected) {
  const auto it = context.find(key);
  if (it != context.end() && !((*it).*is_type)()) {
    throw Error(error_code::kInvalidArgument, join_path("context", key), expected_but_got(expected, *it));
  }
}

}  // namespace

Json complete_page_context(const Json& context) {
  if (context.is_null()) return Json::object();
  if (!context.is_object()) throw Error(error_code::kInvalidArgument, "context", expected_but_got("an object", context));
  expect_member_type(context, "url", &Json::is_string, "a string");
  expect_member_type(context, "utcOffsetMinutes", &Json::is_number, "a number");
  const auto offset = context.find("utcOffsetMinutes");
  if (offset != context.end() && !(std::fabs(offset->get<double>()) <= kMaxUtcOffsetMinutes)) {
    throw Error(error_code::kInvalidArgument, "context.utcOffsetMinutes",
                expected_but_got("minutes between -1440 and 1440", *offset));
  }
  Json completed = context;
  const auto url = context.find("url");
  if (url == context.end()) return completed;
  const UrlParts parts = split_url(url->get_ref<const std::string&>());
  if (!completed.contains("host")) completed["host"] = std::string(parts.host);
  if (!completed.contains("path")) completed["path"] = std::string(parts.path);
  Json query = query_object(parts.query);
  if (!completed.contains("utm")) {
    Json utm = Json::object();
    for (const std::string_view tag : kUtmTags) {
      const auto value = query.find("utm_" + std::string(tag));
      if (value != query.end()) utm[std::string(tag)] = *value;
    }
    completed["utm"] = std::move(utm);
  }
  if (!completed.contains("query")) completed["query"] = std::move(query);
  return completed;
}

STAGELINE_COLD_CODE_END

DecisionAttributes::DecisionAttributes(const Attributes& profile, const Json& context, TimestampMs at,
                                       std::string_view customer_id)
    : profile_(profile), context_(context), customer_id_(customer_id) {
  const auto offset = context.find("utcOffsetMinutes");
  // complete_page_context refuses offsets beyond a day; clamping keeps a context that skipped it
  // from overflowing the conversion to milliseconds.
  const double offset_minutes =
      offset != context.end() && offset->is_number()
          ? std::clamp(offset->get<double>(), -kMaxUtcOffsetMinutes, kMaxUtcOffsetMinutes)
          : 0.0;
  const TimestampMs local = at + static_cast<TimestampMs>(offset_minutes * 60'000.0);
  const std::int64_t day = utc_day(local);
  const TimestampMs into_day = local - day * kMsPerDay;
  local_hour_ = static_cast<double>(into_day / 3'600'000);
  // 1970-01-01 was a Thursday (4); keep the result in 0..6 for days before 1970 too.
  local_day_of_week_ = static_cast<double>(((day + 4) % 7 + 7) % 7);
}

ValueRef DecisionAttributes::resolve(const AttributePath& path) const {
  const auto& segments = path.segments;
  if (segments.empty() || segments[0] != "context") {
    if (!customer_id_.empty() && segments.size() == 1 && path.field == ProfileField::kCustomerId) {
      return ValueRef::string(customer_id_);
    }
    return profile_.resolve(path);
  }
  if (segments.size() == 1) return ValueRef::of(context_);
  if (segments.size() == 2 && !context_.contains(segments[1])) {
    if (segments[1] == "hour") return ValueRef::number(local_hour_);
    if (segments[1] == "dayOfWeek") return ValueRef::number(local_day_of_week_);
  }
  return js::get_path(ValueRef::of(context_), segments, 1);
}

}  // namespace stageline
