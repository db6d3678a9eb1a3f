#include "ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels.h"
#include "pool.h"

namespace albert {
namespace {

constexpr int64_t kParallelElems = 1 << 15;  // below this, one thread (a wake-up costs more)

// Four chunks per thread: a thread descheduled on a busy machine holds back only a small one.
int64_t tasks_for(int64_t work_elems, int64_t units) {
  if (work_elems < kParallelElems) return 1;
  return std::min<int64_t>(units, pool_threads() * 4);
}

// Splits rows among threads; fn(r0, r1) handles rows [r0, r1).
template <typename F>
void for_rows(int64_t rows, int64_t cols, F&& fn) {
  parallel_for(rows, tasks_for(rows * cols, rows), [&](int64_t r0, int64_t r1, int) { fn(r0, r1); });
}

}  // namespace

void op_unary(int op, const float* x, float* y, int64_t n, float alpha) {
  const KernelTable& kt = kernels();
  const int64_t blocks = (n + 4095) / 4096;
  parallel_for(blocks, tasks_for(n, blocks), [&](int64_t b0, int64_t b1, int) {
    const int64_t i0 = b0 * 4096, i1 = std::min(n, b1 * 4096);
    kt.unary(op, x + i0, y + i0, i1 - i0, alpha);
  });
}

std::string op_binary(int op, const float* a, const std::vector<int64_t>& a_shape, const float* b,
                      const std::vector<int64_t>& b_shape, float* y, const std::vector<int64_t>& out_shape) {
  const size_t nd = out_shape.size();
  if (a_shape.size() > nd || b_shape.size() > nd || nd > 16) return "rank mismatch";
  // Right-align the input shapes; broadcast dims get stride 0.
  std::vector<int64_t> dims, sa, sb;
  {
    std::vector<int64_t> da(nd, 1), db(nd, 1);
    std::copy(a_shape.begin(), a_shape.end(), da.begin() + (nd - a_shape.size()));
    std::copy(b_shape.begin(), b_shape.end(), db.begin() + (nd - b_shape.size()));
    std::vector<int64_t> stra(nd), strb(nd);
    int64_t ra = 1, rb = 1;
    for (size_t d = nd; d-- > 0;) {
      if ((da[d] != out_shape[d] && da[d] != 1) || (db[d] != out_shape[d] && db[d] != 1)) return "shapes do not broadcast";
      stra[d] = da[d] == 1 ? 0 : ra;
      strb[d] = db[d] == 1 ? 0 : rb;
      ra *= da[d];
      rb *= db[d];
    }
    // Drop size-1 dims and merge neighbours that are contiguous in both inputs.
    for (size_t d = 0; d < nd; d++) {
      if (out_shape[d] == 1) continue;
      if (!dims.empty() && sa.back() == stra[d] * out_shape[d] && sb.back() == strb[d] * out_shape[d]) {
        dims.back() *= out_shape[d];
        sa.back() = stra[d];
        sb.back() = strb[d];
      } else {
        dims.push_back(out_shape[d]);
        sa.push_back(stra[d]);
        sb.push_back(strb[d]);
      }
    }
  }
  int64_t total = 1;
  for (int64_t d : out_shape) total *= d;
  if (total == 0) return "";
  if (dims.empty()) {
    dims.push_back(1);
    sa.push_back(0);
    sb.push_back(0);
  }
  const KernelTable& kt = kernels();
  const size_t last = dims.size() - 1;
  const int64_t inner = dims[last];
  const int64_t ia = sa[last], ib = sb[last];
  if (ia > 1 || ib > 1) return "internal: inner stride";
  const int64_t outer = total / inner;
  // Walk the outer index: each step is one inner run.
  parallel_for(outer, tasks_for(total, outer), [&](int64_t o0, int64_t o1, int) {
    std::vector<int64_t> idx(last, 0);
    int64_t rem = o0, offa = 0, offb = 0;
    for (size_t d = last; d-- > 0;) {
      idx[d] = rem % dims[d];
      rem /= dims[d];
      offa += idx[d] * sa[d];
      offb += idx[d] * sb[d];
    }
    for (int64_t o = o0; o < o1; o++) {
      kt.binary(op, a + offa, ia, b + offb, ib, y + o * inner, inner);
      for (size_t d = last; d-- > 0;) {
        offa += sa[d];
        offb += sb[d];
        if (++idx[d] < dims[d]) break;
        offa -= sa[d] * dims[d];
        offb -= sb[d] * dims[d];
        idx[d] = 0;
      }
    }
  });
  return "";
}

void op_gelu_grad(const float* dy, const float* x, float* dx, int64_t n, int tanh_form) {
  const KernelTable& kt = kernels();
  const int64_t blocks = (n + 4095) / 4096;
  parallel_for(blocks, tasks_for(n, blocks), [&](int64_t b0, int64_t b1, int) {
    const int64_t i0 = b0 * 4096, i1 = std::min(n, b1 * 4096);
    kt.gelu_grad(dy + i0, x + i0, dx + i0, i1 - i0, tanh_form);
  });
}

void op_softmax(const float* x, float* y, int64_t rows, int64_t cols) {
  const KernelTable& kt = kernels();
  for_rows(rows, cols, [&](int64_t r0, int64_t r1) {
    kt.softmax_rows(x + r0 * cols, nullptr, 1.0f, y + r0 * cols, r1 - r0, cols);
  });
}

void op_softmax_masked(const float* x, const float* mask, int64_t groups, float scale, float* y, int64_t rows,
                       int64_t cols) {
  const KernelTable& kt = kernels();
  const int64_t per = rows / groups;  // rows sharing one mask row
  for_rows(rows, cols, [&](int64_t r0, int64_t r1) {
    while (r0 < r1) {
      const int64_t g = r0 / per, end = std::min(r1, (g + 1) * per);
      kt.softmax_rows(x + r0 * cols, mask + g * cols, scale, y + r0 * cols, end - r0, cols);
      r0 = end;
    }
  });
}

void op_softmax_grad(const float* dy, const float* y, float* dx, int64_t rows, int64_t cols) {
  const KernelTable& kt = kernels();
  for_rows(rows, cols, [&](int64_t r0, int64_t r1) {
    kt.softmax_grad_rows(dy + r0 * cols, y + r0 * cols, dx + r0 * cols, r1 - r0, cols);
  });
}

void op_layernorm(const float* x, const float* residual, const float* gamma, const float* beta, float* y,
                  int64_t rows, int64_t cols, float eps) {
  const KernelTable& kt = kernels();
  for_rows(rows, cols, [&](int64_t r0, int64_t r1) {
    kt.layernorm_rows(x + r0 * cols, residual ? residual + r0 * cols : nullptr, gamma, beta, y + r0 * cols, r1 - r0,
                      cols, eps);
  });
}

void op_layernorm_grad_x(const float* dy, const float* x, const float* gamma, float* dx, int64_t rows, int64_t cols,
                         float eps) {
  const KernelTable& kt = kernels();
  for_rows(rows, cols, [&](int64_t r0, int64_t r1) {
    kt.layernorm_grad_x_rows(dy + r0 * cols, x + r0 * cols, gamma, dx + r0 * cols, r1 - r0, cols, eps);
  });
}

void op_layernorm_grad_params(const float* dy, const float* x, float* dgamma, float* dbeta, int64_t rows, int64_t cols,
                              float eps) {
  const KernelTable& kt = kernels();
  const int64_t tasks = tasks_for(rows * cols, rows);
  std::vector<float> partial(static_cast<size_t>(tasks * cols * 2), 0.0f);
  parallel_for(rows, tasks, [&](int64_t r0, int64_t r1, int) {
    // chunk index from r0 (chunks are n * t / tasks)
    int64_t t = 0;
    while (t + 1 < tasks && rows * (t + 1) / tasks <= r0) t++;
    float* g = partial.data() + t * cols * 2;
    kt.layernorm_grad_params_rows(dy + r0 * cols, x + r0 * cols, g, g + cols, r1 - r0, cols, eps);
  });
  std::memset(dgamma, 0, static_cast<size_t>(cols) * 4);
  std::memset(dbeta, 0, static_cast<size_t>(cols) * 4);
  for (int64_t t = 0; t < tasks; t++) {
    kt.binary(kAdd, dgamma, 1, partial.data() + t * cols * 2, 1, dgamma, cols);
    kt.binary(kAdd, dbeta, 1, partial.data() + t * cols * 2 + cols, 1, dbeta, cols);
  }
}

void op_reduce(int op, const float* x, float* y, int64_t outer, int64_t reduce, int64_t inner) {
  const KernelTable& kt = kernels();
  if (inner == 1) {
    for_rows(outer, reduce, [&](int64_t r0, int64_t r1) { kt.reduce_rows(op, x + r0 * reduce, y + r0, r1 - r0, reduce); });
    return;
  }
  const float init = op == kMaxR ? -INFINITY : op == kMinR ? INFINITY : 0.0f;
  // Split over outer, or over column blocks of inner when outer is small.
  const int64_t col_blocks = outer >= pool_threads() ? 1 : std::max<int64_t>(1, inner / 256);
  const int64_t units = outer * col_blocks;
  parallel_for(units, tasks_for(outer * reduce * inner, units), [&](int64_t u0, int64_t u1, int) {
    for (int64_t u = u0; u < u1; u++) {
      const int64_t o = u / col_blocks, cb = u % col_blocks;
      const int64_t c0 = inner * cb / col_blocks, c1 = inner * (cb + 1) / col_blocks;
      float* acc = y + o * inner + c0;
      std::fill(acc, acc + (c1 - c0), init);
      const float* xo = x + o * reduce * inner + c0;
      for (int64_t r = 0; r < reduce; r++) kt.reduce_cols(op, xo + r * inner, acc, 1, c1 - c0);
      if (op == kMean) {
        const float inv = 1.0f / static_cast<float>(reduce);
        kt.binary(kMul, acc, 1, &inv, 0, acc, c1 - c0);
      }
    }
  });
}

// y[o] = x[sum_d idx_d(o) * in_stride[d]] over the output dims `od` (row-major), 4-byte
// elements; runs along the last output dim are memcpy'd when contiguous in x.
static void strided_copy(const uint32_t* x, uint32_t* y, const std::vector<int64_t>& od,
                         const std::vector<int64_t>& os) {
  const size_t nd = od.size();
  int64_t total = 1;
  for (int64_t d : od) total *= d;
  if (total == 0) return;
  const size_t last = nd - 1;
  const int64_t inner = od[last];
  const int64_t inner_stride = os[last];
  const int64_t outer = total / inner;
  if (nd >= 2 && inner_stride != 1 && os[last - 1] == 1) {
    // The last two dims are a 2-D transpose (e.g. keys [b, s, h, d] -> [b, h, d, s]): copy
    // 16 x 16 tiles, so each source cache line is used 16 times while it is in L1.
    const int64_t rows = od[last - 1], planes = outer / rows;
    std::vector<int64_t> pd(od.begin(), od.end() - 2), ps(os.begin(), os.end() - 2);
    parallel_for(planes, tasks_for(total, planes), [&](int64_t q0, int64_t q1, int) {
      for (int64_t q = q0; q < q1; q++) {
        int64_t rem = q, off = 0;
        for (size_t d = pd.size(); d-- > 0;) {
          off += (rem % pd[d]) * ps[d];
          rem /= pd[d];
        }
        const uint32_t* src = x + off;
        uint32_t* dst = y + q * rows * inner;
        for (int64_t r0 = 0; r0 < rows; r0 += 16) {
          const int64_t r1 = std::min<int64_t>(rows, r0 + 16);
          for (int64_t c0 = 0; c0 < inner; c0 += 16) {
            const int64_t c1 = std::min<int64_t>(inner, c0 + 16);
            for (int64_t r = r0; r < r1; r++)
              for (int64_t c = c0; c < c1; c++) dst[r * inner + c] = src[c * inner_stride + r];
          }
        }
      }
    });
    return;
  }
  parallel_for(outer, tasks_for(total, outer), [&](int64_t o0, int64_t o1, int) {
    std::vector<int64_t> idx(last, 0);
    int64_t rem = o0, off = 0;
    for (size_t d = last; d-- > 0;) {
      idx[d] = rem % od[d];
      rem /= od[d];
      off += idx[d] * os[d];
    }
    for (int64_t o = o0; o < o1; o++) {
      uint32_t* dst = y + o * inner;
      if (inner_stride == 1) {
        std::memcpy(dst, x + off, static_cast<size_t>(inner) * 4);
      } else {
        const uint32_t* src = x + off;
        for (int64_t i = 0; i < inner; i++) dst[i] = src[i * inner_stride];
      }
      for (size_t d = last; d-- > 0;) {
        off += os[d];
        if (++idx[d] < od[d]) break;
        off -= os[d] * od[d];
        idx[d] = 0;
      }
    }
  });
}

static std::vector<int64_t> row_major_strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> st(shape.size());
  int64_t s = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    st[d] = s;
    s *= shape[d];
  }
  return st;
}

