// Loading datasets: mapping, policies (guests, cancellations, zero amounts, non-product lines),
// issues with row and column, strict mode, chunked input, NDJSON and columns. Expected values are
// read off the small inputs by hand (the comments show how).

#include "stageline/datasets/dataset_loader.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "stageline/common/error.hpp"

using namespace stageline;

namespace {

Dataset load_csv(const std::string& text, const Json& mapping,
                 DatasetKind kind = DatasetKind::kTransactions, std::size_t chunk = 0) {
  DatasetLoader loader(IngestOptions::from_json(mapping, kind));
  if (chunk == 0) {
    loader.feed_csv(text, true);
  } else {
    for (std::size_t pos = 0; pos < text.size(); pos += chunk) {
      loader.feed_csv(std::string_view(text).substr(pos, chunk), pos + chunk >= text.size());
    }
  }
  return loader.finish();
}

TimestampMs at(const char* iso) { return *parse_timestamp(iso); }

// UCI Online Retail style: order lines, M/D/YYYY times, "C" cancellations, postage lines.
const std::string kRetail =
    "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"  // row 1
    "536365,A,6,12/1/2010 8:26,2.55,17850\n"                           // row 2
    "536365,B,2,12/1/2010 8:26,3.39,17850\n"                           // row 3
    "C536379,A,-1,12/1/2010 9:41,2.55,17850\n"                         // row 4: return
    "536370,POST,3,12/1/2010 8:45,18,12583\n"                          // row 5: postage, excluded
    "536371,A,1,12/1/2010 9:00,0,12583\n"       // row 6: zero price, excluded
    "536372,A,2,12/1/2010 9:01,1.5,\n"          // row 7: guest
    "536373,A,x,12/1/2010 9:02,1.5,12583\n"     // row 8: bad quantity
    "536374,A,1,13/1/2010 9:02,1.5,12583\n"     // row 9: month 13
    "536375,A,1,12/2/2010 10:00,4.25,12583\n";  // row 10

const Json kRetailMapping = {{"customerId", "CustomerID"},  {"timestamp", "InvoiceDate"},
                             {"quantity", "Quantity"},      {"unitPrice", "UnitPrice"},
                             {"orderId", "InvoiceNo"},      {"product", "StockCode"},
                             {"excludeProducts", {"POST"}}, {"timestampFormat", "mdy"}};

}  // namespace

TEST_CASE("dataset: UCI-style transactions, policies and issues") {
  const Dataset d = load_csv(kRetail, kRetailMapping);
  const IngestReport& r = d.report();
  CHECK(r.rows_read == 9);
  CHECK(r.rows_loaded == 5);  // rows 2, 3, 4, 7, 10
  CHECK(d.row_count() == 5);
  CHECK(r.rows_rejected == 2);
  CHECK(r.rows_excluded == 2);
  CHECK(r.issue_count == 4);
  CHECK(r.guest_rows == 1);
  CHECK(r.return_rows == 1);
  CHECK(d.customer_count() == 2);
  CHECK(d.customer_ids()[0] == "17850");
  CHECK(d.customer_ids()[1] == "12583");
  CHECK(d.customer()[3] == Dataset::kGuest);

  REQUIRE(r.issues.size() == 4);
  CHECK(r.issues[0].row == 5);
  CHECK(r.issues[0].column == "StockCode");
  CHECK(r.issues[0].reason == "non_product");
  CHECK(r.issues[0].excluded);
  CHECK(r.issues[1].row == 6);
  CHECK(r.issues[1].column == "UnitPrice");
  CHECK(r.issues[1].reason == "zero_amount");
  CHECK(r.issues[2].row == 8);
  CHECK(r.issues[2].column == "Quantity");
  CHECK(r.issues[2].reason == "invalid_number");
  CHECK(r.issues[2].message == "expected a number, got \"x\"");
  CHECK_FALSE(r.issues[2].excluded);
  CHECK(r.issues[3].row == 9);
  CHECK(r.issues[3].column == "InvoiceDate");
  CHECK(r.issues[3].reason == "invalid_timestamp");

  // Lines: 6 × 2.55 = 15.30, 2 × 3.39 = 6.78, −1 × 2.55 = −2.55, guest 2 × 1.5 = 3, 1 × 4.25.
  REQUIRE(d.amount().size() == 5);
  CHECK(d.amount()[0] == Approx(15.30));
  CHECK(d.amount()[2] == Approx(-2.55));
  CHECK(d.quantity()[2] == -1);
  CHECK(d.timestamp()[0] == at("2010-12-01T08:26:00Z"));
  CHECK(d.timestamp()[4] == at("2010-12-02T10:00:00Z"));

  // Orders: 17850 has 536365 (15.30 + 6.78 = 22.08) and the return C536379 (−2.55); 12583 has
  // 536375 (4.25). The guest's order is not an order of any customer.
  const auto& orders = d.orders();
  REQUIRE(orders.size() == 3);
  CHECK(d.order_begin() == std::vector<std::uint32_t>{0, 2, 3});
  CHECK(orders.customer[0] == 0);
  CHECK(orders.amount[0] == Approx(22.08));
  CHECK(orders.time[0] == at("2010-12-01T08:26:00Z"));
  CHECK(orders.is_purchase(0));
  CHECK(orders.amount[1] == Approx(-2.55));
  CHECK_FALSE(orders.is_purchase(1));
  CHECK(orders.customer[2] == 1);
  CHECK(orders.amount[2] == Approx(4.25));
}

