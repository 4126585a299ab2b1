// Sticky bucketing (getStickyBucketVariation, getStickyBucketAssignments,
// generateStickyBucketAssignmentDoc): a user's assignments live in documents keyed
// "attributeName||attributeValue", with one entry "experimentKey__bucketVersion" per experiment.
// Keys are matched piecewise, so reading an assignment builds no string.

#include <cmath>
#include <string>

#include "growthbook/growthbook_model.hpp"
#include "values/js_semantics.hpp"

namespace stageline::growthbook_detail {
namespace {

struct VersionText {
  char text[js::kNumberTextCapacity];
  std::size_t length = 0;
  explicit VersionText(double version) : length(js::number_to_string(version, text)) {}
  std::string_view view() const { return {text, length}; }
};

// The text after "<key>__" when `name` is an assignment of experiment `key`, else nullopt.
std::optional<std::string_view> version_of(std::string_view name, std::string_view key) {
  if (name.size() < key.size() + 2 || name.substr(0, key.size()) != key || name.substr(key.size(), 2) != "__") {
    return std::nullopt;
  }
  return name.substr(key.size() + 2);
}

// The document's assignments object, or nullptr.
const Json* assignments_of(const Json* doc) {
  if (doc == nullptr) return nullptr;
  const auto it = doc->find("assignments");
  return it != doc->end() && it->is_object() ? &*it : nullptr;
}

const Json* find_doc(const Json& docs, const std::string& key) {
  const auto it = docs.find(key);
  return it == docs.end() ? nullptr : &*it;
}

// `version` is the canonical text of an integer below `limit` (one of the keys
// getStickyBucketExperimentKey(key, i) makes for i = 0, 1, ..., limit - 1).
bool blocked_version(std::string_view version, double limit) {
  if (version.empty() || version.size() > 15 || (version.size() > 1 && version[0] == '0')) return false;
  double value = 0;
  for (const char c : version) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value < limit;
}

}  // namespace

Evaluation::StickyVariation Evaluation::sticky_variation(const Experiment& experiment) {
  // getStickyBucketAssignments: the fallback attribute's document, overridden by the hash
  // attribute's ("id" stands in for a missing fallback attribute, as there).
  std::string& key = evaluator_.scratch_;
  const HashAttribute hashed = hash_attribute(name_or_id(experiment.hash_attribute), nullptr);
  key.assign(hashed.attribute).append("||");
  gb_to_string(hashed.value, key);
  const Json* primary = assignments_of(find_doc(user_.sticky_bucket_assignment_docs, key));
  const HashAttribute fallback = hash_attribute(name_or_id(experiment.fallback_attribute), nullptr);
  const Json* secondary = nullptr;
  if (js::to_boolean(fallback.value)) {
    key.assign(fallback.attribute).append("||");
    gb_to_string(fallback.value, key);
    secondary = assignments_of(find_doc(user_.sticky_bucket_assignment_docs, key));
  }

  StickyVariation out;
  if (experiment.min_bucket_version > 0) {
    for (const Json* assignments : {primary, secondary}) {
      if (assignments == nullptr) continue;
      for (auto it = assignments->begin(); it != assignments->end(); ++it) {
        const std::optional<std::string_view> version = version_of(it.key(), experiment.key);
        if (version && blocked_version(*version, experiment.min_bucket_version)) {
          out.version_blocked = true;
          return out;
        }
      }
    }
  }
  const VersionText version(experiment.bucket_version);
  const Json* variation_key = nullptr;
  for (const Json* assignments : {primary, secondary}) {
    if (assignments == nullptr || variation_key != nullptr) continue;
    for (auto it = assignments->begin(); it != assignments->end(); ++it) {
      const std::optional<std::string_view> found = version_of(it.key(), experiment.key);
      if (found && *found == version.view()) {
        variation_key = &*it;
        break;
      }
    }
  }
  if (variation_key == nullptr || !variation_key->is_string()) return out;
  const std::string& wanted = variation_key->get_ref<const std::string&>();
  for (std::size_t i = 0; i < experiment.meta.size(); ++i) {
    if (experiment.meta[i].key && *experiment.meta[i].key == wanted) {
      out.variation = static_cast<int>(i);
      break;
    }
  }
  return out;
}

void Evaluation::save_sticky_assignment(const Experiment& experiment, const HashAttribute& hashed,
                                        std::string_view variation_key) {
  std::string& doc_key = evaluator_.scratch_;
  doc_key.assign(hashed.attribute).append("||");
  gb_to_string(hashed.value, doc_key);
  const VersionText version(experiment.bucket_version);
  std::string assignment_key = experiment.key;
  assignment_key.append("__").append(version.view());

  Json& docs = user_.sticky_bucket_assignment_docs;
  const Json* existing = assignments_of(find_doc(docs, doc_key));
  if (existing != nullptr) {
    const auto it = existing->find(assignment_key);
    // Unchanged: JSON.stringify of the merged assignments equals the old one.
    if (it != existing->end() && it->is_string() && it->get_ref<const std::string&>() == variation_key) return;
  }
  Json assignments = existing != nullptr ? *existing : Json::object();
  assignments[assignment_key] = std::string(variation_key);
  const std::string value_text = doc_key.substr(hashed.attribute.size() + 2);
  docs[doc_key] = Json{{"attributeName", std::string(hashed.attribute)},
                       {"attributeValue", value_text},
                       {"assignments", std::move(assignments)}};
}

}  // namespace stageline::growthbook_detail
