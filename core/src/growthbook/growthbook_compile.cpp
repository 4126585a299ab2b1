// Compiling a GrowthBook payload: every field the SDK reads is checked against GrowthBook's types
// (an Error naming its JSON path otherwise) and turned into what evaluation needs, mirroring how
// evalFeature copies a rule's fields into the experiment it runs (`if (rule.x) exp.x = rule.x`).

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "growthbook/growthbook_model.hpp"
#include "json/config_reader.hpp"
#include "stageline/common/error.hpp"
#include "values/js_semantics.hpp"

namespace stageline::growthbook_detail {
namespace {

using config::expect_array;
using config::expect_object;
using config::fail_expected;

const Json* member(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<std::string> string_member(const Json& object, std::string_view key, const std::string& path) {
  const Json* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) fail_expected(join_path(path, key), "a string", *value);
  return value->get<std::string>();
}

// A string member where GrowthBook only looks at truthy values: "" reads as absent.
std::optional<std::string> truthy_string_member(const Json& object, std::string_view key, const std::string& path) {
  std::optional<std::string> value = string_member(object, key, path);
  if (value && value->empty()) value.reset();
  return value;
}

std::optional<double> number_member(const Json& object, std::string_view key, const std::string& path) {
  const Json* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) fail_expected(join_path(path, key), "a number", *value);
  return value->get<double>();
}

bool boolean_member(const Json& object, std::string_view key, const std::string& path) {
  const Json* value = member(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) fail_expected(join_path(path, key), "a boolean", *value);
  return value->get<bool>();
}

std::vector<double> numbers(const Json& array, const std::string& path) {
  expect_array(array, path);
  std::vector<double> out;
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_number()) fail_expected(join_path(path, i), "a number", array[i]);
    out.push_back(array[i].get<double>());
  }
  return out;
}

VariationRange range(const Json& value, const std::string& path) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number()) {
    fail_expected(path, "a range [start, end] of two numbers", value);
  }
  return {value[0].get<double>(), value[1].get<double>()};
}

std::vector<VariationRange> ranges(const Json& value, const std::string& path) {
  expect_array(value, path);
  std::vector<VariationRange> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(range(value[i], join_path(path, i)));
  return out;
}

Condition condition(const Json& value, const std::string& path, const Payload& payload) {
  expect_object(value, path);
  ConditionOptions options;
  options.strict = false;  // GrowthBook's evaluator: unknown operators and bad regexes fail the clause
  options.extensions = false;
  const Json* saved_groups = member(payload.json, "savedGroups");
  options.saved_groups = saved_groups;
  options.path_prefix = path;
  return Condition::compile(value, options);
}

std::vector<ParentCondition> parent_conditions(const Json& value, const std::string& path, const Payload& payload) {
  expect_array(value, path);
  std::vector<ParentCondition> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = join_path(path, i);
    const Json& item = expect_object(value[i], item_path);
    ParentCondition parent;
    parent.id = config::string_member(item, "id", item_path);
    const Json* when = member(item, "condition");
    // `parentCondition.condition || {}`
    parent.condition = condition(when != nullptr ? *when : Json::object(), join_path(item_path, "condition"), payload);
    parent.gate = boolean_member(item, "gate", item_path);
    out.push_back(std::move(parent));
  }
  return out;
}

std::vector<Filter> filters(const Json& value, const std::string& path) {
  expect_array(value, path);
  std::vector<Filter> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = join_path(path, i);
    const Json& item = expect_object(value[i], item_path);
    Filter filter;
    filter.attribute = truthy_string_member(item, "attribute", item_path).value_or("id");
    filter.seed = config::string_member(item, "seed", item_path);
    const double version = number_member(item, "hashVersion", item_path).value_or(0);
    filter.hash_version = version != 0 ? version : 2;  // filter.hashVersion || 2
    const Json* filter_ranges = member(item, "ranges");
    if (filter_ranges == nullptr) throw Error(error_code::kInvalidConfig, join_path(item_path, "ranges"), "is required (an array of ranges)");
    filter.ranges = ranges(*filter_ranges, join_path(item_path, "ranges"));
    out.push_back(std::move(filter));
  }
  return out;
}

