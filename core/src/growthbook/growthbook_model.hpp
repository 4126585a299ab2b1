#pragma once
// The compiled form of a GrowthBook payload and of its experiments (growthbook_compile.cpp builds
// it; growthbook_feature.cpp, growthbook_experiment.cpp and growthbook_sticky.cpp evaluate it).
// Every `const Json*` points into the Json the compiled object owns.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stageline/bucketing/bucketing.hpp"
#include "stageline/common/string_index.hpp"
#include "stageline/conditions/condition.hpp"
#include "stageline/growthbook/growthbook.hpp"
#include "stageline/json/json.hpp"

namespace stageline::growthbook_detail {

/// Deepest chain of prerequisites followed (each link is one level of recursion).
inline constexpr std::size_t kMaxPrerequisiteDepth = 128;

/// A filter: the user is out unless the hash of `attribute` falls in one of `ranges`.
struct Filter {
  std::string attribute;  // filter.attribute || "id"
  std::string seed;
  double hash_version = 2;  // filter.hashVersion || 2
  std::vector<VariationRange> ranges;
};

/// A prerequisite: feature `id`'s value must satisfy `condition` (over {value}).
struct ParentCondition {
  std::string id;
  Condition condition;
  bool gate = false;  // failing it blocks the feature instead of skipping the rule
};

struct VariationMeta {
  std::optional<std::string> key;  // absent: the variation's index is its key
  std::optional<std::string> name;
  bool passthrough = false;
};

/// A contextual-bandit leaf: the weights for users matching `condition`, or (leaf_id -1) the
/// fallback when none matches. Leaves are compiled per experiment rule, as their bucket ranges
/// depend on the rule's variations and coverage.
struct BanditLeaf {
  double leaf_id = -1;
  Condition condition;
  bool replaces_weights = false;  // a matched leaf's weights become the experiment's
  Json variation_weights;         // the result's variationWeights
  std::vector<VariationRange> ranges;
  std::optional<double> bandit_version;  // the definition's
};

struct ContextualBandit {
  std::vector<BanditLeaf> leaves;  // in the definition's order
  BanditLeaf fallback;
};

/// An experiment, either a feature's experiment rule (as evalFeature builds it from the rule) or
/// an experiment given to run().
struct Experiment {
  std::string key;
  const Json* variations = nullptr;  // an array
  std::size_t variation_count = 0;
  bool has_ranges = false;            // explicit `ranges` (then coverage and weights are ignored)
  std::vector<VariationRange> ranges; // explicit, or from coverage and weights
  const Json* weights = nullptr;      // as given (for a bandit's variationWeights)
  std::optional<std::string> hash_attribute;
  std::optional<std::string> fallback_attribute;
  std::string seed;                   // experiment.seed || key
  double hash_version = 1;            // experiment.hashVersion || 1
  std::optional<std::string> namespace_id;
  double namespace_start = 0, namespace_end = 0;
  bool has_filters = false;
  std::vector<Filter> filters;
  std::optional<Condition> condition;
  std::vector<ParentCondition> parent_conditions;
  bool disable_sticky_bucketing = false;
  double bucket_version = 0;          // || 0
  double min_bucket_version = 0;      // || 0
  std::vector<VariationMeta> meta;    // empty when absent
  std::optional<double> force;
  bool inactive = false;              // active === false or status "draft"
  bool stopped = false;               // status "stopped"
  std::optional<ContextualBandit> bandit;  // a rule naming a known contextualBanditRef
  Json json;  // the `experiment` object of a FeatureResult (without contextualBandit)
  Json owned; // run() experiments: the experiment as given (what the pointers view)
};

/// A feature rule, as evalFeature reads it.
struct Rule {
  std::string id;
  std::vector<ParentCondition> parent_conditions;
  bool has_filters = false;
  std::vector<Filter> filters;
  const Json* force = nullptr;  // a force rule's value ("force" in rule)
  std::optional<Condition> condition;
  // Rollout of a force rule.
  std::string seed;  // rule.seed || feature key
  std::optional<std::string> hash_attribute;
  std::optional<std::string> fallback_attribute;
  bool disable_sticky_bucketing = false;
  std::optional<VariationRange> range;
  std::optional<double> coverage;
  double hash_version = 1;
  // An experiment rule (variations or contextualVariations).
  std::optional<Experiment> experiment;
};

struct Feature {
  std::string key;
  const Json* default_value = nullptr;  // nullptr: undefined (the result's value is null)
  std::vector<Rule> rules;
};

struct Payload {
  Json json;  // the payload as given
  std::vector<Feature> features;
  StringIndex feature_index;
  /// Hash and fallback attributes of every experiment rule, in first-use order (what
  /// getStickyBucketAttributes reads).
  std::vector<std::string> sticky_attributes;

  std::optional<std::uint32_t> find(std::string_view key) const {
    return feature_index.find(key, [this](std::uint32_t i) -> std::string_view { return features[i].key; });
  }
};

/// Compiles a run() experiment (`source` must outlive `out`; its saved groups are `payload`'s).
void compile_experiment(Experiment& out, const Json& source, const Payload& payload);

/// One top-level evaluation (GrowthBook's EvalContext): the evaluator's user and scratch, and the
/// stack of features under evaluation.
class Evaluation {
 public:
  explicit Evaluation(GrowthBookEvaluator& evaluator);

  GrowthBookFeatureResult feature(std::string_view key);
  GrowthBookExperimentResult run(const Experiment& experiment, std::optional<std::string_view> feature_id,
                                 const BanditLeaf* bandit);

 private:
  // growthbook_experiment.cpp
  struct HashAttribute {
    std::string_view attribute;
    ValueRef value;  // "" when missing or falsy
  };
  /// getHashAttribute(ctx, attribute, fallback); `fallback` only where sticky bucketing is on.
  HashAttribute hash_attribute(std::string_view attribute, const std::optional<std::string>* fallback) const;
  bool uses_fallback(const Experiment& experiment) const;
  std::optional<double> hash(std::string_view seed, ValueRef value, double version);
  bool filtered_out(const std::vector<Filter>& filters);
  bool included_in_rollout(const Rule& rule);
  bool condition_passes(const Condition& condition) const;
  GrowthBookExperimentResult result(const Experiment& experiment, int variation, bool hash_used,
                                    std::optional<std::string_view> feature_id,
                                    std::optional<double> bucket = std::nullopt,
                                    bool sticky_bucket_used = false,
                                    const BanditLeaf* bandit = nullptr) const;
  // growthbook_feature.cpp
  enum class Prerequisites { kPass, kFail, kCyclic };
  Prerequisites prerequisites(const std::vector<ParentCondition>& parents, bool& gate_failed);
  const BanditLeaf* bandit_leaf(const Experiment& experiment) const;
  // growthbook_sticky.cpp
  struct StickyVariation {
    int variation = -1;
    bool version_blocked = false;
  };
  StickyVariation sticky_variation(const Experiment& experiment);
  void save_sticky_assignment(const Experiment& experiment, const HashAttribute& hashed,
                              std::string_view variation_key);

  GrowthBookEvaluator& evaluator_;
  const Payload& payload_;
  GrowthBookUser& user_;
};

/// `name || "id"`.
inline std::string_view name_or_id(const std::optional<std::string>& name) {
  return name ? std::string_view(*name) : std::string_view("id");
}

/// Text of String(value) (hashing) or of GrowthBook's toString(value) (JSON.stringify unless a
/// string; sticky-bucket keys), into `out`.
void js_string(ValueRef value, std::string& out);
void gb_to_string(ValueRef value, std::string& out);

}  // namespace stageline::growthbook_detail
