// Personalization rules: compile-time checks with JSON paths, and decisions whose expected
// outcomes follow by hand from the rule definitions (priorities, schedules, caps, cooldowns,
// holdouts, mutual exclusion, stages, page context, QA overrides).

#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "stageline/common/error.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile_attributes.hpp"
#include "stageline/rules/decision_attributes.hpp"
#include "stageline/rules/rule_engine.hpp"
#include "stageline/rules/rules.hpp"

using stageline::Decision;
using stageline::DecisionRequest;
using stageline::Json;
using stageline::RuleEngine;
using stageline::RuleOutcome;
using stageline::RuleSet;
using stageline::TimestampMs;

namespace {

constexpr TimestampMs kDay = stageline::kMsPerDay;
const TimestampMs kNov1 = *stageline::parse_timestamp("2026-11-01T00:00:00Z");

// Compiling `config` fails with `path` named in the error.
void require_config_error(const std::string& config, const std::string& path, const std::string& words,
                          const char* code = stageline::error_code::kInvalidConfig) {
  try {
    RuleSet::compile(Json::parse(config));
    FAIL("compiled: " << config);
  } catch (const stageline::Error& error) {
    CHECK(error.code() == std::string(code));
    CHECK(error.path() == path);
    CHECK_THAT(error.message(), Catch::Contains(words));
  }
}

stageline::Profile profile_with(const std::string& id, const Json& events) {
  stageline::Profile profile(id);
  for (std::size_t i = 0; i < events.size(); ++i) profile.apply(stageline::event_from_json(events[i], "events"));
  return profile;
}

std::string rule_id(const RuleSet& rules, const Decision& decision) {
  return decision.rule ? rules.rules()[*decision.rule].id : std::string("(default)");
}

}  // namespace

TEST_CASE("rule configs are checked at compile time with JSON paths") {
  const std::string slots = R"("slots": {"hero": {"default": {"text": "hi"}}})";
  require_config_error(R"({"slots": {"hero": {}}, "rules": [{"id": "a", "slot": "heroo", "payload": 1}]})",
                       "rules[0].slot", "unknown slot \"heroo\"");
  require_config_error(R"({"stageModel": "classic", )" + slots + R"(, "rules": [{"id": "a", "slot": "hero",
                       "stages": ["retention", "loyal"], "payload": 1}]})",
                       "rules[0].stages[1]", "unknown stage \"loyal\"");
  require_config_error(R"({"stageModel": "classic", )" + slots + R"(, "rules": [{"id": "a", "slot": "hero",
                       "when": {"stage": {"$in": ["retention", "retained"]}}, "payload": 1}]})",
                       "rules[0].when.stage.$in[1]", "unknown stage \"retained\"");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "stages": ["x"], "payload": 1}]})",
                       "rules[0].stages", "no stageModel");
  require_config_error(R"({"stageModel": "clasic", )" + slots + "}", "stageModel", "clasic");
  require_config_error(R"({"stageModel": {"preset": "ful"}, )" + slots + "}", "stageModel.preset", "ful");
  require_config_error(R"({"stageModel": {"stages": [{"id": "a", "when": {"x": {"$bogus": 1}}}]}, )" + slots + "}",
                       "stageModel.stages[0].when.x", "$bogus", stageline::error_code::kUnknownOperator);
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "whn": {}, "payload": 1}]})",
                       "rules[0].whn", "unknown member");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "payload": 1},
                       {"id": "a", "slot": "hero", "payload": 2}]})",
                       "rules[1].id", "duplicate rule id");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "payload": 1,
                       "schedule": {"start": "2026-13-01"}}]})",
                       "rules[0].schedule.start", "ISO 8601");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero",
                       "variants": [{"id": "x", "weight": 0.5}, {"id": "y", "weight": 0.4}]}]})",
                       "rules[0].variants", "add up to 1");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "payload": 1,
                       "frequencyCap": {"windowDays": 7}}]})",
                       "rules[0].frequencyCap.max", "required");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "payload": 1,
                       "when": {"orders": {"$gte": "x", "$bad": 1}}}]})",
                       "rules[0].when.orders", "$bad", stageline::error_code::kUnknownOperator);
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "payload": 1, "holdout": 1}]})",
                       "rules[0].holdout", "fraction");
  require_config_error(R"({)" + slots + R"(, "rules": [{"id": "a", "slot": "hero", "payload": 1,
                       "experiment": {"hashVersion": 3}}]})",
                       "rules[0].experiment.hashVersion", "1 or 2");
}

