// The optimizers' fused update (AlbertAdamUpdate / AlbertLambUpdate in @albert-ts/training):
// one parameter's Adam-family step in one pass over its memory instead of a dozen tfjs kernels.
//   m' = b1 m + (1 - b1) g ; v' = b2 v + (1 - b2) g^2
//   u  = m' / (sqrt(v') * v_scale + eps) + decay_in_update * w
//   r  = layer_adaptation ? (|w| > 0 ? (|u| > 0 ? |w| / |u| : 1) : 1) : 1   (whole-tensor L2 norms)
//   w' = (w * pre_scale - step_size * r * u) * post_scale
// With layer adaptation (LAMB) the norms need the whole tensor first: a first pass writes m', v'
// and sums w^2 and u^2 (in double, per 4096-element block, added in block order so the result
// does not depend on the thread count); a second pass recomputes u from m', v', w and applies r.
#pragma once
#include <cstdint>

namespace albert {

struct AdamArgs {
  const float* param;
  const float* grad;
  const float* m;
  const float* v;
  float* param_out;
  float* m_out;
  float* v_out;
  int64_t n;
  float beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon, v_scale, decay_in_update, pre_scale, step_size,
      post_scale;
};

// Per-ISA chunk kernels over [i0, i1) (optim.inc, compiled once per instruction set).
struct OptimKernels {
  // The whole update without a trust ratio.
  void (*adam)(const AdamArgs& a, int64_t i0, int64_t i1);
  // LAMB's first pass: m', v' written; adds sum(w^2) and sum(u^2) to sums[0], sums[1].
  void (*lamb_moments)(const AdamArgs& a, int64_t i0, int64_t i1, double* sums);
  // LAMB's second pass: w' = (w * pre_scale - step * u) * post_scale, step = step_size * r.
  void (*lamb_apply)(const AdamArgs& a, float step, int64_t i0, int64_t i1);
};

const OptimKernels& optim_kernels_baseline();
const OptimKernels& optim_kernels_avx2();
const OptimKernels& optim_kernels_avx512();

struct AdamNorms {
  double w_norm, u_norm, ratio;
};

// Runs the update on the pool; with layer_adaptation returns the norms and the trust ratio used
// (else zeros and ratio 1).
AdamNorms adam_update(const AdamArgs& a, bool layer_adaptation);

}  // namespace albert
