// tf.variableGrads with a clean failure: when f throws, tfjs (4.22, engine.gradients) ends the tape
// but keeps the tensors its kernels saved for the backward pass, and the next tape forgets them —
// a leak per failed step. Here they are disposed before the error goes on.
import * as tf from '@tensorflow/tfjs-core';

type TapeNode = { saved?: tf.Tensor[] };

export function lossAndGrads(f: () => tf.Scalar, vars: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(f, vars);
  } catch (err) {
    const state = tf.engine().state as unknown as { gradientDepth: number; activeTape: TapeNode[] | null };
    if (state.gradientDepth === 0 && state.activeTape != null) {
      for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
      state.activeTape = null;
    }
    throw err;
  }
}
