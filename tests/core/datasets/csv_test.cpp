// CsvReader: RFC 4180 records, fed whole and in every possible two-chunk split.

#include "stageline/datasets/csv.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using stageline::CsvReader;

namespace {

struct Record {
  std::vector<std::string> fields;
  std::size_t line;
  std::string error;  // "" when well-formed
};

std::vector<Record> read_chunks(const std::vector<std::string>& chunks, char delimiter = ',') {
  CsvReader reader(delimiter);
  std::vector<Record> records;
  std::string pending;
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    pending += chunks[c];
    const bool final = c + 1 == chunks.size();
    std::size_t pos = 0;
    while (reader.next(pending, pos, final) == CsvReader::Status::kRecord) {
      Record record{{}, reader.line(), reader.error() ? reader.error()->message : ""};
      for (const auto field : reader.fields()) record.fields.emplace_back(field);
      records.push_back(record);
    }
    pending.erase(0, pos);
  }
  return records;
}

std::vector<Record> read_all(const std::string& text, char delimiter = ',') {
  return read_chunks({text}, delimiter);
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("csv: plain, quoted, escaped quotes, embedded line breaks") {
  const std::string text =
      "id,name,note\n"
      "1,Ann,plain\n"
      "2,\"Smith, Bob\",\"he said \"\"hi\"\"\"\n"
      "3,\"two\nlines\",x\n"
      "4,,\"\"\n";
  const auto records = read_all(text);
  REQUIRE(records.size() == 5);
  CHECK(records[0].fields == Fields{"id", "name", "note"});
  CHECK(records[1].fields == Fields{"1", "Ann", "plain"});
  CHECK(records[2].fields == Fields{"2", "Smith, Bob", "he said \"hi\""});
  CHECK(records[3].fields == Fields{"3", "two\nlines", "x"});
  CHECK(records[4].fields == Fields{"4", "", ""});
  // Lines: the record after the embedded break starts on line 6, not 5.
  CHECK(records[3].line == 4);
  CHECK(records[4].line == 6);
  for (const auto& record : records) CHECK(record.error.empty());
}

TEST_CASE("csv: CRLF, lone CR, BOM, no final line break, other delimiters") {
  auto records = read_all(
      "\xEF\xBB\xBF"
      "a;b\r\n1;\"x\r\ny\"\r\n2;z");
  // Read with ',' the quote is not at a field start, so the CRLF inside it ends a record: 4
  // records.
  REQUIRE(records.size() == 4);
  CHECK(records[0].fields == Fields{"a;b"});  // one field, BOM gone
  records = read_all(
      "\xEF\xBB\xBF"
      "a;b\r\n1;\"x\r\ny\"\r\n2;z",
      ';');
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"a", "b"});
  CHECK(records[1].fields == Fields{"1", "x\r\ny"});
  CHECK(records[2].fields == Fields{"2", "z"});
  CHECK(records[2].line == 4);
  records = read_all("a\tb\rc\td\r", '\t');
  REQUIRE(records.size() == 2);
  CHECK(records[1].fields == Fields{"c", "d"});
  CHECK(records[1].line == 2);
  // A trailing delimiter is one more empty field.
  records = read_all("a,b,\n");
  CHECK(records[0].fields == Fields{"a", "b", ""});
}

TEST_CASE("csv: malformed records are reported with the field") {
  auto records = read_all("a,b\n1,\"x\"y\n2,3\n");
  REQUIRE(records.size() == 3);
  CHECK(records[1].error.find("after a closing quote") != std::string::npos);
  CHECK(records[2].fields == Fields{"2", "3"});
  CHECK(records[2].error.empty());
  records = read_all("a,b\n1,\"open\n2,3\n");
  REQUIRE(records.size() == 2);
  CHECK(records[1].error.find("not closed") != std::string::npos);
  CHECK(records[1].fields == Fields{"1", "open\n2,3\n"});
  // A quote inside an unquoted field is kept literally.
  records = read_all("size\n12\" pipe\n");
  CHECK(records[1].fields == Fields{"12\" pipe"});
}

TEST_CASE("csv: any split into two chunks gives the same records") {
  const std::string text =
      "\xEF\xBB\xBF"
      "id,v\r\n1,\"a \"\"q\"\"\r\nb\"\r\n2,c\r\n\r\n3,\"\"\n";
  const auto whole = read_all(text);
  REQUIRE(whole.size() == 5);  // header, 1, 2, blank line, 3
  for (std::size_t split = 0; split <= text.size(); ++split) {
    const auto parts = read_chunks({text.substr(0, split), text.substr(split)});
    REQUIRE(parts.size() == whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
      INFO("split at " << split << ", record " << i);
      CHECK(parts[i].fields == whole[i].fields);
      CHECK(parts[i].line == whole[i].line);
    }
  }
  CHECK(whole[1].fields == Fields{"1", "a \"q\"\r\nb"});
}

TEST_CASE("csv: delimiter detection looks at the header line outside quotes") {
  CHECK(stageline::detect_csv_delimiter("a;b;c\n1,2;3") == ';');
  CHECK(stageline::detect_csv_delimiter("\"x,y,z\"\tb\n") == '\t');
  CHECK(stageline::detect_csv_delimiter("a|b\n") == '|');
  CHECK(stageline::detect_csv_delimiter("single\n") == ',');
}

TEST_CASE("csv: random text reads the same whole and in random chunks") {
  // Any text (stray quotes, lone CRs, unterminated fields) must read without crashing, and the
  // records must not depend on where the chunks are cut.
  const char alphabet[] = {'a', 'b', ',', '"', '\n', '\r', ' '};
  std::uint64_t seed = 1;
  const auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t length = next() % 60;
    for (std::size_t i = 0; i < length; ++i) text += alphabet[next() % sizeof alphabet];
    std::vector<std::string> chunks;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t size = 1 + next() % 8;
      chunks.push_back(text.substr(pos, size));
      pos += size;
    }
    if (chunks.empty()) chunks.emplace_back();
    const auto whole = read_all(text);
    const auto parts = read_chunks(chunks);
    INFO("text " << text);
    REQUIRE(parts.size() == whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
      CHECK(parts[i].fields == whole[i].fields);
      CHECK(parts[i].line == whole[i].line);
      CHECK(parts[i].error == whole[i].error);
    }
  }
}
