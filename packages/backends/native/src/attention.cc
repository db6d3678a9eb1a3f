#include "attention.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <vector>

#include "gemm.h"
#include "kernels.h"
#include "pool.h"
#include "scratch.h"

namespace albert {
namespace {

thread_local Scratch t_qkv, t_bias;            // the calling thread: qkv [b·s, 3H] and [bq | bk | bv]
thread_local Scratch t_kt, t_scores, t_probs;  // each pool thread: K_hᵀ and a block of scores / probabilities
thread_local Scratch t_mask;                    // each pool thread: the batch item's mask, padded to s_pad

// Query rows per block: scores and probabilities of one block stay in L1/L2 while P V_h runs.
constexpr int64_t kRowBlock = 48;

struct Plan {
  const AttentionArgs* a;
  const float* qkv;
  const GemmKernel* ks;  // scores S = Q_h K_hᵀ (n = seq)
  const GemmKernel* kc;  // context P V_h (n = d)
  const KernelTable* kt;
  int64_t d, n3, s_pad, rblock;
};

// Query rows [q0, q1) of head h of batch item bi.
void head_rows(const Plan& p, int64_t bi, int64_t h, int64_t q0, int64_t q1) {
  const AttentionArgs& a = *p.a;
  const int64_t s = a.seq, d = p.d, n3 = p.n3, sp = p.s_pad, hidden = a.hidden;
  const float* item = p.qkv + bi * s * n3;
  const float* q = item + h * d;               // Q_h[i, c] = q[i * n3 + c]
  const float* k = item + hidden + h * d;      // K_h likewise
  const float* v = item + 2 * hidden + h * d;  // V_h likewise
  const float* mask = a.mask + bi * s;
  const GemmKernel& ks = *p.ks;
  const GemmKernel& kc = *p.kc;

  // K_hᵀ packed in panels of ks.nr key columns, k-major ([s_pad / nr][d][nr], zero past s):
  // the B operand of the scores, each panel contiguous.
  const int64_t nr = ks.nr;
  float* kt = t_kt.get(d * sp);
  for (int64_t j0 = 0; j0 < sp; j0 += nr)
    pack_transposed(k + j0 * n3, n3, std::min<int64_t>(nr, s - j0), d, static_cast<int>(nr), kt + j0 * d);

  // The mask padded to s_pad with -inf: the softmax runs over whole rows of s_pad (full vectors, no
  // remainder loop; short rows were mostly remainder), and the padded keys get exactly 0 (their scores
  // are 0 from the zero-filled K panel; exp(-inf) = 0) whatever the real mask, so every probability is
  // the softmax over the s real keys.
  float* padded_mask = t_mask.get(sp);
  std::memcpy(padded_mask, mask, static_cast<size_t>(s) * 4);
  for (int64_t j = s; j < sp; j++) padded_mask[j] = -INFINITY;

  const int64_t rb = p.rblock;  // a multiple of both kernels' mr
  float* scores = t_scores.get(rb * sp);
  float* probs = t_probs.get(rb * sp);
  alignas(64) float tile[16 * 64];
  for (int64_t i0 = q0; i0 < q1; i0 += rb) {
    const int64_t rows = std::min(rb, q1 - i0);
    // scores[r, :] = Q_h[i0 + r, :] · K_hᵀ, one K panel (in L1) against every row block. Rows
    // past `rows` repeat the last one (rb is a multiple of mr: a whole block fits the buffer).
    for (int64_t j = 0; j < sp; j += nr) {
      for (int64_t r = 0; r < rows; r += ks.mr) {
        const float* ar[16];
        for (int t = 0; t < ks.mr; t++) ar[t] = q + (i0 + std::min<int64_t>(r + t, rows - 1)) * n3;
        ks.micro(d, ar, 1, kt + j * d, nr, scores + r * sp + j, sp, 0);
      }
    }
    // probs = softmax(scores * scale + mask), max-subtracted; a -3.4e38 mask gives exactly 0. One
    // call for the block's rows (stride s_pad).
    p.kt->softmax_rows(scores, padded_mask, a.scale, probs, rows, sp);
    // out[i0 + r, h·d + c] = probs[r, :] · V_h[:, c], V_h read in place (row stride 3H).
    float* o = a.out + (bi * s + i0) * hidden + h * d;
    for (int64_t r = 0; r < rows; r += kc.mr) {
      const int64_t rr = std::min<int64_t>(kc.mr, rows - r);
      const float* ar[16];
      for (int t = 0; t < kc.mr; t++) ar[t] = probs + std::min<int64_t>(r + t, rows - 1) * sp;
      for (int64_t j = 0; j < d; j += kc.nr) {
        const int64_t cols = std::min<int64_t>(kc.nr, d - j);
        float* c = o + r * hidden + j;
        if (rr == kc.mr && cols == kc.nr) {
          kc.micro(s, ar, 1, v + j, n3, c, hidden, 0);
        } else {  // edge: the whole block aside (past column d it reads the next columns of qkv), then the valid part
          kc.micro(s, ar, 1, v + j, n3, tile, kc.nr, 0);
          for (int64_t y = 0; y < rr; y++) std::memcpy(c + y * hidden, tile + y * kc.nr, static_cast<size_t>(cols) * 4);
        }
      }
    }
  }
}

}  // namespace

int64_t attention_packed_qkv_size(int64_t hidden) { return gemm_packed_b_size(hidden, 3 * hidden); }

void attention_pack_qkv(const float* wq, const float* wk, const float* wv, int64_t hidden, float* out) {
  const int64_t n3 = 3 * hidden;
  std::vector<float> cat(static_cast<size_t>(hidden * n3));  // [H, 3H], once per weight triple
  const float* w[3] = {wq, wk, wv};
  for (int64_t r = 0; r < hidden; r++)
    for (int part = 0; part < 3; part++)
      std::memcpy(cat.data() + r * n3 + part * hidden, w[part] + r * hidden, static_cast<size_t>(hidden) * 4);
  gemm_pack_b(cat.data(), false, hidden, n3, out);
}

void self_attention(const AttentionArgs& a) {
  if (a.batch == 0 || a.seq == 0 || a.hidden == 0) return;
  const int64_t n3 = 3 * a.hidden, rows = a.batch * a.seq, d = a.hidden / a.heads;
  Plan p;
  p.a = &a;
  p.ks = &gemm_kernel_for(a.seq);
  p.kc = &gemm_kernel_for(d);
  p.kt = &kernels();
  p.d = d;
  p.n3 = n3;
  p.s_pad = ceil_div(a.seq, p.ks->nr) * p.ks->nr;
  const int64_t lcm = std::lcm<int64_t>(p.ks->mr, p.kc->mr);
  p.rblock = ceil_div(kRowBlock, lcm) * lcm;

  // qkv = x · [Wq | Wk | Wv] + [bq | bk | bv]: one GEMM. Padded by one register block so the
  // context's edge blocks may read past the last row.
  float* qkv = t_qkv.get(rows * n3 + 64);
  if (a.lowp != 0) {
    LowpLinearArgs l;
    l.m = rows;
    l.k = a.hidden;
    l.n = n3;
    l.x = a.x;
    l.weight = a.lowp_weight;
    l.scale = a.lowp_scale;
    l.colsum = a.lowp_colsum;
    l.bias = a.lowp_bias;
    l.y = qkv;
    if (a.lowp == 1) q8_linear(l, a.lowp_path);
    else bf16_linear(l, a.lowp_path);
  } else {
    float* bias = t_bias.get(n3);
    std::memcpy(bias, a.bq, static_cast<size_t>(a.hidden) * 4);
    std::memcpy(bias + a.hidden, a.bk, static_cast<size_t>(a.hidden) * 4);
    std::memcpy(bias + 2 * a.hidden, a.bv, static_cast<size_t>(a.hidden) * 4);
    GemmArgs g;
    g.m = rows;
    g.n = n3;
    g.k = a.hidden;
    g.a = a.x;
    g.b = a.qkv_packed;
    g.b_packed = a.qkv_packed;
    g.c = qkv;
    g.bias = bias;
    gemm(g);
  }
  p.qkv = qkv;

  // Tasks: (batch item, head), each cut into query chunks of whole row blocks when there are
  // too few to keep every thread busy.
  const int64_t pairs = a.batch * a.heads;
  const int64_t blocks = ceil_div(a.seq, p.rblock);
  const int64_t want = 4 * static_cast<int64_t>(pool_threads());
  const int64_t chunks = pairs >= want ? 1 : std::min(blocks, ceil_div(want, pairs));
  const int64_t tasks = pairs * chunks;
  parallel_for(tasks, tasks, [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; t++) {
      const int64_t pair = t / chunks, c = t % chunks;
      const int64_t b0 = blocks * c / chunks, b1 = blocks * (c + 1) / chunks;
      head_rows(p, pair / a.heads, pair % a.heads, b0 * p.rblock, std::min(a.seq, b1 * p.rblock));
    }
  });
}

}  // namespace albert
