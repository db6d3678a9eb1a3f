// Embedding lookup (a row gather) with torch.nn.Embedding's padding_idx rule: rows looked up with
// the padding id receive no gradient. The gradient is a scatter-add of the output gradient into
// the table's rows: UnsortedSegmentSum when the backend has it (tf.gather's own gradient), else
// ScatterNd, which also sums duplicate indices and exists on every tfjs backend (tfjs wasm 4.22
// ships no UnsortedSegmentSum kernel).
import * as tf from '@tensorflow/tfjs-core';

/** table: [rows, dim], ids: int32 [...] -> [..., dim]. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor, paddingIdx: number | null = null): tf.Tensor {
  const [rows, dim] = table.shape;
  return tf.tidy(() => {
    const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D; // [N]
    const lookup = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
      save([flatIds]);
      return {
        value: tf.gather(t, flatIds), // [N, dim]
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const idx = saved[0] as tf.Tensor1D;
          let g = dy as tf.Tensor2D; // [N, dim]
          if (paddingIdx != null) g = tf.mul(g, tf.expandDims(tf.cast(tf.notEqual(idx, paddingIdx), 'float32'), 1));
          if (tf.getKernel('UnsortedSegmentSum', tf.getBackend()) != null) return tf.unsortedSegmentSum(g, idx, rows);
          return tf.scatterND(tf.expandDims(idx, 1), g, [rows, dim]);
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return tf.reshape(lookup(table), [...ids.shape, dim]);
  });
}