TEST_CASE("dataset: strict mode throws at the first invalid row, naming row and column") {
  Json mapping = kRetailMapping;
  mapping["strict"] = true;
  try {
    load_csv(kRetail, mapping);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == "invalid_argument");
    CHECK(e.path() == "row 8, column \"Quantity\"");
    CHECK(std::string(e.what()) == "row 8, column \"Quantity\": expected a number, got \"x\"");
  }
}

TEST_CASE("dataset: every chunk size gives the same dataset") {
  const Dataset whole = load_csv(kRetail, kRetailMapping);
  for (std::size_t chunk : {1, 2, 3, 7, 16, 50}) {
    INFO("chunk " << chunk);
    const Dataset d = load_csv(kRetail, kRetailMapping, DatasetKind::kTransactions, chunk);
    CHECK(d.row_count() == whole.row_count());
    CHECK(d.timestamp() == whole.timestamp());
    CHECK(d.amount() == whole.amount());
    CHECK(d.report().issue_count == whole.report().issue_count);
    CHECK(d.report().issues.back().row == 9);
  }
}

TEST_CASE("dataset: ragged rows, CSV syntax errors, BOM, CRLF, semicolons and decimal commas") {
  // Row 3 spans lines 3-4 (quoted line break), so row 4 starts on line 5. Row 4 is short, row 5
  // has a stray quote, row 6 has an extra field.
  const std::string text =
      "\xEF\xBB\xBF"
      "klant;datum;bedrag;notitie\r\n"
      "k1;2024-01-05;12,50;ok\r\n"
      "k2;2024-01-06T10:00:00+02:00;3;\"twee\r\nregels\"\r\n"
      "k3;2024-01-07\r\n"
      "k4;2024-01-07;\"1\"x;n\r\n"
      "k5;2024-01-08;4;n;extra\r\n";
  const Json mapping = {{"customerId", "klant"},
                        {"timestamp", "datum"},
                        {"amount", "bedrag"},
                        {"decimalComma", true}};
  const Dataset d = load_csv(text, mapping);
  const auto& issues = d.report().issues;
  REQUIRE(d.row_count() == 2);
  CHECK(d.amount()[0] == 12.5);
  CHECK(d.timestamp()[1] == at("2024-01-06T08:00:00Z"));
  REQUIRE(issues.size() == 3);
  CHECK(issues[0].row == 4);
  CHECK(issues[0].line == 5);
  CHECK(issues[0].column == "bedrag");  // the first missing field
  CHECK(issues[0].reason == "ragged_row");
  CHECK(issues[0].message == "the row has 2 fields, the header 4");
  CHECK(issues[1].row == 5);
  CHECK(issues[1].column == "bedrag");
  CHECK(issues[1].reason == "csv_syntax");
  CHECK(issues[2].row == 6);
  CHECK(issues[2].column == "#5");
  CHECK(issues[2].reason == "ragged_row");
}

