// Embind bindings for personalization rules (stageline::RuleEngine). A decision crosses the
// boundary as numbers written into a buffer JS reads through the heap (no object per field), plus
// the reason text on request; payloads stay on the JS side (web/src/rules/rules.js), keyed by rule and variant.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "profiles/customer_profile_handle.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/rules/decision_attributes.hpp"
#include "stageline/rules/rule_engine.hpp"
#include "stages/profile_builder_handle.hpp"

namespace stageline::wasm {
namespace {

/// A text argument parsed once and reused while the caller keeps passing the same text (a page's
/// context, a stored profile), so repeated decisions skip the JSON parse.
template <typename Value>
class TextCache {
 public:
  template <typename Parse>
  STAGELINE_COLD_FUNCTION const Value& get(const std::string& text, Parse&& parse) {
    if (!value_ || text != text_) {
      value_.reset();
      value_.emplace(parse(text));
      text_ = text;
    }
    return *value_;
  }

  /// The value of the last get() (which must have succeeded).
  const Value& last() const { return *value_; }

 private:
  std::string text_;
  std::optional<Value> value_;
};

class RuleEngineHandle {
 public:
  explicit RuleEngineHandle(RuleSet rules) : engine_(std::move(rules)) {
    std::size_t rule_count = engine_.rules().rules().size();
    std::size_t slot_count = engine_.rules().slots().size();
    // Header (stage, decision count), then per decision 6 numbers and at most every rule's verdict.
    result_.resize(2 + 6 * slot_count + 3 * rule_count);
  }

  /// Where the result numbers are, as a byte address in the heap (fixed for the handle's life).
  std::uintptr_t resultAddress() const { return reinterpret_cast<std::uintptr_t>(result_.data()); }

  /// {slots, rules, stages} as JSON text: what the wrapper needs to turn numbers into names.
  STAGELINE_COLD_FUNCTION
  std::string metadata() const {
    const RuleSet& rules = engine_.rules();
    Json out = {{"slots", Json::array()}, {"rules", Json::array()}, {"stages", Json::array()}};
    for (const Slot& slot : rules.slots()) out["slots"].push_back({{"id", slot.id}, {"default", slot.default_payload}});
    for (const Rule& rule : rules.rules()) {
      Json variants = Json::array();
      for (const RuleVariant& variant : rule.variants) variants.push_back({{"id", variant.id}, {"payload", variant.payload}});
      out["rules"].push_back({{"id", rule.id},
                              {"slot", rule.slot},
                              {"variants", std::move(variants)},
                              {"experiment", rule.experiment ? Json(rule.experiment->key) : Json()}});
    }
    if (rules.stage_model()) {
      for (const auto& stage : rules.stage_model()->stages()) out["stages"].push_back(stage.id);
    }
    return write_json(out);
  }

  // A page decides many slots for one visitor in one context, so the texts of a request (customer
  // id, stored profile, context, a stage given by name) are set only when they change, and each
  // decide call passes numbers alone.

  void setCustomer(const std::string& customer_id) { customer_id_ = customer_id; }

  /// 0, or -1 when the context is not a valid context object (lastError()); "" means none.
  STAGELINE_COLD_FUNCTION
  int setContext(const std::string& context_text) {
    context_ = nullptr;
    return run([&]() STAGELINE_COLD_FUNCTION {
      if (!context_text.empty()) {
        context_ = &context_cache_.get(context_text, [](const std::string& json) STAGELINE_COLD_FUNCTION {
          return complete_page_context(parse_json(json));
        });
      }
    });
  }

  /// 0, or -1 when the text is not a profile (lastError()); "" means none (an anonymous visitor).
  STAGELINE_COLD_FUNCTION
  int setProfile(const std::string& profile_text) {
    profile_ = nullptr;
    return run([&]() STAGELINE_COLD_FUNCTION {
      if (!profile_text.empty()) {
        profile_ = &profile_cache_.get(profile_text, [](const std::string& json) STAGELINE_COLD_FUNCTION {
          return Profile::from_json(parse_json(json), TraitsConfig());
        });
      }
    });
  }

  /// A stage given by name, for rule sets without a stage model (their conditions can still read it).
  void setStage(const std::string& stage) { stage_ = stage; }

