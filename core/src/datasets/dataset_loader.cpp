#include "stageline/datasets/dataset_loader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "datasets/dataset_values.hpp"
#include "datasets/ndjson_row.hpp"
#include "js/js_text.hpp"
#include "json/config_reader.hpp"
#include "stageline/common/error.hpp"
#include "stageline/profiles/event.hpp"

namespace stageline {
namespace {

using config::bool_option;
using config::count_option;
using config::string_option;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kFieldKeys[kFieldCount] = {"customerId", "timestamp", "amount",
                                                 "quantity",   "unitPrice", "orderId",
                                                 "type",       "score",     "product"};

std::size_t index_of(Field field) { return static_cast<std::size_t>(field); }

// Up to 80 bytes of `text` as a JSON string, for messages (invalid UTF-8 replaced, never thrown).
std::string quote_text(std::string_view text) {
  const std::string_view shown = text.substr(0, 80);
  return write_json(Json(std::string(shown))) +
         (text.size() > shown.size() ? "…" : "");
}

// A number as JavaScript writes it (11, not 11.0).
std::string number_text(double number) {
  char buffer[js::kNumberTextCapacity];
  return std::string(buffer, js::number_to_string(number, buffer));
}

std::string shown(const FieldValue& value) {
  if (value.kind == FieldValue::Kind::kText) return quote_text(value.text);
  if (value.kind == FieldValue::Kind::kNumber) return number_text(value.number);
  return "nothing";
}

// The text of a value; numbers as JavaScript writes them (so 42 and "42" are the same id).
std::string_view text_of(const FieldValue& value, char (&buffer)[js::kNumberTextCapacity]) {
  if (value.kind == FieldValue::Kind::kText) return trim_blanks(value.text);
  if (value.kind == FieldValue::Kind::kNumber) {
    return std::string_view(buffer, js::number_to_string(value.number, buffer));
  }
  return {};
}

// The valid score range of survey event types, by their built-in meaning (event.hpp).
bool score_in_range(EventKind kind, double score, const char*& range) {
  switch (kind) {
    case EventKind::kNps:
      range = "0 to 10";
      return score >= 0 && score <= 10;
    case EventKind::kCsat:
      range = "1 to 5";
      return score >= 1 && score <= 5;
    case EventKind::kCes:
      range = "1 to 7";
      return score >= 1 && score <= 7;
    default:
      return true;
  }
}

}  // namespace

const char* field_key(Field field) noexcept { return kFieldKeys[index_of(field)]; }

IngestOptions IngestOptions::from_json(const Json& options, DatasetKind kind) {
  if (!options.is_object())
    throw Error(error_code::kInvalidConfig, "", expected_but_got("a mapping object", options));
  static constexpr const char* kPolicyKeys[] = {"delimiter",    "decimalComma", "timestampFormat",
                                                "cancelPrefix", "zeroAmount",   "excludeProducts",
                                                "strict",       "maxIssues",    "progressEvery",
                                                "maxRows",      "maxColumns",   "maxRecordBytes"};
  for (const auto& [key, value] : options.items()) {
    const bool known =
        std::find(std::begin(kFieldKeys), std::end(kFieldKeys), key) != std::end(kFieldKeys) ||
        std::find(std::begin(kPolicyKeys), std::end(kPolicyKeys), key) != std::end(kPolicyKeys);
    if (!known) {
      throw Error(error_code::kInvalidConfig, key,
                  "unknown mapping key (expected customerId, timestamp, amount, quantity, "
                  "unitPrice, orderId, "
                  "type, score, product or an ingest option)");
    }
  }
  IngestOptions result;
  result.kind = kind;
  for (std::size_t f = 0; f < kFieldCount; ++f)
    result.columns[f] = string_option(options, kFieldKeys[f], "");

  const std::string delimiter = string_option(options, "delimiter", "auto");
  if (delimiter == "auto")
    result.delimiter = 0;
  else if (delimiter.size() == 1 && delimiter[0] != '"' && delimiter[0] != '\n' &&
           delimiter[0] != '\r')
    result.delimiter = delimiter[0];
  else
    throw Error(error_code::kInvalidConfig, "delimiter",
                "expected \"auto\" or one character other than a quote or line break");

  result.decimal_comma = bool_option(options, "decimalComma", false);
  const std::string format = string_option(options, "timestampFormat", "auto");
  if (format == "auto")
    result.timestamp_format = TimestampFormat::kAuto;
  else if (format == "epoch_ms")
    result.timestamp_format = TimestampFormat::kEpochMs;
  else if (format == "epoch_s")
    result.timestamp_format = TimestampFormat::kEpochSeconds;
  else if (format == "mdy")
    result.timestamp_format = TimestampFormat::kMonthDayYear;
  else if (format == "dmy")
    result.timestamp_format = TimestampFormat::kDayMonthYear;
  else
    throw Error(error_code::kInvalidConfig, "timestampFormat",
                "expected one of auto, epoch_ms, epoch_s, mdy, dmy");

  result.cancel_prefix = string_option(options, "cancelPrefix", "C");
  const std::string zero = string_option(options, "zeroAmount", "exclude");
  if (zero != "exclude" && zero != "keep")
    throw Error(error_code::kInvalidConfig, "zeroAmount", "expected \"exclude\" or \"keep\"");
  result.keep_zero_amount = zero == "keep";
  if (const auto products = options.find("excludeProducts");
      products != options.end() && !products->is_null()) {
    if (!products->is_array())
      throw Error(error_code::kInvalidConfig, "excludeProducts",
                  expected_but_got("an array of strings", *products));
    for (std::size_t i = 0; i < products->size(); ++i) {
      const Json& code = (*products)[i];
      if (!code.is_string())
        throw Error(error_code::kInvalidConfig, join_path("excludeProducts", i),
                    expected_but_got("a string", code));
      result.exclude_products.push_back(code.get<std::string>());
    }
    if (!result.mapped(Field::kProduct))
      throw Error(error_code::kInvalidConfig, "excludeProducts",
                  "needs the product column mapped (product)");
  }
  result.strict = bool_option(options, "strict", false);
  result.max_issues = count_option(options, "maxIssues", result.max_issues);
  result.progress_every = count_option(options, "progressEvery", result.progress_every);
  result.max_rows = count_option(options, "maxRows", result.max_rows);
  result.max_columns = count_option(options, "maxColumns", result.max_columns);
  result.max_record_bytes = count_option(options, "maxRecordBytes", result.max_record_bytes);

  const auto require = [&](Field field, const char* what) {
    if (!result.mapped(field))
      throw Error(error_code::kInvalidConfig, field_key(field),
                  std::string("required: the column holding ") + what);
  };
  require(Field::kCustomerId, "the customer id");
  require(Field::kTimestamp, "the time");
  if (kind == DatasetKind::kTransactions) {
    if (!result.mapped(Field::kAmount) &&
        !(result.mapped(Field::kQuantity) && result.mapped(Field::kUnitPrice))) {
      throw Error(error_code::kInvalidConfig, "amount",
                  "required: the column holding the line amount, or map quantity and unitPrice");
    }
  } else {
    require(Field::kType, "the event type");
  }
  return result;
}

DatasetLoader::DatasetLoader(IngestOptions options) : options_(std::move(options)) {
  dataset_.kind_ = options_.kind;
  std::fill(std::begin(field_column_), std::end(field_column_), -1);
}

DatasetLoader::~DatasetLoader() = default;
DatasetLoader::DatasetLoader(DatasetLoader&&) noexcept = default;
DatasetLoader& DatasetLoader::operator=(DatasetLoader&&) noexcept = default;

void DatasetLoader::issue(std::size_t row, std::size_t line, std::string column, const char* reason,
                          std::string message, bool excluded) {
  IngestReport& report = dataset_.report_;
  if (options_.strict && !excluded) {
    std::string path = "row " + std::to_string(row);
    if (!column.empty()) path += ", column " + quote_text(column);
    const bool time = std::string_view(reason) == "invalid_timestamp";
    throw Error(time ? error_code::kInvalidTimestamp : error_code::kInvalidArgument, path, message);
  }
  ++report.issue_count;
  ++(excluded ? report.rows_excluded : report.rows_rejected);
  auto counted = std::find_if(report.issues_by_reason.begin(), report.issues_by_reason.end(),
                              [&](const auto& entry) { return entry.first == reason; });
  if (counted == report.issues_by_reason.end())
    report.issues_by_reason.emplace_back(reason, 1);
  else
    ++counted->second;
  if (report.issues.size() < options_.max_issues) {
    report.issues.push_back(
        IngestIssue{row, line, std::move(column), reason, std::move(message), excluded});
  }
}

void DatasetLoader::count_row(std::size_t row) {
  IngestReport& report = dataset_.report_;
  if (report.rows_read == options_.max_rows) {
    // Refused before anything of the row is stored: the dataset is not built, and every other
    // handle in the module (earlier datasets, profiles, rules) is untouched.
    throw Error(error_code::kLimitExceeded, "row " + std::to_string(row),
                "more than " + std::to_string(options_.max_rows) +
                    " data rows (maxRows); raise maxRows or load a sample of the file");
  }
  ++report.rows_read;
}

void DatasetLoader::check_record_size(std::size_t bytes, std::size_t line) const {
  if (bytes <= options_.max_record_bytes) return;
  throw Error(error_code::kLimitExceeded, "line " + std::to_string(line),
              "a record longer than " + std::to_string(options_.max_record_bytes) +
                  " bytes (maxRecordBytes) starts here; is a quote or a line end missing?");
}

void DatasetLoader::issue(std::size_t row, std::size_t line, Field field, const char* reason,
                          std::string message) {
  issue(row, line, options_.column(field), reason, std::move(message));
}

void DatasetLoader::add_row(std::size_t row, std::size_t line,
                            const FieldValue (&values)[kFieldCount]) {
  IngestReport& report = dataset_.report_;
  count_row(row);
  if (options_.progress && options_.progress_every > 0 &&
      report.rows_read % options_.progress_every == 0) {
    options_.progress(report.rows_read);
  }
  const bool transactions = options_.kind == DatasetKind::kTransactions;
  const auto value = [&](Field field) -> const FieldValue& { return values[index_of(field)]; };

  // A number that may be absent (NaN) or must be present; false after reporting an issue.
  const auto read_number = [&](Field field, bool required, double& out) {
    out = kNaN;
    if (!options_.mapped(field)) return true;
    const FieldValue& v = value(field);
    if (v.kind == FieldValue::Kind::kNumber) {
      if (std::isfinite(v.number)) return out = v.number, true;
      issue(row, line, field, "invalid_number", "expected a finite number, got " + shown(v));
      return false;
    }
    const std::string_view text =
        v.kind == FieldValue::Kind::kText ? trim_blanks(v.text) : std::string_view();
    if (text.empty()) {
      if (!required) return true;
      issue(row, line, field, "missing_value", "expected a number, got nothing");
      return false;
    }
    if (const auto number = parse_number_text(text, options_.decimal_comma))
      return out = *number, true;
    issue(row, line, field, "invalid_number", "expected a number, got " + quote_text(text));
    return false;
  };

  char customer_buffer[js::kNumberTextCapacity];
  const std::string_view customer = text_of(value(Field::kCustomerId), customer_buffer);

  const auto timestamp = parse_timestamp_value(value(Field::kTimestamp), options_.timestamp_format);
  if (!timestamp) {
    const bool missing = value(Field::kTimestamp).kind == FieldValue::Kind::kMissing ||
                         (value(Field::kTimestamp).kind == FieldValue::Kind::kText &&
                          trim_blanks(value(Field::kTimestamp).text).empty());
    issue(row, line, Field::kTimestamp, missing ? "missing_value" : "invalid_timestamp",
          std::string("expected ") + timestamp_format_expectation(options_.timestamp_format) +
              ", got " + (missing ? "nothing" : shown(value(Field::kTimestamp))));
    return;
  }

  double amount = kNaN;
  double quantity = kNaN;
  double unit_price = kNaN;
  const bool derived_amount = transactions && !options_.mapped(Field::kAmount);
  if (!read_number(Field::kAmount, transactions, amount) ||
      !read_number(Field::kQuantity, derived_amount, quantity) ||
      !read_number(Field::kUnitPrice, derived_amount, unit_price)) {
    return;
  }
  if (derived_amount) amount = quantity * unit_price;

  char order_buffer[js::kNumberTextCapacity];
  const std::string_view order = text_of(value(Field::kOrderId), order_buffer);
  if (transactions && options_.mapped(Field::kOrderId) && order.empty()) {
    issue(row, line, Field::kOrderId, "missing_value", "expected an order id, got nothing");
    return;
  }
  char type_buffer[js::kNumberTextCapacity];
  const std::string_view type = text_of(value(Field::kType), type_buffer);
  if (!transactions && type.empty()) {
    issue(row, line, Field::kType, "missing_value", "expected an event type, got nothing");
    return;
  }
  double score = kNaN;
  if (!read_number(Field::kScore, false, score)) return;
  if (!std::isnan(score)) {
    const char* range = "";
    if (!score_in_range(event_kind(type), score, range)) {
      issue(row, line, Field::kScore, "out_of_range",
            "expected a " + std::string(type) + " score from " + range + ", got " +
                number_text(score));
      return;
    }
  }

  // Policies: cancellations count negative; zero-amount and non-product lines are excluded.
  if (transactions) {
    if (options_.mapped(Field::kProduct)) {
      char product_buffer[js::kNumberTextCapacity];
      const std::string_view product = text_of(value(Field::kProduct), product_buffer);
      if (std::find(options_.exclude_products.begin(), options_.exclude_products.end(), product) !=
          options_.exclude_products.end()) {
        issue(row, line, options_.column(Field::kProduct), "non_product",
              "excluded: product " + quote_text(product) + " is listed in excludeProducts", true);
        return;
      }
    }
    if (amount == 0 && !options_.keep_zero_amount) {
      issue(row, line,
            options_.column(options_.mapped(Field::kAmount) ? Field::kAmount : Field::kUnitPrice),
            "zero_amount", "excluded: the amount is 0 (zeroAmount: \"exclude\")", true);
      return;
    }
    const std::string& prefix = options_.cancel_prefix;
    if (!prefix.empty() && order.size() >= prefix.size() &&
        order.substr(0, prefix.size()) == prefix) {
      amount = -std::fabs(amount);
      if (!std::isnan(quantity)) quantity = -std::fabs(quantity);
    }
    if (amount < 0) ++report.return_rows;
  }

  Dataset& d = dataset_;
  if (customer.empty()) {
    d.customer_.push_back(Dataset::kGuest);
    ++report.guest_rows;
  } else {
    d.customer_.push_back(d.customers_.intern(customer));
  }
  d.timestamp_.push_back(*timestamp);
  if (transactions || options_.mapped(Field::kAmount)) d.amount_.push_back(amount);
  if (options_.mapped(Field::kQuantity)) d.quantity_.push_back(quantity);
  if (options_.mapped(Field::kUnitPrice)) d.unit_price_.push_back(unit_price);
  if (options_.mapped(Field::kScore)) d.score_.push_back(score);
  if (options_.mapped(Field::kOrderId))
    d.order_.push_back(order.empty() ? Dataset::kNone : d.order_ids_.intern(order));
  if (options_.mapped(Field::kType))
    d.type_.push_back(type.empty() ? Dataset::kNone : d.types_.intern(type));
  ++report.rows_loaded;
}

void DatasetLoader::read_header(const std::vector<std::string_view>& fields) {
  if (fields.size() > options_.max_columns) {
    throw Error(error_code::kLimitExceeded, "header",
                "the CSV header has " + std::to_string(fields.size()) + " columns; at most " +
                    std::to_string(options_.max_columns) + " are read (maxColumns)");
  }
  header_.clear();
  for (const std::string_view name : fields) header_.emplace_back(trim_blanks(name));
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    const std::string& wanted = options_.columns[f];
    if (wanted.empty()) continue;
    const auto found = std::find(header_.begin(), header_.end(), wanted);
    if (found == header_.end()) {
      std::string columns;
      for (const std::string& name : header_)
        columns += (columns.empty() ? "" : ", ") + quote_text(name);
      throw Error(
          error_code::kInvalidConfig, kFieldKeys[f],
          "no column " + quote_text(wanted) + " in the CSV header (columns: " + columns + ")");
    }
    field_column_[f] = static_cast<int>(found - header_.begin());
  }
}

