// GrowthBookEvaluator: the user context (validated whenever it is set), the entry points, and the
// sticky-bucket documents a StickyBucketService would load for the user.

#include <cmath>
#include <string>
#include <utility>

#include "growthbook/growthbook_model.hpp"
#include "stageline/common/error.hpp"
#include "values/js_semantics.hpp"

namespace stageline {
namespace {

[[noreturn]] void fail(const std::string& path, std::string_view expected, const Json& got) {
  throw Error(error_code::kInvalidArgument, path, expected_but_got(expected, got));
}

void check_attributes(const Json& attributes) {
  if (!attributes.is_object()) fail("attributes", "an object", attributes);
}

void check_forced_variations(const Json& forced) {
  if (!forced.is_object()) fail("forcedVariations", "an object", forced);
  for (const auto& item : forced.items()) {
    const Json& value = item.value();
    if (!value.is_number() || value.get<double>() != std::floor(value.get<double>())) {
      fail(join_path("forcedVariations", item.key()), "a variation index (an integer)", value);
    }
  }
}

void check_forced_values(const Json& forced) {
  if (!forced.is_object()) fail("forcedFeatureValues", "an object", forced);
}

// A StickyAssignmentsDocument: {attributeName, attributeValue, assignments: {key: variation key}}.
void check_doc(const Json& doc, const std::string& path) {
  if (!doc.is_object()) fail(path, "a sticky-bucket document (an object)", doc);
  for (const char* key : {"attributeName", "attributeValue"}) {
    const auto it = doc.find(key);
    if (it == doc.end()) throw Error(error_code::kInvalidArgument, join_path(path, key), "is required (a string)");
    if (!it->is_string()) fail(join_path(path, key), "a string", *it);
  }
  const auto assignments = doc.find("assignments");
  if (assignments == doc.end()) throw Error(error_code::kInvalidArgument, join_path(path, "assignments"), "is required (an object)");
  if (!assignments->is_object()) fail(join_path(path, "assignments"), "an object", *assignments);
  for (const auto& item : assignments->items()) {
    if (!item.value().is_string()) fail(join_path(join_path(path, "assignments"), item.key()), "a variation key (a string)", item.value());
  }
}

void check_docs(const Json& docs) {
  if (!docs.is_object()) fail("stickyBucketAssignmentDocs", "an object", docs);
  for (const auto& item : docs.items()) check_doc(item.value(), join_path("stickyBucketAssignmentDocs", item.key()));
}

}  // namespace

void GrowthBookUser::validate() const {
  check_attributes(attributes);
  check_forced_variations(forced_variations);
  check_forced_values(forced_feature_values);
  check_docs(sticky_bucket_assignment_docs);
}

GrowthBookEvaluator::GrowthBookEvaluator(GrowthBookPayload payload, GrowthBookUser user)
    : payload_(std::move(payload)), user_(std::move(user)) {
  user_.validate();
  stack_.reserve(growthbook_detail::kMaxPrerequisiteDepth);
}

GrowthBookEvaluator::~GrowthBookEvaluator() = default;
GrowthBookEvaluator::GrowthBookEvaluator(GrowthBookEvaluator&&) noexcept = default;
GrowthBookEvaluator& GrowthBookEvaluator::operator=(GrowthBookEvaluator&&) noexcept = default;

GrowthBookFeatureResult GrowthBookEvaluator::eval_feature(std::string_view key) {
  return growthbook_detail::Evaluation(*this).feature(key);
}

GrowthBookExperimentResult GrowthBookEvaluator::run(const GrowthBookExperiment& experiment) {
  return growthbook_detail::Evaluation(*this).run(experiment.detail(), std::nullopt, nullptr);
}

void GrowthBookEvaluator::set_attributes(Json attributes) {
  check_attributes(attributes);
  user_.attributes = std::move(attributes);
}

void GrowthBookEvaluator::set_url(std::string url) { user_.url = std::move(url); }

void GrowthBookEvaluator::set_forced_variations(Json forced_variations) {
  check_forced_variations(forced_variations);
  user_.forced_variations = std::move(forced_variations);
}

void GrowthBookEvaluator::set_forced_feature_values(Json forced_feature_values) {
  check_forced_values(forced_feature_values);
  user_.forced_feature_values = std::move(forced_feature_values);
}

void GrowthBookEvaluator::set_sticky_bucket_assignment_docs(Json docs) {
  check_docs(docs);
  user_.sticky_bucketing = true;
  user_.sticky_bucket_assignment_docs = std::move(docs);
}

Json GrowthBookEvaluator::sticky_bucket_attributes() const {
  Json out = Json::object();
  for (const std::string& name : payload_.detail().sticky_attributes) {
    // toString(getHashAttribute(ctx, name).hashValue): "" for a missing or falsy value.
    const auto it = user_.attributes.find(name);
    std::string text;
    if (it != user_.attributes.end() && js::to_boolean(ValueRef::of(*it))) growthbook_detail::gb_to_string(ValueRef::of(*it), text);
    out[name] = std::move(text);
  }
  return out;
}

void GrowthBookEvaluator::load_sticky_bucket_assignment_docs(const Json& docs) {
  if (!docs.is_array()) fail("stickyBucketAssignmentDocs", "an array of documents", docs);
  for (std::size_t i = 0; i < docs.size(); ++i) check_doc(docs[i], join_path("stickyBucketAssignmentDocs", i));
  const Json attributes = sticky_bucket_attributes();
  Json loaded = Json::object();
  for (const Json& doc : docs) {
    const std::string& name = doc["attributeName"].get_ref<const std::string&>();
    const std::string& value = doc["attributeValue"].get_ref<const std::string&>();
    const auto wanted = attributes.find(name);
    if (wanted != attributes.end() && wanted->get_ref<const std::string&>() == value) loaded[name + "||" + value] = doc;
  }
  user_.sticky_bucketing = true;
  user_.sticky_bucket_assignment_docs = std::move(loaded);
}

}  // namespace stageline
