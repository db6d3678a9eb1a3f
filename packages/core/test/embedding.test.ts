// embeddingLookup's gradient: a scatter-add into the table rows (duplicates summed), nothing into
// the padding row; the same with UnsortedSegmentSum and with the ScatterNd fallback used on
// backends without it.
import { initBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingLookup } from '../src/index.js';

function lookupGrad(paddingIdx: number | null): { value: number[]; grad: number[] } {
  return tf.tidy(() => {
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]); // [4, 2]
    const ids = tf.tensor2d(
      [
        [2, 0, 2],
        [1, 2, 0],
      ],
      [2, 3],
      'int32',
    ); // id 2 three times, pad 0 twice
    const weights = tf.tensor3d([
      [
        [1, 10],
        [2, 20],
        [3, 30],
      ],
      [
        [4, 40],
        [5, 50],
        [6, 60],
      ],
    ]); // dL/dy
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids, paddingIdx), weights)));
    const value = embeddingLookup(table, ids, paddingIdx);
    expect(value.shape).toEqual([2, 3, 2]);
    return { value: Array.from(value.dataSync()), grad: Array.from(g(table).dataSync()) };
  });
}

describe('embeddingLookup', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });

  it('gathers rows and scatter-adds the gradient, skipping the padding row', () => {
    const withPad = lookupGrad(0);
    expect(withPad.value).toEqual([5, 6, 1, 2, 5, 6, 3, 4, 5, 6, 1, 2]);
    // row 0: padding, no gradient; row 1: [4, 40]; row 2: [1+3+5, 10+30+50]; row 3: unused
    expect(withPad.grad).toEqual([0, 0, 4, 40, 9, 90, 0, 0]);
    expect(lookupGrad(null).grad).toEqual([2 + 6, 20 + 60, 4, 40, 9, 90, 0, 0]);
  });

  it('gives the same gradient through the ScatterNd fallback', () => {
    const kernel = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
    expect(kernel).toBeDefined();
    const reference = lookupGrad(0).grad;
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    try {
      expect(tf.getKernel('UnsortedSegmentSum', 'cpu')).toBeUndefined();
      expect(lookupGrad(0).grad).toEqual(reference);
      expect(lookupGrad(null).grad).toEqual([8, 80, 4, 40, 9, 90, 0, 0]);
    } finally {
      tf.registerKernel(kernel);
    }
  });
});