TEST_CASE("the highest-priority applicable rule wins and the reason names what failed") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"hero": {"default": {"text": "Welcome"}}},
    "rules": [
      {"id": "anyone", "slot": "hero", "payload": {"text": "Hello"}},
      {"id": "big_spender", "slot": "hero", "priority": 20, "when": {"revenue": {"$gte": 100}, "orders": {"$gte": 3}},
       "payload": {"text": "VIP"}},
      {"id": "repeat", "slot": "hero", "priority": 10, "when": {"orders": {"$gte": 2}}, "payload": {"text": "Again"}}
    ]})")));
  // Two orders worth 70 + 50: revenue 120 passes, orders 2 < 3 fails → big_spender fails at
  // its second clause; repeat (orders >= 2) applies.
  const auto profile = profile_with("c1", Json::parse(R"([
      {"customerId": "c1", "type": "purchase", "timestamp": "2026-10-01", "value": 70},
      {"customerId": "c1", "type": "purchase", "timestamp": "2026-10-05", "value": 50}])"));
  DecisionRequest request;
  request.profile = &profile;
  request.customer_id = "c1";
  request.at = kNov1;
  const Decision& decision = engine.decide(0, request);
  CHECK(rule_id(engine.rules(), decision) == "repeat");
  REQUIRE(decision.verdicts.size() == 2);
  CHECK(decision.verdicts[0].outcome == RuleOutcome::kCondition);
  CHECK(decision.verdicts[0].detail == 1);
  CHECK(engine.rules().reason(decision) ==
        "rule 'repeat' chose variant 'repeat'; passed over 'big_spender': condition failed at "
        "rules[1].when.orders {\"orders\":{\"$gte\":3}}");

  // An anonymous visitor with no profile: only the unconditional rule applies.
  DecisionRequest anonymous;
  anonymous.customer_id = "visitor-1";
  anonymous.at = kNov1;
  CHECK(rule_id(engine.rules(), engine.decide(0, anonymous)) == "anyone");
}

TEST_CASE("a slot without an applicable rule shows its default") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"hero": {"default": {"text": "Welcome"}}, "empty": {}},
    "rules": [{"id": "never", "slot": "hero", "when": {"orders": {"$gt": 1000}}, "payload": 1}]})")));
  DecisionRequest request;
  request.at = kNov1;
  const Decision& decision = engine.decide(0, request);
  CHECK_FALSE(decision.rule.has_value());
  CHECK(engine.rules().slots()[0].default_payload == Json::parse(R"({"text": "Welcome"})"));
  CHECK_THAT(engine.rules().reason(decision), Catch::StartsWith("no rule applied, showing the default"));
  CHECK(engine.rules().reason(engine.decide(1, request)) == "no rules for this slot, showing the default");
}

TEST_CASE("schedules admit [start, end)") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"hero": {}},
    "rules": [{"id": "sale", "slot": "hero", "payload": 1,
               "schedule": {"start": "2026-11-27", "end": "2026-11-30T00:00:00Z"}}]})")));
  DecisionRequest request;
  const TimestampMs start = *stageline::parse_timestamp("2026-11-27T00:00:00Z");
  const TimestampMs end = *stageline::parse_timestamp("2026-11-30T00:00:00Z");
  for (const auto& [at, applies] : {std::pair{start - 1, false}, std::pair{start, true}, std::pair{end - 1, true},
                                    std::pair{end, false}}) {
    request.at = at;
    CHECK(engine.decide(0, request).rule.has_value() == applies);
  }
  request.at = start - 1;
  CHECK(engine.rules().reason(engine.decide(0, request)) ==
        "no rule applied, showing the default; passed over 'sale': out of schedule (starts "
        "2026-11-27T00:00:00.000Z, ends 2026-11-30T00:00:00.000Z)");
}

