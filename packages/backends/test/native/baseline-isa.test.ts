// The portable (SSE2) kernel table, forced with ALBERT_TS_NATIVE_ISA=baseline in this test
// process: the GEMM with its own register block, and the vectorised math.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/native/index.js';
import { expectSameAsCpu, random, setupNative, size } from './helpers.js';

const t = (shape: number[], seed: number, lo = -1, hi = 1) => tf.tensor(random(size(shape), seed, lo, hi), shape);

beforeAll(async () => {
  process.env.ALBERT_TS_NATIVE_ISA = 'baseline';
  await setupNative();
});

it('runs the baseline kernels when forced', () => {
  const info = loadNativeAddon().info();
  expect(info.isa).toBe('baseline');
  expect([info.mr, info.nr]).toEqual([4, 12]);
});

it('matmul (plain, transposed, batched, fused) matches cpu', async () => {
  await expectSameAsCpu(
    () => [
      tf.matMul(t([37, 71], 1), t([71, 29], 2)),
      tf.matMul(t([71, 37], 1), t([29, 71], 2), true, true),
      tf.matMul(t([3, 13, 7], 3), t([3, 7, 5], 4)),
      tf.fused.matMul({ a: t([9, 11], 5), b: t([11, 13], 6), bias: t([13], 7), activation: 'relu' }),
    ],
    1e-4,
    1e-4,
  );
});

it('element-wise math, softmax and reductions match cpu', async () => {
  await expectSameAsCpu(
    () => {
      const x = t([5, 999], 1, -6, 6);
      return [
        tf.exp(x),
        tf.tanh(x),
        tf.erf(x),
        tf.sigmoid(x),
        tf.softmax(x),
        tf.sum(x, -1),
        tf.max(x, 0),
        tf.add(x, t([999], 2)),
      ];
    },
    2e-6,
    5e-6,
  );
});
