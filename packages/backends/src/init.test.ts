import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AlbertError, BackendError, hasGradient, initBackend } from './index.js';

describe('initBackend', () => {
  it('initialises the cpu backend and computes on it', async () => {
    const report = await initBackend({ prefer: 'cpu' });
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.platform).toBe('node');
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await y.data())).toEqual([11]);
  });

  it('initialises the wasm backend in Node with SIMD', async () => {
    const report = await initBackend({ prefer: 'wasm' });
    expect(report.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.simd).toBe(true);
    const y = tf.add(tf.tensor1d([1, 2, 3]), 1);
    expect(Array.from(await y.data())).toEqual([2, 3, 4]);
  });

  it('skips unavailable backends, says why, and falls back', async () => {
    const report = await initBackend({ prefer: ['webgpu', 'cpu'] });
    expect(report.backend).toBe('cpu');
    expect(report.skipped[0]?.backend).toBe('webgpu');
    expect(report.skipped[0]?.reason).toMatch(/not available/);
  });

  it('throws a BackendError (an AlbertError) when nothing can be initialised', async () => {
    const err = await initBackend({ prefer: ['webgpu'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toBeInstanceOf(AlbertError);
    expect((err as Error).message).toMatch(/prefer: "cpu"/);
  });
});

describe('gradients', () => {
  it('registers tfjs-core gradients on import', async () => {
    expect(hasGradient('BatchMatMul')).toBe(true);
    expect(hasGradient('GatherV2')).toBe(true);
    await initBackend({ prefer: 'cpu' });
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, v)))(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
  });
});