TEST_CASE("frequency caps count exposures in a rolling window; dismissals start a cooldown") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"popup": {}},
    "rules": [
      {"id": "offer", "slot": "popup", "priority": 2, "payload": "10% off",
       "frequencyCap": {"max": 2, "windowDays": 7}, "cooldownDays": 3},
      {"id": "fallback", "slot": "popup", "priority": 1, "payload": "newsletter"}]})")));
  DecisionRequest request;
  request.customer_id = "c1";
  const auto decide_at = [&](TimestampMs at) {
    request.at = at;
    return rule_id(engine.rules(), engine.decide(0, request));
  };
  // Exposures at day 0 and day 1 fill the cap of 2 per 7 days; day 2 and day 6 are capped; at day
  // 7 the day-0 exposure left the window (window = (at − 7 days, at]), so the offer shows again.
  CHECK(decide_at(kNov1) == "offer");
  CHECK(decide_at(kNov1 + 1 * kDay) == "offer");
  CHECK(decide_at(kNov1 + 2 * kDay) == "fallback");
  CHECK(engine.decide(0, request).verdicts[0].outcome == RuleOutcome::kCapped);
  CHECK(decide_at(kNov1 + 6 * kDay) == "fallback");
  CHECK(decide_at(kNov1 + 7 * kDay) == "offer");
  // A different customer has their own history.
  request.customer_id = "c2";
  CHECK(decide_at(kNov1 + 2 * kDay) == "offer");

  // Dismissed at day 10: paused for 3 days, i.e. until day 13 exactly.
  request.customer_id = "c3";
  engine.dismiss("c3", 0, kNov1 + 10 * kDay);
  CHECK(decide_at(kNov1 + 10 * kDay + 1) == "fallback");
  CHECK(engine.decide(0, request).verdicts[0].outcome == RuleOutcome::kCooldown);
  CHECK(decide_at(kNov1 + 13 * kDay - 1) == "fallback");
  CHECK(decide_at(kNov1 + 13 * kDay) == "offer");

  // Not recording (a preview) leaves the history as it was.
  request.customer_id = "c4";
  request.record_exposure = false;
  for (int i = 0; i < 5; ++i) CHECK(decide_at(kNov1) == "offer");
  CHECK(engine.exposures().find("c4") == nullptr);
}

TEST_CASE("exposure histories round-trip through JSON and report entries they cannot place") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"popup": {}},
    "rules": [{"id": "offer", "slot": "popup", "variants": [{"id": "a"}, {"id": "b"}],
               "frequencyCap": {"max": 1, "windowDays": 30}, "cooldownDays": 1}]})")));
  const Json history = Json::parse(R"([
      {"rule": "offer", "variant": "b", "at": "2026-11-01T10:00:00Z", "kind": "exposure"},
      {"rule": "gone", "variant": "a", "at": 1, "kind": "exposure"},
      {"rule": "offer", "variant": "c", "at": 1, "kind": "exposure"},
      {"rule": "offer", "at": 1798797600000, "kind": "dismissal"}])");
  CHECK(engine.restore_exposures("c1", history) == 2);
  const Json expected = Json::parse(R"([
      {"rule": "offer", "slot": "popup", "variant": "b", "at": 1793527200000, "kind": "exposure"},
      {"rule": "offer", "slot": "popup", "at": 1798797600000, "kind": "dismissal"}])");
  CHECK(engine.exposures_json("c1") == expected);
  // The restored exposure caps the rule (1 per 30 days) from the next day on.
  DecisionRequest request;
  request.customer_id = "c1";
  request.at = kNov1 + kDay;
  CHECK_FALSE(engine.decide(0, request).rule.has_value());

  try {
    engine.restore_exposures("c1", Json::parse(R"([{"rule": "offer", "at": "yesterday"}])"));
    FAIL("accepted a bad time");
  } catch (const stageline::Error& error) {
    CHECK(error.path() == "exposures[0].at");
  }
}

TEST_CASE("decideAll gives a mutual-exclusion group to the highest-priority rule across slots") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"hero": {"default": "plain hero"}, "sidebar": {"default": "plain sidebar"}, "footer": {}},
    "rules": [
      {"id": "hero_promo", "slot": "hero", "priority": 5, "group": "promo", "payload": "hero sale"},
      {"id": "sidebar_promo", "slot": "sidebar", "priority": 9, "group": "promo", "payload": "sidebar sale"},
      {"id": "hero_news", "slot": "hero", "priority": 1, "payload": "news"},
      {"id": "footer_promo", "slot": "footer", "priority": 9, "group": "promo", "payload": "footer sale"}
    ]})")));
  DecisionRequest request;
  request.at = kNov1;
  const auto& decisions = engine.decide_all(request);
  REQUIRE(decisions.size() == 3);
  // Priority 9 ties: sidebar comes before footer in slot order, so sidebar claims "promo"; hero's
  // promo (priority 5) and footer's are excluded; hero falls through to its news rule.
  CHECK(rule_id(engine.rules(), decisions[1]) == "sidebar_promo");
  CHECK(rule_id(engine.rules(), decisions[0]) == "hero_news");
  CHECK(rule_id(engine.rules(), decisions[2]) == "(default)");
  CHECK(engine.rules().reason(decisions[0]) ==
        "rule 'hero_news' chose variant 'hero_news'; passed over 'hero_promo': group 'promo' taken by slot 'sidebar'");
  // A single decide does not know about other slots: the hero promo applies.
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "hero_promo");
}

