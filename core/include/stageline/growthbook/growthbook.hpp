#pragma once
/// GrowthBook feature payloads evaluated as GrowthBook's JavaScript SDK 1.8.0 evaluates them
/// (evalFeature, run, sticky bucketing; spec 0.8.0), so a page gets the same feature values and
/// experiment assignments offline as with the SDK, with its FeatureResult / Result objects.
///
/// A payload (`{features, savedGroups?, contextualBandits?}`) is compiled once: conditions
/// (GrowthBook-lenient, without Stageline's operators), prerequisites, filters, ranges, namespaces,
/// bucket ranges and contextual-bandit leaves. A GrowthBookEvaluator then evaluates it for one user
/// context (attributes, url, forced variations and values, QA mode, sticky-bucket documents).
///
/// Input shapes follow GrowthBook's published types: a field of the wrong type (a `rules` that is
/// not an array, a `coverage` that is not a number, a filter without a seed, a `meta` shorter than
/// `variations`, ...) is an Error naming its JSON path, where the SDK would crash or silently read
/// nonsense. Values of the right type are evaluated exactly as the SDK does, odd ones included
/// (coverage outside [0, 1], weights that do not sum to 1, unknown hash versions, unknown condition
/// operators, invalid regexes, unknown saved groups).
///
/// Not supported, as they need a browser or callbacks: auto experiments (`payload.experiments`),
/// `urlPatterns` and the deprecated `url` / `groups` of run() experiments (errors), tracking
/// callbacks, encrypted payloads, `attributeOverrides` and the deprecated `overrides`.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/json/json.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

namespace growthbook_detail {
struct Payload;
struct Experiment;
struct BanditLeaf;
class Evaluation;
}  // namespace growthbook_detail

/// A GrowthBook SDK payload, compiled once and shared (immutable) by any number of evaluators.
class GrowthBookPayload {
 public:
  /// Compiles `{features?, savedGroups?, contextualBandits?}` (other keys are ignored). Throws
  /// Error(invalid_config) with the JSON path of a field whose type is wrong.
  static GrowthBookPayload compile(const Json& payload);

  /// Number of features.
  std::size_t feature_count() const;

  const growthbook_detail::Payload& detail() const { return *payload_; }

 private:
  std::shared_ptr<const growthbook_detail::Payload> payload_;
};

/// An experiment for GrowthBookEvaluator::run (GrowthBook's Experiment object), compiled against
/// a payload (whose saved groups its condition may use).
class GrowthBookExperiment {
 public:
  static GrowthBookExperiment compile(const Json& experiment, const GrowthBookPayload& payload);

  const growthbook_detail::Experiment& detail() const { return *experiment_; }

 private:
  std::shared_ptr<const growthbook_detail::Experiment> experiment_;
};

/// GrowthBook's user context.
struct GrowthBookUser {
  Json attributes = Json::object();            ///< the user's attributes (an object)
  std::string url;                             ///< for `?experimentKey=N` overrides
  Json forced_variations = Json::object();     ///< {experimentKey: variation index}
  Json forced_feature_values = Json::object(); ///< {featureKey: value}, GrowthBook's "override"
  bool enabled = true;                         ///< false: no experiment includes anybody
  bool qa_mode = false;                        ///< true: only forced variations are assigned
  /// GrowthBook with a StickyBucketService: fallback attributes are used, assignments are read
  /// from and written to `sticky_bucket_assignment_docs` ({"attr||value": doc}).
  bool sticky_bucketing = false;
  Json sticky_bucket_assignment_docs = Json::object();

  /// Throws Error(invalid_argument) naming the first field of the wrong shape (attributes not an
  /// object, a forced variation that is not an integer, a malformed sticky-bucket document, ...).
  void validate() const;
};

/// Where a feature's value came from (GrowthBook's FeatureResultSource).
enum class GrowthBookSource : std::uint8_t {
  kUnknownFeature,
  kDefaultValue,
  kForce,
  kOverride,
  kExperiment,
  kPrerequisite,
  kCyclicPrerequisite,
};

/// "unknownFeature", "defaultValue", "force", "override", "experiment", "prerequisite",
/// "cyclicPrerequisite".
const char* to_string(GrowthBookSource source) noexcept;

