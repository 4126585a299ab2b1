#pragma once
/// Loading a Dataset: the column mapping, the documented ingest policies, and a loader that takes
/// CSV or NDJSON text in chunks (or columns) and validates every row.
///
/// Options (JSON, as the JS API takes them; every key optional except the mapping's required ones):
///   customerId, timestamp, amount, quantity, unitPrice, orderId, type, score, product:
///       input column names. Transactions need customerId, timestamp and amount (or quantity and
///       unitPrice); events need customerId, timestamp and type.
///   delimiter     "auto" (default: the most frequent of , ; TAB | in the header line) or one
///   character decimalComma  false; true reads "12,50" as 12.5 (with a ; or TAB delimiter)
///   timestampFormat "auto" (ISO-8601 with or without zone, date-only, or integer epoch ms; no zone
///                 = UTC), "epoch_ms", "epoch_s", "mdy" (M/D/YYYY[ H:MM[:SS]]), "dmy" (D/M/YYYY
///                 ...)
///   cancelPrefix  "C": an order id starting with it is a cancellation; its lines count negative
///                 ("" = none). Negative quantities or amounts are returns whatever the prefix.
///   zeroAmount    "exclude" (default: such lines are dropped and reported) or "keep"
///   excludeProducts [] — product codes (column `product`) of non-product lines (postage, fees),
///                 dropped and reported
///   strict        false; true throws at the first invalid row (policy exclusions never throw)
///   maxIssues     10000 issues kept in the list (all are counted)
///   progressEvery 100000 rows between progress callbacks
///   maxRows       20000000 data rows; one more is limit_exceeded at "row N" (nothing is built)
///   maxColumns    1024 CSV header columns; more is limit_exceeded at "header"
///   maxRecordBytes 1048576 bytes per CSV record or NDJSON line, line end included; a longer
///                 one (usually an unclosed quote swallowing the rest of the file) is
///                 limit_exceeded at "line N", where it starts. Bounds the text carried between
///                 chunks.
/// A row without a customer id is a guest row: kept and counted, left out of per-customer metrics.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stageline/datasets/csv.hpp"
#include "stageline/json/json.hpp"
#include "stageline/metrics/dataset.hpp"

namespace stageline {

/// The fields a dataset row can have, in mapping order.
enum class Field : std::uint8_t {
  kCustomerId,
  kTimestamp,
  kAmount,
  kQuantity,
  kUnitPrice,
  kOrderId,
  kType,
  kScore,
  kProduct,
};
inline constexpr std::size_t kFieldCount = 9;

/// The mapping key of a field ("customerId", "unitPrice", ...).
const char* field_key(Field field) noexcept;

enum class TimestampFormat : std::uint8_t {
  kAuto,
  kEpochMs,
  kEpochSeconds,
  kMonthDayYear,
  kDayMonthYear
};

struct IngestOptions {
  DatasetKind kind = DatasetKind::kTransactions;
  std::string columns[kFieldCount];  ///< input column name per Field; "" = not mapped
  char delimiter = 0;                ///< 0 = detect
  bool decimal_comma = false;
  TimestampFormat timestamp_format = TimestampFormat::kAuto;
  std::string cancel_prefix = "C";
  bool keep_zero_amount = false;
  std::vector<std::string> exclude_products;
  bool strict = false;
  std::size_t max_issues = 10000;
  std::size_t progress_every = 100000;
  std::size_t max_rows = 20'000'000;
  std::size_t max_columns = 1024;
  std::size_t max_record_bytes = std::size_t{1} << 20;
  /// Called with the number of rows read so far, every progress_every rows.
  std::function<void(std::size_t rows_read)> progress;

  const std::string& column(Field field) const { return columns[static_cast<std::size_t>(field)]; }
  bool mapped(Field field) const { return !column(field).empty(); }

  /// Reads the options above from a JSON object (the mapping and policies together); errors name
  /// the key. Checks that the fields `kind` needs are mapped.
  static IngestOptions from_json(const Json& options, DatasetKind kind);
};

/// One input value: absent (missing column / JSON member or null), text, or a number.
struct FieldValue {
  enum class Kind : std::uint8_t { kMissing, kText, kNumber };
  Kind kind = Kind::kMissing;
  std::string_view text;
  double number = 0;
};

class NdjsonRowReader;

class DatasetLoader {
 public:
  explicit DatasetLoader(IngestOptions options);
  ~DatasetLoader();
  DatasetLoader(DatasetLoader&&) noexcept;
  DatasetLoader& operator=(DatasetLoader&&) noexcept;

  /// Expected input size in bytes, used to reserve the columns once after the first chunk.
  void set_size_hint(std::size_t total_bytes) noexcept { size_hint_ = total_bytes; }

  /// Feeds CSV text; chunks may split records anywhere (an incomplete record is carried over).
  /// `final` marks the last chunk. The first record is the header.
  void feed_csv(std::string_view chunk, bool final);
  /// Feeds NDJSON text: one JSON object per line; blank lines are skipped.
  void feed_ndjson(std::string_view chunk, bool final);
  /// Adds rows given as columns: `values[f]` is the value of Field f in row `i` through
  /// `get(f, i)`, which returns a FieldValue. Rows are numbered from 1.
  void add_rows(std::size_t count, const std::function<FieldValue(Field, std::size_t)>& get);

  /// The dataset; the loader is spent afterwards.
  Dataset finish();

  std::size_t rows_read() const noexcept { return dataset_.report_.rows_read; }

 private:
  void parse_csv(std::string_view text, std::size_t& pos, bool final);
  void parse_ndjson(std::string_view text, std::size_t& pos, bool final);
  void read_header(const std::vector<std::string_view>& fields);
  /// Counts a data row; throws limit_exceeded when it would pass max_rows.
  void count_row(std::size_t row);
  /// Throws limit_exceeded when a record (complete or still pending) passes max_record_bytes.
  void check_record_size(std::size_t bytes, std::size_t line) const;
  void add_row(std::size_t row, std::size_t line, const FieldValue (&values)[kFieldCount]);
  /// Records an issue (throws instead in strict mode when !excluded).
  void issue(std::size_t row, std::size_t line, std::string column, const char* reason,
             std::string message, bool excluded = false);
  void issue(std::size_t row, std::size_t line, Field field, const char* reason,
             std::string message);
  void reserve_for_hint(std::size_t consumed_bytes);
  void build_orders();

  IngestOptions options_;
  Dataset dataset_;
  std::string carry_;  // the start of a record cut off by the end of the previous chunk
  bool csv_delimiter_chosen_ = false;  // guessed from the complete header line, whatever the chunks
  std::size_t consumed_ = 0;
  std::size_t size_hint_ = 0;
  bool reserved_ = false;
  // CSV state
  CsvReader csv_;
  bool header_read_ = false;
  std::size_t record_ = 0;  // CSV records read, header included
  std::vector<std::string> header_;
  int field_column_[kFieldCount];  // CSV column index per Field, -1 when unmapped
  // NDJSON state
  std::size_t ndjson_line_ = 0;
  std::unique_ptr<NdjsonRowReader> ndjson_row_;  // created by the first NDJSON chunk
};

}  // namespace stageline
