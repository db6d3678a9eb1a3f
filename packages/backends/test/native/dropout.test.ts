// AlbertDropout {x} {rate, seed}: the addon's counter-based mask equals its JS twin element for
// element, keeps 1 - rate of the values at scale 1 / (1 - rate), is a function of the seed alone,
// and its registered gradient applies the same mask to dy.

import { seedWords } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/native/addon.js';
import { dropoutJs } from '../../src/native/kernels/dropout.js';
import { random, setupNative } from './helpers.js';

const drop = (x: tf.Tensor, rate: number, seed: number) =>
  tf.engine().runKernel('AlbertDropout', { x }, { rate, seed }) as tf.Tensor;

beforeAll(setupNative);

describe('AlbertDropout', () => {
  it('the addon and its JS twin give the same values (odd sizes, several rates and seeds)', () => {
    const addon = loadNativeAddon();
    expect(typeof addon.dropout).toBe('function');
    for (const [n, rate, seed] of [
      [1, 0.1, 0],
      [4097, 0.1, 1],
      [100_003, 0.5, -7],
      [65_536, 0.9, 2 ** 40 + 3],
      [777, 0, 5],
    ] as const) {
      const x = random(n, n, -2, 2);
      const [lo, hi] = seedWords(seed);
      const got = new Float32Array(n);
      const want = new Float32Array(n);
      addon.dropout?.(x, got, rate, lo, hi);
      dropoutJs(x, want, rate, lo, hi);
      expect(got).toEqual(want);
    }
  });

  it('keeps 1 - rate of the values, scaled by 1 / (1 - rate); same seed same mask, other seed another', () => {
    const n = 200_000;
    const x = tf.ones([n]);
    for (const rate of [0.1, 0.5]) {
      const y = drop(x, rate, 42).dataSync();
      let kept = 0;
      let badScale = 0;
      for (const v of y) {
        if (v === 0) continue;
        kept++;
        if (v !== Math.fround(1 / (1 - rate))) badScale++;
      }
      expect(badScale).toBe(0);
      // binomial std of the kept fraction <= 0.0012; 5 sigma
      expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(0.006);
      expect(drop(x, rate, 42).dataSync()).toEqual(y);
      const other = drop(x, rate, 43).dataSync();
      let same = 0;
      for (let i = 0; i < n; i++) if ((other[i] === 0) === (y[i] === 0)) same++;
      expect(same / n).toBeLessThan(1 - 2 * rate * (1 - rate) + 0.01); // independent masks agree this often
    }
    // neighbouring elements are not correlated: runs of zeros are as long as chance makes them
    const y = drop(x, 0.5, 7).dataSync();
    let pairs = 0;
    for (let i = 1; i < n; i++) if ((y[i] === 0) === (y[i - 1] === 0)) pairs++;
    expect(Math.abs(pairs / (n - 1) - 0.5)).toBeLessThan(0.006);
    x.dispose();
  });

  it('its gradient applies the same mask and scale to dy, and leaves no tensor behind', () => {
    const x = tf.tensor(random(3 * 5 * 67, 3), [3, 5, 67]);
    const w = tf.tensor(random(3 * 5 * 67, 4), [3, 5, 67]);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(drop(t, 0.3, 99), w));
    const grad = tf.grad(f);
    tf.dispose(grad(x));
    const before = tf.memory().numTensors;
    const g = grad(x);
    const mask = tf.tidy(() => drop(tf.onesLike(x), 0.3, 99)); // 0 or 1 / 0.7
    const want = tf.tidy(() => tf.mul(w, mask));
    const plus0 = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => v + 0); // -0 (w * 0) and 0 alike
    expect(plus0(g)).toEqual(plus0(want));
    expect(Array.from(mask.dataSync()).some((v) => v === 0)).toBe(true);
    tf.dispose([g, mask, want]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('rejects a bad rate or seed with a message', () => {
    const x = tf.ones([4]);
    expect(() => drop(x, 1, 1)).toThrow(/rate must be in \[0, 1\), got 1/);
    expect(() => drop(x, 0.1, 0.5)).toThrow(/seed must be an integer, got 0.5/);
    x.dispose();
  });
});
