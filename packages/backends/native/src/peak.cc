#include "peak.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>
#include <immintrin.h>

#include "isa.h"
#include "lowp.h"
#include "peak_loops.h"
#include "pool.h"

namespace albert {
namespace {

double thread_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

}  // namespace

double peak_ops(PeakKind kind, int reps) {
  // ops per accumulator update: 2 x lanes x products per lane
  double ops_per = 0;
  void (*fn)(int64_t) = nullptr;
  switch (kind) {
    case PeakKind::kFp32Avx512:
      if (detect_isa() != Isa::kAvx512) return 0;
      fn = run_fp32_512, ops_per = 2.0 * 16;
      break;
    case PeakKind::kFp32Avx2:
      if (detect_isa() == Isa::kBaseline) return 0;
      fn = run_fp32_256, ops_per = 2.0 * 8;
      break;
    case PeakKind::kInt8Vnni512:
      if (!q8_path_supported(LowpPath::kAvx512)) return 0;
      fn = run_vnni, ops_per = 2.0 * 64;
      break;
    case PeakKind::kBf16Avx512:
      if (!bf16_path_supported(LowpPath::kAvx512)) return 0;
      fn = run_bf16, ops_per = 2.0 * 32;
      break;
  }
  const int64_t iters = 2'000'000;
  double best = 0;
  for (int r = 0; r < reps; r++) {
    const double t0 = thread_seconds();
    fn(iters);
    const double s = thread_seconds() - t0;
    if (s > 0) best = std::max(best, iters * 12.0 * ops_per / s / 1e9);
  }
  return best;
}

}  // namespace albert

namespace albert {

double peak_ops_parallel(PeakKind kind, int reps, int threads) {
  if (threads <= 1) return peak_ops(kind, reps);
  std::vector<double> rate(threads, 0.0);
  std::vector<int> ran_on(threads, -1);
  std::atomic<int> started{0};
  parallel_for(threads, threads, [&](int64_t b, int64_t e, int t) {
    for (int64_t i = b; i < e; i++) {
      // Start together: wait (at most 200 ms) until every loop has a thread.
      started.fetch_add(1);
      const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
      while (started.load() < threads && std::chrono::steady_clock::now() < until) {
      }
      rate[i] = peak_ops(kind, reps);
      ran_on[i] = t;
    }
  });
  for (int i = 0; i < threads; i++)
    for (int j = 0; j < i; j++)
      if (ran_on[i] == ran_on[j]) return -1;  // two loops on one thread: not a concurrent figure
  double sum = 0;
  for (double r : rate) sum += r;
  return sum;
}

}  // namespace albert
