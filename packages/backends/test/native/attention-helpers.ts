// Inputs and the two implementations compared by the AlbertSelfAttention tests: the native
// kernel, and the composite core computes without it (on any backend).
import * as tf from '@tensorflow/tfjs-core';
import { MASK_NEGATIVE_FP32 } from '../../src/index.js';
import { expectSameAsCpu, random, size } from './helpers.js';

export const t = (shape: number[], seed: number, lo = -1, hi = 1) =>
  tf.tensor(random(size(shape), seed, lo, hi), shape);

export interface Weights {
  query: tf.Tensor2D;
  queryBias: tf.Tensor1D;
  key: tf.Tensor2D;
  keyBias: tf.Tensor1D;
  value: tf.Tensor2D;
  valueBias: tf.Tensor1D;
}

export function weights(hidden: number, seed: number): Weights {
  // std 1/sqrt(hidden) (Xavier-like), so q, k, v have unit scale and the scores spread over
  // a few units as in a trained model at every width.
  const r = Math.sqrt(3 / hidden);
  const w = (s: number) => t([hidden, hidden], seed + s, -r, r) as tf.Tensor2D;
  const b = (s: number) => t([hidden], seed + s, -0.1, 0.1) as tf.Tensor1D;
  return { query: w(1), queryBias: b(2), key: w(3), keyBias: b(4), value: w(5), valueBias: b(6) };
}

/** [b, 1, 1, s] additive mask: 0 for real keys, finfo(float32).min for padding (1 = real). */
export function maskBias(rows: number[][]): tf.Tensor4D {
  const b = rows.length;
  const s = rows[0]?.length ?? 0;
  const values = rows.flat().map((m) => (m === 1 ? 0 : MASK_NEGATIVE_FP32));
  return tf.tensor4d(values, [b, 1, 1, s]);
}

// What core's selfAttention computes without the kernel (before the output dense).
export function composite(x: tf.Tensor3D, mask: tf.Tensor4D, w: Weights, heads: number): tf.Tensor3D {
  const [b, s, hidden] = x.shape;
  const d = hidden / heads;
  const lin = (wt: tf.Tensor2D, bias: tf.Tensor1D) =>
    tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * s, hidden]), wt), bias), [b, s, heads, d]);
  const q = tf.transpose(lin(w.query, w.queryBias), [0, 2, 1, 3]); // [b, h, s, d]
  const kT = tf.transpose(lin(w.key, w.keyBias), [0, 2, 3, 1]); // [b, h, d, s]
  const v = tf.transpose(lin(w.value, w.valueBias), [0, 2, 1, 3]); // [b, h, s, d]
  const probs = tf.softmax(tf.add(tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(d)), mask)); // [b, h, s, s]
  return tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [b, s, hidden]) as tf.Tensor3D;
}

export function fused(x: tf.Tensor3D, mask: tf.Tensor4D, w: Weights, heads: number): tf.Tensor3D {
  const d = x.shape[2] / heads;
  return tf.engine().runKernel('AlbertSelfAttention', { x, ...w, mask } as unknown as tf.NamedTensorMap, {
    numHeads: heads,
    scale: 1 / Math.sqrt(d),
  }) as tf.Tensor3D;
}

export const attention = (x: tf.Tensor3D, mask: tf.Tensor4D, w: Weights, heads: number) =>
  tf.getBackend() === 'native' ? fused(x, mask, w, heads) : composite(x, mask, w, heads);

/** Mask rows: item i pads its last `pad[i]` keys (pad = seq: a fully padded item). */
export function padRows(seq: number, pads: number[]): number[][] {
  return pads.map((pad) => Array.from({ length: seq }, (_, j) => (j < seq - pad ? 1 : 0)));
}

/**
 * The kernel on native against the composite on cpu for one case: x [batch, seq, hidden] with
 * item i padding its last pads[i] keys.
 */
export function expectAttentionSameAsCpu(batch: number, seq: number, hidden: number, heads: number, pads: number[]) {
  return expectSameAsCpu(
    () => {
      const x = t([batch, seq, hidden], 11 + seq, -2, 2) as tf.Tensor3D;
      return attention(x, maskBias(padRows(seq, pads)), weights(hidden, 20 + hidden), heads);
    },
    2e-5,
    1e-4,
  );
}
