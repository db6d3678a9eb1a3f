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
#include "pool.h"

namespace albert {
namespace {

double thread_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

const float kOne = 0.0f;  // zero products: no denormals, no overflow, same speed
const int32_t kSmall = 0x01010101;
const int32_t kBf = 0;

// Twelve independent accumulators (zmm/ymm 2..13), written in assembly so the compiler can
// neither spill them nor fold the loop: enough in flight to cover a 4-5 cycle latency on two ports.
__attribute__((target("avx512f"))) void run_fp32_512(int64_t iters) {
  __asm__ volatile(
      "vbroadcastss %[one], %%zmm0\n\t" "vbroadcastss %[one], %%zmm1\n\t"
      "vxorps %%zmm2,%%zmm2,%%zmm2\n\t"
      "vxorps %%zmm3,%%zmm3,%%zmm3\n\t"
      "vxorps %%zmm4,%%zmm4,%%zmm4\n\t"
      "vxorps %%zmm5,%%zmm5,%%zmm5\n\t"
      "vxorps %%zmm6,%%zmm6,%%zmm6\n\t"
      "vxorps %%zmm7,%%zmm7,%%zmm7\n\t"
      "vxorps %%zmm8,%%zmm8,%%zmm8\n\t"
      "vxorps %%zmm9,%%zmm9,%%zmm9\n\t"
      "vxorps %%zmm10,%%zmm10,%%zmm10\n\t"
      "vxorps %%zmm11,%%zmm11,%%zmm11\n\t"
      "vxorps %%zmm12,%%zmm12,%%zmm12\n\t"
      "vxorps %%zmm13,%%zmm13,%%zmm13\n\t"
      "1:\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm2\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm3\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm4\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm5\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm6\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm7\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm8\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm9\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm10\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm11\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm12\n\t"
      "vfmadd231ps %%zmm0,%%zmm1,%%zmm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

__attribute__((target("avx2,fma"))) void run_fp32_256(int64_t iters) {
  __asm__ volatile(
      "vbroadcastss %[one], %%ymm0\n\t" "vbroadcastss %[one], %%ymm1\n\t"
      "vxorps %%ymm2,%%ymm2,%%ymm2\n\t"
      "vxorps %%ymm3,%%ymm3,%%ymm3\n\t"
      "vxorps %%ymm4,%%ymm4,%%ymm4\n\t"
      "vxorps %%ymm5,%%ymm5,%%ymm5\n\t"
      "vxorps %%ymm6,%%ymm6,%%ymm6\n\t"
      "vxorps %%ymm7,%%ymm7,%%ymm7\n\t"
      "vxorps %%ymm8,%%ymm8,%%ymm8\n\t"
      "vxorps %%ymm9,%%ymm9,%%ymm9\n\t"
      "vxorps %%ymm10,%%ymm10,%%ymm10\n\t"
      "vxorps %%ymm11,%%ymm11,%%ymm11\n\t"
      "vxorps %%ymm12,%%ymm12,%%ymm12\n\t"
      "vxorps %%ymm13,%%ymm13,%%ymm13\n\t"
      "1:\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm2\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm3\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm4\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm5\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm6\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm7\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm8\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm9\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm10\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm11\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm12\n\t"
      "vfmadd231ps %%ymm0,%%ymm1,%%ymm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) void run_vnni(int64_t iters) {
  __asm__ volatile(
      "vpbroadcastd %[small], %%zmm0\n\t" "vpbroadcastd %[small], %%zmm1\n\t"
      "vpxord %%zmm2,%%zmm2,%%zmm2\n\t"
      "vpxord %%zmm3,%%zmm3,%%zmm3\n\t"
      "vpxord %%zmm4,%%zmm4,%%zmm4\n\t"
      "vpxord %%zmm5,%%zmm5,%%zmm5\n\t"
      "vpxord %%zmm6,%%zmm6,%%zmm6\n\t"
      "vpxord %%zmm7,%%zmm7,%%zmm7\n\t"
      "vpxord %%zmm8,%%zmm8,%%zmm8\n\t"
      "vpxord %%zmm9,%%zmm9,%%zmm9\n\t"
      "vpxord %%zmm10,%%zmm10,%%zmm10\n\t"
      "vpxord %%zmm11,%%zmm11,%%zmm11\n\t"
      "vpxord %%zmm12,%%zmm12,%%zmm12\n\t"
      "vpxord %%zmm13,%%zmm13,%%zmm13\n\t"
      "1:\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm2\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm3\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm4\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm5\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm6\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm7\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm8\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm9\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm10\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm11\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm12\n\t"
      "vpdpbusd %%zmm0,%%zmm1,%%zmm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
}

__attribute__((target("avx512f,avx512bw,avx512bf16"))) void run_bf16(int64_t iters) {
  __asm__ volatile(
      "vpbroadcastd %[bf], %%zmm0\n\t" "vpbroadcastd %[bf], %%zmm1\n\t"
      "vxorps %%zmm2,%%zmm2,%%zmm2\n\t"
      "vxorps %%zmm3,%%zmm3,%%zmm3\n\t"
      "vxorps %%zmm4,%%zmm4,%%zmm4\n\t"
      "vxorps %%zmm5,%%zmm5,%%zmm5\n\t"
      "vxorps %%zmm6,%%zmm6,%%zmm6\n\t"
      "vxorps %%zmm7,%%zmm7,%%zmm7\n\t"
      "vxorps %%zmm8,%%zmm8,%%zmm8\n\t"
      "vxorps %%zmm9,%%zmm9,%%zmm9\n\t"
      "vxorps %%zmm10,%%zmm10,%%zmm10\n\t"
      "vxorps %%zmm11,%%zmm11,%%zmm11\n\t"
      "vxorps %%zmm12,%%zmm12,%%zmm12\n\t"
      "vxorps %%zmm13,%%zmm13,%%zmm13\n\t"
      "1:\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm2\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm3\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm4\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm5\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm6\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm7\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm8\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm9\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm10\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm11\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm12\n\t"
      "vdpbf16ps %%zmm0,%%zmm1,%%zmm13\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      : [one] "m"(kOne), [small] "m"(kSmall), [bf] "m"(kBf)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
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
