// AlbertAttention (the heads' part of attention for training, with its gradient) on the native
// backend against the same computation in tfjs ops on the cpu backend: context and
// probabilities, and the gradients of q, k and v through both outputs (the loss weighs the
// probabilities too, so dProbs is exercised), for odd sequence lengths, head widths the register
// blocks do not divide, padded keys and a fully padded item.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { maskBias, padRows, t } from './attention-helpers.js';
import { expectSameAsCpu, setupNative } from './helpers.js';

beforeAll(setupNative);

function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor4D, heads: number): tf.Tensor[] {
  const [b, s, hidden] = q.shape;
  const d = hidden / heads;
  const scale = 1 / Math.sqrt(d);
  if (tf.getBackend() === 'native')
    return tf.engine().runKernel('AlbertAttention', { q, k, v, mask }, { numHeads: heads, scale }) as tf.Tensor[];
  const split = (x: tf.Tensor3D) => tf.transpose(tf.reshape(x, [b, s, heads, d]), [0, 2, 1, 3]); // [b, h, s, d]
  const probs = tf.softmax(tf.add(tf.mul(tf.matMul(split(q), split(k), false, true), scale), mask)); // [b, h, s, s]
  const context = tf.reshape(tf.transpose(tf.matMul(probs, split(v)), [0, 2, 1, 3]), [b, s, hidden]);
  return [context, probs];
}

describe('AlbertAttention vs tfjs ops on cpu', () => {
  // [batch, seq, hidden, heads, pads per item]
  const cases: [number, number, number, number, number[]][] = [
    [1, 1, 16, 4, [0]],
    [2, 7, 48, 12, [0, 3]], // d = 4
    [3, 7, 60, 4, [2, 7, 0]], // d = 15; item 1 fully padded
    [2, 33, 64, 2, [0, 5]],
    [2, 128, 256, 4, [0, 100]], // the small training config's heads
  ];

  it.each(cases)('forward: batch %i, seq %i, hidden %i, %i heads', async (batch, seq, hidden, heads, pads) => {
    await expectSameAsCpu(
      () => {
        const [q, k, v] = [1, 2, 3].map((i) => t([batch, seq, hidden], seq + i, -2, 2) as tf.Tensor3D);
        return attention(q!, k!, v!, maskBias(padRows(seq, pads)), heads);
      },
      2e-5,
      1e-4,
    );
  });

  it.each(cases)('gradients: batch %i, seq %i, hidden %i, %i heads', async (batch, seq, hidden, heads, pads) => {
    await expectSameAsCpu(
      () => {
        const [q, k, v] = [1, 2, 3].map((i) => t([batch, seq, hidden], seq + i, -2, 2) as tf.Tensor3D);
        const mask = maskBias(padRows(seq, pads));
        const wc = t([batch, seq, hidden], 7, -1, 1);
        const wp = t([batch, heads, seq, seq], 8, -1, 1);
        const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
          const [context, probs] = attention(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, mask, heads);
          return tf.add(tf.sum(tf.mul(context!, wc)), tf.sum(tf.mul(probs!, wp))) as tf.Scalar;
        };
        return tf.grads(loss)([q!, k!, v!]);
      },
      2e-5,
      1e-4,
    );
  });

  it('gradients when only the context is used (dProbs zero)', async () => {
    await expectSameAsCpu(
      () => {
        const [q, k, v] = [1, 2, 3].map((i) => t([2, 9, 24], i, -2, 2) as tf.Tensor3D);
        const mask = maskBias(padRows(9, [0, 4]));
        return tf.grads(
          (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
            tf.sum(
              tf.square(attention(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, mask, 3)[0]!),
            ) as tf.Scalar,
        )([q!, k!, v!]);
      },
      2e-5,
      1e-4,
    );
  });
});
