// runExperiment and the helpers it shares with evalFeature (getHashAttribute, isFilteredOut,
// isIncludedInRollout, getExperimentResult), step for step as GrowthBook's core.ts orders them.

#include <string>

#include "growthbook/growthbook_model.hpp"
#include "values/js_semantics.hpp"

namespace stageline::growthbook_detail {
namespace {

// attributes[name] (own members only), undefined when absent.
ValueRef attribute(const Json& attributes, std::string_view name) {
  for (auto it = attributes.begin(); it != attributes.end(); ++it) {
    if (it.key() == name) return ValueRef::of(*it);
  }
  return ValueRef::undefined();
}

// A variation index as getExperimentResult validates it: -1 unless in [0, count).
int variation_index(double value, std::size_t count) {
  return value >= 0 && value < static_cast<double>(count) ? static_cast<int>(value) : -1;
}

}  // namespace

void js_string(ValueRef value, std::string& out) {
  out.clear();
  if (value.kind() == ValueKind::kString) {
    out.assign(value.as_string());
    return;
  }
  js::StringSink sink(out);
  js::emit_to_string(value, sink);
}

void gb_to_string(ValueRef value, std::string& out) {
  if (value.kind() == ValueKind::kString) {
    out.append(value.as_string());
    return;
  }
  js::StringSink sink(out);
  js::emit_stringify(value, sink);
}

Evaluation::Evaluation(GrowthBookEvaluator& evaluator)
    : evaluator_(evaluator), payload_(evaluator.payload_.detail()), user_(evaluator.user_) {
  evaluator_.stack_.clear();
}

Evaluation::HashAttribute Evaluation::hash_attribute(std::string_view name,
                                                     const std::optional<std::string>* fallback) const {
  HashAttribute out{name, ValueRef::string("")};
  const ValueRef value = attribute(user_.attributes, out.attribute);
  if (js::to_boolean(value)) {
    out.value = value;
  } else if (fallback != nullptr && *fallback) {
    const ValueRef fallback_value = attribute(user_.attributes, **fallback);
    if (js::to_boolean(fallback_value)) out = {**fallback, fallback_value};
  }
  return out;
}

bool Evaluation::uses_fallback(const Experiment& experiment) const {
  return user_.sticky_bucketing && !experiment.disable_sticky_bucketing;
}

std::optional<double> Evaluation::hash(std::string_view seed, ValueRef value, double version) {
  // `seed + value` / `value + seed` concatenate String(value).
  if (value.kind() == ValueKind::kString) return stageline::hash(seed, value.as_string(), version);
  if (value.kind() == ValueKind::kNumber) {
    char text[js::kNumberTextCapacity];
    const std::size_t length = js::number_to_string(value.as_number(), text);
    return stageline::hash(seed, std::string_view(text, length), version);
  }
  js_string(value, evaluator_.scratch_);
  return stageline::hash(seed, evaluator_.scratch_, version);
}

bool Evaluation::filtered_out(const std::vector<Filter>& filters) {
  for (const Filter& filter : filters) {
    const ValueRef value = hash_attribute(filter.attribute, nullptr).value;
    if (!js::to_boolean(value)) return true;
    const std::optional<double> n = hash(filter.seed, value, filter.hash_version);
    if (!n) return true;
    bool in_some = false;
    for (const VariationRange& range : filter.ranges) in_some = in_some || (*n >= range.start && *n < range.end);
    if (!in_some) return true;
  }
  return false;
}

bool Evaluation::included_in_rollout(const Rule& rule) {
  if (!rule.range && !rule.coverage) return true;
  if (!rule.range && *rule.coverage == 0) return false;
  const bool fallback = user_.sticky_bucketing && !rule.disable_sticky_bucketing;
  const ValueRef value = hash_attribute(name_or_id(rule.hash_attribute), fallback ? &rule.fallback_attribute : nullptr).value;
  if (!js::to_boolean(value)) return false;
  const std::optional<double> n = hash(rule.seed, value, rule.hash_version);
  if (!n) return false;
  if (rule.range) return *n >= rule.range->start && *n < rule.range->end;
  return *n <= *rule.coverage;
}

bool Evaluation::condition_passes(const Condition& condition) const {
  return condition.matches(JsonAttributes(user_.attributes));
}

GrowthBookExperimentResult Evaluation::result(const Experiment& experiment, int variation, bool hash_used,
                                              std::optional<std::string_view> feature_id, std::optional<double> bucket,
                                              bool sticky_bucket_used, const BanditLeaf* bandit) const {
  GrowthBookExperimentResult out;
  out.experiment = &experiment;
  out.in_experiment = variation >= 0 && static_cast<std::size_t>(variation) < experiment.variation_count;
  out.variation_id = out.in_experiment ? variation : 0;
  out.hash_used = hash_used;
  const HashAttribute hashed =
      hash_attribute(name_or_id(experiment.hash_attribute), uses_fallback(experiment) ? &experiment.fallback_attribute : nullptr);
  out.hash_attribute = hashed.attribute;
  out.hash_value = hashed.value;
  out.sticky_bucket_used = sticky_bucket_used;
  out.bucket = bucket;
  out.feature_id = feature_id;
  out.bandit = bandit;
  return out;
}

GrowthBookExperimentResult Evaluation::run(const Experiment& experiment, std::optional<std::string_view> feature_id,
                                           const BanditLeaf* bandit) {
  const auto excluded = [&] { return result(experiment, -1, false, feature_id, std::nullopt, false, bandit); };
  const std::size_t count = experiment.variation_count;
  // 1-2. Fewer than two variations, or a disabled context.
  if (count < 2 || !user_.enabled) return excluded();
  // 3. ?key=N in the URL.
  if (const std::optional<int> forced = get_query_string_override(experiment.key, user_.url, static_cast<int>(count))) {
    return result(experiment, *forced, false, feature_id, std::nullopt, false, bandit);
  }
  // 4. forcedVariations.
  const auto forced = user_.forced_variations.find(experiment.key);
  if (forced != user_.forced_variations.end()) {
    return result(experiment, variation_index(forced->get<double>(), count), false, feature_id, std::nullopt, false, bandit);
  }
  // 5. Draft or inactive.
  if (experiment.inactive) return excluded();
  // 6. The hash attribute, then a sticky bucket.
  const bool sticky = uses_fallback(experiment);
  const HashAttribute hashed = hash_attribute(name_or_id(experiment.hash_attribute), sticky ? &experiment.fallback_attribute : nullptr);
  if (!js::to_boolean(hashed.value)) return excluded();
  int assigned = -1;
  bool found_sticky_bucket = false;
  bool sticky_version_blocked = false;
  if (sticky) {
    const StickyVariation stored = sticky_variation(experiment);
    found_sticky_bucket = stored.variation >= 0;
    assigned = stored.variation;
    sticky_version_blocked = stored.version_blocked;
  }
  // 7-8. Filters or namespace, condition and prerequisites (a sticky bucket skips them).
  if (!found_sticky_bucket) {
    if (experiment.has_filters) {
      if (filtered_out(experiment.filters)) return excluded();
    } else if (experiment.namespace_id) {
      js_string(hashed.value, evaluator_.scratch_);
      const Namespace slice{*experiment.namespace_id, experiment.namespace_start, experiment.namespace_end};
      if (!in_namespace(evaluator_.scratch_, slice)) return excluded();
    }
    if (experiment.condition && !condition_passes(*experiment.condition)) return excluded();
    if (!experiment.parent_conditions.empty()) {
      bool gate_failed = false;
      if (prerequisites(experiment.parent_conditions, gate_failed) != Prerequisites::kPass) return excluded();
    }
  }
  // 9. Hash and choose the variation.
  const std::optional<double> n = hash(experiment.seed, hashed.value, experiment.hash_version);
  if (!n) return excluded();
  if (!found_sticky_bucket) {
    const std::vector<VariationRange>& ranges =
        experiment.has_ranges || bandit == nullptr ? experiment.ranges : bandit->ranges;
    assigned = choose_variation(*n, ranges);
  }
  // 9.5. A sticky bucket from a blocked bucket version unenrolls.
  if (sticky_version_blocked) return result(experiment, -1, false, feature_id, std::nullopt, true, bandit);
  // 10. Not covered.
  if (assigned < 0) return excluded();
  // 11. A variation forced by the experiment.
  if (experiment.force) {
    return result(experiment, variation_index(*experiment.force, count), false, feature_id, std::nullopt, false, bandit);
  }
  // 12. QA mode, 12.5. stopped.
  if (user_.qa_mode || experiment.stopped) return excluded();
  // 13. In the experiment; 13.5. remember the assignment.
  GrowthBookExperimentResult out = result(experiment, assigned, true, feature_id, n, found_sticky_bucket, bandit);
  if (sticky) {
    const VariationMeta* meta =
        experiment.meta.empty() ? nullptr : &experiment.meta[static_cast<std::size_t>(out.variation_id)];
    if (meta != nullptr && meta->key && !meta->key->empty()) {
      save_sticky_assignment(experiment, hashed, *meta->key);
    } else {
      char text[js::kNumberTextCapacity];
      const std::size_t length = js::number_to_string(out.variation_id, text);
      save_sticky_assignment(experiment, hashed, std::string_view(text, length));
    }
  }
  return out;
}

}  // namespace stageline::growthbook_detail