void DatasetLoader::parse_csv(std::string_view text, std::size_t& pos, bool final) {
  FieldValue values[kFieldCount];
  for (;;) {
    const std::size_t start = pos;
    const CsvReader::Status status = csv_.next(text, pos, final);
    if (status == CsvReader::Status::kNeedMore) check_record_size(text.size() - start, csv_.next_line());
    if (status != CsvReader::Status::kRecord) return;
    check_record_size(pos - start, csv_.line());
    ++record_;
    if (csv_.is_blank()) continue;
    const auto& fields = csv_.fields();
    if (!header_read_) {
      read_header(fields);
      header_read_ = true;
      continue;
    }
    if (const CsvSyntaxError* error = csv_.error()) {
      count_row(record_);
      const std::string column = error->field < header_.size()
                                     ? header_[error->field]
                                     : "#" + std::to_string(error->field + 1);
      issue(record_, csv_.line(), column, "csv_syntax", error->message);
      continue;
    }
    if (fields.size() != header_.size()) {
      count_row(record_);
      const std::size_t first_bad = std::min(fields.size(), header_.size());
      const std::string column =
          first_bad < header_.size() ? header_[first_bad] : "#" + std::to_string(first_bad + 1);
      issue(record_, csv_.line(), column, "ragged_row",
            "the row has " + std::to_string(fields.size()) + " fields, the header " +
                std::to_string(header_.size()));
      continue;
    }
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      values[f] = field_column_[f] < 0
                      ? FieldValue{}
                      : FieldValue{FieldValue::Kind::kText,
                                   fields[static_cast<std::size_t>(field_column_[f])], 0};
    }
    add_row(record_, csv_.line(), values);
  }
}