std::vector<VariationMeta> meta(const Json& value, const std::string& path, std::size_t variation_count) {
  expect_array(value, path);
  // getExperimentResult reads meta[variationIndex].key, which throws in the SDK past the end.
  if (value.size() < variation_count) {
    throw Error(error_code::kInvalidConfig, path,
                "expected one entry per variation (" + std::to_string(variation_count) + "), got " +
                    std::to_string(value.size()));
  }
  std::vector<VariationMeta> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = join_path(path, i);
    const Json& item = expect_object(value[i], item_path);
    VariationMeta entry;
    entry.key = string_member(item, "key", item_path);
    entry.name = truthy_string_member(item, "name", item_path);
    entry.passthrough = boolean_member(item, "passthrough", item_path);
    out.push_back(std::move(entry));
  }
  return out;
}

// The bucket ranges of getBucketRanges(n, coverage === undefined ? 1 : coverage, weights).
std::vector<VariationRange> bucket_ranges(std::size_t count, std::optional<double> coverage, const Json* weights,
                                          const std::string& path) {
  const int n = static_cast<int>(count);
  if (weights == nullptr) return get_bucket_ranges(n, coverage);
  return get_bucket_ranges(n, coverage, numbers(*weights, path));
}

// The fields runExperiment reads, shared by rules and run() experiments. `source` holds them under
// GrowthBook's Experiment names.
void compile_common(Experiment& out, const Json& source, const std::string& path, const Payload& payload,
                    std::optional<double> coverage) {
  out.variation_count = out.variations->size();
  out.weights = member(source, "weights");
  if (const Json* explicit_ranges = member(source, "ranges")) {
    out.has_ranges = true;
    out.ranges = ranges(*explicit_ranges, join_path(path, "ranges"));
  } else {
    out.ranges = bucket_ranges(out.variation_count, coverage, out.weights, join_path(path, "weights"));
  }
  if (out.weights != nullptr) numbers(*out.weights, join_path(path, "weights"));
  out.hash_attribute = truthy_string_member(source, "hashAttribute", path);
  out.fallback_attribute = truthy_string_member(source, "fallbackAttribute", path);
  const std::optional<std::string> seed = truthy_string_member(source, "seed", path);
  out.seed = seed ? *seed : out.key;
  const double version = number_member(source, "hashVersion", path).value_or(0);
  out.hash_version = version != 0 ? version : 1;
  if (const Json* ns = member(source, "namespace")) {
    const std::string ns_path = join_path(path, "namespace");
    if (!ns->is_array() || ns->size() != 3 || !(*ns)[0].is_string() || !(*ns)[1].is_number() || !(*ns)[2].is_number()) {
      fail_expected(ns_path, "a namespace [id, start, end]", *ns);
    }
    out.namespace_id = (*ns)[0].get<std::string>();
    out.namespace_start = (*ns)[1].get<double>();
    out.namespace_end = (*ns)[2].get<double>();
  }
  if (const Json* list = member(source, "filters")) {
    out.has_filters = true;
    out.filters = filters(*list, join_path(path, "filters"));
  }
  if (const Json* when = member(source, "condition")) out.condition = condition(*when, join_path(path, "condition"), payload);
  out.disable_sticky_bucketing = boolean_member(source, "disableStickyBucketing", path);
  out.bucket_version = number_member(source, "bucketVersion", path).value_or(0);
  out.min_bucket_version = number_member(source, "minBucketVersion", path).value_or(0);
  if (const Json* list = member(source, "meta")) out.meta = meta(*list, join_path(path, "meta"), out.variation_count);
  truthy_string_member(source, "name", path);
  truthy_string_member(source, "phase", path);
}

