#pragma once
/// Marks a stretch of a source file as cold: code that runs once per configuration or per request
/// for an explanation (config readers and compilers, serializers, diagnostics, Embind registration),
/// never per decision. Clang then optimizes the functions defined between the two markers for size
/// (`minsize`) while the rest of the file and every template instantiated from headers keep the
/// build's speed level (-O3). Compiling whole files at -Oz instead is no substitute: the libc++ and
/// nlohmann templates those files instantiate would be size-optimized too, and the linker may pick
/// those copies for the hot code (docs/size.md, "The speed side").
///
///   STAGELINE_COLD_CODE_BEGIN
///   RuleSet RuleSet::compile(const Json& config) { ... }
///   STAGELINE_COLD_CODE_END
///
/// Inside a class body, where the pragma cannot go, STAGELINE_COLD_FUNCTION marks one member; a
/// lambda in such a member needs it too (`[&]() STAGELINE_COLD_FUNCTION { ... }`): the attribute
/// does not reach it, and the work inlined into it would be optimized for speed again.
/// Used by the library and its bindings only; other compilers see no-ops.

#if defined(__clang__)
#define STAGELINE_COLD_CODE_BEGIN \
  _Pragma("clang attribute push(__attribute__((minsize)), apply_to = function)")
#define STAGELINE_COLD_CODE_END _Pragma("clang attribute pop")
#define STAGELINE_COLD_FUNCTION __attribute__((minsize))
#else
#define STAGELINE_COLD_CODE_BEGIN
#define STAGELINE_COLD_CODE_END
#define STAGELINE_COLD_FUNCTION
#endif