void DatasetLoader::reserve_for_hint(std::size_t consumed_bytes) {
  if (reserved_ || size_hint_ == 0 || consumed_bytes == 0 || dataset_.report_.rows_read < 100)
    return;
  reserved_ = true;
  const double rows_per_byte =
      static_cast<double>(dataset_.report_.rows_read) / static_cast<double>(consumed_bytes);
  const auto rows =
      static_cast<std::size_t>(rows_per_byte * static_cast<double>(size_hint_) * 1.02) + 16;
  Dataset& d = dataset_;
  d.customer_.reserve(rows);
  d.timestamp_.reserve(rows);
  if (!d.amount_.empty()) d.amount_.reserve(rows);
  if (!d.quantity_.empty()) d.quantity_.reserve(rows);
  if (!d.unit_price_.empty()) d.unit_price_.reserve(rows);
  if (!d.score_.empty()) d.score_.reserve(rows);
  if (!d.order_.empty()) d.order_.reserve(rows);
  if (!d.type_.empty()) d.type_.reserve(rows);
}

void DatasetLoader::feed_csv(std::string_view chunk, bool final) {
  if (!csv_delimiter_chosen_) {
    // The delimiter is guessed from the header line, so wait until that line is complete: a first
    // chunk that ends inside it (or is empty) would otherwise decide on part of it.
    carry_.append(chunk);
    if (!final && carry_.find_first_of("\r\n") == std::string::npos) {
      check_record_size(carry_.size(), 1);
      return;
    }
    csv_ = CsvReader(options_.delimiter != 0 ? options_.delimiter : detect_csv_delimiter(carry_));
    csv_delimiter_chosen_ = true;
    chunk = {};
  }
  std::size_t pos = 0;
  if (carry_.empty()) {
    parse_csv(chunk, pos, final);
    consumed_ += pos;
    carry_.assign(chunk.substr(pos));
  } else {
    carry_.append(chunk);
    parse_csv(carry_, pos, final);
    consumed_ += pos;
    carry_.erase(0, pos);
  }
  reserve_for_hint(consumed_);
  if (final && !header_read_)
    throw Error(error_code::kInvalidArgument, "", "the CSV text has no header row");
}