// The contextual bandit a rule names, compiled for the rule's variations and coverage (as
// buildContextualBanditExperiment applies it); nullopt when the payload does not define it.
std::optional<ContextualBandit> bandit(const Experiment& experiment, const std::string& ref, std::optional<double> coverage,
                                       const Payload& payload) {
  const Json* bandits = member(payload.json, "contextualBandits");
  const Json* definition = bandits != nullptr ? member(*bandits, ref) : nullptr;
  if (definition == nullptr) return std::nullopt;
  const std::string path = join_path("contextualBandits", ref);
  ContextualBandit out;
  const std::optional<double> version = number_member(*definition, "banditVersion", path);
  if (const Json* contexts = member(*definition, "contexts")) {
    const std::string contexts_path = join_path(path, "contexts");
    expect_array(*contexts, contexts_path);
    for (std::size_t i = 0; i < contexts->size(); ++i) {
      const std::string item_path = join_path(contexts_path, i);
      const Json& item = expect_object((*contexts)[i], item_path);
      BanditLeaf leaf;
      const std::optional<double> leaf_id = number_member(item, "leafId", item_path);
      if (!leaf_id) throw Error(error_code::kInvalidConfig, join_path(item_path, "leafId"), "is required (a number)");
      leaf.leaf_id = *leaf_id;
      const Json* when = member(item, "condition");
      leaf.condition = condition(when != nullptr ? *when : Json::object(), join_path(item_path, "condition"), payload);
      const Json* weights = member(item, "weights");
      if (weights == nullptr) throw Error(error_code::kInvalidConfig, join_path(item_path, "weights"), "is required (an array of numbers)");
      leaf.replaces_weights = true;
      leaf.variation_weights = *weights;
      leaf.ranges = bucket_ranges(experiment.variation_count, coverage, weights, join_path(item_path, "weights"));
      leaf.bandit_version = version;
      out.leaves.push_back(std::move(leaf));
    }
  }
  // No leaf matched: the experiment's own weights (or equal ones) and ranges.
  out.fallback.leaf_id = -1;
  out.fallback.variation_weights =
      experiment.weights != nullptr ? *experiment.weights : Json(get_equal_weights(static_cast<int>(experiment.variation_count)));
  out.fallback.ranges = experiment.ranges;
  out.fallback.bandit_version = version;
  return out;
}

// The `experiment` object evalFeature builds from a rule, in its key order.
Json rule_experiment_json(const Json& rule, const Experiment& experiment) {
  Json out = Json::object();
  out["variations"] = *experiment.variations;
  out["key"] = experiment.key;
  const auto copy = [&](const char* key, bool when) {
    const Json* value = member(rule, key);
    if (value != nullptr && when) out[key] = *value;
  };
  const auto truthy = [&](const char* key) {
    const Json* value = member(rule, key);
    return value != nullptr && js::to_boolean(ValueRef::of(*value));
  };
  copy("coverage", true);
  copy("weights", truthy("weights"));
  copy("hashAttribute", truthy("hashAttribute"));
  copy("fallbackAttribute", truthy("fallbackAttribute"));
  copy("disableStickyBucketing", truthy("disableStickyBucketing"));
  copy("bucketVersion", true);
  copy("minBucketVersion", true);
  for (const char* key : {"namespace", "meta", "ranges", "name", "phase", "seed", "hashVersion", "filters", "condition"}) {
    copy(key, truthy(key));
  }
  return out;
}

Rule compile_rule(const Json& source, const std::string& path, const std::string& feature_key, const Payload& payload) {
  expect_object(source, path);
  Rule rule;
  rule.id = string_member(source, "id", path).value_or("");
  if (const Json* list = member(source, "parentConditions")) {
    rule.parent_conditions = parent_conditions(*list, join_path(path, "parentConditions"), payload);
  }
  if (const Json* list = member(source, "filters")) {
    rule.has_filters = true;
    rule.filters = filters(*list, join_path(path, "filters"));
  }
  if (const Json* when = member(source, "condition")) rule.condition = condition(*when, join_path(path, "condition"), payload);
  const std::optional<double> coverage = number_member(source, "coverage", path);
  if (const Json* force = member(source, "force")) {
    rule.force = force;
    const std::optional<std::string> seed = truthy_string_member(source, "seed", path);
    rule.seed = seed ? *seed : feature_key;
    rule.hash_attribute = truthy_string_member(source, "hashAttribute", path);
    rule.fallback_attribute = truthy_string_member(source, "fallbackAttribute", path);
    rule.disable_sticky_bucketing = boolean_member(source, "disableStickyBucketing", path);
    if (const Json* value = member(source, "range")) rule.range = range(*value, join_path(path, "range"));
    rule.coverage = coverage;
    const double version = number_member(source, "hashVersion", path).value_or(0);
    rule.hash_version = version != 0 ? version : 1;
    return rule;
  }
  // rule.contextualVariations ?? rule.variations
  const char* variations_key = "contextualVariations";
  const Json* variations = member(source, variations_key);
  if (variations == nullptr || variations->is_null()) {
    variations_key = "variations";
    variations = member(source, variations_key);
  }
  if (variations == nullptr) return rule;  // neither force nor variations: the SDK skips the rule
  expect_array(*variations, join_path(path, variations_key));

  Experiment experiment;
  experiment.variations = variations;
  experiment.key = truthy_string_member(source, "key", path).value_or(feature_key);
  compile_common(experiment, source, path, payload, coverage);
  experiment.json = rule_experiment_json(source, experiment);
  if (const std::optional<std::string> ref = string_member(source, "contextualBanditRef", path)) {
    experiment.bandit = bandit(experiment, *ref, coverage, payload);
  }
  rule.experiment = std::move(experiment);
  return rule;
}

