// AVX-512 low-precision micro-kernels (lowp.h): q8 with vpdpbusd (AVX512_VNNI: u8 x s8, four
// products summed into each int32 lane) and bf16 with vdpbf16ps (AVX512_BF16: two bf16
// products summed into each fp32 lane). One zmm of packed weight is one k group of a strip of
// 16 columns; an 8 x 3-strip block keeps 24 accumulators in registers, the dequantization
// (q8) is applied to them before they are stored.
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <immintrin.h>

#include "lowp.h"
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx512bf16")

namespace albert {
namespace {

constexpr int kMr = 8, kNv = 3;

// vpdpbusd acc += u8(a) · s8(b), four products per int32 lane. Through inline assembly: GCC 12's
// intrinsic does not tie the accumulator to the destination, and the 8 x 3 block then spends
// most of its time copying (and spilling) accumulators (measured: 29% of the vpdpbusd peak,
// 60% with this).
static inline __m512i dpbusd(__m512i acc, __m512i a, __m512i b) {
  __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
  return acc;
}

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
      for (int s = 0; s < NV; s++) acc[r][s] = dpbusd(acc[r][s], av, w[s]);
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

// lowp.cc's quantize_rows, 16 values at a time: the same operations in the same order (the
// multiply and the magic-number rounding kept apart), so the bytes are the same.
__attribute__((optimize("fp-contract=off"))) void q8_quantize_rows_avx512(const float* x, int64_t k, int64_t kp,
                                                                          int64_t r0, int64_t r1, uint8_t* out,
                                                                          float* sa, int32_t* za) {
  const __m512 magic = _mm512_set1_ps(12582912.0f);
  for (int64_t r = r0; r < r1; r++) {
    const float* row = x + r * k;
    __m512 vlo = _mm512_setzero_ps(), vhi = _mm512_setzero_ps();
    int64_t j = 0;
    for (; j + 16 <= k; j += 16) {
      const __m512 v = _mm512_loadu_ps(row + j);
      vlo = _mm512_min_ps(vlo, v);
      vhi = _mm512_max_ps(vhi, v);
    }
    if (j < k) {
      const __mmask16 m = static_cast<__mmask16>((1u << (k - j)) - 1);
      const __m512 v = _mm512_maskz_loadu_ps(m, row + j);  // zeros elsewhere: 0 is always in range
      vlo = _mm512_min_ps(vlo, v);
      vhi = _mm512_max_ps(vhi, v);
    }
    float scale, inv, zf;
    q8_row_params(_mm512_reduce_min_ps(vlo), _mm512_reduce_max_ps(vhi), &scale, &inv, &zf);
    sa[r] = scale;
    za[r] = static_cast<int32_t>(zf);
    const __m512 vinv = _mm512_set1_ps(inv), vz = _mm512_set1_ps(zf);
    const __m512 qlo = _mm512_set1_ps(-zf), qhi = _mm512_set1_ps(255.0f - zf);
    uint8_t* q = out + r * kp;
    for (j = 0; j < kp; j += 16) {
      const int64_t left = k - j;
      const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xffff) : left > 0 ? static_cast<__mmask16>((1u << left) - 1) : 0;
      const __m512 v = _mm512_maskz_loadu_ps(m, row + j);
      __m512 t = _mm512_mul_ps(v, vinv);
      t = _mm512_sub_ps(_mm512_add_ps(t, magic), magic);
      t = _mm512_add_ps(_mm512_min_ps(qhi, _mm512_max_ps(qlo, t)), vz);
      const __m128i b = _mm512_maskz_cvtepi32_epi8(m, _mm512_cvttps_epi32(t));  // 0 past k
      const int64_t n = std::min<int64_t>(16, kp - j);
      if (n == 16) _mm_storeu_si128(reinterpret_cast<__m128i*>(q + j), b);
      else _mm_mask_storeu_epi8(q + j, static_cast<__mmask16>((1u << n) - 1), b);
    }
  }
}

const Q8Kernel& q8_kernel_avx512() {
  static const Q8Kernel t = {kMr, kNv, q8_micro, false};
  return t;
}
const Bf16Kernel& bf16_kernel_avx512() {
  static const Bf16Kernel t = {kMr, kNv, bf16_micro};
  return t;
}

}  // namespace albert
