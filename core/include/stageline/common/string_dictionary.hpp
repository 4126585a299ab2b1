#pragma once
/// Dictionary encoding: distinct strings stored back to back in one buffer, each identified by a
/// dense code (0, 1, 2, ... in first-seen order). Interning a string that is already known
/// allocates nothing; a new one costs its bytes plus one offset, not a heap block per string.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/common/string_index.hpp"

namespace stageline {

class StringDictionary {
 public:
  /// The code of `text`, adding it when new.
  std::uint32_t intern(std::string_view text) {
    if (compacted_) rebuild_index();
    if (const auto found = find(text)) return *found;
    const auto code = static_cast<std::uint32_t>(ends_.size());
    bytes_.append(text);
    ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    index_.insert(text, code);
    return code;
  }

  /// The code of `text`, or nullopt. After compact() this is a linear scan.
  std::optional<std::uint32_t> find(std::string_view text) const noexcept {
    if (compacted_) {
      for (std::uint32_t code = 0; code < ends_.size(); ++code) {
        if ((*this)[code] == text) return code;
      }
      return std::nullopt;
    }
    return index_.find(text, [this](std::uint32_t code) { return (*this)[code]; });
  }

  /// Frees the hash index (about 8 bytes per string, often more than the strings themselves) when
  /// no more strings will be added and lookups by text are rare; intern() rebuilds it if needed.
  void compact() {
    index_ = StringIndex();
    bytes_.shrink_to_fit();
    ends_.shrink_to_fit();
    compacted_ = true;
  }

  /// The string of a code (a view into the dictionary, valid until the next intern).
  std::string_view operator[](std::uint32_t code) const noexcept {
    const std::uint32_t begin = code == 0 ? 0 : ends_[code - 1];
    return std::string_view(bytes_).substr(begin, ends_[code] - begin);
  }

  std::size_t size() const noexcept { return ends_.size(); }

 private:
  void rebuild_index() {
    compacted_ = false;
    for (std::uint32_t code = 0; code < ends_.size(); ++code) index_.insert((*this)[code], code);
  }

  std::string bytes_;
  std::vector<std::uint32_t> ends_;  // end offset of each string in bytes_
  StringIndex index_;
  bool compacted_ = false;
};

}  // namespace stageline
