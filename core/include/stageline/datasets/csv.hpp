#pragma once
/// An RFC 4180 CSV reader over text in memory: quoted fields, doubled quotes inside them, line
/// breaks inside quoted fields, LF / CRLF / CR line ends, any one-byte delimiter. It reads one
/// record per call and can resume: text may arrive in chunks, and a record cut off by the end of a
/// chunk is left unconsumed until the rest arrives. Fields are string_views into the text (or, for
/// quoted fields with doubled quotes, into a buffer the reader reuses), so reading allocates only
/// while its buffers grow to the largest record.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stageline {

/// A malformed record: which field (0-based) and what was wrong.
struct CsvSyntaxError {
  std::size_t field = 0;
  std::string message;
};

class CsvReader {
 public:
  enum class Status {
    kRecord,    ///< a record was read: see fields(), line(), error()
    kNeedMore,  ///< the rest of the text is an incomplete record; call again with more text
    kEnd,       ///< no more records
  };

  explicit CsvReader(char delimiter = ',') : delimiter_(delimiter) {}

  /// Reads the record starting at `pos` in `text` and advances `pos` past it (and its line end).
  /// `final` says no more text follows; otherwise a record that reaches the end of `text` without
  /// a line end is not read (kNeedMore, `pos` unchanged), because the next chunk may continue it.
  /// A UTF-8 byte order mark at the very start of the input is skipped. Blank lines are records
  /// with one empty field (callers usually skip them: see is_blank()).
  Status next(std::string_view text, std::size_t& pos, bool final);

  /// The fields of the last record read; valid until the next call or until `text` changes.
  const std::vector<std::string_view>& fields() const noexcept { return fields_; }
  /// Whether the last record was an empty line.
  bool is_blank() const noexcept { return fields_.size() == 1 && fields_[0].empty() && !quoted_; }
  /// 1-based line number (counting every line break, also those inside quoted fields) on which
  /// the last record began.
  std::size_t line() const noexcept { return record_line_; }
  /// 1-based line number on which the next record begins.
  std::size_t next_line() const noexcept { return next_line_; }
  /// Set when the last record was malformed (text after a closing quote, or an unterminated
  /// quoted field at the end of the input); the fields are then best-effort.
  const CsvSyntaxError* error() const noexcept { return has_error_ ? &error_ : nullptr; }

  char delimiter() const noexcept { return delimiter_; }

 private:
  struct Span {
    std::size_t begin;
    std::size_t length;
    bool in_scratch;  // unescaped copy in scratch_ rather than a view of the text
  };

  void fail(std::size_t field, std::string message);

  char delimiter_;
  bool started_ = false;  // the BOM check has been done
  std::size_t next_line_ = 1;
  std::size_t record_line_ = 0;
  bool quoted_ = false;  // the last record had a quoted field
  bool has_error_ = false;
  CsvSyntaxError error_;
  std::vector<Span> spans_;
  std::vector<std::string_view> fields_;
  std::string scratch_;
};

/// The most frequent of `,` `;` TAB `|` outside quotes in the first line of `text` (`,` when none
/// occurs): how spreadsheet exports in other locales are recognised without asking.
char detect_csv_delimiter(std::string_view text) noexcept;

}  // namespace stageline