void DatasetLoader::parse_ndjson(std::string_view text, std::size_t& pos, bool final) {
  FieldValue values[kFieldCount];
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      check_record_size(text.size() - pos, ndjson_line_ + 1);
      if (!final) return;
      end = text.size();
    }
    check_record_size(end - pos + (end < text.size() ? 1 : 0), ndjson_line_ + 1);  // with its '\n'
    std::string_view line = text.substr(pos, end - pos);
    pos = end < text.size() ? end + 1 : end;
    ++ndjson_line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (ndjson_line_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (trim_blanks(line).empty()) continue;
    if (ndjson_row_->read(line, options_.columns, values)) {
      add_row(ndjson_line_, ndjson_line_, values);
      continue;
    }
    // Whatever the fast reader leaves (invalid JSON, values of the wrong type, \u escapes): the full
    // parser decides, and words the issue.
    Json object;
    try {
      object = parse_json(line);
    } catch (const Error& error) {
      count_row(ndjson_line_);
      issue(ndjson_line_, ndjson_line_, "", "invalid_json", error.message());
      continue;
    }
    if (!object.is_object()) {
      count_row(ndjson_line_);
      issue(ndjson_line_, ndjson_line_, "", "invalid_json",
            expected_but_got("a JSON object", object));
      continue;
    }
    bool valid = true;
    for (std::size_t f = 0; f < kFieldCount && valid; ++f) {
      values[f] = FieldValue{};
      if (options_.columns[f].empty()) continue;
      const auto member = object.find(options_.columns[f]);
      if (member == object.end() || member->is_null()) continue;
      if (member->is_string()) {
        values[f] = FieldValue{FieldValue::Kind::kText, member->get_ref<const std::string&>(), 0};
      } else if (member->is_number()) {
        values[f] = FieldValue{FieldValue::Kind::kNumber, {}, member->get<double>()};
      } else {
        count_row(ndjson_line_);
        issue(ndjson_line_, ndjson_line_, options_.columns[f], "invalid_value",
              expected_but_got("a string or a number", *member));
        valid = false;
      }
    }
    if (valid) add_row(ndjson_line_, ndjson_line_, values);
  }
}

