#pragma once
/// The binding boundary's only error path. C++ exceptions that reach Embind arrive in JS as bare
/// numbers (a pointer), so every binding runs its work through guard(), which turns any exception
/// into {code, path, message}; the JS wrapper (web/src/common/errors.js) throws that as a StagelineError.

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "stageline/common/cold_code.hpp"
#include "stageline/common/error.hpp"

namespace stageline::wasm {

/// Codes for failures that are not a stageline::Error; listed in web/index.d.ts.
inline constexpr const char* kOutOfMemory = "out_of_memory";
inline constexpr const char* kInternalError = "internal_error";

/// What the wrapper needs to build a StagelineError.
struct ErrorInfo {
  std::string code;
  std::string path;
  std::string message;
};

/// Runs `work`; returns true if it completed. On any exception, fills `error` and returns false.
///
/// guard() and guard_value() are size-optimized like cold code (stageline/cold_code.hpp): each
/// instantiation has one caller and is inlined into it, together with the work it wraps. Were
/// they speed-optimized, a cold binding's work (a config compiled, a profile restored), once
/// inlined into them, would be inlined and unrolled again at -O3 (measured: most of the binding
/// layer's size). A hot binding loses nothing: its work is an -O3 function of its own, called once.
template <typename Work>
STAGELINE_COLD_FUNCTION bool guard(Work&& work, ErrorInfo& error) noexcept {
  try {
    std::forward<Work>(work)();
    return true;
  } catch (const Error& e) {
    error = {e.code(), e.path(), e.message()};
  } catch (const std::bad_alloc&) {
    error = {kOutOfMemory, "", "the WebAssembly module ran out of memory"};
  } catch (const std::exception& e) {
    error = {kInternalError, "", e.what()};
  } catch (...) {
    error = {kInternalError, "", "unknown C++ exception"};
  }
  return false;
}

/// {code, path, message} as a JS object.
inline emscripten::val to_val(const ErrorInfo& error) {
  emscripten::val object = emscripten::val::object();
  object.set("code", error.code);
  object.set("path", error.path);
  object.set("message", error.message);
  return object;
}

/// Runs `produce` (returning something convertible to emscripten::val) and returns
/// {value: result} on success or {error: {code, path, message}} on failure, for bindings whose
/// call rate is low enough that one JS object per call does not matter.
template <typename Produce>
STAGELINE_COLD_FUNCTION emscripten::val guard_value(Produce&& produce) {
  emscripten::val result = emscripten::val::object();
  ErrorInfo error;
  const bool ok = guard(
      [&]() STAGELINE_COLD_FUNCTION { result.set("value", emscripten::val(std::forward<Produce>(produce)())); },
      error);
  if (!ok) result.set("error", to_val(error));
  return result;
}

}  // namespace stageline::wasm
