// GELU forms and layer norm against float64 formulas, on each Node backend.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../test-utils/backends.js';
import { ACTIVATION_NAMES, activation, ConfigError, gelu, geluNew, layerNorm, linear } from '../src/index.js';

const BACKENDS = await testBackends();
const xs = Array.from({ length: 4001 }, (_, i) => -20 + i * 0.01);

// float64 erf: Maclaurin series for |z| < 3 (largest term ~3e3, so ~1e-13 cancellation error),
// the asymptotic expansion of erfc beyond (error ~1e-8 relative to erfc(3) = 2e-5).
function erf64(z: number): number {
  const a = Math.abs(z);
  if (a >= 3) {
    const z2 = a * a;
    const series = 1 - 1 / (2 * z2) + 3 / (4 * z2 ** 2) - 15 / (8 * z2 ** 3) + 105 / (16 * z2 ** 4);
    return Math.sign(z) * (1 - (Math.exp(-z2) / (a * Math.sqrt(Math.PI))) * series);
  }
  let sum = 0;
  let term = z;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-z * z) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const gelu64 = (x: number) => 0.5 * x * (1 + erf64(x / Math.SQRT2));
const geluNew64 = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

describe.each(BACKENDS)('activations on %s', (backend) => {
  it('gelu (erf) and gelu_new (tanh) match float64 within 1e-6 absolute', async () => {
    await initBackend({ prefer: backend });
    const x = tf.tensor1d(xs);
    for (const [fn, ref] of [
      [gelu, gelu64],
      [geluNew, geluNew64],
    ] as const) {
      const y = fn(x).dataSync();
      let worst = 0;
      xs.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(y[i]! - ref(v)) / Math.max(1, Math.abs(v)));
      });
      expect(worst, fn.name).toBeLessThan(1e-6);
    }
    expect(Array.from(geluNew(tf.tensor1d([-1e4, 1e4])).dataSync())).toEqual([-0, 1e4]);
    x.dispose();
  });

  it('layerNorm uses the biased variance; linear is x W + b', async () => {
    await initBackend({ prefer: backend });
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [10, 10, 10, 14],
    ]);
    const gamma = tf.tensor1d([1, 2, 1, 1]);
    const beta = tf.tensor1d([0, 0, 0, 1]);
    const y = Array.from(layerNorm(x, gamma, beta, 1e-12).dataSync());
    const mean = 2.5;
    const sd = Math.sqrt(1.25); // biased: mean of squared deviations
    const expected = [(1 - mean) / sd, (2 * (2 - mean)) / sd, (3 - mean) / sd, (4 - mean) / sd + 1];
    for (const [i, e] of expected.entries()) expect(y[i]).toBeCloseTo(e, 5);
    expect(y.slice(4)).toEqual([
      expect.closeTo(-0.57735, 4),
      expect.closeTo(-1.1547, 4),
      expect.closeTo(-0.57735, 4),
      expect.closeTo(2.73205, 4),
    ]);
    const w = tf.tensor2d([
      [1, 0, 2],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 1],
    ]); // [in 4, out 3]
    const z = linear(tf.reshape(x, [1, 2, 4]), w, tf.tensor1d([0.5, 0, 0]));
    expect(z.shape).toEqual([1, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual([5.5, 6, 9, 24.5, 24, 44]);
    tf.dispose([x, gamma, beta, w, z]);
  });
});

describe('activation()', () => {
  it('knows HF names and rejects others', async () => {
    await initBackend({ prefer: 'cpu' });
    expect(ACTIVATION_NAMES).toEqual(expect.arrayContaining(['gelu', 'gelu_new', 'relu', 'silu', 'tanh']));
    const x = tf.tensor1d([-2, 0.5]);
    expect(Array.from(activation('relu')(x).dataSync())).toEqual([0, 0.5]);
    expect(activation('gelu_pytorch_tanh')).toBe(geluNew);
    expect(() => activation('gelu2')).toThrow(ConfigError);
    x.dispose();
  });
});
