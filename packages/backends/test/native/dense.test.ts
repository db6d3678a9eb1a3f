// AlbertDense {x, weight, bias} (one taped dense layer with a registered gradient) against the
// composite x W + b on the cpu backend: values, odd sizes, ranks 1-4, gradients of every input
// (alone and together, the weight shared by two uses), and no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsCpu, random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(random(size(shape), seed, lo, hi), shape);

function dense(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  if (tf.getBackend() === 'native') return tf.engine().runKernel('AlbertDense', { x, weight, bias }) as tf.Tensor;
  const [inDim, outDim] = weight.shape as [number, number];
  const y = tf.add(tf.matMul(tf.reshape(x, [-1, inDim]), weight), bias);
  return tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
}

beforeAll(setupNative);

describe('AlbertDense', () => {
  it('matches x W + b for ranks 1 to 4 and odd sizes', async () => {
    await expectSameAsCpu(
      () => [
        dense(t([2, 3, 5, 7], 1), t([7, 13], 2), t([13], 3)),
        dense(t([3, 129, 65], 4, -2, 2), t([65, 31], 5), t([31], 6)),
        dense(t([17], 7), t([17, 9], 8), t([9], 9)),
        dense(t([1, 1], 10), t([1, 1], 11), t([1], 12)),
        dense(t([40, 768], 13), t([768, 96], 14, -0.1, 0.1), t([96], 15)),
      ],
      1e-5,
      1e-4,
    );
  });

  it('matches the composite gradients of x, weight and bias', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([2, 9, 23], 21);
        const f = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) => tf.sum(tf.mul(dense(x, weight, bias), w));
        return tf.grads(f)([t([2, 9, 37], 22), t([37, 23], 23), t([23], 24)]);
      },
      1e-5,
      1e-4,
    );
  });

  it('gives the gradient of one input alone, and accumulates a weight used twice', async () => {
    await expectSameAsCpu(
      () => {
        const x = t([4, 6, 16], 31);
        const bias = t([16], 32);
        const onlyWeight = tf.grad((weight: tf.Tensor) => tf.sum(tf.square(dense(x, weight, bias))))(t([16, 16], 33));
        // two layers sharing weights (as ALBERT's layers do), then a nonlinearity
        const twice = tf.grads((weight: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.tanh(dense(tf.tanh(dense(x, weight, b)), weight, b))),
        )([t([16, 16], 34), t([16], 35)]);
        return [onlyWeight, ...twice];
      },
      1e-5,
      1e-4,
    );
  });

  it('leaves no tensor behind over repeated forward and backward passes', async () => {
    const x = t([3, 5, 24], 41);
    const weight = t([24, 10], 42);
    const bias = t([10], 43);
    const f = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(dense(a, w, b));
    tf.dispose(tf.grads(f)([x, weight, bias]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.dispose(tf.grads(f)([x, weight, bias]));
      tf.dispose(tf.tidy(() => dense(x, weight, bias)));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, weight, bias]);
  });

  it('handles an empty batch (zero rows): empty output, zero weight and bias gradients', async () => {
    await expectSameAsCpu(
      () => {
        const f = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) => tf.sum(dense(x, weight, bias));
        return [
          dense(tf.zeros([0, 5]), t([5, 3], 61), t([3], 62)),
          ...tf.grads(f)([tf.zeros([0, 5]), t([5, 3], 63), t([3], 64)]),
        ];
      },
      0,
      0,
    );
  });

  it('rejects shapes that do not fit with a message naming them', () => {
    const x = t([2, 5], 51);
    expect(() => tf.engine().runKernel('AlbertDense', { x, weight: t([4, 3], 52), bias: t([3], 53) })).toThrow(
      /AlbertDense: x \[2,5\] times weight \[4,3\]/,
    );
    expect(() => tf.engine().runKernel('AlbertDense', { x, weight: t([5, 3], 54), bias: t([1, 3], 55) })).toThrow(
      /bias \[1,3\]/,
    );
  });
});
