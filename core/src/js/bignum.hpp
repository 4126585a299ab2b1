#pragma once
// A fixed-capacity unsigned big integer for the exact slow paths of number conversion (shortest
// digits of a double, decimal text to a double): the few operations those need, no allocation.
// 128 words hold 4,096 bits: the largest operand is a literal's digits shifted left so that
// dividing by 10^1105 still leaves 65 bits (3,740 bits).

#include <cstddef>
#include <cstdint>

namespace stageline::number {

class Bignum {
 public:
  static constexpr std::size_t kWords = 128;

  Bignum() noexcept = default;
  explicit Bignum(std::uint64_t value) noexcept { assign(value); }

  void assign(std::uint64_t value) noexcept {
    size_ = 0;
    while (value != 0) {
      words_[size_++] = static_cast<std::uint32_t>(value);
      value >>= 32;
    }
  }

  bool is_zero() const noexcept { return size_ == 0; }

  /// this = this * factor + addend.
  void multiply_add(std::uint32_t factor, std::uint32_t addend) noexcept {
    std::uint64_t carry = addend;
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t product = static_cast<std::uint64_t>(words_[i]) * factor + carry;
      words_[i] = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
    if (carry != 0 && size_ < kWords) words_[size_++] = static_cast<std::uint32_t>(carry);
    trim();
  }

  void multiply_pow10(unsigned exponent) noexcept {
    for (; exponent >= 9; exponent -= 9) multiply_add(1'000'000'000u, 0);
    std::uint32_t rest = 1;
    for (; exponent > 0; --exponent) rest *= 10;
    if (rest != 1) multiply_add(rest, 0);
  }

  void shift_left(unsigned bits) noexcept {
    if (size_ == 0 || bits == 0) return;
    const std::size_t word_shift = bits / 32;
    const unsigned bit_shift = bits % 32;
    std::size_t new_size = size_ + word_shift + 1;
    if (new_size > kWords) new_size = kWords;  // callers stay far below the capacity
    for (std::size_t i = new_size; i-- > 0;) {
      std::uint32_t word = 0;
      if (i >= word_shift) {
        const std::size_t from = i - word_shift;
        if (from < size_) word = words_[from] << bit_shift;
        if (bit_shift != 0 && from >= 1 && from - 1 < size_)
          word |= words_[from - 1] >> (32 - bit_shift);
      }
      words_[i] = word;
    }
    size_ = new_size;
    trim();
  }

  /// this -= other; requires this >= other.
  void subtract(const Bignum& other) noexcept {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t subtrahend = (i < other.size_ ? other.words_[i] : 0u) + borrow;
      borrow = words_[i] < subtrahend ? 1 : 0;
      words_[i] = static_cast<std::uint32_t>(words_[i] - subtrahend);
    }
    trim();
  }

  /// this += other.
  void add(const Bignum& other) noexcept {
    const std::size_t longest = size_ > other.size_ ? size_ : other.size_;
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < longest; ++i) {
      const std::uint64_t sum = static_cast<std::uint64_t>(i < size_ ? words_[i] : 0u) +
                                (i < other.size_ ? other.words_[i] : 0u) + carry;
      words_[i] = static_cast<std::uint32_t>(sum);
      carry = sum >> 32;
    }
    size_ = longest;
    if (carry != 0 && size_ < kWords) words_[size_++] = static_cast<std::uint32_t>(carry);
  }

  /// this = floor(this / divisor); returns the remainder.
  std::uint32_t divide(std::uint32_t divisor) noexcept {
    std::uint64_t remainder = 0;
    for (std::size_t i = size_; i-- > 0;) {
      const std::uint64_t current = (remainder << 32) | words_[i];
      words_[i] = static_cast<std::uint32_t>(current / divisor);
      remainder = current % divisor;
    }
    trim();
    return static_cast<std::uint32_t>(remainder);
  }

  /// The 64 bits from bit `start` up (bit 0 is the least significant).
  std::uint64_t bits_from(unsigned start) const noexcept {
    const std::size_t word = start / 32;
    const unsigned shift = start % 32;
    const std::uint64_t low = word_at(word) | (static_cast<std::uint64_t>(word_at(word + 1)) << 32);
    if (shift == 0) return low;
    return (low >> shift) | (static_cast<std::uint64_t>(word_at(word + 2)) << (64 - shift));
  }

  /// Whether any of the bits below `end` is set.
  bool any_bit_below(unsigned end) const noexcept {
    const std::size_t word = end / 32;
    for (std::size_t i = 0; i < word && i < size_; ++i) {
      if (words_[i] != 0) return true;
    }
    const unsigned shift = end % 32;
    return shift != 0 && (word_at(word) & ((std::uint32_t{1} << shift) - 1)) != 0;
  }

  /// Number of significant bits (0 for zero).
  unsigned bit_length() const noexcept {
    if (size_ == 0) return 0;
    unsigned bits = static_cast<unsigned>(size_ - 1) * 32;
    for (std::uint32_t top = words_[size_ - 1]; top != 0; top >>= 1) ++bits;
    return bits;
  }

  /// <0, 0 or >0 as a is less than, equal to or greater than b.
  friend int compare(const Bignum& a, const Bignum& b) noexcept {
    if (a.size_ != b.size_) return a.size_ < b.size_ ? -1 : 1;
    for (std::size_t i = a.size_; i-- > 0;) {
      if (a.words_[i] != b.words_[i]) return a.words_[i] < b.words_[i] ? -1 : 1;
    }
    return 0;
  }

  /// Subtracts `divisor` while it fits and returns how many times it did: the quotient when it is
  /// known to be small (a decimal digit, a bit).
  unsigned subtract_multiples(const Bignum& divisor) noexcept {
    unsigned quotient = 0;
    while (compare(*this, divisor) >= 0) {
      subtract(divisor);
      ++quotient;
    }
    return quotient;
  }

 private:
  std::uint32_t word_at(std::size_t i) const noexcept { return i < size_ ? words_[i] : 0; }

  void trim() noexcept {
    while (size_ > 0 && words_[size_ - 1] == 0) --size_;
  }

  std::uint32_t words_[kWords];
  std::size_t size_ = 0;
};

}  // namespace stageline::number
