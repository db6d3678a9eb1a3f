// AVX2 low-precision micro-kernels (lowp.h).
//
// q8 without VNNI: vpmaddubsw (u8 x s8 pairs into int16) saturates — 2 x 255 x 127 exceeds
// int16 — so a full-range u8 activation could silently clip (ONNX Runtime's answer is 7-bit
// weights, `reduce_range`). Here the activations are widened to int16 when they are quantized
// and the weights with vpmovsxbw as they are loaded, and vpmaddwd (int16 pairs into int32)
// multiplies: exact, no saturation, the same int32 sums as VNNI and the scalar reference, for
// about 1.3x the instructions of the saturating pair. A k group's four values are two vpmaddwd
// lanes per column; the pairs are added when the tile is dequantized.
//
// bf16: a dword holding (bf16 k even | bf16 k odd << 16) becomes two fp32 vectors with one
// shift and one mask; FMAs add the odd k's product, then the even k's (vdpbf16ps's order).
#include <cstdint>
#include <cstring>
#include <immintrin.h>

#include "lowp.h"
#pragma GCC target("avx2,fma")

namespace albert {
namespace {

constexpr int kMrQ8 = 3;

template <int MR>
void q8_block(int64_t kg, const Q8Rows& rows, int nrows, const int8_t* b, const float* scale, const int32_t* colsum,
              float* y, int64_t ldy) {
  __m256i acc[MR][4];
  for (int r = 0; r < MR; r++)
    for (int q = 0; q < 4; q++) acc[r][q] = _mm256_setzero_si256();
  const int16_t* a[MR];
  for (int r = 0; r < MR; r++) a[r] = static_cast<const int16_t*>(rows.a[r]);
  for (int64_t g = 0; g < kg; g++) {
    __m256i av[MR];
    for (int r = 0; r < MR; r++) {
      int64_t v;
      std::memcpy(&v, a[r] + g * 4, 8);
      av[r] = _mm256_set1_epi64x(v);  // (a0 a1 a2 a3) x 4
    }
    const int8_t* bg = b + g * 64;
    for (int q = 0; q < 4; q++) {
      // columns 4q .. 4q+3, four k each, widened to int16
      const __m256i w = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bg + q * 16)));
      for (int r = 0; r < MR; r++) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(av[r], w));
    }
  }
  for (int r = 0; r < nrows; r++) {
    alignas(32) int32_t t[32];
    for (int q = 0; q < 4; q++) _mm256_store_si256(reinterpret_cast<__m256i*>(t + q * 8), acc[r][q]);
    for (int c = 0; c < 16; c++) {
      const int32_t d = (t[2 * c] + t[2 * c + 1]) - rows.za[r] * colsum[c];
      const float f = rows.sa[r] * scale[c];
      y[r * ldy + c] = static_cast<float>(d) * f;
    }
  }
}

void q8_micro(int64_t kg, const Q8Rows& rows, int nrows, const int8_t* b, int64_t sstride, int strips,
              const float* scale, const int32_t* colsum, float* y, int64_t ldy) {
  for (int s = 0; s < strips; s++)
    q8_block<kMrQ8>(kg, rows, nrows, b + s * sstride, scale + s * 16, colsum + s * 16, y + s * 16, ldy);
}

constexpr int kMrBf = 4;

void bf16_micro(int64_t kp, const uint16_t* const* a, int nrows, const uint16_t* b, int64_t sstride, int strips,
                float* y, int64_t ldy) {
  const __m256i hi = _mm256_set1_epi32(static_cast<int>(0xffff0000u));
  for (int s = 0; s < strips; s++) {
    const uint16_t* bs = reinterpret_cast<const uint16_t*>(reinterpret_cast<const char*>(b) + s * sstride);
    __m256 acc[kMrBf][2];
    for (int r = 0; r < kMrBf; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (int64_t p = 0; p < kp; p++) {
      const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bs + p * 32));
      const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bs + p * 32 + 16));
      const __m256 e0 = _mm256_castsi256_ps(_mm256_slli_epi32(w0, 16)), o0 = _mm256_castsi256_ps(_mm256_and_si256(w0, hi));
      const __m256 e1 = _mm256_castsi256_ps(_mm256_slli_epi32(w1, 16)), o1 = _mm256_castsi256_ps(_mm256_and_si256(w1, hi));
      for (int r = 0; r < kMrBf; r++) {
        int32_t pair;
        std::memcpy(&pair, a[r] + 2 * p, 4);
        const __m256i v = _mm256_set1_epi32(pair);
        const __m256 ae = _mm256_castsi256_ps(_mm256_slli_epi32(v, 16)), ao = _mm256_castsi256_ps(_mm256_and_si256(v, hi));
        acc[r][0] = _mm256_fmadd_ps(ao, o0, acc[r][0]);
        acc[r][0] = _mm256_fmadd_ps(ae, e0, acc[r][0]);
        acc[r][1] = _mm256_fmadd_ps(ao, o1, acc[r][1]);
        acc[r][1] = _mm256_fmadd_ps(ae, e1, acc[r][1]);
      }
    }
    for (int r = 0; r < nrows; r++) {
      _mm256_storeu_ps(y + r * ldy + s * 16, acc[r][0]);
      _mm256_storeu_ps(y + r * ldy + s * 16 + 8, acc[r][1]);
    }
  }
}

}  // namespace

const Q8Kernel& q8_kernel_avx2() {
  static const Q8Kernel t = {kMrQ8, 1, q8_micro, true};
  return t;
}
const Bf16Kernel& bf16_kernel_avx2() {
  static const Bf16Kernel t = {kMrBf, 1, bf16_micro};
  return t;
}

}  // namespace albert
