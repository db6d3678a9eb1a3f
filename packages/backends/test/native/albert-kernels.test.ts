// The fused kernels of the core <-> backends contract (AlbertLayerNorm, AlbertGelu,
// AlbertGeluNew) against the composite formulas on the cpu backend, forward and gradients,
// and gradients of a small attention + feed-forward block through the native kernels.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsCpu, random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(random(size(shape), seed, lo, hi), shape);
const onNative = () => tf.getBackend() === 'native';

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  if (onNative()) return tf.engine().runKernel('AlbertLayerNorm', { x, gamma, beta }, { epsilon }) as tf.Tensor;
  const mean = tf.mean(x, -1, true);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
}

function gelu(x: tf.Tensor): tf.Tensor {
  if (onNative()) return tf.engine().runKernel('AlbertGelu', { x }) as tf.Tensor;
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

function geluNew(x: tf.Tensor): tf.Tensor {
  if (onNative()) return tf.engine().runKernel('AlbertGeluNew', { x }) as tf.Tensor;
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
}

function addLayerNorm(
  x: tf.Tensor,
  residual: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): tf.Tensor {
  if (onNative()) {
    return tf.engine().runKernel('AlbertAddLayerNorm', { x, residual, gamma, beta }, { epsilon }) as tf.Tensor;
  }
  return layerNorm(tf.add(x, residual), gamma, beta, epsilon);
}

function albertLinear(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, activation: string): tf.Tensor {
  if (onNative()) return tf.engine().runKernel('AlbertLinear', { x, weight, bias }, { activation }) as tf.Tensor;
  const y = tf.add(tf.matMul(tf.reshape(x, [-1, weight.shape[0] as number]), weight), bias);
  const act = activation === 'gelu' ? gelu(y) : activation === 'gelu_new' ? geluNew(y) : y;
  return tf.reshape(act, [...x.shape.slice(0, -1), weight.shape[1] as number]);
}

beforeAll(setupNative);

describe('AlbertAddLayerNorm', () => {
  it('matches layerNorm(x + residual) forward', async () => {
    await expectSameAsCpu(
      () => [
        addLayerNorm(t([2, 7, 768], 1, -3, 5), t([2, 7, 768], 7, -2, 2), t([768], 2), t([768], 3), 1e-12),
        addLayerNorm(t([5, 33], 4), t([5, 33], 8), t([33], 5), t([33], 6), 1e-5),
      ],
      1e-5,
      1e-4,
    );
  });

  it('matches the composite gradients for x, residual, gamma and beta', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([3, 4, 65], 9);
        const f = (x: tf.Tensor, r: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(addLayerNorm(x, r, g, b, 1e-12), w));
        return tf.grads(f)([t([3, 4, 65], 1, -2, 2), t([3, 4, 65], 11, -1, 3), t([65], 2), t([65], 3)]);
      },
      1e-5,
      1e-4,
    );
  });

  // The input gradient is computed once and shared by x and residual: the same tensor passed as
  // both, a gradient for one input only, and a later use of x must all still be right, and the
  // backward pass must leave no tensor behind.
  it('shares one input gradient between x and residual safely (x + x, one input, reused x)', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([3, 65], 9);
        const g = t([65], 2);
        const b = t([65], 3);
        const same = (x: tf.Tensor) => tf.sum(tf.mul(addLayerNorm(x, x, g, b, 1e-12), w));
        const onlyResidual = (r: tf.Tensor) => tf.sum(tf.mul(addLayerNorm(t([3, 65], 1), r, g, b, 1e-12), w));
        const reused = (x: tf.Tensor, r: tf.Tensor) =>
          tf.sum(tf.mul(tf.add(addLayerNorm(x, r, g, b, 1e-12), tf.mul(x, 3)), w));
        return [
          tf.grad(same)(t([3, 65], 4, -2, 2)),
          tf.grad(onlyResidual)(t([3, 65], 5)),
          ...tf.grads(reused)([t([3, 65], 6), t([3, 65], 7)]),
        ];
      },
      1e-5,
      1e-4,
    );
    expect(tf.getBackend()).toBe('native');
    const x = t([4, 33], 1);
    const r = t([4, 33], 2);
    const g = tf.variable(t([33], 3));
    const b = tf.variable(t([33], 4));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(addLayerNorm(x, r, g, b, 1e-12))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, r, g, b]);
  });

  it('rejects a residual of another shape', () => {
    expect(() =>
      tf
        .engine()
        .runKernel(
          'AlbertAddLayerNorm',
          { x: tf.zeros([2, 8]), residual: tf.zeros([1, 8]), gamma: tf.ones([8]), beta: tf.zeros([8]) },
          { epsilon: 1e-12 },
        ),
    ).toThrow(/residual \[1,8\] must have x's shape \[2,8\]/);
  });
});

