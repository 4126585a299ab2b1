#include "stageline/values/value.hpp"

#include <utility>

#include "values/js_semantics.hpp"

namespace stageline {

ValueRef ValueRef::of(const Json& json) noexcept {
  switch (json.type()) {
    case Json::value_t::null:
      return null();
    case Json::value_t::boolean:
      return boolean(json.get<bool>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      // JavaScript has only doubles: a JSON integer beyond 2^53 is seen rounded, as JSON.parse
      // does.
      return number(json.get<double>());
    case Json::value_t::string:
      return string(json.get_ref<const std::string&>());
    case Json::value_t::array: {
      ValueRef v(ValueKind::kArray);
      v.json_ = &json;
      return v;
    }
    case Json::value_t::object: {
      ValueRef v(ValueKind::kObject);
      v.json_ = &json;
      return v;
    }
    default:
      return undefined();  // binary and discarded values have no JavaScript counterpart
  }
}

AttributePath::AttributePath(std::string dotted_path) : dotted(std::move(dotted_path)) {
  // Like String.prototype.split("."): "a..b" has an empty middle segment and "" is one segment.
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) {
      segments.push_back(dotted.substr(start));
      break;
    }
    segments.push_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  field = profile_field_by_name(segments.front());
}

ValueRef JsonAttributes::resolve(const AttributePath& path) const {
  return js::get_path(ValueRef::of(document_), path.segments);
}

}  // namespace stageline