void op_transpose(const uint32_t* x, uint32_t* y, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm) {
  const std::vector<int64_t> in_stride = row_major_strides(shape);
  std::vector<int64_t> od(shape.size()), os(shape.size());
  for (size_t d = 0; d < shape.size(); d++) {
    od[d] = shape[perm[d]];
    os[d] = in_stride[perm[d]];
  }
  strided_copy(x, y, od, os);
}

void op_slice(const uint32_t* x, uint32_t* y, const std::vector<int64_t>& shape, const std::vector<int64_t>& begin,
              const std::vector<int64_t>& size) {
  const std::vector<int64_t> st = row_major_strides(shape);
  int64_t off = 0;
  for (size_t d = 0; d < shape.size(); d++) off += begin[d] * st[d];
  strided_copy(x + off, y, size, st);
}

std::string op_gather(const uint32_t* params, const int32_t* idx, int64_t n_idx, uint32_t* out, int64_t outer,
                      int64_t axis_dim, int64_t inner) {
  for (int64_t j = 0; j < n_idx; j++) {
    if (idx[j] < 0 || idx[j] >= axis_dim)
      return "index " + std::to_string(idx[j]) + " at position " + std::to_string(j) + " is outside [0, " +
             std::to_string(axis_dim) + ")";
  }
  const int64_t rows = outer * n_idx;
  parallel_for(rows, tasks_for(rows * inner, rows), [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; r++) {
      const int64_t o = r / n_idx, j = r % n_idx;
      std::memcpy(out + r * inner, params + (o * axis_dim + idx[j]) * inner, static_cast<size_t>(inner) * 4);
    }
  });
  return "";
}

