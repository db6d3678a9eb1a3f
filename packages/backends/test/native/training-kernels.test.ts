// Kernels a training step leans on, against the cpu backend: OneHot (an MLM loss's labels) and
// UnsortedSegmentSum with no rows (its output array is reused, so every element must be written),
// and the softmax cross-entropy tail with its gradient.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsCpu, random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(random(size(shape), seed, lo, hi), shape);

beforeAll(setupNative);

describe('OneHot', () => {
  it('matches the cpu kernel for both dtypes, 1-D and 2-D indices, out-of-range ids, on/off values', async () => {
    await expectSameAsCpu(() => [
      tf.oneHot(tf.tensor1d([3, 0, 29999, 7, -1, 30000], 'int32'), 30000),
      tf.oneHot(
        tf.tensor2d(
          [
            [1, 2, 4],
            [0, 3, 3],
          ],
          [2, 3],
          'int32',
        ),
        5,
        0.9,
        0.025,
      ),
      tf.cast(tf.oneHot(tf.tensor1d([2, 1], 'int32'), 3), 'float32'),
      tf.oneHot(tf.tensor1d([], 'int32'), 4),
    ]);
  });

  it('writes every element of a reused output array', async () => {
    await tf.setBackend('native');
    tf.dispose(tf.tidy(() => tf.add(tf.fill([6, 70000], 7), 1))); // a native output: reused next
    const y = tf.oneHot(tf.tensor1d([5, 69999, 0, 12, 13, 14], 'int32'), 70000);
    const v = y.dataSync();
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i] as number;
    expect(sum).toBe(6);
    expect(v[69999 + 70000]).toBe(1);
    y.dispose();
  });
});

describe('UnsortedSegmentSum', () => {
  it('gives zeros for no rows, also in a reused output array', async () => {
    await tf.setBackend('native');
    tf.dispose(tf.tidy(() => tf.add(tf.fill([20000, 4], 3), 1)));
    const y = tf.unsortedSegmentSum(tf.zeros([0, 4]), tf.tensor1d([], 'int32'), 20000);
    expect(y.shape).toEqual([20000, 4]);
    expect((y.dataSync() as Float32Array).every((v) => v === 0)).toBe(true);
    y.dispose();
  });
});

describe('the softmax cross-entropy tail of an MLM step', () => {
  it('matches the cpu backend in value and gradient, and leaves no tensor behind', async () => {
    const labels = tf.tensor1d([3, 0, 999, 17, 512], 'int32');
    const logits = t([5, 1000], 3, -4, 4);
    const loss = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 1000), z) as tf.Scalar;
    await expectSameAsCpu(() => [loss(logits), tf.grad(loss)(logits)], 1e-6, 1e-5);
    await tf.setBackend('native');
    tf.dispose(tf.grad(loss)(logits));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(tf.grad(loss)(logits));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([labels, logits]);
  });
});