void DatasetLoader::feed_ndjson(std::string_view chunk, bool final) {
  if (!ndjson_row_) ndjson_row_ = std::make_unique<NdjsonRowReader>();
  std::size_t pos = 0;
  if (carry_.empty()) {
    parse_ndjson(chunk, pos, final);
    consumed_ += pos;
    carry_.assign(chunk.substr(pos));
  } else {
    carry_.append(chunk);
    parse_ndjson(carry_, pos, final);
    consumed_ += pos;
    carry_.erase(0, pos);
  }
  reserve_for_hint(consumed_);
}

void DatasetLoader::add_rows(std::size_t count,
                             const std::function<FieldValue(Field, std::size_t)>& get) {
  FieldValue values[kFieldCount];
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      values[f] = options_.columns[f].empty() ? FieldValue{} : get(static_cast<Field>(f), i);
    }
    add_row(i + 1, i + 1, values);
  }
}

void DatasetLoader::build_orders() {
  Dataset& d = dataset_;
  // Events: purchase/order events are purchases of their value, refund/return events returns of
  // it (the vocabulary of event.hpp); other events are not orders.
  const bool events = d.kind_ == DatasetKind::kEvents;
  std::vector<EventKind> kind_of_type;
  for (std::uint32_t t = 0; t < d.types_.size(); ++t)
    kind_of_type.push_back(event_kind(d.types_[t]));
  const auto line_amount = [&](std::size_t row) {
    const double value = d.amount_.empty() || std::isnan(d.amount_[row]) ? 0.0 : d.amount_[row];
    if (!events) return value;
    return kind_of_type[d.type_[row]] == EventKind::kRefund ? -std::fabs(value) : value;
  };
  const auto is_order_line = [&](std::size_t row) {
    if (d.customer_[row] == Dataset::kGuest) return false;
    if (!events) return true;
    const EventKind kind = kind_of_type[d.type_[row]];
    return kind == EventKind::kPurchase || kind == EventKind::kRefund;
  };
  // A line without an order id (possible for events) is an order of its own.
  const bool by_order_id = !d.order_.empty();
  const auto keyed = [&](std::size_t row) {
    return by_order_id && d.order_[row] != Dataset::kNone;
  };

  // Orders are placed straight into their final position (grouped by customer, in first-seen
  // order) by a counting sort, so no second copy of the order table is ever held.
  // 1. Orders per customer (an order belongs to the customer of its first line).
  const std::size_t customers = d.customers_.size();
  std::vector<std::uint32_t> slot_of_order(by_order_id ? d.order_ids_.size() : 0, Dataset::kNone);
  d.order_begin_.assign(customers + 1, 0);
  for (std::size_t row = 0; row < d.row_count(); ++row) {
    if (!is_order_line(row)) continue;
    if (keyed(row)) {
      std::uint32_t& seen = slot_of_order[d.order_[row]];
      if (seen != Dataset::kNone) continue;
      seen = 0;
    }
    ++d.order_begin_[d.customer_[row] + 1];
  }
  std::partial_sum(d.order_begin_.begin(), d.order_begin_.end(), d.order_begin_.begin());
  // 2. Place each order at its customer's next position; later lines of an order add to it.
  const std::size_t order_count = d.order_begin_.back();
  Dataset::Orders& orders = d.orders_;
  orders.customer.assign(order_count, 0);
  orders.time.assign(order_count, 0);
  orders.amount.assign(order_count, 0);
  std::fill(slot_of_order.begin(), slot_of_order.end(), Dataset::kNone);
  {
    std::vector<std::uint32_t> next(d.order_begin_.begin(), d.order_begin_.end() - 1);
    for (std::size_t row = 0; row < d.row_count(); ++row) {
      if (!is_order_line(row)) continue;
      std::uint32_t slot = keyed(row) ? slot_of_order[d.order_[row]] : Dataset::kNone;
      if (slot == Dataset::kNone) {
        const std::uint32_t customer = d.customer_[row];
        slot = next[customer]++;
        if (keyed(row)) slot_of_order[d.order_[row]] = slot;
        orders.customer[slot] = customer;
        orders.time[slot] = d.timestamp_[row];
        orders.amount[slot] = line_amount(row);
      } else {
        orders.time[slot] = std::min(orders.time[slot], d.timestamp_[row]);
        orders.amount[slot] += line_amount(row);
      }
    }
  }
  slot_of_order = {};
  // 3. Time order within each customer (stable: equal times keep first-seen order).
  std::vector<std::uint32_t> permutation;
  std::vector<TimestampMs> times;
  std::vector<double> amounts;
  for (std::size_t c = 0; c < customers; ++c) {
    const std::size_t begin = d.order_begin_[c];
    const std::size_t end = d.order_begin_[c + 1];
    if (std::is_sorted(orders.time.begin() + begin, orders.time.begin() + end)) continue;
    permutation.resize(end - begin);
    std::iota(permutation.begin(), permutation.end(), static_cast<std::uint32_t>(begin));
    std::stable_sort(permutation.begin(), permutation.end(), [&](std::uint32_t a, std::uint32_t b) {
      return orders.time[a] < orders.time[b];
    });
    times.clear();
    amounts.clear();
    for (const std::uint32_t i : permutation) {
      times.push_back(orders.time[i]);
      amounts.push_back(orders.amount[i]);
    }
    std::copy(times.begin(), times.end(), orders.time.begin() + begin);
    std::copy(amounts.begin(), amounts.end(), orders.amount.begin() + begin);
  }
}

Dataset DatasetLoader::finish() {
  if (!carry_.empty()) {
    // Unreachable after a final chunk: feed_* with final = true consumes everything.
    throw Error(error_code::kInvalidArgument, "",
                "the input ended inside a record (was the last chunk marked final?)");
  }
  // Order ids are only read by code from here on; their index would be the largest block in the
  // heap while the order table is built.
  dataset_.order_ids_.compact();
  build_orders();
  return std::move(dataset_);
}

}  // namespace stageline