TEST_CASE("stages: given, or classified with the rule set's stage model") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "stageModel": "classic",
    "slots": {"hero": {}},
    "rules": [
      {"id": "welcome", "slot": "hero", "stages": ["onboarding"], "payload": "getting started"},
      {"id": "comeback", "slot": "hero", "when": {"stage": "churned"}, "payload": "we miss you"},
      {"id": "first_order", "slot": "hero", "stages": ["awareness", "acquisition"], "priority": -1, "payload": "10% off"}]})")));
  // One order on Oct 20: first order within the last 30 days on Nov 1 → classic "onboarding".
  const auto recent = profile_with("c1", Json::parse(R"([
      {"customerId": "c1", "type": "purchase", "timestamp": "2026-10-20", "value": 30}])"));
  DecisionRequest request;
  request.profile = &recent;
  request.customer_id = "c1";
  request.at = kNov1;
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "welcome");
  CHECK(engine.rules().stage_model()->stages()[*engine.last_stage()].id == "onboarding");
  // The same customer 200 days later: not seen for 90+ days → "churned".
  request.at = kNov1 + 200 * kDay;
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "comeback");
  // A stage given by the caller wins over classification; anonymous visitors are "awareness".
  request.stage = "onboarding";
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "welcome");
  DecisionRequest anonymous;
  anonymous.at = kNov1;
  CHECK(rule_id(engine.rules(), engine.decide(0, anonymous)) == "first_order");
  anonymous.stage = "loyal";
  CHECK_THROWS_WITH(engine.decide(0, anonymous), Catch::Contains("unknown stage \"loyal\""));
}

TEST_CASE("the page context is completed from the url and the visitor's local time") {
  const Json context = stageline::complete_page_context(Json::parse(R"({
      "url": "https://shop.example/checkout/cart?utm_source=news+letter&utm_campaign=bf%2D26&x=1&x=2#top",
      "utcOffsetMinutes": -300, "device": "mobile"})"));
  CHECK(context["host"] == "shop.example");
  CHECK(context["path"] == "/checkout/cart");
  CHECK(context["query"] == Json::parse(R"({"utm_source": "news letter", "utm_campaign": "bf-26", "x": "1"})"));
  CHECK(context["utm"] == Json::parse(R"({"source": "news letter", "campaign": "bf-26"})"));
  CHECK(stageline::complete_page_context(Json::parse(R"({"url": "/a?b"})"))["path"] == "/a");
  CHECK_THROWS_WITH(stageline::complete_page_context(Json::parse(R"({"url": 5})")), Catch::Contains("a string"));

  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"banner": {}},
    "rules": [
      {"id": "evening_mobile", "slot": "banner", "priority": 2,
       "when": {"context.hour": {"$gte": 18}, "context.device": "mobile", "context.utm.source": {"$regex": "letter"}},
       "payload": "tonight only"},
      {"id": "checkout", "slot": "banner", "priority": 1, "when": {"context.path": {"$regex": "^/checkout"}},
       "payload": "free shipping"}]})")));
  DecisionRequest request;
  request.context = &context;
  // 2026-11-01T22:30Z at UTC−5 is 17:30 local: not evening yet; at 23:30Z it is 18:30 local.
  request.at = *stageline::parse_timestamp("2026-11-01T22:30:00Z");
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "checkout");
  request.at = *stageline::parse_timestamp("2026-11-01T23:30:00Z");
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "evening_mobile");
}

TEST_CASE("holdouts show the default to a stable fraction of customers") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"hero": {"default": "plain"}},
    "rules": [{"id": "promo", "slot": "hero", "priority": 2, "holdout": 0.2, "payload": "promo"},
              {"id": "other", "slot": "hero", "priority": 1, "payload": "other"}]})")));
  DecisionRequest request;
  request.at = kNov1;
  request.record_exposure = false;
  int held = 0;
  const int customers = 4000;
  for (int i = 0; i < customers; ++i) {
    const std::string id = "customer-" + std::to_string(i);
    request.customer_id = id;
    const Decision& decision = engine.decide(0, request);
    // Held-out customers see the default, not the lower-priority rule.
    if (!decision.rule) {
      ++held;
      CHECK(decision.verdicts.back().outcome == RuleOutcome::kHoldout);
      // The draw is GrowthBook's hash (v2) of the id with seed "holdout:promo".
      CHECK(*stageline::hash("holdout:promo", id, 2) < 0.2);
    } else {
      CHECK(rule_id(engine.rules(), decision) == "promo");
    }
  }
  // Binomial(4000, 0.2): mean 800, sd 25.3; ±120 is beyond 4.7 sd.
  CHECK(held > 680);
  CHECK(held < 920);
  // No id to hash: the rule cannot decide who is held out, so it is passed over.
  request.customer_id = {};
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "other");
}