  /// Stage arguments of decide(): a stage model index, or one of these.
  static constexpr int kClassifyStage = -1;  ///< classify with the model (or no stage without one)
  static constexpr int kStageSetByName = -2;  ///< the stage of setStage()

  /// Decides for the set customer, profile and context. 0 on success (the result is in the
  /// buffer), -1 on error (lastError()). `all` decides every slot (then `slot` is ignored).
  int decide(bool all, int slot, int stage, double at_ms, bool record) {
    return run([&] { decide_with(all, slot, profile_, stage, at_ms, record); });
  }

  /// decide() for the set customer's profile in a builder (anonymous when it has no such id).
  int decideFromBuilder(const ProfileBuilderHandle& builder, bool all, int slot, int stage, double at_ms, bool record) {
    return run([&] { decide_with(all, slot, builder.builder().find(customer_id_), stage, at_ms, record); });
  }

  /// decide() on a live customer profile (the runtime's visitor): its computed traits are known to
  /// it, which a profile given as JSON without their definitions cannot restore.
  int decideFromProfile(const CustomerProfileHandle& profile, bool all, int slot, int stage, double at_ms, bool record) {
    return run([&] { decide_with(all, slot, &profile.get(), stage, at_ms, record); });
  }

  /// The reason text of a decision, rebuilt from the numbers decide() wrote for it (a block as
  /// laid out in write()), so JS can ask for it lazily, after later decisions.
  STAGELINE_COLD_FUNCTION
  emscripten::val reason(const emscripten::val& block) const {
    return guard_value([&]() STAGELINE_COLD_FUNCTION {
      const std::vector<double> numbers = copy_typed_array<double>(block);
      const RuleSet& rules = engine_.rules();
      if (numbers.size() < 6) throw Error(error_code::kInvalidArgument, "decision", "not a decision block");
      Decision decision;
      decision.slot = static_cast<std::size_t>(numbers[0]);
      if (numbers[1] >= 0) decision.rule = static_cast<std::size_t>(numbers[1]);
      decision.variant = static_cast<std::size_t>(numbers[2]);
      decision.in_experiment = (static_cast<int>(numbers[3]) & 1) != 0;
      decision.forced = (static_cast<int>(numbers[3]) & 2) != 0;
      decision.hash_value = numbers[4];
      const auto verdicts = static_cast<std::size_t>(numbers[5]);
      if (numbers.size() != 6 + 3 * verdicts || decision.slot >= rules.slots().size()) {
        throw Error(error_code::kInvalidArgument, "decision", "not a decision block");
      }
      for (std::size_t i = 0; i < verdicts; ++i) {
        const double* v = &numbers[6 + 3 * i];
        if (v[0] < 0 || v[0] >= static_cast<double>(rules.rules().size()) || v[1] < 0 ||
            v[1] > static_cast<double>(RuleOutcome::kGroup)) {
          throw Error(error_code::kInvalidArgument, "decision", "not a decision block");
        }
        decision.verdicts.push_back({static_cast<std::uint32_t>(v[0]), static_cast<RuleOutcome>(v[1]),
                                     static_cast<std::int32_t>(v[2])});
      }
      return rules.reason(decision);
    });
  }

  STAGELINE_COLD_FUNCTION
  int dismiss(const std::string& customer_id, int rule, double at_ms) {
    return run([&]() STAGELINE_COLD_FUNCTION { engine_.dismiss(customer_id, static_cast<std::size_t>(rule), to_time(at_ms)); });
  }

  STAGELINE_COLD_FUNCTION
  void forceVariation(const std::string& key, int variation) {
    engine_.force_variation(key, variation < 0 ? std::nullopt : std::optional<int>(variation));
  }

  STAGELINE_COLD_FUNCTION
  std::string exposures(const std::string& customer_id) const { return write_json(engine_.exposures_json(customer_id)); }

  /// {value: number of entries left out} or {error}.
  STAGELINE_COLD_FUNCTION
  emscripten::val restoreExposures(const std::string& customer_id, const std::string& history_json) {
    return guard_value([&]() STAGELINE_COLD_FUNCTION {
      return engine_.restore_exposures(customer_id, parse_json(history_json));
    });
  }

  STAGELINE_COLD_FUNCTION
  void forget(const std::string& customer_id) { engine_.exposures().erase(customer_id); }

  emscripten::val lastError() const { return to_val(last_error_); }

