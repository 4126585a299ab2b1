// Embind bindings for datasets: text arrives in chunks (each crossing once as a string), columns as
// typed arrays plus string dictionaries; results leave as JSON text (small aggregates) or typed
// arrays (per-customer values), always copies. web/src/datasets/dataset.js wraps them.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/convert.hpp"
#include "common/guard.hpp"
#include "predictive/btyd_summary_value.hpp"
#include "stageline/datasets/dataset_loader.hpp"
#include "stageline/metrics/cohorts.hpp"
#include "stageline/metrics/dataset_lifecycle.hpp"
#include "stageline/metrics/dataset_purchases.hpp"
#include "stageline/metrics/funnel.hpp"
#include "stageline/metrics/kpis.hpp"
#include "stageline/metrics/rfm.hpp"
#include "stages/stage_model_handle.hpp"

namespace stageline::wasm {
namespace {

Json report_json(const IngestReport& report) {
  Json issues = Json::array();
  for (const IngestIssue& issue : report.issues) {
    issues.push_back({{"row", issue.row},
                      {"line", issue.line},
                      {"column", issue.column},
                      {"reason", issue.reason},
                      {"message", issue.message},
                      {"excluded", issue.excluded}});
  }
  Json by_reason = Json::object();
  for (const auto& [reason, count] : report.issues_by_reason) by_reason[reason] = count;
  return {{"rowsRead", report.rows_read},
          {"rowsLoaded", report.rows_loaded},
          {"rowsRejected", report.rows_rejected},
          {"rowsExcluded", report.rows_excluded},
          {"guestRows", report.guest_rows},
          {"returnRows", report.return_rows},
          {"issueCount", report.issue_count},
          {"issuesByReason", by_reason},
          {"issues", issues}};
}

Json customer_ids_json(const Dataset& dataset, const std::vector<std::uint32_t>& codes) {
  Json ids = Json::array();
  for (const std::uint32_t code : codes) ids.push_back(dataset.customer_ids()[code]);
  return ids;
}

class DatasetHandle {
 public:
  explicit DatasetHandle(Dataset dataset) : dataset_(std::move(dataset)) {}

  std::size_t rowCount() const { return dataset_.row_count(); }
  std::size_t customerCount() const { return dataset_.customer_count(); }
  std::string report() const {
    return write_json(report_json(dataset_.report()));
  }

  /// {value: lifetimes summary columns (btyd_summary_value.hpp) of the dataset's purchases, with
  /// customerIds as JSON text} or {error}. `calibration_end_ms` NaN = no calibration/holdout split.
  emscripten::val summary(const std::string& period, double observation_end_ms, double calibration_end_ms) const {
    return guard_value([&] {
      const PurchaseColumns purchases = purchase_columns(dataset_);
      emscripten::val out = summary_value(purchases.view(), btyd::parse_period(period, "period"), observation_end_ms,
                                          calibration_end_ms);
      const std::vector<std::uint32_t> customers = copy_typed_array<std::uint32_t>(out["customer"]);
      out.set("customerIds", write_json(customer_ids_json(dataset_, customers)));
      return out;
    });
  }

  /// {value: KPI JSON text} or {error}.
  emscripten::val kpis(const std::string& options_json) const {
    return guard_value([&] {
      return write_json(compute_kpis(dataset_, KpiOptions::from_json(parse_json(options_json))));
    });
  }

  /// {value: {at, customerIds (JSON text), lastPurchase, recencyDays, frequency, monetary, r, f, m,
  /// segment (typed arrays), segmentNames (JSON text), customersWithoutPurchase}} or {error}.
  emscripten::val rfm(const std::string& options_json) const {
    return guard_value([&] {
      const RfmOptions options = RfmOptions::from_json(parse_json(options_json));
      const RfmResult result = compute_rfm(dataset_, options);
      Json names = Json::array();
      for (const RfmSegmentRule& rule : options.segments) names.push_back(rule.name);
      emscripten::val out = emscripten::val::object();
      out.set("at", static_cast<double>(result.at));
      out.set("customerIds", write_json(customer_ids_json(dataset_, result.customer)));
      out.set("lastPurchase", to_typed_array(result.last_purchase));
      out.set("recencyDays", to_typed_array(result.recency_days));
      out.set("frequency", to_typed_array(result.frequency));
      out.set("monetary", to_typed_array(result.monetary));
      out.set("r", to_typed_array(result.r));
      out.set("f", to_typed_array(result.f));
      out.set("m", to_typed_array(result.m));
      out.set("segment", to_typed_array(result.segment));
      out.set("segmentNames", write_json(names));
      out.set("customersWithoutPurchase", result.customers_without_purchase);
      return out;
    });
  }

