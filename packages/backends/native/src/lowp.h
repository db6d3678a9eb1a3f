// Low-precision linear layers for inference: int8 ("q8") and bfloat16 ("bf16") weights.
//
// Weight layouts (packages/common/CONTRACTS.md, produced by @albert-ts/common's quantize.ts):
// the output columns are cut into strips of 16; a strip holds the weight k-major in groups of
// G consecutive k (G = 4 int8 for q8, 2 bf16 for bf16), so one 64-byte line is "16 columns x
// G k values" — exactly one operand of vpdpbusd / vdpbf16ps:
//   q8:   byte   ((s * KG + g) * 16 + c) * 4 + r  = q(k = 4g + r, col = 16s + c), KG = ceil(K/4)
//   bf16: uint16 ((s * KP + p) * 16 + c) * 2 + r  = bf16(w(k = 2p + r, col = 16s + c)), KP = ceil(K/2)
// zero past K and past N. The layout does not depend on the instruction set: every path
// (scalar, AVX2, AVX-512 VNNI / BF16) reads the same packed weight.
//
// q8: w(k, n) ~= scale[n] * q(k, n), q in [-127, 127] (per output channel, symmetric). Each
// call quantizes its activation rows asymmetrically to u8 (per row: x ~= sa * (qa - za)), sums
// qa * q in int32, and dequantizes in the epilogue:
//   y(i, n) = act(sa_i * scale[n] * (acc(i, n) - za_i * colsum[n]) + bias[n]),
// colsum[n] = sum_k q(k, n) (given with the weight). Every path computes the same int32 sums.
// bf16: the activations are rounded to bf16 (nearest even) per call; products are summed in
// fp32, each k pair as vdpbf16ps does (the odd k's product added first, then the even k's).
#pragma once
#include <cmath>
#include <cstdint>

namespace albert {

// Which code runs the low-precision products.
enum class LowpPath { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };  // kAvx512: VNNI for q8, AVX512_BF16 for bf16
const char* lowp_path_name(LowpPath p);
bool lowp_path_from_name(const char* name, LowpPath* out);
// The best path this CPU supports for q8 / bf16, capped by the active fp32 ISA (so
// ALBERT_TS_NATIVE_ISA=avx2|baseline also forces the low-precision paths down).
LowpPath q8_path();
LowpPath bf16_path();
bool q8_path_supported(LowpPath p);
bool bf16_path_supported(LowpPath p);

struct LowpLinearArgs {
  int64_t m = 0, k = 0, n = 0;
  const float* x = nullptr;       // [m, k]
  const void* weight = nullptr;   // packed as above
  const float* scale = nullptr;   // q8: [n]
  const int32_t* colsum = nullptr;  // q8: [n]
  const float* bias = nullptr;    // [n] or null
  int act = 0;                    // Act (kernels.h)
  float* y = nullptr;             // [m, n]
};

void q8_linear(const LowpLinearArgs& a, LowpPath path);
void bf16_linear(const LowpLinearArgs& a, LowpPath path);

// Per-ISA pieces (lowp_kernels_*.cc). A micro-kernel computes nrows x (strips * 16) outputs
// (a_rows[r] valid for r < mr: callers repeat the last row):
// q8: acc over kg groups of 4, dequantized as above into y (row stride ldy); a_rows[r] points
// at row r's quantized values (u8 for scalar/avx512, int16 for avx2), b at strip 0 of the
// block, strips `sstride` bytes apart.
struct Q8Rows {
  const void* const* a;  // rows' quantized values
  const float* sa;       // rows' scales
  const int32_t* za;     // rows' zero points
};
struct Q8Kernel {
  int mr, nv;  // register block: mr rows x nv strips; rows <= mr, strips <= nv
  void (*micro)(int64_t kg, const Q8Rows& rows, int nrows, const int8_t* b, int64_t sstride, int strips,
                const float* scale, const int32_t* colsum, float* y, int64_t ldy);
  bool wide_rows;  // the rows are int16 (avx2) rather than u8
};
// bf16: a[r] points at row r's bf16 values (kp pairs), b at strip 0, strips sstride bytes apart.
struct Bf16Kernel {
  int mr, nv;
  void (*micro)(int64_t kp, const uint16_t* const* a, int nrows, const uint16_t* b, int64_t sstride, int strips,
                float* y, int64_t ldy);
};
// The per-row activation quantization of q8 (see the top of this file): from the row's min
// (<= 0) and max (>= 0), the scale sa, its inverse and the zero point (as a float).
inline void q8_row_params(float lo, float hi, float* scale, float* inv, float* zf) {
  float s = (hi - lo) / 255.0f;
  if (!(s > 0.0f) || !(s < 3.0e38f)) s = 1.0f;  // an all-zero row (or non-finite values)
  const float i = 1.0f / s;
  float z = std::nearbyint(-lo * i);  // nearest, ties to even
  z = z < 0.0f ? 0.0f : (z > 255.0f ? 255.0f : z);
  *scale = s;
  *inv = i;
  *zf = z;
}
// Rows [r0, r1) of x [m, k] quantized to u8 rows of kp (zero past k), AVX-512 (lowp_kernels_avx512.cc).
void q8_quantize_rows_avx512(const float* x, int64_t k, int64_t kp, int64_t r0, int64_t r1, uint8_t* out, float* sa,
                             int32_t* za);

const Q8Kernel& q8_kernel_scalar();
const Q8Kernel& q8_kernel_avx2();
const Q8Kernel& q8_kernel_avx512();  // vpdpbusd
const Bf16Kernel& bf16_kernel_scalar();
const Bf16Kernel& bf16_kernel_avx2();
const Bf16Kernel& bf16_kernel_avx512();  // vdpbf16ps

}  // namespace albert
