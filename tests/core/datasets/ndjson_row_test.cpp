// The fast NDJSON row reader against the full parser, which is the definition: for every line the
// fast reader accepts, parse_json must accept it too and give the same values (text byte for byte,
// numbers bit for bit); lines it cannot decide it must hand back. Cases: hand-picked edges, then
// random objects and random corruptions of them.

#include "datasets/ndjson_row.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "stageline/common/error.hpp"
#include "stageline/json/json.hpp"

using namespace stageline;

namespace {

// Columns: customerId "c", timestamp "t", amount "a", score "a" too (one column, two fields).
const std::string kColumns[kFieldCount] = {"c", "t", "a", "", "", "", "", "a", ""};

enum class Verdict { kSlow, kFast };

// What the loader's full path makes of `line`: kSlow when it would report an issue.
Verdict reference(const std::string& line, FieldValue (&values)[kFieldCount], Json& holder) {
  for (FieldValue& value : values) value = FieldValue{};
  try {
    holder = parse_json(line);
  } catch (const Error&) {
    return Verdict::kSlow;
  }
  if (!holder.is_object()) return Verdict::kSlow;
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (kColumns[f].empty()) continue;
    const auto member = holder.find(kColumns[f]);
    if (member == holder.end() || member->is_null()) continue;
    if (member->is_string())
      values[f] = FieldValue{FieldValue::Kind::kText, member->get_ref<const std::string&>(), 0};
    else if (member->is_number())
      values[f] = FieldValue{FieldValue::Kind::kNumber, {}, member->get<double>()};
    else
      return Verdict::kSlow;
  }
  return Verdict::kFast;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Checks the fast reader on `line`; returns whether it accepted the line.
bool agrees(NdjsonRowReader& reader, const std::string& line) {
  FieldValue fast[kFieldCount];
  FieldValue slow[kFieldCount];
  Json holder;
  const bool accepted = reader.read(line, kColumns, fast);
  const Verdict verdict = reference(line, slow, holder);
  INFO("line: " << line);
  if (!accepted) return false;
  REQUIRE(verdict == Verdict::kFast);  // never accepts what the parser refuses
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    INFO("field " << f);
    REQUIRE(static_cast<int>(fast[f].kind) == static_cast<int>(slow[f].kind));
    if (fast[f].kind == FieldValue::Kind::kText) REQUIRE(fast[f].text == slow[f].text);
    if (fast[f].kind == FieldValue::Kind::kNumber) REQUIRE(same_bits(fast[f].number, slow[f].number));
  }
  return true;
}

}  // namespace

TEST_CASE("ndjson rows: ordinary lines take the fast path with the parser's values") {
  NdjsonRowReader reader;
  const std::vector<std::string> accepted = {
      R"({"c":"u1","t":"2024-01-05T10:00:00Z","a":12.5})",
      R"(  { "c" : "u1" , "t" : 1704448800000 , "a" : -0 , "x" : {"deep": [1, {"y": null}, "z"]} }  )",
      R"({"c":"Zoë \"the\" café\\x\/y\n","t":"2024-01-05","a":1e2,"props":{"k":[true,false,null]}})",
      R"({"c":"😀","t":"2024-01-05","a":-12.50E-1,"a":7})",  // a repeated member: the last wins
      R"({"c":null,"t":"2024-01-05","a":123456789012345678901234567890})",
      R"({})",
      R"({"other":1})",
  };
  for (const std::string& line : accepted) {
    INFO(line);
    CHECK(agrees(reader, line));
  }
}

TEST_CASE("ndjson rows: what the fast path leaves to the full parser") {
  NdjsonRowReader reader;
  const std::vector<std::string> handed_back = {
      R"({"c":"u1","t":"2024-01-05","a":true})",        // a mapped boolean: an issue
      R"({"c":["u1"],"t":"2024-01-05","a":1})",         // a mapped array
      R"({"c":"\u00e9","t":"2024-01-05","a":1})",       // \u escapes are the parser's
      R"({"c":"u1","t":"2024-01-05","a":1e400})",       // beyond a double
      R"({"c":"u1","t":"2024-01-05","a":01})",          // not JSON
      R"({"c":"u1","t":"2024-01-05","a":1,})",          // trailing comma
      R"({"c":"u1","t":"2024-01-05","a":1} x)",         // text after the object
      R"(["c","u1"])",                                  // not an object
      "{\"c\":\"u\x01\",\"a\":1}",                      // an unescaped control character
      "{\"c\":\"\xC3\x28\",\"a\":1}",                   // invalid UTF-8
      "{\"c\":\"\xED\xA0\x80\",\"a\":1}",               // an encoded surrogate
      "{\"c\":\"\xE0\x80\xAF\",\"a\":1}",               // an overlong form
      R"({"c":"u1","x":)" + std::string(40, '[') + std::string(40, ']') + "}",  // deeper than 32
  };
  for (const std::string& line : handed_back) {
    INFO(line);
    CHECK_FALSE(agrees(reader, line));
  }
}

TEST_CASE("ndjson rows: random objects and corruptions agree with the parser") {
  std::mt19937 random(20261123);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const std::vector<std::string> keys = {"c", "t", "a", "x", "props", "c\\\"", ""};
  const std::vector<std::string> scalars = {
      "0", "-0", "-0.0", "1", "-17", "3.25", "1e3", "1E-3", "-2.5e+2", "12345678901234567",
      "9007199254740993", "0.1", "1e308", "5e-324", "1e-400", "\"\"", "\"u1\"", "\"Zoë\"",
      "\"a\\\\b\\\"c\\/\\t\"", "\"😀 €\"", "\"2024-01-05T10:00:00Z\"", "true", "false", "null"};
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    const std::size_t kind = depth > 3 ? 0 : pick(6);
    if (kind <= 3) return scalars[pick(scalars.size())];
    std::string text = kind == 4 ? "[" : "{";
    const std::size_t n = pick(3);
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) text += ",";
      if (kind == 5) text += "\"" + keys[pick(keys.size())] + "\":";
      text += value(depth + 1);
    }
    return text + (kind == 4 ? "]" : "}");
  };
  const std::string noise = " \t,:{}[]\"\\0123456789.eE+-nultrfase\x01\x80\xC3\xA9";
  NdjsonRowReader reader;  // one reader throughout, as the loader uses it
  std::size_t accepted = 0;
  for (int round = 0; round < 40'000; ++round) {
    std::string line = "{";
    const std::size_t members = pick(5);
    for (std::size_t i = 0; i < members; ++i) {
      if (i > 0) line += pick(4) == 0 ? " , " : ",";
      line += "\"" + keys[pick(keys.size())] + "\"" + (pick(4) == 0 ? " : " : ":") + value(1);
    }
    line += "}";
    if (round % 2 == 1) {  // corrupt: insert, delete or replace a few bytes
      for (std::size_t edits = 1 + pick(3); edits > 0 && !line.empty(); --edits) {
        const std::size_t at = pick(line.size());
        switch (pick(3)) {
          case 0: line.insert(at, 1, noise[pick(noise.size())]); break;
          case 1: line.erase(at, 1); break;
          default: line[at] = noise[pick(noise.size())];
        }
      }
    }
    if (agrees(reader, line)) ++accepted;
  }
  // Most uncorrupted lines (all but those with mapped booleans, arrays or objects, or 1e-400-like
  // edge values the parser also reads) take the fast path.
  CHECK(accepted > 10'000);
}
