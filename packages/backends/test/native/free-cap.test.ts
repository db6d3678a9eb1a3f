// At the cap on arrays kept for reuse (ALBERT_TS_NATIVE_FREE_MB), the arrays freed longest ago make
// room for the newest: a size that keeps coming back is still reused after sizes that never recur
// have filled the cap (before, the cap refused every newcomer for good).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import type { NativeBackend } from '../../src/native/index.js';

const CAP_MB = 1;

beforeAll(async () => {
  process.env.ALBERT_TS_NATIVE_FREE_MB = String(CAP_MB); // read when the backend module loads
  const { setupNative } = await import('./helpers.js');
  await setupNative();
});

const backend = () => tf.backend() as NativeBackend;
const valuesOf = (t: tf.Tensor) => backend().data.get(t.dataId).values;

/** A native output of `n` floats (x + 1), disposed; returns its array. */
function freeOne(n: number): unknown {
  const x = tf.zeros([n]);
  const y = tf.add(x, 1);
  const values = valuesOf(y);
  tf.dispose([x, y]);
  return values;
}

it('drops the oldest free arrays to keep the newest when the cap is reached', () => {
  expect(tf.getBackend()).toBe('native');
  const sizes = [60_000, 60_001, 60_002, 60_003]; // 4 × 240 kB: 0.92 MiB, under the 1 MiB cap
  const kept = sizes.map(freeOne);
  const before = backend().freeListBytes();
  expect(before).toBeGreaterThanOrEqual(sizes.reduce((a, n) => a + 4 * n, 0));
  expect(before).toBeLessThanOrEqual(CAP_MB * 2 ** 20);

  const newest = freeOne(60_004); // does not fit beside the four: the oldest (60,000) goes
  expect(backend().freeListBytes()).toBeLessThanOrEqual(CAP_MB * 2 ** 20);

  const x = tf.zeros([60_004]);
  const again = tf.mul(x, 2);
  expect(valuesOf(again)).toBe(newest); // reused
  const y = tf.zeros([60_003]);
  const third = tf.mul(y, 2);
  expect(valuesOf(third)).toBe(kept[3]); // a younger one survived
  const z = tf.zeros([60_000]);
  const first = tf.mul(z, 2);
  expect(valuesOf(first)).not.toBe(kept[0]); // the oldest was dropped
  expect(Array.from(first.dataSync().subarray(0, 3))).toEqual([0, 0, 0]);
  tf.dispose([x, again, y, third, z, first]);
});
