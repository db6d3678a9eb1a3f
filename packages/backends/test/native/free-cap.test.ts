// The arrays the native backend keeps for reuse: outputs of 16,384 floats and more come from size
// classes (four per doubling), so a slightly different shape reuses a disposed tensor's buffer; at
// the cap (ALBERT_TS_NATIVE_FREE_MB) the buffers freed longest ago make room for the newest.
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
const bufferOf = (t: tf.Tensor) => (backend().data.get(t.dataId).values as Float32Array).buffer;

/** A native output of `n` floats (x + 1), disposed; returns its buffer. */
function freeOne(n: number): ArrayBufferLike {
  const x = tf.zeros([n]);
  const y = tf.add(x, 1);
  const buffer = bufferOf(y);
  tf.dispose([x, y]);
  return buffer;
}

it('size classes: a slightly smaller output reuses a disposed buffer and computes the right values', async () => {
  const { sizeClass } = await import('../../src/native/backend.js');
  // four classes per doubling: 2^15 + k·2^13
  expect([16_383, 16_384, 40_000, 59_000, 60_000, 65_536, 65_537].map(sizeClass)).toEqual([
    16_383, 16_384, 40_960, 65_536, 65_536, 65_536, 81_920,
  ]);
  const before = tf.memory().numTensors;
  const buffer = freeOne(60_000);
  const x = tf.fill([59_000], 3);
  const y = tf.mul(x, 2);
  expect(bufferOf(y)).toBe(buffer);
  const values = y.dataSync();
  expect(values.length).toBe(59_000);
  expect(values.every((v) => v === 6)).toBe(true);
  tf.dispose([x, y]);
  expect(tf.memory().numTensors).toBe(before);
});

it('drops the oldest free buffers to keep the newest when the cap is reached', () => {
  // classes 40,960 / 49,152 / 57,344 / 65,536 floats: 832 KiB, under the 1 MiB cap
  const kept = [40_000, 45_000, 50_000, 60_000].map(freeOne);
  expect(backend().freeListBytes()).toBeLessThanOrEqual(CAP_MB * 2 ** 20);
  const newest = freeOne(70_000); // class 81,920 (320 KiB): the oldest (40,960) makes room
  expect(backend().freeListBytes()).toBeLessThanOrEqual(CAP_MB * 2 ** 20);

  const use = (n: number) => tf.mul(tf.zeros([n]), 2);
  const again = tf.tidy(() => use(70_000));
  expect(bufferOf(again)).toBe(newest); // reused
  const fourth = tf.tidy(() => use(60_000));
  expect(bufferOf(fourth)).toBe(kept[3]); // a younger one survived
  const first = tf.tidy(() => use(40_000));
  expect(bufferOf(first)).not.toBe(kept[0]); // the oldest was dropped
  expect(Array.from(first.dataSync().subarray(0, 3))).toEqual([0, 0, 0]);
  tf.dispose([again, fourth, first]);
});
