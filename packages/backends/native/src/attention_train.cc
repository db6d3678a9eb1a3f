#include "attention_train.h"

#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "pool.h"
#include "scratch.h"

namespace albert {
namespace {

// Per pool thread: packed B operands and [s, s] blocks (scores, probabilities, their gradients).
thread_local Scratch t_b0, t_b1, t_ss0, t_ss1, t_ss2;

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

// One (batch item, head): where its Q, K, V (and gradients) start, and the kernels.
struct Head {
  int64_t s, d, ld;      // seq, head size, row stride (3H)
  const float* q;        // Q_h(i, c) = q[i * ld + c]; K_h and V_h likewise
  const float* k;
  const float* v;
  const float* mask;     // [s]
  const GemmKernel* ks;  // products with s columns
  const GemmKernel* kd;  // products with d columns
};

Head head(const AttentionTrainArgs& a, int64_t bi, int64_t h) {
  const int64_t H = a.hidden, d = H / a.heads, ld = 3 * H;
  const float* base = a.qkv + bi * a.seq * ld + h * d;
  return {a.seq, d, ld, base, base + H, base + 2 * H, a.mask + bi * a.seq, &gemm_kernel_for(a.seq), &gemm_kernel_for(d)};
}

// P_h = softmax(Q_h K_hᵀ · scale + mask) into p [s, s] (scores in `scores`).
void probabilities(const Head& g, const KernelTable& kt, float scale, float* scores, float* p) {
  const float* kt_h = pack_b(t_b0, g.k, 1, g.ld, g.d, g.s, g.ks->nr, 1.0f);  // B(c, j) = K_h[j, c]
  small_gemm(*g.ks, g.s, g.s, g.d, g.q, g.ld, 1, kt_h, scores, g.s);
  kt.softmax_rows(scores, g.mask, scale, p, g.s, g.s);  // max-subtracted; a -3.4e38 mask gives exactly 0
}

template <typename F>
void for_heads(const AttentionTrainArgs& a, F&& f) {
  const int64_t pairs = a.batch * a.heads;
  parallel_for(pairs, pairs, [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; t++) f(t / a.heads, t % a.heads);
  });
}

}  // namespace

void attention_train_forward(const AttentionTrainArgs& a) {
  if (a.batch == 0 || a.seq == 0 || a.hidden == 0) return;
  const KernelTable& kt = kernels();
  for_heads(a, [&](int64_t bi, int64_t h) {
    const Head g = head(a, bi, h);
    const int64_t s = g.s;
    float* p = t_ss1.get(s * s);
    probabilities(g, kt, a.scale, t_ss0.get(s * s), p);
    const float* v_h = pack_b(t_b1, g.v, g.ld, 1, s, g.d, g.kd->nr, 1.0f);
    small_gemm(*g.kd, s, g.d, s, p, s, 1, v_h, a.out + bi * s * a.hidden + h * g.d, a.hidden);
  });
}

void attention_train_backward(const AttentionTrainArgs& a) {
  if (a.batch == 0 || a.seq == 0 || a.hidden == 0) return;
  const KernelTable& kt = kernels();
  for_heads(a, [&](int64_t bi, int64_t h) {
    const Head g = head(a, bi, h);
    const int64_t s = g.s, d = g.d, H = a.hidden;
    const float* dout = a.dout + bi * s * H + h * d;  // dO_h(i, c) = dout[i * H + c]
    float* dq = a.dqkv + bi * s * g.ld + h * d;       // dQ_h, dK_h (+H), dV_h (+2H), row stride 3H
    float* p = t_ss1.get(s * s);
    probabilities(g, kt, a.scale, t_ss0.get(s * s), p);
    // dV_h = P_hᵀ · dO_h (A(i, x) = P[x, i]).
    const float* do_h = pack_b(t_b0, dout, H, 1, s, d, g.kd->nr, 1.0f);
    small_gemm(*g.kd, s, d, s, p, 1, s, do_h, dq + 2 * H, g.ld);
    // dP_h = dO_h · V_hᵀ, then dZ_h.
    const float* vt_h = pack_b(t_b1, g.v, 1, g.ld, d, s, g.ks->nr, 1.0f);
    float* dp = t_ss0.get(s * s);
    small_gemm(*g.ks, s, s, d, dout, H, 1, vt_h, dp, s);
    float* dz = t_ss2.get(s * s);
    kt.softmax_grad_rows(dp, p, dz, s, s);
    // dQ_h = scale · dZ_h · K_h and dK_h = scale · dZ_hᵀ · Q_h (the scale folded into the packing).
    const float* k_h = pack_b(t_b0, g.k, g.ld, 1, s, d, g.kd->nr, a.scale);
    small_gemm(*g.kd, s, d, s, dz, s, 1, k_h, dq, g.ld);
    const float* q_h = pack_b(t_b1, g.q, g.ld, 1, s, d, g.kd->nr, a.scale);
    small_gemm(*g.kd, s, d, s, dz, 1, s, q_h, dq + H, g.ld);
  });
}

}  // namespace albert
