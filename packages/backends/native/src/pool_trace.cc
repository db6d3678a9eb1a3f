#include "pool_trace.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "pool.h"

namespace albert {

bool pool_trace(int64_t tasks, TraceWait wait, int32_t* thread_of, int32_t* order) {
  const int shares = pool_threads();
  const auto share_start = [&](int s) { return tasks * s / shares; };
  int firsts = 0;  // distinct first chunks of the shares (fewer when tasks < shares)
  for (int s = 0; s < shares; s++) firsts += (s == 0 || share_start(s) != share_start(s - 1)) && share_start(s) < tasks;
  std::atomic<int32_t> started{0};
  std::atomic<int64_t> finished{0};
  std::atomic<int> met{0};
  std::atomic<bool> timed_out{false};
  const auto wait_until = [&](auto ready) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!ready()) {
      if (std::chrono::steady_clock::now() > deadline) {
        timed_out.store(true);
        return;
      }
      std::this_thread::yield();
    }
  };
  parallel_for(tasks, tasks, [&](int64_t t0, int64_t t1, int thread) {
    for (int64_t t = t0; t < t1; t++) {
      thread_of[t] = thread;
      order[t] = started.fetch_add(1);
      bool first = false;
      for (int s = 0; s < shares; s++) first = first || share_start(s) == t;
      if (wait == TraceWait::kMeet && first) {
        met.fetch_add(1);
        wait_until([&] { return met.load() >= firsts; });
      }
      if (wait == TraceWait::kStall && t == share_start(shares - 1)) {
        wait_until([&] { return finished.load() >= tasks - 1; });
      }
      finished.fetch_add(1);
    }
  });
  return !timed_out.load();
}

}  // namespace albert
