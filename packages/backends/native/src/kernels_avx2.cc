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

// gemm.cc's transposeB packing (kernels.h): 8 x 8 blocks transposed in registers (a scalar transpose
// writes one float per store and costs as much as the products of attention's small heads).
void gemm_pack_bt_avx2(const float* b, int64_t k, int64_t j0, int nr, float* out) {
  int64_t q = 0;
  for (; q + 8 <= k; q += 8) {
    for (int jb = 0; jb < nr; jb += 8) {
      const float* src = b + (j0 + jb) * k + q;
      __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + k), r2 = _mm256_loadu_ps(src + 2 * k),
             r3 = _mm256_loadu_ps(src + 3 * k), r4 = _mm256_loadu_ps(src + 4 * k), r5 = _mm256_loadu_ps(src + 5 * k),
             r6 = _mm256_loadu_ps(src + 6 * k), r7 = _mm256_loadu_ps(src + 7 * k);
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
  for (; q < k; q++)
    for (int j = 0; j < nr; j++) out[q * nr + j] = b[(j0 + j) * k + q];
}

}  // namespace albert
