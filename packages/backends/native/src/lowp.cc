// Drivers of the low-precision linear layers (lowp.h): picking the path, quantizing or
// rounding the activation rows, and the tiled, threaded product with its epilogue.
#include "lowp.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "isa.h"
#include "kernels.h"
#include "pool.h"
#include "scratch.h"

namespace albert {
namespace {

struct CpuLowp {
  bool vnni = false, bf16 = false;
};

CpuLowp probe_lowp() {
  CpuLowp c;
#if defined(__x86_64__)
  if (detect_isa() != Isa::kAvx512) return c;  // also checks that the OS saves the zmm state
  unsigned a, b, cx, d;
  if (!__get_cpuid_count(7, 0, &a, &b, &cx, &d)) return c;
  const bool bw = (b >> 30) & 1, vl = (b >> 31) & 1;
  c.vnni = bw && vl && ((cx >> 11) & 1);
  const unsigned max_sub = a;
  if (max_sub >= 1 && __get_cpuid_count(7, 1, &a, &b, &cx, &d)) c.bf16 = bw && vl && ((a >> 5) & 1);
#endif
  return c;
}

const CpuLowp& cpu() {
  static const CpuLowp c = probe_lowp();
  return c;
}

// The magic-number round (nearest, ties to even) for |v| < 2^22: vectorises, unlike lrintf.
inline float round_even(float v) { return (v + 12582912.0f) - 12582912.0f; }

// Row r of x [m, k] quantized to u8 (or int16 holding u8 values when `wide`), k padded to kp
// with zeros: x ~= sa * (q - za), sa = (max - min) / 255 over the row with 0 inside [min, max].
// fp-contract=off: x * inv + magic must round twice as written (an FMA would round once), the
// same as the AVX-512 version, so every path gets the same bytes.
__attribute__((optimize("fp-contract=off"))) void quantize_rows(const float* x, int64_t k, int64_t kp, int64_t r0,
                                                                int64_t r1, bool wide, void* out, float* sa,
                                                                int32_t* za) {
  for (int64_t r = r0; r < r1; r++) {
    const float* row = x + r * k;
    float lo = 0.0f, hi = 0.0f;
#pragma omp simd reduction(min : lo) reduction(max : hi)
    for (int64_t j = 0; j < k; j++) {
      lo = std::min(lo, row[j]);
      hi = std::max(hi, row[j]);
    }
    float scale, inv, zf;
    q8_row_params(lo, hi, &scale, &inv, &zf);
    const float qlo = -zf, qhi = 255.0f - zf;
    sa[r] = scale;
    za[r] = static_cast<int32_t>(zf);
    if (wide) {
      int16_t* q = static_cast<int16_t*>(out) + r * kp;
#pragma omp simd
      for (int64_t j = 0; j < k; j++) {
        const float v = std::min(qhi, std::max(qlo, round_even(row[j] * inv)));
        q[j] = static_cast<int16_t>(static_cast<int32_t>(v + zf));
      }
      for (int64_t j = k; j < kp; j++) q[j] = 0;
    } else {
      uint8_t* q = static_cast<uint8_t*>(out) + r * kp;
#pragma omp simd
      for (int64_t j = 0; j < k; j++) {
        const float v = std::min(qhi, std::max(qlo, round_even(row[j] * inv)));
        q[j] = static_cast<uint8_t>(static_cast<int32_t>(v + zf));
      }
      for (int64_t j = k; j < kp; j++) q[j] = 0;
    }
  }
}

// fp32 -> bf16, round to nearest even (NaN stays NaN).
void round_rows_bf16(const float* x, int64_t k, int64_t kp, int64_t r0, int64_t r1, uint16_t* out) {
  for (int64_t r = r0; r < r1; r++) {
    const float* row = x + r * k;
    uint16_t* q = out + r * kp;
#pragma omp simd
    for (int64_t j = 0; j < k; j++) {
      uint32_t u;
      std::memcpy(&u, row + j, 4);
      const uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
      const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
      q[j] = static_cast<uint16_t>(nan ? ((u >> 16) | 0x40u) : rounded);
    }
    for (int64_t j = k; j < kp; j++) q[j] = 0;
  }
}

thread_local Scratch t_rows, t_row_params;  // the calling thread's quantized rows and their (sa, za)

// The tiled product: tiles of mr rows x (nv strips), grouped into tasks of row blocks x strip
// blocks; `tile(i, rows, s, strips, y, ldy)` writes rows x (strips * 16) values at y. Then the
// bias and activation on the task's part of each row panel while it is in cache.
template <typename Tile>
void tiled(const LowpLinearArgs& g, int mr, int nv, Tile&& tile) {
  const int64_t m = g.m, n = g.n, strips = (n + 15) / 16;
  const int64_t panels = ceil_div(m, mr), blocks = ceil_div(strips, nv);
  const int threads = pool_threads();
  constexpr int64_t kMC = 96, kNC = 256;  // rows / columns per task (before splitting for threads)
  const int64_t m_blocks = ceil_div(panels, std::max<int64_t>(1, kMC / mr));
  int64_t n_blocks = ceil_div(blocks, std::max<int64_t>(1, kNC / (16 * nv)));
  if (m_blocks * n_blocks < 4 * threads) n_blocks = ceil_div(4 * threads, m_blocks);
  n_blocks = std::min(n_blocks, blocks);
  const int64_t tasks = m_blocks * n_blocks;
  const KernelTable& kt = kernels();
  parallel_for(tasks, tasks, [&](int64_t t0, int64_t t1, int) {
    alignas(64) float edge[16 * 64];
    for (int64_t t = t0; t < t1; t++) {
      const int64_t mb = t / n_blocks, nb = t % n_blocks;
      const int64_t ip0 = panels * mb / m_blocks, ip1 = panels * (mb + 1) / m_blocks;
      const int64_t jb0 = blocks * nb / n_blocks, jb1 = blocks * (nb + 1) / n_blocks;
      const int64_t c0 = jb0 * nv * 16, c1 = std::min(n, jb1 * nv * 16);
      for (int64_t ip = ip0; ip < ip1; ip++) {
        const int64_t i = ip * mr, rows = std::min<int64_t>(mr, m - i);
        for (int64_t jb = jb0; jb < jb1; jb++) {
          const int64_t s = jb * nv, ns = std::min<int64_t>(nv, strips - s);
          const int64_t j = s * 16, cols = std::min<int64_t>(ns * 16, n - j);
          if (cols == ns * 16) {
            tile(i, static_cast<int>(rows), s, static_cast<int>(ns), g.y + i * n + j, n);
          } else {  // the last strip is partial: the whole block aside, then the valid columns
            tile(i, static_cast<int>(rows), s, static_cast<int>(ns), edge, ns * 16);
            for (int64_t r = 0; r < rows; r++)
              std::memcpy(g.y + (i + r) * n + j, edge + r * ns * 16, static_cast<size_t>(cols) * 4);
          }
        }
        if (g.bias != nullptr || g.act != kLinear)
          kt.gemm_epilogue(g.y + i * n + c0, n, rows, c1 - c0, g.bias ? g.bias + c0 : nullptr, g.act, 0.0f);
      }
    }
  });
}

}  // namespace

const char* lowp_path_name(LowpPath p) {
  switch (p) {
    case LowpPath::kAvx512: return "avx512";
    case LowpPath::kAvx2: return "avx2";
    default: return "scalar";
  }
}

bool lowp_path_from_name(const char* name, LowpPath* out) {
  if (!std::strcmp(name, "scalar")) *out = LowpPath::kScalar;
  else if (!std::strcmp(name, "avx2")) *out = LowpPath::kAvx2;
  else if (!std::strcmp(name, "avx512")) *out = LowpPath::kAvx512;
  else return false;
  return true;
}

bool q8_path_supported(LowpPath p) {
  switch (p) {
    case LowpPath::kAvx512: return cpu().vnni;
    case LowpPath::kAvx2: return detect_isa() != Isa::kBaseline;
    default: return true;
  }
}

bool bf16_path_supported(LowpPath p) {
  switch (p) {
    case LowpPath::kAvx512: return cpu().bf16;
    case LowpPath::kAvx2: return detect_isa() != Isa::kBaseline;
    default: return true;
  }
}

LowpPath q8_path() {
  if (active_isa() == Isa::kAvx512 && cpu().vnni) return LowpPath::kAvx512;
  if (active_isa() != Isa::kBaseline) return LowpPath::kAvx2;
  return LowpPath::kScalar;
}

LowpPath bf16_path() {
  if (active_isa() == Isa::kAvx512 && cpu().bf16) return LowpPath::kAvx512;
  if (active_isa() != Isa::kBaseline) return LowpPath::kAvx2;
  return LowpPath::kScalar;
}

void q8_linear(const LowpLinearArgs& g, LowpPath path) {
  if (g.m == 0 || g.n == 0) return;
  const Q8Kernel& kern = path == LowpPath::kAvx512 ? q8_kernel_avx512()
                         : path == LowpPath::kAvx2 ? q8_kernel_avx2()
                                                   : q8_kernel_scalar();
  const int64_t kg = (g.k + 3) / 4, kp = kg * 4, strips = (g.n + 15) / 16;
  const int64_t elem = kern.wide_rows ? 2 : 1;
  char* rows = reinterpret_cast<char*>(t_rows.get((g.m * kp * elem + 3) / 4 + 16));
  float* params = t_row_params.get(2 * g.m);
  float* sa = params;
  int32_t* za = reinterpret_cast<int32_t*>(params + g.m);
  const int threads = pool_threads();
  const int64_t qtasks = std::min<int64_t>(g.m, threads * 4);
  parallel_for(g.m, qtasks, [&](int64_t r0, int64_t r1, int) {
    if (path == LowpPath::kAvx512)
      q8_quantize_rows_avx512(g.x, g.k, kp, r0, r1, reinterpret_cast<uint8_t*>(rows), sa, za);
    else
      quantize_rows(g.x, g.k, kp, r0, r1, kern.wide_rows, rows, sa, za);
  });
  const int8_t* w = static_cast<const int8_t*>(g.weight);
  const int64_t sstride = kg * 64;
  (void)strips;
  tiled(g, kern.mr, kern.nv, [&](int64_t i, int nrows, int64_t s, int ns, float* y, int64_t ldy) {
    const void* a[16];
    float rsa[16];
    int32_t rza[16];
    for (int r = 0; r < kern.mr; r++) {
      const int64_t row = i + std::min(r, nrows - 1);
      a[r] = rows + row * kp * elem;
      rsa[r] = sa[row];
      rza[r] = za[row];
    }
    const Q8Rows qr{a, rsa, rza};
    kern.micro(kg, qr, nrows, w + s * sstride, sstride, ns, g.scale + s * 16, g.colsum + s * 16, y, ldy);
  });
}

void bf16_linear(const LowpLinearArgs& g, LowpPath path) {
  if (g.m == 0 || g.n == 0) return;
  const Bf16Kernel& kern = path == LowpPath::kAvx512 ? bf16_kernel_avx512()
                           : path == LowpPath::kAvx2 ? bf16_kernel_avx2()
                                                     : bf16_kernel_scalar();
  const int64_t kpairs = (g.k + 1) / 2, kp = kpairs * 2;
  uint16_t* rows = reinterpret_cast<uint16_t*>(t_rows.get((g.m * kp + 1) / 2 + 16));
  const int threads = pool_threads();
  const int64_t qtasks = std::min<int64_t>(g.m, threads * 4);
  parallel_for(g.m, qtasks, [&](int64_t r0, int64_t r1, int) { round_rows_bf16(g.x, g.k, kp, r0, r1, rows); });
  const uint16_t* w = static_cast<const uint16_t*>(g.weight);
  const int64_t sstride = kpairs * 64;  // bytes
  tiled(g, kern.mr, kern.nv, [&](int64_t i, int nrows, int64_t s, int ns, float* y, int64_t ldy) {
    const uint16_t* a[16];
    for (int r = 0; r < kern.mr; r++) a[r] = rows + (i + std::min(r, nrows - 1)) * kp;
    kern.micro(kpairs, a, nrows, reinterpret_cast<const uint16_t*>(reinterpret_cast<const char*>(w) + s * sstride),
               sstride, ns, y, ldy);
  });
}

}  // namespace albert
