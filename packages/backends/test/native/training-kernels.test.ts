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

describe('AlbertMaskedSoftmaxGrad', () => {
  const maskedSoftmax = (scores: tf.Tensor, mask: tf.Tensor, scale: number) =>
    tf.getBackend() === 'native'
      ? (tf.engine().runKernel('AlbertMaskedSoftmax', { scores, mask }, { scale }) as tf.Tensor)
      : tf.softmax(tf.add(tf.mul(scores, scale), mask));

  it('gives the scores gradient of the masked softmax (odd sizes, scale 1 and 0.125)', async () => {
    const mask = tf.tidy(() => tf.mul(tf.cast(tf.greater(t([3, 1, 1, 129], 5), 0.6), 'float32'), -1e9));
    await expectSameAsCpu(
      () =>
        [1, 0.125].map((scale) => {
          const w = t([3, 2, 33, 129], 7);
          return tf.grad((s: tf.Tensor) => tf.sum(tf.mul(maskedSoftmax(s, mask, scale), w)))(
            t([3, 2, 33, 129], 6, -3, 3),
          );
        }),
      1e-6,
      1e-5,
    );
    mask.dispose();
  });

  it('runs as one kernel with a clear error for mismatched shapes', async () => {
    await tf.setBackend('native');
    const dy = t([2, 7], 1);
    const y = t([2, 6], 2);
    expect(() => tf.engine().runKernel('AlbertMaskedSoftmaxGrad', { dy, y }, { scale: 1 })).toThrow(
      /dy \[2,7\] and y \[2,6\]/,
    );
    tf.dispose([dy, y]);
  });
});
