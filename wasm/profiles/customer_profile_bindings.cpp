// Embind bindings for one customer's profile on its own (the browser runtime's visitor): built
// event by event, persisted as JSON text with its restorable state, restored, and merged.
// web/src/profiles/customer_profile.js does the JSON.stringify / JSON.parse and the friendly API.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <utility>
#include <vector>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "profiles/customer_profile_handle.hpp"
#include "stageline/common/cold_code.hpp"
#include "stageline/profiles/event.hpp"
#include "stageline/profiles/profile.hpp"
#include "stageline/profiles/traits.hpp"

STAGELINE_COLD_CODE_BEGIN

namespace stageline::wasm {
namespace {

TraitsConfig traits_from(const std::string& traits_json) {
  return traits_json.empty() ? TraitsConfig() : TraitsConfig::compile(parse_json(traits_json));
}

/// {value: an empty CustomerProfileHandle} or {error}; traits_json "" means no computed traits.
emscripten::val create_customer_profile(const std::string& customer_id, const std::string& traits_json) {
  return guard_value([&] {
    if (customer_id.empty()) throw Error(error_code::kInvalidArgument, "customerId", "expected a non-empty string");
    return CustomerProfileHandle(Profile(customer_id, traits_from(traits_json)));
  });
}

/// {value: CustomerProfileHandle restored from profile JSON text} or {error naming the path}.
emscripten::val restore_customer_profile(const std::string& profile_json, const std::string& traits_json) {
  return guard_value([&] { return CustomerProfileHandle(Profile::from_json(parse_json(profile_json), traits_from(traits_json))); });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_customer_profile) {
  using stageline::wasm::CustomerProfileHandle;
  emscripten::class_<CustomerProfileHandle>("CustomerProfileHandle")
      .function("apply", &CustomerProfileHandle::apply)
      .function("profile", &CustomerProfileHandle::profile)
      .function("merge", &CustomerProfileHandle::merge)
      .function("customerId", &CustomerProfileHandle::customerId)
      .function("events", &CustomerProfileHandle::events);
  emscripten::function("createCustomerProfile", &stageline::wasm::create_customer_profile);
  emscripten::function("restoreCustomerProfile", &stageline::wasm::restore_customer_profile);
}

STAGELINE_COLD_CODE_END