TEST_CASE("experiments: forced variations by URL and by API take precedence over bucketing") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "slots": {"hero": {}},
    "rules": [{"id": "hero_test", "slot": "hero",
               "variants": [{"id": "control", "payload": 0}, {"id": "bold", "payload": 1}, {"id": "calm", "payload": 2}],
               "experiment": {"key": "hero-test", "coverage": 0.5}}]})")));
  const Json context = stageline::complete_page_context(Json::parse(R"({"url": "https://x.example/?hero-test=2"})"));
  DecisionRequest request;
  request.customer_id = "u1";
  request.context = &context;
  request.at = kNov1;
  const Decision& forced = engine.decide(0, request);
  CHECK(forced.variant == 2);
  CHECK(forced.forced);
  CHECK_FALSE(forced.in_experiment);

  engine.force_variation("hero-test", 1);
  request.context = nullptr;
  CHECK(engine.decide(0, request).variant == 1);
  engine.force_variation("hero-test", std::nullopt);

  // Unforced: the variation is GrowthBook's — hash v1 of seed "hero-test" with the customer id,
  // ranges of 1/3 each covering half: [0, 1/6), [1/3, 1/2), [2/3, 5/6).
  int in = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string id = "user-" + std::to_string(i);
    request.customer_id = id;
    const Decision& decision = engine.decide(0, request);
    const double n = *stageline::hash("hero-test", id, 1);
    const int expected = n < 1.0 / 6 ? 0 : (n >= 1.0 / 3 && n < 0.5) ? 1 : (n >= 2.0 / 3 && n < 5.0 / 6) ? 2 : -1;
    if (expected < 0) {
      CHECK_FALSE(decision.rule.has_value());
      CHECK(decision.verdicts[0].outcome == RuleOutcome::kCoverage);
    } else {
      ++in;
      CHECK(decision.variant == static_cast<std::size_t>(expected));
      CHECK(decision.in_experiment);
      CHECK(decision.hash_value == n);
    }
  }
  CHECK(in > 100);
  CHECK(in < 200);
}

TEST_CASE("a JsonLogic `when` sees the profile, the stage and the context") {
  RuleEngine engine(RuleSet::compile(Json::parse(R"({
    "stageModel": "classic",
    "slots": {"hero": {}},
    "rules": [{"id": "logic", "slot": "hero", "payload": 1,
               "when": {"jsonLogic": {"and": [{">=": [{"var": "orders"}, 1]},
                                              {"==": [{"var": "stage"}, "onboarding"]},
                                              {"in": [{"var": "context.locale"}, ["nl-NL", "nl-BE"]]}]}}}]})")));
  const auto profile = profile_with("c1", Json::parse(R"([
      {"customerId": "c1", "type": "purchase", "timestamp": "2026-10-20", "value": 30}])"));
  Json context = stageline::complete_page_context(Json::parse(R"({"locale": "nl-BE"})"));
  DecisionRequest request;
  request.profile = &profile;
  request.customer_id = "c1";
  request.context = &context;
  request.at = kNov1;
  CHECK(rule_id(engine.rules(), engine.decide(0, request)) == "logic");
  context["locale"] = "de-DE";
  const Decision& decision = engine.decide(0, request);
  CHECK_FALSE(decision.rule.has_value());
  CHECK_THAT(engine.rules().reason(decision), Catch::Contains("condition failed at rules[0].when.jsonLogic"));
}

// Found by tests/fuzz/rules_fuzz.cpp: a JsonLogic `when` with a misspelt operator compiled, and
// then every decision of the page threw (json-logic-js fails only on branches it reaches). Rules
// configs now name it at compile time; where the reference throws while evaluating (`*` with no
// arguments, see json_logic_test.cpp), the rule's condition fails and the slot shows its default.
TEST_CASE("JsonLogic in rules: unknown operators fail the compile, evaluation errors fail the rule") {
  require_config_error(R"({"slots": {"hero": {}}, "rules": [{"id": "a", "slot": "hero", "payload": 1,
                       "when": {"jsonLogic": {"and": [true, {"==": [{"va2": "orders"}, 1]}]}}}]})",
                       "rules[0].when.jsonLogic.and[1].==[0]", "unrecognized operation \"va2\"",
                       stageline::error_code::kUnknownOperator);
  require_config_error(R"({"slots": {"hero": {}}, "rules": [{"id": "a", "slot": "hero", "payload": 1,
                       "when": {"jsonLogic": {"if": [false, {"nope": []}, true]}}}]})",
                       "rules[0].when.jsonLogic.if[1]", "unrecognized operation \"nope\"",
                       stageline::error_code::kUnknownOperator);

  RuleEngine engine(RuleSet::compile(Json::parse(R"({"slots": {"hero": {"default": "plain"}},
    "rules": [{"id": "product", "slot": "hero", "payload": 1, "when": {"jsonLogic": {"*": []}}}]})")));
  const Json context = stageline::complete_page_context(Json::object());
  DecisionRequest request;
  request.customer_id = "c1";
  request.context = &context;
  request.at = kNov1;
  const Decision& decision = engine.decide(0, request);
  CHECK_FALSE(decision.rule.has_value());
  REQUIRE(decision.verdicts.size() == 1);
  CHECK(decision.verdicts[0].outcome == RuleOutcome::kCondition);
}

