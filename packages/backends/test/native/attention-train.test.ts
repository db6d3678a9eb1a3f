// AlbertAttention (the heads' part of attention for training, from the fused Q/K/V projection,
// with its gradient) on the native backend against the same computation in tfjs ops on the cpu
// backend: the context and the gradient of qkv, for odd sequence lengths, head widths the
// register blocks do not divide, padded keys and a fully padded item.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maskBias, padRows, t } from './attention-helpers.js';
import { expectSameAsCpu, setupNative } from './helpers.js';

await setupNative();

function attention(qkv: tf.Tensor3D, mask: tf.Tensor4D, heads: number): tf.Tensor3D {
  const [b, s, width] = qkv.shape;
  const hidden = width / 3;
  const d = hidden / heads;
  const scale = 1 / Math.sqrt(d);
  if (tf.getBackend() === 'native')
    return tf.engine().runKernel('AlbertAttention', { qkv, mask }, { numHeads: heads, scale }) as tf.Tensor3D;
  const [q, k, v] = tf.split(qkv, 3, 2).map((x) => tf.transpose(tf.reshape(x, [b, s, heads, d]), [0, 2, 1, 3])); // [b, h, s, d]
  const probs = tf.softmax(tf.add(tf.mul(tf.matMul(q!, k!, false, true), scale), mask)); // [b, h, s, s]
  return tf.reshape(tf.transpose(tf.matMul(probs, v!), [0, 2, 1, 3]), [b, s, hidden]) as tf.Tensor3D;
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
      () => attention(t([batch, seq, 3 * hidden], seq, -2, 2) as tf.Tensor3D, maskBias(padRows(seq, pads)), heads),
      2e-5,
      1e-4,
    );
  });

  it.each(cases)('gradient: batch %i, seq %i, hidden %i, %i heads', async (batch, seq, hidden, heads, pads) => {
    await expectSameAsCpu(
      () => {
        const qkv = t([batch, seq, 3 * hidden], seq, -2, 2);
        const mask = maskBias(padRows(seq, pads));
        const weigh = t([batch, seq, hidden], 7, -1, 1);
        return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(attention(x as tf.Tensor3D, mask, heads), weigh)) as tf.Scalar)(
          qkv,
        );
      },
      2e-5,
      1e-4,
    );
  });

  it('keeps the tensor count flat over repeated gradients', () => {
    const qkv = t([2, 16, 48], 1);
    const mask = maskBias(padRows(16, [0, 3]));
    const grad = tf.grad((x: tf.Tensor) => tf.sum(attention(x as tf.Tensor3D, mask, 4)) as tf.Scalar);
    grad(qkv).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const g = grad(qkv);
      expect(g.shape).toEqual([2, 16, 48]);
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([qkv, mask]);
  });
});
