// The native erf and both GELUs (forward and gradient) against double-precision references
// over dense grids, every float near erf's and tanh's saturation points, the tails, ±0, ±Inf and
// NaN (native/src/vecmath.h: rational approximations, no exp).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/native/addon.js';
import { setupNative } from './helpers.js';

// erf in double: Taylor series below 3 (terms stay < 1e5: ~1e-11 absolute), Laplace's continued
// fraction for erfc above (60 terms: full double precision for x >= 3).
function erfRef(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  if (a < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (!Number.isFinite(a)) return Math.sign(x);
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const geluRef = (x: number) => 0.5 * x * (1 + erfRef(x / Math.SQRT2));
const geluNewRef = (x: number) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)));
const geluGradRef = (x: number) =>
  0.5 * (1 + erfRef(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
function geluNewGradRef(x: number): number {
  const t = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
}

function grid(lo: number, hi: number, step: number): Float32Array {
  const n = Math.floor((hi - lo) / step) + 1;
  return Float32Array.from({ length: n }, (_, i) => lo + i * step);
}

// Every float32 in [lo, hi).
function everyFloat(lo: number, hi: number): Float32Array {
  const bits = new Int32Array(new Float32Array([lo, hi]).buffer);
  const first = bits[0] as number;
  const out = new Int32Array((bits[1] as number) - first);
  for (let i = 0; i < out.length; i++) out[i] = first + i;
  return new Float32Array(out.buffer);
}

function run(name: string, x: Float32Array, dy?: Float32Array): Float32Array {
  const xt = tf.tensor1d(x);
  const dyt = dy == null ? null : tf.tensor1d(dy);
  const inputs: tf.NamedTensorMap = dyt == null ? { x: xt } : { dy: dyt, x: xt };
  const y = name === 'Erf' ? tf.erf(xt) : (tf.engine().runKernel(name, inputs) as tf.Tensor);
  const out = y.dataSync() as Float32Array;
  tf.dispose([xt, y, ...(dyt == null ? [] : [dyt])]);
  return out;
}

function maxAbsError(x: Float32Array, got: Float32Array, ref: (v: number) => number): { err: number; at: number } {
  let err = 0;
  let at = Number.NaN;
  for (let i = 0; i < x.length; i++) {
    const e = Math.abs((got[i] as number) - ref(x[i] as number));
    if (!(e <= err)) {
      err = e;
      at = x[i] as number;
    }
  }
  return { err, at };
}

const SPECIAL = new Float32Array([Number.NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 1e-40, 1e30, -1e30]);

beforeAll(setupNative);

describe('native erf', () => {
  // Without FMA (the SSE2 baseline) Horner's rule rounds twice per step.
  const bound = loadNativeAddon().info().isa === 'baseline' ? 5e-7 : 4e-7;

  it('is within 4e-7 (5e-7 without FMA) of erf on [-6, 6] and at every float from 3 to 4.5 (A&S 7.1.26: 5.3e-7)', () => {
    const near = everyFloat(3, 4.5);
    for (const x of [grid(-6, 6, 1 / 4096), near, near.map((v) => -v)]) {
      const { err, at } = maxAbsError(x, run('Erf', x), erfRef);
      expect(err, `worst at x = ${at}`).toBeLessThan(bound);
    }
  });

  it('keeps its relative accuracy near 0 and never leaves [-1, 1]', () => {
    const tiny = Float32Array.from({ length: 600 }, (_, i) => 1e-38 * 1.15 ** i); // 1e-38 .. ~0.06
    const y = run('Erf', tiny);
    for (let i = 0; i < tiny.length; i++) {
      const want = erfRef(tiny[i] as number);
      expect(Math.abs((y[i] as number) - want) / want).toBeLessThan(1e-6);
    }
    const wide = grid(-50, 50, 1 / 64);
    expect(run('Erf', wide).every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('gives NaN for NaN, ±1 for ±Inf and large inputs, ±0 for ±0', () => {
    const y = Array.from(run('Erf', SPECIAL));
    expect(y.slice(0, 5)).toEqual([Number.NaN, 1, -1, 0, -0]);
    const slope = 2 / Math.sqrt(Math.PI); // erf(x) = 2x/√π near 0
    expect(Math.abs((y[5] as number) / (slope * 1e-30) - 1)).toBeLessThan(1e-6);
    expect(Math.abs((y[6] as number) / (slope * -1e-30) - 1)).toBeLessThan(1e-6);
    expect(Math.abs((y[7] as number) - slope * 1e-40)).toBeLessThan(1e-44); // subnormal
    expect(y.slice(8)).toEqual([1, -1]);
  });
});

describe('native GELU kernels', () => {
  const x = grid(-12, 12, 1 / 2048);
  const dy = Float32Array.from(x, (_, i) => 1 - (i % 7) / 4);

  it('AlbertGelu (erf form) is within 1e-6 of x Φ(x)', () => {
    const { err, at } = maxAbsError(x, run('AlbertGelu', x), geluRef);
    expect(err, `worst at x = ${at}`).toBeLessThan(1e-6);
  });

  it('AlbertGeluNew (tanh form) is within 1.2e-6 of 0.5 x (1 + tanh(u))', () => {
    const { err, at } = maxAbsError(x, run('AlbertGeluNew', x), geluNewRef);
    expect(err, `worst at x = ${at}`).toBeLessThan(1.2e-6);
  });

  it('their gradients are within 2.5e-6 of the exact derivatives', () => {
    const got = run('AlbertGeluGrad', x, dy);
    const gotNew = run('AlbertGeluNewGrad', x, dy);
    let err = 0;
    let errNew = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      err = Math.max(err, Math.abs((got[i] as number) - (dy[i] as number) * geluGradRef(v)));
      errNew = Math.max(errNew, Math.abs((gotNew[i] as number) - (dy[i] as number) * geluNewGradRef(v)));
    }
    expect(err).toBeLessThan(2.5e-6);
    expect(errNew).toBeLessThan(2.5e-6);
  });

  it('handle NaN, ±Inf and huge inputs as the formula does (PyTorch: gelu(-Inf) is NaN)', () => {
    for (const name of ['AlbertGelu', 'AlbertGeluNew']) {
      const y = Array.from(run(name, SPECIAL));
      expect(y.slice(0, 5)).toEqual([Number.NaN, Infinity, Number.NaN, 0, -0]);
      expect(y[8]).toBe(Math.fround(1e30));
      expect(Math.abs(y[9] as number)).toBe(0);
    }
  });
});