// Found by tests/fuzz/decide_fuzz.cpp (UBSan): a context with "utcOffsetMinutes": -3e20 made the
// local-time conversion cast a double beyond the range of int64 (undefined behaviour). Offsets are
// now limited to a day either way. 2026-11-01T00:00Z + 1440 minutes is Monday 2026-11-02 00:00
// (dayOfWeek 1, hour 0); - 1440 minutes is Saturday 2026-10-31 00:00 (dayOfWeek 6).
TEST_CASE("context.utcOffsetMinutes must lie within a day") {
  for (const char* offset : {"-3e20", "1441", "1e308"}) {
    try {
      stageline::complete_page_context(Json::parse(std::string(R"({"utcOffsetMinutes": )") + offset + "}"));
      FAIL("accepted " << offset);
    } catch (const stageline::Error& error) {
      CHECK(error.code() == std::string(stageline::error_code::kInvalidArgument));
      CHECK(error.path() == "context.utcOffsetMinutes");
      CHECK_THAT(error.message(), Catch::Contains("minutes between -1440 and 1440"));
    }
  }
  const stageline::Profile profile("c1");
  const stageline::ProfileAttributes profile_attributes(profile, kNov1);
  for (const auto& [offset, day_of_week] : {std::pair{1440, 1}, std::pair{-1440, 6}}) {
    const Json context = stageline::complete_page_context(Json{{"utcOffsetMinutes", offset}});
    const stageline::DecisionAttributes attributes(profile_attributes, context, kNov1);
    CHECK(attributes.resolve(stageline::AttributePath("context.hour")).as_number() == 0);
    CHECK(attributes.resolve(stageline::AttributePath("context.dayOfWeek")).as_number() == day_of_week);
  }
}

TEST_CASE("rule sets hold at most 10,000 rules and 1,000 slots") {
  // Built as JSON values: 10,000 rules compile, one more is refused at "rules"; likewise slots.
  const auto config_with = [](std::size_t slots, std::size_t rules) {
    Json config = {{"slots", Json::object()}, {"rules", Json::array()}};
    for (std::size_t s = 0; s < slots; ++s) config["slots"]["s" + std::to_string(s)] = Json::object();
    for (std::size_t r = 0; r < rules; ++r)
      config["rules"].push_back({{"id", "r" + std::to_string(r)}, {"slot", "s0"}, {"payload", r}});
    return config;
  };
  CHECK(RuleSet::compile(config_with(1, 10'000)).rules().size() == 10'000);
  CHECK(RuleSet::compile(config_with(1'000, 1)).rules().size() == 1);
  const auto limit_path = [](const Json& config) {
    try {
      RuleSet::compile(config);
    } catch (const stageline::Error& error) {
      return error.code() + " @ " + error.path();
    }
    return std::string("compiled");
  };
  CHECK(limit_path(config_with(1, 10'001)) == "limit_exceeded @ rules");
  CHECK(limit_path(config_with(1'001, 1)) == "limit_exceeded @ slots");
}
