// One parameter's update in the form every optimizer of this package reduces to (AdamW as
// torch.optim.AdamW, Hugging Face's legacy AdamW, ALBERT's AdamWeightDecayOptimizer, LAMB):
//
//   m' = β1·m + (1 − β1)·g
//   v' = β2·v + (1 − β2)·g²
//   u  = m' / (√v' · vScale + ε) + decayInUpdate · w
//   r  = layer adaptation ? (‖w‖ > 0 ? (‖u‖ > 0 ? ‖w‖ / ‖u‖ : 1) : 1) : 1     (whole-tensor norms)
//   w' = (w · preScale − stepSize · r · u) · postScale
//
// On a backend that registers the fused kernels (native: AlbertAdamUpdate, and AlbertLambUpdate
// for the trust ratio) this is one kernel call; elsewhere it is the same arithmetic in tfjs ops.
import { AlbertAdamUpdate, type AlbertAdamUpdateAttrs, AlbertLambUpdate } from '@albert-ts/common';
import { hasFusedKernel, runFusedKernelOutputs } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The scalars of one update (computed in double precision by the optimizer; the kernels use
 * float32): the fused kernels' attrs (@albert-ts/common's contract) and whether LAMB's trust ratio
 * ‖w‖/‖u‖ multiplies the step.
 */
export type AdamUpdateRule = AlbertAdamUpdateAttrs & { layerAdaptation: boolean };

export type AdamUpdateResult = {
  param: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
  /** With layer adaptation: float32 [3] = [‖w‖, ‖u‖, trust ratio]. */
  norms?: tf.Tensor1D;
};

/** Which implementation runs: the fused kernel when the backend has it ('auto'), or tfjs ops. */
export type UpdateImplementation = 'auto' | 'ops';

/** True when `implementation` and the current backend give the one-kernel update. */
export function usesFusedUpdate(implementation: UpdateImplementation, layerAdaptation: boolean): boolean {
  return implementation === 'auto' && hasFusedKernel(layerAdaptation ? AlbertLambUpdate : AlbertAdamUpdate);
}

/** New parameter and moments (fresh tensors; the inputs are not disposed). */
export function adamUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  rule: AdamUpdateRule,
  implementation: UpdateImplementation = 'auto',
): AdamUpdateResult {
  if (usesFusedUpdate(implementation, rule.layerAdaptation)) {
    const { layerAdaptation, ...attrs } = rule;
    const inputs = { param, grad, m, v };
    if (layerAdaptation) {
      const [p, m1, v1, norms] = runFusedKernelOutputs(AlbertLambUpdate, inputs, attrs);
      return { param: p!, m: m1!, v: v1!, norms: norms as tf.Tensor1D };
    }
    const [p, m1, v1] = runFusedKernelOutputs(AlbertAdamUpdate, inputs, attrs);
    return { param: p!, m: m1!, v: v1! };
  }
  return tf.tidy(() => adamUpdateOps(param, grad, m, v, rule) as unknown as tf.TensorContainer) as AdamUpdateResult;
}

function adamUpdateOps(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, rule: AdamUpdateRule): AdamUpdateResult {
  const m1 = tf.add(tf.mul(m, rule.beta1), tf.mul(g, 1 - rule.beta1));
  const v1 = tf.add(tf.mul(v, rule.beta2), tf.mul(tf.square(g), 1 - rule.beta2));
  const root = rule.vScale === 1 ? tf.sqrt(v1) : tf.mul(tf.sqrt(v1), rule.vScale);
  let u = tf.div(m1, tf.add(root, rule.epsilon));
  if (rule.decayInUpdate !== 0) u = tf.add(u, tf.mul(w, rule.decayInUpdate));
  let step: tf.Tensor = tf.scalar(rule.stepSize);
  let norms: tf.Tensor1D | undefined;
  if (rule.layerAdaptation) {
    const wNorm = tf.norm(w);
    const uNorm = tf.norm(u);
    const one = tf.onesLike(wNorm);
    const ratio = tf.where(tf.greater(wNorm, 0), tf.where(tf.greater(uNorm, 0), tf.div(wNorm, uNorm), one), one);
    step = tf.mul(ratio, rule.stepSize);
    norms = tf.stack([wNorm, uNorm, ratio]) as tf.Tensor1D;
  }
  let param = rule.preScale === 1 ? w : tf.mul(w, rule.preScale);
  param = tf.sub(param, tf.mul(u, step));
  if (rule.postScale !== 1) param = tf.mul(param, rule.postScale);
  const out: AdamUpdateResult = { param, m: m1, v: v1 };
  if (norms != null) out.norms = norms;
  return out;
}
