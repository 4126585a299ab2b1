#include "stageline/profiles/profile_attributes.hpp"

#include <cstdint>

namespace stageline {
namespace {

// A canonical array index as JavaScript property keys spell it: "0", "17", not "017" or "+1".
bool array_index(std::string_view segment, std::size_t& index) noexcept {
  if (segment.empty() || segment.size() > 9 || (segment.size() > 1 && segment[0] == '0')) {
    return false;
  }
  index = 0;
  for (const char c : segment) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

// GrowthBook's getPath below the first segment: objects by key, arrays by index or "length".
ValueRef walk(const Json& root, const std::vector<std::string>& segments,
              std::size_t first) noexcept {
  const Json* current = &root;
  for (std::size_t i = first; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (current->is_object()) {
      const auto it = current->find(segment);
      if (it == current->end()) return ValueRef::undefined();
      current = &*it;
    } else if (current->is_array()) {
      std::size_t index = 0;
      if (segment == "length") {
        return i + 1 == segments.size() ? ValueRef::number(static_cast<double>(current->size()))
                                        : ValueRef::undefined();
      }
      if (!array_index(segment, index) || index >= current->size()) return ValueRef::undefined();
      current = &(*current)[index];
    } else {
      return ValueRef::undefined();
    }
  }
  return ValueRef::of(*current);
}

}  // namespace

ValueRef ProfileAttributes::resolve(const AttributePath& path) const {
  const auto& segments = path.segments;
  switch (path.field) {
    case ProfileField::kCounts:
      if (segments.size() != 2) return ValueRef::undefined();
      return ValueRef::number(profile_.count_of(segments[1]));
    case ProfileField::kTraits: {
      static const Json kNoTraits = Json::object();
      const Json& traits = profile_.traits().is_object() ? profile_.traits() : kNoTraits;
      return walk(traits, segments, 1);
    }
    case ProfileField::kStage:
      if (segments.size() != 1 || !stage_) return ValueRef::undefined();
      return ValueRef::string(*stage_);
    case ProfileField::kNone: {
      if (segments.size() != 1) return ValueRef::undefined();
      const auto index = profile_.schema().traits().index_of(segments[0]);
      if (!index) return ValueRef::undefined();
      const auto value = profile_.trait_value(*index, at_);
      return value ? ValueRef::number(*value) : ValueRef::null();
    }
    default:
      if (segments.size() != 1) return ValueRef::undefined();
      return profile_.field(path.field, at_);
  }
}

}  // namespace stageline
