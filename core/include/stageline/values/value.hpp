#pragma once
/// What conditions look at: a non-owning view of one attribute value (ValueRef), a compiled dotted
/// attribute path (AttributePath), and the interface every attribute source implements (Attributes):
/// plain JSON documents (GrowthBook style) and customer profiles alike.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/values/profile_fields.hpp"

namespace stageline {

/// The JavaScript type of a value, as GrowthBook's evaluator sees it.
enum class ValueKind : std::uint8_t { kUndefined, kNull, kBoolean, kNumber, kString, kArray, kObject };

/// A cheap, non-owning view of an attribute value. Scalars are held inline; strings point into
/// storage owned by the attribute source; arrays and objects point at a Json node. A ValueRef is
/// valid as long as the Attributes it came from.
class ValueRef {
 public:
  constexpr ValueRef() = default;  ///< undefined
  static constexpr ValueRef undefined() { return ValueRef(); }
  static constexpr ValueRef null() { return ValueRef(ValueKind::kNull); }
  static constexpr ValueRef boolean(bool b) {
    ValueRef v(ValueKind::kBoolean);
    v.number_ = b ? 1.0 : 0.0;
    return v;
  }
  static constexpr ValueRef number(double d) {
    ValueRef v(ValueKind::kNumber);
    v.number_ = d;
    return v;
  }
  static constexpr ValueRef string(std::string_view s) {
    ValueRef v(ValueKind::kString);
    v.string_ = s;
    return v;
  }
  /// Views a Json node (which must outlive the ValueRef).
  static ValueRef of(const Json& json) noexcept;

  constexpr ValueKind kind() const { return kind_; }
  constexpr bool is_nullish() const { return kind_ == ValueKind::kUndefined || kind_ == ValueKind::kNull; }
  constexpr bool as_bool() const { return number_ != 0.0; }        ///< kBoolean only
  constexpr double as_number() const { return number_; }           ///< kNumber only
  constexpr std::string_view as_string() const { return string_; }  ///< kString only
  /// The Json node behind an array or object (nullptr for scalars).
  constexpr const Json* json() const { return json_; }

 private:
  constexpr explicit ValueRef(ValueKind kind) : kind_(kind) {}
  ValueKind kind_ = ValueKind::kUndefined;
  double number_ = 0.0;
  std::string_view string_;
  const Json* json_ = nullptr;
};

/// A dotted attribute path ("father.age", "counts.purchase"), split once at compile time. When the
/// first segment names a built-in profile field, `field` holds it so profiles resolve it with a
/// switch instead of string compares.
struct AttributePath {
  explicit AttributePath(std::string dotted_path);

  std::string dotted;                 ///< as written
  std::vector<std::string> segments;  ///< split on '.'
  ProfileField field;                 ///< ProfileField::kNone unless segments[0] is built in
};

/// A source of attribute values. Resolving must not allocate: it is called in the hot loop of
/// batch evaluation. Missing values resolve to undefined.
class Attributes {
 public:
  virtual ~Attributes() = default;
  virtual ValueRef resolve(const AttributePath& path) const = 0;
};

/// Attributes backed by a JSON object, with GrowthBook's getPath semantics (walks objects, and
/// arrays by decimal index; anything missing is undefined).
class JsonAttributes final : public Attributes {
 public:
  explicit JsonAttributes(const Json& document) : document_(document) {}
  ValueRef resolve(const AttributePath& path) const override;

 private:
  const Json& document_;
};

}  // namespace stageline
