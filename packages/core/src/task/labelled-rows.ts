// The rows that carry a label (label ≠ ignore index), gathered: MLM heads that score only the
// masked positions (as the original run_pretraining.py) use it for a fraction of the memory.
//
// Plain tf.gather: its gradient is UnsortedSegmentSum, which @albert-ts/backends implements on
// cpu, wasm and native (tfjs-backend-cpu's own kernel once took 52 s for 256 rows into 30,000
// segments). Measured 6 Dec 2026, gradient of 160 rows gathered from [1024, 768], median of 21,
// load average ~9: cpu 130 ms, wasm 37 ms, native 16 ms (a ScatterNd custom gradient: 65 / 34 / 13
// ms) — a few ms next to a training step of seconds, so no custom gradient is needed any more.
import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError } from '../errors.js';
import { IGNORE_INDEX } from './losses.js';

/** Row indices (int32 [M]) where labels ≠ ignoreIndex. Reads the labels (small) synchronously. */
export function labelledRowIndices(labels: tf.Tensor1D, ignoreIndex = IGNORE_INDEX): tf.Tensor1D {
  const values = labels.dataSync();
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== ignoreIndex) rows.push(i);
  return tf.tensor1d(rows, 'int32');
}

/**
 * x: [N, D], labels: int32 [N] -> the M labelled rows of x ([M, D]) and their labels ([M]),
 * in row order.
 */
export function gatherLabelledRows(
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  ignoreIndex = IGNORE_INDEX,
): { rows: tf.Tensor2D; labels: tf.Tensor1D } {
  if (labels.rank !== 1 || labels.shape[0] !== x.shape[0]) {
    throw new ModelInputError(
      `gatherLabelledRows: ${x.shape[0]} rows but labels of shape [${labels.shape}]; give one label per row.`,
    );
  }
  return tf.tidy(() => {
    const indices = labelledRowIndices(labels, ignoreIndex); // [M]
    return { rows: tf.gather(x, indices), labels: tf.gather(labels, indices) };
  });
}