// A 32-bit integer finalizer (the kernel table's mix32, for the keys). The mask is specified in
// @albert-ts/common (CONTRACTS.md, "The dropout mask"); test/contract.test.ts checks the constants.
static uint32_t mix32_keys(uint32_t h) {
  h ^= h >> 16;
  h *= 0x7feb352dU;
  h ^= h >> 15;
  h *= 0x846ca68bU;
  h ^= h >> 16;
  return h;
}

void op_dropout(const float* x, float* y, int64_t n, float rate, float scale, uint64_t seed) {
  // Two 32-bit keys from the seed; element i's uniform is mix32(mix32(i ^ k0) + k1) >> 8, in
  // units of 2^-24. Indices past 2^32 wrap onto the same stream (masks of > 16 GB tensors).
  const uint32_t k0 = mix32_keys(static_cast<uint32_t>(seed) ^ 0x9e3779b9U);
  const uint32_t k1 = mix32_keys(static_cast<uint32_t>(seed >> 32) + k0 + 0x85ebca6bU);
  // keep when u >= rate, u = bits * 2^-24: compare integers, bits >= ceil(rate * 2^24)
  const double t = std::ceil(static_cast<double>(rate) * 16777216.0);
  const uint32_t threshold = t <= 0 ? 0U : (t >= 16777216.0 ? 16777216U : static_cast<uint32_t>(t));
  const KernelTable& kt = kernels();
  const int64_t blocks = (n + 4095) / 4096;
  parallel_for(blocks, tasks_for(n, blocks), [&](int64_t b0, int64_t b1, int) {
    const int64_t i0 = b0 * 4096, i1 = std::min(n, b1 * 4096);
    kt.dropout(x + i0, y + i0, i1 - i0, i0, k0, k1, threshold, scale);
  });
}

void op_segment_sum(const float* data, const int32_t* ids, int64_t rows, int64_t inner, float* out, int64_t segments) {
  const KernelTable& kt = kernels();
  std::memset(out, 0, static_cast<size_t>(segments * inner) * 4);
  // Threads own disjoint column ranges, so no two write the same element.
  const int64_t col_blocks = std::max<int64_t>(1, std::min<int64_t>(pool_threads(), inner / 64));
  parallel_for(col_blocks, tasks_for(rows * inner, col_blocks), [&](int64_t b0, int64_t b1, int) {
    const int64_t c0 = inner * b0 / col_blocks, c1 = inner * b1 / col_blocks;
    for (int64_t r = 0; r < rows; r++) {
      const int32_t s = ids[r];
      if (s < 0 || s >= segments) continue;
      float* dst = out + s * inner + c0;
      kt.binary(kAdd, dst, 1, data + r * inner + c0, 1, dst, c1 - c0);
    }
  });
}

}  // namespace albert
