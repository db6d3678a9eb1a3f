// The backend reuses output arrays of disposed tensors. Arrays handed to user code
// (dataSync/data) and arrays still viewed by another tensor must never be reused.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import type { NativeBackend } from '../../src/native/index.js';
import { setupNative } from './helpers.js';

beforeAll(setupNative);

it('reuses the array of a disposed output for the next output of that size', () => {
  const x = tf.tensor1d([1, 2, 3, 4]);
  const a = tf.add(x, 1);
  const aValues = (tf.backend() as NativeBackend).data.get(a.dataId).values;
  a.dispose();
  const b = tf.mul(x, 2);
  expect((tf.backend() as NativeBackend).data.get(b.dataId).values).toBe(aValues);
  expect(Array.from(b.dataSync())).toEqual([2, 4, 6, 8]);
  tf.dispose([x, b]);
});

it('never reuses an array returned by dataSync()', () => {
  const x = tf.tensor1d([1, 2, 3, 4]);
  const a = tf.add(x, 1);
  const read = a.dataSync();
  a.dispose();
  const b = tf.mul(x, 100);
  expect(Array.from(read)).toEqual([2, 3, 4, 5]);
  expect(Array.from(b.dataSync())).toEqual([100, 200, 300, 400]);
  tf.dispose([x, b]);
});

it('never reuses an array another tensor still views (contiguous slice)', () => {
  const x = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  const a = tf.add(x, 10); // [[11, 12], [13, 14]], a native output
  const row = tf.slice(a, [1, 0], [1, 2]); // the cpu kernel returns a view of a's array
  a.dispose();
  const c = tf.mul(x, -1); // same size as a: must not land in a's array
  expect(Array.from(row.dataSync())).toEqual([13, 14]);
  expect(Array.from(c.dataSync())).toEqual([-1, -2, -3, -4]);
  tf.dispose([x, row, c]);
});

it('never reuses an array the user passed to tf.tensor()', () => {
  const mine = new Float32Array([5, 6, 7]);
  const t = tf.tensor1d(mine);
  t.dispose();
  const y = tf.add(tf.tensor1d([1, 1, 1]), 1);
  expect(Array.from(mine)).toEqual([5, 6, 7]);
  y.dispose();
});
