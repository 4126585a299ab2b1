#pragma once
/// An open-addressing hash index from strings to dense indices (0, 1, 2, ...) whose strings live
/// elsewhere (in a vector of names or of profiles). Looking up a std::string_view never allocates,
/// which std::unordered_map<std::string, ...> cannot promise before C++20.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace stageline {

class StringIndex {
 public:
  /// The index stored for `key`, or nullopt. `key_of(index)` returns the string of an index.
  template <class KeyOf>
  std::optional<std::uint32_t> find(std::string_view key, const KeyOf& key_of) const noexcept {
    if (slots_.empty()) return std::nullopt;
    const std::uint32_t hash = hash_of(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.index_plus_one == 0) return std::nullopt;
      if (slot.hash == hash && key_of(slot.index_plus_one - 1) == key)
        return slot.index_plus_one - 1;
    }
  }

  /// Records `index` for `key`, which must not be present yet.
  void insert(std::string_view key, std::uint32_t index) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    place(Slot{hash_of(key), index + 1});
    ++size_;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t index_plus_one = 0;  // 0 marks an empty slot
  };

  static std::uint32_t hash_of(std::string_view key) noexcept {
    const std::size_t h = std::hash<std::string_view>{}(key);
    return static_cast<std::uint32_t>(h ^ (static_cast<std::uint64_t>(h) >> 32));
  }

  void place(Slot slot) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = slot.hash & mask;
    while (slots_[i].index_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.index_plus_one != 0) place(slot);
    }
  }

  std::vector<Slot> slots_;  // size is zero or a power of two, at most 3/4 full
  std::size_t size_ = 0;
};

}  // namespace stageline
