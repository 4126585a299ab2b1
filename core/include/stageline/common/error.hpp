#pragma once
/// Errors: every failure the core reports is a stageline::Error naming where (a JSON path such as
/// `stages[2].when.$and[1]`, or `row 12, column "amount"`) and what was expected.

#include <stdexcept>
#include <string>

namespace stageline {

/// Machine-readable error categories; the JS wrapper exposes them as `StagelineError.code`.
namespace error_code {
inline constexpr const char* kInvalidJson = "invalid_json";        ///< text is not JSON
inline constexpr const char* kInvalidConfig = "invalid_config";    ///< wrong shape or type
inline constexpr const char* kUnknownOperator = "unknown_operator";
inline constexpr const char* kInvalidRegex = "invalid_regex";
inline constexpr const char* kInvalidTimestamp = "invalid_timestamp";
inline constexpr const char* kInvalidArgument = "invalid_argument";  ///< bad API input
inline constexpr const char* kLimitExceeded = "limit_exceeded";      ///< a documented limit
inline constexpr const char* kNotFound = "not_found";
}  // namespace error_code

/// An error with a category, a location and a readable message. `what()` is
/// "<path>: <message>" (or just the message when there is no path).
class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string path, std::string message)
      : std::runtime_error(path.empty() ? message : path + ": " + message),
        code_(std::move(code)),
        path_(std::move(path)),
        message_(std::move(message)) {}

  const std::string& code() const noexcept { return code_; }
  /// Where the problem is: a JSON path into the config that was handed in, or "" for the root.
  const std::string& path() const noexcept { return path_; }
  /// What was wrong and what was expected, without the path.
  const std::string& message() const noexcept { return message_; }

 private:
  std::string code_;
  std::string path_;
  std::string message_;
};

}  // namespace stageline