void check_bandits(const Json& bandits) {
  expect_object(bandits, "contextualBandits");
  for (const auto& item : bandits.items()) expect_object(item.value(), join_path("contextualBandits", item.key()));
}

}  // namespace

void compile_experiment(Experiment& out, const Json& source, const Payload& payload) {
  const std::string path;
  expect_object(source, path);
  for (const char* unsupported : {"urlPatterns", "url", "groups", "include", "contextualBandit"}) {
    if (member(source, unsupported) != nullptr) {
      throw Error(error_code::kInvalidConfig, unsupported,
                  "is not supported (URL targeting, groups, include functions and bandit contexts need "
                  "the browser SDK)");
    }
  }
  out.key = config::string_member(source, "key", path);
  const Json* variations = member(source, "variations");
  if (variations == nullptr) throw Error(error_code::kInvalidConfig, "variations", "is required (an array)");
  out.variations = &expect_array(*variations, "variations");
  compile_common(out, source, path, payload, number_member(source, "coverage", path));
  if (const Json* list = member(source, "parentConditions")) {
    out.parent_conditions = parent_conditions(*list, "parentConditions", payload);
  }
  out.force = number_member(source, "force", path);
  if (out.force && *out.force != std::floor(*out.force)) fail_expected("force", "a variation index (an integer)", source["force"]);
  out.inactive = member(source, "active") != nullptr && !boolean_member(source, "active", path);
  if (const std::optional<std::string> status = string_member(source, "status", path)) {
    out.inactive = out.inactive || *status == "draft";
    out.stopped = *status == "stopped";
  }
}

}  // namespace stageline::growthbook_detail

namespace stageline {

using growthbook_detail::Payload;

GrowthBookPayload GrowthBookPayload::compile(const Json& payload) {
  config::expect_object(payload, "");
  auto compiled = std::make_shared<Payload>();
  compiled->json = payload;
  const Json& json = compiled->json;
  if (const Json* groups = growthbook_detail::member(json, "savedGroups")) config::expect_object(*groups, "savedGroups");
  if (const Json* bandits = growthbook_detail::member(json, "contextualBandits")) growthbook_detail::check_bandits(*bandits);
  const Json* features = growthbook_detail::member(json, "features");
  if (features != nullptr) {
    config::expect_object(*features, "features");
    compiled->features.reserve(features->size());
    for (const auto& item : features->items()) {
      const std::string path = join_path("features", item.key());
      const Json& source = config::expect_object(item.value(), path);
      growthbook_detail::Feature feature;
      feature.key = item.key();
      feature.default_value = growthbook_detail::member(source, "defaultValue");
      if (const Json* rules = growthbook_detail::member(source, "rules")) {
        const std::string rules_path = join_path(path, "rules");
        config::expect_array(*rules, rules_path);
        for (std::size_t i = 0; i < rules->size(); ++i) {
          feature.rules.push_back(growthbook_detail::compile_rule((*rules)[i], join_path(rules_path, i), feature.key, *compiled));
          const growthbook_detail::Rule& rule = feature.rules.back();
          if (!rule.experiment) continue;
          // deriveStickyBucketIdentifierAttributes: hashAttribute || "id", then fallbackAttribute.
          auto& attributes = compiled->sticky_attributes;
          for (const std::optional<std::string>& name : {std::optional<std::string>(rule.experiment->hash_attribute.value_or("id")),
                                                         rule.experiment->fallback_attribute}) {
            if (name && std::find(attributes.begin(), attributes.end(), *name) == attributes.end()) attributes.push_back(*name);
          }
        }
      }
      compiled->feature_index.insert(feature.key, static_cast<std::uint32_t>(compiled->features.size()));
      compiled->features.push_back(std::move(feature));
    }
  }
  GrowthBookPayload out;
  out.payload_ = std::move(compiled);
  return out;
}

std::size_t GrowthBookPayload::feature_count() const { return payload_->features.size(); }

GrowthBookExperiment GrowthBookExperiment::compile(const Json& experiment, const GrowthBookPayload& payload) {
  auto compiled = std::make_shared<growthbook_detail::Experiment>();
  compiled->owned = experiment;
  growthbook_detail::compile_experiment(*compiled, compiled->owned, payload.detail());
  GrowthBookExperiment out;
  out.experiment_ = std::move(compiled);
  return out;
}

}  // namespace stageline
