// Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ with norm_type 2 (PyTorch 1.13):
//   total = ‖(‖g₁‖₂, ‖g₂‖₂, …)‖₂
//   coef = min(maxNorm / (total + 1e-6), 1)
//   gᵢ ← coef · gᵢ
// All on the device in float32, as torch does; nothing is read back here.
import * as tf from '@tensorflow/tfjs-core';

/** The global L2 norm of all gradients (a float32 scalar the caller disposes). */
export function globalNorm(grads: Iterable<tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const norms = [...grads].map((g) => tf.norm(g)); // each ‖gᵢ‖₂, []
    return norms.length === 0 ? tf.scalar(0) : (tf.norm(tf.stack(norms)) as tf.Scalar);
  });
}

export type ClippedGradients = {
  /** New gradient tensors (the inputs are left as they are). */
  grads: Map<string, tf.Tensor>;
  /** The norm before clipping, as clip_grad_norm_ returns it. */
  totalNorm: tf.Scalar;
};

/** clip_grad_norm_(grads, maxNorm): the clipped gradients and the total norm before clipping. */
export function clipGradNorm(grads: Map<string, tf.Tensor>, maxNorm: number): ClippedGradients {
  const names = [...grads.keys()];
  const [totalNorm, ...clipped] = tf.tidy(() => {
    const total = globalNorm(grads.values());
    const coef = tf.minimum(tf.div(tf.scalar(maxNorm), tf.add(total, 1e-6)), 1); // []
    return [total, ...names.map((name) => tf.mul(grads.get(name) as tf.Tensor, coef))];
  });
  return { grads: new Map(names.map((name, i) => [name, clipped[i] as tf.Tensor])), totalNorm: totalNorm as tf.Scalar };
}
