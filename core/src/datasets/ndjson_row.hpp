#pragma once
// The fast path of NDJSON ingest: the mapped members of one line holding a JSON object, read
// without building a JSON tree, into buffers reused from line to line (no allocation per line once
// they have grown). Anything it does not decode itself — invalid JSON, a mapped member that is not
// a string, number or null, \u escapes, numbers beyond a double, deep nesting — it hands back to
// the full parser, which then decides and words the issue exactly as before. So both paths give
// the same values for every line the fast one accepts. Internal to the loader.

#include <string>
#include <string_view>

#include "stageline/datasets/dataset_loader.hpp"

namespace stageline {

class NdjsonRowReader {
 public:
  /// Fills `values` with the members named by `columns[f]` ("" = not mapped, as in IngestOptions)
  /// and returns true, or returns false when the full parser must read the line. Text values are
  /// views into the reader's buffers, valid until the next call.
  bool read(std::string_view line, const std::string (&columns)[kFieldCount],
            FieldValue (&values)[kFieldCount]);

 private:
  std::string key_;                 // the member name being read, unescaped
  std::string text_[kFieldCount];   // unescaped string values of the mapped members
};

}  // namespace stageline
