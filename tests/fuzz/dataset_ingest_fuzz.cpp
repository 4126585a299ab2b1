// Dataset ingest: CSV and NDJSON text of any shape through DatasetLoader, whole and in two chunks.
// Input: the text, then (after a 0x1E separator) the decimal offset where to split it.
// Invariants: only stageline::Error escapes; every row read is loaded, rejected or excluded; the
// dataset and its report do not depend on where the text was split into chunks.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "stageline/datasets/dataset_loader.hpp"

using namespace stageline;

namespace {

struct Outcome {
  bool accepted = false;
  IngestReport report;
  std::size_t customers = 0;
};

Outcome load(bool ndjson, std::string_view text, std::size_t split) {
  Outcome outcome;
  outcome.accepted = fuzz::accepted([&] {
    DatasetLoader loader(IngestOptions::from_json({{"customerId", "customer"},
                                                   {"timestamp", "time"},
                                                   {"amount", "amount"},
                                                   {"orderId", "order"}},
                                                  DatasetKind::kTransactions));
    const auto feed = [&](std::string_view chunk, bool final) {
      ndjson ? loader.feed_ndjson(chunk, final) : loader.feed_csv(chunk, final);
    };
    feed(text.substr(0, split), false);
    feed(text.substr(split), true);
    const Dataset dataset = loader.finish();
    outcome.report = dataset.report();
    outcome.customers = dataset.customer_count();
    FUZZ_CHECK(outcome.report.rows_read ==
               outcome.report.rows_loaded + outcome.report.rows_rejected + outcome.report.rows_excluded);
    FUZZ_CHECK(dataset.row_count() == outcome.report.rows_loaded);
  });
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(data, size, 2);
  const std::string_view text = parts[0];
  const std::size_t split = static_cast<std::size_t>(fuzz::time_from(parts[1], 0)) % (text.size() + 1);
  for (const bool ndjson : {false, true}) {
    const Outcome whole = load(ndjson, text, text.size());
    const Outcome chunked = load(ndjson, text, split);
    FUZZ_CHECK(whole.accepted == chunked.accepted);
    if (!whole.accepted) continue;
    FUZZ_CHECK(whole.report.rows_read == chunked.report.rows_read);
    FUZZ_CHECK(whole.report.rows_loaded == chunked.report.rows_loaded);
    FUZZ_CHECK(whole.report.rows_rejected == chunked.report.rows_rejected);
    FUZZ_CHECK(whole.customers == chunked.customers);
  }
  return 0;
}
