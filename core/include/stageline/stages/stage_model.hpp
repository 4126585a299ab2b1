#pragma once
/// Stage models: a declarative, ordered list of lifecycle stages, each with a condition over the
/// customer profile, compiled once and used to classify many customers.
///
/// Config (JSON):
///   { "name": "classic",
///     "params":  { "churnDays": 90, ... },          // defaults; `{"$param": "churnDays"}` in a
///                                                   // condition is replaced at compile time
///     "default": "awareness",                       // stage of a customer no condition matches
///     "stages": [ { "id": "awareness", "label": "Awareness", "description": "...",
///                   "color": "#56B4E9", "when": { ...condition... },
///                   "priority": 3,                  // optional; default = position in the list
///                   "minDwellDays": 7 }, ... ] }    // optional; see classify()
/// Stages are listed in lifecycle order (for display and funnels). Classification tries them from
/// the highest priority down and the first whose condition holds wins; by default later stages have
/// higher priority, i.e. a customer is placed in the furthest stage they qualify for.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/conditions/condition.hpp"
#include "stageline/json/json.hpp"
#include "stageline/time/timestamp.hpp"
#include "stageline/values/value.hpp"

namespace stageline {

struct StageDefinition {
  std::string id;
  std::string label;
  std::string description;
  std::string color;
  double priority = 0;
  double min_dwell_days = 0;           ///< stay at least this long once entered (anti-flapping)
  std::optional<Condition> when;       ///< absent only for the default stage
  std::string when_path;               ///< JSON path of `when`, e.g. "stages[2].when"
};

/// Where the customer was before, for minimum-dwell (hysteresis) decisions.
struct PreviousStage {
  std::size_t stage_index = 0;
  TimestampMs entered_at = 0;
};

/// Why a customer is in a stage.
struct StageExplanation {
  std::string stage;        ///< stage id that was tested
  bool matched = false;
  std::vector<ClauseResult> clauses;
};

struct Classification {
  std::size_t stage_index = 0;
  /// What decided: the JSON path of the matching condition ("stages[3].when"), "default" when
  /// nothing matched, or "minDwell" when the previous stage was kept for its minimum dwell time.
  std::string rule;
  /// The stages tested, highest priority first, up to and including the one that matched.
  std::vector<StageExplanation> explanation;
};

class StageModel {
 public:
  /// Compiles a model; `params` override the model's named parameter defaults (an unknown name is
  /// an error). Throws Error with the JSON path of the problem.
  static StageModel compile(const Json& config, const Json& params = Json::object());

  /// A shipped preset ("classic", "journey", "funnel", "full") with optional parameter overrides.
  static StageModel preset(std::string_view name, const Json& params = Json::object());
  static std::vector<std::string> preset_names();
  /// The preset's config JSON, as documented in the README (throws not_found).
  static Json preset_config(std::string_view name);

  const std::string& name() const { return name_; }
  const std::vector<StageDefinition>& stages() const { return stages_; }
  std::size_t default_index() const { return default_index_; }
  const Json& params() const { return params_; }
  /// Index of a stage id, or nullopt.
  std::optional<std::size_t> index_of(std::string_view stage_id) const;

  /// The stage index for `attributes` at time `at`. Allocates nothing (batch classification).
  std::size_t classify_index(const Attributes& attributes, TimestampMs at) const;

  /// The stage index honouring the previous stage's minimum dwell: a customer who entered a stage
  /// less than its minDwellDays ago stays there, whatever the conditions say now.
  std::size_t classify_index(const Attributes& attributes, TimestampMs at,
                             const PreviousStage& previous) const;

  /// Stage, deciding rule and explanation. Allocates; for single customers.
  Classification classify(const Attributes& attributes, TimestampMs at,
                          const std::optional<PreviousStage>& previous = std::nullopt) const;

  /// Stage metadata and effective parameters as JSON (for UIs and the JS API).
  Json describe() const;

 private:
  std::string name_;
  std::vector<StageDefinition> stages_;
  std::vector<std::size_t> evaluation_order_;  // stage indices, highest priority first
  std::size_t default_index_ = 0;
  Json params_;
};

}  // namespace stageline
