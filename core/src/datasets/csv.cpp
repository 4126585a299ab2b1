#include "stageline/datasets/csv.hpp"

#include <array>
#include <utility>

namespace stageline {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Line breaks in text[begin, end): LF, CRLF and a lone CR each count once.
std::size_t count_line_breaks(std::string_view text, std::size_t begin, std::size_t end) noexcept {
  std::size_t breaks = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (text[i] == '\n')
      ++breaks;
    else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))
      ++breaks;
  }
  return breaks;
}

}  // namespace

void CsvReader::fail(std::size_t field, std::string message) {
  if (has_error_) return;  // the first problem of a record is the one reported
  has_error_ = true;
  error_ = {field, std::move(message)};
}

CsvReader::Status CsvReader::next(std::string_view text, std::size_t& pos, bool final) {
  if (!started_) {
    if (pos == 0 && text.size() < kByteOrderMark.size() && !final &&
        kByteOrderMark.substr(0, text.size()) == text) {
      return Status::kNeedMore;  // maybe the start of a byte order mark
    }
    if (pos == 0 && text.substr(0, kByteOrderMark.size()) == kByteOrderMark)
      pos = kByteOrderMark.size();
    started_ = true;
  }
  const std::size_t n = text.size();
  if (pos >= n) return final ? Status::kEnd : Status::kNeedMore;

  spans_.clear();
  scratch_.clear();
  has_error_ = false;
  quoted_ = false;
  std::size_t line = next_line_;
  std::size_t i = pos;
  for (;;) {
    const std::size_t field = spans_.size();
    if (i < n && text[i] == '"') {
      quoted_ = true;
      const std::size_t content = ++i;
      std::size_t segment = i;
      bool unescaped = false;  // part of the field was copied to scratch_
      const std::size_t scratch_begin = scratch_.size();
      for (;;) {
        const std::size_t quote = text.find('"', i);
        if (quote == std::string_view::npos || (quote + 1 == n && !final)) {
          if (!final) return Status::kNeedMore;
          // Unterminated: the field runs to the end of the input.
          line += count_line_breaks(text, i, n);
          if (unescaped) scratch_.append(text.substr(segment));
          spans_.push_back(unescaped ? Span{scratch_begin, scratch_.size() - scratch_begin, true}
                                     : Span{content, n - content, false});
          fail(field, "quoted field not closed before the end of the input");
          i = n;
          break;
        }
        line += count_line_breaks(text, i, quote);
        if (quote + 1 < n && text[quote + 1] == '"') {  // "" is one quote
          scratch_.append(text.substr(segment, quote + 1 - segment));
          unescaped = true;
          i = segment = quote + 2;
          continue;
        }
        if (unescaped) scratch_.append(text.substr(segment, quote - segment));
        spans_.push_back(unescaped ? Span{scratch_begin, scratch_.size() - scratch_begin, true}
                                   : Span{content, quote - content, false});
        i = quote + 1;
        if (i < n && text[i] != delimiter_ && text[i] != '\r' && text[i] != '\n') {
          fail(field,
               "unexpected text after a closing quote (a quote inside a quoted field must be "
               "doubled)");
          while (i < n && text[i] != delimiter_ && text[i] != '\r' && text[i] != '\n') ++i;
          if (i == n && !final) return Status::kNeedMore;  // the stray text may go on
        }
        break;
      }
    } else {
      // Unquoted: up to the delimiter or line end. A quote here is taken literally (12" pipe).
      const std::size_t begin = i;
      while (i < n && text[i] != delimiter_ && text[i] != '\n' && text[i] != '\r') ++i;
      if (i == n && !final) return Status::kNeedMore;
      spans_.push_back(Span{begin, i - begin, false});
    }
    if (i == n) break;
    if (text[i] == delimiter_) {
      ++i;
      if (i == n && !final) return Status::kNeedMore;
      continue;
    }
    if (text[i] == '\r') {
      if (i + 1 == n && !final) return Status::kNeedMore;  // maybe CRLF cut in two
      ++i;
      if (i < n && text[i] == '\n') ++i;
    } else {
      ++i;  // '\n'
    }
    ++line;
    break;
  }

  record_line_ = next_line_;
  next_line_ = line;
  pos = i;
  fields_.clear();
  for (const Span& span : spans_) {
    fields_.push_back(span.in_scratch ? std::string_view(scratch_).substr(span.begin, span.length)
                                      : text.substr(span.begin, span.length));
  }
  return Status::kRecord;
}

char detect_csv_delimiter(std::string_view text) noexcept {
  constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  std::array<std::size_t, 4> counts{};
  bool in_quotes = false;
  std::size_t i =
      text.substr(0, kByteOrderMark.size()) == kByteOrderMark ? kByteOrderMark.size() : 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (c == '\n' || c == '\r') break;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
      if (c == kCandidates[k]) ++counts[k];
    }
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < kCandidates.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kCandidates[best];
}

}  // namespace stageline