  /// {value: cohort JSON text} or {error}.
  emscripten::val cohorts(const std::string& options_json) const {
    return guard_value([&] {
      return write_json(compute_cohorts(dataset_, CohortOptions::from_json(parse_json(options_json))));
    });
  }

  /// {value: funnel JSON text} or {error}.
  emscripten::val funnel(const std::string& options_json) const {
    return guard_value([&] {
      return write_json(compute_funnel(dataset_, FunnelOptions::from_json(parse_json(options_json))));
    });
  }

  /// {value: stage distribution JSON text} or {error}.
  emscripten::val stages(const StageModelHandle& model, double at_ms) const {
    return guard_value([&] {
      return write_json(stage_distribution(dataset_, model.model(), to_time(at_ms)));
    });
  }

  /// {value: transition matrix JSON text} or {error}.
  emscripten::val transitions(const StageModelHandle& model, double from_ms, double to_ms) const {
    return guard_value([&] {
      return write_json(
          stage_transitions(dataset_, model.model(), to_time(from_ms, "from"), to_time(to_ms, "to")));
    });
  }

  /// {value: time in stage and stage funnel JSON text} or {error}.
  emscripten::val stageFlow(const StageModelHandle& model, double until_ms) const {
    return guard_value([&] { return write_json(stage_flow(dataset_, model.model(), to_time(until_ms, "until"))); });
  }

  /// {value: CX by stage JSON text} or {error}; `from_ms` / `to_ms` NaN = open-ended.
  emscripten::val cxByStage(const StageModelHandle& model, double from_ms, double to_ms) const {
    return guard_value([&] {
      const auto bound = [](double ms, const char* name) {
        return std::isnan(ms) ? std::nullopt : std::optional<TimestampMs>(to_time(ms, name));
      };
      return write_json(cx_by_stage(dataset_, model.model(), bound(from_ms, "from"), bound(to_ms, "to")));
    });
  }

  /// {value: PostHog lifecycle JSON text} or {error}.
  emscripten::val lifecycle(const std::string& options_json) const {
    return guard_value([&] {
      return write_json(posthog_lifecycle(dataset_, LifecycleOptions::from_json(parse_json(options_json))));
    });
  }

 private:
  Dataset dataset_;
};

class DatasetLoaderHandle {
 public:
  DatasetLoaderHandle(IngestOptions options) : loader_(std::move(options)) {}

  void setSizeHint(double bytes) { loader_.set_size_hint(static_cast<std::size_t>(bytes)); }

  /// Feeds a chunk of UTF-8 text given as a Uint8Array (copied once into a buffer reused for every
  /// chunk: the JS side encodes with TextEncoder, far faster than converting a string per
  /// character). {value: rows read so far} or {error}.
  emscripten::val feedCsv(const emscripten::val& utf8, bool final) {
    return guard_value([&] {
      loader_.feed_csv(receive(utf8), final);
      return loader_.rows_read();
    });
  }

  emscripten::val feedNdjson(const emscripten::val& utf8, bool final) {
    return guard_value([&] {
      loader_.feed_ndjson(receive(utf8), final);
      return loader_.rows_read();
    });
  }