function maskedSoftmax(scores: tf.Tensor, mask: tf.Tensor, scale: number): tf.Tensor {
  if (onNative()) return tf.engine().runKernel('AlbertMaskedSoftmax', { scores, mask }, { scale }) as tf.Tensor;
  return tf.softmax(tf.add(tf.mul(scores, scale), mask));
}

describe('AlbertMaskedSoftmax', () => {
  const mask = () =>
    tf.tensor4d([0, 0, 0, -3.4028234663852886e38, 0, -3.4028234663852886e38, 0, 0, 0, 0], [2, 1, 1, 5]);

  it('matches softmax(scores * scale + mask), padded keys exactly 0', async () => {
    await expectSameAsCpu(() => maskedSoftmax(t([2, 3, 4, 5], 1, -4, 4), mask(), 0.125), 1e-6, 1e-5);
    const y = maskedSoftmax(t([2, 3, 4, 5], 1, -4, 4), mask(), 0.125).arraySync() as number[][][][];
    expect(y[0]?.[2]?.[1]?.[3]).toBe(0);
    expect(y[1]?.[0]?.[3]?.[0]).toBe(0);
  });

  it('matches the composite gradients for scores and mask', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([2, 3, 4, 5], 9);
        const f = (s: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(maskedSoftmax(s, m, 0.3), w));
        return tf.grads(f)([t([2, 3, 4, 5], 1, -2, 2), t([2, 1, 1, 5], 4, -1, 0)]);
      },
      1e-5,
      1e-4,
    );
  });

  it('rejects a mask that is not one row per batch item', () => {
    expect(() =>
      tf
        .engine()
        .runKernel(
          'AlbertMaskedSoftmax',
          { scores: tf.zeros([2, 3, 4, 5]), mask: tf.zeros([1, 1, 1, 5]) },
          { scale: 1 },
        ),
    ).toThrow(/mask \[1,1,1,5\] must hold one row of 5 values per batch item of scores \[2,3,4,5\]/);
  });
});

describe('AlbertLinear', () => {
  it('matches matMul + bias + activation for linear, gelu and gelu_new', async () => {
    await expectSameAsCpu(
      () =>
        (['linear', 'gelu', 'gelu_new'] as const).flatMap((act) => [
          albertLinear(t([1, 24, 768], 1, -2, 2), t([768, 3072], 2, -0.1, 0.1), t([3072], 3), act),
          albertLinear(t([5, 33], 4), t([33, 7], 5), t([7], 6), act),
        ]),
      1e-5,
      1e-4,
    );
  });

  it('rejects an activation its epilogue does not have', () => {
    expect(() =>
      tf
        .engine()
        .runKernel(
          'AlbertLinear',
          { x: tf.zeros([2, 3]), weight: tf.zeros([3, 4]), bias: tf.zeros([4]) },
          { activation: 'relu' },
        ),
    ).toThrow(/unknown activation "relu"/);
  });
});

