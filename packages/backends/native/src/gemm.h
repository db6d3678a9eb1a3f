// Cache-blocked, multi-threaded SGEMM (batched), after Goto & van de Geijn, "Anatomy of
// High-Performance Matrix Multiplication" (ACM TOMS 2008): B is packed into NR-column panels,
// k-major, so the micro-kernel streams it contiguously (weights are packed once and cached by
// the caller); A is read in place through MR row pointers and a column stride, which also
// absorbs transposeA. K is cut into KC blocks so the operands in use stay in L1/L2. transposeB
// is absorbed by the packing, and bias + activation are applied to each C tile while it is hot.
#pragma once
#include <cstdint>

namespace albert {

struct GemmArgs {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  const float* a = nullptr;  // each [m, k], or [k, m] when trans_a
  int64_t a_stride = 0;      // floats between batch items (0: broadcast)
  bool trans_a = false;
  const float* b = nullptr;  // each [k, n], or [n, k] when trans_b
  int64_t b_stride = 0;
  bool trans_b = false;
  const float* b_packed = nullptr;  // gemm_pack_b(b) when b_stride == 0, or null
  float* c = nullptr;               // [batch, m, n]
  const float* bias = nullptr;      // [n] or null
  int act = 0;                      // Act
  float alpha = 0.0f;               // leaky relu slope
};

// Size in floats of B packed for the active ISA.
int64_t gemm_packed_b_size(int64_t k, int64_t n);
void gemm_pack_b(const float* b, bool trans_b, int64_t k, int64_t n, float* out);

// out[c][j] = src[j * ld + c] for c < k, j < nr: `rows` rows of a row-major matrix (row stride ld)
// transposed into k lines of nr, zero past `rows` (a transposed B's panel; attention's K_hᵀ).
void pack_transposed(const float* src, int64_t ld, int64_t rows, int64_t k, int nr, float* out);
void gemm(const GemmArgs& g);

}  // namespace albert
