#include "stageline/rules/exposure_log.hpp"

#include <algorithm>
#include <utility>

namespace stageline {

const ExposureLog::History* ExposureLog::find(std::string_view customer_id) const {
  const auto it = histories_.find(customer_id);
  return it == histories_.end() ? nullptr : &it->second;
}

void ExposureLog::record(std::string_view customer_id, const Entry& entry, TimestampMs horizon_ms) {
  auto it = histories_.find(customer_id);
  if (it == histories_.end()) it = histories_.emplace(std::string(customer_id), History()).first;
  History& history = it->second;
  const TimestampMs oldest_kept = entry.at - horizon_ms;
  history.erase(std::remove_if(history.begin(), history.end(),
                               [&](const Entry& old) { return old.at < oldest_kept; }),
                history.end());
  history.push_back(entry);
}

void ExposureLog::replace(std::string_view customer_id, History history) {
  auto it = histories_.find(customer_id);
  if (it == histories_.end()) {
    histories_.emplace(std::string(customer_id), std::move(history));
  } else {
    it->second = std::move(history);
  }
}

void ExposureLog::erase(std::string_view customer_id) {
  const auto it = histories_.find(customer_id);
  if (it != histories_.end()) histories_.erase(it);
}

std::uint32_t ExposureLog::count(const History& history, std::uint32_t rule, Kind kind, TimestampMs since,
                                 TimestampMs at) noexcept {
  std::uint32_t n = 0;
  for (const Entry& entry : history) {
    if (entry.rule == rule && entry.kind == kind && entry.at >= since && entry.at <= at) ++n;
  }
  return n;
}

}  // namespace stageline