TEST_CASE("dataset: mapping errors name the key") {
  const auto error_of = [](const Json& mapping, DatasetKind kind) {
    try {
      load_csv("a,b\n1,2\n", mapping, kind);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of({{"customerId", "a"}, {"timestamp", "b"}}, DatasetKind::kTransactions) ==
        "amount: required: the column holding the line amount, or map quantity and unitPrice");
  CHECK(error_of({{"customerId", "a"}, {"timestamp", "b"}, {"amount", "c"}},
                 DatasetKind::kTransactions) ==
        "amount: no column \"c\" in the CSV header (columns: \"a\", \"b\")");
  CHECK(error_of({{"customerId", "a"}, {"timestamp", "b"}, {"typ", "c"}}, DatasetKind::kEvents)
            .rfind("typ: unknown mapping key", 0) == 0);
  CHECK(error_of({{"customerId", "a"}, {"timestamp", "b"}}, DatasetKind::kEvents) ==
        "type: required: the column holding the event type");
  CHECK(error_of({{"customerId", "a"}, {"timestamp", "b"}, {"amount", "a"}, {"zeroAmount", "drop"}},
                 DatasetKind::kTransactions) == "zeroAmount: expected \"exclude\" or \"keep\"");
}

TEST_CASE("dataset: NDJSON events with numeric ids, epoch times, scores and bad lines") {
  const std::string text =
      "{\"user\": 42, \"event\": \"signup\", \"ts\": 1704067200000}\n"  // line 1
      "\n"                                                              // line 2: blank
      "{\"user\": \"42\", \"event\": \"nps\", \"ts\": \"2024-01-02\", \"s\": 9}\r\n"  // line 3
      "{\"user\": \"7\", \"event\": \"nps\", \"ts\": \"2024-01-02\", \"s\": 11}\n"    // line 4: out
                                                                                      // of range
      "{\"user\": \"7\", \"event\": \"csat\", \"ts\": \"2024-01-03\"\n"  // line 5: not JSON
      "{\"event\": \"page_view\", \"ts\": \"2024-01-03\"}\n"             // line 6: anonymous
      "[1, 2]\n"                                                         // line 7: not an object
      "{\"user\": true, \"event\": \"x\", \"ts\": 0}";                   // line 8: bad id type
  DatasetLoader loader(IngestOptions::from_json(
      {{"customerId", "user"}, {"type", "event"}, {"timestamp", "ts"}, {"score", "s"}},
      DatasetKind::kEvents));
  loader.feed_ndjson(text, true);
  const Dataset d = loader.finish();
  CHECK(d.row_count() == 3);       // lines 1, 3, 6
  CHECK(d.customer_count() == 1);  // 42 and "42" are one customer
  CHECK(d.report().guest_rows == 1);
  CHECK(d.timestamp()[0] == at("2024-01-01"));
  CHECK(std::isnan(d.score()[0]));
  CHECK(d.score()[1] == 9);
  CHECK(d.types()[d.type()[1]] == "nps");
  const auto& issues = d.report().issues;
  REQUIRE(issues.size() == 4);
  CHECK(issues[0].row == 4);
  CHECK(issues[0].column == "s");
  CHECK(issues[0].reason == "out_of_range");
  CHECK(issues[0].message == "expected a nps score from 0 to 10, got 11");
  CHECK(issues[1].row == 5);
  CHECK(issues[1].reason == "invalid_json");
  CHECK(issues[2].row == 7);
  CHECK(issues[3].row == 8);
  CHECK(issues[3].column == "user");
  CHECK(issues[3].message == "expected a string or a number, got true");
}

TEST_CASE("dataset: columns, epoch seconds, progress and the issue cap") {
  IngestOptions options = IngestOptions::from_json({{"customerId", "id"},
                                                    {"timestamp", "t"},
                                                    {"amount", "a"},
                                                    {"timestampFormat", "epoch_s"},
                                                    {"progressEvery", 2},
                                                    {"maxIssues", 1}},
                                                   DatasetKind::kTransactions);
  std::vector<std::size_t> progress;
  options.progress = [&](std::size_t rows) { progress.push_back(rows); };
  DatasetLoader loader(std::move(options));
  const std::vector<std::string> ids = {"a", "b", "", "a", "c"};
  const std::vector<double> times = {86400, 2 * 86400, 3 * 86400, NAN, 5 * 86400};
  const std::vector<double> amounts = {10, 20, 30, 40, INFINITY};
  loader.add_rows(5, [&](Field field, std::size_t i) {
    if (field == Field::kCustomerId) return FieldValue{FieldValue::Kind::kText, ids[i], 0};
    if (field == Field::kTimestamp) return FieldValue{FieldValue::Kind::kNumber, {}, times[i]};
    return FieldValue{FieldValue::Kind::kNumber, {}, amounts[i]};
  });
  const Dataset d = loader.finish();
  CHECK(d.row_count() == 3);
  CHECK(d.timestamp()[1] == 2 * kMsPerDay);
  CHECK(d.report().issue_count == 2);      // row 4 (time NaN), row 5 (amount Infinity)
  REQUIRE(d.report().issues.size() == 1);  // capped at maxIssues
  CHECK(d.report().issues[0].row == 4);
  CHECK(d.report().issues_by_reason.size() == 2);
  CHECK(progress == std::vector<std::size_t>{2, 4});
}

TEST_CASE("dataset: amounts read exactly as strtod reads them") {
  // The loader reads plain decimals on a fast path; every value must be the double strtod gives.
  std::string text = "id,t,amount\n";
  std::vector<std::string> amounts = {
      "0.1", "-0.3", "12.50", "199.99", "123456789012345",  "0.000000000000000000001",
      "1e3", "+7",   ".5",    "5.",     "9007199254740993", "1234567890.123456789"};
  std::uint64_t seed = 42;
  for (int i = 0; i < 2000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto cents = static_cast<long long>(seed >> 40) - (1LL << 23);
    amounts.push_back(std::to_string(cents / 100) + "." +
                      std::to_string(100 + std::llabs(cents % 100)).substr(1));
  }
  for (const auto& amount : amounts) text += "c," + std::string("2024-01-01,") + amount + "\n";
  const Dataset d = load_csv(
      text,
      {{"customerId", "id"}, {"timestamp", "t"}, {"amount", "amount"}, {"zeroAmount", "keep"}});
  REQUIRE(d.row_count() == amounts.size());
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    INFO(amounts[i]);
    CHECK(d.amount()[i] == std::strtod(amounts[i].c_str(), nullptr));
  }
}

