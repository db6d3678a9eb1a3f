// The scalar reference of the low-precision micro-kernels (lowp.h): plain loops, the same
// int32 sums and the same fp32 rounding order as the vector paths.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "lowp.h"

namespace albert {
namespace {

constexpr int kMr = 4, kNv = 1;

void q8_micro(int64_t kg, const Q8Rows& rows, int nrows, const int8_t* b, int64_t sstride, int strips,
              const float* scale, const int32_t* colsum, float* y, int64_t ldy) {
  for (int r = 0; r < nrows; r++) {
    const uint8_t* a = static_cast<const uint8_t*>(rows.a[r]);
    for (int s = 0; s < strips; s++) {
      const int8_t* bs = b + s * sstride;
      int32_t acc[16] = {0};
      for (int64_t g = 0; g < kg; g++) {
        const uint8_t* ag = a + g * 4;
        const int8_t* bg = bs + g * 64;
        for (int c = 0; c < 16; c++) {
          int32_t sum = 0;
          for (int q = 0; q < 4; q++) sum += static_cast<int32_t>(ag[q]) * static_cast<int32_t>(bg[c * 4 + q]);
          acc[c] += sum;
        }
      }
      for (int c = 0; c < 16; c++) {
        const int j = s * 16 + c;
        const int32_t d = acc[c] - rows.za[r] * colsum[j];
        const float f = rows.sa[r] * scale[j];
        y[r * ldy + j] = static_cast<float>(d) * f;
      }
    }
  }
}

inline float bf16_to_f32(uint16_t h) {
  const uint32_t u = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

void bf16_micro(int64_t kp, const uint16_t* const* a, int nrows, const uint16_t* b, int64_t sstride, int strips,
                float* y, int64_t ldy) {
  for (int r = 0; r < nrows; r++) {
    for (int s = 0; s < strips; s++) {
      const uint16_t* bs = reinterpret_cast<const uint16_t*>(reinterpret_cast<const char*>(b) + s * sstride);
      float acc[16] = {0};
      for (int64_t p = 0; p < kp; p++) {
        const float a0 = bf16_to_f32(a[r][2 * p]), a1 = bf16_to_f32(a[r][2 * p + 1]);
        for (int c = 0; c < 16; c++) {
          // As vdpbf16ps: the odd k's (exact) product is added first, then the even k's.
          acc[c] = std::fma(a1, bf16_to_f32(bs[(p * 16 + c) * 2 + 1]), acc[c]);
          acc[c] = std::fma(a0, bf16_to_f32(bs[(p * 16 + c) * 2]), acc[c]);
        }
      }
      for (int c = 0; c < 16; c++) y[r * ldy + s * 16 + c] = acc[c];
    }
  }
}

}  // namespace

const Q8Kernel& q8_kernel_scalar() {
  static const Q8Kernel t = {kMr, kNv, q8_micro, false};
  return t;
}
const Bf16Kernel& bf16_kernel_scalar() {
  static const Bf16Kernel t = {kMr, kNv, bf16_micro};
  return t;
}

}  // namespace albert
