// AVX-512 low-precision micro-kernels (lowp.h): q8 with vpdpbusd (AVX512_VNNI: u8 x s8, four
// products summed into each int32 lane) and bf16 with vdpbf16ps (AVX512_BF16: two bf16
// products summed into each fp32 lane). One zmm of packed weight is one k group of a strip of
// 16 columns; an 8 x 3-strip block keeps 24 accumulators in registers, the dequantization
// (q8) is applied to them before they are stored.
#include <cstdint>
#include <cstring>
#include <immintrin.h>

#include "lowp.h"
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx512bf16")

namespace albert {
namespace {

constexpr int kMr = 8, kNv = 3;

template <int NV>
void q8_block(int64_t kg, const Q8Rows& rows, int nrows, const int8_t* b, int64_t sstride, const float* scale,
              const int32_t* colsum, float* y, int64_t ldy) {
  __m512i acc[kMr][NV];
  for (int r = 0; r < kMr; r++)
    for (int s = 0; s < NV; s++) acc[r][s] = _mm512_setzero_si512();
  const uint8_t* a[kMr];
  for (int r = 0; r < kMr; r++) a[r] = static_cast<const uint8_t*>(rows.a[r]);
  for (int64_t g = 0; g < kg; g++) {
    __m512i w[NV];
    for (int s = 0; s < NV; s++) w[s] = _mm512_loadu_si512(b + s * sstride + g * 64);
    for (int r = 0; r < kMr; r++) {
      int32_t v;
      std::memcpy(&v, a[r] + g * 4, 4);
      const __m512i av = _mm512_set1_epi32(v);
      for (int s = 0; s < NV; s++) acc[r][s] = _mm512_dpbusd_epi32(acc[r][s], av, w[s]);
    }
  }
  for (int s = 0; s < NV; s++) {
    const __m512i cs = _mm512_loadu_si512(colsum + s * 16);
    const __m512 sc = _mm512_loadu_ps(scale + s * 16);
    for (int r = 0; r < nrows; r++) {
      const __m512i d = _mm512_sub_epi32(acc[r][s], _mm512_mullo_epi32(_mm512_set1_epi32(rows.za[r]), cs));
      const __m512 f = _mm512_mul_ps(_mm512_set1_ps(rows.sa[r]), sc);
      _mm512_storeu_ps(y + r * ldy + s * 16, _mm512_mul_ps(_mm512_cvtepi32_ps(d), f));
    }
  }
}

void q8_micro(int64_t kg, const Q8Rows& rows, int nrows, const int8_t* b, int64_t sstride, int strips,
              const float* scale, const int32_t* colsum, float* y, int64_t ldy) {
  switch (strips) {
    case 3: return q8_block<3>(kg, rows, nrows, b, sstride, scale, colsum, y, ldy);
    case 2: return q8_block<2>(kg, rows, nrows, b, sstride, scale, colsum, y, ldy);
    default: return q8_block<1>(kg, rows, nrows, b, sstride, scale, colsum, y, ldy);
  }
}

template <int NV>
void bf16_block(int64_t kp, const uint16_t* const* a, int nrows, const uint16_t* b, int64_t sstride, float* y,
                int64_t ldy) {
  __m512 acc[kMr][NV];
  for (int r = 0; r < kMr; r++)
    for (int s = 0; s < NV; s++) acc[r][s] = _mm512_setzero_ps();
  const char* bb = reinterpret_cast<const char*>(b);
  for (int64_t p = 0; p < kp; p++) {
    __m512i w[NV];
    for (int s = 0; s < NV; s++) w[s] = _mm512_loadu_si512(bb + s * sstride + p * 64);
    for (int r = 0; r < kMr; r++) {
      int32_t v;
      std::memcpy(&v, a[r] + 2 * p, 4);
      const __m512i av = _mm512_set1_epi32(v);
      for (int s = 0; s < NV; s++) acc[r][s] = _mm512_dpbf16_ps(acc[r][s], (__m512bh)av, (__m512bh)w[s]);
    }
  }
  for (int r = 0; r < nrows; r++)
    for (int s = 0; s < NV; s++) _mm512_storeu_ps(y + r * ldy + s * 16, acc[r][s]);
}

void bf16_micro(int64_t kp, const uint16_t* const* a, int nrows, const uint16_t* b, int64_t sstride, int strips,
                float* y, int64_t ldy) {
  switch (strips) {
    case 3: return bf16_block<3>(kp, a, nrows, b, sstride, y, ldy);
    case 2: return bf16_block<2>(kp, a, nrows, b, sstride, y, ldy);
    default: return bf16_block<1>(kp, a, nrows, b, sstride, y, ldy);
  }
}

}  // namespace

const Q8Kernel& q8_kernel_avx512() {
  static const Q8Kernel t = {kMr, kNv, q8_micro, false};
  return t;
}
const Bf16Kernel& bf16_kernel_avx512() {
  static const Bf16Kernel t = {kMr, kNv, bf16_micro};
  return t;
}

}  // namespace albert