/// GrowthBook's Result of one experiment evaluation. It views the experiment and the evaluator's
/// attributes: use it (or its JSON) before the evaluator's user or the experiment changes.
struct GrowthBookExperimentResult {
  const growthbook_detail::Experiment* experiment = nullptr;
  int variation_id = 0;
  bool in_experiment = false;
  bool hash_used = false;
  bool sticky_bucket_used = false;
  std::optional<double> bucket;     ///< the user's hash, when hashing assigned the variation
  std::string_view hash_attribute;  ///< the attribute hashed (the fallback one if that was used)
  ValueRef hash_value;              ///< its value (the empty string when the user has none)
  std::optional<std::string_view> feature_id;  ///< nullopt for run() (GrowthBook's null)
  const growthbook_detail::BanditLeaf* bandit = nullptr;  ///< contextual-bandit leaf, if enrolled

  /// The variation's value (nullptr when the experiment has no variations: the SDK's undefined).
  const Json* value() const;
  /// True when the variation's meta says passthrough (a holdout's "carry on" arm).
  bool passthrough() const;
  /// The Result object as the SDK builds it.
  Json to_json() const;
};

/// GrowthBook's FeatureResult.
struct GrowthBookFeatureResult {
  const Json* value = nullptr;  ///< nullptr is null
  GrowthBookSource source = GrowthBookSource::kUnknownFeature;
  std::string_view rule_id;
  std::optional<GrowthBookExperimentResult> experiment_result;  ///< when source is kExperiment

  bool on() const;  ///< the value is truthy (JavaScript's !!value)
  bool off() const { return !on(); }
  /// The FeatureResult object as the SDK builds it, including `experiment` and
  /// `experimentResult` for experiment rules.
  Json to_json() const;
};

/// Evaluates a compiled payload for one user context. Not thread-safe (it keeps scratch space and
/// the sticky-bucket documents it updates); use one per thread.
class GrowthBookEvaluator {
 public:
  /// Validates `user` (GrowthBookUser::validate).
  GrowthBookEvaluator(GrowthBookPayload payload, GrowthBookUser user);
  ~GrowthBookEvaluator();
  GrowthBookEvaluator(GrowthBookEvaluator&&) noexcept;
  GrowthBookEvaluator& operator=(GrowthBookEvaluator&&) noexcept;

  /// GrowthBook's evalFeature(key). Allocates nothing unless it writes a sticky-bucket document.
  GrowthBookFeatureResult eval_feature(std::string_view key);
  /// GrowthBook's run(experiment) (featureId null).
  GrowthBookExperimentResult run(const GrowthBookExperiment& experiment);

  const GrowthBookPayload& payload() const { return payload_; }
  const GrowthBookUser& user() const { return user_; }

  /// Replace one part of the user context (each validated as in GrowthBookUser::validate).
  void set_attributes(Json attributes);
  void set_url(std::string url);
  void set_forced_variations(Json forced_variations);
  void set_forced_feature_values(Json forced_feature_values);
  void set_enabled(bool enabled) { user_.enabled = enabled; }
  void set_qa_mode(bool qa_mode) { user_.qa_mode = qa_mode; }

  /// Turns sticky bucketing on and uses `docs` ({"attr||value": doc}) as the user's documents.
  void set_sticky_bucket_assignment_docs(Json docs);
  /// GrowthBook's getStickyBucketAttributes: {attribute: value text} for every hash and fallback
  /// attribute of the payload's experiment rules — the documents a StickyBucketService loads.
  Json sticky_bucket_attributes() const;
  /// Turns sticky bucketing on and keeps, of `docs` (an array of stored documents), those a
  /// StickyBucketService would load for the user (matching sticky_bucket_attributes()).
  void load_sticky_bucket_assignment_docs(const Json& docs);
  /// The user's documents, including those evaluations wrote ({"attr||value": doc}).
  const Json& sticky_bucket_assignment_docs() const { return user_.sticky_bucket_assignment_docs; }

 private:
  friend class growthbook_detail::Evaluation;

  GrowthBookPayload payload_;
  GrowthBookUser user_;
  std::vector<std::uint32_t> stack_;  // features being evaluated (prerequisite cycle detection)
  std::string scratch_;               // texts of hash values and sticky-bucket keys
};

}  // namespace stageline