 private:
  template <typename Work>
  int run(Work&& work) {
    return guard(std::forward<Work>(work), last_error_) ? 0 : -1;
  }

  void decide_with(bool all, int slot, const Profile* profile, int stage, double at_ms, bool record) {
    DecisionRequest request;
    request.profile = profile;
    request.customer_id = customer_id_;
    if (stage == kStageSetByName) {
      request.stage = stage_;
    } else if (stage >= 0) {
      const auto& model = engine_.rules().stage_model();
      if (!model || static_cast<std::size_t>(stage) >= model->stages().size()) {
        throw Error(error_code::kInvalidArgument, "stage", "no such stage");
      }
      request.stage = model->stages()[static_cast<std::size_t>(stage)].id;
    }
    request.context = context_;
    request.at = to_time(at_ms);
    request.record_exposure = record;
    std::size_t written = 2;
    if (all) {
      const std::vector<Decision>& decisions = engine_.decide_all(request);
      for (const Decision& decision : decisions) written = write(decision, written);
      result_[1] = static_cast<double>(decisions.size());
    } else {
      if (slot < 0) throw Error(error_code::kInvalidArgument, "slot", "no such slot");
      write(engine_.decide(static_cast<std::size_t>(slot), request), written);
      result_[1] = 1;
    }
    result_[0] = engine_.last_stage() ? static_cast<double>(*engine_.last_stage()) : -1.0;
  }

  // [slot, rule (-1 = default), variant, flags (1 in experiment, 2 forced), hash, verdict count,
  //  then (rule, outcome, detail) per verdict]
  std::size_t write(const Decision& decision, std::size_t at) {
    result_[at++] = static_cast<double>(decision.slot);
    result_[at++] = decision.rule ? static_cast<double>(*decision.rule) : -1.0;
    result_[at++] = static_cast<double>(decision.variant);
    result_[at++] = (decision.in_experiment ? 1.0 : 0.0) + (decision.forced ? 2.0 : 0.0);
    result_[at++] = decision.hash_value;
    result_[at++] = static_cast<double>(decision.verdicts.size());
    for (const RuleVerdict& verdict : decision.verdicts) {
      result_[at++] = verdict.rule;
      result_[at++] = static_cast<double>(verdict.outcome);
      result_[at++] = verdict.detail;
    }
    return at;
  }

  RuleEngine engine_;
  std::vector<double> result_;
  TextCache<Json> context_cache_;
  TextCache<Profile> profile_cache_;
  // The request's texts, as last set.
  std::string customer_id_;
  std::string stage_;
  const Json* context_ = nullptr;
  const Profile* profile_ = nullptr;
  ErrorInfo last_error_;
};

// Creating an engine and registering the bindings run once: optimized for size.
STAGELINE_COLD_CODE_BEGIN

/// {value: RuleEngineHandle} or {error}.
emscripten::val create_rule_engine(const std::string& config_json) {
  return guard_value([&] { return RuleEngineHandle(RuleSet::compile(parse_json(config_json))); });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_rules) {
  using stageline::wasm::RuleEngineHandle;
  emscripten::class_<RuleEngineHandle>("RuleEngineHandle")
      .function("resultAddress", &RuleEngineHandle::resultAddress)
      .function("metadata", &RuleEngineHandle::metadata)
      .function("setCustomer", &RuleEngineHandle::setCustomer)
      .function("setContext", &RuleEngineHandle::setContext)
      .function("setProfile", &RuleEngineHandle::setProfile)
      .function("setStage", &RuleEngineHandle::setStage)
      .function("decide", &RuleEngineHandle::decide)
      .function("decideFromBuilder", &RuleEngineHandle::decideFromBuilder)
      .function("decideFromProfile", &RuleEngineHandle::decideFromProfile)
      .function("reason", &RuleEngineHandle::reason)
      .function("dismiss", &RuleEngineHandle::dismiss)
      .function("forceVariation", &RuleEngineHandle::forceVariation)
      .function("exposures", &RuleEngineHandle::exposures)
      .function("restoreExposures", &RuleEngineHandle::restoreExposures)
      .function("forget", &RuleEngineHandle::forget)
      .function("lastError", &RuleEngineHandle::lastError);
  emscripten::function("createRuleEngine", &stageline::wasm::create_rule_engine);
}

STAGELINE_COLD_CODE_END