TEST_CASE("string dictionary: compact keeps codes and lookups working") {
  StringDictionary dictionary;
  CHECK(dictionary.intern("x") == 0);
  CHECK(dictionary.intern("yy") == 1);
  CHECK(dictionary.intern("x") == 0);
  dictionary.compact();
  CHECK(dictionary[1] == "yy");
  CHECK(dictionary.find("yy") == 1u);
  CHECK_FALSE(dictionary.find("z"));
  CHECK(dictionary.intern("z") == 2);  // rebuilds the index first
  CHECK(dictionary.intern("x") == 0);
  CHECK(dictionary.size() == 3);
}

TEST_CASE("dataset: the delimiter is guessed from the whole header line, however the text is chunked") {
  // Found by dataset_ingest_fuzz: an empty first chunk (or one ending inside the header) made the
  // delimiter guess see no ';' and fall back to ','.
  const std::string text = "\xEF\xBB\xBF" "customer;time;amount\r\na;2024-01-05;10\r\nb;2024-01-06;20\r\n";
  const Json mapping = {{"customerId", "customer"}, {"timestamp", "time"}, {"amount", "amount"}};
  const Dataset whole = load_csv(text, mapping);
  REQUIRE(whole.row_count() == 2);
  for (std::size_t chunk : {1, 3, 9}) {
    INFO("chunk " << chunk);
    const Dataset d = load_csv(text, mapping, DatasetKind::kTransactions, chunk);
    CHECK(d.row_count() == 2);
    CHECK(d.amount() == whole.amount());
  }
  DatasetLoader loader(IngestOptions::from_json(mapping, DatasetKind::kTransactions));
  loader.feed_csv("", false);
  loader.feed_csv(text, true);
  CHECK(loader.finish().amount() == whole.amount());
}