describe('AlbertLayerNorm', () => {
  it('is registered for the native backend only', () => {
    expect(tf.getKernel('AlbertLayerNorm', 'native')).toBeDefined();
    expect(tf.getKernel('AlbertLayerNorm', 'cpu')).toBeUndefined();
  });

  it('matches the composite forward', async () => {
    await expectSameAsCpu(
      () => [
        layerNorm(t([2, 7, 768], 1, -3, 5), t([768], 2), t([768], 3), 1e-12),
        layerNorm(t([5, 33], 4), t([33], 5), t([33], 6), 1e-5),
      ],
      1e-5,
      1e-4,
    );
  });

  it('matches the composite gradients for x, gamma and beta', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([3, 4, 65], 9);
        const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layerNorm(x, g, b, 1e-12), w));
        return tf.grads(f)([t([3, 4, 65], 1, -2, 2), t([65], 2), t([65], 3)]);
      },
      1e-5,
      1e-4,
    );
  });

  it('rejects a gamma of the wrong size', () => {
    expect(() =>
      tf
        .engine()
        .runKernel(
          'AlbertLayerNorm',
          { x: tf.zeros([2, 4]), gamma: tf.ones([3]), beta: tf.zeros([4]) },
          { epsilon: 1e-5 },
        ),
    ).toThrow(/gamma and beta must have 4 values/);
  });
});

describe('AlbertGelu and AlbertGeluNew', () => {
  it('match the composite forward', async () => {
    await expectSameAsCpu(
      () => [gelu(t([3, 1000], 1, -8, 8)), geluNew(t([3, 1000], 2, -8, 8)), gelu(t([7], 3)), geluNew(t([7], 4))],
      2e-6,
      2e-6,
    );
  });

  it('match the composite gradients', async () => {
    await expectSameAsCpu(
      () => {
        const w = t([2, 513], 5);
        return [
          tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gelu(x), w)))(t([2, 513], 6, -6, 6)),
          tf.grad((x: tf.Tensor) => tf.sum(tf.mul(geluNew(x), w)))(t([2, 513], 7, -6, 6)),
        ];
      },
      1e-5,
      1e-4,
    );
  });
});

describe('gradients through the native kernels', () => {
  it('a self-attention + feed-forward block: every parameter gradient matches cpu', async () => {
    await expectSameAsCpu(
      () => {
        const [batch, seq, hidden, heads] = [2, 9, 24, 4];
        const dh = hidden / heads;
        const ids = tf.tensor2d(
          [
            [1, 5, 9, 2, 2, 7, 0, 3, 3],
            [4, 4, 4, 8, 1, 0, 6, 6, 2],
          ],
          [2, 9],
          'int32',
        );
        const mask = tf.tensor2d([
          [1, 1, 1, 1, 1, 1, 1, 0, 0],
          [1, 1, 1, 1, 1, 1, 1, 1, 1],
        ]);
        const params = [
          t([10, hidden], 1),
          t([hidden, 3 * hidden], 2),
          t([3 * hidden], 3),
          t([hidden, hidden], 4),
          t([hidden, 37], 5),
          t([37], 6),
          t([37, hidden], 7),
          t([hidden], 8),
          t([hidden], 9),
        ];
        const f = (...p: tf.Tensor[]) => {
          const [emb, wqkv, bqkv, wo, w1, b1, w2, g, b] = p as [
            tf.Tensor2D,
            tf.Tensor2D,
            tf.Tensor,
            tf.Tensor2D,
            tf.Tensor2D,
            tf.Tensor,
            tf.Tensor2D,
            tf.Tensor,
            tf.Tensor,
          ];
          const x = tf.gather(emb, ids); // [batch, seq, hidden]
          const qkv = tf.add(tf.matMul(tf.reshape(x, [batch * seq, hidden]), wqkv), bqkv);
          const split = (i: number) =>
            tf.transpose(
              tf.reshape(tf.slice(qkv, [0, i * hidden], [-1, hidden]), [batch, seq, heads, dh]),
              [0, 2, 1, 3],
            );
          const [q, k, v] = [split(0), split(1), split(2)]; // [batch, heads, seq, dh]
          const bias = tf.reshape(tf.mul(tf.sub(1, mask), -1e4), [batch, 1, 1, seq]);
          const probs = tf.softmax(tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), bias));
          const ctx = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [batch * seq, hidden]);
          const h = layerNorm(tf.add(tf.matMul(ctx, wo), tf.reshape(x, [batch * seq, hidden])), g, b, 1e-12);
          const ffn = tf.matMul(geluNew(tf.fused.matMul({ a: h as tf.Tensor2D, b: w1, bias: b1 })), w2);
          return tf.mean(tf.square(tf.add(ffn, h)));
        };
        return tf.grads(f)(params);
      },
      1e-5,
      2e-4,
    );
  });
});
