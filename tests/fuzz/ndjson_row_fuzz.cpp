// The fast NDJSON row reader against the full parser, which defines the result.
// Input: one line.
// Invariants: a line the fast reader accepts, parse_json accepts as an object whose mapped members
// are strings, numbers or null, and the values are the same (text byte for byte, numbers bit for
// bit). Mapping: customerId "c", timestamp "t", and amount and score both "a".

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "datasets/ndjson_row.hpp"
#include "fuzz_support.hpp"

using namespace stageline;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string kColumns[kFieldCount] = {"c", "t", "a", "", "", "", "", "a", ""};
  static NdjsonRowReader reader;  // reused across inputs, as the loader reuses it across lines
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  FieldValue values[kFieldCount];
  if (!reader.read(line, kColumns, values)) return 0;
  const std::optional<Json> object = fuzz::parse(line);
  FUZZ_CHECK(object && object->is_object());
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    if (kColumns[f].empty()) continue;
    const auto member = object->find(kColumns[f]);
    if (member == object->end() || member->is_null()) {
      FUZZ_CHECK(values[f].kind == FieldValue::Kind::kMissing);
    } else if (member->is_string()) {
      FUZZ_CHECK(values[f].kind == FieldValue::Kind::kText && values[f].text == member->get_ref<const std::string&>());
    } else {
      FUZZ_CHECK(member->is_number() && values[f].kind == FieldValue::Kind::kNumber);
      const double expected = member->get<double>();
      FUZZ_CHECK(std::memcmp(&expected, &values[f].number, sizeof expected) == 0);
    }
  }
  return 0;
}
