#include "attention_train.h"

#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "pool.h"
#include "scratch.h"

namespace albert {
namespace {

// Per pool thread: packed B operands and an [s, s] block of scores / probability gradients.
thread_local Scratch t_b0, t_b1, t_b2, t_ss0, t_ss1;

// A [rows, cols] operand B(r, c) = src[r * rs + c * cs] packed in panels of nr columns, r-major
// ([ceil(cols / nr)][rows][nr], zero past cols), each value times `mul`.
float* pack_b(Scratch& buf, const float* src, int64_t rs, int64_t cs, int64_t rows, int64_t cols, int nr, float mul) {
  const int64_t panels = ceil_div(cols, nr);
  float* out = buf.get(panels * rows * nr);
  for (int64_t p = 0; p < panels; p++) {
    const int64_t j0 = p * nr, valid = std::min<int64_t>(nr, cols - j0);
    float* panel = out + p * rows * nr;
    for (int64_t r = 0; r < rows; r++) {
      float* d = panel + r * nr;
      const float* s = src + r * rs + j0 * cs;
      if (cs == 1) {
        for (int64_t j = 0; j < valid; j++) d[j] = s[j] * mul;
      } else {
        for (int64_t j = 0; j < valid; j++) d[j] = s[j * cs] * mul;
      }
      for (int64_t j = valid; j < nr; j++) d[j] = 0.0f;
    }
  }
  return out;
}

// C[m, n] (row stride ldc) = A[m, kdim] · B, A(i, x) = a[i * a_rs + x * a_cs], B packed by pack_b
// with gk.nr. Rows past m repeat row m - 1 (never read out of bounds); edge tiles go through a
// buffer so C is written only where it exists.
void small_gemm(const GemmKernel& gk, int64_t m, int64_t n, int64_t kdim, const float* a, int64_t a_rs, int64_t a_cs,
                const float* pb, float* c, int64_t ldc) {
  const int mr = gk.mr, nr = gk.nr;
  alignas(64) float tile[16 * 64];
  for (int64_t i0 = 0; i0 < m; i0 += mr) {
    const int64_t rows = std::min<int64_t>(mr, m - i0);
    const float* ar[16];
    for (int r = 0; r < mr; r++) ar[r] = a + std::min<int64_t>(i0 + r, m - 1) * a_rs;
    for (int64_t j = 0; j < n; j += nr) {
      const int64_t cols = std::min<int64_t>(nr, n - j);
      const float* bp = pb + (j / nr) * kdim * nr;
      float* cp = c + i0 * ldc + j;
      if (rows == mr && cols == nr) {
        gk.micro(kdim, ar, a_cs, bp, nr, cp, ldc, 0);
      } else {
        gk.micro(kdim, ar, a_cs, bp, nr, tile, nr, 0);
        for (int64_t r = 0; r < rows; r++) std::memcpy(cp + r * ldc, tile + r * nr, static_cast<size_t>(cols) * 4);
      }
    }
  }
}

struct Dims {
  int64_t s, d, hidden;
  const GemmKernel* ks;  // products with seq columns
  const GemmKernel* kd;  // products with head-size columns
};

Dims dims(int64_t seq, int64_t hidden, int64_t heads) {
  const int64_t d = hidden / heads;
  return {seq, d, hidden, &gemm_kernel_for(seq), &gemm_kernel_for(d)};
}

template <typename F>
void for_heads(int64_t batch, int64_t heads, F&& f) {
  const int64_t pairs = batch * heads;
  parallel_for(pairs, pairs, [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; t++) f(t / heads, t % heads);
  });
}

}  // namespace

void attention_core(const AttentionCoreArgs& a) {
  if (a.batch == 0 || a.seq == 0 || a.hidden == 0) return;
  const Dims g = dims(a.seq, a.hidden, a.heads);
  const KernelTable& kt = kernels();
  for_heads(a.batch, a.heads, [&](int64_t bi, int64_t h) {
    const int64_t s = g.s, d = g.d, H = g.hidden;
    const int64_t off = bi * s * H + h * d;  // head h of item bi: element (i, c) at off + i * H + c
    // scores = Q_h · K_hᵀ (B(c, j) = K_h[j, c]), then the probabilities.
    const float* kt_h = pack_b(t_b0, a.k + off, 1, H, d, s, g.ks->nr, 1.0f);
    float* scores = t_ss0.get(s * s);
    small_gemm(*g.ks, s, s, d, a.q + off, H, 1, kt_h, scores, s);
    float* p = a.probs + (bi * a.heads + h) * s * s;
    kt.softmax_rows(scores, a.mask + bi * s, a.scale, p, s, s);  // max-subtracted; a -3.4e38 mask gives 0
    // O_h = P_h · V_h, into the output's columns of head h.
    const float* v_h = pack_b(t_b1, a.v + off, H, 1, s, d, g.kd->nr, 1.0f);
    small_gemm(*g.kd, s, d, s, p, s, 1, v_h, a.out + off, H);
  });
}

void attention_core_grad(const AttentionCoreGradArgs& a) {
  if (a.batch == 0 || a.seq == 0 || a.hidden == 0) return;
  const Dims g = dims(a.seq, a.hidden, a.heads);
  const KernelTable& kt = kernels();
  for_heads(a.batch, a.heads, [&](int64_t bi, int64_t h) {
    const int64_t s = g.s, d = g.d, H = g.hidden;
    const int64_t off = bi * s * H + h * d;
    const int64_t poff = (bi * a.heads + h) * s * s;
    const float* p = a.probs + poff;
    // dV_h = P_hᵀ · dO_h (A(i, x) = P[x, i]).
    const float* do_h = pack_b(t_b0, a.dout + off, H, 1, s, d, g.kd->nr, 1.0f);
    small_gemm(*g.kd, s, d, s, p, 1, s, do_h, a.dv + off, H);
    // dP_h = dO_h · V_hᵀ (+ the probabilities' own gradient), then dZ_h.
    const float* vt_h = pack_b(t_b1, a.v + off, 1, H, d, s, g.ks->nr, 1.0f);
    float* dp = t_ss0.get(s * s);
    small_gemm(*g.ks, s, s, d, a.dout + off, H, 1, vt_h, dp, s);
    if (a.dprobs != nullptr) {
      const float* dpr = a.dprobs + poff;
      for (int64_t x = 0; x < s * s; x++) dp[x] += dpr[x];
    }
    float* dz = t_ss1.get(s * s);
    kt.softmax_grad_rows(dp, p, dz, s, s);
    // dQ_h = scale · dZ_h · K_h and dK_h = scale · dZ_hᵀ · Q_h (the scale folded into the packing).
    const float* k_h = pack_b(t_b2, a.k + off, H, 1, s, d, g.kd->nr, a.scale);
    small_gemm(*g.kd, s, d, s, dz, s, 1, k_h, a.dq + off, H);
    const float* q_h = pack_b(t_b2, a.q + off, H, 1, s, d, g.kd->nr, a.scale);
    small_gemm(*g.kd, s, d, s, dz, 1, s, q_h, a.dk + off, H);
  });
}

}  // namespace albert
