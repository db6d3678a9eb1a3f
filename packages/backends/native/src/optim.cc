#include "optim.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "isa.h"
#include "pool.h"
#include "scratch.h"

namespace albert {
namespace {

constexpr int64_t kBlock = 4096;            // elements per block (the unit of work and of the norm sums)
constexpr int64_t kParallelElems = 1 << 15;  // below this, one thread (a wake-up costs more)

const OptimKernels& optim_kernels() {
  switch (active_isa()) {
    case Isa::kAvx512: return optim_kernels_avx512();
    case Isa::kAvx2: return optim_kernels_avx2();
    default: return optim_kernels_baseline();
  }
}

int64_t tasks_for(int64_t n, int64_t blocks) {
  if (n < kParallelElems) return 1;
  return std::min<int64_t>(blocks, pool_threads() * 4);
}

}  // namespace

AdamNorms adam_update(const AdamArgs& a, bool layer_adaptation) {
  if (a.n == 0) return {0, 0, 1};
  const OptimKernels& k = optim_kernels();
  const int64_t blocks = ceil_div(a.n, kBlock);
  const int64_t tasks = tasks_for(a.n, blocks);
  if (!layer_adaptation) {
    parallel_for(blocks, tasks, [&](int64_t b0, int64_t b1, int) {
      k.adam(a, b0 * kBlock, std::min(a.n, b1 * kBlock));
    });
    return {0, 0, 1};
  }
  std::vector<double> sums(static_cast<size_t>(2 * blocks), 0.0);
  parallel_for(blocks, tasks, [&](int64_t b0, int64_t b1, int) {
    for (int64_t b = b0; b < b1; b++) k.lamb_moments(a, b * kBlock, std::min(a.n, (b + 1) * kBlock), &sums[2 * b]);
  });
  double sw = 0, su = 0;
  for (int64_t b = 0; b < blocks; b++) {
    sw += sums[2 * b];
    su += sums[2 * b + 1];
  }
  const double w_norm = std::sqrt(sw), u_norm = std::sqrt(su);
  const double ratio = w_norm > 0 ? (u_norm > 0 ? w_norm / u_norm : 1.0) : 1.0;
  const float step = static_cast<float>(static_cast<double>(a.step_size) * ratio);
  parallel_for(blocks, tasks, [&](int64_t b0, int64_t b1, int) {
    k.lamb_apply(a, step, b0 * kBlock, std::min(a.n, b1 * kBlock));
  });
  return {w_norm, u_norm, ratio};
}

}  // namespace albert
