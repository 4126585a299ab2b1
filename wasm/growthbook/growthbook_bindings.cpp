// Embind bindings for GrowthBook payload evaluation (stageline::GrowthBookEvaluator). JSON crosses
// the boundary as text both ways (results are GrowthBook's FeatureResult / Result objects, which
// web/src/growthbook/growthbook.js parses); every call runs through guard_value.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <utility>

#include "common/guard.hpp"
#include "stageline/growthbook/growthbook.hpp"
#include "stageline/json/json.hpp"

namespace stageline::wasm {
namespace {

/// A compiled payload evaluated for one user context. Owned by JS: dispose() calls delete().
class GrowthBookHandle {
 public:
  explicit GrowthBookHandle(GrowthBookEvaluator evaluator) : evaluator_(std::move(evaluator)) {}

  /// {value: FeatureResult JSON text} or {error}.
  emscripten::val evalFeature(const std::string& key) {
    return guard_value([&] { return write_json(evaluator_.eval_feature(key).to_json()); });
  }

  /// {value: Result JSON text} or {error}; the experiment is GrowthBook's Experiment as JSON text.
  emscripten::val run(const std::string& experiment_json) {
    return guard_value([&] {
      const auto experiment = GrowthBookExperiment::compile(parse_json(experiment_json), evaluator_.payload());
      return write_json(evaluator_.run(experiment).to_json());
    });
  }

  emscripten::val setAttributes(const std::string& json) {
    return guard_value([&] { return (evaluator_.set_attributes(parse_json(json)), true); });
  }
  emscripten::val setForcedVariations(const std::string& json) {
    return guard_value([&] { return (evaluator_.set_forced_variations(parse_json(json)), true); });
  }
  emscripten::val setForcedFeatures(const std::string& json) {
    return guard_value([&] { return (evaluator_.set_forced_feature_values(parse_json(json)), true); });
  }
  emscripten::val setStickyBucketAssignmentDocs(const std::string& json) {
    return guard_value([&] { return (evaluator_.set_sticky_bucket_assignment_docs(parse_json(json)), true); });
  }
  emscripten::val loadStickyBucketAssignmentDocs(const std::string& json) {
    return guard_value([&] { return (evaluator_.load_sticky_bucket_assignment_docs(parse_json(json)), true); });
  }
  void setURL(const std::string& url) { evaluator_.set_url(url); }
  void setEnabled(bool enabled) { evaluator_.set_enabled(enabled); }
  void setQaMode(bool qa_mode) { evaluator_.set_qa_mode(qa_mode); }

  /// {"attr||value": doc} as JSON text.
  std::string stickyBucketAssignmentDocs() const { return write_json(evaluator_.sticky_bucket_assignment_docs()); }
  /// {attribute: value} as JSON text.
  std::string stickyBucketAttributes() const { return write_json(evaluator_.sticky_bucket_attributes()); }
  bool stickyBucketing() const { return evaluator_.user().sticky_bucketing; }

 private:
  GrowthBookEvaluator evaluator_;
};

/// {value: GrowthBookHandle} or {error}: compiles the payload for a user with these attributes.
emscripten::val create_growthbook(const std::string& payload_json, const std::string& attributes_json) {
  return guard_value([&] {
    GrowthBookUser user;
    user.attributes = parse_json(attributes_json);
    return GrowthBookHandle(GrowthBookEvaluator(GrowthBookPayload::compile(parse_json(payload_json)), std::move(user)));
  });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_growthbook) {
  using stageline::wasm::GrowthBookHandle;
  emscripten::class_<GrowthBookHandle>("GrowthBookHandle")
      .function("evalFeature", &GrowthBookHandle::evalFeature)
      .function("run", &GrowthBookHandle::run)
      .function("setAttributes", &GrowthBookHandle::setAttributes)
      .function("setForcedVariations", &GrowthBookHandle::setForcedVariations)
      .function("setForcedFeatures", &GrowthBookHandle::setForcedFeatures)
      .function("setStickyBucketAssignmentDocs", &GrowthBookHandle::setStickyBucketAssignmentDocs)
      .function("loadStickyBucketAssignmentDocs", &GrowthBookHandle::loadStickyBucketAssignmentDocs)
      .function("setURL", &GrowthBookHandle::setURL)
      .function("setEnabled", &GrowthBookHandle::setEnabled)
      .function("setQaMode", &GrowthBookHandle::setQaMode)
      .function("stickyBucketAssignmentDocs", &GrowthBookHandle::stickyBucketAssignmentDocs)
      .function("stickyBucketAttributes", &GrowthBookHandle::stickyBucketAttributes)
      .function("stickyBucketing", &GrowthBookHandle::stickyBucketing);
  emscripten::function("createGrowthBook", &stageline::wasm::create_growthbook);
}
