// The table of per-ISA kernels. Each of kernels_{baseline,avx2,avx512}.cc compiles the same
// sources (gemm_micro.inc, ops.inc) for its instruction set; dispatch.cc picks one table at
// run time. Every function here works on one contiguous chunk; threading is done by callers.
#pragma once
#include <cstdint>

namespace albert {

enum UnaryOp : int {
  kNeg = 0, kExp, kTanh, kErf, kSqrt, kRsqrt, kSquare, kAbs, kRelu, kSigmoid, kReciprocal, kRelu6, kElu,
  kLeakyRelu, kGelu, kGeluNew, kCube, kUnaryCount
};
enum BinaryOp : int { kAdd = 0, kSub, kMul, kDiv, kMax, kMin, kSquaredDiff, kBinaryCount };
enum ReduceOp : int { kSum = 0, kMean, kMaxR, kMinR };
// Activations of the GEMM epilogue (tfjs _FusedMatMul names, plus both GELUs): @albert-ts/common's
// FUSED_ACTIVATION_CODES. The TS side of every enum here is checked by test/contract.test.ts.
enum Act : int { kLinear = 0, kActRelu, kActRelu6, kActSigmoid, kActLeakyRelu, kActElu, kActGelu, kActGeluNew };

// One GEMM register block: c[mr x nr] (+)= A[mr x kc] * B[kc x nr], where A(i, k) =
// a_rows[i][k * a_cs] and row k of B starts at b + k * b_rs; ldc is the row stride of c.
struct GemmKernel {
  int mr, nr;
  void (*micro)(int64_t kc, const float* const* a_rows, int64_t a_cs, const float* b, int64_t b_rs, float* c,
                int64_t ldc, int accumulate);
};

struct KernelTable {
  const char* name;
  // Two register blocks: [0] the fastest, [1] for widths [0] does not divide (see gemm_kernel_for).
  GemmKernel gemm[2];
  // c[m x n] = act(c + bias[n]) (bias may be null)
  void (*gemm_epilogue)(float* c, int64_t ldc, int64_t m, int64_t n, const float* bias, int act, float alpha);

  void (*unary)(int op, const float* x, float* y, int64_t n, float alpha);
  // y[i] = a[i*sa] op b[i*sb] with sa, sb in {0, 1}
  void (*binary)(int op, const float* a, int64_t sa, const float* b, int64_t sb, float* y, int64_t n);
  // dy * f'(x) for f = gelu (tanh_form 0) or gelu_new (1)
  void (*gelu_grad)(const float* dy, const float* x, float* dx, int64_t n, int tanh_form);
  // y = softmax(x * scale + mask) per row; mask (cols values, shared by the rows) may be null
  void (*softmax_rows)(const float* x, const float* mask, float scale, float* y, int64_t rows, int64_t cols);
  void (*softmax_grad_rows)(const float* dy, const float* y, float* dx, int64_t rows, int64_t cols);
  // y = layernorm(x + residual) (residual may be null)
  void (*layernorm_rows)(const float* x, const float* residual, const float* gamma, const float* beta, float* y,
                         int64_t rows, int64_t cols, float eps);
  void (*layernorm_grad_x_rows)(const float* dy, const float* x, const float* gamma, float* dx, int64_t rows,
                                int64_t cols, float eps);
  // acc_gamma[c] += sum_r dy*xhat, acc_beta[c] += sum_r dy over the given rows
  void (*layernorm_grad_params_rows)(const float* dy, const float* x, float* acc_gamma, float* acc_beta, int64_t rows,
                                     int64_t cols, float eps);
  // y[r] = reduce(x[r, 0:cols])
  void (*reduce_rows)(int op, const float* x, float* y, int64_t rows, int64_t cols);
  // acc[c] = reduce(acc[c], x[r, c]) over rows; acc is pre-initialised by the caller
  void (*reduce_cols)(int op, const float* x, float* acc, int64_t rows, int64_t cols);
  // y[i] = x[i] * scale if bits(i0 + i) >= threshold else 0, bits(j) = mix32(mix32(j ^ k0) + k1) >> 8
  // (inverted dropout's counter-based mask, see ops.h; j is the element's index in the tensor)
  void (*dropout)(const float* x, float* y, int64_t n, int64_t i0, uint32_t k0, uint32_t k1, uint32_t threshold,
                  float scale);
};

// out[c][j] = src[j * ld + c] for c < k, j < nr: `rows` rows of a row-major matrix (row stride ld)
// transposed into k lines of nr (zero past `rows`): a transposed B's panel for gemm.cc, attention's
// K_hᵀ. 8 x 8 blocks transposed in registers (a scalar transpose writes one float per store and
// costs as much as the products of attention's small heads). Compiled in kernels_avx2.cc; call only
// when the CPU has AVX2.
void pack_transposed_avx2(const float* src, int64_t ld, int64_t rows, int64_t k, int nr, float* out);

const KernelTable& kernels_baseline();
const KernelTable& kernels_avx2();
const KernelTable& kernels_avx512();
const KernelTable& kernels();  // the active ISA's table
// The register block used for a product with n columns (a function of n only, so a weight
// packed once fits every later call).
const GemmKernel& gemm_kernel_for(int64_t n);

}  // namespace albert