namespace {

// "code @ path" of the error loading `text` in chunks of `chunk` bytes (0 = whole), or "no error".
std::string limit_error(const std::string& text, const Json& mapping, std::size_t chunk,
                        bool ndjson = false) {
  try {
    DatasetLoader loader(IngestOptions::from_json(mapping, DatasetKind::kTransactions));
    const std::size_t step = chunk == 0 ? text.size() + 1 : chunk;
    for (std::size_t pos = 0; pos == 0 || pos < text.size(); pos += step) {
      const std::string_view part = std::string_view(text).substr(pos, step);
      const bool final = pos + step >= text.size();
      ndjson ? loader.feed_ndjson(part, final) : loader.feed_csv(part, final);
    }
    loader.finish();
  } catch (const Error& e) {
    return e.code() + " @ " + e.path();
  }
  return "no error";
}

const Json kSmallMapping = {{"customerId", "c"}, {"timestamp", "t"}, {"amount", "a"}};

}  // namespace

TEST_CASE("dataset limits: rows, header columns and record length fail where they are passed") {
  // Four data rows (rows 2-5 of the file); maxRows 3 refuses the fourth, i.e. file row 5.
  const std::string four = "c,t,a\nx,2024-01-01,1\ny,2024-01-02,2\nz,2024-01-03,3\nw,2024-01-04,4\n";
  Json mapping = kSmallMapping;
  mapping["maxRows"] = 4;
  CHECK(limit_error(four, mapping, 0) == "no error");
  mapping["maxRows"] = 3;
  for (std::size_t chunk : {0, 1, 5}) CHECK(limit_error(four, mapping, chunk) == "limit_exceeded @ row 5");

  // Five header columns against maxColumns 4.
  mapping = kSmallMapping;
  mapping["maxColumns"] = 4;
  CHECK(limit_error("c,t,a,d,e\nx,2024-01-01,1,,\n", mapping, 0) == "limit_exceeded @ header");
  mapping["maxColumns"] = 5;
  CHECK(limit_error("c,t,a,d,e\nx,2024-01-01,1,,\n", mapping, 0) == "no error");

  // An unclosed quote on line 3 swallows the rest of the file: with maxRecordBytes 64 the loader
  // stops where that record starts instead of carrying the whole file between chunks.
  std::string unclosed = "c,t,a\nx,2024-01-01,1\n\"y,2024-01-02,2\n";
  for (int i = 0; i < 20; ++i) unclosed += "z,2024-01-03,3\n";  // 15 bytes a line
  mapping = kSmallMapping;
  mapping["maxRecordBytes"] = 64;
  for (std::size_t chunk : {0, 7, 32}) {
    INFO("chunk " << chunk);
    CHECK(limit_error(unclosed, mapping, chunk) == "limit_exceeded @ line 3");
  }
  // A header line longer than the limit fails while the delimiter is still being guessed.
  CHECK(limit_error(std::string(100, 'c') + ",t,a\n", mapping, 10) == "limit_exceeded @ line 1");
  // Sizes count the line end; a record of exactly the limit passes: "x,2024-01-01,1\n" is 15 bytes.
  mapping["maxRecordBytes"] = 15;
  CHECK(limit_error("c,t,a\nx,2024-01-01,1\n", mapping, 4) == "no error");
  mapping["maxRecordBytes"] = 14;
  CHECK(limit_error("c,t,a\nx,2024-01-01,1\n", mapping, 4) == "limit_exceeded @ line 2");

  // NDJSON: the line number of the over-long line. Line 2 is 41 bytes with its line end.
  const std::string ndjson =
      "{\"c\":\"x\",\"t\":\"2024-01-01\",\"a\":1}\n{\"c\":\"y\",\"t\":\"2024-01-02\",\"a\":2,\"pad\":1}\n";
  mapping = kSmallMapping;
  mapping["maxRecordBytes"] = 40;
  CHECK(limit_error(ndjson, mapping, 0, true) == "limit_exceeded @ line 2");
  CHECK(limit_error(ndjson, mapping, 6, true) == "limit_exceeded @ line 2");
  mapping["maxRecordBytes"] = 41;
  CHECK(limit_error(ndjson, mapping, 6, true) == "no error");
}