  /// Columns: `columns` is an array of {field (Field index), numbers?: Float64Array (NaN = none),
  /// dictionary?: JSON text of strings, codes?: Uint32Array (0xFFFFFFFF = none)}.
  emscripten::val addColumns(const emscripten::val& columns, double row_count) {
    return guard_value([&] {
      const auto rows = static_cast<std::size_t>(row_count);
      struct Column {
        std::vector<double> numbers;
        Json dictionary;
        std::vector<std::uint32_t> codes;
        bool present = false;
      };
      std::vector<Column> by_field(kFieldCount);
      const auto count = columns["length"].as<std::size_t>();
      for (std::size_t i = 0; i < count; ++i) {
        const emscripten::val column = columns[i];
        const auto field = column["field"].as<std::size_t>();
        if (field >= kFieldCount)
          throw Error(error_code::kInvalidArgument, "", "unknown column field");
        Column& target = by_field[field];
        target.present = true;
        if (!column["numbers"].isUndefined()) {
          target.numbers = copy_typed_array<double>(column["numbers"]);
        } else {
          target.dictionary = parse_json(column["dictionary"].as<std::string>());
          target.codes = copy_typed_array<std::uint32_t>(column["codes"]);
        }
        if (std::max(target.numbers.size(), target.codes.size()) != rows) {
          throw Error(error_code::kInvalidArgument, field_key(static_cast<Field>(field)),
                      "column length differs from the other columns");
        }
      }
      loader_.add_rows(rows, [&](Field field, std::size_t row) {
        const Column& column = by_field[static_cast<std::size_t>(field)];
        if (!column.present) return FieldValue{};
        if (!column.numbers.empty()) {
          const double x = column.numbers[row];
          return std::isnan(x) ? FieldValue{} : FieldValue{FieldValue::Kind::kNumber, {}, x};
        }
        const std::uint32_t code = column.codes[row];
        if (code >= column.dictionary.size()) return FieldValue{};
        return FieldValue{FieldValue::Kind::kText,
                          column.dictionary[code].get_ref<const std::string&>(), 0};
      });
      return loader_.rows_read();
    });
  }

  /// {value: DatasetHandle} or {error}; the loader is spent afterwards.
  emscripten::val finish() {
    return guard_value([&] { return DatasetHandle(loader_.finish()); });
  }

 private:
  std::string_view receive(const emscripten::val& utf8) {
    chunk_.resize(utf8["length"].as<std::size_t>());
    emscripten::val(emscripten::typed_memory_view(chunk_.size(),
                                                  reinterpret_cast<std::uint8_t*>(chunk_.data())))
        .call<void>("set", utf8);
    return chunk_;
  }

  DatasetLoader loader_;
  std::string chunk_;  // the chunk being read; its capacity is kept between chunks
};

/// {value: DatasetLoaderHandle} or {error}. `kind` is "transactions" or "events"; `progress` a JS
/// function(rowsRead) or undefined.
emscripten::val create_dataset_loader(const std::string& kind, const std::string& options_json,
                                      emscripten::val progress) {
  return guard_value([&] {
    IngestOptions options = IngestOptions::from_json(
        parse_json(options_json),
        kind == "events" ? DatasetKind::kEvents : DatasetKind::kTransactions);
    if (progress.typeOf().as<std::string>() == "function") {
      options.progress = [progress](std::size_t rows) { progress(static_cast<double>(rows)); };
    }
    return DatasetLoaderHandle(std::move(options));
  });
}

}  // namespace
}  // namespace stageline::wasm

EMSCRIPTEN_BINDINGS(stageline_dataset) {
  using stageline::wasm::DatasetHandle;
  using stageline::wasm::DatasetLoaderHandle;
  emscripten::class_<DatasetHandle>("DatasetHandle")
      .function("rowCount", &DatasetHandle::rowCount)
      .function("customerCount", &DatasetHandle::customerCount)
      .function("report", &DatasetHandle::report)
      .function("kpis", &DatasetHandle::kpis)
      .function("summary", &DatasetHandle::summary)
      .function("rfm", &DatasetHandle::rfm)
      .function("cohorts", &DatasetHandle::cohorts)
      .function("funnel", &DatasetHandle::funnel)
      .function("stages", &DatasetHandle::stages)
      .function("transitions", &DatasetHandle::transitions)
      .function("stageFlow", &DatasetHandle::stageFlow)
      .function("cxByStage", &DatasetHandle::cxByStage)
      .function("lifecycle", &DatasetHandle::lifecycle);
  emscripten::class_<DatasetLoaderHandle>("DatasetLoaderHandle")
      .function("setSizeHint", &DatasetLoaderHandle::setSizeHint)
      .function("feedCsv", &DatasetLoaderHandle::feedCsv)
      .function("feedNdjson", &DatasetLoaderHandle::feedNdjson)
      .function("addColumns", &DatasetLoaderHandle::addColumns)
      .function("finish", &DatasetLoaderHandle::finish);
  emscripten::function("createDatasetLoader", &stageline::wasm::create_dataset_loader);
}
