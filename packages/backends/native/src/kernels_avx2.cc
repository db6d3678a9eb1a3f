// The avx2 kernel table: gemm_micro.inc and ops.inc compiled for this instruction set.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>

#include "kernels.h"
// Standard headers above are compiled for the baseline; everything below for this ISA.
#pragma GCC target("avx2,fma")
#include "vecmath.h"

namespace albert {
namespace {

typedef float V __attribute__((vector_size(32)));
constexpr int VW = 8;  // lanes per vector
// GEMM register blocks: 4x24 (88-90% of peak on ALBERT's 768/3072-wide products) and 6x16 (for widths 24 does not divide: attention's 64 and 128).
constexpr int MR0 = 4, NV0 = 3;
constexpr int MR1 = 6, NV1 = 2;
#define KERNELS_NAME "avx2"

#include "gemm_micro.inc"
#include "ops.inc"

}  // namespace

const KernelTable& kernels_avx2() { return kTable; }

// Transposed packing (kernels.h): 8 x 8 blocks transposed in registers (a scalar transpose writes
// one float per store and costs as much as the products of attention's small heads).
void pack_transposed_avx2(const float* src, int64_t ld, int64_t rows, int64_t k, int nr, float* out) {
  const int64_t full = rows < nr ? rows / 8 * 8 : nr;  // rows moved 8 at a time
  int64_t q = 0;
  for (; q + 8 <= k; q += 8) {
    for (int64_t jb = 0; jb < full; jb += 8) {
      const float* s0 = src + jb * ld + q;
      __m256 r0 = _mm256_loadu_ps(s0), r1 = _mm256_loadu_ps(s0 + ld), r2 = _mm256_loadu_ps(s0 + 2 * ld),
             r3 = _mm256_loadu_ps(s0 + 3 * ld), r4 = _mm256_loadu_ps(s0 + 4 * ld), r5 = _mm256_loadu_ps(s0 + 5 * ld),
             r6 = _mm256_loadu_ps(s0 + 6 * ld), r7 = _mm256_loadu_ps(s0 + 7 * ld);
      __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
             t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
             t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
      __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee),
             u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee),
             u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee),
             u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
      float* dst = out + q * nr + jb;
      _mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
      _mm256_storeu_ps(dst + nr, _mm256_permute2f128_ps(u1, u5, 0x20));
      _mm256_storeu_ps(dst + 2 * nr, _mm256_permute2f128_ps(u2, u6, 0x20));
      _mm256_storeu_ps(dst + 3 * nr, _mm256_permute2f128_ps(u3, u7, 0x20));
      _mm256_storeu_ps(dst + 4 * nr, _mm256_permute2f128_ps(u0, u4, 0x31));
      _mm256_storeu_ps(dst + 5 * nr, _mm256_permute2f128_ps(u1, u5, 0x31));
      _mm256_storeu_ps(dst + 6 * nr, _mm256_permute2f128_ps(u2, u6, 0x31));
      _mm256_storeu_ps(dst + 7 * nr, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
  }
  // what the 8 x 8 blocks left: the last k % 8 lines of every row, then the rows past `full`
  for (int64_t c = q; c < k; c++)
    for (int64_t j = 0; j < full; j++) out[c * nr + j] = src[j * ld + c];
  for (int64_t j = full; j < nr; j++) {
    if (j < rows) {
      const float* row = src + j * ld;
      for (int64_t c = 0; c < k; c++) out[c * nr + j] = row[c];
    } else {
      for (int64_t c = 0; c < k; c++) out[c * nr + j] = 0.0f;
    }
  }
}

}  // namespace albert
