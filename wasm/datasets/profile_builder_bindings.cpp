// Embind bindings for profile builders: profiles live in the WASM heap, so bulk work (loading
// columns, counting, classifying everyone) crosses the boundary once, not once per customer.
// Bulk inputs arrive as typed arrays plus dictionaries; web/src/datasets/profile_builder.js builds them.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "common/guard.hpp"
#include "stageline/profiles/traits.hpp"
#include "stages/profile_builder_handle.hpp"

namespace stageline::wasm {
namespace {

/// {value: ProfileBuilderHandle} or {error}; traits_json "" means no computed traits.
emscripten::val create_profile_builder(const std::string& traits_json) {
  return guard_value([&] {
    return ProfileBuilderHandle(traits_json.empty() ? TraitsConfig() : TraitsConfig::compile(parse_json(traits_json)));
  });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_profile_builder) {
  using stageline::wasm::ProfileBuilderHandle;
  emscripten::class_<ProfileBuilderHandle>("ProfileBuilderHandle")
      .function("addJson", &ProfileBuilderHandle::addJson)
      .function("addColumns", &ProfileBuilderHandle::addColumns)
      .function("profile", &ProfileBuilderHandle::profile)
      .function("size", &ProfileBuilderHandle::size)
      .function("eventCount", &ProfileBuilderHandle::eventCount)
      .function("customerIds", &ProfileBuilderHandle::customerIds)
      .function("count", &ProfileBuilderHandle::count)
      .function("classifyAll", &ProfileBuilderHandle::classifyAll)
      .function("timeline", &ProfileBuilderHandle::timeline);
  emscripten::function("createProfileBuilder", &stageline::wasm::create_profile_builder);
}
