#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <numeric>

#include "isa.h"
#include "kernels.h"
#include "pool.h"
#include "scratch.h"

namespace albert {
namespace {

// Measured on Zen 4 / AVX2: KC 768 is 2-5% faster than 256-512 (fewer round trips of C) and
// on par with 1024-1536. The BLIS order (a KC x NR B micro-panel kept in L1 while A streams
// from L2, KC 256-384) measured 2-10% slower on ALBERT's shapes: with A read in place and
// B packed, this order already runs at 97-99% of one core's peak.
constexpr int64_t kKC = 768;  // k block: an A micro-panel (MR x KC) stays in L1 while B streams from L2
// MC, measured on AMD EPYC / AVX-512 (2 cores) on the products of whole forwards in a forward's
// order (packages/albert/bench/bare-products.ts, batches of seq 28): 320 rows ran batch-8 forwards
// (224 rows) 8-9% faster than 144 (one row block: each task's B block is read once per call, not
// twice) and batch 4-32 the same or better; the AVX2 kernels on the same machine unchanged (±3%);
// `pnpm bench gemm` single shapes equal or better.
constexpr int64_t kMC = 320;  // rows per task
constexpr int64_t kNC = 256;  // columns per task (rounded to NR)

thread_local Scratch g_pack_a, g_pack_b;

// Panels [p0, p1) of width W cut from the columns of a row-major [k, cols] matrix (leading
// dimension ld): panel p holds columns [p * W, p * W + W) k-major at out + p * k * W, zero past
// cols. This is both a row-major B (W = NR) and a transposed A (stored [k, m], W = MR). Rows
// are taken 64 at a time so the source lines a panel leaves behind are still in L1 when the
// next panels use them, and every panel is written sequentially.
template <int W>
void pack_panels_w(const float* src, int64_t ld, int64_t cols, int64_t k, int64_t p0, int64_t p1, float* out) {
  for (int64_t q0 = 0; q0 < k; q0 += 64) {
    const int64_t q1 = std::min<int64_t>(k, q0 + 64);
    for (int64_t p = p0; p < p1; p++) {
      const int64_t j0 = p * W, valid = std::min<int64_t>(W, cols - j0);
      float* dst = out + p * k * W;
      if (valid == W) {
        for (int64_t q = q0; q < q1; q++) {
          const float* s = src + q * ld + j0;
          float* d = dst + q * W;
          for (int j = 0; j < W; j++) d[j] = s[j];
        }
      } else {
        for (int64_t q = q0; q < q1; q++) {
          const float* s = src + q * ld + j0;
          float* d = dst + q * W;
          for (int j = 0; j < W; j++) d[j] = j < valid ? s[j] : 0.0f;
        }
      }
    }
  }
}

void pack_panels(const float* src, int64_t ld, int64_t cols, int64_t k, int w, int64_t p0, int64_t p1, float* out) {
  switch (w) {
    case 4: return pack_panels_w<4>(src, ld, cols, k, p0, p1, out);
    case 6: return pack_panels_w<6>(src, ld, cols, k, p0, p1, out);
    case 8: return pack_panels_w<8>(src, ld, cols, k, p0, p1, out);
    case 12: return pack_panels_w<12>(src, ld, cols, k, p0, p1, out);
    case 16: return pack_panels_w<16>(src, ld, cols, k, p0, p1, out);
    case 24: return pack_panels_w<24>(src, ld, cols, k, p0, p1, out);
    case 32: return pack_panels_w<32>(src, ld, cols, k, p0, p1, out);
    case 48: return pack_panels_w<48>(src, ld, cols, k, p0, p1, out);
    default: break;
  }
  for (int64_t p = p0; p < p1; p++) {
    const int64_t j0 = p * w, valid = std::min<int64_t>(w, cols - j0);
    for (int64_t q = 0; q < k; q++)
      for (int j = 0; j < w; j++) out[p * k * w + q * w + j] = j < valid ? src[q * ld + j0 + j] : 0.0f;
  }
}

// Panels [p0, p1) of B ([k, n], or [n, k] when trans_b), panel p at out + p * k * nr.
void pack_b_panels(const float* b, bool trans_b, int64_t k, int64_t n, int nr, int64_t p0, int64_t p1, float* out) {
  if (!trans_b) return pack_panels(b, n, n, k, nr, p0, p1, out);
  for (int64_t p = p0; p < p1; p++) {
    const int64_t j0 = p * nr;
    pack_transposed(b + j0 * k, k, std::min<int64_t>(nr, n - j0), k, nr, out + p * k * nr);
  }
}

}  // namespace

void pack_transposed(const float* src, int64_t ld, int64_t rows, int64_t k, int nr, float* out) {
  if (nr % 8 == 0 && active_isa() != Isa::kBaseline) return pack_transposed_avx2(src, ld, rows, k, nr, out);
  // in k blocks of 64, so reads and writes stay in L1
  for (int64_t p0 = 0; p0 < k; p0 += 64) {
    const int64_t p1 = std::min<int64_t>(k, p0 + 64);
    for (int64_t j = 0; j < nr; j++) {
      if (j < rows) {
        const float* row = src + j * ld;
        for (int64_t p = p0; p < p1; p++) out[p * nr + j] = row[p];
      } else {
        for (int64_t p = p0; p < p1; p++) out[p * nr + j] = 0.0f;
      }
    }
  }
}

int64_t gemm_packed_b_size(int64_t k, int64_t n) {
  const int nr = gemm_kernel_for(n).nr;
  return ceil_div(n, nr) * nr * std::max<int64_t>(k, 1);
}

void gemm_pack_b(const float* b, bool trans_b, int64_t k, int64_t n, float* out) {
  const int nr = gemm_kernel_for(n).nr;
  const int64_t panels = ceil_div(n, nr);
  parallel_for(panels, std::min<int64_t>(panels, pool_threads() * 4),
               [&](int64_t p0, int64_t p1, int) { pack_b_panels(b, trans_b, k, n, nr, p0, p1, out); });
}

void gemm(const GemmArgs& g0) {
  GemmArgs g = g0;
  const KernelTable& kt = kernels();
  const GemmKernel& gk = gemm_kernel_for(g.n);
  const int mr = gk.mr, nr = gk.nr;
  if (g.m == 0 || g.n == 0 || g.batch == 0) return;
  if (g.k == 0) {  // empty sum: C = act(bias)
    for (int64_t b = 0; b < g.batch; b++) {
      std::memset(g.c + b * g.m * g.n, 0, static_cast<size_t>(g.m * g.n) * 4);
      kt.gemm_epilogue(g.c + b * g.m * g.n, g.n, g.m, g.n, g.bias, g.act, g.alpha);
    }
    return;
  }
  // A batch of row-major A's times one shared B is one tall GEMM.
  if (g.batch > 1 && g.b_stride == 0 && !g.trans_a && g.a_stride == g.m * g.k) {
    g.m *= g.batch;
    g.batch = 1;
  }
  const int64_t m = g.m, n = g.n, k = g.k, batch = g.batch;
  const int64_t a_panels = ceil_div(m, mr), b_panels = ceil_div(n, nr);
  const int64_t b_batches = g.b_stride == 0 ? 1 : batch;
  const int threads = pool_threads();

  // B: pre-packed (a cached weight), read in place (narrow), or packed below.
  const int64_t b_size = b_panels * nr * k;
  const float* pb = g.b_packed;
  float* pb_own = nullptr;
  // A narrow row-major B (attention's probabilities x values, n = 64) is read in place (row k
  // of panel p at b + k * n + p * nr): packing it costs more than it saves. Wide ones are packed
  // (measured: strided rows of a 768- or 3072-wide B run 25-60% slower).
  const bool b_in_place = pb == nullptr && !g.trans_b && n % nr == 0 && n <= 128;
  if (b_in_place) pb = g.b;
  else if (pb == nullptr) pb = pb_own = g_pack_b.get(b_batches * b_size);
  if (pb == nullptr) std::abort();
  // A(i, k) of one batch item: a[i * a_rs + k * a_cs] (row-major A read in place: a_rs = k,
  // a_cs = 1; a small transposed A read in place: a_rs = 1, a_cs = m), or the packed panels of
  // a large transposed A: panel p at p * k * mr, A(i, k) at (i % mr) + k * mr.
  const float* a_base = g.a;
  int64_t a_item = g.a_stride;
  int64_t a_rs = k, a_cs = 1;
  float* pa = nullptr;
  const int64_t a_batches = g.a_stride == 0 ? 1 : batch;
  const int64_t a_size = a_panels * mr * k;
  // A transposed A is read in place when it is small (at most 64 Ki floats: attention's
  // [128, 128] heads, a batch of 48 in training; the whole matrix stays in L2 while its
  // micro-panels are reused) or short (k <= 128: one micro-panel's k lines, 8 KiB, stay in L1
  // for all the B panels of a task; the MLM decoder's [73 x 30000]ᵀ gradient): the MR values of
  // one k are adjacent. Measured: +25-37% on attention's dK product, +4-8% on the decoder's.
  // A larger one (the weight gradients' [512, 768..3072]) is packed (in place was up to 26%
  // slower).
  if (g.trans_a && (m * k <= 64 * 1024 || k <= 128)) {
    a_rs = 1;
    a_cs = m;
  } else if (g.trans_a) {
    pa = g_pack_a.get(a_batches * a_size);
    if (pa == nullptr) std::abort();
    a_base = pa;
    a_item = g.a_stride == 0 ? 0 : a_size;
    a_rs = -1;  // panel layout, see below
    a_cs = mr;
  }
  // Pack what needs packing in one parallel job (one wake-up of the pool): groups of panels of
  // B and of a transposed A.
  {
    constexpr int64_t kGroup = 16;  // panels per job
    const int64_t b_groups = pb_own != nullptr ? ceil_div(b_panels, kGroup) : 0;
    const int64_t a_groups = pa != nullptr ? ceil_div(a_panels, kGroup) : 0;
    const int64_t jobs = b_batches * b_groups + a_batches * a_groups;
    if (jobs > 0) {
      parallel_for(jobs, std::min<int64_t>(jobs, threads * 4), [&](int64_t j0, int64_t j1, int) {
        for (int64_t j = j0; j < j1; j++) {
          if (j < b_batches * b_groups) {
            const int64_t bi = j / b_groups, p0 = (j % b_groups) * kGroup;
            pack_b_panels(g.b + bi * g.b_stride, g.trans_b, k, n, nr, p0, std::min(b_panels, p0 + kGroup),
                          pb_own + bi * b_size);
          } else {
            const int64_t ja = j - b_batches * b_groups, bi = ja / a_groups, p0 = (ja % a_groups) * kGroup;
            pack_panels(g.a + bi * g.a_stride, m, m, k, mr, p0, std::min(a_panels, p0 + kGroup), pa + bi * a_size);
          }
        }
      });
    }
  }

  // Tasks: batch x row blocks x column blocks, with enough column blocks to keep every
  // thread busy and a count that divides evenly among the threads when possible.
  const int64_t mc_panels = std::max<int64_t>(1, kMC / mr);
  const int64_t m_blocks = ceil_div(a_panels, mc_panels);
  int64_t n_blocks = ceil_div(b_panels, std::max<int64_t>(1, kNC / nr));
  const int64_t outer = batch * m_blocks;
  // Many small tasks: on a busy machine a descheduled thread holds back only a small one.
  if (outer * n_blocks < 8 * threads) n_blocks = ceil_div(8 * threads, outer);
  const int64_t even = threads / std::gcd<int64_t>(outer, threads);
  n_blocks = ceil_div(n_blocks, even) * even;
  n_blocks = std::min(n_blocks, b_panels);
  // Blocks get panels [nb * P / blocks, (nb + 1) * P / blocks): sizes differ by at most one.
  const int64_t tasks = outer * n_blocks;

  parallel_for(tasks, tasks, [&](int64_t t0, int64_t t1, int) {
    alignas(64) float tile[16 * 64];  // edge tiles (mr * nr <= 1024)
    for (int64_t t = t0; t < t1; t++) {
      const int64_t bi = t / (m_blocks * n_blocks);
      const int64_t mb = (t / n_blocks) % m_blocks, nb = t % n_blocks;
      const float* a = a_base + bi * a_item;
      const int64_t b_rs = b_in_place ? n : nr;
      float* c = g.c + bi * m * n;
      const int64_t ip0 = a_panels * mb / m_blocks, ip1 = a_panels * (mb + 1) / m_blocks;
      const int64_t jp0 = b_panels * nb / n_blocks, jp1 = b_panels * (nb + 1) / n_blocks;
      const float* b = b_in_place ? g.b + bi * g.b_stride : pb + (g.b_stride == 0 ? 0 : bi) * b_size;
      for (int64_t k0 = 0; k0 < k; k0 += kKC) {
        const int64_t kc = std::min(kKC, k - k0);
        const bool last = k0 + kc == k;
        for (int64_t ip = ip0; ip < ip1; ip++) {  // one A micro-panel (in L1) ...
          const int64_t i = ip * mr, rows = std::min<int64_t>(mr, m - i);
          const float* a_rows[16];
          for (int r = 0; r < mr; r++) {
            const int64_t row = i + (r < rows ? r : 0);
            a_rows[r] = (a_rs < 0 ? a + ip * k * mr + (row - i) : a + row * a_rs) + k0 * a_cs;
          }
          for (int64_t jp = jp0; jp < jp1; jp++) {  // ... times every B micro-panel of the task
            const int64_t j = jp * nr, cols = std::min<int64_t>(nr, n - j);
            const float* bp = b_in_place ? b + k0 * n + jp * nr : b + jp * k * nr + k0 * nr;
            float* cp = c + i * n + j;
            if (rows == mr && cols == nr) {
              gk.micro(kc, a_rows, a_cs, bp, b_rs, cp, n, k0 > 0);
            } else {  // edge: compute the full tile aside, then add the valid part
              gk.micro(kc, a_rows, a_cs, bp, b_rs, tile, nr, 0);
              for (int64_t r = 0; r < rows; r++)
                for (int64_t q = 0; q < cols; q++) cp[r * n + q] = (k0 > 0 ? cp[r * n + q] : 0.0f) + tile[r * nr + q];
            }
          }
          // Bias + activation on the row panel's columns of the task while they are in L1: one
          // call over rows x (task width) rather than per register tile (measured: GELU's
          // epilogue per 4 x 24 tile cost 10% of the FFN's product, mostly loop overhead).
          if (last && (g.bias != nullptr || g.act != kLinear)) {
            const int64_t j0 = jp0 * nr, j1 = std::min<int64_t>(n, jp1 * nr);
            kt.gemm_epilogue(c + i * n + j0, n, rows, j1 - j0, g.bias ? g.bias + j0 : nullptr, g.act, g.alpha);
          }
        }
      }
    }
  });
}

}  // namespace albert
